// What tg-relay checks and tunes on its Redis servers at startup: eviction
// must be off, message hashes should stay compact, and replicas that exist
// should be waited for. Each check runs on every primary (one, or each
// Cluster master). CONFIG may be disabled (managed Redis): then we can only warn.
import type { Logger } from '../log.ts'
import type { RedisClient } from './client.ts'
import { primaries } from './connect.ts'

/** Redis must not evict queue keys. */
async function checkEvictionPolicy (redis: RedisClient, log: Logger): Promise<void> {
  try {
    const reply = await redis.config('GET', 'maxmemory-policy') as string[]
    const policy = reply[1]
    if (policy !== 'noeviction') {
      log.warn({ policy }, `REDIS maxmemory-policy is "${policy}": Redis may silently EVICT QUEUED MESSAGES. Set maxmemory-policy noeviction.`)
    }
  } catch {
    log.warn('could not read maxmemory-policy (CONFIG disabled?): make sure it is noeviction')
  }
}

/**
 * A queued message hash holds its Bot API calls as one JSON field of a few
 * hundred bytes. Redis keeps small hashes as compact listpacks only while every
 * value is under hash-max-listpack-value (default 64 bytes): at 1024 a queued
 * message takes about half the memory (measured in bench/: 1,209 → 575 bytes).
 * It only changes the encoding, never behaviour.
 */
export const LISTPACK_VALUE_BYTES = 1024

async function tuneHashEncoding (redis: RedisClient, log: Logger): Promise<void> {
  try {
    const reply = await redis.config('GET', 'hash-max-listpack-value') as string[]
    if (Number(reply[1]) >= LISTPACK_VALUE_BYTES) return
    await redis.config('SET', 'hash-max-listpack-value', String(LISTPACK_VALUE_BYTES))
    log.info({ from: Number(reply[1]), to: LISTPACK_VALUE_BYTES }, 'raised hash-max-listpack-value: queued messages take about half the memory')
  } catch {
    log.warn(`could not set hash-max-listpack-value to ${LISTPACK_VALUE_BYTES} (CONFIG disabled?): each queued message will take about twice the memory`)
  }
}

/** Replicas connected to this primary (INFO works where CONFIG is refused). */
export async function connectedReplicas (redis: RedisClient): Promise<number> {
  const info = await redis.info('replication')
  return Number(/^connected_slaves:(\d+)/m.exec(info)?.[1] ?? 0)
}

/**
 * Replication is asynchronous: a write answered before a replica has it is
 * lost when that replica is promoted. Say so when it can happen.
 */
async function checkReplicas (redis: RedisClient, log: Logger, minReplicas: number): Promise<void> {
  const replicas = await connectedReplicas(redis).catch(() => 0)
  if (replicas > 0 && minReplicas === 0) {
    log.warn({ replicas }, 'Redis has replicas but REDIS_MIN_REPLICAS_ACK=0: a message answered 202 just before a failover can be lost. Set REDIS_MIN_REPLICAS_ACK=1 to answer only once a replica has it.')
  } else if (replicas < minReplicas) {
    log.warn({ replicas, minReplicas }, `Redis has ${replicas} connected replicas, fewer than REDIS_MIN_REPLICAS_ACK=${minReplicas}: every send will be answered 503 until enough replicas are connected`)
  }
}

export async function checkServers (redis: RedisClient, log: Logger, o: { minReplicas: number }): Promise<void> {
  for (const server of primaries(redis)) {
    await checkEvictionPolicy(server, log)
    await tuneHashEncoding(server, log)
    await checkReplicas(server, log, o.minReplicas)
  }
}
