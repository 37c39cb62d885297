// Splits a text that is over Telegram's limit into ordered parts that each fit, cutting at
// the last paragraph break, else line break, else whitespace, else hard (never inside a
// surrogate pair, a character reference or a tag). The whitespace run at a cut is dropped, and
// so is whitespace at the ends of an over-limit text (no part is blank; a blank text over the
// limit gives no parts at all).
// In HTML mode, tags open at a cut are closed at the end of the part and reopened (same raw
// start tag) at the start of the next, so every part parses on its own.

import { isHtmlParseMode, parseTelegramHtml } from './html.ts'

export const TEXT_LIMIT = 4096
export const CAPTION_LIMIT = 1024

export class InvalidHtmlError extends Error {
  readonly code = 'INVALID_HTML'
  constructor (message: string) {
    super(message)
    this.name = 'InvalidHtmlError'
  }
}

// One unit of the document: a visible character (a code point, or one character reference)
// or a tag. `vis` is what Telegram counts, `raw` what is written.
type Piece =
  | { kind: 'char', vis: string, raw: string }
  | { kind: 'open', name: string, raw: string }
  | { kind: 'close', name: string, raw: string }

// A part covers visible [start, end); [end, next) is the dropped whitespace.
interface Cut { start: number, end: number, next: number }

const WHITESPACE = /[ \t\n\r\f\v]/

function toPieces (text: string): Piece[] {
  const pieces: Piece[] = []
  const parsed = parseTelegramHtml(text)
  if (!parsed.ok) throw new InvalidHtmlError(parsed.error)
  for (const token of parsed.tokens) {
    if (token.type !== 'text') {
      pieces.push({ kind: token.type, name: token.name, raw: token.raw })
    } else if (token.raw !== token.text) {
      pieces.push({ kind: 'char', vis: token.text, raw: token.raw })
    } else {
      for (const ch of token.text) pieces.push({ kind: 'char', vis: ch, raw: ch })
    }
  }
  return pieces
}

interface WhitespaceRun { start: number, end: number, newlines: number }

function whitespaceRuns (visible: string): WhitespaceRun[] {
  const runs: WhitespaceRun[] = []
  let i = 0
  while (i < visible.length) {
    if (!WHITESPACE.test(visible[i] ?? '')) {
      i++
      continue
    }
    const start = i
    let newlines = 0
    while (i < visible.length && WHITESPACE.test(visible[i] ?? '')) {
      if (visible[i] === '\n') newlines++
      i++
    }
    runs.push({ start, end: i, newlines })
  }
  return runs
}

// Break strength of a whitespace run: 2 paragraph, 1 line, 0 word.
function strength (run: WhitespaceRun): number {
  return Math.min(run.newlines, 2)
}

function planCuts (visible: string, limitFor: (part: number) => number): Cut[] {
  const runs = whitespaceRuns(visible)
  const cuts: Cut[] = []
  // The whitespace around the whole text goes too: Telegram trims it, and it must not
  // become a part of its own.
  const first = runs[0]
  let start = first?.start === 0 ? first.end : 0
  const lastRun = runs.at(-1)
  const textEnd = lastRun?.end === visible.length ? lastRun.start : visible.length
  let r = 0 // first run that may still start after `start`
  while (textEnd - start > limitFor(cuts.length)) {
    const max = start + limitFor(cuts.length)
    while (r < runs.length && (runs[r]?.start ?? 0) <= start) r++
    let best: WhitespaceRun | undefined
    for (let k = r; k < runs.length; k++) {
      const run = runs[k] as WhitespaceRun
      if (run.start > max) break
      if (best === undefined || strength(run) >= strength(best)) best = run
    }
    if (best !== undefined) {
      cuts.push({ start, end: best.start, next: best.end })
      start = best.end
    } else {
      let end = max
      const high = visible.charCodeAt(end - 1)
      const low = visible.charCodeAt(end)
      if (high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) end--
      cuts.push({ start, end, next: end })
      start = end
    }
  }
  if (start < textEnd) cuts.push({ start, end: textEnd, next: visible.length })
  return cuts
}

interface OpenTag { name: string, raw: string }

// Walks the pieces once, writing each into its part; see the file header for tag handling.
function render (pieces: Piece[], cuts: Cut[]): string[] {
  if (cuts.length === 0) return []
  const parts: string[] = []
  const stack: OpenTag[] = []
  let written = 0 // stack entries whose start tag is written in the current part
  let part = 0
  let out = ''
  let offset = 0
  const last = cuts.length - 1

  for (const piece of pieces) {
    const cut = cuts[part] as Cut
    const pastEnd = part < last && offset >= cut.end
    if (piece.kind === 'char') {
      if (part < last && offset >= cut.next) {
        for (let k = written - 1; k >= 0; k--) out += `</${(stack[k] as OpenTag).name}>`
        parts.push(out)
        part++
        out = stack.map(tag => tag.raw).join('')
        written = stack.length
      }
      const current = cuts[part] as Cut
      if (offset >= current.start && offset < current.end) out += piece.raw
      offset += piece.vis.length
    } else if (piece.kind === 'open') {
      // A tag opening after the cut belongs to the next part; it is only remembered here.
      stack.push({ name: piece.name, raw: piece.raw })
      if (!pastEnd) {
        out += piece.raw
        written++
      }
    } else {
      stack.pop()
      if (stack.length < written) {
        out += piece.raw
        written--
      }
    }
  }
  parts.push(out)
  return parts
}

function split (text: string, html: boolean, limitFor: (part: number) => number): string[] {
  if (!html) {
    if (text.length <= limitFor(0)) return [text]
    return planCuts(text, limitFor).map(cut => text.slice(cut.start, cut.end))
  }
  const pieces = toPieces(text)
  let visible = ''
  for (const piece of pieces) if (piece.kind === 'char') visible += piece.vis
  if (visible.length <= limitFor(0)) return [text]
  return render(pieces, planCuts(visible, limitFor))
}

function checkLimit (limit: number): void {
  // A limit of 1 could not hold a surrogate pair or an astral character reference.
  if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`split limit must be an integer >= 2, got ${limit}`)
}

export function splitText (text: string, opts: { limit?: number, parseMode?: string } = {}): string[] {
  const limit = opts.limit ?? TEXT_LIMIT
  checkLimit(limit)
  return split(text, isHtmlParseMode(opts.parseMode), () => limit)
}

// A caption over 1024 keeps its first 1024 visible units; the rest follows as text messages.
export function splitCaption (caption: string, parseMode?: string): { caption: string, followUp: string[] } {
  const [first = '', ...followUp] = split(caption, isHtmlParseMode(parseMode), part => part === 0 ? CAPTION_LIMIT : TEXT_LIMIT)
  return { caption: first, followUp }
}
