// REDIS_MIN_REPLICAS_ACK: a 202 only once that many replicas have the write.
// With too few replicas the answer is 503 with Retry-After; once a replica is
// attached, the client's retry with the same idempotency key gets the first
// message's id and nothing is queued twice. And a startup warning when Redis
// has replicas but nothing waits for them.
import t from 'tap'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { startRelay } from '../helpers/relay.ts'
import { redisClient, redisServer } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'
import { connectRedis, closeRedis } from '../../src/redis/connect.ts'
import { checkServers, connectedReplicas } from '../../src/redis/server-checks.ts'

t.test('REDIS_MIN_REPLICAS_ACK=1', async t => {
  const primary = await redisServer(t)
  const relay = await startRelay(t, { redis: primary, env: { REDIS_MIN_REPLICAS_ACK: '1', REDIS_WAIT_TIMEOUT_MS: '200' } })
  const { emulator } = relay
  const body = { chat_id: 4242, text: 'wait for a replica', idempotency_key: 'booking-77' }

  const refused = await relay.send(body)
  t.equal(refused.status, 503, 'no replica: 503')
  t.ok(Number(refused.headers['retry-after']) > 0, 'with Retry-After')
  t.match(refused.body, { error: 'Service Unavailable', message: /retry/ })
  const broadcast = { recipients: [1, 2, 3], text: 'to all', idempotency_key: 'news-1' }
  t.equal((await relay.call('POST', '/api/telegram/broadcasts', broadcast)).status, 503, 'a broadcast too')

  const replica = await redisServer(t, { args: ['--replicaof', '127.0.0.1', String(primary.port)] })
  const client = redisClient(t, primary.url)
  await waitFor(async () => /slave0:.*state=online/.test(await client.info('replication')), 'the replica online', 20_000, 50)

  const retried = await relay.send(body)
  t.equal(retried.status, 202, 'a replica has it: 202')
  t.equal((await relay.send(body)).body.id, retried.body.id, 'the same id for the same key')
  const stored = await redisClient(t, replica.url).hget(relay.app.queue.keys.msg(retried.body.id), 's')
  t.ok(stored, 'the replica holds the message')
  await waitFor(() => emulator.received(4242).length >= 1, 'delivered')
  const b = await relay.call('POST', '/api/telegram/broadcasts', broadcast)
  t.equal(b.status, 202, JSON.stringify(b.body))
  await waitFor(() => [1, 2, 3].every(c => emulator.received(c).length >= 1), 'the broadcast delivered')
  await new Promise(resolve => setTimeout(resolve, 300))
  t.equal(emulator.received(4242).length, 1, 'three requests, one message')
  t.same([1, 2, 3].map(c => emulator.received(c).length), [1, 1, 1], 'each recipient once')
})

t.test('startup warns when Redis has replicas and REDIS_MIN_REPLICAS_ACK is 0', async t => {
  const primary = await redisServer(t)
  await redisServer(t, { args: ['--replicaof', '127.0.0.1', String(primary.port)] })
  const redis = await connectRedis({ redis: primary.url, name: 'check' })
  t.teardown(() => closeRedis(redis))
  await waitFor(async () => await connectedReplicas(redis) === 1, 'the replica connected', 20_000, 50)
  const lines: string[] = []
  const log = pino({ level: 'warn' }, new Writable({ write (chunk, _enc, done) { lines.push(String(chunk)); done() } }))
  await checkServers(redis, log, { minReplicas: 0 })
  t.match(lines.join(''), /Redis has replicas but REDIS_MIN_REPLICAS_ACK=0/)
  lines.length = 0
  await checkServers(redis, log, { minReplicas: 1 })
  t.equal(lines.join(''), '', 'no warning when the writes wait for the replica')
})
