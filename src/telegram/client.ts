// Bot API client: one undici Pool (keep-alive, bounded connections), JSON in
// and out, a timeout per request. Telegram's {ok:false} answers become
// BotApiError; network failures surface as undici's errors with their codes.
// The token lives only in the request path and is never put into an error.
import { Pool } from 'undici'

export interface BotApiParameters {
  retry_after?: number
  migrate_to_chat_id?: number
}

export class BotApiError extends Error {
  code = 'BOT_API_ERROR'
  constructor (
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    readonly parameters: BotApiParameters = {}
  ) {
    super(`${method}: ${errorCode} ${description}`)
    this.name = 'BotApiError'
  }
}

export interface CallOptions {
  /** aborts the request (stop(), or a caller's own deadline) */
  signal?: AbortSignal
  /** instead of the client's timeout: a long poll waits longer than any other call */
  timeoutMs?: number
  /** a message's own limit for one attempt, enforced with a signal (undici's timers are too coarse below a second) */
  attemptMs?: number
}

export interface BotApi {
  call<T = unknown> (method: string, params: Record<string, unknown>, options?: CallOptions): Promise<T>
  close (): Promise<void>
}

export interface BotApiOptions {
  baseUrl: string
  token: string
  timeoutMs: number
  connections: number
}

interface Envelope {
  ok?: boolean
  result?: unknown
  error_code?: number
  description?: string
  parameters?: BotApiParameters
}

/**
 * Files go as multipart parts; everything else as Telegram expects form fields
 * (objects JSON-encoded). Encoded with the runtime's own FormData and Response:
 * undici's FormData cannot stream the runtime's File on Node 24 ("action is not
 * a function") and the runtime's FormData cannot go through undici's request on
 * Node 20. The files are in memory already (read from Redis).
 */
async function multipart (params: Record<string, unknown>): Promise<{ headers: Record<string, string>, body: Buffer }> {
  const form = new FormData()
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue
    if (value instanceof Blob) form.append(key, value, value instanceof File ? value.name : key)
    else form.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value))
  }
  const encoded = new Response(form)
  return { headers: { 'content-type': encoded.headers.get('content-type') as string }, body: Buffer.from(await encoded.arrayBuffer()) }
}

export function createBotApi (opts: BotApiOptions): BotApi {
  const url = new URL(opts.baseUrl)
  const basePath = url.pathname.replace(/\/$/, '')
  const pool = new Pool(url.origin, {
    connections: opts.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: { timeout: opts.timeoutMs },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs
  })
  let closed = false

  return {
    async call<T> (method: string, params: Record<string, unknown>, o: CallOptions = {}): Promise<T> {
      const upload = Object.values(params).some(v => v instanceof Blob)
      const attempt = o.attemptMs !== undefined ? AbortSignal.timeout(o.attemptMs) : undefined
      const signal = attempt && o.signal ? AbortSignal.any([attempt, o.signal]) : attempt ?? o.signal
      const payload = upload
        ? await multipart(params)
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) }
      const res = await pool.request({
        method: 'POST',
        path: `${basePath}/bot${opts.token}/${method}`,
        ...(signal ? { signal } : {}),
        ...(o.timeoutMs !== undefined ? { headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs } : {}),
        ...payload
      }).catch((err: unknown) => {
        if (attempt?.aborted !== true) throw err
        // sent, then no answer in time: Telegram may have it (classified as uncertain)
        throw Object.assign(new Error(`no answer within the message's timeout of ${o.attemptMs} ms`, { cause: err }), { code: 'ETIMEDOUT' })
      })
      let envelope: Envelope
      try {
        envelope = await res.body.json() as Envelope
      } catch {
        // a proxy's HTML error page or a cut body: judge by the status alone
        throw new BotApiError(method, res.statusCode >= 400 ? res.statusCode : 502, `unreadable response (HTTP ${res.statusCode})`)
      }
      if (envelope.ok === true) return envelope.result as T
      throw new BotApiError(method, envelope.error_code ?? res.statusCode, envelope.description ?? `HTTP ${res.statusCode}`, envelope.parameters)
    },
    async close () {
      if (closed) return
      closed = true
      await pool.close()
    }
  }
}
