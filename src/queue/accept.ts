// The one way a route turns Bot API calls plus delivery options into a queued
// message (send, templates, bookings, broadcasts all come through here), so
// defaults, time checks and the 202 body are the same everywhere.
import type { Config } from '../config.ts'
import type { Accepted } from '../schemas/common.ts'
import { InputError } from '../input-error.ts'
import type { Priority } from './keys.ts'
import type { BotCall, NewMessage } from './message.ts'
import type { Producer } from './producer.ts'

export interface DeliveryInput {
  priority?: Priority
  send_at?: string
  expires_at?: string
  ttl?: number
  attempts?: number
  idempotency_key?: string
  metadata?: Record<string, unknown>
  note?: string
}

/** When a message may go and until when: send_at, expires_at or ttl, checked. */
export function deliveryWindow (config: Config, o: DeliveryInput, now = Date.now()): { sendAt?: number, expiresAt: number } {
  const sendAt = o.send_at === undefined ? undefined : Date.parse(o.send_at)
  const start = Math.max(now, sendAt ?? now)
  if (o.expires_at !== undefined && o.ttl !== undefined) throw InputError.field('body.ttl', 'cannot be given together with expires_at')
  const expiresAt = o.expires_at === undefined ? start + (o.ttl ?? config.MESSAGE_TTL) * 1000 : Date.parse(o.expires_at)
  if (expiresAt <= start) throw InputError.field('body.expires_at', sendAt === undefined ? 'is in the past' : 'is not after send_at')
  return { ...(sendAt !== undefined && sendAt > now ? { sendAt } : {}), expiresAt }
}

export async function acceptMessage (
  producer: Producer,
  config: Config,
  chatId: number | string,
  calls: BotCall[],
  o: DeliveryInput,
  extra: Pick<NewMessage, 'files' | 'broadcastId' | 'idempotencyTtlMs'> = {}
): Promise<Accepted> {
  const { sendAt, expiresAt } = deliveryWindow(config, o)
  const priority = o.priority ?? 'normal'
  const r = await producer.enqueue({
    chatId,
    calls,
    priority,
    ...(sendAt !== undefined ? { sendAt } : {}),
    expiresAt,
    ...(extra.files ? { files: extra.files } : {}),
    ...(extra.broadcastId !== undefined ? { broadcastId: extra.broadcastId } : {}),
    ...(extra.idempotencyTtlMs !== undefined ? { idempotencyTtlMs: extra.idempotencyTtlMs } : {}),
    attempts: o.attempts ?? config.attempts,
    ...(o.idempotency_key !== undefined ? { idempotencyKey: o.idempotency_key } : {}),
    ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
    ...(o.note !== undefined ? { note: o.note } : {})
  })
  return {
    id: r.id,
    status: r.status,
    priority,
    ...(sendAt !== undefined ? { send_at: new Date(sendAt).toISOString() } : {}),
    ...(r.duplicate ? { duplicate: true } : {}),
    parts: calls.length
  }
}
