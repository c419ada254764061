"""Property tests: the parser and resolver raise nothing but CommandError, and values round-trip."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands import (
    ERROR_CODES,
    QUOTES,
    USAGE_PRESET,
    USAGE_RUN,
    CommandError,
    InputSpec,
    MediaPlaceholder,
    NodeSchema,
    Param,
    RunRequest,
    WorkflowRef,
    WorkflowSchema,
    parse_preset,
    parse_run,
    resolve,
    schema_from_api_json,
)
from bot.i18n import SUPPORTED, for_language

PROPERTY = settings(max_examples=300, deadline=None, database=None)
SYNTAX = list("ab_1.9:=@ \t\n\\/?-") + list(QUOTES) + list("»“”’‘к👋")
WORKFLOWS = st.sampled_from(
    ["1904136902449209346", "portrait", "https://www.runninghub.ai/post/1904136902449209346"]
)
COMMAND_TEXT = st.one_of(
    st.text(),
    st.text(st.sampled_from(SYNTAX)),
    st.tuples(WORKFLOWS, st.text(st.sampled_from(SYNTAX))).map(" ".join),
)
SEPARATORS = st.text(st.sampled_from([" ", "\t", "\n", "\u00a0", "\u2003"]), min_size=1, max_size=3)
FIELDS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
NODE_IDS = st.from_regex(r"[A-Za-z0-9:_-]{1,6}", fullmatch=True)
KEYS = st.one_of(FIELDS, st.tuples(NODE_IDS, FIELDS).map(".".join))


def _assert_renders(error: CommandError, usage: str) -> None:
    """Check the error's code is registered and its message and usage render in every language."""
    assert error.code in ERROR_CODES
    assert error.usage == usage
    assert all(isinstance(value, str) for value in error.params.values())
    for language in SUPPORTED:
        translator = for_language(language)
        assert translator.t(error.code, **error.params)
        assert translator.t(error.usage)


@PROPERTY
@given(COMMAND_TEXT)
def test_parse_run_returns_request_or_command_error(text: str) -> None:
    """For any text parse_run returns a RunRequest or raises a renderable CommandError."""
    try:
        assert isinstance(parse_run(text), RunRequest)
    except CommandError as error:
        _assert_renders(error, USAGE_RUN)


@PROPERTY
@given(st.one_of(COMMAND_TEXT, COMMAND_TEXT.map("save fox ".__add__)))
def test_parse_preset_returns_command_or_command_error(text: str) -> None:
    """For any text parse_preset returns a command or raises a renderable CommandError."""
    try:
        parse_preset(text)
    except CommandError as error:
        _assert_renders(error, USAGE_PRESET)


def _encode(value: str | None, opener: str) -> str:
    """Write ``value`` so the parser reads it back (None: the media marker @): bare when safe,
    else in ``opener`` quotes with backslash before backslashes and closing quotes."""
    if value is None:
        return "@"
    safe = value and value != "@" and value[0] not in QUOTES
    if safe and not any(char.isspace() for char in value):
        return value
    special = set(QUOTES[opener]) | {"\\"}
    body = "".join("\\" + char if char in special else char for char in value)
    return opener + body + QUOTES[opener][0]


@PROPERTY
@given(
    workflow=WORKFLOWS,
    items=st.lists(
        st.tuples(
            KEYS, st.one_of(st.text(), st.just("@"), st.none()), st.sampled_from(list(QUOTES))
        ),
        unique_by=lambda item: item[0],
        max_size=6,
    ),
    separators=st.lists(SEPARATORS, min_size=8, max_size=8),
)
def test_generated_params_round_trip(
    workflow: str, items: list[tuple[str, str | None, str]], separators: list[str]
) -> None:
    """Encoded params with arbitrary values, in any quote style, parse back exactly."""
    tokens = [f"{key}={_encode(value, opener)}" for key, value, opener in items]
    text = separators[0] + workflow
    for separator, token in zip(separators[1:], tokens, strict=False):
        text += separator + token
    request = parse_run(text + separators[-1])
    assert [(p.key, p.raw) for p in request.params] == [
        (key, "@" if value is None else value) for key, value, _ in items
    ]
    assert [p.is_media for p in request.params] == [value is None for _, value, _ in items]
    assert [(p.node_id, p.field) for p in request.params] == [
        (key.partition(".")[0], key.partition(".")[2]) if "." in key else (None, key)
        for key, _, _ in items
    ]
    assert request.workflow.value in workflow.lower()


SCHEMA_NODE_IDS = st.sampled_from(["3", "6", "10", "12:3", "a"])
SCHEMA_FIELDS = st.sampled_from(["text", "seed", "image", "video", "file", "audio", "cfg"])
CLASS_TYPES = st.sampled_from(
    ["LoadImage", "LoadImageMask", "LoadVideo", "VHS_LoadVideo", "LoadAudio", "KSampler", ""]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)
INPUT_VALUES = st.one_of(
    JSON, st.tuples(SCHEMA_NODE_IDS, st.integers(0, 2)).map(list), st.sampled_from([1, 7.5, True])
)
API_NODES = st.fixed_dictionaries(
    {"class_type": CLASS_TYPES, "inputs": st.dictionaries(SCHEMA_FIELDS, INPUT_VALUES, max_size=4)},
    optional={"_meta": st.fixed_dictionaries({"title": st.text(max_size=30)})},
)
DIRECT_SCHEMAS = st.builds(
    WorkflowSchema,
    st.dictionaries(
        SCHEMA_NODE_IDS,
        st.builds(
            NodeSchema,
            node_id=st.text(max_size=3),
            class_type=CLASS_TYPES,
            title=st.none() | st.text(max_size=30),
            inputs=st.dictionaries(
                SCHEMA_FIELDS,
                st.builds(InputSpec, st.text(max_size=3), INPUT_VALUES, st.booleans()),
                max_size=4,
            ),
        ),
        max_size=5,
    ),
)
SCHEMAS = st.one_of(
    st.none(),
    st.dictionaries(SCHEMA_NODE_IDS, API_NODES, max_size=5).map(schema_from_api_json),
    DIRECT_SCHEMAS,
)
PARAMS = st.builds(
    Param,
    key=st.text(max_size=8),
    node_id=st.none() | SCHEMA_NODE_IDS | st.text(max_size=3),
    field=SCHEMA_FIELDS | st.text(max_size=5),
    raw=st.text(max_size=20) | st.sampled_from(["1", "7,5", "yes", "нет", "@", "-3", "1e999", "x"]),
    is_media=st.booleans(),
)


@PROPERTY
@given(
    params=st.lists(PARAMS, max_size=4),
    schema=SCHEMAS,
    media=st.sampled_from([None, "image", "video", "audio"]),
)
def test_resolve_returns_overrides_or_command_error(
    params: list[Param], schema: WorkflowSchema | None, media: Any
) -> None:
    """For random schemas and params resolve yields unique typed overrides or a CommandError."""
    try:
        overrides = resolve(params, schema, media_kind=media)
    except CommandError as error:
        _assert_renders(error, USAGE_RUN)
        return
    targets = [(o.node_id, o.field) for o in overrides]
    assert len(set(targets)) == len(targets)
    assert all(isinstance(o.value, str | int | float | MediaPlaceholder) for o in overrides)
    assert all(
        o.value == MediaPlaceholder(media)
        for o in overrides
        if isinstance(o.value, MediaPlaceholder)
    )


@PROPERTY
@given(st.dictionaries(st.text(max_size=4), JSON, max_size=5))
def test_schema_from_api_json_accepts_any_json_object(prompt: dict[str, Any]) -> None:
    """Any JSON object becomes a schema with one node per object-valued entry."""
    schema = schema_from_api_json(prompt)
    assert set(schema.nodes) == {key for key, node in prompt.items() if isinstance(node, dict)}


def test_workflow_ref_is_hashable_value() -> None:
    """Parsed values are frozen: equal inputs give equal, hashable results."""
    assert hash(parse_run("Fox").workflow) == hash(WorkflowRef("preset", "fox"))
