"""Hypothesis strategies every test shares: text a client could really send.

A lone surrogate (category Cs) cannot be encoded as UTF-8, so no browser or HTTP client can
send one; drawn anyway, it fails a test for a reason no user can meet, and hypothesis then
replays it from ``.hypothesis/`` on every run. Every text strategy goes through here.
"""

from hypothesis import strategies as st


def characters_without_surrogates(**kwargs) -> st.SearchStrategy[str]:
    """``st.characters`` restricted to what UTF-8 can encode; takes the same arguments."""
    return st.characters(codec="utf-8", **kwargs)


def text_without_surrogates(*, max_size=None, **character_args) -> st.SearchStrategy[str]:
    """``st.text`` over ``characters_without_surrogates(**character_args)``."""
    return st.text(characters_without_surrogates(**character_args), max_size=max_size)


# Markup a browser would run, wrapped around drawn text: for the sanitiser's tests.
DANGEROUS_WRAPPERS = [
    "<script>{}</script>",
    "<SCRIPT SRC=//evil.example/x.js>{}</SCRIPT>",
    '<p onclick="alert(1)">{}</p>',
    '<img src=x onerror="alert(1)">{}',
    '<a href="javascript:alert(1)">{}</a>',
    '<a href=" JaVaScRiPt:alert(1)">{}</a>',
    '<a href="&#106;avascript:alert(1)">{}</a>',
    '<svg onload="alert(1)">{}</svg>',
    '<iframe src="javascript:alert(1)">{}</iframe>',
    '<div style="background:url(javascript:alert(1))">{}</div>',
    '<body onload="alert(1)">{}</body>',
    '<form action="javascript:alert(1)"><button>{}</button></form>',
    '<strong onmouseover="alert(1)">{}</strong>',
    "<math><mtext><script>{}</script></mtext></math>",
    "<p>{}<style>*{{color:red}}</style></p>",
]


@st.composite
def dangerous_bodies(draw):
    # NUL is refused by every form field and cannot be stored in PostgreSQL's text columns.
    body = draw(text_without_surrogates(exclude_characters="\x00", max_size=40))
    for wrapper in draw(st.lists(st.sampled_from(DANGEROUS_WRAPPERS), min_size=1, max_size=4)):
        body = wrapper.format(body)
    return body
