/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_inequality.c — the Gini coefficient with its SE and the median
 * with its Woodruff interval on 10 million rows with strata and PSUs, as
 * rows/s and as a ratio to a qsort of the incomes alone, in the same run.
 * Usage: bench_inequality [rows] */
#include "bench_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "socind/socind.h"

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 10000000;
    double *w = malloc(n * sizeof *w), *y = malloc(n * sizeof *y), *copy = malloc(n * sizeof *copy);
    int64_t *strata = malloc(n * sizeof *strata), *psu = malloc(n * sizeof *psu);
    if (!w || !y || !copy || !strata || !psu) return 1;
    uint64_t seed = 77;
    for (size_t k = 0; k < n; k++) {
        psu[k] = (int64_t)(k / 1000);
        strata[k] = (int64_t)(k / 50000);
        w[k] = 50.0 + 400.0 * bench_unif(&seed);
        double u1 = bench_unif(&seed) + 1e-12, u2 = bench_unif(&seed);
        y[k] = round(exp(13.7 + 0.55 * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2)));
    }
    socind_design *d = NULL;
    if (socind_design_new(n, w, strata, psu, NULL, NULL, &d) != SOCIND_OK) return 1;
    double t_sort, t_gini, t_med, t_plain, sink = 0;
    BENCH_BEST(3, t_sort, {
        memcpy(copy, y, n * sizeof *copy);
        qsort(copy, n, sizeof *copy, cmp_double);
    });
    BENCH_BEST(5, t_plain, sink += bench_plain_sum(w, y, n));
    socind_estimate g, m;
    BENCH_BEST(3, t_gini, socind_gini(d, y, NULL, 0, NULL, &g));
    BENCH_BEST(3, t_med, socind_quantile(d, y, 0.5, NULL, 0, NULL, &m));
    printf("bench_inequality: %zu rows, %zu PSUs, %zu strata\n", n, socind_design_npsu(d),
           socind_design_nstrata(d));
    printf("Gini %.5f (SE %.6f); median %.0f (95%% CI %.0f-%.0f)\n", g.value, g.se, m.value,
           m.ci_low, m.ci_high);
    printf("plain weighted sum       %8.1f Mrows/s (%.4f s)\n", n / t_plain / 1e6, t_plain);
    printf("qsort of the incomes     %8.1f Mrows/s (%.4f s)\n", n / t_sort / 1e6, t_sort);
    printf("Gini + SE                %8.1f Mrows/s (%.4f s)  qsort/Gini time %.2f (goal >= 3)\n",
           n / t_gini / 1e6, t_gini, t_sort / t_gini);
    printf("median + Woodruff CI     %8.1f Mrows/s (%.4f s)  qsort/median time %.2f\n",
           n / t_med / 1e6, t_med, t_sort / t_med);
    socind_design_free(d);
    free(w), free(y), free(copy), free(strata), free(psu);
    return sink == 1.0;
}
