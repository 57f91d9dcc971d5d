"""What the demo data of every subject shares: the one demo password and staff logins."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group

DEMO_PASSWORD = "lesefrei-demo"


def demo_staff_login(
    username: str, name: str, groups: Iterable[str] = (), *, superuser: bool = False
) -> AbstractBaseUser:
    """A CMS login for the demo ("Vorname Nachname"), in the named groups that exist.
    Safe to call again: an existing login keeps its password."""
    first, last = name.split(" ", 1)
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@lesefrei.invalid",
            "is_staff": True,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(*Group.objects.filter(name__in=list(groups)))
    return user
