from django.apps import apps
from django.core.management.base import BaseCommand

from images.renditions import STORAGE_ERRORS, ensure_renditions, renditions_for
from images.withdrawal import image_fields


def stored_pictures():
    """(label, file, width, height) of every picture any model stores, found by its field."""
    for model in apps.get_models():
        for field in image_fields(model):
            sizes = [name for name in (field.width_field, field.height_field) if name]
            rows = model._default_manager.exclude(**{field.name: ""}).order_by("pk")
            for row in rows.only("pk", field.name, *sizes).iterator():
                width = getattr(row, field.width_field or "", None)
                height = getattr(row, field.height_field or "", None)
                yield f"{model._meta.label} {row.pk}", getattr(row, field.attname), width, height


class Command(BaseCommand):
    help = (
        "Make the renditions every stored picture is missing, as the admin makes them on save: "
        "after changing IMAGE_RENDITION_WIDTHS or moving media to S3, so that no reader's page "
        "makes them. Pictures of items taken down (not in the served storage) are left alone. "
        "Safe to run again: a picture whose renditions are all there costs one check."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the pictures missing renditions only."
        )

    def handle(self, *, dry_run, verbosity, **options):
        counts = {"made": 0, "complete": 0, "absent": 0, "failed": 0}
        for label, image, width, height in stored_pictures():
            outcome = self.picture_prepare(image, width, height, dry_run=dry_run)
            counts[outcome] += 1
            if outcome == "failed":
                self.stderr.write(f"{label}: could not make renditions of {image.name}.")
            elif verbosity >= 2 and outcome != "complete":
                self.stdout.write(f"  {label} {image.name}: {self.said(outcome, dry_run)}")
        if verbosity:
            self.stdout.write(
                f"Renditions {'would be made' if dry_run else 'made'} for {counts['made']} "
                f"picture(s); {counts['complete']} already complete; {counts['absent']} not in "
                f"the served storage (taken down); {counts['failed']} failed."
            )

    @staticmethod
    def picture_prepare(image, width, height, *, dry_run) -> str:
        storage = image.storage
        try:
            if not (width and height):  # not recorded at upload: measured from the file
                width, height = image.width, image.height
            if storage.exists(renditions_for(image.name, width, height)[-1].name):
                return "complete"
            if not storage.exists(image.name):
                return "absent"
            if not dry_run:
                ensure_renditions(storage, image.name, width, height)
        except STORAGE_ERRORS:
            return "failed"
        return "made"

    @staticmethod
    def said(outcome, dry_run) -> str:
        if outcome == "made":
            return "would make its renditions" if dry_run else "renditions made"
        return {"absent": "not in the served storage", "failed": "failed"}[outcome]
