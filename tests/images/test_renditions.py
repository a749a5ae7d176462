"""Renditions: each picture at a few widths, WebP and JPEG/PNG, made from the clean original.

Files are read back from storage as bytes; pages are read as a browser reads them.
"""

import io
import logging
import re
from unittest.mock import patch

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from PIL import Image

from images import renditions
from images.renditions import ensure_renditions, make_renditions, renditions_for
from stories.models import Spokesperson, Story
from tests.support.factories import (
    make_prayer_request,
    make_spokesperson,
    make_story,
    metadata_in,
    tagged_image_bytes,
)
from tests.support.html import content, form_fields, tags, text
from tests.support.queries import SPOKESPERSON_DETAIL_QUERIES, STORY_DETAIL_QUERIES
from tests.support.workflow import publish_as_another_editor

pytestmark = pytest.mark.django_db

FORMATS = ["JPEG", "PNG", "WEBP"]
FORMAT_OF = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
COLUMN_SIZES = "(min-width: 49.5em) 47.25em, calc(100vw - 2.25em)"


def upload(content, name="IMG_2041 Pastor Ahmed at home.jpg"):
    return SimpleUploadedFile(name, content)


def story_with_picture(content=None, name="IMG_2041 Pastor Ahmed at home.jpg", **overrides):
    if content is None:
        content = tagged_image_bytes("JPEG", size=(2000, 1000), orientation=1)
    return make_story(hero_image=upload(content, name), hero_alt="A church at dusk", **overrides)


def stored_bytes(name):
    with default_storage.open(name, "rb") as file:
        return file.read()


def candidates(srcset):
    """(storage name, width) for each candidate of a srcset."""
    pairs = [each.strip().rsplit(" ", 1) for each in srcset.split(",")]
    return [
        (url.removeprefix(settings.MEDIA_URL), int(width.removesuffix("w"))) for url, width in pairs
    ]


def pictures(page):
    """For each <picture>: its WebP <source> and its <img>, as attributes."""
    sources, images = tags(page, "source"), tags(page, "img")
    assert len(sources) == len(images) == page.count("<picture>")
    return list(zip(sources, images, strict=True))


def rendition_files(page):
    """(storage name, width) of every rendition the page offers."""
    return [
        each
        for source, img in pictures(page)
        for each in candidates(source["srcset"]) + candidates(img["srcset"])
    ]


# Names and widths


def test_renditions_are_named_from_the_original_at_each_width_and_in_both_formats():
    names = [
        (each.name, each.width, each.height, each.format)
        for each in renditions_for("stories/0a1b.jpg", 4000, 3000)
    ]

    assert names == [
        ("renditions/0a1b-480.webp", 480, 360, "WEBP"),
        ("renditions/0a1b-960.webp", 960, 720, "WEBP"),
        ("renditions/0a1b-1600.webp", 1600, 1200, "WEBP"),
        ("renditions/0a1b-480.jpg", 480, 360, "JPEG"),
        ("renditions/0a1b-960.jpg", 960, 720, "JPEG"),
        ("renditions/0a1b-1600.jpg", 1600, 1200, "JPEG"),
    ]


@pytest.mark.parametrize(
    "name, width, height, expected",
    [
        ("stories/a.png", 1200, 630, [(480, 252), (960, 504), (1200, 630)]),
        ("stories/a.webp", 800, 1200, [(480, 720), (800, 1200)]),
        ("spokespeople/a.jpg", 20, 40, [(20, 40)]),
    ],
)
def test_widths_stop_at_the_originals(name, width, height, expected):
    renditions = renditions_for(name, width, height)

    assert [(each.width, each.height) for each in renditions] == expected * 2


@pytest.mark.parametrize(
    "name, fallback", [("a.jpg", "JPEG"), ("a.webp", "JPEG"), ("a.png", "PNG")]
)
def test_photos_fall_back_to_jpeg_and_pngs_to_png(name, fallback):
    formats = {each.format for each in renditions_for(name, 2000, 1000)}

    assert formats == {"WEBP", fallback}


# The page


def test_the_story_page_offers_webp_and_jpeg_at_every_width(client):
    story = story_with_picture()

    page = content(client.get(story.get_absolute_url()))

    ((source, img),) = pictures(page)
    assert source["type"] == "image/webp"
    assert [width for _, width in candidates(source["srcset"])] == [480, 960, 1600]
    assert [width for _, width in candidates(img["srcset"])] == [480, 960, 1600]
    assert all(name.endswith(".webp") for name, _ in candidates(source["srcset"]))
    assert all(name.endswith(".jpg") for name, _ in candidates(img["srcset"]))
    assert source["sizes"] == img["sizes"] == COLUMN_SIZES
    assert (img["width"], img["height"], img["alt"]) == ("2000", "1000", "A church at dusk")
    assert img["src"] == story.hero_image.url  # for browsers without srcset: the clean original


def test_the_share_preview_image_is_the_original_at_its_full_address(client):
    story = story_with_picture()

    page = content(client.get(story.get_absolute_url()))

    (og_image,) = [
        tag["content"] for tag in tags(page, "meta") if tag.get("property") == "og:image"
    ]
    assert og_image == f"http://testserver{settings.MEDIA_URL}{story.hero_image.name}"


def test_a_picture_narrower_than_the_smallest_width_is_offered_at_its_own_size(client):
    story = story_with_picture(tagged_image_bytes("JPEG", size=(64, 48), orientation=1))

    page = content(client.get(story.get_absolute_url()))

    ((source, img),) = pictures(page)
    stem = story.hero_image.name.removeprefix("stories/").removesuffix(".jpg")
    assert source["srcset"] == f"{settings.MEDIA_URL}renditions/{stem}-64.webp"
    assert img["srcset"] == f"{settings.MEDIA_URL}renditions/{stem}-64.jpg"
    assert "sizes" not in source and "sizes" not in img
    assert (img["width"], img["height"]) == ("64", "48")


def test_every_rendition_is_stored_at_its_width_in_its_format(client):
    story = story_with_picture()

    page = content(client.get(story.get_absolute_url()))

    for name, width in rendition_files(page):
        with Image.open(io.BytesIO(stored_bytes(name))) as image:
            assert image.format == FORMAT_OF[name.rsplit(".", 1)[1]]
            assert image.size == (width, width // 2)


def test_the_hero_is_fetched_first_not_lazily(client):
    page = content(client.get(story_with_picture().get_absolute_url()))

    ((_, img),) = pictures(page)
    assert "loading" not in img and img["fetchpriority"] == "high"


def test_the_portrait_is_sized_for_its_column(client):
    person = make_spokesperson(
        photo=upload(tagged_image_bytes("PNG", size=(600, 800), orientation=1), "me.png"),
        photo_alt="Mary smiling",
    )

    page = content(client.get(person.get_absolute_url()))

    ((source, img),) = pictures(page)
    assert img["class"] == "portrait" and img["alt"] == "Mary smiling"
    assert img["sizes"] == source["sizes"] == "(min-width: 20.25em) 18em, calc(100vw - 2.25em)"
    assert [width for _, width in candidates(img["srcset"])] == [480, 600]
    assert all(name.endswith(".png") for name, _ in candidates(img["srcset"]))


def render_picture(image, **arguments):
    options = " ".join(f"{name}={value}" for name, value in arguments.items())
    html = Template("{% load pictures %}{% picture image " + options + " %}").render(
        Context({"image": image})
    )
    ((_, img),) = pictures(html)
    return img


def test_a_decorative_picture_has_an_empty_alt():
    story = story_with_picture()

    assert render_picture(story.hero_image, alt="'A church'", decorative=True)["alt"] == ""
    assert render_picture(story.hero_image, alt="'A church'")["alt"] == "A church"


def test_pictures_lower_down_are_loaded_lazily():
    img = render_picture(story_with_picture().hero_image, alt="'A church'")

    assert (img["loading"], img["decoding"]) == ("lazy", "async")


def test_a_missing_original_still_shows_the_picture(client, caplog):
    story = story_with_picture()
    default_storage.delete(story.hero_image.name)

    with caplog.at_level(logging.WARNING, logger="images.templatetags.pictures"):
        response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    page = content(response)
    (img,) = tags(page, "img")
    assert not tags(page, "source")
    assert img["src"] == story.hero_image.url and "srcset" not in img
    assert f"No renditions for {story.hero_image.name}" in caplog.text


# Made once, from the clean original, bare


@pytest.mark.parametrize("image_format", FORMATS)
def test_every_rendition_is_bare_and_upright(client, image_format):
    """A sideways 1200 x 800 phone picture with GPS, XMP and IPTC: stands 800 x 1200."""
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    story = story_with_picture(
        tagged_image_bytes(image_format, size=(1200, 800)), name=f"IMG_2041.{extension}"
    )

    page = content(client.get(story.get_absolute_url()))

    files = rendition_files(page)
    assert sorted(width for _, width in files) == [480, 480, 800, 800]
    for name, width in [(story.hero_image.name, 800), *files]:
        data = stored_bytes(name)
        stored_format = FORMAT_OF[name.rsplit(".", 1)[1]]
        assert metadata_in(data, stored_format) == [], name
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (width, width * 3 // 2), name
            top, bottom = (
                image.convert("RGB").getpixel((width // 2, 5)),
                image.convert("RGB").getpixel((width // 2, width * 3 // 2 - 5)),
            )
        assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0], name


def test_a_second_view_makes_nothing_and_does_not_look_in_storage(client):
    """On S3 a look is a request: a page must not make one per picture."""
    story = story_with_picture()
    client.get(story.get_absolute_url())

    with (
        patch.object(default_storage, "exists", wraps=default_storage.exists) as exists,
        patch.object(default_storage, "save", side_effect=AssertionError("made again")),
    ):
        assert client.get(story.get_absolute_url()).status_code == 200

    assert exists.call_count == 0


def test_another_process_looks_once_and_makes_nothing(client):
    story = story_with_picture()
    client.get(story.get_absolute_url())
    renditions._seen_stored.clear()  # what a fresh server process knows

    with (
        patch.object(default_storage, "exists", wraps=default_storage.exists) as exists,
        patch.object(default_storage, "save", side_effect=AssertionError("made again")),
    ):
        assert client.get(story.get_absolute_url()).status_code == 200
        assert client.get(story.get_absolute_url()).status_code == 200

    assert exists.call_count == 1


def test_a_picture_made_twice_at_once_leaves_one_file_per_rendition():
    story = story_with_picture()
    renditions = renditions_for(story.hero_image.name, 2000, 1000)

    make_renditions(default_storage, story.hero_image.name, renditions)
    make_renditions(default_storage, story.hero_image.name, renditions)  # the slower request

    _, files = default_storage.listdir("renditions")
    assert sorted(files) == sorted(each.name.removeprefix("renditions/") for each in renditions)


def test_missing_renditions_are_made_again():
    story = story_with_picture()
    renditions = ensure_renditions(default_storage, story.hero_image.name, 2000, 1000)
    default_storage.delete(renditions[-1].name)
    default_storage.delete(renditions[0].name)

    ensure_renditions(default_storage, story.hero_image.name, 2000, 1000)

    assert all(default_storage.exists(each.name) for each in renditions)


def test_a_see_through_webp_falls_back_to_jpeg_on_white_and_keeps_its_alpha_in_webp():
    buffer = io.BytesIO()
    Image.new("RGBA", (600, 300), (255, 0, 0, 0)).save(buffer, format="WEBP", lossless=True)
    story = story_with_picture(buffer.getvalue(), name="logo.webp")

    renditions = ensure_renditions(default_storage, story.hero_image.name, 600, 300)

    webp, jpeg = renditions[0], renditions[-1]
    with Image.open(io.BytesIO(stored_bytes(jpeg.name))) as image:
        assert image.format == "JPEG" and min(image.getpixel((300, 150))) > 245
    with Image.open(io.BytesIO(stored_bytes(webp.name))) as image:
        assert image.mode == "RGBA" and image.getpixel((300, 150))[3] == 0


# The budget: renditions cost no query


@pytest.mark.parametrize("view", ["first", "later"])
def test_pictures_add_no_queries(client, view, django_assert_num_queries):
    """The same pages with and without pictures, on the first view (renditions made) or later."""
    prayer = make_prayer_request()
    photo = upload(tagged_image_bytes("JPEG", size=(600, 800)), "me.jpg")
    people = [make_spokesperson(photo=photo, photo_alt="Mary"), make_spokesperson()]
    hero = {"hero_image": upload(tagged_image_bytes("JPEG", size=(2000, 1000))), "hero_alt": "A"}
    stories = [
        make_story(spokespeople=[person], prayer_request=prayer, pull_quotes=["Pray."], **picture)
        for person, picture in zip(people, [hero, {}], strict=True)
    ]
    if view == "later":
        client.get(stories[0].get_absolute_url())
        client.get(people[0].get_absolute_url())

    # With pictures first, then the same pages without: each costs exactly its page's budget.
    budgets = [STORY_DETAIL_QUERIES, SPOKESPERSON_DETAIL_QUERIES]
    for pages in (stories[:1] + people[:1], stories[1:] + people[1:]):
        for page, budget in zip(pages, budgets, strict=True):
            with django_assert_num_queries(budget):
                assert client.get(page.get_absolute_url()).status_code == 200


# An editor's upload, end to end


def add_form(admin_client, url, form_id):
    """The form's fields as a browser would post them, inline rows left empty."""
    fields = form_fields(content(admin_client.get(url)), form_id)
    return {name: value for name, value in fields.items() if "__prefix__" not in name}


def test_a_phone_photo_uploaded_in_the_admin_is_bare_everywhere(admin_client, client):
    photo = tagged_image_bytes("JPEG", size=(1200, 800))  # sideways, with GPS, XMP and IPTC
    assert metadata_in(photo, "JPEG")
    url = reverse("admin:stories_story_add")
    data = {
        **add_form(admin_client, url, "story_form"),
        "title": "Pastor released",
        "slug": "pastor-released",
        "standfirst": "After six months, Pastor Ahmed is home.",
        "body": "<p>He is free.</p>",
        "hero_image": upload(photo, "IMG_2041 Pastor Ahmed at home.jpg"),
        "hero_alt": "A man with his family",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, text(content(response))
    story = Story.objects.get(slug="pastor-released")
    assert re.fullmatch(r"stories/[0-9a-f]{32}\.jpg", story.hero_image.name)
    assert metadata_in(stored_bytes(story.hero_image.name), "JPEG") == []
    assert (story.hero_width, story.hero_height) == (800, 1200)
    made = renditions_for(story.hero_image.name, story.hero_width, story.hero_height)
    assert all(story.hero_image.storage.exists(each.name) for each in made)  # made on save
    publish_as_another_editor(story)  # the status is the workflow's, not the form's
    page = content(client.get(story.get_absolute_url()))
    files = rendition_files(page)
    assert len(files) == 4
    for name, _ in files:
        assert metadata_in(stored_bytes(name), FORMAT_OF[name.rsplit(".", 1)[1]]) == [], name


def test_a_portrait_changed_in_the_admin_is_bare_everywhere(admin_client, client):
    person = make_spokesperson()
    url = reverse("admin:stories_spokesperson_change", args=[person.pk])
    data = {
        **add_form(admin_client, url, "spokesperson_form"),
        "photo": upload(tagged_image_bytes("WEBP", size=(600, 900)), "Mary at home.webp"),
        "photo_alt": "A woman smiling",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, text(content(response))
    person = Spokesperson.objects.get(pk=person.pk)
    assert metadata_in(stored_bytes(person.photo.name), "WEBP") == []
    assert (person.photo_width, person.photo_height) == (900, 600)
    files = rendition_files(content(client.get(person.get_absolute_url())))
    assert len(files) == 4
    for name, _ in files:
        assert metadata_in(stored_bytes(name), FORMAT_OF[name.rsplit(".", 1)[1]]) == [], name
