// The bench's own HTTP client for figures that post a known number of
// requests (memory, broadcasts): undici, a fixed number in flight.
import { Pool } from 'undici'
import { SERVICE_TOKEN } from './payload.ts'

const HEADERS = { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' }

export interface Answer { status: number, body: Record<string, unknown>, ms: number }

export async function post (pool: Pool, path: string, body: string): Promise<Answer> {
  const t0 = performance.now()
  const res = await pool.request({ method: 'POST', path, headers: HEADERS, body })
  const parsed = await res.body.json() as Record<string, unknown>
  return { status: res.statusCode, body: parsed, ms: performance.now() - t0 }
}

/** Posts n bodies, `inFlight` at a time; throws on anything but 202. Returns the answers' ids. */
export async function postMany (url: string, path: string, n: number, body: (i: number) => string, inFlight = 32): Promise<string[]> {
  const pool = new Pool(url, { connections: inFlight })
  const ids: string[] = new Array<string>(n)
  let next = 0
  try {
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < n) {
        const i = next++
        const a = await post(pool, path, body(i))
        if (a.status !== 202) throw new Error(`${path} answered ${a.status}: ${JSON.stringify(a.body)}`)
        ids[i] = String(a.body.id)
      }
    }))
  } finally {
    await pool.close()
  }
  return ids
}
