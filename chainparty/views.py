"""Pages of the project as a whole: the home page, which draws on several apps, and the health check.
They live here, above every app, so that no app needs to import another to build them."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from accounts.roles import Role
from chains.selectors import list_chains_for_user

HOME_CHAIN_CARDS = 12


@login_required
def home(request):
    user = request.user
    roles = [Role(code).label for code in Role.values if code in user.roles]
    has_business_role = user.has_business_role
    chains = list(list_chains_for_user(user)[: HOME_CHAIN_CARDS + 1]) if has_business_role else []
    context = {
        "roles": roles,
        "has_business_role": has_business_role,
        "chains": chains[:HOME_CHAIN_CARDS],
        "more_chains": len(chains) > HOME_CHAIN_CARDS,
    }
    return render(request, "home.html", context)


def health(request):
    """Liveness and database reachability, for the load balancer and `docker compose`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
