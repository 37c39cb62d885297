// Booking events → templates, and the Confirm/Cancel inline buttons whose presses
// come back through the webhook as callback_data "bk:<action>:<booking id>".
import type { InlineKeyboardMarkup } from '@grammyjs/types'
import type { BookingData, BookingEvent } from '../schemas/booking.ts'
import { TemplateError } from './errors.ts'

export const BOOKING_EVENT_TEMPLATES: Readonly<Record<BookingEvent, string>> = {
  created: 'booking_notification',
  confirmed: 'booking_confirmation',
  cancelled: 'booking_cancellation',
  reminder: 'booking_reminder',
  updated: 'booking_update'
}

export type BookingAction = 'confirm' | 'cancel'

const CALLBACK_PREFIX = 'bk'
const CALLBACK_MAX_BYTES = 64 // Telegram's limit for callback_data

export function bookingCallbackData (action: BookingAction, id: string | number): string {
  return `${CALLBACK_PREFIX}:${action}:${id}`
}

/** The webhook side: "bk:confirm:123" → {action, bookingId}; anything else → null. */
export function parseBookingCallback (data: string): { action: BookingAction, bookingId: string } | null {
  const m = /^bk:(confirm|cancel):(\S+)$/.exec(data)
  return m === null ? null : { action: m[1] as BookingAction, bookingId: m[2] as string }
}

/**
 * Confirm and Cancel for a booking still waiting for a decision; only Cancel once it
 * is confirmed; nothing for a cancelled one. An id too long for callback_data is
 * refused rather than cut: a cut id would confirm some other booking.
 */
export function bookingKeyboard (booking: BookingData, event: BookingEvent, labels: Record<BookingAction, string>): InlineKeyboardMarkup | undefined {
  const status = booking.status.toLowerCase()
  if (event === 'cancelled' || status === 'cancelled' || status === 'canceled') return undefined
  const actions: BookingAction[] = event === 'confirmed' || status === 'confirmed' ? ['cancel'] : ['confirm', 'cancel']
  const longest = bookingCallbackData('confirm', booking.id)
  if (Buffer.byteLength(longest) > CALLBACK_MAX_BYTES) {
    const room = CALLBACK_MAX_BYTES - Buffer.byteLength(bookingCallbackData('confirm', ''))
    throw new TemplateError('INVALID_DATA', `booking.id is too long for button callback data (at most ${room} bytes)`, [
      { field: 'booking.id', message: `must be at most ${room} bytes long to fit in button callback data` }
    ])
  }
  return {
    inline_keyboard: [actions.map(action => ({ text: labels[action], callback_data: bookingCallbackData(action, booking.id) }))]
  }
}
