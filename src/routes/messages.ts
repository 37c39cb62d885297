// Message status, the message log, changing a message (PATCH) and cancelling or deleting it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { MessageListQuerySchema, MessageListSchema, MessageSchema } from '../schemas/message.ts'
import { ErrorSchema, IdParamsSchema } from '../schemas/common.ts'
import { DeleteResultSchema, EditBodySchema, EditResultSchema } from '../schemas/edit.ts'
import { createMessageEdits } from '../queue/edits.ts'
import type { Config } from '../config.ts'

const denied = { 401: ErrorSchema, 403: ErrorSchema }

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const edits = createMessageEdits({
    redis: app.redis, keys: app.queue.keys, producer: app.queue.producer, ttlMs: config.MESSAGE_TTL * 1000, attempts: config.attempts
  })
  const notFound = (id: string) => ({ error: 'Not Found', message: `no message ${id} (unknown, or older than MESSAGE_LOG_RETENTION)` })

  app.get('/api/telegram/messages/:id', {
    schema: { tags: ['messages'], operationId: 'getMessage', summary: 'State of one message', security: [{ bearer: [] }], params: IdParamsSchema, response: { 200: MessageSchema, 404: ErrorSchema, ...denied } }
  }, async (request, reply) => {
    const view = await app.queue.messages.get(request.params.id)
    return view ?? reply.code(404).send(notFound(request.params.id))
  })

  app.get('/api/telegram/messages', {
    schema: { tags: ['messages'], operationId: 'listMessages', summary: 'The message log, newest first', security: [{ bearer: [] }], querystring: MessageListQuerySchema, response: { 200: MessageListSchema, 400: ErrorSchema, ...denied } }
  }, async (request) => {
    const q = request.query
    const page = await app.queue.messages.list({
      limit: q.limit,
      ...(q.status ? { status: q.status } : {}),
      ...(q.chat_id ? { chatId: q.chat_id } : {}),
      ...(q.cursor ? { cursor: q.cursor } : {})
    })
    return { messages: page.messages, ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) }
  })

  app.patch('/api/telegram/messages/:id', {
    schema: {
      tags: ['messages'],
      operationId: 'editMessage',
      summary: 'Change a message: in place while it waits, in Telegram once it is sent',
      description: 'text, parse_mode, caption, reply_markup. Queued or scheduled: changed in place (200, edit "in-place"). Sent: editMessageText / editMessageCaption / editMessageReplyMarkup queued in its chat\'s order (202, edit "queued", edit_id; message.edited follows). Other states 409.',
      security: [{ bearer: [] }],
      params: IdParamsSchema,
      body: EditBodySchema,
      response: { 200: EditResultSchema, 202: EditResultSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 503: ErrorSchema }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const r = await edits.edit(id, request.body)
    if (r === undefined) return reply.code(404).send(notFound(id))
    return reply.code(r.edit === 'queued' ? 202 : 200).send({ id, status: r.status, edit: r.edit, parts: r.parts, ...(r.editId ? { edit_id: r.editId } : {}) })
  })

  app.delete('/api/telegram/messages/:id', {
    schema: {
      tags: ['messages'],
      operationId: 'cancelMessage',
      summary: 'Cancel a message that has not gone out, or delete a sent one from the chat',
      description: 'Queued, scheduled or retrying: cancelled (200). Sent: deleteMessage for each part is queued in its chat\'s order (202); the status becomes deleted and message.deleted follows. Other states 409.',
      security: [{ bearer: [] }],
      params: IdParamsSchema,
      response: { 200: DeleteResultSchema, 202: DeleteResultSchema, 404: ErrorSchema, 409: ErrorSchema, 503: ErrorSchema, ...denied }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const r = await edits.remove(id)
    if (r === undefined) return reply.code(404).send(notFound(id))
    if (r.status === 'cancelled') return { id, status: 'cancelled' as const }
    return reply.code(202).send({ id, status: 'sent' as const, delete: 'queued' as const, delete_id: r.deleteId })
  })
}
export default routes
