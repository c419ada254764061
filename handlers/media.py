"""Media inputs: the photo, video or audio a /run carries as its caption or replies to."""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import FileSizeLimit

from bot.context import BotContext
from bot.errors import InputError
from bot.services.media import MediaInput, MediaKind

_Found = tuple[MediaKind, str, str, int | None, str]


def _attachment(message: Message) -> _Found | None:
    """(kind, file id, mime type, size, file name) of the message's media, if any."""
    if message.photo:
        photo = message.photo[-1]
        return "image", photo.file_id, "image/jpeg", photo.file_size, "photo.jpg"
    for kind, item in (("video", message.video), ("audio", message.audio or message.voice)):
        if item is not None:
            mime = item.mime_type or ("video/mp4" if kind == "video" else "audio/mpeg")
            name = getattr(item, "file_name", None) or f"{kind}.{mime.rsplit('/', 1)[-1]}"
            return kind, item.file_id, mime, item.file_size, name  # type: ignore[return-value]
    document = message.document
    if document is not None and document.mime_type:
        major = document.mime_type.split("/", 1)[0]
        kinds: dict[str, MediaKind] = {"image": "image", "video": "video", "audio": "audio"}
        if major in kinds:
            name = document.file_name or f"file.{document.mime_type.rsplit('/', 1)[-1]}"
            return kinds[major], document.file_id, document.mime_type, document.file_size, name
    return None


async def read_media(update: Update, context: BotContext) -> MediaInput | None:
    """Download the media attached to (or replied to by) a /run; None when there is none."""
    message = update.effective_message
    if message is None:
        return None
    found = _attachment(message)
    if found is None and message.reply_to_message is not None:
        found = _attachment(message.reply_to_message)
    if found is None:
        return None
    kind, file_id, mime, size, name = found
    limit = context.services.limits.max_media_bytes
    if size is not None and size > min(limit, FileSizeLimit.FILESIZE_DOWNLOAD):
        raise InputError("input.too_large", megabytes=limit // (1024 * 1024))
    telegram_file = await context.bot.get_file(file_id)
    data = bytes(await telegram_file.download_as_bytearray())
    return MediaInput(kind=kind, data=data, filename=name, content_type=mime)
