"""Role groups and the demo users of `load_sample_data`."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .roles import Role

DEMO_USERS = {
    "analyst": Role.ANALYST,
    "reviewer": Role.REVIEWER,
    "publisher": Role.PUBLISHER,
    "admin": Role.ADMIN,
}


def ensure_role_groups() -> dict[Role, Group]:
    return {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}


def ensure_demo_users() -> str | None:
    """Create the four demo users; returns their password, or None when DEBUG is off.

    Outside DEBUG the demo accounts exist (the sample data is attributed to them) but get
    unusable passwords, so a production database never has a known login.
    """
    groups = ensure_role_groups()
    password = settings.DEMO_PASSWORD if settings.DEBUG else None
    User = get_user_model()
    for username, role in DEMO_USERS.items():
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.first_name = role.value
        user.is_staff = role is Role.ADMIN
        user.is_superuser = role is Role.ADMIN
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        user.groups.set([groups[role]])
    return password
