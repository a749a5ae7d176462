"""The workflow in the admin: read-only status, buttons per user, actions, trail, filters."""

import pytest
from django.urls import reverse

from core.admin_urls import admin_url
from core.models import Transition
from core.publishing import Status
from core.workflow import item_edited, item_transition
from stories.models import Story
from tests.support.factories import make_spokesperson, make_story
from tests.support.html import content, form_fields, select, text
from tests.support.workflow import change_form, client_for, member_of

pytestmark = pytest.mark.django_db


def change_url(item):
    return admin_url(item, "change", item.pk)


def workflow_url(item):
    return admin_url(item, "workflow", item.pk)


def buttons(client, item):
    page = content(client.get(change_url(item)))
    return [button.get_text() for button in select(page, "button[name=workflow_step]")]


def press(client, item, step, **data):
    response = client.post(workflow_url(item), {"workflow_step": step, **data}, follow=True)
    item.refresh_from_db()
    return text(content(response))


def test_the_status_cannot_be_set_by_hand_on_the_form(writer):
    story = make_story(status=Status.DRAFT)
    client = client_for(writer)
    fields = form_fields(content(client.get(change_url(story))), "story_form")

    assert "status" not in fields
    client.post(change_url(story), {**fields, "status": Status.PUBLISHED})

    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_an_editor_sees_only_the_buttons_they_may_press(writer):
    story = make_story(status=Status.DRAFT)
    client = client_for(writer)

    assert buttons(client, story) == ["Submit for review", "Publish"]
    press(client, story, "submit")

    assert story.status == Status.REVIEW
    assert buttons(client, story) == ["Request changes"]  # to withdraw it; publish: four eyes


def test_another_editor_publishes_it_with_a_button_at_a_time(writer):
    story = make_story(status=Status.DRAFT)
    item_transition(story, step="submit", by=writer)
    client = client_for(member_of("Editors", "second"))

    assert buttons(client, story) == ["Request changes", "Publish"]
    page = press(client, story, "publish", workflow_at="2031-05-01T09:30")

    assert "Publish: now Published." in page
    assert (story.status, story.published_at.year, story.is_published) == (
        Status.PUBLISHED,
        2031,
        False,
    )


def test_request_changes_without_a_comment_is_refused_with_a_reason(writer):
    story = make_story(status=Status.DRAFT)
    item_transition(story, step="submit", by=writer)
    client = client_for(member_of("Editors", "second"))

    page = press(client, story, "request_changes")
    assert "the comment is required" in page
    assert story.status == Status.REVIEW

    press(client, story, "request_changes", workflow_comment="Check the date.")
    assert story.status == Status.DRAFT


def test_a_sensitive_story_shows_the_editor_no_publish_button_and_the_reviewer_approve(
    writer, reviewer
):
    hidden = make_spokesperson(name_changed=True)
    story = make_story(status=Status.DRAFT, spokespeople=[hidden])
    item_edited(story, by=writer)
    editor = client_for(writer)

    assert buttons(editor, story) == ["Submit for review"]
    press(editor, story, "submit")
    assert story.status == Status.SAFEGUARDING
    second_editor = client_for(member_of("Editors", "second"))
    assert buttons(second_editor, story) == []
    assert "not possible from Safeguarding review" in press(second_editor, story, "publish")

    reviewing = client_for(reviewer)
    assert buttons(reviewing, story) == ["Request changes", "Approve and publish"]
    press(reviewing, story, "approve")
    assert story.is_published


def test_saving_a_change_to_an_approved_sensitive_story_keeps_the_live_version(writer, reviewer):
    story = make_story(status=Status.DRAFT, spokespeople=[make_spokesperson(name_changed=True)])
    item_edited(story, by=writer)
    item_transition(story, step="submit", by=writer)
    item_transition(story, step="approve", by=reviewer)
    client = client_for(writer)
    fields = change_form(client, story)

    response = client.post(change_url(story), {**fields, "title": "A new headline"}, follow=True)

    story.refresh_from_db()
    assert (story.status, story.pending_revision is not None) == (Status.PUBLISHED, True)
    assert story.title != "A new headline"  # the change waits; the site shows the live title
    assert "waiting for safeguarding approval" in text(content(response))


def test_the_trail_is_shown_on_the_item(writer):
    story = make_story(status=Status.DRAFT)
    item_transition(story, step="submit", by=writer)
    item_transition(
        story, step="request_changes", by=member_of("Editors", "second"), comment="Dates?"
    )

    rows = [
        row.get_text(" | ", strip=True)
        for row in select(
            content(client_for(writer).get(change_url(story))), ".workflow-trail tbody tr"
        )
    ]

    assert [row.split(" | ", 1)[1] for row in rows] == [
        "second | Request changes | In review | Draft | Dates?",
        "writer | Submit for review | Draft | In review",
    ]


def test_the_list_actions_take_the_steps_and_say_what_they_refused(writer):
    mine, theirs = make_story(status=Status.DRAFT), make_story(status=Status.DRAFT)
    item_edited(mine, by=writer)
    client = client_for(writer)
    changelist = reverse("admin:stories_story_changelist")

    response = client.post(
        changelist,
        {"action": "publish_now", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )

    page = text(content(response))
    assert "1 published." in page
    assert "1 not published: Four eyes" in page
    assert Story.objects.get(pk=theirs.pk).status == Status.PUBLISHED
    assert Story.objects.get(pk=mine.pk).status == Status.DRAFT


def test_waiting_for_me_lists_what_this_user_may_act_on(writer, reviewer):
    plain = make_story(status=Status.DRAFT, title="Plain story")
    hidden = make_story(status=Status.DRAFT, title="Hidden story", sensitive=True)
    for story in (plain, hidden):
        item_transition(story, step="submit", by=writer)
    changelist = reverse("admin:stories_story_changelist") + "?waiting=me"

    def listed(user):
        page = content(client_for(user).get(changelist))
        return {link.get_text() for link in select(page, "#result_list tbody th a")}

    assert listed(member_of("Editors", "second")) == {"Plain story"}
    assert listed(reviewer) == {"Hidden story"}
    assert listed(writer) == set()


def test_the_transition_list_filters_by_model_user_and_status(writer):
    story = make_story(status=Status.DRAFT)
    item_transition(story, step="submit", by=writer)
    url = reverse("admin:core_transition_changelist")
    client = client_for(member_of("Safeguarding reviewers", "reader"))

    assert (
        client.get(url, {"to_status": Status.REVIEW, "by__id__exact": writer.pk}).status_code == 200
    )
    page = text(content(client.get(url, {"to_status__exact": Status.REVIEW})))
    assert "Submit for review" in page
    assert Transition.objects.count() == 1
    assert "Submit for review" not in text(
        content(client.get(url, {"to_status__exact": Status.PUBLISHED}))
    )
