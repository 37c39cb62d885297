// Liveness (the process answers) and readiness (Redis answers and is not loading).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'

const Health = Type.Object({ status: Type.String(), redis: Type.Optional(Type.String()) })

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health/live', { schema: { tags: ['health'], response: { 200: Health } } }, async () => ({ status: 'ok' }))

  app.get('/health/ready', { schema: { tags: ['health'], response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    try {
      const info = await app.redis.info('persistence')
      if (/^loading:1/m.test(info)) return reply.code(503).send({ status: 'unavailable', redis: 'loading' })
      return { status: 'ok', redis: 'ok' }
    } catch {
      return reply.code(503).send({ status: 'unavailable', redis: 'unreachable' })
    }
  })
}
export default routes
