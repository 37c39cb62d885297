// Schemas shared by several routes.
import { Type, type Static } from '@sinclair/typebox'
import { PRIORITIES } from '../queue/keys.ts'
import { PriorityAnyCaseSchema } from './compat/phstudio-fields.ts'
import { PriorityNumberSchema, ResilientDeliveryOptions } from './compat/resilient.ts'

/** Telegram ids fit in 52 bits; 1e300 is an integer to JSON Schema, not to Telegram. */
export const CHAT_ID_LIMIT = 2 ** 52

export const ChatIdSchema = Type.Union([
  Type.Integer({ minimum: -CHAT_ID_LIMIT, maximum: CHAT_ID_LIMIT, description: 'user, group or channel id (within ±2^52)' }),
  // 16 digits only up to 4499999999999999, just under 2^52
  Type.String({ pattern: '^(@[A-Za-z][A-Za-z0-9_]{3,31}|-?([0-9]{1,15}|[1-3][0-9]{15}|4[0-4][0-9]{14}))$', description: '@channelusername (or an id as a string)' })
], { examples: [123456789, '@studio_news'] })

/** `:id` of a message (or anything else with a generated id) in a path */
export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) })

/** What the API answers with: always a lower-case name. */
export const PriorityNameSchema = Type.Union(PRIORITIES.map(p => Type.Literal(p)), { default: 'normal', description: 'critical > high > normal > low' })

/** What a request may say: a name (any case), or the resilient API's number. */
export const PrioritySchema = Type.Union([...PriorityNameSchema.anyOf, PriorityAnyCaseSchema, PriorityNumberSchema], {
  default: 'normal',
  description: 'critical > high > normal > low; names in any case (HIGH), or 0 = normal, 1 = high, 2 = critical'
})

export const ErrorSchema = Type.Object({
  error: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() })))
})
export type ErrorBody = Static<typeof ErrorSchema>

/** Delivery options every queued send accepts. */
export const DeliveryOptions = {
  priority: Type.Optional(PrioritySchema),
  send_at: Type.Optional(Type.String({ format: 'date-time', description: 'deliver at this time (ISO 8601)' })),
  expires_at: Type.Optional(Type.String({ format: 'date-time', description: 'dead-letter as expired if not delivered by then' })),
  ttl: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86400, description: 'seconds to live (default MESSAGE_TTL, 24 h)' })),
  attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'delivery attempts (default QUEUE_DEFAULT_ATTEMPTS)' })),
  idempotency_key: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'same key within 24 h: the first message id, nothing new queued' })),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'opaque, returned in status' })),
  callback_url: Type.Optional(Type.String({
    pattern: '^https?://[^\\s/?#]+[^\\s]*$',
    maxLength: 2048,
    description: 'http(s) URL that gets this message\'s delivery events (message.sent, message.dead, …), HMAC-signed; for a broadcast, its broadcast.finished'
  })),
  ...ResilientDeliveryOptions
}

export const AcceptedSchema = Type.Object({
  id: Type.String(),
  status: Type.String({ examples: ['queued'] }),
  priority: PriorityNameSchema,
  send_at: Type.Optional(Type.String()),
  duplicate: Type.Optional(Type.Boolean({ description: 'true when an idempotency_key matched an earlier message' })),
  parts: Type.Optional(Type.Integer({ description: 'Bot API calls this message is sent as (long text is split)' }))
})
export type Accepted = Static<typeof AcceptedSchema>
