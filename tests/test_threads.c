/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_threads.c — a design shared by 8 threads (design.md: "a
 * design, once built, is immutable and can be shared across threads";
 * every function reentrant).
 *
 * test_shared_design_all_estimators: one design (20,000 rows, strata, PSUs,
 * fpc) and its columns, built once; every estimator family is run first on
 * the main thread, then by 8 threads at once, each running the whole list
 * in its own order (rotated by its number) twice; every figure must be
 * bit-identical to the single-threaded call (totals, means, ratios,
 * proportions, the variance engine, FGT against absolute, per-row and both
 * relative lines, the number of poor, gap, shortfall, Watts, the line, both
 * decompositions, the profile, Gini, GE, Atkinson, quantiles, share ratios,
 * Lorenz, GE's decomposition, growth z-scores, both prevalence tables (on a
 * second shared design, the children's, which each table restricts to the
 * children it keeps), the quality summary, critical values, differences, PPP
 * lines), overall and by domain.
 *
 * test_error_detail_per_thread: 8 threads each make a call that fails naming
 * a row of their own; after a barrier half of them make a call that
 * succeeds; each thread must then see its own detail message and row (or
 * none after its success), whatever the others did in between.
 *
 * The test runs in every build; under ThreadSanitizer (-DSOCIND_TSAN=ON) a
 * data race anywhere in the library fails it. Threads record mismatches;
 * the main thread asserts after joining (cmocka is not thread-safe). */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

#include <pthread.h>

#include "socind/socind.h"

#define NTHREADS 8
#define NROWS 20000
#define NGROUPS 7
#define NKIDS 3000

typedef struct shared {
    size_t n;
    double *w, *y, *y2, *prop, *lines, *fpc;
    int64_t *strata, *psu;
    int32_t *group;
    socind_design *d;
    /* children */
    int32_t *sex, *measure, *oedema;
    double *age, *age_months, *weight, *lenhei, *headc, *sw;
    int64_t *kstrata, *kcluster;
    int32_t *kgroup;
    socind_design *kdesign; /* anthro's design of the children */
} shared;

/* every figure of one run, compared as bytes */
typedef struct figures {
    unsigned char *bytes;
    size_t len, cap;
    int failed_calls; /* calls that did not return SOCIND_OK */
} figures;

static void add(figures *f, const void *p, size_t len) {
    if (f->len + len > f->cap) {
        f->cap = 2 * (f->len + len) + 4096;
        f->bytes = realloc(f->bytes, f->cap);
        if (!f->bytes) abort();
    }
    memcpy(f->bytes + f->len, p, len);
    f->len += len;
}

static void add_status(figures *f, int32_t st) {
    add(f, &st, sizeof st);
    f->failed_calls += st != SOCIND_OK;
}

static uint64_t rng(uint64_t *s) {
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}
static double unif(uint64_t *s) {
    return (double)(rng(s) >> 11) * 0x1.0p-53;
}

static shared *shared_new(void) {
    shared *s = calloc(1, sizeof *s);
    size_t n = NROWS;
    s->n = n;
    s->w = malloc(n * sizeof(double)), s->y = malloc(n * sizeof(double));
    s->y2 = malloc(n * sizeof(double)), s->prop = malloc(n * sizeof(double));
    s->lines = malloc(n * sizeof(double)), s->fpc = malloc(n * sizeof(double));
    s->strata = malloc(n * sizeof(int64_t)), s->psu = malloc(n * sizeof(int64_t));
    s->group = malloc(n * sizeof(int32_t));
    uint64_t seed = 12345;
    for (size_t k = 0; k < n; k++) {
        size_t p = k / 50; /* PSUs of 50 rows, 20 PSUs a stratum */
        s->psu[k] = (int64_t)p;
        s->strata[k] = (int64_t)(p / 20);
        s->fpc[k] = 400.0;
        s->w[k] = 20.0 + 200.0 * unif(&seed);
        double u1 = unif(&seed) + 1e-12, u2 = unif(&seed);
        double g = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
        s->y[k] = k % 997 == 0 ? NAN : exp(13.5 + 0.6 * g);
        s->y2[k] = 1.0 + (double)(rng(&seed) % 6);
        s->lines[k] = (p % 3 == 0) ? 520000.0 : 610000.0;
        s->prop[k] = s->y[k] < 600000.0 ? 1.0 : 0.0;
        s->group[k] = (int32_t)(p % NGROUPS) - (k % 101 == 0); /* some rows in no group */
    }
    if (socind_design_new(n, s->w, s->strata, s->psu, s->fpc, NULL, &s->d) != SOCIND_OK) abort();
    size_t m = NKIDS;
    s->sex = malloc(m * sizeof(int32_t)), s->measure = malloc(m * sizeof(int32_t));
    s->oedema = malloc(m * sizeof(int32_t)), s->age = malloc(m * sizeof(double));
    s->age_months = malloc(m * sizeof(double)), s->weight = malloc(m * sizeof(double));
    s->lenhei = malloc(m * sizeof(double)), s->headc = malloc(m * sizeof(double));
    s->sw = malloc(m * sizeof(double)), s->kstrata = malloc(m * sizeof(int64_t));
    s->kcluster = malloc(m * sizeof(int64_t)), s->kgroup = malloc(m * sizeof(int32_t));
    for (size_t k = 0; k < m; k++) {
        s->sex[k] = 1 + (int32_t)(rng(&seed) % 2);
        s->age[k] = floor(1826.0 * unif(&seed));
        s->age_months[k] = 60.0 + 168.0 * unif(&seed);
        s->measure[k] = s->age[k] < 731 ? 1 : 2;
        s->oedema[k] = rng(&seed) % 200 == 0;
        double grow = s->age[k] / 1826.0;
        s->lenhei[k] = 50.0 + 60.0 * grow + 6.0 * (unif(&seed) - 0.5);
        s->weight[k] = 3.3 + 14.0 * grow + 3.0 * (unif(&seed) - 0.5);
        s->headc[k] = 35.0 + 15.0 * grow + 2.0 * (unif(&seed) - 0.5);
        s->sw[k] = 0.5 + unif(&seed);
        s->kcluster[k] = (int64_t)(k / 30);
        s->kstrata[k] = (int64_t)(k / 300);
        s->kgroup[k] = (int32_t)(k % 3);
        /* a few children the tables leave out (and their design with them) */
        if (k % 50 == 7) s->age[k] = 1830.0 + (double)(k % 40);
        if (k % 60 == 3) s->age_months[k] = 230.0;
    }
    socind_design_options ko;
    socind_design_options_init(&ko);
    ko.lonely_psu = SOCIND_LONELY_ADJUST;
    ko.nest = 1;
    if (socind_design_new(m, s->sw, s->kstrata, s->kcluster, NULL, &ko, &s->kdesign) != SOCIND_OK)
        abort();
    return s;
}

static void shared_free(shared *s) {
    socind_design_free(s->d);
    socind_design_free(s->kdesign);
    free(s->w), free(s->y), free(s->y2), free(s->prop), free(s->lines), free(s->fpc);
    free(s->strata), free(s->psu), free(s->group);
    free(s->sex), free(s->measure), free(s->oedema), free(s->age), free(s->age_months);
    free(s->weight), free(s->lenhei), free(s->headc), free(s->sw), free(s->kstrata);
    free(s->kcluster), free(s->kgroup);
    free(s);
}

/* ---- the estimator families, each one call overall and one by domain ---- */

#define NFAMILIES 22

static void line_of(int kind, const shared *s, socind_poverty_line *L) {
    socind_poverty_line_init(L);
    switch (kind) {
    case 0:
        L->value = 550000.0;
        break;
    case 1:
        L->type = SOCIND_LINE_PER_ROW;
        L->lines = s->lines;
        break;
    case 2:
        L->type = SOCIND_LINE_RELATIVE_QUANTILE;
        L->value = 0.6;
        break;
    default:
        L->type = SOCIND_LINE_RELATIVE_MEAN;
        L->value = 0.5;
        break;
    }
}

static void run_family(int fam, const shared *s, figures *f) {
    const socind_design *d = s->d;
    socind_estimate one[SOCIND_FGTDEC_COUNT], by[NGROUPS * SOCIND_FGTDEC_COUNT];
    memset(one, 0, sizeof one);
    memset(by, 0, sizeof by);
    socind_options o;
    socind_options_init(&o);
    o.level = 0.9;
    socind_poverty_line L;
#define BOTH(call_one, call_by, k)                                                                 \
    do {                                                                                           \
        add_status(f, call_one);                                                                   \
        add(f, one, (k) * sizeof one[0]);                                                          \
        add_status(f, call_by);                                                                    \
        add(f, by, NGROUPS *(k) * sizeof by[0]);                                                   \
    } while (0)
    switch (fam) {
    case 0:
        BOTH(socind_total(d, s->y, NULL, 0, NULL, one),
             socind_total(d, s->y, s->group, NGROUPS, &o, by), 1);
        break;
    case 1:
        BOTH(socind_mean(d, s->y, NULL, 0, NULL, one),
             socind_mean(d, s->y, s->group, NGROUPS, NULL, by), 1);
        break;
    case 2:
        BOTH(socind_ratio(d, s->y, s->y2, NULL, 0, NULL, one),
             socind_ratio(d, s->y, s->y2, s->group, NGROUPS, NULL, by), 1);
        break;
    case 3:
        BOTH(socind_proportion(d, s->prop, NULL, 0, NULL, one),
             socind_proportion(d, s->prop, s->group, NGROUPS, &o, by), 1);
        break;
    case 4: {
        double v[NGROUPS + 1];
        add_status(f, socind_variance(d, s->y2, NULL, 0, v));
        add_status(f, socind_variance(d, s->y2, s->group, NGROUPS, v + 1));
        add(f, v, sizeof v);
        break;
    }
    case 5:
        for (int k = 0; k < 4; k++) {
            line_of(k, s, &L);
            for (int a = 0; a <= 2; a++)
                BOTH(socind_fgt(d, s->y, &L, a, NULL, 0, NULL, one),
                     socind_fgt(d, s->y, &L, a, s->group, NGROUPS, NULL, by), 1);
        }
        break;
    case 6:
        for (int k = 0; k < 4; k++) {
            line_of(k, s, &L);
            BOTH(socind_poor_count(d, s->y, &L, NULL, 0, NULL, one),
                 socind_poor_count(d, s->y, &L, s->group, NGROUPS, NULL, by), 1);
        }
        break;
    case 7:
        for (int k = 0; k < 4; k += 2) {
            line_of(k, s, &L);
            BOTH(socind_poverty_gap_total(d, s->y, &L, NULL, 0, NULL, one),
                 socind_poverty_gap_total(d, s->y, &L, s->group, NGROUPS, NULL, by), 1);
            BOTH(socind_mean_shortfall(d, s->y, &L, NULL, 0, NULL, one),
                 socind_mean_shortfall(d, s->y, &L, s->group, NGROUPS, NULL, by), 1);
        }
        break;
    case 8:
        for (int k = 0; k < 4; k++) {
            line_of(k, s, &L);
            BOTH(socind_watts(d, s->y, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, one),
                 socind_watts(d, s->y, &L, SOCIND_NONPOS_ERROR, s->group, NGROUPS, NULL, by), 1);
        }
        break;
    case 9:
        for (int k = 0; k < 4; k += 2) {
            line_of(k, s, &L);
            add_status(f, socind_poverty_line_estimate(d, s->y, &L, NULL, one));
            add(f, one, sizeof one[0]);
        }
        line_of(3, s, &L);
        add_status(f, socind_poverty_line_estimate(d, s->y, &L, NULL, one));
        add(f, one, sizeof one[0]);
        break;
    case 10:
        line_of(2, s, &L);
        BOTH(socind_fgt_decomposition(d, s->y, &L, 2.0, NULL, 0, NULL, one),
             socind_fgt_decomposition(d, s->y, &L, 2.0, s->group, NGROUPS, NULL, by),
             SOCIND_FGTDEC_COUNT);
        break;
    case 11:
        line_of(0, s, &L);
        BOTH(socind_watts_decomposition(d, s->y, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, one),
             socind_watts_decomposition(d, s->y, &L, SOCIND_NONPOS_ERROR, s->group, NGROUPS, NULL,
                                        by),
             SOCIND_WATTSDEC_COUNT);
        break;
    case 12: {
        socind_estimate p[SOCIND_PROFILE_COUNT * NGROUPS];
        line_of(2, s, &L);
        add_status(f, socind_poverty_profile(d, s->y, &L, 1.0, s->group, NGROUPS, NULL, p));
        add(f, p, sizeof p);
        break;
    }
    case 13:
        BOTH(socind_gini(d, s->y, NULL, 0, NULL, one),
             socind_gini(d, s->y, s->group, NGROUPS, NULL, by), 1);
        break;
    case 14:
        for (int t = -1; t <= 2; t++)
            BOTH(socind_ge(d, s->y, t, SOCIND_NONPOS_ERROR, NULL, 0, NULL, one),
                 socind_ge(d, s->y, t, SOCIND_NONPOS_ERROR, s->group, NGROUPS, NULL, by), 1);
        BOTH(socind_atkinson(d, s->y, 1.0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, one),
             socind_atkinson(d, s->y, 0.5, SOCIND_NONPOS_ERROR, s->group, NGROUPS, NULL, by), 1);
        break;
    case 15:
        for (int i = 1; i <= 9; i += 4)
            BOTH(socind_quantile(d, s->y, i / 10.0, NULL, 0, NULL, one),
                 socind_quantile(d, s->y, i / 10.0, s->group, NGROUPS, NULL, by), 1);
        break;
    case 16:
        BOTH(socind_share_ratio(d, s->y, 0.2, 0.8, NULL, 0, NULL, one),
             socind_share_ratio(d, s->y, 0.4, 0.9, s->group, NGROUPS, NULL, by), 1);
        BOTH(socind_lorenz(d, s->y, 0.3, NULL, 0, NULL, one),
             socind_lorenz(d, s->y, 0.7, s->group, NGROUPS, NULL, by), 1);
        break;
    case 17:
        add_status(f, socind_ge_decomposition(d, s->y, 2.0, SOCIND_NONPOS_ERROR, s->group, NGROUPS,
                                              NULL, one));
        add(f, one, SOCIND_GEDEC_COUNT * sizeof one[0]);
        break;
    case 18: {
        size_t m = NKIDS;
        socind_growth_input in;
        socind_growth_input_init(&in);
        in.sex = s->sex, in.age = s->age, in.weight = s->weight, in.lenhei = s->lenhei;
        in.measure = s->measure, in.oedema = s->oedema, in.headc = s->headc;
        socind_growth_output out;
        socind_growth_output_init(&out);
        double *z = malloc(5 * m * sizeof *z);
        int32_t *fl = malloc(5 * m * sizeof *fl);
        if (!z || !fl) abort();
        out.zlen = z, out.zwei = z + m, out.zwfl = z + 2 * m, out.zbmi = z + 3 * m;
        out.zhc = z + 4 * m;
        out.flen = fl, out.fwei = fl + m, out.fwfl = fl + 2 * m, out.fbmi = fl + 3 * m;
        out.fhc = fl + 4 * m;
        add_status(f, socind_growth_who2006(m, &in, SOCIND_ROUND_WHO, &out));
        add(f, z, 5 * m * sizeof *z);
        add(f, fl, 5 * m * sizeof *fl);
        socind_growth2007_input in7;
        socind_growth2007_output out7;
        socind_growth2007_input_init(&in7);
        socind_growth2007_output_init(&out7);
        in7.sex = s->sex, in7.age_months = s->age_months, in7.height_cm = s->lenhei;
        in7.weight_kg = s->weight, in7.oedema = s->oedema;
        out7.zhfa = z, out7.zwfa = z + m, out7.zbfa = z + 2 * m;
        out7.fhfa = fl, out7.fwfa = fl + m, out7.fbfa = fl + 2 * m;
        add_status(f, socind_growth_who2007(m, &in7, SOCIND_ROUND_NONE, &out7));
        add(f, z, 3 * m * sizeof *z);
        add(f, fl, 3 * m * sizeof *fl);
        socind_growth_quality q;
        socind_growth_quality_init(&q);
        add_status(f, socind_growth_quality_who2006(m, &in, &q));
        add(f, &q, sizeof q);
        free(z), free(fl);
        break;
    }
    case 19:
    case 20: {
        socind_growth_input in;
        socind_growth_input_init(&in);
        in.sex = s->sex, in.age = s->age, in.weight = s->weight, in.lenhei = s->lenhei;
        in.measure = s->measure, in.oedema = s->oedema;
        socind_growth2007_input in7;
        socind_growth2007_input_init(&in7);
        in7.sex = s->sex, in7.age_months = s->age_months, in7.height_cm = s->lenhei;
        in7.weight_kg = s->weight, in7.oedema = s->oedema;
        socind_prevalence_table *t = NULL;
        /* one design shared by every thread */
        int32_t st = fam == 19
                         ? socind_prevalence_who2006(s->kdesign, &in, s->kgroup, 3, NULL, &t)
                         : socind_prevalence_who2007(s->kdesign, &in7, s->kgroup, 3, NULL, &t);
        add_status(f, st);
        for (size_t i = 0; i < socind_prevalence_table_nrows(t); i++) {
            socind_prevalence_row r;
            socind_prevalence_row_init(&r);
            add_status(f, socind_prevalence_table_row(t, i, &r));
            add(f, &r, sizeof r);
        }
        socind_prevalence_table_free(t);
        break;
    }
    default: {
        double q[4], line;
        add_status(f, socind_critical_value(0.95, SOCIND_CI_T, 12.0, &q[0]));
        add_status(f, socind_critical_value(0.9, SOCIND_CI_NORMAL, 0.0, &q[1]));
        add_status(f, socind_critical_value(0.99, SOCIND_CI_T, 1.0, &q[2]));
        add_status(f, socind_critical_value(0.8, SOCIND_CI_T, 250.0, &q[3]));
        add(f, q, sizeof q);
        socind_estimate a, b, c;
        line_of(0, s, &L);
        add_status(f, socind_fgt(d, s->y, &L, 0, NULL, 0, NULL, &a));
        add_status(f, socind_fgt(d, s->y2, &L, 0, NULL, 0, NULL, &b));
        add_status(f, socind_difference(&a, &b, &o, &c));
        add(f, &c, sizeof c);
        add_status(f, socind_ppp_line(2.15, 4700.0, 125.0, 100.0, 365.0 / 12.0, &line));
        add(f, &line, sizeof line);
        break;
    }
    }
#undef BOTH
}

static void run_all(const shared *s, int rotate, figures *per_family) {
    for (int i = 0; i < NFAMILIES; i++) {
        int fam = (i + rotate) % NFAMILIES;
        run_family(fam, s, &per_family[fam]);
    }
}

typedef struct worker {
    const shared *s;
    const figures *ref;
    int id;
    int mismatches;
    char first[160];
} worker;

static void *work(void *arg) {
    worker *w = arg;
    for (int round = 0; round < 2; round++) {
        figures got[NFAMILIES];
        memset(got, 0, sizeof got);
        run_all(w->s, w->id * 3 + round, got);
        for (int fam = 0; fam < NFAMILIES; fam++) {
            const figures *r = &w->ref[fam];
            if (got[fam].len != r->len || memcmp(got[fam].bytes, r->bytes, r->len) != 0) {
                if (!w->mismatches++) {
                    size_t at = 0;
                    while (at < r->len && at < got[fam].len && got[fam].bytes[at] == r->bytes[at])
                        at++;
                    snprintf(w->first, sizeof w->first,
                             "thread %d, round %d: family %d differs from the single-threaded "
                             "call at byte %zu of %zu",
                             w->id, round, fam, at, r->len);
                }
            }
            free(got[fam].bytes);
        }
    }
    return NULL;
}

static void test_shared_design_all_estimators(void **state) {
    (void)state;
    shared *s = shared_new();
    figures ref[NFAMILIES];
    memset(ref, 0, sizeof ref);
    run_all(s, 0, ref);
    int failed = 0;
    for (int fam = 0; fam < NFAMILIES; fam++) {
        assert_true(ref[fam].len > 0);
        failed += ref[fam].failed_calls;
    }
    /* the data are clean: every call succeeds (a failing family would
       compare NaNs and test nothing) */
    assert_int_equal(failed, 0);
    pthread_t th[NTHREADS];
    worker w[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        w[i] = (worker){.s = s, .ref = ref, .id = i};
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    int bad = 0;
    for (int i = 0; i < NTHREADS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        if (w[i].mismatches) print_error("%s\n", w[i].first);
        bad += w[i].mismatches;
    }
    for (int fam = 0; fam < NFAMILIES; fam++) free(ref[fam].bytes);
    shared_free(s);
    assert_int_equal(bad, 0);
}

/* ---- per-thread error detail and row ---- */

typedef struct detail_worker {
    pthread_barrier_t *barrier;
    int id;
    size_t bad_row;
    int ok;
    char why[200];
} detail_worker;

static void *detail_work(void *arg) {
    detail_worker *w = arg;
    size_t n = 64;
    double wt[64];
    for (size_t k = 0; k < n; k++) wt[k] = 1.0;
    w->bad_row = 3 + 7 * (size_t)w->id;
    wt[w->bad_row] = -1.0 - w->id;
    char expect[32];
    snprintf(expect, sizeof expect, "weight[%zu]", w->bad_row);
    w->ok = 1;
    for (int round = 0; round < 50; round++) { /* every round: the others wait at barriers */
        socind_design *d = NULL;
        int32_t st = socind_design_new(n, wt, NULL, NULL, NULL, NULL, &d);
        pthread_barrier_wait(w->barrier); /* every thread has failed on its own row */
        if ((st != SOCIND_ERR_WEIGHT || d) && w->ok) {
            w->ok = 0;
            snprintf(w->why, sizeof w->why, "thread %d: design_new gave %d", w->id, (int)st);
        }
        if ((w->id + round) % 2 == 0) {
            /* half the threads succeed in between: their detail clears */
            double q;
            if (socind_critical_value(0.95, SOCIND_CI_NORMAL, 0.0, &q) != SOCIND_OK && w->ok) {
                w->ok = 0;
                snprintf(w->why, sizeof w->why, "thread %d: critical_value failed", w->id);
            }
        }
        pthread_barrier_wait(w->barrier);
        const char *det = socind_last_error_detail();
        int64_t row = socind_last_error_row();
        if ((w->id + round) % 2 == 0) {
            if ((det[0] != '\0' || row != -1) && w->ok) {
                w->ok = 0;
                snprintf(w->why, sizeof w->why,
                         "thread %d round %d: after a success detail \"%s\" row %lld", w->id, round,
                         det, (long long)row);
            }
        } else if ((row != (int64_t)w->bad_row || !strstr(det, expect)) && w->ok) {
            w->ok = 0;
            snprintf(w->why, sizeof w->why,
                     "thread %d round %d: expected row %zu (\"%s\"), got row %lld, \"%s\"", w->id,
                     round, w->bad_row, expect, (long long)row, det);
        }
        pthread_barrier_wait(w->barrier);
    }
    return NULL;
}

static void test_error_detail_per_thread(void **state) {
    (void)state;
    pthread_barrier_t barrier;
    assert_int_equal(pthread_barrier_init(&barrier, NULL, NTHREADS), 0);
    pthread_t th[NTHREADS];
    detail_worker w[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].barrier = &barrier;
        w[i].id = i;
        assert_int_equal(pthread_create(&th[i], NULL, detail_work, &w[i]), 0);
    }
    int bad = 0;
    for (int i = 0; i < NTHREADS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        if (!w[i].ok) print_error("%s\n", w[i].why), bad++;
    }
    pthread_barrier_destroy(&barrier);
    assert_int_equal(bad, 0);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_design_all_estimators),
        cmocka_unit_test(test_error_detail_per_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
