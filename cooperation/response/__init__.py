"""Response processes: who holds up the joint response, and what the delay costs.

:class:`ResponseProcess` (tasks, owners, precedence, joins, delays, a damage
curve), :func:`simulate_response` (vectorised Monte Carlo of completion time and
damage, criticality, bottleneck scores) and the Shapley attribution of the
delay cost (协同延迟成本) to units.
"""

from .attribution import DelayAttribution, attribute_delay_cost
from .process import DamageCurve, DelaySpec, ResponseProcess, Task
from .simulate import ResponseResult, simulate_response

__all__ = ["DamageCurve", "DelayAttribution", "DelaySpec", "ResponseProcess", "ResponseResult",
           "Task", "attribute_delay_cost", "simulate_response"]
