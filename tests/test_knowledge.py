"""The staff knowledge base: search in either script, per office and company-wide, attachments
checked by their bytes, public articles given with a reply or printed after a handout."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from estate.frontdesk.models import ServiceItem
from estate.knowledge import actions
from estate.knowledge.models import Article, ArticleAttachment
from estate.workorders import actions as work_orders
from estate.workorders.models import Reply
from tests.factories import staff
from tests.files import PDF


@pytest.fixture
def articles(bsw, other_office, head):
    from estate.accounts.roles import Role

    admin = staff("admin", Role.ADMINISTRATOR, company=bsw.company)
    return {
        "renovation": actions.save_article(
            office=bsw, by=head, category="procedure", title="裝修申請辦理程序",
            body="領取裝修申請表，提交圖紙，三個工作日內審核。", is_public=True,
        ),
        "fees": actions.save_article(
            office=bsw, by=head, category="fees", title="物業管理費收費標準",
            body="住宅每月每平方米 2.50 元，按季度收取。", is_public=True,
        ),
        "company": actions.save_article(
            office=None, by=admin, category="company", title="公司簡介",
            body="以人為本、用戶第一。服務熱線 400-800-6666。", is_public=False,
        ),
        "elsewhere": actions.save_article(
            office=other_office, by=admin, category="procedure", title="校園報修須知",
            body="裝修與維修請到後勤處。", is_public=True,
        ),
    }  # fmt: skip


def titles(page):
    import re

    return re.findall(r"<strong>(.*?)</strong>", page.content.decode())


def test_search_finds_words_in_either_script_title_matches_first(client, reception, articles):
    client.force_login(reception)
    assert titles(client.get(reverse("knowledge:list"), {"q": "装修"})) == ["裝修申請辦理程序"]
    assert titles(client.get(reverse("knowledge:list"), {"q": "季度 收费"})) == [
        "物業管理費收費標準"
    ]
    assert titles(client.get(reverse("knowledge:list"), {"q": "用戶第一"})) == ["公司簡介"]
    listed = titles(client.get(reverse("knowledge:list")))
    assert "校園報修須知" not in listed  # another office's
    assert set(listed) == {"裝修申請辦理程序", "物業管理費收費標準", "公司簡介"}
    by_category = titles(client.get(reverse("knowledge:list"), {"category": "fees"}))
    assert by_category == ["物業管理費收費標準"]


def test_the_title_ranks_above_the_text(client, bsw, head, reception):
    actions.save_article(
        office=bsw, by=head, category="news", title="消防檢查通知", body="與裝修無關。",
        is_public=False,
    )  # fmt: skip
    actions.save_article(
        office=bsw, by=head, category="procedure", title="裝修須知", body="消防通道不得堆放材料。",
        is_public=False,
    )  # fmt: skip
    client.force_login(reception)
    assert titles(client.get(reverse("knowledge:list"), {"q": "裝修"})) == [
        "裝修須知",
        "消防檢查通知",
    ]


def test_only_heads_managers_and_company_roles_write(client, bsw, reception, head, articles):
    client.force_login(reception)
    assert client.get(reverse("knowledge:new")).status_code == 404
    client.force_login(head)
    page = client.post(
        reverse("knowledge:new"),
        {
            "office": bsw.pk,
            "category": "regulation",
            "title": "寵物管理",
            "body": "寵物外出須拴繩。",
        },
    )
    assert page.status_code == 302
    assert Article.objects.get(title="寵物管理").office == bsw
    assert client.get(reverse("knowledge:edit", args=[articles["company"].pk])).status_code == 404


def test_a_public_article_is_checked_for_forbidden_phrases(bsw, head):
    with pytest.raises(ValidationError) as refused:
        actions.save_article(
            office=bsw, by=head, category="procedure", title="辦事須知",
            body="材料不全別煩了，找誰都沒用。", is_public=True,
        )  # fmt: skip
    assert "body" in refused.value.message_dict
    assert not Article.objects.filter(title="辦事須知").exists()


def test_attachments_are_checked_and_served_to_those_who_may_read(
    client, bsw, head, reception, articles, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    article = articles["company"]
    with pytest.raises(ValidationError) as refused:
        actions.attach_file(
            article, upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00 not a document")
        )
    assert "file" in refused.value.message_dict
    attachment = actions.attach_file(article, upload=SimpleUploadedFile("簡介.pdf", PDF))
    client.force_login(reception)
    response = client.get(reverse("knowledge:attachment", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    client.logout()
    assert client.get(reverse("knowledge:attachment", args=[attachment.pk])).status_code == 302
    public = actions.attach_file(articles["renovation"], upload=SimpleUploadedFile("表.pdf", PDF))
    assert client.get(reverse("knowledge:attachment", args=[public.pk])).status_code == 302
    assert ArticleAttachment.objects.count() == 2


def test_a_public_article_goes_with_a_reply(client, reception, leaking_pipe, articles):
    work_orders.update_requester(
        leaking_pipe, reply_channel="phone", text="您好，收費標準請見附件。", by=reception,
        channel="desk", articles=[articles["fees"]],
    )  # fmt: skip
    assert list(Reply.objects.get().articles.all()) == [articles["fees"]]
    for not_allowed in (articles["company"], articles["elsewhere"]):
        with pytest.raises(ValidationError) as refused:
            work_orders.update_requester(
                leaking_pipe, reply_channel="phone", text="請查看。", by=reception,
                channel="desk", articles=[not_allowed],
            )  # fmt: skip
        assert "articles" in refused.value.message_dict
    client.force_login(reception)
    page = client.get(reverse("workorders:detail", args=[leaking_pipe.pk])).content.decode()
    assert 'data-testid="reply-article"' in page
    assert "物業管理費收費標準" in page


def test_a_handout_prints_its_public_articles(client, bsw, articles):
    item = ServiceItem.objects.create(
        office=bsw, name="裝修申請", kind="repair", procedure="領表\n審核", fee_kind="free"
    )
    item.articles.add(articles["renovation"], articles["company"])
    page = client.get(reverse("frontdesk:handout", args=[item.pk])).content.decode()
    assert page.count('data-testid="handout-article"') == 1
    assert "領取裝修申請表" in page
    assert "公司簡介" not in page  # not public


def test_the_api_searches_and_reads(api, reception, articles):
    api.force_authenticate(user=reception)
    found = api.get("/api/v1/articles/", {"q": "收费标准"}).json()
    assert [a["title"] for a in found["results"]] == ["物業管理費收費標準"]
    other = articles["elsewhere"].pk
    assert api.get(f"/api/v1/articles/{other}/").status_code == 404
