// The one error handler. 4xx: the message goes to the client as
// {error, message, details} naming each bad field. Redis unavailable: 503 with
// Retry-After. A Bot API call made while the client waits: 400 / 429 / 502 as
// src/telegram/call-error.ts explains. Anything else: logged, and the client
// gets a bare 500.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { InputError, type FieldError } from '../input-error.ts'
import { QueueUnavailableError } from '../queue/errors.ts'
import { TelegramCallError } from '../telegram/call-error.ts'

interface AjvIssue { instancePath: string, message?: string, params?: Record<string, unknown> }

function fieldOf (context: string | undefined, issue: AjvIssue): string {
  const path = issue.instancePath.split('/').filter(Boolean).join('.')
  const extra = issue.params?.additionalProperty ?? issue.params?.missingProperty
  return [context ?? 'body', path, typeof extra === 'string' ? extra : ''].filter(Boolean).join('.')
}

function describe (issue: AjvIssue): string {
  if (issue.params?.additionalProperty !== undefined) return 'is not a known field'
  if (issue.params?.missingProperty !== undefined) return 'is required'
  return issue.message ?? 'is invalid'
}

export default fp(async function errors (app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      const seen = new Set<string>()
      const details: FieldError[] = []
      for (const issue of err.validation as AjvIssue[]) {
        const field = fieldOf(err.validationContext, issue)
        // a union reports each branch; one line per field is clearer
        if (seen.has(field)) continue
        seen.add(field)
        details.push({ field, message: describe(issue) })
      }
      const message = details.map(d => `${d.field} ${d.message}`).join('; ')
      return reply.code(400).send({ error: 'Bad Request', message, details })
    }
    // InputError, TemplateError: a 4xx that names the bad fields
    const details = (err as { details?: unknown }).details
    const code = err.statusCode ?? 500
    if ((err instanceof InputError || Array.isArray(details)) && code >= 400 && code < 500) {
      return reply.code(code).send({ error: STATUS_CODES[code] ?? 'Bad Request', message: err.message, details: details as FieldError[] })
    }
    if (err instanceof QueueUnavailableError) {
      request.log.warn({ err: err.cause instanceof Error ? err.cause.message : err.cause }, 'redis unavailable: answering 503')
      return reply.code(503).header('retry-after', '5').send({ error: 'Service Unavailable', message: err.message })
    }
    if (err instanceof TelegramCallError) {
      if (err.statusCode === 502) request.log.warn({ method: err.method, reason: err.message }, 'Telegram unreachable: answering 502')
      if (err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter))
      return reply.code(err.statusCode).send({ error: err.title, message: err.message })
    }
    if (err.code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.code(413).send({ error: 'Payload Too Large', message: 'the uploaded file is over 50 MB, Telegram\'s upload limit for bots (photos: 10 MB)' })
    }
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: STATUS_CODES[status] ?? 'Error', message: err.message })
    }
    request.log.error({ err }, 'request failed')
    return reply.code(500).send({ error: 'Internal Server Error', message: 'something went wrong; it has been logged' })
  })

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` })
  })
}, { name: 'errors' })
