"""A change to a published sensitive item waits for approval; the approved version stays up.

The public pages read only the live rows: the page, the list, the feed and the sitemap show
the approved text (its pull quotes, its picture) until a safeguarding reviewer approves the
waiting change, and then the new one.
"""

from datetime import timedelta

import pytest
import reversion
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from core.admin_urls import admin_url
from core.models import Transition
from core.publishing import Publishable, Status
from core.share_previews import share_preview_create
from core.workflow import TransitionRefused, item_edited, item_transition
from safeguarding.guard import withheld_names_record
from stories.models import PullQuote, Story
from tests.support.factories import make_prayer_request, make_spokesperson, make_story, make_upload
from tests.support.html import content, form_fields, select, tags, text
from tests.support.workflow import as_sent, change_form, client_for, member_of

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ("story", "/stories/", "/stories/feed/", "/")


@pytest.fixture
def live_story(writer, reviewer):
    """A story quoting a name-changed spokesperson, written by writer, approved and public."""
    hidden = make_spokesperson(name="Pastor K", name_changed=True)
    story = make_story(
        status=Status.DRAFT,
        title="The church meets at night",
        standfirst="They gather after dark.",
        pull_quotes=[("We still meet.", hidden)],
    )
    item_edited(story, by=writer)
    item_transition(story, step="submit", by=writer)
    item_transition(story, step="approve", by=reviewer)
    story.refresh_from_db()
    return story


def change_url(item):
    return admin_url(item, "change", item.pk)


def workflow_url(item):
    return admin_url(item, "workflow", item.pk)


def the_form(client, item):
    """The change form's fields as a browser would send them back, and the page."""
    page = content(client.get(change_url(item)))
    return as_sent(form_fields(page, f"{item._meta.model_name}_form")), page


def save(client, item, **changes):
    fields, _page = the_form(client, item)
    return client.post(change_url(item), {**fields, **changes}, follow=True)


def press(client, item, step, **data):
    response = client.post(workflow_url(item), {"workflow_step": step, **data}, follow=True)
    return text(content(response))


def public_text(client, story):
    """What the public reads of story: its page, the list, the feed and the home page."""
    return {
        url: content(client.get(story.get_absolute_url() if url == "story" else url))
        for url in PUBLIC_PAGES
    }


def waiting_picture(story):
    """The file name of the picture in story's waiting change (uploads get random names)."""
    version = story.pending_revision.version_set.get(
        object_id=str(story.pk), content_type__model="story"
    )
    name = version.field_dict["hero_image"].name
    assert name and name != story.hero_image.name
    return name


def stem(name):
    """The file's own name without folder or extension: renditions are named after it."""
    return name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def pictures(page):
    return [img["src"] for img in tags(page, "img")]


def shows(pages, words):
    return {url: words in page for url, page in pages.items()}


def everywhere(value):
    return dict.fromkeys(PUBLIC_PAGES, value)


# The live version stays up


def test_an_edit_waits_and_the_public_keeps_reading_the_approved_version(
    client, live_story, writer
):
    response = save(
        client_for(writer),
        live_story,
        title="The church meets by day",
        standfirst="They gather in the open now.",
    )

    assert "waiting for safeguarding approval" in text(content(response))
    live_story.refresh_from_db()
    assert (live_story.status, live_story.title) == (Status.PUBLISHED, "The church meets at night")
    assert live_story.has_waiting_change
    pages = public_text(client, live_story)
    assert shows(pages, "The church meets at night") == everywhere(True)
    assert shows(pages, "The church meets by day") == everywhere(False)
    assert f"{live_story.get_absolute_url()}</loc>" in content(client.get("/sitemap.xml"))


def test_a_changed_pull_quote_and_a_new_picture_wait_too(client, live_story, writer):
    old_picture = live_story.hero_image.name
    save(
        client_for(writer),
        live_story,
        **{"pull_quotes-0-text": "We meet in the forest now."},
        hero_image=make_upload(name="new-picture.png"),
        hero_alt="A clearing in a forest",
    )

    live_story.refresh_from_db()
    assert live_story.hero_image.name == old_picture
    assert list(live_story.pull_quotes.values_list("text", flat=True)) == ["We still meet."]
    page = content(client.get(live_story.get_absolute_url()))
    assert "We still meet." in page
    assert "We meet in the forest now." not in page
    new_picture = waiting_picture(live_story)
    assert not [src for src in pictures(page) if stem(new_picture) in src]
    assert "A clearing in a forest" not in page


def test_a_quote_added_in_the_waiting_change_is_not_on_the_site(client, live_story, writer):
    fields, _page = the_form(client_for(writer), live_story)
    added = {
        "pull_quotes-TOTAL_FORMS": "2",
        "pull_quotes-1-text": "Pray for the children.",
        "pull_quotes-1-attribution": "A church member",
        "pull_quotes-1-position": "1",
        "pull_quotes-1-story": str(live_story.pk),
    }
    client_for(writer).post(change_url(live_story), {**fields, **added})

    assert PullQuote.objects.filter(story=live_story).count() == 1
    assert "Pray for the children." not in content(client.get(live_story.get_absolute_url()))


def test_the_approved_change_goes_on_the_site(client, live_story, writer):
    save(
        client_for(writer),
        live_story,
        title="The church meets by day",
        **{"pull_quotes-0-text": "We meet in the forest now."},
        hero_image=make_upload(name="new-picture.png"),
        hero_alt="A clearing in a forest",
    )
    live_story.refresh_from_db()
    new_picture = waiting_picture(live_story)
    approver = member_of("Safeguarding reviewers", "second-reviewer")

    page = press(client_for(approver), live_story, "approve_change")

    assert "Approve the waiting change: now Published." in page
    live_story.refresh_from_db()
    assert not live_story.has_waiting_change
    assert live_story.approved_version  # of this version: a later change waits again
    pages = public_text(client, live_story)
    assert shows(pages, "The church meets by day") == everywhere(True)
    story_page = pages["story"]
    assert "We meet in the forest now." in story_page
    assert live_story.hero_image.name == new_picture
    assert [src for src in pictures(story_page) if stem(new_picture) in src]


def test_the_change_form_shows_the_waiting_version_and_says_so(live_story, writer, reviewer):
    save(client_for(writer), live_story, **{"pull_quotes-0-text": "We meet in the forest now."})

    for user in (writer, reviewer):
        fields, page = the_form(client_for(user), live_story)
        assert fields["pull_quotes-0-text"] == "We meet in the forest now."
        assert "A change waits for safeguarding approval" in text(page)
    assert PullQuote.objects.get(story=live_story).text == "We still meet."  # shown, not saved


def test_the_waiting_change_survives_another_save(live_story, writer):
    editor = client_for(writer)
    save(editor, live_story, title="The church meets by day")
    save(editor, live_story, standfirst="They gather in the open now.")

    fields, _page = the_form(editor, live_story)
    assert (fields["title"], fields["standfirst"]) == (
        "The church meets by day",
        "They gather in the open now.",
    )
    live_story.refresh_from_db()
    assert (live_story.title, live_story.standfirst) == (
        "The church meets at night",
        "They gather after dark.",
    )
    assert Transition.objects.for_item(live_story).filter(name="change_waits").count() == 2


def test_a_change_that_makes_a_story_sensitive_waits(client, writer):
    story = make_story(title="A plain story")
    hidden = make_spokesperson(name="Brother Y", name_changed=True)

    save(client_for(writer), story, title="A story with Brother Y", spokespeople=[hidden.pk])

    story.refresh_from_db()
    assert (story.sensitive, story.has_waiting_change) == (True, True)
    assert list(story.spokespeople.all()) == []
    page = content(client.get(story.get_absolute_url()))
    assert "A plain story" in page and "Brother Y" not in page


def test_an_edit_to_an_item_that_is_not_sensitive_goes_live_at_once(client, writer):
    story = make_story(title="A plain story")

    save(client_for(writer), story, title="A plainer story")

    story.refresh_from_db()
    assert (story.title, story.has_waiting_change) == ("A plainer story", False)
    assert "A plainer story" in content(client.get(story.get_absolute_url()))


def test_a_waiting_change_keeps_the_prayers_counted_meanwhile(client, writer, reviewer):
    prayer = make_prayer_request(sensitive=True, status=Status.DRAFT)
    item_edited(prayer, by=writer)
    item_transition(prayer, step="submit", by=writer)
    item_transition(prayer, step="approve", by=reviewer)
    save(client_for(writer), prayer, title="A new heading")
    client.post(reverse("stories:prayed", args=[prayer.slug]))

    item_transition(prayer, step="approve_change", by=reviewer)

    prayer.refresh_from_db()
    assert (prayer.title, prayer.prayed_count) == ("A new heading", 1)


# Who may do what with a waiting change


def test_nobody_approves_their_own_change(live_story, reviewer):
    save(client_for(reviewer), live_story, title="The reviewer's own headline")

    with pytest.raises(TransitionRefused, match="Four eyes"):
        item_transition(live_story, step="approve_change", by=reviewer)
    live_story.refresh_from_db()
    assert (live_story.title, live_story.has_waiting_change) == ("The church meets at night", True)


def test_an_editor_may_not_approve_a_waiting_change(live_story, writer):
    save(client_for(writer), live_story, title="The church meets by day")
    editor = member_of("Editors", "second-editor")

    with pytest.raises(TransitionRefused, match="You may not"):
        item_transition(live_story, step="approve_change", by=editor)


def test_the_reviewer_sees_the_buttons_for_the_waiting_change(live_story, writer, reviewer):
    save(client_for(writer), live_story, title="The church meets by day")

    _fields, page = the_form(client_for(reviewer), live_story)
    labels = [button.get_text() for button in select(page, "button[name=workflow_step]")]
    assert labels[-3:] == [
        "Approve the waiting change",
        "Request changes to the waiting change",
        "Discard the waiting change",
    ]


def test_waiting_for_me_lists_a_published_story_with_a_waiting_change(live_story, writer):
    save(client_for(writer), live_story, title="The church meets by day")
    changelist = reverse("admin:stories_story_changelist") + "?waiting=me"

    def listed(user):
        page = content(client_for(user).get(changelist))
        return [link.get_text() for link in select(page, "#result_list tbody th a")]

    assert listed(member_of("Safeguarding reviewers", "second-reviewer")) == [live_story.title]
    assert listed(writer) == []


def test_request_changes_keeps_the_live_version_and_the_waiting_change(live_story, writer):
    save(client_for(writer), live_story, title="The church meets by day")
    reviewing = client_for(member_of("Safeguarding reviewers", "second-reviewer"))

    assert "comment is required" in press(reviewing, live_story, "return_change")
    press(reviewing, live_story, "return_change", workflow_comment="Leave out the time of day.")

    live_story.refresh_from_db()
    assert (live_story.status, live_story.title) == (Status.PUBLISHED, "The church meets at night")
    assert live_story.has_waiting_change
    fields, _page = the_form(client_for(writer), live_story)
    assert fields["title"] == "The church meets by day"
    last = Transition.objects.for_item(live_story).first()
    assert (last.name, last.comment) == ("return_change", "Leave out the time of day.")


def test_the_editor_discards_the_waiting_change(live_story, writer):
    editor = client_for(writer)
    save(editor, live_story, **{"pull_quotes-0-text": "We meet in the forest now."})

    press(editor, live_story, "discard_change")

    live_story.refresh_from_db()
    assert (live_story.status, live_story.has_waiting_change) == (Status.PUBLISHED, False)
    fields, page = the_form(editor, live_story)
    assert fields["pull_quotes-0-text"] == "We still meet."
    assert "A change waits" not in text(page)


def test_unpublishing_sets_the_waiting_change_aside(live_story, writer, reviewer):
    save(client_for(writer), live_story, title="The church meets by day")

    item_transition(live_story, step="unpublish", by=reviewer)

    live_story.refresh_from_db()
    assert (live_story.status, live_story.pending_revision) == (Status.DRAFT, None)
    assert live_story.title == "The church meets at night"


def test_reverting_a_published_story_to_an_old_version_waits_too(client, live_story, writer):
    with reversion.create_revision():
        live_story.save()  # the approved version, in the history
    night = Version.objects.get_for_object(live_story).first()
    save(client_for(writer), live_story, title="The church meets by day")
    approver = member_of("Safeguarding reviewers", "second-reviewer")
    item_transition(live_story, step="approve_change", by=approver)
    url = reverse("admin:stories_story_revision", args=[live_story.pk, night.pk])
    editor = client_for(writer)
    editor.post(url, change_form(editor, live_story, url=url))

    live_story.refresh_from_db()
    assert (live_story.title, live_story.has_waiting_change) == ("The church meets by day", True)
    assert "The church meets by day" in content(client.get(live_story.get_absolute_url()))
    assert the_form(editor, live_story)[0]["title"] == "The church meets at night"


def test_a_direct_save_without_the_live_version_still_takes_it_off_the_site(live_story, writer):
    Story.objects.filter(pk=live_story.pk).update(title="Changed in the shell")

    sent_back = item_edited(live_story, by=writer)

    live_story.refresh_from_db()
    assert (sent_back.name, live_story.status) == ("sent_back", Status.SAFEGUARDING)


# The withheld-names guard reads the version that goes on the site

NAME = "Gwak Min-cheol"  # made up, for these tests only


def test_a_waiting_change_holding_a_withheld_name_is_not_approved(live_story, writer):
    save(client_for(writer), live_story, standfirst=f"They gather at {NAME}'s farm.")
    withheld_names_record(owner=live_story, text=NAME)  # redacts the waiting change too

    with pytest.raises(TransitionRefused, match="Not published: they still show “.withheld.”"):
        item_transition(
            live_story,
            step="approve_change",
            by=member_of("Safeguarding reviewers", "second-reviewer"),
        )
    live_story.refresh_from_db()
    assert (live_story.standfirst, live_story.has_waiting_change) == (
        "They gather after dark.",
        True,
    )


def test_a_name_withheld_in_the_save_that_removes_it_takes_the_live_version_down(
    client, writer, reviewer
):
    story = make_story(status=Status.DRAFT, standfirst=f"{NAME} leads them.", sensitive=True)
    item_edited(story, by=writer)
    item_transition(story, step="submit", by=writer)
    item_transition(story, step="approve", by=reviewer)

    save(client_for(writer), story, standfirst="Their pastor leads them.", withheld_names=NAME)

    story.refresh_from_db()
    assert (story.status, story.standfirst) == (Status.SAFEGUARDING, "Their pastor leads them.")
    assert client.get(story.get_absolute_url()).status_code == 404
    assert Transition.objects.for_item(story).first().name == "sent_back"


def test_every_count_the_public_keeps_is_declared_so_no_version_rewinds_it():
    """A counter staff never edit (prayers, letters) must be in ``public_counts``; picture
    sizes are not counters: they belong to the picture of each version."""
    for model in apps.get_models():
        if not issubclass(model, Publishable):
            continue
        fields = model._meta.fields
        sizes = {getattr(f, name, None) for f in fields for name in ("width_field", "height_field")}
        counts = {
            field.name
            for field in fields
            if isinstance(field, models.PositiveIntegerField)
            and not field.editable
            and field.name not in sizes
        }
        assert counts == set(model.public_counts), model._meta.label


def test_a_waiting_change_naming_someone_since_deleted_is_refused_and_can_be_discarded(
    live_story, writer
):
    newcomer = make_spokesperson(name="Sister Z")
    save(client_for(writer), live_story, spokespeople=[newcomer.pk])
    newcomer.delete()
    approver = member_of("Safeguarding reviewers", "second-reviewer")

    with pytest.raises(TransitionRefused, match="could not be brought back"):
        item_transition(live_story, step="approve_change", by=approver)
    _fields, page = the_form(client_for(writer), live_story)
    assert "could not be brought back" in text(page)
    press(client_for(writer), live_story, "discard_change")

    live_story.refresh_from_db()
    assert (live_story.status, live_story.has_waiting_change) == (Status.PUBLISHED, False)


def test_a_change_to_a_scheduled_sensitive_story_waits_too(writer, reviewer):
    story = make_story(status=Status.DRAFT, title="Due next week", sensitive=True)
    item_edited(story, by=writer)
    item_transition(story, step="submit", by=writer)
    item_transition(story, step="approve", by=reviewer, at=timezone.now() + timedelta(days=7))

    save(client_for(writer), story, title="Due next week, changed")

    story.refresh_from_db()
    assert (story.title, story.has_waiting_change, story.is_published) == (
        "Due next week",
        True,
        False,
    )


def test_a_share_link_made_while_a_change_waits_shows_the_change_not_the_live_version(
    client, live_story, writer, reviewer
):
    save(client_for(writer), live_story, title="The church meets by day")
    live_story.refresh_from_db()

    _link, token = share_preview_create(item=live_story, by=reviewer)

    shared = content(client.get(reverse("share_preview", args=[token])))
    assert select(shared, "h1")[0].get_text(strip=True) == "The church meets by day"
    live_story.refresh_from_db()  # reading the change for the link left the live rows alone
    assert live_story.title == "The church meets at night"
    assert "The church meets by day" not in content(client.get(live_story.get_absolute_url()))
