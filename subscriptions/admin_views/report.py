"""The "Email alerts" report: how the list grows and what each alert did, as server-rendered
SVG charts with data tables. Every number comes from an aggregate query."""

import datetime
import itertools

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from core.badinput import id_from
from subscriptions.admin_views.subscribers import can_view_subscribers, post_edit_url
from subscriptions.models import Delivery, Mailing, Subscriber

DELIVERY_GROUPS = [
    # (key, label, statuses, colour)
    ("sent", "Sent", [Delivery.Status.SENT], "#1b6e3a"),
    ("queued", "Queued or sending", [Delivery.Status.QUEUED, Delivery.Status.SENDING], "#35618f"),
    ("failed", "Failed", [Delivery.Status.FAILED], "#b3261e"),
    ("bounced", "Bounced", [Delivery.Status.BOUNCED], "#8a4b08"),
    ("skipped", "Skipped", [Delivery.Status.SKIPPED], "#6b7280"),
]


def delivery_counts(deliveries):
    """{group key: count} over a Delivery queryset, in one query."""
    return deliveries.aggregate(
        **{
            key: Count("pk", filter=Q(status__in=statuses))
            for key, _, statuses, _ in DELIVERY_GROUPS
        }
    )


def post_alert_counts(post_id):
    return delivery_counts(
        Delivery.objects.filter(mailing__kind=Mailing.Kind.ALERT, mailing__post_id=post_id)
    )


def counts_label(counts):
    """Like "Alerts: 120 sent, 2 failed": sent always, the rest when there are some."""
    parts = [f"{counts['sent']} sent"]
    parts += [
        f"{counts[key]} {label.lower()}" for key, label, _, _ in DELIVERY_GROUPS[1:] if counts[key]
    ]
    return "Alerts: " + ", ".join(parts)


def latest_alerts(limit=20, post_id=None):
    """The latest alert mailings with their delivery counts: two queries, however many."""
    mailings = Mailing.objects.filter(kind=Mailing.Kind.ALERT).select_related("post")
    if post_id is not None:
        mailings = mailings.filter(post_id=post_id)
    mailings = list(mailings.order_by("-created_at", "-pk")[:limit])
    per_status = (
        Delivery.objects.filter(mailing__in=[m.pk for m in mailings])
        .values_list("mailing_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_mailing = {}
    for mailing_id, status, n in per_status:
        by_mailing.setdefault(mailing_id, {})[status] = n
    rows = []
    for mailing in mailings:
        found = by_mailing.get(mailing.pk, {})
        counts = {
            key: sum(found.get(status, 0) for status in statuses)
            for key, _, statuses, _ in DELIVERY_GROUPS
        }
        rows.append(
            {
                "mailing": mailing,
                "title": mailing.post.title if mailing.post else "(post deleted)",
                "edit_url": post_edit_url(mailing),
                "counts": [counts[key] for key, _, _, _ in DELIVERY_GROUPS],
                "total": sum(counts.values()),
            }
        )
    return rows


def weekly_growth(now=None, weeks=26):
    """For each of the last `weeks` local weeks: (Monday, on the list at its end, newly
    confirmed in it). One query. People erased since are not in the past counts either."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    this_monday = today - datetime.timedelta(days=today.weekday())
    mondays = [this_monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]

    def midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    spans = [
        (midnight(monday), midnight(monday + datetime.timedelta(days=7))) for monday in mondays
    ]
    aggregates = {}
    for i, (start, end) in enumerate(spans):
        aggregates[f"on_list_{i}"] = Count(
            "pk",
            filter=Q(confirmed_at__lt=end)
            & (Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=end))
            & (Q(suppressed_at__isnull=True) | Q(suppressed_at__gte=end)),
        )
        aggregates[f"new_{i}"] = Count(
            "pk", filter=Q(confirmed_at__gte=start, confirmed_at__lt=end)
        )
    counts = Subscriber.objects.filter(confirmed_at__isnull=False).aggregate(**aggregates)
    return [
        (monday, counts[f"on_list_{i}"], counts[f"new_{i}"]) for i, monday in enumerate(mondays)
    ]


def _nice_top(value, intervals=4):
    """The smallest round axis maximum at or above value, as (maximum, step between ticks)."""
    step = 1
    growth = itertools.cycle((2, 2.5, 2))  # steps of 1, 2, 5, 10, 20, 50 ...
    while step * intervals < value:
        step = int(step * next(growth))
    return step * intervals, step


def _f(number):
    return f"{number:.1f}"


def line_chart(values, labels, width=720, height=260):
    """Geometry for a line chart of whole numbers, as strings ready for an SVG template."""
    left, right, top, bottom = 56, 28, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, step = _nice_top(max(values, default=0))
    dx = plot_w / max(len(values) - 1, 1)

    def y(value):
        return top + plot_h - value / top_value * plot_h

    points = [(left + i * dx, y(value)) for i, value in enumerate(values)]
    baseline = top + plot_h
    line = " ".join(f"{_f(x)},{_f(py)}" for x, py in points)
    area = f"{_f(left)},{_f(baseline)} {line} {_f(points[-1][0])},{_f(baseline)}" if points else ""
    every = max(len(values) // 6, 1)
    return {
        "width": width,
        "height": height,
        "line": line,
        "area": area,
        "dots": [
            (_f(x), _f(py), value, label)
            for (x, py), value, label in zip(points, values, labels, strict=True)
        ],
        "y_ticks": [(_f(y(value)), value) for value in range(0, top_value + 1, step)],
        "x_ticks": [
            (_f(points[i][0]), labels[i])
            for i in range(len(values))
            if (len(values) - 1 - i) % every == 0
        ],
        "left": left,
        "right": width - right,
        "label_y": height - 14,
    }


def stacked_bars(rows, width=720, row_height=46):
    """Geometry for one horizontal bar per mailing, split by delivery status."""
    bar_w = width - 80
    # An alert that went to nobody (an empty list) has a total of 0.
    scale = bar_w / (max((row["total"] for row in rows), default=0) or 1)
    bars = []
    for i, row in enumerate(rows):
        top = i * row_height
        x = 0.0
        segments = []
        for (_, label, _, colour), count in zip(DELIVERY_GROUPS, row["counts"], strict=True):
            if count:
                segments.append(
                    {
                        "x": _f(x),
                        "width": _f(count * scale),
                        "colour": colour,
                        "label": label,
                        "count": count,
                    }
                )
                x += count * scale
        bars.append(
            {
                "row": row,
                "text_y": top + 14,
                "bar_y": top + 20,
                "segments": segments,
                "total_x": _f(x + 6),
                "total_y": top + 33,
            }
        )
    return {"width": width, "height": max(len(rows) * row_height, 1), "bars": bars}


class EmailAlertsReportView(WagtailAdminTemplateMixin, TemplateView):
    """How the list grows and what each alert did."""

    template_name = "subscriptions/admin/alerts_report.html"
    page_title = "Email alerts"
    header_icon = "mail"
    weeks = 26
    mailings_shown = 20

    def dispatch(self, request, *args, **kwargs):
        if not can_view_subscribers(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "Email alerts"}]

    @cached_property
    def filtered_post(self):
        from blog.models import PostPage

        pk = id_from(self.request.GET.get("post", ""))
        return PostPage.objects.filter(pk=pk).first() if pk is not None else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        growth = weekly_growth(weeks=self.weeks)
        labels = [date_format(monday, "j M") for monday, _, _ in growth]
        post = self.filtered_post
        rows = latest_alerts(self.mailings_shown, post_id=post.pk if post else None)
        status_counts = dict(
            Subscriber.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        context.update(
            filtered_post=post,
            report_url=reverse("subscriptions_alerts_report"),
            status_counts=[
                (label, status_counts.get(value, 0)) for value, label in Subscriber.Status.choices
            ],
            growth=growth,
            growth_chart=line_chart([on_list for _, on_list, _ in growth], labels),
            alert_rows=rows,
            alerts_chart=stacked_bars(rows),
            groups=[(label, colour) for _, label, _, colour in DELIVERY_GROUPS],
            mailings_shown=self.mailings_shown,
            subscribers_url=reverse("subscribers:index"),
        )
        return context
