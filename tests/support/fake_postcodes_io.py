"""A stand-in for api.postcodes.io on 127.0.0.1, answering in the API's documented shapes.

The records follow the response schema documented at postcodes.io (``/postcodes/<pc>`` and
``/scotland/postcodes/<pc>``), trimmed to a representative set of fields. Tests never call the
real service.
"""

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

SLOW_SECONDS = 2.0


def _record(postcode, country, constituency, codes, **fields):
    outcode, incode = postcode.split()
    return {
        "postcode": postcode,
        "quality": 1,
        "country": country,
        "outcode": outcode,
        "incode": incode,
        "parliamentary_constituency": constituency,
        "parliamentary_constituency_2024": constituency,
        "date_of_introduction": "198001",
        "codes": {"parliamentary_constituency_2024": codes["parliamentary_constituency"], **codes},
        **fields,
    }


POSTCODES = {
    "SW1A0AA": _record(
        "SW1A 0AA",
        "England",
        "Cities of London and Westminster",
        {
            "admin_district": "E09000033",
            "admin_ward": "E05013806",
            "parliamentary_constituency": "E14001172",
            "lsoa": "E01004736",
        },
        admin_district="Westminster",
        region="London",
        longitude=-0.124663,
        latitude=51.499842,
    ),
    # A Scottish record without the Holyrood code: the client asks /scotland/ for it.
    "EH991SP": _record(
        "EH99 1SP",
        "Scotland",
        "Edinburgh East and Musselburgh",
        {"admin_district": "S12000036", "parliamentary_constituency": "S14000078"},
        admin_district="City of Edinburgh",
    ),
    # A Scottish record that carries the Holyrood code itself.
    "EH991AB": _record(
        "EH99 1AB",
        "Scotland",
        "Edinburgh East and Musselburgh",
        {
            "parliamentary_constituency": "S14000078",
            "scottish_parliamentary_constituency": "S16000182",
        },
    ),
    "CF991SN": _record(
        "CF99 1SN",
        "Wales",
        "Cardiff South and Penarth",
        {"admin_district": "W06000015", "parliamentary_constituency": "W07000091"},
        senedd_constituency=None,
    ),
    "BT43XX": _record(
        "BT4 3XX",
        "Northern Ireland",
        "Belfast East",
        {"admin_district": "N09000003", "parliamentary_constituency": "N05000001"},
    ),
}
SCOTTISH_POSTCODES = {
    "EH991SP": {
        "postcode": "EH99 1SP",
        "scottish_parliamentary_constituency": "Edinburgh Central",
        "codes": {"scottish_parliamentary_constituency": "S16000182"},
    },
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        self.server.requests.append(path)
        for prefix, records in (
            ("/scotland/postcodes/", SCOTTISH_POSTCODES),
            ("/postcodes/", POSTCODES),
        ):
            if path.startswith(prefix):
                return self._answer(records, "".join(path[len(prefix) :].split()).upper())
        return self._json(404, {"status": 404, "error": "Resource not found"})

    def _answer(self, records, key):
        if self.server.down:
            return self._json(503, {"status": 503, "error": "Service unavailable"})
        if key == "SLOW":
            time.sleep(SLOW_SECONDS)
        if key == "BROKEN":
            return self._json(500, {"status": 500, "error": "Internal server error"})
        if key == "GARBLED":
            return self._send(200, b"<html>Bad gateway</html>", "text/html")
        if key not in records:
            return self._json(404, {"status": 404, "error": "Invalid postcode"})
        return self._json(200, {"status": 200, "result": records[key]})

    def _json(self, status, body):
        self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8")

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Keep test output quiet."""


@contextmanager
def fake_postcodes_io():
    """Serve the fake API on a free local port; yields the server (``.url``, ``.requests``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.requests = []
    server.down = False  # set True to answer every request with 503
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
