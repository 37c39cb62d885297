// The worker of the service a user would write instead of tg-relay: a BullMQ
// Worker that sends each job with undici to the Bot API (the emulator). It
// uses nothing of tg-relay. Run alone it is the peer's ROLE=worker process.
import { Worker, type JobsOptions } from 'bullmq'
import { Pool } from 'undici'
import { fileURLToPath } from 'node:url'

export interface ServiceJob {
  chat_id: number | string
  text: string
  parse_mode?: 'HTML' | 'MarkdownV2'
  disable_notification?: boolean
  allow_paid_broadcast?: boolean
}

export const SERVICE_QUEUE = 'notifications'
/** what the service's Queue.add passes: retries with backoff, finished jobs removed */
export const SERVICE_JOB_OPTIONS: JobsOptions = { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: 10_000 }

export function redisConnection (url: string): { host: string, port: number } {
  const { hostname, port } = new URL(url)
  return { host: hostname, port: Number(port) }
}

export async function startServiceWorker (env: NodeJS.ProcessEnv): Promise<{ close: () => Promise<void> }> {
  const api = new Pool(env.TELEGRAM_API_URL as string, { connections: Number(env.TELEGRAM_CONNECTION_POOL_SIZE ?? 10) })
  const path = `/bot${env.TELEGRAM_BOT_TOKEN}/sendMessage`
  const worker = new Worker<ServiceJob, number>(SERVICE_QUEUE, async job => {
    const res = await api.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(job.data) })
    const answer = await res.body.json() as { ok: boolean, description?: string, result?: { message_id: number } }
    if (!answer.ok) throw new Error(answer.description ?? `HTTP ${res.statusCode}`)
    return answer.result?.message_id ?? 0
  }, {
    connection: { ...redisConnection(env.REDIS_URL as string), maxRetriesPerRequest: null },
    concurrency: Number(env.QUEUE_MAX_CONCURRENT_JOBS ?? 5)
  })
  await worker.waitUntilReady()
  return {
    async close () {
      await worker.close()
      await api.close()
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const worker = await startServiceWorker(process.env)
  process.stdout.write('READY {"url":""}\n')
  process.once('SIGTERM', () => { worker.close().then(() => process.exit(0), () => process.exit(1)) })
}
