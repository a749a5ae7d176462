"""Two real server processes, one database file: a change made anywhere is on both at once.

Each process keeps its own pages (LocMem) or both share Redis; either way the content version
is one (the database row, or the Redis key), so neither process serves a page from before a
change. Changes are made by the app's own code in a third process: the workflow's services,
and the admin's views through Django's test client, as staff would make them.
"""

import json
import shutil
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support import processes
from tests.support.redis import PAGES_REDIS_URL, redis_or_skip
from tests.support.servers import get, gunicorns

SETTINGS = "advocacy.settings.dev"


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory):
    """A migrated SQLite file with the demo content, made once for the module."""
    path = tmp_path_factory.mktemp("site") / "seeded.sqlite3"
    environment = {"DATABASE_URL": f"sqlite:///{path}"}
    for command in (["migrate", "-v0"], ["load_seeds", "-v0"]):
        result = processes.run(["manage.py", *command], SETTINGS, **environment)
        assert result.returncode == 0, result.stderr
    return path


class Site:
    """Two servers over one database, and a third process to change it with the app's code."""

    def __init__(self, ports, environment):
        self.ports, self.environment = ports, environment

    def run(self, code: str) -> str:
        program = f"import django\ndjango.setup()\n{code}"
        result = processes.run(["-c", program], SETTINGS, **self.environment)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def pages(self, path: str) -> list[tuple[int, str]]:
        return [get(port, path) for port in self.ports]

    def warmed(self, path: str) -> list[str]:
        """The page on each server, asked twice: the second answer comes from its cache."""
        first = self.pages(path)
        assert self.pages(path) == first
        return [text for _status, text in first]


@pytest.fixture(scope="module", params=["locmem", "redis"])
def site(request, seeded_file, tmp_path_factory):
    database = tmp_path_factory.mktemp(request.param) / "site.sqlite3"
    shutil.copy(seeded_file, database)
    environment = {
        "DATABASE_URL": f"sqlite:///{database}",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DEBUG": "false",
        "PAGE_CACHE_SECONDS": "60",
    }
    if request.param == "redis":
        redis_or_skip()
        environment["PAGE_CACHE_REDIS_URL"] = PAGES_REDIS_URL
    with gunicorns(2, SETTINGS, **environment) as ports:
        site = Site(ports, environment)
        site.run(FLUSH_PAGES)
        yield site
        site.run(FLUSH_PAGES)


FLUSH_PAGES = "from django.core.cache import caches; caches['pages'].clear()"
STORY = """
from stories.models import Story
story = Story.objects.published().order_by("pk")[{index}]
"""
EDITORS = """
from django.contrib.auth.models import Group, User
def editor(name):
    user, _ = User.objects.get_or_create(username=name, defaults=dict(is_staff=True))
    user.groups.add(Group.objects.get(name="Editors"))
    return user
"""


def story_at(site, index: int) -> dict:
    code = STORY.format(index=index) + (
        "import json; print(json.dumps({'url': story.get_absolute_url(), 'title': story.title}))"
    )
    return json.loads(site.run(code))


def test_both_servers_serve_from_their_cache(site):
    story = story_at(site, 0)
    site.warmed(story["url"])

    site.run(STORY.format(index=0) + "Story.objects.filter(pk=story.pk).update(title='Behind')")

    assert all(story["title"] in text for text in site.warmed(story["url"]))
    site.run(
        STORY.format(index=0)
        + f"Story.objects.filter(pk=story.pk).update(title={story['title']!r})"
    )
    site.run("from core.cache_version import content_version_bump; content_version_bump()")


def test_a_take_down_is_off_both_servers_at_once(site):
    story = story_at(site, 1)
    site.warmed(story["url"])

    site.run(
        STORY.format(index=1)
        + EDITORS
        + "from core.workflow import item_transition\n"
        + "item_transition(story, step='take_down', by=editor('taker'))"
    )

    assert [status for status, _text in site.pages(story["url"])] == [410, 410]


def test_an_edit_in_the_admin_is_on_both_servers_at_once(site):
    story = story_at(site, 2)
    site.warmed(story["url"])

    site.run(
        STORY.format(index=2)
        + EDITORS
        + "from django.test import Client\n"
        + "from core.admin_urls import admin_url\n"
        + "from tests.support.workflow import change_form\n"
        + "staff = Client(); staff.force_login(editor('writer'))\n"
        + "fields = change_form(staff, story) | {'title': 'Edited in the admin'}\n"
        + "answer = staff.post(admin_url(story, 'change', story.pk), fields)\n"
        + "assert answer.status_code == 302, answer.content[:2000]\n"
    )

    assert all("Edited in the admin" in text for _status, text in site.pages(story["url"]))


def test_publishing_is_on_both_servers_at_once(site):
    site.warmed("/stories/")

    site.run(PUBLISHED_NOW.format(title="Published while cached", at="None"))

    assert all("Published while cached" in text for _status, text in site.pages("/stories/"))


def test_a_scheduled_story_appears_on_both_servers_at_its_time(site):
    due = timezone.now() + timedelta(seconds=3)
    site.run(PUBLISHED_NOW.format(title="Due in three seconds", at=f"'{due.isoformat()}'"))
    assert all("Due in three seconds" not in text for text in site.warmed("/stories/"))

    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.2)

    assert all("Due in three seconds" in text for _status, text in site.pages("/stories/"))


def test_a_recorded_withheld_name_is_off_both_servers_at_once(site):
    story = story_at(site, 3)
    word = story["title"].split()[-1]
    assert all(word in text for text in site.warmed(story["url"]))

    site.run(
        STORY.format(index=3)
        + "from safeguarding.guard import withheld_names_record, withheld_take_down\n"
        + "withheld_names_record(owner=story, text=story.title)\n"
        + "assert withheld_take_down()\n"
    )

    assert [status for status, _text in site.pages(story["url"])] == [410, 410]


PUBLISHED_NOW = (
    EDITORS
    + """
from datetime import datetime
from core.publishing import Status
from core.workflow import item_transition
from stories.models import Story
at = {at}
story = Story.objects.create(
    title="{title}", slug="{title}".lower().replace(" ", "-"), standfirst="New.",
    body="<p>New.</p>", status=Status.DRAFT, edited_by=editor("writer"),
)
at = at and datetime.fromisoformat(at)
item_transition(story, step="publish", by=editor("publisher"), at=at)
"""
)
