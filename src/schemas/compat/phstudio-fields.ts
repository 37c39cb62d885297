// The schema pieces of the phStudio backend's shape (see phstudio.ts for the
// mapping): apart from the mapping, so schemas/common.ts and booking.ts can
// use them without an import circle through the booking types.
import { Type } from '@sinclair/typebox'
import { PRIORITIES } from '../../queue/keys.ts'

const anyCase = (words: readonly string[]) =>
  `^(${words.map(w => [...w].map(c => `[${c}${c.toUpperCase()}]`).join('')).join('|')})$`

export const PriorityAnyCaseSchema = Type.String({ pattern: anyCase(PRIORITIES), description: 'a priority name in any case (HIGH)' })

export const QueueOption = {
  queue: Type.Optional(Type.Boolean({ default: true, description: 'false: send now and return Telegram\'s answer (no durability)' }))
}

const DAY = '\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])'
const CLOCK = 'T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?'
/** An ISO 8601 date-time with or without offset, as datetime.isoformat() writes it. */
export const LOCAL_OR_INSTANT_PATTERN = `^${DAY}${CLOCK}(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)?$`
/** A booking's day: YYYY-MM-DD, or a date-time (the day at its offset, else in DEFAULT_TIMEZONE). */
export const BOOKING_DAY_PATTERN = `^${DAY}(${CLOCK}(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)?)?$`
