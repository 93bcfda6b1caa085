#!/usr/bin/env bash
# Every check and test, in order. With CI=true, PostgreSQL and browser tests are mandatory.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PY=$VENV/bin/python
CI=${CI:-false}
export DEBUG=false
export SECRET_KEY=${SECRET_KEY:-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz}
export DATABASE_URL=${DATABASE_URL_SQLITE:-sqlite:///var/test-checks.sqlite3}
export TASKS_BACKEND=django.tasks.backends.immediate.ImmediateBackend
mkdir -p var
failures=()

step() { echo; echo "==> $*"; }
run() {  # run NAME CMD...: record a failure and go on, so one run shows every problem
  local name=$1; shift
  step "$name"
  if ! "$@"; then failures+=("$name"); fi
}
mandatory_or_skip() {  # what is missing, and why
  if [ "$CI" = "true" ]; then
    echo "FAIL: $1 is required when CI=true"; failures+=("$1")
  else
    echo "SKIPPED: $1 ($2)"
  fi
}

# --- System packages the tests need (Debian, as root): a browser, CJK fonts, gettext, poppler.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)  # printed forms rendered to PNG
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    step "Installing ${missing[*]} from Debian"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
      || echo "could not install ${missing[*]}"
  else
    echo "Not root or not Debian: cannot install ${missing[*]}"
  fi
fi

run "ruff check" $VENV/bin/ruff check .
run "ruff format --check" $VENV/bin/ruff format --check .
run "mypy" $VENV/bin/mypy .
run "djlint --check (templates)" $VENV/bin/djlint estate/templates --check --quiet
run "manage.py check" $PY manage.py check --fail-level WARNING
run "manage.py check --deploy (production settings)" env SECURE_SSL_REDIRECT=true SECURE_COOKIES=true \
  SECURE_HSTS_SECONDS=31536000 BEHIND_HTTPS_PROXY=true ALLOWED_HOSTS=desk.example.cn \
  SECRET_KEY=x7kd93-production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a \
  EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend SMS_GATEWAY=tests.gateways.RecordingGateway \
  $PY manage.py check --deploy --fail-level WARNING
run "makemigrations --check" $PY manage.py makemigrations --check --dry-run
run "translations complete" $PY scripts/messages.py --check

# No test may lean on today's date: the SQLite run moves the clock to a random day within the
# next three years (repeat one with TEST_TODAY=2028-02-29 make test); PostgreSQL runs today.
TEST_TODAY=${TEST_TODAY:-$($PY -c 'import datetime, random; print(datetime.date.today() + datetime.timedelta(days=random.randrange(3 * 366)))')}
step "pytest on SQLite, the clock moved to $TEST_TODAY (TEST_TODAY=$TEST_TODAY repeats it)"
TEST_TODAY=$TEST_TODAY $VENV/bin/pytest -m "not browser" -q -p no:randomly
rc=$?; [ $rc -eq 0 ] || failures+=("pytest on SQLite at $TEST_TODAY")

step "pytest on PostgreSQL"
PG_URL=${DATABASE_URL_TEST:-postgres://postgres@127.0.0.1:5432/estate}
if $PY scripts/pg_ready.py "$PG_URL"; then
  DATABASE_URL=$PG_URL TEST_TODAY= $VENV/bin/pytest -m "not browser" -q
  rc=$?; [ $rc -eq 0 ] || failures+=("pytest on PostgreSQL")
else
  mandatory_or_skip "pytest on PostgreSQL" "no PostgreSQL server at $PG_URL"
fi

step "browser tests (Playwright + Debian chromium)"
if [ -x /usr/bin/chromium ]; then
  $VENV/bin/pytest -m browser -q
  rc=$?; [ $rc -eq 0 ] || failures+=("browser tests")
else
  mandatory_or_skip "browser tests" "/usr/bin/chromium is not installed"
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "FAILED: ${failures[*]}"
  exit 1
fi
echo "All checks and tests passed."
