// What the bytes per queued message would be with other layouts of the same
// message (prototype for figure 3; nothing here changes src/).
// Usage: npx tsx bench/tools/memory-variants.ts
import { freshRedis, killAllRedis, type BenchRedis } from '../lib/redis.ts'
import { createLoader, defaultConfig, preload } from '../lib/preload.ts'
import { toHash } from '../../src/queue/message.ts'
import { composeCalls } from '../../src/telegram/compose.ts'
import { bookingBody, chatFor } from '../lib/payload.ts'
import { newMessageId } from '../../src/queue/producer.ts'

process.on('exit', killAllRedis)
const N = 10_000
const used = async (r: BenchRedis) => Number((await r.info('memory')).used_memory)

async function variant (name: string, setup: (r: BenchRedis) => Promise<void>, add: (r: BenchRedis, i: number) => Promise<unknown>): Promise<void> {
  const r = await freshRedis()
  await setup(r)
  await add(r, N)
  const before = await used(r)
  for (let i = 0; i < N; i += 500) await Promise.all(Array.from({ length: 500 }, (_, j) => add(r, i + j)))
  console.log(`${name.padEnd(62)} ${Math.round((await used(r) - before) / N)} B/message`)
  await r.stop()
}

const config = defaultConfig()
const fields = (i: number): Array<string | number> => {
  const b = bookingBody(chatFor(i, 1000), 1000 + i)
  return ['s', 'queued', 'sq', i, ...toHash({ chatId: b.chat_id, calls: composeCalls(b), priority: 'normal', expiresAt: Date.now() + 86400e3, attempts: config.attempts }, String(b.chat_id), Date.now())]
}
const split = (f: Array<string | number>) => {
  const i = f.indexOf('p')
  const p = String(f[i + 1])
  return { rest: [...f.slice(0, i), ...f.slice(i + 2)], p }
}

// 1. as today, through the real enqueue.lua
{
  const r = await freshRedis()
  const loader = await createLoader('tg-relay', r, 1000)
  await loader.add(N, 1)
  const before = await used(r)
  await preload(loader, N)
  console.log(`${'today (enqueue.lua; hash in hashtable encoding)'.padEnd(62)} ${Math.round((await used(r) - before) / N)} B/message`)
  await loader.close(); await r.stop()
}
// 2. the same script, hash-max-listpack-value raised so the hash stays a listpack
{
  const r = await freshRedis()
  await r.client.config('SET', 'hash-max-listpack-value', '1024')
  const loader = await createLoader('tg-relay', r, 1000)
  await loader.add(N, 1)
  const before = await used(r)
  const ids = await preload(loader, N)
  console.log(`${'today + CONFIG SET hash-max-listpack-value 1024'.padEnd(62)} ${Math.round((await used(r) - before) / N)} B/message  (encoding ${String(await r.client.object('ENCODING', loader.keyOf(ids[0] as string)))}, hash ${String(await r.client.memory('USAGE', loader.keyOf(ids[0] as string)))} B)`)
  await loader.close(); await r.stop()
}
// 3-5. raw layouts, message structures only (no log list, no queue list)
await variant('hash only, as today (hashtable)', async () => {}, async (r, i) => r.client.hset(`{tg}:m:${newMessageId()}`, ...fields(i)))
await variant('hash without p (listpack) + p as its own string key', async () => {}, async (r, i) => {
  const id = newMessageId(); const { rest, p } = split(fields(i))
  await Promise.all([r.client.hset(`{tg}:m:${id}`, ...rest), r.client.set(`{tg}:p:${id}`, p)])
})
await variant('hash with p in ≤64-byte chunks (listpack)', async () => {}, async (r, i) => {
  const { rest, p } = split(fields(i))
  const chunks: string[] = []
  for (let k = 0, n = 0; k < p.length; n++) {
    // 64 bytes, not characters: Cyrillic is 2 bytes in UTF-8
    let end = k
    let bytes = 0
    while (end < p.length && bytes + Buffer.byteLength(p[end] as string) <= 64) { bytes += Buffer.byteLength(p[end] as string); end++ }
    chunks.push(`p${n}`, p.slice(k, end)); k = end
  }
  await r.client.hset(`{tg}:m:${newMessageId()}`, ...rest, ...chunks)
})
await variant('whole message as one JSON string', async () => {}, async (r, i) => {
  const f = fields(i); const o: Record<string, string | number> = {}
  for (let k = 0; k < f.length; k += 2) o[String(f[k])] = f[k + 1] as string | number
  await r.client.set(`{tg}:m:${newMessageId()}`, JSON.stringify(o))
})
await variant('list entry (queue) + log list entry only', async () => {}, async (r) => {
  const id = newMessageId(); await r.client.rpush('{tg}:queue:normal', id); await r.client.rpush('{tg}:log:1', id)
})
process.exit(0)
