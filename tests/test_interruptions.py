"""Planned interruptions (停水停電通知): recorded at the office, told to the main contact of each
affected household a day ahead (once, however often the scheduler runs), shown at the top of
the resident's home page and beside a caller's unit at the desk, printed for the lobby."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import override
from pypdf import PdfReader

from estate.accounts.models import User
from estate.accounts.roles import Role
from estate.language.models import PhraseHit
from estate.messaging import actions as messaging
from estate.messaging.choices import Channel, ConsentSource, DeliveryState, Kind
from estate.messaging.models import Message
from estate.notices import interruptions
from estate.notices.choices import Utility
from estate.notices.models import Interruption
from estate.properties.models import Building, Resident
from tests.factories import PASSWORD, ResidentFactory, staff, unit_at

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLANNED_ON = datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)  # a Tuesday morning
STARTS = datetime(2026, 3, 12, 9, 0, tzinfo=SHANGHAI)
ENDS = datetime(2026, 3, 12, 13, 0, tzinfo=SHANGHAI)
TELL_AT = STARTS - timedelta(hours=24)


@pytest.fixture
def on_planning_day():
    with time_machine.travel(PLANNED_ON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def estate_world(bsw):
    """碧水灣 with building 3 (陳美玲 of 3-1202, main contact, and her husband; 李 of 3-902) and
    building 5 (趙 of 5-501); 陳美玲 takes texts and signs in to the portal."""
    chen = Resident.objects.get(name="陳美玲")
    ResidentFactory(household=chen.household, name="陳先生", phone="13812340000", is_primary=False)
    ResidentFactory(household__unit=unit_at(bsw, "3-902"), name="李大明", phone="13700001111")
    ResidentFactory(household__unit=unit_at(bsw, "5-501"), name="趙小紅", phone="13600002222")
    chen.user = User.objects.create_user("chen", password=PASSWORD)
    chen.save(update_fields=["user"])
    messaging.record_consent(
        resident=chen, channel=Channel.SMS, granted=True, source=ConsentSource.PORTAL
    )
    return bsw


def building(office, code):
    return Building.objects.get(office=office, code=code)


def plan(office, by, *, buildings=(), **changes):
    fields = {
        "what": Utility.WATER,
        "starts_at": STARTS,
        "ends_at": ENDS,
        "text": "因二次供水水箱清洗，屆時請提前儲水。",
        "buildings": buildings,
    }
    return interruptions.plan_interruption(office=office, by=by, **{**fields, **changes})


def told_names(pk, suffix=""):
    return sorted(
        Message.objects.filter(key=f"interruption:{pk}{suffix}").values_list(
            "resident__name", flat=True
        )
    )


def tick_at(moment, capture):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return interruptions.tell_due_interruptions()


def test_bad_input_is_refused_naming_each_field_and_nothing_is_saved(
    on_planning_day, estate_world, reception, other_office
):
    with pytest.raises(ValidationError) as refused:
        plan(
            estate_world, reception, what="steam", ends_at=STARTS - timedelta(hours=1), text=" ",
            tell_ahead=timedelta(hours=-1), buildings=[building(other_office, "1")],
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"what", "ends_at", "text", "tell_ahead", "buildings"}
    with pytest.raises(ValidationError) as over:
        plan(
            estate_world, reception, starts_at=PLANNED_ON - timedelta(hours=5),
            ends_at=PLANNED_ON - timedelta(hours=1),
        )  # fmt: skip
    assert set(over.value.message_dict) == {"ends_at"}
    assert not Interruption.objects.exists()


def test_a_forbidden_phrase_in_the_text_is_refused_and_counted(
    on_planning_day, estate_world, reception
):
    with pytest.raises(ValidationError) as refused:
        plan(estate_world, reception, text="停水是正常的，急什麼，等一下就好。")
    assert set(refused.value.message_dict) == {"text"}
    assert not Interruption.objects.exists()
    assert PhraseHit.objects.filter(staff_member=reception, channel="notice").exists()


def test_the_affected_households_main_contacts_are_told_once_a_day_ahead(
    on_planning_day, estate_world, reception, sms_outbox, django_capture_on_commit_callbacks
):
    planned = plan(estate_world, reception, buildings=[building(estate_world, "3")])
    assert planned.tell_at == TELL_AT
    assert tick_at(TELL_AT - timedelta(minutes=1), django_capture_on_commit_callbacks) == 0
    assert not Message.objects.exists()

    assert tick_at(TELL_AT, django_capture_on_commit_callbacks) == 1
    # Building 3's two households, each by its main contact; not the husband, not building 5.
    assert told_names(planned.pk) == ["李大明", "陳美玲"]
    message = Message.objects.get(resident__name="陳美玲")
    assert message.kind == Kind.INTERRUPTION
    assert message.urgent
    assert "3棟計劃停水" in message.text  # in Traditional Chinese, the office's time
    assert "03-12 09:00" in message.text
    assert "03-12 13:00" in message.text
    assert "因二次供水水箱清洗" in message.text
    assert message.link.endswith(reverse("portal:home"))
    assert message.deliveries.get().state == DeliveryState.SENT
    assert [number for number, _text, _key in sms_outbox] == ["13812341234"]

    # Two schedulers, or one run again: nobody is told twice.
    assert tick_at(TELL_AT + timedelta(seconds=15), django_capture_on_commit_callbacks) == 0
    interruptions.tell_interruption.call(planned.pk)  # the task itself, run again
    assert Message.objects.count() == 2
    assert len(sms_outbox) == 1
    planned.refresh_from_db()
    assert planned.told_at == TELL_AT


def test_the_whole_site_tells_every_household_of_the_office_and_no_other(
    on_planning_day, estate_world, reception, other_office, django_capture_on_commit_callbacks
):
    planned = plan(estate_world, reception, what=Utility.ELECTRICITY)
    tick_at(TELL_AT, django_capture_on_commit_callbacks)
    assert told_names(planned.pk) == ["李大明", "趙小紅", "陳美玲"]
    assert not Message.objects.filter(office=other_office).exists()
    with override("zh-hant"):
        whole_site = str(interruptions.WHOLE_SITE)
    text = Message.objects.get(resident__name="趙小紅").text
    assert text.startswith(whole_site)  # "the whole site", in the reader's language
    with override("zh-hant"):
        assert str(Utility.ELECTRICITY.label) in text


def test_quiet_hours_do_not_hold_an_interruption(
    estate_world, reception, sms_outbox, django_capture_on_commit_callbacks
):
    late = datetime(2026, 3, 10, 23, 0, tzinfo=SHANGHAI)  # inside the default 22–07 quiet hours
    with time_machine.travel(late - timedelta(hours=1), tick=False):
        planned = plan(
            estate_world, reception, starts_at=late + timedelta(hours=8),
            ends_at=late + timedelta(hours=10), tell_ahead=timedelta(hours=8),
        )  # fmt: skip
    tick_at(late, django_capture_on_commit_callbacks)
    message = Message.objects.get(key=f"interruption:{planned.pk}", resident__name="陳美玲")
    assert message.deliveries.get().state == DeliveryState.SENT


def test_a_cancelled_one_is_not_told_and_one_told_is_told_it_is_cancelled(
    on_planning_day, estate_world, reception, django_capture_on_commit_callbacks
):
    quiet = plan(estate_world, reception, buildings=[building(estate_world, "5")])
    told = plan(estate_world, reception, what=Utility.LIFT, buildings=[building(estate_world, "3")])
    interruptions.cancel(quiet, by=reception)
    assert tick_at(TELL_AT, django_capture_on_commit_callbacks) == 1
    assert told_names(quiet.pk) == []
    assert told_names(told.pk) == ["李大明", "陳美玲"]

    with time_machine.travel(TELL_AT + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            interruptions.cancel(told, by=reception)
        with pytest.raises(ValidationError):
            interruptions.cancel(told, by=reception)
    assert told_names(told.pk, ":cancelled") == ["李大明", "陳美玲"]
    assert told_names(quiet.pk, ":cancelled") == []
    with pytest.raises(ValidationError):
        interruptions.revise(
            told, by=reception, what=Utility.LIFT, starts_at=STARTS, ends_at=ENDS, text="改",
        )  # fmt: skip


def test_a_change_after_households_were_told_tells_them_again(
    on_planning_day, estate_world, reception, django_capture_on_commit_callbacks
):
    planned = plan(estate_world, reception, buildings=[building(estate_world, "3")])
    tick_at(TELL_AT, django_capture_on_commit_callbacks)
    with time_machine.travel(TELL_AT + timedelta(hours=1), tick=False):
        revised = interruptions.revise(
            planned, by=reception, what=Utility.WATER, starts_at=STARTS,
            ends_at=ENDS + timedelta(hours=2), text=planned.text,
            buildings=[building(estate_world, "3"), building(estate_world, "5")],
        )  # fmt: skip
    assert revised.told_at is None
    assert revised.revision == 1
    tick_at(TELL_AT + timedelta(hours=1, minutes=1), django_capture_on_commit_callbacks)
    assert told_names(planned.pk, ":1") == ["李大明", "趙小紅", "陳美玲"]
    assert (
        "15:00"
        in Message.objects.get(key=f"interruption:{planned.pk}:1", resident__name="趙小紅").text
    )
    # Only the reminder's time changed: what households were told still holds.
    with time_machine.travel(TELL_AT + timedelta(hours=2), tick=False):
        again = interruptions.revise(
            revised, by=reception, what=Utility.WATER, starts_at=STARTS,
            ends_at=ENDS + timedelta(hours=2), text=planned.text,
            buildings=[building(estate_world, "3"), building(estate_world, "5")],
            tell_ahead=timedelta(hours=12),
        )  # fmt: skip
    assert again.revision == 1
    assert again.told_at is not None
    assert again.tell_at == STARTS - timedelta(hours=12)


def test_the_scheduler_tick_tells_what_is_due(
    on_planning_day, estate_world, reception, django_capture_on_commit_callbacks
):
    planned = plan(estate_world, reception, buildings=[building(estate_world, "5")])
    with (
        time_machine.travel(TELL_AT + timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("run_scheduler", "--once", verbosity=0, stdout=io.StringIO())
    assert told_names(planned.pk) == ["趙小紅"]


def test_the_portal_shows_it_to_an_affected_resident_and_not_to_another_building(
    client, on_planning_day, estate_world, reception
):
    in_three = plan(estate_world, reception, buildings=[building(estate_world, "3")])
    plan(estate_world, reception, what=Utility.GAS, text="燃氣管道檢修。",
         buildings=[building(estate_world, "5")])  # fmt: skip
    cancelled = plan(estate_world, reception, what=Utility.LIFT, text="電梯年檢。")
    interruptions.cancel(cancelled, by=reception)
    chen = Resident.objects.get(name="陳美玲")
    client.force_login(chen.user)
    page = client.get(reverse("portal:home")).text
    assert page.count('data-testid="interruption"') == 1
    assert in_three.text in page
    assert "燃氣管道檢修" not in page
    assert "電梯年檢" not in page
    assert "03-12 09:00" in page
    # Under way still shows; once over it does not.
    with time_machine.travel(STARTS + timedelta(hours=1), tick=False):
        assert in_three.text in client.get(reverse("portal:home")).text
    with time_machine.travel(ENDS, tick=False):
        assert in_three.text not in client.get(reverse("portal:home")).text


def test_the_desk_lookup_warns_of_an_interruption_in_the_callers_building(
    client, on_planning_day, estate_world, reception, django_assert_max_num_queries
):
    plan(estate_world, reception, buildings=[building(estate_world, "3")])
    plan(estate_world, reception, what=Utility.LIFT, text="電梯保養。",
         buildings=[building(estate_world, "3"), building(estate_world, "5")])  # fmt: skip
    client.force_login(reception)
    with django_assert_max_num_queries(9):  # as without interruptions (test_frontdesk)
        three = client.post(reverse("frontdesk:lookup"), {"q": "3-"}).text
    assert three.count('data-testid="interruption-warning"') == 4  # 3-1202 and 3-902, two each
    assert 'data-testid="interruption-warning"' in three
    assert "03-12 09:00" in three
    five = client.post(reverse("frontdesk:lookup"), {"q": "5-501"}).text
    assert "趙小紅" in five
    assert five.count('data-testid="interruption-warning"') == 1  # the lift only
    with override("zh-hant"):
        assert str(Utility.LIFT.label) in five
    # Further off than two days, the desk is not warned yet.
    plan(estate_world, reception, what=Utility.GAS, buildings=[building(estate_world, "5")],
         starts_at=STARTS + timedelta(days=7), ends_at=ENDS + timedelta(days=7))  # fmt: skip
    assert (
        client.post(reverse("frontdesk:lookup"), {"q": "5-501"}).text.count(
            'data-testid="interruption-warning"'
        )
        == 1
    )


def test_pages_plan_list_edit_cancel_and_print(
    client, on_planning_day, estate_world, reception, django_capture_on_commit_callbacks
):
    client.force_login(reception)
    assert reverse("notices:interruptions") in client.get(reverse("notices:list")).text
    form = client.get(reverse("notices:interruption_new")).text
    assert 'type="checkbox"' in form
    assert 'type="datetime-local"' in form
    refused = client.post(
        reverse("notices:interruption_new"),
        {"office": estate_world.pk, "what": "water", "starts_at": "2026-03-12T09:00",
         "ends_at": "2026-03-12T08:00", "text": "清洗水箱。", "tell_ahead": 24},
    )  # fmt: skip
    assert refused.status_code == 400
    assert 'data-field="ends_at"' in refused.text
    three = building(estate_world, "3")
    saved = client.post(
        reverse("notices:interruption_new"),
        {"office": estate_world.pk, "what": "water", "buildings": [three.pk],
         "starts_at": "2026-03-12T09:00", "ends_at": "2026-03-12T13:00",
         "text": "清洗水箱，請提前儲水。", "tell_ahead": 24},
    )  # fmt: skip
    assert saved.status_code == 302
    planned = Interruption.objects.get()
    assert planned.starts_at == STARTS  # typed in the office's time
    assert list(planned.buildings.all()) == [three]
    listing = client.get(reverse("notices:interruptions")).text
    assert "03-11 09:00" in listing  # to be told at
    assert "3棟" in listing

    # One planned when its time to tell has passed: the page says it is told within a minute.
    soon = client.post(
        reverse("notices:interruption_new"),
        {"office": estate_world.pk, "what": "lift", "starts_at": "2026-03-10T14:00",
         "ends_at": "2026-03-10T16:00", "text": "電梯保養。", "tell_ahead": 24},
        follow=True,
    )  # fmt: skip
    assert soon.status_code == 200
    lift = Interruption.objects.get(what=Utility.LIFT)
    assert lift.tell_at < PLANNED_ON
    row = soon.text.split(f'data-testid="interruption-{lift.pk}"')[1].split("</tr>")[0]
    assert 'data-testid="told-next-tick"' in row
    edit = client.post(
        reverse("notices:interruption_edit", args=[planned.pk]),
        {"office": estate_world.pk, "what": "water", "buildings": [three.pk],
         "starts_at": "2026-03-12T10:00", "ends_at": "2026-03-12T13:00",
         "text": "清洗水箱，請提前儲水。", "tell_ahead": 24},
    )  # fmt: skip
    assert edit.status_code == 302
    planned.refresh_from_db()
    assert planned.tell_at == STARTS + timedelta(hours=1) - timedelta(hours=24)

    pdf = client.get(reverse("notices:interruption_pdf", args=[planned.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert b"FontFile2" in pdf.content  # the Chinese font travels with the file
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "清洗水箱" in text
    assert "3棟" in text
    assert "碧水灣管理處" in text
    assert "2026-03-12 10:00" in text

    assert client.post(reverse("notices:interruption_cancel", args=[planned.pk])).status_code == 302
    planned.refresh_from_db()
    assert planned.cancelled_by == reception
    assert client.get(reverse("notices:interruption_edit", args=[planned.pk])).status_code == 302


def test_access_readers_read_the_desk_writes_other_offices_are_404(
    client, on_planning_day, estate_world, reception, worker, other_office
):
    planned = plan(estate_world, reception)
    client.force_login(worker)  # reads the registry, does not run the desk
    assert client.get(reverse("notices:interruptions")).status_code == 200
    assert client.get(reverse("notices:interruption_pdf", args=[planned.pk])).status_code == 200
    assert client.get(reverse("notices:interruption_new")).status_code == 403
    assert client.get(reverse("notices:interruption_edit", args=[planned.pk])).status_code == 403
    assert client.post(reverse("notices:interruption_cancel", args=[planned.pk])).status_code == 403
    assert Interruption.objects.get().cancelled_at is None

    client.force_login(staff("outsider", Role.RECEPTIONIST, other_office))
    assert client.get(reverse("notices:interruption_pdf", args=[planned.pk])).status_code == 404
    assert client.get(reverse("notices:interruption_edit", args=[planned.pk])).status_code == 404
    assert client.post(reverse("notices:interruption_cancel", args=[planned.pk])).status_code == 404
    listing = client.get(reverse("notices:interruptions")).text
    assert f'data-testid="interruption-{planned.pk}"' not in listing

    client.force_login(Resident.objects.get(name="陳美玲").user)
    assert client.get(reverse("notices:interruptions")).status_code == 302
    client.logout()
    assert reverse("accounts:login") in client.get(reverse("notices:interruptions"))["Location"]
