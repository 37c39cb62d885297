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

/** A key dump as the fixture writers (fixtures/write-*.mjs beside the tests) make it: key → its type and value. */
export type KeyDump = Record<string, { type: string, value: unknown }>

/** Writes a fixture's keys back (in one MULTI), so the current code reads records another release stored. */
export async function restoreKeys (redis: Redis, keys: KeyDump): Promise<void> {
  const tx = redis.multi()
  for (const [key, { type, value }] of Object.entries(keys)) {
    if (type === 'hash') tx.hset(key, value as Record<string, string>)
    else if (type === 'list') tx.rpush(key, ...(value as string[]))
    else if (type === 'set') tx.sadd(key, ...(value as string[]))
    else if (type === 'zset') {
      const flat = value as string[]
      for (let i = 0; i < flat.length; i += 2) tx.zadd(key, flat[i + 1] as string, flat[i] as string)
    } else tx.set(key, value as string)
  }
  await tx.exec()
}
