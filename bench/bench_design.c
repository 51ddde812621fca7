/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_design.c — the headcount ratio with its SE on 10 million rows
 * with strata and PSUs, next to a plain weighted sum over the same arrays,
 * and the cost of building the design next to a qsort of the PSU ids.
 * Usage: bench_design [rows] */
#include "bench_util.h"

#include <stdlib.h>

#include "socind/socind.h"

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 10000000;
    const size_t per_psu = 1000, psu_per_stratum = 50;
    double *w = malloc(n * sizeof *w), *y = malloc(n * sizeof *y), *poor = malloc(n * sizeof *poor);
    int64_t *strata = malloc(n * sizeof *strata), *psu = malloc(n * sizeof *psu);
    int64_t *sorted = malloc(n * sizeof *sorted);
    if (!w || !y || !poor || !strata || !psu || !sorted) return 1;
    uint64_t seed = 20261129;
    for (size_t k = 0; k < n; k++) {
        size_t p = k / per_psu;
        psu[k] = 100000 + (int64_t)p * 7;
        strata[k] = 3200 + (int64_t)(p / psu_per_stratum);
        w[k] = 50.0 + 400.0 * bench_unif(&seed);
        y[k] = 200000.0 + 2.0e6 * bench_unif(&seed) * bench_unif(&seed);
        poor[k] = y[k] < 500000.0 ? 1.0 : 0.0;
    }
    printf("bench_design: %zu rows, %zu PSUs, %zu strata\n", n, (n + per_psu - 1) / per_psu,
           ((n + per_psu - 1) / per_psu + psu_per_stratum - 1) / psu_per_stratum);

    double t_sort, t_build, t_plain, t_est, sink = 0;
    socind_design *d = NULL;
    BENCH_BEST(3, t_sort, {
        for (size_t k = 0; k < n; k++) sorted[k] = psu[k];
        qsort(sorted, n, sizeof *sorted, cmp_i64);
    });
    BENCH_BEST(3, t_build, {
        socind_design_free(d);
        d = NULL;
        if (socind_design_new(n, w, strata, psu, NULL, NULL, &d) != SOCIND_OK) {
            fprintf(stderr, "design: %s\n", socind_last_error_detail());
            return 1;
        }
    });
    BENCH_BEST(5, t_plain, sink += bench_plain_sum(w, poor, n));
    socind_estimate e;
    BENCH_BEST(5, t_est, {
        if (socind_proportion(d, poor, NULL, 0, NULL, &e) != SOCIND_OK) return 1;
    });
    printf("headcount ratio %.6f (SE %.6f, 95%% CI %.6f-%.6f, df %.0f)\n", e.value, e.se, e.ci_low,
           e.ci_high, e.df);
    printf("plain weighted sum      %8.1f Mrows/s  (%.4f s)\n", n / t_plain / 1e6, t_plain);
    printf("headcount ratio + SE    %8.1f Mrows/s  (%.4f s)\n", n / t_est / 1e6, t_est);
    printf("ratio estimate/plain    %8.3f   (goal >= 0.333)\n", t_plain / t_est);
    printf("qsort of the PSU ids    %8.4f s\n", t_sort);
    printf("socind_design_new       %8.4f s\n", t_build);
    printf("ratio build/qsort       %8.3f   (goal <= 1)\n", t_build / t_sort);
    socind_design_free(d);
    free(w);
    free(y);
    free(poor);
    free(strata);
    free(psu);
    free(sorted);
    return sink == 12345.0; /* keep the baseline from being optimised away */
}
