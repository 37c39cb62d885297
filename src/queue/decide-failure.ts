// What to do with a send that failed: a pure function of the verdict, the job
// and the breaker's state. The worker (consumer.ts) only carries the answer
// out, so every rule here is tested without Redis (test/queue/decide-failure.test.ts).
import type { BreakerState } from '../telegram/breaker.ts'
import type { Verdict } from '../telegram/classify-error.ts'
import { messageBackoffDelay, type BackoffOptions } from './backoff.ts'
import type { Job } from './claim.ts'

export interface FailureInput {
  verdict: Verdict
  /** the error is one the breaker counts as the Bot API being unreachable */
  outageError: boolean
  /** the Bot API could not be reached at all (isUnreachable): the request never left */
  unreachable?: boolean
  job: Pick<Job, 'id' | 'chat' | 'attempts'> & Partial<Pick<Job, 'backoff' | 'maxAttempts'>>
  breaker: BreakerState
  guarantee: 'at-least-once' | 'at-most-once'
  backoff: BackoffOptions
  /** the call went to a worker transport, not the Bot API */
  viaTransport: boolean
  random?: () => number
}

/** A log line the worker writes when it carries the transition out. */
export interface FailureNote {
  level: 'debug' | 'info' | 'warn'
  msg: string
  data: Record<string, unknown>
}

export type Transition =
  | {
    kind: 'retry'
    delayMs: number
    /** '' none (an outage is not the message's error) */
    error: string
    spend: boolean
    /** pause the whole bot this long (a 429); 0 none */
    pauseMs: number
    /** an extra stats counter; '' none */
    stat: string
    /** remember that the job's chat now lives here (a group became a supergroup) */
    migrateTo?: string
    /** an attempt spent on what may be an outage: refunded if the breaker opens soon */
    outageSpend: boolean
    note?: FailureNote
  }
  | {
    kind: 'dead'
    reason: string
    /** the chat blocked or removed the bot: later messages to it skip the send */
    block: boolean
    spend: boolean
    stat: string
    note?: FailureNote
  }

const retry = (r: Partial<Extract<Transition, { kind: 'retry' }>>): Transition =>
  ({ kind: 'retry', delayMs: 0, error: '', spend: false, pauseMs: 0, stat: '', outageSpend: false, ...r })

export function decideFailure (f: FailureInput): Transition {
  const v = f.verdict
  const id = f.job.id
  switch (v.kind) {
    case 'outage':
      return retry({})
    case 'rate-limited':
      return retry({
        error: v.reason,
        pauseMs: v.retryAfterMs,
        stat: 'rate_limited',
        note: { level: 'warn', msg: 'Telegram said 429: pausing the bot', data: { id, retryAfterMs: v.retryAfterMs } }
      })
    case 'migrated':
      return retry({
        error: v.reason,
        stat: 'migrated',
        migrateTo: String(v.toChatId),
        note: { level: 'info', msg: 'group migrated to a supergroup; following', data: { chat: f.job.chat, to: v.toChatId } }
      })
    case 'permanent':
      return {
        kind: 'dead',
        reason: v.reason,
        // a transport's queue chat (op:<channel>:<user>, booking:<id>) is not the chat that blocked us
        block: v.blocked && !f.viaTransport,
        spend: true,
        stat: '',
        note: { level: 'info', msg: 'permanent failure: dead-lettered', data: { id, reason: v.reason } }
      }
    case 'transient': {
      if (v.uncertain && f.guarantee === 'at-most-once') {
        return { kind: 'dead', reason: `uncertain: ${v.reason}`, block: false, spend: true, stat: 'uncertain' }
      }
      // the failure that opened the breaker is the outage's, not the message's.
      // Nor is the last attempt spent on an unreachable Bot API while the breaker
      // is still closed: it opens only after BREAKER_VOLUME calls, which a quiet
      // queue (or a starved process) may not make before one message's attempts
      // run out. The message keeps retrying at its backoff until the breaker
      // opens (refunding what was spent) or the call gets through; its expiry
      // still ends it in the DLQ.
      const last = f.job.attempts + 1 >= (f.job.maxAttempts ?? Infinity)
      const spend = f.breaker === 'closed' && !(last && f.unreachable === true && !f.viaTransport)
      const delayMs = messageBackoffDelay(f.job.attempts + 1, f.job.backoff ?? '', f.backoff, f.random)
      return retry({
        delayMs,
        error: v.reason,
        spend,
        stat: v.uncertain ? 'uncertain' : '',
        outageSpend: spend && f.outageError,
        note: { level: 'debug', msg: 'transient failure: will retry', data: { id, reason: v.reason, delayMs } }
      })
    }
  }
}
