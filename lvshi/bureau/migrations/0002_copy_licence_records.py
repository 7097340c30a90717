"""The licences sign-up verified against (accounts.LicenceRecord) become
lawyers of the registry before that table is dropped (ADR 0005): one
source of truth. A record whose firm cannot be found stops the migration
rather than being lost."""

from django.db import migrations

STATUS = {"active": "practising", "suspended": "suspended", "revoked": "cancelled"}
FIRM_KINDS = ("law_firm", "public_firm", "legal_aid")


def copy(apps, schema_editor):
    Record = apps.get_model("accounts", "LicenceRecord")
    Lawyer = apps.get_model("bureau", "Lawyer")
    Organisation = apps.get_model("orgs", "Organisation")
    for record in Record.objects.all().iterator():
        if Lawyer.objects.filter(licence_no=record.licence_no).exists():
            continue
        firm = record.firm
        if firm is None:
            firm = Organisation.objects.filter(name=record.firm_name, kind__in=FIRM_KINDS).order_by("pk").first()
        if firm is None:
            raise RuntimeError(
                f"licence {record.licence_no}: firm {record.firm_name!r} is not an organisation; "
                "create it (or set the record's firm) and migrate again"
            )
        Lawyer.objects.create(
            licence_no=record.licence_no,
            name=record.name,
            kind="full_time",
            status=STATUS.get(record.status, "suspended"),
            organisation=firm,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bureau", "0001_initial"),
        ("accounts", "0003_smsdevice"),
    ]
    run_before = [("accounts", "0004_delete_licencerecord")]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
