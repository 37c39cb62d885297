// What every broadcast operation (create, status, cancel) works with, and how
// long a broadcast's keys live. Apart from create.ts so cancel.ts and
// status.ts need not import it (create.ts imports cancel.ts for its rollback).
import type { RedisClient } from '../redis/client.ts'
import type { QueueKeys } from '../queue/keys.ts'
import { retentionTtlMs } from '../queue/message.ts'
import type { Producer } from '../queue/producer.ts'
import type { ReplicaAck } from '../redis/replication.ts'

export interface BroadcastDeps {
  redis: RedisClient
  keys: QueueKeys
  /** enqueues without the replica wait: createBroadcast confirms each chunk once */
  producer: Producer
  replicas: ReplicaAck
  /** how long finished messages stay readable, ms */
  retentionMs: number
}

/** The broadcast's keys live until its last message could have expired, plus the message log retention. */
export function broadcastTtlMs (d: Pick<BroadcastDeps, 'retentionMs'>, expiresAt: number): number {
  return retentionTtlMs(expiresAt, d.retentionMs)
}
