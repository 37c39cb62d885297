// The queue takes a broadcast's times as the route resolved them: queueing
// many chunks is never re-checked against the clock, so a broadcast whose
// expires_at passes while it is being queued is queued whole (its messages
// then expire in the queue like any other), not failed halfway.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { createBroadcast, prepareRecipients, CHUNK } from '../../src/broadcasts/create.ts'
import { broadcastContent } from '../../src/broadcasts/content.ts'
import { parseRecipients } from '../../src/broadcasts/recipients.ts'

t.test('expires_at passing while a broadcast is queued', async t => {
  const relay = await startRelay(t, { env: { ROLE: 'api' } })
  const redis = redisClient(t, relay.redis.url)
  const { app } = relay
  const n = CHUNK * 2 + 7
  const recipients = parseRecipients(Array.from({ length: n }, (_, i) => 800_000 + i), { template: false })
  const content = broadcastContent({ recipients: [], text: 'closing soon' }, app.templates)
  const accepted = await createBroadcast({ redis: app.redis, keys: app.queue.keys, producer: app.queue.bulkProducer, replicas: app.queue.replicas, retentionMs: app.queue.retentionMs }, {
    content,
    recipients,
    prepared: prepareRecipients(content, recipients),
    priority: 'low',
    // already past when the first chunk is queued: the window was checked by the route
    expiresAt: Date.now() - 1,
    attempts: 3
  })
  t.equal(accepted.status, 'queued')
  t.equal(await redis.llen(app.queue.keys.broadcastPending(accepted.id)), n, 'every recipient was listed')
  t.equal(await redis.hget(app.queue.keys.broadcastInfo(accepted.id), 'status'), 'queued')
})
