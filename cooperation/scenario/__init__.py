"""Scenarios: validated input data (jurisdictions, hazards, actions) and file loading."""

from .io import load_scenario, scenario_from_dict
from .model import ActionLevel, Hazard, Jurisdiction, Scenario

__all__ = ["ActionLevel", "Hazard", "Jurisdiction", "Scenario", "load_scenario",
           "scenario_from_dict"]
