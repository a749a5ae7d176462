"""gunicorn's access log without confirmation tokens, letters-page keys or email addresses.

They travel in URL paths (and in the Referer of the next request), which an access log keeps
for every request. gunicorn.conf.py at the top of the repository names this logger class, so
any gunicorn started there uses it; docs/deploy.md has the same for nginx.
"""

from gunicorn import glogging

from advocacy.logs import redact


class RedactingLogger(glogging.Logger):
    """Every text the access log format can print (request line, path, query, referer, any
    header) passes through advocacy.logs.redact first."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
