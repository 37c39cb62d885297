// What a PATCH of a message means in Bot API calls, decided without Redis: the message as it
// would be sent now (composeCalls over the stored calls with the patch applied, so the same
// HTML checks and splitting apply), and for a message already sent the editMessage* calls
// that take Telegram there, part by part. A sent message keeps its number of parts: Telegram
// edits messages, it does not add or remove them.
import type { BotCall } from './bot-call.ts'
import type { EditBody } from '../schemas/edit.ts'
import type { SendBody } from '../schemas/send.ts'
import { InputError } from '../input-error.ts'
import { composeCalls } from './compose.ts'

const MEDIA = { sendPhoto: 'photo', sendDocument: 'document', sendVoice: 'voice' } as const
const COMMON = ['disable_notification', 'protect_content', 'allow_paid_broadcast', 'message_thread_id', 'link_preview_options'] as const

type Kind = 'text' | 'media' | 'location'

export class EditConflict extends Error {
  readonly statusCode = 409
}

function kindOf (calls: BotCall[]): Kind {
  const method = calls[0]?.method
  if (method === 'sendMessage') return 'text'
  if (method === 'sendLocation') return 'location'
  if (method !== undefined && method in MEDIA) return 'media'
  throw new EditConflict('only messages sent with text, a photo, document, voice or location can be edited')
}

const textOf = (calls: BotCall[]): string => calls.filter(c => c.method === 'sendMessage').map(c => String(c.params.text ?? '')).join('\n')

/** The calls the message is (or goes out as) once the patch applies. */
export function patchedCalls (calls: BotCall[], patch: EditBody): BotCall[] {
  const kind = kindOf(calls)
  const first = calls[0] as BotCall
  const last = calls[calls.length - 1] as BotCall
  if (patch.text !== undefined && kind !== 'text') throw InputError.field('body.text', `the message is a ${kind === 'media' ? 'media message: change its caption' : 'location'}`)
  if (patch.caption !== undefined && kind !== 'media') throw InputError.field('body.caption', `only a photo, document or voice message has a caption; this is a ${kind} message`)
  if (kind === 'location' && patch.reply_markup === undefined) throw InputError.field('body', 'a location can only have its reply_markup changed')
  if (patch.text === undefined && patch.caption === undefined && patch.parse_mode === undefined && kind !== 'location') {
    // buttons only: the parts stay exactly as they are (re-splitting a joined text could move a boundary)
    return [...calls.slice(0, -1), { method: last.method, params: { ...last.params, reply_markup: patch.reply_markup } }]
  }
  const body: Record<string, unknown> = { chat_id: first.params.chat_id }
  for (const k of COMMON) if (first.params[k] !== undefined) body[k] = first.params[k]
  const parseMode = patch.parse_mode ?? first.params.parse_mode
  if (parseMode !== undefined) body.parse_mode = parseMode
  const markup = patch.reply_markup ?? last.params.reply_markup
  if (markup !== undefined) body.reply_markup = markup
  if (kind === 'text') body.text = patch.text ?? textOf(calls)
  else if (kind === 'location') body.location = { latitude: first.params.latitude, longitude: first.params.longitude }
  else {
    const field = MEDIA[first.method as keyof typeof MEDIA]
    body[field] = first.params[field]
    const caption = patch.caption ?? [first.params.caption, textOf(calls.slice(1))].filter(Boolean).join('\n')
    if (caption !== '') body.caption = caption
  }
  const next = composeCalls(body as SendBody)
  // everything that was not patched stays as it was (a location's extra fields, an upload reference)
  next[0] = { method: first.method, params: { ...first.params, ...next[0]?.params } }
  if (kind === 'location') next[0] = { method: first.method, params: { ...first.params, reply_markup: markup } }
  return next
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * The editMessage* calls that turn the sent `before` into `after` in Telegram, one per part
 * that changed (empty: nothing did). `messageIds` are the parts' Telegram message_ids.
 */
export function editCalls (before: BotCall[], after: BotCall[], messageIds: number[]): BotCall[] {
  if (after.length !== before.length) {
    throw new EditConflict(`the edited message needs ${after.length} part(s), the sent one has ${before.length}: Telegram can only edit the messages it has`)
  }
  if (messageIds.length < before.length) throw new EditConflict('not every part of the message reached Telegram')
  const out: BotCall[] = []
  after.forEach((next, i) => {
    const prev = before[i] as BotCall
    const target = { chat_id: prev.params.chat_id, message_id: messageIds[i] }
    const markup = next.params.reply_markup
    if (markup !== undefined && (markup as { inline_keyboard?: unknown }).inline_keyboard === undefined) {
      throw InputError.field('body.reply_markup', 'a sent message can only get inline buttons (inline_keyboard)')
    }
    const field = next.method === 'sendMessage' ? 'text' : next.method === 'sendLocation' ? undefined : 'caption'
    const withMarkup = markup !== undefined ? { reply_markup: markup } : prev.params.reply_markup !== undefined ? { reply_markup: { inline_keyboard: [] } } : {}
    const mode = next.params.parse_mode !== undefined ? { parse_mode: next.params.parse_mode } : {}
    if (field !== undefined && (!same(prev.params[field], next.params[field]) || !same(prev.params.parse_mode, next.params.parse_mode))) {
      if (field === 'text') out.push({ method: 'editMessageText', params: { ...target, text: next.params.text, ...mode, ...withMarkup } })
      else out.push({ method: 'editMessageCaption', params: { ...target, ...(next.params.caption !== undefined ? { caption: next.params.caption } : {}), ...mode, ...withMarkup } })
    } else if (!same(prev.params.reply_markup, markup)) {
      out.push({ method: 'editMessageReplyMarkup', params: { ...target, reply_markup: markup ?? { inline_keyboard: [] } } })
    }
  })
  return out
}

/** deleteMessage for each part Telegram has. */
export function deleteCalls (before: BotCall[], messageIds: number[]): BotCall[] {
  const chatId = before[0]?.params.chat_id
  return messageIds.filter(id => id > 0).map(id => ({ method: 'deleteMessage', params: { chat_id: chatId, message_id: id } }))
}
