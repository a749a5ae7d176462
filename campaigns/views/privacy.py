"""The privacy page: what we keep about supporters, why, and for how long."""

from django.conf import settings
from django.views.generic import TemplateView

from campaigns.booklets.forms import BOOKLET_CONSENT_WORDING
from campaigns.booklets.privacy import address_retention
from campaigns.delivery.confirmation import CONFIRM_WITHIN
from campaigns.delivery.limits import LIMITS
from campaigns.forms import CONSENT_WORDING
from campaigns.letters.supporters import retention
from campaigns.replies.forms import KEEP_TEXT_WORDING

DEFAULT_PRIVACY_EMAIL = "privacy@example.org"


class PrivacyView(TemplateView):
    """The periods come from the code that applies them, so the page cannot fall behind."""

    template_name = "campaigns/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            unconfirmed_days=CONFIRM_WITHIN.days,
            retention_days=retention().days,
            counter_hours=max(limit.seconds for limit in LIMITS) // 3600,
            consent_wording=CONSENT_WORDING,
            booklet_days=address_retention().days,
            booklet_consent_wording=BOOKLET_CONSENT_WORDING,
            reply_ask_days=settings.REPLIES_ASK_AFTER_DAYS,
            reply_again_days=settings.REPLIES_ASK_AGAIN_DAYS,
            reply_keep_wording=KEEP_TEXT_WORDING,
            mail_service=settings.MAIL_SERVICE.capitalize(),  # mailgun -> Mailgun
            privacy_email=getattr(settings, "PRIVACY_EMAIL", DEFAULT_PRIVACY_EMAIL),
            **kwargs,
        )
