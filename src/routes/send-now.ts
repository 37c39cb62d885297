// queue:false (and TELEGRAM_ENABLE_QUEUE=false): the calls go to Telegram
// during the request, and the client gets Telegram's answer — no durability.
// Shared by every route that sends a message. A failure is a
// TelegramCallError: src/plugins/errors.ts answers it.
import type { Static } from '@sinclair/typebox'
import type { BotCall } from '../telegram/bot-call.ts'
import type { SyncResultSchema } from '../schemas/send.ts'
import type { BotApi } from '../telegram/client.ts'
import { callTelegram } from '../telegram/call-error.ts'

export async function sendNow (api: BotApi, calls: BotCall[]): Promise<Static<typeof SyncResultSchema>> {
  const results: unknown[] = []
  for (const call of calls) results.push(await callTelegram(() => api.call(call.method, call.params), call.method))
  const ids = results.map(r => (r as { message_id?: number })?.message_id).filter((x): x is number => typeof x === 'number')
  return { status: 'sent', message_ids: ids, result: results }
}
