// Booking events: a worker delivers a queued `bookingEvent` call by POSTing it,
// signed, to BOOKING_EVENTS_URL (src/outbound/signed-post.ts).
import type { Transport } from '../transport.ts'
import { createSignedPostTransport } from '../outbound/signed-post.ts'

/** The queued call's method; a key of app.transports, never a Bot API method. */
export const BOOKING_EVENT_METHOD = 'bookingEvent'

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

export function createBookingEventsTransport (o: { url: string, key: string, timeoutMs: number }): Transport {
  return createSignedPostTransport({ method: BOOKING_EVENT_METHOD, receiver: 'booking backend', ...o })
}
