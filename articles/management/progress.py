"""The progress bar that long-running commands draw (load_demo, rebuild_related, imports)."""

import time


def progress_bar(out, unit="stories", min_interval=0.0):
    """A ``show(done, total)`` callable drawing ``[####....] done/total unit (rate/s)`` on
    ``out``, redrawn at most every ``min_interval`` seconds (always at the end)."""
    started, last = time.monotonic(), [0.0]

    def show(done, total):
        now = time.monotonic()
        if now - last[0] < min_interval and done < total:
            return
        last[0] = now
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / max(now - started, 1e-6)
        out.write(
            f"\r  [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {unit} "
            f"({rate:,.0f}/s)",
            ending="",
        )
        out.flush()
        if done >= total:
            out.write("")

    return show
