"""Many supporters at the same moment: for the PostgreSQL concurrency tests."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.test import Client


def post_together(posts):
    """POST each (url, data) from its own thread, client and connection, all at one moment."""
    start = threading.Barrier(len(posts))

    def post(url_and_data):
        try:
            client = Client()
            start.wait()
            return client.post(*url_and_data)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        return list(pool.map(post, posts))
