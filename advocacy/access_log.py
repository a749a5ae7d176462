"""Gunicorn's access log with the app log's redactions (advocacy.logs): no confirmation token,
letters-page key or email address in any field, whatever access_log_format asks for."""

from gunicorn.glogging import Logger

from advocacy.logs import redact


class RedactingLogger(Logger):
    """Gunicorn's own logger, with every text atom (request line, path, query, referrer,
    headers, environ) redacted before the line is formatted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: redact(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
