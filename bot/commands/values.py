"""Convert a typed value to the type of the input's current literal.

* bool literal: true/false, yes/no, on/off, 1/0, да/нет (any case).
* int literal: an optional sign and ASCII digits → int. Because ComfyUI's web editor saves
  whole floats as integers (``"cfg": 8``), a decimal such as ``7.5`` or ``7,5`` is accepted
  too and becomes a float.
* float literal: ``7.5``, ``7,5``, ``8``, ``1e-3`` → float (finite only).
* anything else (text, or no usable literal): the text as typed.
"""

from __future__ import annotations

import math
import re
from typing import Final

from bot.commands.errors import CommandError, shorten

_INT: Final = re.compile(r"[+-]?[0-9]+")
_FLOAT: Final = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
_MAX_NUMBER_LENGTH: Final = 64
_TRUE: Final = frozenset({"true", "yes", "on", "1", "да"})
_FALSE: Final = frozenset({"false", "no", "off", "0", "нет"})


def convert(key: str, raw: str, current: object) -> str | int | float | bool:
    """Return ``raw`` converted for an input whose current value is ``current``."""
    if isinstance(current, bool):
        return _to_bool(key, raw)
    if isinstance(current, int):
        return _to_number(key, raw, whole=True)
    if isinstance(current, float):
        return _to_number(key, raw, whole=False)
    return raw


def _to_bool(key: str, raw: str) -> bool:
    word = raw.strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CommandError("resolve.not_bool", {"key": shorten(key), "value": shorten(raw)})


def _to_number(key: str, raw: str, *, whole: bool) -> int | float:
    text = raw.strip()
    if len(text) <= _MAX_NUMBER_LENGTH:
        if _INT.fullmatch(text):
            return int(text) if whole else float(text)
        if _FLOAT.fullmatch(text):
            number = float(text.replace(",", "."))
            if math.isfinite(number):
                return number
    raise CommandError("resolve.not_number", {"key": shorten(key), "value": shorten(raw)})
