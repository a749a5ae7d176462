"""The admin's link builder: a campaign link or embed with a source code, and its frame snippet."""

from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from campaigns.reach.sources import MAX_LENGTH, looks_personal, normalise_source

PAGE, EMBED = "page", "embed"
FRAME_HEIGHT = 340  # px: the title, the ask, the postcode field and button on a phone


class LinkForm(forms.Form):
    source = forms.CharField(
        label="Source code",
        max_length=MAX_LENGTH,
        help_text="Who the link is for, as a short code: church-leeds, spring-newsletter. "
        "Letters written from it are counted under it. Never a person's name, email, phone "
        "number or postcode. Lowercase letters, digits, - and _ are kept.",
    )
    kind = forms.ChoiceField(
        label="Link to",
        choices=[
            (PAGE, "The campaign page"),
            (EMBED, "The postcode step, to embed on another site"),
        ],
        initial=PAGE,
        widget=forms.RadioSelect,
    )

    def clean_source(self):
        typed = self.cleaned_data["source"]
        if looks_personal(typed):
            raise forms.ValidationError(
                "This looks like personal data (an email address, phone number, long number "
                "or postcode): use a code for the group or channel instead.",
                code="personal",
            )
        if not (code := normalise_source(typed)):
            raise forms.ValidationError(
                "Use letters or digits in the code, as church-leeds.", code="empty"
            )
        return code


def campaign_link(campaign, *, source: str, kind: str, site_url: str) -> str:
    """The full address of the campaign page or its embed, carrying the source code."""
    name = "campaigns:embed" if kind == EMBED else "campaigns:campaign_detail"
    path = reverse(name, args=[campaign.slug])
    return f"{site_url.rstrip('/')}{path}?{urlencode({'source': source})}"


def frame_snippet(campaign, url: str) -> str:
    """The HTML a partner pastes into their page: the embed in a titled, borderless frame.

    Markup to show as text: a page shows it escaped (force_escape), so what staff copy is
    exactly this, its attribute values escaped once.
    """
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="{}" loading="lazy" '
        'style="border:0;max-width:40rem"></iframe>',
        url,
        f"Write to your representative: {campaign.title}",
        FRAME_HEIGHT,
    )
