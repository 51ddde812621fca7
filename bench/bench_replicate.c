/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_replicate.c — estimates on a replicate-weight design
 * (socind/replicate.h): n rows (default 10^6) in PSUs of 35 rows and
 * strata of 20 PSUs, bootstrap replicates made from the design (R = 80 and
 * 250, factors per PSU). For each estimate: the time of the call on the
 * replicate design, the time of the same call on the design without
 * replicates, and their ratio against R + 1 (what one pass per replicate
 * and the full sample would cost). The one-pass estimates that finish a
 * partial state (mean, total, FGT, GE, Atkinson) make every replicate from
 * the state's per-PSU sums; the others (Gini, the replicate quantile,
 * Zenga) run once per replicate. The median and a proportion by 34
 * domains also take each domain's df, the rank − 1 of the replicate
 * weights on its rows. Usage: bench_replicate [rows] */
#include "bench_util.h"

#include <math.h>
#include <stdlib.h>

#include "socind/socind.h"

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    double *w = malloc(n * sizeof *w), *y = malloc(n * sizeof *y);
    int64_t *strata = malloc(n * sizeof *strata), *psu = malloc(n * sizeof *psu);
    if (!w || !y || !strata || !psu) return 1;
    uint64_t seed = 21;
    for (size_t k = 0; k < n; k++) {
        psu[k] = (int64_t)(k / 35);
        strata[k] = (int64_t)(k / 700);
        w[k] = 50.0 + 400.0 * bench_unif(&seed);
        double u1 = bench_unif(&seed) + 1e-12, u2 = bench_unif(&seed);
        y[k] = round(exp(13.7 + 0.55 * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2)));
    }
    socind_design *d = NULL;
    if (socind_design_new(n, w, strata, psu, NULL, NULL, &d) != SOCIND_OK) return 1;
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 600000.0;
    socind_estimate e[34];
    /* 34 domains of consecutive strata (provinces), and who is poor */
    int32_t *dom = malloc(n * sizeof *dom);
    double *poor = malloc(n * sizeof *poor);
    if (!dom || !poor) return 1;
    const size_t nstr = (n + 699) / 700;
    for (size_t k = 0; k < n; k++) {
        dom[k] = (int32_t)((size_t)strata[k] * 34 / (nstr ? nstr : 1));
        poor[k] = y[k] < L.value;
    }
    double t_plain, sink = 0;
    BENCH_BEST(5, t_plain, sink += bench_plain_sum(w, y, n));
    printf("bench_replicate: %zu rows, %zu PSUs, %zu strata\n", n, socind_design_npsu(d),
           socind_design_nstrata(d));
    printf("plain weighted sum %8.1f Mrows/s (%.4f s)\n", n / t_plain / 1e6, t_plain);
    const int Rs[2] = {80, 250};
    for (int ri = 0; ri < 2; ri++) {
        socind_replicate_options o;
        socind_replicate_options_init(&o);
        o.type = SOCIND_REP_BOOTSTRAP;
        o.replicates = Rs[ri];
        socind_design *rd = NULL;
        double t0 = bench_now();
        if (socind_design_replicate_make(d, &o, &rd) != SOCIND_OK) return 1;
        double t_make = bench_now() - t0;
        const double R1 = (double)Rs[ri] + 1.0;
        printf("\nR = %d bootstrap replicates (made in %.3f s, degf %.0f)\n", Rs[ri], t_make,
               (double)Rs[ri] - 1.0);
        printf("%-22s %10s %10s %12s %10s\n", "estimate", "replicate", "plain", "rep/plain",
               "of R+1");
#define ROW(label, call_rd, call_d)                                                                \
    do {                                                                                           \
        double tr, tp;                                                                             \
        int32_t s1 = SOCIND_OK, s2 = SOCIND_OK;                                                    \
        BENCH_BEST(5, tp, s2 = (call_d));                                                          \
        BENCH_BEST(1, tr, s1 = (call_rd));                                                         \
        printf("%-22s %9.4fs %9.4fs %12.2f %9.3f%s\n", label, tr, tp, tr / tp, tr / tp / R1,       \
               s1 || s2 ? "  (failed)" : "");                                                      \
    } while (0)
        ROW("mean", socind_mean(rd, y, NULL, 0, NULL, e), socind_mean(d, y, NULL, 0, NULL, e));
        ROW("total", socind_total(rd, y, NULL, 0, NULL, e), socind_total(d, y, NULL, 0, NULL, e));
        ROW("fgt1", socind_fgt(rd, y, &L, 1.0, NULL, 0, NULL, e),
            socind_fgt(d, y, &L, 1.0, NULL, 0, NULL, e));
        ROW("ge(2)", socind_ge(rd, y, 2.0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e),
            socind_ge(d, y, 2.0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e));
        ROW("gini (R passes)", socind_gini(rd, y, NULL, 0, NULL, e),
            socind_gini(d, y, NULL, 0, NULL, e));
        ROW("median, Woodruff", socind_quantile(rd, y, 0.5, NULL, 0, NULL, e),
            socind_quantile(d, y, 0.5, NULL, 0, NULL, e));
        /* by 34 domains of whole strata: each domain's df is the rank of
           the replicate weights on its rows (replicate.h) */
        ROW("median, 34 domains", socind_quantile(rd, y, 0.5, dom, 34, NULL, e),
            socind_quantile(d, y, 0.5, dom, 34, NULL, e));
        ROW("proportion, 34 dom.", socind_proportion(rd, poor, dom, 34, NULL, e),
            socind_proportion(d, poor, dom, 34, NULL, e));
        socind_design_free(rd);
    }
    socind_design_free(d);
    free(w), free(y), free(strata), free(psu), free(dom), free(poor);
    return sink == 42.0;
}
