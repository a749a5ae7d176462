"""Comparing two versions of an item on its History page.

Field by field: links shown by name, inline rows (pull quotes, prayer points) as lines, rich
text as readable paragraphs with a word diff in <del>/<ins>. Built on django-reversion's
VersionAdmin, whose revert and recover views stay as they are (and keep the workflow's rule,
see core.admin_workflow). No script: two radio buttons per version and a submit button.
"""

import html
import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from django.contrib.admin.utils import quote, unquote
from django.contrib.messages import WARNING
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.models import Version

from core.admin_urls import admin_url
from core.publishing import Status, has_status

EMPTY = "(empty)"
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")
_BLOCK_END = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|blockquote|br|hr)\b[^>]*>", re.IGNORECASE)
_WORDS = re.compile(r"\S+|\s+")


@dataclass(frozen=True)
class FieldChange:
    label: str
    diff: SafeString


# What a version shows, as lines of readable text


def text_lines(value: str) -> list[str]:
    """Rich text as its paragraphs, without markup; plain text as its lines."""
    if _TAG.search(value):
        parts = (html.unescape(strip_tags(part)) for part in _BLOCK_END.split(value))
    else:
        parts = value.splitlines()
    return [line for part in parts if (line := " ".join(part.split()))]


def _named(model: type[models.Model], pks) -> list[str]:
    """Linked items by name, sorted; an item deleted since shows its number."""
    found = model._base_manager.in_bulk(list(pks))
    return sorted(str(found[pk]) if pk in found else f"#{pk} (deleted)" for pk in pks)


def field_lines(field: models.Field, value) -> list[str]:
    """One field's value in a version, as the lines compared."""
    if value is None or value == "" or value == []:
        return []
    if field.many_to_many:
        return _named(field.related_model, value)
    if field.is_relation:
        return _named(field.related_model, [value])
    if field.choices:
        return [str(dict(field.flatchoices).get(value, value))]
    if isinstance(field, models.BooleanField):
        return ["Yes" if value else "No"]
    if isinstance(value, datetime):
        return [timezone.localtime(value).strftime("%d %b %Y %H:%M")]
    return text_lines(str(value))


def _compared_fields(model: type[models.Model]) -> list[models.Field]:
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [field for field in fields if not field.primary_key and field.editable]


def _row_line(version: Version, parent_field: str) -> str:
    values = version.field_dict
    shown = (
        f"{capfirst(field.verbose_name)}: {' '.join(lines)}"
        for field in _compared_fields(version._model)
        if field.name != parent_field and (lines := field_lines(field, values.get(field.attname)))
    )
    return "; ".join(shown)


def row_lines(version: Version) -> dict[str, list[str]]:
    """The inline rows saved with a version (the rows pointing at the item), by kind."""
    model, rows = version._model, {}
    for row in version.revision.version_set.exclude(pk=version.pk).order_by("pk"):
        row_model = row._model
        for field in row_model._meta.concrete_fields:
            points_here = field.is_relation and field.related_model is model
            if points_here and str(row.field_dict.get(field.attname)) == str(version.object_id):
                label = str(capfirst(row_model._meta.verbose_name_plural))
                rows.setdefault(label, []).append(_row_line(row, field.name))
    return {label: sorted(lines) for label, lines in rows.items()}


def version_lines(version: Version) -> dict[str, list[str]]:
    """Everything a version shows, by label: its fields, then its inline rows."""
    values = version.field_dict
    lines = {
        str(capfirst(field.verbose_name)): field_lines(field, values.get(field.attname))
        for field in _compared_fields(version._model)
    }
    return lines | row_lines(version)


# Differences


def word_diff(before: str, after: str) -> SafeString:
    """One line changed: the words taken out in <del>, the words put in in <ins>."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            out.append(format_html("<del>{}</del>", "".join(old[i1:i2])))
        if j2 > j1:
            out.append(format_html("<ins>{}</ins>", "".join(new[j1:j2])))
    return mark_safe("".join(out))  # noqa: S308  (every part escaped above)


def lines_diff(before: list[str], after: list[str]) -> SafeString:
    """Lines as paragraphs: unchanged, word-diffed where one line became another, whole
    lines in <del> or <ins> where they were taken out or added."""
    parts = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts += [escape(line) for line in before[i1:i2]]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            parts += [
                word_diff(old, new) for old, new in zip(before[i1:i2], after[j1:j2], strict=True)
            ]
        else:
            parts += [format_html("<del>{}</del>", line) for line in before[i1:i2]]
            parts += [format_html("<ins>{}</ins>", line) for line in after[j1:j2]]
    return format_html_join("", "<p>{}</p>", ((part,) for part in parts or [EMPTY]))


def versions_compare(older: Version, newer: Version) -> list[FieldChange]:
    """What differs between two versions of one item, field by field, in the form's order."""
    before, after = version_lines(older), version_lines(newer)
    return [
        FieldChange(label, lines_diff(before.get(label, []), after.get(label, [])))
        for label in dict.fromkeys([*before, *after])
        if before.get(label, []) != after.get(label, [])
    ]


# The admin


class HistoryAdmin(VersionAdmin):
    """VersionAdmin with "Compare" on the History page: use it for every public model."""

    object_history_template = "core/history/object_history.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_compare"
        view = self.admin_site.admin_view(self.compare_view)
        return [path("<path:object_id>/history/compare/", view, name=name), *super().get_urls()]

    def _reversion_revisionform_view(self, request, version, *args, **kwargs):
        """Reverting restores an old version's text, never its status (a country's status is
        a field of its form): it stays as it is now, and a recovered item (no row now) comes
        back as a draft. Publishing is always a step of its own."""
        if has_status(self.model):
            now = self.model._base_manager.filter(pk=version.object_id)
            request.history_status = now.values_list("status", flat=True).first() or Status.DRAFT
        return super()._reversion_revisionform_view(request, version, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if status := getattr(request, "history_status", None):
            obj.status = status
        super().save_model(request, obj, form, change)

    def _versions(self, request, object_id):
        versions = Version.objects.get_for_object_reference(self.model, object_id)
        return self._reversion_order_version_queryset(
            request, versions.select_related("revision", "revision__user")
        )

    def history_view(self, request, object_id, extra_context=None):
        versions = list(self._versions(request, unquote(object_id)))
        rows = [
            (version, admin_url(self.model, "revision", quote(version.object_id), version.pk))
            for version in versions
        ]
        newest = sorted(versions, key=lambda version: version.pk)[-2:]
        context = {
            "history_rows": rows,
            "compare_a": newest[0].pk if newest else None,
            "compare_b": newest[-1].pk if newest else None,
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        """The differences between the two versions chosen on the History page."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        picked = [request.GET.get(name, "") for name in ("a", "b")]
        picked = [int(pk) for pk in picked if pk.isdigit()]
        chosen = self._versions(request, object_id).filter(pk__in=picked)
        if len(picked) == 2 and picked[0] == picked[1] and len(chosen) == 1:
            self.message_user(request, "Choose two different versions to compare.", WARNING)
            return HttpResponseRedirect(admin_url(self.model, "history", object_id))
        try:
            older, newer = sorted(chosen, key=lambda version: version.pk)
        except ValueError:
            raise Http404("Choose two different versions of this item.") from None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions of {newer.object_repr}",
            "opts": self.opts,
            "object_id": object_id,
            "original": self.model._base_manager.filter(pk=object_id).first(),
            "older": older,
            "newer": newer,
            "changes": versions_compare(older, newer),
            "history_url": admin_url(self.model, "history", object_id),
        }
        return TemplateResponse(request, "core/history/compare.html", context)
