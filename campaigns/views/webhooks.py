"""The mail service's tracking webhooks: anymail's own views (which check the service's
signature and the basic auth of ANYMAIL_WEBHOOK_SECRET), answering only for the service
settings.MAIL_SERVICE chose, so no other service's unchecked webhook is open."""

from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from django.conf import settings
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

VIEWS = {
    "mailgun": MailgunTrackingWebhookView.as_view(),
    "postmark": PostmarkTrackingWebhookView.as_view(),
}


@csrf_exempt  # the service posts from its servers; anymail's view checks who it is
def tracking_webhook(request, service):
    """Hand the post to anymail's view for the chosen service; 404 for any other."""
    if service not in VIEWS or service != settings.MAIL_SERVICE:
        raise Http404("No mail service webhook here.")
    return VIEWS[service](request)
