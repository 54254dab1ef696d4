"""A reader subscribes, confirms, sets their preferences, and finally erases their data; every
page on the way passes axe-core."""

import re

from django.core import mail
from playwright.sync_api import expect

from e2e.conftest import assert_accessible

ADDRESS = "maria@example.org"


def link_path(message, pattern):
    """The path of a link in an email; the emails use BASE_URL, the live server another port."""
    found = re.search(pattern, message.body)
    assert found, message.body
    return found.group(0)


def heading(page):
    return page.get_by_role("heading", level=1)


def test_every_subscription_page_is_accessible(demo_site, page, axe):
    from subscriptions import services
    from subscriptions.models import Subscriber

    sent = len(mail.outbox)

    # The subscribe page, then the consent page, then "check your inbox".
    page.goto(demo_site + "/subscribe/")
    expect(heading(page)).to_have_text("Subscribe to email alerts")
    assert_accessible(axe, page)
    main = page.locator("main")
    main.get_by_label("Email address").fill(ADDRESS)
    main.get_by_role("button", name="Subscribe").click()
    expect(heading(page)).to_have_text(f"Subscribe {ADDRESS} to alerts?")
    assert_accessible(axe, page)
    page.get_by_label(services.CONSENT_WORDING).check()
    page.get_by_role("button", name="Confirm subscription").click()
    expect(heading(page)).to_have_text("Check your inbox")
    assert_accessible(axe, page)

    # The emailed link: a button first, then "you are subscribed" with a way to preferences.
    assert len(mail.outbox) == sent + 1
    page.goto(demo_site + link_path(mail.outbox[-1], r"/subscribe/confirm/[^\s]+/"))
    expect(heading(page)).to_have_text("Confirm your subscription")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(heading(page)).to_have_text("You are subscribed")
    assert_accessible(axe, page)

    # The preference page: as it opens, with an error, and after saving.
    page.get_by_role("link", name="your preferences page").click()
    expect(heading(page)).to_have_text("Your email alerts")
    assert_accessible(axe, page)
    page.get_by_label("Only the topics and authors I choose below").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.locator("#topics-error")).to_have_text(
        "Choose at least one topic or author, or choose All topics."
    )
    assert_accessible(axe, page)
    page.locator("input[name=topics]").first.check()
    page.get_by_label("A weekly digest").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_role("status")).to_have_text("Your choices are saved.")
    assert_accessible(axe, page)
    subscriber = Subscriber.objects.get(email=ADDRESS)
    assert subscriber.frequency == "weekly" and subscriber.topics.count() == 1

    # A new address: the link sent to it shows a button.
    page.get_by_label("New email address").fill("maria.lopes@example.org")
    page.get_by_role("button", name="Send a confirmation link").click()
    expect(page.get_by_role("status")).to_contain_text("we have sent it a link")
    manage = page.url
    assert mail.outbox[-1].to == ["maria.lopes@example.org"]
    page.goto(demo_site + link_path(mail.outbox[-1], r"/subscribe/address/[^\s]+/"))
    expect(heading(page)).to_have_text("Use this address for your alerts?")
    assert_accessible(axe, page)

    # The one-click stop page.
    page.goto(demo_site + f"/subscribe/stop/{services.make_token('stop', subscriber)}/")
    expect(heading(page)).to_have_text("Stop email alerts")
    assert_accessible(axe, page)

    # Leaving, from the preference page, which then offers a way back.
    page.goto(manage)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_have_text(
        "You are unsubscribed: we will send no more alerts."
    )
    expect(page.get_by_role("button", name="Subscribe again")).to_be_visible()
    assert_accessible(axe, page)

    # Erasing: a confirm step, then what was erased and what stays.
    page.get_by_role("link", name="Erase my data").click()
    expect(heading(page)).to_have_text("Erase your subscription data?")
    assert_accessible(axe, page)
    page.get_by_label("I understand: erase my email address and my subscription.").check()
    page.get_by_role("button", name="Erase my data").click()
    expect(heading(page)).to_have_text("Your subscription data is erased")
    expect(page.locator("main")).to_contain_text("Kept: ")
    assert_accessible(axe, page)
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
