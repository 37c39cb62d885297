// Broadcasts: one message (text, media by URL/file_id, or a template) to many
// chats. Recipients are checked one by one in code (src/broadcasts/recipients.ts)
// so a bad one is named `body.recipients[123]` and the check stays linear.
import { Type, type Static } from '@sinclair/typebox'
import { ChatIdSchema, DeliveryOptions, PriorityNameSchema, PrioritySchema } from './common.ts'
import { LanguageSchema } from './booking.ts'
import { SendBodySchema } from './send.ts'
import { TemplateNameSchema } from './templates.ts'

export const MAX_RECIPIENTS = 100_000

const TemplateData = Type.Object({}, { additionalProperties: true, description: 'the template\'s variables' })

/** A recipient with its own template data (merged over `data`) and language; a plain chat id is a recipient too. */
export const RecipientObjectSchema = Type.Object({
  chat_id: ChatIdSchema,
  data: Type.Optional(TemplateData),
  language: Type.Optional(LanguageSchema)
}, { additionalProperties: false })
export const RecipientSchema = Type.Union([ChatIdSchema, RecipientObjectSchema])
export type RecipientInput = Static<typeof RecipientSchema>

const S = SendBodySchema.properties

export const BroadcastBodySchema = Type.Object({
  recipients: Type.Array(Type.Unknown(), {
    minItems: 1,
    maxItems: MAX_RECIPIENTS,
    description: 'chat ids (integer or @channelusername), or {chat_id, data?, language?} for per-recipient template data; a chat listed twice gets the message once (the first entry wins)'
  }),
  text: S.text,
  photo: S.photo,
  document: S.document,
  voice: S.voice,
  caption: S.caption,
  parse_mode: S.parse_mode,
  disable_notification: S.disable_notification,
  protect_content: S.protect_content,
  allow_paid_broadcast: S.allow_paid_broadcast,
  link_preview_options: S.link_preview_options,
  reply_markup: S.reply_markup,
  template: Type.Optional(TemplateNameSchema),
  language: Type.Optional(LanguageSchema),
  data: Type.Optional(TemplateData),
  ...DeliveryOptions,
  priority: Type.Optional(Type.Union(PrioritySchema.anyOf, { default: 'low', description: 'default low: single notifications (normal and above) always go first' })),
  idempotency_key: Type.Optional(Type.String({
    minLength: 1,
    maxLength: 200,
    pattern: '^[\\x21-\\x7e]+$',
    description: 'same key within 24 h: the first broadcast\'s id; a request that failed midway is resumed, no recipient gets it twice'
  }))
}, {
  additionalProperties: false,
  description: 'one of text, photo, document, voice (with caption) or template',
  examples: [
    { recipients: [111111111, 222222222, '@studio_news'], text: '<b>Studio closed</b> on 1 January', parse_mode: 'HTML' },
    {
      template: 'system_notification',
      language: 'ru',
      data: { title: 'Studio news', message: 'New backdrops are in.' },
      recipients: [111111111, { chat_id: 222222222, language: 'en', data: { message: 'New backdrops are in!' } }]
    }
  ]
})
export type BroadcastBody = Static<typeof BroadcastBodySchema>

export const BroadcastAcceptedSchema = Type.Object({
  id: Type.String(),
  status: Type.String({ examples: ['queued', 'scheduled'] }),
  recipients: Type.Integer({ description: 'distinct chats the message is queued for' }),
  duplicates: Type.Integer({ description: 'recipients dropped because their chat was listed before' }),
  priority: PriorityNameSchema,
  send_at: Type.Optional(Type.String()),
  duplicate: Type.Optional(Type.Boolean({ description: 'true when idempotency_key matched an earlier broadcast' }))
})
export type BroadcastAccepted = Static<typeof BroadcastAcceptedSchema>

export const RECIPIENT_STATUSES = ['pending', 'sent', 'blocked', 'failed', 'expired', 'cancelled', 'unknown'] as const

export const RecipientResultSchema = Type.Object({
  chat_id: Type.Union([Type.Integer(), Type.String()]),
  message_id: Type.String({ description: 'the queued message: GET /api/telegram/messages/:id' }),
  status: Type.Union(RECIPIENT_STATUSES.map(s => Type.Literal(s))),
  state: Type.String({ description: 'the message\'s own state (queued, active, retrying, sent, dead…; gone: past MESSAGE_LOG_RETENTION)' }),
  message_ids: Type.Array(Type.Integer(), { description: 'Telegram message_id of each part delivered' }),
  error: Type.Optional(Type.String({ description: 'why it was not delivered' }))
})

export const BroadcastStatusSchema = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'queuing, scheduled, in_progress, completed or cancelled' }),
  created_at: Type.String(),
  priority: PriorityNameSchema,
  send_at: Type.Optional(Type.String()),
  expires_at: Type.String(),
  content: Type.Unknown({ description: 'what is sent: kind, and the text (shortened), media or template' }),
  metadata: Type.Optional(Type.Unknown()),
  recipients: Type.Integer(),
  duplicates: Type.Integer(),
  pending: Type.Integer({ description: 'recipients not finished yet' }),
  sent: Type.Integer(),
  failed: Type.Integer({ description: 'no attempts left' }),
  dead: Type.Integer({ description: 'refused by Telegram (blocked included)' }),
  blocked: Type.Integer({ description: 'chats that blocked the bot (counted in dead too)' }),
  expired: Type.Integer(),
  cancelled: Type.Integer(),
  successful_deliveries: Type.Integer(),
  delivery_rate: Type.Number({ description: 'sent / finished (cancelled ones left out); 0 before anything finished' }),
  results: Type.Array(RecipientResultSchema, { description: 'per-recipient status, in recipient order, one page' }),
  next_cursor: Type.Optional(Type.String())
})
export type BroadcastStatus = Static<typeof BroadcastStatusSchema>

export const BroadcastQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 0, maximum: 1000, default: 100, description: 'recipients per page (0: totals only)' }),
  cursor: Type.Optional(Type.String({ pattern: '^\\d{1,7}$', description: 'next_cursor of the previous page' }))
}, { additionalProperties: false })

export const BroadcastCancelledSchema = Type.Object({
  id: Type.String(),
  status: Type.Literal('cancelled'),
  cancelled: Type.Integer({ description: 'messages cancelled now' }),
  not_cancelled: Type.Integer({ description: 'already sent, in flight or finished' })
})

export const BroadcastParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) })

export const BROADCAST_STATES = ['queuing', 'interrupted', 'scheduled', 'in_progress', 'completed', 'cancelled'] as const

export const BroadcastListQuerySchema = Type.Object({
  status: Type.Optional(Type.Union(BROADCAST_STATES.map(s => Type.Literal(s)), { description: 'only broadcasts in this state' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'broadcasts per page' }),
  cursor: Type.Optional(Type.String({ pattern: '^\\d{1,15}\\.[A-Za-z0-9_-]{1,64}$', description: 'next_cursor of the previous page' }))
}, { additionalProperties: false })

export const BroadcastSummarySchema = Type.Object({
  id: Type.String(),
  created_at: Type.String(),
  send_at: Type.Optional(Type.String()),
  status: Type.String({ description: 'queuing, interrupted, scheduled, in_progress, completed or cancelled' }),
  recipients: Type.Integer(),
  successful_deliveries: Type.Integer(),
  failed: Type.Integer({ description: 'not delivered: no attempts left, refused (blocked included) or expired' }),
  pending: Type.Integer(),
  preview: Type.String({ description: 'the start of the text (or caption, media kind, template name)' })
})
export type BroadcastSummary = Static<typeof BroadcastSummarySchema>

export const BroadcastListSchema = Type.Object({
  broadcasts: Type.Array(BroadcastSummarySchema, { description: 'newest first' }),
  next_cursor: Type.Optional(Type.String())
})
