"""Writes the demo described in secretaries.demo_data (`manage.py seed_demo` calls it after the
chains demo, whose units, enterprises, parks and people it names):

- `seed_secretaries_demo()`: the cadre pool, postings across the demo chains and parks (park chiefs
  included) and a few months of work logs;
- `scale_cadres(total=N)`: tops the pool up to N synthetic cadres, for the matching benchmark.

Every row goes through chainparty.demo.ensure, matched by its natural key: a second run writes nothing.
"""

from collections import Counter
from datetime import date

from django.db import transaction

from accounts.models import Unit, User
from chainparty.demo import SeedError, ensure
from chains.models import Enterprise, Park
from secretaries.demo_data import (
    CADRES,
    EVALUATIONS,
    POSTINGS,
    WORK_LOG_MONTHS,
    WORK_LOG_PATTERN,
    WORK_LOG_SOLVED,
    WORK_LOG_START,
)
from secretaries.models import Cadre, Posting, PostingStatus, SourceKind, WorkLog

SYNTHETIC_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
SYNTHETIC_GIVEN = ["建国", "晓明", "丽娟", "志强", "海燕", "文博", "思琪", "永红", "佳怡", "国庆", "子涵", "明轩"]
SYNTHETIC_TAGS = ["生物医药", "集成电路", "新能源汽车", "新材料", "智能装备", "软件", "数字贸易", "基层党建", "投融资"]


@transaction.atomic
def seed_secretaries_demo() -> Counter:
    created: Counter = Counter()
    units = dict(Unit.objects.filter(name__in={row[3] for row in CADRES}).values_list("name", "pk"))
    users = dict(User.objects.filter(username__in={row[1] for row in CADRES if row[1]}).values_list("username", "pk"))
    missing = {row[3] for row in CADRES} - set(units) | {row[1] for row in CADRES if row[1]} - set(users)
    if missing:
        raise SeedError(f"the chains demo is missing ({', '.join(sorted(missing))}): run it first")
    cadres = ensure(
        Cadre,
        "name",
        [
            {
                "name": name,
                "user_id": users[username] if username else None,
                "source_kind": kind,
                "source_unit_id": units[unit],
                "position": position,
                "party_member": member,
                "birth_date": born,
                "expertise": tags,
                "phone": phone,
            }
            for name, username, kind, unit, position, member, born, tags, phone in CADRES
        ],
        created,
    )
    enterprises = dict(
        Enterprise.objects.filter(name__in={row[1] for row in POSTINGS if row[1]}).values_list("name", "pk")
    )
    parks = dict(Park.objects.filter(name__in={row[2] for row in POSTINGS if row[2]}).values_list("name", "pk"))
    rows = []
    for cadre, enterprise, park, kind, start, end, status, goals in POSTINGS:
        evaluation = EVALUATIONS.get((cadre, enterprise))
        row = {
            "cadre_id": cadres[cadre].pk,
            "enterprise_id": enterprises[enterprise] if enterprise else None,
            "park_id": parks[park] if park else None,
            "start_date": start,
            "kind": kind,
            "end_date": end,
            "status": status,
            "goals": goals,
            "ended_on": end if status != PostingStatus.ACTIVE else None,
        }
        if evaluation:
            goals_met, solved, opinion, text = evaluation
            row |= {"goals_met": goals_met, "problems_solved": solved, "enterprise_opinion": opinion}
            row |= {"evaluation": text}
        rows.append(row)
    postings = ensure(Posting, ("cadre_id", "enterprise_id", "park_id", "start_date"), rows, created)
    user_of = {cadre.pk: cadre.user_id for cadre in cadres.values()}
    log_rows = []
    for posting in postings.values():
        if posting.status != PostingStatus.ACTIVE or posting.enterprise_id is None:
            continue
        author = user_of.get(posting.cadre_id)
        for month in range(WORK_LOG_MONTHS):
            year, month_no = (
                WORK_LOG_START.year + (WORK_LOG_START.month - 1 + month) // 12,
                (WORK_LOG_START.month - 1 + month) % 12 + 1,
            )
            pattern = list(WORK_LOG_PATTERN) + ([WORK_LOG_SOLVED] if month == WORK_LOG_MONTHS - 1 else [])
            for day, kind, summary, members, activists in pattern:
                when = date(year, month_no, day)
                if when < posting.start_date:
                    continue
                log_rows.append(
                    {
                        "posting_id": posting.pk,
                        "date": when,
                        "kind": kind,
                        "summary": summary,
                        "members_developed": members,
                        "activists_found": activists,
                        "author_id": author,
                    }
                )
    ensure(WorkLog, ("posting_id", "date", "kind"), log_rows, created)
    return created


def scale_cadres(*, total: int) -> Counter:
    """Top the pool up to `total` cadres with synthetic ones (serial k always the same name, unit,
    tags), so reruns find what they wrote. A few queries and one bulk insert."""
    created: Counter = Counter()
    missing = total - Cadre.objects.count()
    if missing <= 0:
        return created
    units = list(Unit.objects.order_by("pk").values_list("pk", "kind"))
    if not units:
        raise SeedError("no units: run the chains demo first")
    kinds = set(SourceKind.values)
    rows = []
    serial = Cadre.objects.filter(name__startswith="储备干部").count()
    while len(rows) < missing:
        serial += 1
        unit_id, unit_kind = units[serial % len(units)]
        given = SYNTHETIC_GIVEN[serial % len(SYNTHETIC_GIVEN)]
        rows.append(
            {
                "name": f"储备干部{SYNTHETIC_SURNAMES[serial % len(SYNTHETIC_SURNAMES)]}{given}{serial:04d}",
                "source_unit_id": unit_id,
                "source_kind": unit_kind if unit_kind in kinds else SourceKind.ECONOMIC_DEPARTMENT,
                "party_member": serial % 5 != 0,
                "birth_date": date(1975 + serial % 25, serial % 12 + 1, serial % 28 + 1),
                "expertise": [SYNTHETIC_TAGS[serial % len(SYNTHETIC_TAGS)], SYNTHETIC_TAGS[(serial * 7) % 9]],
                "phone": f"139{serial:08d}",
            }
        )
    ensure(Cadre, "name", rows, created)
    return created
