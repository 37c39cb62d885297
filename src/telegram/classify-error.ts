// Decides what a failed Bot API call means for the message: retry,
// dead-letter, pause the bot or follow a migrated chat (README "How it works").
// The one subtle case: a network error after the request was written may
// mean Telegram delivered it (uncertain); one before it (connect refused,
// DNS) certainly did not.
import { BotApiError } from './client.ts'
import { TransportError } from '../transport.ts'

export type Verdict =
  | { kind: 'rate-limited', retryAfterMs: number, reason: string }
  | { kind: 'migrated', toChatId: number, reason: string }
  | { kind: 'transient', uncertain: boolean, reason: string }
  | { kind: 'permanent', blocked: boolean, reason: string }
  | { kind: 'outage', reason: string }

/** Errors raised before any byte of the request could reach the server. */
const BEFORE_WRITE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'UND_ERR_CONNECT_TIMEOUT'])

function errorCode (err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'BOT_API_ERROR') return code
  }
  return undefined
}

export function classifyError (err: unknown): Verdict {
  if (err instanceof TransportError) {
    const retry = err.status === 0 || err.status === 408 || err.status === 429 || err.status >= 500
    return retry ? { kind: 'transient', uncertain: false, reason: err.message } : { kind: 'permanent', blocked: false, reason: err.message }
  }
  if (err instanceof BotApiError) {
    const reason = `${err.errorCode}: ${err.description}`
    if (err.errorCode === 429) {
      return { kind: 'rate-limited', retryAfterMs: Math.max(1, err.parameters.retry_after ?? 1) * 1000, reason }
    }
    if (err.parameters.migrate_to_chat_id !== undefined) {
      return { kind: 'migrated', toChatId: err.parameters.migrate_to_chat_id, reason }
    }
    // Telegram answered: it did not deliver. 5xx is its trouble; 401 is a
    // token an admin can fix — neither is the message's fault.
    if (err.errorCode >= 500 || err.errorCode === 401) return { kind: 'transient', uncertain: false, reason }
    return { kind: 'permanent', blocked: err.errorCode === 403, reason }
  }
  const code = errorCode(err)
  const message = err instanceof Error ? err.message : String(err)
  if (code === 'EOPENBREAKER') return { kind: 'outage', reason: 'Bot API unreachable (circuit open)' }
  const reason = code ? `${code}: ${message}` : message
  return { kind: 'transient', uncertain: !(code && BEFORE_WRITE.has(code)), reason }
}

/** Failures that say the Bot API is unreachable or broken — what the breaker counts. */
export function isOutageError (err: unknown): boolean {
  if (err instanceof TransportError) return false
  const v = classifyError(err)
  return v.kind === 'transient' && !(err instanceof BotApiError && err.errorCode === 401)
}

/**
 * The Bot API could not be reached at all (connect refused, DNS, connect
 * timeout): nothing about the message, and Telegram certainly did not get it.
 */
export function isUnreachable (err: unknown): boolean {
  if (err instanceof TransportError || err instanceof BotApiError) return false
  const code = errorCode(err)
  return code !== undefined && BEFORE_WRITE.has(code)
}
