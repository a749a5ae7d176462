"""gunicorn settings read whenever gunicorn starts in this folder (see docs/deploy.md)."""

# Access log lines with confirmation tokens, letters-page keys and email addresses redacted.
logger_class = "advocacy.access_log.RedactingLogger"
