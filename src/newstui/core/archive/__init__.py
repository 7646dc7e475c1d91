"""Reading archives from read-later services: export files in, article files and state out.

Pure: no textual. One short module per export format (`wallabag`, `omnivore`, `instapaper`,
`pocket`, `readwise`), each turning an export into `Entry`s; `detect` tells the format from
the file's content; `writer` is the one place an entry becomes an article file; `run` does
the import (fetching the pages of entries that are only a URL) and `newstui save URL`.
"""
