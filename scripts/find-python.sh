#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (3.13 preferred), or explain and fail.
set -euo pipefail
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.13 python3.12 python3.14)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in $(ls -1 "$root/versions" 2>/dev/null | sort -rV); do candidates+=("$root/versions/$v/bin/python3"); done
fi
candidates+=(/usr/local/bin/python3 /usr/bin/python3 python3)
for c in "${candidates[@]}"; do
  path=$(command -v "$c" 2>/dev/null || true)
  [ -n "$path" ] || continue
  if "$path" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "estate needs Python 3.12 or newer (Django 6.1), and none was found." >&2
echo "Install one (for example: pyenv install 3.13, or apt-get install python3.13) or set PYTHON=/path/to/python3." >&2
exit 1
