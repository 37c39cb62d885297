// POST /api/telegram/send: validate, compose the Bot API calls, then either
// queue them (202 once Redis has them) or, with queue:false, send now.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { SendBodySchema, SyncResultSchema } from '../schemas/send.ts'
import { AcceptedSchema, ErrorSchema } from '../schemas/common.ts'
import { composeCalls } from '../telegram/compose.ts'
import { acceptMessage } from '../queue/accept.ts'
import { BotApiError } from '../telegram/client.ts'
import { classifyError } from '../telegram/classify-error.ts'
import type { Config } from '../config.ts'

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  app.post('/api/telegram/send', {
    onRequest: app.auth.sender,
    schema: {
      tags: ['send'],
      summary: 'Send one message (queued by default)',
      security: [{ bearer: [] }],
      body: SendBodySchema,
      response: { 200: SyncResultSchema, 202: AcceptedSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 502: ErrorSchema, 503: ErrorSchema }
    }
  }, async (request, reply) => {
    const body = request.body
    const calls = composeCalls(body)
    if (body.queue === false || !config.TELEGRAM_ENABLE_QUEUE) {
      const results: unknown[] = []
      try {
        for (const call of calls) results.push(await app.telegram.api.call(call.method, call.params))
      } catch (err) {
        const v = classifyError(err)
        const refused = err instanceof BotApiError && err.errorCode >= 400 && err.errorCode < 500
        return reply.code(refused ? 400 : 502).send({ error: refused ? 'Telegram refused the message' : 'Telegram unreachable', message: v.reason })
      }
      const ids = results.map(r => (r as { message_id?: number })?.message_id).filter((x): x is number => typeof x === 'number')
      return reply.code(200).send({ status: 'sent' as const, message_ids: ids, result: results })
    }
    return reply.code(202).send(await acceptMessage(app.queue.producer, config, body.chat_id, calls, body))
  })
}
export default routes

export const ParamsId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) })
