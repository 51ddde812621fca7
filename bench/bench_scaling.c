/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_scaling.c — is every estimator's time linear in the rows?
 * Each estimator's time per row at 10^6 and 10^7 rows (and 10^8 with
 * --big: about 6 GB), on one thread, and the ratio of the largest size's
 * time per row to the smallest's (1.0 = linear; memory effects make large
 * sizes somewhat slower per row). The design: 35 rows a PSU, 15 PSUs a
 * stratum, lognormal incomes, weights 50–450; 20 domains of whole strata
 * for the by-domain line.
 *
 * Usage: bench_scaling [--big] */
#include "bench_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "socind/socind.h"

#define NEST 15

typedef struct {
    size_t n;
    double *y, *w, *x01;
    int64_t *h, *p;
    int32_t *g;
    socind_design *d;
} sample;

static int make(size_t n, sample *s) {
    uint64_t seed = 11;
    memset(s, 0, sizeof *s);
    s->n = n;
    s->y = malloc(n * sizeof *s->y);
    s->w = malloc(n * sizeof *s->w);
    s->x01 = malloc(n * sizeof *s->x01);
    s->h = malloc(n * sizeof *s->h);
    s->p = malloc(n * sizeof *s->p);
    s->g = malloc(n * sizeof *s->g);
    if (!s->y || !s->w || !s->x01 || !s->h || !s->p || !s->g) return 0;
    for (size_t k = 0; k < n; k++) {
        double u1 = bench_unif(&seed) + 1e-300, u2 = bench_unif(&seed);
        s->y[k] = exp(13.7 + 0.55 * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
        s->w[k] = 50.0 + 400.0 * bench_unif(&seed);
        s->x01[k] = s->y[k] < 700000.0 ? 1.0 : 0.0;
        s->p[k] = (int64_t)(k / 35);
        s->h[k] = s->p[k] / NEST;
        s->g[k] = (int32_t)(s->h[k] % 20);
    }
    return socind_design_new(n, s->w, s->h, s->p, NULL, NULL, &s->d) == SOCIND_OK;
}

static void release(sample *s) {
    socind_design_free(s->d);
    free(s->y), free(s->w), free(s->x01), free(s->h), free(s->p), free(s->g);
}

#define NMEASURES 14
static const char *const NAMES[NMEASURES] = {
    "design build",      "mean + SE",        "proportion + SE",    "FGT0 + SE (fixed)",
    "FGT2 + SE (fixed)", "Watts + SE",       "FGT0 by 20 domains", "FGT0 + SE (60% med)",
    "GE(2) + SE",        "Atkinson(1) + SE", "Gini + SE",          "median + SE",
    "S80/S20 + SE",      "Lorenz(0.5) + SE"};

/* The best of 3 of estimator i on s, seconds. */
static double run(sample *s, int i) {
    socind_estimate e[20];
    socind_poverty_line L, R;
    socind_poverty_line_init(&L);
    L.value = 700000.0;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_RELATIVE_QUANTILE;
    R.value = 0.6;
    double best;
    BENCH_BEST(3, best, {
        switch (i) {
        case 0: {
            socind_design *d2 = NULL;
            socind_design_new(s->n, s->w, s->h, s->p, NULL, NULL, &d2);
            socind_design_free(d2);
            break;
        }
        case 1:
            socind_mean(s->d, s->y, NULL, 1, NULL, e);
            break;
        case 2:
            socind_proportion(s->d, s->x01, NULL, 1, NULL, e);
            break;
        case 3:
            socind_fgt(s->d, s->y, &L, 0.0, NULL, 1, NULL, e);
            break;
        case 4:
            socind_fgt(s->d, s->y, &L, 2.0, NULL, 1, NULL, e);
            break;
        case 5:
            socind_watts(s->d, s->y, &L, SOCIND_NONPOS_ERROR, NULL, 1, NULL, e);
            break;
        case 6:
            socind_fgt(s->d, s->y, &L, 0.0, s->g, 20, NULL, e);
            break;
        case 7:
            socind_fgt(s->d, s->y, &R, 0.0, NULL, 1, NULL, e);
            break;
        case 8:
            socind_ge(s->d, s->y, 2.0, SOCIND_NONPOS_ERROR, NULL, 1, NULL, e);
            break;
        case 9:
            socind_atkinson(s->d, s->y, 1.0, SOCIND_NONPOS_ERROR, NULL, 1, NULL, e);
            break;
        case 10:
            socind_gini(s->d, s->y, NULL, 1, NULL, e);
            break;
        case 11:
            socind_quantile(s->d, s->y, 0.5, NULL, 1, NULL, e);
            break;
        case 12:
            socind_share_ratio(s->d, s->y, 0.2, 0.8, NULL, 1, NULL, e);
            break;
        default:
            socind_lorenz(s->d, s->y, 0.5, NULL, 1, NULL, e);
            break;
        }
    });
    return best;
}

int main(int argc, char **argv) {
    int big = argc > 1 && !strcmp(argv[1], "--big");
    size_t sizes[3] = {1000000, 10000000, 100000000};
    int nsizes = big ? 3 : 2;
    double ns[NMEASURES][3];
    double plain[3];
    for (int z = 0; z < nsizes; z++) {
        sample s;
        if (!make(sizes[z], &s)) {
            printf("%zu rows: could not build the sample\n", sizes[z]);
            return 1;
        }
        volatile double sink;
        double tb;
        BENCH_BEST(3, tb, { sink = bench_plain_sum(s.w, s.y, s.n); });
        (void)sink;
        plain[z] = 1e9 * tb / (double)s.n;
        for (int i = 0; i < NMEASURES; i++) ns[i][z] = 1e9 * run(&s, i) / (double)s.n;
        release(&s);
    }
    printf("time per row (ns), one thread; last column: largest size over smallest\n");
    printf("%-22s", "");
    for (int z = 0; z < nsizes; z++) printf(" %10.0e", (double)sizes[z]);
    printf("   ratio\n%-22s", "plain weighted sum");
    for (int z = 0; z < nsizes; z++) printf(" %10.2f", plain[z]);
    printf("   %5.2f\n", plain[nsizes - 1] / plain[0]);
    for (int i = 0; i < NMEASURES; i++) {
        printf("%-22s", NAMES[i]);
        for (int z = 0; z < nsizes; z++) printf(" %10.2f", ns[i][z]);
        printf("   %5.2f\n", ns[i][nsizes - 1] / ns[i][0]);
    }
    return 0;
}
