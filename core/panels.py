"""Panels a higher app adds to a lower app's page, so the lower app never names the higher.

The story page shows the campaigns that link the story, but stories may not import campaigns
(docs/architecture.md): the story template renders ``{% panels "story" %}``, and campaigns
registers its "take action" panel for it in ``CampaignsConfig.ready()``.
"""

_panels: dict[str, list[str]] = {}


def register_panel(page: str, template_name: str) -> None:
    """Show ``template_name`` on ``page`` (with that page's context), after those before it."""
    names = _panels.setdefault(page, [])
    if template_name not in names:
        names.append(template_name)


def panels_for(page: str) -> list[str]:
    return list(_panels.get(page, ()))
