"""The markup tags write what the template code they replace wrote, byte for byte."""

import datetime as dt
import zoneinfo

from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.support.strategies import text_without_surrogates

MOMENTS = st.datetimes(
    min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(dt.UTC)
)
ZONES = st.sampled_from(["Europe/London", "UTC", "Asia/Kolkata", "America/St_Johns"])
PAIRS = st.lists(
    st.tuples(text_without_surrogates(max_size=8), text_without_surrogates(max_size=12)),
    max_size=6,
)


def rendered(source: str, **context) -> str:
    return Template("{% load markup %}" + source).render(Context(context))


@given(moment=MOMENTS, zone=ZONES)
def test_time_element_is_the_date_filters(moment, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert rendered("{% time_element moment %}", moment=moment) == rendered(
            """<time datetime="{{ moment|date:'c' }}">{{ moment|date:"j F Y" }}</time>""",
            moment=moment,
        )


@override_settings(USE_TZ=False)
def test_time_element_without_time_zones():
    moment = dt.datetime(2026, 3, 5, 9, 30)
    assert rendered("{% time_element moment %}", moment=moment) == (
        '<time datetime="2026-03-05T09:30:00">5 March 2026</time>'
    )


@given(pairs=PAIRS, data=st.data())
def test_options_are_the_loops(pairs, data):
    selected = data.draw(st.sampled_from([pair[0] for pair in pairs] + ["", "none-such"]))
    loop = (
        '{% for value, label in pairs %}<option value="{{ value }}"{% if value == selected %}'
        " selected{% endif %}>{{ label }}</option>{% endfor %}"
    )
    assert rendered("{% options pairs selected %}", pairs=pairs, selected=selected) == rendered(
        loop, pairs=pairs, selected=selected
    )


def test_options_escape_and_mark_the_current_one():
    pairs = [("a", "Ann & Bo"), ("b", "<i>B</i>")]
    assert rendered("{% options pairs 'b' %}", pairs=pairs) == (
        '<option value="a">Ann &amp; Bo</option><option value="b" selected>&lt;i&gt;B&lt;/i&gt;'
        "</option>"
    )
