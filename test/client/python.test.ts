// clients/python/tg_relay.py, tested by its own unittest suite
// (python3 -m unittest) against this running tg-relay and emulator, then once
// more around a Redis restart: killed before the send, restarted once the
// Python client says it is retrying; exactly one message must arrive.
import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ADMIN_TOKEN, BOT_TOKEN, SERVICE_TOKEN } from '../helpers/relay.ts'
import { BOOKING_EVENTS_SECRET, startBookingRelay } from '../helpers/booking-event.ts'
import { waitFor } from '../helpers/wait.ts'

const DIR = fileURLToPath(new URL('../../clients/python/', import.meta.url))

function unittest (env: Record<string, string>) {
  const child = spawn('python3', ['-m', 'unittest', '-v', 'test_tg_relay'], {
    cwd: DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (c: Buffer) => { output += c.toString() })
  child.stderr.on('data', (c: Buffer) => { output += c.toString() })
  const done = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', code => resolve(code))
  })
  return { output: () => output, done }
}

t.test('python3 -m unittest: tg_relay.py against a running tg-relay', async t => {
  const { bot, press } = await startBookingRelay(t)
  const event = await press('B-py-1')
  const env = {
    TG_RELAY_URL: bot.url,
    TG_RELAY_TOKEN: SERVICE_TOKEN,
    TG_RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
    TG_RELAY_EMULATOR_URL: bot.emulator.url,
    TG_RELAY_BOT_TOKEN: BOT_TOKEN,
    TG_RELAY_EVENT_BODY: event.raw.toString('base64'),
    TG_RELAY_EVENT_SIGNATURE: event.signature,
    TG_RELAY_EVENT_SECRET: BOOKING_EVENTS_SECRET
  }

  t.test('every method', async t => {
    const run = unittest(env)
    const code = await run.done
    const out = run.output()
    t.equal(code, 0, out)
    const ran = Number(/^Ran (\d+) tests?/m.exec(out)?.[1] ?? 0)
    t.ok(ran >= 9, `ran ${ran} Python tests`)
    t.notMatch(out, /\.\.\. (FAIL|ERROR)/, 'none failed')
    t.match(out, /test_verify_signature_on_a_real_booking_event .*\.\.\. ok/)
  })

  t.test('a send retried across a Redis restart is queued once', async t => {
    await bot.redis.kill('SIGKILL')
    const run = unittest({ ...env, TG_RELAY_RESTART_CHAT: '306' })
    await waitFor(() => run.output().includes('RETRYING'), 'the Python client retrying a 503', 15_000)
    await bot.redis.restart()
    const code = await run.done
    t.equal(code, 0, run.output())
    t.match(run.output(), /test_send_retried_across_a_redis_restart_is_queued_once [^\n]*\.\.\. RETRYING[^\n]*\n\s*ok$/m, 'it retried, then passed')
    t.same(bot.emulator.received(306).map(m => m.text), ['sent while Redis was down'], 'exactly one message arrived')
  })
})
