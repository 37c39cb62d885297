// Broadcasts: one message to many chats. POST checks everything (content,
// every recipient, every recipient's template data, times) before it queues
// anything, then answers 202 once every recipient is in Redis.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Config } from '../config.ts'
import { broadcastContent } from '../broadcasts/content.ts'
import { cancelBroadcast } from '../broadcasts/cancel.ts'
import { createBroadcast, prepareRecipients } from '../broadcasts/create.ts'
import type { BroadcastDeps } from '../broadcasts/deps.ts'
import { parseRecipients } from '../broadcasts/recipients.ts'
import { readBroadcast } from '../broadcasts/status.ts'
import { resolveDelivery } from './delivery.ts'
import {
  BroadcastAcceptedSchema, BroadcastBodySchema, BroadcastCancelledSchema, BroadcastListQuerySchema, BroadcastListSchema, BroadcastParamsSchema,
  BroadcastQuerySchema, BroadcastStatusSchema
} from '../schemas/broadcast.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { fromBroadcast } from '../schemas/compat/index.ts'
import { listBroadcasts } from '../broadcasts/list.ts'

/** 100,000 recipients as {chat_id, language} objects are about 4 MB of JSON; leave room for per-recipient data. */
const BROADCAST_BODY_LIMIT = 8 * 1024 * 1024

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const deps: BroadcastDeps = { redis: app.redis, keys: app.queue.keys, producer: app.queue.bulkProducer, replicas: app.queue.replicas, retentionMs: app.queue.retentionMs }
  const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema }
  const notFound = (id: string) => ({ error: 'Not Found', message: `no broadcast ${id} (unknown, or older than MESSAGE_LOG_RETENTION)` })

  app.post('/api/telegram/broadcasts', {
    bodyLimit: Math.max(config.BODY_LIMIT, BROADCAST_BODY_LIMIT),
    schema: {
      tags: ['broadcasts'],
      operationId: 'createBroadcast',
      summary: 'Send one message (text, media or template) to up to 100,000 chats',
      description: 'Priority defaults to low, so single notifications are never held up by a broadcast. A bad recipient is a 400 naming it (body.recipients[i]); nothing is queued.',
      security: [{ bearer: [] }],
      body: BroadcastBodySchema,
      response: { 202: BroadcastAcceptedSchema, 409: ErrorSchema, 413: ErrorSchema, ...errors }
    }
  }, async (request, reply) => {
    const body = fromBroadcast(request.body)
    const content = broadcastContent(body, app.templates)
    const recipients = parseRecipients(body.recipients, { template: body.template !== undefined })
    const delivery = resolveDelivery(config, body, 'low')
    // every recipient's variant before anything is stored: a template that
    // fails for recipient 123 is a 400 now, not a dead letter later
    const prepared = prepareRecipients(content, recipients)
    const accepted = await createBroadcast(deps, { content, recipients, prepared, ...delivery })
    return reply.code(202).send(accepted)
  })

  app.get('/api/telegram/broadcasts', {
    schema: {
      tags: ['broadcasts'],
      operationId: 'listBroadcasts',
      summary: 'Broadcasts, newest first, with their delivery totals (paged)',
      description: 'Lists broadcasts created since the broadcast index existed, while they are kept (their expiry plus MESSAGE_LOG_RETENTION).',
      security: [{ bearer: [] }],
      querystring: BroadcastListQuerySchema,
      response: { 200: BroadcastListSchema, ...errors }
    }
  }, async (request) => {
    const { status, limit, cursor } = request.query
    const page = await listBroadcasts(deps, { limit, ...(status !== undefined ? { status } : {}), ...(cursor !== undefined ? { cursor } : {}) })
    return { broadcasts: page.broadcasts, ...(page.nextCursor !== undefined ? { next_cursor: page.nextCursor } : {}) }
  })

  app.get('/api/telegram/broadcasts/:id', {
    schema: {
      tags: ['broadcasts'],
      operationId: 'getBroadcast',
      summary: 'Progress, delivery stats and per-recipient status (paged)',
      security: [{ bearer: [] }],
      params: BroadcastParamsSchema,
      querystring: BroadcastQuerySchema,
      response: { 200: BroadcastStatusSchema, ...errors }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const view = await readBroadcast(deps, id, { limit: request.query.limit, cursor: Number(request.query.cursor ?? 0) })
    return view ?? reply.code(404).send(notFound(id))
  })

  app.delete('/api/telegram/broadcasts/:id', {
    schema: {
      tags: ['broadcasts'],
      operationId: 'cancelBroadcast',
      summary: 'Cancel what of a broadcast has not gone out',
      security: [{ bearer: [] }],
      params: BroadcastParamsSchema,
      response: { 200: BroadcastCancelledSchema, ...errors }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const r = await cancelBroadcast(deps, id)
    if (r === undefined) return reply.code(404).send(notFound(id))
    return { id, status: 'cancelled' as const, cancelled: r.cancelled, not_cancelled: r.notCancelled }
  })
}
export default routes
