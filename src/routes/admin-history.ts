// GET /api/telegram/queue/history: the last hour of throughput, latency and
// DLQ for the dashboard's charts (src/monitor/history.ts keeps it).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../schemas/common.ts'
import { HistorySeriesSchema } from '../schemas/history.ts'
import { guardRedis } from '../queue/errors.ts'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/telegram/queue/history', {
    schema: {
      tags: ['admin'],
      operationId: 'getQueueHistory',
      summary: 'Throughput, latency and dead letters over the last hour',
      security: [{ bearer: [] }],
      response: { 200: HistorySeriesSchema, 401: ErrorSchema, 403: ErrorSchema, 503: ErrorSchema }
    }
  }, async () => await guardRedis(() => app.monitor.history.read()))
}
export default routes
