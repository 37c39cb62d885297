// A three-master Redis Cluster for tests (real redis-server processes made
// into a cluster with `redis-cli --cluster create`), and the resharding step
// an operator runs, done by hand so a test can put load on it: move one slot
// to another master with SETSLOT IMPORTING/MIGRATING, MIGRATE in batches and
// SETSLOT NODE, as `redis-cli --cluster reshard` does.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import type { Redis } from 'ioredis'
import type { RedisServer } from '../../src/redis/server-process.ts'
import { redisClient, redisServer } from './redis.ts'
import { waitFor } from './wait.ts'

const run = promisify(execFile)

export interface ClusterSetup {
  masters: RedisServer[]
  clients: Redis[]
  env: Record<string, string>
  /** the master (index) serving a slot now */
  ownerOf (slot: number): Promise<number>
  /** moves one slot to master `to`, `batch` keys per MIGRATE; calls `between` after each batch */
  migrateSlot (slot: number, to: number, o?: { batch?: number, between?: () => Promise<void> }): Promise<{ keys: number, batches: number }>
}

export async function clusterTopology (t: Test): Promise<ClusterSetup> {
  const masters: RedisServer[] = []
  for (let i = 0; i < 3; i++) {
    masters.push(await redisServer(t, { args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'] }))
  }
  await run('redis-cli', ['--cluster', 'create', ...masters.map(m => `127.0.0.1:${m.port}`), '--cluster-yes'], { timeout: 30_000 })
  const clients = masters.map(m => redisClient(t, m.url))
  await waitFor(async () => {
    for (const c of clients) if (!/cluster_state:ok/.test(await c.call('CLUSTER', 'INFO') as string)) return false
    return true
  }, 'cluster_state:ok on every master', 30_000, 100)
  const ids = await Promise.all(clients.map(c => c.call('CLUSTER', 'MYID') as Promise<string>))

  async function ownerOf (slot: number): Promise<number> {
    const slots = await clients[0]?.call('CLUSTER', 'SLOTS') as Array<[number, number, [string, number]]>
    const range = slots.find(([from, to]) => slot >= from && slot <= to)
    const index = masters.findIndex(m => m.port === range?.[2][1])
    if (index < 0) throw new Error(`no master serves slot ${slot}`)
    return index
  }

  return {
    masters,
    clients,
    env: { REDIS_CLUSTER_NODES: masters.map(m => `127.0.0.1:${m.port}`).join(',') },
    ownerOf,
    async migrateSlot (slot, to, o = {}) {
      const from = await ownerOf(slot)
      const source = clients[from] as Redis
      const target = clients[to] as Redis
      await target.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', ids[from] as string)
      await source.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', ids[to] as string)
      let keys = 0
      let batches = 0
      for (;;) {
        const batch = await source.call('CLUSTER', 'GETKEYSINSLOT', slot, o.batch ?? 10) as string[]
        if (batch.length === 0) break
        await source.call('MIGRATE', '127.0.0.1', masters[to]?.port as number, '', 0, 5000, 'KEYS', ...batch)
        keys += batch.length
        batches++
        await o.between?.()
      }
      // the new owner first, then the others (as redis-cli does)
      await target.call('CLUSTER', 'SETSLOT', slot, 'NODE', ids[to] as string)
      await source.call('CLUSTER', 'SETSLOT', slot, 'NODE', ids[to] as string)
      for (const [i, c] of clients.entries()) if (i !== from && i !== to) await c.call('CLUSTER', 'SETSLOT', slot, 'NODE', ids[to] as string)
      return { keys, batches }
    }
  }
}
