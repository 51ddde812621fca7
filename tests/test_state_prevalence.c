/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_state_prevalence.c — the prevalence table as a partial state
 * (socind/state.h) against the in-memory table (socind/nutrition.h) on the
 * reference children (tests/reference/growth): random chunkings with empty
 * chunks and PSUs split across chunks, states merged in random orders and
 * carried through bytes, the full design, weights only and no design, with
 * and without a domain column, WHO 2006 and 2007; the in-memory table on
 * 1, 2 and 3 threads (and 4 when the system refuses threads); bad rows
 * named by their number; damaged bytes. */
#include "test_split.h"
#include "test_util.h"

#include "internal.h" /* socind__parallel_no_thread */
#include "test_anthro.h"

#include "socind/socind.h"

typedef struct {
    size_t n;
    int32_t *sex, *measure, *oedema, *group;
    double *age, *weight, *lenhei, *sw;
    int64_t *strata, *cluster;
} kids;

static int32_t code2(const char *s, const char *a, const char *b, int32_t va, int32_t vb) {
    if (strcmp(s, a) == 0) return va;
    if (strcmp(s, b) == 0) return vb;
    return SOCIND_CODE_MISSING;
}

/* The reference children, copied reps times (the copies' clusters
 * renumbered), with a domain column (wealth quintile 1..5 as 0..4, −1 for
 * one child in seven). */
static kids *kids_read(int reps) {
    test_csv *in = test_csv_read(SOCIND_TEST_REFDIR "/growth/inputs.csv");
    assert_non_null(in);
    size_t n0 = in->nrow, n = n0 * (size_t)reps;
    kids *k = calloc(1, sizeof *k);
    k->n = n;
    k->sex = malloc(n * sizeof(int32_t)), k->measure = malloc(n * sizeof(int32_t));
    k->oedema = malloc(n * sizeof(int32_t)), k->group = malloc(n * sizeof(int32_t));
    k->age = malloc(n * sizeof(double)), k->weight = malloc(n * sizeof(double));
    k->lenhei = malloc(n * sizeof(double)), k->sw = malloc(n * sizeof(double));
    k->strata = malloc(n * sizeof(int64_t)), k->cluster = malloc(n * sizeof(int64_t));
    double *age = test_csv_doubles(in, "age_days"), *wt = test_csv_doubles(in, "weight");
    double *lh = test_csv_doubles(in, "lenhei"), *sw = test_csv_doubles(in, "sw");
    int64_t *st = test_csv_int64(in, "strata"), *cl = test_csv_int64(in, "cluster");
    int cs = test_csv_col(in, "sex"), cm = test_csv_col(in, "measure"),
        co = test_csv_col(in, "oedema"), cw = test_csv_col(in, "wealthq");
    for (size_t r = 0; r < (size_t)reps; r++)
        for (size_t i = 0; i < n0; i++) {
            size_t j = r * n0 + i;
            k->sex[j] = code2(in->cell[i][cs], "1", "2", 1, 2);
            k->measure[j] = code2(in->cell[i][cm], "l", "h", 1, 2);
            k->oedema[j] = code2(in->cell[i][co], "n", "y", 0, 1);
            int q = atoi(in->cell[i][cw]);
            k->group[j] = (j % 7 == 3 || q < 1 || q > 5) ? -1 : q - 1;
            k->age[j] = age[i], k->weight[j] = wt[i], k->lenhei[j] = lh[i];
            k->sw[j] = isnan(sw[i]) ? 0.0 : sw[i];
            k->strata[j] = st[i], k->cluster[j] = cl[i] + 1000 * (int64_t)r;
        }
    free(age), free(wt), free(lh), free(sw), free(st), free(cl);
    test_csv_free(in);
    return k;
}

static void kids_free(kids *k) {
    free(k->sex), free(k->measure), free(k->oedema), free(k->group), free(k->age);
    free(k->weight), free(k->lenhei), free(k->sw), free(k->strata), free(k->cluster);
    free(k);
}

static void same_num(double a, double b, const char *what, size_t row) {
    if (isnan(a) && isnan(b)) return;
    if (a == b) return;
    double tol = 1e-12 * fmax(fabs(a), fabs(b)) + 1e-15;
    if (!(fabs(a - b) <= tol)) {
        print_error("row %zu: %s %.17g vs %.17g\n", row, what, a, b);
        fail();
    }
}

/* Two tables row for row: codes, counts and statuses exactly, figures
 * within 1e-12 relative (absolute floor 1e-15). */
static void same_table(const socind_prevalence_table *a, const socind_prevalence_table *b) {
    size_t n = socind_prevalence_table_nrows(a);
    assert_true(n > 0);
    assert_int_equal(n, socind_prevalence_table_nrows(b));
    for (size_t i = 0; i < n; i++) {
        socind_prevalence_row x, y;
        socind_prevalence_row_init(&x);
        socind_prevalence_row_init(&y);
        assert_int_equal(socind_prevalence_table_row(a, i, &x), SOCIND_OK);
        assert_int_equal(socind_prevalence_table_row(b, i, &y), SOCIND_OK);
        assert_int_equal(x.group_kind, y.group_kind);
        assert_int_equal(x.group_level, y.group_level);
        assert_int_equal(x.indicator, y.indicator);
        assert_int_equal(x.statistic, y.statistic);
        assert_int_equal(x.est.status, y.est.status);
        assert_int_equal(x.est.n, y.est.n);
        assert_int_equal(x.pop_unweighted, y.pop_unweighted);
        assert_int_equal(x.flagged, y.flagged);
        same_num(x.est.value, y.est.value, "value", i);
        same_num(x.est.se, y.est.se, "se", i);
        same_num(x.est.ci_low, y.est.ci_low, "ci_low", i);
        same_num(x.est.ci_high, y.est.ci_high, "ci_high", i);
        same_num(x.est.df, y.est.df, "df", i);
        same_num(x.est.weight_sum, y.est.weight_sum, "weight_sum", i);
        same_num(x.stdev, y.stdev, "stdev", i);
        same_num(x.pop_weighted, y.pop_weighted, "pop_weighted", i);
    }
}

static uint64_t rng(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Which design columns a configuration uses. */
typedef struct {
    int sw, strata, cluster, domain;
} config;

static const config CONFIGS[] = {
    {1, 1, 1, 0}, {1, 1, 1, 1}, {1, 0, 0, 0}, {0, 0, 0, 1}, {1, 1, 0, 0},
};

static socind_prevalence_table *in_memory(const kids *k, const config *c, int threads) {
    socind_design *d = NULL;
    assert_int_equal(test_anthro_design(k->n, c->sw ? k->sw : NULL, c->strata ? k->strata : NULL,
                                        c->cluster ? k->cluster : NULL, &d),
                     SOCIND_OK);
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = k->sex, in.age = k->age, in.weight = k->weight, in.lenhei = k->lenhei;
    in.measure = k->measure, in.oedema = k->oedema;
    socind_options o;
    socind_options_init(&o);
    o.threads = threads;
    socind_prevalence_table *t = NULL;
    assert_int_equal(
        socind_prevalence_who2006(d, &in, c->domain ? k->group : NULL, c->domain ? 5 : 0, &o, &t),
        SOCIND_OK);
    socind_design_free(d);
    return t;
}

static socind_state_spec spec_of(const config *c, int32_t est) {
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = est;
    sp.n_groups = c->domain ? 5 : 0;
    sp.has_strata = c->strata, sp.has_psu = c->cluster;
    sp.lonely_psu = SOCIND_LONELY_ADJUST;
    sp.nest = 1;
    return sp;
}

/* A state through its bytes (the original freed). */
static socind_state *via_bytes(socind_state *s) {
    size_t len = 0;
    assert_int_equal(socind_state_to_bytes(s, NULL, 0, &len), SOCIND_OK);
    unsigned char *b = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    socind_state *r = NULL;
    assert_int_equal(socind_state_from_bytes(b, len, &r), SOCIND_OK);
    size_t len2 = 0;
    socind_state_to_bytes(r, NULL, 0, &len2);
    assert_int_equal(len, len2);
    free(b);
    socind_state_free(s);
    return r;
}

/* The table from the children in a random order, cut into random chunks
 * (empty ones included) spread over S states, merged in a random order,
 * some through bytes. */
static socind_prevalence_table *chunked(const kids *k, const config *c, uint64_t seed, int S) {
    size_t n = k->n;
    size_t *perm = malloc(n * sizeof *perm);
    for (size_t i = 0; i < n; i++) perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = rng(&seed) % i, t = perm[i - 1];
        perm[i - 1] = perm[j], perm[j] = t;
    }
    int32_t *sex = malloc(n * sizeof *sex), *mea = malloc(n * sizeof *mea),
            *oed = malloc(n * sizeof *oed), *grp = malloc(n * sizeof *grp);
    double *age = malloc(n * sizeof *age), *wt = malloc(n * sizeof *wt),
           *lh = malloc(n * sizeof *lh), *w = malloc(n * sizeof *w);
    int64_t *h = malloc(n * sizeof *h), *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++) {
        size_t j = perm[i];
        sex[i] = k->sex[j], mea[i] = k->measure[j], oed[i] = k->oedema[j], grp[i] = k->group[j];
        age[i] = k->age[j], wt[i] = k->weight[j], lh[i] = k->lenhei[j];
        w[i] = c->sw ? k->sw[j] : 1.0, h[i] = k->strata[j], p[i] = k->cluster[j];
    }
    socind_state_spec sp = spec_of(c, SOCIND_STATE_PREVALENCE_WHO2006);
    socind_state **st = calloc((size_t)S, sizeof *st);
    for (int s = 0; s < S; s++) assert_int_equal(socind_state_new(&sp, &st[s]), SOCIND_OK);
    size_t at = 0;
    while (at < n) {
        size_t len = rng(&seed) % 400;
        if (rng(&seed) % 5 == 0) len = 0;
        if (len > n - at) len = n - at;
        socind_chunk ch;
        socind_chunk_init(&ch);
        ch.n = len, ch.first_row = (int64_t)at, ch.weight = w + at;
        if (c->strata) ch.strata = h + at;
        if (c->cluster) ch.psu = p + at;
        if (c->domain) ch.group = grp + at;
        socind_growth_input in;
        socind_growth_input_init(&in);
        in.sex = sex + at, in.age = age + at, in.weight = wt + at, in.lenhei = lh + at;
        in.measure = mea + at, in.oedema = oed + at;
        assert_int_equal(socind_state_add_growth(st[rng(&seed) % (uint64_t)S], &ch, &in),
                         SOCIND_OK);
        at += len;
    }
    /* merge in a random order, some states through bytes */
    for (int left = S; left > 1; left--) {
        int a = (int)(rng(&seed) % (uint64_t)left), b = (int)(rng(&seed) % (uint64_t)(left - 1));
        if (b >= a) b++;
        if (rng(&seed) % 2) st[b] = via_bytes(st[b]);
        assert_int_equal(socind_state_merge(st[a], st[b]), SOCIND_OK);
        socind_state_free(st[b]);
        st[b] = st[left - 1];
    }
    socind_prevalence_table *t = NULL;
    assert_int_equal(socind_state_finish_table(st[0], NULL, &t), SOCIND_OK);
    size_t count = 0;
    socind_state_info(st[0], &count, NULL, NULL, NULL);
    assert_int_equal(count, socind_prevalence_table_nrows(t));
    socind_state_free(st[0]);
    free(st), free(perm), free(sex), free(mea), free(oed), free(grp), free(age), free(wt);
    free(lh), free(w), free(h), free(p);
    return t;
}

static void test_chunked_equals_in_memory(void **state) {
    (void)state;
    kids *k = kids_read(1);
    for (size_t c = 0; c < sizeof CONFIGS / sizeof *CONFIGS; c++) {
        socind_prevalence_table *t0 = in_memory(k, &CONFIGS[c], 1);
        for (uint64_t seed = 1; seed <= 3; seed++) {
            socind_prevalence_table *t1 = chunked(k, &CONFIGS[c], seed * 7919 + c, 1 + (int)seed);
            same_table(t0, t1);
            socind_prevalence_table_free(t1);
        }
        socind_prevalence_table_free(t0);
    }
    kids_free(k);
}

static void test_threads(void **state) {
    (void)state;
    kids *k = kids_read(5); /* enough children for the threads to start */
    for (size_t c = 0; c < sizeof CONFIGS / sizeof *CONFIGS; c++) {
        socind_prevalence_table *t1 = in_memory(k, &CONFIGS[c], 1);
        for (int th = 2; th <= 3; th++) {
            socind_prevalence_table *t = in_memory(k, &CONFIGS[c], th);
            same_table(t1, t);
            socind_prevalence_table_free(t);
        }
        /* threads the system refuses (every second one, then all): their
           parts run on the calling thread, the table the same */
        for (int refuse = 2; refuse >= 1; refuse--) {
            socind__parallel_no_thread = refuse;
            socind_prevalence_table *t = in_memory(k, &CONFIGS[c], 4);
            socind__parallel_no_thread = 0;
            same_table(t1, t);
            socind_prevalence_table_free(t);
        }
        socind_prevalence_table_free(t1);
    }
    kids_free(k);
}

/* The statuses of a failing table are the same on 1 and 2 threads: every
 * kept child of weight 0; a stratum left with one PSU by the age filter
 * under SOCIND_LONELY_FAIL. */
static void test_thread_statuses(void **state) {
    (void)state;
    kids *k = kids_read(5);
    size_t n = k->n;
    double *w = malloc(n * sizeof *w);
    int64_t *h = malloc(n * sizeof *h), *p = malloc(n * sizeof *p);
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = k->sex, in.age = k->age, in.weight = k->weight, in.lenhei = k->lenhei;
    in.measure = k->measure, in.oedema = k->oedema;
    int first_young = -1;
    for (size_t i = 0; i < n; i++) {
        int old = k->age[i] > 1826.0;
        w[i] = old ? 1.0 : 0.0;
        h[i] = old ? 424242 : 1;
        p[i] = old ? 999999 : k->cluster[i] + 1000000 * k->strata[i];
        if (!old && first_young < 0) first_young = (int)i;
    }
    h[first_young] = 424242, p[first_young] = 999998;
    for (int pass = 0; pass < 2; pass++) {
        socind_design_options dopt;
        socind_design_options_init(&dopt);
        dopt.lonely_psu = pass ? SOCIND_LONELY_FAIL : SOCIND_LONELY_ADJUST;
        dopt.nest = 1;
        if (pass)
            for (size_t i = 0; i < n; i++) w[i] = 1.0;
        socind_design *d = NULL;
        assert_int_equal(socind_design_new(n, w, h, p, NULL, &dopt, &d), SOCIND_OK);
        int32_t want = pass ? SOCIND_ERR_LONELY_PSU : SOCIND_ERR_ZERO_WEIGHTS;
        for (int th = 1; th <= 2; th++) {
            socind_options o;
            socind_options_init(&o);
            o.threads = th;
            socind_prevalence_table *t = NULL;
            assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, &o, &t), want);
            assert_null(t);
            if (pass) assert_int_equal(socind_last_error_row(), first_young);
        }
        socind_design_free(d);
    }
    free(w), free(h), free(p);
    kids_free(k);
}

/* Without a PSU column the table comes from moments per stratum: it equals
 * the table of the same design given every child's own PSU id (the
 * per-PSU engine), under each lonely-PSU policy (a stratum of one child
 * included), both domain rules, with a domain column. */
static void test_moments_equal_psu_per_child(void **state) {
    (void)state;
    kids *k = kids_read(1);
    size_t n = k->n;
    int64_t *h = malloc(n * sizeof *h), *own = malloc(n * sizeof *own);
    for (size_t i = 0; i < n; i++) h[i] = k->strata[i], own[i] = (int64_t)i;
    h[5] = 999999; /* a stratum of one child */
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = k->sex, in.age = k->age, in.weight = k->weight, in.lenhei = k->lenhei;
    in.measure = k->measure, in.oedema = k->oedema;
    const int32_t pol[4] = {SOCIND_LONELY_ADJUST, SOCIND_LONELY_AVERAGE, SOCIND_LONELY_REMOVE,
                            SOCIND_LONELY_CERTAINTY};
    for (int pi = 0; pi < 4; pi++)
        for (int rule = 0; rule < 2; rule++) {
            socind_design_options dopt;
            socind_design_options_init(&dopt);
            dopt.lonely_psu = pol[pi];
            dopt.nest = 1;
            socind_design *d0 = NULL, *d1 = NULL;
            assert_int_equal(socind_design_new(n, k->sw, h, NULL, NULL, &dopt, &d0), SOCIND_OK);
            assert_int_equal(socind_design_new(n, k->sw, h, own, NULL, &dopt, &d1), SOCIND_OK);
            socind_options o;
            socind_options_init(&o);
            o.domain_rule = rule ? SOCIND_DOMAIN_RULE_FULL : SOCIND_DOMAIN_RULE_AUTO;
            socind_prevalence_table *t0 = NULL, *t1 = NULL;
            assert_int_equal(socind_prevalence_who2006(d0, &in, k->group, 5, &o, &t0), SOCIND_OK);
            assert_int_equal(socind_prevalence_who2006(d1, &in, k->group, 5, &o, &t1), SOCIND_OK);
            same_table(t0, t1);
            socind_prevalence_table_free(t0), socind_prevalence_table_free(t1);
            socind_design_free(d0), socind_design_free(d1);
        }
    /* the state holds a record per stratum, not per child */
    config c = {1, 1, 0, 1};
    socind_state_spec sp = spec_of(&c, SOCIND_STATE_PREVALENCE_WHO2006);
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    socind_chunk ch;
    socind_chunk_init(&ch);
    ch.n = n, ch.weight = k->sw, ch.strata = h, ch.group = k->group;
    assert_int_equal(socind_state_add_growth(s, &ch, &in), SOCIND_OK);
    size_t np = 0, nstrata = 0;
    socind_state_info(s, NULL, &np, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && h[j] != h[i]) j++;
        nstrata += j == i;
    }
    assert_int_equal(np, nstrata);
    socind_state_free(s);
    free(h), free(own);
    kids_free(k);
}

/* The 5–19 table chunked against the in-memory one. */
static void test_2007(void **state) {
    (void)state;
    test_csv *in = test_csv_read(SOCIND_TEST_REFDIR "/growth/inputs_5to19.csv");
    assert_non_null(in);
    size_t n = in->nrow;
    int32_t *sex = calloc(n, sizeof *sex), *oed = calloc(n, sizeof *oed);
    int cs = test_csv_col(in, "sex"), co = test_csv_col(in, "oedema");
    for (size_t i = 0; i < n; i++) {
        sex[i] = code2(in->cell[i][cs], "1", "2", 1, 2);
        oed[i] = code2(in->cell[i][co], "n", "y", 0, 1);
    }
    double *age = test_csv_doubles(in, "age_months"), *ht = test_csv_doubles(in, "height"),
           *wt = test_csv_doubles(in, "weight"), *sw = test_csv_doubles(in, "sw");
    int64_t *strata = test_csv_int64(in, "strata"), *cluster = test_csv_int64(in, "cluster");
    for (size_t i = 0; i < n; i++)
        if (isnan(sw[i])) sw[i] = 0.0;
    for (int design = 0; design < 2; design++) {
        socind_design *d = NULL;
        assert_int_equal(
            test_anthro_design(n, sw, design ? strata : NULL, design ? cluster : NULL, &d),
            SOCIND_OK);
        socind_growth2007_input g;
        socind_growth2007_input_init(&g);
        g.sex = sex, g.age_months = age, g.height_cm = ht, g.weight_kg = wt, g.oedema = oed;
        socind_prevalence_table *t0 = NULL, *t1 = NULL;
        assert_int_equal(socind_prevalence_who2007(d, &g, NULL, 0, NULL, &t0), SOCIND_OK);
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = SOCIND_STATE_PREVALENCE_WHO2007;
        sp.has_strata = sp.has_psu = design;
        sp.lonely_psu = SOCIND_LONELY_ADJUST;
        sp.nest = 1;
        socind_state *a = NULL, *b = NULL;
        assert_int_equal(socind_state_new(&sp, &a), SOCIND_OK);
        assert_int_equal(socind_state_new(&sp, &b), SOCIND_OK);
        /* the 2006 call refuses a 2007 state */
        socind_chunk ch;
        socind_chunk_init(&ch);
        socind_growth_input g06;
        socind_growth_input_init(&g06);
        ch.n = 1, ch.weight = sw;
        assert_int_equal(socind_state_add_growth(a, &ch, &g06), SOCIND_ERR_ARG);
        uint64_t seed = 99;
        for (size_t at = 0; at < n;) {
            size_t len = rng(&seed) % 300;
            if (len > n - at) len = n - at;
            socind_chunk_init(&ch);
            ch.n = len, ch.first_row = (int64_t)at, ch.weight = sw + at;
            if (design) ch.strata = strata + at, ch.psu = cluster + at;
            socind_growth2007_input gi = g;
            gi.sex += at, gi.age_months += at, gi.height_cm += at, gi.weight_kg += at;
            gi.oedema += at;
            assert_int_equal(socind_state_add_growth2007(rng(&seed) % 2 ? a : b, &ch, &gi),
                             SOCIND_OK);
            at += len;
        }
        b = via_bytes(b);
        assert_int_equal(socind_state_merge(a, b), SOCIND_OK);
        assert_int_equal(socind_state_finish_table(a, NULL, &t1), SOCIND_OK);
        same_table(t0, t1);
        socind_options o;
        socind_options_init(&o);
        o.threads = 2;
        socind_prevalence_table *t2 = NULL;
        assert_int_equal(socind_prevalence_who2007(d, &g, NULL, 0, &o, &t2), SOCIND_OK);
        same_table(t0, t2);
        socind_prevalence_table_free(t0), socind_prevalence_table_free(t1);
        socind_prevalence_table_free(t2);
        socind_state_free(a), socind_state_free(b);
        socind_design_free(d);
    }
    free(sex), free(oed), free(age), free(ht), free(wt), free(sw), free(strata), free(cluster);
    test_csv_free(in);
}

/* A small state of the first rows with a PSU column (for the error tests). */
static void small_chunk(const kids *k, socind_chunk *ch, socind_growth_input *in, size_t off,
                        size_t len, double *w, int32_t *g) {
    socind_chunk_init(ch);
    ch->n = len, ch->first_row = (int64_t)off, ch->weight = w;
    ch->strata = k->strata + off, ch->psu = k->cluster + off, ch->group = g;
    socind_growth_input_init(in);
    in->sex = k->sex + off, in->age = k->age + off, in->weight = k->weight + off;
    in->lenhei = k->lenhei + off, in->measure = k->measure + off, in->oedema = k->oedema + off;
}

static void test_bad_rows(void **state) {
    (void)state;
    kids *k = kids_read(1);
    config c = {1, 1, 1, 1};
    socind_state_spec sp = spec_of(&c, SOCIND_STATE_PREVALENCE_WHO2006);
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    double w[50];
    int32_t g[50];
    for (int i = 0; i < 50; i++) w[i] = k->sw[100 + i], g[i] = k->group[100 + i];
    socind_chunk ch;
    socind_growth_input in;
    small_chunk(k, &ch, &in, 100, 50, w, g);
    assert_int_equal(socind_state_add_growth(s, &ch, &in), SOCIND_OK);
    size_t np = 0, nc = 0, bytes = 0;
    socind_state_info(s, NULL, &np, &nc, &bytes);
    assert_true(np > 0 && nc > 0);
    /* a negative weight, a group out of range: named by first_row + i; the
       state unchanged */
    small_chunk(k, &ch, &in, 200, 50, w, g);
    w[7] = -1.0;
    assert_int_equal(socind_state_add_growth(s, &ch, &in), SOCIND_ERR_WEIGHT);
    assert_int_equal(socind_last_error_row(), 207);
    w[7] = 1.0;
    g[11] = 5;
    assert_int_equal(socind_state_add_growth(s, &ch, &in), SOCIND_ERR_GROUP);
    assert_int_equal(socind_last_error_row(), 211);
    g[11] = 0;
    size_t np2, nc2, bytes2;
    socind_state_info(s, NULL, &np2, &nc2, &bytes2);
    assert_int_equal(np, np2);
    assert_int_equal(nc, nc2);
    assert_int_equal(bytes, bytes2);
    /* y given: refused; a plain add refused; the plain finish refused */
    ch.y = w;
    assert_int_equal(socind_state_add_growth(s, &ch, &in), SOCIND_ERR_ARG);
    assert_int_equal(socind_state_add(s, &ch), SOCIND_ERR_ARG);
    ch.y = NULL;
    socind_estimate e[1];
    assert_int_equal(socind_state_finish(s, NULL, e, 1), SOCIND_ERR_ARG);
    /* a later version's input struct: its unknown bytes must be zero */
    struct {
        socind_growth_input in;
        uint64_t later;
    } big;
    memset(&big, 0, sizeof big);
    big.in = in;
    big.in.size = sizeof big;
    big.later = 1;
    assert_int_equal(socind_state_add_growth(s, &ch, &big.in), SOCIND_ERR_OPTIONS);
    big.later = 0;
    assert_int_equal(socind_state_add_growth(s, &ch, &big.in), SOCIND_OK);
    in.sex = NULL;
    assert_int_equal(socind_state_add_growth(s, &ch, &in), SOCIND_ERR_NULL);
    socind_state_free(s);

    /* nesting: PSU ids global (nest 0) and one PSU in two strata, across a
       merge */
    sp.nest = 0;
    sp.n_groups = 0;
    socind_state *a = NULL, *b = NULL;
    assert_int_equal(socind_state_new(&sp, &a), SOCIND_OK);
    assert_int_equal(socind_state_new(&sp, &b), SOCIND_OK);
    int64_t hh[2] = {1, 2}, pp[2] = {5, 5};
    double ww[2] = {1, 1};
    socind_chunk_init(&ch);
    socind_growth_input_init(&in);
    in.sex = k->sex, in.age = k->age, in.weight = k->weight, in.lenhei = k->lenhei;
    ch.n = 1, ch.weight = ww, ch.strata = hh, ch.psu = pp, ch.first_row = 40;
    assert_int_equal(socind_state_add_growth(a, &ch, &in), SOCIND_OK);
    ch.strata = hh + 1, ch.first_row = 41;
    assert_int_equal(socind_state_add_growth(b, &ch, &in), SOCIND_OK);
    assert_int_equal(socind_state_merge(a, b), SOCIND_ERR_NESTING);
    assert_int_equal(socind_last_error_row(), 41);
    ch.n = 2, ch.strata = hh, ch.first_row = 70;
    assert_int_equal(socind_state_add_growth(b, &ch, &in), SOCIND_ERR_NESTING);
    assert_int_equal(socind_last_error_row(), 70);
    /* a lonely stratum under FAIL: the PSU's first row named at finish */
    socind_state_free(a);
    socind_state_free(b);
    sp.lonely_psu = SOCIND_LONELY_FAIL;
    assert_int_equal(socind_state_new(&sp, &a), SOCIND_OK);
    int64_t h3[3] = {1, 1, 2}, p3[3] = {1, 2, 3};
    double w3[3] = {1, 1, 1};
    ch.n = 3, ch.strata = h3, ch.psu = p3, ch.weight = w3, ch.first_row = 500;
    assert_int_equal(socind_state_add_growth(a, &ch, &in), SOCIND_OK);
    socind_prevalence_table *t = NULL;
    assert_int_equal(socind_state_finish_table(a, NULL, &t), SOCIND_ERR_LONELY_PSU);
    assert_int_equal(socind_last_error_row(), 502);
    assert_non_null(strstr(socind_last_error_detail(),
                           "certainty) (stratum 2, PSU 3, first seen at "
                           "row 502)"));
    assert_null(t);
    socind_state_free(a);
    /* an empty state */
    assert_int_equal(socind_state_new(&sp, &a), SOCIND_OK);
    assert_int_equal(socind_state_finish_table(a, NULL, &t), SOCIND_ERR_EMPTY);
    socind_state_free(a);
    kids_free(k);
}

/* Bytes rewritten at random with a valid checksum: each read either fails
 * with SOCIND_ERR_FORMAT and no state, or gives a state that writes back the
 * same bytes and finishes (any status) without a crash. */
static void test_rewritten_bytes(void **state) {
    (void)state;
    kids *k = kids_read(1);
    for (int design = 0; design < 2; design++) {
        config c = {1, design, design, 1};
        socind_state_spec sp = spec_of(&c, SOCIND_STATE_PREVALENCE_WHO2006);
        socind_state *s = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        socind_chunk ch;
        socind_growth_input in;
        small_chunk(k, &ch, &in, 0, 30, k->sw, k->group);
        if (!design) ch.strata = NULL, ch.psu = NULL;
        assert_int_equal(socind_state_add_growth(s, &ch, &in), SOCIND_OK);
        size_t len = 0;
        socind_state_to_bytes(s, NULL, 0, &len);
        unsigned char *b = malloc(len), *x = malloc(len), *y = malloc(len);
        socind_state_to_bytes(s, b, len, &len);
        uint64_t seed = 77 + (uint64_t)design;
        int read = 0;
        for (int trial = 0; trial < 3000; trial++) {
            memcpy(x, b, len);
            int flips = 1 + (int)(rng(&seed) % 3);
            for (int f = 0; f < flips; f++) {
                size_t at = 8 + rng(&seed) % (len - 12);
                x[at] = (unsigned char)(rng(&seed) % 4 == 0 ? 0 : rng(&seed));
            }
            test_fix_crc(x, len);
            socind_state *r = NULL;
            int32_t st = socind_state_from_bytes(x, len, &r);
            if (st) {
                assert_int_equal(st, SOCIND_ERR_FORMAT);
                assert_null(r);
                continue;
            }
            read++;
            size_t len2 = 0;
            assert_int_equal(socind_state_to_bytes(r, y, len, &len2), SOCIND_OK);
            assert_int_equal(len2, len);
            assert_memory_equal(x, y, len);
            socind_prevalence_table *t = NULL;
            st = socind_state_finish_table(r, NULL, &t);
            assert_true(st == SOCIND_OK ? t != NULL : t == NULL);
            socind_prevalence_table_free(t);
            assert_int_equal(socind_state_merge(r, s), socind_state_merge(r, s));
            socind_state_free(r);
        }
        assert_true(read > 0); /* some rewritten states are states */
        free(b), free(x), free(y);
        socind_state_free(s);
    }
    kids_free(k);
}

/* Damaged, truncated or rewritten bytes are refused (never a crash). */
static void test_damaged_bytes(void **state) {
    (void)state;
    kids *k = kids_read(1);
    config c = {1, 1, 1, 1};
    socind_state_spec sp = spec_of(&c, SOCIND_STATE_PREVALENCE_WHO2006);
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    socind_chunk ch;
    socind_growth_input in;
    small_chunk(k, &ch, &in, 0, 40, k->sw, k->group);
    assert_int_equal(socind_state_add_growth(s, &ch, &in), SOCIND_OK);
    size_t len = 0;
    socind_state_to_bytes(s, NULL, 0, &len);
    unsigned char *b = malloc(len), *x = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    socind_state *r = NULL;
    uint64_t seed = 5;
    for (int trial = 0; trial < 2000; trial++) {
        memcpy(x, b, len);
        size_t at = rng(&seed) % len;
        x[at] ^= (unsigned char)(1u + rng(&seed) % 255u);
        assert_int_equal(socind_state_from_bytes(x, len, &r), SOCIND_ERR_FORMAT);
        assert_null(r);
    }
    for (size_t cut = 0; cut < len; cut += 1 + cut / 3)
        assert_int_equal(socind_state_from_bytes(b, cut, &r), SOCIND_ERR_FORMAT);
    /* contents rewritten with a valid checksum: a cell's code, a count */
    size_t np = 0;
    socind_state_info(s, NULL, &np, NULL, NULL);
    size_t cell0 = 104 + 40 * np;
    const size_t offs[4] = {cell0 + 4, cell0 + 8, cell0 + 16, 32 + 104};
    for (int i = 0; i < 4; i++) {
        memcpy(x, b, len);
        if (i < 2) {
            x[offs[i]] = 0x7f; /* code 127 / group 127: out of range */
        } else if (i == 2) {
            double v = -1.0; /* a negative count */
            memcpy(x + offs[i], &v, 8);
        } else {
            x[offs[i]] = 9; /* a PSU's flags */
        }
        uint32_t crc = 0;
        /* the CRC of everything before the trailer (zlib's) */
        {
            uint32_t cc = ~0u;
            for (size_t j = 0; j + 4 < len; j++) {
                cc ^= x[j];
                for (int q = 0; q < 8; q++) cc = (cc >> 1) ^ (0xEDB88320u & (0u - (cc & 1u)));
            }
            crc = ~cc;
        }
        for (int q = 0; q < 4; q++) x[len - 4 + (size_t)q] = (unsigned char)(crc >> (8 * q));
        assert_int_equal(socind_state_from_bytes(x, len, &r), SOCIND_ERR_FORMAT);
    }
    /* the original reads back and finishes as the state */
    assert_int_equal(socind_state_from_bytes(b, len, &r), SOCIND_OK);
    socind_prevalence_table *t0 = NULL, *t1 = NULL;
    assert_int_equal(socind_state_finish_table(s, NULL, &t0), SOCIND_OK);
    assert_int_equal(socind_state_finish_table(r, NULL, &t1), SOCIND_OK);
    same_table(t0, t1);
    /* another estimate's state does not merge */
    socind_state_spec sp2;
    socind_state_spec_init(&sp2);
    sp2.estimator = SOCIND_STATE_MEAN;
    socind_state *m = NULL;
    assert_int_equal(socind_state_new(&sp2, &m), SOCIND_OK);
    assert_int_equal(socind_state_merge(s, m), SOCIND_ERR_MISMATCH);
    socind_prevalence_table_free(t1);
    assert_int_equal(socind_state_finish_table(m, NULL, &t1), SOCIND_ERR_ARG);
    assert_null(t1);
    socind_state_free(m);
    socind_prevalence_table_free(t0);
    socind_prevalence_table_free(t1);
    socind_state_free(r);
    socind_state_free(s);
    free(b), free(x);
    kids_free(k);
}

/* Merging a state into itself again and again: its counts double each
 * time. The per-PSU row counts were plain int64 sums (signed overflow,
 * undefined, near the 63rd merge) and the cells' counts, doubles, passed
 * 2^53, where the state's own bytes were then refused. A merge whose
 * counts would pass 2^53 is refused (SOCIND_ERR_OVERFLOW, the state as it
 * was), and the state still reads back from its bytes and finishes. */
static void test_counts_stay_exact_under_merges(void **state) {
    (void)state;
    enum { N = 6 };
    int32_t sex[N] = {1, 2, 1, 2, 1, 2};
    double age[N] = {100, 200, 300, 400, 500, 600}, wt[N] = {5, 6, 7, 8, 9, 10};
    double lh[N] = {60, 65, 70, 75, 80, 85}, w[N] = {1, 2, 3, 4, 5, 6};
    int64_t h[N] = {1, 1, 1, 2, 2, 2}, p[N] = {1, 1, 2, 3, 4, 4};
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = sex, in.age = age, in.weight = wt, in.lenhei = lh;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_PREVALENCE_WHO2006;
    sp.has_strata = sp.has_psu = 1;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w, c.strata = h, c.psu = p;
    socind_state *a = NULL, *b = NULL;
    assert_int_equal(socind_state_new(&sp, &a), SOCIND_OK);
    assert_int_equal(socind_state_new(&sp, &b), SOCIND_OK);
    assert_int_equal(socind_state_add_growth(a, &c, &in), SOCIND_OK);
    assert_int_equal(socind_state_add_growth(b, &c, &in), SOCIND_OK);
    int refused = 0;
    for (int k = 0; k < 70 && !refused; k++) {
        int32_t st = socind_state_merge(a, b);
        if (st == SOCIND_OK) st = socind_state_merge(b, a);
        if (st) {
            assert_int_equal(st, SOCIND_ERR_OVERFLOW);
            assert_non_null(strstr(socind_last_error_detail(), "2^53"));
            refused = k + 1;
        }
    }
    assert_true(refused > 20);
    /* what was merged reads back from its bytes and finishes */
    size_t len = 0;
    assert_int_equal(socind_state_to_bytes(a, NULL, 0, &len), SOCIND_OK);
    unsigned char *bytes = malloc(len);
    assert_non_null(bytes);
    assert_int_equal(socind_state_to_bytes(a, bytes, len, &len), SOCIND_OK);
    socind_state *r = NULL;
    assert_int_equal(socind_state_from_bytes(bytes, len, &r), SOCIND_OK);
    socind_prevalence_table *t0 = NULL, *t1 = NULL;
    assert_int_equal(socind_state_finish_table(a, NULL, &t0), SOCIND_OK);
    assert_int_equal(socind_state_finish_table(r, NULL, &t1), SOCIND_OK);
    same_table(t0, t1);
    socind_prevalence_table_free(t0), socind_prevalence_table_free(t1);
    socind_state_free(r), socind_state_free(a), socind_state_free(b);
    free(bytes);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        SPLIT_ONE_THREAD(test_chunked_equals_in_memory),
        SPLIT_THREADS(test_threads),
        SPLIT_THREADS(test_thread_statuses),
        SPLIT_ONE_THREAD(test_moments_equal_psu_per_child),
        SPLIT_ONE_THREAD(test_2007),
        SPLIT_ONE_THREAD(test_bad_rows),
        SPLIT_ONE_THREAD(test_damaged_bytes),
        SPLIT_ONE_THREAD(test_rewritten_bytes),
        SPLIT_ONE_THREAD(test_counts_stay_exact_under_merges),
    };
    return split_run(tests, NULL, NULL);
}
