// The broadcast list, newest first, from the index create.ts keeps
// (keys.broadcasts: id -> created ms). Each entry's totals come from
// readBroadcast, so the list and GET /broadcasts/:id never disagree. Entries
// whose broadcast has expired are dropped from the index as they are met.
// The cursor is "<created ms>.<id>": stable while new broadcasts arrive.
import { guardRedis } from '../queue/errors.ts'
import type { BroadcastSummary } from '../schemas/broadcast.ts'
import type { BroadcastDeps } from './deps.ts'
import { readBroadcast } from './status.ts'

const BATCH = 100
/** Index entries looked at per page when a status filter skips most of them. */
const SCAN_MAX = 2000
const PREVIEW = 100

function preview (content: unknown): string {
  const c = (content ?? {}) as Record<string, unknown>
  const text = typeof c.text === 'string' ? c.text : typeof c.caption === 'string' ? c.caption : undefined
  if (text !== undefined) return text.length <= PREVIEW ? text : `${text.slice(0, PREVIEW - 1)}…`
  if (typeof c.template === 'string') return `template ${c.template}`
  return typeof c.kind === 'string' ? c.kind : ''
}

export async function listBroadcasts (
  d: BroadcastDeps, q: { status?: string, limit: number, cursor?: string }
): Promise<{ broadcasts: BroadcastSummary[], nextCursor?: string }> {
  const { redis, keys } = d
  let [afterScore, afterId] = q.cursor === undefined ? [Infinity, ''] : [Number(q.cursor.split('.')[0]), q.cursor.slice(q.cursor.indexOf('.') + 1)]
  const out: BroadcastSummary[] = []
  let scanned = 0
  let exhausted = false
  let last: string | undefined
  while (out.length < q.limit && scanned < SCAN_MAX) {
    const max = afterScore === Infinity ? '+inf' : String(afterScore)
    const page = await guardRedis(() => redis.zrevrangebyscore(keys.broadcasts, max, '-inf', 'WITHSCORES', 'LIMIT', 0, BATCH))
    const entries: Array<[string, number]> = []
    for (let i = 0; i + 1 < page.length; i += 2) {
      const id = page[i] as string
      const score = Number(page[i + 1])
      // equal scores come in reverse id order: skip up to and including the cursor's id
      if (score === afterScore && id >= afterId) continue
      entries.push([id, score])
    }
    if (entries.length === 0) { exhausted = true; break }
    for (const [id, score] of entries) {
      scanned++
      afterScore = score
      afterId = id
      const view = await readBroadcast(d, id, { limit: 0, cursor: 0 })
      if (view === undefined) {
        await redis.zrem(keys.broadcasts, id).catch(() => undefined)
        continue
      }
      if (q.status !== undefined && view.status !== q.status) continue
      out.push({
        id,
        created_at: view.created_at,
        ...(view.send_at !== undefined ? { send_at: view.send_at } : {}),
        status: view.status,
        recipients: view.recipients,
        successful_deliveries: view.successful_deliveries,
        failed: view.failed + view.dead + view.expired,
        pending: view.pending,
        preview: preview(view.content)
      })
      last = `${score}.${id}`
      if (out.length >= q.limit) break
    }
  }
  const more = !exhausted && (out.length >= q.limit || scanned >= SCAN_MAX)
  // a filtered page that ran out of scan budget still moves the cursor on
  const cursor = more ? (out.length >= q.limit && last !== undefined ? last : `${afterScore}.${afterId}`) : undefined
  return { broadcasts: out, ...(cursor !== undefined ? { nextCursor: cursor } : {}) }
}
