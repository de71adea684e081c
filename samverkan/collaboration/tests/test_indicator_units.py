"""Issue 19.9: an indicator's value reads as Swedish does — "1 dag", not "1 dagar"."""

from __future__ import annotations

from django.utils import translation

from samverkan.collaboration.templatetags.collaboration_tags import with_unit


def test_one_is_singular_and_other_values_keep_the_coordinators_unit() -> None:
    with translation.override("sv"):
        assert with_unit(1.0, "dagar") == "1 dag"
        assert with_unit(3.0, "dagar") == "3 dagar"
        assert with_unit(1.5, "dagar") == "1,5 dagar"
        assert with_unit(0, "dagar") == "0 dagar"
        assert with_unit(1, "möten") == "1 möte"
        assert with_unit(40.0, "%") == "40 %"
        assert with_unit(1, "") == "1"
        assert with_unit(1, "st") == "1 st"  # a unit it does not know stays as written
