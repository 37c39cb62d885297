// The transport of every call tg-relay makes to its users' own systems (booking events,
// forwarded updates): a worker POSTs the queued call's JSON body, signed so the receiver can
// tell it came from us: `X-TG-Relay-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.
// Every failure is a TransportError — 408, 429, 5xx and network errors (status 0) are retried
// with backoff, other 4xx go to the DLQ with the receiver's answer — so a receiver's 429 or
// 403 never pauses the bot or blocks a chat, and a network error is never taken for a
// Telegram send that may have gone through.
import { createHmac } from 'node:crypto'
import { request } from 'undici'
import type { Transport } from '../transport.ts'
import { TransportError } from '../transport.ts'

export const SIGNATURE_HEADER = 'x-tg-relay-signature'

export function signBody (body: string, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`
}

/** What one queued call becomes: where it goes, what is sent, extra headers. */
export interface SignedPost { url: string, body: unknown, headers?: Record<string, string> }

export interface SignedPostOptions {
  /** the queued call's method, named in errors */
  method: string
  /** who answers, in the DLQ reason: 'booking backend answered HTTP 400: …' */
  receiver: string
  key: string
  timeoutMs: number
  /** a fixed URL (the call's params are the body), or how to read one call */
  url: string | ((params: Record<string, unknown>) => SignedPost)
}

export function createSignedPostTransport (o: SignedPostOptions): Transport {
  const target = typeof o.url === 'string' ? (params: Record<string, unknown>): SignedPost => ({ url: o.url as string, body: params }) : o.url
  return async (params) => {
    const post = target(params)
    const body = JSON.stringify(post.body)
    let res
    try {
      res = await request(post.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'tg-relay', ...post.headers, [SIGNATURE_HEADER]: signBody(body, o.key) },
        body,
        headersTimeout: o.timeoutMs,
        bodyTimeout: o.timeoutMs
      })
    } catch (err) {
      throw new TransportError(o.method, 0, `${o.receiver} unreachable: ${(err as { code?: string }).code ?? (err as Error).message}`)
    }
    const text = (await res.body.text().catch(() => '')).slice(0, 200)
    if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode }
    throw new TransportError(o.method, res.statusCode, `${o.receiver} answered HTTP ${res.statusCode}${text ? `: ${text}` : ''}`)
  }
}
