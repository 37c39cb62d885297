// Update forwarding (UPDATES_FORWARD_URL): an update the bot does not answer itself — a
// plain message, a button it does not own, any other update type — is queued on the outbound
// lane and POSTed, signed, by a worker (src/outbound/signed-post.ts), exactly as Telegram sent
// it. One queue key per chat: a chat's updates reach the receiver in the order they came.
import type { Update } from '../schemas/update.ts'
import { queueCall, type BotContext } from './context.ts'

/** The queued call's method; a key of the outbound worker's transports, never a Bot API method. */
export const UPDATE_FORWARD_METHOD = 'forwardUpdate'

/** A receiver down for hours must not lose an update: backoff tops out at QUEUE_BACKOFF_MAX. */
const FORWARD_ATTEMPTS = 25

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null

/** The chat (or, without one, the user) an update of any type is about; '' when it has neither. */
export function updateChat (update: Update): string {
  for (const [key, value] of Object.entries(update as Obj)) {
    if (key === 'update_id' || !isObj(value)) continue
    const holder = [value.chat, isObj(value.message) ? value.message.chat : undefined, value.from, value.user]
    for (const h of holder) if (isObj(h) && (typeof h.id === 'number' || typeof h.id === 'string')) return String(h.id)
  }
  return ''
}

export async function forwardUpdate (ctx: BotContext, update: Update): Promise<void> {
  if (ctx.config.UPDATES_FORWARD_URL === undefined) return
  await queueCall(ctx, `updates:${updateChat(update)}`, { method: UPDATE_FORWARD_METHOD, params: update }, {
    priority: 'high',
    attempts: FORWARD_ATTEMPTS,
    idempotencyKey: `upd:${update.update_id}:forward`,
    outbound: true
  })
  ctx.log.debug({ update_id: update.update_id }, 'update forwarded')
}
