"""A database made by the previous main migrates forward to the new layout, losing no row.

The withheld names and allowed words moved from the advocacy app to safeguarding, keeping
their tables (safeguarding 0001, advocacy 0005). Here the test database is taken back to the
previous main's leaf migrations, filled through that state's historical models, and migrated
forward (and back, and forward again): every row keeps its values, the two content types say
safeguarding, the permissions granted on them follow, and the guard still refuses the names.
"""

from dataclasses import asdict

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q

from core.publishing import Status
from safeguarding.guard import check_not_withheld, withheld_names_count
from safeguarding.matching import hashed_name, key_id, word_digest
from safeguarding.models import AllowedWord, WithheldName
from stories.models import Spokesperson, Story

pytestmark = pytest.mark.django_db(transaction=True)

# The leaves of the previous main (462edb3): safeguarding did not exist.
PREVIOUS_MAIN = [
    ("advocacy", "0004_safeguarding_allows_words"),
    ("stories", "0005_country_status"),
    ("campaigns", "0007_letters_anonymised"),
    ("safeguarding", None),
    ("core", None),  # core had no models: the workflow's trail came later
]
MOVED = ("withheldname", "allowedword")
GRANTED = {"view_allowedword", "add_allowedword", "delete_allowedword"}
REVIEWERS = "Safeguarding reviewers"
NAME_FIELDS = ("id", "digest", "length", "words", "key_id", "content_type_id", "object_id")
WORD_FIELDS = ("id", "digest", "key_id", "allowed_by_id", "created_at")


# advocacy 0006: the workflow's permissions, granted to each group there is.
WORKFLOW_GRANTS = {"Editors": 4, "Campaign managers": 2, "Safeguarding reviewers": 6}
# advocacy 0007: the redirects' four permissions, to Editors and Campaign managers.
REDIRECT_GRANTS = {"Editors": 4, "Campaign managers": 4}
# campaigns 0014: fulfilling booklet orders and their settings, to Campaign managers.
BOOKLET_GRANTS = {"Campaign managers": 3}


def with_workflow(counts):
    """The counts once the later migrations ran: the workflow's trail (empty) and its grants,
    the redirects (none) and theirs, the share-preview links (none), the page cache's
    content version (made by the first page served), the mail service's reports (none), and
    the weekly results summaries managers asked for (none)."""
    groups = Group.objects.values_list("name", flat=True)
    later = sum(
        WORKFLOW_GRANTS[name] + REDIRECT_GRANTS.get(name, 0) + BOOKLET_GRANTS.get(name, 0)
        for name in groups
    )
    grants = counts["auth_group_permissions"] + later
    new_tables = {
        "core_transition": 0,
        "core_redirect": 0,
        "core_sharepreview": 0,
        "core_contentversion": 0,
        "campaigns_deliveryevent": 0,
        "campaigns_bookletorder": 0,
        "campaigns_bookletsettings": 0,
        "campaigns_resultssubscription": 0,
    }
    return {**counts, **new_tables, "auth_group_permissions": grants}


def latest_leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def previous_main():
    """Back to the previous main, its advocacy 0004 run again: it made the reviewers' group
    and its grants, which a transactional test run earlier may have emptied."""
    later = [name for name in PREVIOUS_MAIN if name[0] in ("stories", "campaigns", "core")]
    migrate([("safeguarding", None), ("advocacy", "0003_canonical_names_and_allowed_words")])
    migrate(later)  # the workflow's migrations, made after the previous main, undone first
    return migrate(PREVIOUS_MAIN)


def migrate(targets):
    """Migrate the test database to targets; the historical apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()  # rows were relabelled under the cache
    executor = MigrationExecutor(connection)  # reload what is applied
    named = {app for app, _name in targets}
    nodes = [node for node in targets if node[1] is not None]
    nodes += [node for node in executor.loader.graph.leaf_nodes() if node[0] not in named]
    return executor.loader.project_state(nodes).apps


def table_counts():
    """Rows in every table but the migration records, by table."""
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - {"django_migrations"})
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return without_workflow_types(counts)


def without_workflow_types(counts):
    """Leave out the workflow's and the booklet's own content types and permissions: their
    migrations make them the first time they run, and, like every content type, they stay
    when migrated back."""
    booklet = Q(app_label="campaigns", model__startswith="booklet")
    later = Q(content_type__app_label="core") | Q(codename__startswith="publish_")
    later |= Q(codename__startswith="approve_sensitive_")
    later |= Q(content_type__app_label="campaigns", content_type__model__startswith="booklet")
    return {
        **counts,
        "auth_permission": counts["auth_permission"] - Permission.objects.filter(later).count(),
        "django_content_type": counts["django_content_type"]
        - ContentType.objects.filter(Q(app_label="core") | booklet).count(),
    }


@pytest.fixture
def at_latest_after():
    """Whatever happens, later tests find the database at the latest migrations."""
    yield
    migrate(latest_leaves())


def make_old_rows(apps):
    """What a site on the previous main holds: names recorded on a spokesperson and a story,
    a word allowed by a reviewer, who is in the group the old migration granted."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    OldWithheldName = apps.get_model("advocacy", "WithheldName")
    OldAllowedWord = apps.get_model("advocacy", "AllowedWord")
    LogEntry = apps.get_model("admin", "LogEntry")
    OldSpokesperson = apps.get_model("stories", "Spokesperson")
    OldStory = apps.get_model("stories", "Story")

    spokesperson = OldSpokesperson.objects.create(
        name="Timothy Cho", slug="timothy-cho", status=Status.PUBLISHED
    )
    story = OldStory.objects.create(
        title="A church reopens",
        slug="church-reopens",
        standfirst="After three years.",
        body="<p>The doors opened on Sunday.</p>",
        status=Status.PUBLISHED,
    )
    reviewer = User.objects.create(username="reviewer", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=REVIEWERS))

    def record(owner, line):
        name = hashed_name(line)
        owner_type, _ = ContentType.objects.get_or_create(
            app_label=owner._meta.app_label, model=owner._meta.model_name
        )
        return (
            OldWithheldName.objects.create(  # the hash as the guard makes it: digest, length, words
                **asdict(name), key_id=key_id(), content_type=owner_type, object_id=owner.pk
            )
        )

    record(spokesperson, "Kim")
    record(story, "Soyeon Park")
    record(story, "Min-jun")
    OldWithheldName.objects.create(  # recorded before canonical forms: no length
        digest="ab" * 32,
        length=None,
        words=2,
        key_id=key_id(),
        content_type=ContentType.objects.get(app_label="stories", model="story"),
        object_id=story.pk,
    )
    allowed = OldAllowedWord.objects.create(
        digest=word_digest("Kimberley"), key_id=key_id(), allowed_by=reviewer
    )
    LogEntry.objects.create(  # the admin's history of it
        user=reviewer,
        content_type=ContentType.objects.get(app_label="advocacy", model="allowedword"),
        object_id=str(allowed.pk),
        object_repr=f"allowed word {allowed.pk}",
        action_flag=ADDITION,
    )
    return {
        "names": list(OldWithheldName.objects.order_by("pk").values(*NAME_FIELDS, "created_at")),
        "words": list(OldAllowedWord.objects.order_by("pk").values(*WORD_FIELDS)),
        "content_types": dict(
            ContentType.objects.filter(app_label="advocacy", model__in=MOVED).values_list(
                "model", "pk"
            )
        ),
        "history": list(LogEntry.objects.values_list("content_type_id", "object_id")),
        "spokesperson": spokesperson.pk,
        "story": story.pk,
        "reviewer": reviewer.pk,
    }


def granted():
    """The reviewers' grants on the allowed words, as app_label.codename."""
    return {
        f"{label}.{codename}"
        for label, codename in Group.objects.get(name=REVIEWERS)
        .permissions.filter(content_type__model="allowedword")
        .values_list("content_type__app_label", "codename")
    }


def assert_old_layout(made, apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    OldWithheldName = apps.get_model("advocacy", "WithheldName")
    OldAllowedWord = apps.get_model("advocacy", "AllowedWord")
    assert not ContentType.objects.filter(app_label="safeguarding").exists()
    assert (
        dict(ContentType.objects.filter(model__in=MOVED).values_list("model", "pk"))
        == made["content_types"]
    )
    assert {
        f"{label}.{codename}"
        for label, codename in Group.objects.get(name=REVIEWERS)
        .permissions.filter(content_type__model="allowedword")
        .values_list("content_type__app_label", "codename")
    } == {f"advocacy.{codename}" for codename in GRANTED}
    assert (
        list(OldWithheldName.objects.order_by("pk").values(*NAME_FIELDS, "created_at"))
        == made["names"]
    )
    assert list(OldAllowedWord.objects.order_by("pk").values(*WORD_FIELDS)) == made["words"]


def assert_new_layout(made):
    # Every row, with the same values, read by the real models.
    assert (
        list(WithheldName.objects.order_by("pk").values(*NAME_FIELDS, "created_at"))
        == (made["names"])
    )
    assert list(AllowedWord.objects.order_by("pk").values(*WORD_FIELDS)) == made["words"]
    assert AllowedWord.objects.get().allowed_by_id == made["reviewer"]

    # The same two content types, relabelled: none left in advocacy, none made twice.
    moved = ContentType.objects.filter(model__in=MOVED)
    assert sorted(moved.values_list("app_label", "model", "pk")) == sorted(
        ("safeguarding", model, pk) for model, pk in made["content_types"].items()
    )
    assert ContentType.objects.get_for_model(AllowedWord).pk == made["content_types"]["allowedword"]
    assert (
        ContentType.objects.get_for_model(WithheldName).pk
        == (made["content_types"]["withheldname"])
    )
    assert not ContentType.objects.filter(app_label="advocacy").exists()
    assert list(LogEntry.objects.values_list("content_type_id", "object_id")) == made["history"]
    for model in MOVED:
        codenames = list(
            Permission.objects.filter(content_type__model=model).values_list("codename", flat=True)
        )
        assert sorted(codenames) == sorted(
            f"{action}_{model}" for action in ("add", "change", "delete", "view")
        )

    # The grants followed: the group and its member hold them under the new label.
    assert granted() == {f"safeguarding.{codename}" for codename in GRANTED}
    reviewer = get_user_model().objects.get(pk=made["reviewer"])
    assert reviewer.has_perms([f"safeguarding.{codename}" for codename in GRANTED])
    assert not reviewer.has_perm("safeguarding.change_allowedword")

    # The owners still own their names, and the guard still refuses them.
    story = Story.objects.get(pk=made["story"])
    spokesperson = Spokesperson.objects.get(pk=made["spokesperson"])
    assert withheld_names_count(owner=story) == 3
    assert withheld_names_count(owner=spokesperson) == 1
    assert WithheldName.objects.for_owner(story).filter(length__isnull=True).count() == 1
    check_not_withheld(story)  # the text holds no name yet
    story.hero_caption = "A map of Kimberley"  # the allowed word
    check_not_withheld(story)
    for caption in ("With Soyeon Park in June", "Min-jun's church", "A map of Kimberley, Kim"):
        story.hero_caption = caption
        with pytest.raises(ValidationError, match="Image caption contains a name"):
            check_not_withheld(story)
    story.hero_caption = "A map of Kimono"  # a name inside a word not allowed
    with pytest.raises(ValidationError, match="inside the word “Kimono”"):
        story.full_clean()
    spokesperson.biography = "Soyeon Park's pastor"  # a name is refused on every page
    with pytest.raises(ValidationError, match="Biography contains a name"):
        spokesperson.full_clean()


def test_a_database_of_the_previous_main_migrates_forward_and_back_keeping_every_row(
    at_latest_after,
):
    old_apps = previous_main()
    assert "safeguarding" not in {app.label for app in old_apps.get_app_configs()}
    assert {
        model._meta.model_name for model in old_apps.get_app_config("advocacy").get_models()
    } == set(MOVED)
    assert granted() == {f"advocacy.{codename}" for codename in GRANTED}
    made = make_old_rows(old_apps)
    before = table_counts()

    migrate(latest_leaves())

    assert table_counts() == with_workflow(before)
    assert_new_layout(made)

    old_apps = migrate(PREVIOUS_MAIN)

    assert table_counts() == before
    assert_old_layout(made, old_apps)

    migrate(latest_leaves())

    assert table_counts() == with_workflow(before)
    assert_new_layout(made)


def test_content_types_made_early_by_the_new_code_are_merged_keeping_the_grants(
    at_latest_after,
):
    """New code that ran before its migrations (get_for_model makes a content type) left
    safeguarding content types and permissions: the relabel keeps the old, granted ones."""
    old_apps = previous_main()
    made = make_old_rows(old_apps)
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    OldPermission = old_apps.get_model("auth", "Permission")
    for model in MOVED:
        early = OldContentType.objects.create(app_label="safeguarding", model=model)
        for action in ("add", "change", "delete", "view"):
            OldPermission.objects.create(
                content_type=early, codename=f"{action}_{model}", name=f"Can {action} {model}"
            )
    before = table_counts()

    migrate(latest_leaves())

    after = table_counts()
    before = with_workflow(before)
    assert after.pop("django_content_type") == before.pop("django_content_type") - 2
    assert after.pop("auth_permission") == before.pop("auth_permission") - 8
    assert after == before
    assert (
        list(WithheldName.objects.order_by("pk").values(*NAME_FIELDS, "created_at"))
        == (made["names"])
    )
    assert list(AllowedWord.objects.order_by("pk").values(*WORD_FIELDS)) == made["words"]
    assert not ContentType.objects.filter(app_label="advocacy").exists()
    assert ContentType.objects.filter(app_label="safeguarding", model__in=MOVED).count() == 2
    allowed_word_type = ContentType.objects.get_for_model(AllowedWord)
    assert LogEntry.objects.get().content_type == allowed_word_type  # the history follows
    assert LogEntry.objects.get().get_edited_object() == AllowedWord.objects.get()
    for model in MOVED:
        assert Permission.objects.filter(content_type__model=model).count() == 4
    assert granted() == {f"safeguarding.{codename}" for codename in GRANTED}
    reviewer = get_user_model().objects.get(pk=made["reviewer"])
    assert reviewer.has_perms([f"safeguarding.{codename}" for codename in GRANTED])
