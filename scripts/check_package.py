"""What a user installs, checked as they would meet it (scripts/test runs this).

Builds the wheel and the sdist from this clone (hatchling, without build
isolation: the dev tools already hold it), checks their metadata and README
with `twine check`, installs the wheel alone into a fresh virtual
environment, then runs the installed `retab-runs --help` and one call,
`retab-runs list wf_demo exp_invoices`, against the installed
`retab-runs serve --sample`. A failure names the step and exits 1.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The fake server's first line names its URL; it has this long to print it.
SERVE_START = 20.0


def step(name: str) -> None:
    print(f"==> {name}", file=sys.stderr, flush=True)


def run(*argv: str | Path, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    """Run a command; its output, or exit 1 naming it with what it said."""
    words = [str(arg) for arg in argv]
    done = subprocess.run(
        words, check=False, capture_output=True, text=True, env=env, timeout=timeout
    )
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(words)}\n{done.stdout}{done.stderr}")
    return done.stdout


def build(out: Path) -> tuple[Path, Path]:
    step("python -m build --no-isolation (wheel and sdist)")
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT)
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    step(f"twine check {wheel.name} {sdist.name}")
    run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
    return wheel, sdist


def install(wheel: Path, where: Path) -> Path:
    """A new virtual environment holding the wheel (and its dependencies) alone."""
    step(f"a clean venv with {wheel.name}")
    venv.create(where, with_pip=True)
    bin_dir = where / ("Scripts" if os.name == "nt" else "bin")
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel)
    return bin_dir


def try_installed(bin_dir: Path) -> None:
    """`retab-runs --help`, then one call against the installed fake server."""
    command = bin_dir / "retab-runs"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RETAB_", "PYTHON"))}
    step("retab-runs --help (installed)")
    assert "usage: retab-runs" in run(command, "--help", env=env)
    step("retab-runs serve --sample, then retab-runs list wf_demo exp_invoices (installed)")
    server = subprocess.Popen(
        [str(command), "serve", "--sample", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    # A server that never prints is stopped, ending the read below.
    silent = threading.Timer(SERVE_START, server.kill)
    silent.start()
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(3)]
        silent.cancel()
        exports = dict(re.findall(r"export (RETAB_\w+)=(\S+)", "".join(lines)))
        if len(exports) != 2:
            sys.exit(f"retab-runs serve --sample printed no exports:\n{''.join(lines)}")
        listing = run(command, "list", "wf_demo", "exp_invoices", env=env | exports, timeout=30)
        if "exprun_inv_06" not in listing:
            sys.exit(f"retab-runs list did not list the sample runs:\n{listing}")
    finally:
        silent.cancel()
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)


def main() -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="retab-runs-package-") as temp:
        wheel, _ = build(Path(temp) / "dist")
        try_installed(install(wheel, Path(temp) / "venv"))
    step(f"the package installs and runs ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
