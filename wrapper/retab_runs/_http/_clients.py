"""`DefaultHttpxClient` and `DefaultAsyncHttpxClient`: httpx clients as `Retab` builds its own.

Pass one as `http_client` to change what httpx lets you change (a proxy, pool
limits, event hooks, headers) and keep what this library's transports add: the
whole-attempt deadline, the framing check, a pool per process after a fork
and per event loop, an async pool that survives cancelled calls and 1,000
calls at once. A plain `httpx.Client` works too, with
httpx's own transports and none of those.

Proxies, as httpx reads them: `proxy=` for every request, or else (with
`trust_env`, the default) HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY.
Two rules of ours on top: loopback hosts are never proxied (a fake server on
127.0.0.1 stays reachable behind a corporate proxy), and an http:// request
is never sent through a proxy (the proxy would read the API key):
ConfigurationError instead.

httpcore is imported when the first client is built, not with `retab_runs`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.request import getproxies

import httpx

from .._config import LOOPBACK_HOSTS
from ..errors import ConfigurationError, ConfigurationTypeError

__all__ = ["DefaultAsyncHttpxClient", "DefaultHttpxClient", "environment_proxies"]

T = TypeVar("T")
ProxyArg = str | httpx.URL | httpx.Proxy | None


def _host_pattern(host: str) -> str:
    """NO_PROXY's host as an httpx mount pattern (curl's rules, as httpx applies them)."""
    if "://" in host:
        return host
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"all://{host}" if host.lower() == "localhost" else f"all://*{host}"
    return f"all://[{host}]" if address.version == 6 else f"all://{host}"


def environment_proxies() -> dict[str, str | None]:
    """Mount patterns to proxy URLs (None: no proxy) from the environment, as httpx reads it."""
    found = getproxies()
    no_proxy = [host.strip() for host in found.get("no", "").split(",")]
    if "*" in no_proxy:
        return {}
    mounts: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        if found.get(scheme):
            url = found[scheme]
            mounts[f"{scheme}://"] = url if "://" in url else f"http://{url}"
    mounts.update({_host_pattern(host): None for host in no_proxy if host})
    return mounts


def _as_proxy(value: str | httpx.URL | httpx.Proxy) -> httpx.Proxy:
    if isinstance(value, httpx.Proxy):
        return value
    try:
        return httpx.Proxy(value)
    except (ValueError, httpx.InvalidURL):
        scheme = str(value).partition("://")[0][:20]
        raise ConfigurationError(
            f"Proxy URL must be http, https, socks5 or socks5h (got scheme {scheme!r})"
        ) from None


def _mounts(
    proxy: ProxyArg, trust_env: bool, make: Callable[[httpx.Proxy], T]
) -> dict[str, T | None]:
    """httpx mounts: a transport per proxy, none (the direct one) for exempt hosts."""
    if proxy is not None:
        wanted: dict[str, Any] = {"all://": proxy}
    elif trust_env:
        wanted = environment_proxies()
    else:
        return {}
    if not any(wanted.values()):
        return {}
    mounts: dict[str, T | None] = {
        pattern: None if url is None else make(_as_proxy(url)) for pattern, url in wanted.items()
    }
    mounts.update({_host_pattern(host): None for host in LOOPBACK_HOSTS})
    return mounts


def _client_arguments(
    make: Callable[[httpx.Proxy | None, httpx.Limits | None], Any],
    proxy: ProxyArg,
    limits: httpx.Limits | None,
    trust_env: bool,
    kwargs: dict[str, Any],
) -> dict[str, Any]:
    """httpx's client arguments: our transport (`make`), one per proxy, and the caller's rest."""
    for name in ("transport", "mounts", "proxies"):
        if name in kwargs:
            raise ConfigurationTypeError(
                f"{name}= would replace this client's transports; pass proxy= or use httpx.Client"
            )
    return {
        "follow_redirects": False,
        **kwargs,
        "transport": make(None, limits),
        "mounts": _mounts(proxy, trust_env, lambda url: make(url, limits)),
        "trust_env": trust_env,
    }


class DefaultHttpxClient(httpx.Client):
    """An `httpx.Client` with this library's transports and defaults (see the module)."""

    def __init__(
        self,
        *,
        proxy: ProxyArg = None,
        limits: httpx.Limits | None = None,
        trust_env: bool = True,
        **kwargs: Any,
    ) -> None:
        from ._transport import sync_transport  # noqa: PLC0415 (cold start: httpcore)

        super().__init__(**_client_arguments(sync_transport, proxy, limits, trust_env, kwargs))


class DefaultAsyncHttpxClient(httpx.AsyncClient):
    """An `httpx.AsyncClient` with this library's transports and defaults (see the module)."""

    def __init__(
        self,
        *,
        proxy: ProxyArg = None,
        limits: httpx.Limits | None = None,
        trust_env: bool = True,
        **kwargs: Any,
    ) -> None:
        from ._transport import async_transport  # noqa: PLC0415 (cold start: httpcore)

        super().__init__(**_client_arguments(async_transport, proxy, limits, trust_env, kwargs))
