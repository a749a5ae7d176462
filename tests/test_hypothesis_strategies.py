"""Every hypothesis text strategy in the tests draws only text that UTF-8 can encode."""

import ast
from pathlib import Path

from hypothesis import find, settings
from hypothesis.errors import NoSuchExample

from tests.support.strategies import dangerous_bodies, text_without_surrogates

TESTS = Path(__file__).resolve().parent
SHARED = TESTS / "support" / "strategies.py"
RAW_TEXT_STRATEGIES = {"text", "characters"}


def raw_text_strategy_calls(path):
    """``st.text(...)`` or ``st.characters(...)`` called directly in a test module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(TESTS.parent)}:{node.lineno} st.{node.func.attr}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in RAW_TEXT_STRATEGIES
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "st"
    ]


def test_no_test_builds_its_own_text_strategy():
    assert SHARED.is_file()
    calls = [
        call
        for path in sorted(TESTS.rglob("*.py"))
        if path != SHARED
        for call in raw_text_strategy_calls(path)
    ]

    assert calls == [], "use tests/support/strategies.py, which leaves out lone surrogates"


def has_surrogate(value):
    return any(0xD800 <= ord(char) <= 0xDFFF for char in value)


def never_draws_a_surrogate(strategy):
    try:
        find(strategy, has_surrogate, settings=settings(max_examples=2000, database=None))
    except NoSuchExample:
        return True
    return False


def test_the_shared_text_strategy_never_draws_a_surrogate():
    assert never_draws_a_surrogate(
        text_without_surrogates(min_codepoint=0xD000, max_codepoint=0xE000)
    )


def test_the_sanitiser_strategy_never_draws_a_surrogate():
    assert never_draws_a_surrogate(dangerous_bodies())
