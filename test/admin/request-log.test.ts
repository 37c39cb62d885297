// Request loggers are made lazily (src/log.ts LazyChildLogger): a request
// that logs nothing gets no pino child, one that logs at an enabled level
// writes a line with its reqId, with the app's redaction, and a level below
// the configured one writes nothing.
import t from 'tap'
import { Writable } from 'node:stream'
import pino from 'pino'
import { loggerOptions } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { LazyChildLogger } from '../../src/log.ts'
import { startRelay, TEST_ENV } from '../helpers/relay.ts'

function sink (): { stream: Writable, lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = []
  const stream = new Writable({ write (chunk, _enc, done) { chunks.push(String(chunk)); done() } })
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map(l => JSON.parse(l) as Record<string, unknown>) }
}

t.test('a lazy child: nothing until something is logged at an enabled level', async t => {
  const out = sink()
  const parent = pino({ ...loggerOptions(loadConfig({ ...TEST_ENV, LOG_LEVEL: 'warn' })) }, out.stream)
  let children = 0
  const child = parent.child.bind(parent)
  parent.child = ((...a: Parameters<typeof child>) => { children++; return child(...a) }) as typeof parent.child
  const log = new LazyChildLogger(parent, { reqId: 'req-1' }, {})
  log.info('not at warn')
  log.debug({ a: 1 }, 'nor this')
  t.equal(children, 0, 'no child for levels that are off')
  t.equal(log.level, 'warn')
  log.warn({ req: { headers: { authorization: 'Bearer secret-token-123' } } }, 'something odd')
  t.equal(children, 1, 'the child is made at the first enabled line')
  log.error('and again')
  t.equal(children, 1, 'once')
  const lines = out.lines()
  t.equal(lines.length, 2)
  t.match(lines[0], { reqId: 'req-1', msg: 'something odd', req: { headers: { authorization: '[redacted]' } } })
  t.match(lines[1], { reqId: 'req-1', msg: 'and again' })
})

t.test('a request that logs (Redis down: a warning with the 503) carries its reqId', async t => {
  const out = sink()
  const relay = await startRelay(t, { logger: { ...loggerOptions(loadConfig(TEST_ENV)), level: 'info', stream: out.stream } as never })
  const ok = await relay.send({ chat_id: 42, text: 'fine' })
  t.equal(ok.status, 202)
  await relay.redis.kill('SIGKILL')
  const res = await relay.send({ chat_id: 43, text: 'x' })
  t.equal(res.status, 503)
  const warn = out.lines().find(l => l.msg === 'redis unavailable: answering 503')
  t.ok(warn, 'the warning is logged')
  t.match(warn, { level: 40, reqId: String })
})
