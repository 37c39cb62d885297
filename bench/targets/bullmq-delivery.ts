// The peer's delivery: a BullMQ Worker that sends each job's Bot API call with
// tg-relay's own undici client (same pool size) — the same request tg-relay's
// worker makes, at the same concurrency (QUEUE_MAX_CONCURRENT_JOBS).
import { Worker } from 'bullmq'
import type { Config } from '../../src/config.ts'
import { createBotApi } from '../../src/telegram/client.ts'
import { BULL_QUEUE, type PeerJob } from '../lib/payload.ts'

export async function startBullWorker (config: Config): Promise<{ close: () => Promise<void> }> {
  if (!config.REDIS_URL || !config.TELEGRAM_BOT_TOKEN) throw new Error('REDIS_URL and TELEGRAM_BOT_TOKEN are required')
  const { hostname, port } = new URL(config.REDIS_URL)
  const api = createBotApi({
    baseUrl: config.TELEGRAM_API_URL,
    token: config.TELEGRAM_BOT_TOKEN,
    timeoutMs: config.TELEGRAM_API_TIMEOUT * 1000,
    connections: config.TELEGRAM_CONNECTION_POOL_SIZE
  })
  const worker = new Worker<PeerJob, number | undefined>(BULL_QUEUE, async job => {
    const call = job.data.calls[0]
    if (!call) throw new Error('job without a Bot API call')
    const result = await api.call<{ message_id?: number }>(call.method, call.params)
    return result.message_id
  }, { connection: { host: hostname, port: Number(port), maxRetriesPerRequest: null }, concurrency: config.QUEUE_MAX_CONCURRENT_JOBS })
  await worker.waitUntilReady()
  return {
    async close () {
      await worker.close()
      await api.close()
    }
  }
}
