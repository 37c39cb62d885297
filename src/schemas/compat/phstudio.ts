// The phStudio booking backend (Python): dates as datetime.isoformat(), no
// `event` (it follows the booking's status), `queue` on every send,
// send-templated with template_type/template_data and flat booking fields,
// priorities in capitals. The schema pieces are in phstudio-fields.ts (used
// by schemas/*.ts); the functions below turn a request in that shape into
// tg-relay's own, so both end as the same stored message.
import type { Priority } from '../../queue/keys.ts'
import type { BookingData, BookingEvent } from '../booking.ts'

export function priorityFromName (name: string): Priority {
  return name.toLowerCase() as Priority
}

/**
 * The calendar day of a booking date. A date-time's day is the one written in
 * it: at its own offset, or — without one — in DEFAULT_TIMEZONE, where the
 * backend's naive datetimes live. DD.MM.YYYY is the flat fields' form.
 */
export function bookingDay (date: string): string {
  const dotted = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(date)
  if (dotted !== null) return `${dotted[3]}-${dotted[2]}-${dotted[1]}`
  return /^\d{4}-\d{2}-\d{2}T/.test(date) ? date.slice(0, 10) : date
}

export function phstudioBooking<B extends { date: string }> (b: B): B {
  return { ...b, date: bookingDay(b.date) }
}

/** Without an event, the booking's status says what happened. */
export function eventFromStatus (status: string): BookingEvent {
  switch (status.toLowerCase()) {
    case 'pending':
    case 'new': return 'created'
    case 'confirmed': return 'confirmed'
    case 'cancelled':
    case 'canceled': return 'cancelled'
    default: return 'updated'
  }
}

/**
 * template_data as older clients send it for the booking templates: the
 * booking's fields at the top level (booking_id, time as HH:MM-HH:MM, reason).
 * Data that already has `booking`, or is for another template, is left alone;
 * the template's schema then checks the result, so a missing field is still a
 * 400 naming it (data.booking.client_name).
 */
export function bookingFromFlat (template: string, data: Record<string, unknown>): Record<string, unknown> {
  if (!template.startsWith('booking_') || 'booking' in data) return data
  const { booking_id: id, time, reason, date, previous, ...rest } = data
  const booking: Partial<BookingData> & Record<string, unknown> = {
    ...rest,
    ...(id !== undefined ? { id: id as BookingData['id'] } : {}),
    ...(typeof date === 'string' ? { date: bookingDay(date) } : date !== undefined ? { date: date as string } : {}),
    ...(rest.time_slots === undefined && time !== undefined ? { time_slots: [time as string] } : {}),
    ...(reason !== undefined && rest.cancellation_reason === undefined ? { cancellation_reason: reason as string } : {})
  }
  return { booking, ...(previous !== undefined ? { previous } : {}) }
}
