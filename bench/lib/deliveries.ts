// When each message reached the emulator, to the microsecond: the emulator
// records deliveries by pushing onto `messages`, so the bench wraps that one
// array's push (no polling, nothing changed in src/).
import type { Emulator, RecordedMessage } from '../../src/emulator/index.ts'

export interface Deliveries {
  /** performance.now() of every delivery, in order */
  times: number[]
  count (): number
  /** resolves when `n` messages have arrived; rejects after timeoutMs */
  until (n: number, timeoutMs: number): Promise<void>
}

export function watchDeliveries (emulator: Emulator): Deliveries {
  const times: number[] = []
  let waiter: { n: number, resolve: () => void } | undefined
  const list = emulator.messages
  const push = list.push.bind(list)
  list.push = (...items: RecordedMessage[]): number => {
    const now = performance.now()
    for (let i = 0; i < items.length; i++) times.push(now)
    if (waiter && times.length >= waiter.n) { const w = waiter; waiter = undefined; w.resolve() }
    return push(...items)
  }
  return {
    times,
    count: () => times.length,
    until (n, timeoutMs) {
      if (times.length >= n) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { waiter = undefined; reject(new Error(`only ${times.length} of ${n} messages delivered after ${timeoutMs} ms`)) }, timeoutMs)
        waiter = { n, resolve: () => { clearTimeout(timer); resolve() } }
      })
    }
  }
}
