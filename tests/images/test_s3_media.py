"""Media on S3: the pipeline, renditions, pages, take-down and seeds against moto's S3 server.

Objects are listed through the S3 API and pictures fetched over HTTP as a browser would, with
no credentials: what the buckets hold and serve, not what the storage class says.
"""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from advocacy.seeding import load_seeds
from core.admin_urls import admin_url
from core.publishing import Status
from core.workflow import item_transition
from images import renditions
from images.renditions import renditions_for
from images.withdrawal import withdrawn_storage
from stories.models import Story
from tests.support.factories import make_story, metadata_in, tagged_image_bytes
from tests.support.html import content, form_fields, tags, text
from tests.support.s3 import fetch
from tests.support.workflow import (
    change_form,
    client_for,
    member_of,
    publish_as_another_editor,
)

pytestmark = pytest.mark.django_db


def admin_upload(admin_client, photo_bytes):
    """An editor adds a story with a phone photo through the admin; the story as saved."""
    url = reverse("admin:stories_story_add")
    fields = form_fields(content(admin_client.get(url)), "story_form")
    data = {name: value for name, value in fields.items() if "__prefix__" not in name} | {
        "title": "Pastor released",
        "slug": "pastor-released",
        "standfirst": "After six months, Pastor Ahmed is home.",
        "body": "<p>He is free.</p>",
        "hero_image": SimpleUploadedFile("IMG_2041 at home.jpg", photo_bytes),
        "hero_alt": "A man with his family",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, text(content(response))
    return Story.objects.get(slug="pastor-released")


@pytest.fixture
def story(s3_media, admin_client):
    """A published story whose sideways phone photo (GPS, XMP, IPTC) went through the admin."""
    return publish_as_another_editor(
        admin_upload(admin_client, tagged_image_bytes("JPEG", size=(2000, 1000)))
    )


def picture_names(story):
    """The storage names of the story's picture and of each of its renditions."""
    image = story.hero_image
    made = renditions_for(image.name, story.hero_width, story.hero_height)
    return sorted([image.name, *(each.name for each in made)])


def page_picture_urls(page):
    """Every address a page gives its pictures: <img src>, and each srcset candidate."""
    urls = [img["src"] for img in tags(page, "img")]
    for tag in tags(page, "img") + tags(page, "source"):
        urls += [each.strip().split(" ")[0] for each in tag.get("srcset", "").split(",")]
    return [url for url in urls if url]


# Upload and renditions


def test_an_upload_stores_the_clean_original_and_its_renditions_in_the_public_bucket(
    s3_media, admin_client
):
    story = admin_upload(admin_client, tagged_image_bytes("JPEG", size=(2000, 1000)))

    assert re.fullmatch(r"stories/[0-9a-f]{32}\.jpg", story.hero_image.name)
    assert s3_media.public_keys() == picture_names(story)  # made on save, nothing else
    assert len(s3_media.public_keys()) == 7
    assert s3_media.private_keys() == []
    original = fetch(s3_media.media_url + story.hero_image.name)
    assert metadata_in(original.body, "JPEG") == []
    with Image.open(io.BytesIO(original.body)) as image:
        assert image.size == (story.hero_width, story.hero_height) == (1000, 2000)  # upright


def test_the_page_names_the_media_domain_and_each_address_answers_with_the_image(
    s3_media, client, story
):
    page = content(client.get(story.get_absolute_url()))

    urls = page_picture_urls(page)
    assert len(urls) == 7  # the original, and 3 widths each of WebP and JPEG
    assert all(url.startswith(s3_media.media_url) for url in urls), urls
    for url in urls:
        answer = fetch(url)
        assert answer.status == 200, url
        assert answer.cache_control == "public, max-age=300", url
        expected = "image/webp" if url.endswith(".webp") else "image/jpeg"
        assert answer.content_type == expected, url
        with Image.open(io.BytesIO(answer.body)) as image:
            assert image.format == expected.removeprefix("image/").upper(), url


def test_the_share_preview_image_is_the_original_on_the_media_domain(s3_media, client, story):
    page = content(client.get(story.get_absolute_url()))

    (og_image,) = [
        tag["content"] for tag in tags(page, "meta") if tag.get("property") == "og:image"
    ]
    assert og_image == s3_media.media_url + story.hero_image.name
    assert fetch(og_image).status == 200


def test_showing_pages_makes_no_request_to_s3(s3_media, client, story):
    client.get(story.get_absolute_url())  # this process has now seen the renditions stored
    requests = []
    events = default_storage.connection.meta.client.meta.events
    events.register("before-send.s3", lambda **kwargs: requests.append(kwargs["request"].url))

    for _ in range(3):
        assert client.get(story.get_absolute_url()).status_code == 200
        assert client.get(reverse("stories:story_list")).status_code == 200

    assert requests == []


def test_a_new_server_process_asks_s3_once_per_picture_and_makes_nothing(s3_media, client, story):
    renditions._seen_stored.clear()  # what a freshly started process knows
    requests = []
    events = default_storage.connection.meta.client.meta.events
    events.register("before-send.s3", lambda **kwargs: requests.append(kwargs["request"].method))

    for _ in range(3):
        assert client.get(story.get_absolute_url()).status_code == 200

    assert requests == ["HEAD"]


# Take-down and return


def test_publishing_a_story_never_taken_down_asks_the_private_bucket_once(s3_media, admin_client):
    story = admin_upload(admin_client, tagged_image_bytes("JPEG", size=(2000, 1000)))
    requests = []
    events = withdrawn_storage().connection.meta.client.meta.events
    events.register("before-send.s3", lambda **kwargs: requests.append(kwargs["request"].method))

    publish_as_another_editor(story)

    assert requests == ["HEAD"]


def test_a_take_down_moves_every_file_to_the_private_bucket(s3_media, client, story):
    names = picture_names(story)
    urls = page_picture_urls(content(client.get(story.get_absolute_url())))

    item_transition(story, step="take_down", by=member_of("Editors", "writer"))

    assert client.get(story.get_absolute_url()).status_code == 410
    assert s3_media.public_keys() == []
    assert s3_media.private_keys() == names  # the same names: no row changes
    assert [fetch(url).status for url in urls] == [404] * len(urls)


def test_no_address_reaches_a_withdrawn_picture(s3_media, client, story):
    names = picture_names(story)
    item_transition(story, step="take_down", by=member_of("Editors", "writer"))

    # Neither on the media domain, nor at the private bucket's own address: it has no public
    # policy, its objects no ACL, and its storage signs no URL.
    on_media_domain = [default_storage.url(name) for name in names]
    in_private_bucket = [withdrawn_storage().url(name) for name in names]
    assert not any("Signature" in url or "X-Amz" in url for url in in_private_bucket)
    assert [fetch(url).status for url in on_media_domain] == [404] * len(names)
    assert [fetch(url).status for url in in_private_bucket] == [403] * len(names)
    assert all(withdrawn_storage().exists(name) for name in names)  # yet kept, to come back


def test_editing_a_taken_down_story_leaves_its_picture_in_the_private_bucket(s3_media, story):
    names = picture_names(story)
    writer = member_of("Editors", "writer")
    item_transition(story, step="take_down", by=writer)
    editing = client_for(writer)

    response = editing.post(admin_url(story, "change", story.pk), change_form(editing, story))

    assert response.status_code == 302, text(content(response))
    story.refresh_from_db()
    assert (story.hero_width, story.hero_height) == (1000, 2000)  # kept, though not served
    assert s3_media.public_keys() == []
    assert s3_media.private_keys() == names


def test_approving_it_again_brings_every_file_back(s3_media, client, story):
    names = picture_names(story)
    item_transition(story, step="take_down", by=member_of("Editors", "writer"))

    item_transition(story, step="approve", by=member_of("Safeguarding reviewers", "reviewer"))

    assert s3_media.public_keys() == names
    assert s3_media.private_keys() == []
    urls = page_picture_urls(content(client.get(story.get_absolute_url())))
    answers = [fetch(url) for url in urls]
    assert len(urls) == 7 and [answer.status for answer in answers] == [200] * 7
    assert {answer.cache_control for answer in answers} == {"public, max-age=300"}


def test_a_picture_another_public_story_shows_stays_in_the_public_bucket(s3_media, story):
    make_story(hero_image=story.hero_image.name, hero_alt="The same church")  # reused

    item_transition(story, step="take_down", by=member_of("Editors", "writer"))

    assert s3_media.public_keys() == picture_names(story)
    assert s3_media.private_keys() == []


# Deletion and seeds


def test_deleting_a_story_in_the_admin_works_and_keeps_its_files_for_recovery(
    s3_media, admin_client, story
):
    names = picture_names(story)
    url = reverse("admin:stories_story_delete", args=[story.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302 and not Story.objects.filter(pk=story.pk).exists()
    assert s3_media.public_keys() == names  # django-reversion can bring the story back


def test_the_seeds_draw_each_illustration_into_the_bucket_with_its_renditions(s3_media, client):
    load_seeds()

    stories = list(Story.objects.all())
    assert stories
    expected = sorted(name for each in stories for name in picture_names(each))
    assert s3_media.public_keys() == expected
    story = next(each for each in stories if each.status == Status.PUBLISHED)
    urls = page_picture_urls(content(client.get(story.get_absolute_url())))
    assert urls and all(fetch(url).status == 200 for url in urls)


def test_make_renditions_fills_in_pictures_stored_before_renditions_were_made(s3_media):
    story = make_story(hero_image=SimpleUploadedFile("a.jpg", tagged_image_bytes("JPEG")))
    assert s3_media.public_keys() == [story.hero_image.name]  # as copied from a media folder

    call_command("make_renditions", verbosity=0)

    assert s3_media.public_keys() == picture_names(story)


def test_a_dry_run_of_the_seeds_leaves_the_bucket_empty(s3_media):
    load_seeds(dry_run=True)

    assert s3_media.public_keys() == []
