// Runs a benchmark target (bench/targets/*.ts) in a child process, so a
// server never shares an event loop with the load generator or the emulator.
// A target prints one line `READY {json}` once it serves (or, for src/server.ts
// started as `npm start` starts it, its banner); SIGTERM closes it.
// Every child is remembered and killed when the benchmark exits, however it exits.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TICKS_PER_SECOND = 100 // Linux USER_HZ

const running = new Set<ChildProcess>()

export interface Target {
  name: string
  pid: number
  /** what the target printed after READY, e.g. { url } */
  info: Record<string, string>
  /** CPU time (user + system) the process has used so far, ms */
  cpuMs (): number
  output (): string
  stop (): Promise<void>
}

/** CPU ms (utime + stime) of a process, from /proc; 0 when it is gone. */
export function processCpuMs (pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 1000 / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

function exited (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise(resolve => child.once('exit', () => resolve()))
}

export interface StartOptions {
  /** directory for a V8 CPU profile of this child (node --cpu-prof) */
  profileDir?: string
  timeoutMs?: number
  /** what on stdout means "serving", and what it says (default: a `READY {json}` line) */
  ready?: (stdout: string) => Record<string, string> | undefined
}

const readyLine = (stdout: string): Record<string, string> | undefined => {
  const m = /^READY (\{.*\})$/m.exec(stdout)
  return m ? JSON.parse(m[1] as string) as Record<string, string> : undefined
}

export async function startTarget (name: string, script: string, env: Record<string, string>, o: StartOptions = {}): Promise<Target> {
  const flags: string[] = []
  if (o.profileDir) {
    // one directory per child: node writes a profile per thread (tsx's loader has its own), the biggest is the main one
    const dir = join(o.profileDir, `${name}-${Date.now()}`)
    mkdirSync(dir, { recursive: true })
    flags.push('--cpu-prof', '--cpu-prof-dir', dir)
  }
  if (process.env.BENCH_NODE_FLAGS) flags.push(...process.env.BENCH_NODE_FLAGS.split(' '))
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  running.add(child)
  child.once('exit', () => running.delete(child))
  let out = ''
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${name} did not start in time:\n${out}`)) }, o.timeoutMs ?? 30_000)
    const onExit = () => { clearTimeout(timer); reject(new Error(`${name} exited during startup:\n${out}`)) }
    child.once('exit', onExit)
    // only the tail is kept: a target logging at info level must not grow this without bound
    const keep = (c: Buffer) => { out += c.toString(); if (out.length > 1_000_000) out = out.slice(-100_000) }
    child.stderr?.on('data', keep)
    const isReady = o.ready ?? readyLine
    let stdout = ''
    let done = false
    child.stdout?.on('data', (c: Buffer) => {
      keep(c)
      if (done) return
      stdout += c.toString()
      const info = isReady(stdout)
      if (info) {
        done = true
        clearTimeout(timer)
        child.off('exit', onExit)
        resolve(info)
      }
    })
  })
  return {
    name,
    pid: child.pid as number,
    info: ready,
    cpuMs: () => processCpuMs(child.pid),
    output: () => out,
    async stop () {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited(child)
      clearTimeout(timer)
    }
  }
}

/** Last resort (an exception, Ctrl-C): kill every child this benchmark started. */
export function killAllTargets (): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}
