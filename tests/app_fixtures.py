"""A small, fixed library for the reader's tests: two authors, YMAL lists, hostile text.

File names carry fixed dates, so the order and every date on screen are stable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

LONG_PARAGRAPH = (
    "The harbour master said the reopening would be gradual, with larger vessels waiting "
    "until divers had checked the channel for debris left by the storm, a task that could "
    "take several days if the weather allowed the teams to work without interruption."
)

ARTICLES: dict[str, str] = {
    "2026-01-06-harbour-reopens.txt": f"""Harbour Reopens After Week-Long Closure

Ferries resumed sailing on Tuesday as the storm damage was cleared.
harbour-reopens

The harbour reopened to ferries on Tuesday morning, a week after the storm closed it.

First Ferries Sail

{LONG_PARAGRAPH}

"We are open, but we are not back to normal yet."

{LONG_PARAGRAPH}

Repairs Continue

{LONG_PARAGRAPH}

{LONG_PARAGRAPH}

{LONG_PARAGRAPH}

What Comes Next

{LONG_PARAGRAPH}

{LONG_PARAGRAPH}

{LONG_PARAGRAPH}

{LONG_PARAGRAPH}

Ada Lindqvist
Ada Lindqvist

Ada Lindqvist covers the coast, its ports and the people who work there.

Read full bio →

You Might Also Like
Storm Closes Harbour
Fishermen Count Their Losses
""",
    "2026-01-05-storm-closes-harbour.txt": f"""Storm Closes Harbour

Gales forced the port to shut for the first time in a decade.
storm-closes-harbour

The harbour closed on Monday as gales battered the coast and waves broke over the wall.

{LONG_PARAGRAPH}

Ada Lindqvist
Ada Lindqvist

Ada Lindqvist covers the coast, its ports and the people who work there.

Read full bio →

You Might Also Like
Harbour Reopens After Week-Long Closure
""",
    "2026-01-04-fishermen-count-losses.txt": """Fishermen Count Their Losses

Boats were lost and nets ruined in the storm.
fishermen-count-losses

Fishermen said the storm had cost them a month of income, and some boats were lost.

Insurance Questions

Many small boats were not insured against storm damage, the fishermen's association said.

Ben Okafor
Ben Okafor

Ben Okafor writes about fishing, farming and food.

Read full bio →
""",
    "2026-01-03-headline-markup.txt": """Headline [/x]

A standfirst with [b]bold[/b] that must stay literal.
headline-markup

Body with an escape \x1b]0;pwned\x07 and a bidi \u202eoverride\u202c and [@click=app.quit]click me[/].

[link=http://x]y[/link]

[b]Mallory[/b]
[b]Mallory[/b]

A bio with [link=http://x]y[/link] and [@click=app.quit]quit[/] inside.

Read full bio →
""",
    "2026-01-02-click-title.txt": """[@click=app.quit]Read more[/]

Clicking this title must do nothing but open it.
click-title

A short body. Nothing else happens here.

Ben Okafor
Ben Okafor

Ben Okafor writes about fishing, farming and food.

Read full bio →
""",
    "2026-01-01-wide-scripts.txt": """東京で大雪、交通機関が乱れる 🚆 مرحبا بالعالم

Wide and right-to-left scripts keep the columns aligned.
wide-scripts

Snow fell across the region. 雪が降った.

Ben Okafor
Ben Okafor

Ben Okafor writes about fishing, farming and food.

Read full bio →
""",
}

BROKEN = {"2025-12-31-empty.txt": ""}


def write_library(folder: Path, broken: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    files = {**ARTICLES, **(BROKEN if broken else {})}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages land (workers may start more workers), and
    queued state writes land."""
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        busy = [worker for worker in app.workers if worker.group != "watch"]
        if busy:  # (an empty list would mean "all workers", the watcher included)
            await app.workers.wait_for_complete(busy)
    await pilot.pause()
    writer = getattr(app, "writer", None)
    if writer is not None:
        assert writer.flush(10), "state writes still queued after 10 s"
