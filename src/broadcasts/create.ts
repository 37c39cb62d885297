// Queues a broadcast: one message per distinct recipient, through
// producer.enqueue like every other send, in chunks so memory stays flat however
// many recipients there are (at most two chunks' messages exist at a time).
// Each chunk's message ids are appended to the broadcast's id list together
// with the count of recipients done ("listed"), so a request that died midway
// can be resumed with the same idempotency_key: recipients up to "listed" are
// skipped, and those queued but not yet listed come back as duplicates of
// their per-recipient idempotency key instead of being queued twice.
import { InputError } from '../input-error.ts'
import { guardRedis } from '../queue/errors.ts'
import { chatKey, type Priority } from '../queue/keys.ts'
import { newMessageId } from '../queue/producer.ts'
import { finishedScript } from '../queue/scripts.ts'
import type { BroadcastAccepted } from '../schemas/broadcast.ts'
import { cancelBroadcast } from './cancel.ts'
import { broadcastTtlMs, type BroadcastDeps } from './deps.ts'
import type { BroadcastContent } from './content.ts'
import type { RecipientList } from './recipients.ts'

export interface BroadcastPlan {
  content: BroadcastContent
  recipients: RecipientList
  priority: Priority
  /** ms epochs, resolved and checked by the route before anything is queued */
  sendAt?: number
  expiresAt: number
  attempts: number
  metadata?: unknown
  idempotencyKey?: string
  /** callbackUrl gets its broadcast.finished; globalUrl that and every recipient message's events */
  events?: { callbackUrl?: string, globalUrl?: string }
}

/** Messages queued per round trip batch: big enough to keep Redis busy, small enough to keep memory flat. */
export const CHUNK = 500
const LOCK_MS = 30_000
const IDEMPOTENCY_MS = 24 * 3_600_000

export async function createBroadcast (d: BroadcastDeps, plan: BroadcastPlan): Promise<BroadcastAccepted> {
  const { redis, keys } = d
  let id = newMessageId()
  let resumeFrom = 0
  let resuming = false
  const answer = (status: string, duplicate = false): BroadcastAccepted => ({
    id,
    status,
    recipients: plan.recipients.unique.length,
    duplicates: plan.recipients.duplicates,
    priority: plan.priority,
    ...(plan.sendAt !== undefined ? { send_at: new Date(plan.sendAt).toISOString() } : {}),
    ...(duplicate ? { duplicate: true } : {})
  })
  const queuedStatus = plan.sendAt !== undefined ? 'scheduled' : 'queued'

  if (plan.idempotencyKey !== undefined) {
    const idemKey = keys.broadcastIdem(plan.idempotencyKey)
    const set = await guardRedis(() => redis.set(idemKey, id, 'PX', IDEMPOTENCY_MS, 'NX'))
    if (set === null) {
      id = await guardRedis(() => redis.get(idemKey)) ?? id
      const [status, listed, recipients, duplicates] = await guardRedis(() => redis.hmget(keys.broadcastInfo(id), 'status', 'listed', 'recipients', 'duplicates'))
      if (status !== null && status !== 'queuing') {
        return { ...answer(status === 'cancelled' ? 'cancelled' : queuedStatus, true), recipients: Number(recipients), duplicates: Number(duplicates) }
      }
      if (status === 'queuing') {
        // an earlier request with this key stopped midway, or is still at it
        const locked = await guardRedis(() => redis.set(keys.broadcastLock(id), '1', 'PX', LOCK_MS, 'NX'))
        if (locked === null) throw new InputError(`broadcast ${id} with this idempotency_key is still being queued by another request; retry in a few seconds`, [], 409)
        resumeFrom = Number(listed ?? 0)
        resuming = true
      }
    }
  }

  const ttl = broadcastTtlMs(d, plan.expiresAt)
  if (!resuming) {
    await guardRedis(() => redis.multi()
      .set(keys.broadcastLock(id), '1', 'PX', LOCK_MS)
      .hset(keys.broadcastInfo(id), {
        id,
        status: 'queuing',
        created_at: Date.now(),
        priority: plan.priority,
        ...(plan.sendAt !== undefined ? { send_at: plan.sendAt } : {}),
        expires_at: plan.expiresAt,
        recipients: plan.recipients.unique.length,
        duplicates: plan.recipients.duplicates,
        listed: 0,
        content: JSON.stringify(plan.content.summary),
        ...(plan.metadata !== undefined ? { metadata: JSON.stringify(plan.metadata) } : {}),
        ...(plan.idempotencyKey !== undefined ? { idempotency_key: plan.idempotencyKey } : {}),
        // where broadcast.finished goes (lua/includes/events.lua reads them)
        ...(plan.events?.callbackUrl !== undefined ? { cb: plan.events.callbackUrl } : {}),
        ...(plan.events?.globalUrl !== undefined ? { eg: plan.events.globalUrl } : {})
      })
      .pexpire(keys.broadcastInfo(id), ttl)
      // the list (GET /api/telegram/broadcasts); entries outlive their broadcast only until listed
      .zadd(keys.broadcasts, Date.now(), id)
      .exec())
  }

  try {
    const cancelled = await queueRecipients(d, plan, id, resumeFrom, ttl)
    await guardRedis(() => redis.multi()
      .hset(keys.broadcastInfo(id), 'status', cancelled ? 'cancelled' : 'queued')
      .del(keys.broadcastLock(id))
      // the scripts create the counters with the first outcome; give them the broadcast's lifetime
      .pexpire(keys.broadcast(id), ttl)
      .exec())
    await d.replicas.confirm()
    if (plan.events !== undefined) await guardRedis(() => finishedScript(redis, keys, { base: keys.base, broadcastId: id, now: Date.now() }))
    return answer(cancelled ? 'cancelled' : queuedStatus, resuming)
  } catch (err) {
    // Without an idempotency key the client cannot resume: take back what was
    // queued so that its retry does not send twice (best effort: Redis may be down).
    if (plan.idempotencyKey === undefined) await rollback(d, id).catch(() => undefined)
    // with one, this request is over: its retry may resume at once (a 503 from
    // the replica wait leaves Redis up, and the lock would answer it 409)
    else await redis.del(keys.broadcastLock(id)).catch(() => undefined)
    throw err
  }
}

interface Chunk {
  /** index after its last recipient */
  end: number
  settled: Promise<Array<PromiseSettledResult<{ id: string }>>>
}

function split (settled: Array<PromiseSettledResult<{ id: string }>>): { ids: string[], failure: unknown } {
  const ids: string[] = []
  let failure: unknown
  for (const s of settled) {
    if (s.status === 'fulfilled') ids.push(s.value.id)
    else failure ??= s.reason ?? new Error('enqueue failed')
  }
  return { ids, failure }
}

/**
 * Queues recipients from `from` on, chunk by chunk, with two chunks under
 * way: while Redis runs one chunk's scripts the next one is being built here.
 * Ids are listed in recipient order. True when the broadcast was cancelled
 * meanwhile.
 */
async function queueRecipients (d: BroadcastDeps, plan: BroadcastPlan, id: string, from: number, ttl: number): Promise<boolean> {
  const { redis, keys } = d
  const list = plan.recipients.unique
  const resumable = plan.idempotencyKey !== undefined
  // times stay the ms the route resolved: a long broadcast is not re-checked
  // against the clock per recipient (it would fail midway near expires_at)
  const delivery = {
    priority: plan.priority,
    ...(plan.sendAt !== undefined ? { sendAt: plan.sendAt } : {}),
    expiresAt: plan.expiresAt,
    attempts: plan.attempts,
    broadcastId: id,
    ...(plan.events?.globalUrl !== undefined ? { events: { globalUrl: plan.events.globalUrl } } : {})
  }
  const launch = (at: number): Chunk => {
    const end = Math.min(at + CHUNK, list.length)
    const settled = Promise.allSettled(list.slice(at, end).map((r, i) => {
      const { calls, note } = plan.content.callsFor(r, at + i)
      return d.producer.enqueue({
        chatId: r.chatId,
        calls,
        ...delivery,
        ...(note !== undefined ? { note } : {}),
        // a space cannot occur in a client's key, so this never matches one of theirs
        ...(resumable ? { idempotencyKey: `bc ${id} ${chatKey(r.chatId)}` } : {})
      })
    }))
    return { end, settled }
  }
  // Part of a chunk failed: with an idempotency key the retry lists what was
  // queued (it comes back as duplicates); without one it is listed now, so
  // that the rollback finds it.
  const shouldList = (ids: string[], failed: boolean) => ids.length > 0 && (!failed || !resumable)
  /** a chunk after the one that stopped the loop: list or cancel what it queued */
  const drain = async (chunk: Chunk | undefined, cancel: boolean) => {
    if (chunk === undefined) return
    const { ids } = split(await chunk.settled)
    if (cancel) await Promise.all(ids.map(m => d.producer.cancel(m)))
    else if (shouldList(ids, true)) await redis.rpush(keys.broadcastIds(id), ...ids).catch(() => undefined)
  }

  let current = from < list.length ? launch(from) : undefined
  while (current !== undefined) {
    const next = current.end < list.length ? launch(current.end) : undefined
    const { ids, failure } = split(await current.settled)
    const tx = redis.multi()
    if (shouldList(ids, failure !== undefined)) tx.rpush(keys.broadcastIds(id), ...ids)
    if (failure === undefined) tx.hset(keys.broadcastInfo(id), 'listed', current.end)
    let replies: Array<[Error | null, unknown]> | null
    try {
      replies = await guardRedis(() => tx
        .pexpire(keys.broadcastIds(id), ttl)
        .pexpire(keys.broadcastLock(id), LOCK_MS)
        .hget(keys.broadcastInfo(id), 'status')
        .exec())
      // one WAIT covers the chunk: its messages and its listing went out on this connection before it
      if (failure === undefined) await d.replicas.confirm()
    } catch (err) {
      await drain(next, false)
      throw err
    }
    if (failure !== undefined) {
      await drain(next, false)
      throw failure
    }
    if (replies?.[replies.length - 1]?.[1] === 'cancelled') {
      // DELETE came while we were queueing: it cancels what was listed before
      // its flag; what we queued after it is ours to cancel
      await Promise.all(ids.map(m => d.producer.cancel(m)))
      await drain(next, true)
      return true
    }
    current = next
  }
  return false
}

async function rollback (d: BroadcastDeps, id: string): Promise<void> {
  await cancelBroadcast(d, id)
  await d.redis.del(d.keys.broadcastLock(id))
}
