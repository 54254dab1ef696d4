"""Accounts get no more of the admin than their group allows. (Writers publishing, Subscribers
and Guest posts are covered in blog/, subscriptions/ and submissions/ tests.)"""

import pytest


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/admin/users/", "/django-admin/"])
def test_a_signed_in_reader_gets_no_admin(client, django_user_model, url):
    reader = django_user_model.objects.create_user("reader", "r@example.org", "pw-123456")
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response.url


def test_a_reader_cannot_sign_in_to_the_admin(client, django_user_model):
    django_user_model.objects.create_user("reader", "r@example.org", "pw-123456")
    response = client.post("/admin/login/", {"username": "reader", "password": "pw-123456"})
    assert client.get("/admin/").status_code == 302
    assert response.status_code in (200, 302)


def test_a_moderator_cannot_edit_or_add_pages(client, make_user, make_post, blog_index):
    post = make_post(title="Original title")
    client.force_login(make_user("moderator", "Moderators"))
    assert client.get(f"/admin/pages/{post.pk}/edit/").status_code in (302, 403)
    response = client.post(f"/admin/pages/{post.pk}/edit/", {"title": "Defaced", "slug": "x"})
    assert response.status_code in (302, 403)
    post.refresh_from_db()
    assert post.title == "Original title"
    add_url = f"/admin/pages/add/blog/postpage/{blog_index.pk}/"
    assert client.get(add_url).status_code in (302, 403)
    assert client.post(f"/admin/pages/{post.pk}/delete/").status_code in (302, 403)
    assert post.__class__.objects.filter(pk=post.pk, live=True).exists()


def test_a_writer_cannot_manage_users(client, make_user):
    client.force_login(make_user("writer", "Writers"))
    assert client.get("/admin/users/").status_code in (302, 403)
    assert client.get("/admin/two-factor/reset/1/").status_code == 403
