"""Inline mode (`@bot …` in any chat): the user's own tasks, results shared by Telegram file id."""

from __future__ import annotations

import time

from telegram import (
    InlineQueryResult,
    InlineQueryResultArticle,
    InlineQueryResultCachedDocument,
    InlineQueryResultCachedPhoto,
    InlineQueryResultCachedVideo,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.sharing import Shareable
from handlers.cards import render
from handlers.common import guarded

CACHE_SECONDS = 5
MAX_RESULTS = 50


def results_for(item: Shareable, t: Translator, now: float) -> list[InlineQueryResult]:
    """A finished task's files as cached media; anything else as an article with its status."""
    task = item.task
    caption = t.t("result.caption", workflow=task.workflow_id, task=task.task_id)
    found: list[InlineQueryResult] = []
    for output in item.files:
        rid = f"o{output.output_id}"
        file_id = output.telegram_file_id
        assert file_id is not None
        if output.delivered_kind == "photo":
            found.append(InlineQueryResultCachedPhoto(rid, file_id, caption=caption))
        elif output.delivered_kind == "video":
            found.append(InlineQueryResultCachedVideo(rid, file_id, caption, caption=caption))
        else:
            found.append(InlineQueryResultCachedDocument(rid, caption, file_id, caption=caption))
    if not found:
        text = render(task, t, position=None, now=now)
        title = t.t(
            "inline.title",
            task=task.task_id,
            state=t.t(f"card.state.{task.state.value}", position=1),
        )
        found.append(
            InlineQueryResultArticle(
                f"t{task.task_id}",
                title,
                InputTextMessageContent(text),
                description=task.workflow_id,
            )
        )
    return found


@guarded
async def on_inline(update: Update, context: BotContext, t: Translator) -> None:
    """Answer an inline query from the ledger only, personal and briefly cached."""
    query = update.inline_query
    if query is None:
        return
    items = await context.services.sharing.find(query.from_user.id, query.query)
    now = time.time()
    results = [r for item in items for r in results_for(item, t, now)][:MAX_RESULTS]
    button = None
    if not results:
        button = InlineQueryResultsButton(text=t.t("inline.empty"), start_parameter="inline")
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, button=button)
