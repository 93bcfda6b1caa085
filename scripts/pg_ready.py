"""Exit 0 when the PostgreSQL server in the URL answers (the test database is created by pytest-django)."""

import sys
from urllib.parse import urlsplit

import psycopg

url = urlsplit(sys.argv[1])
try:
    psycopg.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname="postgres",
        connect_timeout=3,
    ).close()
except psycopg.Error as error:
    print(f"PostgreSQL not reachable: {error}")
    sys.exit(1)
