"""Data the issue tests build through the services (so timelines and shares are real)."""

from issues import services


def sessions_with_issues(world, n: int) -> None:
    """n complaint sessions on chain A, each with one issue dispatched to one of three units."""
    for i in range(n):
        session = services.create_complaint_session(
            actor=world.staff,
            title=f"吐槽大会{i}",
            held_on="2026-10-20",
            place="科学城党群服务中心",
            host_unit_id=world.two_new.pk,
            chain_id=world.chain_a.pk,
        )
        issue = services.submit_issue(
            actor=world.staff,
            enterprise_id=world.ent_a1.pk,
            category_code="request",
            title=f"会上问题{i}",
            description="述",
            session=session,
        )
        services.accept_issue(issue_id=issue.pk, actor=world.staff)
        unit = (world.dept_a, world.dept_b, world.town)[i % 3]  # shares for the ranking's rows
        services.dispatch_issue(issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=unit.pk)
