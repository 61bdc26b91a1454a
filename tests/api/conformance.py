"""Schemathesis against /api/openapi.json: every operation, called with generated input, answers only what the spec
lists and never a server error. `make test-api` runs this file; `make test` does not collect it (its name is not
test_*.py), because it takes a minute or two and CI runs `make test` five times.

No server and no network: schemathesis calls the WSGI application in-process, on pytest-django's test database,
with a small province built from the factories and real API tokens — a commune officer (alice) for most
operations, the Home Affairs planner (noi) for staffing. Each operation gets the explicit examples, the boundary
values (coverage phase) and a bounded number of generated cases, valid and invalid, from a fixed seed so that CI
is repeatable; `API_FUZZ_SEED=random make test-api` explores, `API_FUZZ_EXAMPLES=200` goes deeper. By hand:
`.venv/bin/pytest -p schemathesis tests/api/conformance.py` (pyproject.toml keeps the plugin out of ordinary runs).
"""

import os
from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from civicdesk.assistant import store
from civicdesk.core.services import issue_api_token
from civicdesk.handbook.fields import ensure_fields
from civicdesk.hotline import services as hotline
from tests.factories import HamletFactory
from tests.handbook.factories import FaqFactory, GuideFactory, ProcedureFactory
from tests.hotline.factories import TeamFactory
from tests.servicedesk.factories import DossierFactory
from tests.staffing.factories import NeedFactory, PlanFactory, SecondmentFactory, StaffMemberFactory

from . import tally

SEED = os.environ.get("API_FUZZ_SEED", "20260302")
CONFIG = schemathesis.Config.from_dict(
    {
        **({} if SEED == "random" else {"seed": int(SEED)}),
        "generation": {"mode": "all", "max-examples": int(os.environ.get("API_FUZZ_EXAMPLES", "25"))},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
        },
        "checks": {
            # Schema-valid input can still break a business rule (an unknown field code, a dossier missing a
            # required component, a transition its status does not allow): that is a documented 422.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            },
            # ninja reads leniently what the schema words strictly (a repeated parameter: its last value; a number
            # where a date is due: a Unix time). Harmless, and not a contract the callers rely on.
            "negative_data_rejection": {"enabled": False},
        },
    }
)


@pytest.fixture
def in_process_requests():
    """Django closes the database connection when a request ends; the test's transaction must outlive each call
    (Django's own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def province(settings, tmp_path, lam_dong, di_linh, cam_ly, tu_phap, alice, phap, noi):
    """What the demo holds, in miniature: published handbook records, a dossier, a ticket, a plan, a secondment."""
    settings.ASSISTANT_INDEX_DIR = str(tmp_path / "assistant-index")
    settings.ASSISTANT_LLM_URL = ""
    settings.ASSISTANT_EMBEDDING_MODEL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    store.reset()
    fields = ensure_fields()
    procedure = ProcedureFactory(code="HT-001", name="Đăng ký khai sinh", field=fields["ho_tich"])
    GuideFactory(slug="vneid", title="Đăng nhập VNeID")
    FaqFactory(slug="hoi-cccd", question="Làm lại CCCD ở đâu?")
    HamletFactory(commune=di_linh, name="Thôn 1")
    DossierFactory(commune=di_linh, procedure=procedure, code="25000-251006-001")
    TeamFactory(department=tu_phap, leader=phap)
    hotline.create_ticket(
        alice, title="Khai sinh có yếu tố nước ngoài", body="Chi tiết", field=fields["ho_tich"]
    )
    NeedFactory(commune=di_linh, units=2, priority=5)
    StaffMemberFactory(province=lam_dong, department=tu_phap, code="TP1")
    PlanFactory(province=lam_dong)
    SecondmentFactory(
        commune=di_linh, plan=PlanFactory(province=lam_dong, status="approved"), start_date=date(2026, 1, 5)
    )
    tokens = {user.username: issue_api_token(user, user)[1] for user in (alice, noi)}
    yield tokens
    store.reset()


# Read once at collection (the spec needs no database); each operation becomes one test.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)


@schema.parametrize()
# The province is built once per operation and the examples share it, like requests share a real database.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_answers_only_what_the_spec_lists(case, province, in_process_requests):
    caller = "noi" if "staffing" in (case.operation.tags or []) else "alice"
    response = case.call_and_validate(headers={"Authorization": f"Bearer {province[caller]}"})
    tally.record(case.operation.label, response.status_code)
