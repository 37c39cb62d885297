// Checks a call's parameters against the method's fields from bot-api.json and coerces them
// the way the Bot API server does (it sees every parameter as a string first: "123" is an
// Integer, "true" a Boolean, JSON-serialized objects may come as strings). Unknown
// parameters are dropped, as Telegram ignores them.

import type { MethodSpec } from './bot-api.ts'
import type { UploadedFile } from './types.ts'
import { badRequest } from './errors.ts'

export type Params = Record<string, unknown>

/** A multipart file part: only its name, type and size are kept. */
export class Upload implements UploadedFile {
  constructor (readonly filename: string, readonly mimetype: string, readonly size: number) {}
}

const MISSING: Record<string, string> = {
  text: 'message text is empty',
  photo: 'there is no photo in the request',
  document: 'there is no document in the request',
  voice: 'there is no voice in the request'
}

// Required, yet '' is meaningful: setWebhook with an empty url removes the webhook.
const EMPTY_IS_A_VALUE = new Set(['setWebhook.url'])

const UNPARSABLE: Record<string, string> = {
  reply_markup: 'reply keyboard markup',
  entities: 'entities',
  caption_entities: 'entities'
}

const NOT_MATCHED = Symbol('not matched')
type Coerced = unknown | typeof NOT_MATCHED

const INTEGER = /^-?\d{1,16}$/
const FLOAT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

// A JSON number is fine where Telegram expects a string (text: 123), but not where it
// expects an integer or a string (chat_id: 1.5 is not a chat).
function coerceString (v: unknown, numbers = true): Coerced {
  if (typeof v === 'string') return v
  if (numbers && typeof v === 'number' && Number.isFinite(v)) return String(v)
  return NOT_MATCHED
}

function coerceInteger (v: unknown): Coerced {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : NOT_MATCHED
  if (typeof v === 'string' && INTEGER.test(v)) {
    const n = Number(v)
    return Number.isSafeInteger(n) ? n : NOT_MATCHED
  }
  return NOT_MATCHED
}

function coerceFloat (v: unknown): Coerced {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NOT_MATCHED
  if (typeof v === 'string' && FLOAT.test(v.trim())) return Number(v)
  return NOT_MATCHED
}

function coerceBoolean (v: unknown): Coerced {
  if (typeof v === 'boolean') return v
  if (v === 1 || v === 0) return v === 1
  if (typeof v === 'string') {
    const s = v.toLowerCase()
    if (s === 'true' || s === '1') return true
    if (s === 'false' || s === '0') return false
  }
  return NOT_MATCHED
}

class UnparsableJson extends Error {}

function parseJsonString (v: unknown): unknown {
  if (typeof v !== 'string') return v
  try {
    return JSON.parse(v)
  } catch {
    throw new UnparsableJson()
  }
}

function coerceArray (v: unknown, of: string): Coerced {
  const value = parseJsonString(v)
  if (!Array.isArray(value)) return NOT_MATCHED
  const coerceItem = of === 'String' ? (item: unknown) => coerceString(item) : of === 'Integer' ? coerceInteger : coerceObject
  const out: unknown[] = []
  for (const item of value) {
    const c = coerceItem(item)
    if (c === NOT_MATCHED) return NOT_MATCHED
    out.push(c)
  }
  return out
}

function coerceObject (v: unknown): Coerced {
  const value = parseJsonString(v)
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Upload) return NOT_MATCHED
  return value
}

function coerce (v: unknown, type: string, types: string[]): Coerced {
  if (v instanceof Upload) return type === 'InputFile' ? v : NOT_MATCHED
  switch (type) {
    case 'String': return coerceString(v, !types.includes('Integer'))
    case 'Integer': return coerceInteger(v)
    case 'Float': return coerceFloat(v)
    case 'Boolean': return coerceBoolean(v)
    case 'InputFile': return NOT_MATCHED
    default:
      if (type.startsWith('Array of ')) return coerceArray(v, type.slice('Array of '.length))
      return coerceObject(v)
  }
}

export function validateParams (spec: MethodSpec, input: Params): Params {
  const out: Params = {}
  for (const field of spec.fields) {
    const value = input[field.name]
    if (value === '' && EMPTY_IS_A_VALUE.has(`${spec.name}.${field.name}`)) {
      out[field.name] = ''
      continue
    }
    if (value === undefined || value === null || value === '') {
      if (field.required) throw badRequest(MISSING[field.name] ?? `${field.name} is empty`)
      continue
    }
    let coerced: Coerced = NOT_MATCHED
    try {
      for (const type of field.types) {
        coerced = coerce(value, type, field.types)
        if (coerced !== NOT_MATCHED) break
      }
    } catch (err) {
      if (!(err instanceof UnparsableJson)) throw err
      throw badRequest(`can't parse ${UNPARSABLE[field.name] ?? field.name} JSON object`)
    }
    if (coerced === NOT_MATCHED) {
      throw badRequest(`field "${field.name}" must be of type ${field.types.join(' or ')}`)
    }
    out[field.name] = coerced
  }
  if (out.reply_markup !== undefined) checkReplyMarkup(out.reply_markup as Params, spec)
  return out
}

export function isRecord (value: unknown): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const BUTTON_ACTIONS = [
  'url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query',
  'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'copy_text',
  'callback_game', 'pay'
]

// The parts of keyboard validation a notification service can get wrong: the shape, button
// texts, one action per inline button, and callback_data's 64-byte cap.
function checkReplyMarkup (markup: Params, spec: MethodSpec): void {
  const inlineOnly = spec.fields.some(f => f.name === 'reply_markup' && f.types.length === 1)
  const kinds = ['inline_keyboard', 'keyboard', 'remove_keyboard', 'force_reply'].filter(k => markup[k] !== undefined)
  if (kinds.length !== 1 || (inlineOnly && kinds[0] !== 'inline_keyboard')) {
    throw badRequest("can't parse reply keyboard markup JSON object")
  }
  const rows = markup.inline_keyboard ?? markup.keyboard
  if (rows === undefined) return
  const inline = kinds[0] === 'inline_keyboard'
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest(`field "${kinds[0] ?? ''}" of the ${inline ? 'InlineKeyboardMarkup' : 'ReplyKeyboardMarkup'} must be an Array of Arrays`)
  }
  for (const row of rows as unknown[][]) {
    for (const button of row) {
      if (!inline) {
        if (typeof button !== 'string' && !(isRecord(button) && typeof button.text === 'string')) {
          throw badRequest("can't parse keyboard button: field \"text\" must be of type String")
        }
        continue
      }
      if (!isRecord(button) || typeof button.text !== 'string' || button.text === '') {
        throw badRequest("can't parse inline keyboard button: Text is empty")
      }
      const actions = BUTTON_ACTIONS.filter(a => button[a] !== undefined)
      if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
      if (actions.length > 1) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must have exactly one optional field")
      const data = button.callback_data
      if (data !== undefined && (typeof data !== 'string' || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64)) {
        throw badRequest('BUTTON_DATA_INVALID')
      }
      if (button.url !== undefined && (typeof button.url !== 'string' || !URL.canParse(button.url))) {
        throw badRequest('BUTTON_URL_INVALID')
      }
    }
  }
}
