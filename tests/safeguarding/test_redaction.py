"""Revision hygiene: once a withheld name is recorded, no stored version, revision comment,
workflow comment or admin log entry holds it, in any spelling the guard matches."""

import json

import pytest
import reversion
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from hypothesis import given
from reversion.models import Revision, Version

from core.models import Transition
from core.publishing import Status
from core.workflow import TransitionRefused, item_transition
from safeguarding import redaction
from safeguarding.guard import withheld_names_record
from safeguarding.matching import NameSpans, WithheldNames
from safeguarding.models import WithheldName
from safeguarding.redaction import MARKER, history_redact
from safeguarding.text import compact, token_spans, tokens
from stories.models import PullQuote
from tests.support.factories import make_spokesperson, make_story
from tests.support.html import content, form_fields
from tests.support.strategies import text_without_surrogates
from tests.support.workflow import member_of

NAME = "Gwak Min-cheol"  # made up, for these tests only
SPELLINGS = [
    "Gwak Min-cheol",
    "GWAK MINCHEOL",
    "G.w.a.k Min Cheol",
    "Gwak Min-che0l",
    "Ｇｗａｋ Ｍｉｎ-ｃｈｅｏｌ",
    "gwak-min-cheol",
    "Gwak Min-cheols",
]


@given(text_without_surrogates())
def test_token_spans_are_the_tokens_with_where_each_was_typed(text):
    spans = token_spans(text)

    assert [token for token, _, _ in spans] == tokens(text)
    # Each is found where it was typed (one character may give two tokens: ¼ reads i, a).
    assert all(token in tokens(text[start:end]) for token, start, end in spans)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_the_guard_matches_is_replaced_by_the_marker(spelling):
    names = NameSpans(frozenset({compact(NAME)}))

    redacted = names.redact(f"We met {spelling} on Sunday.", MARKER)

    assert redacted == f"We met {MARKER} on Sunday."


def test_a_name_split_by_markup_takes_the_whole_text_with_it():
    names = NameSpans(frozenset({compact(NAME)}))

    assert names.redact("<p>G<b>wak</b> Min-cheol spoke</p>", MARKER) == MARKER


def test_other_words_are_left_as_they_were():
    names = NameSpans(frozenset({compact(NAME)}))

    assert names.redact("Pastor Gwak's church in Min", MARKER) == "Pastor Gwak's church in Min"


# The whole history of a story


def holds_name(text: str) -> bool:
    """The guard's own check, on the text as stored and on every string in it as JSON."""
    names = WithheldNames.load()
    try:
        strings = list(_strings(json.loads(text)))
    except ValueError:
        strings = []
    return any(names.found_in(each) for each in [text, *strings])


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, list | dict):
        for item in data.values() if isinstance(data, dict) else data:
            yield from _strings(item)


def stored_texts():
    """Every text the history keeps: versions, revisions, the trail, the admin's log."""
    for version in Version.objects.all():
        yield from (version.serialized_data, version.object_repr)
    yield from Revision.objects.values_list("comment", flat=True)
    yield from Transition.objects.values_list("comment", flat=True)
    for entry in LogEntry.objects.all():
        yield from (entry.object_repr, entry.change_message)


def story_with_a_name_in_its_history(admin_client):
    """A story whose old versions, trail and log hold the name in several spellings; it is
    now a draft still titled with it."""
    story = make_story(
        title=f"{SPELLINGS[0]} speaks",
        body=f"<h2>News</h2><p>We met {SPELLINGS[2]} in 2019.</p>",
        hero_caption=f"{SPELLINGS[4]} at church",
        pull_quotes=[f"{SPELLINGS[3]} told us: pray"],
    )
    with reversion.create_revision():
        reversion.set_comment(f"Quote from {SPELLINGS[1]} added")
        story.save()
    story.body = "<p>We met a pastor in 2019.</p>"
    story.hero_caption = "At church"
    PullQuote.objects.filter(story=story).update(text="Pray for us")
    with reversion.create_revision():
        story.save()
    workflow = reverse("admin:stories_story_workflow", args=[story.pk])
    comment = f"Family of {SPELLINGS[5]} asked us to"
    admin_client.post(workflow, {"workflow_step": "unpublish", "workflow_comment": comment})
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    return story


def record_in_the_admin(admin_client, story, names):
    url = reverse("admin:stories_story_change", args=[story.pk])
    fields = form_fields(content(admin_client.get(url)), "story_form")
    return admin_client.post(url, fields | {"withheld_names": names})


@pytest.mark.django_db
def test_recording_a_name_cuts_it_out_of_every_version_comment_and_log_entry(admin_client):
    story = story_with_a_name_in_its_history(admin_client)
    # Before the name is recorded, the history holds it in several spellings.
    withheld_names_record(owner=make_spokesperson(), text="Someone Else")
    assert sum(NAME.split()[0] in text for text in stored_texts()) >= 4

    response = record_in_the_admin(admin_client, story, NAME)

    assert response.status_code == 302
    assert WithheldName.objects.count() == 2
    assert not [text for text in stored_texts() if holds_name(text)]
    assert any(MARKER in text for text in stored_texts())
    for version in Version.objects.all():
        assert version.field_dict  # still valid JSON, still loads


@pytest.mark.django_db
def test_reverting_still_works_after_redaction(admin_client):
    story = story_with_a_name_in_its_history(admin_client)
    record_in_the_admin(admin_client, story, NAME)
    oldest = Version.objects.get_for_object(story).last()
    url = reverse("admin:stories_story_revision", args=[story.pk, oldest.pk])

    response = admin_client.post(url, form_fields(content(admin_client.get(url)), "story_form"))

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.status) == (f"{MARKER} speaks", Status.DRAFT)
    assert story.pull_quotes.get().text == f"{MARKER} told us: pray"


@pytest.mark.django_db
def test_a_failure_part_way_rolls_back_the_names_and_every_redaction(admin_client, monkeypatch):
    story = story_with_a_name_in_its_history(admin_client)
    before = sorted(stored_texts())
    real = redaction.stored_redact

    def fails_at_the_trail(stored, *args, **kwargs):
        if stored.model is Transition:  # after the versions and revisions were rewritten
            raise RuntimeError("database went away")
        return real(stored, *args, **kwargs)

    monkeypatch.setattr(redaction, "stored_redact", fails_at_the_trail)

    with pytest.raises(RuntimeError):
        withheld_names_record(owner=story, text=NAME)

    assert not WithheldName.objects.exists()
    assert sorted(stored_texts()) == before


@pytest.mark.django_db
def test_only_rows_stored_since_a_time_are_rewritten_when_asked(admin_client):
    story = story_with_a_name_in_its_history(admin_client)
    first, last = Revision.objects.order_by("date_created")

    counts = history_redact(names=[NAME], since=last.date_created)

    # The last revision's story (its title) and the unpublish step, in the trail and the log.
    assert counts == {
        "reversion.Version": 1,
        "reversion.Revision": 0,
        "core.Transition": 1,
        "admin.LogEntry": 1,
    }
    first_story = first.version_set.get(object_id=story.pk, content_type__model="story")
    assert SPELLINGS[0] in first_story.serialized_data  # older: left alone


@pytest.mark.django_db
def test_text_reverted_with_the_marker_is_not_published_until_someone_rewrites_it():
    story = make_story(status=Status.DRAFT, standfirst=f"{MARKER} leads the church.")
    publisher = member_of("Editors", "marker-publisher")

    with pytest.raises(TransitionRefused, match="still show “.withheld.”"):
        item_transition(story, step="publish", by=publisher)
    story.standfirst = "Their pastor leads the church."
    story.save()
    item_transition(story, step="publish", by=publisher)
    assert story.status == Status.PUBLISHED
