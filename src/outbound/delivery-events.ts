// Delivery events: what happened to a message after the 202 (sent, dead, expired, failed,
// cancelled, edited, deleted) and a broadcast's end, POSTed signed to the message's
// callback_url and to DELIVERY_EVENTS_URL. The scripts that change a message's state queue
// the event in the same call (src/queue/lua/includes/events.lua), on the outbound lane; a
// worker sends it with this transport, turning the stored ms time into ISO 8601 and naming
// the event (unique per event and destination) in X-TG-Relay-Event-Id for deduplication.
import type { Transport } from '../transport.ts'
import { createSignedPostTransport } from './signed-post.ts'

/** The queued call's method; a key of the outbound worker's transports, never a Bot API method. */
export const DELIVERY_EVENT_METHOD = 'deliveryEvent'
export const EVENT_ID_HEADER = 'x-tg-relay-event-id'

export const EVENT_NAMES = ['message.sent', 'message.dead', 'message.failed', 'message.expired', 'message.cancelled',
  'message.edited', 'message.deleted', 'broadcast.finished'] as const

interface QueuedEvent {
  url: string
  event_id: string
  event: Record<string, unknown> & { at: number }
}

export function createDeliveryEventsTransport (o: { key: string, timeoutMs: number }): Transport {
  return createSignedPostTransport({
    method: DELIVERY_EVENT_METHOD,
    receiver: 'delivery events receiver',
    key: o.key,
    timeoutMs: o.timeoutMs,
    url: (params) => {
      const p = params as unknown as QueuedEvent
      return { url: p.url, body: { ...p.event, at: new Date(p.event.at).toISOString() }, headers: { [EVENT_ID_HEADER]: p.event_id } }
    }
  })
}
