"""The cache in front (Varnish or a CDN) forgets a changed page when the page cache does."""
