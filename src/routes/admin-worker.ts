// Pause and resume delivery for every worker at once: the flag lives in Redis
// (keys.paused), and claim.lua claims nothing while it is set. Sends already
// in flight finish. Resuming also pushes to the wake list so idle workers,
// blocked on it, claim at once instead of after their poll timeout.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../schemas/common.ts'
import { WorkerPauseSchema } from '../schemas/admin.ts'
import { guardRedis } from '../queue/errors.ts'

const denied = { 401: ErrorSchema, 403: ErrorSchema, 503: ErrorSchema }
/** the wake list is trimmed to this, as enqueue and requeue do */
const WAKE_MAX = 64

interface PauseRecord { by?: string, at?: number }

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { redis } = app
  const keys = app.queue.keys

  app.post('/api/telegram/worker/stop', {
    schema: { tags: ['admin'], operationId: 'stopWorkers', summary: 'Pause delivery on every worker (in-flight sends finish)', security: [{ bearer: [] }], response: { 200: WorkerPauseSchema, ...denied } }
  }, async (request) => {
    const record = { by: `admin from ${request.ip}`, at: Date.now() }
    // NX: pausing twice keeps the first pause's time and author
    await guardRedis(() => redis.set(keys.paused, JSON.stringify(record), 'NX'))
    const current = await guardRedis(() => redis.get(keys.paused))
    let shown: PauseRecord = record
    try { shown = JSON.parse(current ?? '') as PauseRecord } catch { /* a flag set by hand */ }
    request.log.warn({ by: request.ip }, 'delivery paused by an admin')
    return { paused: true, ...(shown.at ? { since: new Date(shown.at).toISOString() } : {}), ...(shown.by ? { by: shown.by } : {}) }
  })

  app.post('/api/telegram/worker/start', {
    schema: { tags: ['admin'], operationId: 'startWorkers', summary: 'Resume delivery on every worker', security: [{ bearer: [] }], response: { 200: WorkerPauseSchema, ...denied } }
  }, async (request) => {
    const workers = await guardRedis(() => redis.hlen(keys.workers))
    const wakes = Array<string>(Math.min(Math.max(workers, 1), WAKE_MAX)).fill('1')
    await guardRedis(() => redis.multi().del(keys.paused).lpush(keys.wake, ...wakes).ltrim(keys.wake, 0, WAKE_MAX - 1).exec())
    request.log.info({ by: request.ip }, 'delivery resumed by an admin')
    return { paused: false }
  })
}
export default routes
