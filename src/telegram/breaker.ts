// Circuit breaker (opossum) around the Bot API. It counts only outage-type
// failures (network errors, 5xx), never Telegram's 4xx/429 answers. While it
// is open the worker claims nothing, so queued messages spend no attempts;
// after resetMs a getMe probe decides whether delivery resumes.
import CircuitBreaker from 'opossum'
import type { Logger } from '../log.ts'
import type { BotApi, CallOptions } from './client.ts'
import { isOutageError } from './classify-error.ts'

export type BreakerState = 'closed' | 'open' | 'half-open'

export interface Breaker {
  call<T = unknown> (method: string, params: Record<string, unknown>, options?: CallOptions): Promise<T>
  state (): BreakerState
  /** Resolves once the breaker is closed again (probing with getMe while half-open), or when the signal aborts. */
  whenClosed (signal: AbortSignal): Promise<void>
  /** called each time the breaker opens */
  onOpen (listener: () => void): void
  /** the window over which failures open the breaker, ms */
  windowMs: number
  shutdown (): void
}

const WINDOW_MS = 10_000

export function createBreaker (api: BotApi, opts: { resetMs: number, errorPercent: number, volume: number, log: Logger }): Breaker {
  const cb = new CircuitBreaker((method: string, params: Record<string, unknown>, options?: CallOptions) => api.call(method, params, options), {
    timeout: false,
    resetTimeout: opts.resetMs,
    errorThresholdPercentage: opts.errorPercent,
    volumeThreshold: opts.volume,
    rollingCountTimeout: WINDOW_MS,
    // true = "this error does not count as a failure"
    errorFilter: (err: unknown) => !isOutageError(err)
  })
  cb.on('open', () => opts.log.warn('Bot API circuit open: delivery paused, messages wait without spending attempts'))
  cb.on('halfOpen', () => opts.log.info('Bot API circuit half-open: probing with getMe'))
  cb.on('close', () => opts.log.info('Bot API circuit closed: delivery resumed'))

  const state = (): BreakerState => cb.opened ? 'open' : cb.halfOpen ? 'half-open' : 'closed'

  return {
    async call<T> (method: string, params: Record<string, unknown>, options?: CallOptions) {
      return await cb.fire(method, params, options) as T
    },
    state,
    async whenClosed (signal) {
      while (!signal.aborted && state() !== 'closed') {
        if (state() === 'half-open') {
          try { await cb.fire('getMe', {}) } catch { /* still down: opossum reopens */ }
          continue
        }
        await new Promise<void>(resolve => {
          const done = () => { cb.off('halfOpen', done); cb.off('close', done); signal.removeEventListener('abort', done); resolve() }
          cb.once('halfOpen', done)
          cb.once('close', done)
          signal.addEventListener('abort', done, { once: true })
        })
      }
    },
    onOpen (listener) { cb.on('open', listener) },
    windowMs: WINDOW_MS,
    shutdown () { cb.shutdown() }
  }
}
