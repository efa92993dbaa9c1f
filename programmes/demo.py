"""Demo organisations and users for `manage.py seed_demo`. Never run in production."""

from django.contrib.auth import get_user_model

from .models import Membership, Organisation, ProgrammeAdmin, Region

DEMO_USERS = [
    # email, full name, organisation ODS code, role
    ("lead@demo.test", "Priya Shah", "R9X", Membership.Role.LEAD),
    ("staff@demo.test", "Tom Okafor", "R9X", Membership.Role.STAFF),
    ("executive@demo.test", "Dr Helen Marsh", "R9X", Membership.Role.EXECUTIVE),
    ("orgadmin@demo.test", "Gareth Lewis", "R9X", Membership.Role.ORG_ADMIN),
    ("lead2@demo.test", "Aisha Rahman", "R9Y", Membership.Role.LEAD),
]
PROGRAMME_ADMIN_EMAIL = "programme@demo.test"


def seed_organisations(*, password: str) -> list[str]:
    """Creates the demo regions, organisations and users. Returns the demo emails."""
    london, _ = Region.objects.get_or_create(code="Y56", defaults={"name": "London"})
    north, _ = Region.objects.get_or_create(
        code="Y63", defaults={"name": "North East and Yorkshire"}
    )
    Organisation.objects.get_or_create(
        ods_code="R9X",
        defaults={
            "name": "Riverside University Hospitals NHS Foundation Trust",
            "type": Organisation.Type.ACUTE,
            "region": london,
        },
    )
    Organisation.objects.get_or_create(
        ods_code="R9Y",
        defaults={
            "name": "Northfield Community and Mental Health NHS Trust",
            "type": Organisation.Type.MENTAL_HEALTH,
            "region": north,
        },
    )
    emails = []
    for email, full_name, ods_code, role in DEMO_USERS:
        user = _demo_user(email, full_name, password)
        Membership.objects.update_or_create(
            user=user, organisation=Organisation.objects.get(ods_code=ods_code),
            defaults={"role": role},
        )
        emails.append(email)
    admin = _demo_user(PROGRAMME_ADMIN_EMAIL, "Sam Whitfield", password)
    ProgrammeAdmin.objects.get_or_create(user=admin)
    emails.append(PROGRAMME_ADMIN_EMAIL)
    return emails


def _demo_user(email: str, full_name: str, password: str):
    user, _ = get_user_model().objects.get_or_create(email=email, defaults={"full_name": full_name})
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def seed_always_events() -> None:
    """Demo Always Events for both organisations (grows with the Programmes work)."""
