// The peer's worker process (ROLE=worker): BullMQ Worker only. Prints READY.
import { loadConfig } from '../../src/config.ts'
import { startBullWorker } from './bullmq-delivery.ts'

const worker = await startBullWorker(loadConfig(process.env))
process.stdout.write(`READY ${JSON.stringify({ url: '' })}\n`)
process.once('SIGTERM', () => {
  worker.close().then(() => process.exit(0), () => process.exit(1))
})
