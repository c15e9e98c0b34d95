"""The Examples blocks of the repeated-play modules run and give what they show."""

import doctest
import importlib

import matplotlib
import pytest

matplotlib.use("Agg")

MODULES = ["cooperation.repeated.strategies", "cooperation.repeated.play",
           "cooperation.repeated.simulation", "cooperation.repeated.theory",
           "cooperation.repeated.evolution", "cooperation.repeated.modes",
           "cooperation.repeated.mechanisms", "cooperation.repeated.stage",
           "cooperation.report.repeated"]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_public_functions_have_examples_and_references():
    from cooperation import repeated as rp

    for func in (rp.match, rp.tournament, rp.simulate, rp.compare_modes,
                 rp.grim_trigger_threshold, rp.deterrence_fine, rp.stationary_payoffs,
                 rp.moran_fixation, rp.public_goods_game):
        doc = func.__doc__
        assert "Examples" in doc and ">>>" in doc, func.__name__
    import cooperation.repeated.evolution as ev
    import cooperation.repeated.play as play
    import cooperation.repeated.simulation as sim
    import cooperation.repeated.strategies as strat
    import cooperation.repeated.theory as th

    for mod in (ev, play, strat, th):
        assert "References" in mod.__doc__, mod.__name__
    assert "counter-based" in sim.__doc__
