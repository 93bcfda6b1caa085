"""The printable 服務工作單 is a real PDF with the Chinese font embedded and the order's text in it."""

import io

from django.urls import reverse
from pypdf import PdfReader


def test_work_order_pdf_embeds_the_font_and_carries_the_text(client, reception, leaking_pipe):
    client.force_login(reception)
    response = client.get(reverse("workorders:print", args=[leaking_pipe.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    chinese = [f for f in fonts if "WenQuanYi" in str(f["/BaseFont"])]
    assert chinese, "the Chinese font is used"
    assert all("/FontFile2" in f["/FontDescriptor"].get_object() for f in chinese), (
        "and embedded (subset)"
    )
    text = page.extract_text()
    for expected in (leaking_pipe.number, "碧水灣管理處", "廚房水管漏水", "3-1202", "陳美玲"):
        assert expected in text


def test_pdf_of_another_offices_order_is_404(client, other_office, leaking_pipe):
    from estate.accounts.roles import Role
    from tests.factories import staff

    client.force_login(staff("outsider", Role.RECEPTIONIST, other_office))
    assert client.get(reverse("workorders:print", args=[leaking_pipe.pk])).status_code == 404
