"""Benchmark the enterprise list, page and API, at the registry's size (seed it first with
`seed_demo --enterprises 40000`): query counts and median latency per role, for docs/benchmarks.md."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from rest_framework.test import APIClient

from chainparty.bench import time_get
from chains.models import Enterprise

USERS = ("staff", "leader", "parkchief", "contact")
URLS = (
    "/chains/enterprises/",
    "/chains/enterprises/?q=科技",
    "/chains/enterprises/?honour=little_giant",
    "/api/v1/enterprises/",
    "/api/v1/enterprises/?q=科技",
)


class Command(BaseCommand):
    help = "Time the enterprise list page and API for the demo accounts (median of --requests)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=21)

    def handle(self, *args, requests, **options):
        User = get_user_model()
        self.stdout.write(f"{Enterprise.objects.count()} enterprises in the registry")
        for username in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"no demo account {username!r}: run seed_demo first")
            visible = Enterprise.objects.visible_to(user).count()
            page_client, api_client = Client(), APIClient()
            page_client.force_login(user)
            api_client.force_authenticate(user)
            for url in URLS:
                client = api_client if url.startswith("/api/") else page_client
                timing = time_get(client, url, requests)
                self.stdout.write(f"{username} ({visible} visible) {timing.line()}")
