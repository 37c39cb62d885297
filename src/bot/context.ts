// What handling an update needs, built once by the bot plugin, and the one way
// the bot answers: every Telegram call an update causes is queued (producer.enqueue),
// never made inside the webhook request, so it gets the queue's retries and rate
// limits and the webhook answers at once.
import type { RedisClient } from '../redis/client.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'
import type { Breaker } from '../telegram/breaker.ts'
import type { Producer } from '../queue/producer.ts'
import type { Priority, QueueKeys } from '../queue/keys.ts'
import type { BotCall } from '../telegram/bot-call.ts'
import type { BotKeys } from './keys.ts'
import type { ChatDirectory } from './chat-directory.ts'
import type { BotStrings } from './strings.ts'

export interface BotContext {
  config: Config
  redis: RedisClient
  queueKeys: QueueKeys
  keys: BotKeys
  producer: Producer
  /** the outbound lane's producer (src/outbound/lane.ts): calls to our users' systems */
  outbound: Producer
  strings: BotStrings
  chats: ChatDirectory
  /** this process's breaker: /status falls back to it when no worker reports */
  breaker: Breaker
  log: Logger
  adminChats: ReadonlySet<number>
}

export interface QueueOptions {
  priority: Priority
  /** ms; default MESSAGE_TTL */
  ttlMs?: number
  attempts?: number
  /** the same key within 24 h queues nothing new: an update handled again after a failure half-way */
  idempotencyKey?: string
  /** a call to one of our users' systems (a transport): the outbound lane, not Telegram's */
  outbound?: boolean
}

/**
 * Queues one call. `chat` orders it: calls to the same chat go out in order and
 * share its rate limit; a call Telegram does not count against a chat (an
 * answerCallbackQuery) gets a key of its own so it never waits behind a backlog.
 */
export async function queueCall (ctx: BotContext, chat: number | string, call: BotCall, o: QueueOptions): Promise<string> {
  const accepted = await (o.outbound === true ? ctx.outbound : ctx.producer).enqueue({
    chatId: chat,
    calls: [call],
    priority: o.priority,
    expiresAt: Date.now() + (o.ttlMs ?? ctx.config.MESSAGE_TTL * 1000),
    attempts: o.attempts ?? ctx.config.attempts,
    ...(o.idempotencyKey !== undefined ? { idempotencyKey: o.idempotencyKey } : {})
  })
  return accepted.id
}

/** A plain-text reply (no parse_mode: names and payloads are users' text). */
export async function reply (ctx: BotContext, chatId: number, text: string): Promise<string> {
  return await queueCall(ctx, chatId, { method: 'sendMessage', params: { chat_id: chatId, text } }, { priority: 'high', ttlMs: 3_600_000 })
}

/**
 * Callback answers are due within seconds; one still queued after a minute is
 * useless. Telegram takes one answer per query, so we queue at most one.
 */
export async function answerCallback (ctx: BotContext, callbackQueryId: string, text?: string): Promise<string> {
  return await queueCall(ctx, `callback:${callbackQueryId}`, {
    method: 'answerCallbackQuery',
    params: { callback_query_id: callbackQueryId, ...(text === undefined ? {} : { text }) }
  }, { priority: 'critical', ttlMs: 60_000, attempts: 3, idempotencyKey: `cbq:${callbackQueryId}:answer` })
}

export function displayName (u: { id: number, first_name?: string | undefined, username?: string | undefined }): string {
  const name = u.first_name?.trim()
  if (name && u.username) return `${name} (@${u.username})`
  return name || (u.username ? `@${u.username}` : `id ${u.id}`)
}
