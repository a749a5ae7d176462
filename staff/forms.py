from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import throttle


class StaffLoginForm(AdminAuthenticationForm):
    """Username, password and, when two-factor is required, the code from a TOTP app."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        # One message for a wrong password and a wrong code: neither tells a guesser which.
        "invalid_code": _(
            "Please enter the correct %(username)s, password and code for a staff account. "
            "Note that the username and password may be case-sensitive."
        ),
        "throttled": _(
            "Too many failed attempts. Wait 15 minutes and try again, or log in from a "
            "network you have used before."
        ),
    }

    def clean(self):
        attempt = throttle.LoginAttempt(
            self.cleaned_data.get("username", ""), throttle.client_ip(self.request)
        )
        if attempt.is_blocked():
            # Refused before the password is checked, so guesses made now teach nothing.
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            super().clean()
            if self.user_cache is None:
                return self.cleaned_data  # a field is missing: the form shows which
            if settings.STAFF_REQUIRE_TWO_FACTOR:
                # django_otp's user_logged_in handler stores the device in the session.
                self.user_cache.otp_device = self.verified_device()
        except ValidationError:
            attempt.failed()
            raise
        attempt.succeeded()
        return self.cleaned_data

    def get_invalid_login_error(self):
        code = "invalid_code" if settings.STAFF_REQUIRE_TWO_FACTOR else "invalid_login"
        return ValidationError(
            self.error_messages[code],
            code=code,
            params={"username": self.username_field.verbose_name},
        )

    def verified_device(self):
        """The user's confirmed TOTP device that accepts the code, or a validation error."""
        token = self.cleaned_data.get("otp_token", "").strip()
        if token:
            # Locked rows: two requests cannot both spend the same code.
            with transaction.atomic():
                devices = TOTPDevice.objects.devices_for_user(self.user_cache, confirmed=True)
                for device in devices.select_for_update():
                    allowed, _details = device.verify_is_allowed()
                    if allowed and device.verify_token(token):
                        return device
        raise self.get_invalid_login_error()
