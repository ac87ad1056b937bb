"""A first secretary logs work on their posting and staff end it: real Chromium, real pages."""

import pytest

from secretaries.models import Posting, WorkLog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_first_secretary_logs_work_from_their_enterprises_page(world, login, live_server):
    posting = Posting.objects.get(cadre__user=world.secretary_a)
    page = login("secretary_a")
    page.goto(f"{live_server.url}/secretaries/mine/")
    assert "甲一企业" in page.locator("main").inner_text()
    page.click(f"a[href='/secretaries/postings/{posting.pk}/'] >> nth=0")
    page.wait_for_url(f"**/secretaries/postings/{posting.pk}/")
    page.select_option("select[name='log_work-kind']", "visit")
    page.fill("textarea[name='log_work-summary']", "走访企业，了解用工需求")
    page.click(".action-log-work button[type=submit]")
    page.wait_for_url(f"**/secretaries/postings/{posting.pk}/")
    assert "走访企业，了解用工需求" in page.locator("main").inner_text()
    assert WorkLog.objects.filter(posting=posting).count() == 1


def test_staff_end_a_posting_and_the_posting_list_fits_a_phone(world, login, live_server):
    posting = Posting.objects.get(cadre__user=world.secretary_a)
    page = login("staff")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/secretaries/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    page.goto(f"{live_server.url}/secretaries/postings/{posting.pk}/")
    page.click(".action-end summary")
    page.fill("textarea[name='end-reason']", "调回原单位")
    page.click(".action-end button[type=submit]")
    page.wait_for_url(f"**/secretaries/postings/{posting.pk}/")
    posting.refresh_from_db()
    assert posting.status == "ended"
    assert page.locator(".action-evaluate").count() == 1
