"""The admin's "Waiting for me" page: across every workflow model, what each group may act on
now (never their own change), oldest first, at a fixed cost however much waits."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.pending import revision_of
from core.publishing import Status
from core.workflow import item_edited, item_transition, version_digest
from tests.support.campaign_factories import make_campaign
from tests.support.factories import make_prayer_request, make_spokesperson, make_story
from tests.support.html import content, element_text, links, select
from tests.support.queries import WAITING_QUERIES
from tests.support.workflow import client_for, member_of, publish_as_another_editor

pytestmark = pytest.mark.django_db

URL = "/admin/waiting/"


@pytest.fixture
def manager():
    return member_of("Campaign managers", "manager")


def rows(user):
    """Each row's cells, in order, as the user sees the page."""
    page = content(client_for(user).get(URL))
    return [
        [element_text(cell) for cell in row.select("th, td")]
        for row in select(page, "#waiting-list tr.waiting-item")
    ]


def titles(user):
    return [row[0] for row in rows(user)]


def submitted(item, by, *, days_ago=0):
    with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
        item_edited(item, by=by)
        item_transition(item, step="submit", by=by)
    return item


@pytest.fixture
def waiting(writer, manager):
    """One item of each kind waiting, as different people sent them, oldest first."""
    hidden = make_spokesperson(name="Brother Y", name_changed=True, status=Status.DRAFT)
    return {
        "sensitive": submitted(
            make_story(title="Sensitive story", status=Status.DRAFT, spokespeople=[hidden]),
            writer,
            days_ago=3,
        ),
        "story": submitted(
            make_story(title="Plain story", status=Status.DRAFT), writer, days_ago=2
        ),
        "prayer": submitted(
            make_prayer_request(title="Pray for Iran", status=Status.DRAFT), writer, days_ago=1
        ),
        "spokesperson": submitted(hidden, writer),
        "campaign": submitted(make_campaign(title="Stop returns", status=Status.DRAFT), manager),
    }


def test_another_editor_sees_the_plain_stories_and_prayers_oldest_first(waiting):
    editor = member_of("Editors", "second")

    assert rows(editor)[0][1:4] == ["Story", "Review", "writer"]
    assert titles(editor) == ["Plain story", "Pray for Iran"]


def test_a_safeguarding_reviewer_sees_what_needs_their_approval(waiting):
    reviewer = member_of("Safeguarding reviewers", "reviewer")

    assert titles(reviewer) == ["Sensitive story", "Brother Y"]
    assert {row[2] for row in rows(reviewer)} == {"Safeguarding approval"}


def test_another_campaign_manager_sees_the_campaign(waiting):
    assert titles(member_of("Campaign managers", "second-manager")) == ["Stop returns"]


def test_nobody_sees_their_own_change(waiting, writer, manager):
    assert titles(writer) == []
    assert titles(manager) == []
    page = content(client_for(writer).get(URL))
    assert "Nothing is waiting for you." in element_text(select(page, "#content-main")[0])


def test_an_item_sent_back_after_a_change_waits_for_a_reviewer(writer):
    reviewer = member_of("Safeguarding reviewers", "reviewer")
    story = submitted(
        make_story(
            title="Was approved",
            status=Status.DRAFT,
            spokespeople=[make_spokesperson(name_changed=True)],
        ),
        writer,
    )
    item_transition(story, step="approve", by=reviewer)
    story.title = "Changed after approval"
    story.save()
    item_edited(story, by=member_of("Editors", "second"))

    (row,) = rows(reviewer)
    assert row[:4] == ["Changed after approval", "Story", "Safeguarding approval", "second"]


def test_a_published_item_nobody_submitted_still_waits_once_a_change_sends_it_back(writer):
    story = publish_as_another_editor(make_story(title="Live story", status=Status.DRAFT))
    story.spokespeople.add(make_spokesperson(name_changed=True))
    item_edited(story, by=writer)  # now sensitive: back to safeguarding review

    (row,) = rows(member_of("Safeguarding reviewers", "reviewer"))
    assert row[:4] == ["Live story", "Story", "Safeguarding approval", "writer"]


def test_an_item_put_in_review_without_the_workflow_is_listed_without_a_sender():
    make_story(title="Seeded in review", status=Status.REVIEW)

    (row,) = rows(member_of("Editors", "second"))
    assert row[:4] == ["Seeded in review", "Story", "Review", "-"]


def test_each_row_links_to_the_items_change_form(waiting):
    editor = member_of("Editors", "second")
    page = content(client_for(editor).get(URL))
    story_url = reverse("admin:stories_story_change", args=[waiting["story"].pk])

    assert story_url in links(page)
    assert client_for(editor).get(story_url).status_code == 200


def test_the_admin_home_and_each_workflow_list_link_to_it(writer):
    client = client_for(writer)
    home = content(client.get(reverse("admin:index")))
    story_list = content(client.get(reverse("admin:stories_story_changelist")))

    assert URL in links(home)
    assert URL in links(story_list)


def test_the_page_costs_a_query_per_model_however_much_waits(
    waiting, writer, manager, django_assert_num_queries
):
    reviewer = member_of("Safeguarding reviewers", "reviewer")
    client = client_for(reviewer)
    client.get(URL)  # content types are read once per process
    for _ in range(5):
        submitted(make_story(status=Status.DRAFT, sensitive=True), writer)
        submitted(make_campaign(status=Status.DRAFT, sensitive=True), manager)

    with django_assert_num_queries(WAITING_QUERIES):
        response = client.get(URL)

    assert len(select(content(response), "tr.waiting-item")) == 12


def test_a_published_story_with_a_waiting_change_says_its_live_version_stays_up(writer):
    story = make_story(title="Live story", status=Status.PUBLISHED, sensitive=True)
    story.approved_version = version_digest(story)  # as if a reviewer approved this version
    story.save()
    live = revision_of(story, by=writer, comment="Live.")
    story.title = "Changed story"
    story.save()
    item_edited(story, by=writer, live=live)

    [row] = rows(member_of("Safeguarding reviewers", "second-reviewer"))
    assert row[0] == "Live story"  # the rows keep the live version
    assert "Safeguarding approval of a change (the live version stays up)" in row
    assert rows(writer) == []
