// What a queued message is: one or more Bot API calls to one chat, sent in
// order, plus delivery options. The Redis hash layout (short field names keep
// memory per message small) is described next to toHash().
import type { Priority } from './keys.ts'
import { PRIORITIES } from './keys.ts'
import type { BotCall } from '../telegram/bot-call.ts'

/** A message's own retry backoff (the resilient API's BullMQ option); absent: the configured one. */
export interface MessageBackoff {
  type: 'exponential' | 'fixed'
  delayMs: number
}

export interface NewMessage {
  chatId: number | string
  calls: BotCall[]
  priority: Priority
  /** ms epoch; absent or past: now */
  sendAt?: number
  /** ms epoch */
  expiresAt: number
  attempts: number
  idempotencyKey?: string
  metadata?: unknown
  /** something the sender should know, shown in the status (e.g. a template language fallback) */
  note?: string
  /** how long idempotencyKey deduplicates; default 24 h */
  idempotencyTtlMs?: number
  /** the broadcast this message belongs to: the scripts count its outcome in {prefix}:b:<id> */
  broadcastId?: string
  /** uploaded files (keys.file ids) its calls refer to; deleted once it is delivered */
  files?: string[]
  backoff?: MessageBackoff
  /** ms one attempt may take; absent: TELEGRAM_API_TIMEOUT */
  timeoutMs?: number
  /** where its delivery events go (lua/includes/events.lua): the sender's callback_url, DELIVERY_EVENTS_URL */
  events?: { callbackUrl?: string, globalUrl?: string }
  /** an edit or delete job: Bot API calls that change message `of`, already sent (src/queue/edits.ts) */
  job?: { of: string, op: 'edit' | 'delete' }
}

/** In a queued call's params: "send the uploaded file stored under keys.file(upload)". */
export interface UploadRef {
  upload: string
  filename: string
  content_type: string
}

export function isUploadRef (v: unknown): v is UploadRef {
  return typeof v === 'object' && v !== null && typeof (v as UploadRef).upload === 'string'
}

export const STATUSES = ['queued', 'scheduled', 'active', 'retrying', 'sent', 'failed', 'dead', 'expired', 'cancelled', 'deleted'] as const
export type MessageStatus = typeof STATUSES[number]

/**
 * Message hash fields: s status, c chat, pr priority rank, sq per-queue
 * sequence (per-chat order), p calls JSON, n number of calls (absent: 1), i next call,
 * r delivered Telegram message_ids, a attempts spent, ma attempts allowed,
 * le lease expiries, t created, sa send_at, x expires, u updated, d delivered,
 * e last error, h history (JSON lines), md metadata JSON, ik idempotency key,
 * nt a note for the sender, b the broadcast it belongs to, f uploaded file ids,
 * q when it was requeued from the DLQ, bo its own backoff ("e:<ms>"
 * exponential, "f:<ms>" fixed), to its own per-attempt timeout in ms,
 * pb 1 when it goes with allow_paid_broadcast (claim.lua takes it from the
 * paid rate instead of the bot's global one).
 * Messages stored before bo/to existed simply lack them: the configured
 * backoff and timeout apply. cb / eg: where its delivery events go
 * (callback_url, DELIVERY_EVENTS_URL; absent: none), of / op the message an
 * edit or delete job is for and which. A record without cb, eg, of (the
 * previous release's) delivers as before and reports no events. The scripts
 * add bk to every dead letter: 1 when its chat blocked the bot, else 0 (older
 * dead letters have none: the broadcast status falls back to their reason).
 */
export function toHash (m: NewMessage, chat: string, now: number): Array<string | number> {
  const fields: Array<string | number> = [
    'c', chat,
    'pr', PRIORITIES.indexOf(m.priority),
    'p', JSON.stringify(m.calls),
    'ma', m.attempts,
    't', now,
    'x', m.expiresAt
  ]
  // every reader takes a missing n as 1, the common case
  if (m.calls.length !== 1) fields.push('n', m.calls.length)
  if (m.sendAt !== undefined && m.sendAt > now) fields.push('sa', m.sendAt)
  if (m.metadata !== undefined) fields.push('md', JSON.stringify(m.metadata))
  if (m.idempotencyKey !== undefined) fields.push('ik', m.idempotencyKey)
  if (m.note !== undefined) fields.push('nt', m.note)
  if (m.broadcastId !== undefined) fields.push('b', m.broadcastId)
  if (m.files !== undefined && m.files.length > 0) fields.push('f', m.files.join(','))
  if (m.backoff !== undefined) fields.push('bo', `${m.backoff.type === 'fixed' ? 'f' : 'e'}:${m.backoff.delayMs}`)
  if (m.timeoutMs !== undefined) fields.push('to', m.timeoutMs)
  if (m.calls.some(c => c.params.allow_paid_broadcast === true)) fields.push('pb', 1)
  if (m.events?.callbackUrl !== undefined) fields.push('cb', m.events.callbackUrl)
  if (m.events?.globalUrl !== undefined) fields.push('eg', m.events.globalUrl)
  if (m.job !== undefined) fields.push('of', m.job.of, 'op', m.job.op)
  return fields
}

/**
 * How long a record that belongs to a message (its uploads, its broadcast,
 * its channel operation) must live: until the message could have expired,
 * plus the retention of finished messages.
 */
export function retentionTtlMs (expiresAt: number, retentionMs: number, now = Date.now()): number {
  return Math.max(expiresAt - now, 0) + retentionMs
}
