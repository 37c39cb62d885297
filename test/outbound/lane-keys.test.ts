// The outbound lane's keys (src/outbound/lane.ts): the listed ones are
// Telegram's own, every other key is the lane's and collides with none of
// Telegram's — so the outbound worker never claims, paces or wakes on
// Telegram's lists, whatever keys QueueKeys gains.
import t from 'tap'
import { queueKeys, type QueueKeys } from '../../src/queue/keys.ts'
import { outboundKeys, SHARED_WITH_OUTBOUND } from '../../src/outbound/lane.ts'

/** Every key a QueueKeys entry names: strings as they are, lists flattened, functions applied to a sample. */
function names (v: QueueKeys[keyof QueueKeys]): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v
  return [(v as (x: never) => string)('sample' as never)]
}

t.test('outbound keys: shared where listed, the lane\'s own everywhere else', async t => {
  const telegram = queueKeys('tg')
  const lane = outboundKeys(telegram)
  const shared = new Set<string>(SHARED_WITH_OUTBOUND)
  const everyTelegramKey = new Set(Object.values(telegram).flatMap(v => names(v as QueueKeys[keyof QueueKeys])))
  t.same(Object.keys(lane).sort(), Object.keys(telegram).sort(), 'the lane has every key')
  for (const k of Object.keys(telegram) as Array<keyof QueueKeys>) {
    const ours = names(lane[k])
    if (shared.has(k)) {
      t.same(ours, names(telegram[k]), `${k} is shared`)
    } else {
      for (const name of ours) {
        t.notOk(everyTelegramKey.has(name), `${k} (${name}) is the lane's own`)
        t.ok(name.startsWith(`${telegram.base}out:`), `${k} under the lane's prefix`)
      }
    }
  }
  t.ok(['queues', 'active', 'delayed', 'waiting', 'rate', 'paidRate', 'broadcastsDue', 'wake'].every(k => !shared.has(k)), 'what claim pops, paces and blocks on is never shared')
})
