// The message every figure sends: a booking notification as the studio's
// backend posts it (~320 bytes of JSON, Russian HTML text), and what both
// queues store for it.
import type { JobsOptions } from 'bullmq'
import { fromSend } from '../../src/schemas/compat/index.ts'
import type { SendBody } from '../../src/schemas/send.ts'
import type { Config } from '../../src/config.ts'
import type { BotCall } from '../../src/telegram/bot-call.ts'
import type { Priority } from '../../src/queue/keys.ts'
import { composeCalls } from '../../src/telegram/compose.ts'
import { deliveryWindow } from '../../src/routes/delivery.ts'

export const SERVICE_TOKEN = 'bench-service-token-0123456789'
export const ADMIN_TOKEN = 'bench-admin-token-0123456789'
export const BOT_TOKEN = '123456:BENCH-token_abcdef'
/** BullMQ queue name of the peer */
export const BULL_QUEUE = 'telegram'

export function bookingBody (chatId: number | string = 123456789, n = 4821): SendBody {
  return {
    chat_id: chatId,
    text: `<b>Новая бронь #${n}</b>\n<b>Зал:</b> A, циклорама\n<b>Когда:</b> 15 декабря, 10:00–12:00\n<b>Клиент:</b> Иван Петров, +7 999 123-45-67\n<b>Гостей:</b> 4 · <b>Сумма:</b> 5 000 ₽`,
    parse_mode: 'HTML',
    disable_notification: false
  }
}

/**
 * Request bodies with a new chat_id each (the load generator sends a distinct
 * chat per request): the booking body split once around its chat id, so
 * building one costs a string concatenation, not a JSON.stringify.
 */
export function distinctChatBodies (first = 500_000_000): () => string {
  const marker = 987654321
  const [head, tail] = JSON.stringify(bookingBody(marker)).split(String(marker)) as [string, string]
  let next = first
  return () => head + String(next++) + tail
}

/** Private chats, and every tenth one a group (20 msg/min instead of 1/s). */
export function chatFor (i: number, chats: number): number {
  const k = i % chats
  return k % 10 === 9 ? -1001000000000 - k : 300000000 + k
}

/** What the BullMQ peer queues for one request: the fields tg-relay stores. */
export interface PeerJob {
  chatId: number | string
  calls: BotCall[]
  priority: Priority
  expiresAt: number
  attempts: number
}

/** The peer's job for a send body: composed exactly as tg-relay composes it. */
export function peerJob (config: Config, request: SendBody): PeerJob {
  const body = fromSend(request)
  const calls = composeCalls(body)
  const { expiresAt } = deliveryWindow(config, body)
  return { chatId: body.chat_id, calls, priority: body.priority ?? 'normal', expiresAt, attempts: body.attempts ?? config.attempts }
}

/** BullMQ job options matching tg-relay's defaults: attempts, exponential backoff, completed jobs kept as long as sent messages. */
export function bullJobOptions (config: Config, job: PeerJob): JobsOptions {
  return {
    attempts: job.attempts,
    backoff: { type: 'exponential', delay: config.QUEUE_BACKOFF_DELAY },
    removeOnComplete: { age: config.MESSAGE_LOG_RETENTION }
  }
}
