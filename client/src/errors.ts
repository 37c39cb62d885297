// Every failure the client reports is a TgRelayError: the service's own
// {error, message, details} for an HTTP error, status 0 when no answer came.

export interface FieldError { field: string, message: string }

export class TgRelayError extends Error {
  override readonly name = 'TgRelayError'
  /** HTTP status; 0 when there was no answer (connection refused, reset, timed out) */
  readonly status: number
  /** the service's short title ("Bad Request", "Not Found"…), or what went wrong on the way */
  readonly error: string
  /** one entry per bad field, e.g. { field: 'body.chat_id', message: 'is required' } */
  readonly details: FieldError[]
  /** the parsed response body, when there was one */
  readonly body: unknown

  constructor (o: { status: number, error: string, message: string, details?: FieldError[], body?: unknown, cause?: unknown }) {
    super(o.message, o.cause === undefined ? undefined : { cause: o.cause })
    this.status = o.status
    this.error = o.error
    this.details = o.details ?? []
    this.body = o.body
  }
}

/** The service's error body, or a stand-in from the status when it sent something else. */
export function errorFromResponse (status: number, statusText: string, body: unknown): TgRelayError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown, message?: unknown, details?: unknown }
  const error = typeof b.error === 'string' ? b.error : (statusText || `HTTP ${status}`)
  const message = typeof b.message === 'string' ? b.message : (typeof body === 'string' && body ? body.slice(0, 500) : `HTTP ${status}`)
  const details = Array.isArray(b.details) ? b.details as FieldError[] : []
  return new TgRelayError({ status, error, message, details, body })
}
