// The chat directory: chats the bot knows (a /start, or a my_chat_member update about it),
// whether they are blocked (and since when) and where a migrated group went. Read by the chat
// routes, written by the bot. `blocked` (chat → reason) is what claim.lua reads to dead-letter
// a message without sending it; `blocked-since` (chat → ms) sits beside it so blocked chats
// can be paged newest first. Older releases wrote `blocked` alone: such chats are backfilled
// into `blocked-since` with an unknown time (0) the first time the blocked list is read.
import type { RedisClient } from '../redis/client.ts'
import type { QueueKeys } from '../queue/keys.ts'
import { chatKey, toChatId } from '../telegram/bot-call.ts'
import { guardRedis } from '../queue/errors.ts'
import { execPipeline } from '../queue/pipeline.ts'
import type { ChatView } from '../schemas/chat.ts'
import type { BotKeys } from './keys.ts'

export interface ChatDirectory {
  get (chatId: number | string): Promise<ChatView | undefined>
  list (q: { blocked?: boolean, limit: number, cursor?: string }): Promise<{ chats: ChatView[], nextCursor?: string }>
  /** from now on messages to the chat go to the DLQ without a send; a chat already blocked keeps its `since` */
  block (chatId: number | string, reason: string, at: number): Promise<void>
  /** true if it was blocked */
  unblock (chatId: number | string): Promise<boolean>
  /** the bot's status in a chat from my_chat_member; false (nothing written) if a newer update was applied */
  setMemberStatus (chat: { id: number, type: string }, status: string, at: number): Promise<boolean>
  /** adds a chat first seen now (a /start) to the list; a chat already listed keeps its place */
  touch (chatId: number, at: number): Promise<void>
}

const iso = (ms: string | undefined) => ms === undefined ? undefined : new Date(Number(ms)).toISOString()
/** Chats looked at per listing request, at most, when filtering registered chats by blocked=false. */
const SCAN_BUDGET = 5000

export function createChatDirectory (redis: RedisClient, q: QueueKeys, b: BotKeys): ChatDirectory {
  async function views (chats: string[]): Promise<Array<ChatView | undefined>> {
    if (chats.length === 0) return []
    const p = redis.pipeline()
    for (const chat of chats) p.hgetall(b.chat(chat)).hget(q.blocked, chat).zscore(q.blockedSince, chat).hget(q.migrated, chat)
    const r = await guardRedis(() => execPipeline(p))
    return chats.map((chat, i) => toView(chat, r[4 * i] as Record<string, string>, r[4 * i + 1] as string | null,
      r[4 * i + 2] as string | null, r[4 * i + 3] as string | null))
  }

  /** One page of zset `key`, newest first, after the cursor ("<score>:<member>"). */
  async function page (key: string, cursor: string | undefined, count: number): Promise<Array<[string, string]>> {
    let start = 0
    if (cursor !== undefined) {
      const sep = cursor.indexOf(':')
      const [score, member] = [cursor.slice(0, sep), cursor.slice(sep + 1)]
      const rank = await guardRedis(() => redis.zrevrank(key, member))
      // the cursor's chat left the set (unblocked): continue after everything newer than it
      start = rank !== null ? rank + 1 : await guardRedis(() => redis.zcount(key, `(${score}`, '+inf'))
    }
    const flat = await guardRedis(() => redis.zrevrange(key, start, start + count - 1, 'WITHSCORES'))
    const out: Array<[string, string]> = []
    for (let i = 0; i < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string])
    return out
  }

  async function backfillBlocked (): Promise<void> {
    const [hashed, listed] = await guardRedis(() => Promise.all([redis.hlen(q.blocked), redis.zcard(q.blockedSince)]))
    if (hashed <= listed) return
    let cursor = '0'
    do {
      const [next, flat] = await guardRedis(() => redis.hscan(q.blocked, cursor, 'COUNT', 500))
      cursor = next
      const p = redis.pipeline()
      for (let i = 0; i < flat.length; i += 2) p.zadd(q.blockedSince, 'NX', 0, flat[i] as string)
      await guardRedis(() => execPipeline(p))
    } while (cursor !== '0')
  }

  return {
    async get (chatId) {
      const [view] = await views([chatKey(chatId)])
      return view
    },

    async list ({ blocked, limit, cursor }) {
      if (blocked === true) await backfillBlocked()
      const key = blocked === true ? q.blockedSince : b.chats
      const out: ChatView[] = []
      let at = cursor
      let scanned = 0
      let exhausted = false
      while (out.length < limit && scanned < SCAN_BUDGET) {
        const rows = await page(key, at, Math.min(500, limit - out.length))
        if (rows.length === 0) { exhausted = true; break }
        const found = await views(rows.map(([chat]) => chat))
        for (const [i, [chat, score]] of rows.entries()) {
          at = `${score}:${chat}`
          scanned++
          const view = found[i]
          if (view === undefined) continue
          if (blocked === true && view.blocked === null) {
            // unblocked by a process that only knew the `blocked` hash
            await guardRedis(() => redis.zrem(q.blockedSince, chat))
            continue
          }
          if (blocked === false && view.blocked !== null) continue
          out.push(view)
        }
      }
      const more = !exhausted && at !== undefined && at !== cursor && (await page(key, at, 1)).length > 0
      return { chats: out, ...(more ? { nextCursor: at } : {}) }
    },

    async block (chatId, reason, at) {
      const chat = chatKey(chatId)
      await guardRedis(() => redis.multi().hset(q.blocked, chat, reason).zadd(q.blockedSince, 'NX', at, chat).exec())
    },

    async unblock (chatId) {
      const chat = chatKey(chatId)
      const r = await guardRedis(() => redis.multi().hdel(q.blocked, chat).zrem(q.blockedSince, chat).exec())
      return Number(r?.[0]?.[1] ?? 0) > 0
    },

    async setMemberStatus (chat, status, at) {
      const key = b.chat(chat.id)
      const seen = Number(await guardRedis(() => redis.hget(key, 'member_status_at')) ?? 0)
      // Telegram dates are seconds: two changes within one second apply in the order they came
      if (seen > at) return false
      await guardRedis(() => redis.multi()
        .hset(key, { chat_id: chat.id, chat_type: chat.type, member_status: status, member_status_at: at })
        .zadd(b.chats, 'NX', at, chat.id)
        .exec())
      return true
    },

    async touch (chatId, at) {
      await guardRedis(() => redis.zadd(b.chats, 'NX', at, chatId))
    }
  }
}

function toView (chat: string, h: Record<string, string>, blocked: string | null, since: string | null, migrated: string | null): ChatView | undefined {
  const known = Object.keys(h).length > 0
  if (!known && blocked === null && migrated === null) return undefined
  const view: ChatView = {
    chat_id: toChatId(chat),
    blocked: blocked === null ? null : { reason: blocked, since: since === null || since === '0' ? null : iso(since) as string },
    migrated_to: migrated === null ? null : toChatId(migrated)
  }
  if (h.chat_type) view.type = h.chat_type
  if (h.registered_at) view.registered_at = iso(h.registered_at)
  if (h.registered_at && h.updated_at) view.last_start_at = iso(h.updated_at)
  if (h.user_id) {
    view.user = {
      id: Number(h.user_id),
      ...(h.username !== undefined ? { username: h.username } : {}),
      ...(h.first_name !== undefined ? { first_name: h.first_name } : {}),
      ...(h.language_code !== undefined ? { language_code: h.language_code } : {})
    }
  }
  if (h.language) view.language = h.language
  if (h.payload) view.payload = h.payload
  if (h.member_status) {
    view.member_status = h.member_status
    view.member_status_at = iso(h.member_status_at)
  }
  return view
}
