from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from blog import search as post_search
from blog.models import Contributor, PostCorrection, PostPage, Topic
from blog.models.pages import PostKind, paginate
from blog.sitemaps import sitemaps


@require_GET
def topic_list(request):
    return render(request, "pages/topic_list.html", {"topics": Topic.objects.all()})


@require_GET
def topic_detail(request, slug):
    # Only the topic's own posts: a parent topic links to its subtopics rather than merging them.
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    posts = PostPage.objects.published().with_topic(topic).for_listing()
    # Fetched when the template first reads them: not at all when the topic's fragment is in
    # the cache (core/fragments.py).
    context = {
        "topic": topic,
        "subtopics": SimpleLazyObject(lambda: list(topic.children.all())),
        "posts": SimpleLazyObject(lambda: paginate(request, posts)),
    }
    return render(request, "pages/topic.html", context)


@require_GET
def contributor_list(request):
    return render(
        request,
        "pages/contributor_list.html",
        {"contributors": Contributor.objects.select_related("photo")},
    )


@require_GET
def contributor_detail(request, slug):
    contributor = get_object_or_404(Contributor.objects.select_related("photo"), slug=slug)
    posts = PostPage.objects.published().by_contributor(contributor).for_listing()
    return render(
        request,
        "pages/contributor.html",
        {"contributor": contributor, "posts": paginate(request, posts)},
    )


@require_GET
def corrections_log(request):
    corrections = (
        PostCorrection.objects.filter(post__live=True)
        .select_related("post")
        .order_by("-date", "-pk")
    )
    return render(
        request, "pages/corrections.html", {"corrections": paginate(request, corrections, 50)}
    )


@require_GET
def search(request):
    form = post_search.SearchForm(request.GET or None)
    context = {"form": form, "topics": Topic.objects.all(), "kinds": PostKind.choices}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = post_search.search_posts(
            form.cleaned_data["q"], topic=form.cleaned_data["topic"], kind=form.cleaned_data["kind"]
        )
        context["query"] = form.cleaned_data["q"]
        context["results"] = paginate(request, results, 10)
    response = render(request, "pages/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def sitemap(request):
    return django_sitemap(request, sitemaps=sitemaps)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the database may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
