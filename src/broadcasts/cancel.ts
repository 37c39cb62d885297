// Cancels what of a broadcast has not gone out. One script flags it
// cancelled and drops the recipients still pending (so claim makes no more
// messages of it); the messages made so far are then cancelled one by one —
// those in flight or finished stay as they are. A broadcast of the older form
// (one message per recipient, listed in bc:<id>:ids) has no pending list: all
// of its messages are walked.
import { guardRedis } from '../queue/errors.ts'
import { broadcastCancelScript, broadcastKeys } from '../queue/scripts.ts'
import type { BroadcastDeps } from './deps.ts'
import { broadcastMessageIds } from './ids.ts'

/** Cancels run this many at a time: one batch of scripts in flight, memory flat. */
const BATCH = 500

export interface CancelResult {
  cancelled: number
  /** sent, in flight, or finished otherwise */
  notCancelled: number
}

/** undefined: no such broadcast */
export async function cancelBroadcast (d: BroadcastDeps, id: string): Promise<CancelResult | undefined> {
  const info = d.keys.broadcastInfo(id)
  if (await guardRedis(() => d.redis.exists(info)) === 0) return undefined
  const { made, cancelledPending: pending } = await guardRedis(() => broadcastCancelScript(d.redis, broadcastKeys(d.keys, id), { id }))
  const [form, listed] = await guardRedis(() => d.redis.hmget(info, 'v', 'listed'))
  const form2 = form === '2'
  const total = form2 ? made : await guardRedis(() => d.redis.llen(d.keys.broadcastIds(id)))
  let cancelled = pending
  for (let at = 0; at < total; at += BATCH) {
    const ids = await broadcastMessageIds(d, id, at, Math.min(at + BATCH, total), form2)
    for (const r of await Promise.all(ids.map(m => d.producer.cancel(m)))) if (r === 'ok') cancelled++
  }
  // every recipient was looked at: the rest had gone out, were in flight, or were cancelled before
  return { cancelled, notCancelled: (form2 ? Number(listed ?? 0) : total) - cancelled }
}
