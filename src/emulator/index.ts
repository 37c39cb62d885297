// A Telegram Bot API emulator over real HTTP: sandbox mode delivers to it, tests
// and benchmarks run against it. startEmulator() is the only entry; nothing runs at import.

import type { AddressInfo } from 'node:net'
import { randomInt } from 'node:crypto'
import type { Emulator, EmulatorOptions, FaultConfig, EmulatorLimits } from './types.ts'
import { chatKey } from './chats.ts'
import { TELEGRAM_LIMITS } from './limits.ts'
import { buildServer } from './server.ts'
import { clearState, createState } from './state.ts'

export type {
  Emulator, EmulatorLimits, EmulatorOptions, EmulatorStats, FaultConfig, RecordedCall, RecordedMessage, UploadedFile
} from './types.ts'
export { TELEGRAM_LIMITS } from './limits.ts'

const HOST = '127.0.0.1'

export async function startEmulator (opts: EmulatorOptions = {}): Promise<Emulator> {
  const state = createState(opts.limits ?? TELEGRAM_LIMITS, opts.seed ?? randomInt(2 ** 31))
  let outage = false
  let outageTimer: NodeJS.Timeout | undefined
  let closing: Promise<void> | undefined

  // Switches run one after another: a listen must not start before the close it follows ends.
  let switching = Promise.resolve()
  async function setOutage (on: boolean, durationMs?: number): Promise<void> {
    const next = switching.then(async () => await switchOutage(on, durationMs))
    switching = next.catch(() => {})
    await next
  }

  async function switchOutage (on: boolean, durationMs?: number): Promise<void> {
    clearTimeout(outageTimer)
    outageTimer = undefined
    if (closing !== undefined || on === outage) return
    outage = on
    const server = app.server
    if (on) {
      await new Promise<void>(resolve => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      if (durationMs !== undefined) {
        outageTimer = setTimeout(() => {
          setOutage(false).catch(err => app.log.error({ err }, 'emulator: could not listen again after the outage'))
        }, durationMs)
      }
    } else {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(emulator.port, HOST, () => {
          server.off('error', reject)
          resolve()
        })
      })
    }
  }

  const control = {
    setFaults: (faults: FaultConfig) => state.faults.set(faults),
    setOutage,
    setLimits: (limits: EmulatorLimits | false) => state.limiter.set(limits),
    reset: () => clearState(state),
    pushUpdate: async (update: Record<string, unknown>) => await state.updates.push(update),
    blockChat: (chatId: number | string, description?: string) => state.chats.block(chatId, description),
    removeChat: (chatId: number | string) => state.chats.remove(chatId),
    migrateChat: (oldId: number, newId: number) => state.chats.migrate(oldId, newId)
  }

  const app = await buildServer({ state, token: opts.token, logger: opts.logger === true, control })
  await app.listen({ port: opts.port ?? 0, host: HOST })
  const port = (app.server.address() as AddressInfo).port

  const emulator: Emulator = {
    url: `http://${HOST}:${port}`,
    port,
    messages: state.messages,
    calls: state.calls,
    stats: state.stats,
    ...control,
    setOutage: async (on: boolean) => await setOutage(on),
    received (chatId) {
      if (chatId === undefined) return state.messages.slice()
      const key = chatKey(chatId)
      return state.messages.filter(m => chatKey(m.chat_id) === key)
    },
    async waitFor (predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate()) {
        if (Date.now() >= deadline) {
          throw new Error(`emulator.waitFor: condition still false after ${timeoutMs} ms (${state.messages.length} messages recorded)`)
        }
        await new Promise(resolve => setTimeout(resolve, 10))
      }
    },
    async close () {
      closing ??= (async () => {
        await switching
        clearTimeout(outageTimer)
        state.updates.clear()
        await app.close()
      })()
      await closing
    }
  }
  return emulator
}
