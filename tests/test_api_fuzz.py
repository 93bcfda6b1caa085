"""The API keeps its contract for requests of any shape: schemathesis reads the OpenAPI schema
from the app itself (WSGI, no server) and sends generated requests, valid and invalid, to every
operation as a receptionist, an office head, a worker and a cashier (and the resident to the
portal), in the office of tests/api_world.py on its frozen day. No answer may be a 5xx, and
every documented answer must match its schema (body and content type); the figures
(operations, requests, failures, answers by status class) are printed after the module.

The budget is ``API_FUZZ_EXAMPLES`` requests per operation and role (10 unless set); the
examples are derandomized, so a run repeats the last one, unless ``API_FUZZ_RANDOM=1``. Path
ids and references in bodies and queries (an office, a service unit, a person) are drawn from
the office's real rows half of the time, so that actions reach their rules, not only 404s."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from estate.accounts import tokens
from estate.accounts.models import User
from estate.billing.models import BillRun, MeterReading, Payment, Remark, Reversal, Statement
from estate.frontdesk.models import Contact, ServiceItem
from estate.knowledge.models import Article
from estate.properties.models import (
    Building,
    Department,
    Household,
    Office,
    Resident,
    ServiceUnit,
    Unit,
)
from estate.timerules.models import Clock
from estate.visits.models import OpinionItem, Questionnaire, ReturnVisit
from estate.workorders.models import Rectification, WorkOrder

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))
RANDOM = os.environ.get("API_FUZZ_RANDOM") == "1"
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

# What ``{id}`` names under each path, and what a field of a body or query refers to.
PATH_ROWS = {
    "/api/v1/offices/": Office, "/api/v1/buildings/": Building, "/api/v1/units/": Unit,
    "/api/v1/households/": Household, "/api/v1/residents/": Resident,
    "/api/v1/service-units/": ServiceUnit, "/api/v1/contacts/": Contact,
    "/api/v1/service-items/": ServiceItem, "/api/v1/departments/": Department,
    "/api/v1/work-orders/": WorkOrder, "/api/v1/clocks/": Clock,
    "/api/v1/return-visits/": ReturnVisit, "/api/v1/opinion-items/": OpinionItem,
    "/api/v1/questionnaires/": Questionnaire, "/api/v1/articles/": Article,
    "/api/v1/statements/": Statement, "/api/v1/payments/": Payment,
    "/api/v1/reversals/": Reversal, "/api/v1/bill-runs/": BillRun,
    "/api/v1/meter-readings/": MeterReading, "/api/v1/owner-remarks/": Remark,
    "/api/v1/portal/orders/": WorkOrder, "/api/v1/portal/statements/": Statement,
}  # fmt: skip
FIELD_ROWS = {
    "office": Office, "service_unit": ServiceUnit, "assignee": User, "staff_member": User,
    "department": Department, "service_item": ServiceItem, "requester": Resident,
    "rectification": Rectification, "household": Household, "building": Building,
}  # fmt: skip
FIELD_TEXTS = {"unit": ["3-1202", "3-1201"], "quarter": ["2026Q4", "2027Q1"], "month": ["2026-11"]}

tally: Counter[str] = Counter()  # requests, roles, failures
answers: Counter[str] = Counter()  # by status class: 2xx, 4xx…
operations: set[str] = set()
_schema_cache: dict[str, Any] = {}


@pytest.fixture(scope="module", autouse=True)
def _report_figures(request):
    """The figures for the record, after the module: operations, requests, failures."""
    yield
    if tally["requests"]:
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():  # shown however pytest captures output
            print(
                f"\nAPI fuzz (schemathesis {schemathesis.__version__}): {len(operations)} "
                f"operations, {tally['requests']} requests as {tally['roles']} roles, "
                f"{tally['failures']} failures ({EXAMPLES} examples per operation and role; "
                f"answers: {', '.join(f'{n} {code}' for code, n in sorted(answers.items()))})"
            )


@pytest.fixture
def app():
    """Django as a WSGI app. Like Django's test client, the end of a request must not close the
    database connection: it holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema(app, token):
    """The app's own schema (read once: it does not depend on who asks)."""
    if "raw" not in _schema_cache:
        loaded = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", app, headers={"Authorization": f"Token {token}"}
        )
        _schema_cache["raw"] = loaded.raw_schema
    schema = schemathesis.openapi.from_dict(_schema_cache["raw"])
    schema.app = app
    return schema


def _rows():
    """Real ids, per path and per referring field, of the office as it is now."""
    ids = {
        path: list(model.objects.values_list("pk", flat=True)) for path, model in PATH_ROWS.items()
    }
    refs = {
        name: list(model.objects.values_list("pk", flat=True)) for name, model in FIELD_ROWS.items()
    }
    return ids, refs


def _aim(case, draw, ids, refs):
    """Point the generated request at real rows, half of the time for each id or reference."""
    known_ids = ids.get(case.operation.path.split("{")[0])
    if known_ids and "id" in (case.path_parameters or {}) and draw(st.booleans()):
        case.path_parameters["id"] = draw(st.sampled_from(known_ids))
    for container in (case.query, case.body):
        if not isinstance(container, dict):
            continue
        for name in list(container):
            known = refs.get(name) or FIELD_TEXTS.get(name)
            if known and draw(st.booleans()):
                container[name] = draw(st.sampled_from(known))


def _requests(operation):
    """Valid and invalid requests; an operation without parameters has no invalid one."""
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    with contextlib.suppress(Exception):  # nothing to make invalid: no parameters, no body
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    return st.one_of(*strategies)


def _check(operation, headers) -> str | None:
    """Send the operation its budget of requests; the failure found, if any, with its case."""
    ids, refs = _rows()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_requests(operation), data=st.data())
    def send(case, data):
        _aim(case, data.draw, ids, refs)
        tally["requests"] += 1
        response = case.call(headers=headers)
        answers[f"{response.status_code // 100}xx"] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        send()
    except (Exception, BaseExceptionGroup) as failure:  # schemathesis groups its failures
        tally["failures"] += 1
        return f"{operation.label}: {failure}"
    return None


def _fuzz(app, user, only: str = "") -> list[str]:
    """Every operation (those under ``only``) as ``user``; the failures, each with its case."""
    tally["roles"] += 1
    found = []
    for result in _schema(app, tokens.issue(user)[1]).get_all_operations():
        operation = result.ok()
        if operation.path.startswith(only):
            operations.add(operation.label)
            # A token of its own for each operation: revoking one's token is an operation too.
            headers = {"Authorization": f"Token {tokens.issue(user)[1]}"}
            failure = _check(operation, headers)
            if failure:
                found.append(failure)
    return found


@pytest.mark.parametrize("role", ["reception", "head", "worker", "cashier"])
def test_no_operation_answers_5xx_or_off_schema(app, api_world, role):
    failures = _fuzz(app, api_world.staff[role])
    assert not failures, "\n\n".join(failures)


def test_the_portal_keeps_its_contract_for_the_resident(app, api_world):
    failures = _fuzz(app, api_world.resident, only="/api/v1/portal/")
    assert not failures, "\n\n".join(failures)
