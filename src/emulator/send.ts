// send* methods. A send is checked in Telegram's order — content, chat state, rate
// limit — and only then numbered, recorded and answered with a Message; a refused send
// records nothing and costs no quota.

import type { CallContext, MethodHandler } from './state.ts'
import type { RecordedMessage } from './types.ts'
import { formatText, type MessageEntity } from './entities.ts'
import { badRequest, tooManyRequests } from './errors.ts'
import { CAPTION_LIMIT, TEXT_LIMIT } from '../telegram/split-text.ts'

type Content = Record<string, unknown>

export function textContent (ctx: CallContext, field: 'text' | 'caption'): { text: string, entities: MessageEntity[] } | undefined {
  const raw = ctx.params[field]
  if (typeof raw !== 'string') return undefined
  const formatted = formatText(raw, ctx.params.parse_mode)
  if (field === 'text' && formatted.text.length === 0) throw badRequest('message text is empty')
  if (field === 'text' && formatted.text.length > TEXT_LIMIT) throw badRequest('message is too long')
  if (field === 'caption' && formatted.text.length > CAPTION_LIMIT) throw badRequest('message caption is too long')
  return formatted
}

export function withText (content: Content, field: 'text' | 'caption', formatted: ReturnType<typeof textContent>): Content {
  if (formatted === undefined || formatted.text === '') return content
  content[field] = formatted.text
  if (formatted.entities.length > 0) content[field === 'text' ? 'entities' : 'caption_entities'] = formatted.entities
  return content
}

export function inlineMarkup (ctx: CallContext): Content {
  const markup = ctx.params.reply_markup as Content | undefined
  return markup?.inline_keyboard === undefined ? {} : { reply_markup: markup }
}

// Resolves the chat, takes the rate-limit tokens, records the message, returns the Message.
function deliver (ctx: CallContext, content: () => Content): Content {
  const { state, params, now } = ctx
  const chat = state.chats.resolve(params.chat_id)
  const retryAfter = state.limiter.acquire(
    { bot: String(ctx.bot.id), chat: chat.key, group: chat.group, paid: params.allow_paid_broadcast === true },
    now
  )
  if (retryAfter > 0) throw tooManyRequests(retryAfter)
  const body = content()
  const messageId = state.chats.nextMessageId(chat)
  const record: RecordedMessage = { message_id: messageId, method: ctx.method, chat_id: chat.chatId, params, date: now }
  if (typeof params.text === 'string') record.text = params.text
  if (typeof params.caption === 'string') record.caption = params.caption
  state.messages.push(record)
  state.stats.accepted++
  return { message_id: messageId, from: ctx.bot, chat: chat.chat, date: Math.floor(now / 1000), ...body, ...inlineMarkup(ctx) }
}

const sendMessage: MethodHandler = ctx => {
  const text = textContent(ctx, 'text')
  return deliver(ctx, () => withText({}, 'text', text))
}

const sendPhoto: MethodHandler = ctx => {
  const caption = textContent(ctx, 'caption')
  return deliver(ctx, () => withText({ photo: ctx.state.files.photo(ctx.params.photo) }, 'caption', caption))
}

const sendDocument: MethodHandler = ctx => {
  const caption = textContent(ctx, 'caption')
  return deliver(ctx, () => withText({ document: ctx.state.files.document(ctx.params.document) }, 'caption', caption))
}

const sendVoice: MethodHandler = ctx => {
  const caption = textContent(ctx, 'caption')
  const duration = ctx.params.duration as number | undefined
  return deliver(ctx, () => withText({ voice: ctx.state.files.voice(ctx.params.voice, duration) }, 'caption', caption))
}

const sendLocation: MethodHandler = ctx => {
  const { latitude, longitude } = ctx.params as { latitude: number, longitude: number }
  if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) throw badRequest('wrong location specified')
  const location: Content = { latitude, longitude }
  for (const key of ['horizontal_accuracy', 'live_period', 'heading', 'proximity_alert_radius']) {
    if (ctx.params[key] !== undefined) location[key] = ctx.params[key]
  }
  return deliver(ctx, () => ({ location }))
}

export const messageMethods: Record<string, MethodHandler> = {
  sendMessage, sendPhoto, sendDocument, sendVoice, sendLocation
}
