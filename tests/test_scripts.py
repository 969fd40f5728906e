"""What a newcomer runs first: the install line, and scripts/test on machines unlike CI's
(finding or installing a browser never aborts it)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def find_browser(bin_dir: Path, log: Path) -> tuple[int, str, str]:
    """scripts/_browser.sh's `browser_for_tests` with only `bin_dir` on PATH."""
    done = subprocess.run(
        [
            "/bin/bash", "-c",
            # As scripts/test runs it: any failing command would end the run.
            f"set -euo pipefail; source {ROOT / 'scripts/_browser.sh'}; "
            'found="$(browser_for_tests)"; echo "$found"',
        ],
        env={"PATH": str(bin_dir), "LOG": str(log), "HOME": str(bin_dir)},
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    return done.returncode, done.stdout.strip(), done.stderr


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    found = tmp_path / "bin"
    found.mkdir()
    return found


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """What the fake apt-get and sudo were asked to do."""
    return tmp_path / "log"


def apt_that_installs(bin_dir: Path) -> None:
    """An apt-get that logs its arguments and, on install, puts a chromium on PATH."""
    fake(
        bin_dir,
        "apt-get",
        f'echo "apt-get $*" >> "$LOG"\n'
        f'[ "$1" = install ] && printf "#!/bin/sh\\n" > {bin_dir}/chromium '
        f"&& /bin/chmod +x {bin_dir}/chromium\nexit 0",
    )


def test_a_browser_on_path_is_used_and_nothing_installed(bin_dir: Path, log: Path) -> None:
    fake(bin_dir, "google-chrome", "exit 0")
    apt_that_installs(bin_dir)
    assert find_browser(bin_dir, log) == (0, str(bin_dir / "google-chrome"), "")
    assert not log.exists()


def test_without_root_nor_passwordless_sudo_it_skips_saying_why(bin_dir: Path, log: Path) -> None:
    """A locked-down laptop: the run goes on; the browser tests will skip."""
    fake(bin_dir, "id", "echo 1000")
    fake(bin_dir, "sudo", 'echo "sudo $*" >> "$LOG"; exit 1')  # it would ask for a password
    apt_that_installs(bin_dir)
    code, path, said = find_browser(bin_dir, log)
    assert (code, path) == (0, "")
    assert "installing one needs root: the browser tests skip" in said
    assert log.read_text() == "sudo -n true\n"  # asked without prompting, nothing installed


def test_with_passwordless_sudo_it_installs_debians_chromium(bin_dir: Path, log: Path) -> None:
    fake(bin_dir, "id", "echo 1000")
    fake(bin_dir, "sudo", 'echo "sudo $*" >> "$LOG"; shift; "$@"')
    apt_that_installs(bin_dir)
    code, path, said = find_browser(bin_dir, log)
    assert (code, path) == (0, str(bin_dir / "chromium"))
    assert "installing Debian's chromium" in said
    assert "sudo -n apt-get install -y -q chromium" in log.read_text()


def test_as_root_a_failed_install_still_lets_the_run_go_on(bin_dir: Path, log: Path) -> None:
    fake(bin_dir, "id", "echo 0")
    fake(bin_dir, "apt-get", 'echo "apt-get $*" >> "$LOG"; exit 100')
    code, path, said = find_browser(bin_dir, log)
    assert (code, path) == (0, "")
    assert "could not install chromium: the browser tests skip" in said
    assert log.read_text().splitlines() == [
        "apt-get install -y -q chromium", "apt-get update -q"
    ]  # fmt: skip


def test_without_apt_get_it_skips_saying_why(bin_dir: Path, log: Path) -> None:
    """macOS, or any system without apt: nothing is attempted."""
    fake(bin_dir, "id", "echo 0")
    code, path, said = find_browser(bin_dir, log)
    assert (code, path) == (0, "")
    assert "no apt-get to install one: the browser tests skip" in said


def test_scripts_test_hands_the_browser_to_the_tests() -> None:
    text = (ROOT / "scripts/test").read_text()
    assert 'RETAB_RUNS_BROWSER="$(browser_for_tests)"' in text and "apt-get" not in text
    assert os.access(ROOT / "scripts/test", os.X_OK)


PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_readmes_first_install_line_works_from_a_clone() -> None:
    """It was `pip install retab-runs`, which finds nothing: the package is not published."""
    readme = (ROOT / "README.md").read_text()
    first = readme.split("```bash\n")[2].splitlines()[0]  # after "Two commands"
    assert first.startswith("pip install . ")
    assert (ROOT / "pyproject.toml").is_file()  # what `pip install .` reads


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_the_index_install_is_named_only_as_what_it_will_be(page: Path) -> None:
    for number, line in enumerate(page.read_text().splitlines(), 1):
        if re.search(r"pip install ['\"]?retab-runs", line):
            assert "once" in line and "published" in line, f"{page.name}:{number}: {line}"
