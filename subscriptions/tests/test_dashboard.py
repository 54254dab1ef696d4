"""The dashboard shows the subscriber list's size and its trend to those who may see it."""

import pytest
from django.utils import timezone

from subscriptions.dashboard import sparkline
from subscriptions.models import Subscriber

pytestmark = pytest.mark.django_db


def test_the_subscribers_panel_counts_the_list_and_draws_its_trend(client, make_user, site_tree):
    long_ago = timezone.now() - timezone.timedelta(weeks=20)
    for n in range(3):
        Subscriber.objects.create(
            email=f"old{n}@example.org", status=Subscriber.Status.CONFIRMED, confirmed_at=long_ago
        )
    Subscriber.objects.create(
        email="new@example.org", status=Subscriber.Status.CONFIRMED, confirmed_at=timezone.now()
    )
    Subscriber.objects.create(email="waiting@example.org", status=Subscriber.Status.PENDING)
    client.force_login(make_user("editor", "Editors"))

    html = client.get("/admin/").content.decode()

    start = html.index('id="subscribers-section"')
    panel = html[start : html.index("</section>", start)]
    assert ">On the list now</a>" in panel and "<strong>4</strong>" in panel
    assert ">Confirmed in the last 4 weeks</a>" in panel and "<strong>1</strong>" in panel
    assert "Subscribers over the last 12 weeks: 3 in the week of" in panel
    assert "<polyline points=" in panel


def test_the_sparkline_rises_with_the_list_and_stays_in_its_box():
    points = [tuple(map(float, p.split(","))) for p in sparkline([0, 5, 10]).split()]
    assert [x for x, _ in points] == sorted(x for x, _ in points)
    assert points[0][1] > points[1][1] > points[2][1]
    assert all(0 <= x <= 320 and 0 <= y <= 64 for x, y in points)
    assert sparkline([]) == ""


def test_moderators_see_no_subscribers_panel(client, make_user, site_tree):
    client.force_login(make_user("moderator", "Moderators"))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "subscribers-section" not in response.content.decode()
