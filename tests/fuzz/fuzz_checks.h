/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz_checks.h — the checks of a call's status and of the
 * estimates it wrote, as fuzz_estimators.c makes them (its check_call and
 * check_estimates), for harnesses whose calls name rows of data they do
 * not hold (partial states: rows are numbered across chunks, so a failure
 * may name any row >= 0). */
#ifndef SOCIND_FUZZ_CHECKS_H
#define SOCIND_FUZZ_CHECKS_H

#include "fuzz.h"
#include "socind/socind.h"

/* A defined status with its words, a detail, and socind_last_error_row()
 * −1 after a success (>= −1 after a failure). */
static inline void fz_check_call(const char *fn, int32_t st) {
    FZ_CHECK(st >= 0 && st < SOCIND_STATUS_COUNT, "%s returned status %d", fn, (int)st);
    FZ_CHECK(socind_strerror(st) != NULL, "socind_strerror(%d) is NULL", (int)st);
    const char *detail = socind_last_error_detail();
    FZ_CHECK(detail != NULL, "%s: socind_last_error_detail() is NULL", fn);
    FZ_CHECK(strlen(detail) < 4096, "%s: detail message of %zu bytes", fn, strlen(detail));
    int64_t row = socind_last_error_row();
    if (st == SOCIND_OK)
        FZ_CHECK(row == -1, "%s succeeded but socind_last_error_row() is %lld (detail \"%s\")", fn,
                 (long long)row, detail);
    else
        FZ_CHECK(row >= -1, "%s failed (%d) naming row %lld (detail \"%s\")", fn, (int)st,
                 (long long)row, detail);
}

static inline void *fz_poisoned(size_t count, size_t size) {
    void *p = malloc((count ? count : 1) * size);
    if (!p) abort();
    memset(p, FZ_POISON, (count ? count : 1) * size);
    return p;
}

#define FZ_FIELD_DEFINED(fn, e, i, f)                                                              \
    FZ_CHECK(!fz_is_poison(&(e)->f, sizeof(e)->f), "%s: estimate %zu: field " #f " left unset",    \
             fn, i)

/* count estimates written by a call that returned st (outputs poisoned
 * before the call): every field set; a defined status; no replicate left
 * out (no replicate design is fuzzed through this check);
 * 0 <= n <= max_n; all NaN with n = 0 and a failing status when the call
 * failed; finite with se >= 0, ci_low <= ci_high, weight_sum >= 0 when
 * the estimate's status is SOCIND_OK. */
static inline void fz_check_estimates(const char *fn, int32_t st, const socind_estimate *e,
                                      size_t count, int64_t max_n) {
    for (size_t i = 0; i < count; i++) {
        const socind_estimate *x = &e[i];
        FZ_FIELD_DEFINED(fn, x, i, value);
        FZ_FIELD_DEFINED(fn, x, i, se);
        FZ_FIELD_DEFINED(fn, x, i, ci_low);
        FZ_FIELD_DEFINED(fn, x, i, ci_high);
        FZ_FIELD_DEFINED(fn, x, i, df);
        FZ_FIELD_DEFINED(fn, x, i, weight_sum);
        FZ_FIELD_DEFINED(fn, x, i, deff);
        FZ_FIELD_DEFINED(fn, x, i, n);
        FZ_FIELD_DEFINED(fn, x, i, status);
        FZ_FIELD_DEFINED(fn, x, i, replicates_left_out);
        FZ_CHECK(x->status >= 0 && x->status < SOCIND_STATUS_COUNT,
                 "%s: estimate %zu has status %d", fn, i, (int)x->status);
        FZ_CHECK(x->replicates_left_out == 0, "%s: estimate %zu: replicates_left_out is %d", fn, i,
                 (int)x->replicates_left_out); /* (no replicate design here) */
        FZ_CHECK(x->n >= 0 && x->n <= max_n, "%s: estimate %zu: n = %lld of %lld rows", fn, i,
                 (long long)x->n, (long long)max_n);
        if (st != SOCIND_OK) {
            FZ_CHECK(x->status != SOCIND_OK, "%s failed (%d) but estimate %zu has status OK", fn,
                     (int)st, i);
            FZ_CHECK(isnan(x->value) && isnan(x->se) && isnan(x->ci_low) && isnan(x->ci_high) &&
                         x->n == 0,
                     "%s failed (%d) but estimate %zu is not NaN: %g (se %g, ci %g..%g, n %lld)",
                     fn, (int)st, i, x->value, x->se, x->ci_low, x->ci_high, (long long)x->n);
            continue;
        }
        if (x->status != SOCIND_OK) continue;
        int finite = isfinite(x->value) && isfinite(x->se) && isfinite(x->ci_low) &&
                     isfinite(x->ci_high) && isfinite(x->weight_sum);
        FZ_CHECK(finite,
                 "%s: estimate %zu has status OK but value %g, se %g, ci %g..%g, weight_sum %g", fn,
                 i, x->value, x->se, x->ci_low, x->ci_high, x->weight_sum);
        if (!finite) continue;
        FZ_CHECK(x->se >= 0 && x->ci_low <= x->ci_high && x->weight_sum >= 0,
                 "%s: estimate %zu has status OK but se %g, ci %g..%g, weight_sum %g", fn, i, x->se,
                 x->ci_low, x->ci_high, x->weight_sum);
    }
}

#endif
