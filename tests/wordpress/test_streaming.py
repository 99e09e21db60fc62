"""Reading an export keeps memory flat, whatever the file holds outside or inside items."""

import subprocess
import sys
import textwrap

from .exports import export, post

# Peak memory of a process that has read the export, less that of one that has only
# imported the reader. These 14 MB of small elements cost about 150 MiB when the tree kept
# them (an export of 200 MB: MemoryError).
MEASURE = textwrap.dedent(
    """
    import resource, sys
    from wordpress.wxr import read
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    items = [(item.wp_id, item.post_type, len(item.content)) for item in read(sys.argv[1])]
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(items, (after - before) // 1024)
    """
)


def test_small_elements_by_the_million_outside_and_inside_items_keep_memory_flat(tmp_path):
    """Millions of elements outside <item> (and junk inside one) are read in flat memory."""
    junk = "<x/>" * 1_200_000  # 4.8 MB each, 1.2 million elements
    text = export(
        post(1, "Before", extra=f"<wp:junk>{junk}</wp:junk>"),
        f"<wp:generator_data>{junk}</wp:generator_data>",
        f"<wp:term><a><b>{junk}</b></a></wp:term>",
        post(2, "After"),
    )
    path = tmp_path / "export.xml"
    path.write_text(text)
    assert path.stat().st_size > 14_000_000
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    items, grown_mib = result.stdout.rsplit(" ", 1)
    assert items == "[(1, 'post', 10), (2, 'post', 10)]"
    assert int(grown_mib) < 30, f"reading grew the process by {grown_mib} MiB"
