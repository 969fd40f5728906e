"""What of a text may be shown: secrets masked in every form a server echoes them, text bounded.

A server can send the API key or the access token back in an error body, a
header, a reason phrase or a request id, raw or encoded: `mask` replaces
every form with `***` (one pattern per secret, built once per call from
per-character alternatives), `mask_json` does so inside decoded JSON
without recursing. `one_line` and `preview` bound what a message shows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ._constants import MESSAGE_LIMIT

__all__ = ["MASK", "Secrets", "mask", "mask_json", "one_line", "preview", "secret_pattern"]

MASK = "***"
_MASK = MASK


# Characters a JSON encoder or Python's repr may write as a short escape.
_SHORT_ESCAPES = {"\t": "t", "\n": "n", "\r": "r", "\b": "b", "\f": "f"}


def _hex(value: int, width: int) -> str:
    """`value` as hex digits of either case (escapes and percent-encodings use both)."""
    return "".join(
        f"[{digit}{digit.upper()}]" if digit.isalpha() else digit for digit in f"{value:0{width}x}"
    )


@functools.lru_cache(maxsize=256)  # per character, never a secret: patterns build fast
def _char_pattern(char: str) -> str:
    """Every way one character of a secret travels: as is, percent-encoded (up to
    three times), backslash-escaped (JSON's `\\/` and `\\"`, a repr's `\\'`), as a
    `\\u`/`\\x` escape; an escape's backslash may itself be escaped (a JSON
    string inside a repr), up to 8 backslashes.

    Bounded repeats, not `+` or `*`: a server's 64 KiB of backslashes or of
    `%2525...` would otherwise cost a scan of the run at every position
    (quadratic: 41 s for one error body).
    """
    code = ord(char)
    forms = [re.escape(char)]
    encoded = char.encode("utf-8", "surrogatepass")
    forms += ["".join(f"%(?:25){{0,2}}{_hex(byte, 2)}" for byte in encoded)]
    escapes = [f"u{_hex(code, 4)}"] if code <= 0xFFFF else []
    if code <= 0xFF:
        escapes.append(f"x{_hex(code, 2)}")
    if char in _SHORT_ESCAPES:
        escapes.append(_SHORT_ESCAPES[char])
    elif not char.isalnum() and code < 0x80:
        escapes.append(re.escape(char))
    forms.append(rf"\\{{1,8}}(?:{'|'.join(escapes)})")
    if char == " ":
        forms.append(r"\+")  # form-encoded
    return f"(?:{'|'.join(forms)})"


def secret_pattern(secrets: Iterable[str | None]) -> re.Pattern[str] | None:
    """One pattern matching every non-empty secret in any form a server or a log may
    write it in (see `_char_pattern`), each character's form chosen freely; None
    when there is no secret. Longest secrets first, so one that holds another is
    masked whole."""
    found = sorted({secret for secret in secrets if secret}, key=len, reverse=True)
    if not found:
        return None
    return re.compile("|".join("".join(map(_char_pattern, secret)) for secret in found))


Secrets = Iterable[str | None] | re.Pattern[str] | None


def _pattern(secrets: Secrets) -> re.Pattern[str] | None:
    if isinstance(secrets, re.Pattern) or secrets is None:
        return secrets
    return secret_pattern(secrets)


def mask(text: str, secrets: Secrets) -> str:
    """`text` with every secret, in any of its echoed forms, replaced by `***`.

    `secrets` are the values, or their `secret_pattern` (compiled once for many texts).
    """
    pattern = _pattern(secrets)
    return text if pattern is None else pattern.sub(_MASK, text)


def mask_json(value: object, secrets: Secrets) -> object:
    """A decoded JSON value with every secret masked inside its strings (and keys).

    Walked with an explicit stack: a deeply nested body never recurses.
    """
    found = _pattern(secrets)
    if found is None:
        return value
    root: list[object] = [value]
    stack: list[tuple[list[object] | dict[str, object], int | str]] = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        item = parent[key]  # type: ignore[index]
        if isinstance(item, str):
            parent[key] = mask(item, found)  # type: ignore[index]
        elif isinstance(item, list):
            copy = list(item)
            parent[key] = copy  # type: ignore[index]
            stack.extend((copy, i) for i in range(len(copy)))
        elif isinstance(item, dict):
            masked = {mask(str(k), found): v for k, v in item.items()}
            parent[key] = masked  # type: ignore[index]
            stack.extend((masked, k) for k in masked)
    return root[0]


def preview(value: object, limit: int = 40) -> str:
    """`value` quoted for a message (its repr: control characters escaped), cut to `limit`."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """One line of at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
