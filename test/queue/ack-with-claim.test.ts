// A worker's acks ride on its next claim: the slot a delivered send frees is
// claimed at once, and that claim.lua call records the acks pending then, so
// most messages cost one script call less. Seen with MONITOR: which script
// (by its SHA) carried each ack, and every message sent exactly once.
import t from 'tap'
import { createHash } from 'node:crypto'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'
import { luaSources } from '../../src/queue/scripts.ts'

const sha = (name: 'claim' | 'ack') => createHash('sha1').update(luaSources().get(name) as string).digest('hex')

t.test('acks travel with the next claim', async t => {
  const relay = await startRelay(t, { env: { QUEUE_MAX_CONCURRENT_JOBS: '4' } })
  const monitor = await redisClient(t, relay.redis.url).monitor()
  t.teardown(() => monitor.disconnect())
  const carried = { claim: 0, ack: 0 }
  const claimSha = sha('claim')
  const ackSha = sha('ack')
  monitor.on('monitor', (_time: string, args: string[]) => {
    // EVALSHA, or EVAL the first time on this Redis
    const command = args[0]?.toLowerCase()
    if (command !== 'evalsha' && command !== 'eval') return
    // MONITOR shows an EVAL's script escaped: known by its first line
    const script = command === 'evalsha' ? args[1] : args[1]?.startsWith('--[[ claim:') ? claimSha : args[1]?.startsWith('--[[ ack:') ? ackSha : ''
    const argv = args.length - 3 - Number(args[2])
    if (script === claimSha && argv > 12) carried.claim += (argv - 13) / 3
    if (script === ackSha) carried.ack += (argv - 3) / 3
  })
  const N = 60
  // queued while delivery is paused, so the worker's slots free while the queue still holds
  // work (sent over HTTP as the worker drains, the queue is often empty on a busy machine)
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  await redis.set(keys.paused, '1')
  const sent = await Promise.all(Array.from({ length: N }, (_, i) => relay.send({ chat_id: 5000 + i, text: `m${i}` })))
  t.same(sent.map(r => r.status), Array(N).fill(202))
  const ids = sent.map(r => r.body.id as string)
  await redis.del(keys.paused)
  await redis.lpush(keys.wake, '1')
  await waitFor(() => relay.emulator.messages.length >= N, 'all delivered')
  await waitFor(async () => {
    for (const id of ids) if (await redis.hget(keys.msg(id), 's') !== 'sent') return false
    return true
  }, 'all recorded sent')
  await waitFor(() => carried.claim + carried.ack >= N, 'MONITOR saw every ack')
  t.equal(relay.emulator.messages.length, N, 'each message sent once')
  t.equal(carried.claim + carried.ack, N, 'each ack recorded once')
  t.ok(carried.claim >= N / 2, `${carried.claim} of ${N} acks went with a claim, ${carried.ack} on their own`)
})
