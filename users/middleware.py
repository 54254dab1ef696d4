"""Nothing in the admin before the second factor.

Placed right after AuthenticationMiddleware. A signed-in user who still has to set up or confirm
a second factor (users/twofactor.py) is sent from any admin URL (Wagtail's /admin/, Django's
/django-admin/, their AJAX and API endpoints) to the setup or verify page, and is anonymous
everywhere else, so a password alone opens no private page or document either.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve, reverse
from django_otp.middleware import OTPMiddleware

from users.twofactor import SETUP, second_factor_step

# Views an unverified user may reach: signing in and out, the two-factor pages, an emailed
# invitation (perhaps opened in a browser where someone else signed in), and the
# admin's script translations and icons that those pages load.
OPEN_VIEWS = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "admin:login",
    "admin:logout",
    "users:two_factor_setup",
    "users:two_factor_verify",
    "users:invitation",
}


def admin_prefixes():
    return (reverse("wagtailadmin_home"), reverse("admin:index"))


def view_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


async def _anonymous():
    return AnonymousUser()


class TwoFactorMiddleware(OTPMiddleware):
    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        self._is_async = False

    def __call__(self, request):
        self._install_lazy_accessors(request)
        # Without a session cookie nobody is signed in: leave the session untouched, so
        # readers' pages stay cacheable.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        step = second_factor_step(request, user)
        if step is None or view_name(request) in OPEN_VIEWS:
            return self.get_response(request)
        if request.path.startswith(admin_prefixes()):
            target = "users:two_factor_setup" if step == SETUP else "users:two_factor_verify"
            return redirect_to_login(request.get_full_path(), reverse(target))
        request.user = AnonymousUser()
        request.auser = _anonymous
        return self.get_response(request)
