// Shared by the emulator tests: start one per test, call it over real HTTP.
import type { Test } from 'tap'
import { request } from 'undici'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.ts'

export const TOKEN = '123456:test-token_AbC'
export const BOT_ID = 123456

export interface Answer {
  status: number
  body: {
    ok: boolean
    result?: unknown
    error_code?: number
    description?: string
    parameters?: { retry_after?: number, migrate_to_chat_id?: number }
  }
}

export async function emulator (t: Test, opts: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator(opts)
  t.teardown(() => emu.close())
  return emu
}

export interface CallOptions {
  token?: string
  headersTimeout?: number
  /** HTTP verb: GET sends params in the query string */
  get?: boolean
}

export async function call (emu: Emulator, method: string, params: Record<string, unknown> = {}, opts: CallOptions = {}): Promise<Answer> {
  const path = `/bot${opts.token ?? TOKEN}/${method}`
  const res = opts.get === true
    ? await request(`${emu.url}${path}?${new URLSearchParams(params as Record<string, string>)}`, { headersTimeout: opts.headersTimeout })
    : await request(`${emu.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
      headersTimeout: opts.headersTimeout
    })
  return { status: res.statusCode, body: await res.body.json() as Answer['body'] }
}

/** The result of a successful call, typed as the test expects it. */
export async function result<T = Record<string, unknown>> (emu: Emulator, method: string, params: Record<string, unknown> = {}): Promise<T> {
  const answer = await call(emu, method, params)
  if (!answer.body.ok) throw new Error(`${method} failed: ${answer.status} ${answer.body.description ?? ''}`)
  return answer.body.result as T
}

/** The error code and message of a failed call, or the network error's code. */
export async function outcome (promise: Promise<Answer>): Promise<string> {
  try {
    const answer = await promise
    return answer.body.ok ? `${answer.status} ok` : `${answer.status} ${answer.body.description ?? ''}`
  } catch (err) {
    return (err as { code?: string }).code ?? String(err)
  }
}
