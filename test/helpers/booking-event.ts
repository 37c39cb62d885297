// A real signed booking event: a relay whose booking-button presses go to a
// stand-in backend that keeps the raw bytes and the signature header, a
// booking notification with buttons, and a press of Confirm through the webhook.
import type { Test } from 'tap'
import Fastify from 'fastify'
import { callbackUpdate, startBot, user, type BotRelay } from './bot.ts'
import { waitFor } from './wait.ts'
import type { RecordedMessage } from '../../src/emulator/index.ts'

export const BOOKING_EVENTS_SECRET = 'booking-events-secret-for-clients-0123'
const GROUP = -1009876543210

export interface SignedEvent { raw: Buffer, signature: string }

export async function startBookingRelay (t: Test): Promise<{ bot: BotRelay, events: SignedEvent[], press: (bookingId: string) => Promise<SignedEvent> }> {
  const events: SignedEvent[] = []
  const backend = Fastify()
  backend.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
  backend.post('/events', async (request) => {
    events.push({ raw: request.body as Buffer, signature: String(request.headers['x-tg-relay-signature'] ?? '') })
    return { ok: true }
  })
  const url = await backend.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => backend.close())
  const bot = await startBot(t, { env: { BOOKING_EVENTS_URL: `${url}/events`, BOOKING_EVENTS_SECRET } })

  async function press (bookingId: string): Promise<SignedEvent> {
    const booking = { id: bookingId, service: 'portrait', date: '2024-12-15', time_slots: ['10:00-11:00'], client_name: 'Ivan', client_phone: '+79991234567', people_count: 2, total_price: 5000, status: 'pending' }
    const res = await bot.call('POST', '/api/telegram/booking-notification', { booking, event: 'created', language: 'en', buttons: true, chat_id: GROUP })
    if (res.status !== 202) throw new Error(`booking notification: ${res.status} ${JSON.stringify(res.body)}`)
    const find = () => bot.emulator.received(GROUP).find(m => m.text?.includes(bookingId))
    await waitFor(() => find() !== undefined, 'the booking message')
    const sent = find() as RecordedMessage
    const before = events.length
    await bot.emulator.pushUpdate(callbackUpdate(user(777, 'en'), `bk:confirm:${bookingId}`, { message_id: sent.message_id, chat: { id: GROUP, type: 'supergroup' } }))
    await waitFor(() => events.length > before, 'the booking event at the backend', 15_000)
    return events[before] as SignedEvent
  }
  return { bot, events, press }
}
