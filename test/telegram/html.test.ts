import t from 'tap'
import { parseTelegramHtml, visibleLength, type HtmlParse } from '../../src/telegram/html.ts'

function error (parse: HtmlParse): string {
  return parse.ok ? 'parsed' : parse.error
}

t.test('accepts every tag Telegram supports', async t => {
  const valid = [
    '<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>',
    '<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler>',
    '<a href="https://example.com/?a=1&amp;b=2">link</a>',
    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    '<code>x</code><pre>y</pre><pre><code class="language-python">print(1)</code></pre>',
    '<blockquote>q</blockquote><blockquote expandable>long</blockquote>',
    '<b>bold <i>italic <u>under</u></i></b>',
    '<B>upper-case start tags</b>',
    '<b >spaces in tags</b >',
    'an empty end tag <b>closes the last one</>',
    'a > b is fine, and so is a lone & and AT&T'
  ]
  for (const html of valid) t.ok(parseTelegramHtml(html).ok, html)
})

t.test('tokens keep the raw text and decode entities', async t => {
  const input = 'a &lt;b&gt; <a href="x">&amp;&quot;&#65;&#x42;</a> &amp'
  const parsed = parseTelegramHtml(input)
  if (!parsed.ok) throw new Error(parsed.error)
  t.equal(parsed.tokens.map(tok => tok.raw).join(''), input, 'raw round-trips')
  const text = parsed.tokens.map(tok => tok.type === 'text' ? tok.text : '').join('')
  t.equal(text, 'a <b> &"AB &')
  t.equal(parsed.length, text.length)
  const open = parsed.tokens.find(tok => tok.type === 'open')
  t.same(open, { type: 'open', name: 'a', raw: '<a href="x">', attrs: { href: 'x' } })
})

t.test('refuses what Telegram refuses, with its messages', async t => {
  const prefix = "Bad Request: can't parse entities: "
  const cases: Array<[string, string]> = [
    ['hello <foo>x</foo>', 'Unsupported start tag "foo" at byte offset 6'],
    ['a < b', 'Unsupported start tag "" at byte offset 2'],
    ['<b>bold', 'Can\'t find end tag corresponding to start tag "b"'],
    ['<b><i>x</b></i>', 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'],
    ['x</b>', 'Unexpected end tag at byte offset 1'],
    ['<b', 'Unclosed start tag at byte offset 0'],
    ['<b>x</b', 'Unclosed end tag at byte offset 4'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ['<a href="x>y</a>', 'Unclosed start tag at byte offset 0'],
    ['<a href>y</a>', 'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0'],
    ['<tg-emoji>x</tg-emoji>', 'Tag "tg-emoji" must have a numeric attribute "emoji-id" at byte offset 0'],
    ['a&nbsp;b', 'Unsupported HTML entity "&nbsp;" at byte offset 1'],
    ['&#0;', 'Unsupported HTML entity "&#0;" at byte offset 0'],
    ['&#xD800;', 'Unsupported HTML entity "&#xD800;" at byte offset 0'],
    ['привет <foo>', 'Unsupported start tag "foo" at byte offset 13']
  ]
  for (const [input, message] of cases) t.equal(error(parseTelegramHtml(input)), prefix + message, input)
})

t.test('visibleLength counts UTF-16 units after entity parsing', async t => {
  t.equal(visibleLength('<b>hi</b> &amp; <a href="https://example.com">x</a>', 'HTML'), 6)
  t.equal(visibleLength('&#128512;', 'HTML'), 2, 'an astral reference is a surrogate pair')
  t.equal(visibleLength('😀', 'html'), 2, 'parse mode is case-insensitive')
  t.equal(visibleLength('<b>hi</b>'), 9, 'not HTML: plain length')
  t.equal(visibleLength('<b>hi</b>', 'MarkdownV2'), 9)
  t.equal(visibleLength('<b>broken', 'HTML'), 9, 'invalid HTML falls back to the plain length')
})
