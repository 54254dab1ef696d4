"""Demo content for `manage.py seed_demo`: texts as Python data, pictures drawn on the fly."""
