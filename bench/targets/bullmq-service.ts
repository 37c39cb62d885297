// The service a user would write instead of tg-relay, the bench's main peer:
// a small Fastify app with a small JSON schema and a bearer token, queueing
// with BullMQ Queue.add (attempts and exponential backoff, finished jobs
// removed), and a /broadcasts route queueing every recipient with addBulk.
// ROLE=all runs the BullMQ Worker in the same process. STORE=none: the same
// route answering 202 without touching Redis (the "bare" ceiling).
// It uses nothing of tg-relay.
import Fastify from 'fastify'
import { Queue } from 'bullmq'
import { randomUUID } from 'node:crypto'
import { SERVICE_JOB_OPTIONS as options, SERVICE_QUEUE, redisConnection, startServiceWorker, type ServiceJob } from './bullmq-service-worker.ts'

const env = process.env
const token = `Bearer ${env.SERVICE_TOKEN}`
const store = env.STORE !== 'none'
const queue = store ? new Queue<ServiceJob>(SERVICE_QUEUE, { connection: redisConnection(env.REDIS_URL as string) }) : undefined
await queue?.waitUntilReady()
const worker = env.ROLE === 'all' ? await startServiceWorker(env) : undefined

const message = {
  chat_id: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^@[A-Za-z0-9_]{4,}$' }] },
  text: { type: 'string', minLength: 1, maxLength: 4096 },
  parse_mode: { enum: ['HTML', 'MarkdownV2'] },
  disable_notification: { type: 'boolean' },
  allow_paid_broadcast: { type: 'boolean' }
}
const { chat_id: chatId, ...content } = message

const app = Fastify({ bodyLimit: 8 * 1024 * 1024 })
app.addHook('onRequest', async (request, reply) => {
  if (request.headers.authorization !== token) return await reply.code(401).send({ error: 'unauthorized' })
})

app.post<{ Body: ServiceJob }>('/api/telegram/send', {
  schema: { body: { type: 'object', required: ['chat_id', 'text'], additionalProperties: false, properties: message } }
}, async (request, reply) => {
  const id = queue ? (await queue.add('send', request.body, options)).id : randomUUID()
  return await reply.code(202).send({ id, status: 'queued' })
})

type Broadcast = Omit<ServiceJob, 'chat_id'> & { recipients: Array<number | string> }
app.post<{ Body: Broadcast }>('/api/telegram/broadcasts', {
  schema: {
    body: {
      type: 'object',
      required: ['recipients', 'text'],
      additionalProperties: false,
      properties: { recipients: { type: 'array', minItems: 1, maxItems: 100_000, items: chatId }, ...content }
    }
  }
}, async (request, reply) => {
  const { recipients, ...rest } = request.body
  const jobs = recipients.map(c => ({ name: 'send', data: { chat_id: c, ...rest }, opts: options }))
  if (queue) await queue.addBulk(jobs)
  return await reply.code(202).send({ status: 'queued', recipients: jobs.length })
})

const url = await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`READY ${JSON.stringify({ url })}\n`)
process.once('SIGTERM', () => {
  app.close().then(() => worker?.close()).then(() => queue?.close()).then(() => process.exit(0), () => process.exit(1))
})
