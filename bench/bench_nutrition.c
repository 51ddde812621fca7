/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_nutrition.c — the full WHO prevalence table with CIs for one
 * million children in 20 strata × 60 clusters, measurements in, table out
 * (anthro's design built from the columns, then the table), next to the
 * table on a design built once, the z-scores alone, the table on 1 and 2
 * threads (socind_options.threads) and their ratio; then the table for 2.5
 * × 10^7 children generated chunk by chunk through a partial state (never
 * all in memory), once in 500 strata with every child its own PSU (a
 * weights-only design), once in 500 strata × 100 clusters of 500 children,
 * each with its time and the process's peak memory so far (getrusage). The
 * streamed runs come first, the smaller first, so that the peak each prints
 * is its own. Usage:
 * bench_nutrition [children] [streamed children] */
#include "bench_util.h"

#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "socind/socind.h"

/* One child's columns from its number k (the same child whatever the
 * chunking). */
typedef struct {
    int32_t *sex, *meas, *oed;
    double *age, *wt, *lh, *sw;
    int64_t *strata, *cluster;
} columns;

static void child(columns *c, size_t i, uint64_t k, uint64_t nclusters_total, uint64_t n) {
    uint64_t seed = k * 0x2545F4914F6CDD1DULL + 9;
    c->sex[i] = 1 + (int32_t)(bench_rng(&seed) & 1);
    c->age[i] = floor(1826.0 * bench_unif(&seed));
    double mo = c->age[i] / 30.4375;
    c->meas[i] = c->age[i] < 731 ? 1 : 2;
    /* roughly WHO's medians, a little short and light, with noise */
    double g1 =
        sqrt(-2.0 * log(bench_unif(&seed) + 1e-300)) * cos(6.283185307179586 * bench_unif(&seed));
    double g2 =
        sqrt(-2.0 * log(bench_unif(&seed) + 1e-300)) * cos(6.283185307179586 * bench_unif(&seed));
    c->lh[i] = 49.5 + 7.9 * sqrt(mo) + (1.0 + 0.04 * mo) * (g1 - 1.0);
    c->wt[i] = 3.3 + 1.75 * sqrt(mo) + (0.4 + 0.02 * mo) * (g2 - 0.4);
    c->oed[i] = bench_unif(&seed) < 0.005;
    c->sw[i] = 200.0 + 800.0 * bench_unif(&seed);
    /* clusters of consecutive children; nclusters_total / 20 or / 500 strata */
    uint64_t cl = k * nclusters_total / n;
    uint64_t per = nclusters_total >= 50000 ? 100 : 60;
    c->strata[i] = (int64_t)(cl / per);
    c->cluster[i] = (int64_t)(cl % per);
}

static columns columns_new(size_t n) {
    columns c;
    c.sex = malloc(n * sizeof *c.sex), c.meas = malloc(n * sizeof *c.meas);
    c.oed = malloc(n * sizeof *c.oed), c.age = malloc(n * sizeof *c.age);
    c.wt = malloc(n * sizeof *c.wt), c.lh = malloc(n * sizeof *c.lh);
    c.sw = malloc(n * sizeof *c.sw), c.strata = malloc(n * sizeof *c.strata);
    c.cluster = malloc(n * sizeof *c.cluster);
    if (!c.sex || !c.meas || !c.oed || !c.age || !c.wt || !c.lh || !c.sw || !c.strata ||
        !c.cluster) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return c;
}

static void columns_free(columns *c) {
    free(c->sex), free(c->meas), free(c->oed), free(c->age), free(c->wt), free(c->lh);
    free(c->sw), free(c->strata), free(c->cluster);
}

static socind_growth_input input_of(const columns *c) {
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = c->sex, in.age = c->age, in.weight = c->wt, in.lenhei = c->lh;
    in.measure = c->meas, in.oedema = c->oed;
    return in;
}

static double peak_gb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss * 1024.0 / 1e9; /* kB on Linux */
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double load_avg(void) {
    double l = NAN;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1) l = NAN;
        fclose(f);
    }
    return l;
}

/* The table of N children generated chunk by chunk into one state: with
 * the clusters as PSUs, or (psu 0) every child its own PSU in 500 strata
 * (a weights-only design: the state keeps moments per stratum). */
static int streamed(size_t N, int psu) {
    const size_t CH = (size_t)1 << 18;
    const uint64_t nclusters = 50000; /* 500 strata × 100 clusters */
    columns c = columns_new(CH);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_PREVALENCE_WHO2006;
    sp.has_strata = 1;
    sp.has_psu = psu;
    sp.lonely_psu = SOCIND_LONELY_ADJUST;
    sp.nest = 1;
    socind_state *s = NULL;
    if (socind_state_new(&sp, &s) != SOCIND_OK) return 1;
    double t0 = bench_now(), tgen = 0, c_start = cpu_now();
    for (size_t at = 0; at < N; at += CH) {
        size_t len = N - at < CH ? N - at : CH;
        double g0 = bench_now();
        for (size_t i = 0; i < len; i++) child(&c, i, at + i, nclusters, N);
        tgen += bench_now() - g0;
        socind_chunk ch;
        socind_chunk_init(&ch);
        ch.n = len, ch.first_row = (int64_t)at, ch.weight = c.sw, ch.strata = c.strata;
        ch.psu = psu ? c.cluster : NULL;
        socind_growth_input in = input_of(&c);
        if (socind_state_add_growth(s, &ch, &in) != SOCIND_OK) {
            fprintf(stderr, "add: %s\n", socind_last_error_detail());
            return 1;
        }
    }
    double t1 = bench_now();
    socind_prevalence_table *t = NULL;
    if (socind_state_finish_table(s, NULL, &t) != SOCIND_OK) {
        fprintf(stderr, "finish: %s\n", socind_last_error_detail());
        return 1;
    }
    double t2 = bench_now();
    size_t np = 0, nc = 0, bytes = 0;
    socind_state_info(s, NULL, &np, &nc, &bytes);
    socind_prevalence_row r;
    socind_prevalence_row_init(&r);
    socind_prevalence_table_row(t, 1, &r);
    printf("streamed: %zu children in chunks of %zu through one state (500 strata x %s)\n", N, CH,
           psu ? "100 clusters" : "every child its own PSU");
    printf("  stunting %.4f (SE %.5f)\n", r.est.value, r.est.se);
    printf("  add %.2f s (of which generating the children %.2f s), finish %.3f s, total "
           "%.2f s = %.3f us a child without generation\n",
           t1 - t0, tgen, t2 - t1, t2 - t0, 1e6 * (t2 - t0 - tgen) / (double)N);
    printf("  state: %zu PSUs, %zu cells, %.1f MB as bytes; peak memory of the process %.3f GB; "
           "CPU %.2f s\n",
           np, nc, (double)bytes / 1e6, peak_gb(), cpu_now() - c_start);
    socind_prevalence_table_free(t);
    socind_state_free(s);
    columns_free(&c);
    return 0;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    size_t N = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 25000000;
    if (N > 0 && (streamed(N, 0) || streamed(N, 1))) return 1;
    columns c = columns_new(n);
    for (size_t k = 0; k < n; k++) child(&c, k, k, 1200, n);
    double *z[4];
    int32_t *f[4];
    for (int i = 0; i < 4; i++)
        z[i] = malloc(n * sizeof(double)), f[i] = malloc(n * sizeof(int32_t));
    socind_growth_input in = input_of(&c);
    socind_growth_output out;
    socind_growth_output_init(&out);
    out.zlen = z[0], out.zwei = z[1], out.zbmi = z[2], out.zwfl = z[3];
    out.flen = f[0], out.fwei = f[1], out.fbmi = f[2], out.fwfl = f[3];
    double t_z, t_table, t_only, t_thr[2];
    BENCH_BEST(3, t_z, socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &out));
    /* anthro's design: lonely PSUs "adjust", clusters numbered within strata */
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_ADJUST;
    dopt.nest = 1;
    socind_prevalence_table *t = NULL;
    socind_design *d = NULL;
    BENCH_BEST(3, t_table, {
        socind_prevalence_table_free(t);
        socind_design_free(d);
        t = NULL;
        d = NULL;
        if (socind_design_new(n, c.sw, c.strata, c.cluster, NULL, &dopt, &d) != SOCIND_OK ||
            socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t) != SOCIND_OK) {
            fprintf(stderr, "prevalence: %s\n", socind_last_error_detail());
            return 1;
        }
    });
    BENCH_BEST(3, t_only, {
        socind_prevalence_table_free(t);
        t = NULL;
        if (socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t) != SOCIND_OK) return 1;
    });
    double cpu_thr[2];
    for (int th = 1; th <= 2; th++) {
        socind_options o;
        socind_options_init(&o);
        o.threads = th;
        t_thr[th - 1] = cpu_thr[th - 1] = 1e300;
        for (int rep = 0; rep < 3; rep++) {
            socind_prevalence_table_free(t);
            t = NULL;
            double c0 = cpu_now(), w0 = bench_now();
            if (socind_prevalence_who2006(d, &in, NULL, 0, &o, &t) != SOCIND_OK) return 1;
            double w = bench_now() - w0, cp = cpu_now() - c0;
            if (w < t_thr[th - 1]) t_thr[th - 1] = w;
            if (cp < cpu_thr[th - 1]) cpu_thr[th - 1] = cp;
        }
    }
    /* what stays on one thread: merging two halves' states and finishing */
    double t_serial = 1e300;
    {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = SOCIND_STATE_PREVALENCE_WHO2006;
        sp.has_strata = sp.has_psu = 1;
        sp.lonely_psu = SOCIND_LONELY_ADJUST;
        sp.nest = 1;
        socind_state *h[2] = {NULL, NULL};
        for (int k = 0; k < 2; k++) {
            size_t a = k ? n / 2 : 0, len = k ? n - n / 2 : n / 2;
            socind_chunk ch;
            socind_chunk_init(&ch);
            ch.n = len, ch.first_row = (int64_t)a, ch.weight = c.sw + a;
            ch.strata = c.strata + a, ch.psu = c.cluster + a;
            socind_growth_input hin = in;
            hin.sex += a, hin.age += a, hin.weight += a, hin.lenhei += a, hin.measure += a;
            hin.oedema += a;
            if (socind_state_new(&sp, &h[k]) || socind_state_add_growth(h[k], &ch, &hin)) return 1;
        }
        for (int rep = 0; rep < 3; rep++) {
            socind_state *m = NULL;
            size_t len = 0;
            socind_state_to_bytes(h[0], NULL, 0, &len);
            unsigned char *buf = malloc(len);
            socind_state_to_bytes(h[0], buf, len, &len);
            socind_state_from_bytes(buf, len, &m);
            free(buf);
            double w0 = cpu_now(); /* one thread: its CPU time, the load aside */
            socind_prevalence_table *tt = NULL;
            if (socind_state_merge(m, h[1]) || socind_state_finish_table(m, NULL, &tt)) return 1;
            double w = cpu_now() - w0;
            if (w < t_serial) t_serial = w;
            socind_prevalence_table_free(tt);
            socind_state_free(m);
        }
        socind_state_free(h[0]);
        socind_state_free(h[1]);
    }
    /* a design without a PSU column (every child its own PSU): states with
       moments per stratum */
    double t_w[2], cpu_w[2];
    size_t nw = n;
    {
        socind_design *dw = NULL;
        if (socind_design_new(nw, c.sw, NULL, NULL, NULL, &dopt, &dw) != SOCIND_OK) return 1;
        for (int th = 1; th <= 2; th++) {
            socind_options o;
            socind_options_init(&o);
            o.threads = th;
            t_w[th - 1] = cpu_w[th - 1] = 1e300;
            for (int rep = 0; rep < 3; rep++) {
                socind_prevalence_table *tt = NULL;
                double c0 = cpu_now(), w0 = bench_now();
                if (socind_prevalence_who2006(dw, &in, NULL, 0, &o, &tt) != SOCIND_OK) return 1;
                double w = bench_now() - w0, cp = cpu_now() - c0;
                if (w < t_w[th - 1]) t_w[th - 1] = w;
                if (cp < cpu_w[th - 1]) cpu_w[th - 1] = cp;
                socind_prevalence_table_free(tt);
            }
        }
        socind_design_free(dw);
    }
    socind_design_free(d);
    socind_prevalence_row r;
    socind_prevalence_row_init(&r);
    socind_prevalence_table_row(t, 1, &r);
    printf("bench_nutrition: %zu children, 20 strata x 60 clusters, %zu table rows\n", n,
           socind_prevalence_table_nrows(t));
    printf("stunting %.4f (SE %.4f, 95%% CI %.4f-%.4f)\n", r.est.value, r.est.se, r.est.ci_low,
           r.est.ci_high);
    printf("z-scores only (HAZ, WAZ, BMIZ, WHZ)  %.3f s\n", t_z);
    printf("full prevalence table with CIs       %.3f s  (goal < 0.5 s; the design included)\n",
           t_table);
    printf("  the table on a design built once   %.3f s\n", t_only);
    printf("  threads = 1                        %.3f s  (CPU %.3f s)\n", t_thr[0], cpu_thr[0]);
    printf("  threads = 2 (through states)       %.3f s  (CPU %.3f s; %.2fx; goal >= 1.8x)\n",
           t_thr[1], cpu_thr[1], t_thr[0] / t_thr[1]);
    printf("  of which on one thread (merge + finish of two states) CPU %.3f s: on 2 idle cores "
           "CPU(1) / (CPU(2)/2 + that) = %.2fx\n",
           t_serial, cpu_thr[0] / (cpu_thr[1] / 2 + t_serial));
    printf("  weights only, %zu children (no PSU column: moments per stratum): 1 thread "
           "%.3f s (CPU %.3f s), 2 threads %.3f s (CPU %.3f s)\n",
           nw, t_w[0], cpu_w[0], t_w[1], cpu_w[1]);
    printf("  machine load average               %.2f (the ratio needs 2 idle cores)\n",
           load_avg());
    socind_prevalence_table_free(t);
    columns_free(&c);
    for (int i = 0; i < 4; i++) free(z[i]), free(f[i]);
    return 0;
}
