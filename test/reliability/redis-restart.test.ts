// kill -9 of redis-server (AOF, everysec) under load, then a restart on the
// same port and data: every message answered 202 is delivered; while Redis is
// down the API answers 503, never 202.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('redis-server killed and restarted under load: no acknowledged message lost', async t => {
  const relay = await startRelay(t)
  const { emulator } = relay
  emulator.setFaults({ latencyMs: [1, 5] })
  const acked: string[] = []
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
  await waitFor(() => new Set(emulator.messages.map(m => m.text)).size >= new Set(acked).size, 'every acknowledged message delivered', 60_000)
  const delivered = new Set(emulator.messages.map(m => m.text))
  const texts = emulator.messages.map(m => m.text)
  t.comment(`redis kill -9: acknowledged ${acked.length}, delivered ${delivered.size}, lost ${acked.filter(x => !delivered.has(x)).length}, duplicates ${texts.length - delivered.size}, 202s while Redis was down ${acceptedWhileDown}, 503s ${refused}`)
  t.same(acked.filter(x => !delivered.has(x)), [], `none of ${acked.length} acknowledged messages lost`)
  t.equal(acceptedWhileDown, 0, '0 answers of 202 while Redis was down')
  t.ok(refused > 0, `${refused} requests answered 503 while Redis was down`)
})
