"""Fetching the news: subscriptions, safe HTTP, feeds into article files. Pure: no textual.

`newstui.core.fetch.run.fetch_subscriptions` is the entry point for the CLI and the reader.
"""
