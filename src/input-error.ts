// A request the client must fix: 4xx with {error, message, details}.
export interface FieldError { field: string, message: string }

export class InputError extends Error {
  code = 'INPUT_INVALID'
  constructor (message: string, readonly details: FieldError[] = [], readonly statusCode = 400) {
    super(message)
    this.name = 'InputError'
  }

  static field (field: string, message: string, statusCode = 400): InputError {
    return new InputError(`${field} ${message}`, [{ field, message }], statusCode)
  }
}
