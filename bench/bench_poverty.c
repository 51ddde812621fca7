/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_poverty.c — FGT0, FGT2 and Watts with SEs against a fixed line,
 * and FGT0 against 60% of the median (which needs the median, the densities
 * and the line's term), on 10 million person rows with strata and PSUs, next
 * to a plain weighted sum of the same run; then both FGT0s in 20 domains
 * (groups of whole PSUs, as districts are). Usage: bench_poverty [rows] */
#include "bench_util.h"

#include <math.h>
#include <stdlib.h>

#include "socind/socind.h"

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 10000000;
    double *w = malloc(n * sizeof *w), *y = malloc(n * sizeof *y);
    int64_t *strata = malloc(n * sizeof *strata), *psu = malloc(n * sizeof *psu);
    if (!w || !y || !strata || !psu) return 1;
    uint64_t seed = 42;
    for (size_t k = 0; k < n; k++) {
        size_t p = k / 1000;
        psu[k] = (int64_t)p;
        strata[k] = (int64_t)(p / 50);
        w[k] = 50.0 + 400.0 * bench_unif(&seed);
        /* log-normal-ish consumption around 1 million rupiah */
        double u1 = bench_unif(&seed) + 1e-12, u2 = bench_unif(&seed);
        double g = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
        y[k] = exp(13.7 + 0.55 * g);
    }
    socind_design *d = NULL;
    if (socind_design_new(n, w, strata, psu, NULL, NULL, &d) != SOCIND_OK) return 1;
    socind_poverty_line L, R;
    socind_poverty_line_init(&L);
    L.value = 500000;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_RELATIVE_QUANTILE;
    R.value = 0.6;
    printf("bench_poverty: %zu rows, %zu PSUs, %zu strata\n", n, socind_design_npsu(d),
           socind_design_nstrata(d));
    double t_plain, t0, t2, tw, tr, sink = 0;
    socind_estimate e0, e2, ew, er;
    BENCH_BEST(5, t_plain, sink += bench_plain_sum(w, y, n));
    BENCH_BEST(5, t0, socind_fgt(d, y, &L, 0, NULL, 0, NULL, &e0));
    BENCH_BEST(5, t2, socind_fgt(d, y, &L, 2, NULL, 0, NULL, &e2));
    BENCH_BEST(5, tw, socind_watts(d, y, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &ew));
    BENCH_BEST(5, tr, socind_fgt(d, y, &R, 0, NULL, 0, NULL, &er));
    printf("FGT0 %.5f (SE %.5f)  FGT2 %.5f (SE %.5f)  Watts %.5f (SE %.5f)  FGT0 relative %.5f (SE "
           "%.5f)\n",
           e0.value, e0.se, e2.value, e2.se, ew.value, ew.se, er.value, er.se);
    printf("plain weighted sum        %8.1f Mrows/s (%.4f s)\n", n / t_plain / 1e6, t_plain);
    printf(
        "FGT0 + SE, fixed line     %8.1f Mrows/s (%.4f s)  ratio to plain %.3f (goal >= 0.333)\n",
        n / t0 / 1e6, t0, t_plain / t0);
    printf(
        "FGT2 + SE, fixed line     %8.1f Mrows/s (%.4f s)  ratio to plain %.3f (goal >= 0.333)\n",
        n / t2 / 1e6, t2, t_plain / t2);
    printf(
        "Watts + SE, fixed line    %8.1f Mrows/s (%.4f s)  ratio to plain %.3f (goal >= 0.333)\n",
        n / tw / 1e6, tw, t_plain / tw);
    printf(
        "FGT0 + SE, 60%% of median  %8.1f Mrows/s (%.4f s)  relative/fixed time %.2f (goal <= 3)\n",
        n / tr / 1e6, tr, tr / t0);
    /* by domain: 20 districts of whole PSUs */
    int32_t *g = malloc(n * sizeof *g);
    socind_estimate eg[20];
    double tg0 = NAN, tgr = NAN;
    if (g) {
        for (size_t k = 0; k < n; k++) g[k] = (int32_t)((k / 1000) % 20);
        BENCH_BEST(3, tg0, socind_fgt(d, y, &L, 0, g, 20, NULL, eg));
        BENCH_BEST(3, tgr, socind_fgt(d, y, &R, 0, g, 20, NULL, eg));
    }
    printf("FGT0 + SE, 20 domains, fixed line     %8.1f Mrows/s (%.4f s)\n", n / tg0 / 1e6, tg0);
    printf("FGT0 + SE, 20 domains, 60%% of median  %8.1f Mrows/s (%.4f s)  relative/fixed %.2f\n",
           n / tgr / 1e6, tgr, tgr / tg0);
    free(g);
    socind_design_free(d);
    free(w), free(y), free(strata), free(psu);
    return sink == 1.0;
}
