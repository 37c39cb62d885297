// The failure rules of the worker as a pure function: no Redis, no emulator.
import t from 'tap'
import { decideFailure, type FailureInput } from '../../src/queue/decide-failure.ts'

const base: Omit<FailureInput, 'verdict'> = {
  outageError: false,
  job: { id: 'm1', chat: '-100', attempts: 1 },
  breaker: 'closed',
  guarantee: 'at-least-once',
  backoff: { baseMs: 1000, factor: 2, maxMs: 60_000 },
  viaTransport: false,
  random: () => 0
}
const decide = (verdict: FailureInput['verdict'], over: Partial<FailureInput> = {}) => decideFailure({ ...base, verdict, ...over })

t.test('an outage requeues at once, spending nothing and blaming nothing', async t => {
  t.match(decide({ kind: 'outage', reason: 'circuit open' }), { kind: 'retry', delayMs: 0, error: '', spend: false, pauseMs: 0, outageSpend: false })
})

t.test('429 pauses the bot for retry_after without spending an attempt', async t => {
  t.match(decide({ kind: 'rate-limited', retryAfterMs: 7000, reason: '429: Too Many Requests' }),
    { kind: 'retry', delayMs: 0, pauseMs: 7000, spend: false, stat: 'rate_limited', error: '429: Too Many Requests', note: { level: 'warn' } })
})

t.test('a migrated group is followed: the mapping is stored, the message requeued', async t => {
  t.match(decide({ kind: 'migrated', toChatId: -1000000000300, reason: '400: migrated' }),
    { kind: 'retry', migrateTo: '-1000000000300', spend: false, stat: 'migrated' })
})

t.test('a permanent failure dead-letters; 403 blocks the chat, but not through a transport', async t => {
  t.match(decide({ kind: 'permanent', blocked: true, reason: '403: blocked' }), { kind: 'dead', reason: '403: blocked', block: true, spend: true })
  t.match(decide({ kind: 'permanent', blocked: true, reason: '403' }, { viaTransport: true }), { kind: 'dead', block: false })
  t.match(decide({ kind: 'permanent', blocked: false, reason: '400: chat not found' }), { kind: 'dead', block: false })
})

t.test('a transient failure backs off from the attempts spent so far', async t => {
  // attempt 2 of base 1000, factor 2: 2000 ms, of which half is jitter (random 0)
  t.match(decide({ kind: 'transient', uncertain: false, reason: '502' }), { kind: 'retry', delayMs: 1000, spend: true, stat: '', error: '502' })
  t.match(decide({ kind: 'transient', uncertain: false, reason: '502' }, { random: () => 1 }), { delayMs: 2000 })
})

t.test('while the breaker is not closed the failure is the outage\'s: no attempt spent', async t => {
  t.match(decide({ kind: 'transient', uncertain: false, reason: 'ECONNREFUSED' }, { breaker: 'half-open', outageError: true }),
    { kind: 'retry', spend: false, outageSpend: false })
  t.match(decide({ kind: 'transient', uncertain: false, reason: 'ECONNREFUSED' }, { outageError: true }),
    { kind: 'retry', spend: true, outageSpend: true })
})

t.test('an unreachable Bot API never spends a message\'s last attempt while the breaker is closed', async t => {
  const refused = { kind: 'transient', uncertain: false, reason: 'ECONNREFUSED' } as const
  const last = { id: 'm1', chat: '-100', attempts: 2, maxAttempts: 3 }
  t.match(decide(refused, { outageError: true, unreachable: true, job: last }), { kind: 'retry', spend: false, outageSpend: false })
  t.match(decide(refused, { outageError: true, unreachable: true, job: { ...last, attempts: 1 } }), { spend: true, outageSpend: true }, 'earlier attempts: spent, refunded if the breaker opens')
  t.match(decide({ kind: 'transient', uncertain: false, reason: '502' }, { outageError: true, job: last }), { spend: true }, 'Telegram answered 5xx: spent')
  t.match(decide(refused, { unreachable: true, viaTransport: true, job: last }), { spend: true }, 'a transport has no breaker to open')
})

t.test('an uncertain send: retried under at-least-once, dead-lettered under at-most-once', async t => {
  t.match(decide({ kind: 'transient', uncertain: true, reason: 'ECONNRESET' }), { kind: 'retry', stat: 'uncertain', spend: true })
  t.match(decide({ kind: 'transient', uncertain: true, reason: 'ECONNRESET' }, { guarantee: 'at-most-once' }),
    { kind: 'dead', reason: 'uncertain: ECONNRESET', stat: 'uncertain', spend: true, block: false })
})
