// The HTTP side: `GET|POST /bot<token>/<method>` with parameters from the query string, a JSON
// or urlencoded body, or multipart/form-data (file parts are counted, never kept), answered
// with Telegram's { ok, result } / { ok: false, error_code, description, parameters } shapes.
// Faults are drawn in onRequest, before the body is read. Hot path: no logging unless asked,
// no per-request allocation beyond the call itself.

import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type onRequestHookHandler } from 'fastify'
import multipart from '@fastify/multipart'
import { botApiMethods } from './bot-api.ts'
import { registerControl, type ControlApi } from './control.ts'
import { ApiError, badRequest, notFound, serverError, tooLarge, unauthorized } from './errors.ts'
import { methodHandlers } from './methods.ts'
import { botUser, type BotUser, type EmulatorState } from './state.ts'
import { isRecord, Upload, validateParams, type Params } from './validate.ts'

export interface ServerOptions {
  state: EmulatorState
  /** if set, other tokens are refused */
  token: string | undefined
  logger: boolean
  control: ControlApi
}

interface BotRouteParams { bot: string, method: string }

const BOT_ROUTE = '/:bot/:method'
const TOKEN = /^bot(\d{1,15}):[A-Za-z0-9_-]{1,128}$/
/** Telegram's limit for files a bot uploads */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024

// A reset is a TCP RST, as a dropped connection looks to a client mid-request.
function reset (socket: Socket): void {
  socket.resetAndDestroy()
}

async function readParams (request: FastifyRequest): Promise<Params> {
  // No prototype: a '__proto__' key from a client stays an ordinary (ignored) key.
  const params = Object.create(null) as Params
  const query = request.query
  if (isRecord(query)) {
    for (const key of Object.keys(query)) {
      const value = query[key]
      params[key] = Array.isArray(value) ? value.at(-1) : value
    }
  }
  if (request.isMultipart()) {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        let size = 0
        for await (const chunk of part.file) size += (chunk as Buffer).length
        params[part.fieldname] = new Upload(part.filename, part.mimetype, size)
      } else {
        params[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value)
      }
    }
  } else if (isRecord(request.body)) {
    const body = request.body
    for (const key of Object.keys(body)) params[key] = body[key]
  }
  return params
}

// Errors the framework or multipart raise, in Telegram's words.
function asApiError (err: unknown): ApiError {
  if (err instanceof ApiError) return err
  const { statusCode, message } = err as { statusCode?: number, message?: string }
  if (statusCode === 413) return tooLarge()
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return badRequest(message ?? 'invalid request')
  return serverError()
}

export async function buildServer (opts: ServerOptions): Promise<FastifyInstance> {
  const { state } = opts
  const methods = botApiMethods()
  const bots = new Map<number, BotUser>()
  const lost = new WeakSet<IncomingMessage>()

  const app = Fastify({
    logger: opts.logger,
    bodyLimit: MAX_UPLOAD_BYTES + 1024 * 1024,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 256 }
  })

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, {})
    try {
      done(null, JSON.parse(body as string))
    } catch {
      done(Object.assign(new Error("can't parse JSON object"), { statusCode: 400 }), undefined)
    }
  })
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  // Telegram ignores bodies it cannot read; so do we (the query string still counts).
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, undefined))
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 10, fieldSize: 1024 * 1024 } })

  function count (error: ApiError): void {
    if (error.errorCode === 429) state.stats.tooManyRequests++
    else if (error.errorCode < 500) state.stats.rejected++
  }

  const drawFault: onRequestHookHandler = (request, reply, done) => {
    state.stats.requests++
    const draw = state.faults.draw((request.params as BotRouteParams).method)
    if (draw === undefined) return done()
    const apply = (): void => {
      switch (draw.kind) {
        case 'reset':
          state.stats.resets++
          reply.hijack()
          reset(request.raw.socket)
          return
        case 'timeout':
          // Held open: the client gives up, or close()/an outage destroys the socket.
          state.stats.timeouts++
          reply.hijack()
          return
        case 'serverError':
          state.stats.serverErrors++
          reply.code(500).send(serverError().toBody())
          return
        case 'lostResponse':
          lost.add(request.raw)
          return done()
        default:
          return done()
      }
    }
    if (draw.latencyMs > 0) setTimeout(apply, draw.latencyMs)
    else apply()
  }

  async function handleCall (request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const { bot, method } = request.params as BotRouteParams
    const now = Date.now()
    try {
      if (!bot.startsWith('bot')) throw notFound()
      const match = TOKEN.exec(bot)
      if (match === null || (opts.token !== undefined && bot.slice(3) !== opts.token)) throw unauthorized()
      const spec = methods.get(method.toLowerCase())
      const handler = spec === undefined ? undefined : methodHandlers[spec.name]
      if (spec === undefined || handler === undefined) throw notFound()
      const params = validateParams(spec, await readParams(request))
      const botId = Number(match[1])
      let user = bots.get(botId)
      if (user === undefined) bots.set(botId, user = botUser(botId))
      const result = await handler({
        state,
        bot: user,
        method: spec.name,
        params,
        now,
        onAbort: cb => reply.raw.once('close', cb)
      })
      if (!spec.name.startsWith('send')) state.calls.push({ method: spec.name, params, at: now })
      if (lost.has(request.raw)) {
        // Delivered and recorded, but the client never hears about it.
        state.stats.lostResponses++
        reply.hijack()
        reset(request.raw.socket)
        return reply
      }
      return { ok: true, result }
    } catch (err) {
      const error = asApiError(err)
      if (error.errorCode >= 500) request.log.error({ err }, 'emulator: call failed')
      count(error)
      return await reply.code(error.errorCode).send(error.toBody())
    }
  }

  app.route({ method: ['GET', 'POST'], url: BOT_ROUTE, onRequest: drawFault, handler: handleCall })

  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send(notFound().toBody())
  })
  app.setErrorHandler((err, request, reply) => {
    const error = asApiError(err)
    if (error.errorCode >= 500) request.log.error({ err }, 'emulator: request failed')
    if (request.routeOptions.url === BOT_ROUTE) count(error)
    reply.code(error.errorCode).send(error.toBody())
  })

  registerControl(app, state, opts.control)
  return app
}
