"""What the demo world holds (loaded by chains.demo): a Guangzhou Huangpu-like district after the
source document (chain-party-building.zh.txt) — units of every kind, the two parks of §一.3 with their
venues and platforms, six key chains with leaders, segments, enterprises, honours and a chain master
each (scores, task force, cultivation measures) and one demo account per role; and
the words synthetic SMEs are named from.

Only data here: the code that writes it is chains.demo. People's names and all enterprises except
the chain master named in the document (广州迈普再生医学科技股份有限公司, §二.三) are fictional.
"""

from dataclasses import dataclass, field
from datetime import date

from accounts.models import UnitKind
from accounts.roles import Role
from chains.models import (
    ChainMasterStatus,
    EnterpriseKind,
    FacilityKind,
    Honour,
    LeaderRole,
    MeasureKind,
    MeasureStatus,
    MemberSource,
    ParkKind,
    SegmentPosition,
    SizeClass,
)

# One password for every demo account, documented in the README. It passes the validators of
# settings.AUTH_PASSWORD_VALIDATORS (checked before any account is written).
DEMO_PASSWORD = "Demo-Chainparty-2026"  # noqa: S105 - a published demo password, by design

# The district-wide honour counts of the source document (§三.三), reached once the registry holds
# HONOUR_TARGETS_FROM enterprises; a smaller registry gets a proportional share.
HONOUR_TARGETS = {Honour.LITTLE_GIANT: 32, Honour.SINGLE_CHAMPION: 7, Honour.TWO_HIGH_FOUR_NEW: 343}
HONOUR_TARGETS_FROM = 1000

# --- units ------------------------------------------------------------------------------------
IC_INDUSTRY = "区工信系统行业党委"
IC_SCIENCE = "区科技系统行业党委"
IC_COMMERCE = "区商务系统行业党委"

# (name, short name, kind, industry party committee of a member unit)
UNITS = [
    ("区委", "区委", UnitKind.DISTRICT_COMMITTEE, None),
    ("区委两新工委", "两新工委", UnitKind.TWO_NEW_COMMITTEE, None),
    (IC_INDUSTRY, "工信行业党委", UnitKind.INDUSTRY_PARTY_COMMITTEE, None),
    (IC_SCIENCE, "科技行业党委", UnitKind.INDUSTRY_PARTY_COMMITTEE, None),
    (IC_COMMERCE, "商务行业党委", UnitKind.INDUSTRY_PARTY_COMMITTEE, None),
    ("区发展和改革局", "发改局", UnitKind.ECONOMIC_DEPARTMENT, IC_INDUSTRY),
    ("区工业和信息化局", "工信局", UnitKind.ECONOMIC_DEPARTMENT, IC_INDUSTRY),
    ("区政务服务数据管理局", "数据局", UnitKind.ECONOMIC_DEPARTMENT, IC_INDUSTRY),
    ("区科学技术局", "科技局", UnitKind.ECONOMIC_DEPARTMENT, IC_SCIENCE),
    ("区市场监督管理局", "市场监管局", UnitKind.ECONOMIC_DEPARTMENT, IC_SCIENCE),
    ("区商务局", "商务局", UnitKind.ECONOMIC_DEPARTMENT, IC_COMMERCE),
    ("区金融工作局", "金融局", UnitKind.ECONOMIC_DEPARTMENT, IC_COMMERCE),
    ("区规划和自然资源局", "规自局", UnitKind.ECONOMIC_DEPARTMENT, None),
    ("区财政局", "财政局", UnitKind.ECONOMIC_DEPARTMENT, None),
    ("萝岗街道", "萝岗", UnitKind.TOWN_STREET, None),
    ("联和街道", "联和", UnitKind.TOWN_STREET, None),
    ("永和街道", "永和", UnitKind.TOWN_STREET, None),
    ("长岭街道", "长岭", UnitKind.TOWN_STREET, None),
    ("九龙镇", "九龙", UnitKind.TOWN_STREET, None),
    ("区科技创新投资集团有限公司", "科创投", UnitKind.STATE_OWNED_ENTERPRISE, None),
    ("区城市建设投资集团有限公司", "城投", UnitKind.STATE_OWNED_ENTERPRISE, None),
    ("科学城园区管理办公室", "科学城园区办", UnitKind.PARK_COMMITTEE, None),
    ("科技企业加速器园区管理委员会", "加速器管委会", UnitKind.PARK_COMMITTEE, None),
    ("临港经济区管理委员会", "临港管委会", UnitKind.PARK_COMMITTEE, None),
]

# --- parks ------------------------------------------------------------------------------------
SCIENCE_CITY = "广州科学城"
ACCELERATOR = "科技企业加速器园区"

PARKS = [
    {
        "name": SCIENCE_CITY,
        "kind": ParkKind.SCIENCE_CITY,
        "unit": "科学城园区管理办公室",
        "address": "广州市黄埔区科学大道",
        "description": (
            "高新技术企业相对集中的园区。创建“园长制”党建工作机制：从机关单位抽调党员干部任园长，"
            "赋予园长在园区党建、社会综合治理等职能上的“综合指挥权”，扩大组织覆盖和工作覆盖。"
        ),
        "facilities": [
            (FacilityKind.VENUE, "科学城党群服务中心", "园区党员教育、党群活动和政务服务的综合阵地。"),
        ],
    },
    {
        "name": ACCELERATOR,
        "kind": ParkKind.ACCELERATOR,
        "unit": "科技企业加速器园区管理委员会",
        "address": "广州市黄埔区开源大道",
        "description": (
            "着重孵化高新技术企业的园区。园区党委构建党组织覆盖区域化、党群服务一体化、"
            "党企发展融合化的暖企党建“三化”机制。"
        ),
        "facilities": [
            (FacilityKind.VENUE, "红创谷", "园区企业共享的党建阵地，承接“红创人才”服务活动。"),
            (FacilityKind.VENUE, "中小企业先行示范馆", "展示链上中小企业党建与发展成果的共享阵地。"),
            (FacilityKind.VENUE, "明珞党建展厅", "企业党建展厅，向园区企业开放共享。"),
            (FacilityKind.PLATFORM, "科技创新促进会", "汇聚园区企业、科研机构的创新服务平台。"),
            (FacilityKind.PLATFORM, "金融服务超市", "为园区企业提供融资对接、政策性金融产品的服务平台。"),
        ],
    },
]

# --- people -----------------------------------------------------------------------------------
DEMO_UNIT_HANDLER_UNIT = "区科学技术局"  # the lead unit of 生物医药及高端医疗器械
DEMO_ENTERPRISE = "广州云屹医学检验实验室有限公司"  # an SME in 广州科学城, on the biomedicine chain


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    full_name: str
    unit: str | None = None
    enterprise: str | None = None
    is_staff: bool = False


# One account per role, all with DEMO_PASSWORD. is_staff opens /admin/; what each may do there is
# decided by role in accounts.admin (district staff: business data; security admin: accounts;
# auditor: the sign-in logs, read-only).
DEMO_ACCOUNTS = [
    DemoAccount("staff", Role.DISTRICT_STAFF, "林晓岚", unit="区委两新工委", is_staff=True),
    DemoAccount("leader", Role.CHAIN_LEADER, "陈立衡", unit="区委"),
    DemoAccount("handler", Role.UNIT_HANDLER, "黄嘉明", unit=DEMO_UNIT_HANDLER_UNIT),
    DemoAccount("parkchief", Role.PARK_CHIEF, "吴振宇", unit="区工业和信息化局"),
    DemoAccount("secretary", Role.FIRST_SECRETARY, "郑雨桐", unit="区商务局"),
    DemoAccount("contact", Role.ENTERPRISE_CONTACT, "刘思琪", enterprise=DEMO_ENTERPRISE),
    DemoAccount("security", Role.SECURITY_ADMIN, "孙浩然", unit="区委", is_staff=True),
    DemoAccount("auditor", Role.AUDIT_ADMIN, "许静怡", unit="区委", is_staff=True),
]

# People of the demo world who are not login accounts (unusable passwords): the other chain
# leaders, a second park chief and cadres posted from a town, an SOE, a park committee and an
# industry party committee (§三.一: cadres come from all four).
PEOPLE = [
    # (username, full name, unit, roles)
    ("biomed.deputy", "周启明", "区科学技术局", [Role.CHAIN_LEADER]),
    ("ic.leader", "王建华", "区委", [Role.CHAIN_LEADER]),
    ("ic.deputy", "赵敏", "区工业和信息化局", [Role.CHAIN_LEADER]),
    ("nev.leader", "杨国栋", "区委", [Role.CHAIN_LEADER]),
    ("nev.deputy", "马晓东", "区发展和改革局", [Role.CHAIN_LEADER]),
    ("materials.leader", "何建军", "区委", [Role.CHAIN_LEADER]),
    ("materials.deputy", "谢婉清", "区工业和信息化局", [Role.CHAIN_LEADER]),
    ("equipment.leader", "胡志强", "区委", [Role.CHAIN_LEADER]),
    ("equipment.deputy", "郭丽萍", "区工业和信息化局", [Role.CHAIN_LEADER]),
    ("digital.leader", "高明远", "区委", [Role.CHAIN_LEADER]),
    ("digital.deputy", "罗晓燕", "区商务局", [Role.CHAIN_LEADER]),
    ("park.chief2", "曾海涛", "区科学技术局", [Role.PARK_CHIEF]),
    ("cadre.town", "邓志明", "萝岗街道", [Role.FIRST_SECRETARY]),
    ("cadre.soe", "叶佳琪", "区科技创新投资集团有限公司", [Role.FIRST_SECRETARY]),
    ("cadre.port", "冯立新", "临港经济区管理委员会", [Role.FIRST_SECRETARY]),
    ("cadre.committee", "蔡文静", IC_SCIENCE, [Role.FIRST_SECRETARY]),
]

PARK_CHIEFS = [(SCIENCE_CITY, "parkchief"), (SCIENCE_CITY, "park.chief2")]


# --- chains -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoEnterprise:
    name: str
    segment: str
    size: SizeClass
    park: str | None
    employees: int
    output: int  # 10k CNY
    honours: tuple[Honour, ...] = ()
    kind: EnterpriseKind = EnterpriseKind.ENTERPRISE


@dataclass(frozen=True)
class DemoMaster:
    enterprise: str
    status: ChainMasterStatus
    scores: tuple[int, int, int, int, int, int]  # the six criteria of §4.2, in SCORE_FIELDS order
    designated_on: date | None = None
    note: str = ""
    task_force: tuple = ()  # (name, title, source, seconded-from enterprise or None)
    measures: tuple = ()  # (kind, title, status, due date)


@dataclass(frozen=True)
class DemoChain:
    code: str
    name: str
    description: str
    lead_unit: str
    cooperating_units: tuple[str, ...]
    industry_committee: str | None
    paths: frozenset  # {"industry_committee", "department", "park"}
    parks: tuple[str, ...]
    leaders: tuple[tuple[str, LeaderRole], ...]
    segments: tuple[tuple[SegmentPosition, str], ...]
    enterprises: tuple[DemoEnterprise, ...]
    masters: tuple[DemoMaster, ...] = field(default=())


UP, MID, DOWN = SegmentPosition.UPSTREAM, SegmentPosition.MIDSTREAM, SegmentPosition.DOWNSTREAM
LG, PS, SC, TH, HT = (
    Honour.LITTLE_GIANT,
    Honour.PROVINCIAL_SPECIALISED,
    Honour.SINGLE_CHAMPION,
    Honour.TWO_HIGH_FOUR_NEW,
    Honour.HIGH_TECH,
)
LARGE, MEDIUM, SMALL, MICRO = SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO
ALL_PATHS = frozenset({"industry_committee", "department", "park"})
E = DemoEnterprise
INTERNAL, SECONDED, HIRED = MemberSource.INTERNAL, MemberSource.SECONDED, MemberSource.HIRED
FISCAL, LAND, PROJECT, STANDARDS = MeasureKind.FISCAL, MeasureKind.LAND, MeasureKind.PROJECT, MeasureKind.STANDARDS
PLANNED, IN_PROGRESS, DONE, CANCELLED = (
    MeasureStatus.PLANNED,
    MeasureStatus.IN_PROGRESS,
    MeasureStatus.DONE,
    MeasureStatus.CANCELLED,
)

CHAINS = [
    DemoChain(
        code="biomedicine",
        name="生物医药及高端医疗器械",
        description="覆盖生物材料、创新药、再生医学、高端医疗器械及医药流通、医学检验的重点产业链。",
        lead_unit="区科学技术局",
        cooperating_units=("区发展和改革局", "区市场监督管理局", "区商务局"),
        industry_committee=IC_SCIENCE,
        paths=ALL_PATHS,
        parks=(SCIENCE_CITY, ACCELERATOR),
        leaders=(("leader", LeaderRole.LEADER), ("biomed.deputy", LeaderRole.DEPUTY)),
        segments=(
            (UP, "生物材料与原料药"),
            (UP, "医药研发外包（CRO）"),
            (MID, "创新药研发"),
            (MID, "再生医学与组织修复"),
            (MID, "高端医疗器械制造"),
            (DOWN, "医药流通与冷链"),
            (DOWN, "第三方医学检验"),
        ),
        enterprises=(
            E("广州迈普再生医学科技股份有限公司", "再生医学与组织修复", MEDIUM, SCIENCE_CITY, 420, 52000, (LG, HT, TH)),
            E("广州澜湾生物材料有限公司", "生物材料与原料药", SMALL, ACCELERATOR, 85, 6800, (HT,)),
            E("广州博衡医药研发服务有限公司", "医药研发外包（CRO）", MEDIUM, SCIENCE_CITY, 260, 21000, (HT, PS)),
            E("广州康骐药业有限公司", "创新药研发", MEDIUM, SCIENCE_CITY, 310, 38000, (HT, TH)),
            E("广州启泓细胞治疗技术有限公司", "再生医学与组织修复", SMALL, ACCELERATOR, 60, 3200, (HT,)),
            E("广州赛岭医疗器械有限公司", "高端医疗器械制造", MEDIUM, SCIENCE_CITY, 380, 45000, (LG, HT)),
            E("广州明澈眼科器械有限公司", "高端医疗器械制造", SMALL, ACCELERATOR, 95, 8600, (PS, HT)),
            E("广州珀安医药物流有限公司", "医药流通与冷链", MEDIUM, None, 210, 26000),
            E(DEMO_ENTERPRISE, "第三方医学检验", SMALL, SCIENCE_CITY, 140, 9800, (HT,)),
            E("广州衡舟生物科技有限公司", "创新药研发", MICRO, ACCELERATOR, 18, 650),
            E(
                "广州科学城生物医药公共服务平台中心",
                "医药研发外包（CRO）",
                SMALL,
                SCIENCE_CITY,
                45,
                0,
                kind=EnterpriseKind.INSTITUTION,
            ),
        ),
        masters=(
            DemoMaster(
                enterprise="广州迈普再生医学科技股份有限公司",
                status=ChainMasterStatus.DESIGNATED,
                scores=(92, 88, 85, 90, 95, 80),
                designated_on=date(2023, 6, 30),
                note="打造“党建聚人才”工作品牌，在关键业务板块和关键岗位系统化加强党员力量，为产业链聚集海内外高层次人才。",
                task_force=(
                    ("何文博", "党委书记、副总经理", INTERNAL, None),
                    ("梁嘉怡", "党建专员", INTERNAL, None),
                    ("罗志坚", "供应链协同专员", SECONDED, "广州赛岭医疗器械有限公司"),
                    ("钟雅婷", "产业政策顾问", HIRED, None),
                ),
                measures=(
                    (FISCAL, "研发投入后补助（2025年度）", DONE, date(2025, 12, 31)),
                    (LAND, "再生医学产业化基地用地优先供应", IN_PROGRESS, date(2026, 9, 30)),
                    (PROJECT, "组织修复材料扩产项目优先纳入区重点项目评定", DONE, date(2025, 6, 30)),
                    (STANDARDS, "参与修订组织修复材料行业标准", PLANNED, date(2026, 12, 31)),
                ),
            ),
        ),
    ),
    DemoChain(
        code="integrated-circuits",
        name="新一代信息技术（集成电路）",
        description="从EDA工具、半导体材料装备到芯片设计、晶圆制造、封装测试和终端应用的集成电路产业链。",
        lead_unit="区工业和信息化局",
        cooperating_units=("区发展和改革局", "区科学技术局", "区商务局"),
        industry_committee=IC_INDUSTRY,
        paths=ALL_PATHS,
        parks=(SCIENCE_CITY,),
        leaders=(("ic.leader", LeaderRole.LEADER), ("ic.deputy", LeaderRole.DEPUTY)),
        segments=(
            (UP, "EDA工具与IP核"),
            (UP, "半导体材料与装备"),
            (MID, "芯片设计"),
            (MID, "晶圆制造"),
            (MID, "封装测试"),
            (DOWN, "显示与模组"),
            (DOWN, "智能终端应用"),
        ),
        enterprises=(
            E("广州芯澜微电子股份有限公司", "晶圆制造", LARGE, SCIENCE_CITY, 2600, 420000, (SC, HT, TH)),
            E("广州矽途半导体设备有限公司", "半导体材料与装备", MEDIUM, SCIENCE_CITY, 230, 31000, (LG, HT)),
            E("广州晶彦电子材料有限公司", "半导体材料与装备", SMALL, ACCELERATOR, 70, 5400, (PS, HT)),
            E("广州蓝芯集成电路设计有限公司", "芯片设计", SMALL, ACCELERATOR, 120, 12000, (HT, TH)),
            E("广州微衡科技有限公司", "芯片设计", MICRO, ACCELERATOR, 25, 900, (HT,)),
            E("广州拓晟电子设计软件有限公司", "EDA工具与IP核", SMALL, SCIENCE_CITY, 66, 4300, (PS,)),
            E("广州联岳封装测试技术有限公司", "封装测试", MEDIUM, None, 540, 47000, (HT,)),
            E("广州光域显示科技有限公司", "显示与模组", LARGE, None, 1800, 260000, (TH,)),
            E("广州讯曜智能终端有限公司", "智能终端应用", MEDIUM, SCIENCE_CITY, 330, 29000, (HT,)),
            E("广州芯测云检测技术有限公司", "封装测试", SMALL, ACCELERATOR, 48, 2600),
        ),
        masters=(
            DemoMaster(
                enterprise="广州芯澜微电子股份有限公司",
                status=ChainMasterStatus.DESIGNATED,
                scores=(86, 93, 90, 88, 82, 91),
                designated_on=date(2023, 9, 15),
                task_force=(
                    ("孔德华", "党委副书记", INTERNAL, None),
                    ("潘文杰", "产业协同部经理", INTERNAL, None),
                    ("秦雪梅", "封测工艺专员", SECONDED, "广州联岳封装测试技术有限公司"),
                    ("韩立群", "集成电路产业顾问", HIRED, None),
                ),
                measures=(
                    (FISCAL, "流片费用补贴", IN_PROGRESS, date(2026, 6, 30)),
                    (LAND, "十二英寸产线二期用地优先供应", DONE, date(2025, 3, 31)),
                    (PROJECT, "特色工艺平台纳入区重大项目", IN_PROGRESS, date(2026, 12, 31)),
                    (STANDARDS, "参与制定车规级芯片可靠性团体标准", PLANNED, date(2027, 6, 30)),
                ),
            ),
            DemoMaster(
                enterprise="广州光域显示科技有限公司",
                status=ChainMasterStatus.CANDIDATE,
                scores=(80, 84, 78, 81, 75, 86),
                note="候选链主，待年度评估。",
            ),
        ),
    ),
    DemoChain(
        code="intelligent-vehicles",
        name="智能网联新能源汽车",
        description="动力电池、车规级芯片、电驱电控、整车制造、智能驾驶及充换电服务的重点产业链。",
        lead_unit="区发展和改革局",
        cooperating_units=("区工业和信息化局", "区商务局", "区规划和自然资源局"),
        industry_committee=IC_INDUSTRY,
        paths=frozenset({"industry_committee", "department"}),
        parks=(),
        leaders=(("nev.leader", LeaderRole.LEADER), ("nev.deputy", LeaderRole.DEPUTY)),
        segments=(
            (UP, "动力电池及材料"),
            (UP, "车规级芯片与传感器"),
            (MID, "电驱电控系统"),
            (MID, "整车制造"),
            (MID, "智能驾驶系统"),
            (DOWN, "充换电服务"),
            (DOWN, "汽车后市场服务"),
        ),
        enterprises=(
            E("广州驰岳新能源汽车有限公司", "整车制造", LARGE, None, 5200, 1350000, (TH, HT)),
            E("广州锂衡电池科技有限公司", "动力电池及材料", LARGE, None, 1500, 210000, (SC, HT)),
            E("广州睿驰感知科技有限公司", "车规级芯片与传感器", SMALL, SCIENCE_CITY, 130, 9500, (LG, HT)),
            E("广州启擎电驱动系统有限公司", "电驱电控系统", MEDIUM, None, 460, 68000, (PS, HT)),
            E("广州湾川热管理系统有限公司", "电驱电控系统", MEDIUM, None, 280, 33000, (PS,)),
            E("广州智途自动驾驶技术有限公司", "智能驾驶系统", SMALL, SCIENCE_CITY, 150, 7800, (HT, TH)),
            E("广州极穹车载软件有限公司", "智能驾驶系统", MICRO, ACCELERATOR, 30, 1100, (HT,)),
            E("广州电桩联行新能源服务有限公司", "充换电服务", SMALL, None, 90, 5200),
            E("广州车享汇汽车服务有限公司", "汽车后市场服务", MICRO, None, 22, 800),
        ),
        masters=(
            DemoMaster(
                enterprise="广州驰岳新能源汽车有限公司",
                status=ChainMasterStatus.DESIGNATED,
                scores=(88, 90, 92, 95, 84, 89),
                designated_on=date(2024, 3, 1),
                task_force=(
                    ("吕振华", "党委书记", INTERNAL, None),
                    ("施晓琳", "供应商党建联络员", INTERNAL, None),
                    ("魏东升", "电池安全工程师", SECONDED, "广州锂衡电池科技有限公司"),
                ),
                measures=(
                    (FISCAL, "新能源整车研发专项资金", DONE, date(2025, 9, 30)),
                    (LAND, "智能网联测试场用地优先供应", CANCELLED, date(2025, 12, 31)),
                    (PROJECT, "换电车型量产项目优先纳入评定", IN_PROGRESS, date(2026, 10, 31)),
                    (STANDARDS, "参与修订车路协同通信行业标准", IN_PROGRESS, date(2026, 12, 31)),
                ),
            ),
        ),
    ),
    DemoChain(
        code="new-materials",
        name="新材料",
        description="基础化工原料、高性能高分子材料、电子化学品、先进金属材料及材料检测服务的重点产业链。",
        lead_unit="区工业和信息化局",
        cooperating_units=("区科学技术局", "区市场监督管理局"),
        industry_committee=IC_INDUSTRY,
        paths=ALL_PATHS,
        parks=(ACCELERATOR,),
        leaders=(("materials.leader", LeaderRole.LEADER), ("materials.deputy", LeaderRole.DEPUTY)),
        segments=(
            (UP, "基础化工原料"),
            (MID, "高性能高分子材料"),
            (MID, "电子化学品"),
            (MID, "先进金属材料"),
            (DOWN, "材料检测与应用服务"),
        ),
        enterprises=(
            E("广州恒拓新材料股份有限公司", "高性能高分子材料", LARGE, None, 1900, 320000, (SC, HT)),
            E("广州川禾化工原料有限公司", "基础化工原料", MEDIUM, None, 240, 52000),
            E("广州聚昕高分子材料有限公司", "高性能高分子材料", SMALL, ACCELERATOR, 110, 14000, (LG, HT)),
            E("广州纳域电子化学品有限公司", "电子化学品", SMALL, ACCELERATOR, 75, 8800, (PS, HT, TH)),
            E("广州钛诺金属科技有限公司", "先进金属材料", MEDIUM, None, 350, 41000, (HT,)),
            E("广州烯创碳材料科技有限公司", "高性能高分子材料", MICRO, ACCELERATOR, 16, 500, (HT,)),
            E("广州正检材料检测技术有限公司", "材料检测与应用服务", SMALL, SCIENCE_CITY, 85, 4600, (HT,)),
            E("广州泓涂功能涂层有限公司", "高性能高分子材料", SMALL, None, 60, 5100),
            E("广州镁锐合金有限公司", "先进金属材料", SMALL, None, 95, 9900, (TH,)),
        ),
        masters=(
            DemoMaster(
                enterprise="广州恒拓新材料股份有限公司",
                status=ChainMasterStatus.DESIGNATED,
                scores=(90, 85, 83, 87, 93, 88),
                designated_on=date(2023, 12, 20),
                task_force=(
                    ("姚振东", "党支部书记", INTERNAL, None),
                    ("宋雅琴", "技术中心主任", INTERNAL, None),
                    ("邱建平", "质量检测专员", SECONDED, "广州正检材料检测技术有限公司"),
                    ("戴慧敏", "新材料产业顾问", HIRED, None),
                ),
                measures=(
                    (FISCAL, "首批次新材料应用保险补偿", DONE, date(2025, 8, 31)),
                    (LAND, "特种工程塑料产线用地优先供应", PLANNED, date(2026, 11, 30)),
                    (PROJECT, "改性材料技改项目优先纳入评定", IN_PROGRESS, date(2026, 6, 30)),
                    (STANDARDS, "牵头制定长玻纤增强材料团体标准", DONE, date(2025, 10, 31)),
                ),
            ),
        ),
    ),
    DemoChain(
        code="advanced-equipment",
        name="高端装备制造",
        description="核心零部件、工业软件、工业机器人、智能成套装备、精密仪器及系统集成服务的重点产业链。",
        lead_unit="区工业和信息化局",
        cooperating_units=("区发展和改革局", "区科学技术局"),
        industry_committee=IC_INDUSTRY,
        paths=ALL_PATHS,
        parks=(SCIENCE_CITY, ACCELERATOR),
        leaders=(("equipment.leader", LeaderRole.LEADER), ("equipment.deputy", LeaderRole.DEPUTY)),
        segments=(
            (UP, "核心零部件"),
            (UP, "工业软件"),
            (MID, "工业机器人"),
            (MID, "智能成套装备"),
            (MID, "精密仪器仪表"),
            (DOWN, "系统集成与运维服务"),
        ),
        enterprises=(
            E("广州锐擎智能装备股份有限公司", "智能成套装备", LARGE, SCIENCE_CITY, 2300, 380000, (SC, HT, TH)),
            E("广州伺达精密传动有限公司", "核心零部件", MEDIUM, SCIENCE_CITY, 290, 36000, (LG, HT)),
            E("广州工易云软件有限公司", "工业软件", SMALL, ACCELERATOR, 105, 7600, (PS, HT)),
            E("广州骁臂机器人有限公司", "工业机器人", MEDIUM, SCIENCE_CITY, 410, 55000, (LG, HT, TH)),
            E("广州鼎测仪器仪表有限公司", "精密仪器仪表", SMALL, ACCELERATOR, 88, 6900, (HT,)),
            E("广州沃衡智能产线集成有限公司", "系统集成与运维服务", SMALL, None, 120, 11000),
            E("广州精驰数控机床有限公司", "智能成套装备", MEDIUM, None, 370, 44000, (PS,)),
            E("广州维芯设备运维服务有限公司", "系统集成与运维服务", MICRO, None, 28, 1300),
            E("广州感微光电传感有限公司", "精密仪器仪表", MICRO, ACCELERATOR, 20, 700, (HT,)),
        ),
        masters=(
            DemoMaster(
                enterprise="广州锐擎智能装备股份有限公司",
                status=ChainMasterStatus.DESIGNATED,
                scores=(87, 91, 94, 90, 86, 85),
                designated_on=date(2024, 1, 10),
                task_force=(
                    ("金海鹏", "党委书记、总裁助理", INTERNAL, None),
                    ("陆晓峰", "生态合作部经理", INTERNAL, None),
                    ("方静", "机器人应用工程师", SECONDED, "广州骁臂机器人有限公司"),
                ),
                measures=(
                    (FISCAL, "首台（套）重大技术装备奖励", DONE, date(2025, 5, 31)),
                    (LAND, "智能装备产业园用地优先供应", IN_PROGRESS, date(2026, 8, 31)),
                    (PROJECT, "数字化车间改造项目优先纳入评定", PLANNED, date(2026, 12, 31)),
                    (STANDARDS, "参与制定汽车焊装生产线行业标准", IN_PROGRESS, date(2026, 9, 30)),
                ),
            ),
        ),
    ),
    DemoChain(
        code="digital-economy",
        name="数字经济",
        description="数据中心与算力、基础软件、工业互联网、人工智能、跨境数字贸易及智慧城市服务的重点产业链。",
        lead_unit="区商务局",
        cooperating_units=("区工业和信息化局", "区政务服务数据管理局", "区金融工作局"),
        industry_committee=IC_COMMERCE,
        paths=frozenset({"department", "park"}),
        parks=(SCIENCE_CITY,),
        leaders=(("digital.leader", LeaderRole.LEADER), ("digital.deputy", LeaderRole.DEPUTY)),
        segments=(
            (UP, "数据中心与算力"),
            (UP, "基础软件"),
            (MID, "工业互联网平台"),
            (MID, "人工智能应用"),
            (MID, "跨境电商与数字贸易"),
            (DOWN, "智慧城市与数字政务服务"),
        ),
        enterprises=(
            E("广州数衡科技股份有限公司", "工业互联网平台", LARGE, SCIENCE_CITY, 1600, 190000, (TH, HT)),
            E("广州云穗算力科技有限公司", "数据中心与算力", MEDIUM, None, 180, 42000, (HT,)),
            E("广州栖码软件有限公司", "基础软件", SMALL, SCIENCE_CITY, 140, 8900, (PS, HT)),
            E("广州智瞰人工智能科技有限公司", "人工智能应用", SMALL, SCIENCE_CITY, 160, 12000, (LG, HT, TH)),
            E("广州跨港通数字贸易有限公司", "跨境电商与数字贸易", SMALL, None, 75, 16000),
            E("广州城脉智慧城市科技有限公司", "智慧城市与数字政务服务", MEDIUM, None, 260, 23000, (HT,)),
            E("广州链算区块链技术有限公司", "基础软件", MICRO, ACCELERATOR, 19, 600),
            E("广州言图智能语音科技有限公司", "人工智能应用", MICRO, ACCELERATOR, 24, 900, (HT,)),
            E("广州汇贸云供应链服务有限公司", "跨境电商与数字贸易", SMALL, None, 55, 7300, (TH,)),
        ),
        masters=(
            DemoMaster(
                enterprise="广州数衡科技股份有限公司",
                status=ChainMasterStatus.DESIGNATED,
                scores=(85, 89, 93, 86, 83, 84),
                designated_on=date(2024, 5, 20),
                task_force=(
                    ("袁志远", "党总支书记", INTERNAL, None),
                    ("彭思敏", "平台运营总监", INTERNAL, None),
                    ("蒋凯", "算力调度专员", SECONDED, "广州云穗算力科技有限公司"),
                    ("沈丽华", "数据合规顾问", HIRED, None),
                ),
                measures=(
                    (FISCAL, "工业互联网标杆示范项目资金", IN_PROGRESS, date(2026, 6, 30)),
                    (LAND, "数据中心二期用地优先供应", PLANNED, date(2027, 3, 31)),
                    (PROJECT, "“上云用数赋智”服务项目优先纳入评定", DONE, date(2025, 11, 30)),
                    (STANDARDS, "参与修订工业互联网平台评价行业标准", CANCELLED, date(2025, 12, 31)),
                ),
            ),
        ),
    ),
]

# Enterprises that also sit on a second chain: (enterprise, chain code, segment).
EXTRA_MEMBERSHIPS = [
    ("广州芯澜微电子股份有限公司", "intelligent-vehicles", "车规级芯片与传感器"),
    ("广州数衡科技股份有限公司", "advanced-equipment", "工业软件"),
    ("广州纳域电子化学品有限公司", "integrated-circuits", "半导体材料与装备"),
]

HONOUR_YEARS = {LG: 2022, PS: 2021, SC: 2021, TH: 2023, HT: 2022}
ROADS = ["科学大道", "开源大道", "开创大道", "科丰路", "香山路", "瑞和路", "光谱中路", "揽月路", "南翔一路", "神舟路"]

# --- synthetic SMEs: what their names are made of ----------------------------------------------
BRAND_FIRST = "瑞博华恒宏泰嘉信中天科联新创源卓越汇鼎立康安顺和达兴隆优明智"
BRAND_SECOND = "朗诚达拓芯弘睿辰亿通盛远翔凯宇航豪峰昊晟锦韬璟骏澜曜晖琪"
CHAIN_WORDS = {
    "biomedicine": ["生物科技", "医疗器械", "医药科技", "基因技术", "医学检验", "生物材料"],
    "integrated-circuits": ["微电子", "半导体", "集成电路", "电子科技", "光电科技", "芯片技术"],
    "intelligent-vehicles": ["汽车零部件", "新能源科技", "智能驾驶", "电池技术", "汽车电子", "充电科技"],
    "new-materials": ["新材料", "化工科技", "高分子材料", "金属材料", "涂层技术", "复合材料"],
    "advanced-equipment": ["智能装备", "精密机械", "自动化科技", "机器人", "仪器仪表", "数控技术"],
    "digital-economy": ["信息技术", "软件", "数据科技", "网络科技", "人工智能", "数字科技"],
}
QUALIFIERS = ["", "智能", "精工", "未来", "云", "海", "绿色", "先进"]
SUFFIXES = ["有限公司", "股份有限公司", "（广州）有限公司", "发展有限公司"]
