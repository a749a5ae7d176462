"""Hostile input in every public field: no 500, nothing runs on a page or in a mail, and what
is stored is exactly what was accepted."""

import email
import re
import unicodedata
from email import policy
from urllib.parse import quote

import pytest
from django.core import mail
from hypothesis import HealthCheck, given, settings

from campaigns.delivery.mail import confirmation_message
from campaigns.letters.services import BLANK_LINES
from campaigns.models import Letter
from core import abuse
from stories.models import PrayerRequest, Story
from tests.support.admin import story_admin_form
from tests.support.factories import make_prayer_request, make_watch_list
from tests.support.html import content, elements, select, tags, text
from tests.support.letters import OWN_WORDS, compose_url, confirmation_link, form_key, letter_data
from tests.support.strategies import text_without_surrogates
from tests.support.worker import run_due_tasks
from tests.support.workflow import publish_as_another_editor

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "Subject\r\nBcc: x@evil.example",
    "Subject\nBcc: x@evil.example",
    "x" * 100_000,
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\ufeffBOM",
    "𝕏 🙏",
    "Zalgo: Z\u0335\u0321\u031b\u0300a\u0334\u0327l\u0336\u0300g\u0337o\u0338",
    "e\u0301" * 500,
    "\u2028line\u2029paragraph",
    "{supporter_email}{personal_paragraph}{",
    "'; DROP TABLE campaigns_letter; --",
    "²",
    "\u0663\u0660",
    "  ",
]
FIELDS = ["name", "email", "address", "answer_1", "subject_1", "body_1"]
ALLOWED_HEADERS = {
    "content-type",
    "mime-version",
    "content-transfer-encoding",
    "subject",
    "from",
    "to",
    "cc",
    "reply-to",
    "date",
    "message-id",
    "x-letter-reference",
}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "xlink:href"}
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def no_post_cap(monkeypatch):
    """These tests post hundreds of times from one address: the flood cap is tested elsewhere."""
    monkeypatch.setattr(abuse, "LETTER_POST_LIMIT", abuse.RateLimit("test", 10**9, 60))


def unsafe_markup(html):
    """What a browser would run: inline or foreign scripts, handlers, javascript: URLs."""
    problems = []
    for tag, attrs in elements(html):
        data_block = attrs.get("type") == "application/ld+json"  # JSON-LD: read, never run
        if tag == "script" and not data_block and not attrs.get("src", "").startswith("/static/"):
            problems.append("a <script> that is not one of ours")
        for name, value in attrs.items():
            if re.fullmatch(r"on\w+", name):
                problems.append(f"{name}= on <{tag}>")
            url = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name in URL_ATTRIBUTES and url.startswith("javascript:"):
                problems.append(f"a javascript: URL in {name}= on <{tag}>")
    return problems


def with_hostile(field, value, delivery="email_app"):
    """The letter form's data, with ``value`` in ``field`` and a placeholder kept in the body."""
    data = {"delivery": delivery, field: value}
    if field == "body_1":
        data[field] = value + "\n\n{personal_paragraph}"
    return data


def accepted(value):
    """What the form keeps of a value it accepts: one kind of line end (documented)."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def without_format_characters(value):
    """A name as kept: bidi controls, zero-width and other invisible characters taken out."""
    return "".join(char for char in value if unicodedata.category(char) != "Cf")


def assert_stored_as_accepted(letter, field, value):
    value = accepted(value)
    if field == "name":
        assert letter.supporter_name == without_format_characters(value).strip()
    elif field == "email":
        assert letter.supporter_email == value.strip()
    elif field == "address":
        assert letter.supporter_address == value.strip()
    elif PLACEHOLDER.search(value):  # a supporter's letter may use placeholders: filled in
        stored = letter.subject if field == "subject_1" else letter.body
        assert all(part.strip() in stored for part in PLACEHOLDER.split(value))
    elif field == "subject_1":
        assert letter.subject == value.strip()
    else:  # answers and body are in the letter's text, around the template's own words
        assert BLANK_LINES.sub("\n\n", value).strip() in letter.body


def post_hostile(client, campaign, mp, field, value, delivery="email_app"):
    url = compose_url(campaign, [mp])
    overrides = with_hostile(field, value, delivery)
    if delivery == "send_for_me":
        overrides.setdefault("answer_1", OWN_WORDS)
    data = letter_data(form_key(client, url), **overrides)
    return client.post(url, data)


def check_letter_post(client, campaign, mp, field, value):
    """Refused (a 400 for NUL, or the page shown again), or kept exactly; nothing runs."""
    before = set(Letter.objects.values_list("pk", flat=True))
    response = post_hostile(client, campaign, mp, field, value)
    assert response.status_code == (400 if "\x00" in value else response.status_code)
    assert response.status_code in (200, 302, 400)
    if response.status_code in (200, 400):
        assert unsafe_markup(content(response)) == []
        assert set(Letter.objects.values_list("pk", flat=True)) == before
        return
    letter = Letter.objects.exclude(pk__in=before).get()
    assert_stored_as_accepted(letter, field, value)
    letters_page = client.get(response["Location"])
    print_page = client.get(response["Location"] + "print/")
    for page in (letters_page, print_page):
        assert page.status_code == 200
        assert unsafe_markup(content(page)) == []


# The letter form: a fixed list of known attacks, and whatever hypothesis makes up


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("field", FIELDS)
def test_a_known_attack_in_a_letter_field_is_refused_or_kept_exactly(
    client, campaign, mp, field, value
):
    check_letter_post(client, campaign, mp, field, value)


@pytest.mark.parametrize("field", FIELDS)
def test_any_text_in_a_letter_field_is_refused_or_kept_exactly(client, campaign, mp, field):
    @HYPOTHESIS
    @given(value=text_without_surrogates(max_size=300))
    def check(value):
        check_letter_post(client, campaign, mp, field, value)

    check()


INVALID_UTF8 = "%ED%A0%80%FF%C0%AF"  # a lone surrogate, a stray byte, an overlong "/"


@pytest.mark.parametrize("field", FIELDS)
def test_invalid_utf8_in_a_letter_field_is_refused_not_stored(client, campaign, mp, field):
    """A client cannot send a lone surrogate as text; these are its bytes, and worse."""
    url = compose_url(campaign, [mp])
    data = letter_data(form_key(client, url), **with_hostile(field, "FIELD"))
    body = "&".join(f"{quote(name)}={quote(value)}" for name, value in data.items())
    body = body.replace("FIELD", INVALID_UTF8)

    response = client.post(url, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "could not read" in text(content(response))
    assert not Letter.objects.exists()


# NUL and invalid UTF-8 in any request: a clear 400, before any view or query sees them

NUL_GETS = [
    "/representatives/?postcode=SW1A+1AA&area=%00",  # not covered: the areas are looked up
    "/representatives/?postcode=SW1A+0AA&area=E14001172%00",
    "/campaigns/{slug}/write/?postcode=SW1A+1AA&area=%00",
    "/campaigns/{slug}/write/letter/?postcode=SW1A+1AA&area=%00&member={member}",
    "/campaigns/{slug}/write/letter/?postcode=SW1A+0AA&member={member}%00",
    "/stories/?country=%00",
    "/pray/?page=1%00",
    "/campaigns/?%00=1",
    "/letters/confirm/%00/",
]


def assert_bad_request_page(response):
    assert response.status_code == 400
    page = content(response)
    assert len(select(page, "h1")) == 1
    assert "We could not read your request" in text(page)
    assert response["Cache-Control"].startswith("private")


@pytest.mark.parametrize("url", NUL_GETS)
def test_nul_in_a_public_address_is_refused_with_a_400(client, campaign, mp, url):
    response = client.get(url.format(slug=campaign.slug, member=mp.pk))

    assert_bad_request_page(response)


@pytest.mark.parametrize("filter_value", ["%00", "pending%00", "%ED%A0%80"])
def test_a_bad_admin_list_filter_is_refused_with_a_400(admin_client, filter_value):
    response = admin_client.get(f"/admin/campaigns/letter/?state__exact={filter_value}")

    assert response.status_code == 400


@pytest.mark.parametrize("value", [INVALID_UTF8, "%FF", "%C0%AF"])
def test_invalid_utf8_in_an_address_is_refused_with_a_400(client, campaign, mp, value):
    response = client.get(f"/representatives/?postcode=SW1A+1AA&area={value}")

    assert_bad_request_page(response)


def test_a_nul_in_a_posted_field_is_refused_with_a_400_and_keeps_nothing(client, campaign, mp):
    response = post_hostile(client, campaign, mp, "name", "Jane\x00Doe")

    assert_bad_request_page(response)
    assert not Letter.objects.exists()


def test_a_nul_posted_to_i_prayed_is_refused_and_counts_nothing(client):
    prayer = make_prayer_request()

    response = client.post(f"/pray/{prayer.slug}/prayed/", {"note": "\x00"})

    assert_bad_request_page(response)
    assert PrayerRequest.objects.get().prayed_count == 0


def test_an_encoded_replacement_character_is_ordinary_text(client, campaign, mp):
    """Only bytes that are not UTF-8 are refused: a real U+FFFD is a character like any other."""
    response = client.get("/representatives/?postcode=SW1A+0AA&area=%EF%BF%BD")

    assert response.status_code == 200


# Supporters' names go into the From: name of their letter: nothing invisible in them


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("\u202eJane Doe\u202c", "Jane Doe"),
        ("Jane\u200d Doe\u200b", "Jane Doe"),
        ("\u2066Jane\u2069 \u200eDoe\u200f\ufeff", "Jane Doe"),
        ("Siân O’Brien-Zoë d'Arc", "Siân O’Brien-Zoë d'Arc"),
    ],
)
def test_a_name_loses_bidi_controls_and_zero_width_characters(client, campaign, mp, typed, kept):
    response = post_hostile(client, campaign, mp, "name", typed, delivery="send_for_me")
    assert response.status_code == 302
    client.post(confirmation_link())
    run_due_tasks()

    assert Letter.objects.get().supporter_name == kept
    (sent,) = [m for m in mail.outbox if m.extra_headers.get("X-Letter-Reference")]
    assert parsed(sent)["From"].addresses[0].display_name.startswith(f"{kept} via ")


def test_a_name_made_only_of_invisible_characters_is_refused_and_kept_on_the_page(
    client, campaign, mp
):
    response = post_hostile(client, campaign, mp, "name", "\u202e\u200b\u200d")

    assert response.status_code == 200
    assert "Enter your full name" in text(content(response))
    assert 'href="#id_name"' in content(response)
    assert not Letter.objects.exists()


# The confirmation address, and the mail that goes to it


@pytest.mark.parametrize(
    "address",
    [
        "pat@[127.0.0.1]",
        "pat@[IPv6:::1]",
        "pat@localhost",
        "pat@intranet",
        "pat@127.0.0.1",
        "pat@example.123",
        "pat@printer.local",
        "pat@example.invalid",
    ],
)
def test_a_confirmation_address_must_look_deliverable(client, campaign, mp, address):
    response = post_hostile(client, campaign, mp, "email", address, delivery="send_for_me")

    assert response.status_code == 200
    page = content(response)
    assert "Enter an email address at a real domain" in text(page)
    assert f'value="{address}"' in page  # what was typed is still there to correct
    assert not Letter.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    "address", ["pat@example.org", "pat.o+letters@mail.example.co.uk", "pat@bücher.de"]
)
def test_an_ordinary_address_is_accepted(client, campaign, mp, address):
    response = post_hostile(client, campaign, mp, "email", address, delivery="send_for_me")

    assert response.status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "stored_name, greeting",
    [
        ("Pat\nClick http://evil.example/win to claim", "Hello Pat,"),
        ("  Pat Doe  \r\nline two", "Hello Pat Doe,"),
        ("P" * 100, f"Hello {'P' * 59}…,"),  # the longest name the form takes
    ],
)
def test_the_confirmation_greets_with_the_first_line_of_the_name_only(
    client, campaign, mp, stored_name, greeting
):
    """Names are one line when typed; letters made another way may not be."""
    post_hostile(client, campaign, mp, "name", "Pat", delivery="send_for_me")
    Letter.objects.update(supporter_name=stored_name)

    message = confirmation_message(list(Letter.objects.all()), "https://example.org/confirm/")

    assert message.body.splitlines()[0] == greeting
    assert "evil.example" not in message.body and "line two" not in message.body


# The hidden form key, and the confirmation link


@pytest.mark.parametrize("key", [None, "", "not-a-key", "a" * 40, "A" * 32])
def test_a_bad_form_key_says_so_visibly_and_the_form_can_be_sent_again(client, campaign, mp, key):
    url = compose_url(campaign, [mp])
    data = letter_data(key, name="Jane Typed")
    if key is None:
        del data["key"]

    response = client.post(url, data)

    assert response.status_code == 200
    page = content(response)
    summary = page[page.index('class="error-summary"') :]
    assert "This form has expired" in text(summary)
    assert 'href="#id_key"' not in summary  # no link to a field nobody can see
    assert 'value="Jane Typed"' in page
    (fresh,) = [f["value"] for f in tags(page, "input") if f.get("name") == "key"]
    assert fresh != key
    assert client.post(url, {**data, "key": fresh}).status_code == 302
    assert Letter.objects.get().supporter_name == "Jane Typed"


def test_head_on_a_confirmation_link_answers_like_get_and_confirms_nothing(client, campaign, mp):
    post_hostile(client, campaign, mp, "name", "Pat", delivery="send_for_me")
    link = confirmation_link()

    head, get = client.head(link), client.get(link)

    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
    assert Letter.objects.get().state == Letter.State.PENDING
    assert run_due_tasks() == [] and len(mail.outbox) == 1


# Mail: the confirmation, the letter to the member, and the supporter's copy


def parsed(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def assert_mail_is_inert(message):
    """Plain text only, so nothing can run; every header one line, and only our headers."""
    raw = parsed(message)
    assert raw.get_content_type() == "text/plain"
    assert {name.lower() for name in raw} <= ALLOWED_HEADERS
    for name, value in raw.items():
        assert "\n" not in str(value) and "\r" not in str(value), name
    assert "evil.example" not in " ".join([*message.to, *message.cc, *message.bcc])


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("field", ["name", "address", "answer_1", "subject_1", "body_1"])
def test_hostile_details_in_a_letter_we_send_make_inert_mail(client, campaign, mp, field, value):
    response = post_hostile(client, campaign, mp, field, value, delivery="send_for_me")

    if response.status_code == 302:
        link = confirmation_link()
        page = client.get(link)
        assert page.status_code == 200 and unsafe_markup(content(page)) == []
        client.post(link)
        assert run_due_tasks() == ["sent"]
        assert len(mail.outbox) == 3  # the confirmation, the letter, the supporter's copy
    for message in mail.outbox:
        assert_mail_is_inert(message)


# The postcode forms, and the other public GET forms


POSTCODE_PAGES = [
    "/representatives/?postcode={v}",
    "/representatives/?postcode=SW1A+0AA&area={v}",
    "/campaigns/{slug}/write/?postcode={v}",
    "/campaigns/{slug}/write/?postcode=SW1A+0AA&area={v}",
    "/campaigns/{slug}/write/letter/?postcode={v}&member={v}",
    "/campaigns/{slug}/write/letter/?postcode=SW1A+0AA&member={v}&area={v}",
]
FILTER_PAGES = [
    "/stories/?country={v}",
    "/stories/?page={v}",
    "/pray/?page={v}",
    "/campaigns/?page={v}",
    "/world-watch-list/?year={v}",
    "/letters/confirm/{v}/",
    "/search/?q={v}",
    "/search/?q=church&page={v}",
]


def get_hostile(client, template, value, slug):
    url = template.format(v=quote(value[:2000]), slug=slug)
    response = client.get(url)
    assert response.status_code in ((400,) if "\x00" in value else (200, 404)), url
    assert unsafe_markup(content(response)) == [], url


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("template", POSTCODE_PAGES + FILTER_PAGES)
def test_a_known_attack_in_a_public_get_form_is_answered_safely(client, campaign, template, value):
    make_watch_list(2025, 2)
    get_hostile(client, template, value, campaign.slug)


@pytest.mark.parametrize("template", POSTCODE_PAGES + FILTER_PAGES)
def test_any_text_in_a_public_get_form_is_answered_safely(client, campaign, template):
    make_watch_list(2024, 2)
    make_watch_list(2025, 2)

    @HYPOTHESIS
    @given(value=text_without_surrogates(max_size=50))
    def check(value):
        get_hostile(client, template, value, campaign.slug)

    check()


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_a_known_attack_in_the_prayed_honeypot_is_thanked_and_counts_nothing(client, value):
    prayer = make_prayer_request()

    response = client.post(f"/pray/{prayer.slug}/prayed/", {"website": value})

    assert response.status_code == (400 if "\x00" in value else 302)
    assert PrayerRequest.objects.get().prayed_count == 0  # every value here fills the field


# Staff rich text: an editor's paste goes through the sanitiser before anyone sees it


def test_hostile_markup_typed_into_a_story_is_stripped_before_it_is_shown(client, admin_user):
    hostile_html = "".join(
        [
            "<p>Kept words.</p>",
            *HOSTILE[:4],
            '<a href="javascript:alert(1)">link</a>',
            '<a href=" jAvAsCrIpT:alert(1)">spaced</a>',
            '<p onmouseover="alert(1)">hover</p>',
            "<iframe src=javascript:alert(1)></iframe>",
        ]
    )
    form = story_admin_form(
        {
            "title": "Hostile story",
            "slug": "hostile-story",
            "standfirst": "A standfirst.",
            "body": hostile_html,
            "published_at_0": "2025-03-01",
            "published_at_1": "12:00:00",
        },
        admin_user,
    )
    assert form.is_valid(), form.errors
    story = form.save()
    publish_as_another_editor(story)  # the status is the workflow's, not the form's

    page = client.get(Story.objects.get(pk=story.pk).get_absolute_url())

    assert page.status_code == 200
    assert unsafe_markup(content(page)) == []
    assert "Kept words." in content(page)


def test_markup_in_a_name_reaches_the_member_as_plain_text(client, campaign, mp):
    response = post_hostile(client, campaign, mp, "name", HOSTILE[0], delivery="send_for_me")
    assert response.status_code == 302
    client.post(confirmation_link())
    run_due_tasks()

    letter = [m for m in mail.outbox if m.extra_headers.get("X-Letter-Reference")]
    (sent,) = letter
    assert str(parsed(sent)["From"]).startswith('"<script>alert(1)</script> via ')
    assert "<script>alert(1)</script>" in sent.body
    assert_mail_is_inert(sent)
