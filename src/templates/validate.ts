// Checks template data against its schema before anything is rendered and turns
// every problem into {field, message} with a field path a client can act on
// (data.booking.time_slots[0]). One entry per field: the first, most specific one.
import { Kind, type TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors'
import { CALENDAR_DATE_PATTERN, INSTANT_PATTERN, TIME_SLOT_PATTERN } from '../schemas/booking.ts'
import { BOOKING_DAY_PATTERN, LOCAL_OR_INSTANT_PATTERN } from '../schemas/compat/phstudio-fields.ts'
import type { FieldError } from './errors.ts'

export type Validate = (data: unknown, prefix: string) => FieldError[]

const PATTERN_TEXT: Record<string, string> = {
  [CALENDAR_DATE_PATTERN]: 'a date as YYYY-MM-DD',
  [TIME_SLOT_PATTERN]: 'a time slot as HH:MM or HH:MM-HH:MM',
  [INSTANT_PATTERN]: 'an ISO 8601 date-time with offset, e.g. 2024-12-15T10:00:00Z',
  [BOOKING_DAY_PATTERN]: 'a date as YYYY-MM-DD or an ISO 8601 date-time',
  [LOCAL_OR_INSTANT_PATTERN]: 'an ISO 8601 date-time, e.g. 2024-12-15T10:00:00+03:00',
  '^@[A-Za-z][A-Za-z0-9_]{3,31}$': 'an @channelusername',
  '^\\S+$': 'a string without spaces'
}

export function compileValidator (schema: TSchema): Validate {
  const checker = TypeCompiler.Compile(schema)
  return (data, prefix) => {
    const semantic = semanticErrors(schema, data, '', prefix)
    if (checker.Check(data)) return semantic
    const seen = new Set<string>()
    const details: FieldError[] = []
    for (const error of checker.Errors(data)) {
      const field = fieldName(prefix, error.path)
      if (seen.has(field)) continue
      seen.add(field)
      details.push({ field, message: describeError(error) })
    }
    return [...details, ...semantic.filter(d => !seen.has(d.field))]
  }
}

/** JSON pointer → `prefix.a.b[0]`. */
export function fieldName (prefix: string, pointer: string): string {
  let out = prefix
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (/^\d+$/.test(key)) out += `[${key}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`
    else out += `[${JSON.stringify(key)}]`
  }
  return out === '' ? '(root)' : out
}

function describeError (error: ValueError): string {
  const s = error.schema
  if (error.value === undefined && error.type !== ValueErrorType.ObjectAdditionalProperties) return 'is required'
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty: return 'is required'
    case ValueErrorType.ObjectAdditionalProperties: return 'is not an allowed field'
    case ValueErrorType.StringMinLength: return s.minLength === 1 ? 'must not be empty' : `must be at least ${s.minLength} characters long`
    case ValueErrorType.StringMaxLength: return `must be at most ${s.maxLength} characters long`
    case ValueErrorType.StringPattern: return `must be ${PATTERN_TEXT[s.pattern as string] ?? `a string matching ${s.pattern}`}`
    case ValueErrorType.ArrayMinItems: return `must have at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`
    case ValueErrorType.ArrayMaxItems: return `must have at most ${s.maxItems} items`
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum: return `must be ≥ ${s.minimum}`
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum: return `must be ≤ ${s.maximum}`
    case ValueErrorType.IntegerExclusiveMinimum:
    case ValueErrorType.NumberExclusiveMinimum: return `must be > ${s.exclusiveMinimum}`
    case ValueErrorType.IntegerExclusiveMaximum:
    case ValueErrorType.NumberExclusiveMaximum: return `must be < ${s.exclusiveMaximum}`
    case ValueErrorType.Union:
    case ValueErrorType.Literal:
    case ValueErrorType.String:
    case ValueErrorType.Number:
    case ValueErrorType.Integer:
    case ValueErrorType.Boolean:
    case ValueErrorType.Object:
    case ValueErrorType.Array:
    case ValueErrorType.Null:
      return `must be ${describeSchema(s)}`
    default: return error.message
  }
}

function describeSchema (s: TSchema): string {
  switch (s[Kind]) {
    case 'Literal': return JSON.stringify(s.const)
    case 'Union': {
      const variants = s.anyOf as TSchema[]
      if (variants.every(v => v[Kind] === 'Literal')) return `one of ${variants.map(v => JSON.stringify(v.const)).join(', ')}`
      return variants.map(describeSchema).join(' or ')
    }
    case 'Integer': return s.minimum === 0 ? 'a non-negative integer' : 'an integer'
    case 'Number': return 'a number'
    case 'Boolean': return 'true or false'
    case 'Null': return 'null'
    case 'Array': return 'an array'
    case 'Object':
    case 'Record': return 'an object'
    case 'String':
      if (typeof s.pattern === 'string' && PATTERN_TEXT[s.pattern] !== undefined) return PATTERN_TEXT[s.pattern] as string
      return s.minLength === 1 ? 'a non-empty string' : 'a string'
    default: return typeof s.type === 'string' ? `of type ${s.type}` : 'a valid value'
  }
}

// What a pattern cannot say: 2024-02-30 and 2023-02-29 match YYYY-MM-DD but are not dates.
function semanticErrors (schema: TSchema, value: unknown, pointer: string, prefix: string): FieldError[] {
  if (typeof value === 'string') {
    const dated = schema.pattern === BOOKING_DAY_PATTERN || schema.pattern === LOCAL_OR_INSTANT_PATTERN
    const bad = (schema.pattern === CALENDAR_DATE_PATTERN && !isCalendarDate(value)) ||
      (dated && !isCalendarDate(value.slice(0, 10))) ||
      (schema.pattern === INSTANT_PATTERN && Number.isNaN(Date.parse(value)))
    return bad ? [{ field: fieldName(prefix, pointer), message: `is not a real date: ${value}` }] : []
  }
  if (Array.isArray(value) && schema.items !== undefined && !Array.isArray(schema.items)) {
    const items = schema.items as TSchema
    return value.flatMap((item, i) => semanticErrors(items, item, `${pointer}/${i}`, prefix))
  }
  if (value !== null && typeof value === 'object' && schema.properties !== undefined) {
    const properties = schema.properties as Record<string, TSchema>
    const record = value as Record<string, unknown>
    return Object.entries(properties).flatMap(([key, sub]) =>
      key in record ? semanticErrors(sub, record[key], `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, prefix) : [])
  }
  return []
}

export function isCalendarDate (value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (m === null) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}
