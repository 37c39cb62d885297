// tg-relay on a three-master Redis Cluster: the everyday path works there
// (every key of a deployment shares the hash tag {prefix}, so every script
// runs on one master), and moving that slot to another master under load —
// SETSLOT IMPORTING/MIGRATING, MIGRATE in batches, SETSLOT NODE — loses no
// acknowledged message and acknowledges none that was not written.
import t from 'tap'
import { ADMIN_TOKEN, startRelay } from '../helpers/relay.ts'
import { clusterTopology } from '../helpers/cluster.ts'
import { steadyLoad } from '../helpers/load.ts'
import { textUpdate, user } from '../helpers/bot.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('Redis Cluster', async t => {
  const cluster = await clusterTopology(t)
  const relay = await startRelay(t, { redis: cluster.masters[0], env: { ...cluster.env, QUEUE_DEFAULT_ATTEMPTS: '100', TELEGRAM_API_TIMEOUT: '5' } })
  const { emulator } = relay
  const admin = (method: string, path: string, body?: unknown) => relay.call(method, path, body, { authorization: `Bearer ${ADMIN_TOKEN}` })
  const slot = await cluster.clients[0]?.call('CLUSTER', 'KEYSLOT', relay.app.queue.keys.base) as number

  t.test('send, status, broadcast, DLQ requeue, webhook /start, metrics', async t => {
    const sent = await relay.send({ chat_id: 501, text: 'on a cluster', idempotency_key: 'c-1' })
    t.equal(sent.status, 202, JSON.stringify(sent.body))
    t.equal((await relay.send({ chat_id: 501, text: 'on a cluster', idempotency_key: 'c-1' })).body.id, sent.body.id, 'idempotency key')
    await waitFor(() => emulator.received(501).length === 1, 'delivered')
    await waitFor(async () => (await admin('GET', `/api/telegram/messages/${sent.body.id}`)).body.status === 'sent', 'status sent')

    const chats = Array.from({ length: 120 }, (_, i) => 600 + i)
    const b = await relay.call('POST', '/api/telegram/broadcasts', { recipients: chats, text: 'cluster news' })
    t.equal(b.status, 202, JSON.stringify(b.body))
    await waitFor(async () => (await relay.call('GET', `/api/telegram/broadcasts/${b.body.id}?limit=0`)).body.successful_deliveries === 120, 'broadcast delivered', 30_000, 100)

    emulator.setFaults({ serverErrorRate: 1 })
    const doomed = await relay.send({ chat_id: 777, text: 'second chance', attempts: 2 })
    await waitFor(async () => (await admin('GET', `/api/telegram/messages/${doomed.body.id}`)).body.status === 'failed', 'dead-lettered after 2 attempts')
    emulator.setFaults({})
    t.equal((await admin('POST', `/api/telegram/queue/dlq/requeue/${doomed.body.id}`)).status, 200)
    await waitFor(() => emulator.received(777).length === 1, 'delivered after the requeue')

    t.equal((await admin('POST', '/api/telegram/webhook/setup', { url: `${relay.url}/api/telegram/webhook` })).status, 200)
    await emulator.pushUpdate(textUpdate(user(2001, 'en', { first_name: 'Ann' }), '/start'))
    await waitFor(() => emulator.received(2001).length === 1, 'the /start reply')
    t.match(emulator.received(2001)[0]?.text, /^Hello, Ann/)

    const metrics = await admin('GET', '/api/telegram/queue/metrics')
    t.equal(metrics.status, 200)
    const prom = await admin('GET', '/metrics')
    t.match(prom.body, /tg_relay_messages_total\{event="sent"\} \d+/)
    const master = cluster.clients[await cluster.ownerOf(slot)]
    t.ok(await master?.exists(relay.app.queue.keys.stats), `every key lives on the master of slot ${slot}`)
  })

  t.test('its slot moved to another master under load: 0 lost, 0 wrongly acknowledged', async t => {
    const total = process.env.SOAK === '1' ? 6000 : 1200
    const load = steadyLoad(relay, { total, perSecond: 100, prefix: 'r' })
    await waitFor(() => load.started() >= total * 0.3, '30% sent', 60_000)
    const from = await cluster.ownerOf(slot)
    const to = (from + 1) % 3
    const began = Date.now()
    const moved = await cluster.migrateSlot(slot, to, { batch: 10, between: () => new Promise(resolve => setTimeout(resolve, 5)) })
    const tookMs = Date.now() - began
    t.equal(await cluster.ownerOf(slot), to, `slot ${slot} now on master ${to}`)
    await load.done
    const acked = [...load.acked.keys()]
    const lostNow = () => { const got = new Set(emulator.messages.map(m => m.text)); return acked.filter(x => !got.has(x)) }
    await waitFor(() => lostNow().length === 0, 'every acknowledged message delivered', 60_000).catch(() => undefined)
    // wrongly acknowledged: a 202 whose id is not in Redis
    const keys = relay.app.queue.keys
    const missing: string[] = []
    for (const [text, id] of load.acked) if (await relay.app.redis.exists(keys.msg(id)) === 0) missing.push(text)
    const texts = emulator.messages.map(m => m.text).filter(x => x?.startsWith('r'))
    t.comment(`slot migration under load: ${moved.keys} keys in ${moved.batches} MIGRATE batches over ${tookMs} ms, ${total} sent at 100/s, acknowledged ${acked.length}, ` +
      `lost ${lostNow().length}, duplicates ${texts.length - new Set(texts).size}, 503s retried ${load.refused()}`)
    t.equal(acked.length, total, 'every message acknowledged in the end')
    t.same(lostNow(), [], 'none lost')
    t.same(missing, [], 'every acknowledged id is stored')
    t.equal(await cluster.clients[to]?.exists(keys.stats), 1, 'the keys are on the new master')
  })
})
