// Schemas shared by several routes.
import { Type, type Static } from '@sinclair/typebox'
import { PRIORITIES } from '../queue/keys.ts'

export const ChatIdSchema = Type.Union([
  Type.Integer({ description: 'user, group or channel id' }),
  Type.String({ pattern: '^(@[A-Za-z][A-Za-z0-9_]{3,31}|-?[0-9]{1,20})$', description: '@channelusername (or an id as a string)' })
], { examples: [123456789, '@studio_news'] })

export const PrioritySchema = Type.Union(PRIORITIES.map(p => Type.Literal(p)), { default: 'normal', description: 'critical > high > normal > low' })

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
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'opaque, returned in status' }))
}

export const AcceptedSchema = Type.Object({
  id: Type.String(),
  status: Type.String({ examples: ['queued'] }),
  priority: PrioritySchema,
  send_at: Type.Optional(Type.String()),
  duplicate: Type.Optional(Type.Boolean({ description: 'true when an idempotency_key matched an earlier message' })),
  parts: Type.Optional(Type.Integer({ description: 'Bot API calls this message is sent as (long text is split)' }))
})
export type Accepted = Static<typeof AcceptedSchema>
