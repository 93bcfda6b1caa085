"""The demo says how to sign in: `make run`'s banner and the README give the demo resident's
phone number and that the password is the staff's."""

import random
from pathlib import Path

from django.conf import settings

from estate import demo
from estate.accounts.models import User
from estate.core.management.commands.serve import banner
from estate.properties.models import Resident
from tests.factories import ResidentFactory

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_banner_gives_the_demo_residents_number_and_the_password(bsw):
    user = User.objects.create_user(username=demo.RESIDENT_USERNAME, password="x")
    Resident.objects.filter(name="陳美玲").update(user=user)
    ResidentFactory(phone="13900000000")  # someone else's number is not the one said
    text = banner("127.0.0.1", 8000)
    assert "13812341234" in text
    assert "13900000000" not in text
    assert "http://127.0.0.1:8000/portal/sign-in/" in text
    assert text.count(settings.DEMO_PASSWORD) == 1  # the resident's is "the same password"
    assert "resident" in text


def test_the_number_is_said_at_a_terminal_only_never_into_a_log(bsw):
    user = User.objects.create_user(username=demo.RESIDENT_USERNAME, password="x")
    Resident.objects.filter(name="陳美玲").update(user=user)
    assert "13812341234" not in banner("127.0.0.1", 8000, on_a_terminal=False)


def test_without_the_demo_resident_the_banner_names_no_number(bsw):
    text = banner("127.0.0.1", 8000)
    assert "portal/sign-in" not in text
    assert settings.DEMO_PASSWORD in text


def test_the_readme_gives_the_number_the_demo_seeds_for_the_resident():
    anchor = demo.make_plan(random.Random(demo.SEED)).anchor.primary
    row = next(line for line in README.read_text().splitlines() if line.startswith("| `resident`"))
    assert anchor.phone in row
    assert anchor.name in row
    assert "same password" in row
