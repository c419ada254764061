"""Tests for parse_run: the workflow reference, key=value tokens, quoting and syntax errors."""

import pytest

from bot.commands import CommandError, Param, RunRequest, WorkflowRef, parse_run

WORKFLOW_ID = "1904136902449209346"


def _values(text: str) -> dict[str, str]:
    """Parse ``text`` and map each parameter key to its raw value."""
    return {param.key: param.raw for param in parse_run(text).params}


def _error(text: str) -> CommandError:
    """Parse ``text`` expecting a CommandError and return it."""
    with pytest.raises(CommandError) as caught:
        parse_run(text)
    return caught.value


def test_brief_example_with_id_and_mixed_params() -> None:
    """The documented example yields the id and every parameter with node ids split off."""
    request = parse_run(f'{WORKFLOW_ID} text="a red fox, cinematic" 3.seed=42 steps=30 cfg=7,5')
    assert request == RunRequest(
        WorkflowRef("id", WORKFLOW_ID),
        (
            Param("text", None, "text", "a red fox, cinematic", is_media=False),
            Param("3.seed", "3", "seed", "42", is_media=False),
            Param("steps", None, "steps", "30", is_media=False),
            Param("cfg", None, "cfg", "7,5", is_media=False),
        ),
    )


def test_brief_example_with_link_and_typographic_quotes() -> None:
    """A post link gives the id; «…» and “…” values keep their Cyrillic and spaces."""
    request = parse_run(
        f"https://www.runninghub.ai/post/{WORKFLOW_ID} 6.text=«кот в шляпе» 7.text=“blurry”"
    )
    assert request.workflow == WorkflowRef("id", WORKFLOW_ID)
    assert {p.key: p.raw for p in request.params} == {"6.text": "кот в шляпе", "7.text": "blurry"}


def test_brief_example_with_preset_and_multiline_value() -> None:
    """A preset name is recognised and a quoted value keeps its emoji and newline exactly."""
    request = parse_run("portrait text='hello 👋\nsecond line'")
    assert request.workflow == WorkflowRef("preset", "portrait")
    assert request.params[0].raw == "hello 👋\nsecond line"


def test_brief_example_with_media_marker() -> None:
    """An unquoted @ marks the parameter as the attached media file."""
    request = parse_run("1904136902449209350 image=@ text=watercolor")
    assert request.params[0] == Param("image", None, "image", "@", is_media=True)
    assert request.params[1].is_media is False


def test_quoted_at_sign_is_plain_text() -> None:
    """A quoted "@" is the literal text @, not the attachment."""
    (param,) = parse_run(f'{WORKFLOW_ID} text="@"').params
    assert (param.raw, param.is_media) == ("@", False)


@pytest.mark.parametrize(
    "quoted",
    [
        '"{}"',
        "'{}'",
        "“{}”",
        "“{}“",
        "”{}”",
        "„{}“",
        "„{}”",
        "«{}»",
        "‘{}’",
        "‘{}‘",
        "’{}’",
        "‚{}‘",
        "‚{}’",
    ],
)
def test_every_quote_pair_keeps_value_exactly(quoted: str) -> None:
    """Each accepted quote pair delivers spaces, newlines, tabs, Cyrillic and emoji as typed."""
    value = "  Кот 🐈\n\tв шляпе  "
    assert _values(f"{WORKFLOW_ID} text={quoted.format(value)} n=1") == {"text": value, "n": "1"}


def test_quoted_value_may_hold_other_kinds_of_quotes() -> None:
    """Quotes of another pair inside a quoted value are ordinary characters."""
    assert _values(f"""{WORKFLOW_ID} a=«he said "hi"» b='«ёлочки»'""") == {
        "a": 'he said "hi"',
        "b": "«ёлочки»",
    }


def test_backslash_escapes_quote_and_backslash_only() -> None:
    """Inside quotes \\" and \\\\ are escapes; any other backslash stays as typed."""
    text = WORKFLOW_ID + r' a="say \"hi\" \\ done" b="C:\path\n" c=«x \» y»'
    assert _values(text) == {"a": 'say "hi" \\ done', "b": "C:\\path\\n", "c": "x » y"}


def test_unquoted_value_runs_to_whitespace_and_keeps_quotes_inside() -> None:
    """An unquoted value ends at whitespace; quotes and = inside it are ordinary characters."""
    assert _values(f"{WORKFLOW_ID} a=it's b=x=y\u00a0c=\\n") == {
        "a": "it's",
        "b": "x=y",
        "c": "\\n",
    }


def test_any_whitespace_separates_tokens() -> None:
    """Newlines, tabs and repeated spaces around tokens are all separators."""
    assert _values(f"\n  {WORKFLOW_ID}\n\ta=1 \n b=2  ") == {"a": "1", "b": "2"}


def test_quoted_empty_value_is_empty_string() -> None:
    """text="" gives an empty string."""
    assert _values(f'{WORKFLOW_ID} text="" neg=«»') == {"text": "", "neg": ""}


def test_comfyui_style_node_ids_are_accepted() -> None:
    """Node ids such as 12:3 and names with _ or - split into node id and field."""
    params = parse_run(f"{WORKFLOW_ID} 12:3.seed=1 my_node-2.steps=4 _x=5").params
    assert [(p.node_id, p.field) for p in params] == [
        ("12:3", "seed"),
        ("my_node-2", "steps"),
        (None, "_x"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("190413690244920", "190413690244920"),
        ("19041369024492093460", "19041369024492093460"),
        (f"https://www.runninghub.ai/post/{WORKFLOW_ID}", WORKFLOW_ID),
        (f"http://runninghub.cn/workflow/{WORKFLOW_ID}", WORKFLOW_ID),
        (f"https://www.runninghub.cn/ai-detail/{WORKFLOW_ID}?inviteCode=abc", WORKFLOW_ID),
        (f"https://WWW.RunningHub.AI/en/post/{WORKFLOW_ID}/", WORKFLOW_ID),
        (f"runninghub.ai/post/{WORKFLOW_ID}", WORKFLOW_ID),
        (f"https://www.runninghub.ai/workflow?workflowId={WORKFLOW_ID}", WORKFLOW_ID),
        (f"https://www.runninghub.ai/post/1234567890123456?workflowId={WORKFLOW_ID}", WORKFLOW_ID),
    ],
)
def test_workflow_ids_and_links(text: str, expected: str) -> None:
    """Ids of 15–20 digits and runninghub.ai/.cn links of every documented form give the id."""
    assert parse_run(text).workflow == WorkflowRef("id", expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("portrait", "portrait"), ("My-Preset_2", "my-preset_2"), ("x" * 32, "x" * 32), ("1a", "1a")],
)
def test_preset_names_are_lower_cased(text: str, expected: str) -> None:
    """Preset names are case-insensitive and normalised to lower case."""
    assert parse_run(text).workflow == WorkflowRef("preset", expected)


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        ("", "parse.missing_workflow", {}),
        ("  \n ", "parse.missing_workflow", {}),
        ("text=hello", "parse.missing_workflow", {}),
        ("12345", "parse.workflow_id_length", {"value": "12345"}),
        ("123456789012345678901", "parse.workflow_id_length", {"value": "123456789012345678901"}),
        ("x" * 33, "parse.workflow_invalid", {"value": "x" * 33}),
        ("кот", "parse.workflow_invalid", {"value": "кот"}),
        ("\u212aelvin", "parse.workflow_invalid", {"value": "\u212aelvin"}),
        (f"https://example.com/post/{WORKFLOW_ID}", "parse.workflow_url_host", {"host": "example.com"}),
        (f"https://runninghub.ai@evil.io/post/{WORKFLOW_ID}", "parse.workflow_url_host", {"host": "evil.io"}),
        ("https://www.runninghub.ai/post/", "parse.workflow_url_no_id", {"value": "https://www.runninghub.ai/post/"}),
        ("ftp://runninghub.ai/post/1904136902449209346", "parse.workflow_invalid", {"value": "ftp://runninghub.ai/post/19041369024492…"}),
        ("http://[runninghub.ai/post/1", "parse.workflow_invalid", {"value": "http://[runninghub.ai/post/1"}),
    ],
)  # fmt: skip
def test_workflow_errors(text: str, code: str, params: dict[str, str]) -> None:
    """Missing or unusable workflow references raise the matching error with its details."""
    error = _error(text)
    assert (error.code, error.params, error.usage) == (code, params, "usage.run")


@pytest.mark.parametrize(
    ("args", "code", "params"),
    [
        ('text="open', "parse.unterminated_quote", {"key": "text", "quote": '"'}),
        ("text=«кот", "parse.unterminated_quote", {"key": "text", "quote": "«"}),
        ('text="a\\"', "parse.unterminated_quote", {"key": "text", "quote": '"'}),
        ('text="a"b', "parse.text_after_quote", {"key": "text"}),
        ("text=«кот в «шляпе»»", "parse.text_after_quote", {"key": "text"}),
        ("steps", "parse.missing_equals", {"token": "steps"}),
        ("a=1 stray", "parse.missing_equals", {"token": "stray"}),
        ("steps=", "parse.empty_value", {"key": "steps"}),
        ("=5", "parse.bad_key", {"key": ""}),
        ("6.=x", "parse.bad_key", {"key": "6."}),
        (".text=x", "parse.bad_key", {"key": ".text"}),
        ("6.7.text=x", "parse.bad_key", {"key": "6.7.text"}),
        ("2text=x", "parse.bad_key", {"key": "2text"}),
        ("тект=x", "parse.bad_key", {"key": "тект"}),
        ("steps=1 steps=2", "parse.duplicate_key", {"key": "steps"}),
        ('6.text=a 6.text=""', "parse.duplicate_key", {"key": "6.text"}),
    ],
)
def test_param_errors(args: str, code: str, params: dict[str, str]) -> None:
    """Broken quoting, bare words, empty or bad keys and repeats raise the matching error."""
    error = _error(f"{WORKFLOW_ID} {args}")
    assert (error.code, error.params) == (code, params)


def test_error_parameters_are_shortened() -> None:
    """Long user text in an error is cut to 40 characters ending in an ellipsis."""
    error = _error(f"{WORKFLOW_ID} " + "w" * 100)
    assert error.params["token"] == "w" * 39 + "…"


def test_command_error_is_a_value_error_with_readable_str() -> None:
    """CommandError subclasses ValueError and its str names the code and parameters."""
    error = _error(f"{WORKFLOW_ID} steps")
    assert isinstance(error, ValueError)
    assert str(error) == "parse.missing_equals {'token': 'steps'}"
    assert repr(error).startswith("CommandError('parse.missing_equals'")
