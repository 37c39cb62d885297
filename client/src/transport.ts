// One HTTP request to tg-relay, with the retries a caller on a bad network
// needs: a 503 (Redis unavailable) and a request that got no answer are
// tried again, after Retry-After when the service gives one, else after a
// growing, jittered delay. Requests that queue something carry one
// idempotency_key for all their attempts, made here when the caller gave
// none, so an attempt whose answer was lost never queues a second message.
import { randomUUID } from 'node:crypto'
import { errorFromResponse, TgRelayError } from './errors.ts'

export interface ClientOptions {
  /** where tg-relay listens, e.g. http://localhost:3000 (a path prefix is kept) */
  baseUrl: string
  /** SERVICE_TOKEN for sending, ADMIN_TOKEN for the admin routes */
  token: string
  /** per attempt, ms (default 10 000) */
  timeoutMs?: number
  /** further attempts after a 503 or no answer (default 3) */
  retries?: number
  /** the fetch to use (default the global one): a proxy, instrumentation */
  fetch?: typeof fetch
}

export interface CallOptions {
  /** cancels the call, retries included */
  signal?: AbortSignal
}

export interface Route { method: string, path: string, idempotencyKey: boolean }

export interface RequestInput {
  path?: Record<string, string | number>
  query?: Record<string, unknown>
  body?: unknown
}

/** Retry-After is capped: a caller is better told than kept waiting for minutes. */
const MAX_RETRY_AFTER_MS = 60_000
const BASE_DELAY_MS = 250
const MAX_DELAY_MS = 5_000

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) { reject(signal.reason); return }
  const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, ms)
  const onAbort = () => { clearTimeout(timer); reject(signal?.reason) }
  signal?.addEventListener('abort', onAbort, { once: true })
})

/** ms to wait from a Retry-After header: delta-seconds or an HTTP date. */
export function retryAfterMs (header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - now
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined
}

function backoffMs (attempt: number): number {
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** attempt, MAX_DELAY_MS)
  return ceiling / 2 + Math.random() * ceiling / 2
}

function buildUrl (base: string, route: Route, input: RequestInput): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = input.path?.[name]
    if (value === undefined) throw new TypeError(`${route.method} ${route.path}: path.${name} is required`)
    return encodeURIComponent(String(value))
  })
  const url = new URL(base.replace(/\/+$/, '') + path)
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value === undefined || value === null) continue
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v))
  }
  return url.toString()
}

/** The JSON body, or the form for an upload, with an idempotency_key where the route takes one. */
function encodeBody (route: Route, body: unknown): { payload: string | FormData, type?: string } | undefined {
  if (body === undefined) return undefined
  if (body instanceof FormData) {
    if (route.idempotencyKey && !body.has('idempotency_key')) body.set('idempotency_key', randomUUID())
    return { payload: body }
  }
  const keyed = route.idempotencyKey && typeof body === 'object' && body !== null && (body as { idempotency_key?: unknown }).idempotency_key === undefined
    ? { ...body, idempotency_key: randomUUID() }
    : body
  return { payload: JSON.stringify(keyed), type: 'application/json' }
}

async function readBody (res: Response): Promise<unknown> {
  const text = await res.text()
  if (text === '') return undefined
  if (!/[/+]json\b/.test(res.headers.get('content-type') ?? '')) return text
  try { return JSON.parse(text) } catch { return text }
}

/** No answer, as opposed to a refusal: worth another attempt. Aborts by the caller are not. */
function isConnectionFailure (err: unknown): boolean {
  return err instanceof TypeError || (err instanceof Error && err.name === 'TimeoutError')
}

export function createTransport (o: ClientOptions) {
  const timeoutMs = o.timeoutMs ?? 10_000
  const retries = o.retries ?? 3
  const doFetch = o.fetch ?? globalThis.fetch

  return async function request (route: Route, input: RequestInput = {}, options: CallOptions = {}): Promise<unknown> {
    const url = buildUrl(o.baseUrl, route, input)
    const body = encodeBody(route, input.body)
    const headers: Record<string, string> = { authorization: `Bearer ${o.token}`, accept: 'application/json, text/plain' }
    if (body?.type) headers['content-type'] = body.type
    for (let attempt = 0; ; attempt++) {
      const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs)
      let res: Response
      let parsed: unknown
      try {
        res = await doFetch(url, { method: route.method, headers, signal, ...(body ? { body: body.payload } : {}) })
        // inside the try: the timeout covers the body too
        parsed = await readBody(res)
      } catch (err) {
        if (options.signal?.aborted) throw err
        if (attempt < retries && isConnectionFailure(err)) { await sleep(backoffMs(attempt), options.signal); continue }
        const timedOut = err instanceof Error && err.name === 'TimeoutError'
        const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : (err instanceof Error ? err.message : String(err))
        throw new TgRelayError({
          status: 0,
          error: timedOut ? 'Timeout' : 'Connection Failed',
          message: `${route.method} ${url}: ${timedOut ? `no answer within ${timeoutMs} ms` : cause} (after ${attempt + 1} attempt${attempt ? 's' : ''})`,
          cause: err
        })
      }
      if (res.ok) return parsed
      if (res.status === 503 && attempt < retries) {
        await sleep(retryAfterMs(res.headers.get('retry-after')) ?? backoffMs(attempt), options.signal)
        continue
      }
      throw errorFromResponse(res.status, res.statusText, parsed)
    }
  }
}

export type Transport = ReturnType<typeof createTransport>
