"""A portal that shows the work (issue #19, 3): the report starts on the resident's home and
keeps the chosen photo when sent back; choosing an item tells what to prepare, what it costs and
how long it takes; the order shows who came and when, what was done, the fee and the photos
(to its own household only); each answer to a finished job counts once; and the resident can
write or send a photo to an open order."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from estate.accounts.models import User
from estate.frontdesk.choices import Outcome
from estate.frontdesk.models import Contact, ServiceItem
from estate.notifications.models import Notification
from estate.portal import pending
from estate.properties.models import Resident, Unit
from estate.workorders import actions, photos
from estate.workorders.models import WorkOrder
from tests.factories import PASSWORD, ResidentFactory, unit_at
from tests.files import JPEG, PNG

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)  # a Tuesday


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def chen(bsw):
    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=user)
    return Resident.objects.get(phone="13812341234")


@pytest.fixture
def portal(client, chen):
    client.force_login(chen.user)
    return client


@pytest.fixture
def tap(bsw, repair_team):
    return ServiceItem.objects.create(
        office=bsw, name="水龍頭維修", kind="repair", procedure="上門檢查\n更換墊圈",
        documents="業主身份證", materials="水龍頭墊圈", fee_kind="priced",
        price_list="上門費 20 元\n墊圈 5 元", service_unit=repair_team,
    )  # fmt: skip


@pytest.fixture
def neighbour(bsw):
    """The household at 5-101, with a portal login of its own."""
    resident = ResidentFactory(household__unit=unit_at(bsw, "5-101"), name="林先生")
    resident.user = User.objects.create_user(username="lin", password=PASSWORD)
    resident.save()
    other = Client()
    other.force_login(resident.user)
    return other


def home():
    return Unit.objects.get(address="3-1202")


def report(portal, tap, **extra):
    form = {"service_item": tap.pk, "unit": home().pk, "description": "廚房水龍頭漏水", **extra}
    return portal.post(reverse("portal:report"), form)


def photo(name="漏水.png", data=PNG):
    return SimpleUploadedFile(name, data, content_type="image/png")


def done(order, reception, worker, repair_team, clock, **complete):
    """Dispatched, taken up, a photo before, started, a photo after, completed."""
    order = actions.dispatch(
        order, service_unit=repair_team, assignee=worker, by=reception, channel="desk"
    )
    clock.shift(timedelta(minutes=10))
    order = actions.accept(order, by=worker, channel="field")
    clock.shift(timedelta(minutes=20))
    photos.attach_photo(order, upload=photo("之前.png"), by=worker, channel="field")
    clock.shift(timedelta(minutes=1))
    order = actions.start(order, by=worker, channel="field")
    clock.shift(timedelta(minutes=30))
    photos.attach_photo(order, upload=photo("之後.png"), by=worker, channel="field")
    return actions.complete(order, by=worker, channel="field", **complete)


# The report form


def test_the_report_form_starts_on_the_residents_home(portal, tap):
    page = portal.get(reverse("portal:report")).content.decode()
    assert f'<option value="{home().pk}" selected>3-1202</option>' in page


def test_a_photo_chosen_with_a_report_sent_back_is_kept(portal, tap, clock, neighbour):
    sent_back = report(portal, tap, description="", photos=[photo()])
    assert sent_back.status_code == 400
    assert WorkOrder.objects.count() == 0
    page = sent_back.content.decode()
    assert 'data-testid="kept-photos"' in page
    assert "漏水.png" in page
    [token] = sent_back.context["kept_tokens"].split()
    kept = portal.session[pending.SESSION_KEY][token]["path"]
    assert default_storage.exists(kept)
    # Another resident cannot use the token: it is not theirs.
    other = neighbour.post(
        reverse("portal:report"),
        {
            "service_item": tap.pk,
            "location": "5棟大堂",
            "description": "燈壞了",
            "kept_photos": token,
        },
    )
    assert other.status_code == 302
    assert WorkOrder.objects.get().attachments.count() == 0
    # Sent again without choosing the photo: it is on the order, and no longer kept aside.
    again = report(portal, tap, kept_photos=token)
    order = WorkOrder.objects.get(unit=home())
    assert again["Location"] == reverse("portal:order", args=[order.pk])
    assert [a.original_name for a in order.attachments.all()] == ["漏水.png"]
    assert not default_storage.exists(kept)
    assert token not in portal.session[pending.SESSION_KEY]


def test_a_photo_that_is_not_a_photo_is_not_kept_and_the_form_says_why(portal, tap):
    sent_back = report(portal, tap, photos=[SimpleUploadedFile("漏水.png", b"not a picture")])
    assert sent_back.status_code == 400
    assert sent_back.context["kept"] == []
    assert 'data-field="photos"' in sent_back.content.decode()


# The one-time notification of the chosen item


def test_choosing_an_item_fetches_its_one_time_notification(portal, tap, clock):
    page = portal.get(reverse("portal:report")).content.decode()
    assert f'hx-get="{reverse("portal:report")}"' in page
    assert 'hx-target="#item-info"' in page
    fragment = portal.get(
        reverse("portal:report"), {"service_item": tap.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment
    assert 'id="item-info"' in fragment
    for said in ("上門檢查", "業主身份證", "水龍頭墊圈", "上門費 20 元", "墊圈 5 元", "維修班"):
        assert said in fragment
    assert 'data-testid="item-how-long"' in fragment  # repairs are done the same day
    assert (
        portal.get(reverse("portal:report"), {"service_item": "x"}, HTTP_HX_REQUEST="true")
        .content.decode()
        .count("上門檢查")
        == 0
    )


def test_without_scripts_the_notification_shows_on_preview_and_keeps_what_was_typed(portal, tap):
    preview = report(portal, tap, preview="1", description="滴水", photos=[photo()])
    assert preview.status_code == 200
    assert WorkOrder.objects.count() == 0
    page = preview.content.decode()
    assert "上門費 20 元" in page
    assert "滴水" in page
    assert "漏水.png" in page  # the photo is kept for the real send
    assert 'data-testid="preview"' in page  # inside <noscript>


def test_a_report_sent_back_shows_the_chosen_items_notification(portal, tap):
    page = report(portal, tap, description="").content.decode()
    assert "業主身份證" in page


# The order shows the work


def test_the_order_shows_who_came_when_what_was_done_the_fee_and_the_photos(
    portal, tap, clock, reception, worker, repair_team
):
    worker.display_name = "李師傅"
    worker.save()
    report(portal, tap, photos=[photo("我的.png")])
    order = done(
        WorkOrder.objects.get(), reception, worker, repair_team, clock,
        work_done="更換了水龍頭墊圈", materials_used="墊圈 1 個", fee_charged=Decimal("25.00"),
    )  # fmt: skip
    answer = portal.get(reverse("portal:order", args=[order.pk]))
    page = answer.content.decode()
    assert "李師傅" in page
    assert "2026-03-10 09:10" in page  # taken up
    assert "2026-03-10 09:31" in page  # work started
    assert "2026-03-10 10:01" in page  # completed
    for said in ("更換了水龍頭墊圈", "墊圈 1 個", "¥25.00"):
        assert said in page
    work = answer.context["work"]
    assert [a.original_name for a in work.yours] == ["我的.png"]
    assert [a.original_name for a in work.before] == ["之前.png"]
    assert [a.original_name for a in work.after] == ["之後.png"]
    for attachment in order.attachments.all():
        url = reverse("portal:order_photo", args=[order.pk, attachment.pk])
        assert url in page
        served = portal.get(url)
        assert served.status_code == 200
        assert served["Content-Type"] == "image/png"
        assert served["Cache-Control"] == "private, no-store"


def test_a_free_job_says_so(portal, tap, clock, reception, worker, repair_team):
    report(portal, tap)
    order = done(WorkOrder.objects.get(), reception, worker, repair_team, clock, work_done="緊固")
    answer = portal.get(reverse("portal:order", args=[order.pk]))
    with translation.override(answer.wsgi_request.LANGUAGE_CODE):
        expected = gettext("Free of charge.")
    assert expected in answer.content.decode()


def test_another_household_gets_404_for_the_order_and_its_photos(
    portal, tap, clock, neighbour, reception, worker, repair_team
):
    report(portal, tap, photos=[photo()])
    order = done(WorkOrder.objects.get(), reception, worker, repair_team, clock, work_done="換")
    theirs = order.attachments.first()
    assert neighbour.get(reverse("portal:order", args=[order.pk])).status_code == 404
    for attachment in order.attachments.all():
        url = reverse("portal:order_photo", args=[order.pk, attachment.pk])
        assert neighbour.get(url).status_code == 404
    # Nor through an order of their own: the photo must belong to the order asked for.
    neighbour.post(
        reverse("portal:report"),
        {"service_item": tap.pk, "location": "5棟大堂", "description": "燈壞了"},
    )
    own = WorkOrder.objects.exclude(pk=order.pk).get()
    assert neighbour.get(reverse("portal:order", args=[own.pk])).status_code == 200
    url = reverse("portal:order_photo", args=[own.pk, theirs.pk])
    assert neighbour.get(url).status_code == 404
    # Staff and anonymous visitors do not get photos from the portal either.
    assert (
        Client().get(reverse("portal:order_photo", args=[order.pk, theirs.pk])).status_code == 302
    )


# Each answer once


def test_confirming_is_possible_once(portal, tap, clock, reception, worker, repair_team):
    report(portal, tap)
    order = done(WorkOrder.objects.get(), reception, worker, repair_team, clock, work_done="換")
    url = reverse("portal:order", args=[order.pk])
    assert 'data-testid="confirm"' in portal.get(url).content.decode()
    first = portal.post(reverse("portal:order_act", args=[order.pk, "confirm"]), follow=True)
    page = first.content.decode()
    assert 'data-testid="confirm"' not in page
    assert 'data-testid="not-fixed"' not in page
    assert 'data-testid="answered"' in page
    second = portal.post(reverse("portal:order_act", args=[order.pk, "confirm"]), follow=True)
    assert [m.level_tag for m in second.context["messages"]] == ["error"]
    assert order.events.filter(action="comment", data__confirmed=True).count() == 1
    refused = portal.post(
        reverse("portal:order_act", args=[order.pk, "not_fixed"]), {"reason": "還在滴水"}
    )
    assert refused.status_code == 302
    order.refresh_from_db()
    assert order.status == "completed"


def test_a_repeat_confirm_is_refused_with_a_message(
    portal, tap, clock, reception, worker, repair_team
):
    report(portal, tap)
    order = done(WorkOrder.objects.get(), reception, worker, repair_team, clock, work_done="換")
    portal.post(reverse("portal:order_act", args=[order.pk, "confirm"]))
    second = portal.post(reverse("portal:order_act", args=[order.pk, "confirm"]), follow=True)
    with translation.override(second.wsgi_request.LANGUAGE_CODE):
        expected = gettext("You have already confirmed the job is done. Thank you.")
    assert [(m.level_tag, str(m)) for m in second.context["messages"]][-1] == ("error", expected)
    assert expected in second.content.decode()
    assert order.events.filter(action="comment", data__confirmed=True).count() == 1


def test_reopening_is_possible_once_per_completion(
    portal, tap, clock, reception, worker, repair_team
):
    report(portal, tap)
    order = done(WorkOrder.objects.get(), reception, worker, repair_team, clock, work_done="換")
    not_fixed = reverse("portal:order_act", args=[order.pk, "not_fixed"])
    portal.post(not_fixed, {"reason": "還在滴水"})
    again = portal.post(not_fixed, {"reason": "還在滴水"}, follow=True)
    assert [m.level_tag for m in again.context["messages"]][-1] == "error"
    assert order.events.filter(action="reopen").count() == 1
    page = again.content.decode()
    assert 'data-testid="not-fixed"' not in page
    assert 'data-testid="confirm"' not in page
    # Done again after the reopening: this completion can be answered.
    order.refresh_from_db()
    order = actions.dispatch(
        order, service_unit=repair_team, assignee=worker, by=reception, channel="desk"
    )
    order = actions.accept(order, by=worker, channel="field")
    order = actions.complete(order, work_done="換了閥芯", by=worker, channel="field")
    assert (
        'data-testid="confirm"'
        in portal.get(reverse("portal:order", args=[order.pk])).content.decode()
    )
    portal.post(reverse("portal:order_act", args=[order.pk, "confirm"]))
    assert order.events.filter(action="comment", data__confirmed=True).count() == 1


def test_rating_is_possible_once(portal, tap, clock, reception, worker, repair_team):
    report(portal, tap)
    order = done(WorkOrder.objects.get(), reception, worker, repair_team, clock, work_done="換")
    rate = reverse("portal:order_act", args=[order.pk, "rate"])
    first = portal.post(rate, {"score": "5"}, follow=True)
    assert 'data-testid="rate-form"' not in first.content.decode()
    assert 'data-testid="rated"' in first.content.decode()
    second = portal.post(rate, {"score": "1"}, follow=True)
    assert [m.level_tag for m in second.context["messages"]][-1] == "error"
    assert order.return_visits.get().score == 5


# A message or photo on an open order


def test_a_message_and_photo_on_an_open_order_are_a_contact_added_to_it(
    portal, chen, tap, clock, reception, worker, repair_team
):
    report(portal, tap)
    order = actions.dispatch(
        WorkOrder.objects.get(), service_unit=repair_team, assignee=worker, by=reception,
        channel="desk",
    )  # fmt: skip
    page = portal.get(reverse("portal:order", args=[order.pk])).content.decode()
    assert 'data-testid="message-form"' in page
    # The resident's own words are not held to the staff's forbidden phrases.
    words = "你們說這不歸我管？水已經流到樓下了"
    sent = portal.post(
        reverse("portal:order_act", args=[order.pk, "message"]),
        {"text": words, "photos": [photo("樓下.png", PNG), photo("樓下2.jpg", JPEG)]},
    )
    assert sent.status_code == 302
    contact = Contact.objects.get(outcome=Outcome.ADDED_TO_ORDER)
    assert (contact.follows_up, contact.requester, contact.channel) == (order, chen, "online")
    assert contact.intent == words
    note = order.events.get(action="comment")
    assert (note.channel, words in note.note) == ("portal", True)
    assert sorted(a.original_name for a in order.attachments.all()) == ["樓下.png", "樓下2.jpg"]
    assert {a.uploaded_by for a in order.attachments.all()} == {chen.user}
    told = Notification.objects.filter(kind="order_contact")
    assert worker in {n.recipient for n in told}
    # The resident's photos are shown as theirs.
    answer = portal.get(reverse("portal:order", args=[order.pk]))
    assert len(answer.context["work"].yours) == 2


def test_a_message_needs_words_or_a_photo_and_an_open_order(
    portal, tap, clock, reception, worker, repair_team
):
    report(portal, tap)
    order = WorkOrder.objects.get()
    message = reverse("portal:order_act", args=[order.pk, "message"])
    empty = portal.post(message, {"text": "  "})
    assert empty.status_code == 400
    assert Contact.objects.filter(outcome=Outcome.ADDED_TO_ORDER).count() == 0
    order = done(order, reception, worker, repair_team, clock, work_done="換")
    page = portal.get(reverse("portal:order", args=[order.pk])).content.decode()
    assert 'data-testid="message-form"' not in page
    late = portal.post(message, {"text": "謝謝"}, follow=True)
    assert [m.level_tag for m in late.context["messages"]] == ["error"]
    assert Contact.objects.filter(outcome=Outcome.ADDED_TO_ORDER).count() == 0


def test_another_household_cannot_write_to_the_order(portal, tap, clock, neighbour):
    report(portal, tap)
    order = WorkOrder.objects.get()
    message = reverse("portal:order_act", args=[order.pk, "message"])
    assert neighbour.post(message, {"text": "我也要說"}).status_code == 404
    assert Contact.objects.filter(outcome=Outcome.ADDED_TO_ORDER).count() == 0
