"""Guest submissions in the Wagtail admin: the list by status, one submission to review and act
on, its private files, and erasure on the author's request.

Everything an author typed is shown escaped; their post is shown as the sanitised HTML made at
submission, sanitised again on the way out, with images served from the admin only.
"""

import mimetypes
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from core import admin_views as core_admin_views
from core import progress
from core.badinput import ShortSearchMixin
from submissions import editorial, privacy
from submissions.documents import clean_html, resolve_images
from submissions.models import BodySource, Conversion, Submission, SubmissionVersion

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Statuses that wait for the editor, counted in the menu.
WAITING = (Submission.Status.RECEIVED, Submission.Status.IN_REVIEW)
# Answers to the disclosure questions that mean "nothing to declare".
NOTHING_DECLARED = {"", "none", "none.", "no", "n/a", "na", "nil", "nothing", "nothing to declare"}


class SubmissionPermissionPolicy(ModelPermissionPolicy):
    """Authors submit their own posts: nobody adds one in the admin. "change" means acting on a
    submission (review, request changes, decline, accept), "delete" erasing it on request."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)


def _policy():
    return policy_registry.get_by_type(Submission)


def can_view_submissions(user):
    return _policy().user_has_any_permission(user, ["view", "change", "delete"])


def waiting_count():
    return Submission.objects.not_erased().filter(status__in=WAITING).count()


def declares_something(text):
    return " ".join(text.lower().split()) not in NOTHING_DECLARED


def _title(submission):
    return submission.title or f"Submission {submission.pk} (erased)"


def conversion_status(submission):
    """The Word document's conversion in core.progress's shape."""
    if submission.conversion == Conversion.PENDING:
        started = submission.conversion_started_at
        if started is None:
            return progress.status(
                progress.QUEUED, label="Waiting for the task worker to convert the Word document."
            )
        late = timedelta(seconds=2 * settings.SUBMISSIONS_CONVERSION_TIMEOUT + 60)
        if timezone.now() - started > late:
            label = (
                "The conversion is taking far longer than it may: the task worker may have "
                "stopped. The operator can look at its log; it is tried again when it restarts."
            )
        else:
            label = "Converting the Word document."
        return progress.status(progress.RUNNING, label=label)
    if submission.conversion == Conversion.FAILED:
        said = "The Word document could not be converted."
        return progress.status(progress.FAILED, label=said, message=said)
    return progress.status(
        progress.DONE,
        done=1,
        total=1,
        label="Converted.",
        message="The Word document is converted: its text is shown below.",
    )


def conversion_status_view(request, pk):
    """The conversion's progress as JSON, for static/js/progress.js."""
    if not can_view_submissions(request.user):
        return progress.forbidden()
    submission = get_object_or_404(
        Submission.objects.only("conversion", "conversion_started_at"), pk=pk
    )
    return progress.status_response(conversion_status(submission))


class SubmissionIndexView(ShortSearchMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().defer("body_html", "body_text", "conversion_messages")


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("start_review", "Start review"),
            ("request_changes", "Request changes"),
            ("decline", "Decline"),
            ("accept", "Accept"),
            ("note", "Add a note"),
        ]
    )
    # The limit is editorial's, so the form and the actions cannot drift apart.
    message = forms.CharField(required=False, max_length=editorial.MAX_MESSAGE, strip=True)


class ReviewView(InspectView):
    """One submission: what the author sent, what to do with it, and its history."""

    template_name = "submissions/admin/review.html"
    page_title = "Guest post"
    header_icon = "doc-full"
    erase_url_name = None
    original_url_name = None
    image_url_name = None
    conversion_url_name = None
    http_method_names = ["get", "post"]

    def get_fields(self):
        return []

    def get_object(self, queryset=None):
        queryset = Submission.objects.select_related("post").prefetch_related("topics")
        return get_object_or_404(queryset, pk=self.pk)

    def get_page_subtitle(self):
        return _title(self.object)

    @cached_property
    def header_more_buttons(self):
        buttons = []
        if self.object.original:
            buttons.append(
                Button(
                    "Download the Word document",
                    url=reverse(self.original_url_name, args=[self.object.pk]),
                    icon_name="download",
                    priority=10,
                )
            )
        if self.user_has_permission("delete") and not self.object.erased_at:
            buttons.append(
                Button(
                    "Erase the author's data",
                    url=reverse(self.erase_url_name, args=[self.object.pk]),
                    icon_name="bin",
                    priority=30,
                )
            )
        return buttons

    def _body_html(self, html, images):
        urls = {
            image.key: reverse(self.image_url_name, args=[self.object.pk, image.pk])
            for image in images
        }
        return mark_safe(resolve_images(clean_html(html), urls))

    def _versions(self):
        versions = SubmissionVersion.objects.filter(submission=self.object).prefetch_related(
            "images"
        )
        return [
            {
                "version": version,
                "body_html": self._body_html(version.body_html, version.images.all()),
                "original_url": reverse(
                    self.original_url_name, args=[self.object.pk, version.number]
                )
                if version.original
                else "",
            }
            for version in versions.order_by("-number")
        ]

    def _events(self):
        return self.object.events.select_related("actor").order_by("created_at", "pk")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        can_act = self.user_has_permission("change") and not submission.erased_at
        actions = editorial.actions_for(submission) if can_act else []
        current_images = submission.images.filter(version=None)
        post = submission.post
        context.update(
            submission=submission,
            topics=list(submission.topics.all()),
            body_html=self._body_html(submission.body_html, current_images),
            conversion_pending=submission.conversion == Conversion.PENDING,
            conversion=conversion_status(submission),
            conversion_status_url=reverse(self.conversion_url_name, args=[submission.pk]),
            poll_seconds=progress.POLL_SECONDS,
            conversion_failed=submission.conversion == Conversion.FAILED,
            typed=submission.body_source == BodySource.TYPED,
            declares_conflicts=declares_something(submission.conflicts_of_interest),
            declares_funding=declares_something(submission.funding),
            versions=self._versions(),
            events=self._events(),
            actions=actions,
            form=form or ActionForm(),
            max_message=editorial.MAX_MESSAGE,
            post=post.specific if post else None,
            post_edit_url=reverse("wagtailadmin_pages:edit", args=[post.pk]) if post else "",
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.user_has_permission("change"):
            raise PermissionDenied
        form = ActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That action could not be done: see the form below.")
            return self.render_to_response(self.get_context_data(form=form), status=400)
        action, message = form.cleaned_data["action"], form.cleaned_data["message"]
        submission, user = self.object, request.user
        if action == "accept":
            return self.accept(form, message)
        try:
            if action == "start_review":
                editorial.start_review(submission, by=user)
                done = "Marked as in review: the author sees it on their status page."
            elif action == "request_changes":
                editorial.request_changes(submission, by=user, message=message)
                done = "Changes requested: the author has been emailed your message."
            elif action == "decline":
                editorial.decline(submission, by=user, message=message)
                done = "Declined: the author has been emailed your message."
            else:
                editorial.add_note(submission, by=user, message=message)
                done = "Note added. Only editors see it."
        except editorial.NotAllowed as refusal:
            return self.refuse(form, refusal)
        messages.success(request, done)
        return redirect(request.path + "#history")

    def accept(self, form, message):
        from submissions import publishing

        try:
            page = publishing.accept(self.object, by=self.request.user, message=message)
        except publishing.CannotAccept as refusal:
            return self.refuse(form, refusal)
        messages.success(
            self.request,
            "Accepted. This is the draft post made from it: edit, schedule or publish it as "
            "usual. The author is told when it is published, if they asked.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)

    def refuse(self, form, refusal):
        form.add_error(None, str(refusal))
        messages.error(self.request, str(refusal))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class FileView(PermissionCheckedMixin, View):
    """A private file of one submission, for editors only; never rendered by the browser as a
    page of the admin."""

    model = Submission
    any_permission_required = ["view", "change", "delete"]
    http_method_names = ["get"]

    def respond(self, handle, name, content_type, disposition):
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = f'{disposition}; filename="{name}"'
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class OriginalView(FileView):
    def get(self, request, pk, number=None):
        submission = get_object_or_404(Submission, pk=pk)
        if number is None:
            original = submission.original
            number = submission.version
        else:
            version = get_object_or_404(SubmissionVersion, submission=submission, number=number)
            original = version.original
        if not original:
            raise Http404("No Word document for this version")
        name = f"submission-{submission.pk}-version-{number}.docx"
        return self.respond(original.open("rb"), name, DOCX_TYPE, "attachment")


class ImageView(FileView):
    def get(self, request, pk, image_pk):
        submission = get_object_or_404(Submission, pk=pk)
        image = get_object_or_404(submission.images, pk=image_pk)
        kind = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
        extension = image.file.name.rsplit(".", 1)[-1]
        name = f"submission-{submission.pk}-image-{image.pk}.{extension}"
        return self.respond(image.file.open("rb"), name, kind, "inline")


class EraseView(core_admin_views.EraseView):
    """Erase an author's personal data on their request, after the editor confirms."""

    model = Submission
    template_name = "submissions/admin/erase.html"
    page_title = "Erase the author's data"
    index_label = "Guest posts"
    context_object_name = "submission"

    def get_queryset(self):
        return Submission.objects.select_related("post")

    def object_label(self):
        return _title(self.object)

    def log_title(self):
        return f"Submission {self.object.pk}"  # by number only

    def erase(self):
        if privacy.erase(self.object):
            return messages.success, "The author's data is erased. The history keeps dates only."
        return messages.warning, "This submission was already erased."


def _author(submission):
    return submission.name or "—"


class SubmissionViewSet(ModelViewSet):
    """The editor's desk: a list by status and one page per submission. No add, no edit: what
    the author sent stays as sent, and the post is edited as a page once accepted."""

    model = Submission
    icon = "doc-full"
    menu_label = "Guest posts"
    menu_name = "guest-posts"
    menu_order = 255
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = SubmissionIndexView
    inspect_view_class = ReviewView
    list_per_page = 50
    ordering = "-created_at"
    search_fields = ["title", "name", "email"]
    search_backend_name = None
    list_display = [
        "display_title",
        Column("name", label="Author", accessor=_author),
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda submission: submission.status in WAITING,
        ),
        DateColumn("created_at", label="Received", sort_key="created_at"),
        DateColumn("updated_at", label="Last change", sort_key="updated_at"),
    ]
    list_filter = ["status"]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "history", "usage"):
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    @cached_property
    def menu_item_class(self):
        class GuestPostsMenuItem(MenuItem):
            def is_shown(self, request):
                return can_view_submissions(request.user)

            def render_component(self, request):
                component = super().render_component(request)
                waiting = waiting_count()
                if waiting:
                    component.label = f"{self.label} ({waiting})"
                return component

        return GuestPostsMenuItem

    @property
    def inspect_view(self):
        return self.construct_view(
            self.inspect_view_class,
            **self.get_inspect_view_kwargs(),
            erase_url_name=self.get_url_name("erase"),
            original_url_name=self.get_url_name("original"),
            image_url_name=self.get_url_name("image"),
            conversion_url_name=self.get_url_name("conversion"),
        )

    def get_permissions_to_register(self):
        return (
            super()
            .get_permissions_to_register()
            .filter(codename__in=["view_submission", "change_submission", "delete_submission"])
        )

    def get_urlpatterns(self):
        return core_admin_views.inspect_and_erase_urls(self, EraseView) + [
            path("original/<int:pk>/", OriginalView.as_view(), name="original"),
            path("original/<int:pk>/<int:number>/", OriginalView.as_view(), name="original"),
            path("image/<int:pk>/<int:image_pk>/", ImageView.as_view(), name="image"),
            path("conversion/<int:pk>/", conversion_status_view, name="conversion"),
        ]
