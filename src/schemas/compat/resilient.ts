// The resilient API (TypeScript over BullMQ): its clients send BullMQ job
// options — numeric priorities, per-message backoff and timeout. The schema
// pieces below are part of the shared delivery options (schemas/common.ts);
// `resilientDelivery` turns them into the values the queue stores.
import { Type, type Static } from '@sinclair/typebox'
import type { Priority } from '../../queue/keys.ts'
import type { MessageBackoff } from '../../queue/message.ts'

const BY_NUMBER: readonly Priority[] = ['normal', 'high', 'critical']

export const PriorityNumberSchema = Type.Integer({ minimum: 0, maximum: 2, description: 'as a number: 0 = normal, 1 = high, 2 = critical' })

export const BackoffSchema = Type.Object({
  type: Type.Union([Type.Literal('exponential'), Type.Literal('fixed')], { description: 'exponential: delay, then delay × TELEGRAM_RETRY_BACKOFF_FACTOR each retry (with jitter); fixed: delay every time' }),
  delay: Type.Integer({ minimum: 1, maximum: 3_600_000, description: 'ms before the first retry' })
}, { additionalProperties: false, description: 'this message\'s retry backoff (default QUEUE_BACKOFF_DELAY, exponential)' })

export const ResilientDeliveryOptions = {
  backoff: Type.Optional(BackoffSchema),
  timeout: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000, description: 'ms one delivery attempt may take (default TELEGRAM_API_TIMEOUT; never beyond the lease)' }))
}

export interface ResilientInput {
  backoff?: Static<typeof BackoffSchema>
  timeout?: number
}

export interface ResilientOutput {
  backoff?: MessageBackoff
  timeoutMs?: number
}

export function priorityFromNumber (n: number): Priority {
  return BY_NUMBER[n] ?? 'normal'
}

export function resilientDelivery (o: ResilientInput): ResilientOutput {
  return {
    ...(o.backoff !== undefined ? { backoff: { type: o.backoff.type, delayMs: o.backoff.delay } } : {}),
    ...(o.timeout !== undefined ? { timeoutMs: o.timeout } : {})
  }
}
