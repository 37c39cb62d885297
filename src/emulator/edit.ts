// edit* and deleteMessage on messages the emulator delivered, with Telegram's refusals: an
// unknown or deleted message ("message to edit not found", "message to delete not found"), an
// edit that changes nothing ("message is not modified: …"), content the message does not have
// ("there is no text/caption in the message to edit"), a message Telegram will not edit at all
// (a location, one sent with a reply keyboard: "message can't be edited"), and a delete after
// 48 hours ("message can't be deleted for everyone").

import type { CallContext, EditedContent, MethodHandler } from './state.ts'
import type { ResolvedChat } from './chats.ts'
import type { RecordedMessage } from './types.ts'
import { chatKey } from './chats.ts'
import { formatText } from './entities.ts'
import { badRequest } from './errors.ts'
import { inlineMarkup, textContent, withText } from './send.ts'

type Content = Record<string, unknown>

interface Target { chat: ResolvedChat, record: RecordedMessage, key: string }

/** Telegram lets a bot delete its messages for everyone this long after sending them. */
export const DELETE_WINDOW_MS = 48 * 3_600_000

const NOT_MODIFIED = 'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'
const CAPTIONED = new Set(['sendPhoto', 'sendDocument', 'sendVoice'])

// Edits and deletes are rare: a backwards scan keeps sends free of any per-message index.
function find (ctx: CallContext, notFound: string): Target {
  const { params, state } = ctx
  if (params.chat_id === undefined) throw badRequest('chat_id is empty')
  if (params.message_id === undefined) throw badRequest('message identifier is not specified')
  const chat = state.chats.resolve(params.chat_id)
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const record = state.messages[i] as RecordedMessage
    if (record.message_id === params.message_id && chatKey(record.chat_id) === chat.key) {
      if (record.deleted_at !== undefined) break
      return { chat, record, key: `${chat.key}|${record.message_id}` }
    }
  }
  throw badRequest(notFound)
}

/** The message an edit* call names; undefined for an inline message (Telegram answers true). */
function editTarget (ctx: CallContext): Target | undefined {
  if (ctx.params.inline_message_id !== undefined) return undefined
  const target = find(ctx, 'message to edit not found')
  const markup = target.record.params.reply_markup as Content | undefined
  if (target.record.method === 'sendLocation' || (markup !== undefined && markup.inline_keyboard === undefined)) {
    throw badRequest("message can't be edited")
  }
  return target
}

/** What Telegram compares for "not modified": the text as it renders, and the markup. */
function rendered (raw: string | undefined, parseMode: unknown, entities: unknown): string {
  if (raw === undefined) return ''
  return JSON.stringify(entities === undefined ? formatText(raw, parseMode) : { text: raw, entities })
}

function current (ctx: CallContext, target: Target): EditedContent {
  const { record } = target
  return ctx.state.edits.get(target.key) ?? {
    text: record.text ?? record.caption,
    parseMode: record.params.parse_mode as string | undefined,
    entities: record.params.entities ?? record.params.caption_entities,
    markup: JSON.stringify(record.params.reply_markup)
  }
}

/** Applies `next` unless it equals what the message shows, and answers with the edited Message. */
function apply (ctx: CallContext, target: Target, next: EditedContent, content: Content): Content {
  const previous = current(ctx, target)
  if (rendered(next.text, next.parseMode, next.entities) === rendered(previous.text, previous.parseMode, previous.entities) &&
    next.markup === previous.markup) {
    throw badRequest(NOT_MODIFIED)
  }
  ctx.state.edits.set(target.key, next)
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

function edited (ctx: CallContext, text: string | undefined): EditedContent {
  return {
    text,
    parseMode: ctx.params.parse_mode as string | undefined,
    entities: ctx.params.entities ?? ctx.params.caption_entities,
    markup: JSON.stringify(ctx.params.reply_markup)
  }
}

const editMessageText: MethodHandler = ctx => {
  if (ctx.params.text === undefined && ctx.params.rich_message === undefined) throw badRequest('message text is empty')
  const text = textContent(ctx, 'text')
  const target = editTarget(ctx)
  if (target === undefined) return true
  if (target.record.method !== 'sendMessage') throw badRequest('there is no text in the message to edit')
  return apply(ctx, target, edited(ctx, ctx.params.text as string | undefined), withText({}, 'text', text))
}

const editMessageCaption: MethodHandler = ctx => {
  const caption = textContent(ctx, 'caption')
  const target = editTarget(ctx)
  if (target === undefined) return true
  if (!CAPTIONED.has(target.record.method)) throw badRequest('there is no caption in the message to edit')
  // no caption parameter: the caption is removed
  return apply(ctx, target, edited(ctx, ctx.params.caption as string | undefined), withText({}, 'caption', caption))
}

const editMessageReplyMarkup: MethodHandler = ctx => {
  const target = editTarget(ctx)
  if (target === undefined) return true
  const now = current(ctx, target)
  const field = target.record.method === 'sendMessage' ? 'text' : 'caption'
  const content = now.text === undefined ? {} : withText({}, field, formatText(now.text, now.parseMode))
  return apply(ctx, target, { ...now, markup: JSON.stringify(ctx.params.reply_markup) }, content)
}

const deleteMessage: MethodHandler = ctx => {
  const target = find(ctx, 'message to delete not found')
  if (ctx.now - target.record.date > DELETE_WINDOW_MS) throw badRequest("message can't be deleted for everyone")
  target.record.deleted_at = ctx.now
  ctx.state.edits.delete(target.key)
  return true
}

export const editMethods: Record<string, MethodHandler> = {
  editMessageText, editMessageCaption, editMessageReplyMarkup, deleteMessage
}
