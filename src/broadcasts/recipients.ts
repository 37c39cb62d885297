// Checks a broadcast's recipients one by one and drops repeated chats, so a
// bad entry is named by its index (body.recipients[123]) and the work stays
// linear in the number of recipients. Nothing is queued before this passes.
import { Type } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { InputError, type FieldError } from '../input-error.ts'
import { chatKey, toChatId } from '../telegram/bot-call.ts'
import { RecipientObjectSchema } from '../schemas/broadcast.ts'
import { ChatIdSchema } from '../schemas/common.ts'
import { compileValidator } from '../templates/validate.ts'

export interface Recipient {
  /** position in body.recipients, for error messages */
  index: number
  chatId: number | string
  data?: Record<string, unknown>
  language?: string
}

export interface RecipientList {
  /** distinct chats, in the order given; the first entry of a chat wins */
  unique: Recipient[]
  duplicates: number
}

/** More than this many bad entries: the answer names the first ones and counts the rest. */
const MAX_DETAILS = 20

type Validate = ReturnType<typeof compileValidator>
let validators: { chat: Validate, object: Validate, allChats: ReturnType<typeof TypeCompiler.Compile> } | undefined
const RECIPIENT = 'must be a chat id (integer or @channelusername) or {chat_id, data?, language?}'
const CHAT_ID = 'must be a chat id: an integer or @channelusername'

function distinct (chats: Array<number | string>): RecipientList {
  const seen = new Set<string>()
  const unique: Recipient[] = []
  for (let index = 0; index < chats.length; index++) {
    const chatId = toChatId(chats[index] as number | string)
    const key = chatKey(chatId)
    if (seen.has(key)) continue
    seen.add(key)
    unique.push({ index, chatId })
  }
  return { unique, duplicates: chats.length - unique.length }
}

export function parseRecipients (raw: unknown[], o: { template: boolean }): RecipientList {
  validators ??= { chat: compileValidator(ChatIdSchema), object: compileValidator(RecipientObjectSchema), allChats: TypeCompiler.Compile(Type.Array(ChatIdSchema)) }
  const v = validators
  // The usual list is plain chat ids: the same schema checked over the whole
  // array at once (compiled, ~20× faster than entry by entry); anything else,
  // or a bad entry, goes through the loop below, which names each bad one.
  if (v.allChats.Check(raw as unknown)) return distinct(raw as Array<number | string>)
  const seen = new Set<string>()
  const unique: Recipient[] = []
  const details: FieldError[] = []
  let bad = 0
  let named = 0
  for (let index = 0; index < raw.length; index++) {
    const entry = raw[index]
    const field = `body.recipients[${index}]`
    const isObject = typeof entry === 'object' && entry !== null && !Array.isArray(entry)
    // checked against the branch it is meant as, so the answer names the bad field, not the union
    const problems = isObject
      ? v.object(entry, field).map(p => p.field === `${field}.chat_id` ? { field: p.field, message: CHAT_ID } : p)
      : v.chat(entry, field).slice(0, 1).map(() => ({ field, message: RECIPIENT }))
    if (problems.length === 0 && !o.template && isObject && ('data' in entry || 'language' in entry)) {
      problems.push({ field, message: 'data and language only go with a template' })
    }
    if (problems.length > 0) {
      bad++
      if (details.length < MAX_DETAILS) named++
      for (const p of problems) if (details.length < MAX_DETAILS) details.push(p)
      continue
    }
    const r = isObject
      ? entry as { chat_id: number | string, data?: Record<string, unknown>, language?: string }
      : { chat_id: entry as number | string }
    const chatId = toChatId(r.chat_id)
    const key = chatKey(chatId)
    if (seen.has(key)) continue
    seen.add(key)
    unique.push({ index, chatId, ...(r.data !== undefined ? { data: r.data } : {}), ...(r.language !== undefined ? { language: r.language } : {}) })
  }
  if (bad > 0) {
    const more = bad > named ? ` (and ${bad - named} more)` : ''
    throw new InputError(`${bad} bad recipient${bad === 1 ? '' : 's'}: ${details.map(d => `${d.field} ${d.message}`).join('; ')}${more}`, details)
  }
  return { unique, duplicates: raw.length - unique.length }
}
