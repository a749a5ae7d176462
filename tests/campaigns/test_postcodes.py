import pytest
from hypothesis import given

from campaigns.lookup.postcodes import InvalidPostcode, normalise_postcode
from tests.support.strategies import text_without_surrogates


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("sw1a0aa", "SW1A 0AA"),
        ("SW1A 0AA", "SW1A 0AA"),
        ("  sw1a   0aa ", "SW1A 0AA"),
        ("eh991sp", "EH99 1SP"),
        ("M1 1AE", "M1 1AE"),
        ("b338th", "B33 8TH"),
        ("cr26xh", "CR2 6XH"),
        ("W1A 1AA", "W1A 1AA"),
        ("bt7 1nn", "BT7 1NN"),
    ],
)
def test_postcodes_are_normalised(typed, expected):
    assert str(normalise_postcode(typed)) == expected


@pytest.mark.parametrize(
    "typed", ["hello", "", "SW1A", "SW1A 0A", "SW1A 0AAA", "12345", "SW1A-0AA", "Q" * 500]
)
def test_malformed_postcodes_are_refused_with_a_clear_message(typed):
    with pytest.raises(InvalidPostcode, match="not a full UK postcode"):
        normalise_postcode(typed)


def test_a_postcode_knows_its_sector_district_and_area():
    postcode = normalise_postcode("eh99 1sp")

    assert (postcode.sector, postcode.district, postcode.postcode_area) == ("EH99 1", "EH99", "EH")
    assert normalise_postcode("BT7 1NN").in_northern_ireland
    assert not postcode.in_northern_ireland


@given(text_without_surrogates(max_size=30))
def test_any_text_is_either_a_postcode_or_refused(text):
    try:
        postcode = normalise_postcode(text)
    except InvalidPostcode:
        return
    assert normalise_postcode(str(postcode)) == postcode
