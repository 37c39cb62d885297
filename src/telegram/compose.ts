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

/** Checks the HTML and returns the text Telegram would show. */
function checkHtml (field: string, text: string, parseMode: string | undefined): string {
  if (parseMode !== 'HTML') return text
  const parsed = parseTelegramHtml(text)
  if (!parsed.ok) throw InputError.field(field, `is not valid Telegram HTML: ${parsed.error}`)
  return parsed.tokens.map(t => t.type === 'text' ? t.text : '').join('')
}

export function composeCalls (body: SendBody): BotCall[] {
  const kinds = (['text', ...MEDIA, 'location'] as const).filter(k => body[k] !== undefined)
  if (kinds.length !== 1) {
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
  for (const k of ['disable_notification', 'protect_content', 'allow_paid_broadcast'] as const) {
    if (body[k] === true) common[k] = true
  }
  if (body.message_thread_id !== undefined) common.message_thread_id = body.message_thread_id
  const textCall = (text: string): BotCall => ({
    method: 'sendMessage',
    params: { ...common, text, ...(mode ? { parse_mode: mode } : {}), ...(body.link_preview_options ? { link_preview_options: body.link_preview_options } : {}) }
  })

  let calls: BotCall[]
  if (body.text !== undefined) {
    // Telegram refuses a message with nothing to show: a 400 now, not a dead letter later
    if (checkHtml('body.text', body.text, mode).trim() === '') {
      throw InputError.field('body.text', mode === 'HTML' ? 'is empty once the HTML tags are removed' : 'is empty or only whitespace')
    }
    // tags and entities only shorten the counted text: a raw length within the
    // limit needs no second parse to know it fits (the common case, and hot)
    const parts = body.text.length <= TEXT_LIMIT ? [body.text] : splitText(body.text, { parseMode: mode })
    calls = parts.map(textCall)
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
      calls.push(...followUp.map(textCall))
    }
  }
  // buttons belong under the last part
  if (body.reply_markup !== undefined) (calls[calls.length - 1] as BotCall).params.reply_markup = body.reply_markup
  return calls
}
