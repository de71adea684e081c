"""The one personal-data guard (`core.personal_data`): the corpus of 200+ sentences with
their expected verdict, and the refusal rules every form, API schema and service uses."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from samverkan.core import personal_data
from samverkan.core.personal_data import PersonalDataFound, Verdict, guard_text, refusal, scan

ON = date(2026, 12, 5)
CORPUS = Path(__file__).parent / "data" / "personal_data_corpus.tsv"


def _unescape(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)


def _corpus() -> list[tuple[str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            verdict, text = line.split("\t")
            rows.append((verdict, _unescape(text)))
    return rows


def test_the_corpus_has_200_sentences_of_every_verdict():
    rows = _corpus()
    assert len(rows) >= 200
    assert {verdict for verdict, _ in rows} == {"refused", "check_digit", "name", "clean"}


@pytest.mark.parametrize(("expected", "text"), _corpus(), ids=lambda v: repr(v)[:60])
def test_corpus_sentence_gets_its_verdict(expected, text):
    found = scan(text, on=ON)
    assert found.verdict.name.lower() == expected, found.findings


def test_every_writing_of_one_number_is_refused():
    writings = [
        "120515-2380", "201205152380", "20120515-2380", "120515+2380", "1205152380",
        "120515 2380", "120515\u20132380", "120515\u20142380", "120515\u22122380",
        "2012-05-15-2380", "12.05.15-2380", "１２０５１５－２３８０", "1205\u200b15\u200d-2380",
        "120515\u00ad2380", "120515\u2060-\ufeff2380",
    ]  # fmt: skip
    for written in writings:
        assert scan(f"Gäller {written}.", on=ON).verdict == Verdict.REFUSED, written


def test_a_samordningsnummer_is_refused_and_a_wrong_check_digit_only_warned():
    assert scan("Nummer 201102742390.", on=ON).verdict == Verdict.REFUSED
    assert scan("Nummer 201102742393.", on=ON).verdict == Verdict.CHECK_DIGIT


def test_a_wrong_check_digit_can_be_confirmed_a_valid_number_never():
    with pytest.raises(PersonalDataFound) as warned:
        guard_text("summary", "Gäller 120515-2383.", confirmed=False, on=ON)
    assert warned.value.needs_confirmation and "liknar ett personnummer" in warned.value.message
    guard_text("summary", "Gäller 120515-2383.", confirmed=True, on=ON)
    with pytest.raises(PersonalDataFound) as refused:
        guard_text("summary", "Gäller 120515-2380.", confirmed=True, on=ON)
    assert not refused.value.needs_confirmation
    assert refused.value.field == "summary" and "”120515-2380”" in refused.value.message


def test_names_warn_are_refused_in_anonymous_texts_and_allowed_where_the_record_names():
    text = "Kalle Svensson var med."
    error = refusal("text", text, confirmed=False, on=ON)
    assert error is not None and error.needs_confirmation and "Kalle Svensson" in error.message
    assert refusal("text", text, confirmed=True, on=ON) is None
    anonymous = refusal("text", text, confirmed=True, names="refuse", on=ON)
    assert anonymous is not None and not anonymous.needs_confirmation
    assert refusal("text", text, confirmed=False, names="allow", on=ON) is None
    # A number is refused whatever the name policy.
    assert refusal("text", "Kalle 120515-2380", confirmed=True, names="allow", on=ON)


def test_a_full_name_is_strong_an_everyday_word_mid_sentence_weak():
    found = scan("Vi träffade Per Nilsson och Stark.", on=ON)
    assert [(f.text, f.strong) for f in found.findings] == [("Per Nilsson", True), ("Stark", False)]


def test_the_shipped_name_list_is_the_one_the_command_writes(tmp_path):
    """The list is generated from the maintained source, not edited by hand."""
    written = tmp_path / "names.tsv"
    call_command("generate_name_list", output=written, stdout=io.StringIO())
    shipped = personal_data.NAME_LIST_PATH.read_text(encoding="utf-8")

    def body(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("# Generated")]

    assert body(written.read_text(encoding="utf-8")) == body(shipped)
    assert "Svensson\tlast" in shipped and "Kalle\tfirst" in shipped
