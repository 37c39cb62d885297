// Changing or withdrawing a message after the 202 (PATCH / DELETE /api/telegram/messages/:id).
// Not gone out yet: changed in place (patch.lua) or cancelled. Sent: an edit or delete job —
// an ordinary message of editMessage* / deleteMessage calls to the same chat, so it goes out
// in that chat's order, with the queue's retries — whose ack marks the message edited or
// deleted and queues that event (ack.lua). The message's stored calls are updated when the
// edit is queued, so a later PATCH compares against what Telegram will show.
import type { RedisClient } from '../redis/client.ts'
import type { EditBody } from '../schemas/edit.ts'
import { deleteCalls, EditConflict, editCalls, patchedCalls } from '../telegram/plan-edit.ts'
import { guardRedis } from './errors.ts'
import { PRIORITIES, type Priority, type QueueKeys } from './keys.ts'
import { toChatId, type BotCall } from '../telegram/bot-call.ts'
import type { Producer } from './producer.ts'
import { patchScript } from './scripts.ts'

export interface EditOutcome { status: string, edit: 'in-place' | 'queued' | 'unchanged', editId?: string, parts: number }
export type RemoveOutcome = { status: 'cancelled' } | { status: 'sent', deleteId: string }

export interface MessageEdits {
  /** undefined: no such message */
  edit (id: string, patch: EditBody): Promise<EditOutcome | undefined>
  remove (id: string): Promise<RemoveOutcome | undefined>
}

export interface EditDeps {
  redis: RedisClient
  keys: QueueKeys
  producer: Producer
  /** a job's time to live and attempts: those of any message */
  ttlMs: number
  attempts: number
}

interface Stored { status: string, raw: string, calls: BotCall[], messageIds: number[], chat: string, priority: Priority }

export function createMessageEdits (d: EditDeps): MessageEdits {
  const { redis, keys } = d

  async function read (id: string): Promise<Stored | undefined> {
    const [s, p, r, c, pr] = await guardRedis(() => redis.hmget(keys.msg(id), 's', 'p', 'r', 'c', 'pr'))
    if (s === null) return undefined
    let calls: BotCall[] = []
    try { calls = JSON.parse(p ?? '[]') as BotCall[] } catch { /* an unreadable message is not editable */ }
    return {
      status: String(s),
      raw: p ?? '',
      calls: Array.isArray(calls) ? calls : [],
      messageIds: r ? r.split(',').map(Number) : [],
      chat: c ?? '',
      priority: PRIORITIES[Number(pr ?? 2)] ?? 'normal'
    }
  }

  async function queueJob (id: string, m: Stored, calls: BotCall[], op: 'edit' | 'delete'): Promise<string> {
    const job = await d.producer.enqueue({
      chatId: toChatId(m.chat),
      calls,
      priority: m.priority,
      expiresAt: Date.now() + d.ttlMs,
      attempts: d.attempts,
      job: { of: id, op }
    })
    return job.id
  }

  const conflict = (id: string, status: string, what: string): never => {
    throw new EditConflict(`message ${id} is ${status}; ${what}`)
  }

  return {
    async edit (id, patch) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const m = await read(id)
        if (m === undefined) return undefined
        if (m.status === 'queued' || m.status === 'scheduled') {
          const next = patchedCalls(m.calls, patch)
          const r = await guardRedis(() => patchScript(redis, keys, {
            base: keys.base, id, now: Date.now(), callsRead: m.raw, calls: JSON.stringify(next), parts: next.length
          }))
          if (r === 'ok') return { status: m.status, edit: 'in-place', parts: next.length }
          if (r === 'missing') return undefined
          if (r === 'partly sent') conflict(id, r, 'a message whose first parts went out can only be edited once it is sent')
          // changed or claimed meanwhile: the next read sees where it went
          continue
        }
        if (m.status === 'active') conflict(id, m.status, 'it is being sent right now: try again in a moment')
        if (m.status !== 'sent') conflict(id, m.status, 'only a queued, scheduled or sent message can be edited')
        const next = patchedCalls(m.calls, patch)
        const calls = editCalls(m.calls, next, m.messageIds)
        if (calls.length === 0) return { status: m.status, edit: 'unchanged', parts: next.length }
        const editId = await queueJob(id, m, calls, 'edit')
        await guardRedis(() => redis.hset(keys.msg(id), 'p', JSON.stringify(next)))
        return { status: m.status, edit: 'queued', editId, parts: next.length }
      }
      throw new EditConflict(`message ${id} kept changing while it was being edited: try again`)
    },

    async remove (id) {
      const m = await read(id)
      if (m === undefined) return undefined
      if (m.status === 'sent') {
        const calls = deleteCalls(m.calls, m.messageIds)
        if (calls.length === 0) conflict(id, 'sent', 'none of its parts is a Telegram message that can be deleted')
        return { status: 'sent', deleteId: await queueJob(id, m, calls, 'delete') }
      }
      const r = await d.producer.cancel(id)
      if (r === 'ok') return { status: 'cancelled' }
      if (r === 'missing') return undefined
      return conflict(id, r, 'only a queued, scheduled, retrying or sent message can be deleted')
    }
  }
}
