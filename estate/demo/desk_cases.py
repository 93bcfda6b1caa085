"""The script of 碧水灣's lived-in desk: who contacts it, about what, and what happens next.

Only the script is here, with the helpers that write its steps; ``desk`` picks the callers
and replays the cases through the actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from estate.demo.catalogue import (
    CERTIFICATES,
    COMPLAINTS,
    CONCIERGE_HELP,
    DOORS_AND_WINDOWS,
    DRAIN_CLEARING,
    HOUSEKEEPING,
    MOVE_IN_CLEANING,
    RENOVATION,
    TROLLEY_LOAN,
    WATER_AND_POWER,
)
from estate.frontdesk.choices import Channel, Outcome
from estate.workorders.choices import Action, Kind, Priority, ReplyChannel, Status

# --- A lived-in desk -------------------------------------------------------------------
#
# A day or two of 碧水灣's front desk, replayed through the front-desk and work-order
# actions so that order numbers, timelines, replies and notifications are the real thing.
# Who calls is picked by the plan (a random household); what happens is scripted here.

# Who a contact comes from.
ANCHOR = "anchor"  # the owner of 3-1202, the demo resident
RESIDENT = "resident"  # someone of a random household, found in the registry
ASSISTED = "assisted"  # the main contact of a household with an elderly or disabled member
PASSER_BY = "passer_by"  # a resident reporting a common area, giving only name and phone
STAFF_CALLER = ""  # nobody from the registry: the case gives the caller


@dataclass(frozen=True)
class Step:
    """One action on an order after it was opened, by one of the demo logins."""

    action: str
    by: str  # username
    text: str = ""  # the reason, the work done, the reply or the note
    assignee: str = ""  # username, for assign
    materials: str = ""
    fee: str = "0.00"
    via: str = ReplyChannel.PHONE  # how the requester was told
    hours: int = 0  # promise: how long from now
    days: int = 0  # hold: resume after so many days


@dataclass(frozen=True)
class DeskCase:
    who: str
    channel: str  # how the contact came in
    kind: str
    intent: str  # what the requester said they wanted
    outcome: str = Outcome.WORK_ORDER
    item: str = ""  # service item name
    notes: str = ""
    agitated: bool = False
    caller: tuple[str, str] = ("", "")  # name and phone, for STAFF_CALLER
    # The order, when one is opened.
    description: str = ""
    location: str = ""
    priority: str = ""  # empty: the service item's default
    emergency: bool = False
    service_unit: str = ""  # dispatch there when no service item does
    assignee: str = ""  # username, dispatched straight to them
    steps: tuple[Step, ...] = ()
    ends: str = ""  # the status the steps leave the order in
    # The referral, when the matter belongs elsewhere.
    refer_to: str = ""
    told: str = ""
    confirmed_by: str = ""  # who at the department confirmed taking it over


def _repair_lead_assigns() -> Step:
    return Step(Action.ASSIGN, "repair_lead", assignee="worker")


def _worker(action: str, text: str = "", **extra: Any) -> Step:
    return Step(action, "worker", text, **extra)


def _clean_lead(action: str, text: str = "", **extra: Any) -> Step:
    return Step(action, "clean_lead", text, **extra)


def _desk(action: str, text: str = "", **extra: Any) -> Step:
    return Step(action, "reception", text, **extra)


LEAKING_PIPE = "廚房水管漏水"
BURST_PIPE_LOCATION = "2棟地下車庫B區"

DESK_CASES: tuple[DeskCase, ...] = (
    DeskCase(
        STAFF_CALLER,
        Channel.CALL,
        Kind.REPAIR,
        "2棟地下車庫 B 區給水管爆裂，水往車位漫，已經有兩輛車泡在水裡",
        item=WATER_AND_POWER,
        caller=("保安部巡邏崗 何師傅", "057186661230"),
        notes="保安部已在車庫入口攔車，正通知 B 區車主挪車。",
        description="2棟地下車庫 B 區給水管爆裂，大量漏水漫向車位。立即關閉 2棟地下車庫給水"
        "總閥搶修，保安部協助疏散車輛，搶修後清潔班抽水清理。",
        location=BURST_PIPE_LOCATION,
        priority=Priority.URGENT,
        emergency=True,
        assignee="worker",
        steps=(
            _worker(Action.ACCEPT),
            _worker(Action.START),
            Step(
                Action.COMMENT,
                "head",
                "已到現場：總閥已關，保安部在車庫入口設警示並通知 B 區車主挪車，"
                "清潔班備好抽水泵待命。2棟 1-6 層暫時停水。",
            ),
            _desk(
                Action.UPDATE_REQUESTER,
                "2棟地下車庫水管正在搶修，總閥已關閉，2棟低層暫時停水，預計兩小時內恢復。",
                via=ReplyChannel.SMS,
            ),
        ),
        ends=Status.IN_PROGRESS,
    ),
    DeskCase(
        ANCHOR,
        Channel.CALL,
        Kind.REPAIR,
        f"{LEAKING_PIPE}：水槽下面的水管一直在滴水，櫥櫃底板已經泡濕了",
        item=WATER_AND_POWER,
        notes="業主下午在家，上門前先打電話。",
        description=f"3-1202 {LEAKING_PIPE}：水槽下方進水軟管接頭滴漏，櫥櫃底板泡濕。"
        "業主已關閉廚房角閥，請維修班上門檢查更換。",
        priority=Priority.HIGH,
        steps=(
            _repair_lead_assigns(),
            Step(
                Action.PROMISE,
                "repair_lead",
                "張師傅正在 2棟地下車庫搶修爆管，搶修完即過來，兩小時內上門。",
                hours=2,
            ),
        ),
        ends=Status.DISPATCHED,
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.INQUIRY,
        "物業費能不能用微信繳？今年的收費標準是多少？",
        outcome=Outcome.ANSWERED,
        notes="已告知：可在「碧水灣物業」微信公眾號或客服中心刷卡繳納；"
        "住宅物業費 2.2 元/平方米·月，按季度繳。",
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.REPAIR,
        "衛生間地漏返臭，洗澡的時候下水很慢",
        item=DRAIN_CLEARING,
        description="衛生間地漏返臭、排水緩慢，請上門疏通並檢查存水彎。",
        ends=Status.DISPATCHED,
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.INQUIRY,
        "家裡突然停電了，整棟樓都黑了，什麼時候能來電？",
        outcome=Outcome.REFERRED,
        refer_to="供電所",
        told="經查是市政線路故障造成的片區停電，不是小區內部問題，供電所正在搶修。"
        "可撥打國家電網客服 95598 查詢恢復時間；家中有製氧機等設備的老人請告訴客服中心。",
        confirmed_by="供電所值班員 錢師傅",
    ),
    DeskCase(
        ASSISTED,
        Channel.CALL,
        Kind.CONCIERGE,
        "下午從醫院回來，家裡老人坐輪椅，還有兩袋行李，想請人從南門幫忙送到電梯口",
        item=CONCIERGE_HELP,
        description="下午約 4 點從醫院回來，老人坐輪椅並帶兩袋行李。請禮賓員在南門接，"
        "用手推車運行李，陪同送至電梯口並上樓。",
        ends=Status.DISPATCHED,
    ),
    DeskCase(
        RESIDENT,
        Channel.ONLINE,
        Kind.HOUSEKEEPING,
        "週六上午想約日常保潔三小時，重點是廚房和衛生間",
        item=HOUSEKEEPING,
        description="週六上午日常保潔 3 小時，重點清潔廚房和衛生間。",
        steps=(
            _clean_lead(Action.ACCEPT),
            _clean_lead(
                Action.PROMISE,
                "業主只有週末在家，約定週六上午 9 點保潔員上門。",
                hours=48,
            ),
        ),
        ends=Status.ACCEPTED,
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.REPAIR,
        "臥室推拉窗的滑輪掉了，窗扇關不上，晚上怕下雨",
        item=DOORS_AND_WINDOWS,
        description="臥室推拉窗滑輪脫落，窗扇無法關閉，需更換滑輪。",
        steps=(_repair_lead_assigns(), _worker(Action.ACCEPT), _worker(Action.START)),
        ends=Status.IN_PROGRESS,
    ),
    DeskCase(
        RESIDENT,
        Channel.VISIT,
        Kind.OTHER,
        "準備重新裝修廚房和衛生間，要辦什麼手續？",
        outcome=Outcome.INFORMATION,
        item=RENOVATION,
        notes="已一次性告知所需資料、押金和施工時間規定，並給了一份《裝修管理規定》。",
    ),
    DeskCase(
        RESIDENT,
        Channel.VISIT,
        Kind.REPAIR,
        "衛生間浴霸的燈不亮，換了燈泡還是不亮",
        item=WATER_AND_POWER,
        description="衛生間浴霸照明不亮，業主已換過燈泡，請檢查開關和線路。",
        steps=(
            _repair_lead_assigns(),
            _worker(Action.ACCEPT),
            _worker(Action.START),
            _worker(
                Action.HOLD,
                "浴霸開關模塊燒壞，需訂購同型號配件，業主同意等配件到貨再修。",
                days=3,
            ),
            _desk(
                Action.UPDATE_REQUESTER,
                "您好，浴霸配件預計三天內到貨，到貨後張師傅會先打電話和您約上門時間。",
                via=ReplyChannel.SMS,
            ),
        ),
        ends=Status.ON_HOLD,
    ),
    DeskCase(
        RESIDENT,
        Channel.VISIT,
        Kind.COMPLAINT,
        "投訴前天上門修水管的師傅態度很差：不穿鞋套，說話很衝，弄髒了地板也不清理",
        item=COMPLAINTS,
        agitated=True,
        notes="業主情緒激動，已請到接待室，並通知林主任。",
        description="業主投訴維修人員服務態度：上門未穿鞋套、說話生硬、弄髒地板未清理。"
        "請經理調查核實並答覆業主。",
        assignee="manager",
        steps=(
            Step(Action.ACCEPT, "manager"),
            Step(Action.START, "manager"),
            Step(
                Action.COMPLETE,
                "manager",
                "調閱工作單並與當事員工、班長核實：上門未穿鞋套、完工未清理現場屬實。"
                "已對當事員工批評教育並按考核辦法扣分，維修班全員重申上門規範；"
                "安排清潔班上門清潔地板。",
            ),
            Step(
                Action.REPLY,
                "manager",
                "陳經理上門當面致歉並說明處理結果：當事師傅已受批評並扣分，今後上門一律"
                "穿鞋套、完工清理；地板已由保潔員清潔。業主接受道歉。",
                via=ReplyChannel.VISIT,
            ),
        ),
        ends=Status.REPLIED,
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.REPAIR,
        "廚房有個插座一插電飯煲就跳閘",
        item=WATER_AND_POWER,
        description="廚房插座使用電飯煲時跳閘，請檢查插座和線路。",
        steps=(
            _repair_lead_assigns(),
            _worker(Action.ACCEPT),
            _worker(Action.START),
            _worker(
                Action.COMPLETE,
                "插座內部短路燒蝕，更換五孔插座面板一個；試用電飯煲正常，不再跳閘。",
                materials="五孔插座面板 ×1",
                fee="27.00",
            ),
        ),
        ends=Status.COMPLETED,
    ),
    DeskCase(
        RESIDENT,
        Channel.VISIT,
        Kind.REPAIR,
        "臥室外牆滲水，牆面都發霉了，房子還在保修期內",
        outcome=Outcome.REFERRED,
        refer_to="碧水灣置業（開發商）",
        told="外牆防水屬施工遺留問題，保修期內由開發商負責返修。已登記並轉碧水灣置業工程部，"
        "工程部三個工作日內聯繫您上門查看，電話 0571-86665588。",
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.REPAIR,
        "馬桶堵了，孩子把玩具沖下去了",
        item=DRAIN_CLEARING,
        description="馬桶堵塞，疑有兒童玩具沖入。",
        steps=(
            _worker(Action.ACCEPT),
            _worker(
                Action.COMPLETE,
                "用疏通機取出塑料玩具一個，放水試驗排水通暢。",
                fee="50.00",
            ),
        ),
        ends=Status.COMPLETED,
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.HOUSEKEEPING,
        "想約人把油煙機拆下來洗一洗",
        item=HOUSEKEEPING,
        description="油煙機拆洗一台。",
        steps=(
            _clean_lead(Action.ACCEPT),
            _clean_lead(Action.START),
            _clean_lead(
                Action.COMPLETE,
                "拆洗油煙機一台（葉輪、油網、集油盒），清理灶台周邊油污，試機正常。",
                fee="120.00",
            ),
            _desk(
                Action.REPLY,
                "油煙機已拆洗完畢、試機正常，收費 120 元已結清；使用中有問題請隨時聯繫客服中心。",
            ),
        ),
        ends=Status.REPLIED,
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.INQUIRY,
        "孩子上學要開居住證明，物業能開嗎？要帶什麼？",
        outcome=Outcome.INFORMATION,
        item=CERTIFICATES,
        notes="已告知帶身份證、房產證到客服中心辦理，一個工作日內可取。",
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.REPAIR,
        "陽台的燈不亮了",
        item=WATER_AND_POWER,
        description="陽台吸頂燈不亮。",
        steps=(
            _repair_lead_assigns(),
            _worker(Action.ACCEPT),
            _worker(Action.START),
            _worker(
                Action.COMPLETE,
                "LED 燈盤損壞，更換陽台吸頂燈燈盤一個（業主自購）。",
                materials="LED 燈盤 18W ×1（業主自購）",
                fee="30.00",
            ),
            _desk(Action.REPLY, "陽台燈已修好，收人工費 30 元。業主表示滿意。"),
            _desk(Action.CLOSE),
        ),
        ends=Status.CLOSED,
    ),
    DeskCase(
        PASSER_BY,
        Channel.ONLINE,
        Kind.HOUSEKEEPING,
        "12棟 8 樓樓道有寵物糞便，好幾天了沒人清理",
        description="12棟 8 樓樓道及電梯廳有寵物糞便，請清理消毒。",
        location="12棟8樓樓道",
        service_unit="清潔班",
        steps=(
            _clean_lead(Action.ACCEPT),
            _clean_lead(Action.COMPLETE, "已清掃並消毒 8 樓樓道和電梯廳，張貼文明養犬提示。"),
            _desk(
                Action.REPLY,
                "您反映的 12棟 8 樓樓道衛生問題已清理消毒，並張貼了文明養犬提示，感謝您的監督。",
                via=ReplyChannel.SMS,
            ),
            _desk(Action.CLOSE),
        ),
        ends=Status.CLOSED,
    ),
    DeskCase(
        RESIDENT,
        Channel.ONLINE,
        Kind.INQUIRY,
        "家裡寬帶從早上斷網到現在",
        outcome=Outcome.REFERRED,
        refer_to="有線電視及寬帶運營商",
        told="寬帶線路由運營商維護，請撥打您所用運營商的客服報修（電信 10000、移動 10086、"
        "聯通 10010）；師傅需要進弱電井時，維修班會配合開門。",
    ),
    DeskCase(
        RESIDENT,
        Channel.VISIT,
        Kind.HOUSEKEEPING,
        "新房裝修快完了，想預約開荒保潔",
        item=MOVE_IN_CLEANING,
        description="新房裝修後開荒保潔，業主通知完工後上門。",
        steps=(
            _clean_lead(Action.ACCEPT),
            _clean_lead(
                Action.HOLD, "業主家木地板還沒鋪完，等裝修完工、業主通知後再上門。", days=7
            ),
        ),
        ends=Status.ON_HOLD,
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.HOUSEKEEPING,
        "下週想約人擦全屋的玻璃",
        item=HOUSEKEEPING,
        description="全屋擦玻璃。",
        steps=(_desk(Action.CANCEL, "業主來電取消：已自行找人清潔。"),),
        ends=Status.CANCELLED,
    ),
    DeskCase(
        RESIDENT,
        Channel.CALL,
        Kind.REPAIR,
        "衛生間洗手盆的水龍頭一直滴水",
        item=WATER_AND_POWER,
        description="衛生間洗手盆水龍頭關不緊，持續滴水。",
        steps=(
            _repair_lead_assigns(),
            _worker(Action.ACCEPT),
            _worker(Action.START),
            _worker(
                Action.COMPLETE,
                "更換水龍頭陶瓷閥芯一個，試水不再滴漏。",
                materials="陶瓷閥芯 ×1",
                fee="38.00",
            ),
            _desk(Action.REPLY, "水龍頭已更換閥芯，收費 38 元（人工 30 元、閥芯 8 元）。"),
            _desk(Action.REOPEN, "業主來電：當晚又開始滴水，要求重新上門，建議整個更換水龍頭。"),
        ),
        ends=Status.REOPENED,
    ),
    DeskCase(
        ASSISTED,
        Channel.VISIT,
        Kind.INQUIRY,
        "想給家裡老人辦老年人優待證，在哪裡辦？",
        outcome=Outcome.REFERRED,
        refer_to="社區居委會",
        told="老年人優待證由社區居委會辦理：帶老人身份證和一寸照片到濱江路 90 號社區服務中心"
        "二樓，工作日 8:30-11:30、14:00-17:00。",
    ),
    DeskCase(
        RESIDENT,
        Channel.ONLINE,
        Kind.COMPLAINT,
        "樓上每天晚上十點以後還在拖桌椅、小孩跑跳，影響休息，自己去說過沒用",
        description="反映樓上住戶每晚十點後拖動桌椅、小孩跑跳，噪音影響休息，已自行溝通無效，"
        "請管理處上門協調。",
        ends=Status.DISPATCHED,  # no handler chosen: it goes to a manager at once (R-A2.0)
    ),
    DeskCase(
        PASSER_BY,
        Channel.VISIT,
        Kind.REPAIR,
        "1棟大堂單元門刷卡沒反應，只能等別人開門",
        description="1棟大堂單元門門禁刷卡無反應，請檢查讀卡器和電源。",
        location="1棟大堂單元門",
        ends=Status.NEW,
    ),
    DeskCase(
        RESIDENT,
        Channel.VISIT,
        Kind.CONCIERGE,
        "借便民推車搬點東西",
        outcome=Outcome.ANSWERED,
        item=TROLLEY_LOAN,
        notes="已登記並押門禁卡，借出平板手推車一輛，兩小時內歸還。",
    ),
)
