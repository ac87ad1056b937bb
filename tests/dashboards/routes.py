"""The dashboard routes in the permission matrix (tests/matrix.py). A dashboard is the district
staff's, a chain leader's for the chains they lead, a park chief's for their parks; to anyone else
it does not exist (404 on the page and the API, never a 403 that would confirm it)."""

from tests.matrix import api, page

NOBODY_ELSE = {"security": 404, "auditor": 404, "outsider": 404}


def chain_a(world, objects):
    return {"pk": world.chain_a.pk}


def park_a(world, objects):
    return {"pk": world.park_a.pk}


ROUTES = {
    # /dashboard/ takes each user to their own dashboard, and is a 404 for those who have none.
    "dashboards:index": page(ok=(), denied=404, staff=302, leader_a=302, chief_a=302),
    "dashboards:district": page(ok=("staff",), denied=404),
    "dashboards:screen": page(ok=("staff",), denied=404),
    "dashboards:chain": page(ok=("staff", "leader_a"), denied=404, kwargs=chain_a),
    "dashboards:park": page(ok=("staff", "chief_a"), denied=404, kwargs=park_a),
    # The workbook and the printable report open for exactly those who open the dashboard.
    "dashboards:district-export": page(ok=("staff",), denied=404),
    "dashboards:chain-export": page(ok=("staff", "leader_a"), denied=404, kwargs=chain_a),
    "dashboards:park-export": page(ok=("staff", "chief_a"), denied=404, kwargs=park_a),
    "dashboards:chain-report": page(ok=("staff", "leader_a"), denied=404, kwargs=chain_a),
    "dashboard-district": api(ok=("staff",), denied=404, **NOBODY_ELSE),
    "dashboard-chain": api(ok=("staff", "leader_a"), denied=404, kwargs=chain_a, **NOBODY_ELSE),
    "dashboard-park": api(ok=("staff", "chief_a"), denied=404, kwargs=park_a, **NOBODY_ELSE),
}
