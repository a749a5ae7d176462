"""The Jinja2 environment's own versions of Django's filters write what Django's write."""

from django.template import defaultfilters
from hypothesis import given

from advocacy.jinja import urlencode
from tests.support.strategies import text_without_surrogates


@given(text_without_surrogates())
def test_urlencode_is_djangos(text):
    assert urlencode(text) == defaultfilters.urlencode(text)


def test_urlencode_of_a_share_link():
    address = "https://example.org/a b?c=d&e=é/~_.-"
    assert urlencode(address) == "https%3A//example.org/a%20b%3Fc%3Dd%26e%3D%C3%A9/~_.-"
    assert urlencode(None) == defaultfilters.urlencode(None) == "None"
