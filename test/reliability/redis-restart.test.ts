// kill -9 of redis-server (AOF, everysec) under load, then a restart on the
// same port and data: every message answered 202 is delivered; while Redis is
// down the API answers 503, never 202.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('redis-server killed and restarted under load: no acknowledged message lost', async t => {
  // generous attempts and timeout: on a starved 2-core CI box a slow send must not look like a lost one
  const relay = await startRelay(t, { env: { QUEUE_DEFAULT_ATTEMPTS: '100', TELEGRAM_API_TIMEOUT: '5' } })
  const { emulator } = relay
  emulator.setFaults({ latencyMs: [1, 5] })
  const acked: string[] = []
  const idOf = new Map<string, string>()
  let refused = 0
  let redisDown = false
  let acceptedWhileDown = 0
  const load = { running: true }
  const producer = (async () => {
    for (let i = 0; load.running; i++) {
      const text = `k${i}`
      // a client that retries 503s, as a booking backend should
      for (;;) {
        const wasDown = redisDown
        const res = await relay.send({ chat_id: 9000 + (i % 50), text, idempotency_key: `k-${i}` })
        if (res.status === 202) {
          acked.push(text)
          idOf.set(text, res.body.id)
          if (wasDown && redisDown) acceptedWhileDown++
          break
        }
        if (res.status !== 503) throw new Error(`unexpected ${res.status} ${JSON.stringify(res.body)}`)
        refused++
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    }
  })()
  await waitFor(() => emulator.messages.length > 200, 'load running', 20_000)
  redisDown = true
  await relay.redis.kill('SIGKILL')
  await waitFor(() => refused > 5, 'the API answering 503 while Redis is down', 10_000)
  await relay.redis.restart()
  redisDown = false
  const before = acked.length
  await waitFor(() => acked.length > before + (process.env.SOAK === '1' ? 3000 : 200), 'accepting again after the restart', 120_000)
  load.running = false
  await producer
  try {
    await waitFor(() => new Set(emulator.messages.map(m => m.text)).size >= new Set(acked).size, 'every acknowledged message delivered', 60_000)
  } catch (err) {
    // say where the missing ones are stuck
    const got = new Set(emulator.messages.map(m => m.text))
    const keys = relay.app.queue.keys
    for (const text of acked.filter(x => !got.has(x)).slice(0, 5)) {
      const id = idOf.get(text) as string
      const h = await relay.app.redis.hgetall(keys.msg(id))
      const chat = h.c ?? ''
      t.comment(text, id, JSON.stringify(h), 'chat:', JSON.stringify(await relay.app.redis.hgetall(keys.chat(chat))),
        'wait:', JSON.stringify(await relay.app.redis.zrange(keys.chatWait(chat), 0, -1)), 'waiting:', await relay.app.redis.zscore(keys.waiting, chat),
        'active:', await relay.app.redis.zscore(keys.active, id), 'delayed:', await relay.app.redis.zscore(keys.delayed, id),
        'in lists:', JSON.stringify(await Promise.all(keys.queues.map(q => relay.app.redis.lpos(q, id)))))
    }
    throw err
  }
  const delivered = new Set(emulator.messages.map(m => m.text))
  const texts = emulator.messages.map(m => m.text)
  t.comment(`redis kill -9: acknowledged ${acked.length}, delivered ${delivered.size}, lost ${acked.filter(x => !delivered.has(x)).length}, duplicates ${texts.length - delivered.size}, 202s while Redis was down ${acceptedWhileDown}, 503s ${refused}`)
  t.same(acked.filter(x => !delivered.has(x)), [], `none of ${acked.length} acknowledged messages lost`)
  t.equal(acceptedWhileDown, 0, '0 answers of 202 while Redis was down')
  t.ok(refused > 0, `${refused} requests answered 503 while Redis was down`)
})
