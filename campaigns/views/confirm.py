"""'Send it for me': the page the confirmation link opens."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from campaigns.delivery.confirmation import expired, letters_for_token
from campaigns.delivery.pacing import slot_words
from campaigns.delivery.safety import delivering_to_representatives
from campaigns.delivery.sending import letters_confirm


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
    for letter in letters:  # "It will go to ... on Tuesday 8 December, between 9 and 10am"
        letter.goes = slot_words(letter) if letter.state == letter.State.READY else ""
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
