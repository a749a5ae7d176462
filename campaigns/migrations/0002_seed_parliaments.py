from django.db import migrations

# A frozen copy of the defaults: later edits to campaigns/models/parliaments.py must not change
# what this migration did.
PARLIAMENTS = [
    ("house-of-commons", "House of Commons", "MP", "Member of Parliament",
     "Members of Parliament", False, "House of Commons\nLondon\nSW1A 0AA",
     "https://members.parliament.uk/members/commons",
     "https://members.parliament.uk/member/{official_id}/contact", 1),
    ("scottish-parliament", "Scottish Parliament", "MSP", "Member of the Scottish Parliament",
     "Members of the Scottish Parliament", False, "The Scottish Parliament\nEdinburgh\nEH99 1SP",
     "https://www.parliament.scot/msps/current-and-previous-msps", "", 2),
    ("senedd", "Senedd", "MS", "Member of the Senedd", "Members of the Senedd", True,
     "Senedd Cymru – Welsh Parliament\nCardiff Bay\nCardiff\nCF99 1SN",
     "https://senedd.wales/find-a-member-of-the-senedd/", "", 3),
    ("northern-ireland-assembly", "Northern Ireland Assembly", "MLA",
     "Member of the Legislative Assembly", "Members of the Legislative Assembly", True,
     "Northern Ireland Assembly\nParliament Buildings\nBallymiscaw\nStormont\nBelfast\nBT4 3XX",
     "https://www.niassembly.gov.uk/your-mlas/", "", 4),
    ("dail-eireann", "Dáil Éireann", "TD", "Teachta Dála", "Teachtaí Dála", True,
     "Dáil Éireann\nLeinster House\nKildare Street\nDublin 2\nD02 XR20",
     "https://www.oireachtas.ie/en/members/", "", 5),
]
FIELDS = ("slug", "name", "member_suffix", "member_title", "member_title_plural",
          "multi_member_areas", "postal_address", "website", "member_page_template", "position")


def seed(apps, schema_editor):
    Parliament = apps.get_model("campaigns", "Parliament")
    for row in PARLIAMENTS:
        fields = dict(zip(FIELDS, row, strict=True))
        Parliament.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
