"""One line of JSON per log event, with secrets and supporters' addresses taken out.

The confirmation link's token and the letters page's signed key travel in URL paths, which
Django logs on a 404 and servers log on every request; email addresses can turn up in
messages. Neither may reach a log file.
"""

import json
import logging
import re

REDACTIONS = [
    (re.compile(r"(/letters/confirm/)[^/\s\"']+"), r"\1[token]"),
    (re.compile(r"(/campaigns/[\w-]+/letters/)[^/\s\"']+"), r"\1[key]"),
    (re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(\.[\w-]+)+", re.IGNORECASE), "[email]"),
]


def redact(text: str) -> str:
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class OneLineJsonFormatter(logging.Formatter):
    """``{"time": ..., "level": ..., "logger": ..., "message": ...}`` on a single line."""

    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if status := getattr(record, "status_code", None):
            event["status"] = status
        if record.exc_info:
            event["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(event, ensure_ascii=False)  # json escapes newlines: one line
