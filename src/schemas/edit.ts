// PATCH /api/telegram/messages/:id — change a message: in place while it waits, in Telegram
// (editMessageText / editMessageCaption / editMessageReplyMarkup) once it is sent.
import { Type, type Static } from '@sinclair/typebox'
import { ReplyMarkupSchema } from './send.ts'

export const EditBodySchema = Type.Object({
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 200_000, description: 'the new text of a text message' })),
  parse_mode: Type.Optional(Type.Union([Type.Literal('HTML'), Type.Literal('MarkdownV2'), Type.Literal('Markdown')])),
  caption: Type.Optional(Type.String({ minLength: 1, maxLength: 50_000, description: 'the new caption of a photo, document or voice message' })),
  reply_markup: Type.Optional(ReplyMarkupSchema)
}, { additionalProperties: false, minProperties: 1, examples: [{ text: '<b>Booking #42</b> moved to Friday 10:00', parse_mode: 'HTML' }] })
export type EditBody = Static<typeof EditBodySchema>

export const EditResultSchema = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'the message\'s state' }),
  edit: Type.Union([Type.Literal('in-place'), Type.Literal('queued'), Type.Literal('unchanged')], {
    description: 'in-place: it had not gone out yet and will go out as changed; queued: the Telegram edit is queued in the chat\'s order (message.edited follows); unchanged: nothing differed'
  }),
  edit_id: Type.Optional(Type.String({ description: 'the queued edit (GET /api/telegram/messages/:edit_id)' })),
  parts: Type.Integer()
})

export const DeleteResultSchema = Type.Union([
  Type.Object({ id: Type.String(), status: Type.Literal('cancelled') }),
  Type.Object({
    id: Type.String(),
    status: Type.Literal('sent'),
    delete: Type.Literal('queued', { description: 'deleteMessage for each part is queued in the chat\'s order; the status becomes deleted (message.deleted follows)' }),
    delete_id: Type.String()
  })
])
