import t, { type Test } from 'tap'
import { parseTelegramHtml, visibleLength } from '../../src/telegram/html.ts'
import { CAPTION_LIMIT, splitCaption, splitText, TEXT_LIMIT } from '../../src/telegram/split-text.ts'

// Each visible UTF-16 unit with the raw start tags open around it: what a reader sees.
function annotate (html: string): Array<{ ch: string, tags: string }> {
  const parsed = parseTelegramHtml(html)
  if (!parsed.ok) throw new Error(`part does not parse: ${parsed.error}\n${html}`)
  const out: Array<{ ch: string, tags: string }> = []
  const stack: string[] = []
  for (const token of parsed.tokens) {
    if (token.type === 'open') stack.push(token.raw)
    else if (token.type === 'close') stack.pop()
    else for (const ch of token.text.split('')) out.push({ ch, tags: stack.join('') })
  }
  return out
}

const plain = (text: string): Array<{ ch: string, tags: string }> => text.split('').map(ch => ({ ch, tags: '' }))

// Checks every promise splitText makes about `parts` cut from `text`.
function checkParts (t: Test, text: string, parts: string[], limit: number, html: boolean, firstLimit = limit): void {
  const original = html ? annotate(text) : plain(text)
  let pos = 0
  parts.forEach((part, i) => {
    const units = html ? annotate(part) : plain(part)
    const max = i === 0 ? firstLimit : limit
    if (units.length > max) t.fail(`part ${i} has ${units.length} visible units > ${max}`)
    if (units.length === 0) t.fail(`part ${i} is empty`)
    if (/[ \t\n\r\f\v]/.test(units[0]?.ch ?? '')) t.fail(`part ${i} starts with whitespace`)
    if (/[ \t\n\r\f\v]/.test(units.at(-1)?.ch ?? '')) t.fail(`part ${i} ends with whitespace`)
    while (pos < original.length && /[ \t\n\r\f\v]/.test(original[pos]?.ch ?? '')) pos++
    const last = units.at(-1)
    const lastCode = last === undefined ? 0 : last.ch.charCodeAt(0)
    if (i < parts.length - 1 && lastCode >= 0xd800 && lastCode <= 0xdbff) t.fail(`part ${i} ends inside a surrogate pair`)
    for (const unit of units) {
      const expected = original[pos++]
      if (expected === undefined || expected.ch !== unit.ch || expected.tags !== unit.tags) {
        t.fail(`part ${i} diverges from the original at visible offset ${pos - 1}`, { expected, found: unit })
        return
      }
    }
  })
  while (pos < original.length && /[ \t\n\r\f\v]/.test(original[pos]?.ch ?? '')) pos++
  t.equal(pos, original.length, 'every visible character is in a part, in order')
}

t.test('text under the limit is one part, unchanged', async t => {
  t.same(splitText('hello <b>world</b>', { parseMode: 'HTML' }), ['hello <b>world</b>'])
  const exactly = 'a'.repeat(TEXT_LIMIT)
  t.same(splitText(exactly, {}), [exactly])
  const tagged = `<b>${'&amp;'.repeat(TEXT_LIMIT)}</b>`
  t.same(splitText(tagged, { parseMode: 'HTML' }), [tagged], 'tags and entities do not count')
})

t.test('cuts at the last paragraph break, then line break, then space, then hard', async t => {
  t.same(splitText('aaa\n\nbbb\nccc ddd', { limit: 14 }), ['aaa', 'bbb\nccc ddd'])
  t.same(splitText('aaa\n\nbbb\nccc ddd eee', { limit: 14 }), ['aaa', 'bbb', 'ccc ddd eee'])
  t.same(splitText('aaa bbb\nccc ddd eee', { limit: 14 }), ['aaa bbb', 'ccc ddd eee'])
  t.same(splitText('aaa bbb ccc ddd eee', { limit: 14 }), ['aaa bbb ccc', 'ddd eee'])
  t.same(splitText('abcdefghijklmnopqrst', { limit: 8 }), ['abcdefgh', 'ijklmnop', 'qrst'])
  t.same(splitText('aaa \n \n bbb', { limit: 5 }), ['aaa', 'bbb'], 'the whole whitespace run is dropped')
  t.same(splitText('aaaa bbbb', { limit: 4 }), ['aaaa', 'bbbb'], 'a break just past the limit is used')
})

t.test('never cuts a surrogate pair, an entity or a tag', async t => {
  t.same(splitText('a😀😀😀', { limit: 4 }), ['a😀', '😀😀'])
  t.same(splitText('😀😀😀', { limit: 3 }), ['😀', '😀', '😀'])
  t.same(splitText('a&amp;b&lt;c&#128512;d', { limit: 3, parseMode: 'HTML' }), ['a&amp;b', '&lt;c', '&#128512;d'])
  const parts = splitText('<a href="https://example.com/a?b=1&amp;c=2">abcdef</a>', { limit: 3, parseMode: 'HTML' })
  t.same(parts, ['<a href="https://example.com/a?b=1&amp;c=2">abc</a>', '<a href="https://example.com/a?b=1&amp;c=2">def</a>'])
})

t.test('tags open at a cut are closed and reopened', async t => {
  const text = '<b>one <i>two three</i> four</b> <pre><code class="language-ts">let x = 1\nlet y = 2</code></pre>'
  const parts = splitText(text, { limit: 9, parseMode: 'HTML' })
  t.same(parts, [
    '<b>one <i>two</i></b>',
    '<b><i>three</i></b>',
    '<b>four</b> <pre><code class="language-ts">let</code></pre>',
    '<pre><code class="language-ts">x = 1</code></pre>',
    '<pre><code class="language-ts">let y = 2</code></pre>'
  ])
  checkParts(t, text, parts, 9, true)
  t.same(splitText('<b>aaa</b> <i>bbb</i>', { limit: 4, parseMode: 'HTML' }), ['<b>aaa</b>', '<i>bbb</i>'], 'no empty tags left behind')
  t.same(splitText('aaa <b></b>bbb', { limit: 4, parseMode: 'HTML' }), ['aaa', 'bbb'], 'an empty element at the cut vanishes')
})

t.test('emoji next to the cut in HTML', async t => {
  const text = `<b>${'👍'.repeat(5)}</b>x`
  const parts = splitText(text, { limit: 5, parseMode: 'HTML' })
  t.same(parts, ['<b>👍👍</b>', '<b>👍👍</b>', '<b>👍</b>x'])
  checkParts(t, text, parts, 5, true)
})

t.test('invalid HTML throws INVALID_HTML; a limit under 2 is refused', async t => {
  t.throws(() => splitText('<b>x', { parseMode: 'HTML' }), { code: 'INVALID_HTML', message: /Can't find end tag corresponding to start tag "b"/ })
  t.throws(() => splitText('abc', { limit: 1 }), RangeError)
})

t.test('a long caption keeps 1024 units; the rest follows as text', async t => {
  t.same(splitCaption('short', 'HTML'), { caption: 'short', followUp: [] })
  const caption = '<i>' + 'word '.repeat(1200) + '</i>'
  const { caption: first, followUp } = splitCaption(caption, 'HTML')
  t.ok(visibleLength(first, 'HTML') <= CAPTION_LIMIT)
  t.ok(visibleLength(first, 'HTML') > CAPTION_LIMIT - 6, 'the caption is filled')
  t.equal(followUp.length, 2)
  checkParts(t, caption, [first, ...followUp], TEXT_LIMIT, true, CAPTION_LIMIT)
  const long = 'x'.repeat(1500)
  t.same(splitCaption(long), { caption: 'x'.repeat(1024), followUp: ['x'.repeat(476)] })
})

// Property check over generated texts: words, entities, emoji, line and paragraph breaks,
// nested tags with attributes.
function rng (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function generate (random: () => number, html: boolean): string {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T
  const atoms = ['word', 'длинноеслово', 'x', '😀', '👍🏽', 'a😀b', ' ', ' ', '  ', '\n', '\n\n', '\n \n', '\t']
  const entities = ['&amp;', '&lt;', '&gt;', '&quot;', '&#128512;', '&#x41;']
  const tags = [['<b>', '</b>'], ['<i>', '</i>'], ['<a href="https://example.com/?q=1&amp;r=2">', '</a>'],
    ['<span class="tg-spoiler">', '</span>'], ['<blockquote expandable>', '</blockquote>'], ['<code>', '</code>']]
  let out = ''
  const open: string[] = []
  const n = Math.floor(random() * 400)
  for (let i = 0; i < n; i++) {
    const r = random()
    if (html && r < 0.1 && open.length < 4) {
      const [start, end] = pick(tags) as [string, string]
      out += start
      open.push(end)
    } else if (html && r < 0.2 && open.length > 0) {
      out += open.pop()
    } else if (html && r < 0.3) {
      out += pick(entities)
    } else if (!html && r < 0.05) {
      out += pick(['<b>', '&amp;', '<'])
    } else {
      out += pick(atoms)
    }
  }
  while (open.length > 0) out += open.pop()
  return out
}

t.test('property: parts fit, parse, and keep content and order', async t => {
  const random = rng(20240611)
  for (let i = 0; i < 400; i++) {
    const html = i % 2 === 0
    const text = generate(random, html)
    const limit = 2 + Math.floor(random() * 60)
    const parts = splitText(text, { limit, parseMode: html ? 'HTML' : undefined })
    if (visibleLength(text, html ? 'HTML' : undefined) <= limit) {
      t.same(parts, [text])
      continue
    }
    const before = t.counts.fail
    checkParts(t, text, parts, limit, html)
    if (t.counts.fail > before) {
      t.comment({ text, limit, parts })
      break
    }
  }
})
