from django.urls import path

from blog import feeds, views

app_name = "blog"

urlpatterns = [
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("topics/<slug:slug>/feed/", feeds.TopicRssFeed(), name="topic_feed_rss"),
    path("topics/<slug:slug>/feed/atom/", feeds.TopicAtomFeed(), name="topic_feed_atom"),
    path("topics/<slug:slug>/feed/json/", feeds.topic_json_feed, name="topic_feed_json"),
    path("authors/", views.contributor_list, name="contributor_list"),
    path("authors/<slug:slug>/", views.contributor_detail, name="contributor"),
    path("authors/<slug:slug>/feed/", feeds.ContributorRssFeed(), name="contributor_feed_rss"),
    path(
        "authors/<slug:slug>/feed/atom/", feeds.ContributorAtomFeed(), name="contributor_feed_atom"
    ),
    path(
        "authors/<slug:slug>/feed/json/", feeds.contributor_json_feed, name="contributor_feed_json"
    ),
    path("corrections/", views.corrections_log, name="corrections"),
]
