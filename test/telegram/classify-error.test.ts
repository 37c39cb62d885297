// What each failure means for the message.
import t from 'tap'
import { classifyError, isOutageError } from '../../src/telegram/classify-error.ts'
import { TransportError } from '../../src/transport.ts'
import { BotApiError } from '../../src/telegram/client.ts'

const netErr = (code: string) => Object.assign(new Error(code), { code })

t.test('Telegram answers', async t => {
  t.match(classifyError(new BotApiError('sendMessage', 429, 'Too Many Requests: retry after 7', { retry_after: 7 })), { kind: 'rate-limited', retryAfterMs: 7000 })
  t.match(classifyError(new BotApiError('sendMessage', 400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001 })), { kind: 'migrated', toChatId: -1001 })
  t.match(classifyError(new BotApiError('sendMessage', 403, 'Forbidden: bot was blocked by the user')), { kind: 'permanent', blocked: true })
  t.match(classifyError(new BotApiError('sendMessage', 400, 'Bad Request: chat not found')), { kind: 'permanent', blocked: false })
  t.match(classifyError(new BotApiError('sendMessage', 502, 'Bad Gateway')), { kind: 'transient', uncertain: false })
  t.match(classifyError(new BotApiError('sendMessage', 401, 'Unauthorized')), { kind: 'transient' }, 'a bad token is fixable: retried, not dead-lettered at once')
  t.notOk(isOutageError(new BotApiError('sendMessage', 401, 'Unauthorized')), 'but it does not open the breaker')
  t.notOk(isOutageError(new BotApiError('sendMessage', 429, 'Too Many Requests')))
  t.ok(isOutageError(new BotApiError('sendMessage', 500, 'Internal Server Error')))
})

t.test('network errors: before the request was written is certain, after is uncertain', async t => {
  for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']) {
    t.match(classifyError(netErr(code)), { kind: 'transient', uncertain: false }, code)
    t.ok(isOutageError(netErr(code)))
  }
  for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'EPIPE']) {
    t.match(classifyError(netErr(code)), { kind: 'transient', uncertain: true }, code)
  }
  t.match(classifyError(new Error('wrapped', { cause: netErr('ECONNREFUSED') })), { kind: 'transient', uncertain: false }, 'the code is found on the cause')
  t.match(classifyError(netErr('EOPENBREAKER')), { kind: 'outage' })
})

t.test('transports: their HTTP status is about the destination, never the bot or a chat', async t => {
  t.match(classifyError(new TransportError('bookingEvent', 429, 'slow down')), { kind: 'transient', uncertain: false }, 'no bot-wide pause')
  t.match(classifyError(new TransportError('bookingEvent', 403, 'forbidden')), { kind: 'permanent', blocked: false }, 'no blocked chat')
  t.match(classifyError(new TransportError('bookingEvent', 503, 'down')), { kind: 'transient' })
  t.match(classifyError(new TransportError('bookingEvent', 408, 'timeout')), { kind: 'transient' })
  t.match(classifyError(new TransportError('bookingEvent', 422, 'invalid')), { kind: 'permanent' })
  t.match(classifyError(new TransportError('bookingEvent', 0, 'unreachable: ECONNRESET')), { kind: 'transient', uncertain: false }, 'a receiver that cannot be reached is retried, never uncertain')
  t.notOk(isOutageError(new TransportError('bookingEvent', 503, 'down')), 'the booking backend being down does not open Telegram\'s breaker')
})
