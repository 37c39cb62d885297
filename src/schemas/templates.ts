// Template data schemas (one per built-in template, checked before rendering) and
// the body of POST /api/telegram/send-templated. A template added without code
// ships templates/<name>.schema.json instead (see templates/README.md).
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { BOOKING_EXAMPLE, BookingChangesSchema, BookingDataSchema, INSTANT_PATTERN, LanguageSchema } from './booking.ts'
import { ChatIdSchema, DeliveryOptions } from './common.ts'
import { QueueOption } from './compat/phstudio-fields.ts'

const exampleBooking = { ...BOOKING_EXAMPLE, notes: 'Нужен белый фон', created_at: '2024-12-10T09:30:00Z' }

function bookingData (description: string, status: string) {
  return Type.Object({ booking: BookingDataSchema }, {
    additionalProperties: false,
    description,
    examples: [{ booking: { ...exampleBooking, status } }]
  })
}

export const BookingNotificationDataSchema = bookingData('a new booking, for the studio admins', 'pending')
export const BookingConfirmationDataSchema = bookingData('the booking was confirmed', 'confirmed')
export const BookingCancellationDataSchema = bookingData('the booking was cancelled (booking.cancellation_reason is shown if given)', 'cancelled')
export const BookingReminderDataSchema = bookingData('reminder before the booked time', 'confirmed')

export const BookingUpdateDataSchema = Type.Object({
  booking: BookingDataSchema,
  previous: Type.Optional(BookingChangesSchema)
}, {
  additionalProperties: false,
  description: 'the booking was changed; fields of previous that differ are listed as "before → after"',
  examples: [{
    booking: { ...exampleBooking, status: 'confirmed' },
    previous: { date: '2024-12-14', time_slots: ['15:00-17:00'] }
  }]
})

export const SystemLevelSchema = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('error')], {
  default: 'info', description: 'severity; sets the icon and heading'
})

export const SystemNotificationDataSchema = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 256, description: 'short heading' }),
  message: Type.String({ minLength: 1, maxLength: 4000, description: 'body text (plain text, escaped)' }),
  level: Type.Optional(SystemLevelSchema),
  details: Type.Optional(Type.Union([
    Type.String({ maxLength: 3000, description: 'preformatted text (shown in a code block)' }),
    Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]), {
      description: 'key → value pairs shown as a list'
    })
  ], { description: 'extra context: a preformatted string, or an object of key → string/number/boolean' })),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'which system sent it' })),
  timestamp: Type.Optional(Type.String({ pattern: INSTANT_PATTERN, description: 'when it happened, ISO 8601 with offset; shown in DEFAULT_TIMEZONE' }))
}, {
  additionalProperties: false,
  description: 'an operational message for admins',
  examples: [{
    title: 'Резервное копирование',
    message: 'Ночная копия базы не создана.',
    level: 'error',
    details: { host: 'db-1', attempts: 3 },
    source: 'backup',
    timestamp: '2024-12-15T03:00:00Z'
  }]
})

export type BookingTemplateData = Static<typeof BookingNotificationDataSchema>
export type BookingUpdateData = Static<typeof BookingUpdateDataSchema>
export type SystemNotificationData = Static<typeof SystemNotificationDataSchema>

/** Built-in templates: name → schema of the data it renders. */
export const TemplateDataSchemas: Readonly<Record<string, TSchema>> = {
  booking_notification: BookingNotificationDataSchema,
  booking_confirmation: BookingConfirmationDataSchema,
  booking_cancellation: BookingCancellationDataSchema,
  booking_reminder: BookingReminderDataSchema,
  booking_update: BookingUpdateDataSchema,
  system_notification: SystemNotificationDataSchema
}

export const TemplateNameSchema = Type.String({
  pattern: '^[a-z][a-z0-9_]{0,63}$',
  description: 'template name, see GET /api/telegram/templates',
  examples: ['booking_notification', 'system_notification']
})

const TemplateData = (description: string) => Type.Object({}, { additionalProperties: true, description })

export const SendTemplatedBodySchema = Type.Object({
  template: Type.Optional(TemplateNameSchema),
  language: Type.Optional(LanguageSchema),
  chat_id: ChatIdSchema,
  data: Type.Optional(TemplateData('the template\'s variables; checked against its schema')),
  // the booking backend's names for template and data
  template_type: Type.Optional({ ...TemplateNameSchema, description: 'alias of template' }),
  template_data: Type.Optional(TemplateData('alias of data; for booking templates also the flat fields booking_id, client_name, client_phone, service, date (YYYY-MM-DD, DD.MM.YYYY or ISO), time (HH:MM-HH:MM), time_slots, people_count, total_price, status, confirmed_at, cancelled_at, reason')),
  ...QueueOption,
  ...DeliveryOptions
}, {
  additionalProperties: false,
  // one of each pair: template or template_type, data or template_data
  allOf: [
    { anyOf: [{ required: ['template'] }, { required: ['template_type'] }] },
    { anyOf: [{ required: ['data'] }, { required: ['template_data'] }] }
  ],
  description: 'render a template and queue it',
  examples: [{
    template: 'system_notification',
    language: 'en',
    chat_id: 123456789,
    data: { title: 'Backup', message: 'Nightly backup failed.', level: 'error' },
    priority: 'high'
  }]
})
export type SendTemplatedBody = Static<typeof SendTemplatedBodySchema>

export const TemplatePreviewBodySchema = Type.Object({
  language: SendTemplatedBodySchema.properties.language,
  data: TemplateData('the template\'s variables; checked against its schema')
}, { additionalProperties: false, description: 'render a template without sending it' })
export type TemplatePreviewBody = Static<typeof TemplatePreviewBodySchema>
