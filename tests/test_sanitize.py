from newstui.core.sanitize import clean_line, clean_text


def test_strips_csi_osc_dcs_and_c1_sequences() -> None:
    hostile = (
        "a\x1b[31mred\x1b[0m b\x1b]0;pwned title\x07c"
        "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\"
        "\x1bP1$r0m\x1b\\d\x9b2Je\x9d52;c;aGk=\x9cf"
    )
    assert clean_text(hostile) == "ared bclinkdef"


def test_removes_c0_c1_del_and_bidi_but_keeps_newline_and_tab() -> None:
    text = "one\x00\x07\x08\ttwo\nthree\x7f\x85\u202eevil\u2066x\u2069"
    assert clean_text(text) == "one\ttwo\nthreeevilx"


def test_unterminated_escape_keeps_following_printable_text() -> None:
    assert clean_text("before\x1b]0;after") == "before0;after"
    assert "\x1b" not in clean_text("\x1b\x1b[\x1b]")


def test_printable_unicode_and_markup_like_text_survive() -> None:
    text = "東京 مرحبا 👍🏽 [bold]x[/bold] [/x] [@click=app.quit] [link=http://a]b[/link]"
    assert clean_text(text) == text


def test_clean_line_folds_whitespace_and_crlf() -> None:
    assert clean_line("  Two\r\nlines\r\tand  tabs ") == "Two lines and tabs"


def test_terminal_safe_shows_controls_as_visible_escapes() -> None:
    from newstui.core.sanitize import terminal_safe

    assert terminal_safe("a\x1b[2Jb\x9b\u202e\tc\nd") == "a\\u001b[2Jb\\u009b\\u202e\tc\nd"


def test_surrogate_pairs_are_rejoined_and_lone_halves_dropped() -> None:
    assert clean_text("Party \ud83c\udf89!") == "Party \U0001f389!"
    assert "\ud800" not in clean_text("lone \ud800 half")
