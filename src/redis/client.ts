// The one Redis type the rest of tg-relay sees. Both ioredis clients satisfy
// it — Redis (a single server, or the primary Sentinel names) and Cluster —
// so no module outside src/redis/ knows or cares which topology it runs on.
import type { EventEmitter } from 'node:events'
import type { ChainableCommander, RedisCommander } from 'ioredis'

export interface RedisClient extends RedisCommander, EventEmitter {
  readonly status: string
  defineCommand (name: string, definition: { lua: string, numberOfKeys?: number, readOnly?: boolean }): void
  pipeline (): ChainableCommander
  multi (): ChainableCommander
  quit (): Promise<'OK'>
  disconnect (): void
}
