"""The wheel carries the styles and the sample articles, and finds them once installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from libhelpers import build_wheel
from newstui.core.resources import sample_articles_dir, styles_dir

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_folders_found_from_checkout() -> None:
    assert (styles_dir() / "app.tcss").is_file()
    assert sample_articles_dir().is_dir()


@pytest.mark.slow
def test_wheel_contains_styles_and_samples(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "newstui/styles/app.tcss" in names
    samples = {Path(n).name for n in names if n.startswith("newstui/sample_articles/")}
    expected = {p.name for p in (ROOT / "sample_articles").iterdir() if p.is_file()}
    assert expected and expected <= samples

    # Installed (unpacked) without the checkout beside it, the package finds its folders.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "from newstui.core.resources import styles_dir, sample_articles_dir;"
        "print(styles_dir()); print(sample_articles_dir())"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {probe}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.split()
    assert out == [str(site / "newstui" / "styles"), str(site / "newstui" / "sample_articles")]
