"""Gunicorn's settings: read by every gunicorn started in this directory (deploys, bench/).

Confirmation tokens and letters-page keys are in URL paths; the access log, when it is on
(``--access-logfile -``), shows them as ``[token]`` and ``[key]``. See docs/deploy.md.
"""

logger_class = "advocacy.access_log.RedactingLogger"
