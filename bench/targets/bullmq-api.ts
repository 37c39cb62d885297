// The peer: tg-relay's route, storing the message with BullMQ's Queue.add
// (attempts and exponential backoff as tg-relay's defaults, completed jobs
// kept as long as tg-relay keeps sent messages). ROLE=all also runs the
// BullMQ worker in this process, as tg-relay's default deployment does.
import { Queue } from 'bullmq'
import { buildPeerApp, peerConfig, serve } from './peer-app.ts'
import { startBullWorker } from './bullmq-delivery.ts'
import { BULL_QUEUE, bullJobOptions, type PeerJob } from '../lib/payload.ts'

const config = peerConfig()
if (!config.REDIS_URL) throw new Error('REDIS_URL is required')
const { hostname, port } = new URL(config.REDIS_URL)
const queue = new Queue<PeerJob>(BULL_QUEUE, { connection: { host: hostname, port: Number(port) } })
await queue.waitUntilReady()
const worker = config.ROLE === 'all' ? await startBullWorker(config) : undefined
const app = await buildPeerApp(config, async job => {
  const added = await queue.add(job.calls[0]?.method ?? 'send', job, bullJobOptions(config, job))
  return added.id ?? ''
})
await serve(app, async () => {
  await worker?.close()
  await queue.close()
})
