"""Varnish on this machine in front of a local app server, with the repository's VCL.

For tests/production/test_varnish_purge.py: the VCL in ``deploy/varnish/`` is used as it is,
with only its backend's port replaced by the app server's. Not used by the site itself.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VCL_FOLDER = ROOT / "deploy" / "varnish"


class VarnishRefused(RuntimeError):
    """``varnishd -C`` refused the VCL (its message is the exception's text)."""


def binary():
    # Debian puts it in /usr/sbin, which is not on every user's PATH.
    return shutil.which("varnishd", path=f"{os.environ.get('PATH', '')}:/usr/sbin")


def vcl(name, backend_port):
    """The repository's VCL ``name`` with its backend on ``backend_port``."""
    text = (VCL_FOLDER / name).read_text()
    text, replaced = re.subn(r'\.port = "\d+";', f'.port = "{backend_port}";', text, count=1)
    assert replaced == 1, f"no backend port in {name}"
    return text


def prepare(folder, port, backend_port, name="newsroom.vcl"):
    """Write the VCL into ``folder`` and compile it; the command that runs varnishd."""
    varnishd = binary()
    if varnishd is None:
        raise FileNotFoundError("varnishd is not installed (apt-get install varnish)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(vcl(name, backend_port))
    work = folder / "work"
    check = subprocess.run(
        [varnishd, "-C", "-j", "none", "-f", str(path), "-n", str(work)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if check.returncode != 0:
        raise VarnishRefused(check.stderr[-3000:])
    # -F: in the foreground, a child of the test; -j none: no privilege separation, so a
    # root test needs no "varnish" user able to read the temporary folder.
    return [
        varnishd,
        "-F",
        "-j",
        "none",
        "-a",
        f"127.0.0.1:{port}",
        "-T",
        "none",
        "-f",
        str(path),
        "-n",
        str(work),
        "-s",
        "malloc,32m",
    ]
