"""Benchmark of the WordPress import on PostgreSQL: time and memory for a big export.

Writes a WXR export of ``--posts`` posts (50,000 by default) in the shape WordPress's
Tools → Export writes: authors, categories and tags in the channel; posts alternating
classic content (blank-line paragraphs, a ``[caption]`` shortcode) and block content
(``<!-- wp:… -->`` comments, a ``wp-block-image`` figure); three tags and one or two
categories each; Rate My Post meta on every third post; a featured image on every tenth
(an attachment item with PHP-serialised ``_wp_attachment_metadata``, the JPEG in an uploads
folder). The text is generated here, from a small vocabulary.

Then, in a fresh database ``--database`` (default ``newsroom_wordpress_bench``), it runs
``manage.py import_wordpress`` twice as a child process: the first run imports everything
(then does the derived work: photo renditions, related lists, search index), the second
finds nothing changed. It prints wall time and the importer's resident memory, sampled every
second, so a flat line shows the file is streamed.

    .venv/bin/python bench/wordpress_import.py                  # 50,000 posts
    .venv/bin/python bench/wordpress_import.py --posts 2000     # a quick look
    .venv/bin/python bench/wordpress_import.py --keep           # keep the database

PostgreSQL is reached at ``BENCH_PG`` (default postgres://postgres@127.0.0.1:5432). For each
run it also prints the importer's CPU time (user + system; PostgreSQL's own work is not in it)
and the load average sampled while it ran.

The derived work after the first import (photo renditions, one related rebuild) is queued for
the worker. Without ``CELERY_BROKER_URL`` there is no broker, so it runs in the importer's
process and its time is printed apart; with one (e.g. ``CELERY_BROKER_URL=redis://…/5``, no
worker listening) it is only queued, as in production, and nothing waits for it (empty that
queue afterwards).
"""

import argparse
import io
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

WORDS = (
    "council housing budget river wildfire evacuation province minister hockey arena "
    "transit union teachers harbour ferry rates inflation tariff lumber canola pipeline "
    "mayor school board hospital nurses wait times snowfall highway bridge tourism "
    "festival museum library park trail fisheries coast guard election riding ballot "
    "survey residents neighbours downtown rent vacancy mortgage lender bank policy"
).split()
CATEGORIES = ["News", "Politics", "Business", "Sports", "Arts", "Opinion", "Local", "Weather"]


def sentence(rng, n=12):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng):
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(2, 4)))


def php_string(value):
    return f's:{len(value.encode())}:"{value}";'


def attachment_meta(path, credit):
    image_meta = (
        "a:3:{"
        + php_string("credit")
        + php_string(credit)
        + php_string("caption")
        + 's:0:"";'
        + php_string("title")
        + 's:0:"";}'
    )
    return (
        'a:4:{s:5:"width";i:320;s:6:"height";i:240;'
        + php_string("file")
        + php_string(path)
        + php_string("image_meta")
        + image_meta
        + "}"
    )


def write_export(path, uploads, posts, seed=2026):
    """Write the export and the uploads folder; return the number of attachments."""
    from PIL import Image

    rng = random.Random(seed)
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 120, 150)).save(buffer, "JPEG", quality=80)
    jpeg = buffer.getvalue()
    tags = [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(300)]
    attachments = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench Gazette</title><link>https://gazette.example</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_blog_url>https://gazette.example</wp:base_blog_url>\n"
        )
        for n in range(20):
            out.write(
                f"<wp:author><wp:author_login><![CDATA[writer{n}]]></wp:author_login>"
                f"<wp:author_display_name><![CDATA[Writer {n}]]></wp:author_display_name>"
                "</wp:author>\n"
            )
        for n, name in enumerate(CATEGORIES, start=1):
            out.write(
                f"<wp:category><wp:term_id>{n}</wp:term_id><wp:category_nicename>"
                f"{name.lower()}</wp:category_nicename><wp:category_parent></wp:category_parent>"
                f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>\n"
            )
        next_id = 1
        for n in range(posts):
            post_id, next_id = next_id, next_id + 1
            thumbnail = ""
            if n % 10 == 0:
                attachment_id, next_id = next_id, next_id + 1
                rel = f"{2000 + n % 25}/{1 + n % 12:02d}/photo-{attachment_id}.jpg"
                target = uploads / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jpeg)
                credit = f"THE CANADIAN PRESS/Photographer {n % 50}"
                out.write(
                    f"<item><title>photo-{attachment_id}</title>"
                    f"<wp:post_id>{attachment_id}</wp:post_id>"
                    "<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
                    f"<excerpt:encoded><![CDATA[{sentence(rng)}]]></excerpt:encoded>"
                    f"<wp:attachment_url>https://gazette.example/wp-content/uploads/{rel}"
                    "</wp:attachment_url>"
                    "<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
                    f"<wp:meta_value><![CDATA[{rel}]]></wp:meta_value></wp:postmeta>"
                    "<wp:postmeta><wp:meta_key>_wp_attachment_metadata</wp:meta_key>"
                    f"<wp:meta_value><![CDATA[{attachment_meta(rel, credit)}]]></wp:meta_value>"
                    "</wp:postmeta>"
                    "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                    f"<wp:meta_value><![CDATA[{sentence(rng, 6)}]]></wp:meta_value></wp:postmeta>"
                    "</item>\n"
                )
                attachments += 1
                thumbnail = (
                    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                    f"<wp:meta_value>{attachment_id}</wp:meta_value></wp:postmeta>"
                )
            paragraphs = [paragraph(rng) for _ in range(rng.randint(5, 9))]
            if n % 2:
                body = "\n\n".join(
                    f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs
                )
            else:
                caption = (
                    f'[caption id="attachment_{n}" align="alignnone" width="300"]'
                    f'<img src="https://gazette.example/wp-content/uploads/x-{n}.jpg" alt="" /> '
                    f"{sentence(rng)}[/caption]"
                )
                body = "\n\n".join([paragraphs[0], caption, *paragraphs[1:]])
            title = sentence(rng, 8)[:-1]
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] + f"-{post_id}"
            day = f"20{10 + n % 15}-{1 + n % 12:02d}-{1 + n % 28:02d}"
            terms = "".join(
                f'<category domain="post_tag" nicename="t{t}"><![CDATA[{tags[t]}]]></category>'
                for t in rng.sample(range(len(tags)), 3)
            )
            for name in rng.sample(CATEGORIES, rng.randint(1, 2)):
                terms += (
                    f'<category domain="category" nicename="{name.lower()}">'
                    f"<![CDATA[{name}]]></category>"
                )
            ratings = ""
            if n % 3 == 0:
                count = rng.randint(1, 40)
                total = rng.randint(count, count * 5)
                ratings = (
                    "<wp:postmeta><wp:meta_key>rmp_vote_count</wp:meta_key>"
                    f"<wp:meta_value>{count}</wp:meta_value></wp:postmeta>"
                    "<wp:postmeta><wp:meta_key>rmp_rating_val_sum</wp:meta_key>"
                    f"<wp:meta_value>{total}</wp:meta_value></wp:postmeta>"
                )
            out.write(
                f"<item><title><![CDATA[{title}]]></title>"
                f"<link>https://gazette.example/{day.replace('-', '/')}/{slug}/</link>"
                f"<dc:creator><![CDATA[writer{n % 20}]]></dc:creator>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[{sentence(rng)}]]></excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id>"
                f"<wp:post_date>{day} 09:30:00</wp:post_date>"
                f"<wp:post_date_gmt>{day} 14:30:00</wp:post_date_gmt>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>"
                f"{terms}{thumbnail}{ratings}</item>\n"
            )
        out.write("</channel>\n</rss>\n")
    return attachments


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def run_import(export, uploads, env):
    """Run the command; return (seconds, RSS samples in MiB, peak MiB, its stdout, CPU
    seconds of the importer, load averages sampled while it ran)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "manage.py", "import_wordpress", str(export), "--media-dir", str(uploads)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    samples, peak, loads = [], 0.0, []
    while child.poll() is None:
        rss = rss_mib(child.pid)
        if rss:
            samples.append((time.monotonic() - started, rss))
            peak = max(peak, rss)
        loads.append(os.getloadavg()[0])
        time.sleep(1)
    output = child.stdout.read()
    if child.returncode:
        sys.stderr.write(output)
        sys.exit(f"import_wordpress failed with status {child.returncode}.")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.monotonic() - started, samples, peak, output, cpu, loads


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--database", default="newsroom_wordpress_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    import psycopg

    workdir = Path(tempfile.mkdtemp(prefix="wordpress-bench-"))
    export, uploads = workdir / "export.xml", workdir / "uploads"
    started = time.monotonic()
    attachments = write_export(export, uploads, args.posts)
    print(
        f"export written: {args.posts:,} posts, {attachments:,} featured images, "
        f"{export.stat().st_size / 1_048_576:,.0f} MiB in {time.monotonic() - started:.0f} s"
    )

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{args.database}",
        "MEDIA_ROOT": str(workdir / "media"),
        "RELATED_INDEX_PATH": str(workdir / "related-index.npz"),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    load = os.getloadavg()[0]
    print(f"load average before: {load:.1f}")
    broker = env.get("CELERY_BROKER_URL")
    print(
        f"derived work: queued on {broker} (not waited for)"
        if broker
        else "derived work: no broker, run in the importer's process"
    )
    for label in ("first run", "second run (nothing changed)"):
        seconds, samples, peak, output, cpu, loads = run_import(export, uploads, env)
        phases = re.search(r"Import (\d+) s, derived work (\d+) s", output)
        print(
            f"\n{label}: {seconds:,.0f} s in all, importer CPU {cpu:,.0f} s, "
            f"peak RSS {peak:,.0f} MiB"
        )
        if loads:
            print(
                f"  load average while it ran: {min(loads):.1f}–{max(loads):.1f} "
                f"(mean {sum(loads) / len(loads):.1f})"
            )
        if phases:
            imported, derived = int(phases.group(1)), int(phases.group(2))
            print(
                f"  import {imported:,} s ({args.posts / max(imported, 1):,.0f} posts/s), "
                f"derived work {derived:,} s"
            )
        if samples:
            marks = [samples[int(len(samples) * f)] for f in (0.1, 0.25, 0.5, 0.75)] + [samples[-1]]
            print("  RSS over time: " + ", ".join(f"{t:,.0f} s {m:,.0f} MiB" for t, m in marks))
        for line in output.splitlines():
            if line.strip().startswith(("created", "unchanged", "found", "refused")):
                print("  " + line.strip())
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if not args.keep:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
    subprocess.run(["rm", "-rf", str(workdir)], check=False)


if __name__ == "__main__":
    main()
