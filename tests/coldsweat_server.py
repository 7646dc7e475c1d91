"""A real Coldsweat (a Fever API server on PyPI) for sync tests, on loopback only.

`coldsweat_python()` makes (once, cached in .pytest_cache) a venv with tests/coldsweat_files/
requirements.txt. `ColdsweatServer` sets up a user, imports an OPML of loopback feeds with
`--fetch`, and serves the Fever API on 127.0.0.1. Nothing leaves the machine: Coldsweat's
favicon lookup (icons.duckduckgo.com) goes through a proxy on 127.0.0.1:9, which refuses it,
while loopback addresses bypass the proxy.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import venv
from pathlib import Path
from types import TracebackType

HERE = Path(__file__).parent / "coldsweat_files"
REQUIREMENTS = HERE / "requirements.txt"


def coldsweat_python(cache: Path) -> Path:
    """The Python of a venv with Coldsweat installed (made on first use)."""
    stamp = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]
    home = cache / f"venv-{stamp}"
    python = home / "bin" / "python"
    if (home / "ready").exists():
        return python
    venv.create(home, with_pip=True, clear=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
        check=True,
        timeout=600,
    )
    (home / "ready").write_text("ok\n")
    return python


def _environment(folder: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    dead_proxy = "http://127.0.0.1:9"  # refuses: the favicon lookup never leaves
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[name] = env[name.lower()] = dead_proxy
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["FLASK_DATABASE_URL"] = f"sqlite:///{folder / 'coldsweat.db'}"
    env["FLASK_SECRET_KEY"] = "test-only-secret-key"
    return env


class ColdsweatServer:
    def __init__(self, python: Path, folder: Path, email: str, password: str) -> None:
        self.python, self.folder = python, folder
        self.email, self.password = email, password
        self.env = _environment(folder)
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    def flask(self, *args: str) -> str:
        done = subprocess.run(
            [str(self.python), "-m", "flask", "--app", "coldsweat", *args],
            env=self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"flask {args[0]} failed: {done.stderr[-2000:]}")
        return done.stdout

    def subscribe(self, feeds: dict[str, tuple[str, str]]) -> None:
        """Import feeds (url -> (title, group)) and fetch them now."""
        outlines = "".join(
            f'<outline text="{group}" title="{group}"><outline type="rss" text="{title}"'
            f' title="{title}" xmlUrl="{url}" htmlUrl="{url}"/></outline>'
            for url, (title, group) in feeds.items()
        )
        opml = self.folder / "feeds.opml"
        opml.write_text(
            '<?xml version="1.0"?><opml version="1.0"><head><title>t</title></head>'
            f"<body>{outlines}</body></opml>"
        )
        self.flask("import", str(opml), self.email, "--fetch")

    def __enter__(self) -> ColdsweatServer:
        self.flask("setup", self.email, "-p", self.password)
        self.process = subprocess.Popen(
            [str(self.python), str(HERE / "serve.py")],
            env=self.env,
            cwd=self.folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        port = self.process.stdout.readline().strip()
        if not port.isdigit():
            self.__exit__(None, None, None)
            raise RuntimeError("Coldsweat did not start")
        self.url = f"http://127.0.0.1:{port}/fever/"
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
