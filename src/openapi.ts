// The OpenAPI document without a running service: the app is built offline
// (every route, no Redis connection, no worker) and asked for its document.
// scripts/openapi.ts writes it for `redocly lint` and the client's generated
// types; what /docs/json serves is the same document.
import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'

export interface OpenApiDocument {
  openapi: string
  info: { title: string, version: string }
  paths: Record<string, Record<string, OpenApiOperation>>
  components?: Record<string, unknown>
  [key: string]: unknown
}

export interface OpenApiOperation {
  operationId?: string
  summary?: string
  security?: Array<Record<string, string[]>>
  parameters?: Array<{ name: string, in: string, required?: boolean }>
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> }
  responses: Record<string, unknown>
  [key: string]: unknown
}

export async function buildOpenApiDocument (): Promise<OpenApiDocument> {
  // the defaults document every optional route (metrics, webhook receiver);
  // ROLE=api since no worker runs offline
  const config = loadConfig({ ROLE: 'api', LOG_LEVEL: 'silent' })
  const app = await buildApp({
    config,
    redisUrl: 'redis://offline.invalid',
    telegram: { apiUrl: 'http://offline.invalid', token: '0:offline' },
    adminToken: 'offline-document-only',
    logger: false,
    offline: true
  })
  try {
    await app.ready()
    return app.swagger() as unknown as OpenApiDocument
  } finally {
    await app.close()
  }
}

export interface OperationEntry { method: string, path: string, idempotencyKey: boolean, multipart: boolean }

/** operationId → how to call it, sorted by operationId (a stable generated file). */
export function operationTable (doc: OpenApiDocument): Record<string, OperationEntry> {
  const table: Record<string, OperationEntry> = {}
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId: add one to its route schema`)
      const content = op.requestBody?.content ?? {}
      table[op.operationId] = {
        method: method.toUpperCase(),
        path,
        idempotencyKey: content['application/json']?.schema?.properties?.idempotency_key !== undefined,
        multipart: content['multipart/form-data'] !== undefined
      }
    }
  }
  return Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)))
}
