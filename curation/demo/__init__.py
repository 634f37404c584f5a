"""The synthetic demo library behind `manage.py seed_demo`."""
