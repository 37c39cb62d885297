// Everything one emulator instance remembers, and the context a Bot API method runs in.

import type { EmulatorLimits, EmulatorStats, RecordedCall, RecordedMessage } from './types.ts'
import type { Params } from './validate.ts'
import { createChatRegistry, type ChatRegistry } from './chats.ts'
import { createFaultInjector, type FaultInjector } from './faults.ts'
import { createFileRegistry, type FileRegistry } from './files.ts'
import { createRateLimiter, type RateLimiter } from './limits.ts'
import { createUpdateHub, type UpdateHub } from './updates.ts'

export interface BotUser {
  id: number
  is_bot: true
  first_name: string
  username: string
}

/** What an edited message shows now: its text or caption as sent, and its markup. */
export interface EditedContent {
  text: string | undefined
  parseMode: string | undefined
  /** entities or caption_entities given instead of a parse_mode */
  entities: unknown
  /** JSON of the reply_markup, for "message is not modified" */
  markup: string | undefined
}

export interface EmulatorState {
  readonly messages: RecordedMessage[]
  readonly calls: RecordedCall[]
  readonly stats: EmulatorStats
  readonly chats: ChatRegistry
  readonly files: FileRegistry
  readonly updates: UpdateHub
  readonly limiter: RateLimiter
  readonly faults: FaultInjector
  /** current content of edited messages, by `${chat key}|${message_id}` */
  readonly edits: Map<string, EditedContent>
}

export interface CallContext {
  state: EmulatorState
  bot: BotUser
  /** the method's canonical name, e.g. 'sendMessage' */
  method: string
  params: Params
  /** ms since epoch, taken once per call */
  now: number
  /** runs cb if the client goes away before the answer */
  onAbort: (cb: () => void) => void
}

export type MethodHandler = (ctx: CallContext) => unknown

export function emptyStats (): EmulatorStats {
  return { requests: 0, accepted: 0, rejected: 0, tooManyRequests: 0, resets: 0, timeouts: 0, serverErrors: 0, lostResponses: 0 }
}

export function createState (limits: EmulatorLimits | false, seed: number): EmulatorState {
  return {
    messages: [],
    calls: [],
    stats: emptyStats(),
    chats: createChatRegistry(),
    files: createFileRegistry(),
    updates: createUpdateHub(),
    limiter: createRateLimiter(limits),
    faults: createFaultInjector(seed),
    edits: new Map()
  }
}

/** Back to a fresh state, keeping the limits and the objects callers hold references to. */
export function clearState (state: EmulatorState): void {
  state.messages.length = 0
  state.calls.length = 0
  Object.assign(state.stats, emptyStats())
  state.chats.clear()
  state.updates.clear()
  state.limiter.clear()
  state.faults.set({})
  state.edits.clear()
}

export function botUser (id: number): BotUser {
  return { id, is_bot: true, first_name: 'tg-relay emulator', username: 'tg_relay_emulator_bot' }
}
