"""Demo data for issue tickets (design §4.6), on top of the chains demo (chains.demo.seed_demo_data).

`seed_issue_demo(stdout)` writes:

- the working-day calendar, if the table is empty (`load_holidays`: deadlines need it);
- the issue categories with the default working days of §4.6 (inquiry 2, request and suggestion 10,
  complaint 15);
- routing rules, category × chain → suggested lead unit, with a default per category and a few
  chain-specific ones;
- two handler accounts so that joint handling and the ladder's first rung have someone to act:
  `handler.amr` (区市场监督管理局) and `handler.ic` (区科技系统行业党委);
- a 吐槽大会 session and a handful of issues in different states — submitted, dispatched by transfer,
  joint handling in progress, resolved awaiting the rating, closed, and one overdue and escalated —
  created THROUGH the services, so their timelines, deadlines and notifications are real.

Idempotent: categories, rules and accounts are matched by their natural keys and left as they are
if present (staff may have edited them); each demo issue carries an Idempotency-Key of its submitter,
and a scenario whose issue exists is skipped whole. A second run writes nothing.
"""

from collections import Counter
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Unit, User
from accounts.roles import Role
from accounts.services import assign_roles
from chains import demo as chains_demo
from chains.models import Chain, Enterprise
from issues import services
from issues.models import DEFAULT_RESOLVE_DAYS, CategoryKind, ComplaintSession, Issue, IssueCategory, RoutingRule
from issues.sweep import sweep_deadlines
from workdays.calendar import subtract_working_days
from workdays.models import CalendarDay

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

# (username, full name, unit name): handlers the demo issues need besides chains.demo's `handler`.
EXTRA_HANDLERS = [
    ("handler.amr", "周敏华", "区市场监督管理局"),
    ("handler.ic", "梁志远", chains_demo.IC_SCIENCE),
]

SESSION_TITLE = "生物医药产业链企业吐槽大会（第一期）"
KEY_PREFIX = "demo-"


def _write(stdout, line: str) -> None:
    if stdout is not None:
        stdout.write(line + "\n")


def _ensure_calendar(stdout, created: Counter) -> None:
    if not CalendarDay.objects.exists():
        call_command("load_holidays", stdout=stdout)
        created["calendar days"] += CalendarDay.objects.count()


def _ensure_categories(created: Counter) -> dict[str, IssueCategory]:
    existing = {c.code: c for c in IssueCategory.objects.filter(code__in=[row[0] for row in CATEGORIES])}
    missing = [
        IssueCategory(code=code, name=name, kind=kind, resolve_days=DEFAULT_RESOLVE_DAYS[kind])
        for code, name, kind in CATEGORIES
        if code not in existing
    ]
    for category in IssueCategory.objects.bulk_create(missing):
        existing[category.code] = category
    created["issue categories"] += len(missing)
    return existing


def _ensure_rules(categories, chains, units, created: Counter) -> None:
    have = set(RoutingRule.objects.values_list("category_id", "chain_id"))
    missing = []
    for code, chain_code, unit_name in ROUTING_RULES:
        chain = chains[chain_code] if chain_code else None
        key = (categories[code].pk, chain.pk if chain else None)
        if key not in have:
            missing.append(RoutingRule(category=categories[code], chain=chain, unit=units[unit_name]))
            have.add(key)
    RoutingRule.objects.bulk_create(missing)
    created["routing rules"] += len(missing)


def _ensure_handlers(units, created: Counter) -> dict[str, User]:
    users = {}
    for username, full_name, unit_name in EXTRA_HANDLERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username,
                full_name=full_name,
                unit=units[unit_name],
                email=f"{username}@demo.chainparty.local",
                password=make_password(chains_demo.DEMO_PASSWORD),
            )
            assign_roles(user=user, roles=[Role.UNIT_HANDLER])
            created["issue demo accounts"] += 1
        users[username] = user
    return users


def _demo_world():
    """The people and places of chains.demo, by their natural keys."""
    names = [a.username for a in chains_demo.DEMO_ACCOUNTS]
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    missing = [name for name in ("staff", "handler", "contact", "leader") if name not in people]
    chains = {c.code: c for c in Chain.objects.filter(code__in=[c.code for c in chains_demo.CHAINS])}
    enterprise = Enterprise.objects.filter(name=chains_demo.DEMO_ENTERPRISE).first()
    if missing or len(chains) != len(chains_demo.CHAINS) or enterprise is None:
        raise CommandError("The chains demo is not loaded: run `manage.py seed_demo` first.")
    units = {u.name: u for u in Unit.objects.all()}
    return people, chains, enterprise, units


def seed_issue_demo(stdout=None) -> Counter:
    """Load the issue demo (idempotent); returns what was created, by kind."""
    created = Counter()
    _ensure_calendar(stdout, created)
    with transaction.atomic():
        people, chains, enterprise, units = _demo_world()
        categories = _ensure_categories(created)
        _ensure_rules(categories, chains, units, created)
        people.update(_ensure_handlers(units, created))
    _seed_issues(people, chains["biomedicine"], enterprise, units, created)
    created = +created  # drop the zero counts
    for label, count in sorted(created.items()):
        _write(stdout, f"  {label}: {count} created")
    if not created:
        _write(stdout, "  issues: the demo data is already in place.")
    return created


# --- the demo issues ------------------------------------------------------------------------------
def _exists(actor, key: str) -> bool:
    return Issue.objects.filter(submitted_by=actor, idempotency_key=KEY_PREFIX + key).exists()


def _submit(actor, enterprise, chain, key, category, title, description, **extra) -> Issue:
    return services.submit_issue(
        actor=actor,
        enterprise_id=enterprise.pk,
        chain_id=chain.pk,
        category_code=category,
        title=title,
        description=description,
        idempotency_key=KEY_PREFIX + key,
        **extra,
    )


def _seed_issues(people, chain, enterprise, units, created: Counter) -> None:
    staff, handler, contact = people["staff"], people["handler"], people["contact"]
    amr, data_bureau = units["区市场监督管理局"], units["区政务服务数据管理局"]
    science = handler.unit

    def scenario(key):
        # One transaction per scenario: a half-built demo issue never survives an error.
        if _exists(contact, key):
            return None
        created["demo issues"] += 1
        return transaction.atomic()

    if block := scenario("submitted"):
        with block:
            _submit(
                contact,
                enterprise,
                chain,
                "submitted",
                "policy-inquiry",
                "研发用房租金补贴如何申请？",
                "公司在科学城租用研发用房约1200平方米，想了解区里研发用房租金补贴的申请条件、材料和受理时间。",
            )

    if block := scenario("transfer"):
        with block:
            issue = _submit(
                contact,
                enterprise,
                chain,
                "transfer",
                "talent",
                "检验技术骨干人才公寓申请排队时间长",
                "三名引进的检验技术骨干申请人才公寓已排队四个月，希望了解进度并加快安排。",
            )
            services.accept_issue(issue_id=issue.pk, actor=staff, note="属人才服务事项，转科技局办理")
            lead = services.suggest_lead_unit(category=issue.category, chain=issue.chain)
            services.dispatch_issue(issue_id=issue.pk, actor=staff, mode="transfer", lead_unit_id=lead.pk)

    if block := scenario("joint"):
        with block:
            issue = _submit(
                contact,
                enterprise,
                chain,
                "joint",
                "approval",
                "第三方医学检验新项目备案涉及多个部门，材料反复退回",
                "新开展的基因检测项目需在卫健、市场监管和政务服务窗口分别备案，材料要求不一致，已三次退回补正。",
            )
            services.accept_issue(issue_id=issue.pk, actor=staff)
            services.dispatch_issue(
                issue_id=issue.pk,
                actor=staff,
                mode="joint",
                lead_unit_id=science.pk,
                co_unit_ids=[amr.pk, data_bureau.pk],
                note="科技局牵头，市场监管局、数据局会办",
            )
            services.sign_issue(issue_id=issue.pk, actor=handler)
            services.sign_issue(issue_id=issue.pk, actor=people["handler.amr"])
            services.reply_part(
                issue_id=issue.pk,
                actor=people["handler.amr"],
                reply="市场监管环节的备案材料清单已统一，企业按新清单一次提交即可。",
            )
            services.comment_on_issue(
                issue_id=issue.pk, actor=handler, text="已约企业下周现场对接，数据局会办意见待回复。", public=True
            )

    if block := scenario("resolved"):
        with block:
            issue = _submit(
                contact,
                enterprise,
                chain,
                "resolved",
                "financing",
                "设备更新贷款贴息申请咨询",
                "计划购置高通量测序仪，贷款约800万元，想申请设备更新贷款贴息。",
            )
            services.accept_issue(issue_id=issue.pk, actor=staff)
            services.dispatch_issue(issue_id=issue.pk, actor=staff, mode="transfer", lead_unit_id=science.pk)
            services.sign_issue(issue_id=issue.pk, actor=handler)
            services.resolve_issue(
                issue_id=issue.pk,
                actor=handler,
                answer="已对接区科创投及合作银行，贴息申请可在“穗好办”提交，科技局全程跟进，预计两周内完成审核。",
            )

    if block := scenario("closed"):
        with block:
            issue = _submit(
                contact,
                enterprise,
                chain,
                "closed",
                "policy-inquiry",
                "高新技术企业认定辅导",
                "公司计划今年申报高新技术企业，希望获得申报辅导。",
            )
            services.accept_issue(issue_id=issue.pk, actor=staff)
            services.dispatch_issue(issue_id=issue.pk, actor=staff, mode="transfer", lead_unit_id=science.pk)
            services.sign_issue(issue_id=issue.pk, actor=handler)
            services.resolve_issue(issue_id=issue.pk, actor=handler, answer="已安排专员上门辅导，并提供申报材料模板。")
            services.rate_issue(issue_id=issue.pk, actor=contact, satisfaction="satisfied", comment="响应很快，感谢！")

    if block := scenario("escalated"):
        with block:
            # Dispatched eight working days ago as an inquiry (due within two): the sweep below finds
            # it past its deadline and past the ladder's second rung.
            past = subtract_working_days(timezone.now(), 8) - timedelta(hours=1)
            issue = _submit(
                contact,
                enterprise,
                chain,
                "escalated",
                "policy-inquiry",
                "医疗器械首台套奖励政策何时兑现？",
                "去年申报的首台套奖励已公示，但资金至今未到账，企业多次询问无明确答复。",
                at=past,
            )
            services.accept_issue(issue_id=issue.pk, actor=staff)
            services.dispatch_issue(issue_id=issue.pk, actor=staff, mode="transfer", lead_unit_id=science.pk, at=past)
            services.sign_issue(issue_id=issue.pk, actor=handler)
        sweep_deadlines()

    if not ComplaintSession.objects.filter(title=SESSION_TITLE).exists():
        with transaction.atomic():
            session = services.create_complaint_session(
                actor=staff,
                title=SESSION_TITLE,
                held_on=timezone.localdate(),
                place="广州科学城党群服务中心",
                host_unit_id=units["区委两新工委"].pk,
                chain_id=chain.pk,
                industry_committee_id=units[chains_demo.IC_SCIENCE].pk,
            )
            services.submit_session_issues(
                actor=staff,
                session=session,
                rows=[
                    {
                        "enterprise": enterprise.pk,
                        "category": "infrastructure",
                        "title": "园区周边公交班次少，员工通勤难",
                        "description": "科学城北区早晚高峰公交间隔超过30分钟，建议增开接驳专线。",
                    },
                    {
                        "enterprise": enterprise.pk,
                        "category": "market-complaint",
                        "title": "冷链物流服务商收费不透明",
                        "description": "部分冷链服务商临时加收费用且无明细，请市场监管部门予以规范。",
                    },
                ],
            )
            created["complaint sessions"] += 1
            created["demo issues"] += 2
