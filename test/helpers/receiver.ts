// A small HTTP receiver standing in for a user's system (booking backend, update or delivery
// event receiver): it checks X-TG-Relay-Signature over the raw bytes it got, records each
// body with when it arrived, and answers the statuses a test queues with failWith() first.
import type { Test } from 'tap'
import Fastify from 'fastify'
import { createHmac, timingSafeEqual } from 'node:crypto'

export interface Received {
  body: Record<string, unknown>
  raw: string
  signed: boolean
  /** ms epoch */
  at: number
}

export interface Receiver {
  url: string
  received: Received[]
  /** every request, answered or failed */
  requests: number
  /** the next requests get these statuses, in order */
  failWith: (...codes: number[]) => void
}

export async function startReceiver (t: Test, secret: string, path = '/events'): Promise<Receiver> {
  const failures: number[] = []
  const app = Fastify()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  const receiver: Receiver = { url: '', received: [], requests: 0, failWith: (...codes) => failures.push(...codes) }
  app.post(path, async (request, reply) => {
    receiver.requests++
    const raw = request.body as string
    const header = String(request.headers['x-tg-relay-signature'] ?? '')
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`)
    const signed = header.length === expected.length && timingSafeEqual(Buffer.from(header), expected)
    const status = failures.shift()
    if (status !== undefined) return await reply.code(status).send({ error: 'try later' })
    receiver.received.push({ body: JSON.parse(raw) as Record<string, unknown>, raw, signed, at: Date.now() })
    return { ok: true }
  })
  receiver.url = `${await app.listen({ port: 0, host: '127.0.0.1' })}${path}`
  t.teardown(() => app.close())
  return receiver
}
