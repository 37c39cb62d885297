// verifySignature on a booking event tg-relay really sent (a Confirm press
// through the webhook, POSTed by a worker), and on tampered copies of it.
import t from 'tap'
import { verifySignature, SIGNATURE_HEADER } from 'tg-relay-client'
import { BOOKING_EVENTS_SECRET, startBookingRelay } from '../helpers/booking-event.ts'

t.test('verifySignature: a real booking event passes, a tampered one does not', async t => {
  const { press } = await startBookingRelay(t)
  const event = await press('B-901')
  t.equal(SIGNATURE_HEADER, 'x-tg-relay-signature')
  t.match(event.signature, /^sha256=[0-9a-f]{64}$/)
  t.match(JSON.parse(event.raw.toString()), { event: 'booking.confirmed', booking_id: 'B-901', action: 'confirm' })

  t.ok(verifySignature(event.raw, event.signature, BOOKING_EVENTS_SECRET), 'the bytes as received')
  t.ok(verifySignature(event.raw.toString(), event.signature, BOOKING_EVENTS_SECRET), 'the same body as a string')
  t.ok(verifySignature(new Uint8Array(event.raw), [event.signature], BOOKING_EVENTS_SECRET), 'a Uint8Array, a header array')

  const tampered = Buffer.from(event.raw.toString().replace('"confirm"', '"cancel"'))
  t.notOk(verifySignature(tampered, event.signature, BOOKING_EVENTS_SECRET), 'a changed action')
  t.notOk(verifySignature(Buffer.from(JSON.stringify(JSON.parse(event.raw.toString()), null, 1)), event.signature, BOOKING_EVENTS_SECRET), 're-serialized JSON: verify the raw bytes')
  t.notOk(verifySignature(event.raw, event.signature, 'another-secret'), 'another secret')
  t.notOk(verifySignature(event.raw, event.signature.replace(/.$/, c => c === '0' ? '1' : '0'), BOOKING_EVENTS_SECRET), 'a changed signature')
  t.notOk(verifySignature(event.raw, event.signature.slice(7), BOOKING_EVENTS_SECRET), 'without the sha256= prefix')
  t.notOk(verifySignature(event.raw, undefined, BOOKING_EVENTS_SECRET), 'no header')
  t.notOk(verifySignature(event.raw, event.signature, ''), 'an empty secret never verifies')
})
