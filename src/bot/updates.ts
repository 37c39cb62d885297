// Handles one update, from the webhook or the poller. In order:
//   1. not an update we can read → ignored (never a 4xx: Telegram would resend it forever);
//   2. an update_id seen in the last 24 h → ignored (Telegram redelivers after a
//      timeout; the poller may fetch again what it has not confirmed);
//   3. my_chat_member (the bot's own membership) → the chat directory: member or
//      administrator unblocks the chat, kicked or left in a private chat blocks it
//      at once (no send is wasted on finding out); then forwarded like 4;
//   4. not something the bot answers (plain text and unknown commands when
//      forwarding, group chatter, buttons it does not own, other update types) →
//      forwarded to UPDATES_FORWARD_URL if set (a foreign button gets an empty
//      answer so it stops spinning), else ignored;
//   5. the sender's BOT_UPDATE_RATE_PER_MINUTE exceeded → one polite notice, then
//      silence for the rest of the minute, counted in stats and per user;
//   6. a command or a button press.
// Everything it sends is queued. If Redis fails half-way, the update_id is
// released and QueueUnavailableError thrown, so that Telegram's redelivery (or
// the poller's next fetch) handles it instead of dropping it. Any other failure
// is a bug for this update only: logged, and the update is not retried forever.
import { guardRedis, QueueUnavailableError } from '../queue/errors.ts'
import { isUpdate, type ChatMemberUpdated, type Update } from '../schemas/update.ts'
import { parseBookingCallback } from '../templates/index.ts'
import { handleCallback } from './callbacks.ts'
import { handleMessage, isForBot } from './commands.ts'
import { answerCallback, reply, type BotContext } from './context.ts'
import { forwardUpdate } from './forward.ts'

export type Outcome = 'handled' | 'forwarded' | 'ignored' | 'duplicate' | 'rate-limited' | 'failed'

const SEEN_TTL_S = 86_400
const WINDOW_S = 60

export async function dispatchUpdate (ctx: BotContext, raw: unknown): Promise<Outcome> {
  if (!isUpdate(raw)) {
    ctx.log.debug({ update_id: (raw as { update_id?: unknown } | null)?.update_id }, 'not an update the bot reads: ignored')
    return 'ignored'
  }
  const seen = ctx.keys.update(raw.update_id)
  const first = await guardRedis(() => ctx.redis.set(seen, '1', 'EX', SEEN_TTL_S, 'NX'))
  if (first === null) {
    await guardRedis(() => ctx.redis.hincrby(ctx.queueKeys.stats, 'bot_duplicate_updates', 1))
    return 'duplicate'
  }
  try {
    return await route(ctx, raw)
  } catch (err) {
    if (err instanceof QueueUnavailableError) {
      await ctx.redis.del(seen).catch(() => undefined)
      throw err
    }
    ctx.log.error({ update_id: raw.update_id, err }, 'update handling failed; dropped')
    return 'failed'
  }
}

async function route (ctx: BotContext, update: Update): Promise<Outcome> {
  if (update.my_chat_member !== undefined) await applyMembership(ctx, update.my_chat_member)
  const q = update.callback_query
  const message = update.message
  const forwarding = ctx.config.UPDATES_FORWARD_URL !== undefined
  const answered = q !== undefined
    ? !forwarding || (q.data !== undefined && parseBookingCallback(q.data) !== null)
    : message !== undefined && isForBot(message, !forwarding)
  if (!answered) {
    if (!forwarding) return update.my_chat_member === undefined ? 'ignored' : 'handled'
    // Telegram shows a spinner on the button until it is answered; the receiver cannot answer it in time
    if (q !== undefined) await answerCallback(ctx, q.id)
    await forwardUpdate(ctx, update)
    return 'forwarded'
  }
  const from = q?.from ?? message?.from

  const n = await countUpdate(ctx, from?.id)
  const limit = ctx.config.BOT_UPDATE_RATE_PER_MINUTE
  if (from !== undefined && n > limit) {
    await guardRedis(() => ctx.redis.multi()
      .hincrby(ctx.queueKeys.stats, 'bot_rate_limited', 1)
      .hincrby(ctx.keys.rateLimited, String(from.id), 1)
      .exec())
    if (n === limit + 1) {
      ctx.log.info({ user: from.id, limit }, 'user over the update rate limit: one notice, then silence')
      const notice = ctx.strings.t(ctx.strings.pick(from.language_code), 'bot.rate_limited')
      if (q !== undefined) await answerCallback(ctx, q.id, notice)
      else if (message !== undefined) await reply(ctx, message.chat.id, notice)
    }
    return 'rate-limited'
  }

  if (q !== undefined) await handleCallback(ctx, q)
  else if (message !== undefined) await handleMessage(ctx, message)
  return 'handled'
}

/** Kicked or left in a private chat: the user blocked the bot (or deleted the chat). */
async function applyMembership (ctx: BotContext, m: ChatMemberUpdated): Promise<void> {
  const status = m.new_chat_member.status
  const at = m.date * 1000
  if (!await ctx.chats.setMemberStatus(m.chat, status, at)) return
  if (status === 'member' || status === 'administrator') {
    if (await ctx.chats.unblock(m.chat.id)) ctx.log.info({ chat: m.chat.id, status }, 'chat unblocked (my_chat_member)')
  } else if ((status === 'kicked' || status === 'left') && m.chat.type === 'private') {
    await ctx.chats.block(m.chat.id, status === 'kicked' ? 'Forbidden: bot was blocked by the user (my_chat_member: kicked)' : 'the user left the chat (my_chat_member: left)', at)
    ctx.log.info({ chat: m.chat.id, status }, 'chat blocked (my_chat_member): later messages go to the DLQ without a send')
  }
}

/** Counts the update; returns the user's updates in the current one-minute window, this one included. */
async function countUpdate (ctx: BotContext, userId: number | undefined): Promise<number> {
  const tx = ctx.redis.multi().hincrby(ctx.queueKeys.stats, 'bot_updates', 1)
  if (userId === undefined) {
    await guardRedis(() => tx.exec())
    return 0
  }
  const key = ctx.keys.rate(userId)
  const replies = await guardRedis(() => tx.set(key, '0', 'EX', WINDOW_S, 'NX').incr(key).exec())
  return Number(replies?.[2]?.[1] ?? 0)
}
