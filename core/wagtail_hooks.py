from wagtail import hooks

from core import routes

# Keep the route Wagtail has just found for this URL (core/routes.py, issue 14).
hooks.register("before_serve_page", routes.remember)
