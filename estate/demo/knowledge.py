"""The knowledge base of the demo: company information, a procedure and the fee schedule the
desk hands out, a regulation, and a piece of industry news. Written once (skipped when the
company has any article); the renovation handout carries the public procedure."""

from __future__ import annotations

from collections import Counter

from estate.accounts.models import User
from estate.demo.catalogue import RENOVATION
from estate.frontdesk.models import ServiceItem
from estate.knowledge import actions
from estate.knowledge.models import Article, Category
from estate.properties.models import Office

# (office code or None for the company, category, public, title, text)
ARTICLES = (
    (
        None,
        Category.COMPANY,
        False,
        "公司簡介",
        "安居物業管理有限公司成立於 2003 年，管理住宅小區和校園後勤服務中心。"
        "服務宗旨：以人為本、用戶第一。\n24 小時服務熱線：400-800-6666。",
    ),
    (
        "BSW",
        Category.PROCEDURE,
        True,
        "裝修申請辦理程序",
        "一、到客服中心領取裝修申請表和《裝修管理規定》。\n"
        "二、提交裝修設計圖紙和裝修公司資質複印件，簽訂裝修管理協議。\n"
        "三、管理處 3 個工作日內審核；不得改動承重牆、外立面和公共管道。\n"
        "四、繳納裝修押金和垃圾清運費，辦理施工人員出入證。\n"
        "施工時間：工作日 8:00–12:00、14:00–18:00，節假日不得進行噪音施工。",
    ),
    (
        "BSW",
        Category.FEES,
        True,
        "物業管理費收費標準",
        "住宅：每月每平方米 2.50 元（按建築面積）。\n商鋪：每月每平方米 4.00 元。\n"
        "按季度收取，每季度末月 25 日前繳清；可用現金、銀行轉賬、微信或支付寶繳納。",
    ),
    (
        "BSW",
        Category.REGULATION,
        False,
        "管理規約摘要（寵物與停車）",
        "寵物外出須拴繩，及時清理糞便；大型犬不得進入電梯轎廂。\n"
        "車輛按車位停放，消防通道禁止停車；訪客車輛在崗亭登記後停放訪客車位。",
    ),
    (
        None,
        Category.NEWS,
        False,
        "行業動態：物業服務收費公示要求",
        "多地要求物業服務企業在小區顯著位置公示收費項目、標準和服務內容，"
        "並每年公布公共收益收支情況。請各管理處對照檢查公示欄。",
    ),
)
HANDOUT_ARTICLE = (RENOVATION, "裝修申請辦理程序")


def seed_knowledge(
    offices: dict[str, Office], users: dict[str, User], created: Counter[str]
) -> None:
    if Article.objects.exists():
        return
    for code, category, public, title, body in ARTICLES:
        actions.save_article(
            office=offices[code] if code else None,
            by=users["admin"] if code is None else users["head"],
            category=category,
            title=title,
            body=body,
            is_public=public,
        )
        created["articles"] += 1
    item_name, title = HANDOUT_ARTICLE
    for item in ServiceItem.objects.filter(office=offices["BSW"], name=item_name):
        item.articles.add(Article.objects.get(office=offices["BSW"], title=title))
