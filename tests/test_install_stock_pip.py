"""A plain `pip install` of the wheel, with the pip that ships with Python, reads saved pages.

Old pips (23.2, bundled with Python 3.11) do not match the `lxml[html_clean]` extra that
justext and readability ask for to lxml's `html-clean`: unless newstui declares
`lxml_html_clean` itself, every saved page fails with an ImportError there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from libhelpers import build_wheel

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "tests" / "fixtures" / "formats" / "saved-article.html"


@pytest.mark.slow
def test_wheel_in_a_venv_with_the_bundled_pip_reads_a_saved_page(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    environment = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr
    shown = subprocess.run(
        [str(venv / "bin" / "newstui"), "show", str(PAGE), "--json"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    article = json.loads(shown.stdout)
    assert article["title"] == "Harbour Ferries Return After Storm"
    assert any("first ferries left the harbour" in block["text"] for block in article["blocks"])
