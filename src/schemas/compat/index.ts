// The one place where the seed systems' request shapes become tg-relay's own.
// Every route that takes a body passes it through one of these right after
// validation (the schemas in schemas/*.ts accept both shapes), so the rest
// of the service only ever sees one shape, and the old and the new form of a
// request end as the same stored message. Each seed system's part lives in its
// own module next to this one.
import type { Priority } from '../../queue/keys.ts'
import type { MessageBackoff } from '../../queue/message.ts'
import type { BookingEvent, BookingNotificationBody } from '../booking.ts'
import type { BroadcastBody } from '../broadcast.ts'
import type { InviteBody, RemoveBody } from '../channel.ts'
import type { SendBody } from '../send.ts'
import type { SendTemplatedBody } from '../templates.ts'
import { botOperationsAttempts } from './bot-operations.ts'
import { bookingDay, bookingFromFlat, eventFromStatus, phstudioBooking, priorityFromName } from './phstudio.ts'
import { priorityFromNumber, resilientDelivery, type ResilientInput } from './resilient.ts'

interface SeedDelivery extends ResilientInput {
  priority?: string | number
}

/** Delivery options as the queue takes them: a priority name, backoff and timeout in ms. */
export interface Delivery {
  priority?: Priority
  retryBackoff?: MessageBackoff
  timeoutMs?: number
}

type Native<T> = Omit<T, 'priority' | 'backoff' | 'timeout'> & Delivery

export function delivery<T extends SeedDelivery> (body: T): Native<T> {
  const { priority, backoff, timeout, ...rest } = body
  const r = resilientDelivery({ ...(backoff !== undefined ? { backoff } : {}), ...(timeout !== undefined ? { timeout } : {}) })
  return {
    ...rest,
    ...(priority !== undefined ? { priority: typeof priority === 'number' ? priorityFromNumber(priority) : priorityFromName(priority) } : {}),
    ...(r.backoff !== undefined ? { retryBackoff: r.backoff } : {}),
    ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {})
  }
}

export const fromSend = (body: SendBody): Native<SendBody> => delivery(body)

export const fromBroadcast = (body: BroadcastBody): Native<BroadcastBody> => delivery(body)

export type TemplatedRequest = Native<Omit<SendTemplatedBody, 'template' | 'data' | 'template_type' | 'template_data'>> & {
  template: string
  data: Record<string, unknown>
}

export function fromTemplated (body: SendTemplatedBody): TemplatedRequest {
  const { template, template_type: templateType, data, template_data: templateData, ...rest } = body
  // the schema requires one of each pair
  const name = (template ?? templateType) as string
  const given = (data ?? templateData ?? {}) as Record<string, unknown>
  const flat = bookingFromFlat(name, given)
  const booking = flat.booking
  const previous = flat.previous
  const dated = (v: unknown) => v !== null && typeof v === 'object' && typeof (v as { date?: unknown }).date === 'string'
    ? phstudioBooking(v as { date: string })
    : v
  return {
    ...delivery(rest),
    template: name,
    data: { ...flat, ...(booking !== undefined ? { booking: dated(booking) } : {}), ...(previous !== undefined ? { previous: dated(previous) } : {}) }
  }
}

export type BookingRequest = Native<Omit<BookingNotificationBody, 'event'>> & { event: BookingEvent }

export function fromBooking (body: BookingNotificationBody): BookingRequest {
  const { event, booking, previous, ...rest } = body
  return {
    ...delivery(rest),
    booking: phstudioBooking(booking),
    ...(previous !== undefined ? { previous: previous.date !== undefined ? { ...previous, date: bookingDay(previous.date) } : previous } : {}),
    event: event ?? eventFromStatus(booking.status)
  }
}

export const fromInvite = (body: InviteBody): Native<Omit<InviteBody, 'max_retries'>> => delivery(botOperationsAttempts(body))

export const fromRemove = (body: RemoveBody): Native<Omit<RemoveBody, 'max_retries'>> => delivery(botOperationsAttempts(body))
