// Turns a request body's delivery options into the queue's internal values,
// once, in the route: times become ms epochs (send_at, expires_at or ttl,
// checked, with a 400 naming the field), defaults come from the config. The
// queue (producer.enqueue) never sees a request body or the config.
import type { Config } from '../config.ts'
import type { Accepted } from '../schemas/common.ts'
import { InputError } from '../input-error.ts'
import type { Priority } from '../queue/keys.ts'
import type { MessageBackoff, NewMessage } from '../queue/message.ts'
import type { Producer } from '../queue/producer.ts'

/** The delivery fields of a send's body (schemas/common.ts DeliveryOptions). */
export interface DeliveryInput {
  priority?: Priority
  send_at?: string
  expires_at?: string
  ttl?: number
  attempts?: number
  idempotency_key?: string
  metadata?: Record<string, unknown>
  /** a message's own backoff and per-attempt timeout (schemas/compat/resilient.ts) */
  retryBackoff?: MessageBackoff
  timeoutMs?: number
  callback_url?: string
}

export type DeliveryDefaults = Pick<Config, 'MESSAGE_TTL' | 'attempts' | 'DELIVERY_EVENTS_URL'>

/** A message's delivery options as the queue takes them. */
export type Delivery = Omit<NewMessage, 'chatId' | 'calls'>

/** When a message may go and until when: send_at, expires_at or ttl, checked. */
export function deliveryWindow (defaults: DeliveryDefaults, o: DeliveryInput, now = Date.now()): { sendAt?: number, expiresAt: number } {
  const sendAt = o.send_at === undefined ? undefined : Date.parse(o.send_at)
  const start = Math.max(now, sendAt ?? now)
  if (o.expires_at !== undefined && o.ttl !== undefined) throw InputError.field('body.ttl', 'cannot be given together with expires_at')
  const expiresAt = o.expires_at === undefined ? start + (o.ttl ?? defaults.MESSAGE_TTL) * 1000 : Date.parse(o.expires_at)
  if (expiresAt <= start) throw InputError.field('body.expires_at', sendAt === undefined ? 'is in the past' : 'is not after send_at')
  return { ...(sendAt !== undefined && sendAt > now ? { sendAt } : {}), expiresAt }
}

/** Every delivery option resolved: window in ms, priority and attempts defaulted. */
export function resolveDelivery (defaults: DeliveryDefaults, o: DeliveryInput, fallbackPriority: Priority = 'normal', now = Date.now()): Delivery {
  return {
    priority: o.priority ?? fallbackPriority,
    ...deliveryWindow(defaults, o, now),
    attempts: o.attempts ?? defaults.attempts,
    ...(o.idempotency_key !== undefined ? { idempotencyKey: o.idempotency_key } : {}),
    ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
    ...(o.retryBackoff !== undefined ? { backoff: o.retryBackoff } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...eventDestinations(defaults, o.callback_url)
  }
}

/** Where a message's delivery events go; nothing stored (and nothing to do on its way) when nowhere. */
export function eventDestinations (defaults: Pick<DeliveryDefaults, 'DELIVERY_EVENTS_URL'>, callbackUrl: string | undefined): Pick<Delivery, 'events'> {
  const globalUrl = defaults.DELIVERY_EVENTS_URL
  if (callbackUrl === undefined && globalUrl === undefined) return {}
  return { events: { ...(callbackUrl !== undefined ? { callbackUrl } : {}), ...(globalUrl !== undefined ? { globalUrl } : {}) } }
}

/** Queues one message and answers with the 202 body every send route shares. */
export async function acceptMessage (producer: Producer, message: NewMessage): Promise<Accepted> {
  const r = await producer.enqueue(message)
  return {
    id: r.id,
    status: r.status,
    priority: message.priority,
    ...(message.sendAt !== undefined ? { send_at: new Date(message.sendAt).toISOString() } : {}),
    ...(r.duplicate ? { duplicate: true } : {}),
    parts: message.calls.length
  }
}
