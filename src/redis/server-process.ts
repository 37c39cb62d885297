// Runs a redis-server child: for `npm start` without REDIS_URL (supervised,
// AOF on, data in ./data/redis) and for tests (throwaway, on a free port,
// killable with SIGKILL and restartable on the same port and data).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'

export interface RedisServerOptions {
  dir: string
  port?: number
  /** restart the child when it exits unexpectedly */
  supervise?: boolean
  appendfsync?: 'always' | 'everysec' | 'no'
  maxmemory?: string
  /** more redis-server arguments (a replica's --replicaof, a Cluster node's --cluster-enabled) */
  args?: string[]
  /** run as a Sentinel with this config file (which Sentinel rewrites as it learns the topology) */
  sentinelConfig?: string
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void
}

export interface RedisServer {
  url: string
  port: number
  pid (): number | undefined
  kill (signal?: NodeJS.Signals): Promise<void>
  restart (): Promise<void>
  stop (): Promise<void>
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')))
    })
  })
}

function exited (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise(resolve => child.once('exit', () => resolve()))
}

export async function startRedisServer (o: RedisServerOptions): Promise<RedisServer> {
  const dir = resolve(o.dir)
  mkdirSync(dir, { recursive: true })
  const port = o.port ?? await freePort()
  let child: ChildProcess | undefined
  let stopping = false

  async function launch (): Promise<void> {
    const common = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no', '--loglevel', 'notice', '--logfile', '']
    const args = o.sentinelConfig !== undefined
      ? [o.sentinelConfig, '--sentinel', ...common]
      : [
          ...common,
          '--appendonly', 'yes', '--appendfsync', o.appendfsync ?? 'everysec',
          '--save', '', '--maxmemory-policy', 'noeviction',
          // compact encoding for message hashes: see tuneHashEncoding in server-checks.ts
          '--hash-max-listpack-value', '1024'
        ]
    if (o.maxmemory) args.push('--maxmemory', o.maxmemory)
    args.push(...o.args ?? [])
    const ready = o.sentinelConfig !== undefined ? '+monitor master' : 'Ready to accept connections'
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    let out = ''
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 20 s:\n${out}`)), 20_000)
      proc.on('error', err => { clearTimeout(timer); reject(err) })
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes(ready)) { clearTimeout(timer); resolve() }
      })
      proc.once('exit', code => { clearTimeout(timer); reject(new Error(`redis-server exited (${code}):\n${out}`)) })
    })
    proc.stdout?.resume()
    proc.stderr?.resume()
    proc.once('exit', (code, signal) => {
      if (stopping || child !== proc) return
      o.onExit?.(code, signal)
      if (o.supervise) {
        setTimeout(() => { if (!stopping) launch().catch(() => undefined) }, 500)
      }
    })
  }

  await launch()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => child?.pid,
    async kill (signal = 'SIGKILL') {
      const proc = child
      if (!proc) return
      child = undefined
      proc.kill(signal)
      await exited(proc)
    },
    async restart () {
      if (child) { const proc = child; child = undefined; proc.kill('SIGTERM'); await exited(proc) }
      await launch()
    },
    async stop () {
      stopping = true
      const proc = child
      child = undefined
      if (!proc) return
      proc.kill('SIGTERM')
      await exited(proc)
    }
  }
}
