// What a broadcast sends to each recipient: the Bot API calls, built the
// same way as POST /send (composeCalls) or /send-templated (render, then
// compose), with a placeholder chat. Recipients that get the same calls share
// one variant, stored once: a plain message is one variant, a template one
// per language, plus one per recipient that brings its own data.
import { InputError, type FieldError } from '../input-error.ts'
import type { BotCall } from '../telegram/bot-call.ts'
import type { BroadcastBody } from '../schemas/broadcast.ts'
import type { SendBody } from '../schemas/send.ts'
import { composeCalls } from '../telegram/compose.ts'
import { TemplateError, type Rendered, type TemplateCatalog } from '../templates/index.ts'
import { fallbackNote } from '../templates/fallback-note.ts'
import type { Recipient } from './recipients.ts'

export interface Variant {
  /** recipients with the same key get the same calls */
  key: string
  /** chat_id is PLACEHOLDER_CHAT: each recipient's goes in when its message is made */
  calls: BotCall[]
  /** shown in the message's status, e.g. a template rendered in the default language */
  note?: string
}

export interface BroadcastContent {
  /** kept with the broadcast, returned by GET: what is being sent */
  summary: Record<string, unknown>
  /** true: every message goes with allow_paid_broadcast (the paid rate) */
  paid: boolean
  /**
   * The variant one recipient gets. Throws InputError naming the recipient;
   * called for every recipient before anything is queued.
   */
  variantFor (r: Recipient): Variant
}

const MESSAGE_FIELDS = ['text', 'photo', 'document', 'voice', 'caption', 'parse_mode'] as const
const COMMON_FIELDS = ['disable_notification', 'protect_content', 'allow_paid_broadcast', 'link_preview_options', 'reply_markup'] as const
/** chat_id while composing once for everyone; each recipient's replaces it */
export const PLACEHOLDER_CHAT = 0

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
    const variant: Variant = { key: '', calls }
    return { summary, paid: body.allow_paid_broadcast === true, variantFor: () => variant }
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

  const compose = (key: string, r: Rendered): Variant => {
    const calls = composeCalls({ chat_id: PLACEHOLDER_CHAT, text: r.text, parse_mode: 'HTML', ...common, ...(r.replyMarkup && !common.reply_markup ? { reply_markup: r.replyMarkup as SendBody['reply_markup'] } : {}) })
    const note = fallbackNote(r)
    return { key, calls, ...(note !== undefined ? { note } : {}) }
  }
  const render = (key: string, language: string | undefined, data: Record<string, unknown>, where: { data: string, language: string }): Variant => {
    try {
      return compose(key, templates.render(name, language, data))
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
  const shared = new Map<string, Variant>()
  return {
    summary: { kind: 'template', template: name, ...(body.language ? { language: body.language } : {}) },
    paid: body.allow_paid_broadcast === true,
    variantFor (r) {
      const language = r.language ?? body.language
      const at = `body.recipients[${r.index}]`
      const where = (data: string) => ({ data, language: r.language === undefined ? 'body.language' : `${at}.language` })
      if (r.data === undefined) {
        const key = `l:${language ?? ''}`
        let v = shared.get(key)
        if (v === undefined) {
          v = render(key, language, base, where('body.data'))
          shared.set(key, v)
        }
        return v
      }
      return render(`r:${r.index}`, language, { ...base, ...r.data }, where(`${at}.data`))
    }
  }
}

function shorten (text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`
}
