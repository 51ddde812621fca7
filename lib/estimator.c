/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/estimator.c — the frame every estimator by domain runs in (totals.c,
 * poverty.c, inequality.c), so that each checks its arguments in the same
 * order and leaves its outputs defined the same way (common.h):
 *
 *   1. out NULL: SOCIND_ERR_NULL, nothing written; else every output NaN
 *      with SOCIND_ERR_NULL                              (socind__frame_begin)
 *   2. the design and the columns: SOCIND_ERR_NULL naming the first NULL
 *   3. the estimator's own arguments (a line, α, θ, ε, p, a nonpositive
 *      policy): its own checks, SOCIND_ERR_ARG …
 *   4. the options, then the group codes (the row named) and the domains'
 *      rows                                            (socind__frame_domains)
 *   5. the data, domain by domain (the row named)
 *   6. SOCIND_ERR_EMPTY when no domain had a usable row; on any failure
 *      every output NaN with the status              (socind__frame_end) */
#include <stdlib.h>

#include "internal.h"

int32_t socind__frame_begin(socind__frame *f, socind_estimate *out, size_t count,
                            const socind_design *d, const socind__arg *args, int nargs) {
    memset(f, 0, sizeof *f);
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    f->out = out;
    f->count = count;
    socind__frame_nan(f, SOCIND_ERR_NULL);
    if (!d) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    for (int i = 0; i < nargs; i++)
        if (!args[i].ptr) return socind__fail(SOCIND_ERR_NULL, "%s is NULL", args[i].name);
    f->d = d;
    return SOCIND_OK;
}

int32_t socind__frame_domains(socind__frame *f, const int32_t *group, int32_t n_groups,
                              const socind_options *opts) {
    int32_t st = socind__resolve_options(opts, &f->o);
    if (!st) st = socind__groups_init(&f->grp, group, n_groups, f->d->n);
    return st;
}

int32_t socind__frame_end(socind__frame *f, int32_t st, int64_t used, const char *what) {
    if (!st && used == 0)
        st =
            socind__fail(SOCIND_ERR_EMPTY,
                         "no usable observation: every %s is missing or outside the domains", what);
    if (st) socind__frame_nan(f, st);
    socind__groups_free(&f->grp);
    return st;
}

void socind__frame_nan(socind__frame *f, int32_t st) {
    for (size_t j = 0; f->out && j < f->count; j++) socind__estimate_nan(&f->out[j], st);
}

void socind__estimate_undefined(socind_estimate *e, int32_t status, int64_t n, double weight_sum,
                                double df) {
    socind__estimate_nan(e, status);
    e->n = n;
    e->weight_sum = weight_sum;
    e->df = df;
}
