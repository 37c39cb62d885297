// The one error type of the template layer. `code` is stable for callers;
// `statusCode` lets Fastify's error handler answer without a mapping table.

export type TemplateErrorCode = 'UNKNOWN_TEMPLATE' | 'UNKNOWN_LANGUAGE' | 'INVALID_DATA' | 'TEMPLATE_COMPILE'

export interface FieldError {
  field: string
  message: string
}

const STATUS: Record<TemplateErrorCode, number> = {
  UNKNOWN_TEMPLATE: 404,
  UNKNOWN_LANGUAGE: 400,
  INVALID_DATA: 400,
  TEMPLATE_COMPILE: 500
}

export class TemplateError extends Error {
  readonly code: TemplateErrorCode
  readonly details: FieldError[]
  readonly statusCode: number

  constructor (code: TemplateErrorCode, message: string, details: FieldError[] = [], options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TemplateError'
    this.code = code
    this.details = details
    this.statusCode = STATUS[code]
  }
}
