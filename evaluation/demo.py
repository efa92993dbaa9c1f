"""Demo measures, forms and responses for `manage.py seed_demo`. Never run in production."""


def seed_evaluation() -> None:
    """Demo forms, distribution points and responses (grows with Feedback forms)."""
