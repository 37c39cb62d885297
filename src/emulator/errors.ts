// Telegram's error answers: { ok: false, error_code, description, parameters? }, sent with the
// same HTTP status. Method handlers throw ApiError; the server turns it into that body.

export interface ResponseParameters {
  retry_after?: number
  migrate_to_chat_id?: number
}

export class ApiError extends Error {
  readonly code = 'TELEGRAM_API_ERROR'
  constructor (
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters
  ) {
    super(description)
    this.name = 'ApiError'
  }

  toBody (): { ok: false, error_code: number, description: string, parameters?: ResponseParameters } {
    return this.parameters === undefined
      ? { ok: false, error_code: this.errorCode, description: this.description }
      : { ok: false, error_code: this.errorCode, description: this.description, parameters: this.parameters }
  }
}

export function badRequest (detail: string): ApiError {
  return new ApiError(400, `Bad Request: ${detail}`)
}

export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized')
export const notFound = (): ApiError => new ApiError(404, 'Not Found')
export const serverError = (): ApiError => new ApiError(500, 'Internal Server Error')
export const tooLarge = (): ApiError => new ApiError(413, 'Request Entity Too Large')

export function tooManyRequests (retryAfter: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter })
}
