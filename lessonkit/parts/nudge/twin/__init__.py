"""The nudge part's explorable twin: its function as JSON and its page (HTML and JS)."""
