"""The reader's screens: the main four-pane screen and its modal views."""
