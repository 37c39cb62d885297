// Attempts spent on network failures just before the breaker opened were
// spent detecting the outage, not on the message: they are refunded
// (refund.lua) when it opens, so an outage (or a flapping network) costs no
// message an attempt.
import type { RedisClient } from '../redis/client.ts'
import type { Logger } from '../log.ts'
import type { Breaker } from '../telegram/breaker.ts'
import type { QueueKeys } from './keys.ts'
import { refundScript } from './scripts.ts'

const MAX_TRACKED = 10_000

export interface OutageRefunds {
  /** one attempt of this message was spent on a failure that may be an outage */
  spent (messageId: string): void
}

export function createOutageRefunds (o: { redis: RedisClient, keys: QueueKeys, breaker: Breaker, log: Logger }): OutageRefunds {
  const spends = new Map<string, { count: number, at: number }>()
  o.breaker.onOpen(() => {
    const since = Date.now() - o.breaker.windowMs
    const refunds = [...spends].filter(([, s]) => s.at >= since)
    spends.clear()
    if (refunds.length === 0) return
    o.log.info({ messages: refunds.length }, 'refunding attempts spent detecting the outage')
    for (const [id, s] of refunds) {
      refundScript(o.redis, { message: o.keys.msg(id) }, { attempts: s.count }).catch(() => undefined)
    }
  })
  return {
    spent (id) {
      spends.set(id, { count: (spends.get(id)?.count ?? 0) + 1, at: Date.now() })
      if (spends.size > MAX_TRACKED) spends.delete(spends.keys().next().value as string)
    }
  }
}
