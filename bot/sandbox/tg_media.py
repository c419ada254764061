"""Media methods of the fake server: single-file sends, albums and `getFile`.

A file parameter is an uploaded multipart part (named after the parameter, or
`attach://<name>` inside album JSON), the `file_id` of a known file (re-sent), or a URL,
which is recorded in `Core.sent_urls` and never fetched.
"""

from __future__ import annotations

from bot.sandbox.tg_core import Core, Files, Handler, chat_id_of, check_caption, send_bot_message
from bot.sandbox.tg_errors import ApiError, bad_request
from bot.sandbox.tg_files import MAX_DOWNLOAD, StoredFile
from bot.sandbox.tg_mediaobj import media_fields, store_upload
from bot.sandbox.tg_state import JSON

MAX_PHOTO_UPLOAD = 10 * 1024 * 1024
MAX_UPLOAD = 50 * 1024 * 1024
SINGLE = {
    "sendPhoto": "photo", "sendDocument": "document", "sendVideo": "video",
    "sendAnimation": "animation", "sendAudio": "audio", "sendVoice": "voice",
}  # fmt: skip
ALBUM_KINDS = frozenset({"photo", "video", "document", "audio"})
WRONG_FILE = "wrong file identifier/HTTP URL specified"


def resolve_file(core: Core, method: str, kind: str, value: object, files: Files) -> StoredFile:
    """Turn a file parameter (upload, `attach://`, file_id or URL) into a stored file."""
    if value is None and kind in files:
        value = f"attach://{kind}"
    if not isinstance(value, str) or not value:
        raise bad_request(f"there is no {kind} in the request")
    if value.startswith("attach://"):
        upload = files.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(f"can't parse InputMedia: attached file {value} not found")
        limit = MAX_PHOTO_UPLOAD if kind == "photo" else MAX_UPLOAD
        if upload.size > limit:
            raise ApiError(413, "Request Entity Too Large")
        return store_upload(core.files, kind, upload)
    if value.startswith(("http://", "https://")):
        core.sent_urls.append((method, value))
        return core.files.add(kind, url=value)
    known = core.files.get(value)
    if known is None:
        raise bad_request(WRONG_FILE)
    if (known.kind == "photo") != (kind == "photo"):
        raise bad_request(f"can't use file of type {known.kind.capitalize()} as {kind}")
    return known


def send_single(core: Core, method: str, params: JSON, files: Files) -> JSON:
    """sendPhoto / sendDocument / sendVideo / sendAnimation / sendAudio / sendVoice."""
    kind = SINGLE[method]
    core.world.target(chat_id_of(params))
    caption, entities = check_caption(params)
    stored = resolve_file(core, method, kind, params.get(kind), files)
    fields = media_fields(kind, stored, params)
    if caption:
        fields["caption"] = caption
    if entities:
        fields["caption_entities"] = entities
    return send_bot_message(core, params, fields)


def _check_album(media: object) -> list[JSON]:
    if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
        raise bad_request("can't parse media JSON object")
    if not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media")
    kinds = {str(item.get("type")) for item in media}
    unsupported = kinds - ALBUM_KINDS
    if unsupported:
        raise bad_request(f"media type {sorted(unsupported)[0]} can't be sent in an album")
    for single in ("document", "audio"):
        if single in kinds and kinds != {single}:
            raise bad_request(f"{single} can't be mixed with other media types")
    return media


def send_media_group(core: Core, params: JSON, files: Files) -> list[JSON]:
    """sendMediaGroup: 2–10 items; photos and videos mix, documents and audio don't."""
    core.world.target(chat_id_of(params))
    media = _check_album(params.get("media"))
    prepared: list[JSON] = []
    for item in media:
        kind = str(item["type"])
        caption, entities = check_caption(item)
        stored = resolve_file(core, "sendMediaGroup", kind, item.get("media"), files)
        fields = media_fields(kind, stored, item)
        fields.update({"caption": caption, "caption_entities": entities})
        prepared.append({k: v for k, v in fields.items() if v})
    group_id = str(13000000000000000 + core.next_media_group)
    core.next_media_group += 1
    return [
        send_bot_message(core, params, {**fields, "media_group_id": group_id})
        for fields in prepared
    ]


def get_file(core: Core, params: JSON, files: Files) -> JSON:
    """getFile: the File object whose `file_path` is served under /file/bot<token>/."""
    stored = core.files.get(str(params.get("file_id", "")))
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return stored.get_file_result()


def _single_handler(method: str) -> Handler:
    def handler(core: Core, params: JSON, files: Files) -> JSON:
        return send_single(core, method, params, files)

    handler.__doc__ = method
    return handler


METHODS: dict[str, Handler] = {method: _single_handler(method) for method in SINGLE}
METHODS.update({"sendMediaGroup": send_media_group, "getFile": get_file})
