// The booking-events transport: a worker delivers a queued `bookingEvent` call
// by POSTing it to BOOKING_EVENTS_URL, signed so the backend can tell it came
// from us: `X-TG-Relay-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.
// Failures are thrown as TransportError: 408, 429 and 5xx (and network errors)
// are retried, other 4xx are permanent (DLQ with the reason).
import { createHmac } from 'node:crypto'
import { request } from 'undici'
import type { Transport } from '../queue/consumer.ts'
import { TransportError } from '../telegram/classify-error.ts'

/** The queued call's method; a key of app.transports, never a Bot API method. */
export const BOOKING_EVENT_METHOD = 'bookingEvent'
export const SIGNATURE_HEADER = 'x-tg-relay-signature'

export interface BookingEvent {
  /** the callback query id: unique per press, so the backend can drop a redelivery */
  id: string
  event: 'booking.confirmed' | 'booking.cancelled'
  booking_id: string
  action: 'confirm' | 'cancel'
  chat_id: number | null
  message_id: number | null
  user: { id: number, username?: string, first_name?: string, language_code?: string }
  /** ISO 8601, when the button was pressed */
  at: string
}

export function signBody (body: string, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`
}

export function createBookingEventsTransport (o: { url: string, key: string, timeoutMs: number }): Transport {
  return async (params) => {
    const body = JSON.stringify(params)
    const res = await request(o.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'tg-relay', [SIGNATURE_HEADER]: signBody(body, o.key) },
      body,
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs
    })
    const text = (await res.body.text()).slice(0, 200)
    if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode }
    const description = `booking backend answered HTTP ${res.statusCode}${text ? `: ${text}` : ''}`
    // TransportError: the backend's 429 or 403 must not pause the bot or block a chat
    throw new TransportError(BOOKING_EVENT_METHOD, res.statusCode, description)
  }
}
