"""Where the client's settings come from, and what it refuses to start with."""

from __future__ import annotations

import httpx
import pytest

from conftest import KEY, TOKEN
from retab_runs import AsyncRetab, MissingCredentialsError, Retab, RetabError


class TestCredentials:
    def test_key_from_argument(self) -> None:
        assert Retab(KEY)._settings.api_key == KEY

    def test_key_from_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("RETAB_API_KEY", KEY)
        assert Retab()._settings.api_key == KEY

    def test_argument_beats_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("RETAB_API_KEY", "sk-from-env")
        assert Retab(KEY)._settings.api_key == KEY

    def test_access_token_alone_is_enough(self) -> None:
        client = Retab(access_token=TOKEN)
        assert client._settings.api_key is None
        assert "Api-Key" not in client._headers

    @pytest.mark.parametrize("cls", [Retab, AsyncRetab])
    def test_no_credentials_names_argument_and_variable(
        self, cls: type[Retab] | type[AsyncRetab]
    ) -> None:
        with pytest.raises(MissingCredentialsError) as info:
            cls()
        assert isinstance(info.value, RetabError)
        assert "api_key" in str(info.value)
        assert "RETAB_API_KEY" in str(info.value)

    def test_empty_environment_variable_counts_as_missing(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RETAB_API_KEY", "")
        with pytest.raises(MissingCredentialsError):
            Retab()

    @pytest.mark.parametrize("bad", ["", " ", "sk-with\nnewline", "sk key", "sk-é"])
    def test_malformed_key_is_a_value_error_that_does_not_echo_it(self, bad: str) -> None:
        with pytest.raises(ValueError) as info:
            Retab(bad)
        assert bad.strip() == "" or bad not in str(info.value)

    def test_key_of_wrong_type_is_a_type_error(self) -> None:
        with pytest.raises(TypeError, match="api_key must be a str"):
            Retab(123)  # type: ignore[arg-type]


class TestBaseUrl:
    def test_default_is_production(self) -> None:
        assert str(Retab(KEY).base_url) == "https://api.retab.com"

    def test_from_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("RETAB_API_BASE_URL", "https://eu.retab.example")
        assert str(Retab(KEY).base_url) == "https://eu.retab.example"

    def test_argument_beats_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("RETAB_API_BASE_URL", "https://eu.retab.example")
        client = Retab(KEY, base_url="https://us.retab.example")
        assert str(client.base_url) == "https://us.retab.example"

    @pytest.mark.parametrize(
        "url", ["http://localhost:8000", "http://127.0.0.1:9", "http://[::1]:8080"]
    )
    def test_plain_http_to_this_machine_is_allowed(self, url: str) -> None:
        assert Retab(KEY, base_url=url).base_url == httpx.URL(url)

    def test_plain_http_elsewhere_is_refused(self) -> None:
        with pytest.raises(ValueError, match="allow_insecure_http"):
            Retab(KEY, base_url="http://api.retab.com")

    def test_plain_http_elsewhere_with_explicit_opt_in(self) -> None:
        client = Retab(KEY, base_url="http://proxy.internal", allow_insecure_http=True)
        assert client.base_url.scheme == "http"

    @pytest.mark.parametrize("url", ["ftp://api.retab.com", "api.retab.com", "https://h/?a=1"])
    def test_unusable_urls_are_refused(self, url: str) -> None:
        with pytest.raises(ValueError, match="base_url"):
            Retab(KEY, base_url=url)


class TestOtherSettings:
    def test_default_timeout_is_30s_read_5s_connect(self) -> None:
        timeout = Retab(KEY).timeout
        assert (timeout.read, timeout.connect) == (30.0, 5.0)

    def test_number_timeout(self) -> None:
        timeout = Retab(KEY, timeout=2.5).timeout
        assert (timeout.read, timeout.connect) == (2.5, 2.5)

    @pytest.mark.parametrize(
        ("bad", "error"), [(0, ValueError), (-1, ValueError), ("5", TypeError)]
    )
    def test_bad_timeout(self, bad: object, error: type[Exception]) -> None:
        with pytest.raises(error):
            Retab(KEY, timeout=bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize(("bad", "error"), [(-1, ValueError), (1.5, TypeError)])
    def test_bad_max_retries(self, bad: object, error: type[Exception]) -> None:
        with pytest.raises(error):
            Retab(KEY, max_retries=bad)  # type: ignore[arg-type]

    def test_http_client_of_the_wrong_kind_is_refused(self) -> None:
        with pytest.raises(TypeError, match="AsyncRetab"):
            Retab(KEY, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="Retab"):
            AsyncRetab(KEY, http_client=httpx.Client())  # type: ignore[arg-type]

    def test_repr_shows_settings_but_no_secret(self) -> None:
        client = Retab(KEY, access_token=TOKEN)
        text = repr(client)
        assert "https://api.retab.com" in text
        assert KEY not in text and TOKEN not in text
        assert KEY not in repr(client._settings) and TOKEN not in repr(client._settings)
