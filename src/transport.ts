// A worker transport: a destination other than the Bot API that queued calls
// can name by their method (booking events POSTed to the booking backend,
// channel member operations). The worker sends to it with the queue's retry,
// DLQ and per-chat order rules (queue/consumer.ts); telegram/classify-error.ts reads
// its failures. Both import it from here.

/** Delivers one queued call's params; throws TransportError, BotApiError or a network error. */
export type Transport = (params: Record<string, unknown>) => Promise<unknown>

/**
 * A non-Telegram destination (a worker Transport, e.g. the booking backend)
 * answered with an HTTP error. Its status says nothing about the bot or the
 * chat, so it never pauses the bot or marks a chat blocked: 408, 429 and 5xx
 * are retried, other 4xx are permanent. Status 0: the destination could not
 * be reached (retried, and never "uncertain": it is not a Telegram send).
 */
export class TransportError extends Error {
  code = 'TRANSPORT_ERROR'
  constructor (readonly destination: string, readonly status: number, readonly description: string) {
    super(`${destination}: HTTP ${status} ${description}`)
    this.name = 'TransportError'
  }
}
