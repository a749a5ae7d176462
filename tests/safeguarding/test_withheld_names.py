"""Withheld names: stored only as keyed hashes, and refused in every public field."""

import hashlib
import hmac
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given

from campaigns.models import LetterTemplate
from core.publishing import Publishable, Status
from core.workflow import item_transition
from safeguarding.guard import (
    PUBLIC,
    declared,
    withheld_fields,
    withheld_names_forget,
    withheld_names_record,
)
from safeguarding.matching import digest
from safeguarding.models import WithheldName
from safeguarding.text import compact, tokens
from stories.models import Country, PrayerRequest, Spokesperson, Story
from tests.support.campaign_factories import make_campaign, make_motion
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
    make_upload,
)
from tests.support.html import content, form_fields, text
from tests.support.processes import IMPORT_SETTINGS, run
from tests.support.strategies import text_without_surrogates
from tests.support.workflow import member_of

NAME = "Gwak Min-cheol"  # made up, for these tests only
NAME_PARTS = ("gwak", "cheol")  # the words of it that appear nowhere else
REFUSED = "contains a name or word withheld to protect someone"

pytestmark = pytest.mark.django_db


def withhold(name=NAME, owner=None):
    """Record the name on a spokesperson (or owner); it is then refused on every page."""
    owner = owner or make_spokesperson(status=Status.DRAFT)
    withheld_names_record(owner=owner, text=name)
    return owner


def shows_no_name(text):
    return not any(part in text.lower() for part in NAME_PARTS)


# Words and digests


@pytest.mark.parametrize(
    "spelling",
    [
        "Gwak Min-cheol",
        "gwak min cheol",
        "GWAK MIN CHEOL",
        "Gwák Mîn-chéol",
        "gwak_min.cheol",
        "gwak/min-cheol.png",
        "Ｇｗａｋ Ｍｉｎ-ｃｈｅｏｌ",  # full-width letters
        "Gwak  Min\u200b-\u200bcheol",  # invisible spaces
    ],
)
def test_every_spelling_of_a_name_has_the_same_canonical_form(spelling):
    assert compact(spelling).startswith(compact("gwak min cheol"))


def test_accents_and_hyphens_do_not_matter():
    assert tokens("Kim Ŝo-yeon") == tokens("kim so yeon") == tokens("KIM SO YEON")
    assert compact("Kim Ŝo-yeon") == compact("kimsoyeon")


@given(text_without_surrogates())
@example("a\uab76")  # a small Cherokee letter case-folds to its capital, which is no new word
def test_canonicalising_a_canonical_form_changes_nothing(text):
    canonical = compact(text)

    assert compact(canonical) == canonical
    assert tokens(" ".join(tokens(text))) == tokens(text)


def test_the_digest_is_an_hmac_of_the_canonical_form_under_the_withheld_names_key(settings):
    canonical = compact("Gwak Min-cheol").encode()
    expected = hmac.new(settings.WITHHELD_NAMES_KEY.encode(), b"v2\0" + canonical, hashlib.sha256)

    assert digest(compact("Gwak Min-cheol")) == expected.hexdigest()


def test_another_key_gives_another_digest(settings):
    before = digest("gwak")
    settings.WITHHELD_NAMES_KEY = "another-key"

    assert digest("gwak") != before


def test_without_a_key_no_name_can_be_hashed(settings):
    settings.WITHHELD_NAMES_KEY = ""

    with pytest.raises(ImproperlyConfigured):
        digest("gwak")


def test_the_key_differs_from_the_secret_key(settings):
    assert settings.WITHHELD_NAMES_KEY
    assert settings.WITHHELD_NAMES_KEY != settings.SECRET_KEY


def test_production_refuses_to_start_without_the_key(production_env):
    del production_env["WITHHELD_NAMES_KEY"]

    result = run(["-c", IMPORT_SETTINGS], "advocacy.settings.production", **production_env)

    assert result.returncode != 0
    assert "environment variable WITHHELD_NAMES_KEY; it is not set." in result.stderr


def test_production_refuses_the_secret_key_as_the_key(production_env):
    production_env["WITHHELD_NAMES_KEY"] = production_env["SECRET_KEY"]

    result = run(["-c", IMPORT_SETTINGS], "advocacy.settings.production", **production_env)

    assert result.returncode != 0
    assert "WITHHELD_NAMES_KEY must not be the same as SECRET_KEY." in result.stderr


def test_production_starts_with_its_own_key(production_env):
    result = run(["-c", IMPORT_SETTINGS], "advocacy.settings.production", **production_env)

    assert result.returncode == 0, result.stderr


# Storage: hashes only


def test_a_name_is_stored_as_a_digest_a_length_and_a_word_count_only():
    owner = withhold()

    row = WithheldName.objects.get()
    canonical = compact(NAME)
    assert (row.owner, row.words, row.length, row.digest) == (
        owner,
        3,
        len(canonical),
        digest(canonical),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {WithheldName._meta.db_table}")  # noqa: S608 - our table
        assert shows_no_name(repr(cursor.fetchall()))


def test_the_same_name_in_another_spelling_is_recorded_once():
    owner = withhold()

    assert withheld_names_record(owner=owner, text="GWAK min cheol\n\n  gwák-min-chéol ") == 0
    assert WithheldName.objects.count() == 1


def test_forgetting_deletes_the_names_of_that_owner_only():
    owner, other = withhold(), withhold()

    assert withheld_names_forget(owner=owner) == 1
    assert list(WithheldName.objects.values_list("object_id", flat=True)) == [other.pk]


# The guard: every public field of every published model


GUARDED = [
    *[(make_spokesperson, name) for name in declared(Spokesperson).fields],
    *[(make_story, name) for name in declared(Story).fields],
    *[(make_prayer_request, name) for name in declared(PrayerRequest).fields],
    *[(make_campaign, name) for name in PUBLIC["campaigns.campaign"].fields],
    *[(make_country, name) for name in declared(Country).fields],
]


def put_name(obj, field):
    """Put the name into the field as an editor might: in a sentence, an address, a file name."""
    model_field = obj._meta.get_field(field)
    if isinstance(model_field, models.FileField):
        setattr(obj, field, make_upload(name="gwak-min-cheol.png"))  # as yet unsaved
        setattr(obj, {"photo": "photo_alt", "hero_image": "hero_alt"}[field], "A portrait")
    elif isinstance(model_field, models.SlugField):
        setattr(obj, field, "gwak-min-cheol")
    elif field == "body":
        setattr(obj, field, f"<p>We met <strong>{NAME}</strong> in June.</p>")
    elif field == "embed_origins":  # a list of sites: only a site's address is valid there
        setattr(obj, field, "https://www.gwak-min-cheol.example.org")
    else:
        setattr(obj, field, f"We met {NAME} in June.")


def test_every_publishable_model_is_guarded_at_the_top_level():
    publishable = {
        model._meta.label_lower
        for model in apps.get_models()
        if issubclass(model, Publishable) and not model._meta.abstract
    }

    assert publishable <= {label for label, entry in PUBLIC.items() if not entry.shown_on}


@pytest.mark.parametrize(
    "make, field", GUARDED, ids=[f"{make.__name__[5:]}.{field}" for make, field in GUARDED]
)
def test_the_guard_names_the_field_and_never_the_name(make, field):
    withhold()
    obj = make()
    put_name(obj, field)

    with pytest.raises(ValidationError) as error:
        obj.full_clean()

    assert list(error.value.message_dict) == [field]
    [message] = error.value.message_dict[field]
    assert REFUSED in message
    assert shows_no_name(message)


@pytest.mark.parametrize(
    "caption",
    [
        f"{NAME} at home",
        "GWAK MIN CHEOL at home",
        "Gwák Mín-chéol at home",
        "At home: gwak_min_cheol",
        "<b>Gwak</b> Min-cheol",
        "Gwak&nbsp;Min-cheol",
    ],
)
def test_the_guard_sees_the_name_in_any_spelling(caption):
    withhold()
    story = make_story(hero_caption=caption)

    with pytest.raises(ValidationError, match="Image caption contains a name"):
        story.full_clean()


@pytest.mark.parametrize("caption", ["Min-cheol at home", "Gwakmin at home", "Gwak at home"])
def test_part_of_a_name_is_not_the_name(caption):
    # Editors record each form a person is known by (the given name too) on its own line.
    withhold()

    make_story(hero_caption=caption).full_clean()


def test_a_single_withheld_word_is_refused_inside_other_words():
    withhold("Hoeryong")
    story = make_story(standfirst="The Hoeryong-based church met again.")

    with pytest.raises(ValidationError, match="Standfirst contains"):
        story.full_clean()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.SAFEGUARDING])
def test_drafts_may_hold_a_withheld_name(status):
    withhold()
    story = make_story(status=status, hero_caption=f"{NAME} at home", slug="gwak-min-cheol")

    story.full_clean()
    story.save()


def test_a_scheduled_story_is_refused_like_a_published_one():
    withhold()
    story = make_story(published_at=timezone.now() + timedelta(days=1))
    story.hero_caption = f"{NAME} at home"

    with pytest.raises(ValidationError):
        story.full_clean()


def test_a_name_recorded_on_a_story_is_refused_on_every_page():
    withhold(owner=make_story(status=Status.DRAFT))
    person = make_spokesperson(biography=f"{NAME} is a friend.")

    with pytest.raises(ValidationError, match="Biography contains"):
        person.full_clean()


def test_with_no_names_recorded_nothing_is_hashed():
    story = make_story(hero_caption=NAME)

    assert withheld_fields(story) == []


# Rows shown with their parent

RELATED = {
    "pull quote": lambda: make_story(status=Status.DRAFT, pull_quotes=[f"{NAME} said so."]),
    "prayer point": lambda: make_prayer_request(
        status=Status.DRAFT, points=["Pray for safety.", f"Pray for {NAME}."]
    ),
    "letter template": lambda: _campaign_with_template_body(f"Remember {NAME}."),
    "parliamentary action title": lambda: (
        make_motion(make_campaign(status=Status.DRAFT), title=f"The case of {NAME}").campaign
    ),
    "parliamentary action link": lambda: (
        make_motion(
            make_campaign(status=Status.DRAFT), link="https://example.org/motions/gwak-min-cheol"
        ).campaign
    ),
}
RELATED_FIELDS = {
    "pull quote": "pull quote 1 (text)",
    "prayer point": "prayer point 2 (text)",
    "letter template": "letter template 1 (body)",
    "parliamentary action title": "parliamentary action 1 (title)",
    "parliamentary action link": "parliamentary action 1 (link)",
}


def _campaign_with_template_body(body):
    campaign = make_campaign(status=Status.DRAFT)
    LetterTemplate.objects.filter(campaign=campaign).update(body=body)
    return campaign


@pytest.mark.parametrize("row", RELATED)
def test_related_rows_are_named_with_their_position(row):
    withhold()

    assert withheld_fields(RELATED[row]()) == [RELATED_FIELDS[row]]


def _run_action(admin_client, action, *items):
    changelist = reverse(f"admin:{items[0]._meta.app_label}_{items[0]._meta.model_name}_changelist")
    return admin_client.post(
        changelist, {"action": action, "_selected_action": [item.pk for item in items]}, follow=True
    )


@pytest.mark.parametrize("row", RELATED)
def test_publish_now_refuses_an_item_whose_rows_hold_a_withheld_name(admin_client, row):
    withhold()
    item = RELATED[row]()

    page = text(content(_run_action(admin_client, "publish_now", item)))

    item.refresh_from_db()
    assert item.status == Status.DRAFT
    assert "1 not published: they contain a name or word withheld" in page
    assert f"'{item.slug}': {RELATED_FIELDS[row]}" in page
    assert shows_no_name(page)


def test_publish_now_publishes_the_clean_items_and_says_which_it_refused(admin_client):
    withhold()
    clean = make_story(status=Status.DRAFT)
    faulty = [
        make_story(status=Status.DRAFT, hero_caption=f"{NAME} at home"),
        make_story(status=Status.DRAFT, standfirst=f"{NAME} is free.", body=f"<p>{NAME}</p>"),
    ]

    page = text(content(_run_action(admin_client, "publish_now", clean, *faulty)))

    assert Story.objects.get(pk=clean.pk).status == Status.PUBLISHED
    assert set(Story.objects.filter(pk__in=[s.pk for s in faulty]).values_list("status")) == {
        (Status.DRAFT,)
    }
    assert "1 published." in page
    assert "2 not published" in page
    assert f"story '{faulty[0].slug}': hero_caption" in page
    assert f"story '{faulty[1].slug}': standfirst, body" in page
    assert shows_no_name(page)


# The admin forms


def change_form(admin_client, obj):
    """The change form's fields as a browser would post them, without the blank rows."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    fields = form_fields(content(admin_client.get(url)), f"{obj._meta.model_name}_form")
    return url, {name: value for name, value in fields.items() if "__prefix__" not in name}


def test_an_editor_who_types_a_name_into_a_published_caption_is_refused_and_told_where(
    admin_client,
):
    withhold()
    story = make_story()  # published: the status is the workflow's, not the form's
    url, data = change_form(admin_client, story)

    response = admin_client.post(url, {**data, "hero_caption": f"{NAME} at home"})

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["hero_caption"]
    assert f"Image caption {REFUSED}" in text(content(response))
    story.refresh_from_db()
    assert (story.status, story.hero_caption) == (Status.PUBLISHED, "")


def test_a_draft_with_a_name_in_its_caption_cannot_be_published_with_the_button(admin_client):
    withhold()
    story = make_story(status=Status.DRAFT, hero_caption=f"{NAME} at home")
    url = reverse("admin:stories_story_workflow", args=[story.pk])

    page = text(content(admin_client.post(url, {"workflow_step": "publish"}, follow=True)))

    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert "Not published: they contain a name or word withheld" in page
    assert shows_no_name(page)


def test_the_same_caption_saves_in_a_draft(admin_client):
    withhold()
    story = make_story(status=Status.DRAFT)
    url, data = change_form(admin_client, story)

    response = admin_client.post(url, {**data, "hero_caption": f"{NAME} at home"})

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.hero_caption == f"{NAME} at home"


@pytest.mark.parametrize(
    "make, inline_field",
    [
        (lambda: make_story(status=Status.DRAFT, pull_quotes=["Pray."]), "pull_quotes-0-text"),
        (lambda: make_story(status=Status.DRAFT, pull_quotes=["P."]), "pull_quotes-0-attribution"),
        (lambda: make_prayer_request(status=Status.DRAFT, points=["Pray."]), "points-0-text"),
    ],
    ids=["pull quote text", "pull quote attribution", "prayer point"],
)
def test_the_admin_refuses_a_withheld_name_in_an_inline_row(admin_client, make, inline_field):
    withhold()
    item = make()
    item_transition(item, step="publish", by=member_of("Editors", "publisher"))
    url, data = change_form(admin_client, item)
    data = {**data, inline_field: f"{NAME} said so."}

    refused = admin_client.post(url, data)
    item_transition(item, step="unpublish", by=member_of("Editors", "unpublisher"))
    as_draft = admin_client.post(url, data)

    assert refused.status_code == 200
    assert REFUSED in text(content(refused))
    assert as_draft.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_the_names_field_is_write_only(admin_client):
    person = make_spokesperson()
    url, data = change_form(admin_client, person)

    response = admin_client.post(url, {**data, "withheld_names": f"{NAME}\nHoeryong\n"})

    assert response.status_code == 302
    assert WithheldName.objects.for_owner(person).count() == 2
    page = content(admin_client.get(url))
    assert "2 withheld names recorded." in text(page)
    assert form_fields(page, "spokesperson_form")["withheld_names"] == ""
    assert shows_no_name(page)


def test_a_form_shown_again_with_errors_does_not_show_the_typed_names(admin_client):
    person = make_spokesperson()
    url, data = change_form(admin_client, person)

    response = admin_client.post(url, {**data, "name": "", "withheld_names": NAME})

    assert response.status_code == 200
    assert form_fields(content(response), "spokesperson_form")["withheld_names"] == ""
    assert shows_no_name(content(response))
    assert not WithheldName.objects.exists()


def test_no_table_keeps_a_name_typed_in_the_admin(admin_client):
    person = make_spokesperson()
    url, data = change_form(admin_client, person)
    admin_client.post(url, {**data, "withheld_names": NAME, "role": "Pastor"})

    dump = StringIO()
    call_command("dumpdata", stdout=dump)  # revisions, the admin log, sessions: everything

    assert WithheldName.objects.count() == 1
    assert shows_no_name(dump.getvalue())


def test_a_name_typed_now_is_checked_before_it_is_saved(admin_client):
    person = make_spokesperson()
    url, data = change_form(admin_client, person)

    response = admin_client.post(
        url, {**data, "withheld_names": NAME, "biography": f"{NAME} grew up in the north."}
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["biography"]
    assert not WithheldName.objects.exists()


def test_a_name_typed_now_and_in_a_pull_quote_keeps_the_story_off_the_site(admin_client):
    story = make_story(pull_quotes=["We pray."])  # published
    url, data = change_form(admin_client, story)
    data = {**data, "pull_quotes-0-text": f"{NAME} prays."}

    response = admin_client.post(url, {**data, "withheld_names": NAME}, follow=True)

    story.refresh_from_db()
    assert story.status == Status.SAFEGUARDING
    assert f"Saved for safeguarding review, not published: pull quote 1 (text) {REFUSED}" in text(
        content(response)
    )


def test_recording_a_name_takes_the_published_pages_that_show_it_off_the_site(admin_client):
    shown = make_story(standfirst=f"{NAME} is free.")
    country = make_country(summary=f"Where {NAME} was born.")
    clean = make_story()
    person = make_spokesperson()
    url, data = change_form(admin_client, person)

    response = admin_client.post(url, {**data, "withheld_names": NAME}, follow=True)

    page = text(content(response))
    assert "Taken off the site, back to safeguarding review" in page
    assert f"story '{shown.slug}': standfirst" in page
    assert f"country '{country.slug}': summary" in page
    assert shows_no_name(page)
    assert Story.objects.get(pk=shown.pk).status == Status.SAFEGUARDING
    assert Country.objects.get(pk=country.pk).status == Status.SAFEGUARDING
    assert Story.objects.get(pk=clean.pk).status == Status.PUBLISHED
    assert admin_client.get(shown.get_absolute_url()).status_code == 200  # staff preview


def test_forgetting_in_the_admin(admin_client):
    person = withhold(owner=make_spokesperson())
    url, data = change_form(admin_client, person)

    admin_client.post(url, {**data, "forget_withheld_names": "on"})

    assert not WithheldName.objects.exists()


# check_withheld_names


def check():
    out = StringIO()
    call_command("check_withheld_names", stdout=out)
    return out.getvalue()


def test_the_check_passes_when_no_published_page_holds_a_name():
    withhold()
    make_story(status=Status.DRAFT, standfirst=f"{NAME} is free.")

    assert "No published page contains a withheld name." in check()


def test_the_check_fails_naming_each_page_and_field():
    withhold()
    story = make_story()
    person = make_spokesperson()
    campaign = _campaign_with_template_body(f"Remember {NAME}.")
    Story.objects.filter(pk=story.pk).update(standfirst=NAME, body=f"<p>{NAME}</p>")
    Spokesperson.objects.filter(pk=person.pk).update(biography=NAME)
    type(campaign).objects.filter(pk=campaign.pk).update(status=Status.PUBLISHED)
    PrayerRequest.objects.filter(pk=make_prayer_request(status=Status.DRAFT).pk).update(title=NAME)
    out = StringIO()

    with pytest.raises(CommandError, match="3 published item"):
        call_command("check_withheld_names", stdout=out)

    assert sorted(out.getvalue().splitlines()) == [
        f"campaign '{campaign.slug}': letter template 1 (body)",
        f"spokesperson '{person.slug}': biography",
        f"story '{story.slug}': standfirst, body",
    ]


def test_the_check_fails_when_the_key_has_changed(settings):
    withhold()
    settings.WITHHELD_NAMES_KEY = "a-new-key"

    with pytest.raises(CommandError, match="hashed with another WITHHELD_NAMES_KEY"):
        check()


def test_a_published_campaigns_letter_template_is_checked_even_edited_on_its_own():
    withhold()
    template = make_campaign().templates.get()  # the campaign is published
    template.body += f"\n\nAsk about {NAME}."
    with pytest.raises(ValidationError, match=REFUSED):
        template.full_clean()
    draft = make_campaign(status=Status.DRAFT).templates.get()
    draft.body += f"\n\nAsk about {NAME}."
    draft.full_clean()  # a draft campaign's letter may hold it until publishing
