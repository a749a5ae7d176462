"""The staff most of core's workflow tests need: an Editor who writes, a Safeguarding reviewer."""

import pytest

from tests.support.workflow import member_of


@pytest.fixture
def writer():
    return member_of("Editors", "writer")


@pytest.fixture
def reviewer():
    return member_of("Safeguarding reviewers", "reviewer")
