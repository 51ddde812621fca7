# SPDX-License-Identifier: GPL-3.0-or-later
"""socind's exceptions and the C statuses they carry (include/socind/common.h).

Every error socind raises about an argument or a value — in the binding,
before any C call, or from the library — is a :class:`SocindError` with
``.status`` (a SOCIND_ERR_* code, see socind.status) and ``.row`` (the
0-based row of the caller's arrays it names, or None): the row travels
through the API, never only inside the message."""

from typing import Optional, Sequence

from . import status as S


class SocindError(Exception):
    """A socind call failed. ``status``: the C status code (SOCIND_ERR_*);
    ``row``: the 0-based row of the caller's arrays the failure names, or
    None; ``rows``: every offending row where several are named (invalid
    codes), else None."""

    def __init__(self, status: int, message: str, row: Optional[int] = None,
                 rows: Optional[Sequence[int]] = None):
        super().__init__(message)
        self.status = status
        self.row = row
        self.rows = rows

    def __reduce__(self):
        # pickled whole (status, row, rows too): errors travel between
        # processes (multiprocessing, Dask workers: socind.dask)
        return (type(self), (self.status, str(self.args[0]) if self.args else "", self.row,
                             self.rows))


class DesignError(SocindError):
    """The survey design is invalid (weights, fpc, nesting, lonely PSU)."""


class InputError(SocindError, ValueError):
    """An argument or a data value is invalid (also a ValueError)."""


class InputTypeError(InputError, TypeError):
    """An argument or a data value has the wrong type: text where numbers
    are expected, complex numbers, a mix of kinds (also a TypeError)."""


class EmptyError(SocindError):
    """No usable observation."""


class ComputeError(SocindError):
    """The result cannot be computed as a finite number (degrees of freedom,
    overflow), or memory ran out."""


class DataWarning(UserWarning):
    """Rows excluded, set to missing or set to 0 by a stated rule."""


for _cls in (SocindError, DesignError, InputError, InputTypeError, EmptyError, ComputeError,
             DataWarning):
    _cls.__module__ = "socind"  # shown as socind.InputError, as it is imported

# The exception a failing C status raises.
ERROR_CLASS = {
    S.SOCIND_ERR_NULL: InputError,
    S.SOCIND_ERR_EMPTY: EmptyError,
    S.SOCIND_ERR_WEIGHT: DesignError,
    S.SOCIND_ERR_ZERO_WEIGHTS: DesignError,
    S.SOCIND_ERR_FPC: DesignError,
    S.SOCIND_ERR_NESTING: DesignError,
    S.SOCIND_ERR_LONELY_PSU: DesignError,
    S.SOCIND_ERR_ARG: InputError,
    S.SOCIND_ERR_NOMEM: ComputeError,
    S.SOCIND_ERR_GROUP: InputError,
    S.SOCIND_ERR_OPTIONS: InputError,
    S.SOCIND_ERR_EMPTY_DOMAIN: EmptyError,
    S.SOCIND_ERR_DF: ComputeError,
    S.SOCIND_ERR_DATA: InputError,
    S.SOCIND_ERR_NONPOSITIVE: InputError,
    S.SOCIND_ERR_CODE: InputError,
    S.SOCIND_ERR_RANGE: InputError,
    S.SOCIND_ERR_OVERFLOW: ComputeError,
    S.SOCIND_ERR_BUFFER: InputError,
    S.SOCIND_ERR_FORMAT: InputError,
    S.SOCIND_ERR_MISMATCH: InputError,
}
