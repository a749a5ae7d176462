"""The publishing workflow: each transition allowed or refused, four eyes, sensitive items."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Transition
from core.publishing import Status
from core.workflow import TransitionRefused, allowed_steps, item_edited, item_transition
from tests.support.campaign_factories import make_campaign
from tests.support.factories import make_prayer_request, make_spokesperson, make_story
from tests.support.workflow import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return member_of("Editors", "second-editor")


@pytest.fixture
def manager():
    return member_of("Campaign managers", "manager")


def draft(**overrides):
    return make_story(status=Status.DRAFT, **overrides)


def sensitive_draft(writer):
    """A story quoting a spokesperson whose name was changed, as its writer saved it."""
    hidden = make_spokesperson(name="Pastor K", name_changed=True)
    story = draft(pull_quotes=[("We still meet.", hidden)])
    item_edited(story, by=writer)
    return story


def refused(item, step, by, **kwargs):
    with pytest.raises(TransitionRefused) as refusal:
        item_transition(item, step=step, by=by, **kwargs)
    item.refresh_from_db()
    return str(refusal.value)


# Each transition, from where it may be taken


def test_an_editor_submits_a_draft_for_review(writer):
    story = draft()

    item_transition(story, step="submit", by=writer)

    story.refresh_from_db()
    assert story.status == Status.REVIEW


def test_another_editor_publishes_a_story_in_review_now(writer, editor):
    story = draft(published_at=timezone.now() + timedelta(days=3))
    item_transition(story, step="submit", by=writer)

    item_transition(story, step="publish", by=editor)

    story.refresh_from_db()
    assert story.is_published


def test_a_story_can_be_published_at_a_later_time(writer, editor):
    story = draft()
    item_transition(story, step="submit", by=writer)
    later = timezone.now() + timedelta(days=2)

    item_transition(story, step="publish", by=editor, at=later)

    story.refresh_from_db()
    assert (story.status, story.published_at, story.is_published) == (
        Status.PUBLISHED,
        later,
        False,
    )


def test_changes_are_requested_with_a_comment_and_the_story_goes_back_to_draft(writer, editor):
    story = draft()
    item_transition(story, step="submit", by=writer)

    assert "comment is required" in refused(story, "request_changes", editor)
    item_transition(story, step="request_changes", by=editor, comment="Check the dates.")

    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_a_publisher_unpublishes_a_story_back_to_draft(editor):
    story = make_story()

    item_transition(story, step="unpublish", by=editor)

    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_taking_down_sends_a_story_to_safeguarding_review_as_sensitive(editor, reviewer):
    story = make_story()

    item_transition(story, step="take_down", by=editor, comment="Someone recognised the church.")

    story.refresh_from_db()
    assert (story.status, story.sensitive, story.is_published) == (
        Status.SAFEGUARDING,
        True,
        False,
    )
    assert "publish" not in {step.name for step in allowed_steps(editor, story)}
    assert "approve" in {step.name for step in allowed_steps(reviewer, story)}


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (Status.PUBLISHED, "submit"),
        (Status.DRAFT, "request_changes"),
        (Status.DRAFT, "unpublish"),
        (Status.DRAFT, "take_down"),
        (Status.REVIEW, "take_down"),
        (Status.PUBLISHED, "publish"),
    ],
)
def test_a_step_is_refused_from_a_status_it_does_not_start_from(editor, status, step):
    story = make_story(status=status)

    assert "is not possible from" in refused(story, step, editor, comment="why")
    assert story.status == status


# Permissions


@pytest.mark.parametrize("step", ["submit", "publish", "unpublish", "take_down"])
def test_a_campaign_manager_takes_no_step_on_a_story(manager, step):
    story = make_story(status=Status.REVIEW if step in ("submit", "publish") else Status.PUBLISHED)
    if step == "submit":
        story = draft()

    assert "You may not" in refused(story, step, manager)


def test_a_safeguarding_reviewer_does_not_publish_what_is_not_sensitive(writer, reviewer):
    story = draft()
    item_transition(story, step="submit", by=writer)

    assert "You may not" in refused(story, "publish", reviewer)
    assert "Only a sensitive item" in refused(story, "approve", reviewer)


def test_a_campaign_manager_publishes_a_campaign_an_editor_may_not(campaign, manager, editor):
    campaign.status = Status.DRAFT
    campaign.save()

    assert "You may not" in refused(campaign, "publish", editor)
    item_transition(campaign, step="publish", by=manager)

    campaign.refresh_from_db()
    assert campaign.status == Status.PUBLISHED


# Four eyes


def test_nobody_publishes_a_story_they_submitted(writer):
    story = draft()
    item_transition(story, step="submit", by=writer)

    assert "Four eyes" in refused(story, "publish", writer)
    assert story.status == Status.REVIEW


def test_nobody_publishes_a_story_they_last_edited(writer, editor):
    story = draft()
    item_transition(story, step="submit", by=writer)
    item_edited(story, by=editor)

    assert "Four eyes" in refused(story, "publish", editor)


def test_a_reviewer_who_edited_a_sensitive_story_cannot_approve_it(writer, reviewer):
    story = sensitive_draft(writer)
    item_transition(story, step="submit", by=writer)
    item_edited(story, by=reviewer)

    assert "Four eyes" in refused(story, "approve", reviewer)


# Sensitive items


def test_a_story_quoting_a_name_changed_spokesperson_is_marked_sensitive(writer):
    assert sensitive_draft(writer).sensitive


def test_a_story_showing_a_name_changed_spokesperson_card_is_marked_sensitive(writer):
    story = draft(spokespeople=[make_spokesperson(name_changed=True)])

    item_edited(story, by=writer)

    assert story.sensitive


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_spokesperson(name_changed=True, status=Status.DRAFT),
        lambda: make_campaign(spokesperson=make_spokesperson(name_changed=True)),
    ],
    ids=["spokesperson", "campaign"],
)
def test_other_items_showing_a_changed_name_are_marked_sensitive(writer, make):
    item = make()

    item_edited(item, by=writer)

    assert item.sensitive


def test_an_item_marked_by_hand_stays_sensitive(writer):
    prayer = make_prayer_request(status=Status.DRAFT, sensitive=True)

    item_edited(prayer, by=writer)

    assert prayer.sensitive


def test_a_sensitive_story_goes_to_safeguarding_review_and_an_editor_cannot_publish_it(
    writer, editor
):
    story = sensitive_draft(writer)

    item_transition(story, step="submit", by=writer)

    story.refresh_from_db()
    assert story.status == Status.SAFEGUARDING
    assert "is not possible from Safeguarding review" in refused(story, "publish", editor)
    assert "You may not" in refused(story, "approve", editor)
    assert not story.is_published


def test_an_editor_cannot_publish_a_sensitive_story_even_from_review(writer, editor):
    story = sensitive_draft(writer)
    type(story).objects.filter(pk=story.pk).update(status=Status.REVIEW)

    assert "You may not" in refused(story, "publish", editor)
    assert story.status == Status.REVIEW


def test_a_reviewer_approves_a_sensitive_story_and_it_is_published(writer, reviewer):
    story = sensitive_draft(writer)
    item_transition(story, step="submit", by=writer)

    item_transition(story, step="approve", by=reviewer, comment="Checked with the partner.")

    story.refresh_from_db()
    assert story.is_published
    assert story.approved_version


def test_a_change_to_public_text_after_approval_sends_it_back(writer, reviewer):
    story = sensitive_draft(writer)
    item_transition(story, step="submit", by=writer)
    item_transition(story, step="approve", by=reviewer)

    story.standfirst = "Pastor K's church meets in a new place."
    story.save()
    sent_back = item_edited(story, by=writer)

    story.refresh_from_db()
    assert (story.status, story.approved_version) == (Status.SAFEGUARDING, "")
    assert (sent_back.from_status, sent_back.to_status, sent_back.by) == (
        Status.PUBLISHED,
        Status.SAFEGUARDING,
        writer,
    )


def test_a_save_that_changes_no_public_text_keeps_the_approval(writer, reviewer):
    story = sensitive_draft(writer)
    item_transition(story, step="submit", by=writer)
    item_transition(story, step="approve", by=reviewer)

    assert item_edited(story, by=writer) is None

    story.refresh_from_db()
    assert story.is_published and story.approved_version


def test_an_approved_version_unpublished_unchanged_may_be_approved_again(writer, reviewer):
    story = sensitive_draft(writer)
    item_transition(story, step="submit", by=writer)
    item_transition(story, step="approve", by=reviewer)
    item_transition(story, step="unpublish", by=reviewer)
    item_transition(story, step="submit", by=writer)

    item_transition(story, step="approve", by=member_of("Safeguarding reviewers", "second"))

    story.refresh_from_db()
    assert story.is_published


# The trail


def test_every_step_is_recorded_with_who_when_from_to_and_comment(writer, reviewer):
    story = sensitive_draft(writer)
    item_transition(story, step="submit", by=writer)
    item_transition(story, step="request_changes", by=reviewer, comment="Remove the town.")

    trail = list(Transition.objects.for_item(story).order_by("at", "id"))

    assert [(t.name, t.from_status, t.to_status, t.by, t.comment) for t in trail] == [
        ("submit", Status.DRAFT, Status.SAFEGUARDING, writer, ""),
        ("request_changes", Status.SAFEGUARDING, Status.DRAFT, reviewer, "Remove the town."),
    ]
    assert all(t.at <= timezone.now() for t in trail)


def test_a_refused_step_changes_nothing_and_records_nothing(writer):
    story = draft()
    item_transition(story, step="submit", by=writer)

    refused(story, "publish", writer)

    assert Transition.objects.for_item(story).count() == 1
