// The peers' POST /api/telegram/send: the same Fastify options, plugins
// (errors, validation, bearer auth), body and response schemas and message
// composition (HTML check, split, expiry) as tg-relay's route — only what
// happens to the message differs: `store` (BullMQ Queue.add, or nothing).
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { loggerOptions, requestLogger } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import errors from '../../src/plugins/errors.ts'
import validation from '../../src/plugins/validation.ts'
import auth from '../../src/plugins/auth.ts'
import { SendBodySchema } from '../../src/schemas/send.ts'
import { AcceptedSchema, ErrorSchema } from '../../src/schemas/common.ts'
import { peerJob, type PeerJob } from '../lib/payload.ts'

export async function buildPeerApp (config: Config, store: (job: PeerJob) => Promise<string>): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    bodyLimit: config.BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: requestLogger,
    forceCloseConnections: true
  }).withTypeProvider<TypeBoxTypeProvider>()
  await app.register(errors)
  await app.register(validation)
  await app.register(auth, { adminToken: config.ADMIN_TOKEN ?? '', ...(config.SERVICE_TOKEN ? { serviceToken: config.SERVICE_TOKEN } : {}) })

  app.post('/api/telegram/send', {
    onRequest: app.auth.sender,
    schema: { body: SendBodySchema, response: { 202: AcceptedSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 503: ErrorSchema } }
  }, async (request, reply) => {
    const job = peerJob(config, request.body)
    const id = await store(job)
    return reply.code(202).send({ id, status: 'queued', priority: job.priority, parts: job.calls.length })
  })
  return app
}

/** Listens on a free port, prints READY, closes on SIGTERM (then `onClose`). */
export async function serve (app: FastifyInstance, onClose: () => Promise<void> = async () => {}): Promise<void> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  process.stdout.write(`READY ${JSON.stringify({ url })}\n`)
  process.once('SIGTERM', () => {
    app.close().then(onClose).then(() => process.exit(0), () => process.exit(1))
  })
}

export function peerConfig (): Config {
  return loadConfig(process.env)
}
