"""Case numbers: the official form, one sequence per court, year and case
type, no number twice and none skipped, under concurrency too."""

import threading

import pytest
from django.db import IntegrityError, connections, transaction
from django.db.models import Max

from lvshi.courts import numbers
from lvshi.courts.models import CaseNumberSequence, CaseType, Court, CourtLevel


@pytest.fixture
def court(world):
    return Court.objects.create(organisation=world.court, level=CourtLevel.INTERMEDIATE, code="渝01")


@pytest.mark.django_db
def test_numbers_follow_each_other_per_court_year_and_type(court, world):
    with transaction.atomic():
        first = numbers.allocate(court, 2026, CaseType.CIVIL_FIRST)
        second = numbers.allocate(court, 2026, CaseType.CIVIL_FIRST)
        other_type = numbers.allocate(court, 2026, CaseType.CIVIL_SECOND)
        next_year = numbers.allocate(court, 2027, CaseType.CIVIL_FIRST)
    assert str(first) == "（2026）渝01民初1号" and str(second) == "（2026）渝01民初2号"
    assert str(other_type) == "（2026）渝01民终1号" and str(next_year) == "（2027）渝01民初1号"


@pytest.mark.django_db
def test_a_rolled_back_acceptance_gives_its_number_back(court):
    with transaction.atomic():
        numbers.allocate(court, 2026, CaseType.CIVIL_FIRST)
    with pytest.raises(IntegrityError), transaction.atomic():
        numbers.allocate(court, 2026, CaseType.CIVIL_FIRST)
        raise IntegrityError("the case could not be stored")
    with transaction.atomic():
        assert numbers.allocate(court, 2026, CaseType.CIVIL_FIRST).seq == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_is_given_only_inside_the_case_s_transaction(court):
    with pytest.raises(RuntimeError):
        numbers.allocate(court, 2026, CaseType.CIVIL_FIRST)
    with pytest.raises(ValueError), transaction.atomic():
        numbers.allocate(court, 2026, "民")


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("（2026）渝01民初123号", ("渝01", "民初", 123)),
        ("(2026)渝0103执45号", ("渝0103", "执", 45)),
        (" （2026）渝民终7号 ", ("渝", "民终", 7)),
        ("（2026）渝01民初0号", None),
        ("（2026）渝01民初01号", None),
        ("（2026）渝01XX1号", None),
        ("2026渝01民初1号", None),
        ("", None),
    ],
)
def test_typed_case_numbers_are_read_strictly(text, parsed):
    found = numbers.parse(text)
    assert (found and (found.court_code, found.case_type, found.seq)) == parsed


def _race(court, *, allocate, n: int = 50) -> list[int]:
    """n threads take a number at the same moment, each in its own transaction."""
    barrier = threading.Barrier(n)
    got: list[int] = []
    errors: list[BaseException] = []

    def take():
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                got.append(allocate(court))
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors[:3]
    return got


def _naive(court) -> int:
    """The control: read the highest number and write the next, as a first
    attempt would. Concurrent acceptances read the same value."""
    row, _ = CaseNumberSequence.objects.get_or_create(court=court, year=2026, case_type=CaseType.CIVIL_FIRST)
    last = CaseNumberSequence.objects.filter(pk=row.pk).aggregate(m=Max("last"))["m"]
    threading.Event().wait(0.01)  # the time a real acceptance spends between the two
    CaseNumberSequence.objects.filter(pk=row.pk).update(last=last + 1)
    return last + 1


@pytest.mark.postgres
def test_fifty_simultaneous_acceptances_get_fifty_consecutive_numbers(transactional_db, world):
    court = Court.objects.create(organisation=world.court, level=CourtLevel.INTERMEDIATE, code="渝01")
    got = _race(court, allocate=lambda c: numbers.allocate(c, 2026, CaseType.CIVIL_FIRST).seq)
    assert sorted(got) == list(range(1, 51))


@pytest.mark.postgres
def test_control_the_naive_read_then_write_repeats_numbers(transactional_db, world):
    """Shows the race test can fail: the same 50 threads with a read-then-write
    allocator hand out some numbers twice."""
    court = Court.objects.create(organisation=world.court, level=CourtLevel.INTERMEDIATE, code="渝01")
    CaseNumberSequence.objects.create(court=court, year=2026, case_type=CaseType.CIVIL_FIRST)
    got = _race(court, allocate=_naive)
    assert len(set(got)) < len(got)


@pytest.mark.parametrize(
    ("code", "valid"),
    [("渝", True), ("渝01", True), ("渝0103", True), ("渝1", False), ("渝012", False), ("01", False), ("", False)],
)
def test_a_court_code_is_the_province_then_two_or_four_digits(code, valid):
    from django.core.exceptions import ValidationError

    from lvshi.courts.models import court_code_validator

    try:
        court_code_validator(code)
    except ValidationError:
        assert not valid
    else:
        assert valid
    assert (numbers.parse(f"（2026）{code}民初1号") is not None) == valid
