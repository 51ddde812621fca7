# SPDX-License-Identifier: GPL-3.0-or-later
"""The C library's status codes (include/socind/common.h), by their C names.

Every function of the binding compares statuses with these names, never
with numbers; ``SocindError.status`` and ``Estimate.status`` hold one of
them. ``name(status)`` gives the C name of a code ("SOCIND_ERR_DF")."""

SOCIND_OK = 0
SOCIND_ERR_NULL = 1           # a required pointer argument is NULL
SOCIND_ERR_EMPTY = 2          # n = 0, or no usable observation
SOCIND_ERR_WEIGHT = 3         # a weight is NaN, infinite or negative
SOCIND_ERR_ZERO_WEIGHTS = 4   # every weight is zero
SOCIND_ERR_FPC = 5            # invalid finite population correction
SOCIND_ERR_NESTING = 6        # a PSU id occurs in two strata (and nest = 0)
SOCIND_ERR_LONELY_PSU = 7     # a stratum has one PSU under policy "fail"
SOCIND_ERR_ARG = 8            # an argument value is out of its valid range
SOCIND_ERR_NOMEM = 9          # memory allocation failed
SOCIND_ERR_GROUP = 10         # a group code is < -1 or >= n_groups
SOCIND_ERR_OPTIONS = 11       # an options struct has an unknown size
SOCIND_ERR_EMPTY_DOMAIN = 12  # a domain (group) has no usable observation
SOCIND_ERR_DF = 13            # degrees of freedom <= 0: no t interval
SOCIND_ERR_DATA = 14          # a data value is invalid for this estimator
SOCIND_ERR_NONPOSITIVE = 15   # a value that must be > 0 is <= 0
SOCIND_ERR_CODE = 16          # an unknown categorical code (sex, measure …)
SOCIND_ERR_RANGE = 17         # a value is outside the supported range
SOCIND_ERR_OVERFLOW = 18      # a result is not a finite number
SOCIND_ERR_BUFFER = 19        # an output buffer is too small (the size needed is reported)
SOCIND_ERR_FORMAT = 20        # bytes are not a partial state this library reads
SOCIND_ERR_MISMATCH = 21      # partial states of different estimates, passes or designs
SOCIND_ERR_CONVERGENCE = 22   # an iteration did not converge (calibration)
SOCIND_ERR_TARGETS = 23       # calibration targets that cannot be met
SOCIND_STATUS_COUNT = 24      # number of defined codes

NAMES = {v: k for k, v in globals().items()
         if k.startswith("SOCIND_") and k != "SOCIND_STATUS_COUNT"}


def name(status: int) -> str:
    """The C name of a status code, or "unknown status N"."""
    return NAMES.get(int(status), f"unknown status {int(status)}")


__all__ = sorted(k for k in globals() if k.startswith("SOCIND_")) + ["NAMES", "name"]
