"""Reviewers hear when something waits for them, editors when changes are requested: the right
people only, once each, never the person who acted, with a link that opens the item."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from core.admin_urls import admin_url
from core.publishing import Status
from core.workflow import item_edited, item_transition
from tests.support.campaign_factories import make_campaign
from tests.support.factories import make_spokesperson, make_story
from tests.support.workflow import change_form, client_for, member_of

pytestmark = pytest.mark.django_db


def with_email(user):
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def writer():
    return with_email(member_of("Editors", "writer"))


@pytest.fixture
def editor():
    return with_email(member_of("Editors", "editor"))


@pytest.fixture
def reviewer():
    return with_email(member_of("Safeguarding reviewers", "reviewer"))


@pytest.fixture
def manager():
    return with_email(member_of("Campaign managers", "manager"))


def change_url(item):
    return admin_url(item, "change", item.pk)


def press(user, item, step, **data):
    """Press a workflow button on the item's change form as user."""
    url = reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_workflow", args=[item.pk])
    client_for(user).post(url, {"workflow_step": step, **data})


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_submitting_mails_each_other_editor_once_with_who_why_and_a_working_link(
    writer, editor, reviewer, django_capture_on_commit_callbacks
):
    story = make_story(status=Status.DRAFT, title="Church reopens")
    with django_capture_on_commit_callbacks(execute=True):
        press(writer, story, "submit", workflow_comment="Ready for Friday.")

    assert recipients() == ["editor@example.org"]  # not the writer, not a reviewer
    (message,) = mail.outbox
    assert message.subject == "Waiting for you (In review): story “Church reopens”"
    assert "writer submitted it for review" in message.body
    assert "Their comment: Ready for Friday." in message.body
    link = settings.SITE_URL.rstrip("/") + change_url(story)
    assert link in message.body
    assert client_for(editor).get(urlsplit(link).path).status_code == 200


def test_nobody_without_an_email_inactive_or_outside_the_reviewers_is_mailed(
    writer, editor, manager, django_capture_on_commit_callbacks
):
    member_of("Editors", "no-address")
    gone = with_email(member_of("Editors", "gone"))
    gone.is_active = False
    gone.save()
    story = make_story(status=Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        press(writer, story, "submit")

    assert recipients() == ["editor@example.org"]


def test_the_mail_waits_for_the_commit(writer, editor, django_capture_on_commit_callbacks):
    story = make_story(status=Status.DRAFT)
    with django_capture_on_commit_callbacks() as callbacks:
        press(writer, story, "submit")

    assert (mail.outbox, len(callbacks)) == ([], 1)


def test_a_sensitive_submission_goes_to_safeguarding_reviewers_only(
    writer, editor, reviewer, django_capture_on_commit_callbacks
):
    story = make_story(status=Status.DRAFT, spokespeople=[make_spokesperson(name_changed=True)])
    item_edited(story, by=writer)

    with django_capture_on_commit_callbacks(execute=True):
        press(writer, story, "submit")

    assert recipients() == ["reviewer@example.org"]
    assert "(Safeguarding review)" in mail.outbox[0].subject


def test_requesting_changes_mails_the_editor_who_submitted_it(
    writer, editor, django_capture_on_commit_callbacks
):
    story = make_story(status=Status.DRAFT, title="Dates")
    item_transition(story, step="submit", by=writer)

    with django_capture_on_commit_callbacks(execute=True):
        press(editor, story, "request_changes", workflow_comment="Check the date.")

    assert recipients() == ["writer@example.org"]
    assert "What to change: Check the date." in mail.outbox[0].body


def test_withdrawing_ones_own_submission_mails_nobody_about_changes(
    writer, django_capture_on_commit_callbacks
):
    story = make_story(status=Status.DRAFT)
    item_transition(story, step="submit", by=writer)

    with django_capture_on_commit_callbacks(execute=True):
        press(writer, story, "request_changes", workflow_comment="Withdrawn.")

    assert mail.outbox == []


def test_a_change_after_approval_waits_and_mails_the_reviewers_not_the_editor(
    writer, reviewer, django_capture_on_commit_callbacks
):
    story = make_story(status=Status.DRAFT, spokespeople=[make_spokesperson(name_changed=True)])
    item_edited(story, by=writer)
    item_transition(story, step="submit", by=writer)
    item_transition(story, step="approve", by=reviewer)
    client = client_for(writer)
    fields = change_form(client, story)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(story), {**fields, "title": "A new headline"})

    # The live version stays up (issue 14); the change waits for a safeguarding reviewer.
    assert recipients() == ["reviewer@example.org"]
    assert "Waiting for you (Safeguarding review)" in mail.outbox[0].subject
    assert "writer changed it: the live version stays up" in mail.outbox[0].body


def test_the_list_action_mails_too(writer, editor, django_capture_on_commit_callbacks):
    stories = [make_story(status=Status.DRAFT) for _ in range(2)]
    data = {"action": "submit_for_review", "_selected_action": [story.pk for story in stories]}

    with django_capture_on_commit_callbacks(execute=True):
        client_for(writer).post(reverse("admin:stories_story_changelist"), data)

    assert recipients() == ["editor@example.org", "editor@example.org"]  # one per story


def test_a_campaign_goes_to_the_campaign_managers(
    manager, editor, django_capture_on_commit_callbacks
):
    other_manager = with_email(member_of("Campaign managers", "second-manager"))
    campaign = make_campaign(status=Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        press(manager, campaign, "submit")

    assert recipients() == [other_manager.email]


def test_someone_granted_the_permission_twice_is_mailed_once(
    writer, editor, django_capture_on_commit_callbacks
):
    editor.user_permissions.add(Permission.objects.get(codename="publish_story"))
    story = make_story(status=Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        press(writer, story, "submit")

    assert recipients() == ["editor@example.org"]
