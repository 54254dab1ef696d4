"""Admin views the apps share: erasing one person's data on their request."""

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log


class EraseView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Erase one row's personal data after the editor confirms, logged as a deletion.

    A subclass names its model, template, labels and `context_object_name`, and says in
    `erase()` what erasing does: it returns the message to show, as (level, text)."""

    permission_required = "delete"
    header_icon = "bin"
    index_url_name = None
    inspect_url_name = None
    index_label = ""
    context_object_name = "object"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])

    def get_queryset(self):
        return self.model._default_manager.all()

    def object_label(self):
        return str(self.object)

    def log_title(self):
        """How the audit log names the row (None: as Wagtail does, by str()); never by a
        person's name or address."""
        return None

    def erase(self):
        raise NotImplementedError

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_page_subtitle(self):
        return self.object_label()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": self.index_label},
            {
                "url": reverse(self.inspect_url_name, args=[self.object.pk]),
                "label": self.object_label(),
            },
            {"url": "", "label": "Erase"},
        ]

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            log(self.object, "wagtail.delete", user=request.user, title=self.log_title())
            show, text = self.erase()
        show(request, text)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                self.context_object_name: self.object,
                "cancel_url": reverse(self.inspect_url_name, args=[self.object.pk]),
            }
        )
        return context


def inspect_and_erase_urls(viewset, erase_view_class):
    """The URLs of an admin viewset whose rows are listed, inspected and erased, never edited."""
    erase = erase_view_class.as_view(
        index_url_name=viewset.get_url_name("index"),
        inspect_url_name=viewset.get_url_name("inspect"),
    )
    return [
        path("", viewset.index_view, name="index"),
        path("results/", viewset.index_results_view, name="index_results"),
        path("inspect/<int:pk>/", viewset.inspect_view, name="inspect"),
        path("erase/<int:pk>/", erase, name="erase"),
    ]
