// A throwaway redis-server per test (never the machine's 6379): AOF on, in a
// temp dir, stopped and removed at teardown.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { Redis } from 'ioredis'
import { startRedisServer, type RedisServer, type RedisServerOptions } from '../../src/redis/server-process.ts'

export async function redisServer (t: Test, opts: Partial<RedisServerOptions> = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tg-relay-test-'))
  const server = await startRedisServer({ dir, ...opts })
  t.teardown(async () => {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  return server
}

/** A plain client for asserting on Redis state. */
export function redisClient (t: Test, url: string): Redis {
  const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 })
  client.on('error', () => undefined)
  t.teardown(() => { client.disconnect() })
  return client
}
