// The seed systems' environment variables: REDIS_HOST… and BOT_TOKEN.
import t from 'tap'
import { loadConfig } from '../../src/config.ts'

t.test('REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_DB, REDIS_TLS build the URL when REDIS_URL is unset', async t => {
  t.equal(loadConfig({ REDIS_HOST: 'redis.internal' }).REDIS_URL, 'redis://redis.internal:6379/0')
  t.equal(loadConfig({ REDIS_HOST: 'redis.internal', REDIS_PORT: '6380', REDIS_PASSWORD: 'p@ss:w/rd', REDIS_DB: '2', REDIS_TLS: 'true' }).REDIS_URL,
    'rediss://:p%40ss%3Aw%2Frd@redis.internal:6380/2')
  t.equal(loadConfig({ REDIS_PORT: '7000', REDIS_USERNAME: 'app', REDIS_PASSWORD: 'x' }).REDIS_URL, 'redis://app:x@127.0.0.1:7000/0')
  t.equal(loadConfig({ REDIS_URL: 'redis://a:1/0', REDIS_HOST: 'b' }).REDIS_URL, 'redis://a:1/0', 'REDIS_URL wins')
  t.equal(loadConfig({}).REDIS_URL, undefined, 'neither: the local redis-server')
  t.throws(() => loadConfig({ REDIS_HOST: 'r', REDIS_DB: 'x' }), /REDIS_DB/)
  t.throws(() => loadConfig({ REDIS_HOST: 'r', REDIS_PASSWORD: 'x', REDIS_PORT: '99999' }), /REDIS_PORT/)
})

t.test('BOT_TOKEN is read when TELEGRAM_BOT_TOKEN is unset: never a silent sandbox', async t => {
  t.equal(loadConfig({}).sandbox, true)
  const c = loadConfig({ BOT_TOKEN: '123:abc' })
  t.equal(c.sandbox, false)
  t.equal(c.TELEGRAM_BOT_TOKEN, '123:abc')
  t.equal(loadConfig({ BOT_TOKEN: '1:old', TELEGRAM_BOT_TOKEN: '2:new' }).TELEGRAM_BOT_TOKEN, '2:new', 'TELEGRAM_BOT_TOKEN wins')
  t.throws(() => loadConfig({ BOT_TOKEN: 'not a token' }), { message: /invalid BOT_TOKEN=\(hidden\)/ })
})
