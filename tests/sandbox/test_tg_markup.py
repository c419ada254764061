"""Unit tests of the fake Telegram server's text handling and body decoding."""

from __future__ import annotations

import pytest

from bot.sandbox.tg_decode import decode_fields
from bot.sandbox.tg_errors import ApiError
from bot.sandbox.tg_flood import FloodControl, FloodLimits
from bot.sandbox.tg_markup import command_entities, parse_html, utf16_len
from tests.sandbox.tg_fixtures import ManualClock


def test_parse_html_yields_plain_text_and_utf16_entities() -> None:
    """HTML tags become entities with UTF-16 offsets; escapes are decoded."""
    text, entities = parse_html('😀 <b>bold</b> &lt;x&gt; <a href="https://e.x/?a=1&amp;b=2">l</a>')
    assert text == "😀 bold <x> l"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "text_link", "offset": 12, "length": 1, "url": "https://e.x/?a=1&b=2"},
    ]


def test_parse_html_merges_pre_and_code_with_language() -> None:
    """`<pre><code class="language-py">` is one `pre` entity with a language."""
    _, entities = parse_html('<pre><code class="language-py">x = 1</code></pre>')
    assert entities == [{"type": "pre", "offset": 0, "length": 5, "language": "py"}]


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("a <foo>b</foo>", 'Unsupported start tag "foo" at byte offset 2'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>open", 'Can\'t find end tag corresponding to "b"'),
        ("<b>x</i>", 'Unmatched end tag, expected "</b>", found "</i>"'),
    ],
)
def test_parse_html_rejects_what_telegram_rejects(text: str, detail: str) -> None:
    """Unknown tags, a bare `<` and unbalanced tags are 400 can't parse entities."""
    with pytest.raises(ApiError) as caught:
        parse_html(text)
    assert caught.value.status == 400
    assert detail in caught.value.description


def test_command_entities_mark_commands_that_start_words() -> None:
    """`/cmd` and `/cmd@bot` at word starts are bot_command entities; paths are not."""
    assert command_entities("/run@Bot x /help a/b") == [
        {"type": "bot_command", "offset": 0, "length": 8},
        {"type": "bot_command", "offset": 11, "length": 5},
    ]
    assert command_entities("see a/b") == []


def test_utf16_len_counts_surrogate_pairs() -> None:
    """An emoji outside the BMP counts as two UTF-16 units."""
    assert utf16_len("a😀") == 3


def test_decode_fields_decodes_per_known_key_only() -> None:
    """Strings stay strings; ints, bools and JSON keys are decoded by their name."""
    decoded = decode_fields(
        {"text": "123", "chat_id": "-100", "message_id": "7", "disable_notification": "true",
         "reply_markup": '{"inline_keyboard": []}', "caption": "[1]"}
    )  # fmt: skip
    assert decoded == {
        "text": "123",
        "chat_id": -100,
        "message_id": 7,
        "disable_notification": True,
        "reply_markup": {"inline_keyboard": []},
        "caption": "[1]",
    }
    assert decode_fields({"chat_id": "@channel"}) == {"chat_id": "@channel"}


def test_flood_windows_compute_retry_after_from_the_oldest_entry() -> None:
    """Per-group 20/min: the 21st message waits until the first leaves the window."""
    clock = ManualClock()
    flood = FloodControl(FloodLimits(per_chat_per_second=100, global_per_second=100), clock)
    for _ in range(20):
        assert flood.check(-1) is None
        flood.record(-1)
        clock.advance(2.0)
    assert flood.check(-1) == 20
    clock.advance(20.0)
    assert flood.check(-1) is None
    assert flood.rejections == 1
