// Which Redis deployment tg-relay talks to, read from the configuration once:
// a single server (REDIS_URL, or the local redis-server), the primary a set of
// Sentinels names (REDIS_SENTINELS), or a Redis Cluster (REDIS_CLUSTER_NODES).
import type { Config } from '../config.ts'

export interface HostPort { host: string, port: number }

export type RedisTopology =
  | { kind: 'single', url: string }
  | { kind: 'sentinel', sentinels: HostPort[], name: string, password?: string, sentinelPassword?: string }
  | { kind: 'cluster', nodes: HostPort[], password?: string }

type RedisSettings = Pick<Config, 'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME' | 'REDIS_SENTINEL_PASSWORD' | 'REDIS_PASSWORD' | 'REDIS_CLUSTER_NODES'>

/** host:port,host:port (validated by the config schema) */
export function parseHostPorts (list: string): HostPort[] {
  return list.split(',').map(item => {
    const at = item.lastIndexOf(':')
    return { host: item.slice(0, at), port: Number(item.slice(at + 1)) }
  })
}

/**
 * Cluster, then Sentinel, then REDIS_URL; `localUrl` is the redis-server
 * src/server.ts started when none of them is set.
 */
export function redisTopology (c: RedisSettings, localUrl?: string): RedisTopology | undefined {
  const password = c.REDIS_PASSWORD === undefined ? {} : { password: c.REDIS_PASSWORD }
  if (c.REDIS_CLUSTER_NODES !== undefined) return { kind: 'cluster', nodes: parseHostPorts(c.REDIS_CLUSTER_NODES), ...password }
  if (c.REDIS_SENTINELS !== undefined) {
    return {
      kind: 'sentinel',
      sentinels: parseHostPorts(c.REDIS_SENTINELS),
      name: c.REDIS_SENTINEL_NAME,
      ...password,
      ...(c.REDIS_SENTINEL_PASSWORD === undefined ? {} : { sentinelPassword: c.REDIS_SENTINEL_PASSWORD })
    }
  }
  const url = c.REDIS_URL ?? localUrl
  return url === undefined ? undefined : { kind: 'single', url }
}

/** For the startup banner: never the password. */
export function describeTopology (t: RedisTopology): string {
  const list = (nodes: HostPort[]) => nodes.map(n => `${n.host}:${n.port}`).join(',')
  if (t.kind === 'cluster') return `Redis Cluster (seeds ${list(t.nodes)})`
  if (t.kind === 'sentinel') return `primary "${t.name}" via Sentinels ${list(t.sentinels)}`
  return t.url.replace(/\/\/[^@]*@/, '//***@')
}
