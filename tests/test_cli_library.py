"""`newstui list/search/related/authors/index/check`: output for scripts and people, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from libhelpers import article_text, write
from newstui.cli import main
from newstui.cli.library import fit, text_width
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "articles"
    write(
        path,
        "2026-02-01-accord.txt",
        article_text(
            "Tallemar Accord Signed",
            ["Ministers signed the accord after a long night of talks in the city."],
            slug="accord-signed",
            author="Marta Lindqvist-Obi",
            bio="Marta covers diplomacy.",
            related=["Gas Flows Resume"],
        ),
    )
    write(
        path,
        "2026-02-02-gas.txt",
        article_text(
            "Gas Flows Resume",
            ["Gas flows through the pipeline resumed after the accord was signed."],
            slug="gas-flows",
            author="Tomasz Wendland",
        ),
    )
    write(
        path,
        "2026-02-03-cjk.txt",
        article_text(
            "東京で新しい条約が署名されました。長い見出しはここで切り詰められるべきです。さらに続く",
            ["An article with a title in Japanese about the signing of a new treaty."],
            slug="tokyo-treaty",
        ),
    )
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", str(folder), "--json")
    assert code == 0 and err == ""
    items = json.loads(out)
    assert [item["id"] for item in items] == ["tokyo-treaty", "gas-flows", "accord-signed"]
    first = items[2]
    assert first == {
        "id": "accord-signed",
        "title": "Tallemar Accord Signed",
        "author": {"name": "Marta Lindqvist-Obi"},
        "published": "2026-02-01T00:00:00Z",
        "source": {"path": str(folder / "2026-02-01-accord.txt"), "format": "txt"},
        "read": False,
        "starred": False,
        "word_count": first["word_count"],
        "url": None,
        "feed": None,
    }
    assert first["word_count"] > 5
    assert items[0]["author"] is None


def test_list_filters_and_sort(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = StateStore(AppPaths.default().state_db)
    state.set_read(["gas-flows"])
    state.set_starred(["accord-signed"], True)
    state.close()

    def listed(*extra: str) -> list[str]:
        code, out, _ = run(capsys, "list", str(folder), "--json", *extra)
        assert code == 0
        return [item["id"] for item in json.loads(out)]

    assert listed("--unread") == ["tokyo-treaty", "accord-signed"]
    assert listed("--starred") == ["accord-signed"]
    assert listed("--author", "tomasz wendland") == ["gas-flows"]
    assert listed("--sort", "title") == ["gas-flows", "accord-signed", "tokyo-treaty"]
    assert listed("--author", "Nobody") == []
    assert run(capsys, "list", str(folder), "--author", "Nobody", "--json")[1] == "[]\n"


@pytest.mark.parametrize("name", ["wendland", "Tomasz", "TOMASZ WENDLAND", "tomasz wendland"])
def test_list_author_matches_as_search_author_does(
    name: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = json.loads(run(capsys, "list", str(folder), "--author", name, "--json")[1])
    found = json.loads(run(capsys, "search", f'author:"{name}"', str(folder), "--json")[1])
    assert [item["id"] for item in listed] == [item["id"] for item in found] == ["gas-flows"]


def test_list_author_without_a_word_is_refused(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "list", str(folder), "--author=..!", "--json") == (
        2,
        "",
        "newstui: list --author: '..!' has no letters or digits to match an author's name by\n",
    )


def test_list_plain_is_aligned_for_wide_characters(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "list", str(folder))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("2026-02-03   N 東京で")
    assert "…" in lines[0]  # the long title was cut
    author_columns = [
        text_width(line[: line.index(name)])
        for line, name in (
            (lines[1], "Tomasz Wendland"),
            (lines[2], "Marta Lindqvist-Obi"),
        )
    ]
    assert author_columns[0] == author_columns[1]
    assert all(text_width(line) <= 80 for line in lines)


def test_fit_counts_cells() -> None:
    assert fit("abc", 5) == "abc  "
    assert fit("東京東京", 5) == "東京…"
    assert fit("東京東京", 6) == "東京… "  # a wide character never straddles the edge
    assert text_width(fit("東京東京東京", 7)) == 7
    assert fit("e\u0301te", 3) == "e\u0301te"  # a combining accent takes no cell


def test_search_json_and_plain(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "pipeline", "--dir", str(folder), "--json")
    assert code == 0
    (hit,) = json.loads(out)
    assert hit["id"] == "gas-flows" and hit["score"] > 0
    assert "«pipeline»" in hit["snippet"] and "\x02" not in hit["snippet"]
    code, out, _ = run(capsys, "search", "accord", "--dir", str(folder), "--limit", "1")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 and "«accord»" in lines[1]
    code, out, err = run(capsys, "search", "nothingmatches", "--dir", str(folder))
    assert (code, out) == (0, "") and "no articles match" in err


def test_search_errors_exit_2(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "search", "is:whatever", "--dir", str(folder))
    assert code == 2 and out == ""
    assert (
        err
        == "newstui: search: unknown is:whatever; use is:unread, is:read, is:starred or is:hidden\n"
    )
    code, _, err = run(capsys, "search", '"unbalanced AND (', "--dir", str(folder))
    assert code == 0 and "Traceback" not in err


def test_related(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(folder / "2026-02-01-accord.txt")
    code, out, _ = run(capsys, "related", path, "--dir", str(folder), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["id"] == "accord-signed"
    first = document["related"][0]
    assert (first["id"], first["listed"], first["reason"]) == (
        "gas-flows",
        True,
        "listed by the article",
    )
    code, out, _ = run(capsys, "related", "accord-signed", "--dir", str(folder))
    assert code == 0 and out.startswith("Related to: Tallemar Accord Signed\n")
    assert "listed by the article" in out


def test_related_all_prints_json_lines(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "related", "--all", "--dir", str(folder), "--limit", "3", "--json")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert {line["id"] for line in lines} == {"accord-signed", "gas-flows", "tokyo-treaty"}
    for line in lines:
        assert set(line) == {"id", "path", "related"}
        assert all(set(item) == {"id", "path", "score"} for item in line["related"])
        assert line["id"] not in {item["id"] for item in line["related"]}


def test_related_errors(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "related", "no-such-article", "--dir", str(folder))
    assert code == 2 and err == f"newstui: no-such-article: no such article in {folder}\n"
    code, _, err = run(capsys, "related", "--dir", str(folder))
    assert code == 2 and "which article" in err
    code, _, err = run(capsys, "related", "x", "--all", "--dir", str(folder))
    assert code == 2 and "not both" in err


def test_authors(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "authors", str(folder), "--json")
    assert code == 0
    assert json.loads(out) == [
        {"name": "Marta Lindqvist-Obi", "bio": "Marta covers diplomacy.", "article_count": 1},
        {"name": "Tomasz Wendland", "bio": None, "article_count": 1},
    ]
    code, out, _ = run(capsys, "authors", str(folder))
    assert out == "Marta Lindqvist-Obi  1\nTomasz Wendland      1\n"


def test_index_and_check(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "index", str(folder))
    assert (code, out, err) == (0, "parsed 3, unchanged 0, removed 0, problems 0\n", "")
    code, out, _ = run(capsys, "index", str(folder))
    assert out == "parsed 0, unchanged 3, removed 0, problems 0\n"
    code, out, _ = run(capsys, "check", str(folder))
    assert (code, out) == (0, "")
    broken = write(folder, "broken.txt", b"")
    (folder / "2026-02-02-gas.txt").unlink()
    code, out, _ = run(capsys, "index", str(folder), "--json")
    assert json.loads(out) == {
        "parsed": 1,
        "unchanged": 2,
        "removed": 1,
        "problems": [{"path": str(broken), "reason": "empty file", "recovered": False}],
        "warnings": [],
    }
    code, out, _ = run(capsys, "check", str(folder))
    assert (code, out) == (1, f"{broken}: empty file\n")
    code, out, err = run(capsys, "list", str(folder), "--json")
    assert code == 0 and len(json.loads(out)) == 2
    assert err == ""  # `index` and `check` told of it already


def test_missing_or_bad_directory_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing"
    for args in (["list", str(missing)], ["index", str(missing)], ["check", str(missing)]):
        code, out, err = run(capsys, *args)
        assert (code, out, err) == (2, "", f"newstui: {missing}: no such directory\n")
    a_file = write(tmp_path, "file.txt", "x")
    code, _, err = run(capsys, "search", "x", "--dir", str(a_file))
    assert code == 2 and err == f"newstui: {a_file}: not a directory\n"


def test_default_directory_is_the_bundled_samples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and len(json.loads(out)) >= 20
    code, out, _ = run(capsys, "search", "ceasefire", "--json")
    assert code == 0 and json.loads(out)


def test_default_directory_from_config(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = AppPaths.default().config_file
    config.parent.mkdir(parents=True)
    config.write_text(f'folder = "{folder}"\n', encoding="utf-8")
    code, out, _ = run(capsys, "authors", "--json")
    assert code == 0 and len(json.loads(out)) == 2
    code, out, _ = run(capsys, "index")  # DIR is optional for index and check too
    assert (code, out) == (0, "parsed 0, unchanged 3, removed 0, problems 0\n")
    code, out, _ = run(capsys, "check")
    assert (code, out) == (0, "")


def test_index_draws_progress_only_on_a_terminal(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "index", str(folder))
    assert code == 0 and err == ""  # stderr is not a terminal here


def test_unusable_cache_dir_is_a_clear_error(
    folder: Path, capsys: pytest.CaptureFixture[str], isolated_user_dirs: Path
) -> None:
    cache = isolated_user_dirs / "cache"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("a file where the cache folder should be")
    code, out, err = run(capsys, "list", str(folder))
    assert code == 2 and out == ""
    assert err.startswith("newstui: ") and "cannot open the index" in err


def test_list_json_gives_each_article_its_url_and_feed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from newstui.core.resources import sample_articles_dir

    assert main(["list", str(sample_articles_dir()), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all("url" in row and "feed" in row for row in rows)
    linked = [row for row in rows if row["url"]]
    assert linked and all(row["url"].startswith("http") for row in linked)
    assert len(rows) > len(linked)  # the scraped texts have no link


@pytest.mark.parametrize("command", ["list", "authors", "check"])
def test_an_empty_folder_is_said_to_be_empty(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, command, str(empty)) == (0, "", f"newstui: no articles in {empty}\n")
    assert run(capsys, command, str(empty), "--json") == (0, "[]\n", "")


def test_a_list_filtered_to_nothing_says_so(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "list", str(folder), "--starred") == (
        0,
        "",
        "newstui: no articles match these filters\n",
    )


def test_search_in_a_folder_that_is_not_there_names_the_folders_there_are(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(folder, "world/news/2026-02-04-port.txt", article_text("Port Opens", slug="port"))
    write(folder, "tech/2026-02-05-chip.txt", article_text("Chip Plant", slug="chip"))
    code, out, err = run(capsys, "search", "folder:nosuch", str(folder))
    assert (code, out) == (2, "")
    assert err == (
        f"newstui: search: no folder 'nosuch' in {folder} (folders: tech, world, world/news)\n"
    )
    assert run(capsys, "search", "folder:news", str(folder), "--json")[0] == 0
    assert run(capsys, "search", "folder:news nothing-like-this", str(folder)) == (
        0,
        "",
        "newstui: no articles match 'folder:news nothing-like-this'\n",
    )


def test_list_limit(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", str(folder), "--limit", "2", "--json")
    assert code == 0
    assert [item["id"] for item in json.loads(out)] == ["tokyo-treaty", "gas-flows"]
    code, out, _ = run(capsys, "list", str(folder), "--limit", "1")
    assert code == 0 and out.count("\n") == 1 and "東京" in out
    with pytest.raises(SystemExit) as exited:
        main(["list", str(folder), "--limit", "0"])
    assert exited.value.code == 2
    assert "--limit: must be at least 1, not 0" in capsys.readouterr().err
