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

import os
import re
from collections.abc import Mapping

import attrs
import httpx

from .errors import MissingCredentialsError

DEFAULT_BASE_URL = "https://api.retab.com"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
API_KEY_ENV = "RETAB_API_KEY"
BASE_URL_ENV = "RETAB_API_BASE_URL"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# Printable ASCII without spaces: what an HTTP header or a query value can carry
# unmangled. Checked so a pasted key with a newline fails here, clearly.
_CREDENTIAL = re.compile(r"[\x21-\x7e]+")


def _check_credential(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not _CREDENTIAL.fullmatch(value):
        raise ValueError(
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
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"timeout must be a number of seconds or httpx.Timeout, not {value!r}")
    if value <= 0:
        raise ValueError("timeout must be positive")
    return httpx.Timeout(float(value), connect=min(float(value), DEFAULT_TIMEOUT.connect or 5.0))


@attrs.frozen
class Settings:
    """Resolved client settings. The secrets are kept out of repr()."""

    api_key: str | None = attrs.field(repr=False)
    access_token: str | None = attrs.field(repr=False)
    base_url: httpx.URL
    timeout: httpx.Timeout
    max_retries: int

    @property
    def secrets(self) -> tuple[str | None, str | None]:
        """The values to mask wherever text may reach a user or a log."""
        return (self.api_key, self.access_token)


def resolve(
    *,
    api_key: str | None,
    access_token: str | None,
    base_url: str | httpx.URL | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int,
    allow_insecure_http: bool,
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
    if not isinstance(base_url, str | httpx.URL):
        raise TypeError(f"base_url must be a str, not {type(base_url).__name__}")
    url = httpx.URL(base_url)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an http(s) URL with a host, not {str(base_url)!r}")
    if url.scheme == "http" and url.host not in LOOPBACK_HOSTS and not allow_insecure_http:
        raise ValueError(
            f"Refusing plain http to {url.host}: the API key would travel unencrypted. "
            "Use https, or pass allow_insecure_http=True if you really mean it."
        )
    if url.query or url.fragment:
        raise ValueError("base_url must not carry a query or fragment")
    # Retab's SDK takes RETAB_API_BASE_URL with the version (".../v1"); the
    # spec's paths carry it already, so the same setting must not double it.
    path = url.path.rstrip("/")
    if path.endswith("/v1"):
        url = url.copy_with(path=path.removesuffix("v1"))

    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise TypeError("max_retries must be an int")
    if max_retries < 0:
        raise ValueError("max_retries must be 0 or more")

    return Settings(
        api_key=api_key,
        access_token=access_token,
        base_url=url,
        timeout=to_timeout(timeout),
        max_retries=max_retries,
    )


def check_id(name: str, value: object) -> str:
    """A workflow or experiment id, refused before sending when it cannot be one.

    Ids are percent-encoded into their own path segment by the generated
    client; "." and ".." are refused because HTTP clients resolve them as
    relative path steps, which would move the request off the endpoint.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    if value in (".", ".."):
        raise ValueError(f"{name} cannot be {value!r}")
    return value
