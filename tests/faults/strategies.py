"""Hypothesis strategies: Telegram message texts, entities and captions; RunningHub JSON shapes."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from bot.sandbox.tg_markup import utf16_len

SDXL = "1904136902449209346"
COMMANDS = ("run", "status", "cancel", "preset", "setkey", "tasks", "help", "start", "lang")
TOKENS = (
    SDXL, "1904136902449209352", "https://www.runninghub.ai/post/" + SDXL, "6.text=", "steps=",
    "3.seed=", "=", '"', "'", "“", "”", "«", "»", "„", "@", "#1", "1", "-1", "0", "9" * 25,
    "save", "list", "delete", "fox", "auto", "ru", "en", "\n", "\t", "  ", "=@", "10.image=@",
    "cfg=7,5", "true", "да", "🦊", "\u200b", "\\", "/run", "%s", "{key}", "<b>", "`",
)  # fmt: skip
ENTITY_TYPES = (
    "mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number", "bold",
    "italic", "underline", "strikethrough", "spoiler", "code", "pre", "text_link",
    "text_mention", "custom_emoji", "blockquote", "expandable_blockquote",
)  # fmt: skip

words = st.one_of(st.text(max_size=12), st.sampled_from(TOKENS))
args = st.lists(words, max_size=8).map(" ".join)
commands = st.tuples(st.sampled_from(COMMANDS), args).map(lambda c: f"/{c[0]} {c[1]}".rstrip())
texts = st.one_of(st.text(min_size=1, max_size=120), args.filter(bool), commands)


@st.composite
def entities(draw: st.DrawFn, text: str) -> list[dict[str, Any]]:
    """Well-placed (UTF-16) entities of any type over `text`, sorted by offset."""
    size = utf16_len(text)
    if size == 0:
        return []
    found = []
    for _ in range(draw(st.integers(0, 4))):
        offset = draw(st.integers(0, size - 1))
        entity: dict[str, Any] = {
            "type": draw(st.sampled_from(ENTITY_TYPES)),
            "offset": offset,
            "length": draw(st.integers(1, size - offset)),
        }
        if entity["type"] == "text_link":
            entity["url"] = "https://example.com/x"
        elif entity["type"] == "text_mention":
            entity["user"] = {"id": 7, "is_bot": False, "first_name": "Someone"}
        elif entity["type"] == "custom_emoji":
            entity["custom_emoji_id"] = "5368324170671202286"
        elif entity["type"] == "pre":
            entity["language"] = draw(st.sampled_from(["", "python"]))
        found.append(entity)
    return sorted(found, key=lambda e: int(e["offset"]))


# --- RunningHub bodies -------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
    st.integers().map(str), st.floats().map(str), st.sampled_from(["", " ", "0", "null", "NaN"]),
)  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
# Mostly the right type, sometimes not: wrong types everywhere would only test the validator.
texts_or_junk = st.one_of(st.text(max_size=12), st.text(max_size=12), st.none(), json_values)
ids = st.one_of(
    st.integers(min_value=0, max_value=2**63), st.integers().map(str), st.just("1937523648815677442"),
    st.sampled_from(["", " ", "\t", "0", "-1", " 7 "]), st.text(max_size=5), st.none(), json_values,
)  # fmt: skip
states = st.one_of(
    st.sampled_from(["QUEUED", "RUNNING", "SUCCESS", "FAILED", "CANCEL", "success", " Running ",
                     "CREATE", "ERROR", "UNKNOWN", ""]),
    json_values,
)  # fmt: skip
codes = st.one_of(
    st.sampled_from([0, "0", 0, "0", 804, "805", 1004, "1005", 421, 301, 802, 999]), json_values
)
numbers = st.one_of(
    st.integers(), st.floats(), st.integers().map(str), st.floats().map(str),
    st.sampled_from(["inf", "-inf", "nan", "1e999", " 3 ", "1,5", "", "0x10"]), json_values,
)  # fmt: skip


def shaped(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with any subset of `fields` (each with its own values) plus a stray key or two."""
    return st.fixed_dictionaries({}, optional=fields).flatmap(
        lambda body: st.dictionaries(st.text(max_size=6), json_values, max_size=2).map(
            lambda extra: {**extra, **body}
        )
    )


outputs = shaped({
    "fileUrl": st.one_of(st.just("https://x/y.png"), json_values), "url": json_values,
    "fileType": st.one_of(st.sampled_from(["png", "mp4", "txt", ".PNG"]), json_values),
    "outputType": texts_or_junk, "nodeId": ids, "text": texts_or_junk, "content": texts_or_junk,
})  # fmt: skip
failures = shaped({
    "node_id": ids, "node_name": texts_or_junk, "exception_type": texts_or_junk,
    "exception_message": texts_or_junk, "traceback": json_values,
})  # fmt: skip
v2_tasks = shaped({
    "taskId": ids, "status": states, "errorCode": codes, "errorMessage": texts_or_junk,
    "results": st.one_of(st.lists(outputs, max_size=3), json_values),
    "failedReason": st.one_of(failures, json_values),
    "usage": st.one_of(shaped({"consumeCoins": numbers, "taskCostTime": numbers}), json_values),
})  # fmt: skip
accounts = shaped({
    "remainCoins": numbers, "currentTaskCounts": numbers, "remainMoney": numbers,
    "currency": texts_or_junk, "apiType": texts_or_junk,
})  # fmt: skip
seed_statuses = shaped({
    "code": codes, "msg": texts_or_junk,
    "data": st.one_of(json_values, shaped({
        "taskStatus": states, "msg": texts_or_junk,
        "result": st.one_of(json_values, shaped({
            "outputs": st.one_of(st.lists(outputs, max_size=3), json_values),
            "failedReason": st.one_of(failures, json_values),
            "consumeCoins": numbers, "taskCostTime": numbers,
        })),
    })),
})  # fmt: skip
envelopes = shaped(
    {"code": codes, "msg": texts_or_junk, "message": texts_or_junk, "data": json_values}
)
nodes = shaped({
    "class_type": st.one_of(st.sampled_from(["KSampler", "LoadImage"]), json_values),
    "inputs": st.one_of(st.dictionaries(st.text(max_size=6), json_values, max_size=4), json_values),
    "_meta": st.one_of(shaped({"title": texts_or_junk}), json_values),
})  # fmt: skip
graphs = st.dictionaries(st.one_of(st.text(max_size=4), st.integers().map(str)), nodes, max_size=4)
