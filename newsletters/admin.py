"""The desk's newsletters: lists, issues, subscribers (filled in below)."""
