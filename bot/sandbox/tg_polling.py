"""Update delivery methods: getUpdates (long poll) and the webhook methods.

getUpdates while a webhook is set answers 409 Conflict, as Telegram does.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox.tg_core import Core
from bot.sandbox.tg_errors import ApiError, bad_request
from bot.sandbox.tg_state import JSON
from bot.sandbox.tg_webhook import WebhookConfig

WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


async def get_updates(core: Core, params: JSON) -> list[JSON]:
    """getUpdates: confirm by offset, then wait up to `timeout` seconds for updates."""
    if core.webhook.config is not None:
        raise ApiError(409, WEBHOOK_ACTIVE)
    allowed = params.get("allowed_updates")
    return await core.updates.get(
        offset=params.get("offset"),
        limit=int(params.get("limit") or 100),
        wait=float(params.get("timeout") or 0),
        allowed=list(allowed) if isinstance(allowed, list) else None,
    )


async def set_webhook(core: Core, params: JSON) -> bool:
    """setWebhook: start POSTing updates to `url` (an empty url removes the webhook)."""
    url = str(params.get("url") or "")
    if not url:
        return await delete_webhook(core, params)
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: invalid URL")
    secret = params.get("secret_token")
    if secret is not None and not _SECRET.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    allowed = params.get("allowed_updates")
    if isinstance(allowed, list):
        core.updates.allowed_updates = [str(kind) for kind in allowed]
    if params.get("drop_pending_updates"):
        core.updates.drop_all()
    config = WebhookConfig(
        url=url,
        secret_token=str(secret) if secret is not None else None,
        max_connections=int(params.get("max_connections") or 40),
        allowed_updates=list(core.updates.allowed_updates),
    )
    await core.webhook.set(config)
    return True


async def delete_webhook(core: Core, params: JSON) -> bool:
    """deleteWebhook: back to getUpdates; optionally drop pending updates."""
    if params.get("drop_pending_updates"):
        core.updates.drop_all()
    await core.webhook.delete()
    return True


async def get_webhook_info(core: Core, params: JSON) -> JSON:
    """getWebhookInfo."""
    return core.webhook.info()


ASYNC_METHODS: dict[str, Callable[[Core, JSON], Awaitable[Any]]] = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
