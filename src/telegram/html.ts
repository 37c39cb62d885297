// Telegram's HTML parse mode, parsed the way the Bot API server (tdlib's parse_html) does,
// so that tg-relay refuses before queueing what Telegram would refuse at delivery, and can
// count the visible length Telegram's 4096/1024 limits apply to.
// Invariant: concatenating the `raw` of every token gives back the input exactly.

export type HtmlToken =
  // A text token is either a literal run (text === raw) or exactly one character reference
  // (raw '&amp;', text '&'), so a splitter can cut literal runs anywhere and never inside
  // an entity.
  | { type: 'text', text: string, raw: string }
  | { type: 'open', name: string, raw: string, attrs: Record<string, string> }
  | { type: 'close', name: string, raw: string }

export type HtmlParse =
  | { ok: true, tokens: HtmlToken[], length: number }
  | { ok: false, error: string }

const ALLOWED_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del',
  'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote'
])

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' }

const ERROR_PREFIX = "Bad Request: can't parse entities: "

export function isHtmlParseMode (parseMode: string | undefined): boolean {
  return parseMode !== undefined && parseMode.toLowerCase() === 'html'
}

// tdlib's is_space: the characters that end a tag name or separate attributes.
function isSpace (c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b
}

function isAsciiAlpha (c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

function isDigit (c: number, hex: boolean): boolean {
  if (c >= 0x30 && c <= 0x39) return true
  return hex && ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
}

// Telegram reports positions as UTF-8 byte offsets.
function byteOffset (input: string, index: number): number {
  return Buffer.byteLength(input.slice(0, index), 'utf8')
}

type EntityRead = { char: string, end: number } | { error: string } | null

// Reads a character reference at input[i] === '&'. Like Telegram: the known names and valid
// numeric references decode (the ';' is optional), and a lone '&' stays literal text (null).
// Stricter than Telegram on purpose: a terminated reference it cannot decode ('&nbsp;',
// '&#0;') is an error, because Telegram would show it verbatim — never what the author meant.
function readEntity (input: string, i: number): EntityRead {
  let j = i + 1
  if (input.charCodeAt(j) === 0x23 /* # */) {
    j++
    const hex = input.charCodeAt(j) === 0x78 || input.charCodeAt(j) === 0x58 // x X
    if (hex) j++
    const digitsStart = j
    while (j < input.length && isDigit(input.charCodeAt(j), hex)) j++
    const digits = input.slice(digitsStart, j)
    const terminated = input.charCodeAt(j) === 0x3b /* ; */
    const code = digits.length > 0 && digits.length <= 8 ? parseInt(digits, hex ? 16 : 10) : 0
    const valid = code > 0 && code < 0x110000 && (code < 0xd800 || code > 0xdfff)
    if (valid) return { char: String.fromCodePoint(code), end: terminated ? j + 1 : j }
    if (!terminated) return null
    return { error: `Unsupported HTML entity "${input.slice(i, j + 1)}" at byte offset ${byteOffset(input, i)}` }
  }
  while (j < input.length && isAsciiAlpha(input.charCodeAt(j))) j++
  const name = input.slice(i + 1, j)
  const terminated = input.charCodeAt(j) === 0x3b
  const char = NAMED_ENTITIES[name]
  if (char !== undefined) return { char, end: terminated ? j + 1 : j }
  if (name.length === 0 || !terminated) return null
  return { error: `Unsupported HTML entity "&${name};" at byte offset ${byteOffset(input, i)}` }
}

// Decodes references inside a quoted attribute value; unknown ones stay verbatim there
// (Telegram's behaviour, and an href may legitimately contain '&foo;').
function decodeAttribute (value: string): string {
  let out = ''
  let i = 0
  while (i < value.length) {
    const amp = value.indexOf('&', i)
    if (amp === -1) break
    out += value.slice(i, amp)
    const read = readEntity(value, amp)
    if (read !== null && 'char' in read) {
      out += read.char
      i = read.end
    } else {
      out += '&'
      i = amp + 1
    }
  }
  return out + value.slice(i)
}

function tagAt (input: string, begin: number): string {
  return `at byte offset ${byteOffset(input, begin)}`
}

type OpenToken = Extract<HtmlToken, { type: 'open' }>
type TagRead = { token: OpenToken, end: number } | { error: string }

function readStartTag (input: string, begin: number): TagRead {
  const n = input.length
  let i = begin + 1
  while (i < n && !isSpace(input.charCodeAt(i)) && input[i] !== '>') i++
  if (i >= n) return { error: `Unclosed start tag ${tagAt(input, begin)}` }
  const name = input.slice(begin + 1, i).toLowerCase()
  if (!ALLOWED_TAGS.has(name)) return { error: `Unsupported start tag "${name}" ${tagAt(input, begin)}` }

  const attrs: Record<string, string> = {}
  while (i < n && input[i] !== '>') {
    while (i < n && isSpace(input.charCodeAt(i))) i++
    if (i >= n) break
    if (input[i] === '>') break
    const attrStart = i
    while (i < n && !isSpace(input.charCodeAt(i)) && input[i] !== '=' && input[i] !== '>') i++
    const attrName = input.slice(attrStart, i).toLowerCase()
    if (attrName.length === 0) return { error: `Empty attribute name in the tag "${name}" ${tagAt(input, begin)}` }
    while (i < n && isSpace(input.charCodeAt(i))) i++
    if (input[i] !== '=') {
      if (name === 'blockquote' && attrName === 'expandable') {
        attrs[attrName] = ''
        continue
      }
      if (i >= n) break
      return { error: `Expected equal sign in declaration of an attribute of the tag "${name}" ${tagAt(input, begin)}` }
    }
    i++
    while (i < n && isSpace(input.charCodeAt(i))) i++
    if (i >= n) break
    const quote = input[i]
    if (quote === '"' || quote === "'") {
      const close = input.indexOf(quote, i + 1)
      if (close === -1) return { error: `Unclosed start tag ${tagAt(input, begin)}` }
      attrs[attrName] = decodeAttribute(input.slice(i + 1, close))
      i = close + 1
    } else {
      // An unquoted value is a name token: letters, digits, '.', '-'.
      const valueStart = i
      while (i < n && /[A-Za-z0-9.-]/.test(input[i] ?? '')) i++
      if (i < n && !isSpace(input.charCodeAt(i)) && input[i] !== '>') {
        return { error: `Unexpected end of name token at byte offset ${byteOffset(input, valueStart)}` }
      }
      attrs[attrName] = input.slice(valueStart, i).toLowerCase()
    }
  }
  if (i >= n) return { error: `Unclosed start tag ${tagAt(input, begin)}` }

  if (name === 'span' && attrs.class !== 'tg-spoiler') {
    return { error: `Tag "span" must have class "tg-spoiler" ${tagAt(input, begin)}` }
  }
  if (name === 'tg-emoji' && !/^\d+$/.test(attrs['emoji-id'] ?? '')) {
    return { error: `Tag "tg-emoji" must have a numeric attribute "emoji-id" ${tagAt(input, begin)}` }
  }
  return { token: { type: 'open', name, raw: input.slice(begin, i + 1), attrs }, end: i + 1 }
}

const failed = (message: string): HtmlParse => ({ ok: false, error: ERROR_PREFIX + message })

// The next '<' or '&' from lastIndex: everything before it is literal text.
const SPECIAL = /[<&]/g

// Hot: every HTML text is parsed once when it is accepted. Helpers live at
// module level and byte offsets are computed only for an error message.
export function parseTelegramHtml (input: string): HtmlParse {
  const tokens: HtmlToken[] = []
  const open: string[] = []
  const n = input.length
  let length = 0
  let runStart = 0
  let i = 0

  while (i < n) {
    SPECIAL.lastIndex = i
    const found = SPECIAL.exec(input)
    if (found === null) break
    i = found.index
    if (input.charCodeAt(i) === 0x26 /* & */) {
      const read = readEntity(input, i)
      if (read === null) {
        i++
        continue
      }
      if ('error' in read) return failed(read.error)
      if (i > runStart) length += pushRun(tokens, input, runStart, i)
      tokens.push({ type: 'text', text: read.char, raw: input.slice(i, read.end) })
      length += read.char.length
      i = runStart = read.end
      continue
    }
    if (i > runStart) length += pushRun(tokens, input, runStart, i)
    const begin = i
    if (input[i + 1] !== '/') {
      const read = readStartTag(input, begin)
      if ('error' in read) return failed(read.error)
      tokens.push(read.token)
      open.push(read.token.name)
      i = runStart = read.end
      continue
    }
    const expected = open.at(-1)
    if (expected === undefined) return failed(`Unexpected end tag at byte offset ${byteOffset(input, begin)}`)
    i += 2
    while (i < n && !isSpace(input.charCodeAt(i)) && input[i] !== '>') i++
    const name = input.slice(begin + 2, i)
    while (i < n && isSpace(input.charCodeAt(i))) i++
    if (input[i] !== '>') return failed(`Unclosed end tag at byte offset ${byteOffset(input, begin)}`)
    if (name.length > 0 && name !== expected) {
      return failed(`Unmatched end tag at byte offset ${byteOffset(input, begin)}, expected "</${expected}>", found "</${name}>"`)
    }
    open.pop()
    tokens.push({ type: 'close', name: expected, raw: input.slice(begin, i + 1) })
    i = runStart = i + 1
  }
  if (n > runStart) length += pushRun(tokens, input, runStart, n)
  const unclosed = open.at(-1)
  if (unclosed !== undefined) return failed(`Can't find end tag corresponding to start tag "${unclosed}"`)
  return { ok: true, tokens, length }
}

/** A literal run input[start, end) as a text token; returns its length. */
function pushRun (tokens: HtmlToken[], input: string, start: number, end: number): number {
  const run = input.slice(start, end)
  tokens.push({ type: 'text', text: run, raw: run })
  return run.length
}

// UTF-16 code units Telegram counts against its limits: entity-decoded, tags not counted.
// Not HTML, or HTML that does not parse (callers validate first): the plain length.
export function visibleLength (text: string, parseMode?: string): number {
  if (!isHtmlParseMode(parseMode)) return text.length
  const parsed = parseTelegramHtml(text)
  return parsed.ok ? parsed.length : text.length
}
