"""Staff accounts: TOTP login, throttling, password length, session time-outs and groups."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import throttle
from staff.admin_site import StaffAdminSite
from tests.support.html import content, select_one

pytestmark = pytest.mark.django_db

PASSWORD = "editor-password"  # the staff_user fixture's
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
LETTERS = reverse("admin:campaigns_letter_changelist")
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def code_for(device, offset=0):
    """The code the staff member's app shows now (``offset`` steps away)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    if offset:
        value = (value + offset) % 10**device.digits
    return f"{value:0{device.digits}d}"


def log_in(client, password=PASSWORD, code="", address="192.0.2.10", username="editor"):
    data = {"username": username, "password": password, "otp_token": code, "next": INDEX}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


@pytest.fixture
def two_factor(settings):
    settings.STAFF_REQUIRE_TWO_FACTOR = True


@pytest.fixture
def device(staff_user):
    return TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)


# Two-factor login


def test_admin_site_is_the_staff_site():
    assert isinstance(admin.site, StaffAdminSite)


def test_login_page_asks_for_a_code_when_two_factor_is_required(client, two_factor):
    response = client.get(LOGIN)

    assert 'name="otp_token"' in response.text
    assert 'id="two-factor-off"' not in response.text


def test_login_with_password_and_current_code_opens_the_admin(client, two_factor, device):
    response = log_in(client, code=code_for(device))

    assert response.status_code == 302
    assert response["Location"] == INDEX
    assert client.get(INDEX).status_code == 200


@pytest.mark.parametrize("code", ["", "not-a-code"])
def test_login_without_a_valid_code_is_refused(client, two_factor, device, code):
    response = log_in(client, code=code)

    assert response.status_code == 200
    assert "correct username, password and code" in response.text
    assert client.get(INDEX).status_code == 302


def test_login_with_someone_elses_code_is_refused(client, two_factor, device, django_user_model):
    other = django_user_model.objects.create_user("other", password="x" * 12, is_staff=True)
    other_device = TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    if code_for(other_device) == code_for(device):
        pytest.skip("the two random keys happen to give the same code now")

    log_in(client, code=code_for(other_device))

    assert client.get(INDEX).status_code == 302


def test_a_wrong_code_says_the_same_as_a_wrong_password(client, two_factor, device):
    wrong_code = log_in(client, code=code_for(device, offset=1))
    wrong_password = log_in(client, password="not-the-password", code=code_for(device))

    assert wrong_code.context["form"].errors == wrong_password.context["form"].errors


def test_user_without_an_enrolled_device_cannot_log_in(client, two_factor, staff_user):
    log_in(client, code="123456")

    assert client.get(INDEX).status_code == 302


def test_a_session_without_two_factor_is_sent_to_log_in(staff_client, two_factor):
    # As after a password-only login, or one from before two-factor was switched on.
    assert staff_client.get(INDEX)["Location"].startswith(LOGIN)


def test_without_two_factor_every_admin_page_says_so(staff_client, client):
    assert 'id="two-factor-off"' in staff_client.get(INDEX).text
    assert 'id="two-factor-off"' in client.get(LOGIN).text
    assert 'name="otp_token"' not in client.get(LOGIN).text


def test_with_two_factor_no_banner_is_shown(client, two_factor, device):
    log_in(client, code=code_for(device))

    assert 'id="two-factor-off"' not in client.get(INDEX).text


# Enrolling a device


def test_enrol_totp_creates_a_device_and_prints_its_uri_and_qr_code(staff_user):
    out = io.StringIO()

    call_command("enrol_totp", "editor", stdout=out)

    device = TOTPDevice.objects.get(user=staff_user)
    assert device.confirmed
    assert device.config_url in out.getvalue()
    assert out.getvalue().startswith("otpauth://totp/")
    assert "\u2588" in out.getvalue() or "\u2580" in out.getvalue()  # the QR code's blocks


def test_enrolled_device_logs_in(client, two_factor, staff_user):
    call_command("enrol_totp", "editor", stdout=io.StringIO())

    log_in(client, code=code_for(TOTPDevice.objects.get(user=staff_user)))

    assert client.get(INDEX).status_code == 200


def test_enrol_totp_refuses_a_second_device_unless_replacing(staff_user, device):
    with pytest.raises(CommandError, match="--replace"):
        call_command("enrol_totp", "editor", stdout=io.StringIO())

    call_command("enrol_totp", "editor", "--replace", stdout=io.StringIO())

    assert TOTPDevice.objects.filter(user=staff_user).exclude(pk=device.pk).count() == 1
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_enrol_totp_refuses_unknown_and_non_staff_users(django_user_model):
    django_user_model.objects.create_user("supporter", password="x" * 12)

    with pytest.raises(CommandError, match="no user called nobody"):
        call_command("enrol_totp", "nobody")
    with pytest.raises(CommandError, match="not an active staff member"):
        call_command("enrol_totp", "supporter")


def test_enrol_totp_dry_run_creates_nothing(staff_user):
    out = io.StringIO()

    call_command("enrol_totp", "editor", "--dry-run", stdout=out)

    assert "Would enrol" in out.getvalue()
    assert not TOTPDevice.objects.exists()


def test_the_admin_never_shows_a_devices_key(admin_client, device):
    changelist = admin_client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    change = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    assert changelist.status_code == change.status_code == 200
    assert device.key not in changelist.text + change.text


# Throttling


def test_guessing_from_one_address_is_refused_after_five_failures(client, staff_user):
    for _ in range(throttle.FAILURES_PER_USER_AND_ADDRESS):
        log_in(client, password="guess", address="203.0.113.66")

    response = log_in(client, address="203.0.113.66")  # even the right password

    assert "Too many failed attempts" in response.text
    assert client.get(INDEX).status_code == 302


def test_the_real_user_elsewhere_still_logs_in_while_a_guesser_is_refused(
    client, two_factor, device
):
    for _ in range(throttle.FAILURES_PER_USER_AND_ADDRESS + 3):
        log_in(Client(), password="guess", address="203.0.113.66")

    log_in(client, code=code_for(device), address="192.0.2.10")

    assert client.get(INDEX).status_code == 200


def test_a_refused_address_may_try_again_after_the_window(client, staff_user):
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(throttle.FAILURES_PER_USER_AND_ADDRESS):
            log_in(client, password="guess")
        traveller.shift(timedelta(seconds=throttle.WINDOW_SECONDS + 1))

        log_in(client)

        assert client.get(INDEX).status_code == 200


def test_guessing_from_many_addresses_spares_an_address_the_user_has_used(client, staff_user):
    log_in(Client(), address="192.0.2.10")  # the user's office, a week ago
    for number in range(throttle.FAILURES_PER_USER):
        log_in(Client(), password="guess", address=f"198.51.100.{number}")

    from_new_address = log_in(Client(), address="198.51.100.200")
    log_in(client, address="192.0.2.10")

    assert "Too many failed attempts" in from_new_address.text
    assert client.get(INDEX).status_code == 200


def test_one_address_guessing_many_usernames_is_refused(client, staff_user):
    for number in range(throttle.FAILURES_PER_ADDRESS):
        log_in(Client(), username=f"guess{number}", address="203.0.113.66")

    response = log_in(client, address="203.0.113.66")

    assert "Too many failed attempts" in response.text


def test_behind_a_proxy_the_forwarded_address_is_counted(settings, rf):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.post(LOGIN, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.66")

    # The left part is whatever the client sent; the proxy appended the real address.
    assert throttle.client_ip(request) == "203.0.113.66"


# Passwords


def test_passwords_shorter_than_twelve_characters_are_refused(staff_user):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Tr0ub4dor&3x"[:11], staff_user)

    validate_password("correct horse battery", staff_user)


# Sessions


def test_a_session_idle_for_over_thirty_minutes_is_logged_out(staff_client):
    with time_machine.travel(NOW, tick=False) as traveller:
        assert staff_client.get(INDEX).status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert staff_client.get(INDEX).status_code == 200
        traveller.shift(timedelta(minutes=30, seconds=30))

        assert staff_client.get(INDEX)["Location"].startswith(LOGIN)
        assert not Session.objects.exists()


def test_an_active_session_ends_twelve_hours_after_it_began(staff_client):
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(12 * 3):
            assert staff_client.get(INDEX).status_code == 200
            traveller.shift(timedelta(minutes=20))
        assert staff_client.get(INDEX).status_code == 200  # exactly 12 hours
        traveller.shift(timedelta(minutes=1))

        assert staff_client.get(INDEX)["Location"].startswith(LOGIN)


def test_logging_out_ends_the_session(staff_client):
    staff_client.get(INDEX)

    staff_client.post(reverse("admin:logout"))

    assert not Session.objects.exists()
    assert staff_client.get(INDEX)["Location"].startswith(LOGIN)


def test_a_deactivated_users_session_no_longer_works(staff_client, staff_user):
    assert staff_client.get(INDEX).status_code == 200

    staff_user.is_active = False
    staff_user.save()

    assert staff_client.get(INDEX)["Location"].startswith(LOGIN)


# Groups

EDITORS = {
    f"stories.{action}_{model}"
    for model in (
        "story",
        "spokesperson",
        "prayerrequest",
        "prayerpoint",
        "pullquote",
        "country",
        "watchlistentry",
    )
    for action in ("add", "change", "delete", "view")
} | {
    # The workflow: they publish what is not sensitive; submitting is change_<model>.
    "stories.publish_story",
    "stories.publish_spokesperson",
    "stories.publish_prayerrequest",
    "core.view_transition",
    # Old addresses that redirect to their pages.
    "core.add_redirect",
    "core.change_redirect",
    "core.delete_redirect",
    "core.view_redirect",
}
CAMPAIGN_MANAGERS = {
    f"campaigns.{action}_{model}"
    for model in ("campaign", "lettertemplate", "parliamentaryaction")
    for action in ("add", "change", "delete", "view")
} | {
    "campaigns.export_letters",
    "campaigns.view_letter",
    "campaigns.view_parliament",
    "campaigns.view_area",
    "campaigns.view_representative",
    # The booklet: its fulfilment queue, CSV and labels, and its settings.
    "campaigns.fulfil_bookletorder",
    "campaigns.view_bookletsettings",
    "campaigns.change_bookletsettings",
    "stories.view_story",
    "stories.view_spokesperson",
    "stories.view_prayerrequest",
    "campaigns.publish_campaign",
    "core.view_transition",
    "core.add_redirect",
    "core.change_redirect",
    "core.delete_redirect",
    "core.view_redirect",
}
SAFEGUARDING_REVIEWERS = {
    f"stories.{action}_{model}"
    for model in ("story", "spokesperson", "prayerrequest", "prayerpoint", "pullquote")
    for action in ("view", "change")
} | {
    "stories.view_country",
    # Taking a country down, or putting it back, and the words they allow.
    "stories.change_country",
    "safeguarding.view_allowedword",
    "safeguarding.add_allowedword",
    "safeguarding.delete_allowedword",
    # The workflow: they approve, and so publish, what is sensitive, and read campaigns.
    "stories.approve_sensitive_story",
    "stories.approve_sensitive_spokesperson",
    "stories.approve_sensitive_prayerrequest",
    "campaigns.approve_sensitive_campaign",
    "campaigns.view_campaign",
    "core.view_transition",
}


def permissions_of(name):
    group = Group.objects.get(name=name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Editors", EDITORS),
        ("Campaign managers", CAMPAIGN_MANAGERS),
        ("Safeguarding reviewers", SAFEGUARDING_REVIEWERS),
    ],
)
def test_groups_have_exactly_their_permissions(name, expected):
    assert permissions_of(name) == expected


def test_only_safeguarding_reviewers_may_approve_sensitive_items():
    approvals = {perm for perm in SAFEGUARDING_REVIEWERS if ".approve_sensitive_" in perm}
    assert len(approvals) == 4
    for name in ("Editors", "Campaign managers"):
        assert not approvals & permissions_of(name)


def test_only_campaign_managers_can_see_or_export_supporters_letters():
    for name in ("Editors", "Safeguarding reviewers"):
        assert not {"campaigns.view_letter", "campaigns.export_letters"} & permissions_of(name)


def member_client(django_user_model, group_name):
    user = django_user_model.objects.create_user(
        group_name.split()[0].lower(), password="x" * 12, is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("group_name", "status"),
    [("Editors", 403), ("Safeguarding reviewers", 403), ("Campaign managers", 200)],
)
def test_the_letters_list_opens_only_for_campaign_managers(django_user_model, group_name, status):
    client = member_client(django_user_model, group_name)

    assert client.get(LETTERS).status_code == status


def test_an_editor_can_add_a_story(django_user_model):
    client = member_client(django_user_model, "Editors")

    assert client.get(reverse("admin:stories_story_add")).status_code == 200


@pytest.mark.django_db
def test_admin_pages_name_the_site_icon_so_browsers_do_not_ask_for_a_missing_one(admin_client):
    for page in (Client().get("/admin/login/"), admin_client.get("/admin/stories/story/add/")):
        icon = select_one(content(page), "head link[rel=icon]")
        assert icon["href"].endswith("img/favicon.svg")
