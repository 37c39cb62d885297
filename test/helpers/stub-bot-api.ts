// A tiny Bot API that answers each call as the test says: for answers the
// emulator does not give (a bot that is not an admin, a 429 on demand).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'

export interface StubAnswer { status: number, body: unknown }
export interface StubCall { method: string, params: Record<string, unknown> }

/** Listens on 127.0.0.1; returns its base URL and every call it was asked, in order. */
export async function stubBotApi (t: Test, answer: (call: StubCall) => StubAnswer): Promise<{ apiUrl: string, asked: StubCall[] }> {
  const asked: StubCall[] = []
  const stub = createServer((req, res) => {
    let raw = ''
    req.on('data', c => { raw += c })
    req.on('end', () => {
      const call = { method: (req.url ?? '').split('/').pop() as string, params: JSON.parse(raw || '{}') as Record<string, unknown> }
      asked.push(call)
      const a = answer(call)
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body))
    })
  })
  await new Promise<void>(resolve => stub.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => stub.close(() => resolve())))
  return { apiUrl: `http://127.0.0.1:${(stub.address() as AddressInfo).port}`, asked }
}
