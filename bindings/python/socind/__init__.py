# SPDX-License-Identifier: GPL-3.0-or-later
"""

Modules, one per C header: :mod:`socind.design` (design.h: Design, total,
mean, ratio, proportion, variance), :mod:`socind.poverty`,
:mod:`socind.inequality`, :mod:`socind.growth`, :mod:`socind.nutrition`,
:mod:`socind.codes` (group codes from labels),
:mod:`socind.growth_incidence` (the growth incidence curve between two rounds), :mod:`socind.state` (state.h:
State, partial states that merge), :mod:`socind.replicate` (replicate.h:
ReplicateDesign, replicate-weight designs), and common.h's Estimate,
difference and critical_value; :mod:`socind.status` names the C statuses
(also importable from ``socind``: ``socind.SOCIND_ERR_DF``). Every name of
``__all__`` is importable from ``socind`` itself.
"""

from ._common import (Estimate, critical_value, difference, get_threads, proportion_interval,
                      set_threads, version)
from ._errors import (ComputeError, DataWarning, DesignError, EmptyError, InputError,
                      InputTypeError, SocindError)
from . import status  # noqa: F401
from .status import *  # noqa: F401,F403  (SOCIND_OK, SOCIND_ERR_*: the C statuses by name)
from ._lib import lib  # noqa: F401  (the loaded library, as before the split)
from .design import Design, Result, mean, proportion, ratio, total, variance  # noqa: F401
from .poverty import (fgt, fgt_decomposition, mean_shortfall, poor_count, poor_median,
                      poverty_gap_total, poverty_line, poverty_profile, ppp_line, relative_line,
                      relative_median_gap, richness, sen, sst, watts, watts_decomposition)
from .inequality import (atkinson, ge, ge_decomposition, gender_pay_gap, gini, jdiv,
                         jdiv_decomposition, lorenz, median_income_ratio, quantile,
                         quantile_income_total, quantile_linearized, share_ratio, zenga)
from .growth import round2, zscores, zscores_child
from .nutrition import growth_quality, prevalence
from . import codes  # noqa: F401
from .state import State, StateInfo  # noqa: F401
from .calibrate import calibrate, is_calibrated  # noqa: F401
from .replicate import ReplicateDesign  # noqa: F401
from .growth_incidence import growth_incidence  # noqa: F401
from .change import growth_redistribution, sectoral_decomposition  # noqa: F401
from .targeting import targeting  # noqa: F401
from .simulate import simulate_transfer, transfer_amounts

__all__ = [
    "Design", "Estimate", "SocindError", "DesignError", "InputError", "InputTypeError",
    "EmptyError", "ComputeError", "DataWarning",
    "version", "total", "mean", "ratio", "proportion", "relative_line", "fgt", "poor_count",
    "poverty_gap_total", "mean_shortfall", "watts", "poverty_line", "ppp_line", "gini", "ge",
    "atkinson", "quantile", "share_ratio", "lorenz", "zscores", "prevalence",
    "variance", "critical_value", "difference", "proportion_interval", "fgt_decomposition", "watts_decomposition",
    "poverty_profile", "ge_decomposition", "zscores_child", "growth_quality", "round2",
    "sen", "sst",
    "jdiv", "jdiv_decomposition", "zenga",
    "richness", "gender_pay_gap",
    "quantile_linearized", "quantile_income_total", "median_income_ratio", "poor_median",
    "relative_median_gap", "set_threads", "get_threads",
    "State", "StateInfo", "calibrate", "is_calibrated", "ReplicateDesign",
    "growth_incidence",
    "growth_redistribution", "sectoral_decomposition",
    "targeting",
    "simulate_transfer", "transfer_amounts",
]
