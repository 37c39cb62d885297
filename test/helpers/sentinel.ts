// A Sentinel-managed Redis for tests: a primary (AOF), its replicas and three
// Sentinels, all real redis-server processes on free ports. Short Sentinel
// timeouts so that a failover takes seconds, not the default minutes.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { freePort, type RedisServer } from '../../src/redis/server-process.ts'
import { redisClient, redisServer } from './redis.ts'
import { waitFor } from './wait.ts'
import { delayedLink, type Link } from './link.ts'

export const SENTINEL_NAME = 'relay-primary'

export interface SentinelSetup {
  primary: RedisServer
  replicas: RedisServer[]
  sentinels: RedisServer[]
  /** what tg-relay needs to find the primary */
  env: Record<string, string>
  /** the port the Sentinels name as primary now */
  primaryPort (): Promise<number>
  /** kill -9 of the primary; its replication links drop what is still on the way */
  killPrimary (): Promise<void>
  /** resolves once the Sentinels name another primary than `port` and it accepts writes */
  failedOver (port: number, timeoutMs?: number): Promise<number>
}

async function linked (t: Test, primary: RedisServer, replicas: number): Promise<void> {
  const client = redisClient(t, primary.url)
  await waitFor(async () => {
    const info = await client.info('replication').catch(() => '')
    return (info.match(/^slave\d+:.*state=online/gm) ?? []).length >= replicas
  }, `${replicas} replicas online`, 30_000, 100)
}

/** `linkDelayMs`: the replicas replicate over a link with this latency (test/helpers/link.ts) */
export async function sentinelTopology (t: Test, o: { replicas?: number, downAfterMs?: number, linkDelayMs?: number } = {}): Promise<SentinelSetup> {
  const primary = await redisServer(t)
  const replicas: RedisServer[] = []
  const links: Link[] = []
  for (let i = 0; i < (o.replicas ?? 1); i++) {
    let port = primary.port
    if (o.linkDelayMs !== undefined) {
      const link = await delayedLink(primary.port, o.linkDelayMs)
      t.teardown(() => link.cut())
      links.push(link)
      port = link.port
    }
    replicas.push(await redisServer(t, { args: ['--replicaof', '127.0.0.1', String(port)] }))
  }
  await linked(t, primary, replicas.length)

  const confDir = mkdtempSync(join(tmpdir(), 'tg-relay-sentinel-'))
  t.teardown(() => rmSync(confDir, { recursive: true, force: true }))
  const sentinels: RedisServer[] = []
  for (let i = 0; i < 3; i++) {
    const file = join(confDir, `sentinel-${i}.conf`)
    writeFileSync(file, [
      `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primary.port} 2`,
      `sentinel down-after-milliseconds ${SENTINEL_NAME} ${o.downAfterMs ?? 1000}`,
      // also how long before Sentinel "fixes" a replica that names another
      // master than the one it monitors, as those behind a delayed link do
      `sentinel failover-timeout ${SENTINEL_NAME} ${o.linkDelayMs === undefined ? 3000 : 120_000}`,
      `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
      ''
    ].join('\n'))
    sentinels.push(await redisServer(t, { sentinelConfig: file, port: await freePort() }))
  }
  const clients = sentinels.map(s => redisClient(t, s.url))
  // a failover needs a quorum: every Sentinel must know the other two and the replicas
  await waitFor(async () => {
    for (const c of clients) {
      const others = await c.call('SENTINEL', 'SENTINELS', SENTINEL_NAME).catch(() => []) as unknown[]
      const known = await c.call('SENTINEL', 'REPLICAS', SENTINEL_NAME).catch(() => []) as unknown[]
      if (others.length < 2 || known.length < replicas.length) return false
    }
    return true
  }, 'Sentinels aware of each other and of the replicas', 30_000, 200)

  async function primaryPort (): Promise<number> {
    for (const c of clients) {
      const addr = await c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME).catch(() => null) as string[] | null
      if (addr) return Number(addr[1])
    }
    throw new Error('no Sentinel answered')
  }

  return {
    primary,
    replicas,
    sentinels,
    env: { REDIS_SENTINELS: sentinels.map(s => `127.0.0.1:${s.port}`).join(','), REDIS_SENTINEL_NAME: SENTINEL_NAME },
    primaryPort,
    async killPrimary () {
      for (const link of links) link.cut()
      await primary.kill('SIGKILL')
    },
    async failedOver (port, timeoutMs = 30_000) {
      let now = port
      await waitFor(async () => {
        now = await primaryPort().catch(() => port)
        const server = replicas.find(r => r.port === now)
        if (!server) return false
        const role = await redisClient(t, server.url).call('ROLE').catch(() => []) as unknown[]
        return role[0] === 'master'
      }, 'a replica promoted by the Sentinels', timeoutMs, 100)
      return now
    }
  }
}
