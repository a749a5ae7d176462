"""'Send it for me': confirm, queue, send, retry, hold; never twice, never lost.

states.py is the only place a sent-for-you letter changes state; the rest builds on it:
confirmation.py (the supporter's link), mail.py (the messages), sending.py (confirming and
queueing letters, and the worker's job), limits.py (quiet anti-abuse), safety.py (who a letter
may really go to), bounces.py (what the mail service reports afterwards). Each imports only
those before it: bounces, sending -> mail -> confirmation.
"""
