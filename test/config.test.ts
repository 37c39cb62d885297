// Configuration: defaults, conversion, and one clear line per bad variable
// (never echoing a secret).
import t from 'tap'
import { loadConfig, ConfigError } from '../src/config.ts'
import { describeTopology, redisTopology } from '../src/redis/topology.ts'

t.test('defaults and sandbox mode', async t => {
  const c = loadConfig({})
  t.equal(c.PORT, 3000)
  t.equal(c.sandbox, true)
  t.equal(c.TELEGRAM_RATE_LIMIT_REQUESTS, 30)
  t.equal(c.QUEUE_BACKOFF_DELAY, 2000)
  t.equal(c.TELEGRAM_RETRY_BACKOFF_FACTOR, 2)
  t.equal(c.attempts, 5)
  t.equal(c.DEFAULT_LANGUAGE, 'ru')
  t.equal(c.DELIVERY_GUARANTEE, 'at-least-once')
})

t.test('conversion from strings; empty counts as unset; TELEGRAM_MAX_RETRIES is an alias', async t => {
  const c = loadConfig({ PORT: '8080', TELEGRAM_ENABLE_QUEUE: 'false', TELEGRAM_API_TIMEOUT: '2.5', TELEGRAM_MAX_RETRIES: '9', REDIS_URL: '', TELEGRAM_BOT_TOKEN: '123:abc' })
  t.equal(c.PORT, 8080)
  t.equal(c.TELEGRAM_ENABLE_QUEUE, false)
  t.equal(c.TELEGRAM_API_TIMEOUT, 2.5)
  t.equal(c.attempts, 9)
  t.equal(c.REDIS_URL, undefined)
  t.equal(c.sandbox, false)
})

t.test('a bad value names the variable and the expected form', async t => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /^invalid PORT="abc": expected an integer/],
    [{ PORT: '70000' }, /PORT.*<= 65535/],
    [{ ROLE: 'both' }, /ROLE.*one of all, api, worker/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL.*redis/],
    [{ DELIVERY_GUARANTEE: 'exactly-once' }, /DELIVERY_GUARANTEE/],
    [{ TELEGRAM_ENABLE_QUEUE: 'maybe' }, /TELEGRAM_ENABLE_QUEUE.*true or false/],
    [{ REDIS_SENTINELS: 'a:1,b' }, /REDIS_SENTINELS="a:1,b": expected a string matching/],
    [{ REDIS_CLUSTER_NODES: '10.0.0.1' }, /REDIS_CLUSTER_NODES/],
    [{ REDIS_SENTINELS: 'a:1', REDIS_CLUSTER_NODES: 'b:2' }, /one of them \(Sentinel or Cluster\), not both/],
    [{ REDIS_MIN_REPLICAS_ACK: '-1' }, /REDIS_MIN_REPLICAS_ACK.*>= 0/]
  ]
  for (const [env, re] of cases) t.throws(() => loadConfig(env), re, JSON.stringify(env))
})

t.test('secrets are never echoed in the error', async t => {
  for (const env of [{ TELEGRAM_BOT_TOKEN: 'not-a-token-secret' }, { ADMIN_TOKEN: 'short-secret' }]) {
    try {
      loadConfig(env)
      t.fail('should throw')
    } catch (err) {
      t.ok(err instanceof ConfigError)
      t.notMatch((err as Error).message, /secret/)
      t.match((err as Error).message, /\(hidden\)/)
    }
  }
})

t.test('the Redis topology: Cluster, then Sentinel, then REDIS_URL, then the local server', async t => {
  const topology = (env: Record<string, string>, local?: string) => redisTopology(loadConfig(env), local)
  t.same(topology({}), undefined, 'nothing set: src/server.ts starts a local redis-server')
  t.same(topology({}, 'redis://127.0.0.1:7000'), { kind: 'single', url: 'redis://127.0.0.1:7000' })
  t.same(topology({ REDIS_URL: 'redis://r:6380/2' }, 'redis://127.0.0.1:7000'), { kind: 'single', url: 'redis://r:6380/2' })
  t.same(topology({ REDIS_SENTINELS: 's1:26379,10.0.0.2:26380', REDIS_PASSWORD: 'pw', REDIS_SENTINEL_PASSWORD: 'spw' }), {
    kind: 'sentinel', sentinels: [{ host: 's1', port: 26379 }, { host: '10.0.0.2', port: 26380 }], name: 'mymaster', password: 'pw', sentinelPassword: 'spw'
  })
  t.same(topology({ REDIS_CLUSTER_NODES: 'c1:7000,c2:7001', REDIS_URL: 'redis://ignored:1' }), { kind: 'cluster', nodes: [{ host: 'c1', port: 7000 }, { host: 'c2', port: 7001 }] })
  t.equal(describeTopology({ kind: 'single', url: 'redis://user:secret@r:1' }), 'redis://***@r:1', 'the banner never shows a password')
})
