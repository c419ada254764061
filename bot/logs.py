"""Logging set-up: quiet HTTP libraries and a redacting filter on every handler.

httpx logs each request URL at INFO (the bot token is in every Bot API URL, and the seed dialect
puts `apiKey=` in a query string); those loggers stay at WARNING. The filter scrubs whatever
slips through: bot tokens, `apiKey`/`token` parameters, Bearer headers and 32-hex RunningHub keys.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"bot\d+:[A-Za-z0-9_-]+"), "bot<redacted>"),
    (re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{20,}\b"), "<redacted-token>"),
    (
        re.compile(
            r"(?i)([\"']?(?:api_?key|apikey|token|secret)[\"']?\s*[=:]\s*[\"']?)[^&\s\"',}]+"
        ),
        r"\1<redacted>",
    ),
    (re.compile(r"(?i)(bearer\s+)[^\s\"',}]+"), r"\1<redacted>"),
    (re.compile(r"(/setkey(?:@\w+)?\s+)[^\s\"',}]+"), r"\1<redacted>"),
    (re.compile(r"\b[0-9a-fA-F]{32}\b"), "<redacted-key>"),
)

QUIET_LOGGERS = ("httpx", "httpcore", "aiohttp.access", "apscheduler")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Return `text` with tokens, keys and the given exact secrets replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrite each record's final message (and exception text) without secrets."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; never drop it."""
        record.msg = redact(record.getMessage(), self._secrets)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(formatted, self._secrets)
            record.exc_info = None
        return True


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Configure the root logger once: level, format, quiet libraries, redaction on handlers."""
    root = logging.getLogger()
    root.setLevel(level)
    if not root.handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream)
    redactor = RedactingFilter(secrets)
    for handler in root.handlers:
        handler.addFilter(redactor)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
