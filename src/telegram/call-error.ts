// A Bot API call a route makes while the client waits (send with queue:false,
// webhook setup/info/delete, verify-permissions, admin status) fails with one
// error, mapped to a status in one place (src/plugins/errors.ts):
//   Telegram refused the request (its own 4xx)  → 400, with its description
//   Telegram said 429                           → 429, Retry-After its retry_after
//   401 (the bot token), 5xx, network, timeout  → 502: nothing the client can fix
import { BotApiError } from './client.ts'
import { classifyError } from './classify-error.ts'

export class TelegramCallError extends Error {
  code = 'TELEGRAM_CALL_ERROR'
  constructor (
    readonly method: string,
    readonly statusCode: 400 | 429 | 502,
    /** the `error` of the response body */
    readonly title: string,
    message: string,
    /** seconds, for a 429 */
    readonly retryAfter?: number,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'TelegramCallError'
  }

  static from (method: string, err: unknown): TelegramCallError {
    if (err instanceof TelegramCallError) return err
    const reason = classifyError(err).reason
    if (err instanceof BotApiError && err.errorCode === 429) {
      return new TelegramCallError(method, 429, 'Telegram rate limit', reason, Math.max(1, err.parameters.retry_after ?? 1), { cause: err })
    }
    if (err instanceof BotApiError && err.errorCode >= 400 && err.errorCode < 500 && err.errorCode !== 401) {
      return new TelegramCallError(method, 400, `Telegram refused ${method}`, reason, undefined, { cause: err })
    }
    return new TelegramCallError(method, 502, 'Telegram unreachable', reason, undefined, { cause: err })
  }
}

/** Runs one synchronous call; any failure becomes a TelegramCallError. */
export async function callTelegram<T> (call: () => Promise<T>, method: string): Promise<T> {
  try {
    return await call()
  } catch (err) {
    throw TelegramCallError.from(method, err)
  }
}
