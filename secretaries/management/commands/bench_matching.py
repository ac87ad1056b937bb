"""`manage.py bench_matching [--cadres N] [--requests R]`: matching at the seed's scale (run
`seed_demo --enterprises 40000` first). Tops the cadre pool up to N (default 500) synthetic cadres
(secretaries.demo.scale_cadres), then times the suggestions page and API for every demo chain as
district staff: query count and median latency, for docs/benchmarks.md."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from rest_framework.test import APIClient

from chainparty.bench import time_get
from chains.models import Chain, Enterprise
from secretaries import matching
from secretaries.demo import scale_cadres
from secretaries.models import Cadre


class Command(BaseCommand):
    help = "Time coverage matching for each demo chain (the page and the API) with N cadres in the pool."

    def add_arguments(self, parser):
        parser.add_argument("--cadres", type=int, default=500)
        parser.add_argument("--requests", type=int, default=11)

    def handle(self, *args, cadres, requests, **options):
        if cadres < 0 or requests < 1:
            raise CommandError("--cadres must be 0 or more and --requests 1 or more.")
        staff = get_user_model().objects.filter(username="staff").first()
        if staff is None:
            raise CommandError("no demo account 'staff': run seed_demo first")
        created = scale_cadres(total=cadres)
        self.stdout.write(
            f"{Enterprise.objects.count()} enterprises, {Cadre.objects.count()} cadres "
            f"({sum(created.values())} added), {len(matching.available_cadres())} available"
        )
        page_client, api_client = Client(), APIClient()
        page_client.force_login(staff)
        api_client.force_authenticate(staff)
        for chain in Chain.objects.order_by("name"):
            uncovered = matching.uncovered_smes(chain).count()
            for client, url in (
                (page_client, f"/secretaries/suggestions/?chain={chain.pk}"),
                (api_client, f"/api/v1/posting-suggestions/?chain={chain.pk}"),
            ):
                timing = time_get(client, url, requests)
                self.stdout.write(f"{chain.code} ({uncovered} uncovered SMEs) {timing.line()}")
