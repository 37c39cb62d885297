// Reads message state for the status API: one message, or the message log
// (hourly lists of ids, newest first, kept MESSAGE_LOG_RETENTION).
import type { RedisClient } from '../redis/client.ts'
import { PRIORITIES, type Priority, type QueueKeys } from './keys.ts'
import { chatKey, toChatId } from '../telegram/bot-call.ts'
import { guardRedis } from './errors.ts'
import type { MessageStatus } from './message.ts'
import type { MessageView } from '../schemas/message.ts'
import { execPipeline } from './pipeline.ts'

const HOUR = 3_600_000
const iso = (ms: string | undefined) => ms === undefined ? undefined : new Date(Number(ms)).toISOString()

export function toView (id: string, h: Record<string, string>): MessageView {
  // 'queued', 'scheduled' and 'sent' come from timestamps the message keeps
  // anyway; the stored history holds what has no field of its own
  const stored = (h.h ?? '').split('\n').filter(Boolean).map(line => {
    const e = JSON.parse(line) as { t: number, ev: string, d?: string }
    return { at: new Date(e.t).toISOString(), event: e.ev, ...(e.d ? { detail: e.d } : {}) }
  })
  const history = [
    { at: iso(h.t) as string, event: 'queued', ...(h.sa ? { detail: `scheduled for ${iso(h.sa)}` } : {}) },
    ...stored,
    ...(h.d ? [{ at: iso(h.d) as string, event: 'sent', detail: `message_id ${h.r ?? ''}` }] : [])
  ]
  const view: MessageView = {
    id,
    status: (h.s ?? 'queued') as MessageStatus,
    chat_id: toChatId(h.c ?? ''),
    priority: PRIORITIES[Number(h.pr ?? 2)] as Priority,
    attempts: Number(h.a ?? 0),
    max_attempts: Number(h.ma ?? 1),
    parts: Number(h.n ?? 1),
    parts_sent: Number(h.i ?? 0),
    message_ids: h.r ? h.r.split(',').map(Number) : [],
    created_at: iso(h.t) as string,
    expires_at: iso(h.x) as string,
    history
  }
  if (h.e) view.last_error = h.e
  if (h.u) view.updated_at = iso(h.u)
  if (h.sa) view.send_at = iso(h.sa)
  if (h.d) view.sent_at = iso(h.d)
  if (h.ik) view.idempotency_key = h.ik
  if (h.md) view.metadata = JSON.parse(h.md)
  if (h.nt) view.note = h.nt
  return view
}

export interface MessageReader {
  get (id: string): Promise<MessageView | undefined>
  list (q: { status?: MessageStatus, chatId?: string, limit: number, cursor?: string }): Promise<{ messages: MessageView[], nextCursor?: string }>
}

export function createMessageReader (redis: RedisClient, keys: QueueKeys, retentionMs: number): MessageReader {
  return {
    async get (id) {
      const h = await guardRedis(() => redis.hgetall(keys.msg(id)))
      return h.s === undefined ? undefined : toView(id, h)
    },

    // cursor = "<hour>.<index from the end of that hour's list>"
    async list ({ status, chatId, limit, cursor }) {
      const now = Date.now()
      const oldest = Math.floor((now - retentionMs) / HOUR)
      let [hour, skip] = cursor ? cursor.split('.').map(Number) as [number, number] : [Math.floor(now / HOUR), 0]
      const chat = chatId === undefined ? undefined : chatKey(chatId)
      const out: MessageView[] = []
      let scanned = 0
      const page = 200
      while (hour >= oldest && out.length < limit && scanned < 20_000) {
        const ids = await guardRedis(() => redis.lrange(keys.log(hour), -(skip + page), -(skip + 1)))
        if (ids.length === 0) { hour--; skip = 0; continue }
        const pipeline = redis.pipeline()
        for (const id of ids) pipeline.hgetall(keys.msg(id))
        const rows = await guardRedis(() => execPipeline(pipeline))
        // newest first within the hour
        for (let i = ids.length - 1; i >= 0; i--) {
          skip++
          scanned++
          const h = rows[i] as Record<string, string> | undefined
          if (!h || h.s === undefined) continue
          if (status !== undefined && h.s !== status) continue
          if (chat !== undefined && h.c !== chat) continue
          out.push(toView(ids[i] as string, h))
          if (out.length >= limit) break
        }
      }
      const more = hour >= oldest && (out.length >= limit || scanned >= 20_000)
      return { messages: out, ...(more ? { nextCursor: `${hour}.${skip}` } : {}) }
    }
  }
}
