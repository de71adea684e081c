"""Every Swedish municipality (issue 18, point 13): SCB's 290 codes, shipped and updatable."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samverkan.registry.models import Organisation, OrganisationKind
from samverkan.registry.reference_data import MUNICIPALITY_CODES_FILE, swedish_municipalities

pytestmark = pytest.mark.django_db


def test_the_shipped_list_is_scbs_290_municipalities_with_source_and_date():
    codes = swedish_municipalities()
    names = dict(codes.municipalities)
    assert len(names) == 290
    assert names["0380"] == "Uppsala"
    assert names["1480"] == "Göteborg"
    assert names["1280"] == "Malmö"
    assert names["2584"] == "Kiruna"
    assert names["0331"] == "Heby"  # moved to Uppsala county in 2007 (formerly 1917)
    assert "1917" not in names
    assert "SCB" in codes.source and codes.source_date == "2015-03-09"


def test_every_municipality_is_in_the_registry_with_its_county():
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    found = dict(municipalities.values_list("code", "name"))
    assert dict(swedish_municipalities().municipalities).items() <= found.items()
    uppsala = Organisation.objects.get(code="0380")
    assert (uppsala.name, uppsala.county_code, uppsala.parent) == ("Uppsala", "03", None)
    assert Organisation.objects.get(code="2584").county_code == "25"
    # The detailed reference data still wins where it says more.
    assert Organisation.objects.get(code="0182").official_name == "Nacka kommun"


def _package(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    """A tarball shaped like `npm pack kommunkoder`."""
    path = tmp_path / "kommunkoder-9.9.9.tgz"
    with tarfile.open(path, "w:gz") as archive:
        for name, content in (
            ("package/package.json", {"name": "kommunkoder", "version": "9.9.9"}),
            ("package/data.json", rows),
        ):
            data = json.dumps(content, ensure_ascii=False).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _rows() -> list[dict[str, str]]:
    return [
        {"code": code, "municipality": name, "county": "x"}
        for code, name in swedish_municipalities().municipalities
    ]


def test_the_command_updates_the_file_and_the_registry_from_the_package(tmp_path):
    rows = _rows()
    for row in rows:
        if row["code"] == "2584":
            row["municipality"] = "Giron"  # a municipality renamed
    output = tmp_path / "municipalities.json"
    out = io.StringIO()
    call_command(
        "update_municipality_codes",
        str(_package(tmp_path, rows)),
        "--source-date",
        "2026-12-01",
        "--output",
        str(output),
        stdout=out,
    )
    written = swedish_municipalities(output)
    assert dict(written.municipalities)["2584"] == "Giron"
    assert written.source_date == "2026-12-01"
    assert "kommunkoder 9.9.9" in written.source
    assert Organisation.objects.get(code="2584").name == "Giron"
    assert "Nytt namn: 2584 Kiruna → Giron" in out.getvalue()


def test_dry_run_writes_nothing(tmp_path):
    output = tmp_path / "municipalities.json"
    call_command(
        "update_municipality_codes",
        str(_package(tmp_path, _rows())),
        "--source-date",
        "2026-12-01",
        "--output",
        str(output),
        "--dry-run",
        stdout=io.StringIO(),
    )
    assert not output.exists()


@pytest.mark.parametrize(
    "broken",
    [
        lambda rows: rows[:100],  # not the whole list
        lambda rows: [*rows, rows[0]],  # a code twice
        lambda rows: [*rows[1:], {"code": "9999", "municipality": "Påhittad"}],  # no such county
    ],
)
def test_a_list_that_is_not_scbs_whole_list_is_refused(tmp_path, broken):
    output = tmp_path / "municipalities.json"
    with pytest.raises(CommandError):
        call_command(
            "update_municipality_codes",
            str(_package(tmp_path, broken(_rows()))),
            "--source-date",
            "2026-12-01",
            "--output",
            str(output),
            stdout=io.StringIO(),
        )
    assert not output.exists()
    assert MUNICIPALITY_CODES_FILE.exists()
