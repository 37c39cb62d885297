"""tg_relay.py against a running tg-relay and its Bot API emulator.

Run by test/client/python.test.ts (npm test), which starts both and passes:
TG_RELAY_URL, TG_RELAY_TOKEN (service), TG_RELAY_ADMIN_TOKEN,
TG_RELAY_EMULATOR_URL, TG_RELAY_BOT_TOKEN, and a real signed booking event
(TG_RELAY_EVENT_BODY base64, TG_RELAY_EVENT_SIGNATURE, TG_RELAY_EVENT_SECRET).
With TG_RELAY_RESTART_CHAT set, only the Redis-restart case runs: the runner
kills Redis before and restarts it when this prints RETRYING.
"""

import base64
import json
import os
import sys
import time
import unittest
import urllib.request

from tg_relay import Client, TgRelayError, verify_signature

ENV = os.environ
HAVE_RELAY = "TG_RELAY_URL" in ENV
RESTART_CHAT = ENV.get("TG_RELAY_RESTART_CHAT")

BOOKING = {"id": 314, "service": "portrait", "date": "2024-12-15", "time_slots": ["10:00-11:00"],
           "client_name": "Anna", "client_phone": "+79991234567", "people_count": 2,
           "total_price": 5000, "status": "pending"}


def emulator(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(ENV["TG_RELAY_EMULATOR_URL"] + path, data=data,
                                     headers={"Content-Type": "application/json"}, method="GET" if body is None else "POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())["result"]


def received(chat_id):
    return emulator(f"/__emulator/messages?chat_id={chat_id}")


def wait_for(check, what, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@unittest.skipUnless(HAVE_RELAY and not RESTART_CHAT, "needs a running tg-relay (test/client/python.test.ts)")
class ClientTest(unittest.TestCase):
    def setUp(self):
        self.relay = Client(ENV["TG_RELAY_URL"], ENV["TG_RELAY_TOKEN"])
        self.admin = Client(ENV["TG_RELAY_URL"], ENV["TG_RELAY_ADMIN_TOKEN"])

    def finished(self, message_id, status="sent"):
        return wait_for(lambda: (lambda m: m if m["status"] == status else None)(self.relay.get_message(message_id)),
                        f"message {message_id} {status}")

    def test_send_text(self):
        accepted = self.relay.send_text(301, "<b>Booking</b> #314", parse_mode="HTML", priority="high", metadata={"booking": 314})
        self.assertEqual(accepted["status"], "queued")
        self.assertEqual(accepted["priority"], "high")
        message = self.finished(accepted["id"])
        self.assertEqual(message["metadata"], {"booking": 314})
        self.assertTrue(message["idempotency_key"], "made by the client")
        self.assertEqual([m["text"] for m in received(301)], ["<b>Booking</b> #314"])

    def test_send_photo(self):
        issued = emulator(f"/bot{ENV['TG_RELAY_BOT_TOKEN']}/sendPhoto", {"chat_id": 999, "photo": "https://example.com/hall.jpg"})
        file_id = issued["photo"][-1]["file_id"]
        jpeg = b"\xff\xd8\xff\xe0 bytes of a photo"
        ids = [self.relay.send_photo(302, jpeg, caption="uploaded", filename="hall.jpg")["id"],
               self.relay.send_photo(302, "https://example.com/a.jpg", caption="by URL")["id"],
               self.relay.send_photo(302, file_id)["id"]]
        for message_id in ids:
            self.finished(message_id)
        sent = received(302)
        self.assertEqual(sent[0]["params"]["photo"]["filename"], "hall.jpg")
        self.assertEqual(sent[0]["params"]["photo"]["size"], len(jpeg))
        self.assertEqual(sent[0]["caption"], "uploaded")
        self.assertEqual(sent[1]["params"]["photo"], "https://example.com/a.jpg")
        self.assertEqual(sent[2]["params"]["photo"], file_id)

    def test_send_document_voice_location(self):
        ids = [self.relay.send_document(307, b"%PDF-1.4 invoice", filename="invoice.pdf", caption="invoice")["id"],
               self.relay.send_voice(307, b"OggS voice")["id"],
               self.relay.send_location(307, 55.7558, 37.6173, priority="low")["id"]]
        for message_id in ids:
            self.finished(message_id)
        sent = received(307)
        self.assertEqual([m["method"] for m in sent], ["sendDocument", "sendVoice", "sendLocation"])
        self.assertEqual(sent[0]["params"]["document"]["filename"], "invoice.pdf")
        self.assertEqual(sent[1]["params"]["voice"]["size"], 10)
        self.assertEqual((sent[2]["params"]["latitude"], sent[2]["params"]["longitude"]), (55.7558, 37.6173))

    def test_booking_notification_and_templated(self):
        booked = self.relay.booking_notification(BOOKING, "created", chat_id=303, language="en")
        self.assertEqual(booked["template"], "booking_notification")
        templated = self.relay.send_templated("system_notification", 303, {"title": "Backup", "message": "done"}, language="en")
        self.finished(booked["id"])
        self.finished(templated["id"])
        texts = [m["text"] for m in received(303)]
        self.assertIn("#314", texts[0])
        self.assertIn("Anna", texts[0])
        self.assertIn("Backup", texts[1])

    def test_idempotency_key_given(self):
        first = self.relay.send_text(304, "once", idempotency_key="py-once-1")
        again = self.relay.send_text(304, "once", idempotency_key="py-once-1")
        self.assertEqual(again["id"], first["id"])
        self.assertTrue(again.get("duplicate"))

    def test_errors(self):
        with self.assertRaises(TgRelayError) as caught:
            self.relay.send_text("not a chat", "x")
        self.assertEqual(caught.exception.status, 400)
        self.assertEqual(caught.exception.error, "Bad Request")
        self.assertEqual(caught.exception.details[0]["field"], "body.chat_id")
        with self.assertRaises(TgRelayError) as caught:
            self.relay.get_message("nosuchmessage")
        self.assertEqual(caught.exception.status, 404)
        with self.assertRaises(TgRelayError) as caught:
            self.relay.clear_dlq()
        self.assertEqual(caught.exception.status, 403)

    def test_dead_letter_requeue_and_clear(self):
        emulator("/__emulator/chats", {"chat_id": 305, "state": "blocked"})
        accepted = self.relay.send_text(305, "you blocked me")
        dead = self.finished(accepted["id"], "dead")
        self.assertIn("blocked", dead["last_error"])
        self.assertEqual(self.admin.requeue(accepted["id"]), {"id": accepted["id"], "status": "queued"})
        wait_for(lambda: len([h for h in self.relay.get_message(accepted["id"])["history"] if h["event"] == "dead"]) == 2, "dead again")
        self.assertGreaterEqual(self.admin.clear_dlq()["deleted"], 1)

    def test_queue_stats(self):
        stats = self.relay.queue_stats()
        self.assertEqual(set(stats), {"waiting", "active", "completed", "failed", "delayed", "paused"})
        self.assertTrue(all(isinstance(v, int) for v in stats.values()))

    def test_verify_signature_on_a_real_booking_event(self):
        body = base64.b64decode(ENV["TG_RELAY_EVENT_BODY"])
        header, secret = ENV["TG_RELAY_EVENT_SIGNATURE"], ENV["TG_RELAY_EVENT_SECRET"]
        self.assertTrue(verify_signature(body, header, secret))
        self.assertTrue(Client.verify_signature(body.decode(), header, secret), "str bodies too")
        self.assertFalse(verify_signature(body.replace(b"confirm", b"cancel"), header, secret), "a tampered body")
        self.assertFalse(verify_signature(body, header, secret + "x"), "another secret")
        self.assertFalse(verify_signature(body, None, secret), "no header")


@unittest.skipUnless(HAVE_RELAY and RESTART_CHAT, "run by test/client/python.test.ts around a Redis restart")
class RestartTest(unittest.TestCase):
    def test_send_retried_across_a_redis_restart_is_queued_once(self):
        def on_retry(attempt, reason, delay):
            print(f"RETRYING attempt {attempt} after {reason}, waiting {delay:.1f} s", flush=True)
        relay = Client(ENV["TG_RELAY_URL"], ENV["TG_RELAY_TOKEN"], retries=6, on_retry=on_retry)
        accepted = relay.send_text(int(RESTART_CHAT), "sent while Redis was down")
        self.assertEqual(accepted["status"], "queued")
        self.assertFalse(accepted.get("duplicate", False))
        wait_for(lambda: relay.get_message(accepted["id"])["status"] == "sent", "delivered")
        time.sleep(0.3)
        self.assertEqual([m["text"] for m in received(RESTART_CHAT)], ["sent while Redis was down"])


if __name__ == "__main__":
    unittest.main(argv=sys.argv)
