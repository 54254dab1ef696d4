"""Subscribers in the Wagtail admin: the list, one subscriber's history, the consent ledger as
CSV and erasure on request. Nobody adds or edits a subscriber here."""

import csv
import datetime

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.coreutils import multigetattr
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from core import admin_views as core_admin_views
from core.badinput import ShortSearchMixin, id_from
from subscriptions import privacy
from subscriptions.models import ConsentRecord, Delivery, Subscriber

# Who may look at subscribers and the alerts report: anyone allowed to view or erase them.
VIEW_ACTIONS = ["view", "delete"]


class SubscriberPermissionPolicy(ModelPermissionPolicy):
    """Subscribers sign themselves up and give their own consent: nobody adds or edits one in
    the admin, not even a superuser. "delete" means erasing on the person's request."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)


def can_view_subscribers(user):
    return policy_registry.get_by_type(Subscriber).user_has_any_permission(user, VIEW_ACTIONS)


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A CSV cell a spreadsheet shows as text, never runs."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_time(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _topics(subscriber):
    """What the subscriber follows: every post, or their topics and authors."""
    if subscriber.everything:
        return "All topics"
    chosen = [topic.name for topic in subscriber.topics.all()]
    chosen += [f"author: {person.name}" for person in subscriber.contributors.all()]
    return ", ".join(chosen) or "Nothing (what they followed was deleted)"


class SubscriberIndexView(ShortSearchMixin, IndexView):
    erase_url_name = None
    consent_ledger_url_name = None
    # Wagtail neutralises formulas in XLSX cells but not in CSV: do it for both, and give
    # times in the site's zone.
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        str: {IndexView.FORMAT_CSV: neutralise, IndexView.FORMAT_XLSX: neutralise},
        datetime.datetime: {
            **IndexView.custom_value_preprocess[datetime.datetime],
            IndexView.FORMAT_CSV: _csv_time,
        },
    }

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("topics", "contributors")

    def to_row_dict(self, item):
        return {
            field: _topics(item) if field == "topics" else multigetattr(item, field)
            for field in self.list_export
        }

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.erase_url_name and self.user_has_permission("delete"):
            buttons.append(
                MenuItem(
                    "Erase",
                    url=reverse(self.erase_url_name, args=[instance.pk]),
                    icon_name="bin",
                    priority=30,
                )
            )
        return buttons

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                "Download the consent ledger (CSV)",
                url=reverse(self.consent_ledger_url_name),
                icon_name="download",
                priority=110,
            )
        )
        return buttons


class SubscriberInspectView(InspectView):
    """One subscriber and their history: every consent line and the latest emails."""

    erase_url_name = None
    consent_ledger_url_name = None
    deliveries_shown = 20

    def get_object(self, queryset=None):
        return get_object_or_404(
            Subscriber.objects.prefetch_related("topics", "contributors"), pk=self.pk
        )

    def get_page_subtitle(self):
        return self.object.email

    field_labels = {
        "new_email": "New address waiting for confirmation",
        "created_at": "Signed up",
        "confirmed_at": "Confirmed",
        "unsubscribed_at": "Unsubscribed",
        "suppressed_at": "Stopped after a bounce or complaint",
        "suppressed_reason": "Why it was stopped",
    }

    def get_field_label(self, field_name, field):
        return self.field_labels.get(field_name) or super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "j M Y, H:i")
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return "—" if value in (None, "") else value

    def get_topics_display_value(self):
        return _topics(self.object)

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button(
                "Download this consent ledger (CSV)",
                url=f"{reverse(self.consent_ledger_url_name)}?subscriber={self.object.pk}",
                icon_name="download",
                priority=10,
            )
        ]
        if self.erase_url_name and self.user_has_permission("delete"):
            buttons.append(
                Button(
                    "Erase",
                    url=reverse(self.erase_url_name, args=[self.object.pk]),
                    icon_name="bin",
                    priority=20,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deliveries = (
            Delivery.objects.filter(subscriber=self.object)
            .select_related("mailing__post")
            .order_by("-pk")[: self.deliveries_shown]
        )
        context.update(
            consents=list(ConsentRecord.objects.filter(subscriber=self.object)),
            deliveries=[(delivery, post_edit_url(delivery.mailing)) for delivery in deliveries],
            deliveries_shown=self.deliveries_shown,
        )
        return context


def post_edit_url(mailing):
    return reverse("wagtailadmin_pages:edit", args=[mailing.post_id]) if mailing.post_id else ""


class EraseView(core_admin_views.EraseView):
    """Erase one subscriber on their request, after the editor confirms. The audit log names
    the subscriber by number only (Subscriber.__str__), never by address."""

    model = Subscriber
    template_name = "subscriptions/admin/erase.html"
    page_title = "Erase subscriber"
    index_label = "Subscribers"
    context_object_name = "subscriber"

    def object_label(self):
        return self.object.email

    def erase(self):
        privacy.erase(self.object)
        return messages.success, "Subscriber erased. The consent ledger keeps a line naming nobody."

    def get_success_url(self):
        return reverse(self.index_url_name)


class _Echo:
    def write(self, value):
        return value


LEDGER_COLUMNS = [
    ("created_at", "Time"),
    ("action", "Action"),
    ("wording_version", "Consent wording version"),
    ("source_path", "Page"),
    ("email_hash", "Address hash"),
    ("ip_hash", "Connection hash"),
    ("subscriber_id", "Subscriber number"),
]


class ConsentLedgerView(PermissionCheckedMixin, View):
    """The consent ledger as CSV, all of it or one subscriber's lines. It names addresses only
    by their keyed hash, so it can be kept and handed over as proof."""

    model = Subscriber
    any_permission_required = VIEW_ACTIONS
    http_method_names = ["get"]

    def get(self, request):
        records = ConsentRecord.objects.order_by("created_at", "pk")
        filename = "consent-ledger"
        subscriber = id_from(request.GET.get("subscriber", ""))
        if subscriber is not None:
            records = records.filter(subscriber_id=subscriber)
            filename = f"consent-ledger-subscriber-{subscriber}"
        rows = records.values_list(*(name for name, _ in LEDGER_COLUMNS))
        response = StreamingHttpResponse(self.stream(rows), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response

    def stream(self, rows):
        writer = csv.writer(_Echo())
        yield writer.writerow([heading for _, heading in LEDGER_COLUMNS])
        for row in rows.iterator(chunk_size=2000):
            created_at, *rest = row
            yield writer.writerow(
                [_csv_time(created_at)] + [neutralise("" if v is None else v) for v in rest]
            )


class SubscriberViewSet(ModelViewSet):
    """Look, search, filter, export and erase; never add or edit."""

    model = Subscriber
    icon = "mail"
    menu_label = "Subscribers"
    menu_order = 260
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = SubscriberIndexView
    inspect_view_class = SubscriberInspectView
    list_per_page = 50
    ordering = "-created_at"
    search_fields = ["email"]
    search_backend_name = None
    list_display = [
        "email",
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda subscriber: subscriber.status == Subscriber.Status.CONFIRMED,
        ),
        Column("frequency", label="Frequency", accessor="get_frequency_display"),
        Column("topics", label="Topics", accessor=_topics),
        DateColumn("created_at", label="Signed up", sort_key="created_at"),
        DateColumn("confirmed_at", label="Confirmed", sort_key="confirmed_at"),
    ]
    list_filter = ["status", "frequency", "paused"]
    list_export = [
        "email",
        "status",
        "frequency",
        "topics",
        "paused",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "suppressed_at",
    ]
    export_headings = {
        "created_at": "Signed up",
        "confirmed_at": "Confirmed",
        "unsubscribed_at": "Unsubscribed",
        "suppressed_at": "Stopped after a bounce or complaint",
    }
    export_filename = "subscribers"
    inspect_view_fields = [
        "email",
        "status",
        "frequency",
        "topics",
        "paused",
        "new_email",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "suppressed_at",
        "suppressed_reason",
    ]
    inspect_template_name = "subscriptions/admin/inspect.html"

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        # Only the views below exist: no add, edit, copy, delete, history or usage.
        for name in ("add", "edit", "delete", "history", "usage"):
            view_kwargs[f"{name}_url_name"] = None
        view_kwargs["erase_url_name"] = self.get_url_name("erase")
        view_kwargs["consent_ledger_url_name"] = self.get_url_name("consent_ledger")
        return view_kwargs

    def get_permissions_to_register(self):
        return (
            super()
            .get_permissions_to_register()
            .filter(codename__in=["view_subscriber", "delete_subscriber"])
        )

    def get_urlpatterns(self):
        return core_admin_views.inspect_and_erase_urls(self, EraseView) + [
            path("consent-ledger/", ConsentLedgerView.as_view(), name="consent_ledger"),
        ]
