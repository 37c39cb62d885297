// The note a message carries when its template had no file in the language
// asked for: the sender sees it in the message's status (note).
import type { Rendered } from './index.ts'

export function fallbackNote (r: Rendered): string | undefined {
  return r.fallback ? `template ${r.template} has no "${r.requestedLanguage}" file: rendered in ${r.language}` : undefined
}
