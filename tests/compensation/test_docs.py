"""The Examples blocks of the compensation modules run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["cooperation.compensation.design", "cooperation.compensation.fund",
           "cooperation.compensation.agreement", "cooperation.compensation._lp",
           "cooperation.compensation._inputs"]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name, monkeypatch):
    monkeypatch.chdir(__import__("pathlib").Path(__file__).resolve().parents[2])
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_public_functions_have_examples_and_references():
    import cooperation as co

    for func in (co.design_compensation, co.design_fund, co.two_way_agreement):
        doc = func.__doc__
        assert "Examples" in doc and ">>>" in doc and "References" in doc, func.__name__
