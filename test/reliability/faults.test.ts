// 1,000 messages through 30% injected faults (resets, timeouts, 5xx, lost
// responses): every acknowledged message arrives; duplicates are bounded by
// the lost responses (Telegram delivered, we never heard).
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('1,000 messages (soak: 5,000), 30% faults: none lost, duplicates <= lost responses', { timeout: 600_000 }, async t => {
  const relay = await startRelay(t, {
    env: { QUEUE_DEFAULT_ATTEMPTS: '100', QUEUE_MAX_CONCURRENT_JOBS: '16', TELEGRAM_API_TIMEOUT: '0.3', BREAKER_ERROR_PERCENT: '90', BREAKER_VOLUME: '50' }
  })
  const { emulator } = relay
  emulator.setFaults({ resetRate: 0.08, timeoutRate: 0.04, serverErrorRate: 0.1, lostResponseRate: 0.08, seed: 42 } as Parameters<typeof emulator.setFaults>[0])
  const N = process.env.SOAK === '1' ? 5000 : 1000
  const accepted: string[] = []
  for (let i = 0; i < N; i++) {
    const res = await relay.send({ chat_id: 5000 + (i % 100), text: `r${i}` })
    if (res.status === 202) accepted.push(`r${i}`)
  }
  t.equal(accepted.length, N, 'all acknowledged')
  await waitFor(() => new Set(emulator.messages.map(m => m.text)).size === N, 'every message delivered', 120_000, 50)
  const texts = emulator.messages.map(m => m.text)
  const duplicates = texts.length - new Set(texts).size
  const s = emulator.stats
  t.comment(`30% faults: acknowledged ${N}, delivered ${new Set(texts).size}, lost ${N - new Set(texts).size}, duplicates ${duplicates}, lost-response faults ${s.lostResponses}`)
  t.ok(s.resets + s.timeouts + s.serverErrors + s.lostResponses > N / 5, `faults injected: ${JSON.stringify(s)}`)
  t.ok(duplicates <= s.lostResponses, `duplicates ${duplicates} <= lost responses ${s.lostResponses}`)
  // per-chat order survived the retries
  for (const chat of [5000, 5042, 5099]) {
    const seq = emulator.received(chat).map(m => Number(m.text?.slice(1)))
    const firsts = seq.filter((v, i) => seq.indexOf(v) === i)
    t.same(firsts, [...firsts].sort((a, b) => a - b), `chat ${chat} in order`)
  }
})
