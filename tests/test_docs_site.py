"""The documentation site as a reader opens it: built with mkdocs, browsed from disk."""

from __future__ import annotations

import html.parser
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("mkdocs is a dev tool (scripts/_venv.sh dev installs it)")
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [Path(sys.executable).parent / "mkdocs", "build", "--quiet", "--site-dir", str(out)],
        cwd=ROOT, check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    return out


def test_every_link_between_pages_opens_a_file_from_disk(site: Path) -> None:
    """`usage/` opened a directory listing over file://: pages are `usage.html` now."""
    # 404.html is a web server's page (its links are absolute): not opened from disk.
    pages = sorted(page for page in site.glob("*.html") if page.name != "404.html")
    assert {"index.html", "usage.html", "cli.html", "analysis.html"} <= {p.name for p in pages}
    checked = 0
    for page in pages:
        parsed = _Links()
        parsed.feed(page.read_text(encoding="utf-8"))
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, or a place in this page
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.name}: {link} is not a file on disk"
            checked += 1
    assert checked > 50
