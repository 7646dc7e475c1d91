"""Two-way sync with the reader's own feed server (issue 28): settings, engine, adapters."""
