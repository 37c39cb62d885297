// Liveness (the process answers) and readiness (Redis answers and is not loading).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'

const Health = Type.Object({ status: Type.String(), redis: Type.Optional(Type.String()) })
/** The probes have no 4xx of their own: only Node's, before any route runs. */
const Unreadable = Type.Null({ description: 'Node refused the request before routing: 400 (malformed request) or 431 (headers too large); no body' })
const schema = { tags: ['health'], security: [] }

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health/live', {
    schema: { ...schema, operationId: 'healthLive', summary: 'Liveness: the process answers', response: { 200: Health, '4xx': Unreadable } }
  }, async () => ({ status: 'ok' }))

  app.get('/health/ready', {
    schema: { ...schema, operationId: 'healthReady', summary: 'Readiness: Redis reachable and not loading (503 otherwise)', response: { 200: Health, 503: Health, '4xx': Unreadable } }
  }, async (_request, reply) => {
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
