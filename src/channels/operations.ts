// Channel member operations as queued messages (README "Channel members"). An operation
// is one call to a transport (op.invite, op.remove: see transports.ts) queued
// under the chat key op:<channel>:<user>, so claim.lua's per-chat order
// applies per channel and user: an invite followed by a removal is applied in
// that order. Its idempotency key says what it does, so the same operation
// asked for again within 5 minutes returns the first one's id.
import type { RedisClient } from '../redis/client.ts'
import { InputError } from '../input-error.ts'
import type { QueueKeys } from '../queue/keys.ts'
import { chatKey, type BotCall } from '../telegram/bot-call.ts'
import { newMessageId } from '../queue/producer.ts'
import type { InviteBody, RemoveBody } from '../schemas/channel.ts'

export const INVITE = 'op.invite'
export const REMOVE = 'op.remove'
export const DEDUPE_MS = 300_000

/** What op.invite finds in its params. */
export interface InviteParams {
  chat_id: number | string
  user_id: number
  /** names the operation's record (keys.operation): the link it created, the message it belongs to */
  ref: string
  name?: string
  /** unix seconds */
  expire_date?: number
  text: string
  order_id?: string | number
  subscription_id?: string | number
}

export interface RemoveParams {
  chat_id: number | string
  user_id: number
  reason: string
  subscription_id?: string | number
}

export interface Operation {
  chat: string
  call: BotCall
  idempotencyKey: string
  note?: string
  ref?: string
}

// A short line above the link. Not a template: the link only exists when the
// worker runs, and this is the one sentence the operation needs.
const INVITE_TEXT: Record<string, string> = {
  ru: 'Ваша личная ссылка для вступления в канал (действует для одного человека):',
  en: 'Your personal invite link to the channel (it works for one person):'
}

function inviteText (language: string | undefined, fallback: string): string {
  for (const l of [language, fallback, 'en']) {
    const base = l?.toLowerCase().split(/[-_]/)[0]
    if (base !== undefined && INVITE_TEXT[base] !== undefined) return INVITE_TEXT[base]
  }
  return INVITE_TEXT.en as string
}

/** The queue's chat for operations on this channel and user ('-' and '@' never start it: the 1/s per-chat pace). */
function operationChat (channel: number | string, userId: number): string {
  return `op:${chatKey(channel)}:${userId}`
}

export function inviteOperation (channel: number | string, body: Omit<InviteBody, 'max_retries'>, defaultLanguage: string): Operation {
  let expireDate: number | undefined
  if (body.expire_date !== undefined) {
    expireDate = Math.floor(Date.parse(body.expire_date) / 1000)
    if (expireDate * 1000 <= Date.now()) throw InputError.field('body.expire_date', 'is in the past')
  }
  const [kind, reference] = body.order_id !== undefined ? ['order', body.order_id] : body.subscription_id !== undefined ? ['subscription', body.subscription_id] : []
  const chat = operationChat(channel, body.user_id)
  const ref = newMessageId()
  const params: InviteParams = {
    chat_id: channel,
    user_id: body.user_id,
    ref,
    // Telegram allows 32 characters for a link's name
    ...(kind !== undefined ? { name: `${kind} ${reference}`.slice(0, 32) } : {}),
    ...(expireDate !== undefined ? { expire_date: expireDate } : {}),
    text: body.message ?? inviteText(body.language, defaultLanguage),
    ...(body.order_id !== undefined ? { order_id: body.order_id } : {}),
    ...(body.subscription_id !== undefined ? { subscription_id: body.subscription_id } : {})
  }
  // both given: the same order under another subscription is another invite
  const also = body.order_id !== undefined && body.subscription_id !== undefined ? ` subscription ${body.subscription_id}` : ''
  return {
    chat,
    call: { method: INVITE, params: { ...params } },
    // a space cannot occur in a client's key: no collision with theirs
    idempotencyKey: `op invite ${chat} ${kind ?? '-'} ${reference ?? '-'}${also}`,
    ...(kind !== undefined ? { note: `invite for ${[body.order_id !== undefined ? `order ${body.order_id}` : '', body.subscription_id !== undefined ? `subscription ${body.subscription_id}` : ''].filter(Boolean).join(', ')}` } : {}),
    ref
  }
}

export function removeOperation (channel: number | string, userId: number, body: Pick<RemoveBody, 'reason' | 'subscription_id'>): Operation {
  const chat = operationChat(channel, userId)
  const sub = body.subscription_id
  const params: RemoveParams = { chat_id: channel, user_id: userId, reason: body.reason, ...(sub !== undefined ? { subscription_id: sub } : {}) }
  return {
    chat,
    call: { method: REMOVE, params: { ...params } },
    idempotencyKey: `op remove ${chat} ${body.reason}${sub !== undefined ? ` subscription ${sub}` : ''}`,
    note: `remove user ${userId} (${body.reason}${sub !== undefined ? `, subscription ${sub}` : ''}): banChatMember, then unbanChatMember, so the user may join again later`
  }
}

/**
 * The invite link is shown in its message's status (note). The route knows
 * the message id, the worker knows the link; each records its half in the
 * operation's hash and reads the other's in the same transaction, so
 * whichever comes second writes the note.
 */
export async function recordInviteHalf (
  redis: RedisClient, keys: QueueKeys, ref: string, half: { msg: string } | { link: string, user: number }, ttlMs: number
): Promise<void> {
  const key = keys.operation(ref)
  const tx = redis.multi().hset(key, half)
  // the route knows how long the operation may live (its expiry + retention);
  // the worker only sets a lifetime when it comes first
  if ('msg' in half) tx.pexpire(key, ttlMs)
  else tx.pexpire(key, ttlMs, 'NX')
  const replies = await tx.hmget(key, 'msg', 'link', 'user').exec()
  const [msg, link, user] = (replies?.[2]?.[1] ?? []) as Array<string | null>
  if (msg && link) await redis.hset(keys.msg(msg), 'nt', `invite link ${link} for user ${user ?? '?'}`)
}
