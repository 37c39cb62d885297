// The message ids of a broadcast's recipients, in recipient order. In the
// current form they follow from the position (claim.lua makes recipient i
// the message <broadcast id>-<i in base 36>); broadcasts stored by older
// releases list them in bc:<id>:ids.
import { guardRedis } from '../queue/errors.ts'
import type { BroadcastDeps } from './deps.ts'

export const recipientMessageId = (broadcastId: string, position: number): string => `${broadcastId}-${position.toString(36)}`

/** Ids of recipients from..to-1 that are messages (form 2: those below `cur`). */
export async function broadcastMessageIds (d: BroadcastDeps, id: string, from: number, to: number, form2?: boolean): Promise<string[]> {
  const v2 = form2 ?? await guardRedis(() => d.redis.hget(d.keys.broadcastInfo(id), 'v')) === '2'
  if (!v2) return to <= from ? [] : await guardRedis(() => d.redis.lrange(d.keys.broadcastIds(id), from, to - 1))
  return Array.from({ length: Math.max(to - from, 0) }, (_, i) => recipientMessageId(id, from + i))
}
