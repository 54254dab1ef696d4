"""The moderation queue and a comment's page in the Wagtail admin: thin views over moderation."""

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy

from comments import moderation
from comments.models import Block, Comment
from core.badinput import id_from
from core.text import clean_text

PAGE_SIZE = 100  # a moderator clears a whole page at once: select all, approve


class ModeratorRequired:
    def dispatch(self, request, *args, **kwargs):
        if not moderation.can_moderate(request.user):
            # A real 403, not Wagtail's redirect to the dashboard, so a refusal is unambiguous.
            return TemplateResponse(
                request, "comments/admin/forbidden.html", {"header_title": "Comments"}, status=403
            )
        return super().dispatch(request, *args, **kwargs)


def _next_url(request, default):
    """Where to go back to: a path on this site, or `default`. (Never a view name: redirect()
    would try to reverse one and fail.)"""
    url = request.POST.get("next", "")
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, request.is_secure()
    ):
        return url
    return default


def _plural(n):
    return f"{n} comment" if n == 1 else f"{n} comments"


def _run_action(request, comments):
    action = request.POST.get("action", "")
    if action not in moderation.ACTIONS:
        messages.error(request, "Choose an action.")
        return
    if not comments.exists():
        messages.warning(request, "Select at least one comment.")
        return
    changed = moderation.apply_action(comments, action, by=request.user)
    done = moderation.ACTIONS[action][0]
    if changed:
        messages.success(request, f"{_plural(changed)} {done}.")
    else:
        messages.warning(request, f"Nothing changed: the comments were already {done}.")


def _selected_ids(request):
    return [pk for pk in map(id_from, request.POST.getlist("comment")) if pk is not None]


class QueueView(ModeratorRequired, WagtailAdminTemplateMixin, TemplateView):
    template_name = "comments/admin/queue.html"
    page_title = "Comments"
    header_icon = "comment"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "Comments"}]

    def post(self, request):
        _run_action(request, Comment.objects.filter(pk__in=_selected_ids(request)))
        return HttpResponseRedirect(_next_url(request, reverse("comments_admin:queue")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        tab = request.GET.get("tab", "pending")
        if tab not in moderation.TABS_BY_KEY:
            tab = "pending"
        # PostgreSQL refuses a NUL in a query: control characters never match a comment anyway.
        search = " ".join(clean_text(request.GET.get("q", "")[:200]).split())
        paginator = Paginator(moderation.queue(tab, search), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("p"))
        counts = moderation.counts()
        can_edit_posts = PagePermissionPolicy().user_has_any_permission(
            request.user, ["change", "publish"]
        )
        current_status = moderation.TABS_BY_KEY[tab].status
        context.update(
            tab=tab,
            search=search,
            tabs=[(t.key, t.label, counts[t.key]) for t in moderation.TABS],
            page_obj=page,
            rows=[_row(comment, can_edit_posts) for comment in page],
            actions=moderation.actions_for(current_status, reported=tab == "reported"),
            current_status=current_status,
        )
        return context


def _row(comment, can_edit_posts):
    return {
        "comment": comment,
        "actions": moderation.actions_for(comment.status, reported=comment.report_count > 0),
        "email": comment.commenter.email if comment.commenter else "",
        "reports": moderation.report_reasons(comment) if comment.report_count else "",
        "post_edit_url": reverse("wagtailadmin_pages:edit", args=[comment.post_id])
        if can_edit_posts
        else "",
    }


class ModerateOneView(ModeratorRequired, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        _run_action(request, Comment.objects.filter(pk=pk))
        return HttpResponseRedirect(
            _next_url(request, reverse("comments_admin:comment", args=[pk]))
        )


class EditForm(forms.Form):
    author_name = forms.CharField(label="Name", max_length=80)
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 8}))


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply", widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )


class BlockForm(forms.Form):
    email = forms.BooleanField(label="Block the email address", required=False)
    ip = forms.BooleanField(label="Block the IP address (hashed)", required=False)
    reason = forms.CharField(label="Reason (for other moderators)", max_length=150, required=False)
    mark_spam = forms.BooleanField(label="Also mark this comment as spam", required=False)


class CommentView(ModeratorRequired, WagtailAdminTemplateMixin, TemplateView):
    """One comment: read it in full, correct it, reply as staff, block its writer."""

    template_name = "comments/admin/comment.html"
    header_icon = "comment"

    @cached_property
    def comment(self):
        return get_object_or_404(
            Comment.objects.select_related(
                "post", "commenter", "parent", "moderated_by", "staff_user"
            ).prefetch_related("reports"),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return f"Comment by {self.comment.author_name or 'a removed writer'}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("comments_admin:queue"), "label": "Comments"},
            {"url": "", "label": f"Comment #{self.comment.pk}"},
        ]

    def post(self, request, pk):
        comment = self.comment
        form_name = request.POST.get("form")
        forms_by_name = {"edit": EditForm, "reply": ReplyForm, "block": BlockForm}
        if form_name not in forms_by_name:
            return redirect("comments_admin:comment", comment.pk)
        form = forms_by_name[form_name](request.POST)
        if form.is_valid():
            try:
                message = getattr(self, f"do_{form_name}")(form.cleaned_data)
            except moderation.ModerationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, message)
                return redirect("comments_admin:comment", comment.pk)
        messages.error(request, "The form has errors: see below.")
        return self.render_to_response(self.get_context_data(**{f"{form_name}_form": form}))

    def do_edit(self, data):
        changed = moderation.edit_comment(
            self.comment, body=data["body"], author_name=data["author_name"], by=self.request.user
        )
        return "Comment saved." if changed else "Nothing to save: the comment is unchanged."

    def do_reply(self, data):
        was_pending = self.comment.status == Comment.Status.PENDING
        moderation.reply_as_staff(self.comment, body=data["body"], by=self.request.user)
        return "Comment approved and your reply published." if was_pending else "Reply published."

    def do_block(self, data):
        blocks = moderation.block_commenter(
            self.comment,
            email=data["email"],
            ip=data["ip"],
            reason=data["reason"],
            by=self.request.user,
            mark_spam=data["mark_spam"],
        )
        return f"Blocked: {', '.join(str(block) for block in blocks)}."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comment = self.comment
        email = comment.commenter.email if comment.commenter else ""
        context.setdefault(
            "edit_form",
            EditForm(initial={"author_name": comment.author_name, "body": comment.body}),
        )
        context.setdefault("reply_form", ReplyForm())
        context.setdefault("block_form", BlockForm(initial={"email": bool(email)}))
        context.update(
            comment=comment,
            email=email,
            reports=list(comment.reports.all()),
            replies=list(comment.replies.select_related("staff_user").order_by("created_at")),
            can_reply=comment.status in moderation.REPLYABLE,
            blocked_email=bool(email) and Block.objects.filter(email__iexact=email).exists(),
            blocked_ip=bool(comment.ip_hash)
            and Block.objects.filter(ip_hash=comment.ip_hash).exists(),
            actions=moderation.actions_for(comment.status, reported=comment.report_count > 0),
            post_edit_url=reverse("wagtailadmin_pages:edit", args=[comment.post_id]),
        )
        return context


class AddBlockForm(forms.Form):
    email = forms.EmailField(label="Email address")
    reason = forms.CharField(label="Reason", max_length=150, required=False)


class BlocksView(ModeratorRequired, WagtailAdminTemplateMixin, TemplateView):
    template_name = "comments/admin/blocks.html"
    page_title = "Blocked commenters"
    header_icon = "comment"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("comments_admin:queue"), "label": "Comments"},
            {"url": "", "label": "Blocked commenters"},
        ]

    def post(self, request):
        if "unblock" in request.POST:
            pk = id_from(request.POST["unblock"])
            if pk is not None and moderation.unblock(pk):
                messages.success(request, "Unblocked.")
            return redirect("comments_admin:blocks")
        form = AddBlockForm(request.POST)
        if form.is_valid():
            block = moderation.block_email(
                form.cleaned_data["email"],
                f"{form.cleaned_data['reason']} (by {request.user.get_username()})".strip(),
            )
            messages.success(request, f"Blocked: {block}.")
            return redirect("comments_admin:blocks")
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AddBlockForm())
        context["blocks"] = Block.objects.order_by("-created_at", "-pk")[:500]
        return context
