// Final touch on rendered Telegram HTML: newlines are literal in Telegram, so
// stray spaces and runs of blank lines from template logic show. Keeps at most
// one blank line, no trailing spaces, nothing around the message.
export function tidyMessage (html: string): string {
  return html
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    // nunjucks escapes ' as &#39;; text and our double-quoted attributes need no escape
    .replaceAll('&#39;', '\'')
    .trim()
}
