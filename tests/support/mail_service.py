"""A mail service's webhook posts, made as the service makes them: Mailgun signs each with an
HMAC-SHA256 of its timestamp and token under the webhook signing key; both carry basic auth."""

import base64
import hashlib
import hmac
import json
import secrets
import time

from django.test import Client

SIGNING_KEY = "key-mailgun-webhook-signing-test"
BASIC_AUTH = "hooks:a-long-random-webhook-password"
MAILGUN_URL = "/anymail/mailgun/tracking/"
MEMBER_EMAIL = "rachel.blake.mp@example.org"


def mail_service_settings(settings):
    """Mailgun through anymail's test backend, its webhook on, letters to the members."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.MAIL_SERVICE = "mailgun"
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY, "WEBHOOK_SECRET": BASIC_AUTH}
    settings.LETTERS_FROM_EMAIL = "letters@advocacy.example"
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = True  # production, opted in


def auth_header(credentials=BASIC_AUTH):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def mailgun_body(event_data, *, key=SIGNING_KEY, token=None) -> str:
    """Mailgun's JSON for one event, signed over its timestamp and token."""
    token = token or secrets.token_hex(25)
    timestamp = str(int(time.time()))
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return json.dumps(
        {
            "signature": {
                "timestamp": timestamp,
                "token": token,
                "signature": signature.hexdigest(),
            },
            "event-data": event_data,
        }
    )


def mailgun_post(client: Client, event_data, *, credentials=BASIC_AUTH, **signing):
    body = mailgun_body(event_data, **signing)
    return client.post(
        MAILGUN_URL, body, content_type="application/json", **auth_header(credentials)
    )


def mailgun_event(letter, event="failed", **overrides) -> dict:
    """Mailgun's event data about a letter: a permanent bounce unless told otherwise."""
    data = {
        "event": event,
        "id": secrets.token_hex(8),
        "timestamp": time.time(),
        "recipient": MEMBER_EMAIL,
        "severity": "permanent",
        "reason": "bounce",
        "delivery-status": {
            "code": 550,
            "message": "5.1.1 The email account that you tried to reach does not exist.",
            "description": "",
        },
        "message": {"headers": {"message-id": f"letter-{letter.reference}@advocacy.example"}},
        "user-variables": {"letter_reference": letter.reference},
    }
    return {**data, **overrides}
