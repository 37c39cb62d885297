// POST /api/telegram/send — one message: text, photo, document, voice or
// location, to one chat, queued (default) or sent synchronously (queue:false).
import { Type, type Static } from '@sinclair/typebox'
import { ChatIdSchema, DeliveryOptions } from './common.ts'
import { QueueOption } from './compat/phstudio-fields.ts'

const ParseMode = Type.Union([Type.Literal('HTML'), Type.Literal('MarkdownV2'), Type.Literal('Markdown')])

const InlineButton = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 200 }),
  callback_data: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  url: Type.Optional(Type.String({ pattern: '^(https?|tg)://' }))
}, { additionalProperties: true })

export const ReplyMarkupSchema = Type.Union([
  Type.Object({ inline_keyboard: Type.Array(Type.Array(InlineButton, { maxItems: 8 }), { maxItems: 100 }) }),
  Type.Object({ keyboard: Type.Array(Type.Array(Type.Unknown())) }, { additionalProperties: true }),
  Type.Object({ remove_keyboard: Type.Literal(true) }, { additionalProperties: true }),
  Type.Object({ force_reply: Type.Literal(true) }, { additionalProperties: true })
], { description: 'Bot API reply_markup' })

const MediaRef = (what: string) => Type.String({ minLength: 1, maxLength: 2048, description: `${what}: an http(s) URL Telegram fetches, or a Telegram file_id` })

export const SendBodySchema = Type.Object({
  chat_id: ChatIdSchema,
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 200_000, pattern: '\\S', description: 'over 4096 characters: split into ordered parts; never empty or only whitespace (after HTML)' })),
  photo: Type.Optional(MediaRef('photo')),
  document: Type.Optional(MediaRef('document')),
  voice: Type.Optional(MediaRef('voice')),
  location: Type.Optional(Type.Object({
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 })
  }, { additionalProperties: false })),
  caption: Type.Optional(Type.String({ minLength: 1, maxLength: 50_000, description: 'over 1024: the rest follows as text' })),
  parse_mode: Type.Optional(ParseMode),
  disable_notification: Type.Optional(Type.Boolean()),
  protect_content: Type.Optional(Type.Boolean()),
  allow_paid_broadcast: Type.Optional(Type.Boolean()),
  message_thread_id: Type.Optional(Type.Integer()),
  link_preview_options: Type.Optional(Type.Object({ is_disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: true })),
  reply_markup: Type.Optional(ReplyMarkupSchema),
  ...QueueOption,
  ...DeliveryOptions
}, {
  additionalProperties: false,
  examples: [{ chat_id: 123456789, text: '<b>New booking</b> #42', parse_mode: 'HTML', priority: 'high' }]
})
export type SendBody = Static<typeof SendBodySchema>

export const SyncResultSchema = Type.Object({
  status: Type.Literal('sent'),
  message_ids: Type.Array(Type.Integer()),
  result: Type.Array(Type.Unknown())
})
