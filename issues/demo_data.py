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
