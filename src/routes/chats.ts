// The chat directory: chats the bot knows, which are blocked and since when, and
// unblocking one by hand (e.g. after the user wrote in another way that they are back).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ChatListQuerySchema, ChatListSchema, ChatParamsSchema, ChatViewSchema, UnblockedSchema } from '../schemas/chat.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { toChatId } from '../telegram/bot-call.ts'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 503: ErrorSchema }

  app.get('/api/telegram/chats', {
    schema: {
      tags: ['chats'],
      operationId: 'listChats',
      summary: 'Chats the bot knows (registered with /start, or blocked), newest first',
      security: [{ bearer: [] }],
      querystring: ChatListQuerySchema,
      response: { 200: ChatListSchema, ...errors }
    }
  }, async (request) => {
    const q = request.query
    const page = await app.bot.chats.list({ limit: q.limit, ...(q.blocked !== undefined ? { blocked: q.blocked } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) })
    return { chats: page.chats, ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) }
  })

  app.get('/api/telegram/chats/:id', {
    schema: {
      tags: ['chats'],
      operationId: 'getChat',
      summary: 'One chat: who registered it, whether it is blocked and since when, where it migrated',
      security: [{ bearer: [] }],
      params: ChatParamsSchema,
      response: { 200: ChatViewSchema, 404: ErrorSchema, ...errors }
    }
  }, async (request, reply) => {
    const view = await app.bot.chats.get(toChatId(request.params.id))
    return view ?? reply.code(404).send({ error: 'Not Found', message: `chat ${request.params.id} is unknown: never registered, blocked or migrated` })
  })

  app.delete('/api/telegram/chats/:id/block', {
    schema: {
      tags: ['chats'],
      operationId: 'unblockChat',
      summary: 'Unblock a chat: messages to it are sent again',
      security: [{ bearer: [] }],
      params: ChatParamsSchema,
      response: { 200: UnblockedSchema, ...errors }
    }
  }, async (request) => {
    const chatId = toChatId(request.params.id)
    const wasBlocked = await app.bot.chats.unblock(chatId)
    if (wasBlocked) request.log.info({ chat: chatId }, 'chat unblocked by hand')
    return { chat_id: chatId, blocked: false as const, was_blocked: wasBlocked }
  })
}
export default routes
