// Message state as GET /api/telegram/messages/:id returns it.
import { Type, type Static } from '@sinclair/typebox'
import { STATUSES } from '../queue/message.ts'
import { PrioritySchema } from './common.ts'

export const MessageStatusSchema = Type.Union(STATUSES.map(s => Type.Literal(s)))

export const HistoryEntrySchema = Type.Object({ at: Type.String(), event: Type.String(), detail: Type.Optional(Type.String()) })

export const MessageSchema = Type.Object({
  id: Type.String(),
  status: MessageStatusSchema,
  chat_id: Type.Union([Type.Integer(), Type.String()]),
  priority: PrioritySchema,
  attempts: Type.Integer({ description: 'attempts spent' }),
  max_attempts: Type.Integer(),
  parts: Type.Integer({ description: 'Bot API calls this message is sent as' }),
  parts_sent: Type.Integer(),
  message_ids: Type.Array(Type.Integer(), { description: 'Telegram message_id of each part delivered' }),
  last_error: Type.Optional(Type.String()),
  created_at: Type.String(),
  updated_at: Type.Optional(Type.String()),
  send_at: Type.Optional(Type.String()),
  expires_at: Type.String(),
  sent_at: Type.Optional(Type.String()),
  idempotency_key: Type.Optional(Type.String()),
  metadata: Type.Optional(Type.Unknown()),
  note: Type.Optional(Type.String({ description: 'something the sender should know, e.g. a template rendered in the default language' })),
  history: Type.Array(HistoryEntrySchema)
})
export type MessageView = Static<typeof MessageSchema>

export const MessageListQuerySchema = Type.Object({
  status: Type.Optional(MessageStatusSchema),
  chat_id: Type.Optional(Type.String({ pattern: '^(-?\\d+|@\\w+)$' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ pattern: '^\\d+\\.\\d+$' }))
}, { additionalProperties: false })
export type MessageListQuery = Static<typeof MessageListQuerySchema>

export const MessageListSchema = Type.Object({
  messages: Type.Array(MessageSchema),
  next_cursor: Type.Optional(Type.String())
})
