"""'Send it for me': the confirmation mail, and the page its link opens."""

import logging

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from campaigns.delivery.confirmation import expired, letters_for_token, new_token
from campaigns.delivery.limits import count_submission, normalise_email
from campaigns.delivery.mail import confirmation_message
from campaigns.delivery.safety import delivering_to_representatives
from campaigns.delivery.sending import letters_confirm
from campaigns.models import Letter
from core.ratelimits import client_ip

logger = logging.getLogger(__name__)


def send_for_me(request, campaign, form, make_letters):
    """Make the letters, waiting for confirmation, and email the supporter the link.

    Only the token's hash is stored: the link exists in the email alone. Over a limit the
    letters are made all the same, to be held for staff once confirmed.
    """
    token, token_hash = new_token()
    letters, created = make_letters(confirmation_hash=token_hash)
    if not created:  # the same form, posted again: its letters and mail exist already
        return
    network = client_ip(request)  # the supporter's, behind the trusted proxies
    email_key = normalise_email(form.cleaned_data["email"])
    # Counted once the letters exist, so a double click counts once.
    if hold := count_submission(network=network, email_key=email_key):
        Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(hold_reason=hold)
    url = request.build_absolute_uri(reverse("campaigns:confirm", args=[token]))
    try:
        confirmation_message(letters, url).send()
    except Exception:  # noqa: BLE001 - the letters page says what to do
        logger.exception("Could not send a confirmation email for %s", letters[0].reference)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The link in the email: GET shows the letters, POST (the button) confirms them.

    A GET (or a HEAD, its headers only) changes nothing, so a mail scanner that opens or
    checks links cannot confirm for anyone.
    """
    letters = letters_for_token(token)
    if not letters:
        raise Http404("This link is not one of ours, or its letter has been deleted.")
    if request.method == "POST":
        letters_confirm(letters)
        return redirect("campaigns:confirm", token=token)
    context = {
        "letters": letters,
        "campaign": letters[0].campaign,
        "can_confirm": any(
            letter.state == letter.State.PENDING and not expired(letter) for letter in letters
        ),
        "expired": all(expired(letter) for letter in letters),
        "test_mode": not delivering_to_representatives(),
    }
    return render(request, "campaigns/letters_confirm.html", context)
