"""The company's standard lists, from the seed (篇2): the scripts and the 20 recommended phrases
(附件二, 文明服務提倡用語), and the forbidden phrases (服務忌語).

A forbidden phrase as listed is often a sentence of two parts; each part that is rude on its
own is an entry of its own (「急什麼，等一下」 → 急什麼等一下 and 急什麼), so the guard also
catches it when staff write only that part. Parts that are ordinary on their own (等一下,
我不知道) are not entries. ``×××`` stands for a name the writer fills in.
"""

from __future__ import annotations

from typing import Any

from estate.language.choices import Situation

S = Situation

RECOMMENDED: tuple[tuple[Situation, str], ...] = (
    (S.GREETING, "您好！"),
    (S.GREETING, "請問您需要辦什麼事？"),
    (S.GREETING, "請問您有什麼需要了解的？"),
    (S.GREETING, "早上好！請問您有什麼事？"),
    (S.PHONE_OPENING, "您好！這裡是×××管理處，我是×××。"),
    (S.PHONE_OPENING, "請問您有什麼事嗎？請講。"),
    (S.PHONE_OPENING, "請問您找哪一位？"),
    (S.PHONE_OPENING, "請問您貴姓？"),
    (S.PHONE_CLOSING, "謝謝您的來電，再見！"),
    (S.PHONE_CLOSING, "我一會兒給您回電話，好嗎？"),
    (S.PHONE_CLOSING, "您的事情已記下了，請放心，我一定轉告或向領導匯報。"),
    (S.PHONE_CLOSING, "對不起，電話聽不清，麻煩您再說一遍，好嗎？"),
    (S.ASKING, "請別急，慢慢把事情說清楚。"),
    (S.ASKING, "請問哪些問題還不明白？"),
    (S.ASKING, "請您將聯繫電話留下，有事我們再通知您。"),
    (S.ASKING, "請您先看一下辦事程序和須知。"),
    (S.ASKING, "您的表格填錯了，麻煩您再看一遍。"),
    (S.ASKING, "還有哪兒不明白，您請問。"),
    (S.WAITING, "請稍候，我先辦完這件事再給您辦。"),
    (S.WAITING, "對不起，我先接個電話，請稍等。"),
    (S.WAITING, "對不起，讓您久等了。"),
    (S.WAITING, "很抱歉，他不在，請您先坐一會兒。"),
    (S.WAITING, "我們晚一點下班沒關係，今天可以把您的事辦完。"),
    (S.WAITING, "對不起，這位同志有急事，我們先給他辦好嗎？"),
    (S.APOLOGISING, "對不起，有做得不到的地方，請原諒。"),
    (S.APOLOGISING, "您的意見很對，我們一定研究改進。"),
    (S.APOLOGISING, "對不起，是我的疏忽，馬上改。"),
    (S.REFUSING, "對不起，按×××規定，我們不能辦理，請您原諒。"),
    (S.REFUSING, "對不起，您的問題需要請示領導後再給您答復。"),
    (S.REFUSING, "您的困難可以體諒，但我們不能違反規定。"),
    (
        S.REFUSING,
        "對不起，這個問題我暫時無法回答，請留下您的聯繫電話和姓名，我將再次與您聯繫。",
    ),
    (S.REFUSING, "對不起，請補全手續再來辦理。"),
    (S.REFERRING, "這個問題請您到×××辦公室找×××。"),
    (S.REFERRING, "您的問題我會馬上轉到×××去，並盡快給您答復。"),
    (S.REFERRING, "不好意思，您找的×××在×××室，電話號碼是×××，請您直接聯繫，好嗎？"),
    (S.REFERRING, "不好意思，他現在不在這裡，如果您有急事，我能否代為轉告？"),
    (S.THANKING, "謝謝！"),
    (S.THANKING, "多謝合作。"),
    (S.THANKING, "您提出的意見很好，我們一定研究。"),
    (S.THANKING, "沒關係，這是我們應該做的。"),
    (S.THANKING, "不用謝，應該的。"),
    (S.FAREWELL, "再見。"),
    (S.FAREWELL, "您慢走。"),
    (S.FAREWELL, "請收好您的×××，您慢走。"),
)

# (as listed in the seed, the entries that catch it, the situation to suggest phrases from)
FORBIDDEN: tuple[tuple[str, tuple[str, ...], Situation], ...] = (
    ("我不知道，這不歸我管", ("我不知道這不歸我管", "這不歸我管", "不歸我管"), S.REFERRING),
    ("你講什麼我不懂", ("你講什麼我不懂", "講什麼我不懂", "說什麼我不懂"), S.ASKING),
    ("你問我，我問誰", ("你問我我問誰", "我問誰"), S.REFERRING),
    (
        "不是給你講了嗎，怎麼還不明白",
        ("不是給你講了嗎怎麼還不明白", "不是給你講了嗎", "怎麼還不明白"),
        S.ASKING,
    ),
    (
        "你有完沒完，有意見找領導去",
        ("你有完沒完有意見找領導去", "有完沒完", "有意見找領導去"),
        S.APOLOGISING,
    ),
    ("找誰都沒用", ("找誰都沒用",), S.REFERRING),
    ("急什麼，等一下", ("急什麼等一下", "急什麼"), S.WAITING),
    ("我怎麼知道什麼時候辦好", ("我怎麼知道什麼時候辦好", "我怎麼知道什麼時候"), S.WAITING),
    ("還沒上班，等一下辦", ("還沒上班等一下辦",), S.WAITING),
    ("沒看我一直在忙嗎", ("沒看我一直在忙嗎", "沒看我一直在忙", "沒看我在忙"), S.WAITING),
    (
        "怎麼不早來，快下班了，明天再來辦",
        ("怎麼不早來快下班了明天再來辦", "怎麼不早來", "快下班了明天再來"),
        S.WAITING,
    ),
    ("別煩啦", ("別煩啦", "別煩了", "別煩我"), S.APOLOGISING),
)


def ensure_standard_lists(phrase_model: Any = None, forbidden_model: Any = None) -> None:
    """Create the standard lists unless there are some already (the migration runs this; with
    historical models there, with the real ones elsewhere)."""
    if phrase_model is None or forbidden_model is None:
        from estate.language.models import ForbiddenPhrase, Phrase

        phrase_model, forbidden_model = Phrase, ForbiddenPhrase
    if not phrase_model.objects.filter(office__isnull=True).exists():
        phrase_model.objects.bulk_create(
            phrase_model(situation=situation, text=text, position=n)
            for n, (situation, text) in enumerate(RECOMMENDED)
        )
    if not forbidden_model.objects.filter(office__isnull=True).exists():
        forbidden_model.objects.bulk_create(
            forbidden_model(text=entry, source=listed, situation=situation)
            for listed, entries, situation in FORBIDDEN
            for entry in entries
        )
