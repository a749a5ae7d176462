"""Staff of each group, as the workflow's tests and journeys need them."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from core.workflow import item_transition


def member_of(group_name, username):
    """A staff member of the group (as migrated), with a password for browser journeys."""
    user = get_user_model().objects.create_user(username, password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


_publishers = itertools.count(1)


def publish_as_another_editor(item):
    """Publish item through the workflow as an Editor who did not write it (four eyes)."""
    publisher = member_of("Editors", f"publisher-{next(_publishers)}")
    item_transition(item, step="publish", by=publisher)
    return item
