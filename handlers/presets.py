"""/preset save|list|delete: shortcuts to workflows with default parameters.

In a private chat presets are the user's own. In a group, administrators save and delete the
chat's presets (everyone there can run them); other members keep their own.
"""

from __future__ import annotations

from telegram import Update

from bot.commands import PresetDelete, PresetSave, parse_preset
from bot.context import BotContext
from bot.i18n import Translator
from bot.services.presets import Scope, params_text
from handlers.common import command_args, guarded, is_group, reply
from handlers.groups import is_admin


async def _scope(update: Update, context: BotContext) -> tuple[Scope, int]:
    """Where a save or delete applies: the chat for its administrators, else the user."""
    assert update.effective_user is not None
    assert update.effective_chat is not None
    if is_group(update) and await is_admin(update, context):
        return "chat", update.effective_chat.id
    return "user", update.effective_user.id


async def _list(update: Update, context: BotContext, t: Translator) -> None:
    assert update.effective_user is not None
    assert update.effective_chat is not None
    scopes: list[tuple[Scope, int]] = [("user", update.effective_user.id)]
    if is_group(update):
        scopes.append(("chat", update.effective_chat.id))
    found = await context.services.presets.listed(scopes)
    lines = [t.t("preset.header")] + [
        f"{p.name} → {p.workflow_id} {params_text(p)}".rstrip() + f" ({t.t(f'preset.scope_{k}')})"
        for k, p in found
    ]
    await reply(update, "\n".join(lines) if found else t.t("preset.none"))


@guarded
async def preset(update: Update, context: BotContext, t: Translator) -> None:
    """Save, list or delete presets."""
    assert update.effective_message is not None
    command = parse_preset(command_args(update.effective_message))
    book = context.services.presets
    if isinstance(command, PresetSave):
        if command.workflow.kind != "id":
            await reply(update, t.t("preset.workflow_not_id", value=command.workflow.value))
            return
        scope, scope_id = await _scope(update, context)
        await book.save(scope, scope_id, command.name, command.workflow.value, command.params)
        await reply(update, t.t(f"preset.saved_{scope}", name=command.name))
    elif isinstance(command, PresetDelete):
        scope, scope_id = await _scope(update, context)
        deleted = await book.delete(scope, scope_id, command.name)
        await reply(
            update, t.t("preset.deleted" if deleted else "preset.not_found", name=command.name)
        )
    else:
        await _list(update, context, t)
