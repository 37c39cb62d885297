// GET /api/telegram/queue/stats: the queue in BullMQ's getJobCounts terms,
// where the resilient API's clients read it. They hold the service token, so
// this route is in the service scope (app.ts), apart from the admin metrics.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../schemas/common.ts'
import { JobCountsSchema } from '../schemas/admin.ts'
import { jobCounts } from '../queue/job-counts.ts'
import type { Config } from '../config.ts'

const denied = { 401: ErrorSchema, 403: ErrorSchema, 503: ErrorSchema }

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  app.get('/api/telegram/queue/stats', {
    schema: {
      tags: ['admin'],
      operationId: 'getQueueStats',
      summary: 'Queue counts as BullMQ reports them: waiting, active, completed, failed, delayed, paused',
      security: [{ bearer: [] }],
      response: { 200: JobCountsSchema, ...denied }
    }
  }, async () => await jobCounts(app.redis, app.queue.keys, config.MESSAGE_LOG_RETENTION * 1000))
}
export default routes
