"""The party-organization demo: the data partyorgs.demo loads (design §4.3, §4.4).

Terms are given as how many months ago the current term started, so that whenever the demo is first
loaded some terms end within six months (换届提醒) and one has lapsed."""

from dataclasses import dataclass

from chains.demo_data import DEMO_ENTERPRISE, IC_COMMERCE, IC_INDUSTRY, IC_SCIENCE
from partyorgs.models import OrgKind

C, G, B, J = OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.JOINT_BRANCH

TWO_NEW_COMMITTEE_ORG = "中共区委两新工委委员会"


@dataclass(frozen=True)
class DemoOrg:
    name: str
    kind: str
    parent: str | None
    secretary: str
    formal: int
    probationary: int
    term_started_months_ago: int | None
    unit: str | None = None
    enterprises: tuple[str, ...] = ()
    has_branch_committee: bool = False


# In tree order: a superior comes before what sits below it.
ORGANIZATIONS = [
    DemoOrg(TWO_NEW_COMMITTEE_ORG, C, None, "林国栋", 9, 0, 20, unit="区委两新工委"),
    DemoOrg("中共区科技系统行业党委", C, TWO_NEW_COMMITTEE_ORG, "赵明远", 7, 0, 30, unit=IC_SCIENCE),
    DemoOrg("中共区工信系统行业党委", C, TWO_NEW_COMMITTEE_ORG, "钱志强", 8, 0, 12, unit=IC_INDUSTRY),
    DemoOrg("中共区商务系统行业党委", C, TWO_NEW_COMMITTEE_ORG, "孙丽华", 6, 1, 40, unit=IC_COMMERCE),
    DemoOrg(
        "中共区科学技术局机关支部委员会", B, None, "周启明", 18, 1, 14, unit="区科学技术局", has_branch_committee=True
    ),
    DemoOrg(
        "中共区工业和信息化局机关支部委员会",
        B,
        None,
        "吴振宇",
        21,
        0,
        8,
        unit="区工业和信息化局",
        has_branch_committee=True,
    ),
    # Chain masters' and other enterprises' organizations.
    DemoOrg(
        "中共广州芯澜微电子股份有限公司委员会",
        C,
        "中共区工信系统行业党委",
        "何海峰",
        4,
        0,
        59,
        enterprises=("广州芯澜微电子股份有限公司",),
    ),
    DemoOrg(
        "中共广州芯澜微电子股份有限公司第一支部委员会",
        B,
        "中共广州芯澜微电子股份有限公司委员会",
        "罗文",
        32,
        2,
        20,
        enterprises=("广州芯澜微电子股份有限公司",),
        has_branch_committee=True,
    ),
    DemoOrg(
        "中共广州芯澜微电子股份有限公司第二支部委员会",
        B,
        "中共广州芯澜微电子股份有限公司委员会",
        "梁静",
        26,
        1,
        38,
        enterprises=("广州芯澜微电子股份有限公司",),
    ),
    DemoOrg(
        "中共广州驰岳新能源汽车有限公司委员会",
        C,
        "中共区工信系统行业党委",
        "邓建国",
        85,
        6,
        24,
        enterprises=("广州驰岳新能源汽车有限公司",),
    ),
    DemoOrg(
        "中共广州恒拓新材料股份有限公司委员会",
        C,
        "中共区工信系统行业党委",
        "谢红梅",
        47,
        3,
        10,
        enterprises=("广州恒拓新材料股份有限公司",),
    ),
    DemoOrg(
        "中共广州锐擎智能装备股份有限公司委员会",
        C,
        "中共区工信系统行业党委",
        "冯涛",
        52,
        2,
        36,
        enterprises=("广州锐擎智能装备股份有限公司",),
    ),
    DemoOrg(
        "中共广州数衡科技股份有限公司支部委员会",
        B,
        "中共区商务系统行业党委",
        "曾晓东",
        19,
        2,
        16,
        enterprises=("广州数衡科技股份有限公司",),
        has_branch_committee=True,
    ),
    DemoOrg(
        "中共广州迈普再生医学科技股份有限公司支部委员会",
        B,
        "中共区科技系统行业党委",
        "彭丽",
        12,
        1,
        26,
        enterprises=("广州迈普再生医学科技股份有限公司",),
        has_branch_committee=True,
    ),
    DemoOrg(
        "中共广州康骐药业有限公司支部委员会",
        B,
        "中共区科技系统行业党委",
        "蒋伟",
        5,
        1,
        31,
        enterprises=("广州康骐药业有限公司",),
    ),
    DemoOrg(
        "中共广州云屹医学检验实验室有限公司支部委员会",
        B,
        "中共区科技系统行业党委",
        "韩雪",
        4,
        1,
        6,
        enterprises=(DEMO_ENTERPRISE,),
    ),
    DemoOrg(
        "中共科学城生物医药企业联合支部委员会",
        J,
        "中共区科技系统行业党委",
        "唐志文",
        9,
        1,
        30,
        enterprises=("广州澜湾生物材料有限公司", "广州启泓细胞治疗技术有限公司", "广州明澈眼科器械有限公司"),
    ),
    DemoOrg(
        "中共加速器集成电路企业联合支部委员会",
        J,
        "中共区工信系统行业党委",
        "许诺",
        6,
        0,
        18,
        enterprises=(
            "广州晶彦电子材料有限公司",
            "广州蓝芯集成电路设计有限公司",
            "广州微衡科技有限公司",
            "广州拓晟电子设计软件有限公司",
        ),
    ),
]

# Party members working in enterprises (formal, probationary): the covered ones, and the enterprises
# that should establish an organization (3 or more formal members, none yet) or fall just short.
PARTY_MEMBERS = {
    "广州芯澜微电子股份有限公司": (62, 3),
    "广州驰岳新能源汽车有限公司": (85, 6),
    "广州恒拓新材料股份有限公司": (47, 3),
    "广州锐擎智能装备股份有限公司": (52, 2),
    "广州数衡科技股份有限公司": (19, 2),
    "广州迈普再生医学科技股份有限公司": (12, 1),
    "广州康骐药业有限公司": (5, 1),
    DEMO_ENTERPRISE: (4, 1),
    "广州澜湾生物材料有限公司": (2, 0),
    "广州启泓细胞治疗技术有限公司": (1, 1),
    "广州明澈眼科器械有限公司": (2, 0),
    # 应建未建: 3 or more formal members, no organization.
    "广州启擎电驱动系统有限公司": (6, 1),
    "广州博衡医药研发服务有限公司": (5, 0),
    "广州珀安医药物流有限公司": (4, 2),
    "广州赛岭医疗器械有限公司": (3, 1),
    "广州矽途半导体设备有限公司": (3, 0),
    # Just short of the rule: 2 formal members.
    "广州川禾化工原料有限公司": (2, 1),
    "广州衡舟生物科技有限公司": (1, 0),
}

MEETING_TOPICS = [
    "学习贯彻党的二十届三中全会精神",
    "链长制工作推进与企业诉求梳理",
    "红联共建结对活动交流",
    "党员先锋岗创建",
    "安全生产与廉洁从业警示教育",
]

SCIENCE_BUREAU_ORG = "中共区科学技术局机关支部委员会"
INDUSTRY_BUREAU_ORG = "中共区工业和信息化局机关支部委员会"

# 红联共建: (department organization, enterprise organization, chain code, months ago it started, goals,
# activities: (programme, months ago, title, outcome)).
PAIRINGS = [
    (
        SCIENCE_BUREAU_ORG,
        "中共广州迈普再生医学科技股份有限公司支部委员会",
        "biomedicine",
        14,
        "共建再生医学成果转化联络站，每季度开展一次联学联建。",
        [
            ("training", 10, "再生医学与医疗器械监管政策联学", "38 名党员参加，形成政策解读清单一份"),
            ("innovation", 5, "组织高校团队与企业对接组织修复材料项目", "签订 1 项产学研合作协议"),
        ],
    ),
    (
        SCIENCE_BUREAU_ORG,
        "中共科学城生物医药企业联合支部委员会",
        "biomedicine",
        8,
        "为联合支部覆盖的三家中小企业提供人才政策与科技项目申报服务。",
        [("talent", 3, "科技人才政策宣讲与申报辅导", "2 家企业完成高层次人才认定申报")],
    ),
    (
        INDUSTRY_BUREAU_ORG,
        "中共广州芯澜微电子股份有限公司委员会",
        "integrated-circuits",
        20,
        "围绕晶圆制造链上下游开展红联共建，共办党员先锋岗。",
        [
            ("training", 16, "集成电路产业链党员骨干联合培训", "培训 60 人次"),
            ("talent", 9, "芯片设计人才专场招聘", "促成 12 名工程师就业"),
            ("innovation", 2, "封装测试共性技术攻关对接会", "形成 3 项联合攻关需求"),
        ],
    ),
]

# Annual party plans: (chain code, chain master's organization, years ago, title, business targets,
# targets (description, weight, score or None), business score or None). The advanced-equipment and
# digital-economy chains have filed nothing this year: past the deadline below, they are flagged.
PLAN_DEADLINE = (3, 31)  # this year's plans were due on 31 March
PLANS = [
    (
        "biomedicine",
        "中共广州迈普再生医学科技股份有限公司支部委员会",
        0,
        "生物医药链链主企业年度党建工作规划",
        "产业链产值增长 12%，新增规上企业 5 家",
        [
            ("建设链上党建联盟，吸纳上下游企业党组织 8 个", 40, None),
            ("开展党员先锋岗攻关项目 3 项", 30, None),
            ("推动 2 家应建未建企业建立党组织", 30, None),
        ],
        None,
    ),
    (
        "integrated-circuits",
        "中共广州芯澜微电子股份有限公司委员会",
        0,
        "集成电路链链主企业年度党建工作规划",
        "晶圆产能提升 15%，本地配套率提高到 35%",
        [
            ("链上党组织联席会议每季度一次", 30, None),
            ("党员技术骨干带徒 40 人", 40, None),
            ("红联共建项目成果转化 2 项", 30, None),
        ],
        None,
    ),
    (
        "intelligent-vehicles",
        "中共广州驰岳新能源汽车有限公司委员会",
        0,
        "智能网联新能源汽车链链主企业年度党建工作规划",
        "整车产量增长 20%",
        [("供应链企业党建指导全覆盖", 50, None), ("党员创新工作室 2 个", 50, None)],
        None,
    ),
    (
        "new-materials",
        "中共广州恒拓新材料股份有限公司委员会",
        0,
        "新材料链链主企业年度党建工作规划",
        "新材料产值突破 50 亿元",
        [("链上企业党组织书记轮训", 60, None), ("安全生产党员责任区", 40, None)],
        None,
    ),
    (
        "biomedicine",
        "中共广州迈普再生医学科技股份有限公司支部委员会",
        1,
        "生物医药链链主企业年度党建工作规划",
        "产业链产值增长 10%",
        [("建设链上党建联盟", 50, 45), ("党员先锋岗攻关项目 2 项", 50, 40)],
        88,
    ),
    (
        "integrated-circuits",
        "中共广州芯澜微电子股份有限公司委员会",
        1,
        "集成电路链链主企业年度党建工作规划",
        "本地配套率提高到 30%",
        [("链上党组织联席会议", 40, 38), ("党员技术骨干带徒", 60, 51)],
        92,
    ),
]
