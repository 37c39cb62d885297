// Templated sends: list and preview templates, send one, and the booking
// notification the booking backend calls. Rendering is src/templates; the
// rendered HTML takes the same path as POST /send (split, queue, 202).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { SyncResultSchema } from '../schemas/send.ts'
import { fromBooking, fromTemplated } from '../schemas/compat/index.ts'
import { sendNow } from './send-now.ts'
import { Type } from '@sinclair/typebox'
import type { Config } from '../config.ts'
import { AcceptedSchema, ErrorSchema } from '../schemas/common.ts'
import { SendTemplatedBodySchema, TemplatePreviewBodySchema, TemplateNameSchema } from '../schemas/templates.ts'
import { BookingNotificationBodySchema } from '../schemas/booking.ts'
import { composeCalls } from '../telegram/compose.ts'
import { acceptMessage, resolveDelivery, type DeliveryInput } from './delivery.ts'
import { InputError } from '../input-error.ts'
import { TemplateError, type Rendered } from '../templates/index.ts'
import { fallbackNote } from '../templates/fallback-note.ts'
import { splitText } from '../telegram/split-text.ts'
import { toChatId } from '../telegram/bot-call.ts'

const RenderedSchema = Type.Object({
  template: Type.String(),
  language: Type.String(),
  requested_language: Type.String(),
  fallback: Type.Boolean({ description: 'true: no file in the requested language, rendered in DEFAULT_LANGUAGE' }),
  text: Type.String(),
  parse_mode: Type.Literal('HTML'),
  parts: Type.Integer({ description: 'messages it will be sent as' }),
  reply_markup: Type.Optional(Type.Unknown())
})

const TemplatedAcceptedSchema = Type.Composite([AcceptedSchema, Type.Object({
  template: Type.String(),
  language: Type.String(),
  fallback: Type.Boolean()
})])

/** An unknown template named in the body is the body's fault: 400, listing what exists. */
function asBodyError (err: unknown): never {
  if (err instanceof TemplateError && err.code === 'UNKNOWN_TEMPLATE') throw new InputError(err.message, [{ field: 'body.template', message: err.message }])
  throw err
}

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema }

  const sent = { 200: SyncResultSchema, 429: ErrorSchema, 502: ErrorSchema }
  /** Queues the rendered message (202), or with queue:false sends it now (200, Telegram's answer). */
  const deliverRendered = async (reply: FastifyReply, r: Rendered, chatId: number | string, body: DeliveryInput & { queue?: boolean }) => {
    const calls = composeCalls({ chat_id: chatId, text: r.text, parse_mode: 'HTML', ...(r.replyMarkup ? { reply_markup: r.replyMarkup as never } : {}) })
    if (body.queue === false || !config.TELEGRAM_ENABLE_QUEUE) return reply.code(200).send(await sendNow(app.telegram.api, calls))
    const note = fallbackNote(r)
    const accepted = await acceptMessage(app.queue.producer, { chatId, calls, ...resolveDelivery(config, body), ...(note ? { note } : {}) })
    return reply.code(202).send({ ...accepted, template: r.template, language: r.language, fallback: r.fallback })
  }

  app.get('/api/telegram/templates', {
    schema: {
      tags: ['templates'],
      operationId: 'listTemplates',
      summary: 'Templates, their languages and variables (JSON Schema)',
      security: [{ bearer: [] }],
      response: {
        200: Type.Object({
          languages: Type.Array(Type.String()),
          default_language: Type.String(),
          templates: Type.Array(Type.Object({ name: Type.String(), description: Type.String(), languages: Type.Array(Type.String()), variables: Type.Unknown() }))
        }),
        401: ErrorSchema,
        403: ErrorSchema
      }
    }
  }, async () => ({
    languages: app.templates.languages,
    default_language: config.DEFAULT_LANGUAGE,
    templates: app.templates.list().map(t => ({ name: t.name, description: t.description, languages: t.languages, variables: t.variables }))
  }))

  app.post('/api/telegram/templates/:name/preview', {
    schema: {
      tags: ['templates'],
      operationId: 'previewTemplate',
      summary: 'Render a template without sending it',
      security: [{ bearer: [] }],
      params: Type.Object({ name: TemplateNameSchema }),
      body: TemplatePreviewBodySchema,
      response: { 200: RenderedSchema, ...errors }
    }
  }, async (request) => {
    const r = app.templates.render(request.params.name, request.body.language, request.body.data)
    return {
      template: r.template,
      language: r.language,
      requested_language: r.requestedLanguage,
      fallback: r.fallback,
      text: r.text,
      parse_mode: r.parseMode,
      parts: splitText(r.text, { parseMode: 'HTML' }).length,
      ...(r.replyMarkup ? { reply_markup: r.replyMarkup } : {})
    }
  })

  app.post('/api/telegram/send-templated', {
    schema: { tags: ['send'], operationId: 'sendTemplated', summary: 'Render a template and queue it', security: [{ bearer: [] }], body: SendTemplatedBodySchema, response: { 202: TemplatedAcceptedSchema, ...sent, ...errors } }
  }, async (request, reply) => {
    const body = fromTemplated(request.body)
    let r: Rendered
    try { r = app.templates.render(body.template, body.language, body.data) } catch (err) { asBodyError(err) }
    return await deliverRendered(reply, r, toChatId(body.chat_id), body)
  })

  app.post('/api/telegram/booking-notification', {
    schema: {
      tags: ['send'],
      operationId: 'bookingNotification',
      summary: 'Notify about a booking event (created, confirmed, cancelled, reminder, updated)',
      description: 'Goes to TELEGRAM_CHAT_ID unless chat_id is given. With buttons:true the message carries Confirm/Cancel buttons whose presses come back through the webhook.',
      security: [{ bearer: [] }],
      body: BookingNotificationBodySchema,
      response: { 202: TemplatedAcceptedSchema, ...sent, ...errors }
    }
  }, async (request, reply) => {
    const body = fromBooking(request.body)
    const chat = body.chat_id ?? config.TELEGRAM_CHAT_ID
    if (chat === undefined) throw InputError.field('body.chat_id', 'is required when TELEGRAM_CHAT_ID is not configured')
    const r = app.templates.renderBooking({
      booking: body.booking,
      event: body.event,
      ...(body.language ? { language: body.language } : {}),
      ...(body.buttons !== undefined ? { buttons: body.buttons } : {}),
      ...(body.previous ? { previous: body.previous } : {})
    })
    return await deliverRendered(reply, r, toChatId(chat), body)
  })
}
export default routes
