// Cancels what of a broadcast has not gone out. The status flag is set first:
// a request still queueing the broadcast checks it after every chunk and
// cancels what it queued after the flag, while this walks the id list for
// everything queued before it — so no message slips through between the two.
import { guardRedis } from '../queue/errors.ts'
import type { BroadcastDeps } from './deps.ts'

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
  await guardRedis(() => d.redis.hset(info, 'status', 'cancelled'))
  const result: CancelResult = { cancelled: 0, notCancelled: 0 }
  for (let at = 0; ; at += BATCH) {
    const ids = await guardRedis(() => d.redis.lrange(d.keys.broadcastIds(id), at, at + BATCH - 1))
    if (ids.length === 0) break
    for (const r of await Promise.all(ids.map(m => d.producer.cancel(m)))) {
      if (r === 'ok') result.cancelled++
      else result.notCancelled++
    }
  }
  return result
}
