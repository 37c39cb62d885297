// What Telegram makes of a text: the visible text (tags stripped, references decoded, ends
// trimmed) and its MessageEntity list, as echoed in the Message it returns.

import { isHtmlParseMode, parseTelegramHtml } from '../telegram/html.ts'
import { badRequest } from './errors.ts'

export interface MessageEntity {
  type: string
  offset: number
  length: number
  url?: string
  language?: string
  custom_emoji_id?: string
}

export interface FormattedText {
  text: string
  entities: MessageEntity[]
}

const SIMPLE: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  code: 'code',
  pre: 'pre'
}

interface OpenEntity { name: string, attrs: Record<string, string>, offset: number, language?: string }

function toEntity (open: OpenEntity, length: number): MessageEntity | undefined {
  const base = { offset: open.offset, length }
  switch (open.name) {
    case 'a': return open.attrs.href === undefined ? undefined : { type: 'text_link', ...base, url: open.attrs.href }
    case 'tg-emoji': return { type: 'custom_emoji', ...base, custom_emoji_id: open.attrs['emoji-id'] ?? '' }
    case 'blockquote': return { type: 'expandable' in open.attrs ? 'expandable_blockquote' : 'blockquote', ...base }
    case 'pre': return open.language === undefined ? { type: 'pre', ...base } : { type: 'pre', ...base, language: open.language }
    default: {
      const type = SIMPLE[open.name]
      return type === undefined ? undefined : { type, ...base }
    }
  }
}

function parseHtml (raw: string): FormattedText {
  const parsed = parseTelegramHtml(raw)
  if (!parsed.ok) throw badRequest(parsed.error.replace(/^Bad Request: /, ''))
  let text = ''
  const entities: MessageEntity[] = []
  const stack: OpenEntity[] = []
  for (const token of parsed.tokens) {
    if (token.type === 'text') {
      text += token.text
    } else if (token.type === 'open') {
      stack.push({ name: token.name, attrs: token.attrs, offset: text.length })
    } else {
      const open = stack.pop() as OpenEntity
      const parent = stack.at(-1)
      const language = open.attrs.class?.startsWith('language-') === true ? open.attrs.class.slice('language-'.length) : undefined
      // <pre><code class="language-x"> is one pre entity with a language, as in Telegram.
      if (open.name === 'code' && parent?.name === 'pre' && language !== undefined) {
        parent.language = language
        continue
      }
      const entity = text.length > open.offset ? toEntity(open, text.length - open.offset) : undefined
      if (entity !== undefined) entities.push(entity)
    }
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length)
  return { text, entities }
}

function trim (formatted: FormattedText): FormattedText {
  const { text } = formatted
  const start = text.length - text.replace(/^[ \t\r\n]+/, '').length
  const end = text.replace(/[ \t\r\n]+$/, '').length
  if (start === 0 && end === text.length) return formatted
  const entities: MessageEntity[] = []
  for (const e of formatted.entities) {
    const from = Math.max(e.offset, start)
    const to = Math.min(e.offset + e.length, end)
    if (to > from) entities.push({ ...e, offset: from - start, length: to - from })
  }
  return { text: text.slice(start, Math.max(start, end)), entities }
}

/** Throws Telegram's 400 for an unknown parse_mode or HTML it cannot parse. */
export function formatText (raw: string, parseMode: unknown): FormattedText {
  const mode = typeof parseMode === 'string' ? parseMode : undefined
  if (mode !== undefined && !['html', 'markdown', 'markdownv2'].includes(mode.toLowerCase())) {
    throw badRequest('unsupported parse_mode')
  }
  // Markdown modes are passed through unparsed: tg-relay sends HTML.
  return trim(isHtmlParseMode(mode) ? parseHtml(raw) : { text: raw, entities: [] })
}
