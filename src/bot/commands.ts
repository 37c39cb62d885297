// Commands sent to the bot: /start registers the chat, /help lists commands,
// /status shows admin chats the queue and the delivery state. Replies are in
// the sender's language (ru/en, else DEFAULT_LANGUAGE) and queued as 'high'.
import { guardRedis } from '../queue/errors.ts'
import { readHeartbeats } from '../queue/heartbeats.ts'
import type { TelegramMessage } from '../schemas/update.ts'
import { displayName, reply, type BotContext } from './context.ts'

export interface Command {
  name: string
  /** the text after the command */
  args: string
}

/** "/start@my_bot abc" → {name: 'start', args: 'abc'}; not a command → null. */
export function parseCommand (text: string): Command | null {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+([\s\S]*))?$/.exec(text.trim())
  return m === null ? null : { name: (m[1] as string).toLowerCase(), args: (m[2] ?? '').trim() }
}

/** Telegram's deep-link payload alphabet (t.me/bot?start=…) */
const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/

const COMMANDS = new Set(['start', 'help', 'status'])

/**
 * Whether the bot answers a message: one of its commands anywhere; other text in
 * a private chat gets a hint unless `hint` is false (the text is forwarded to
 * UPDATES_FORWARD_URL instead). In a group, other text and other bots'
 * commands are not for us.
 */
export function isForBot (message: TelegramMessage, hint = true): boolean {
  if (message.text === undefined) return false
  const command = parseCommand(message.text)
  if (command !== null && COMMANDS.has(command.name)) return true
  return hint && message.chat.type === 'private'
}

export async function handleMessage (ctx: BotContext, message: TelegramMessage): Promise<void> {
  const command = parseCommand(message.text ?? '')
  const language = ctx.strings.pick(message.from?.language_code)
  const chatId = message.chat.id
  const t = ctx.strings.t
  switch (command?.name) {
    case 'start':
      await register(ctx, message, language, command.args)
      await reply(ctx, chatId, t(language, 'bot.start', { name: message.from ? displayName(message.from) : message.chat.id, chat_id: chatId }))
      return
    case 'help': {
      const lines = [t(language, 'bot.help')]
      if (ctx.adminChats.has(chatId)) lines.push(t(language, 'bot.help_admin'))
      await reply(ctx, chatId, lines.join('\n'))
      return
    }
    case 'status':
      await reply(ctx, chatId, ctx.adminChats.has(chatId) ? await statusText(ctx, language) : t(language, 'bot.status_denied'))
      return
    default:
      await reply(ctx, chatId, t(language, 'bot.unknown'))
  }
}

/** Who, in which language, when, and the deep-link payload; a later /start keeps the first date and unblocks the chat. */
async function register (ctx: BotContext, message: TelegramMessage, language: string, args: string): Promise<void> {
  const now = Date.now()
  const from = message.from
  const fields: Record<string, string | number> = {
    chat_id: message.chat.id,
    chat_type: message.chat.type,
    language,
    updated_at: now
  }
  if (from) {
    fields.user_id = from.id
    if (from.username !== undefined) fields.username = from.username
    if (from.first_name !== undefined) fields.first_name = from.first_name
    if (from.language_code !== undefined) fields.language_code = from.language_code
  }
  if (PAYLOAD.test(args)) fields.payload = args
  const key = ctx.keys.chat(message.chat.id)
  await guardRedis(() => ctx.redis.multi()
    .hset(key, fields)
    .hsetnx(key, 'registered_at', now)
    .zadd(ctx.keys.chats, 'NX', now, message.chat.id)
    .exec())
  // a user who blocked the bot and pressed /start again wants its messages again
  const unblocked = await ctx.chats.unblock(message.chat.id)
  ctx.log.info({ chat: message.chat.id, payload: fields.payload, unblocked }, 'chat registered')
}

/** Depths from Redis; the breaker as the live workers report it (this process's when none does). */
async function statusText (ctx: BotContext, language: string): Promise<string> {
  const k = ctx.queueKeys
  const [depths, delayed, active, dlq, workers, paused] = await guardRedis(() => Promise.all([
    Promise.all(k.queues.map(q => ctx.redis.llen(q))),
    ctx.redis.zcard(k.delayed),
    ctx.redis.zcard(k.active),
    ctx.redis.zcard(k.dlq),
    ctx.redis.hgetall(k.workers),
    ctx.redis.exists(k.paused)
  ]))
  const { live } = readHeartbeats(workers, Date.now())
  const states = live.length > 0 ? live.map(w => w.breaker) : [ctx.breaker.state()]
  const breaker = states.includes('open') ? 'open' : states.includes('half-open') ? 'half-open' : 'closed'
  const t = ctx.strings.t
  const [critical, high, normal, low] = depths
  const text = t(language, 'bot.status', {
    queued: depths.reduce((a, b) => a + b, 0),
    critical,
    high,
    normal,
    low,
    delayed,
    active,
    dlq,
    workers: live.length,
    breaker: t(language, `bot.breaker.${breaker}`)
  })
  return paused === 1 ? `${text}\n${t(language, 'bot.status_paused')}` : text
}
