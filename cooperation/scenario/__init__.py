"""Scenarios: validated input data (jurisdictions, hazards, actions) and file loading.

The file format is declared in :mod:`cooperation.scenario.schema` and described in
``docs/reference/scenario-format.md``.
"""

from .io import load_scenario, scenario_from_dict
from .model import ActionLevel, Hazard, Jurisdiction, Scenario
from .validation import validate_scenario

__all__ = ["ActionLevel", "Hazard", "Jurisdiction", "Scenario", "load_scenario",
           "scenario_from_dict", "validate_scenario"]
