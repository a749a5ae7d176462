from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.generic import TemplateView

from campaigns.forms import DailForm, PostcodeForm
from campaigns.lookup.ireland import lookup_dail
from campaigns.lookup.service import ParliamentResult, lookup_postcode


@dataclass
class ChoiceLink:
    label: str
    url: str
    share: Decimal | None = None

    @property
    def percent(self):
        return None if self.share is None else round(self.share * 100)


@dataclass
class Section:
    """One parliament on the page, with links that carry the supporter's choice."""

    result: ParliamentResult
    choices: list[ChoiceLink] = field(default_factory=list)
    outside_url: str = ""  # "I don't live here", for a sector straddling a border
    change_url: str = ""  # to choose again, where the seat was chosen from several


def representatives(request):
    """``/representatives/?postcode=...[&area=<code>...]``: who represents this postcode."""
    form = PostcodeForm(request.GET if "postcode" in request.GET else None)
    result, sections = None, []
    if form.is_valid():
        chosen = request.GET.getlist("area")
        result = lookup_postcode(postcode=form.cleaned_data["postcode"], chosen=chosen)
        base = reverse("campaigns:representatives")
        sections = [
            section_for(item, base, str(result.postcode), chosen) for item in result.parliaments
        ]
    context = {"form": form, "result": result, "sections": sections}
    return render(request, "campaigns/representative_list.html", context)


def representatives_ireland(request):
    """``/representatives/ireland/?constituency=<code>`` or ``?county=<name>``: a supporter's
    TDs, chosen from the list: there is no open Eircode table to look them up by."""
    dail = dail_lookup(request)
    context = {"dail": dail, "form": dail_form(request, dail), "choice_url": request.path}
    return render(request, "campaigns/representative_list_ireland.html", context)


def dail_lookup(request):
    return lookup_dail(
        constituency=request.GET.get("constituency", ""), county=request.GET.get("county", "")
    )


def dail_form(request, dail):
    """The county and constituency lists; bound (and so checked) once either is sent."""
    asked = "constituency" in request.GET or "county" in request.GET
    form = DailForm(request.GET if asked else None, lookup=dail)
    if asked and form.is_valid() and dail.needs_choice and not dail.in_county:
        form.add_error("constituency", "Choose your county or your constituency.")
    return form


def section_for(item, base, postcode, chosen, source=""):
    """The parliament's part of a page at ``base``, with links that carry the choices (and
    the campaign link's source code, campaigns.reach.sources)."""
    own = {candidate.area.code for candidate in item.candidates} | {item.outside_choice}
    others = [code for code in chosen if code.strip().upper() not in own]
    section = Section(result=item)

    def url(areas):
        return _url(base, postcode, areas, source)

    if item.needs_choice:
        section.choices = [
            ChoiceLink(c.area.name, url([*others, c.area.code]), c.share) for c in item.candidates
        ]
        if item.partly_outside:
            section.outside_url = url([*others, item.outside_choice])
    elif len(item.candidates) > 1 or item.partly_outside or item.candidates[0].basis == "picked":
        section.change_url = url(others)  # picked from a list: the list again, less this seat
    return section


def _url(base, postcode, areas, source=""):
    query = [("postcode", postcode), *(("area", code) for code in areas)]
    query += [("source", source)] if source else []
    return f"{base}?{urlencode(query)}"


class AboutDataView(TemplateView):
    template_name = "campaigns/about_data.html"
