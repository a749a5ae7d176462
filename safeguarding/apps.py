from django.apps import AppConfig

REFUSED_EXPLANATION = (
    "they contain a name or word withheld to protect someone. Remove it, then publish."
)
MARKER_EXPLANATION = (
    "they still show “[withheld]” where a withheld name was taken out of the history. Write "
    "what belongs there instead, then publish."
)


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self):
        from core.checklist import register_content_check
        from core.publishing import PublishCheck, register_publish_check
        from core.redirects import register_address_check
        from safeguarding.checks import NO_WITHHELD_NAME
        from safeguarding.guard import marker_faults, withheld_address_refusal, withheld_faults

        register_publish_check(PublishCheck(withheld_faults, REFUSED_EXPLANATION))
        register_publish_check(PublishCheck(marker_faults, MARKER_EXPLANATION))
        register_address_check(withheld_address_refusal)
        register_content_check(NO_WITHHELD_NAME)  # on every workflow item's checklist
