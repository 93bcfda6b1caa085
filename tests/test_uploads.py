"""Uploads are decided by their bytes, kept under generated names and served safely: HTML behind
a PDF's first bytes, SVG, scripts named as pictures, a wrong extension and decompression bombs are
refused on every path; photos lose their GPS EXIF; attachments reach only permitted readers."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from estate.accounts.models import User
from estate.accounts.roles import Role
from estate.frontdesk.models import ServiceItem
from estate.knowledge import actions as knowledge
from estate.knowledge.models import ArticleAttachment
from estate.properties.models import Resident, Unit
from estate.workorders import photos
from estate.workorders.models import Attachment, WorkOrder
from tests.factories import PASSWORD, staff
from tests.files import HTML_AS_PDF, JPEG, PDF, PNG, SCRIPT, SVG, bomb_png, gps_exif, picture

GENERATED = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg)$")

BAD_PHOTOS = {
    "html-as-pdf": ("page.html", HTML_AS_PDF),
    "svg": ("logo.svg", SVG),
    "svg-named-png": ("logo.png", SVG),
    "script-as-jpg": ("photo.jpg", SCRIPT),
    "png-named-pdf": ("photo.pdf", PNG),
    "bomb": ("bomb.png", None),
}
BAD_ATTACHMENTS = {
    **BAD_PHOTOS,
    "html-as-pdf-named-pdf": ("rules.pdf", HTML_AS_PDF),
    "zip-without-content-types": ("sheet.xlsx", None),
}


def upload(name, content):
    if content is None and name.endswith(".png"):
        content = bomb_png()
    elif content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
        content = buffer.getvalue()
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def article(bsw, head):
    return knowledge.save_article(
        office=bsw, by=head, category="procedure", title="裝修申請辦理程序",
        body="領取裝修申請表，提交圖紙，三個工作日內審核。", is_public=True,
    )  # fmt: skip


@pytest.mark.parametrize("case", BAD_ATTACHMENTS)
def test_knowledge_attachments_refuse_what_is_not_a_document(client, head, article, case):
    with pytest.raises(ValidationError) as refused:
        knowledge.attach_file(article, upload=upload(*BAD_ATTACHMENTS[case]))
    assert "file" in refused.value.message_dict
    client.force_login(head)
    page = client.post(
        reverse("knowledge:attach", args=[article.pk]),
        {"file": upload(*BAD_ATTACHMENTS[case])},
        follow=True,
    )
    assert "檔案：" in page.content.decode()  # the message names the field
    assert not ArticleAttachment.objects.exists()


@pytest.mark.parametrize("case", BAD_PHOTOS)
def test_work_order_photos_refuse_what_is_not_a_photo(client, api, reception, leaking_pipe, case):
    with pytest.raises(ValidationError) as refused:
        photos.attach_photo(
            leaking_pipe, upload=upload(*BAD_PHOTOS[case]), by=reception, channel="desk"
        )
    assert "file" in refused.value.message_dict
    client.force_login(reception)
    page = client.post(
        reverse("workorders:act", args=[leaking_pipe.pk, "attach"]),
        {"attach-file": upload(*BAD_PHOTOS[case])},
    )
    assert page.status_code == 400
    assert "照片：" in page.content.decode()
    api.force_authenticate(reception)
    response = api.post(
        f"/api/v1/work-orders/{leaking_pipe.pk}/attach/",
        {"file": upload(*BAD_PHOTOS[case])},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert not Attachment.objects.exists()


@pytest.fixture
def chen(bsw):
    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=user)
    return user


@pytest.mark.parametrize("case", BAD_PHOTOS)
def test_portal_reports_refuse_what_is_not_a_photo(client, bsw, repair_team, chen, case):
    tap = ServiceItem.objects.create(
        office=bsw, name="水龍頭維修", kind="repair", procedure="上門檢查", fee_kind="free",
        service_unit=repair_team,
    )  # fmt: skip
    client.force_login(chen)
    form = {
        "service_item": tap.pk,
        "unit": Unit.objects.get(address="3-1202").pk,
        "description": "廚房水龍頭漏水",
        "photos": [upload(*BAD_PHOTOS[case])],
    }
    page = client.post(reverse("portal:report"), form)
    assert page.status_code == 400
    assert 'data-field="photos"' in page.content.decode()
    assert "照片：" in page.content.decode()
    assert not WorkOrder.objects.exists()


def test_a_photo_loses_its_gps_exif_and_gets_a_generated_name(reception, leaking_pipe):
    taken = picture("JPEG", size=(32, 24), exif=gps_exif())
    assert Image.open(io.BytesIO(taken)).getexif().get_ifd(0x8825)  # the test file has GPS
    photo = photos.attach_photo(
        leaking_pipe, upload=SimpleUploadedFile("現場.JPEG", taken), by=reception, channel="desk"
    )
    assert photo.original_name == "現場.JPEG"
    assert photo.content_type == "image/jpeg"
    assert GENERATED.match(photo.file.name.rsplit("/", 1)[-1])
    with photo.file.open("rb") as kept:
        image = Image.open(io.BytesIO(kept.read()))
        assert image.format == "JPEG"
        assert image.size == (32, 24)
        exif = image.getexif()
        assert not exif.get_ifd(0x8825)
        assert 0x010F not in exif


def test_a_photo_is_served_with_the_safe_headers(client, reception, leaking_pipe):
    photo = photos.attach_photo(
        leaking_pipe, upload=SimpleUploadedFile("a.png", PNG), by=reception, channel="desk"
    )
    client.force_login(reception)
    shown = client.get(reverse("workorders:photo", args=[leaking_pipe.pk, photo.pk]))
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert shown["Cache-Control"] == "private, no-store"


def test_a_pdf_is_served_inline_only_to_permitted_readers(
    client, bsw, other_office, reception, article, chen
):
    attachment = knowledge.attach_file(article, upload=SimpleUploadedFile("規定.pdf", PDF))
    assert attachment.name == "規定.pdf"
    assert GENERATED.match(attachment.file.name.rsplit("/", 1)[-1])
    url = reverse("knowledge:attachment", args=[attachment.pk])

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert not getattr(anonymous, "streaming", False)

    client.force_login(staff("outsider", Role.RECEPTIONIST, other_office))
    assert client.get(url).status_code == 404

    for reader in (reception, chen):  # staff of the office, and a resident for a public article
        client.force_login(reader)
        shown = client.get(url)
        assert shown.status_code == 200
        assert b"".join(shown.streaming_content) == PDF
        assert shown["Content-Type"] == "application/pdf"
        assert shown["Content-Disposition"].startswith("inline")
        assert shown["X-Content-Type-Options"] == "nosniff"
        assert shown["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert shown["Cache-Control"] == "private, no-store"


def test_a_private_article_is_not_given_to_residents(client, bsw, head, chen):
    private = knowledge.save_article(
        office=bsw, by=head, category="procedure", title="內部流程", body="只給同事。",
        is_public=False,
    )  # fmt: skip
    attachment = knowledge.attach_file(private, upload=SimpleUploadedFile("內部.pdf", PDF))
    client.force_login(chen)
    assert client.get(reverse("knowledge:attachment", args=[attachment.pk])).status_code == 404


def test_an_office_document_and_a_picture_are_accepted_as_attachments(client, head, article):
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    sheet = knowledge.attach_file(
        article, upload=SimpleUploadedFile("價目表.xlsx", buffer.getvalue())
    )
    assert sheet.file.name.endswith(".xlsx")
    picture_file = knowledge.attach_file(article, upload=SimpleUploadedFile("圖.jpg", JPEG))
    assert picture_file.content_type == "image/jpeg"
    client.force_login(head)
    download = client.get(reverse("knowledge:attachment", args=[sheet.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_file_kept_before_the_check_is_only_downloaded(client, head, article):
    legacy = ArticleAttachment.objects.create(
        article=article, name="old.html", size=len(HTML_AS_PDF),
        file=SimpleUploadedFile("old.html", HTML_AS_PDF),
    )  # fmt: skip
    client.force_login(head)
    download = client.get(reverse("knowledge:attachment", args=[legacy.pk]))
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
