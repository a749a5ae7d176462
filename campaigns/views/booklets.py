"""The free World Watch List booklet: the order page and its thank-you page."""

from datetime import timedelta

from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from campaigns.booklets.forms import BookletOrderForm
from campaigns.booklets.services import booklet_offer, booklet_order_create
from campaigns.models import BookletOrder
from core import abuse

# An order takes a minute; a form with mistakes is posted again. Ten a minute from one
# network is a church office at most; more is a script.
BOOKLET_POST_LIMIT = abuse.RateLimit("booklet-post", most=10, seconds=60)
THANK_YOU_SALT = "campaigns.booklet-thank-you"
THANK_YOU_OPEN_FOR = timedelta(days=1)  # then the page says thank you, and nothing more


@never_cache
def booklet_order(request):
    """The order form; a valid post makes one order and goes to the thank-you page."""
    offer = booklet_offer()
    if request.method == "POST" and (refused := _refuse_post(request)):
        return refused
    form = BookletOrderForm(
        request.POST if request.method == "POST" else None, most_copies=offer.most_copies
    )
    if form.is_valid():
        key = form.cleaned_data["key"]
        booklet_order_create(key=key, edition=offer.edition, **form.order_details())
        token = signing.TimestampSigner(salt=THANK_YOU_SALT).sign(key)
        return redirect(f"{reverse('campaigns:booklet_thank_you')}?order={token}")
    context = {"form": form, "offer": offer}
    return render(request, "campaigns/bookletorder_form.html", context)


def _refuse_post(request):
    """Thank a bot that filled the hidden field (nothing kept); refuse a flood."""
    if abuse.honeypot_filled(request):
        return redirect("campaigns:booklet_thank_you")
    if abuse.over_limit(request, BOOKLET_POST_LIMIT):
        back = request.get_full_path()
        return abuse.too_many_requests(request, BOOKLET_POST_LIMIT, back_url=back)
    return None


@never_cache
def booklet_thank_you(request):
    """Thanks; with the link the order page gave, what we will post and where."""
    order = _order_for(request.GET.get("order", ""))
    return render(request, "campaigns/bookletorder_thank_you.html", {"order": order})


def _order_for(token: str) -> BookletOrder | None:
    """The order a fresh thank-you link names, or None: an old or forged link shows no one."""
    try:
        key = signing.TimestampSigner(salt=THANK_YOU_SALT).unsign(token, max_age=THANK_YOU_OPEN_FOR)
    except signing.BadSignature:
        return None
    return BookletOrder.objects.filter(idempotency_key=key, anonymised_at__isnull=True).first()
