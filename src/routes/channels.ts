// Channel member operations (README "Channel members"). Invite and remove are queued like
// messages (same retry, DLQ and order rules; their status is the message's);
// verify-permissions asks Telegram at once (see channels/permissions.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Config } from '../config.ts'
import { DEDUPE_MS, inviteOperation, recordInviteHalf, removeOperation, type Operation } from '../channels/operations.ts'
import { permissionChecker } from '../channels/permissions.ts'
import { acceptMessage, resolveDelivery, type DeliveryInput } from './delivery.ts'
import { retentionTtlMs } from '../queue/message.ts'
import { guardRedis } from '../queue/errors.ts'
import {
  ChannelParamsSchema, InviteBodySchema, MemberParamsSchema, OperationAcceptedSchema, PermissionsSchema, RemoveBodySchema,
  VerifyPermissionsBodySchema
} from '../schemas/channel.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { fromInvite, fromRemove } from '../schemas/compat/index.ts'
import { toChatId } from '../telegram/bot-call.ts'

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 503: ErrorSchema }
  const permissions = permissionChecker(app.telegram.breaker)

  async function queue (op: Operation, kind: 'invite' | 'remove', body: DeliveryInput) {
    // an operation is never scheduled (no send_at) and dedupes on its own key, not the client's
    const delivery = resolveDelivery(config, {
      ...(body.expires_at !== undefined ? { expires_at: body.expires_at } : {}),
      ...(body.ttl !== undefined ? { ttl: body.ttl } : {}),
      ...(body.attempts !== undefined ? { attempts: body.attempts } : {}),
      ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
      ...(body.retryBackoff !== undefined ? { retryBackoff: body.retryBackoff } : {}),
      ...(body.timeoutMs !== undefined ? { timeoutMs: body.timeoutMs } : {}),
      ...(body.callback_url !== undefined ? { callback_url: body.callback_url } : {})
    }, body.priority ?? 'high')
    const accepted = await acceptMessage(app.queue.producer, {
      chatId: op.chat,
      calls: [op.call],
      ...delivery,
      ...(op.note !== undefined ? { note: op.note } : {}),
      idempotencyKey: op.idempotencyKey,
      idempotencyTtlMs: DEDUPE_MS
    })
    if (op.ref !== undefined && accepted.duplicate !== true) {
      const ttl = retentionTtlMs(delivery.expiresAt, app.queue.retentionMs)
      await guardRedis(() => recordInviteHalf(app.redis, app.queue.keys, op.ref as string, { msg: accepted.id }, ttl))
    }
    return { id: accepted.id, status: accepted.status, operation: kind, priority: accepted.priority, ...(accepted.duplicate ? { duplicate: true } : {}) }
  }

  app.post('/api/telegram/channels/:chat_id/members', {
    schema: {
      tags: ['channels'],
      operationId: 'inviteMember',
      summary: 'Invite a user: a one-use invite link, sent to the user (queued)',
      description: 'createChatInviteLink (member_limit 1, named after the order or subscription), then the link goes to the user. The same invite within 5 minutes returns the first one\'s id. The link shows in the operation\'s status (note).',
      security: [{ bearer: [] }],
      params: ChannelParamsSchema,
      body: InviteBodySchema,
      response: { 202: OperationAcceptedSchema, ...errors }
    }
  }, async (request, reply) => {
    const body = fromInvite(request.body)
    const op = inviteOperation(toChatId(request.params.chat_id), body, config.DEFAULT_LANGUAGE)
    return reply.code(202).send(await queue(op, 'invite', body))
  })

  app.delete('/api/telegram/channels/:chat_id/members/:user_id', {
    schema: {
      tags: ['channels'],
      operationId: 'removeMember',
      summary: 'Remove a user: ban, then unban (queued)',
      description: 'banChatMember then unbanChatMember (only_if_banned): the user is out but may join again with a new link. Applied after any earlier operation for the same channel and user.',
      security: [{ bearer: [] }],
      params: MemberParamsSchema,
      body: RemoveBodySchema,
      response: { 202: OperationAcceptedSchema, ...errors }
    }
  }, async (request, reply) => {
    const body = fromRemove(request.body)
    const op = removeOperation(toChatId(request.params.chat_id), request.params.user_id, body)
    return reply.code(202).send(await queue(op, 'remove', body))
  })

  app.post('/api/telegram/channels/:chat_id/verify-permissions', {
    schema: {
      tags: ['channels'],
      operationId: 'verifyChannelPermissions',
      summary: 'Is the bot an administrator here, allowed to invite and restrict members?',
      security: [{ bearer: [] }],
      params: ChannelParamsSchema,
      body: VerifyPermissionsBodySchema,
      response: { 200: PermissionsSchema, 429: ErrorSchema, 502: ErrorSchema, ...errors }
    }
  }, async (request) => {
    const listing = request.body?.listing_id
    // Telegram's failures are TelegramCallErrors: src/plugins/errors.ts answers them
    return { ...await permissions(toChatId(request.params.chat_id)), ...(listing !== undefined ? { listing_id: listing } : {}) }
  })
}
export default routes
