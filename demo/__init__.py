"""Demo content for `manage.py seed_demo`: texts as Python data, pictures drawn on the fly.
No production code imports it (the contract check in `make lint` says so)."""
