"""Settings: every knob of the bot, read from the environment and `.env` (pydantic-settings).

The variable names are a public contract (README lists them all). Secrets are `SecretStr` and
validation errors never echo an input value (`hide_input_in_errors`). `load_settings()` turns a
validation failure into one `ConfigError` line naming the variable and what is wrong.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.runninghub.models import Dialect

_TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable, never its value."""


def _split_csv(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def decode_master_key(text: str) -> bytes:
    """Decode one master key (urlsafe base64 of 32 bytes) or raise ValueError without the value."""
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        raise ValueError(
            "is not valid base64 (generate one with `runninghub-bot gen-key`)"
        ) from None
    if len(raw) != 32:
        raise ValueError("must decode to 32 bytes (generate one with `runninghub-bot gen-key`)")
    return raw


class Settings(BaseSettings):
    """All settings; construct with keyword arguments in tests, from the environment otherwise."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
        case_sensitive=False,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_base_file_url: str = "https://api.telegram.org/file/bot"
    runninghub_base_url: str = "https://www.runninghub.ai"
    runninghub_api_dialect: Dialect = Dialect.CURRENT
    bot_master_key: SecretStr | None = None
    database_path: Path = Path("data/bot.sqlite3")
    log_level: str = "INFO"

    runninghub_timeout: float = Field(30.0, gt=0)
    runninghub_create_timeout: float = Field(60.0, gt=0)
    poll_initial_interval: float = Field(2.0, gt=0)
    poll_max_interval: float = Field(30.0, gt=0)
    poll_concurrency: int = Field(16, ge=1, le=512)
    task_deadline_seconds: float = Field(3600.0, gt=0)
    capacity_retry_initial: float = Field(15.0, gt=0)
    capacity_retry_max: float = Field(120.0, gt=0)
    max_active_tasks_per_user: int = Field(3, ge=1, le=100)
    max_output_bytes: int = Field(50 * 1024 * 1024, gt=0)
    status_edit_interval: float = Field(3.0, ge=0)
    group_status_edit_interval: float = Field(15.0, ge=0)

    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "0.0.0.0"  # noqa: S104 - a webhook server listens publicly
    telegram_webhook_port: int = Field(8443, ge=1, le=65535)

    runninghub_webhook_url: str | None = None
    runninghub_webhook_listen: str = "0.0.0.0"  # noqa: S104 - RunningHub calls in from outside
    runninghub_webhook_port: int = Field(8081, ge=1, le=65535)
    runninghub_webhook_poll_interval: float = Field(300.0, gt=0)

    telegram_flood_limits: bool = True

    bot_allowed_user_ids: Annotated[list[int], NoDecode] = []
    bot_allowed_chat_ids: Annotated[list[int], NoDecode] = []

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN_RE.match(value.get_secret_value()):
            raise ValueError("does not look like a bot token (expected <digits>:<letters>)")
        return value

    @field_validator("bot_master_key")
    @classmethod
    def _master_keys_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            keys = _split_csv(value.get_secret_value())
            if not keys:
                raise ValueError("is empty")
            for key in keys:
                decode_master_key(key)
        return value

    @field_validator("bot_allowed_user_ids", "bot_allowed_chat_ids", mode="before")
    @classmethod
    def _csv_ids(cls, value: Any) -> Any:
        return _split_csv(value)

    @field_validator("telegram_api_base_url", "telegram_api_base_file_url", "runninghub_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{8,256}", value.get_secret_value()
        ):
            raise ValueError("must be 8-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("telegram_webhook_url", "runninghub_webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be a full https:// URL")
        return value or None

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return upper

    def master_keys(self) -> list[str]:
        """Return the master keys, newest first (empty when unset)."""
        if self.bot_master_key is None:
            return []
        return list(_split_csv(self.bot_master_key.get_secret_value()))

    def webhook_path(self) -> str:
        """The path part of TELEGRAM_WEBHOOK_URL, which the webhook server listens on."""
        from urllib.parse import urlsplit

        return urlsplit(self.telegram_webhook_url or "").path.lstrip("/") or "telegram"

    def require(self, *names: str) -> None:
        """Raise ConfigError for the first named setting that is unset."""
        hints = {
            "telegram_bot_token": "get a token from @BotFather in Telegram "
            "(or try the bot offline with `make sandbox`, which needs none)",
            "bot_master_key": "generate one with `runninghub-bot gen-key`",
            "telegram_webhook_secret": "webhook mode needs a secret token, e.g. `openssl rand -hex 32`",
        }
        for name in names:
            if getattr(self, name) is None:
                hint = hints.get(name, "")
                raise ConfigError(f"{name.upper()} is not set" + (f": {hint}" if hint else ""))


def describe_validation_error(error: ValidationError) -> str:
    """Render a settings ValidationError as one line per variable, without input values."""
    parts = []
    for item in error.errors(include_input=False, include_url=False):
        name = str(item["loc"][0]).upper() if item["loc"] else "SETTINGS"
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{name}: {message}")
    return "; ".join(parts)


def load_settings(**overrides: Any) -> Settings:
    """Build Settings from the environment (overrides win) or raise one clear ConfigError."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(f"Invalid configuration: {describe_validation_error(exc)}") from None
