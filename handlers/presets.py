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


@guarded
async def preset(update: Update, context: BotContext, t: Translator) -> None:
    """Save, list or delete presets."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    assert message is not None
    assert user is not None
    assert chat is not None
    command = parse_preset(command_args(message))
    book = context.services.presets
    in_group = is_group(update)
    chat_scope = in_group and await is_admin(update, context)
    scope: Scope = "chat" if chat_scope else "user"
    scope_id = chat.id if chat_scope else user.id
    if isinstance(command, PresetSave):
        if command.workflow.kind != "id":
            await reply(update, t.t("preset.workflow_not_id", value=command.workflow.value))
            return
        await book.save(scope, scope_id, command.name, command.workflow.value, command.params)
        await reply(update, t.t(f"preset.saved_{scope}", name=command.name))
    elif isinstance(command, PresetDelete):
        deleted = await book.delete(scope, scope_id, command.name)
        await reply(
            update, t.t("preset.deleted" if deleted else "preset.not_found", name=command.name)
        )
    else:
        scopes: list[tuple[Scope, int]] = [("user", user.id)]
        if in_group:
            scopes.append(("chat", chat.id))
        found = await book.listed(scopes)
        if not found:
            await reply(update, t.t("preset.none"))
            return
        lines = [t.t("preset.header")]
        for kind, item in found:
            label = t.t(f"preset.scope_{kind}")
            lines.append(
                f"{item.name} → {item.workflow_id} {params_text(item)} ({label})".replace("  ", " ")
            )
        await reply(update, "\n".join(lines))
