// Queues a broadcast: its content once per variant and its recipients as one
// list of chats (see src/queue/lua/includes/broadcast.lua), one script call
// per chunk of recipients. Nothing is delivered until the last chunk is in:
// that call also makes the broadcast due, and claim.lua then turns recipients
// into messages as the queue drains. A request that died midway is resumed
// with the same idempotency_key from the count of recipients listed (a chunk
// goes in only at its expected place, so none is listed twice); without a key
// the half-stored broadcast is deleted, nothing of it having been sent.
import { InputError } from '../input-error.ts'
import { guardRedis } from '../queue/errors.ts'
import { PRIORITIES, type Priority } from '../queue/keys.ts'
import { chatKey } from '../telegram/bot-call.ts'
import { newMessageId } from '../queue/producer.ts'
import { broadcastAddScript, broadcastCancelScript, broadcastKeys, finishedScript } from '../queue/scripts.ts'
import type { BroadcastAccepted } from '../schemas/broadcast.ts'
import { PLACEHOLDER_CHAT, type BroadcastContent, type Variant } from './content.ts'
import type { RecipientList } from './recipients.ts'
import { broadcastTtlMs, type BroadcastDeps } from './deps.ts'

/** Recipients as stored ('chat' or 'chat|variant') and the distinct variants they use. */
export interface PreparedRecipients {
  entries: string[]
  variants: Variant[]
}

export interface BroadcastPlan {
  content: BroadcastContent
  recipients: RecipientList
  prepared: PreparedRecipients
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

/** Recipients per script call: one RPUSH of this many stays well inside Lua's stack limit (~8,000 values). */
export const CHUNK = 5000
const LOCK_MS = 30_000
const IDEMPOTENCY_MS = 24 * 3_600_000
/** where the chat goes in a variant's stored JSON; a raw control character never occurs in JSON.stringify's output */
const CHAT_MARK = '\u0001'

/** Every recipient's variant, built before anything is stored: a template failing for one recipient is a 400. */
export function prepareRecipients (content: BroadcastContent, recipients: RecipientList): PreparedRecipients {
  const index = new Map<string, number>()
  const variants: Variant[] = []
  const entries = recipients.unique.map(r => {
    const v = content.variantFor(r)
    let k = index.get(v.key)
    if (k === undefined) {
      k = variants.length
      index.set(v.key, k)
      variants.push(v)
    }
    const chat = chatKey(r.chatId)
    return k === 0 ? chat : `${chat}|${k}`
  })
  return { entries, variants }
}

function variantFields (variants: Variant[]): Record<string, string | number> {
  const fields: Record<string, string | number> = {}
  const placeholder = `"chat_id":${PLACEHOLDER_CHAT}`
  variants.forEach((v, k) => {
    fields[k] = JSON.stringify(v.calls).split(placeholder).join(`"chat_id":${CHAT_MARK}`)
    fields[`n${k}`] = v.calls.length
    if (v.note !== undefined) fields[`t${k}`] = v.note
  })
  return fields
}

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
        // the form of includes/broadcast.lua; broadcasts without it list one message per recipient
        v: 2,
        status: 'queuing',
        created_at: Date.now(),
        priority: plan.priority,
        pr: PRIORITIES.indexOf(plan.priority),
        ...(plan.sendAt !== undefined ? { send_at: plan.sendAt } : {}),
        expires_at: plan.expiresAt,
        ma: plan.attempts,
        ...(plan.content.paid ? { pb: 1 } : {}),
        recipients: plan.recipients.unique.length,
        duplicates: plan.recipients.duplicates,
        listed: 0,
        cur: 0,
        content: JSON.stringify(plan.content.summary),
        ...(plan.metadata !== undefined ? { metadata: JSON.stringify(plan.metadata) } : {}),
        ...(plan.idempotencyKey !== undefined ? { idempotency_key: plan.idempotencyKey } : {}),
        // where broadcast.finished goes (lua/includes/events.lua reads them)
        ...(plan.events?.callbackUrl !== undefined ? { cb: plan.events.callbackUrl } : {}),
        ...(plan.events?.globalUrl !== undefined ? { eg: plan.events.globalUrl } : {})
      })
      .hset(keys.broadcastVariants(id), variantFields(plan.prepared.variants))
      .pexpire(keys.broadcastInfo(id), ttl)
      .pexpire(keys.broadcastVariants(id), ttl)
      // the list (GET /api/telegram/broadcasts); entries outlive their broadcast only until listed
      .zadd(keys.broadcasts, Date.now(), id)
      .exec())
  }

  try {
    const status = await listRecipients(d, plan, id, resumeFrom, ttl)
    if (status === 'cancelled') {
      // DELETE came while we were listing: what we listed after it is dropped too
      await guardRedis(() => broadcastCancelScript(redis, broadcastKeys(keys, id), { id }))
    }
    await guardRedis(() => redis.del(keys.broadcastLock(id)))
    await d.replicas.confirm()
    if (plan.events !== undefined) await guardRedis(() => finishedScript(redis, keys, { base: keys.base, broadcastId: id, now: Date.now() }))
    return answer(status === 'cancelled' ? 'cancelled' : queuedStatus, resuming)
  } catch (err) {
    // Without an idempotency key the client cannot resume: nothing was sent
    // (the broadcast was not due yet), so take it back (best effort: Redis may be down).
    if (plan.idempotencyKey === undefined) {
      await redis.multi()
        .del(keys.broadcastInfo(id), keys.broadcastVariants(id), keys.broadcastPending(id), keys.broadcastLock(id))
        .zrem(keys.broadcasts, id)
        .exec().catch(() => undefined)
    // with one, this request is over: its retry may resume at once (a 503 from
    // the replica wait leaves Redis up, and the lock would answer it 409)
    } else await redis.del(keys.broadcastLock(id)).catch(() => undefined)
    throw err
  }
}

/**
 * Lists recipients from `from` on, one broadcast-add call per chunk, all
 * sent at once (ioredis pipelines them; each goes in only at its place). The
 * last call makes the broadcast due. Returns the broadcast's status after it.
 */
async function listRecipients (d: BroadcastDeps, plan: BroadcastPlan, id: string, from: number, ttl: number): Promise<string> {
  const { redis, keys } = d
  const entries = plan.prepared.entries
  const scriptKeys = { ...broadcastKeys(keys, id), wake: keys.wake }
  const dueAt = plan.sendAt ?? Date.now()
  const calls: Array<Promise<{ listed: number, status: string }>> = []
  for (let at = from; at < entries.length || calls.length === 0; at += CHUNK) {
    const end = Math.min(at + CHUNK, entries.length)
    const last = end >= entries.length
    calls.push(guardRedis(() => broadcastAddScript(redis, scriptKeys, { id, listedBefore: at, dueAt: last ? dueAt : 0, ttlMs: ttl, entries: entries.slice(at, end) })))
  }
  const { listed, status } = (await Promise.all(calls))[calls.length - 1] as { listed: number, status: string }
  if (listed !== entries.length) throw new Error(`broadcast ${id}: ${listed} of ${entries.length} recipients listed (another request at it?)`)
  return status
}
