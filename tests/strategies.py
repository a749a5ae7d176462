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
