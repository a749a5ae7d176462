"""Which mode the site sends letters in, for the banner on every admin page."""

from django import template
from django.conf import settings

from campaigns.delivery.safety import delivering_to_representatives

register = template.Library()


@register.inclusion_tag("admin/campaigns/includes/letter_mode.html")
def letter_mode():
    """Live (to the members) or test (to the test recipient, never a member)."""
    return {
        "live": delivering_to_representatives(),
        "test_recipient": settings.LETTERS_TEST_RECIPIENT,
    }
