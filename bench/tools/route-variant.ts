// bench/tools/route-cost.ts's server: tg-relay's POST /send without Redis
// (as bench/targets/bare-api.ts), with the pieces ROUTE_OFF names left out:
//   log         no logger at all (Fastify's null logger)
//   validation  no body schema
//   compose     no composition (fromSend, composeCalls, deliveryWindow)
//   response    no response schemas (JSON.stringify instead of fast-json-stringify)
//   auth        no bearer-token check
import Fastify, { LogController } from 'fastify'
import { loggerOptions, requestLogger } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import errors from '../../src/plugins/errors.ts'
import validation from '../../src/plugins/validation.ts'
import auth from '../../src/plugins/auth.ts'
import { SendBodySchema, type SendBody } from '../../src/schemas/send.ts'
import { AcceptedSchema, ErrorSchema } from '../../src/schemas/common.ts'
import { newMessageId } from '../../src/queue/producer.ts'
import { peerJob } from '../lib/payload.ts'
import { serve } from '../targets/peer-app.ts'

const off = new Set((process.env.ROUTE_OFF ?? '').split(',').filter(Boolean))
const config = loadConfig(process.env)
const app = Fastify({
  logger: off.has('log') ? false : loggerOptions(config),
  bodyLimit: config.BODY_LIMIT,
  logController: new LogController({ disableRequestLogging: true }),
  childLoggerFactory: requestLogger,
  forceCloseConnections: true
})
await app.register(errors)
await app.register(validation)
await app.register(auth, { adminToken: config.ADMIN_TOKEN ?? '', ...(config.SERVICE_TOKEN ? { serviceToken: config.SERVICE_TOKEN } : {}) })
app.post('/api/telegram/send', {
  ...(off.has('auth') ? {} : { onRequest: app.auth.sender }),
  schema: {
    ...(off.has('validation') ? {} : { body: SendBodySchema }),
    ...(off.has('response') ? {} : { response: { 202: AcceptedSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 503: ErrorSchema } })
  }
}, async (request, reply) => {
  if (off.has('compose')) return await reply.code(202).send({ id: newMessageId(), status: 'queued', priority: 'normal', parts: 1 })
  const job = peerJob(config, request.body as SendBody)
  return await reply.code(202).send({ id: newMessageId(), status: 'queued', priority: job.priority, parts: job.calls.length })
})
await serve(app)
