"""Tools for the tests and the benchmarks, in one place: never imported by the site.

- ``devtools.cluster``: real processes on this machine (free ports, child processes, waiting
  for a server, production app servers and ``manage.py``, SeaweedFS, nginx, an editor's
  browser over plain HTTP).
- ``devtools.nginx``: nginx's configuration around the repository's site part.

``tests/`` imports it as ``devtools`` (pytest runs from the repository's root); the scripts
in ``bench/`` put the repository's root on ``sys.path`` first. It is not installed with the
project (``[tool.setuptools.packages.find]``), and an import contract in ``pyproject.toml``
keeps the apps and the project package from importing it.
"""
