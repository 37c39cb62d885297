// The dead-letter queue over HTTP (ADMIN_TOKEN): list, requeue one or many,
// delete one, clear. `:id` is a message id; a number is still accepted as an
// index into the newest-first listing for old clients, though an index can
// shift under concurrent changes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ErrorSchema } from '../schemas/common.ts'
import {
  ClearedSchema, DeletedSchema, DlqIdParams, DlqPageSchema, DlqQuerySchema,
  RequeueAllBodySchema, RequeueAllSchema, RequeuedSchema
} from '../schemas/admin.ts'
import { createDlq } from '../queue/dlq.ts'
import type { Config } from '../config.ts'

const denied = { 401: ErrorSchema, 403: ErrorSchema, 503: ErrorSchema }
const security = [{ bearer: [] }]
const tags = ['dlq']

/** who asked, for the message's history */
const who = (request: FastifyRequest) => `admin from ${request.ip}`

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const dlq = createDlq({ redis: app.redis, keys: app.queue.keys, ttlMs: config.MESSAGE_TTL * 1000, replicas: app.queue.replicas })
  const notFound = (id: string) => ({ error: 'Not Found', message: `no message ${id} in the dead-letter queue` })

  app.get('/api/telegram/queue/dlq', {
    schema: { tags, operationId: 'listDeadLetters', summary: 'Dead-letter queue, newest first', security, querystring: DlqQuerySchema, response: { 200: DlqPageSchema, 400: ErrorSchema, ...denied } }
  }, async (request) => {
    const page = await dlq.list({ limit: request.query.limit, ...(request.query.cursor ? { cursor: request.query.cursor } : {}) })
    return { total: page.total, entries: page.entries, ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) }
  })

  app.post('/api/telegram/queue/dlq/requeue/:id', {
    schema: {
      tags,
      operationId: 'requeueDeadLetter',
      summary: 'Requeue one message: fresh attempts and expiry, same priority',
      security,
      params: DlqIdParams,
      response: { 200: RequeuedSchema, 404: ErrorSchema, ...denied }
    }
  }, async (request, reply) => {
    const id = await dlq.resolve(request.params.id)
    if (id === undefined || await dlq.requeue(id, who(request)) === 'missing') return reply.code(404).send(notFound(request.params.id))
    request.log.info({ id, by: request.ip }, 'dead letter requeued')
    return { id, status: 'queued' as const }
  })

  app.post('/api/telegram/queue/dlq/requeue', {
    // no body at all means "requeue everything", like {}
    preValidation: async (request) => { request.body ??= {} },
    schema: {
      tags,
      operationId: 'requeueDeadLetters',
      summary: 'Requeue every dead letter, or those whose last error contains error_contains',
      security,
      body: RequeueAllBodySchema,
      response: { 200: RequeueAllSchema, 400: ErrorSchema, ...denied }
    }
  }, async (request) => {
    const errorContains = request.body.error_contains
    const result = await dlq.requeueAll({ who: who(request), ...(errorContains ? { errorContains } : {}) })
    request.log.info({ ...result, errorContains, by: request.ip }, 'dead letters requeued')
    return result
  })

  app.delete('/api/telegram/queue/dlq/:id', {
    schema: { tags, operationId: 'deleteDeadLetter', summary: 'Delete one dead letter for good', security, params: DlqIdParams, response: { 200: DeletedSchema, 404: ErrorSchema, ...denied } }
  }, async (request, reply) => {
    const id = await dlq.resolve(request.params.id)
    if (id === undefined || !await dlq.remove(id)) return reply.code(404).send(notFound(request.params.id))
    request.log.info({ id, by: request.ip }, 'dead letter deleted')
    return { id, deleted: true as const }
  })

  app.delete('/api/telegram/queue/dlq', {
    schema: { tags, operationId: 'clearDeadLetters', summary: 'Delete every dead letter', security, response: { 200: ClearedSchema, ...denied } }
  }, async (request) => {
    const deleted = await dlq.clear()
    request.log.info({ deleted, by: request.ip }, 'dead-letter queue cleared')
    return { deleted }
  })
}
export default routes
