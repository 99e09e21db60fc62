"""What a new web worker does before its first request, said by the apps.

Apps register callables in their ``AppConfig.ready()`` (the articles app: the story page's
queries); ``newsroom.wsgi.warm_up_worker`` runs them in each gunicorn worker before its first
request. This module imports no app.
"""

_steps = []


def register(step):
    """Run ``step()`` in each new worker before its first request (may use the database)."""
    if step not in _steps:
        _steps.append(step)


def steps():
    return list(_steps)
