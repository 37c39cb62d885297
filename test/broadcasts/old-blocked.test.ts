// A message now says itself that its chat blocked the bot (bk, set by the
// scripts); the broadcast status reads that. Dead letters of the previous
// release (fixtures/old-blocked.json, written by fixtures/write-old-blocked.mjs
// at e5f4737) have no bk and still show as blocked, told by their reason.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient, redisServer, restoreKeys, type KeyDump } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'

interface Fixture {
  broadcast: string
  results: Array<{ chat_id: number, status: string, error?: string }>
  keys: KeyDump
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/old-blocked.json', import.meta.url), 'utf8')) as Fixture

t.test('blocked recipients: stored on the message now, told by the reason in old records', async t => {
  const server = await redisServer(t)
  const redis = redisClient(t, server.url)
  await restoreKeys(redis, fixture.keys)
  const relay = await startRelay(t, { redis: server })
  const results = (b: { results: Array<{ chat_id: number, status: string }> }) => b.results.map(r => [r.chat_id, r.status])

  const old = (await relay.call('GET', `/api/telegram/broadcasts/${fixture.broadcast}`)).body
  t.same(results(old), [[601, 'sent'], [602, 'blocked'], [603, 'blocked'], [604, 'failed']], 'the old records, read by the new code')
  t.same(results(old), fixture.results.map(r => [r.chat_id, r.status]), 'as the previous release showed them')
  t.match(old, { blocked: 2, dead: 3, sent: 1 })

  // the same broadcast with the new code: 602 and 603 are known to block the
  // bot now (claim.lua), 703 answers 403, 704 400
  relay.emulator.blockChat(703)
  relay.emulator.removeChat(704)
  const created = await relay.call('POST', '/api/telegram/broadcasts', { recipients: [601, 603, 703, 704], text: 'new release broadcast' })
  t.equal(created.status, 202)
  const id = created.body.id as string
  let fresh: { pending: number, results: Array<{ chat_id: number, status: string, message_id: string }> } = { pending: 1, results: [] }
  await waitFor(async () => (fresh = (await relay.call('GET', `/api/telegram/broadcasts/${id}`)).body).pending === 0, 'the new broadcast done')
  t.same(results(fresh), [[601, 'sent'], [603, 'blocked'], [703, 'blocked'], [704, 'failed']])
  const bk = async (chat: number) => await redis.hget(relay.app.queue.keys.msg(fresh.results.find(r => r.chat_id === chat)?.message_id as string), 'bk')
  t.equal(await bk(603), '1', 'a chat known to block the bot: stored on the message')
  t.equal(await bk(703), '1', 'a 403: stored on the message')
  t.equal(await bk(704), '0', 'any other dead letter says it was not blocked')
  t.equal(await bk(601), null, 'a sent message carries nothing')

  // the stored field, not the reason, decides for new records
  await redis.hset(relay.app.queue.keys.msg(fresh.results.find(r => r.chat_id === 703)?.message_id as string), 'bk', '0')
  const after = (await relay.call('GET', `/api/telegram/broadcasts/${id}`)).body
  t.same(results(after)[2], [703, 'failed'])
})
