// The dead-letter queue as admins see it: list (newest first), requeue one or
// many, delete one, clear. Removing the id from the DLQ zset (ZREM in
// requeue.lua, or here) is the atomic "this caller owns it" step, so two
// admins acting on one message at once never queue or delete it twice. Bulk
// operations walk the DLQ oldest first in bounded batches (no unbounded Lua)
// and only touch entries that were dead when the call began, so a message
// that dies again meanwhile is not requeued twice by one call.
import type { RedisClient } from '../redis/client.ts'
import type { QueueKeys } from './keys.ts'
import { requeueScript } from './scripts.ts'
import { guardRedis } from './errors.ts'
import { execPipeline } from './pipeline.ts'
import { toView } from './messages.ts'
import type { DlqEntry } from '../schemas/admin.ts'
import type { ReplicaAck } from '../redis/replication.ts'

const BATCH = 200

export interface DlqPage {
  total: number
  entries: DlqEntry[]
  nextCursor?: string
}

export interface Dlq {
  /** newest first; cursor = "<score>.<id>" of the last entry shown */
  list (q: { limit: number, cursor?: string }): Promise<DlqPage>
  /** a message id in the DLQ, or (old clients) a numeric index into the newest-first listing */
  resolve (idOrIndex: string): Promise<string | undefined>
  requeue (id: string, who: string): Promise<'requeued' | 'missing'>
  /** every entry, or those whose last error contains `errorContains` (case-insensitive) */
  requeueAll (o: { errorContains?: string, who: string }): Promise<{ requeued: number, remaining: number }>
  remove (id: string): Promise<boolean>
  clear (): Promise<number>
}

export interface DlqOptions {
  redis: RedisClient
  keys: QueueKeys
  /** a requeued message gets a fresh expiry: now + this */
  ttlMs: number
  /** waited for before a requeue is answered */
  replicas?: ReplicaAck
}

function pairs (raw: string[]): Array<[string, number]> {
  const out: Array<[string, number]> = []
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, Number(raw[i + 1])])
  return out
}

export function createDlq ({ redis, keys, ttlMs, replicas }: DlqOptions): Dlq {
  /**
   * Yields batches of ids with score <= until, oldest first. The caller may
   * remove what it was given (or not): the walk resumes after the last
   * (score, id) yielded, skipping entries with the same score it has seen.
   */
  async function * oldestFirst (until: number): AsyncGenerator<string[]> {
    let lastScore = -Infinity
    let lastId = ''
    let offset = 0
    for (;;) {
      const min = lastScore === -Infinity ? '-inf' : String(lastScore)
      const raw = await redis.zrangebyscore(keys.dlq, min, until, 'WITHSCORES', 'LIMIT', offset, BATCH)
      if (raw.length === 0) return
      const fresh: string[] = []
      for (const [id, score] of pairs(raw)) {
        if (score < lastScore || (score === lastScore && id <= lastId)) continue
        fresh.push(id)
        lastScore = score
        lastId = id
      }
      // only already-seen ties at lastScore came back: look further along
      if (fresh.length === 0) { offset += raw.length / 2; continue }
      offset = 0
      yield fresh
    }
  }

  async function requeueOne (id: string, who: string): Promise<'requeued' | 'missing'> {
    const now = Date.now()
    return await requeueScript(redis, keys, { base: keys.base, id, now, expiresAt: now + ttlMs, who })
  }

  return {
    async list ({ limit, cursor }) {
      return await guardRedis(async () => {
        const [cursorScore, cursorId] = cursor ? [Number(cursor.slice(0, cursor.indexOf('.'))), cursor.slice(cursor.indexOf('.') + 1)] : [Infinity, '']
        const picked: Array<[string, number]> = []
        let offset = 0
        while (picked.length <= limit) {
          const want = limit + 1 - picked.length
          const raw = await redis.zrevrangebyscore(keys.dlq, cursor ? cursorScore : '+inf', '-inf', 'WITHSCORES', 'LIMIT', offset, want)
          const rows = pairs(raw)
          offset += rows.length
          // ties with the cursor's score come in reverse id order: skip those shown
          for (const row of rows) if (!(row[1] === cursorScore && row[0] >= cursorId)) picked.push(row)
          if (rows.length < want) break
        }
        const more = picked.length > limit
        const page = picked.slice(0, limit)
        const p = redis.pipeline()
        p.zcard(keys.dlq)
        for (const [id] of page) p.hgetall(keys.msg(id))
        const replies = await execPipeline(p)
        const entries: DlqEntry[] = []
        page.forEach(([id, score], i) => {
          const h = replies[i + 1] as Record<string, string> | undefined
          // a hash removed behind our back: nothing to show or requeue
          if (h && h.s !== undefined) entries.push({ ...toView(id, h), dead_at: new Date(score).toISOString() })
        })
        const last = page[page.length - 1]
        return {
          total: Number(replies[0] ?? 0),
          entries,
          ...(more && last ? { nextCursor: `${last[1]}.${last[0]}` } : {})
        }
      })
    },

    async resolve (idOrIndex) {
      return await guardRedis(async () => {
        if (await redis.zscore(keys.dlq, idOrIndex) !== null) return idOrIndex
        if (!/^\d{1,9}$/.test(idOrIndex)) return undefined
        const [id] = await redis.zrevrange(keys.dlq, Number(idOrIndex), Number(idOrIndex))
        return id
      })
    },

    async requeue (id, who) {
      const result = await guardRedis(() => requeueOne(id, who))
      await replicas?.confirm()
      return result
    },

    async requeueAll ({ errorContains, who }) {
      return await guardRedis(async () => {
        const needle = errorContains?.toLowerCase()
        const done = new Set<string>()
        for await (const batch of oldestFirst(Date.now())) {
          let ids = batch.filter(id => !done.has(id))
          if (needle !== undefined) {
            const p = redis.pipeline()
            for (const id of ids) p.hget(keys.msg(id), 'e')
            const errors = await execPipeline(p)
            ids = ids.filter((_, i) => String(errors[i] ?? '').toLowerCase().includes(needle))
          }
          if (ids.length === 0) continue
          // one connection runs them in the order sent: the queue lists get
          // them oldest first, which keeps each chat's messages in order
          const results = await Promise.all(ids.map(id => requeueOne(id, who)))
          ids.forEach((id, i) => { if (results[i] === 'requeued') done.add(id) })
          await replicas?.confirm()
        }
        return { requeued: done.size, remaining: await redis.zcard(keys.dlq) }
      })
    },

    async remove (id) {
      return await guardRedis(async () => {
        if (await redis.zrem(keys.dlq, id) === 0) return false
        await redis.del(keys.msg(id))
        return true
      })
    },

    async clear () {
      return await guardRedis(async () => {
        let deleted = 0
        for await (const batch of oldestFirst(Date.now())) {
          const p = redis.pipeline()
          for (const id of batch) p.zrem(keys.dlq, id)
          const removed = await execPipeline(p)
          const mine = batch.filter((_, i) => removed[i] === 1)
          if (mine.length > 0) await redis.del(...mine.map(id => keys.msg(id)))
          deleted += mine.length
        }
        return deleted
      })
    }
  }
}
