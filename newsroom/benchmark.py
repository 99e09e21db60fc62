"""The smallest Django view, for bench/load.py to measure the server's ceiling.

Only routed when ``NEWSROOM_BENCH`` is on; it runs through the same middleware as every
page, so a page's rate divided by this one's shows what the page itself costs.
"""

from django.http import HttpResponse


def hello(request):
    return HttpResponse(b"Hello, world", content_type="text/plain")
