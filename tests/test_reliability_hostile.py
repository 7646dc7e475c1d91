"""Hostile text end to end: every parser, then every face (CLI output, the TUI's terminal
stream). Nothing but ArticleError escapes a parser; no ESC, C1 or bidi control reaches a
terminal; the printable text is still there.

Examples per property are fixed (`max_examples`, times $NEWSTUI_FUZZ_SCALE) and counted
(tests/fixtures/reliability/tally.py); bench/hostile_fuzz.py runs them with many more.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))

from hostile import (
    BIDI,
    DOCUMENTS,
    FIELD_NAMES,
    MARKUP,
    PAYLOADS,
    SEQUENCES,
    UNSAFE,
    alnum,
    framed_text,
    hostile_text,
)
from tally import record

from app_fixtures import settle
from newstui.core.formats import ArticleError, ParseResult, parse_bytes
from newstui.core.models import Article
from newstui.core.sanitize import clean_line

SCALE = float(os.environ.get("NEWSTUI_FUZZ_SCALE", "1"))  # bench/hostile_fuzz.py raises it


def examples(count: int) -> settings:
    return settings(
        max_examples=max(1, int(count * SCALE)),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],  # no slow "explain" tracing
    )


def strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a dumped model, with where it is."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if where + "." + key != ".source.path":  # the file's own path: tested elsewhere
                yield from strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from strings(item, f"{where}[{number}]")


def assert_clean(text: str, where: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, f"{where}: {found.group()!r} in {text!r}"


def assert_article_clean(article: Article) -> None:
    for where, value in strings(article.model_dump(mode="json")):
        assert_clean(value, where)


def parse_or_error(name: str, data: bytes) -> ParseResult | None:
    """The result, or None after checking the ArticleError's reason is clean."""
    extension, _ = DOCUMENTS[name]
    try:
        result = parse_bytes(Path("hostile" + extension), data)
    except ArticleError as error:
        assert str(error).strip(), "an ArticleError needs a reason"
        assert_clean(str(error), "ArticleError")
        return None
    for problem in result.warnings:
        assert_clean(problem, "problem")
    for article in result.articles:
        assert_article_clean(article)
    return result


hostile_fields = st.fixed_dictionaries({name: hostile_text for name in FIELD_NAMES})
framed_fields = st.fixed_dictionaries({name: framed_text for name in FIELD_NAMES})


# -- 1. every parser -------------------------------------------------------------------------

SLOW_PARSERS = {"html": 0.4, "html raw": 0.5}  # trafilatura: ~25 ms a page


def per_parser(name: str, count: int) -> settings:
    return examples(max(3, round(count * SLOW_PARSERS.get(name, 1.0))))


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_parser_turns_hostile_fields_into_clean_articles(name: str) -> None:
    @per_parser(name, 20)
    @given(fields=hostile_fields)
    def check(fields: dict[str, str]) -> None:
        record(f"parser {name}: hostile fields")
        parse_or_error(name, DOCUMENTS[name][1](fields))

    check()


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_parser_survives_hostile_bytes_spliced_into_a_document(name: str) -> None:
    base = DOCUMENTS[name][1]({field: "Harbour news" for field in FIELD_NAMES})

    @per_parser(name, 12)
    @given(raw=st.binary(max_size=600), cut=st.integers(0, len(base)))
    def check(raw: bytes, cut: int) -> None:
        record(f"parser {name}: spliced bytes")
        parse_or_error(name, base[:cut] + raw + base[cut:])

    check()


# Formats whose title is plain text all the way (feeds map C1 bytes to cp1252 characters).
LITERAL_TITLES = {"txt", "md", "json", "json feed"}


def is_subsequence(needle: str, haystack: str) -> bool:
    rest = iter(haystack)
    return all(char in rest for char in needle)


@pytest.mark.parametrize("name", sorted(set(DOCUMENTS) - {"md raw front matter", "html raw"}))
def test_parser_keeps_the_printable_text(name: str) -> None:
    """Escape sequences go; every letter and digit around them stays, in order.

    (A parser may show more than that: a feed parser maps 8-bit controls to cp1252
    punctuation, an HTML parser may drop an ESC and leave "[31m": ugly, but inert.)
    """
    # An HTML author must look like a name for trafilatura to believe it: not checked.
    fields_kept = ("title", "body") if name == "html" else ("title", "body", "author")

    @per_parser(name, 15)
    @given(fields=framed_fields)
    def check(fields: dict[str, str]) -> None:
        record(f"parser {name}: printable kept")
        result = parse_or_error(name, DOCUMENTS[name][1](fields))
        assert result is not None and result.articles, "framed text is a valid document"
        article = result.articles[0]
        shown = alnum(" ".join(value for _, value in strings(article.model_dump(mode="json"))))
        title = alnum(clean_line(fields["title"]))
        if name in LITERAL_TITLES and title:
            assert alnum(article.title) == title
        for field in fields_kept:
            kept = alnum(clean_line(fields[field]))
            assert is_subsequence(kept, shown), f"the {field}'s letters and digits must show"

    check()


def test_every_escape_sequence_goes_whole() -> None:
    for sequence in SEQUENCES:
        assert clean_line(f"a{sequence}b") == "ab", repr(sequence)


def test_a_surrogate_character_reference_costs_one_feed_entry_not_the_feed() -> None:
    """`&#xD800;` is not a character: the entry may lose it, the feed keeps its others."""
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Good One</title><description>Fine text here.</description></item>"
        b"<item><title>Bad &#xD800; One</title><description>Text.</description></item>"
        b"</channel></rss>"
    )
    result = parse_or_error("rss", feed)
    assert result is not None, "one bad reference must not cost the whole feed"
    assert "Good One" in [article.title for article in result.articles]


def test_escaped_surrogate_pairs_in_front_matter_keep_their_character() -> None:
    """Tools that write YAML as JSON escape emoji as surrogate pairs; PyYAML hands the two
    halves back separately, and cleaning must not drop the character they make."""
    document = b'---\ntitle: "Party \\ud83c\\udf89 Time"\n---\nBody text.\n'
    result = parse_or_error("md", document)
    assert result is not None
    assert result.articles[0].title == "Party \U0001f389 Time"


# -- 2. the command line -----------------------------------------------------------------------

SENTINEL = "kestrel"


def write_hostile_library(folder: Path, fields: dict[str, str]) -> list[Path]:
    """One file per format, each holding the hostile fields (plus a word to search for)."""
    folder.mkdir(parents=True, exist_ok=True)
    marked = {**fields, "title": f"Kestrel {fields['title']}",
              "body": f"{SENTINEL} {fields['body']} {SENTINEL} harbour"}  # fmt: skip
    files = []
    for number, (name, (extension, build)) in enumerate(DOCUMENTS.items()):
        path = folder / f"2026-01-{number + 1:02d}-{name.replace(' ', '-')}{extension}"
        path.write_bytes(build(marked))
        files.append(path)
    return files


def cli_runs(folder: Path, files: list[Path], query: str) -> list[list[str]]:
    runs = [
        ["list", str(folder)],
        ["list", str(folder), "--json"],
        ["list", str(folder), "--sort", "author"],
        ["search", SENTINEL, "--dir", str(folder)],
        ["search", SENTINEL, "--dir", str(folder), "--json"],
        ["search", query, "--dir", str(folder)],
        ["check", str(folder)],
        ["check", str(folder), "--json"],
        ["authors", str(folder)],
        ["related", str(files[0]), "--dir", str(folder)],
        ["related", str(files[0]), "--dir", str(folder), "--json"],
    ]
    for path in files:
        runs += [["show", str(path)], ["show", str(path), "--json"]]
    return runs


def assert_terminal_safe(text: str, what: str) -> None:
    raw = text.encode("utf-8", "surrogateescape")
    assert b"\x1b" not in raw, f"{what}: ESC in the output"
    found = UNSAFE.search(text.replace("\r\n", "\n"))
    assert found is None, (
        f"{what}: {found.group()!r} in {text[max(0, found.start() - 60) : found.end() + 20]!r}"
    )


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from newstui.cli import main

    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_output_of_a_hostile_library_is_terminal_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "hostile"

    @examples(6)
    @given(fields=hostile_fields, query=hostile_text)
    def check(fields: dict[str, str], query: str) -> None:
        record("cli: hostile library, every command")
        files = write_hostile_library(folder, fields)
        for args in cli_runs(folder, files, query or "x"):
            code, out, err = run_cli(args, capsys)
            assert code in (0, 1, 2), (args, err)
            assert "Traceback" not in err and "internal error" not in err, (args, err)
            assert_terminal_safe(out, f"stdout of {args[:2]}")
            assert_terminal_safe(err, f"stderr of {args[:2]}")
        code, out, _ = run_cli(["list", str(folder), "--json"], capsys)
        rows = {Path(row["source"]["path"]).name: row for row in json.loads(out)}
        plain = rows[files[3].name]  # the .json article: a title that is plain text
        assert alnum(plain["title"]) == alnum(clean_line(f"Kestrel {fields['title']}"))

    check()


HOSTILE_NAMES = [
    "esc-\x1b]0;pwned\x07-title.txt",
    "csi-\x1b[2J-clear.md",
    "c1-\x9b31m-\x9d0;pwned\x9c.json",
    "bidi-\u202etxt.exe\u202c.txt",
    "empty-\x1b]52;c;aGk=\x07.txt",  # empty files: their names show in the problem list
    "empty-st-\x1b]52;c;cHduZWQ=\x1b\\.md",
]


@pytest.mark.skipif(sys.platform == "win32", reason="such names are POSIX-only")
def test_hostile_file_names_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """File names come from the library too (an unpacked archive): paths are shown by
    `check`, `list --json`, `search --json`, `show` and its errors."""
    folder = tmp_path / "names"
    folder.mkdir()
    good = "Kestrel Sighted Over Harbour\n\nA standfirst.\n\nThe kestrel hovered.\n"
    for name in HOSTILE_NAMES:
        path = folder / name
        if name.startswith("empty"):
            path.write_bytes(b"")
        elif name.endswith(".json"):
            path.write_text(json.dumps({"title": "Kestrel Json", "blocks": [
                {"kind": "paragraph", "text": "The kestrel again."}]}))  # fmt: skip
        else:
            path.write_text(good)
    runs = [
        ["check", str(folder)],
        ["check", str(folder), "--json"],
        ["list", str(folder), "--json"],
        ["search", SENTINEL, "--dir", str(folder), "--json"],
        ["related", str(folder / HOSTILE_NAMES[0]), "--dir", str(folder)],
        ["related", str(folder / HOSTILE_NAMES[0]), "--dir", str(folder), "--json"],
    ]
    for name in HOSTILE_NAMES:
        runs += [["show", str(folder / name)], ["show", str(folder / name), "--json"]]
    failures = []
    for args in runs:
        code, out, err = run_cli(args, capsys)
        assert code in (0, 1, 2) and "Traceback" not in err
        for stream, text in (("stdout", out), ("stderr", err)):
            try:
                assert_terminal_safe(text, f"{stream} of {args[0]} {args[-1][-12:]!r}")
            except AssertionError as error:
                failures.append(str(error).splitlines()[0])
    assert failures == [], "\n".join(failures)


# -- 3. the reader (TUI): what is written to the terminal -------------------------------------

# Textual's own output: SGR colours, cursor moves, private modes, the pointer shape (OSC 22)
# and the clipboard (OSC 52: checked on its own). Anything else came from an article.
TEXTUAL_SEQUENCE = re.compile(
    r"\x1b\[[0-9;:]*m|\x1b\[[0-9]+;[0-9]+H|\x1b\[\?[0-9;]+[hl]|\x1b\]22;[a-z-]+\x07"
)
CLIPBOARD = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")
# The reader's own hyperlinks (OSC 8) around a link's text: an id, a URL of printable text.
HYPERLINK = re.compile(r"\x1b\]8;(?:id=\d+;(?:https?|mailto):[!-~]+)?;?\x1b\\")
ANY_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)?|.?)", re.DOTALL
)
HOSTILE_FIXED = {
    "title": "Harbour " + " ".join(SEQUENCES[:10]) + " [@click=app.quit]Quit[/] \u202eevil",
    "summary": "Stand " + "".join(SEQUENCES[10:20]) + " [link=http://evil.example]x[/link]",
    "body": "Body\n\n" + "\n\n".join(SEQUENCES + BIDI + MARKUP) + "\n\nend \x9b31m \x1b]8;;x\x07",
    "author": "Mallory \x1b]0;pwned\x07 [b]Bold[/b] \u2066x\u2069",
    "bio": "Bio " + " ".join(MARKUP) + " \x1b]52;c;aGk=\x07 \x9d0;pwned\x9c",
    "related": "[@click=app.quit]Related[/] \x1b[2J",
    "tag": "tag\x1b[31m",
    "url_tail": "\x1b]8;;http://evil/\x1b\\",
}


class CapturedTerminal:
    def __init__(self) -> None:
        self.chunks: list[str] = []

    @property
    def stream(self) -> str:
        return "".join(self.chunks)

    def foreign_sequences(self) -> list[str]:
        return [
            found.group()
            for found in ANY_SEQUENCE.finditer(self.stream)
            if not TEXTUAL_SEQUENCE.fullmatch(found.group())
            and not HYPERLINK.fullmatch(found.group())
            and not self._copy(found.group())
        ]

    @staticmethod
    def _copy(sequence: str) -> bool:
        """The app's own "y" (copy the article's link or file): base64 of a URL or a path."""
        found = CLIPBOARD.fullmatch(sequence)
        if found is None:
            return False
        copied = base64.b64decode(found.group(1)).decode("utf-8", "replace")
        return copied.startswith(("/", "http://", "https://"))

    def text(self) -> str:
        return ANY_SEQUENCE.sub("", self.stream)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> CapturedTerminal:
    """Capture what the app would write to a real terminal (the headless driver drops it)."""
    import textual.drivers.headless_driver as headless

    captured = CapturedTerminal()

    class CapturingDriver(headless.HeadlessDriver):
        @property
        def is_headless(self) -> bool:
            return False  # so the app renders into write()

        def write(self, data: str) -> None:
            captured.chunks.append(data)

    monkeypatch.setattr(headless, "HeadlessDriver", CapturingDriver)
    return captured


async def open_and_look_around(pilot: Any) -> None:
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("a", "r", "y", "escape", "escape")  # y: copy the link, and a notification


async def tour(pilot: Any, first: int, last: int) -> None:
    """Open the first and last articles with their author and related panes; the problems
    list, a search, help, and clicks all over the screen."""
    for _ in range(first):
        await open_and_look_around(pilot)
        await pilot.press("j")
    await pilot.press("G")
    for _ in range(last):
        await open_and_look_around(pilot)
        await pilot.press("k")
    await pilot.press("P")
    await settle(pilot)
    await pilot.press("j", "j", "escape", "slash", *SENTINEL, "enter")
    await settle(pilot)
    await pilot.press("enter", "s", "m", "question_mark")
    await settle(pilot)
    await pilot.press("escape", "escape", "S", "u", "u")
    await settle(pilot)
    for x in range(5, 160, 40):  # click over titles, bylines and "[@click=...]" text
        for y in (3, 12, 25):
            await pilot.click(offset=(x, y))
    await settle(pilot)


def assert_terminal_stream_clean(terminal: CapturedTerminal) -> None:
    assert terminal.stream, "nothing was captured: the driver patch did not take"
    foreign = terminal.foreign_sequences()
    assert foreign == [], (
        f"escape sequences from article text reached the terminal: {sorted(set(foreign))}"
    )
    text = terminal.text()
    found = UNSAFE.search(text.replace("\r", "").replace("\n", ""))
    assert found is None, (
        f"{found.group()!r} near {text[max(0, found.start() - 40) : found.end() + 10]!r}"
    )
    stream = HYPERLINK.sub("", terminal.stream)  # the reader's own links, not the text's
    for payload in PAYLOADS:
        assert "\x1b" + payload not in stream


async def test_reader_on_a_hostile_library_writes_only_textual_sequences(
    tmp_path: Path, terminal: CapturedTerminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newstui.core.config import Settings
    from newstui.core.paths import AppPaths
    from newstui.tui.app import NewsApp

    folder = tmp_path / "hostile"
    write_hostile_library(folder, HOSTILE_FIXED)  # (file names: the test below)
    monkeypatch.setattr("newstui.tui.opener.system_open", lambda link: None)
    app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(160, 40), notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        count = app.library.count()
        assert count >= 8
        await tour(pilot, first=2, last=1)
        assert app.is_running, "a click or key on hostile text must not quit the app"
        record("tui: fixed hostile library, full tour")
    assert_terminal_stream_clean(terminal)
    assert "Harbour" in terminal.text() and "Kestrel" in terminal.text()


@pytest.mark.skipif(SCALE <= 1, reason="a few seconds an example: bench/hostile_fuzz.py runs it")
def test_reader_on_generated_hostile_libraries(
    tmp_path: Path, terminal: CapturedTerminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio
    import itertools

    from newstui.core.config import Settings
    from newstui.core.paths import AppPaths
    from newstui.tui.app import NewsApp

    monkeypatch.setattr("newstui.tui.opener.system_open", lambda link: None)
    numbers = itertools.count()

    async def run(folder: Path) -> None:
        app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)
        async with app.run_test(size=(160, 40), notifications=True, tooltips=True) as pilot:
            await settle(pilot)
            await tour(pilot, first=4, last=2)
            assert app.is_running

    @settings(examples(1), max_examples=max(1, int(SCALE / 4)))
    @given(fields=hostile_fields)
    def check(fields: dict[str, str]) -> None:
        record("tui: generated hostile library, tour")
        folder = tmp_path / f"hostile-{next(numbers)}"
        write_hostile_library(folder, fields)
        terminal.chunks.clear()
        asyncio.run(run(folder))
        assert_terminal_stream_clean(terminal)

    check()


async def test_hostile_file_names_never_reach_the_reader_terminal(
    tmp_path: Path, terminal: CapturedTerminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paths show in the problems list and in "Copied …" / "Opening …" notifications."""
    from newstui.core.config import Settings
    from newstui.core.paths import AppPaths
    from newstui.tui.app import NewsApp

    folder = tmp_path / "names"
    folder.mkdir()
    for name in HOSTILE_NAMES:
        text = "" if name.startswith("empty") else "Kestrel Named File\n\nStand.\n\nBody.\n"
        (folder / name).write_text(text)
    monkeypatch.setattr("newstui.tui.opener.system_open", lambda link: None)
    app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(160, 40), notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        for _ in range(app.library.count()):
            await pilot.press("y", "o")  # copy, then open, the file of the highlighted row
            await settle(pilot)
            await pilot.press("j")
        await pilot.press("P")
        await settle(pilot)
        assert app.is_running
    assert_terminal_stream_clean(terminal)
    record("tui: hostile file names, problems and notifications")
