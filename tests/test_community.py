"""Community activities: residents propose and vote once; the office plans the quarter's
activity from a need, residents sign up, the office records who took part; each office's
quarter shows as done or missing."""

from datetime import date

import pytest
from django.urls import reverse

from estate.accounts.models import User
from estate.community import actions
from estate.community.models import Activity, Need, SignUp, Vote
from estate.core.periods import Quarter
from estate.properties.models import Office, Resident
from tests.factories import PASSWORD


@pytest.fixture
def chen(bsw):
    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=user)
    return user


def test_propose_vote_plan_sign_up_and_record(client, bsw, other_office, chen, reception):
    client.force_login(chen)
    client.post(reverse("portal:community"), {"do": "propose", "text": "為老人義務理髮"})
    need = Need.objects.get()
    client.post(reverse("portal:community"), {"do": "vote", "need": need.pk})  # a second vote
    assert Vote.objects.filter(need=need).count() == 1  # proposing counted as the one vote

    client.force_login(reception)
    client.post(
        reverse("community:office"),
        {"office": bsw.pk, "do": "plan", "title": "學雷鋒義務理髮", "need": need.pk,
         "held_on": "2026-12-12", "place": "會所"},
    )  # fmt: skip
    activity = Activity.objects.get()
    assert (activity.quarter, activity.need) == ("2026Q4", need)

    client.force_login(chen)
    page = client.get(reverse("portal:community")).content.decode()
    assert f'data-testid="sign-up-{activity.pk}"' in page
    client.post(reverse("portal:community"), {"do": "sign_up", "activity": activity.pk})
    chen_resident = Resident.objects.get(user=chen)
    assert SignUp.objects.filter(activity=activity, resident=chen_resident).exists()

    statuses = dict(actions.quarter_status(Quarter(2026, 4), Office.objects.all()))
    assert (statuses[bsw], statuses[other_office]) == (False, False)
    client.force_login(reception)
    client.post(
        reverse("community:office"),
        {"office": bsw.pk, "do": "record", "activity": activity.pk, "took_part": [chen_resident.pk],
         "record": "為 23 位老人理髮，志願者 6 人"},
    )  # fmt: skip
    activity.refresh_from_db()
    assert activity.status == "done"
    assert SignUp.objects.get().took_part
    statuses = dict(actions.quarter_status(Quarter(2026, 4), Office.objects.all()))
    assert (statuses[bsw], statuses[other_office]) == (True, False)
    page = client.get(reverse("community:office"), {"office": bsw.pk}).content.decode()
    assert 'data-testid="quarter-status"' in page


def test_residents_cannot_touch_another_offices_needs(client, bsw, other_office, chen):
    theirs = Need.objects.create(office=other_office, text="修建兒童遊樂場")
    client.force_login(chen)
    assert (
        client.post(reverse("portal:community"), {"do": "vote", "need": theirs.pk}).status_code
        == 404
    )
    assert not Vote.objects.exists()


def test_bad_plans_are_refused(bsw, reception):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        actions.plan(office=bsw, by=reception, title=" ", held_on=date(2026, 12, 1), place="")
    assert set(refused.value.message_dict) == {"title", "place"}
