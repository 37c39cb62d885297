// A fresh redis-server per measurement (AOF on, appendfsync everysec — what
// `npm start` runs), on a free port in a temporary directory, never the
// machine's 6379; plus the INFO readings the figures need. Its hash encoding
// is put back to Redis's default, so every side starts on a stock Redis (and
// tg-relay tunes it at startup, as it does on a Redis it is given).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RedisClient } from '../../src/redis/client.ts'
import { startRedisServer, type RedisServer } from '../../src/redis/server-process.ts'
import { connectRedis } from '../../src/redis/connect.ts'

const running = new Set<RedisServer>()
/** redis.conf's default */
const STOCK_LISTPACK_VALUE = 64

export interface BenchRedis {
  url: string
  host: string
  port: number
  /** a plain client for the bench's own reads and writes */
  client: RedisClient
  info (section: string): Promise<Record<string, string>>
  /** user + system CPU of the server so far, ms */
  cpuMs (): Promise<number>
  /** per command: calls and total µs since start (or the last CONFIG RESETSTAT) */
  commandStats (): Promise<Record<string, { calls: number, usec: number }>>
  stop (): Promise<void>
}

function parseInfo (text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':')
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1)
  }
  return out
}

export async function freshRedis (): Promise<BenchRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'tg-relay-bench-'))
  const server = await startRedisServer({ dir })
  running.add(server)
  const client = await connectRedis({ redis: server.url, name: 'bench' })
  await client.config('SET', 'hash-max-listpack-value', String(STOCK_LISTPACK_VALUE))
  const info = async (section: string) => parseInfo(await client.info(section))
  return {
    url: server.url,
    host: '127.0.0.1',
    port: server.port,
    client,
    info,
    async cpuMs () {
      const i = await info('cpu')
      return (Number(i.used_cpu_user) + Number(i.used_cpu_sys)) * 1000
    },
    async commandStats () {
      const out: Record<string, { calls: number, usec: number }> = {}
      for (const [k, v] of Object.entries(await info('commandstats'))) {
        const calls = /calls=(\d+)/.exec(v)
        const usec = /usec=(\d+)/.exec(v)
        if (calls && usec) out[k.replace(/^cmdstat_/, '')] = { calls: Number(calls[1]), usec: Number(usec[1]) }
      }
      return out
    },
    async stop () {
      client.disconnect()
      await server.stop()
      running.delete(server)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Last resort: SIGKILL every redis-server this benchmark started (synchronous, for process 'exit'). */
export function killAllRedis (): void {
  for (const server of running) {
    const pid = server.pid()
    if (pid !== undefined) {
      try { process.kill(pid, 'SIGKILL') } catch { /* already gone */ }
    }
  }
  running.clear()
}

/** Commands by total µs, with what each costs per message. */
export function costPerMessage (before: Record<string, { calls: number, usec: number }>, after: Record<string, { calls: number, usec: number }>, messages: number): Array<{ command: string, calls_per_msg: number, us_per_msg: number }> {
  return Object.entries(after)
    .map(([command, a]) => {
      const b = before[command] ?? { calls: 0, usec: 0 }
      return { command, calls_per_msg: (a.calls - b.calls) / messages, us_per_msg: (a.usec - b.usec) / messages }
    })
    .filter(r => r.calls_per_msg > 0)
    .sort((x, y) => y.us_per_msg - x.us_per_msg)
    .slice(0, 8)
    .map(r => ({ command: r.command, calls_per_msg: round(r.calls_per_msg, 3), us_per_msg: round(r.us_per_msg, 1) }))
}

export function round (x: number, digits = 0): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
