// Button presses. Every press is answered (answerCallbackQuery, 'critical':
// Telegram shows a spinner until then). A booking Confirm/Cancel is recorded
// once per booking and action (a double press or a second admin gets "already
// confirmed"), the message is edited to show the decision without buttons, and
// the event is queued for the booking backend when BOOKING_EVENTS_URL is set.
import { guardRedis } from '../queue/errors.ts'
import type { BotCall } from '../telegram/bot-call.ts'
import type { CallbackQuery } from '../schemas/update.ts'
import { parseBookingCallback, type BookingAction } from '../templates/index.ts'
import { TEXT_LIMIT } from '../telegram/split-text.ts'
import { BOOKING_EVENT_METHOD, type BookingEvent } from './booking-events.ts'
import { answerCallback, displayName, queueCall, type BotContext } from './context.ts'

/** Decisions are kept this long: longer than any booking stays open. */
const DECISION_TTL_MS = 90 * 86_400_000
/** A backend outage of hours must not lose a decision: backoff tops out at QUEUE_BACKOFF_MAX. */
const EVENT_ATTEMPTS = 25

const PAST: Record<BookingAction, 'confirmed' | 'cancelled'> = { confirm: 'confirmed', cancel: 'cancelled' }

export async function handleCallback (ctx: BotContext, q: CallbackQuery): Promise<void> {
  const language = ctx.strings.pick(q.from.language_code)
  const t = ctx.strings.t
  const booking = q.data === undefined ? null : parseBookingCallback(q.data)
  if (booking === null) {
    await answerCallback(ctx, q.id, t(language, 'bot.button_expired'))
    return
  }
  const { action, bookingId } = booking
  const state = PAST[action]
  const at = Date.now()
  const chatId = q.message?.chat.id
  if (!await record(ctx, q, bookingId, action, at)) {
    await answerCallback(ctx, q.id, t(language, state === 'confirmed' ? 'bot.booking.already_confirmed' : 'bot.booking.already_cancelled', { id: bookingId }))
    return
  }
  await answerCallback(ctx, q.id, t(language, `bot.booking.${state}`, { id: bookingId }))
  ctx.log.info({ booking: bookingId, action, user: q.from.id, chat: chatId }, 'booking button pressed')

  if (q.message !== undefined) {
    const line = t(language, `bot.booking.${state}_by`, { user: displayName(q.from), time: ctx.strings.time(language, at) })
    await queueCall(ctx, q.message.chat.id, editCall(q.message, line), { priority: 'high', idempotencyKey: `cbq:${q.id}:edit` })
  }
  if (ctx.config.BOOKING_EVENTS_URL !== undefined) {
    const event: BookingEvent = {
      id: q.id,
      event: `booking.${state}`,
      booking_id: bookingId,
      action,
      chat_id: chatId ?? null,
      message_id: q.message?.message_id ?? null,
      user: {
        id: q.from.id,
        ...(q.from.username !== undefined ? { username: q.from.username } : {}),
        ...(q.from.first_name !== undefined ? { first_name: q.from.first_name } : {}),
        ...(q.from.language_code !== undefined ? { language_code: q.from.language_code } : {})
      },
      at: new Date(at).toISOString()
    }
    // one key per booking: its events reach the backend in the order they were pressed
    await queueCall(ctx, `booking:${bookingId}`, { method: BOOKING_EVENT_METHOD, params: { ...event } }, {
      priority: 'high', attempts: EVENT_ATTEMPTS, idempotencyKey: `cbq:${q.id}:event`, outbound: true
    })
  }
}

/**
 * Records the decision once per booking and action. True for the first press,
 * and for that same press handled again (its update failed half-way and came
 * back): the idempotency keys of what it queues keep that from doubling.
 */
async function record (ctx: BotContext, q: CallbackQuery, bookingId: string, action: BookingAction, at: number): Promise<boolean> {
  const key = ctx.keys.booking(bookingId)
  const value = JSON.stringify({ callback_id: q.id, user_id: q.from.id, username: q.from.username, chat_id: q.message?.chat.id, message_id: q.message?.message_id, at })
  const replies = await guardRedis(() => ctx.redis.multi().hsetnx(key, action, value).pexpire(key, DECISION_TTL_MS).hget(key, action).exec())
  if (replies?.[0]?.[1] === 1) return true
  try {
    return (JSON.parse(String(replies?.[2]?.[1])) as { callback_id?: string }).callback_id === q.id
  } catch {
    return false
  }
}

/**
 * The booking message with the decision appended and no buttons. Telegram hands
 * back the text as plain text plus entities; appending after the last entity
 * keeps every offset valid, so the formatting survives. A message without
 * text (inaccessible, or a caption) or one the line would push over the limit
 * only loses its buttons.
 */
function editCall (message: NonNullable<CallbackQuery['message']>, line: string): BotCall {
  const target = { chat_id: message.chat.id, message_id: message.message_id }
  const text = message.text === undefined ? undefined : `${message.text}\n\n${line}`
  if (text === undefined || text.length > TEXT_LIMIT) {
    return { method: 'editMessageReplyMarkup', params: { ...target, reply_markup: { inline_keyboard: [] } } }
  }
  return { method: 'editMessageText', params: { ...target, text, ...(message.entities?.length ? { entities: message.entities } : {}) } }
}
