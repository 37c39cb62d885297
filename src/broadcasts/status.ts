// A broadcast's progress: totals from the outcome counters the Lua scripts
// keep ({prefix}:b:<id>), and one page of per-recipient results: read from
// the messages for recipients that are messages already, from the pending
// list for those that are not yet (src/queue/lua/includes/broadcast.lua).
import { guardRedis } from '../queue/errors.ts'
import { PRIORITIES, type Priority } from '../queue/keys.ts'
import { toChatId } from '../telegram/bot-call.ts'
import { execPipeline } from '../queue/pipeline.ts'
import type { BroadcastStatus, RECIPIENT_STATUSES } from '../schemas/broadcast.ts'
import { broadcastTtlMs, type BroadcastDeps } from './deps.ts'
import { recipientMessageId } from './ids.ts'

type RecipientStatus = typeof RECIPIENT_STATUSES[number]

const OUTCOMES = ['sent', 'failed', 'dead', 'blocked', 'expired', 'cancelled'] as const

/**
 * Old records only: the previous release stored no `bk` on a message, so a
 * dead one is told blocked by the reasons it gave (a 403 answer, or a chat
 * already known to block the bot).
 */
const BLOCKED_REASON = /^(403: |chat is blocked: )/

/** `blocked`: the message's bk field, '1' when its chat blocked the bot (absent in old records) */
function recipientStatus (state: string | null, error: string | null, blocked: string | null): RecipientStatus {
  switch (state) {
    case 'sent': return 'sent'
    case 'expired': return 'expired'
    case 'cancelled': return 'cancelled'
    case 'failed': return 'failed'
    case 'dead': return (blocked === null ? BLOCKED_REASON.test(error ?? '') : blocked === '1') ? 'blocked' : 'failed'
    case null: return 'unknown'
    default: return 'pending'
  }
}

export async function readBroadcast (d: BroadcastDeps, id: string, page: { limit: number, cursor: number }): Promise<BroadcastStatus | undefined> {
  const { redis, keys } = d
  const [info, counts, oldIds, oldListed, locked] = await guardRedis(async () => {
    const tx = redis.multi()
      .hgetall(keys.broadcastInfo(id))
      .hgetall(keys.broadcast(id))
      .llen(keys.broadcastIds(id))
      .exists(keys.broadcastLock(id))
    // LRANGE with an end of -1 would be the whole list: limit 0 asks for totals only
    if (page.limit > 0) tx.lrange(keys.broadcastIds(id), page.cursor, page.cursor + page.limit - 1)
    const replies = await execPipeline(tx)
    return [replies[0], replies[1], replies[4] ?? [], replies[2], replies[3]]
  }) as [Record<string, string>, Record<string, string>, string[], number, number]
  if (info.id === undefined) return undefined
  const form2 = info.v === '2'
  const listed = form2 ? Number(info.listed ?? 0) : oldListed
  // form 2: recipients below `cur` are messages, the rest wait in the pending list
  const made = Number(info.cur ?? 0)
  const pageEnd = Math.min(page.cursor + page.limit, listed)
  const ids = form2 ? Array.from({ length: Math.max(pageEnd - page.cursor, 0) }, (_, i) => recipientMessageId(id, page.cursor + i)) : oldIds
  const firstPending = Math.max(page.cursor, made)
  const pendingChats = form2 && pageEnd > firstPending
    ? await guardRedis(() => redis.lrange(keys.broadcastPending(id), firstPending - made, pageEnd - made - 1))
    : []

  const n = (k: string) => Number(counts[k] ?? 0)
  const c = Object.fromEntries(OUTCOMES.map(k => [k, n(k)])) as Record<typeof OUTCOMES[number], number>
  const recipients = Number(info.recipients ?? 0)
  const finished = c.sent + c.failed + c.dead + c.expired + c.cancelled
  // a message requeued from the DLQ and then sent is counted twice (see README): never below 0
  const pending = Math.max(recipients - finished, 0)
  // finished other than by cancelling: the rate of what was tried
  const tried = c.sent + c.failed + c.dead + c.expired
  const expiresAt = Number(info.expires_at)
  if (Object.keys(counts).length > 0) {
    // the scripts create the counters without a TTL when the first outcome comes after queueing ended
    redis.pexpire(keys.broadcast(id), broadcastTtlMs(d, expiresAt)).catch(() => undefined)
  }

  let status: string
  if (info.status === 'cancelled') status = 'cancelled'
  else if (info.status === 'queuing') status = locked === 1 ? 'queuing' : 'interrupted'
  else if (pending === 0) status = 'completed'
  else if (info.send_at !== undefined && Number(info.send_at) > Date.now()) status = 'scheduled'
  else status = 'in_progress'

  const asMessages = form2 ? ids.slice(0, Math.max(Math.min(made, pageEnd) - page.cursor, 0)) : ids
  const pipeline = redis.pipeline()
  for (const m of asMessages) pipeline.hmget(keys.msg(m), 's', 'c', 'r', 'e', 'bk')
  const rows = asMessages.length === 0 ? [] : await guardRedis(() => execPipeline(pipeline))
  const results = asMessages.map((m, i) => {
    const [state = null, chat = null, sent = null, error = null, blocked = null] = (rows[i] ?? []) as Array<string | null>
    // a message is removed MESSAGE_LOG_RETENTION after it was sent or cancelled: 'gone'
    return {
      chat_id: chat === null ? '' : toChatId(chat),
      message_id: m,
      status: recipientStatus(state, error, blocked),
      state: state ?? 'gone',
      message_ids: sent ? sent.split(',').map(Number) : [],
      ...(error !== null && state !== 'sent' ? { error } : {})
    }
  })
  pendingChats.forEach((entry, i) => {
    const chat = entry.split('|')[0] as string
    const cancelled = info.status === 'cancelled'
    results.push({ chat_id: toChatId(chat), message_id: ids[asMessages.length + i] as string, status: cancelled ? 'cancelled' : 'pending', state: cancelled ? 'cancelled' : 'queued', message_ids: [] })
  })

  const next = page.cursor + ids.length
  return {
    id,
    status,
    created_at: new Date(Number(info.created_at)).toISOString(),
    priority: (info.priority ?? PRIORITIES[3]) as Priority,
    ...(info.send_at !== undefined ? { send_at: new Date(Number(info.send_at)).toISOString() } : {}),
    expires_at: new Date(expiresAt).toISOString(),
    content: JSON.parse(info.content ?? '{}'),
    ...(info.metadata !== undefined ? { metadata: JSON.parse(info.metadata) } : {}),
    recipients,
    duplicates: Number(info.duplicates ?? 0),
    pending,
    ...c,
    successful_deliveries: c.sent,
    delivery_rate: tried === 0 ? 0 : Math.round(c.sent / tried * 10_000) / 10_000,
    results,
    ...(ids.length > 0 && next < listed ? { next_cursor: String(next) } : {})
  }
}
