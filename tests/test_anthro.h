/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_anthro.h — the survey design WHO's anthro builds for its
 * prevalence table, as the tests build it (nutrition.h's rules). */
#ifndef SOCIND_TEST_ANTHRO_H
#define SOCIND_TEST_ANTHRO_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "socind/socind.h"

/* The design of n children as anthro builds it: lonely PSUs "adjust",
 * clusters numbered within strata; sampling weights sw (NULL: 1 each; NaN
 * set to 0, as anthro does), strata and cluster ids or NULL; a cluster
 * column whose ids are all equal gives every child its own PSU (anthro's
 * ids = ~1). Returns the status of socind_design_new (*out NULL on
 * failure). */
static inline int32_t test_anthro_design(size_t n, const double *sw, const int64_t *strata,
                                         const int64_t *cluster, socind_design **out) {
    double *w = malloc((n ? n : 1) * sizeof *w);
    int64_t *own = NULL;
    if (!w) abort();
    for (size_t k = 0; k < n; k++) w[k] = !sw ? 1.0 : isnan(sw[k]) ? 0.0 : sw[k];
    size_t k = 1;
    while (cluster && k < n && cluster[k] == cluster[0]) k++;
    if (cluster && k == n) {
        own = malloc((n ? n : 1) * sizeof *own);
        if (!own) abort();
        for (k = 0; k < n; k++) own[k] = (int64_t)k;
        cluster = own;
    }
    socind_design_options o;
    socind_design_options_init(&o);
    o.lonely_psu = SOCIND_LONELY_ADJUST;
    o.nest = 1;
    int32_t st = socind_design_new(n, w, strata, cluster, NULL, &o, out);
    free(w);
    free(own);
    return st;
}

#endif /* SOCIND_TEST_ANTHRO_H */
