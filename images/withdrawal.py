"""Pictures leave the site with their item: when an item is taken down, the original and every
rendition of each of its pictures move from the served media storage to a storage no URL
serves, under the same names (so no row changes); before the item is public again they move
back.

Any model with a ``CleanImageField`` is covered, found through the app registry, so this app
names none of them. A file that another item still on the site shows (a picture reused) stays
where it is: it leaves with the last public item that shows it.

Files move with the Storage API only (``exists``, ``open``, ``save``, ``delete``, ``listdir``),
so object storage (django-storages) works as the file system does: a move there is a copy
and a delete.
"""

import logging
import re
from pathlib import PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models

from core.publishing import going_public
from core.takedown import TakeDownHook
from images.fields import CleanImageField
from images.renditions import RENDITIONS_DIR, renditions_for

logger = logging.getLogger(__name__)

WITHDRAWN_STORAGE = "withdrawn"


def withdrawn_storage() -> Storage:
    """``STORAGES["withdrawn"]`` when set (a private bucket); else ``WITHDRAWN_MEDIA_ROOT``, a
    folder beside the media folder that no URL maps."""
    if WITHDRAWN_STORAGE in settings.STORAGES:
        return storages[WITHDRAWN_STORAGE]
    return FileSystemStorage(location=settings.WITHDRAWN_MEDIA_ROOT)


def image_fields(model: type[models.Model]) -> list[CleanImageField]:
    return [field for field in model._meta.fields if isinstance(field, CleanImageField)]


def item_images_withdraw(item: models.Model) -> None:
    """Move item's pictures and their renditions out of the served storage."""
    target = withdrawn_storage()
    for field in image_fields(type(item)):
        image = getattr(item, field.attname)
        if not image:
            continue
        if shown_elsewhere(image.name, besides=item):
            logger.info("Kept %s: another item on the site shows it", image.name)
            continue
        for name in picture_files(item, field, image.storage):
            move(name, source=image.storage, target=target)


def item_images_restore(item: models.Model) -> None:
    """Move item's withdrawn pictures and renditions back to the served storage.

    Every publishing step calls this: a picture whose original is not withdrawn costs one
    check (on S3 one request), not a listing and a check per file. The original goes back
    last, so a return that stopped half way is finished by the next.
    """
    source = withdrawn_storage()
    for field in image_fields(type(item)):
        image = getattr(item, field.attname)
        if image and source.exists(image.name):
            for name in reversed(picture_files(item, field, source)):
                move(name, source=source, target=image.storage)


def shown_elsewhere(name: str, *, besides: models.Model) -> bool:
    """Whether an item other than ``besides`` that is on the site (or scheduled) shows the file."""
    for model in apps.get_models():
        for field in image_fields(model):
            others = going_public(model._default_manager.filter(**{field.name: name}))
            if model is type(besides):
                others = others.exclude(pk=besides.pk)
            if others.exists():
                return True
    return False


def picture_files(item: models.Model, field: CleanImageField, storage: Storage) -> list[str]:
    """The original's name and its renditions' names, as found in storage.

    The renditions the current widths give, and any others stored under the original's name
    (made when the widths were different).
    """
    image = getattr(item, field.attname)
    width = getattr(item, field.width_field or "", None)
    height = getattr(item, field.height_field or "", None)
    names = [image.name]
    if width and height:
        names += [each.name for each in renditions_for(image.name, width, height)]
    names += stored_renditions(image.name, storage)
    return list(dict.fromkeys(names))


def stored_renditions(original_name: str, storage: Storage) -> list[str]:
    """Every rendition in storage made from the original of this name."""
    stem = re.escape(PurePosixPath(original_name).stem)
    pattern = re.compile(rf"{stem}-\d+\.\w+")
    try:
        _folders, files = storage.listdir(RENDITIONS_DIR)
    except FileNotFoundError:
        return []
    return [f"{RENDITIONS_DIR}/{file}" for file in files if pattern.fullmatch(file)]


def move(name: str, *, source: Storage, target: Storage) -> None:
    """Move one file between storages under the same name; nothing if source lacks it."""
    if not source.exists(name):
        return
    if target.exists(name):  # left by a move that stopped half way: the source is current
        target.delete(name)
    with source.open(name, "rb") as file:
        stored = target.save(name, file)
    if stored != name:
        target.delete(stored)
        raise OSError(f"Could not move {name}: the storage saved it as {stored}")
    source.delete(name)


IMAGES_TAKE_DOWN = TakeDownHook(withdraw=item_images_withdraw, restore=item_images_restore)
