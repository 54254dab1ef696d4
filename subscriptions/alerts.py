"""Alerts about new posts: written in the next step."""


def start_alert(post):
    return None
