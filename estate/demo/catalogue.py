"""The service catalogue of both offices (服務項目), with what the desk tells at once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from estate.demo.common import create_missing
from estate.frontdesk.choices import FeeKind
from estate.frontdesk.models import ServiceItem
from estate.properties.models import Office, ServiceUnit
from estate.workorders.choices import Kind, Priority

# --- Service catalogue -----------------------------------------------------------------


@dataclass(frozen=True)
class ServiceItemSpec:
    """A service the office offers (服務項目) and what the desk tells the requester at once (一次性告知)."""

    office: str
    name: str
    kind: str
    service_unit: str  # the unit an order for it is dispatched to
    procedure: tuple[str, ...]  # one step per line
    documents: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    fee: str = FeeKind.FREE
    price_list: tuple[str, ...] = ()
    priority: str = Priority.NORMAL


WATER_AND_POWER = "水電維修"
DRAIN_CLEARING = "管道疏通"
DOORS_AND_WINDOWS = "門窗維修"
HOUSEKEEPING = "家政保潔"
MOVE_IN_CLEANING = "開荒保潔"
CONCIERGE_HELP = "禮賓協助（行李、老弱病殘送至電梯口）"
CERTIFICATES = "證明開具"
RENOVATION = "裝修申請"
COMPLAINTS = "投訴受理"
TROLLEY_LOAN = "便民服務車借用"

SERVICE_ITEMS: tuple[ServiceItemSpec, ...] = (
    ServiceItemSpec(
        "BSW",
        WATER_AND_POWER,
        Kind.REPAIR,
        "維修班",
        (
            "登記房號、聯繫人、故障現象和方便上門的時間；漏水的先請業主關閉角閥或總閥",
            "派單維修班，維修人員 30 分鐘內電話聯繫業主確認上門時間",
            "佩戴工作證上門，穿鞋套、鋪墊布，先查明故障原因",
            "屬戶內有償維修的，先告知收費標準，業主同意後再施工",
            "修復後當面試水試電，清理現場，請業主在工作單上簽字",
            "客服中心一個工作日內電話回訪",
        ),
        materials=(
            "水龍頭、角閥、進水軟管（業主自備或按價代購）",
            "開關、插座面板，燈具及燈泡",
            "空氣開關、漏電保護器",
        ),
        fee=FeeKind.PRICED,
        price_list=(
            "更換水龍頭 人工費 30 元",
            "更換角閥 人工費 20 元/個",
            "更換進水軟管 人工費 15 元/根",
            "更換開關或插座面板 人工費 15 元/個，五孔插座面板 12 元/個",
            "更換燈具 人工費 30 元起",
            "檢查跳閘原因 免費",
            "公共區域水電維修 免費",
            "材料費 按實際使用另計",
        ),
    ),
    ServiceItemSpec(
        "BSW",
        DRAIN_CLEARING,
        Kind.REPAIR,
        "維修班",
        (
            "問清堵塞位置（馬桶、地漏、洗手盆、廚房下水）及是否已經溢水",
            "已溢水或滲到樓下的按緊急處理，先請業主停止用水",
            "維修人員上門，先用皮搋子，不通再用電動疏通機",
            "疏通後放水試驗，確認排水通暢、無返味",
            "公共主管或化糞池堵塞的，轉清潔班清掏，不向業主收費",
            "清理現場，請業主在工作單上簽字",
        ),
        materials=("電動疏通機", "皮搋子", "防護墊布、鞋套"),
        fee=FeeKind.PRICED,
        price_list=(
            "馬桶疏通 50 元/次",
            "地漏、洗手盆疏通 30 元/次",
            "廚房下水疏通 60 元/次",
            "需拆裝馬桶的 另加 80 元",
            "公共主管堵塞 免費",
        ),
        priority=Priority.HIGH,
    ),
    ServiceItemSpec(
        "BSW",
        DOORS_AND_WINDOWS,
        Kind.REPAIR,
        "維修班",
        (
            "登記門窗類型（入戶門、室內門、窗戶、紗窗）和損壞情況",
            "維修人員上門查看，能當場修好的當場修復",
            "需要更換配件的，告知價格並約定第二次上門時間",
            "更換入戶門鎖芯須核對業主身份，舊鎖芯當面交還業主",
            "修復後反復開關試驗，請業主簽字確認",
        ),
        documents=("更換入戶門鎖芯：業主身份證",),
        materials=("合頁、把手、閉門器", "窗戶滑輪、密封膠條", "鎖芯（業主自備或按價代購）"),
        fee=FeeKind.PRICED,
        price_list=(
            "調整門窗 人工費 20 元",
            "更換合頁 人工費 20 元/個",
            "更換窗戶滑輪 人工費 30 元/扇",
            "更換鎖芯 人工費 50 元（鎖芯另計）",
            "更換紗窗網 35 元/平方米",
        ),
    ),
    ServiceItemSpec(
        "BSW",
        HOUSEKEEPING,
        Kind.HOUSEKEEPING,
        "清潔班",
        (
            "預約服務日期、時長，問清需重點清潔的部位",
            "清潔班安排保潔員，前一天電話確認上門時間",
            "保潔員按時上門，自帶清潔工具和中性清潔劑",
            "按先上後下、先裡後外的順序清潔，貴重物品不挪動",
            "業主驗收，當場結算並開具收據",
        ),
        materials=("清潔工具和中性清潔劑（保潔員自帶）",),
        fee=FeeKind.PRICED,
        price_list=(
            "日常保潔 40 元/小時（2 小時起）",
            "廚房深度清潔 200 元/次",
            "油煙機拆洗 120 元/台",
            "擦玻璃 5 元/平方米",
        ),
        priority=Priority.LOW,
    ),
    ServiceItemSpec(
        "BSW",
        MOVE_IN_CLEANING,
        Kind.HOUSEKEEPING,
        "清潔班",
        (
            "裝修完工後預約，至少提前三天",
            "清潔班上門查看面積和污染程度，報價並經業主確認",
            "清除建築垃圾、膠漬和塗料點",
            "擦洗門窗玻璃、衛浴潔具和櫥櫃",
            "按地面材質分別清洗，木地板不用水沖",
            "業主驗收簽字，當場結算",
        ),
        materials=("清潔工具和清潔劑（清潔班自帶）", "鏟刀、玻璃刮"),
        fee=FeeKind.PRICED,
        price_list=(
            "開荒保潔 8 元/平方米（按建築面積，300 元起）",
            "裝修垃圾清運 150 元/車",
        ),
        priority=Priority.LOW,
    ),
    ServiceItemSpec(
        "BSW",
        CONCIERGE_HELP,
        Kind.CONCIERGE,
        "禮賓部",
        (
            "業主在大堂提出或提前來電預約，說明時間、地點和要幫的忙",
            "禮賓員推手推車協助搬運行李、購物袋",
            "老人、孕婦、殘障人士陪同送至電梯口，需要時送到家門口",
            "雨天可借用雨傘，用完歸還大堂",
            "事後在禮賓台記錄服務",
        ),
        materials=("手推車", "輪椅（各棟大堂備用）", "雨傘"),
    ),
    ServiceItemSpec(
        "BSW",
        CERTIFICATES,
        Kind.INQUIRY,
        "客服中心",
        (
            "問清證明類型（居住證明、物業費繳清證明等）和用途",
            "核驗業主身份和房產登記信息",
            "物業費有欠繳的，先告知繳清後才能開具繳費證明",
            "客服中心打印證明，管理處負責人簽字蓋章",
            "一個工作日內可取，辦好後電話通知取件",
        ),
        documents=(
            "身份證",
            "房產證或購房合同",
            "租戶另需租賃合同和業主授權書",
        ),
        priority=Priority.LOW,
    ),
    ServiceItemSpec(
        "BSW",
        RENOVATION,
        Kind.OTHER,
        "客服中心",
        (
            "業主到客服中心領取裝修申請表和《裝修管理規定》",
            "提交資料，簽訂裝修管理協議",
            "管理處 3 個工作日內審核裝修方案（不得改動承重牆、外立面和公共管道）",
            "繳納裝修押金和垃圾清運費，辦理施工人員出入證",
            "施工時間：工作日 8:00-12:00、14:00-18:00，週末和節假日不得進行噪音作業",
            "完工後申請驗收，未損壞公共設施的，驗收合格後退還押金",
        ),
        documents=(
            "業主身份證、房產證複印件",
            "裝修設計圖紙（平面圖、水電圖）",
            "裝修公司營業執照和資質證書複印件",
            "施工人員身份證複印件和一寸照片",
        ),
        fee=FeeKind.PRICED,
        price_list=(
            "裝修押金 2000 元（驗收合格後退還）",
            "裝修垃圾清運費 300 元",
            "施工人員出入證 工本費 10 元/張",
        ),
    ),
    ServiceItemSpec(
        "BSW",
        COMPLAINTS,
        Kind.COMPLAINT,
        "客服中心",
        (
            "耐心聽完，不打斷、不爭辯，記錄投訴事由、涉及人員、時間和地點",
            "情緒激動的來訪者請到接待室，通知管理處負責人",
            "當日內聯繫投訴人，說明處理意見和時限",
            "涉及員工服務態度的，由管理處經理調查核實",
            "把處理結果回覆投訴人，三日內回訪滿意度",
        ),
        priority=Priority.HIGH,
    ),
    ServiceItemSpec(
        "BSW",
        TROLLEY_LOAN,
        Kind.CONCIERGE,
        "客服中心",
        (
            "在客服中心登記房號、姓名和電話",
            "押身份證或門禁卡",
            "每次借用不超過 2 小時",
            "歸還時檢查車輛完好，退還證件",
        ),
        documents=("身份證或門禁卡（作押）",),
        materials=("平板手推車", "折疊拖車"),
        priority=Priority.LOW,
    ),
    ServiceItemSpec(
        "CAMPUS",
        "宿舍報修",
        Kind.REPAIR,
        "宿舍管理科",
        (
            "登記宿舍樓、房間號、報修人和故障情況",
            "宿舍管理科核實後轉水電維修中心，並通知樓管員",
            "維修人員 24 小時內上門，須有宿舍同學在場或樓管員陪同入室",
            "修復後由樓管員和報修同學確認",
        ),
        documents=("學生證",),
        fee=FeeKind.PRICED,
        price_list=(
            "正常損耗維修 免費",
            "人為損壞照價賠償：門鎖 80 元、床板 60 元、桌椅按價",
        ),
    ),
    ServiceItemSpec(
        "CAMPUS",
        "水電報修",
        Kind.REPAIR,
        "水電維修中心",
        (
            "登記樓棟、房間、故障現象和聯繫電話",
            "停水停電和漏水的立即派人，其他故障當日內處理",
            "維修人員到場處理，需要停電施工的提前告知",
            "修復後報修人確認，客戶服務中心回訪",
        ),
        materials=("水電常用配件（維修中心備有）",),
        priority=Priority.HIGH,
    ),
    ServiceItemSpec(
        "CAMPUS",
        "教室設備報修",
        Kind.REPAIR,
        "水電維修中心",
        (
            "登記教學樓、教室號、設備（投影、音響、空調、燈具、桌椅）和故障",
            "影響當天上課的優先處理，並告知教務處",
            "維修人員在課間或無課時段到場，不打斷上課",
            "修復後由任課教師或教學樓管理員確認",
        ),
        priority=Priority.HIGH,
    ),
    ServiceItemSpec(
        "CAMPUS",
        "飲食服務投訴",
        Kind.COMPLAINT,
        "飲食服務中心",
        (
            "記錄食堂、窗口、就餐時間和問題（飯菜品質、衛生、價格、服務態度）",
            "涉及食品安全的，保留樣品並立即通知飲食服務中心",
            "飲食服務中心當日內調查處理",
            "把處理結果回覆投訴人",
        ),
        documents=("校園卡消費記錄（價格或扣款爭議時）",),
        priority=Priority.HIGH,
    ),
    ServiceItemSpec(
        "CAMPUS",
        "校園綠化保潔",
        Kind.HOUSEKEEPING,
        "綠化環衛科",
        (
            "登記地點和問題（垃圾未清、路面積水、樹木倒伏、草坪損壞、蚊蟲鼠患）",
            "倒伏樹木擋路等影響安全的立即處理",
            "綠化環衛科安排人員清理或修剪",
            "處理後拍照回覆報告人",
        ),
    ),
    ServiceItemSpec(
        "CAMPUS",
        "一卡通及證明諮詢",
        Kind.INQUIRY,
        "客戶服務中心",
        (
            "問清事項：一卡通掛失補辦、充值退款，或各類後勤證明",
            "能當場答覆的當場答覆，一次告知所需材料",
            "屬其他部門的，告知辦理地點和電話",
        ),
        documents=("學生證或工作證", "身份證（補辦一卡通時）"),
        price_list=("一卡通補辦 工本費 20 元",),
        fee=FeeKind.PRICED,
        priority=Priority.LOW,
    ),
)


# --- Writing it ----------------------------------------------------------------------


def seed_service_items(
    offices: dict[str, Office],
    service_units: dict[tuple[str, str], ServiceUnit],
    created: Counter[str],
) -> None:
    items = [
        ServiceItem(
            office=offices[spec.office],
            name=spec.name,
            kind=spec.kind,
            service_unit=service_units.get((spec.office, spec.service_unit)),
            procedure="\n".join(spec.procedure),
            documents="\n".join(spec.documents),
            materials="\n".join(spec.materials),
            fee_kind=spec.fee,
            price_list="\n".join(spec.price_list),
            default_priority=spec.priority,
        )
        for spec in SERVICE_ITEMS
    ]
    created["service items"] += create_missing(
        ServiceItem.objects.filter(office__in=offices.values()), items, key=["office_id", "name"]
    )
