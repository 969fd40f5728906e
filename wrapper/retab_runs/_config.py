"""Client settings, read in one place: the argument, else the environment, else a default.

    api_key       argument, else RETAB_API_KEY
    base_url      argument, else RETAB_API_BASE_URL, else https://api.retab.com
    access_token  argument only (a per-user credential, never read from the environment)

A base URL ending in `/v1` (the form Retab's own SDK uses) is accepted:
the spec's paths already start with /v1, so it is not doubled.

With neither a key nor an access token the client refuses to start
(MissingCredentialsError), and it refuses a plain-http base URL to any host
but this machine unless `allow_insecure_http=True`: the key would travel in
clear.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

import attrs
import httpx

from _retab_runs_runtime import Model, Operation

from ._constants import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_TIMEOUT,
    FRAMING_HEADERS,
    MAX_ID_LENGTH,
    MIN_MAX_RESPONSE_SIZE,
    SECRET_HEADERS,
)
from ._redact import preview
from .errors import ConfigurationError, ConfigurationTypeError, MissingCredentialsError

__all__ = [
    "LOOPBACK_HOSTS",
    "Settings",
    "check_base_url",
    "check_count",
    "check_headers",
    "check_id",
    "check_max_retries",
    "check_query",
    "check_seconds",
    "check_size",
    "merge_headers",
    "preview",
    "request_error",
    "resolve",
    "secret_values",
    "to_timeout",
]

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# Printable ASCII without spaces: what an HTTP header or a query value can carry
# unmangled. Checked so a pasted key with a newline fails here, clearly.
_CREDENTIAL = re.compile(r"[\x21-\x7e]+")
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_VALUE = re.compile(r"[\x20-\x7e\t]*")


def _check_credential(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise ConfigurationTypeError(f"{name} must be a str, not {type(value).__name__}")
    if not _CREDENTIAL.fullmatch(value):
        raise ConfigurationError(
            f"{name} must be non-empty printable ASCII without spaces "
            "(check for a stray newline or quote)"
        )
    return value


def to_timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    """An httpx.Timeout from seconds (connect capped at the default 5 s), or the default."""
    if value is None:
        return DEFAULT_TIMEOUT
    if isinstance(value, httpx.Timeout):
        return value
    seconds = check_seconds("timeout", value, "a number of seconds or httpx.Timeout")
    return httpx.Timeout(seconds, connect=min(seconds, DEFAULT_TIMEOUT.connect or 5.0))


def check_seconds(name: str, value: object, kind: str = "a number of seconds") -> float:
    """A positive, finite number of seconds, as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationTypeError(f"{name} must be {kind}, not {preview(value)}")
    if not math.isfinite(value) or value <= 0:
        raise ConfigurationError(f"{name} must be a positive, finite number, not {value!r}")
    return float(value)


@attrs.frozen
class Settings:
    """Resolved client settings. The secrets are kept out of repr()."""

    api_key: str | None = attrs.field(repr=False)
    access_token: str | None = attrs.field(repr=False)
    base_url: httpx.URL
    timeout: httpx.Timeout
    max_retries: int
    default_headers: dict[str, str] = attrs.field(factory=dict, repr=False)
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE

    @property
    def secrets(self) -> tuple[str | None, ...]:
        """The values to mask wherever text may reach a user or a log."""
        return (self.api_key, self.access_token, *secret_values(self.default_headers))


def secret_values(headers: Mapping[str, str]) -> list[str]:
    """The values of credential headers among `headers`, and the credential of an
    `Authorization: <scheme> <credential>` alone (what a server echoes back)."""
    found = []
    for name, value in headers.items():
        lowered = name.lower()
        if lowered in SECRET_HEADERS:
            found.append(value)
            credential = value.partition(" ")[2].strip()
            if lowered.endswith("authorization") and credential:
                found.append(credential)
    return found


def check_headers(name: str, headers: object) -> dict[str, str]:
    """A dict of header names to values, checked as HTTP can carry them.

    Refused: characters a header cannot carry, a value with whitespace at
    either end (HTTP drops it, h11 refuses it), a header that frames the
    message (`FRAMING_HEADERS`: the client writes those), and an empty or
    blank `Idempotency-Key` (it would name no call).
    """
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise ConfigurationTypeError(f"{name} must be a mapping of str to str")
    out = {}
    for key, value in headers.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ConfigurationTypeError(f"{name} must map str to str, not {preview(key)}")
        if not _HEADER_NAME.fullmatch(key) or not _HEADER_VALUE.fullmatch(value):
            raise ConfigurationError(
                f"{name}: header {preview(key)} has characters HTTP headers cannot carry"
            )
        lowered = key.lower()
        if lowered in FRAMING_HEADERS:
            raise ConfigurationError(
                f"{name}: {preview(key)} frames the request; the client sets it, not a caller"
            )
        if lowered == "idempotency-key" and not value.strip():
            raise ConfigurationError(f"{name}: an idempotency key cannot be empty or blank")
        if value != value.strip(" \t"):
            raise ConfigurationError(
                f"{name}: header {preview(key)} has whitespace at an end of its value, "
                "which HTTP would drop"
            )
        out[key] = value
    return out


def merge_headers(*layers: Mapping[str, str]) -> dict[str, str]:
    """Headers of each layer over the earlier ones', names compared without case (HTTP's
    rule): a caller's `api-key` replaces `Api-Key` instead of travelling beside it."""
    merged: dict[str, tuple[str, str]] = {}
    for layer in layers:
        for key, value in layer.items():
            merged[key.lower()] = (key, value)
    return dict(merged.values())


def check_query(name: str, query: object) -> dict[str, str]:
    """A dict of query parameter names to string values."""
    if query is None:
        return {}
    if not isinstance(query, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in query.items()
    ):
        raise ConfigurationTypeError(f"{name} must be a mapping of str to str")
    for key, value in query.items():
        _check_text(f"{name}[{preview(key)}]", key + value)
    return dict(query)


def check_count(name: str, value: object, minimum: int) -> int:
    """A whole number of at least `minimum` (a bool is not one)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationTypeError(f"{name} must be an int, not {preview(value)}")
    if value < minimum:
        raise ConfigurationError(f"{name} must be {minimum} or more, not {value}")
    return value


def check_max_retries(value: object) -> int:
    return check_count("max_retries", value, 0)


def _check_text(name: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ConfigurationError(f"{name} is not valid text (a lone surrogate?)") from None


def resolve(
    *,
    api_key: str | None,
    access_token: str | None,
    base_url: str | httpx.URL | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int,
    allow_insecure_http: bool,
    default_headers: Mapping[str, str] | None = None,
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Settings from the arguments, then the environment, then the defaults."""
    env = os.environ if environ is None else environ
    if api_key is None:
        api_key = env.get(API_KEY_ENV) or None
    if api_key is not None:
        api_key = _check_credential("api_key", api_key)
    if access_token is not None:
        access_token = _check_credential("access_token", access_token)
    if api_key is None and access_token is None:
        raise MissingCredentialsError(
            f"No Retab credentials: pass api_key=... (or access_token=...) to the client, "
            f"or set the {API_KEY_ENV} environment variable."
        )

    if base_url is None:
        base_url = env.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    url = check_base_url(base_url, allow_insecure_http)
    max_retries = check_max_retries(max_retries)

    return Settings(
        api_key=api_key,
        access_token=access_token,
        base_url=url,
        timeout=to_timeout(timeout),
        max_retries=max_retries,
        default_headers=check_headers("default_headers", default_headers),
        max_response_size=check_size(max_response_size),
    )


def check_size(value: object) -> int:
    """A response size limit in bytes (at least 1 KiB)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationTypeError(f"max_response_size must be an int, not {preview(value)}")
    if value < MIN_MAX_RESPONSE_SIZE:
        raise ConfigurationError(
            f"max_response_size must be at least {MIN_MAX_RESPONSE_SIZE} bytes, not {value}"
        )
    return value


def check_base_url(base_url: object, allow_insecure_http: bool) -> httpx.URL:
    """The base URL, refused with the reason when requests could not safely use it."""
    if not isinstance(base_url, str | httpx.URL):
        raise ConfigurationTypeError(f"base_url must be a str, not {type(base_url).__name__}")
    raw = str(base_url)
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw):
        raise ConfigurationError("base_url must not contain spaces or control characters")
    try:
        url = httpx.URL(raw)
        port = url.port
    except (httpx.InvalidURL, ValueError):
        raise ConfigurationError(f"base_url is not a valid URL: {preview(raw, 60)}") from None
    if port is not None and not 0 < port < 65536:
        raise ConfigurationError(f"base_url is not a valid URL (port {port})")
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(
            f"base_url must be an http(s) URL with a host, not {preview(raw, 60)}"
        )
    if url.userinfo:
        # Refused rather than masked: httpx would send it as Basic auth to
        # Retab, and a password in a URL leaks into logs and reprs.
        raise ConfigurationError(
            "base_url must not carry a user name or password; pass api_key instead"
        )
    if url.scheme == "http" and url.host not in LOOPBACK_HOSTS and not allow_insecure_http:
        raise ConfigurationError(
            f"Refusing plain http to {url.host}: the API key would travel unencrypted. "
            "Use https, or pass allow_insecure_http=True if you really mean it."
        )
    if url.query or url.fragment or "?" in raw or "#" in raw:
        raise ConfigurationError("base_url must not carry a query or fragment")
    # Retab's SDK takes RETAB_API_BASE_URL with the version (".../v1"); the
    # spec's paths carry it already, so the same setting must not double it.
    path = url.path.rstrip("/")
    if path.endswith("/v1"):
        url = url.copy_with(path=path.removesuffix("v1"))
    return url


def check_id(name: str, value: object) -> str:
    """An id sent in a path segment, refused before sending when it cannot be one.

    Ids are percent-encoded into their own path segment by the generated
    client; "." and ".." are refused because HTTP clients resolve them as
    relative path steps, which would move the request off the endpoint.
    """
    if not isinstance(value, str):
        raise ConfigurationTypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string")
    if value in (".", ".."):
        raise ConfigurationError(f"{name} cannot be {value!r}")
    if len(value) > MAX_ID_LENGTH:
        raise ConfigurationError(
            f"{name} is {len(value)} characters long, over {MAX_ID_LENGTH}: {preview(value)}"
        )
    _check_text(name, value)
    return value


def request_error(
    operation: Operation[Any],
    values: Mapping[str, object],
    extra_query: Mapping[str, str],
    base_url: str,
) -> ConfigurationError:
    """Why httpx could not build a call's request, naming the argument at fault.

    httpx refuses text that is not valid Unicode (a lone surrogate) in the
    URL or the JSON body, and a URL (or its query) longer than 65,536
    characters; ids are checked before (`check_id`), so what is left is an
    argument with such text, or the longest part of a URL too long once
    percent-encoded.
    """
    given = [(param.python_name, values.get(param.python_name)) for param in operation.params]
    given += [(f"extra_query[{preview(key)}]", [key, value]) for key, value in extra_query.items()]
    for name, value in given:
        for text in _strings(value):
            _check_text(name, text)
    in_url = {p.python_name for p in operation.params if p.location in ("path", "query")}
    sizes = {
        name: sum(len(quote(text, safe="")) for text in _strings(value))
        for name, value in given
        if name in in_url or name.startswith("extra_query[")
    }
    sizes["base_url"] = len(base_url)
    longest = max(sizes, key=sizes.__getitem__)
    return ConfigurationError(
        f"the request's URL would pass the 65,536 characters a URL may hold: {longest} "
        f"takes {sizes[longest]:,} of them, percent-encoded"
    )


def _strings(value: object) -> Iterator[str]:
    """The text an argument holds, however nested (walked without recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, Model):
            stack.append(item.to_dict())
        elif isinstance(item, Mapping):
            stack.extend(item.items())
        elif isinstance(item, list | tuple):
            stack.extend(item)
