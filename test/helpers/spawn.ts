// Runs tg-relay as a real child process (src/server.ts), for tests that kill
// it with SIGKILL or stop it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface RelayProcess {
  child: ChildProcess
  output: () => string
  exit: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

export async function spawnRelay (t: Test, env: Record<string, string>): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => { out += c.toString() })
  child.stderr?.on('data', (c: Buffer) => { out += c.toString() })
  const exit = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve =>
    child.once('exit', (code, signal) => resolve({ code, signal })))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exit }
  })
  const deadline = Date.now() + 30_000
  while (!out.includes('tg-relay is running')) {
    if (child.exitCode !== null) throw new Error(`tg-relay exited during startup:\n${out}`)
    if (Date.now() > deadline) throw new Error(`tg-relay did not start in 30 s:\n${out}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return { child, output: () => out, exit }
}
