"""Staff accounts: two-factor login to the admin, login throttling and session time-outs."""
