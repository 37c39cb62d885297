// A client as a booking backend should be: N messages at a steady rate, each
// retried with its idempotency key until it is answered 202 (503s, refused
// connections). What it was told is what the tests hold tg-relay to.
import type { Relay } from './relay.ts'

export interface SteadyLoad {
  /** text → message id of every message answered 202 */
  acked: Map<string, string>
  /** when each 202 came, in order (ms epoch) */
  ackTimes: number[]
  /** answers other than 202 (503s) and failed requests, each retried */
  refused (): number
  /** the body of the last answer that was not a 202 (what a stuck run is stuck on) */
  lastRefusal (): unknown
  /** messages started so far */
  started (): number
  /** resolves when every message was answered 202 (or gave up after retryForMs) */
  done: Promise<void>
}

/** `scheduleMs`: each message is a scheduled send, due that long after it is first sent */
export function steadyLoad (relay: Relay, o: { total: number, perSecond: number, prefix: string, chats?: number, retryForMs?: number, scheduleMs?: number }): SteadyLoad {
  const acked = new Map<string, string>()
  const ackTimes: number[] = []
  let refused = 0
  let lastRefusal: unknown
  let started = 0
  const t0 = Date.now()
  async function one (i: number): Promise<void> {
    const text = `${o.prefix}${i}`
    const deadline = Date.now() + (o.retryForMs ?? 60_000)
    const schedule = o.scheduleMs === undefined ? {} : { send_at: new Date(Date.now() + o.scheduleMs).toISOString() }
    while (Date.now() < deadline) {
      try {
        const res = await relay.send({ chat_id: 7000 + (i % (o.chats ?? 50)), text, idempotency_key: `${o.prefix}-${i}`, ...schedule })
        if (res.status === 202) { acked.set(text, res.body.id); ackTimes.push(Date.now()); return }
        if (res.status !== 503) throw new Error(`unexpected ${res.status} ${JSON.stringify(res.body)}`)
        lastRefusal = res.body
      } catch (err) {
        if ((err as Error).message.startsWith('unexpected')) throw err
        lastRefusal = (err as Error).message
      }
      refused++
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }
  const done = (async () => {
    const all: Array<Promise<void>> = []
    for (let i = 0; i < o.total; i++) {
      const due = t0 + i * 1000 / o.perSecond
      if (due > Date.now()) await new Promise(resolve => setTimeout(resolve, due - Date.now()))
      started++
      all.push(one(i))
    }
    await Promise.all(all)
  })()
  return { acked, ackTimes, refused: () => refused, lastRefusal: () => lastRefusal, started: () => started, done }
}
