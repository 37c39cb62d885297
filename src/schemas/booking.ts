// Booking notifications: the booking backend's view of a booking and the body of
// POST /api/telegram/booking-notification. The booking object is the backend's own
// model, so unknown booking fields are tolerated (it may grow); the request body
// itself is closed.
import { Type, type Static } from '@sinclair/typebox'
import { ChatIdSchema, DeliveryOptions } from './common.ts'
import { BOOKING_DAY_PATTERN, LOCAL_OR_INSTANT_PATTERN, QueueOption } from './compat/phstudio-fields.ts'

export const CALENDAR_DATE_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$'
export const TIME_SLOT_PATTERN = '^([01]\\d|2[0-3]):[0-5]\\d(-(([01]\\d|2[0-3]):[0-5]\\d|24:00))?$'
export const INSTANT_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$'

export const LanguageSchema = Type.String({
  pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$',
  description: 'ru, en… (en-US and pt_BR match en and pt); defaults to DEFAULT_LANGUAGE; a template without a file in this language falls back to it',
  examples: ['ru', 'en']
})

/** A typical booking, for the schema examples (and so the OpenAPI document). */
export const BOOKING_EXAMPLE = {
  id: 123,
  service: 'portrait',
  date: '2024-12-15',
  time_slots: ['10:00-11:00', '11:00-12:00'],
  client_name: 'Иван Петров',
  client_phone: '+79991234567',
  people_count: 3,
  total_price: 5000,
  status: 'pending'
}

export const BookingDataSchema = Type.Object({
  id: Type.Union([
    Type.Integer({ minimum: 0 }),
    Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S+$' })
  ], { description: 'booking id in the booking backend' }),
  service: Type.String({ minLength: 1, maxLength: 256, description: 'service booked: a code known to locales/*.json "services" (translated) or free text (shown as is)' }),
  date: Type.String({ pattern: BOOKING_DAY_PATTERN, description: 'day of the booking: YYYY-MM-DD, or an ISO 8601 date-time (the day at its offset; without one, in DEFAULT_TIMEZONE)' }),
  time_slots: Type.Array(Type.String({ pattern: TIME_SLOT_PATTERN }), {
    minItems: 1,
    maxItems: 48,
    description: 'booked slots, each HH:MM (start) or HH:MM-HH:MM (range); adjacent ranges are shown merged'
  }),
  client_name: Type.String({ minLength: 1, maxLength: 10000, description: 'client\'s name as entered (escaped on output)' }),
  client_phone: Type.String({ minLength: 1, maxLength: 64, description: 'client\'s phone; Russian numbers are shown as +7 (999) 123-45-67, others passed through' }),
  people_count: Type.Integer({ minimum: 1, maximum: 100000, description: 'number of people' }),
  total_price: Type.Number({ minimum: 0, description: 'total price in rubles' }),
  status: Type.String({ minLength: 1, maxLength: 64, description: 'booking status, e.g. pending, confirmed, cancelled, completed (known ones are translated)' }),
  notes: Type.Optional(Type.String({ maxLength: 10000, description: 'client\'s comment' })),
  client_email: Type.Optional(Type.String({ maxLength: 320, description: 'client\'s e-mail' })),
  studio: Type.Optional(Type.String({ maxLength: 256, description: 'studio or hall name' })),
  address: Type.Optional(Type.String({ maxLength: 512, description: 'studio address' })),
  cancellation_reason: Type.Optional(Type.String({ maxLength: 2000, description: 'why the booking was cancelled (shown in the cancellation message)' })),
  created_at: Type.Optional(Type.String({ pattern: LOCAL_OR_INSTANT_PATTERN, description: 'when the booking was made, ISO 8601 (without offset: in DEFAULT_TIMEZONE)' })),
  confirmed_at: Type.Optional(Type.String({ pattern: LOCAL_OR_INSTANT_PATTERN, description: 'when it was confirmed, ISO 8601 (without offset: in DEFAULT_TIMEZONE)' })),
  cancelled_at: Type.Optional(Type.String({ pattern: LOCAL_OR_INSTANT_PATTERN, description: 'when it was cancelled, ISO 8601 (without offset: in DEFAULT_TIMEZONE)' }))
}, {
  description: 'a booking as the booking backend sends it; unknown fields are ignored',
  examples: [BOOKING_EXAMPLE]
})
export type BookingData = Static<typeof BookingDataSchema>

export const BookingEventSchema = Type.Union([
  Type.Literal('created'), Type.Literal('confirmed'), Type.Literal('cancelled'), Type.Literal('reminder'), Type.Literal('updated')
], { description: 'what happened to the booking; picks the template (created → booking_notification, confirmed → booking_confirmation, cancelled → booking_cancellation, reminder → booking_reminder, updated → booking_update)' })
export type BookingEvent = Static<typeof BookingEventSchema>

// Fields that booking_update can show as "before → after".
export const BookingChangesSchema = Type.Partial(Type.Pick(BookingDataSchema, [
  'service', 'date', 'time_slots', 'people_count', 'total_price', 'status', 'client_name', 'client_phone', 'studio', 'address'
]), {
  description: 'the booking\'s values before the update; fields that differ are listed as changes',
  // Pick would carry over the whole booking's example, id included
  examples: [{ date: '2024-12-14', time_slots: ['18:00-19:00'] }]
})
export type BookingChanges = Static<typeof BookingChangesSchema>

export const BookingNotificationBodySchema = Type.Object({
  booking: BookingDataSchema,
  event: Type.Optional(Type.Union(BookingEventSchema.anyOf, { description: `${BookingEventSchema.description}; without it, from booking.status: pending/new → created, confirmed → confirmed, cancelled/canceled → cancelled, else updated` })),
  language: Type.Optional(LanguageSchema),
  chat_id: Type.Optional(ChatIdSchema),
  buttons: Type.Optional(Type.Boolean({ default: false, description: 'add Confirm/Cancel inline buttons (callback_data bk:confirm:<id> / bk:cancel:<id>); never on cancelled bookings' })),
  previous: Type.Optional(BookingChangesSchema),
  ...QueueOption,
  // priority, send_at (e.g. a reminder), ttl, idempotency_key (a retried webhook
  // from the booking backend must not notify twice), metadata… as on /send
  ...DeliveryOptions
}, {
  additionalProperties: false,
  description: 'notify about a booking event; goes to TELEGRAM_CHAT_ID unless chat_id is given',
  examples: [{
    event: 'created',
    language: 'ru',
    buttons: true,
    booking: BOOKING_EXAMPLE
  }]
})
export type BookingNotificationBody = Static<typeof BookingNotificationBodySchema>
