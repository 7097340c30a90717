"""Step 3, 4 and 6–7 of a filing: its parties and agents (each checked),
the service addresses, and the uploaded materials and ID images."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lvshi.accounts.identity import normalize_credit_code, normalize_id_number, normalize_licence_no, normalize_mobile
from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound
from lvshi.core.text import clean_text
from lvshi.core.uploads import check_upload, store_upload

from ..models import Agent, FileKind, Filing, FilingFile, Party, PartyKind, PartyRole
from .filings import _own

MAX_PARTIES = 20
MAX_AGENTS = 10
MAX_FILES = 40
PARTY_FILE_KINDS = (FileKind.ID_FRONT, FileKind.ID_BACK)


def _invalid(code: str, where: str, exc: ValidationError) -> DomainError:
    return DomainError(code, f"{where}：{' '.join(exc.messages)}")


def _party(data: Mapping[str, Any], n: int) -> dict[str, Any]:
    where = _("第%(n)d位当事人") % {"n": n}
    kind, role = data.get("kind"), data.get("role")
    if kind not in PartyKind.values:
        raise DomainError("party_kind_invalid", _("%(w)s：请选择自然人或法人、其他组织。") % {"w": where})
    if role not in PartyRole.values:
        raise DomainError("party_role_invalid", _("%(w)s：请选择诉讼地位（原告、被告等）。") % {"w": where})
    row: dict[str, Any] = {
        "kind": kind,
        "role": role,
        "name": clean_text(
            data.get("name"), field=(Party, "name"), required=_("%(w)s：请填写姓名或名称。") % {"w": where}
        ),
        "address": clean_text(data.get("address"), field=(Party, "address")),
        "service_address": clean_text(data.get("service_address"), field=(Party, "service_address")),
        "representative": clean_text(data.get("representative"), field=(Party, "representative")),
        "credit_code": "",
        "phone": "",
        "id_number": "",
    }
    phone = (data.get("phone") or "").strip()
    if phone:
        try:
            row["phone"] = normalize_mobile(phone)
        except ValidationError as exc:
            raise _invalid("party_phone_invalid", where, exc) from exc
    id_number = (data.get("id_number") or "").strip()
    if id_number:
        try:
            row["id_number"] = normalize_id_number(id_number)
        except ValidationError as exc:
            raise _invalid("party_id_invalid", where, exc) from exc
    if kind == PartyKind.ORGANISATION:
        credit = (data.get("credit_code") or "").strip()
        if credit:
            try:
                row["credit_code"] = normalize_credit_code(credit)
            except ValidationError as exc:
                raise _invalid("party_credit_code_invalid", where, exc) from exc
    else:
        row["representative"] = ""
    return row


def _agent(data: Mapping[str, Any], n: int, parties: list[Party]) -> Agent:
    where = _("第%(n)d位代理人") % {"n": n}
    index = data.get("party")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(parties):
        raise DomainError("agent_party_invalid", _("%(w)s：请选择其代理的当事人。") % {"w": where})
    name = clean_text(data.get("name"), field=(Agent, "name"), required=_("%(w)s：请填写姓名。") % {"w": where})
    try:
        licence = normalize_licence_no(data.get("licence_no") or "")
        id_number = normalize_id_number(data.get("id_number") or "")
    except ValidationError as exc:
        raise _invalid("agent_invalid", where, exc) from exc
    phone = (data.get("phone") or "").strip()
    if phone:
        try:
            phone = normalize_mobile(phone)
        except ValidationError as exc:
            raise _invalid("agent_phone_invalid", where, exc) from exc
    agent = Agent(party=parties[index], name=name, licence_no=licence, phone=phone)
    agent.set_id_number(id_number)
    return agent


def filing_set_parties(
    *, filing: Filing, actor: Actor, parties: Iterable[Mapping[str, Any]], agents: Iterable[Mapping[str, Any]]
) -> Filing:
    """Replace the filing's parties and agents with these (step 3). A party
    given with the ``id`` of one of the filing's parties keeps its row (and
    its ID images); agents name their party by its position in *parties*."""
    _own(filing, actor)
    parties, agents = list(parties), list(agents)
    if len(parties) > MAX_PARTIES or len(agents) > MAX_AGENTS:
        raise DomainError("too_many", _("当事人最多%(p)d位，代理人最多%(a)d位。") % {"p": MAX_PARTIES, "a": MAX_AGENTS})
    rows = [_party(p, n) for n, p in enumerate(parties, start=1)]
    with transaction.atomic():
        existing = {p.pk: p for p in filing.parties.all()}
        kept: list[Party] = []
        for position, (data, row) in enumerate(zip(parties, rows, strict=True)):
            given = data.get("id")
            party = existing.pop(given, None) if isinstance(given, int) else None
            party = party or Party(filing=filing)
            id_number = row.pop("id_number")
            for key, value in row.items():
                setattr(party, key, value)
            party.position = position
            if id_number or party.pk is None:
                party.set_id_number(id_number)
            party.save()
            kept.append(party)
        Party.objects.filter(pk__in=list(existing)).delete()
        filing.agents.all().delete()
        new_agents = [_agent(a, n, kept) for n, a in enumerate(agents, start=1)]
        for agent in new_agents:
            agent.filing = filing
        Agent.objects.bulk_create(new_agents)
        audit_record(
            action="courts.filing_parties",
            actor=actor,
            obj=filing,
            after={"parties": len(kept), "agents": len(new_agents)},
        )
    return filing


def filing_set_service_addresses(*, filing: Filing, actor: Actor, addresses: Mapping[int, str]) -> Filing:
    """Step 4: a service address for each party (by party id)."""
    _own(filing, actor)
    with transaction.atomic():
        parties = {p.pk: p for p in filing.parties.all()}
        for pk, text in addresses.items():
            party = parties.get(pk)
            if party is None:
                raise NotFound()
            party.service_address = clean_text(text, field=(Party, "service_address"))
            party.save(update_fields=["service_address"])
        audit_record(action="courts.filing_service", actor=actor, obj=filing, after={"parties": len(addresses)})
    return filing


def filing_add_files(
    *, filing: Filing, actor: Actor, kind: str, uploads: Iterable[Any], party_id: int | None = None
) -> list[FilingFile]:
    """Steps 6 and 7: several images or PDFs at once, each checked by its
    content (X8). ID images belong to one of the filing's parties."""
    _own(filing, actor)
    if kind not in FileKind.values:
        raise DomainError("file_kind_invalid", _("请选择材料类型。"))
    party = None
    if kind in PARTY_FILE_KINDS:
        party = filing.parties.filter(pk=party_id).first() if isinstance(party_id, int) else None
        if party is None:
            raise DomainError("party_required", _("请选择证件所属的当事人。"))
    uploads = [u for u in uploads if u is not None]
    if not uploads:
        raise DomainError("file_missing", _("请选择要上传的文件。"))
    label = str(FileKind(kind).label)
    checked = [check_upload(u, label=label) for u in uploads]
    with transaction.atomic():
        count = FilingFile.objects.select_for_update().filter(filing=filing).count()
        if count + len(checked) > MAX_FILES:
            raise DomainError("too_many_files", _("每件立案最多上传%(n)d个文件，请合并后上传。") % {"n": MAX_FILES})
        if party is not None:
            # One front and one back per party: a new image replaces the old.
            FilingFile.objects.filter(filing=filing, kind=kind, party=party).delete()
            checked = checked[-1:]
        rows = []
        for c in checked:
            row = FilingFile(
                filing=filing,
                kind=kind,
                party=party,
                name=c.name,
                content_type=c.content_type,
                size=c.size,
                sha256=c.sha256,
            )
            store_upload(row.file, c)
            row.save()
            rows.append(row)
        audit_record(
            action="courts.filing_upload",
            actor=actor,
            obj=filing,
            after={"kind": kind, "files": [r.name for r in rows], "party": party.pk if party else None},
        )
    return rows


def filing_remove_file(*, filing: Filing, actor: Actor, file_id: int) -> None:
    _own(filing, actor)
    with transaction.atomic():
        row = FilingFile.objects.filter(filing=filing, pk=file_id).first()
        if row is None:
            raise NotFound()
        row.delete()
        audit_record(action="courts.filing_file_remove", actor=actor, obj=filing, after={"file": row.name})


def filing_add_party(*, filing: Filing, actor: Actor, data: Mapping[str, Any]) -> Party:
    """Add one party (the pages' "添加当事人")."""
    _own(filing, actor)
    with transaction.atomic():
        count = Party.objects.select_for_update().filter(filing=filing).count()
        if count >= MAX_PARTIES:
            raise DomainError("too_many", _("当事人最多%(p)d位。") % {"p": MAX_PARTIES})
        row = _party(data, count + 1)
        id_number = row.pop("id_number")
        party = Party(filing=filing, position=count, **row)
        party.set_id_number(id_number)
        party.save()
        audit_record(action="courts.filing_parties", actor=actor, obj=filing, after={"added_party": party.pk})
    return party


def filing_remove_party(*, filing: Filing, actor: Actor, party_id: int) -> None:
    """Remove a party, with its agents and ID images."""
    _own(filing, actor)
    with transaction.atomic():
        deleted, _rows = Party.objects.filter(filing=filing, pk=party_id).delete()
        if not deleted:
            raise NotFound()
        audit_record(action="courts.filing_parties", actor=actor, obj=filing, after={"removed_party": party_id})


def filing_add_agent(*, filing: Filing, actor: Actor, data: Mapping[str, Any]) -> Agent:
    """Add one agent for one of the filing's parties (``data["party_id"]``)."""
    _own(filing, actor)
    parties = list(filing.parties.all())
    ids = [p.pk for p in parties]
    chosen = data.get("party_id")
    index = ids.index(chosen) if isinstance(chosen, int) and chosen in ids else None
    with transaction.atomic():
        count = Agent.objects.select_for_update().filter(filing=filing).count()
        if count >= MAX_AGENTS:
            raise DomainError("too_many", _("代理人最多%(a)d位。") % {"a": MAX_AGENTS})
        agent = _agent({**data, "party": index}, count + 1, parties)
        if Agent.objects.filter(filing=filing, party=agent.party, licence_no=agent.licence_no).exists():
            raise DomainError("agent_exists", _("该代理人已添加。"))
        agent.filing = filing
        agent.save()
        audit_record(action="courts.filing_parties", actor=actor, obj=filing, after={"added_agent": agent.pk})
    return agent


def filing_remove_agent(*, filing: Filing, actor: Actor, agent_id: int) -> None:
    _own(filing, actor)
    with transaction.atomic():
        deleted, _rows = Agent.objects.filter(filing=filing, pk=agent_id).delete()
        if not deleted:
            raise NotFound()
        audit_record(action="courts.filing_parties", actor=actor, obj=filing, after={"removed_agent": agent_id})
