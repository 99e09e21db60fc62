# Varnish in front of Newsroom (nginx or the app servers behind it), with stock Varnish 7:
# public pages are kept as their Cache-Control says (s-maxage), and forgotten at once when the
# site purges them by surrogate key (CDN_PURGE_BACKEND=varnish, CDN_PURGE_URLS=http://<this>).
#
# A purge is "PURGE /" with "xkey-purge: <key> <key>..." from an address in "purgers"; each
# answer carries "Surrogate-Key: site story:<slug> lang:en-ca" (newsroom/pagecache), and the
# purge bans every object whose Surrogate-Key holds one of the keys. Bans on obj.* only are
# tested against cached objects by the ban lurker too, so the ban list stays short.
# deploy/varnish/newsroom-xkey.vcl does the same with the xkey vmod (varnish-modules).
# docs/how-to/production.md puts it together; the backend below is replaced there.
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the app servers and workers (they send the purges).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed"));
        }
        # Keys are ASCII without spaces or commas (pagecache.surrogate_key): refuse anything
        # else rather than build a ban from it.
        if (req.http.xkey-purge !~ "^[A-Za-z0-9:._%-]+( [A-Za-z0-9:._%-]+)*$") {
            return (synth(400, "xkey-purge: surrogate keys separated by spaces"));
        }
        ban("obj.http.Surrogate-Key ~ (^|\s)(" + regsuball(req.http.xkey-purge, " ", "|") + ")(\s|$)");
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors (the session cookie) and the admin always reach the site, as through nginx.
    if (req.url ~ "^/admin/" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Other cookies (a reader's vote, the replica cookie) do not change a public page: the
    # site marks what may be shared (Cache-Control: public; nothing with Set-Cookie is kept).
    return (hash);
}

sub vcl_backend_response {
    # The answers replacing a page (404 of an unpublished story, 301 of a renamed one) carry
    # its keys too, so a story published again is purged back in; kept briefly regardless.
    if (beresp.status != 200 && !beresp.http.Cache-Control && beresp.http.Surrogate-Key) {
        set beresp.ttl = 5s;
        set beresp.grace = 0s;
    }
}

sub vcl_deliver {
    # What the site tells the caches in front is not for readers.
    unset resp.http.Surrogate-Key;
    unset resp.http.X-Accel-Expires;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
