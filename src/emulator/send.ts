// send* and edit* methods. A send is checked in Telegram's order — content, chat state, rate
// limit — and only then numbered, recorded and answered with a Message; a refused send
// records nothing and costs no quota.

import type { CallContext, EditedContent, MethodHandler } from './state.ts'
import type { ResolvedChat } from './chats.ts'
import type { RecordedMessage } from './types.ts'
import { chatKey } from './chats.ts'
import { formatText, type MessageEntity } from './entities.ts'
import { badRequest, tooManyRequests } from './errors.ts'
import { CAPTION_LIMIT, TEXT_LIMIT } from '../telegram/split-text.ts'

type Content = Record<string, unknown>

function textContent (ctx: CallContext, field: 'text' | 'caption'): { text: string, entities: MessageEntity[] } | undefined {
  const raw = ctx.params[field]
  if (typeof raw !== 'string') return undefined
  const formatted = formatText(raw, ctx.params.parse_mode)
  if (field === 'text' && formatted.text.length === 0) throw badRequest('message text is empty')
  if (field === 'text' && formatted.text.length > TEXT_LIMIT) throw badRequest('message is too long')
  if (field === 'caption' && formatted.text.length > CAPTION_LIMIT) throw badRequest('message caption is too long')
  return formatted
}

function withText (content: Content, field: 'text' | 'caption', formatted: ReturnType<typeof textContent>): Content {
  if (formatted === undefined || formatted.text === '') return content
  content[field] = formatted.text
  if (formatted.entities.length > 0) content[field === 'text' ? 'entities' : 'caption_entities'] = formatted.entities
  return content
}

function inlineMarkup (ctx: CallContext): Content {
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

interface EditTarget { chat: ResolvedChat, record: RecordedMessage, key: string }

// The message an edit* call names, or true-returning inline edits (undefined).
function editTarget (ctx: CallContext): EditTarget | undefined {
  const { params, state } = ctx
  if (params.inline_message_id !== undefined) return undefined
  if (params.chat_id === undefined) throw badRequest('chat_id is empty')
  if (params.message_id === undefined) throw badRequest('message identifier is not specified')
  const chat = state.chats.resolve(params.chat_id)
  // Edits are rare: a backwards scan keeps sends free of any per-message index.
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const record = state.messages[i] as RecordedMessage
    if (record.message_id === params.message_id && chatKey(record.chat_id) === chat.key) {
      return { chat, record, key: `${chat.key}|${record.message_id}` }
    }
  }
  throw badRequest('message to edit not found')
}

function currentContent (ctx: CallContext, target: EditTarget): EditedContent {
  const { record } = target
  return ctx.state.edits.get(target.key) ?? {
    text: record.text,
    parseMode: record.params.parse_mode as string | undefined,
    markup: JSON.stringify(record.params.reply_markup)
  }
}

function edited (ctx: CallContext, target: EditTarget, text: string | undefined, content: Content): Content {
  const { state } = ctx
  const previous = currentContent(ctx, target)
  const next = text === undefined
    ? { ...previous, markup: JSON.stringify(ctx.params.reply_markup) }
    : { text, parseMode: ctx.params.parse_mode as string | undefined, markup: JSON.stringify(ctx.params.reply_markup) }
  if (next.text === previous.text && next.markup === previous.markup) {
    throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message')
  }
  state.edits.set(target.key, next)
  return {
    message_id: target.record.message_id,
    from: ctx.bot,
    chat: target.chat.chat,
    date: Math.floor(target.record.date / 1000),
    edit_date: Math.floor(ctx.now / 1000),
    ...content,
    ...inlineMarkup(ctx)
  }
}

const editMessageText: MethodHandler = ctx => {
  if (ctx.params.text === undefined && ctx.params.rich_message === undefined) throw badRequest('message text is empty')
  const text = textContent(ctx, 'text')
  const target = editTarget(ctx)
  if (target === undefined) return true
  if (target.record.text === undefined) throw badRequest('there is no text in the message to edit')
  return edited(ctx, target, ctx.params.text as string | undefined, withText({}, 'text', text))
}

const editMessageReplyMarkup: MethodHandler = ctx => {
  const target = editTarget(ctx)
  if (target === undefined) return true
  const { text, parseMode } = currentContent(ctx, target)
  const field = text === undefined ? 'caption' : 'text'
  const current = formatText(text ?? target.record.caption ?? '', field === 'text' ? parseMode : target.record.params.parse_mode)
  return edited(ctx, target, undefined, withText({}, field, current))
}

export const messageMethods: Record<string, MethodHandler> = {
  sendMessage, sendPhoto, sendDocument, sendVoice, sendLocation, editMessageText, editMessageReplyMarkup
}
