"""Run every benchmark and print its numbers: `make bench` (or `python -m bench`).

Benchmarks use their own SQLite database under var/bench/, built from the demo data.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from bench import registry  # noqa: E402

if __name__ == "__main__":
    sys.exit(registry.main())
