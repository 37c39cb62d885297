// A full Telegram outage with 1,000 messages queued, then recovery: nothing
// lost, no attempt spent on the outage, every message delivered once.
// `npm run soak` (SOAK=1) holds the outage for 5 minutes.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

const SOAK = process.env.SOAK === '1'
const OUTAGE_MS = SOAK ? 5 * 60_000 : 3000

t.test(`full outage of ${OUTAGE_MS / 1000} s with 1,000 messages queued`, { timeout: OUTAGE_MS + 120_000 }, async t => {
  const relay = await startRelay(t, { env: { QUEUE_DEFAULT_ATTEMPTS: '3', BREAKER_RESET_MS: '1000', QUEUE_MAX_CONCURRENT_JOBS: '16' } })
  const { emulator, app } = relay
  await emulator.setOutage(true)
  const ids: string[] = []
  // 25 requests at a time: one by one, a starved machine takes minutes just to queue them
  for (let i = 0; i < 1000; i += 25) {
    const batch = await Promise.all(Array.from({ length: 25 }, (_, j) => relay.send({ chat_id: 20_000 + ((i + j) % 200), text: `o${i + j}` })))
    for (const res of batch) {
      t.equal(res.status, 202)
      ids.push(res.body.id)
    }
  }
  await waitFor(() => app.telegram.breaker.state() !== 'closed', 'the breaker to open')
  const started = Date.now()
  await new Promise(resolve => setTimeout(resolve, OUTAGE_MS))
  const spentDuring = async () => {
    const rows = await Promise.all(ids.map(id => app.redis.hget(app.queue.keys.msg(id), 'a')))
    return rows.reduce((sum, a) => sum + Number(a ?? 0), 0)
  }
  const spent = await spentDuring()
  const dead = await app.redis.zcard(app.queue.keys.dlq)
  await emulator.setOutage(false)
  await waitFor(() => emulator.messages.length >= 1000, 'all 1,000 after recovery', 90_000, 50)
  const texts = emulator.messages.map(m => m.text)
  const delivered = new Set(texts).size
  t.comment(`outage ${Math.round((Date.now() - started) / 1000)} s: acknowledged 1000, delivered ${delivered}, lost ${1000 - delivered}, duplicates ${texts.length - delivered}, attempts spent during the outage ${spent}, dead-lettered ${dead}`)
  t.equal(delivered, 1000, 'none lost')
  t.equal(texts.length, 1000, 'no duplicates (the outage refused connections: nothing was half-sent)')
  t.equal(spent, 0, 'no attempt spent on the outage')
  t.equal(dead, 0, 'nothing dead-lettered')
})
