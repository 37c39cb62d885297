"""tg-relay client: one module, standard library only (Python 3.9+).

    from tg_relay import Client
    relay = Client("http://localhost:3000", token="SERVICE_TOKEN")
    accepted = relay.booking_notification(booking, "created", language="ru")
    print(relay.get_message(accepted["id"])["status"])

Every call that queues a message carries an ``idempotency_key`` (made here
unless you pass one) for all its attempts, so retrying a 503 (Redis
unavailable) or a request that got no answer never queues it twice.
Retries honour ``Retry-After``. Failures raise ``TgRelayError`` with the
service's ``status``, ``error``, ``message`` and ``details``.
"""

import hashlib
import hmac
import json
import random
import socket
import time
import uuid
import urllib.error
import urllib.parse
import urllib.request
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

__all__ = ["Client", "TgRelayError", "verify_signature", "SIGNATURE_HEADER"]

SIGNATURE_HEADER = "X-TG-Relay-Signature"
MAX_RETRY_AFTER = 60.0
BASE_DELAY = 0.25
MAX_DELAY = 5.0

ChatId = Union[int, str]


class TgRelayError(Exception):
    """A refusal by tg-relay (status 4xx/5xx), or status 0 when no answer came."""

    def __init__(self, status: int, error: str, message: str,
                 details: Optional[List[Dict[str, str]]] = None, body: Any = None):
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error
        self.message = message
        self.details = details or []
        self.body = body


def verify_signature(raw_body: Union[bytes, str], header: Optional[str], secret: str) -> bool:
    """True when ``header`` (``sha256=<hex>``) is the HMAC-SHA256 of the raw body under ``secret``.

    Check the bytes you received, before parsing them. Booking button events
    and delivery events are signed this way.
    """
    if not header or not secret:
        return False
    body = raw_body.encode() if isinstance(raw_body, str) else raw_body
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode())


def _retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(int(value)) if value.isdigit() else parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _backoff(attempt: int) -> float:
    ceiling = min(BASE_DELAY * 2 ** attempt, MAX_DELAY)
    return ceiling / 2 + random.random() * ceiling / 2


def _multipart(fields: Dict[str, Any], file_field: str, content: bytes, filename: str) -> Tuple[bytes, str]:
    """The form POST /send reads: fields as text (objects as JSON), one file."""
    boundary = "tg-relay-" + uuid.uuid4().hex
    out = []
    for key, value in fields.items():
        if value is None:
            continue
        text = json.dumps(value) if isinstance(value, (dict, list)) else (str(value).lower() if isinstance(value, bool) else str(value))
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{text}\r\n'.encode())
    out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
               f'Content-Type: application/octet-stream\r\n\r\n'.encode() + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


class Client:
    """tg-relay over HTTP: ``Client(base_url, token)``.

    ``token`` is SERVICE_TOKEN (sending, status) or ADMIN_TOKEN (the DLQ too).
    ``timeout`` is per attempt, in seconds; ``retries`` further attempts after
    a 503 or no answer; ``on_retry(attempt, reason, delay)`` is told of each.
    """

    def __init__(self, base_url: str, token: str, timeout: float = 10.0, retries: int = 3,
                 on_retry: Optional[Callable[[int, str, float], None]] = None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.on_retry = on_retry

    verify_signature = staticmethod(verify_signature)

    # sending: each queues one message and returns tg-relay's 202 body ({id, status, priority, ...})

    def send_text(self, chat_id: ChatId, text: str, **options: Any) -> Dict[str, Any]:
        """Options as on POST /send: parse_mode, reply_markup, priority, send_at, ttl, idempotency_key, metadata…"""
        return self._queue("/api/telegram/send", {"chat_id": chat_id, "text": text, **options})

    def send_photo(self, chat_id: ChatId, photo: Union[bytes, str], caption: Optional[str] = None,
                   filename: str = "photo.jpg", **options: Any) -> Dict[str, Any]:
        """``photo``: the bytes (uploaded as multipart), an http(s) URL, or a Telegram file_id."""
        return self._send_media("photo", chat_id, photo, caption, filename, options)

    def send_document(self, chat_id: ChatId, document: Union[bytes, str], caption: Optional[str] = None,
                      filename: str = "document", **options: Any) -> Dict[str, Any]:
        return self._send_media("document", chat_id, document, caption, filename, options)

    def send_voice(self, chat_id: ChatId, voice: Union[bytes, str], caption: Optional[str] = None,
                   filename: str = "voice.ogg", **options: Any) -> Dict[str, Any]:
        return self._send_media("voice", chat_id, voice, caption, filename, options)

    def send_location(self, chat_id: ChatId, latitude: float, longitude: float, **options: Any) -> Dict[str, Any]:
        return self._queue("/api/telegram/send", {"chat_id": chat_id, "location": {"latitude": latitude, "longitude": longitude}, **options})

    def booking_notification(self, booking: Dict[str, Any], event: str, chat_id: Optional[ChatId] = None,
                             language: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """``event``: created, confirmed, cancelled, reminder or updated; to TELEGRAM_CHAT_ID unless ``chat_id``."""
        body = {"booking": booking, "event": event, "chat_id": chat_id, "language": language, **options}
        return self._queue("/api/telegram/booking-notification", body)

    def send_templated(self, template: str, chat_id: ChatId, data: Dict[str, Any],
                       language: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        body = {"template": template, "chat_id": chat_id, "data": data, "language": language, **options}
        return self._queue("/api/telegram/send-templated", body)

    # reading and repairing

    def get_message(self, message_id: str) -> Dict[str, Any]:
        """status (queued, scheduled, active, retrying, sent, failed, dead, expired, cancelled), attempts, history…"""
        return self._request("GET", "/api/telegram/messages/" + urllib.parse.quote(message_id, safe=""))

    def queue_stats(self) -> Dict[str, int]:
        """{waiting, active, completed, failed, delayed, paused}"""
        return self._request("GET", "/api/telegram/queue/stats")

    def requeue(self, message_id: str) -> Dict[str, Any]:
        """A dead letter back to its queue with fresh attempts (ADMIN_TOKEN)."""
        return self._request("POST", "/api/telegram/queue/dlq/requeue/" + urllib.parse.quote(message_id, safe=""))

    def clear_dlq(self) -> Dict[str, int]:
        """Delete every dead letter (ADMIN_TOKEN): {deleted}."""
        return self._request("DELETE", "/api/telegram/queue/dlq")

    # the wire

    def _send_media(self, field: str, chat_id: ChatId, media: Union[bytes, str], caption: Optional[str],
                    filename: str, options: Dict[str, Any]) -> Dict[str, Any]:
        fields = {"chat_id": chat_id, "caption": caption, **options}
        if isinstance(media, str):
            return self._queue("/api/telegram/send", {**fields, field: media})
        fields.setdefault("idempotency_key", str(uuid.uuid4()))
        body, content_type = _multipart(fields, field, bytes(media), filename)
        return self._request("POST", "/api/telegram/send", body=body, content_type=content_type)

    def _queue(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        payload = {k: v for k, v in body.items() if v is not None}
        payload.setdefault("idempotency_key", str(uuid.uuid4()))
        return self._request("POST", path, body=json.dumps(payload).encode(), content_type="application/json")

    def _request(self, method: str, path: str, body: Optional[bytes] = None,
                 content_type: Optional[str] = None) -> Any:
        headers = {"Authorization": "Bearer " + self.token, "Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        url = self.base_url + path
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=body, headers=headers, method=method)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return self._parse(response.read(), response.headers.get("Content-Type"))
            except urllib.error.HTTPError as err:
                parsed = self._parse(err.read(), err.headers.get("Content-Type"))
                if err.code == 503 and attempt < self.retries:
                    self._wait(attempt, "503", _retry_after(err.headers.get("Retry-After")))
                    attempt += 1
                    continue
                raise self._error(err.code, err.reason, parsed) from None
            except (urllib.error.URLError, socket.timeout, ConnectionError) as err:
                reason = str(getattr(err, "reason", err))
                if attempt < self.retries:
                    self._wait(attempt, reason, None)
                    attempt += 1
                    continue
                raise TgRelayError(0, "Connection Failed", f"{method} {url}: {reason} (after {attempt + 1} attempts)") from err

    def _wait(self, attempt: int, reason: str, retry_after: Optional[float]) -> None:
        delay = _backoff(attempt) if retry_after is None else retry_after
        if self.on_retry:
            self.on_retry(attempt + 1, reason, delay)
        time.sleep(delay)

    @staticmethod
    def _parse(raw: bytes, content_type: Optional[str]) -> Any:
        text = raw.decode("utf-8", errors="replace")
        if "json" in (content_type or ""):
            try:
                return json.loads(text) if text else None
            except ValueError:
                pass
        return text

    @staticmethod
    def _error(status: int, reason: Any, body: Any) -> TgRelayError:
        b = body if isinstance(body, dict) else {}
        return TgRelayError(status, b.get("error") or str(reason), b.get("message") or str(body)[:500],
                            b.get("details") if isinstance(b.get("details"), list) else [], body)
