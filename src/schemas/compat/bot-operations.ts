// The bot-operations system (SQS consumers): invites carry the subscription
// and the order together and say max_retries for attempts; removals carry
// the subscription; verify-permissions names the listing it checks for.
// The schema pieces are used by schemas/channel.ts; botOperationsAttempts
// turns max_retries into tg-relay's attempts.
import { Type } from '@sinclair/typebox'

export const MaxRetriesOption = {
  max_retries: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'alias of attempts' }))
}

export const ListingIdSchema = Type.Union([
  Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$' }),
  Type.Integer({ minimum: 0 })
], { description: 'the listing the channel belongs to; echoed in the answer' })

export function botOperationsAttempts<T extends { attempts?: number, max_retries?: number }> (body: T): Omit<T, 'max_retries'> {
  const { max_retries: maxRetries, ...rest } = body
  const attempts = rest.attempts ?? maxRetries
  return { ...rest, ...(attempts !== undefined ? { attempts } : {}) }
}
