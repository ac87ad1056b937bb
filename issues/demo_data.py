"""What the issue demo holds (loaded by issues.demo): categories, routing rules, two more handlers,
the demo issues' texts and a 吐槽大会 session. Only data here: what happens to each issue, and in
which order, is issues.demo."""

from dataclasses import dataclass

from chains.demo_data import IC_SCIENCE
from issues.models import CategoryKind

# (code, name, kind); the working days to resolve are the §4.6 defaults of the kind.
CATEGORIES = [
    ("policy-inquiry", "政策咨询", CategoryKind.INQUIRY),
    ("land-premises", "用地用房", CategoryKind.REQUEST),
    ("financing", "融资需求", CategoryKind.REQUEST),
    ("talent", "人才引进", CategoryKind.REQUEST),
    ("approval", "审批服务", CategoryKind.REQUEST),
    ("market-complaint", "市场监管投诉", CategoryKind.COMPLAINT),
    ("infrastructure", "基础设施", CategoryKind.REQUEST),
    ("suggestion", "意见建议", CategoryKind.SUGGESTION),
]

# (category code, chain code or None for every chain, unit name)
ROUTING_RULES = [
    ("land-premises", None, "区规划和自然资源局"),
    ("financing", None, "区金融工作局"),
    ("financing", "biomedicine", "区科技创新投资集团有限公司"),
    ("financing", "integrated-circuits", "区科技创新投资集团有限公司"),
    ("talent", None, "区科学技术局"),
    ("approval", None, "区政务服务数据管理局"),
    ("approval", "biomedicine", "区科学技术局"),
    ("market-complaint", None, "区市场监督管理局"),
    ("infrastructure", None, "区城市建设投资集团有限公司"),
    ("suggestion", None, "区发展和改革局"),
    # Policy questions go to each chain's lead unit.
    ("policy-inquiry", "biomedicine", "区科学技术局"),
    ("policy-inquiry", "integrated-circuits", "区工业和信息化局"),
    ("policy-inquiry", "intelligent-vehicles", "区发展和改革局"),
    ("policy-inquiry", "new-materials", "区工业和信息化局"),
    ("policy-inquiry", "advanced-equipment", "区工业和信息化局"),
    ("policy-inquiry", "digital-economy", "区商务局"),
]

# (username, full name, unit name): handlers the demo issues need besides the chains demo's `handler`.
EXTRA_HANDLERS = [
    ("handler.amr", "周敏华", "区市场监督管理局"),
    ("handler.ic", "梁志远", IC_SCIENCE),
    # Every unit the demo dispatches to (the joint issue's second co-unit; the other chains' lead
    # units, which meetings' follow-ups go to) has a handler: dispatch refuses a unit nobody can sign for.
    ("handler.data", "孙婧怡", "区政务服务数据管理局"),
    ("handler.miit", "何建平", "区工业和信息化局"),
    ("handler.drc", "罗雅琴", "区发展和改革局"),
    ("handler.commerce", "钱立新", "区商务局"),
]

# The co-handling units of the joint demo issue, besides the lead (the demo handler's unit).
JOINT_CO_UNITS = ("区市场监督管理局", "区政务服务数据管理局")


@dataclass(frozen=True)
class DemoIssue:
    """What the demo enterprise's contact submits, and the texts of the steps that follow."""

    category: str
    title: str
    description: str
    accept_note: str = ""
    dispatch_note: str = ""
    co_unit_reply: str = ""
    comment: str = ""  # the lead unit's public comment
    answer: str = ""
    rating_comment: str = ""


# By scenario (the key is part of each issue's idempotency key; issues.demo says what happens to it).
ISSUES = {
    "submitted": DemoIssue(
        "policy-inquiry",
        "研发用房租金补贴如何申请？",
        "公司在科学城租用研发用房约1200平方米，想了解区里研发用房租金补贴的申请条件、材料和受理时间。",
    ),
    "accepted": DemoIssue(
        "land-premises",
        "中试车间消防改造涉及产权方同意",
        "公司租用的中试车间需做消防改造，产权方迟迟不出具同意书，影响生产许可申请。",
        accept_note="涉及用房和消防两个部门，研究确定牵头单位后派单",
    ),
    "transfer": DemoIssue(
        "talent",
        "检验技术骨干人才公寓申请排队时间长",
        "三名引进的检验技术骨干申请人才公寓已排队四个月，希望了解进度并加快安排。",
        accept_note="属人才服务事项，转科技局办理",
    ),
    "joint": DemoIssue(
        "approval",
        "第三方医学检验新项目备案涉及多个部门，材料反复退回",
        "新开展的基因检测项目需在卫健、市场监管和政务服务窗口分别备案，材料要求不一致，已三次退回补正。",
        dispatch_note="科技局牵头，市场监管局、数据局会办",
        co_unit_reply="市场监管环节的备案材料清单已统一，企业按新清单一次提交即可。",
        comment="已约企业下周现场对接，数据局会办意见待回复。",
    ),
    "resolved": DemoIssue(
        "financing",
        "设备更新贷款贴息申请咨询",
        "计划购置高通量测序仪，贷款约800万元，想申请设备更新贷款贴息。",
        answer="已对接区科创投及合作银行，贴息申请可在“穗好办”提交，科技局全程跟进，预计两周内完成审核。",
    ),
    "closed": DemoIssue(
        "policy-inquiry",
        "高新技术企业认定辅导",
        "公司计划今年申报高新技术企业，希望获得申报辅导。",
        answer="已安排专员上门辅导，并提供申报材料模板。",
        rating_comment="响应很快，感谢！",
    ),
    "escalated": DemoIssue(
        "policy-inquiry",
        "医疗器械首台套奖励政策何时兑现？",
        "去年申报的首台套奖励已公示，但资金至今未到账，企业多次询问无明确答复。",
    ),
    # The other rungs of the ladder (design §4.6): level 1 (the industry party committee) and 3 (the
    # district), beside "escalated" at level 2 (the chain leader).
    "escalated_1": DemoIssue(
        "policy-inquiry",
        "研发投入后补助申报系统无法上传附件",
        "区研发投入后补助申报系统上传审计报告时反复报错，申报截止在即，咨询窗口无人答复。",
    ),
    "escalated_3": DemoIssue(
        "policy-inquiry",
        "生物安全实验室环评批复进度不明",
        "新建P2实验室的环评材料已提交两个月，多次询问均称在审，影响设备进场。",
    ),
}

# What those who oversee the escalated demo issues say (issues.demo): the chain leader supervises
# the level-2 issue (its answer still pending), the committee and district staff urge.
SUPERVISION_INSTRUCTION = "请科技局三个工作日内说明首台套奖励资金未到账的原因及兑现时间，并答复企业。"
COMMITTEE_URGE_NOTE = "请尽快答复企业附件上传问题，本周内办结。"
DISTRICT_URGE_NOTE = "已逾期多日，请牵头单位本周内给出办理结果。"

# The 吐槽大会: held today at SESSION_PLACE, hosted by SESSION_HOST with the industry party committee
# IC_SCIENCE, on the biomedicine chain; the demo enterprise raises SESSION_ISSUES there.
SESSION_TITLE = "生物医药产业链企业吐槽大会（第一期）"
SESSION_PLACE = "广州科学城党群服务中心"
SESSION_HOST = "区委两新工委"
SESSION_COMMITTEE = IC_SCIENCE
SESSION_ISSUES = [
    {
        "category": "infrastructure",
        "title": "园区周边公交班次少，员工通勤难",
        "description": "科学城北区早晚高峰公交间隔超过30分钟，建议增开接驳专线。",
    },
    {
        "category": "market-complaint",
        "title": "冷链物流服务商收费不透明",
        "description": "部分冷链服务商临时加收费用且无明细，请市场监管部门予以规范。",
    },
]

# Unit handlers who are people of the demo, not logins (unusable passwords): every unit the routing
# rules and the year's joint handling send issues to has someone to sign for them (dispatch refuses
# a unit nobody can sign for), and every industry party committee someone to urge on the first rung.
UNIT_PEOPLE = [
    ("handler.finance", "韩晓梅", "区金融工作局"),
    ("handler.planning", "廖文斌", "区规划和自然资源局"),
    ("handler.fiscal", "潘丽娟", "区财政局"),
    ("handler.stic", "袁志鹏", "区科技创新投资集团有限公司"),
    ("handler.ucid", "邱海燕", "区城市建设投资集团有限公司"),
    ("handler.ic.industry", "蒋国庆", "区工信系统行业党委"),
    ("handler.ic.commerce", "沈佳慧", "区商务系统行业党委"),
]

# The demo's year of issues (issues.synthetic plays each forward to today): how many by default, the
# generator's seed, and what enterprises write in each category — (title, description) — with the
# lead unit's answer. Titles get the enterprise's own detail from YEAR_DETAILS.
YEAR_ISSUES = 600
YEAR_SEED = 20260101
YEAR_KEY_PREFIX = "demo-year-"
YEAR_DETAILS = ["（一期项目）", "（二期扩产）", "（研发中心）", "（新厂区）", "（总部）", ""]
YEAR_TEXTS = {
    "policy-inquiry": (
        [
            (
                "研发费用加计扣除政策适用范围咨询",
                "企业委托外部机构开展的研发活动能否享受加计扣除，需提供哪些备查资料？",
            ),
            ("专精特新企业认定条件咨询", "公司拟申报市级专精特新中小企业，想了解主营业务收入和研发投入的具体要求。"),
            ("高新技术企业复审材料要求", "公司高新技术企业证书明年到期，复审时知识产权数量如何计算？"),
            ("首台（套）装备保险补偿申报咨询", "新研制的检测设备已投保首台套保险，想了解保费补贴的申报时间和流程。"),
            ("稳岗补贴申领条件", "公司今年未裁员，想了解稳岗返还的申领条件和到账时间。"),
        ],
        "已电话联系企业逐项解答，并发送政策原文及申报指引，企业表示清楚。",
    ),
    "land-premises": (
        [
            ("扩产需新增厂房用地", "订单增长较快，现有厂房已满负荷，希望协调园区内约20亩工业用地。"),
            ("租用厂房产权证办理滞后影响环评", "所租厂房产权证未办结，导致环评审批无法推进。"),
            ("研发楼配套用电增容", "新建研发楼需增容至2000千伏安，供电方案迟迟未确定。"),
            ("人才公寓房源不足", "新引进的研发人员较多，申请人才公寓排队时间长，希望增加房源。"),
        ],
        "已会同园区梳理可用地块和房源，提出两个备选方案并组织企业现场踏勘，后续按程序办理。",
    ),
    "financing": (
        [
            ("流动资金贷款续贷困难", "银行收紧授信，800万元流动资金贷款到期后续贷困难，请求协调。"),
            ("申请科技信贷风险补偿", "希望通过科技信贷风险补偿资金池获得知识产权质押贷款。"),
            ("设备更新贷款贴息申请", "计划购置自动化产线，申请设备更新贷款贴息，不清楚额度上限。"),
            ("引入产业基金投资", "公司正在进行B轮融资，希望对接区产业引导基金。"),
        ],
        "已对接合作银行和区科创投，落实续贷及贴息方案，银行已受理企业申请。",
    ),
    "talent": (
        [
            ("高层次人才认定进度查询", "公司技术总监申报区高层次人才已三个月，希望了解认定进度。"),
            ("外籍专家工作许可办理", "外籍研发专家工作许可延期材料反复补正，影响项目进度。"),
            ("员工子女入学咨询", "引进的骨干员工子女入学需办理哪些手续，能否享受人才入学政策？"),
            ("技能人才培训补贴申请", "公司组织员工参加职业技能培训，想申请培训补贴。"),
        ],
        "已联系人才服务专员一对一跟进，明确办理材料和时限，相关手续已受理。",
    ),
    "approval": (
        [
            ("新建项目施工许可审批时间长", "厂房扩建项目施工许可材料已提交一个月，仍未获批。"),
            ("医疗器械注册证变更咨询", "产品生产地址变更需办理注册证变更，希望开辟绿色通道。"),
            ("排污许可证延续办理", "排污许可证即将到期，延续申请系统提示材料不全但未说明原因。"),
            ("消防验收预约困难", "新厂房消防验收预约排期较长，影响投产计划。"),
        ],
        "已协调审批部门开通绿色通道，指导企业补齐材料，审批已在法定时限内办结。",
    ),
    "market-complaint": (
        [
            ("遭遇商标恶意抢注", "公司主打产品商标被他人抢注，希望获得知识产权维权指导。"),
            ("供应商合同违约投诉", "供应商长期拖欠交货并拒绝赔偿，请求市场监管部门介入调解。"),
            ("计量器具检定收费问题", "第三方检定机构收费明显高于标准，请予以核查。"),
            ("网络平台商家仿冒产品", "电商平台出现仿冒公司产品的店铺，投诉后处理缓慢。"),
        ],
        "已立案核查并约谈相关主体，问题已依法处理，处理结果已书面告知企业。",
    ),
    "infrastructure": (
        [
            ("园区道路破损影响货车通行", "园区主干道多处破损，大型货车进出困难，存在安全隐患。"),
            ("周边公交班次少员工通勤难", "早晚高峰公交间隔较长，建议增开通勤专线。"),
            ("厂区周边雨季积水", "每逢暴雨厂区门口积水严重，影响生产和物流。"),
            ("5G信号覆盖不足", "厂区内5G信号弱，影响智能工厂改造项目。"),
        ],
        "已会同城投公司现场勘查，列入近期维修计划并明确完工时间，施工期间做好交通疏导。",
    ),
    "suggestion": (
        [
            ("建议建立产业链供需对接平台", "链上企业配套信息不对称，建议定期组织供需对接活动。"),
            ("建议简化惠企政策兑现流程", "多项补贴需重复提交相同材料，建议实行“免申即享”。"),
            ("建议增设园区党群服务站点", "园区企业党员较多，建议在园区内增设党群服务站点。"),
            ("建议优化企业服务专员机制", "希望明确各链企业服务专员的联系方式和服务事项。"),
        ],
        "感谢企业建议，已纳入相关工作方案研究落实，并将在下次链长会议上通报进展。",
    ),
}
