# Varnish in front of Newsroom with the xkey vmod (Debian: apt-get install varnish-modules):
# the same as deploy/varnish/newsroom.vcl, but a purge looks the keys up in xkey's index
# instead of adding bans, which suits a large cache with many purges a second.
vcl 4.1;

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed"));
        }
        if (req.http.xkey-purge !~ "^[A-Za-z0-9:._%-]+( [A-Za-z0-9:._%-]+)*$") {
            return (synth(400, "xkey-purge: surrogate keys separated by spaces"));
        }
        # A hard purge: a soft one would leave the copies to be served stale.
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin/" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    return (hash);
}

sub vcl_backend_response {
    # xkey indexes the objects by the keys in this header.
    set beresp.http.xkey = beresp.http.Surrogate-Key;
    if (beresp.status != 200 && !beresp.http.Cache-Control && beresp.http.Surrogate-Key) {
        set beresp.ttl = 5s;
        set beresp.grace = 0s;
    }
}

sub vcl_deliver {
    unset resp.http.Surrogate-Key;
    unset resp.http.xkey;
    unset resp.http.X-Accel-Expires;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
