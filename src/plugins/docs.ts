// OpenAPI generated from the route schemas (typebox), with Swagger UI at
// /docs and the document at /docs/json. Registered before the routes: the
// swagger plugin learns routes through an onRoute hook. Swagger UI's assets
// come from the package itself; nothing is fetched from the internet.
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { readFile } from 'node:fs/promises'

export default fp(async function docs (app: FastifyInstance) {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'tg-relay',
        version: pkg.version,
        description: 'Reliable Telegram notifications through a Redis queue. Send routes take SERVICE_TOKEN or ADMIN_TOKEN; admin routes take ADMIN_TOKEN.'
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <ADMIN_TOKEN or SERVICE_TOKEN>' }
        }
      },
      tags: [
        { name: 'send', description: 'Queue messages for delivery' },
        { name: 'messages', description: 'Message state and the message log' },
        { name: 'admin', description: 'Status, queue metrics, worker pause (ADMIN_TOKEN)' },
        { name: 'dlq', description: 'The dead-letter queue (ADMIN_TOKEN)' },
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
