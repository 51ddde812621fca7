/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_relative.c — poverty against a relative line as partial
 * states (state_relative.c): at 10^6 and 10^7 rows (35 rows a PSU, 15 PSUs
 * a stratum, lognormal incomes, weights 50–450; --rows R for one size),
 * added chunk by chunk (10^5 rows) to one state per pass: for FGT0 against
 * 60 % of the median without domains, FGT2 against 60 % of the median by
 * 20 domains, Watts against half the mean, the FGT decomposition
 * against 60 % of the median by 20 domains, the median of the poor
 * without domains and the relative median gap by 20 domains (convey's
 * line, 60 % of the median), the poverty profile's FGT0 against 60 % of
 * the median by 20 groups, and beside them the states these build on:
 * the median with its Woodruff limits without and by 20 domains (two
 * passes where the limits fall in the rows pass 2 keeps, else three), the
 * Lorenz ordinate at 0.4 (two) and the quintile share ratio S80/S20
 * without and by 20 domains (two where the kernel series at its quantiles
 * is exact, else three) — the passes, each pass's time
 * and the state's size as bytes at the end of each pass, PSUs and cells,
 * and the largest relative difference of value and SE from the in-memory
 * call; then the in-memory FGT0 against 60 % of the median (one thread:
 * its sampled bracket is faster than passes through states) against which
 * the states' time per row compares. */
#include "bench_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socind/socind.h"

typedef struct {
    size_t n;
    double *y, *w;
    int64_t *h, *p;
    int32_t *g;
} sample;

static void make(size_t n, sample *s) {
    uint64_t seed = 7;
    s->n = n;
    s->y = malloc(n * sizeof *s->y), s->w = malloc(n * sizeof *s->w);
    s->h = malloc(n * sizeof *s->h), s->p = malloc(n * sizeof *s->p);
    s->g = malloc(n * sizeof *s->g);
    if (!s->y || !s->w || !s->h || !s->p || !s->g) exit(1);
    for (size_t k = 0; k < n; k++) {
        double u1 = bench_unif(&seed), u2 = bench_unif(&seed);
        if (u1 < 1e-300) u1 = 1e-300;
        s->y[k] = exp(13.7 + 0.55 * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
        s->w[k] = 50.0 + 400.0 * bench_unif(&seed);
        s->p[k] = (int64_t)(k / 35);
        s->h[k] = s->p[k] / 15;
        s->g[k] = (int32_t)(s->p[k] % 20);
    }
}

typedef struct {
    const char *name;
    int32_t est, line_type, grouped;
    double alpha, fraction;
} kind;

static int32_t in_memory(const socind_design *d, const sample *s, const kind *k,
                         const socind_options *o, socind_estimate *out) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = k->line_type, L.value = k->fraction;
    const int32_t *g = k->grouped ? s->g : NULL;
    const int32_t ng = k->grouped ? 20 : 1;
    switch (k->est) {
    case SOCIND_STATE_QUANTILE:
        return socind_quantile(d, s->y, k->fraction, g, ng, o, out);
    case SOCIND_STATE_LORENZ:
        return socind_lorenz(d, s->y, k->fraction, g, ng, o, out);
    case SOCIND_STATE_SHARE_RATIO: /* (alpha1 in fraction, alpha2 in alpha) */
        return socind_share_ratio(d, s->y, k->fraction, k->alpha, g, ng, o, out);
    case SOCIND_STATE_FGT:
        return socind_fgt(d, s->y, &L, k->alpha, g, ng, o, out);
    case SOCIND_STATE_WATTS:
        return socind_watts(d, s->y, &L, SOCIND_NONPOS_ERROR, g, ng, o, out);
    case SOCIND_STATE_POOR_MEDIAN:
        return socind_poor_median(d, s->y, k->fraction, 0.5, g, ng, o, out);
    case SOCIND_STATE_RELATIVE_MEDIAN_GAP:
        return socind_relative_median_gap(d, s->y, k->fraction, 0.5, g, ng, o, out);
    case SOCIND_STATE_POVERTY_PROFILE:
        return socind_poverty_profile(d, s->y, &L, k->alpha, g, ng, o, out);
    default:
        return socind_fgt_decomposition(d, s->y, &L, k->alpha, g, ng, o, out);
    }
}

static double rel(double a, double b) {
    return b == 0.0 ? fabs(a) : fabs(a - b) / fabs(b);
}

static void run(const sample *s, const socind_design *d, const kind *k) {
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = k->est, sp.n_groups = k->grouped ? 20 : 0, sp.has_strata = 1, sp.has_psu = 1;
    if (k->est == SOCIND_STATE_QUANTILE || k->est == SOCIND_STATE_LORENZ)
        sp.p = k->fraction; /* (no line) */
    else if (k->est == SOCIND_STATE_SHARE_RATIO)
        sp.p = k->fraction, sp.p2 = k->alpha;
    else
        sp.line_type = k->line_type, sp.line = k->fraction, sp.alpha = k->alpha;
    socind_state *st = NULL;
    if (socind_state_new(&sp, &st)) exit(1);
    int32_t pass = 1, passes = 1;
    socind_state_passes(st, &pass, &passes);
    printf("  %s:", k->name);
    const size_t CH = 100000;
    double total = 0.0;
    size_t largest = 0;
    for (;;) {
        double t0 = bench_now();
        for (size_t a = 0; a < s->n; a += CH) {
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = s->n - a < CH ? s->n - a : CH;
            c.first_row = (int64_t)a, c.weight = s->w + a, c.y = s->y + a;
            c.strata = s->h + a, c.psu = s->p + a, c.group = k->grouped ? s->g + a : NULL;
            if (socind_state_add(st, &c)) exit(1);
        }
        double t = bench_now() - t0;
        total += t;
        size_t bytes, npsu, ncell;
        socind_state_info(st, NULL, &npsu, &ncell, &bytes);
        largest = bytes > largest ? bytes : largest;
        printf(" pass %d %.2f s, %.2f MB", (int)pass, t, (double)bytes / 1e6);
        /* the merged state's answer (a quantile's depends on its pass 2) */
        if (socind_state_passes(st, &pass, &passes)) exit(1);
        if (pass == passes) {
            printf(" (%zu PSUs, %zu cells)", npsu, ncell);
            break;
        }
        socind_state *n = NULL;
        t0 = bench_now();
        if (socind_state_next_pass(st, &n)) exit(1);
        total += bench_now() - t0;
        socind_state_free(st);
        st = n;
        pass++;
        printf(";");
    }
    size_t count;
    socind_state_info(st, &count, NULL, NULL, NULL);
    socind_estimate *e = calloc(count, sizeof *e), *m = calloc(count, sizeof *m);
    double t0 = bench_now();
    int32_t s1 = socind_state_finish(st, NULL, e, count);
    total += bench_now() - t0;
    t0 = bench_now();
    int32_t s0 = in_memory(d, s, k, NULL, m);
    double tm = bench_now() - t0;
    double dv = 0.0, ds = 0.0;
    for (size_t j = 0; j < count; j++) {
        if (e[j].status || m[j].status) continue;
        dv = fmax(dv, rel(e[j].value, m[j].value));
        ds = fmax(ds, rel(e[j].se, m[j].se));
        dv = fmax(dv, fmax(rel(e[j].ci_low, m[j].ci_low), rel(e[j].ci_high, m[j].ci_high)));
    }
    printf("\n    states %.2f s in all (%.0f ns a row a pass), largest %.2f MB (%.2f bytes a row); "
           "in memory %.2f s; status %d/%d; largest relative difference value %.2g, SE %.2g\n",
           total, 1e9 * total / (double)s->n / passes, (double)largest / 1e6,
           (double)largest / (double)s->n, tm, (int)s1, (int)s0, dv, ds);
    socind_state_free(st);
    free(e), free(m);
}

int main(int argc, char **argv) {
    size_t sizes[2] = {1000000, 10000000}, nsizes = 2;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            sizes[0] = (size_t)strtod(argv[++i], NULL), nsizes = 1;
    const kind kinds[] = {
        {"median", SOCIND_STATE_QUANTILE, 0, 0, NAN, 0.5},
        {"median, 20 domains", SOCIND_STATE_QUANTILE, 0, 1, NAN, 0.5},
        {"Lorenz ordinate at 0.4", SOCIND_STATE_LORENZ, 0, 0, NAN, 0.4},
        {"S80/S20", SOCIND_STATE_SHARE_RATIO, 0, 0, 0.8, 0.2},
        {"S80/S20, 20 domains", SOCIND_STATE_SHARE_RATIO, 0, 1, 0.8, 0.2},
        {"FGT0, 60 % of the median", SOCIND_STATE_FGT, SOCIND_LINE_RELATIVE_QUANTILE, 0, 0.0, 0.6},
        {"FGT2, 60 % of the median, 20 domains", SOCIND_STATE_FGT, SOCIND_LINE_RELATIVE_QUANTILE, 1,
         2.0, 0.6},
        {"Watts, half the mean", SOCIND_STATE_WATTS, SOCIND_LINE_RELATIVE_MEAN, 0, NAN, 0.5},
        {"FGT decomposition (2), 60 % of the median, 20 domains", SOCIND_STATE_FGT_DECOMPOSITION,
         SOCIND_LINE_RELATIVE_QUANTILE, 1, 2.0, 0.6},
        {"median of the poor, 60 % of the median", SOCIND_STATE_POOR_MEDIAN,
         SOCIND_LINE_RELATIVE_QUANTILE, 0, NAN, 0.6},
        {"relative median gap, 60 % of the median, 20 domains", SOCIND_STATE_RELATIVE_MEDIAN_GAP,
         SOCIND_LINE_RELATIVE_QUANTILE, 1, NAN, 0.6},
        {"poverty profile (FGT0), 60 % of the median, 20 groups", SOCIND_STATE_POVERTY_PROFILE,
         SOCIND_LINE_RELATIVE_QUANTILE, 1, 0.0, 0.6},
    };
    for (size_t z = 0; z < nsizes; z++) {
        sample s;
        make(sizes[z], &s);
        socind_design *d = NULL;
        if (socind_design_new(s.n, s.w, s.h, s.p, NULL, NULL, &d)) return 1;
        printf("== %zu rows (%zu PSUs) ==\n", s.n, (s.n + 34) / 35);
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) run(&s, d, &kinds[i]);
        socind_estimate e1;
        double best = 1e300;
        for (int r = 0; r < 3; r++) {
            double t0 = bench_now();
            in_memory(d, &s, &kinds[5], NULL, &e1); /* FGT0, 60 % of the median */
            best = fmin(best, bench_now() - t0);
        }
        printf("  in memory, FGT0 + SE against 60 %% of the median: %.3f s (%.1f ns a row)\n", best,
               1e9 * best / (double)s.n);
        socind_design_free(d);
        free(s.y), free(s.w), free(s.h), free(s.p), free(s.g);
    }
    return 0;
}
