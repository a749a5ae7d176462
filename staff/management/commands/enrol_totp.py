import io

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Enrol a TOTP authenticator app for a staff member: prints an otpauth:// URI and a QR "
        "code to scan. Give them to the staff member alone; anyone holding them can make codes. "
        "Refuses a user who already has one unless --replace is given (lost phone)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The staff member's username.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete the user's existing TOTP devices first."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the user; enrol and print nothing."
        )

    @transaction.atomic
    def handle(self, *args, username, replace, dry_run, verbosity, **options):
        user = self.staff_member(username)
        existing = TOTPDevice.objects.devices_for_user(user, confirmed=None)
        if existing.exists() and not replace:
            raise CommandError(
                f"{username} already has an authenticator app enrolled; "
                "use --replace to enrol a new one in its place."
            )
        if dry_run:
            self.stdout.write(f"Would enrol an authenticator app for {username}.")
            return
        existing.delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        self.stdout.write(device.config_url)
        if verbosity >= 1:
            self.stdout.write(self.qr_code(device.config_url))
            self.stdout.write(
                self.style.SUCCESS(f"Enrolled an authenticator app for {username}: scan the code.")
            )

    def staff_member(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username}.")
        if not (user.is_active and user.is_staff):
            raise CommandError(f"{username} is not an active staff member.")
        return user

    def qr_code(self, data):
        code = qrcode.QRCode(border=2)
        code.add_data(data)
        text = io.StringIO()
        # Dark squares drawn light, for the usual dark terminal.
        code.print_ascii(out=text, invert=True)
        return text.getvalue()
