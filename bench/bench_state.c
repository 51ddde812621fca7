/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_state.c — estimates that merge (socind/state.h):
 *
 *  1. the in-memory estimators on 1 and 2 threads (socind_options.threads,
 *     through partial states): FGT0 + SE, FGT2 + SE, the mean + SE and
 *     GE(2) + SE, Gini + SE at 10^6, 10^7 (and 10^8 with --big) rows, time
 *     per row and the ratio 1 thread / 2 threads (the best of 7 calls on
 *     each, the calls alternating between 1 and 2 threads); then FGT0,
 *     FGT2, the mean, GE(2), Gini and the median by 500 districts (whole
 *     strata) in a file sorted by district (each district's rows one run:
 *     no row index) and with the strata dealt to the districts in turn,
 *     and by 10 groups whose rows are spread at random, where the threads
 *     take the domains (each line says whether both gave the same bits, as
 *     they must), and the GE(2) decomposition by those districts and by
 *     the 10 groups (through partial states on 2 threads: the difference
 *     from one thread);
 *  1b. the Gini's partial state over its passes (bounded memory) at 10^6
 *     and 10^7 rows in chunks of 10^5: passes, the largest merged state's
 *     bytes, time, and the difference from socind_gini;
 *  2. registry scale through the public partial states: R rows (default
 *     2.7×10^8, --rows R) generated chunk by chunk and never all in memory
 *     (35 rows a PSU, 15 PSUs a stratum, 7,000 domains), FGT0, FGT1 and FGT2
 *     + SE against a fixed line in every domain: time, states' size and
 *     peak memory (ru_maxrss).
 *
 * Usage: bench_state [--big] [--rows R] [--skip-registry]
 * The design of part 1: 35 rows a PSU, 15 PSUs a stratum, lognormal
 * incomes, weights 50–450, as the other benchmarks. */
#include "bench_util.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "socind/socind.h"

static double peak_mb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static double lognormal(uint64_t *s) {
    double u1 = bench_unif(s), u2 = bench_unif(s);
    if (u1 < 1e-300) u1 = 1e-300;
    return exp(13.7 + 0.55 * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}

typedef struct {
    size_t n;
    double *y, *w;
    int64_t *h, *p;
    int32_t *g[3]; /* 500 districts (whole strata, the file sorted by
                      district), the same strata dealt to 500 districts in
                      turn (a district's rows spread through the file), 10
                      groups at random */
    socind_design *d;
} sample;
static const int32_t NG[3] = {500, 500, 10};
static const char *const DOMAINS[3] = {"districts (whole strata, the file sorted by district)",
                                       "districts (whole strata dealt in turn)",
                                       "groups (rows at random)"};

static int make_sample(size_t n, sample *s) {
    uint64_t seed = 42;
    s->n = n;
    s->y = malloc(n * sizeof *s->y);
    s->w = malloc(n * sizeof *s->w);
    s->h = malloc(n * sizeof *s->h);
    s->p = malloc(n * sizeof *s->p);
    for (int i = 0; i < 3; i++) s->g[i] = malloc(n * sizeof *s->g[i]);
    if (!s->y || !s->w || !s->h || !s->p || !s->g[0] || !s->g[1] || !s->g[2]) return 0;
    const int64_t strata = (int64_t)((n + 35 * 15 - 1) / (35 * 15));
    for (size_t k = 0; k < n; k++) {
        s->y[k] = lognormal(&seed);
        s->w[k] = 50.0 + 400.0 * bench_unif(&seed);
        s->p[k] = (int64_t)(k / 35);
        s->h[k] = s->p[k] / 15;
        s->g[0][k] = (int32_t)(s->h[k] * NG[0] / strata);
        s->g[1][k] = (int32_t)(s->h[k] % NG[1]);
        s->g[2][k] = (int32_t)(bench_unif(&seed) * NG[2]);
    }
    return socind_design_new(n, s->w, s->h, s->p, NULL, NULL, &s->d) == SOCIND_OK;
}

static void free_sample(sample *s) {
    socind_design_free(s->d);
    free(s->y), free(s->w), free(s->h), free(s->p), free(s->g[0]), free(s->g[1]), free(s->g[2]);
}

/* One call of estimator `which` on `threads` threads (by the domains of
 * s->g[dom − 1] when dom > 0); its time. */
static double call_of(const sample *s, int which, int dom, int32_t threads, socind_estimate *e) {
    socind_options o;
    socind_options_init(&o);
    o.threads = threads;
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 700000.0;
    const int32_t *g = dom ? s->g[dom - 1] : NULL, G = dom ? NG[dom - 1] : 1;
    const double t0 = bench_now();
    switch (which) {
    case 0:
        socind_fgt(s->d, s->y, &L, 0.0, g, G, &o, e);
        break;
    case 1:
        socind_fgt(s->d, s->y, &L, 2.0, g, G, &o, e);
        break;
    case 2:
        socind_mean(s->d, s->y, g, G, &o, e);
        break;
    case 3:
        socind_ge(s->d, s->y, 2.0, SOCIND_NONPOS_ERROR, g, G, &o, e);
        break;
    case 4:
        socind_gini(s->d, s->y, g, G, &o, e);
        break;
    case 5:
        socind_quantile(s->d, s->y, 0.5, g, G, &o, e);
        break;
    default: /* (needs the domains) */
        socind_ge_decomposition(s->d, s->y, 2.0, SOCIND_NONPOS_ERROR, g, G, &o, e);
        break;
    }
    return bench_now() - t0;
}

/* One estimator's best time of ROUNDS calls on 1 thread (t1) and on 2
 * (t2), the calls alternating (1, 2, 1, 2, ...): a slow moment of the
 * machine falls on both alike rather than on the five calls of one. */
#define ROUNDS 7
static void time_pair(const sample *s, int which, int dom, double *t1, double *t2,
                      socind_estimate *e1, socind_estimate *e2) {
    *t1 = *t2 = 1e300;
    for (int r = 0; r < ROUNDS; r++) {
        const double a = call_of(s, which, dom, 1, e1), b = call_of(s, which, dom, 2, e2);
        *t1 = a < *t1 ? a : *t1;
        *t2 = b < *t2 ? b : *t2;
    }
}

/* The plain weighted sum with each half of the rows on a thread of its
 * own: what a second core gains on a loop that only reads the arrays (the
 * machine's memory, not the library). */
typedef struct {
    const double *w, *y;
    size_t n;
    double sum;
} half_sum;
static void *half_main(void *arg) {
    half_sum *h = arg;
    h->sum = bench_plain_sum(h->w, h->y, h->n);
    return NULL;
}
static double plain_sum_2(const double *w, const double *y, size_t n) {
    half_sum a = {w, y, n / 2, 0.0}, b = {w + n / 2, y + n / 2, n - n / 2, 0.0};
    pthread_t t;
    if (pthread_create(&t, NULL, half_main, &b) != 0) return bench_plain_sum(w, y, n);
    half_main(&a);
    pthread_join(t, NULL);
    return a.sum + b.sum;
}

static void threads_part(size_t n) {
    sample s;
    if (!make_sample(n, &s)) {
        printf("%zu rows: could not build the sample\n", n);
        return;
    }
    const char *names[5] = {"FGT0 + SE", "FGT2 + SE", "mean + SE", "GE(2) + SE", "Gini + SE"};
    double tb, tb2;
    volatile double sink;
    BENCH_BEST(5, tb, { sink = bench_plain_sum(s.w, s.y, n); });
    BENCH_BEST(5, tb2, { sink = plain_sum_2(s.w, s.y, n); });
    (void)sink;
    printf("%zu rows (plain weighted sum %.4f s, %.2f ns/row; on 2 threads %.4f s: ratio %.2fx, "
           "the memory's ceiling for a loop that only reads)\n",
           n, tb, 1e9 * tb / (double)n, tb2, tb / tb2);
    for (int i = 0; i < 5; i++) {
        socind_estimate e1, e2;
        double t1, t2;
        time_pair(&s, i, 0, &t1, &t2, &e1, &e2);
        printf("  %-11s 1 thread %.4f s (%.2f ns/row)  2 threads %.4f s (%.2f ns/row)  "
               "ratio %.2fx  |rel. diff| value %.1e se %.1e\n",
               names[i], t1, 1e9 * t1 / (double)n, t2, 1e9 * t2 / (double)n, t1 / t2,
               fabs(e2.value - e1.value) / fabs(e1.value), fabs(e2.se - e1.se) / fabs(e1.se));
    }
    /* by domain: the threads take the domains (one thread's bits) */
    const char *dnames[6] = {"FGT0", "FGT2", "mean", "GE(2)", "Gini", "median"};
    socind_estimate *e1 = malloc(500 * sizeof *e1), *e2 = malloc(500 * sizeof *e2);
    for (int dom = 1; dom <= 3 && e1 && e2; dom++) {
        printf("  by %d %s:\n", (int)NG[dom - 1], DOMAINS[dom - 1]);
        for (int i = 0; i < 6; i++) {
            double t1, t2;
            time_pair(&s, i, dom, &t1, &t2, e1, e2);
            const int same = !memcmp(e1, e2, (size_t)NG[dom - 1] * sizeof *e1);
            printf("    %-7s 1 thread %.4f s (%.2f ns/row)  2 threads %.4f s (%.2f ns/row)  "
                   "ratio %.2fx  %s\n",
                   dnames[i], t1, 1e9 * t1 / (double)n, t2, 1e9 * t2 / (double)n, t1 / t2,
                   same ? "same bits" : "BITS DIFFER");
        }
    }
    /* the GE decomposition: through partial states on 2 threads */
    for (int dom = 1; dom <= 3 && e1 && e2; dom += 2) {
        double t1, t2;
        time_pair(&s, 6, dom, &t1, &t2, e1, e2);
        printf("  GE(2) decomposition by %d %s: 1 thread %.4f s (%.2f ns/row)  2 threads %.4f s "
               "(%.2f ns/row)  ratio %.2fx  |rel. diff| total %.1e se %.1e\n",
               (int)NG[dom - 1], DOMAINS[dom - 1], t1, 1e9 * t1 / (double)n, t2,
               1e9 * t2 / (double)n, t1 / t2, fabs(e2[0].value - e1[0].value) / fabs(e1[0].value),
               fabs(e2[0].se - e1[0].se) / fabs(e1[0].se));
    }
    free(e1), free(e2);
    free_sample(&s);
}

/* The Gini's state over its passes: every pass's chunks added to one
 * state (the chunks' states merged would hold the same), the next pass's
 * state made from it. */
static void gini_part(size_t n) {
    sample s;
    if (!make_sample(n, &s)) {
        printf("%zu rows: could not build the sample\n", n);
        return;
    }
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_GINI;
    sp.has_strata = sp.has_psu = 1;
    socind_state *st = NULL;
    size_t most = 0;
    int32_t pass = 1, passes = 2;
    double t0 = bench_now();
    if (socind_state_new(&sp, &st)) return;
    for (;;) {
        for (size_t a = 0; a < n; a += 100000) {
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = n - a < 100000 ? n - a : 100000;
            c.first_row = (int64_t)a;
            c.weight = s.w + a, c.y = s.y + a, c.strata = s.h + a, c.psu = s.p + a;
            if (socind_state_add(st, &c)) return;
        }
        size_t len = 0;
        socind_state_info(st, NULL, NULL, NULL, &len);
        most = len > most ? len : most;
        socind_state_passes(st, &pass, &passes);
        if (pass == passes) break;
        socind_state *nx = NULL;
        if (socind_state_next_pass(st, &nx)) return;
        socind_state_free(st);
        st = nx;
    }
    socind_estimate e, r;
    socind_state_finish(st, NULL, &e, 1);
    double t = bench_now() - t0;
    socind_gini(s.d, s.y, NULL, 1, NULL, &r);
    printf("  Gini state, %zu rows: %d passes, largest state %.1f MB, %.2f s (%.1f ns/row a "
           "pass), |rel. diff| value %.1e se %.1e\n",
           n, (int)pass, (double)most / 1e6, t, 1e9 * t / (double)n / pass,
           fabs(e.value - r.value) / fabs(r.value), fabs(e.se - r.se) / fabs(r.se));
    socind_state_free(st);
    free_sample(&s);
}

/* Registry scale: rows generated chunk by chunk into three states. */
static void registry_part(size_t rows) {
    const size_t chunk = (size_t)1 << 20;
    const int32_t G = 7000;
    double *y = malloc(chunk * sizeof *y), *w = malloc(chunk * sizeof *w);
    int64_t *h = malloc(chunk * sizeof *h), *p = malloc(chunk * sizeof *p);
    int32_t *g = malloc(chunk * sizeof *g);
    socind_state *st[3] = {NULL, NULL, NULL};
    for (int a = 0; a < 3; a++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = SOCIND_STATE_FGT;
        sp.alpha = (double)a;
        sp.line = 700000.0;
        sp.n_groups = G;
        sp.has_strata = sp.has_psu = 1;
        if (socind_state_new(&sp, &st[a])) {
            printf("registry: %s\n", socind_last_error_detail());
            return;
        }
    }
    uint64_t seed = 7;
    double t0 = bench_now(), tgen = 0.0;
    for (size_t first = 0; first < rows; first += chunk) {
        size_t m = rows - first < chunk ? rows - first : chunk;
        double tg = bench_now();
        for (size_t i = 0; i < m; i++) {
            size_t k = first + i;
            y[i] = lognormal(&seed);
            w[i] = 50.0 + 400.0 * bench_unif(&seed);
            p[i] = (int64_t)(k / 35);
            h[i] = p[i] / 15;
            g[i] = (int32_t)(h[i] % G);
        }
        tgen += bench_now() - tg;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = m, c.first_row = (int64_t)first;
        c.weight = w, c.y = y, c.strata = h, c.psu = p, c.group = g;
        for (int a = 0; a < 3; a++)
            if (socind_state_add(st[a], &c)) {
                printf("registry: %s\n", socind_last_error_detail());
                return;
            }
    }
    double tadd = bench_now() - t0 - tgen;
    size_t npsu, ncell, bytes;
    socind_state_info(st[0], NULL, &npsu, &ncell, &bytes);
    socind_estimate *out = malloc((size_t)G * sizeof *out);
    double tf = bench_now();
    int32_t s0 = SOCIND_OK;
    double first_value[3] = {0, 0, 0}, first_se[3] = {0, 0, 0};
    for (int a = 0; a < 3; a++) {
        int32_t s1 = socind_state_finish(st[a], NULL, out, (size_t)G);
        if (s1) s0 = s1;
        first_value[a] = out[0].value, first_se[a] = out[0].se;
    }
    tf = bench_now() - tf;
    printf("registry: %zu rows (%zu PSUs, %d domains) generated in chunks of %zu rows\n", rows,
           npsu, (int)G, chunk);
    printf("  generating the rows %.1f s (not counted)\n", tgen);
    printf("  FGT0/1/2 states: adding %.1f s (%.1f ns per row per state), finishing %.1f s, "
           "total %.1f s; status %d\n",
           tadd, 1e9 * tadd / (double)rows / 3.0, tf, tadd + tf, (int)s0);
    printf("  domain 0: FGT0 %.6f (se %.6f), FGT1 %.6f (se %.6f), FGT2 %.6f (se %.6f)\n",
           first_value[0], first_se[0], first_value[1], first_se[1], first_value[2], first_se[2]);
    printf("  each state: %zu cells, %.1f MB as bytes; peak memory of the process %.0f MB "
           "(%.2f bytes a row)\n",
           ncell, (double)bytes / 1e6, peak_mb(), peak_mb() * 1048576.0 / (double)rows);
    for (int a = 0; a < 3; a++) socind_state_free(st[a]);
    free(out), free(y), free(w), free(h), free(p), free(g);
}

int main(int argc, char **argv) {
    int big = 0, skip = 0;
    size_t rows = 270000000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--big"))
            big = 1;
        else if (!strcmp(argv[i], "--skip-registry"))
            skip = 1;
        else if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            rows = (size_t)strtod(argv[++i], NULL);
    }
    printf("== the in-memory estimators on 1 and 2 threads (through partial states) ==\n");
    threads_part(1000000);
    threads_part(10000000);
    if (big) threads_part(100000000);
    printf("== the Gini's partial state in bounded memory (chunks of 10^5 rows) ==\n");
    gini_part(1000000);
    gini_part(10000000);
    if (!skip) {
        printf("== registry scale through partial states ==\n");
        registry_part(rows);
    }
    return 0;
}
