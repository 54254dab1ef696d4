"""Bounces and complaints from the email provider: written in the next step."""


def handle_tracking_event(event, esp_name):
    return None
