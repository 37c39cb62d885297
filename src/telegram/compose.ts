// Turns a send request into the Bot API calls that deliver it, in order:
// long text becomes several sendMessage parts, a long caption continues as
// text. HTML is checked here so bad markup is a 400 now, not a DLQ entry later.
import type { SendBody } from '../schemas/send.ts'
import { InputError } from '../input-error.ts'
import { parseTelegramHtml } from './html.ts'
import { CAPTION_LIMIT, splitCaption, splitText, TEXT_LIMIT } from './split-text.ts'
import { toChatId, type BotCall } from './bot-call.ts'

const MEDIA = ['photo', 'document', 'voice'] as const
const METHOD = { photo: 'sendPhoto', document: 'sendDocument', voice: 'sendVoice' } as const

/** Checks the HTML; true when Telegram would show something other than whitespace. */
function checkHtml (field: string, text: string, parseMode: string | undefined): boolean {
  if (parseMode !== 'HTML') return text.trim() !== ''
  const parsed = parseTelegramHtml(text)
  if (!parsed.ok) throw InputError.field(field, `is not valid Telegram HTML: ${parsed.error}`)
  for (const t of parsed.tokens) if (t.type === 'text' && t.text.trim() !== '') return true
  return false
}

const KINDS = ['text', ...MEDIA, 'location'] as const
const FLAGS = ['disable_notification', 'protect_content', 'allow_paid_broadcast'] as const

function textCall (common: Record<string, unknown>, body: SendBody, text: string): BotCall {
  const params: Record<string, unknown> = { ...common, text }
  if (body.parse_mode) params.parse_mode = body.parse_mode
  if (body.link_preview_options) params.link_preview_options = body.link_preview_options
  return { method: 'sendMessage', params }
}

export function composeCalls (body: SendBody): BotCall[] {
  let given = 0
  for (const k of KINDS) if (body[k] !== undefined) given++
  if (given !== 1) {
    const kinds = KINDS.filter(k => body[k] !== undefined)
    throw new InputError(
      kinds.length === 0 ? 'body must have one of text, photo, document, voice, location' : `body must have only one of ${kinds.join(', ')}`,
      [{ field: 'body', message: 'exactly one of text, photo, document, voice, location' }])
  }
  if (body.caption !== undefined && !MEDIA.some(m => body[m] !== undefined)) {
    throw InputError.field('body.caption', 'only goes with photo, document or voice')
  }
  const chatId = toChatId(body.chat_id)
  const mode = body.parse_mode
  const common: Record<string, unknown> = { chat_id: chatId }
  // false is Telegram's default for these flags: not stored, not sent (~30 bytes per queued message)
  for (const k of FLAGS) {
    if (body[k] === true) common[k] = true
  }
  if (body.message_thread_id !== undefined) common.message_thread_id = body.message_thread_id

  let calls: BotCall[]
  if (body.text !== undefined) {
    // Telegram refuses a message with nothing to show: a 400 now, not a dead letter later
    if (!checkHtml('body.text', body.text, mode)) {
      throw InputError.field('body.text', mode === 'HTML' ? 'is empty once the HTML tags are removed' : 'is empty or only whitespace')
    }
    // tags and entities only shorten the counted text: a raw length within the
    // limit needs no second parse to know it fits (the common case, and hot)
    calls = body.text.length <= TEXT_LIMIT
      ? [textCall(common, body, body.text)]
      : splitText(body.text, { parseMode: mode }).map(part => textCall(common, body, part))
  } else if (body.location !== undefined) {
    calls = [{ method: 'sendLocation', params: { ...common, ...body.location } }]
  } else {
    const kind = MEDIA.find(m => body[m] !== undefined) as typeof MEDIA[number]
    const media: BotCall = { method: METHOD[kind], params: { ...common, [kind]: body[kind] } }
    calls = [media]
    if (body.caption !== undefined) {
      checkHtml('body.caption', body.caption, mode)
      const { caption, followUp } = body.caption.length <= CAPTION_LIMIT ? { caption: body.caption, followUp: [] } : splitCaption(body.caption, mode)
      media.params.caption = caption
      if (mode) media.params.parse_mode = mode
      for (const part of followUp) calls.push(textCall(common, body, part))
    }
  }
  // buttons belong under the last part
  if (body.reply_markup !== undefined) (calls[calls.length - 1] as BotCall).params.reply_markup = body.reply_markup
  return calls
}
