"""'Send it for me': confirm, queue, send, retry, hold; never twice, never lost.

states.py is the only place a sent-for-you letter changes state; the rest builds on it:
confirmation.py (the supporter's link), sending.py (the worker's job), mail.py (the
messages), limits.py (quiet anti-abuse), safety.py (who a letter may really go to).
"""
