"""The checks before publishing: each passes and fails, warnings never block, the guard does,
and the panel on the change form says each result in words, at a bounded cost."""

import pytest
from django.urls import reverse

from core.checklist import Level, checklist, reading_ease
from core.publishing import Status
from core.workflow import TransitionRefused, item_transition
from safeguarding.guard import withheld_names_record
from stories.checks import DESCRIPTION_MAX, DESCRIPTION_MIN, READING_EASE_TARGET
from tests.support.campaign_factories import make_campaign
from tests.support.factories import (
    make_prayer_request,
    make_spokesperson,
    make_story,
    make_upload,
)
from tests.support.html import content, element_text, select
from tests.support.queries import CHECKLIST_STORY_QUERIES
from tests.support.workflow import client_for, member_of

pytestmark = pytest.mark.django_db

PLAIN = "Church members met again this week. They sang and prayed in a new home."
HARD = (
    "Notwithstanding considerable administrative complications, congregational representatives "
    "systematically institutionalised organisational responsibilities."
)


def outcome(item, label_start):
    """The one outcome whose label starts with label_start."""
    (found,) = [each for each in checklist(item) if each.label.startswith(label_start)]
    return found


def good_story(**overrides):
    return make_story(**{"status": Status.DRAFT, "standfirst": PLAIN, **overrides})


# Each check passes and fails


def test_a_plain_story_passes_every_check():
    story = good_story()

    assert [(each.label, each.verdict) for each in checklist(story) if not each.passed] == []


def test_a_picture_without_a_description_warns_unless_it_is_decorative():
    story = good_story(hero_image=make_upload())
    assert outcome(story, "Every picture").message.startswith("Describe the picture at the top")

    story.hero_decorative = True
    assert outcome(story, "Every picture").passed
    story.hero_decorative, story.hero_alt = False, "Ten people singing in a kitchen."
    assert outcome(story, "Every picture").passed


def test_a_spokespersons_photo_without_a_description_warns():
    person = make_spokesperson(photo=make_upload())

    assert outcome(person, "Every picture").verdict == "Warning"
    person.photo_alt = "A man in a blue shirt, smiling."
    assert outcome(person, "Every picture").passed


def test_a_title_for_search_over_60_characters_warns():
    story = good_story(title="A" * 61)
    assert "61 characters: shorten it to 60" in outcome(story, "Title for search").message

    story.seo_title = "A" * 60  # the title for search wins over the headline
    assert outcome(story, "Title for search").passed


@pytest.mark.parametrize(
    ("length", "passes"),
    [(DESCRIPTION_MIN - 1, False), (DESCRIPTION_MIN, True), (DESCRIPTION_MAX, True)],
)
def test_the_description_for_search_and_sharing_is_50_to_160_characters(length, passes):
    story = good_story(seo_description="x" * length)

    assert outcome(story, "Description for search").passed is passes


def test_without_a_description_for_search_the_standfirst_is_measured():
    story = good_story(standfirst="Short.")

    assert "is 6 characters: write at least 50" in outcome(story, "Description").message


def test_a_hard_standfirst_warns_with_its_reading_ease_and_the_target():
    story = good_story(standfirst=HARD)

    message = outcome(story, "The standfirst").message
    assert f"aim for {READING_EASE_TARGET} or more" in message
    assert reading_ease(PLAIN) >= READING_EASE_TARGET > reading_ease(HARD)


def test_reading_ease_matches_the_textbook_figures():
    # "The cat sat on the mat.": 6 words, 1 sentence, 6 syllables.
    assert reading_ease("The cat sat on the mat.") == pytest.approx(116.145, abs=0.01)
    assert reading_ease("") is None


def test_a_pseudonym_in_the_text_without_the_note_on_the_page_warns():
    make_spokesperson(name="Brother Y", name_changed=True)
    story = good_story(body="<p>We met Brother Y in March.</p>")

    message = outcome(story, "The name-changed note").message
    assert message.startswith("“Brother Y”: a changed name, but this page would not say so")


def test_the_pseudonym_check_passes_when_the_page_carries_the_note():
    hidden = make_spokesperson(name="Brother Y", name_changed=True)
    in_card = good_story(body="<p>We met Brother Y.</p>", spokespeople=[hidden])
    in_quote = good_story(body="<p>We met Brother Y.</p>", pull_quotes=[("We pray.", hidden)])
    in_words = good_story(body="<p>We met Brother Y (name changed).</p>")

    assert all(outcome(story, "The name-changed note").passed for story in (in_card, in_quote))
    assert outcome(in_words, "The name-changed note").passed


def test_a_card_for_an_unpublished_pseudonym_does_not_carry_the_note():
    draft_person = make_spokesperson(name="Sister Z", name_changed=True, status=Status.DRAFT)
    story = good_story(body="<p>Sister Z spoke.</p>", spokespeople=[draft_person])

    assert not outcome(story, "The name-changed note").passed


def test_a_prayer_request_and_a_campaign_have_their_checks():
    make_spokesperson(name="Brother Y", name_changed=True)
    prayer = make_prayer_request(introduction="Pray for Brother Y.", status=Status.DRAFT)
    campaign = make_campaign(summary=HARD, status=Status.DRAFT)

    assert not outcome(prayer, "The name-changed note").passed
    assert not outcome(prayer, "Description").passed  # 19 characters
    assert not outcome(campaign, "The summary").passed
    assert outcome(campaign, "Title for search").passed


# Warnings never block; the guard does


def test_warnings_do_not_stop_publishing():
    story = good_story(title="A" * 70, standfirst=HARD)
    assert {each.level for each in checklist(story) if not each.passed} == {Level.WARN}

    item_transition(story, step="publish", by=member_of("Editors", "publisher"))

    assert story.status == Status.PUBLISHED


def test_a_withheld_name_blocks_and_the_workflow_refuses_to_publish_it():
    story = good_story(title="Pastor Kim speaks")
    withheld_names_record(owner=make_spokesperson(status=Status.DRAFT), text="Kim")

    blocking = checklist(story)[0]  # blocking checks come first
    assert (blocking.verdict, blocking.level) == ("Blocks publishing", Level.BLOCK)
    assert "is in: title" in blocking.message
    with pytest.raises(TransitionRefused):
        item_transition(story, step="publish", by=member_of("Editors", "publisher"))


# The panel


def test_the_change_form_shows_the_checklist_in_words():
    story = good_story(title="A" * 61)
    client = client_for(member_of("Editors", "writer"))

    page = content(client.get(reverse("admin:stories_story_change", args=[story.pk])))

    assert element_text(select(page, "#checklist h2")[0]) == "Checks before publishing"
    rows = {
        element_text(row.select_one("th")): element_text(row.select_one("td"))
        for row in select(page, "#checklist tbody tr")
    }
    assert rows["Title for search is at most 60 characters"] == "✗ Warning"
    assert rows["No name withheld to protect someone"] == "✓ Passed"


def test_the_campaign_change_form_shows_the_checklist_too():
    campaign = make_campaign(status=Status.DRAFT)
    client = client_for(member_of("Campaign managers", "manager"))

    page = content(client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk])))

    assert select(page, "#checklist tbody tr")


def test_the_checklist_costs_the_same_few_queries_however_much_the_story_shows(
    django_assert_num_queries,
):
    withheld_names_record(owner=make_spokesperson(status=Status.DRAFT), text="Kim")
    people = [make_spokesperson(name_changed=True) for _ in range(4)]
    quotes = [(f"Quote {number}.", person) for number, person in enumerate(people)]
    small, large = good_story(), good_story(spokespeople=people, pull_quotes=quotes)

    for story in (small, large):
        with django_assert_num_queries(CHECKLIST_STORY_QUERIES):
            checklist(story)
