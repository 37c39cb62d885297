// Message status, the message log, and cancelling a queued message.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { MessageListQuerySchema, MessageListSchema, MessageSchema } from '../schemas/message.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { ParamsId } from './send.ts'

const denied = { 401: ErrorSchema, 403: ErrorSchema }

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const notFound = (id: string) => ({ error: 'Not Found', message: `no message ${id} (unknown, or older than MESSAGE_LOG_RETENTION)` })

  app.get('/api/telegram/messages/:id', {
    onRequest: app.auth.sender,
    schema: { tags: ['messages'], operationId: 'getMessage', summary: 'State of one message', security: [{ bearer: [] }], params: ParamsId, response: { 200: MessageSchema, 404: ErrorSchema, ...denied } }
  }, async (request, reply) => {
    const view = await app.queue.messages.get(request.params.id)
    return view ?? reply.code(404).send(notFound(request.params.id))
  })

  app.get('/api/telegram/messages', {
    onRequest: app.auth.sender,
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

  app.delete('/api/telegram/messages/:id', {
    onRequest: app.auth.sender,
    schema: {
      tags: ['messages'],
      operationId: 'cancelMessage',
      summary: 'Cancel a queued or scheduled message',
      security: [{ bearer: [] }],
      params: ParamsId,
      response: { 200: Type.Object({ id: Type.String(), status: Type.Literal('cancelled') }), 404: ErrorSchema, 409: ErrorSchema, ...denied }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const result = await app.queue.producer.cancel(id)
    if (result === 'ok') return { id, status: 'cancelled' as const }
    if (result === 'missing') return reply.code(404).send(notFound(id))
    return reply.code(409).send({ error: 'Conflict', message: `message ${id} is ${result}; only queued, scheduled or retrying messages can be cancelled` })
  })
}
export default routes
