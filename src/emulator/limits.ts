// Telegram's send limits as token buckets, one set per bot: global (capacity = the per-second
// count), per chat (capacity max(2, perChat): Telegram tolerates a short burst) and per group
// (negative ids and @channels; capacity = the per-minute count). A send is allowed only if
// every bucket it touches has a token, and only an allowed send takes them — so a refused
// or failed call never costs quota.

import type { EmulatorLimits } from './types.ts'

export const TELEGRAM_LIMITS: EmulatorLimits = { global: 30, perChat: 1, perGroup: 20 }

/** Telegram's limit for bots with paid broadcasts, used when a send has allow_paid_broadcast. */
const PAID_BROADCAST_PER_SECOND = 1000

interface Rule { capacity: number, perMs: number }
interface Bucket { tokens: number, at: number }

// Buckets of chats that went quiet are dropped once the map grows past this.
const PRUNE_AT = 50_000

export interface SendTarget {
  bot: string
  chat: string
  group: boolean
  paid: boolean
}

export interface RateLimiter {
  /** 0 and the tokens are taken, or the seconds until they would be there (>= 1) */
  acquire: (target: SendTarget, now: number) => number
  set: (limits: EmulatorLimits | false) => void
  /** refills every bucket */
  clear: () => void
}

function rules (limits: EmulatorLimits): Record<'global' | 'chat' | 'group' | 'paid', Rule> {
  return {
    global: { capacity: limits.global, perMs: limits.global / 1000 },
    chat: { capacity: Math.max(2, limits.perChat), perMs: limits.perChat / 1000 },
    group: { capacity: limits.perGroup, perMs: limits.perGroup / 60_000 },
    paid: { capacity: PAID_BROADCAST_PER_SECOND, perMs: PAID_BROADCAST_PER_SECOND / 1000 }
  }
}

export function createRateLimiter (initial: EmulatorLimits | false): RateLimiter {
  let active = initial === false ? undefined : rules(initial)
  const buckets = new Map<string, Bucket>()

  // Refills lazily; returns the ms until one token is available (0 if it is).
  function wait (key: string, rule: Rule, now: number): number {
    let bucket = buckets.get(key)
    if (bucket === undefined) {
      bucket = { tokens: rule.capacity, at: now }
      buckets.set(key, bucket)
    } else if (now > bucket.at) {
      bucket.tokens = Math.min(rule.capacity, bucket.tokens + (now - bucket.at) * rule.perMs)
      bucket.at = now
    }
    return bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) / rule.perMs
  }

  function prune (now: number): void {
    if (buckets.size < PRUNE_AT || active === undefined) return
    const slowest = Math.min(active.chat.perMs, active.group.perMs)
    for (const [key, bucket] of buckets) {
      // A bucket idle long enough to be full again is the same as a fresh one.
      if ((now - bucket.at) * slowest >= Math.max(active.chat.capacity, active.group.capacity)) buckets.delete(key)
    }
  }

  return {
    acquire (target, now) {
      if (active === undefined) return 0
      const touched: Array<[string, Rule]> = [
        target.paid ? [`${target.bot}|paid`, active.paid] : [`${target.bot}|global`, active.global],
        [`${target.bot}|chat|${target.chat}`, active.chat]
      ]
      if (target.group) touched.push([`${target.bot}|group|${target.chat}`, active.group])
      let longest = 0
      for (const [key, rule] of touched) longest = Math.max(longest, wait(key, rule, now))
      if (longest > 0) return Math.max(1, Math.ceil(longest / 1000))
      for (const [key] of touched) (buckets.get(key) as Bucket).tokens -= 1
      prune(now)
      return 0
    },
    set (limits) {
      active = limits === false ? undefined : rules(limits)
      buckets.clear()
    },
    clear () {
      buckets.clear()
    }
  }
}
