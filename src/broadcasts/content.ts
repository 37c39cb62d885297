// What a broadcast sends to each recipient: the Bot API calls, built the
// same way as POST /send (composeCalls) or /send-templated (render, then
// compose). A plain message is composed once and only its chat_id changes;
// a template is rendered once per language, and once per recipient only when
// that recipient brings its own data.
import { InputError, type FieldError } from '../input-error.ts'
import type { BotCall } from '../queue/message.ts'
import type { BroadcastBody } from '../schemas/broadcast.ts'
import type { SendBody } from '../schemas/send.ts'
import { composeCalls } from '../telegram/compose.ts'
import { TemplateError, type Rendered, type TemplateCatalog } from '../templates/index.ts'
import type { Recipient } from './recipients.ts'

export interface RecipientCalls {
  calls: BotCall[]
  /** shown in the message's status, e.g. a template rendered in the default language */
  note?: string
}

export interface BroadcastContent {
  /** kept with the broadcast, returned by GET: what is being sent */
  summary: Record<string, unknown>
  /**
   * The calls for one recipient. `position` is its place among the distinct
   * recipients: where the first recipient's call could differ from the rest
   * (an uploaded file sent once, its returned file_id reused by the others).
   * Throws InputError naming the recipient; called for every recipient
   * before anything is queued, and again while queueing.
   */
  callsFor (r: Recipient, position: number): RecipientCalls
}

const MESSAGE_FIELDS = ['text', 'photo', 'document', 'voice', 'caption', 'parse_mode'] as const
const COMMON_FIELDS = ['disable_notification', 'protect_content', 'allow_paid_broadcast', 'link_preview_options', 'reply_markup'] as const
/** chat_id while composing once for everyone; each recipient's replaces it */
const PLACEHOLDER_CHAT = 0

function withChat (calls: BotCall[], chatId: number | string): BotCall[] {
  return calls.map(c => ({ method: c.method, params: { ...c.params, chat_id: chatId } }))
}

function pick<K extends keyof BroadcastBody> (body: BroadcastBody, fields: readonly K[]): Partial<Pick<BroadcastBody, K>> {
  const out: Partial<Pick<BroadcastBody, K>> = {}
  for (const f of fields) if (body[f] !== undefined) out[f] = body[f]
  return out
}

export function broadcastContent (body: BroadcastBody, templates: TemplateCatalog): BroadcastContent {
  if (body.template === undefined) {
    for (const f of ['data', 'language'] as const) {
      if (body[f] !== undefined) throw InputError.field(`body.${f}`, 'only goes with template')
    }
    const calls = composeCalls({ chat_id: PLACEHOLDER_CHAT, ...pick(body, MESSAGE_FIELDS), ...pick(body, COMMON_FIELDS) } as SendBody)
    const kind = (['photo', 'document', 'voice'] as const).find(k => body[k] !== undefined) ?? 'text'
    const summary: Record<string, unknown> = { kind, parts: calls.length }
    if (body.text !== undefined) summary.text = shorten(body.text)
    if (kind !== 'text') summary[kind] = body[kind]
    if (body.caption !== undefined) summary.caption = shorten(body.caption)
    return { summary, callsFor: r => ({ calls: withChat(calls, r.chatId) }) }
  }
  return templateContent(body, body.template, templates)
}

function templateContent (body: BroadcastBody, name: string, templates: TemplateCatalog): BroadcastContent {
  for (const f of MESSAGE_FIELDS) {
    if (body[f] !== undefined) throw InputError.field(`body.${f}`, 'cannot be given together with template')
  }
  if (!templates.list().some(t => t.name === name)) {
    throw InputError.field('body.template', `is not a known template; templates: ${templates.list().map(t => t.name).join(', ')}`)
  }
  const common = pick(body, COMMON_FIELDS)
  const base = body.data ?? {}

  const compose = (r: Rendered): RecipientCalls => {
    const calls = composeCalls({ chat_id: PLACEHOLDER_CHAT, text: r.text, parse_mode: 'HTML', ...common, ...(r.replyMarkup && !common.reply_markup ? { reply_markup: r.replyMarkup as SendBody['reply_markup'] } : {}) })
    return { calls, ...(r.fallback ? { note: `template ${r.template} has no "${r.requestedLanguage}" file: rendered in ${r.language}` } : {}) }
  }
  const render = (language: string | undefined, data: Record<string, unknown>, where: { data: string, language: string }): RecipientCalls => {
    try {
      return compose(templates.render(name, language, data))
    } catch (err) {
      if (!(err instanceof TemplateError) || err.statusCode >= 500) throw err
      // the catalog names fields as data.x and language; say where in the body they came from
      const details: FieldError[] = err.details.map(d => ({
        field: d.field === 'language' ? where.language : d.field.replace(/^data(?=$|[.[])/, where.data),
        message: d.message
      }))
      if (details.length === 0) details.push({ field: where.data, message: err.message })
      throw new InputError(details.map(d => `${d.field} ${d.message}`).join('; '), details)
    }
  }

  // one rendering per language for everyone without data of their own
  const shared = new Map<string, RecipientCalls>()
  return {
    summary: { kind: 'template', template: name, ...(body.language ? { language: body.language } : {}) },
    callsFor (r) {
      const language = r.language ?? body.language
      const at = `body.recipients[${r.index}]`
      if (r.data === undefined) {
        const key = language ?? ''
        let c = shared.get(key)
        if (c === undefined) {
          c = render(language, base, { data: 'body.data', language: r.language === undefined ? 'body.language' : `${at}.language` })
          shared.set(key, c)
        }
        return { ...c, calls: withChat(c.calls, r.chatId) }
      }
      const own = render(language, { ...base, ...r.data }, { data: `${at}.data`, language: r.language === undefined ? 'body.language' : `${at}.language` })
      return { ...own, calls: withChat(own.calls, r.chatId) }
    }
  }
}

function shorten (text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`
}
