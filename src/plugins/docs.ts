// OpenAPI generated from the route schemas (typebox), with Swagger UI at
// /docs and the document at /docs/json. Registered before the routes: the
// swagger plugin learns routes through an onRoute hook. Swagger UI's assets
// come from the package itself; nothing is fetched from the internet.
import fp from 'fastify-plugin'
import swagger, { type SwaggerTransformObject } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { readFile } from 'node:fs/promises'

interface Parameter { required?: boolean, schema?: { default?: unknown } }

/** A parameter with a default is optional to the caller (typebox lists it as required: the server fills it in). */
const optionalDefaults: SwaggerTransformObject = (documentObject) => {
  const doc = 'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject
  for (const item of Object.values(doc.paths ?? {}) as Array<Record<string, unknown>>) {
    for (const op of Object.values(item ?? {})) {
      for (const p of (op as { parameters?: Parameter[] }).parameters ?? []) if (p.schema?.default !== undefined) p.required = false
    }
  }
  return doc
}

export default fp(async function docs (app: FastifyInstance) {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  await app.register(swagger, {
    transformObject: optionalDefaults,
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'tg-relay',
        version: pkg.version,
        description: 'Reliable Telegram notifications through a Redis queue. Send routes take SERVICE_TOKEN or ADMIN_TOKEN; admin routes take ADMIN_TOKEN.',
        license: { name: 'MIT', url: 'https://opensource.org/license/mit' }
      },
      // relative: Swagger UI's "Try it out" and generated clients talk to whichever host serves the document
      servers: [{ url: '/', description: 'the tg-relay serving this document' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <ADMIN_TOKEN or SERVICE_TOKEN>' },
          telegramSecretToken: { type: 'apiKey', in: 'header', name: 'X-Telegram-Bot-Api-Secret-Token', description: 'the secret_token given to setWebhook (Telegram sends it with every update)' }
        }
      },
      tags: [
        { name: 'send', description: 'Queue messages for delivery' },
        { name: 'messages', description: 'Message state and the message log' },
        { name: 'templates', description: 'Templates, their variables, previews' },
        { name: 'broadcasts', description: 'One message to many chats' },
        { name: 'channels', description: 'Channel members: invite, remove, check the bot\'s rights' },
        { name: 'admin', description: 'Status, queue metrics, worker pause (ADMIN_TOKEN)' },
        { name: 'dlq', description: 'The dead-letter queue (ADMIN_TOKEN)' },
        { name: 'webhook', description: 'Telegram\'s updates and the webhook setup' },
        { name: 'chats', description: 'The chat directory: registered and blocked chats' },
        { name: 'health', description: 'Liveness and readiness probes' }
      ]
    }
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, persistAuthorization: false },
    staticCSP: true
  })
}, { name: 'docs' })
