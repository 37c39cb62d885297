// The machine a run was measured on: printed above the table and kept in results.json.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism, loadavg, totalmem } from 'node:os'

export interface Machine {
  date: string
  nproc: number
  cpu: string
  memory_gb: number
  node: string
  redis: string
  bullmq: string
  load_average: number[]
}

function version (file: string): string {
  try {
    return (JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as { version: string }).version
  } catch {
    return '?'
  }
}

export function describeMachine (): Machine {
  let cpu = '?'
  try { cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?' } catch { /* not Linux */ }
  let redis = '?'
  try { redis = /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?' } catch { /* missing */ }
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    cpu,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    redis,
    bullmq: version('../../node_modules/bullmq/package.json'),
    load_average: loadavg().map(x => Math.round(x * 100) / 100)
  }
}
