// Bot tests: a relay whose webhook is set up at the emulator, so
// emulator.pushUpdate() reaches it the way Telegram's POSTs would, and
// builders for the updates Telegram sends.
import type { Test } from 'tap'
import type { LoggerOptions } from 'pino'
import { ADMIN_TOKEN, startRelay, type Relay } from './relay.ts'
import { waitFor } from './wait.ts'
import { botKeys, type BotKeys } from '../../src/bot/keys.ts'

export interface BotRelay extends Relay {
  keys: BotKeys
  /** JSON request with the admin token */
  admin: (method: string, path: string, body?: unknown) => ReturnType<Relay['call']>
  /** resolves once every queued call (Telegram's and the outbound lane's) has been delivered (or dead-lettered) */
  drained: () => Promise<void>
}

export async function startBot (t: Test, o: { env?: Record<string, string>, webhook?: boolean, logger?: LoggerOptions } = {}): Promise<BotRelay> {
  const relay = await startRelay(t, { env: o.env ?? {}, ...(o.logger ? { logger: o.logger } : {}) })
  const admin: BotRelay['admin'] = (method, path, body) => relay.call(method, path, body, { authorization: `Bearer ${ADMIN_TOKEN}` })
  if (o.webhook !== false) {
    const res = await admin('POST', '/api/telegram/webhook/setup', { url: `${relay.url}/api/telegram/webhook` })
    t.equal(res.status, 200, `webhook set up: ${JSON.stringify(res.body)}`)
  }
  const { redis, queue } = relay.app
  const drained = () => waitFor(async () => {
    const counts = await Promise.all([queue.keys, queue.outbound.keys].flatMap(k =>
      [...k.queues.map(q => redis.llen(q)), redis.zcard(k.active), redis.zcard(k.delayed), redis.zcard(k.waiting)]))
    return counts.every(n => n === 0)
  }, 'the queue to drain')
  return { ...relay, keys: botKeys(queue.keys.base), admin, drained }
}

export interface From { id: number, language_code?: string, username?: string, first_name?: string }

export function user (id: number, language = 'en', extra: Partial<From> = {}): From {
  return { id, language_code: language, first_name: `User${id}`, username: `user${id}`, ...extra }
}

/** A text message in the sender's private chat (or in `chat`). */
export function textUpdate (from: From, text: string, o: { updateId?: number, chat?: { id: number, type: string } } = {}): Record<string, unknown> {
  return {
    ...(o.updateId === undefined ? {} : { update_id: o.updateId }),
    message: {
      message_id: Math.floor(Math.random() * 1e6),
      from: { is_bot: false, ...from },
      chat: o.chat ?? { id: from.id, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }] } : {})
    }
  }
}

export function callbackUpdate (from: From, data: string, message: { message_id: number, chat: { id: number, type: string }, text?: string }, id = String(Math.floor(Math.random() * 1e15))): Record<string, unknown> {
  return {
    callback_query: {
      id,
      from: { is_bot: false, ...from },
      chat_instance: '42',
      message: { date: Math.floor(Date.now() / 1000), ...message },
      data
    }
  }
}
