"""Run benchmarks and print their numbers: `make bench`, or `python -m bench [registry|workorders|timerules|language|billing|dashboard|signin|onlinepay|planned] [options]`.

Each benchmark builds its own database from the demo data: SQLite under var/bench/ by
default, or PostgreSQL with `--postgres` (a database `estate_bench` on the local server,
or BENCH_POSTGRES_URL).
"""

import argparse
import os
import sys

parser = argparse.ArgumentParser(prog="python -m bench")
parser.add_argument(
    "names",
    nargs="*",
    default=["registry", "workorders", "timerules", "language", "billing", "dashboard"],
)
parser.add_argument("--households", type=int, default=100_000, help="households to bill")
parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL instead of SQLite")
parser.add_argument(
    "--notifications", type=int, default=500, help="online payments notified (onlinepay)"
)
parser.add_argument("--orders", type=int, default=10_000, help="orders to create through the API")
parser.add_argument(
    "--dashboard-orders", type=int, default=1_000_000, help="history behind the dashboard"
)
parser.add_argument(
    "--table-rows", type=int, default=0, help="fill the order table to this size (PostgreSQL)"
)
options = parser.parse_args()

if options.postgres:
    url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/estate_bench")
    os.environ["DATABASE_URL"] = url
    from bench.database import recreate_postgres

    recreate_postgres(url)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from bench import (  # noqa: E402
    billing,
    dashboard,
    language,
    onlinepay,
    planned,
    registry,
    signin,
    timerules,
    workorders,
)
from bench.database import fresh_database  # noqa: E402

if __name__ == "__main__":
    fresh_database()
    for name in options.names:
        print(f"\n## {name} on {django.db.connection.vendor}")
        if name == "registry":
            registry.main()
        elif name == "workorders":
            workorders.main(orders=options.orders, table_rows=options.table_rows)
        elif name == "timerules":
            timerules.main()
        elif name == "language":
            language.main()
        elif name == "dashboard":
            dashboard.main(orders=options.dashboard_orders)
        elif name == "signin":
            signin.main()
        elif name == "billing":
            billing.main(households=options.households)
        elif name == "planned":
            planned.main()
        elif name == "onlinepay":
            onlinepay.main(households=options.households, notifications=options.notifications)
        else:
            sys.exit(f"unknown benchmark {name}")
