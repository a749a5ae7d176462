"""Letter templates: the fixed placeholders, plain substitution and the personal share."""

import pytest
from hypothesis import given

from campaigns.letters.placeholders import (
    PLACEHOLDERS,
    TemplateSyntaxError,
    check,
    describe_share,
    fill_remaining,
    personal_share,
    render,
)
from tests.support.strategies import text_without_surrogates


def test_placeholders_are_replaced_by_their_values():
    text = render(
        "{salutation},\n\nI live in {constituency}.",
        {"salutation": "Dear Jo Bloggs", "constituency": "Fife"},
    )
    assert text == "Dear Jo Bloggs,\n\nI live in Fife."


def test_a_placeholder_without_a_value_becomes_empty():
    assert render("Motion {motion_reference}.", {}) == "Motion ."


def test_kept_placeholders_stay_for_the_supporter_to_fill():
    assert render(
        "{salutation} {supporter_name}", {"salutation": "Dear Jo"}, keep=("supporter_name",)
    ) == ("Dear Jo {supporter_name}")


def test_double_braces_are_literal_braces():
    assert render("{{not a placeholder}}", {}) == "{not a placeholder}"


@pytest.mark.parametrize(
    ("template", "named"),
    [
        ("Dear {representative}", "{representative}"),
        ("Dear {Salutation}", "{Salutation}"),
        ("Dear { salutation }", "{ salutation }"),
        ("A lone { here", "“{”"),
        ("and } there", "“}”"),
    ],
)
def test_unknown_or_malformed_placeholders_are_refused_by_name(template, named):
    with pytest.raises(TemplateSyntaxError, match=named.replace("{", r"\{").replace("}", r"\}")):
        check(template)


def test_template_syntax_is_never_executed():
    values = {"supporter_name": "{{ settings.SECRET_KEY }} {% load x %} {salutation}"}
    assert render("{supporter_name}", values) == values["supporter_name"]


@given(text_without_surrogates())
def test_any_value_is_copied_exactly(value):
    assert render("<{supporter_name}>", {"supporter_name": value}) == f"<{value}>"


def test_every_documented_placeholder_renders():
    template = " ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    assert render(template, {name: name.upper() for name in PLACEHOLDERS}) == " ".join(
        name.upper() for name in PLACEHOLDERS
    )


def test_a_supporters_text_keeps_stray_braces_and_unknown_names():
    text = "Hi {salutation} :-} {not_ours} {"
    assert fill_remaining(text, {"salutation": "Jo"}) == "Hi Jo :-} {not_ours} {"


def test_the_untouched_letter_is_not_personal():
    letter = "Dear Jo, please act. Yours, Sam"
    assert personal_share(letter, letter) == 0


def test_added_words_count_as_personal():
    baseline = "please act now"
    assert personal_share("please act now my church prays daily", baseline) == pytest.approx(4 / 7)


def test_repeating_the_campaigns_words_is_not_personal():
    assert personal_share("act act act", "act") == pytest.approx(2 / 3)


def test_an_empty_letter_has_no_share():
    assert personal_share("", "anything") == 0


@pytest.mark.parametrize(
    ("share", "words"),
    [(0, "nothing of your own"), (0.12, "About 12%"), (0.3, "Good"), (0.8, "Excellent")],
)
def test_the_note_says_how_personal_the_letter_is(share, words):
    assert words in describe_share(share)
