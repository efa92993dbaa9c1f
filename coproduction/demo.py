"""Demo co-design teams for `manage.py seed_demo`. Never run in production."""


def seed_coproduction() -> None:
    """Demo teams, sessions, engagements, training and check-ins (grows with Co-production)."""
