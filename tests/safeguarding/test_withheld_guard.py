"""The guard reads what every model declares, and finds names in any spelling.

The names here are the ones an outside probe used: `Kim` and `Soyeon Park`.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from hypothesis import assume, given

from core.publishing import Status
from safeguarding.guard import NOT_PUBLIC, PUBLIC, undeclared_models, withheld_names_record
from safeguarding.matching import WithheldNames, digest
from safeguarding.models import AllowedWord
from safeguarding.text import compact
from stories.models import Country, Story
from tests.support.factories import make_country, make_spokesperson, make_story, make_watch_list
from tests.support.html import content, text
from tests.support.strategies import text_without_surrogates

pytestmark = pytest.mark.django_db

NAMES = ("Kim", "Soyeon Park")
FREE_TEXT = (models.CharField, models.TextField, models.FileField, models.JSONField)

# Every form the probe published, and more: look-alike letters, split and joined spellings,
# leetspeak, plurals, slugs and encoded links.
KIM_FORMS = [
    "Kim",
    "KIM",
    "kim",
    "Kіm",  # U+0456 Cyrillic i
    "Кim",  # Cyrillic Ka
    "кim",  # small Cyrillic ka
    "Κιm",  # Greek Kappa, iota
    "Kιm",
    "kım",  # dotless i
    "ᴋɪᴍ",  # small capitals
    "Ｋｉｍ",  # full width
    "𝐊𝐢𝐦",  # mathematical bold
    "ⓚⓘⓜ",  # circled
    "Kím",
    "K\u0301im",
    "K\u200bim",  # zero-width space
    "K\u200dim",  # zero-width joiner
    "K\u00adim",  # soft hyphen
    "K i m",
    "K.i.m.",
    "K-i-m",
    "K_i_m",
    "Ki-m",
    "K/i/m",
    "K1m",
    "K!m",
    "K|m",
    "KlM",
    "Kim2024",
    "2024Kim",
    "Kims",
    "KIMS",
    "Kim's",
    "Kimes",
    "kims",
    "k-i-m",
    "KimSoyeon",
    "Kim&#x27;s",
    "K&#105;m",
    "<b>K</b>im",
    "K%69m",
]
PARK_FORMS = [
    "Soyeon Park",
    "SOYEON PARK",
    "soyeon-park",
    "soyeon_park",
    "soyeonpark",
    "SoyeonPark",
    "Soyeon  Park",
    "Soyeon\u00a0Park",
    "Ѕоуеоn Раrk",  # Cyrillic
    "S0ye0n P4rk",
    "S.o.y.e.o.n P.a.r.k",
    "Soyeon Parks",
    "Soyeon-Park's",
    "Soyeon%20Park",
    "Soyeon%2520Park",
    "Soyeon+Park",
    "https://example.org/people/Soyeon%20Park",
    "https://example.org/people/soyeon-park/",
    "Soyeon&nbsp;Park",
    "Soy<i>eon</i> Park",
    "Sóyeón Pärk",
]
# Words that merely share letters with a name: published without a second look.
UNRELATED = [
    "Kin",
    "Kit",
    "Akin",
    "Skiing in the hills",
    "Walk immediately",
    "Park the car by the soy field",
    "Soy beans in the park",
    "Yeon-park is not a place",
    "Parking",  # "park" alone is no recorded name
    "Key and mime",
]


@pytest.fixture
def names():
    owner = make_spokesperson(status=Status.DRAFT)
    withheld_names_record(owner=owner, text="\n".join(NAMES))
    return WithheldNames.load()


# Declarations


def test_every_model_of_the_project_has_declared_itself_to_the_guard():
    assert undeclared_models() == []


@pytest.mark.parametrize("label", sorted(PUBLIC))
def test_every_text_field_of_a_public_model_is_declared_public_or_private(label):
    entry = PUBLIC[label]
    model = apps.get_model(label)
    texts = {
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, FREE_TEXT) and not field.choices
    }

    assert texts - set(entry.fields) - set(entry.private) == set()
    assert set(entry.fields) | set(entry.private) <= texts  # nothing declared that is not there


@pytest.mark.parametrize("label", sorted(PUBLIC))
def test_every_public_rows_relation_is_declared_by_the_rows_model(label):
    for relation in PUBLIC[label].rows:
        row_model = apps.get_model(label)._meta.get_field(relation).related_model
        assert PUBLIC[row_model._meta.label_lower].shown_on


def test_a_model_is_public_or_not_never_both():
    assert set(PUBLIC).isdisjoint(NOT_PUBLIC)
    assert all(reason.strip() for reason in NOT_PUBLIC.values())


# Spellings


def refused_in_a_caption(caption):
    """Whether a published story's caption with this text is refused, as an editor saves it."""
    story = make_story(hero_caption=caption)
    try:
        story.full_clean()
    except ValidationError as error:
        return "hero_caption" in error.message_dict
    return False


@pytest.mark.parametrize("form", KIM_FORMS)
def test_every_spelling_of_a_short_name_is_refused(names, form):
    assert refused_in_a_caption(f"We met {form} in June.")
    assert names.certainly_in(f"We met {form} in June.")  # for certain: no word may allow it


@pytest.mark.parametrize("form", PARK_FORMS)
def test_every_spelling_of_a_two_word_name_is_refused(names, form):
    assert refused_in_a_caption(f"We met {form} in June.")
    assert names.certainly_in(f"We met {form} in June.")


@pytest.mark.parametrize("form", ["Kimberley", "Joakim", "Kimono"])
def test_a_short_name_inside_a_longer_word_is_refused_but_can_be_allowed(names, form):
    assert not names.certainly_in(form)
    assert names.words_holding(f"A map of {form}.") == [form]


def test_a_longer_name_is_found_anywhere_inside_a_word(names):
    assert names.words_holding("The xxsoyeonparkxx account") == ["xxsoyeonparkxx"]


@pytest.mark.parametrize("text", UNRELATED)
def test_words_that_only_share_letters_with_a_name_pass(names, text):
    assert not refused_in_a_caption(text)


def test_a_name_in_another_script_is_found_as_written():
    withheld_names_record(owner=make_spokesperson(status=Status.DRAFT), text="박소연")
    names = WithheldNames.load()

    assert names.certainly_in("우리는 박소연 씨를 만났다")
    assert names.words_holding("박소연은 안전하다") == ["박소연은"]
    assert not names.found_in("우리는 친구를 만났다")


# Countries are guarded like every public item


def test_a_country_cannot_be_named_after_a_withheld_name(names):
    country = Country(name="Soyeon Park", slug="soyeon-park", iso_code="SP")

    with pytest.raises(ValidationError) as error:
        country.full_clean()

    assert set(error.value.message_dict) == {"name", "slug"}


def test_a_country_summary_cannot_hold_a_withheld_name(names):
    country = make_country(summary="Where Kіm was held.")

    with pytest.raises(ValidationError, match="Summary contains a name"):
        country.full_clean()


def test_a_country_taken_down_leaves_every_public_page(client, names):
    eritrea = make_country(name="Eritrea", slug="eritrea", iso_code="ER")
    story = make_story(countries=[eritrea])
    make_watch_list(2026, 1, countries=[eritrea])
    Country.objects.filter(pk=eritrea.pk).update(status=Status.SAFEGUARDING)

    assert client.get("/countries/eritrea/").status_code == 404
    for url in ("/", "/stories/", story.get_absolute_url(), "/world-watch-list/", "/sitemap.xml"):
        assert "/countries/eritrea/" not in content(client.get(url)), url
    assert client.get("/stories/?country=eritrea").status_code == 404


# Allowed words


def test_an_allowed_word_is_published_and_the_name_itself_still_is_not(admin_client, names):
    story = make_story(status=Status.DRAFT, hero_caption="A map of Kimberley")
    story.status = Status.PUBLISHED
    with pytest.raises(ValidationError, match="inside the word “Kimberley”"):
        story.full_clean()

    added = admin_client.post(reverse("admin:safeguarding_allowedword_add"), {"word": "Kimberley"})

    assert added.status_code == 302
    assert AllowedWord.objects.count() == 1
    story.full_clean()  # allowed now
    story.hero_caption = "A map of Kimberley, where Kim lives"
    with pytest.raises(ValidationError, match="Image caption contains a name"):
        story.full_clean()


def test_an_allowed_word_with_an_apostrophe_is_allowed_as_typed(admin_client, names):
    admin_client.post(reverse("admin:safeguarding_allowedword_add"), {"word": "Joakim's"})

    assert not WithheldNames.load().found_in("A map of Joakim's farm.")
    assert WithheldNames.load().found_in("A map of Joakim's farm, where Kim lives.")


@pytest.mark.parametrize("word", ["Kim", "K1m", "SoyeonPark", "Kims"])
def test_a_withheld_name_can_never_be_allowed(admin_client, names, word):
    response = admin_client.post(reverse("admin:safeguarding_allowedword_add"), {"word": word})

    assert response.status_code == 200
    assert "withheld name itself: it cannot be allowed" in text(content(response))
    assert f'value="{word}"' not in content(response)
    assert not AllowedWord.objects.exists()


def test_the_allowed_word_is_kept_as_a_hash_only(admin_client, names):
    admin_client.post(reverse("admin:safeguarding_allowedword_add"), {"word": "Kimberley"})

    row = AllowedWord.objects.values().get()
    assert "kimberley" not in repr(row).lower()


def test_the_refusal_names_the_editors_own_word_not_the_name(admin_client, names):
    story = make_story()  # published: the status is the workflow's, not the form's
    url = reverse("admin:stories_story_change", args=[story.pk])
    data = {
        "title": story.title,
        "slug": story.slug,
        "standfirst": story.standfirst,
        "body": story.body,
        "published_at_0": "2026-01-01",
        "published_at_1": "09:00:00",
        "hero_caption": "Joakim's farm",
        "pull_quotes-TOTAL_FORMS": "0",
        "pull_quotes-INITIAL_FORMS": "0",
    }

    response = admin_client.post(url, data)

    page = text(content(response))
    assert response.status_code == 200
    assert "Image caption holds a withheld name inside the word “Joakim's”" in page
    assert "Allowed words" in page
    assert Story.objects.get(pk=story.pk).hero_caption == ""


# Any name at all


@given(
    name=text_without_surrogates(categories=["Lu", "Ll", "Lo"]).filter(lambda t: len(t) >= 2),
    before=text_without_surrogates(max_size=20),
)
def test_any_name_is_found_wherever_it_stands_as_a_word(name, before):
    canonical = compact(name)
    assume(canonical)
    names = WithheldNames(by_length={len(canonical): frozenset({digest(canonical)})})

    assert names.certainly_in(f"{before} {name} and more")
    assert names.certainly_in(" ".join(name).upper() if name.isascii() else name)
