// Worker heartbeats: every worker writes its state to keys.workers every
// HEARTBEAT_MS (consumer.ts). One reader for everyone who counts workers (the
// admin metrics, the bot's /status): an entry older than 3 × HEARTBEAT_MS, or
// one that cannot be read, is a worker that is gone.
import type { BreakerState } from '../telegram/breaker.ts'
import type { WorkerInfo } from '../schemas/admin.ts'

/** How often a worker writes its heartbeat. */
export const HEARTBEAT_MS = 2000

interface Heartbeat {
  id?: string
  running?: boolean
  inFlight?: number
  breaker?: string
  delivered?: number
  pid?: number
  host?: string
  started_at?: number
  seen?: number
}

const BREAKER_STATES = new Set(['closed', 'open', 'half-open'])
const asBreaker = (s: unknown): BreakerState => BREAKER_STATES.has(s as string) ? s as BreakerState : 'closed'

function toWorker (field: string, json: string): WorkerInfo | undefined {
  let b: Heartbeat
  try { b = JSON.parse(json) as Heartbeat } catch { return undefined }
  if (typeof b !== 'object' || b === null || typeof b.seen !== 'number') return undefined
  return {
    id: b.id ?? field,
    host: b.host ?? '',
    pid: b.pid ?? 0,
    running: b.running === true,
    in_flight: b.inFlight ?? 0,
    delivered: b.delivered ?? 0,
    breaker: asBreaker(b.breaker),
    started_at: new Date(b.started_at ?? b.seen).toISOString(),
    seen_at: new Date(b.seen).toISOString()
  }
}

/** The HGETALL of keys.workers split into live workers (oldest first) and the fields of gone ones. */
export function readHeartbeats (entries: Record<string, string>, now: number): { live: WorkerInfo[], gone: string[] } {
  const live: WorkerInfo[] = []
  const gone: string[] = []
  for (const [field, json] of Object.entries(entries)) {
    const w = toWorker(field, json)
    if (w && now - Date.parse(w.seen_at) <= 3 * HEARTBEAT_MS) live.push(w)
    else gone.push(field)
  }
  live.sort((a, b) => a.started_at.localeCompare(b.started_at) || a.id.localeCompare(b.id))
  return { live, gone }
}
