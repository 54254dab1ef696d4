"""Settings → Users: adding someone sends an invitation, and the list shows who enrolled when."""

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.users.views import users as wagtail_users

from core.badinput import ShortSearchMixin
from users import invitations
from users.forms import InviteForm
from users.models import Invitation


def invitation_hours():
    return settings.ADMIN_INVITATION_HOURS


def two_factor_state(user):
    if user.two_factor_enrolled_at:
        return f"On since {timezone.localtime(user.two_factor_enrolled_at):%d %b %Y %H:%M}"
    if getattr(user, "has_usable_invitation", False):
        return "Invited"
    return "Not set up"


class IndexView(ShortSearchMixin, wagtail_users.IndexView):
    add_item_label = "Invite a user"

    @cached_property
    def columns(self):
        columns = list(super().columns)
        columns.insert(
            -1,
            Column(
                "two_factor_enrolled_at",
                accessor=two_factor_state,
                label="Two-factor",
                sort_key="two_factor_enrolled_at",
                width="15%",
            ),
        )
        return columns

    def order_queryset(self, queryset):
        # Accounts without an authenticator first, then the oldest enrolments, on any database.
        enrolled = F("two_factor_enrolled_at")
        if self.ordering == "two_factor_enrolled_at":
            return queryset.order_by(enrolled.asc(nulls_first=True), "pk")
        if self.ordering == "-two_factor_enrolled_at":
            return queryset.order_by(enrolled.desc(nulls_last=True), "-pk")
        return super().order_queryset(queryset)

    def get_base_queryset(self):
        usable = Invitation.objects.usable().filter(user=OuterRef("pk"))
        return super().get_base_queryset().annotate(has_usable_invitation=Exists(usable))


class InviteView(wagtail_users.CreateView):
    page_title = "Invite"
    page_subtitle = "Invite a user"
    submit_button_label = "Send the invitation"
    template_name = "users/invite.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation_hours": invitation_hours()}

    def get_breadcrumbs_items(self):
        *items, last = super().get_breadcrumbs_items()
        return [*items, {**last, "label": self.page_subtitle}]

    success_message = "Invitation sent to %(email)s: the link works once, for %(hours)s hours."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self):
        data = self.form.cleaned_data
        return invitations.invite_staff(
            username=data["username"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            groups=data["groups"],
            is_superuser=data.get("is_superuser", False),
            by=self.request.user,
        )

    def get_success_message(self, instance):
        return self.success_message % {"email": instance.email, "hours": invitation_hours()}


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = IndexView
    add_view_class = InviteView

    def get_form_class(self, for_update=False):
        return super().get_form_class(for_update) if for_update else InviteForm
