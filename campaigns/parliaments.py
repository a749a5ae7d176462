"""The five parliaments the site knows, by slug. Staff may edit them; the slugs stay fixed."""

COMMONS = "house-of-commons"
HOLYROOD = "scottish-parliament"
SENEDD = "senedd"
NI_ASSEMBLY = "northern-ireland-assembly"
DAIL = "dail-eireann"

# Defaults for a fresh database (the data migration and the importer create what is missing;
# neither overwrites what staff have edited).
PARLIAMENTS = [
    {
        "slug": COMMONS,
        "name": "House of Commons",
        "member_suffix": "MP",
        "member_title": "Member of Parliament",
        "member_title_plural": "Members of Parliament",
        "multi_member_areas": False,
        "postal_address": "House of Commons\nLondon\nSW1A 0AA",
        "website": "https://members.parliament.uk/members/commons",
        "member_page_template": "https://members.parliament.uk/member/{official_id}/contact",
        "position": 1,
    },
    {
        "slug": HOLYROOD,
        "name": "Scottish Parliament",
        "member_suffix": "MSP",
        "member_title": "Member of the Scottish Parliament",
        "member_title_plural": "Members of the Scottish Parliament",
        "multi_member_areas": False,
        "postal_address": "The Scottish Parliament\nEdinburgh\nEH99 1SP",
        "website": "https://www.parliament.scot/msps/current-and-previous-msps",
        "member_page_template": "",
        "position": 2,
    },
    {
        "slug": SENEDD,
        "name": "Senedd",
        "member_suffix": "MS",
        "member_title": "Member of the Senedd",
        "member_title_plural": "Members of the Senedd",
        "multi_member_areas": True,
        "postal_address": "Senedd Cymru – Welsh Parliament\nCardiff Bay\nCardiff\nCF99 1SN",
        "website": "https://senedd.wales/find-a-member-of-the-senedd/",
        "member_page_template": "",
        "position": 3,
    },
    {
        "slug": NI_ASSEMBLY,
        "name": "Northern Ireland Assembly",
        "member_suffix": "MLA",
        "member_title": "Member of the Legislative Assembly",
        "member_title_plural": "Members of the Legislative Assembly",
        "multi_member_areas": True,
        "postal_address": "Northern Ireland Assembly\nParliament Buildings\nBallymiscaw\n"
        "Stormont\nBelfast\nBT4 3XX",
        "website": "https://www.niassembly.gov.uk/your-mlas/",
        "member_page_template": "",
        "position": 4,
    },
    {
        "slug": DAIL,
        "name": "Dáil Éireann",
        "member_suffix": "TD",
        "member_title": "Teachta Dála",
        "member_title_plural": "Teachtaí Dála",
        "multi_member_areas": True,
        "postal_address": "Dáil Éireann\nLeinster House\nKildare Street\nDublin 2\nD02 XR20",
        "website": "https://www.oireachtas.ie/en/members/",
        "member_page_template": "",
        "position": 5,
    },
]


def ensure_parliaments(parliament_model):
    """Create any of the five that is missing; return them all by slug."""
    by_slug = {}
    for fields in PARLIAMENTS:
        defaults = {key: value for key, value in fields.items() if key != "slug"}
        by_slug[fields["slug"]], _ = parliament_model.objects.get_or_create(
            slug=fields["slug"], defaults=defaults
        )
    return by_slug
