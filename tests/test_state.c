/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_state.c — partial states (socind/state.h) against the
 * in-memory estimators on the poverty reference sample: every estimator,
 * with and without domains, fpc, missing values, zero weights and rows in
 * no domain, the rows shuffled and cut into random chunks (empty ones
 * included, PSUs split across chunks, domains missing from chunks), the
 * states merged in random orders, some through their bytes; plus the
 * contract: bad rows, mismatched states, damaged bytes. */
#include "households.h"
#include "test_split.h"
#include "state_internal.h"

#define TOL 1e-12
/* An SE that is 0 in exact arithmetic (a domain whose PSUs all have the
 * domain's ratio) comes out as rounding noise of the order of 2^−53 times
 * the estimate, in memory and from states alike: such SEs agree within
 * NOISE·|estimate|; a dimensionless figure that is 0 in exact arithmetic
 * (the GE of the poor's gaps with one poor person; the design effect of
 * such an SE: 1.2e−32 from states for a domain's mean over 10 rows whose
 * SE in memory is exactly 0) within NOISE. */
#define NOISE 1e-15

/* A small deterministic generator (xorshift64*). */
static uint64_t xorshift(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}
static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void) {
    return xorshift(&rng_state);
}

/* The data of one comparison: the sample's rows with some values missing,
 * some weights 0 and some rows in no domain. */
typedef struct {
    size_t n;
    double *w, *y, *y2, *fpc, *prop;
    int64_t *h, *p;
    int32_t *g;
    int32_t ng;
} data;

static void data_make(const households *f, data *d) {
    d->n = f->n;
    d->w = malloc(f->n * sizeof *d->w);
    d->y = malloc(f->n * sizeof *d->y);
    d->y2 = malloc(f->n * sizeof *d->y2);
    d->prop = malloc(f->n * sizeof *d->prop);
    d->fpc = f->fpc, d->h = f->stratum, d->p = f->psu;
    int64_t codes[64];
    d->g = households_subdistricts(f, codes, &d->ng);
    for (size_t k = 0; k < f->n; k++) {
        d->w[k] = k % 97 == 5 ? 0.0 : f->w[k];
        d->y[k] = k % 61 == 7 ? NAN : f->y[k];
        d->y2[k] = k % 89 == 3 ? NAN : f->line_region[k];
        d->prop[k] = isnan(d->y[k]) ? NAN : (d->y[k] < 600000.0 ? 1.0 : 0.0);
        if (k % 53 == 11) d->g[k] = -1;
    }
}

static void data_free(data *d) {
    free(d->w), free(d->y), free(d->y2), free(d->prop), free(d->g);
}

/* One estimator's in-memory call and its state spec. */
typedef struct {
    int32_t est;
    double par;
    int per_row;
    int grouped;
    int fpc;
    int32_t lonely;
} case_t;

static size_t per_domain(int32_t est) {
    return est == SOCIND_STATE_POVERTY_PROFILE       ? SOCIND_PROFILE_COUNT
           : est == SOCIND_STATE_GE_DECOMPOSITION    ? SOCIND_GEDEC_COUNT
           : est == SOCIND_STATE_FGT_DECOMPOSITION   ? SOCIND_FGTDEC_COUNT
           : est == SOCIND_STATE_WATTS_DECOMPOSITION ? SOCIND_WATTSDEC_COUNT
                                                     : 1;
}

static int32_t in_memory_opts(const data *d, const case_t *c, const socind_options *opts,
                              socind_estimate *out);
static int32_t in_memory(const data *d, const case_t *c, socind_estimate *out) {
    return in_memory_opts(d, c, NULL, out);
}
static int32_t in_memory_opts(const data *d, const case_t *c, const socind_options *opts,
                              socind_estimate *out) {
    socind_design_options o;
    socind_design_options_init(&o);
    o.lonely_psu = c->lonely;
    socind_design *des;
    int32_t st = socind_design_new(d->n, d->w, d->h, d->p, c->fpc ? d->fpc : NULL, &o, &des);
    if (st) return st;
    const int32_t *g = c->grouped ? d->g : NULL;
    const int32_t ng = c->grouped ? d->ng : 1;
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    if (c->per_row) {
        L.type = SOCIND_LINE_PER_ROW;
        L.lines = d->y2;
    } else {
        L.value = 600000.0;
    }
    switch (c->est) {
    case SOCIND_STATE_TOTAL:
        st = socind_total(des, d->y, g, ng, opts, out);
        break;
    case SOCIND_STATE_MEAN:
        st = socind_mean(des, d->y, g, ng, opts, out);
        break;
    case SOCIND_STATE_RATIO:
        st = socind_ratio(des, d->y, d->y2, g, ng, opts, out);
        break;
    case SOCIND_STATE_PROPORTION:
        st = socind_proportion(des, d->prop, g, ng, opts, out);
        break;
    case SOCIND_STATE_FGT:
        st = socind_fgt(des, d->y, &L, c->par, g, ng, opts, out);
        break;
    case SOCIND_STATE_POOR_COUNT:
        st = socind_poor_count(des, d->y, &L, g, ng, opts, out);
        break;
    case SOCIND_STATE_POVERTY_GAP_TOTAL:
        st = socind_poverty_gap_total(des, d->y, &L, g, ng, opts, out);
        break;
    case SOCIND_STATE_MEAN_SHORTFALL:
        st = socind_mean_shortfall(des, d->y, &L, g, ng, opts, out);
        break;
    case SOCIND_STATE_WATTS:
        st = socind_watts(des, d->y, &L, SOCIND_NONPOS_ERROR, g, ng, opts, out);
        break;
    case SOCIND_STATE_FGT_DECOMPOSITION:
        st = socind_fgt_decomposition(des, d->y, &L, c->par, g, ng, opts, out);
        break;
    case SOCIND_STATE_WATTS_DECOMPOSITION:
        st = socind_watts_decomposition(des, d->y, &L, SOCIND_NONPOS_ERROR, g, ng, opts, out);
        break;
    case SOCIND_STATE_GE:
        st = socind_ge(des, d->y, c->par, SOCIND_NONPOS_ERROR, g, ng, opts, out);
        break;
    case SOCIND_STATE_POVERTY_PROFILE:
        st = socind_poverty_profile(des, d->y, &L, c->par, d->g, d->ng, opts, out);
        break;
    case SOCIND_STATE_GE_DECOMPOSITION:
        st =
            socind_ge_decomposition(des, d->y, c->par, SOCIND_NONPOS_ERROR, d->g, d->ng, opts, out);
        break;
    default:
        st = socind_atkinson(des, d->y, c->par, SOCIND_NONPOS_ERROR, g, ng, opts, out);
        break;
    }
    socind_design_free(des);
    return st;
}

static void spec_of(const case_t *c, const data *d, socind_state_spec *sp) {
    socind_state_spec_init(sp);
    sp->estimator = c->est;
    sp->n_groups = c->grouped ? d->ng : 0;
    sp->has_strata = sp->has_psu = 1;
    sp->has_fpc = c->fpc;
    sp->lonely_psu = c->lonely;
    if ((c->est >= SOCIND_STATE_FGT && c->est <= SOCIND_STATE_WATTS_DECOMPOSITION) ||
        c->est == SOCIND_STATE_POVERTY_PROFILE) {
        sp->line_type = c->per_row ? SOCIND_LINE_PER_ROW : SOCIND_LINE_ABSOLUTE;
        sp->line = c->per_row ? NAN : 600000.0;
    }
    sp->alpha = c->par;
}

/* A state of the rows order[a .. b) (gathered into chunk arrays). */
static socind_state *state_of(const data *d, const case_t *c, const size_t *order, size_t a,
                              size_t b) {
    socind_state_spec sp;
    spec_of(c, d, &sp);
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    size_t m = b - a;
    double *w = malloc((m + 1) * sizeof *w), *y = malloc((m + 1) * sizeof *y),
           *y2 = malloc((m + 1) * sizeof *y2), *f = malloc((m + 1) * sizeof *f);
    int64_t *h = malloc((m + 1) * sizeof *h), *p = malloc((m + 1) * sizeof *p);
    int32_t *g = malloc((m + 1) * sizeof *g);
    const int need2 = c->est == SOCIND_STATE_RATIO || c->per_row;
    for (size_t i = 0; i < m; i++) {
        size_t k = order[a + i];
        w[i] = d->w[k];
        y[i] = c->est == SOCIND_STATE_PROPORTION ? d->prop[k] : d->y[k];
        y2[i] = d->y2[k];
        f[i] = d->fpc[k];
        h[i] = d->h[k], p[i] = d->p[k], g[i] = d->g[k];
    }
    socind_chunk ch;
    socind_chunk_init(&ch);
    ch.n = m;
    ch.first_row = (int64_t)a;
    ch.weight = w, ch.y = y, ch.strata = h, ch.psu = p;
    ch.y2 = need2 ? y2 : NULL;
    ch.fpc = c->fpc ? f : NULL;
    ch.group = c->grouped ? g : NULL;
    assert_int_equal(socind_state_add(s, &ch), SOCIND_OK);
    free(w), free(y), free(y2), free(f), free(h), free(p), free(g);
    return s;
}

/* A copy of s through its bytes. */
static socind_state *through_bytes(socind_state *s) {
    size_t len = 0;
    assert_int_equal(socind_state_to_bytes(s, NULL, 0, &len), SOCIND_OK);
    unsigned char *buf = malloc(len);
    size_t len2 = 0;
    assert_int_equal(socind_state_to_bytes(s, buf, len, &len2), SOCIND_OK);
    assert_int_equal(len2, len);
    socind_state *t = NULL;
    assert_int_equal(socind_state_from_bytes(buf, len, &t), SOCIND_OK);
    free(buf);
    socind_state_free(s);
    return t;
}

/* What is being compared, printed when a comparison fails. */
static const case_t *cur_case;
static size_t cur_index;
static int cur_round;
static void say_case(void) {
    if (cur_case)
        print_error("estimator %d par %g per_row %d grouped %d fpc %d lonely %d: estimate %zu, "
                    "round %d\n",
                    (int)cur_case->est, cur_case->par, cur_case->per_row, cur_case->grouped,
                    cur_case->fpc, (int)cur_case->lonely, cur_index, cur_round);
}

static void same_estimate(const socind_estimate *a, const socind_estimate *e) {
    if (!(a->status == e->status && a->n == e->n &&
          (fabs(a->value - e->value) <= TOL * fabs(e->value) + NOISE ||
           (isnan(a->value) && isnan(e->value))) &&
          (fabs(a->se - e->se) <= TOL * fabs(e->se) + NOISE * fmax(fabs(e->value), 1.0) ||
           (isnan(a->se) && isnan(e->se)))))
        say_case();
    assert_int_equal(a->status, e->status);
    assert_int_equal(a->n, e->n);
    assert_close_abs(a->value, e->value, TOL, NOISE);
    assert_close_abs(a->se, e->se, TOL, NOISE * fmax(fabs(e->value), 1.0));
    assert_close_abs(a->ci_low, e->ci_low, TOL, NOISE * fmax(fabs(e->value), 1.0));
    assert_close_abs(a->ci_high, e->ci_high, TOL, NOISE * fmax(fabs(e->value), 1.0));
    assert_close(a->weight_sum, e->weight_sum, TOL);
    assert_close_abs(a->deff, e->deff, 1e-10, NOISE);
    assert_true(a->df == e->df || (isnan(a->df) && isnan(e->df)));
}

/* Chunked and merged (nchunks random cuts of a random order, merged in a
 * random order, every third state through its bytes) against in memory. */
static void compare(const data *d, const case_t *c, int rounds) {
    const size_t G = c->grouped && c->est != SOCIND_STATE_GE_DECOMPOSITION ? (size_t)d->ng : 1,
                 cnt = G * per_domain(c->est);
    socind_estimate *ref = calloc(cnt, sizeof *ref), *got = calloc(cnt, sizeof *got),
                    *again = calloc(cnt, sizeof *again);
    int32_t st_ref = in_memory(d, c, ref);
    size_t *order = malloc(d->n * sizeof *order);
    for (int r = 0; r < rounds; r++) {
        for (size_t k = 0; k < d->n; k++) order[k] = k;
        if (r % 2 == 1) /* shuffled: every PSU split across chunks */
            for (size_t k = d->n - 1; k > 0; k--) {
                size_t j = rnd() % (k + 1), t = order[k];
                order[k] = order[j], order[j] = t;
            }
        size_t nch = 1 + rnd() % 9;
        size_t cuts[12];
        cuts[0] = 0, cuts[nch] = d->n;
        for (size_t i = 1; i < nch; i++) cuts[i] = rnd() % (d->n + 1);
        for (size_t i = 1; i < nch; i++) /* sort the cuts (empty chunks allowed) */
            for (size_t j = i; j > 1 && cuts[j - 1] > cuts[j]; j--) {
                size_t t = cuts[j];
                cuts[j] = cuts[j - 1], cuts[j - 1] = t;
            }
        socind_state *st[12];
        for (size_t i = 0; i < nch; i++) {
            st[i] = state_of(d, c, order, cuts[i], cuts[i + 1]);
            if (i % 3 == 2) st[i] = through_bytes(st[i]);
        }
        /* merge in a random order into a random survivor */
        size_t left = nch;
        while (left > 1) {
            size_t i = rnd() % left, j = rnd() % (left - 1);
            if (j >= i) j++;
            assert_int_equal(socind_state_merge(st[i], st[j]), SOCIND_OK);
            socind_state_free(st[j]);
            st[j] = st[left - 1];
            left--;
        }
        int32_t s1 = socind_state_finish(st[0], NULL, got, cnt);
        assert_int_equal(s1, st_ref);
        for (size_t j = 0; j < cnt; j++) {
            cur_case = c, cur_index = j, cur_round = r;
            same_estimate(&got[j], &ref[j]);
        }
        /* finishing twice gives the same bits; so does a copy */
        socind_state *cp = through_bytes(st[0]);
        assert_int_equal(socind_state_finish(cp, NULL, again, cnt), s1);
        assert_memory_equal(again, got, cnt * sizeof *got);
        socind_state_free(cp);
    }
    free(order), free(ref), free(got), free(again);
}

static void test_every_estimator_chunked(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    const case_t cases[] = {
        {SOCIND_STATE_TOTAL, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_TOTAL, NAN, 0, 1, 1, 0},
        {SOCIND_STATE_MEAN, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_MEAN, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_RATIO, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_PROPORTION, NAN, 0, 0, 1, 0},
        {SOCIND_STATE_PROPORTION, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_FGT, 0.0, 0, 0, 0, 0},
        {SOCIND_STATE_FGT, 0.0, 0, 1, 0, 0},
        {SOCIND_STATE_FGT, 1.0, 0, 1, 1, 0},
        {SOCIND_STATE_FGT, 2.0, 1, 1, 0, 0},
        {SOCIND_STATE_FGT, 1.5, 1, 0, 0, 0},
        {SOCIND_STATE_POOR_COUNT, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_POVERTY_GAP_TOTAL, NAN, 1, 1, 0, 0},
        {SOCIND_STATE_MEAN_SHORTFALL, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_WATTS, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_FGT_DECOMPOSITION, 2.0, 0, 1, 0, 0},
        {SOCIND_STATE_FGT_DECOMPOSITION, 3.0, 1, 0, 0, 0},
        {SOCIND_STATE_WATTS_DECOMPOSITION, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_GE, 0.0, 0, 1, 0, 0},
        {SOCIND_STATE_GE, 1.0, 0, 1, 0, 0},
        {SOCIND_STATE_GE, 2.0, 0, 0, 1, 0},
        {SOCIND_STATE_GE, -1.0, 0, 1, 0, 0},
        {SOCIND_STATE_ATKINSON, 0.5, 0, 1, 0, 0},
        {SOCIND_STATE_ATKINSON, 1.0, 0, 0, 0, 0},
        {SOCIND_STATE_ATKINSON, 2.0, 0, 1, 0, 0},
        {SOCIND_STATE_GE_DECOMPOSITION, 0.0, 0, 1, 0, 0},
        {SOCIND_STATE_GE_DECOMPOSITION, 1.0, 0, 1, 1, 0},
        {SOCIND_STATE_GE_DECOMPOSITION, 2.0, 0, 1, 0, 0},
        {SOCIND_STATE_GE_DECOMPOSITION, -0.5, 0, 1, 0, 0},
        {SOCIND_STATE_POVERTY_PROFILE, 0.0, 0, 1, 0, 0},
        {SOCIND_STATE_POVERTY_PROFILE, 1.0, 1, 1, 1, 0},
        {SOCIND_STATE_POVERTY_PROFILE, 2.0, 0, 1, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) compare(&d, &cases[i], 6);
    data_free(&d);
}

/* Every lonely-PSU policy, by domain (a domain of one PSU in a stratum is
 * made by moving rows of one PSU into a stratum of their own). */
static void test_lonely_policies(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    int64_t *h = malloc(d.n * sizeof *h);
    memcpy(h, d.h, d.n * sizeof *h);
    for (size_t k = 0; k < d.n; k++)
        if (d.p[k] == d.p[0]) h[k] = -7; /* a stratum with one PSU */
    d.h = h;
    for (int32_t pol = SOCIND_LONELY_REMOVE; pol <= SOCIND_LONELY_CERTAINTY; pol++) {
        case_t c1 = {SOCIND_STATE_FGT, 0.0, 0, 1, 0, pol};
        case_t c2 = {SOCIND_STATE_MEAN, NAN, 0, 1, 0, pol};
        case_t c3 = {SOCIND_STATE_GE, 1.0, 0, 1, 0, pol};
        compare(&d, &c1, 2);
        compare(&d, &c2, 2);
        compare(&d, &c3, 2);
    }
    /* FAIL: the finish refuses, naming a row of the lonely PSU */
    case_t c = {SOCIND_STATE_MEAN, NAN, 0, 0, 0, SOCIND_LONELY_FAIL};
    size_t *order = malloc(d.n * sizeof *order);
    for (size_t k = 0; k < d.n; k++) order[k] = k;
    socind_state *s = state_of(&d, &c, order, 0, d.n);
    socind_estimate e;
    assert_int_equal(socind_state_finish(s, NULL, &e, 1), SOCIND_ERR_LONELY_PSU);
    assert_int_equal(e.status, SOCIND_ERR_LONELY_PSU);
    assert_true(isnan(e.value));
    int64_t row = socind_last_error_row();
    assert_true(row >= 0 && (size_t)row < d.n);
    assert_int_equal(d.p[row], d.p[0]);
    /* the design's sentence, then the PSU (they ran together: "…)(stratum") */
    assert_non_null(strstr(socind_last_error_detail(), "certainty) (stratum "));
    socind_state_free(s);
    free(order), free(h);
    d.h = f->stratum;
    data_free(&d);
}

/* Bad rows are refused naming the row by first_row, and leave the state as
 * it was. */
static void test_bad_rows(void **state) {
    (void)state;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_FGT;
    sp.alpha = 0.0;
    sp.line = 10.0;
    sp.has_strata = sp.has_psu = 1;
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    double w[4] = {1, 2, 3, 4}, y[4] = {5, 15, 8, 20};
    int64_t h[4] = {1, 1, 2, 2}, p[4] = {10, 11, 20, 21};
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = 4, c.first_row = 100, c.weight = w, c.y = y, c.strata = h, c.psu = p;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    size_t np, nc, len0, len1;
    socind_state_info(s, NULL, &np, &nc, &len0);
    assert_int_equal(np, 4);
    assert_int_equal(nc, 4);
    /* a negative weight at the third row: named 202 */
    double wb[3] = {1, 1, -1}, yb[3] = {1, 2, 3};
    int64_t hb[3] = {3, 3, 3}, pb[3] = {30, 31, 32};
    c.n = 3, c.first_row = 200, c.weight = wb, c.y = yb, c.strata = hb, c.psu = pb;
    assert_int_equal(socind_state_add(s, &c), SOCIND_ERR_WEIGHT);
    assert_int_equal(socind_last_error_row(), 202);
    socind_state_info(s, NULL, &np, &nc, &len1);
    assert_int_equal(np, 4);
    assert_int_equal(len1, len0);
    /* a PSU in two strata, across chunks: named, nothing kept */
    wb[2] = 1.0;
    pb[1] = 11; /* PSU 11 is in stratum 1 */
    assert_int_equal(socind_state_add(s, &c), SOCIND_ERR_NESTING);
    assert_int_equal(socind_last_error_row(), 201);
    socind_state_info(s, NULL, &np, &nc, &len1);
    assert_int_equal(np, 4);
    assert_int_equal(nc, 4);
    /* ±Inf income */
    pb[1] = 31;
    yb[1] = INFINITY;
    assert_int_equal(socind_state_add(s, &c), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 201);
    /* a column the spec does not use, and a missing one */
    yb[1] = 2.0;
    double f[3] = {1, 1, 1};
    c.fpc = f;
    assert_int_equal(socind_state_add(s, &c), SOCIND_ERR_ARG);
    c.fpc = NULL;
    c.psu = NULL;
    assert_int_equal(socind_state_add(s, &c), SOCIND_ERR_NULL);
    c.psu = pb;
    c.first_row = -1;
    assert_int_equal(socind_state_add(s, &c), SOCIND_ERR_ARG);
    c.first_row = 200;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    socind_estimate e;
    assert_int_equal(socind_state_finish(s, NULL, &e, 1), SOCIND_OK);
    /* 2 of 1+2+3+4+1+1+1 are... y < 10: rows 5, 8, 1, 2, 3 with weights 1, 3, 1, 1, 1 */
    assert_close(e.value, 7.0 / 13.0, 1e-15);
    assert_int_equal(e.n, 7);
    /* too small an output */
    assert_int_equal(socind_state_finish(s, NULL, &e, 0), SOCIND_ERR_BUFFER);
    socind_state_free(s);
}

static void test_spec_and_mismatch(void **state) {
    (void)state;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    socind_state *s = NULL, *t = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG); /* no estimator */
    assert_null(s);
    sp.estimator = SOCIND_STATE_FGT;
    sp.alpha = 0.0;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG); /* no line */
    sp.line = 5.0;
    sp.line_type = 99; /* no such line type */
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG);
    sp.line_type = SOCIND_LINE_ABSOLUTE;
    sp.alpha = -1.0;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG);
    sp.alpha = 0.0;
    sp.size = 3;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_OPTIONS);
    sp.size = sizeof sp;
    assert_int_equal(socind_state_new(NULL, &s), SOCIND_ERR_NULL);
    assert_int_equal(socind_state_new(&sp, NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    sp.alpha = 1.0;
    assert_int_equal(socind_state_new(&sp, &t), SOCIND_OK);
    assert_int_equal(socind_state_merge(s, t), SOCIND_ERR_MISMATCH);
    assert_non_null(strstr(socind_last_error_detail(), "differ in alpha"));
    assert_int_equal(socind_state_merge(s, s), SOCIND_ERR_ARG);
    /* the same spec, another pass: said so */
    {
        socind_state_spec gs;
        socind_state_spec_init(&gs);
        gs.estimator = SOCIND_STATE_GINI;
        socind_state *g1 = NULL, *g2 = NULL;
        assert_int_equal(socind_state_new(&gs, &g1), SOCIND_OK);
        assert_int_equal(socind_state_next_pass(g1, &g2), SOCIND_OK);
        assert_int_equal(socind_state_merge(g2, g1), SOCIND_ERR_MISMATCH);
        assert_non_null(strstr(socind_last_error_detail(), "different passes (2 and 1)"));
        socind_state_free(g1), socind_state_free(g2);
    }
    assert_int_equal(socind_state_merge(NULL, t), SOCIND_ERR_NULL);
    socind_estimate e;
    assert_int_equal(socind_state_finish(s, NULL, &e, 1), SOCIND_ERR_EMPTY);
    assert_int_equal(e.status, SOCIND_ERR_EMPTY);
    socind_state_free(s);
    socind_state_free(t);
    socind_state_free(NULL);
    /* the likelihood interval is refused */
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_PROPORTION;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    double w[2] = {1, 1}, y[2] = {0, 1};
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = 2, c.weight = w, c.y = y;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    socind_options o;
    socind_options_init(&o);
    o.prop_ci = SOCIND_PROP_CI_LIKELIHOOD;
    assert_int_equal(socind_state_finish(s, &o, &e, 1), SOCIND_ERR_ARG);
    o.prop_ci = SOCIND_PROP_CI_BETA;
    assert_int_equal(socind_state_finish(s, &o, &e, 1), SOCIND_OK);
    socind_state_free(s);
}

/* The poverty profile keeps its rows in no group under code n_groups, and a
 * state against a relative line its line's slot after the domains: with
 * n_groups = 2^31 − 1 there is no such code. The spec is refused
 * (SOCIND_ERR_ARG), as is a profile's set_groups to it, and bytes that
 * claim it are not a state. */
static void test_groups_past_int32(void **state) {
    (void)state;
    socind_state_spec sp;
    socind_state *s = NULL;
    for (int k = 0; k < 4; k++) {
        socind_state_spec_init(&sp);
        sp.estimator = k == 3 ? SOCIND_STATE_POOR_MEDIAN
                       : k    ? SOCIND_STATE_FGT
                              : SOCIND_STATE_POVERTY_PROFILE;
        sp.alpha = 0.0;
        sp.line = k ? 0.6 : 150.0;
        sp.line_type = k == 1   ? SOCIND_LINE_RELATIVE_MEAN
                       : k >= 2 ? SOCIND_LINE_RELATIVE_QUANTILE
                                : SOCIND_LINE_ABSOLUTE;
        sp.n_groups = INT32_MAX;
        s = (socind_state *)&sp;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG);
        assert_null(s);
        assert_non_null(strstr(socind_last_error_detail(), "below 2147483647"));
        sp.n_groups = INT32_MAX - 1; /* the largest such state: its tables are not made here */
        if (k == 0) {
            assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
            socind_state_free(s);
        }
    }
    /* the absolute line's profile: set_groups and bytes */
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_POVERTY_PROFILE;
    sp.alpha = 0.0, sp.line = 150.0, sp.n_groups = 2;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    double w[3] = {1, 2, 3}, y[3] = {100, 200, 300};
    int32_t g[3] = {-1, 0, 1};
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = 3, c.weight = w, c.y = y, c.group = g;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    assert_int_equal(socind_state_set_groups(s, INT32_MAX), SOCIND_ERR_ARG);
    size_t count = 0;
    assert_int_equal(socind_state_info(s, &count, NULL, NULL, NULL), SOCIND_OK);
    assert_int_equal(count, 2 * SOCIND_PROFILE_COUNT); /* unchanged */
    size_t len = 0;
    assert_int_equal(socind_state_to_bytes(s, NULL, 0, &len), SOCIND_OK);
    unsigned char *b = malloc(len);
    assert_non_null(b);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    /* n_groups (offset 20) rewritten to 2^31 − 1, the CRC made to match */
    b[20] = 0xFF, b[21] = 0xFF, b[22] = 0xFF, b[23] = 0x7F;
    test_fix_crc(b, len);
    socind_state *r = s;
    assert_int_equal(socind_state_from_bytes(b, len, &r), SOCIND_ERR_FORMAT);
    assert_null(r);
    free(b);
    socind_state_free(s);
}

/* Damaged, truncated and foreign bytes are refused with SOCIND_ERR_FORMAT;
 * every single-byte change is caught. */
static void test_bytes_refused(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    case_t c = {SOCIND_STATE_FGT_DECOMPOSITION, 2.0, 0, 1, 1, 0};
    size_t *order = malloc(d.n * sizeof *order);
    for (size_t k = 0; k < d.n; k++) order[k] = k;
    socind_state *s = state_of(&d, &c, order, 0, 300);
    size_t len;
    socind_state_to_bytes(s, NULL, 0, &len);
    unsigned char *b = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, b, len - 1, &len), SOCIND_ERR_BUFFER);
    assert_int_equal(socind_state_to_bytes(s, NULL, 5, &len), SOCIND_ERR_NULL);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    socind_state *t = NULL;
    for (size_t cut = 0; cut < len; cut += 1 + cut / 7) {
        assert_int_equal(socind_state_from_bytes(b, cut, &t), SOCIND_ERR_FORMAT);
        assert_null(t);
    }
    for (size_t i = 0; i < len; i += 1 + i / 50) {
        unsigned char keep = b[i];
        b[i] ^= (unsigned char)(1u << (i % 8));
        assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_ERR_FORMAT);
        assert_null(t);
        b[i] = keep;
    }
    /* another format version, the mean's (3), the histogram states' (4),
       the relative lines' (5) and the median of the poor's (6) for another
       estimator: one version per layout, so that bytes that read write
       back the same */
    for (unsigned char v = 3; v <= 8; v++) {
        b[8] = v;
        test_fix_crc(b, len);
        assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_ERR_FORMAT);
        assert_null(t);
        assert_non_null(strstr(socind_last_error_detail(),
                               v == 3   ? "a mean's and a proportion's likelihood state's only"
                               : v == 4 ? "a quantile's, Lorenz ordinate's and share ratio's only"
                               : v == 5 ? "a relative quantile line's and a poverty estimate's "
                                          "against a relative line only"
                               : v == 6 ? "the median of the poor's, the relative median gap's "
                                          "and the poverty profile's"
                               : v == 7 ? "version 7 is GE's and Atkinson's with θ within 0.01"
                                        : "reads versions 2 to 7"));
    }
    b[8] = 2;
    test_fix_crc(b, len);
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
    socind_state_free(t);
    assert_int_equal(socind_state_from_bytes(NULL, len, &t), SOCIND_ERR_NULL);
    assert_null(t);
    free(b), free(order);
    socind_state_free(s);
    data_free(&d);
}

/* Found by fuzz_partial_state: (1) an unused parameter (the spec's alpha or
 * line) read as any NaN was written back as the quiet NaN, so a state that
 * read did not write back to its own bytes: a NaN parameter is now always
 * 0x7FF8000000000000 in the bytes, whatever its bits in memory, and other
 * NaNs are refused; (2) a cell's weight sum read as negative; (3) a weight
 * sum beyond the double range with status OK. */
static void test_bytes_found_by_fuzzing(void **state) {
    (void)state;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_TOTAL;
    uint64_t other = 0xFFF8000000000123ull; /* a NaN with a sign and a payload */
    memcpy(&sp.line, &other, sizeof other);
    socind_state *s = NULL, *t = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    double w[2] = {1, 2}, y[2] = {3, 4};
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = 2, c.weight = w, c.y = y;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    size_t len;
    socind_state_to_bytes(s, NULL, 0, &len);
    unsigned char *b = malloc(len), *b2 = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    for (int off = 56; off <= 64; off += 8) {
        uint64_t u = 0;
        for (int i = 0; i < 8; i++) u |= (uint64_t)b[off + i] << (8 * i);
        assert_true(u == 0x7FF8000000000000ull);
    }
    /* read, written back: the same bytes */
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
    assert_int_equal(socind_state_to_bytes(t, b2, len, &len), SOCIND_OK);
    assert_memory_equal(b, b2, len);
    socind_state_free(t);
    /* another NaN in alpha, or in line, with a right checksum: refused */
    for (int off = 56; off <= 64; off += 8) {
        memcpy(b2, b, len);
        for (int i = 0; i < 8; i++) b2[off + i] = (unsigned char)(other >> (8 * i));
        test_fix_crc(b2, len);
        assert_int_equal(socind_state_from_bytes(b2, len, &t), SOCIND_ERR_FORMAT);
        assert_null(t);
    }
    /* a cell whose weight sum is negative (no rows of weights >= 0 give
       it: a finished estimate had status OK with weight_sum < 0): hi < 0
       is refused; a lo that makes the domain's Σw negative finishes with
       SOCIND_ERR_DATA */
    const double neg[2][2] = {{-3.0, 0.0}, {0.0, -5.0}};
    for (int k = 0; k < 2; k++) {
        memcpy(b2, b, len);
        size_t cell = 96 + 40 * 2; /* the first cell, after two PSU records */
        for (int j = 0; j < 2; j++) {
            uint64_t u;
            memcpy(&u, &neg[k][j], sizeof u);
            for (int i = 0; i < 8; i++) b2[cell + 32 + 8 * j + i] = (unsigned char)(u >> (8 * i));
        }
        test_fix_crc(b2, len);
        if (k == 0) {
            assert_int_equal(socind_state_from_bytes(b2, len, &t), SOCIND_ERR_FORMAT);
            assert_null(t);
        } else {
            assert_int_equal(socind_state_from_bytes(b2, len, &t), SOCIND_OK);
            socind_estimate e;
            socind_state_finish(t, NULL, &e, 1);
            assert_int_equal(e.status, SOCIND_ERR_DATA);
            socind_state_free(t);
        }
    }
    free(b), free(b2);
    socind_state_free(s);
    /* (3) weights whose sum overflows: the ratio itself is finite, but the
       estimate said OK with weight_sum NaN (the pair inf + NaN); a ratio
       does not read Σw: its figures, with weight_sum +Inf (1.5, and SE 0.5
       from the PSU terms ∓0.25) */
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_RATIO;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    double wb[2] = {1e308, 1e308}, num[2] = {1e-10, 2e-10}, den[2] = {1e-10, 1e-10};
    socind_chunk_init(&c);
    c.n = 2, c.weight = wb, c.y = num, c.y2 = den;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    socind_estimate e;
    socind_state_finish(s, NULL, &e, 1);
    assert_int_equal(e.status, SOCIND_OK);
    assert_true(isinf(e.weight_sum) && e.weight_sum > 0.0);
    assert_close(e.value, 1.5, 1e-15);
    assert_close(e.se, 0.5, 1e-15);
    socind_state_free(s);
}

/* Merging is exactly commutative: a + b and b + a hold the same sums, so
 * they finish to the same bits. A cell's sums merged as (lo + e) + lo'
 * (e the rounding error of hi + hi') were not: with lo = 1 + 2^−52,
 * lo' = 2^−54 + 2^−70 and e = 2^−54 the two orders round apart; they are
 * now (lo + lo') + e, as docs/state-format.md states, and a cell only one
 * state has is taken as it is. */
static void put_u64_at(unsigned char *b, uint64_t u) {
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(u >> (8 * i));
}
static void put_f64_at(unsigned char *b, double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put_u64_at(b, u);
}
static uint64_t get_u64_at(const unsigned char *b) {
    uint64_t u = 0;
    for (int i = 0; i < 8; i++) u |= (uint64_t)b[i] << (8 * i);
    return u;
}
static void test_merge_commutes_exactly(void **state) {
    (void)state;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_TOTAL;
    unsigned char *bytes[2];
    size_t len = 0;
    const double ys[2] = {1.0, ldexp(1.0, -54)};
    const double los[2] = {1.0 + ldexp(1.0, -52), ldexp(1.0, -54) + ldexp(1.0, -70)};
    for (int k = 0; k < 2; k++) {
        socind_state *s = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        double w[2] = {1.0, 1.0}, y[2] = {ys[k], 0.0};
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = 2, c.weight = w, c.y = y; /* rows 0 and 1: the same PSUs in both */
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
        socind_state_to_bytes(s, NULL, 0, &len);
        bytes[k] = malloc(len);
        assert_int_equal(socind_state_to_bytes(s, bytes[k], len, &len), SOCIND_OK);
        /* the lo of row 0's Σw·y: header, two PSU records, the cell's
           fixed part, Σw (hi, lo), Σw·y's hi */
        put_f64_at(bytes[k] + 96 + 80 + 32 + 24, los[k]);
        test_fix_crc(bytes[k], len);
        socind_state_free(s);
    }
    socind_estimate e[2];
    for (int k = 0; k < 2; k++) {
        socind_state *into = NULL, *from = NULL;
        assert_int_equal(socind_state_from_bytes(bytes[k], len, &into), SOCIND_OK);
        assert_int_equal(socind_state_from_bytes(bytes[1 - k], len, &from), SOCIND_OK);
        assert_int_equal(socind_state_merge(into, from), SOCIND_OK);
        assert_int_equal(socind_state_finish(into, NULL, &e[k], 1), SOCIND_OK);
        socind_state_free(into), socind_state_free(from);
    }
    assert_memory_equal(&e[0].value, &e[1].value, sizeof e[0].value);
    free(bytes[0]), free(bytes[1]);
}

/* Found by fuzz_partial_state: row counts read from bytes (up to 2^63 − 1
 * each) overflowed int64 when a domain's cells were added up at finish,
 * or two cells merged. They are now held at INT64_MAX, and a domain that
 * counts that many rows gives SOCIND_ERR_OVERFLOW. */
static void test_counts_do_not_overflow(void **state) {
    (void)state;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_TOTAL;
    socind_state *s = NULL, *t = NULL, *u = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    double w[2] = {1.0, 1.0}, y[2] = {1.0, 2.0};
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = 2, c.weight = w, c.y = y;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    size_t len;
    socind_state_to_bytes(s, NULL, 0, &len);
    unsigned char *b = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    /* each cell's three counts: 0x6000000000000000 rows */
    for (int k = 0; k < 2; k++)
        for (int f = 0; f < 3; f++)
            for (int i = 0; i < 8; i++)
                b[96 + 80 + k * (32 + 32) + 8 + 8 * f + i] = i == 7 ? 0x60 : 0;
    test_fix_crc(b, len);
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
    socind_estimate e;
    assert_int_equal(socind_state_finish(t, NULL, &e, 1), SOCIND_ERR_OVERFLOW);
    assert_int_equal(e.status, SOCIND_ERR_OVERFLOW);
    /* merged into itself's copy: each cell held at INT64_MAX */
    assert_int_equal(socind_state_from_bytes(b, len, &u), SOCIND_OK);
    assert_int_equal(socind_state_merge(u, t), SOCIND_OK);
    assert_int_equal(socind_state_finish(u, NULL, &e, 1), SOCIND_ERR_OVERFLOW);
    assert_int_equal(socind_state_to_bytes(u, b, len, &len), SOCIND_OK);
    socind_state_free(u);
    assert_int_equal(socind_state_from_bytes(b, len, &u), SOCIND_OK);
    socind_state_free(s), socind_state_free(t), socind_state_free(u);
    free(b);
}

/* Found by fuzz_partial_state: the poverty profile and the GE
 * decomposition finished bytes whose weight sums add up below 0 into
 * estimates of status OK with a negative weight_sum; every finishing path
 * now gives such an estimate SOCIND_ERR_DATA (and one whose weight sum is
 * not finite SOCIND_ERR_OVERFLOW). */
static void test_negative_weight_sums_every_path(void **state) {
    (void)state;
    const int32_t ests[3] = {SOCIND_STATE_POVERTY_PROFILE, SOCIND_STATE_GE_DECOMPOSITION,
                             SOCIND_STATE_MEAN};
    for (int m = 0; m < 3; m++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = ests[m], sp.n_groups = 2, sp.line = 25.0, sp.alpha = m == 0 ? 0.0 : 2.0;
        socind_state *s = NULL, *t = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        double w[4] = {1, 1, 1, 1}, y[4] = {5, 20, 30, 40};
        int32_t g[4] = {0, 0, 1, 1};
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = 4, c.weight = w, c.y = y, c.group = g;
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
        size_t len, count;
        socind_state_to_bytes(s, NULL, 0, &len);
        socind_state_info(s, &count, NULL, NULL, NULL);
        unsigned char *b = malloc(len);
        assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
        /* the lo of the first cell's Σw: header, four PSU records, the
           cell's fixed part, Σw's hi */
        put_f64_at(b + 96 + 4 * 40 + 32 + 8, -100.0);
        test_fix_crc(b, len);
        assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
        socind_estimate *e = malloc(count * sizeof *e);
        socind_state_finish(t, NULL, e, count);
        for (size_t i = 0; i < count; i++)
            assert_true(e[i].status != SOCIND_OK || e[i].weight_sum >= 0.0);
        free(e), free(b);
        socind_state_free(s), socind_state_free(t);
    }
}

/* Found by fuzz_partial_state: the GE decomposition's finishing reserved
 * memory for every group of n_groups, a number a 1 KB state's bytes can
 * set to 2^31 − 1 (48 bytes a group); it now works over the groups up to
 * the last that holds a cell, with the same figures. */
static void test_ge_decomposition_reserves_no_groups(void **state) {
    (void)state;
    socind_estimate e[2][SOCIND_GEDEC_COUNT];
    const int32_t ngs[2] = {2, INT32_MAX};
    for (int m = 0; m < 2; m++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = SOCIND_STATE_GE_DECOMPOSITION, sp.n_groups = ngs[m], sp.alpha = 1.0;
        socind_state *s = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        double w[5] = {1, 2, 1, 3, 1}, y[5] = {5, 20, 30, 40, 7};
        int32_t g[5] = {0, 0, 1, 1, 1};
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = 5, c.weight = w, c.y = y, c.group = g;
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
        assert_int_equal(socind_state_finish(s, NULL, e[m], SOCIND_GEDEC_COUNT), SOCIND_OK);
        socind_state_free(s);
    }
    for (int i = 0; i < SOCIND_GEDEC_COUNT; i++) {
        assert_int_equal(e[1][i].status, SOCIND_OK);
        assert_true(e[0][i].value == e[1][i].value && e[0][i].se == e[1][i].se);
    }
}

/* Nonzero when each PSU's rows of d are consecutive. */
static int psus_consecutive(const data *d) {
    for (size_t k = 1; k < d->n; k++)
        if (d->p[k] != d->p[k - 1] || d->h[k] != d->h[k - 1])
            for (size_t i = 0; i + 1 < k; i++)
                if (d->p[i] == d->p[k] && d->h[i] == d->h[k]) return 0;
    return 1;
}

/* The in-memory estimators on one thread through partial states, and on
 * 2, 3 and 8 threads, against one thread's own loops: every figure within the states' bound,
 * statuses and counts exact; a bad row is named as the lowest one; extreme incomes run on one
 * thread. */
static void test_threads(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    socind__threads_any_rows = 1;
    socind__state_own_loops = 1; /* one thread: the estimators' own loops */
    const case_t cases[] = {
        {SOCIND_STATE_TOTAL, NAN, 0, 1, 1, 0},
        {SOCIND_STATE_MEAN, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_RATIO, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_PROPORTION, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_FGT, 0.0, 0, 0, 0, 0},
        {SOCIND_STATE_FGT, 0.0, 0, 1, 1, 0},
        {SOCIND_STATE_FGT, 2.0, 1, 1, 0, 0},
        {SOCIND_STATE_POOR_COUNT, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_POVERTY_GAP_TOTAL, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_MEAN_SHORTFALL, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_WATTS, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_FGT_DECOMPOSITION, 2.0, 0, 1, 0, 0},
        {SOCIND_STATE_WATTS_DECOMPOSITION, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_GE, 0.0, 0, 1, 0, 0},
        {SOCIND_STATE_GE, 2.0, 0, 0, 0, 0},
        {SOCIND_STATE_ATKINSON, 1.0, 0, 1, 0, 0},
        {SOCIND_STATE_ATKINSON, 0.5, 0, 0, 1, 0},
        {SOCIND_STATE_GE_DECOMPOSITION, 1.0, 0, 0, 0, 0}, /* (always by group) */
        {SOCIND_STATE_GE_DECOMPOSITION, 2.0, 0, 0, 1, 0},
        {SOCIND_STATE_GE_DECOMPOSITION, -1.0, 0, 0, 0, 0},
    };
    const int32_t threads[] = {2, 3, 8, 0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const case_t *c = &cases[i];
        const size_t G = c->grouped ? (size_t)d.ng : 1, cnt = G * per_domain(c->est);
        socind_estimate *one = calloc(cnt, sizeof *one), *many = calloc(cnt, sizeof *many);
        int32_t s1 = in_memory(&d, c, one);
        /* one thread through the states (GE, Atkinson and the mean without
           domains on PSU-sorted rows: socind__state_one_thread) against the
           estimator's own loop */
        {
            socind__state_own_loops = 0;
            socind__threads_ran = 0;
            assert_int_equal(in_memory(&d, c, many), s1);
            const int routed = c->est == SOCIND_STATE_GE || c->est == SOCIND_STATE_ATKINSON ||
                               c->est == SOCIND_STATE_MEAN;
            assert_int_equal(socind__threads_ran,
                             routed && !c->grouped && psus_consecutive(&d) ? 1 : 0);
            for (size_t j = 0; j < cnt; j++) {
                cur_case = c, cur_index = j, cur_round = 1;
                same_estimate(&many[j], &one[j]);
            }
            socind__state_own_loops = 1;
        }
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            socind_options o;
            socind_options_init(&o);
            o.threads = threads[t];
            socind__threads_ran = 0;
            assert_int_equal(in_memory_opts(&d, c, &o, many), s1);
            assert_true(socind__threads_ran > 1 || threads[t] == 0);
            for (size_t j = 0; j < cnt; j++) {
                cur_case = c, cur_index = j, cur_round = (int)threads[t];
                same_estimate(&many[j], &one[j]);
            }
            /* with domains the threads take the domains: one thread's bits */
            if (c->grouped) assert_memory_equal(many, one, cnt * sizeof *one);
        }
        free(one), free(many);
    }
    /* rows in a random order (each PSU's rows apart: every thread fills a
       state of its own, merged after) */
    {
        data e = d;
        size_t *perm = malloc(d.n * sizeof *perm);
        for (size_t k = 0; k < d.n; k++) perm[k] = k;
        for (size_t k = d.n - 1; k > 0; k--) {
            size_t j = rnd() % (k + 1), t = perm[k];
            perm[k] = perm[j], perm[j] = t;
        }
        e.w = malloc(d.n * sizeof *e.w), e.y = malloc(d.n * sizeof *e.y);
        e.y2 = malloc(d.n * sizeof *e.y2), e.prop = malloc(d.n * sizeof *e.prop);
        e.fpc = malloc(d.n * sizeof *e.fpc), e.h = malloc(d.n * sizeof *e.h);
        e.p = malloc(d.n * sizeof *e.p), e.g = malloc(d.n * sizeof *e.g);
        for (size_t k = 0; k < d.n; k++) {
            size_t q = perm[k];
            e.w[k] = d.w[q], e.y[k] = d.y[q], e.y2[k] = d.y2[q], e.prop[k] = d.prop[q];
            e.fpc[k] = d.fpc[q], e.h[k] = d.h[q], e.p[k] = d.p[q], e.g[k] = d.g[q];
        }
        const case_t sh[] = {{SOCIND_STATE_FGT, 0.0, 0, 0, 0, 0},
                             {SOCIND_STATE_MEAN, NAN, 0, 0, 1, 0},
                             {SOCIND_STATE_PROPORTION, NAN, 0, 1, 0, 0}};
        for (size_t i = 0; i < 3; i++) {
            const size_t cnt = sh[i].grouped ? (size_t)e.ng : 1;
            socind_estimate *one = calloc(cnt, sizeof *one), *many = calloc(cnt, sizeof *many);
            int32_t s1 = in_memory(&e, &sh[i], one);
            socind_options o;
            socind_options_init(&o);
            o.threads = 3;
            assert_int_equal(in_memory_opts(&e, &sh[i], &o, many), s1);
            for (size_t j = 0; j < cnt; j++) {
                cur_case = &sh[i], cur_index = j, cur_round = 3;
                same_estimate(&many[j], &one[j]);
            }
            free(one), free(many);
        }
        /* the GE decomposition's cells would change at nearly every row:
           one thread's loop (no thread started), its bits */
        {
            const case_t gd = {SOCIND_STATE_GE_DECOMPOSITION, 1.0, 0, 0, 0, 0};
            socind_estimate one[SOCIND_GEDEC_COUNT], many[SOCIND_GEDEC_COUNT];
            assert_int_equal(in_memory(&e, &gd, one), SOCIND_OK);
            socind_options o;
            socind_options_init(&o);
            o.threads = 3;
            socind__threads_ran = 0;
            assert_int_equal(in_memory_opts(&e, &gd, &o, many), SOCIND_OK);
            assert_int_equal(socind__threads_ran, 0);
            assert_memory_equal(many, one, sizeof one);
        }
        free(e.w), free(e.y), free(e.y2), free(e.prop), free(e.fpc), free(e.h), free(e.p);
        free(e.g), free(perm);
    }
    /* the lowest bad row is named: incomes of ±Inf in two ranges */
    double *y = malloc(d.n * sizeof *y);
    memcpy(y, d.y, d.n * sizeof *y);
    y[d.n - 5] = INFINITY;
    y[100] = -INFINITY;
    socind_design *des;
    assert_int_equal(socind_design_new(d.n, d.w, d.h, d.p, NULL, NULL, &des), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 600000.0;
    socind_options o;
    socind_options_init(&o);
    o.threads = 4;
    socind_estimate e;
    assert_int_equal(socind_fgt(des, y, &L, 0.0, NULL, 1, &o, &e), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 100);
    assert_int_equal(e.status, SOCIND_ERR_DATA);
    /* the GE decomposition's threads leave a refused row to the one-thread
       loop, which names it (here a row in no group is not read) */
    {
        socind_estimate dec[SOCIND_GEDEC_COUNT];
        size_t bad = 0;
        while (d.g[bad] < 0 || !(d.w[bad] > 0.0) || !(d.y[bad] > 0.0)) bad++;
        const double keep = y[bad];
        y[bad] = 0.0;
        for (int32_t t = 1; t <= 4; t += 3) {
            o.threads = t;
            assert_int_equal(
                socind_ge_decomposition(des, y, 1.0, SOCIND_NONPOS_ERROR, d.g, d.ng, &o, dec),
                SOCIND_ERR_NONPOSITIVE);
            assert_int_equal(socind_last_error_row(), (int64_t)bad);
            assert_int_equal(dec[2].status, SOCIND_ERR_NONPOSITIVE);
        }
        y[bad] = keep;
        o.threads = 4;
    }
    /* incomes beyond 2^200: the call runs on one thread, which rescales */
    for (size_t k = 0; k < d.n; k++) y[k] = isnan(d.y[k]) ? NAN : ldexp(d.y[k], 700);
    socind_estimate e1, e4;
    o.threads = 1;
    assert_int_equal(socind_ge(des, y, 2.0, SOCIND_NONPOS_ERROR, NULL, 1, &o, &e1), SOCIND_OK);
    o.threads = 4;
    assert_int_equal(socind_ge(des, y, 2.0, SOCIND_NONPOS_ERROR, NULL, 1, &o, &e4), SOCIND_OK);
    assert_memory_equal(&e1, &e4, sizeof e1);
    /* a thread count out of range */
    o.threads = -1;
    assert_int_equal(socind_ge(des, y, 2.0, SOCIND_NONPOS_ERROR, NULL, 1, &o, &e4), SOCIND_ERR_ARG);
    o.threads = SOCIND_MAX_THREADS + 1;
    assert_int_equal(socind_mean(des, y, NULL, 1, &o, &e4), SOCIND_ERR_ARG);
    socind_design_free(des);
    free(y);
    socind__threads_any_rows = 0;
    socind__state_own_loops = 0;
    data_free(&d);
}

/* The threads' passes over the design's PSUs (a call without domains on
 * rows sorted by PSU: one state of the design's PSUs, finished in ranges of
 * PSUs): one stratum of thousands of PSUs, strata cut by the ranges' ends,
 * strata of one PSU under every lonely rule, PSUs and a stratum whose rows
 * are all missing under both domain rules; every estimate against one
 * thread. */
static void test_threads_psu_ranges(void **state) {
    (void)state;
    socind__threads_any_rows = 1;
    socind__state_own_loops = 1; /* one thread: the estimators' own loops */
    enum { N = 12000 };
    double *w = malloc(N * sizeof *w), *y = malloc(N * sizeof *y), *x = malloc(N * sizeof *x);
    int64_t *h = malloc(N * sizeof *h), *p = malloc(N * sizeof *p);
    /* PSUs of 1 to 6 rows */
    int64_t psu = 0;
    for (size_t k = 0; k < N;) {
        size_t len = 1 + rnd() % 6;
        for (size_t i = 0; i < len && k < N; i++, k++) p[k] = psu;
        psu++;
    }
    for (size_t k = 0; k < N; k++) {
        w[k] = 1.0 + (double)(rnd() % 400);
        y[k] = 1000.0 + (double)(rnd() % 100000);
        /* every rows of every 29th PSU missing */
        if (p[k] % 29 == 3) y[k] = NAN;
    }
    const int32_t lonely[4] = {SOCIND_LONELY_REMOVE, SOCIND_LONELY_ADJUST, SOCIND_LONELY_AVERAGE,
                               SOCIND_LONELY_CERTAINTY};
    const int32_t threads[3] = {2, 3, 7};
    for (int layout = 0; layout < 3; layout++) {
        /* 0: no strata; 1: strata of 1, 1500 and 2 PSUs, then 5 PSUs each,
           the second lonely stratum's rows all missing; 2: strata of 2 PSUs */
        for (size_t k = 0; k < N; k++) {
            const int64_t q = p[k];
            h[k] = layout == 2 ? q / 2
                   : q < 1     ? 0
                   : q < 1501  ? 1
                   : q < 1503  ? 2
                   : q < 1504  ? 3
                               : 4 + (q - 1504) / 5;
            x[k] = layout == 1 && q == 1503 ? NAN : y[k];
        }
        for (int l = 0; l < 4; l++) {
            socind_design_options dopt;
            socind_design_options_init(&dopt);
            dopt.lonely_psu = lonely[l];
            socind_design *des = NULL;
            assert_int_equal(socind_design_new(N, w, layout ? h : NULL, p, NULL, &dopt, &des),
                             SOCIND_OK);
            socind_poverty_line L;
            socind_poverty_line_init(&L);
            L.value = 30000.0;
            for (int rule = 0; rule < 2; rule++)
                for (int m = 0; m < 6; m++) {
                    socind_estimate one[SOCIND_FGTDEC_COUNT], many[SOCIND_FGTDEC_COUNT];
                    int32_t s1 = 0, sT = 0;
                    for (int t = -1; t < 3; t++) {
                        socind_options o;
                        socind_options_init(&o);
                        o.threads = t < 0 ? 1 : threads[t];
                        o.domain_rule = rule ? SOCIND_DOMAIN_RULE_FULL : SOCIND_DOMAIN_RULE_SUBSET;
                        socind_estimate *e = t < 0 ? one : many;
                        int32_t st =
                            m == 0   ? socind_fgt(des, x, &L, 0.0, NULL, 1, &o, e)
                            : m == 1 ? socind_fgt(des, x, &L, 2.0, NULL, 1, &o, e)
                            : m == 2 ? socind_mean(des, x, NULL, 1, &o, e)
                            : m == 3 ? socind_ge(des, x, 2.0, SOCIND_NONPOS_ERROR, NULL, 1, &o, e)
                            : m == 4 ? socind_fgt_decomposition(des, x, &L, 2.0, NULL, 1, &o, e)
                                     : socind_poverty_gap_total(des, x, &L, NULL, 1, &o, e);
                        if (t < 0) {
                            s1 = st;
                            continue;
                        }
                        sT = st;
                        assert_int_equal(sT, s1);
                        const int cnt = m == 4 ? SOCIND_FGTDEC_COUNT : 1;
                        for (int i = 0; i < cnt; i++) {
                            cur_case = NULL, cur_index = (size_t)i, cur_round = t;
                            const double v = one[i].value, se = one[i].se;
                            if (!(many[i].status == one[i].status && many[i].n == one[i].n &&
                                  fabs(many[i].value - v) <= TOL * fabs(v) + NOISE &&
                                  fabs(many[i].se - se) <=
                                      TOL * fabs(se) + NOISE * fmax(fabs(v), 1.0)))
                                print_message("layout %d lonely %d rule %d estimator %d "
                                              "threads %d: %g %g / %g %g (%d %d)\n",
                                              layout, (int)lonely[l], rule, m, (int)o.threads,
                                              one[i].value, one[i].se, many[i].value, many[i].se,
                                              (int)one[i].status, (int)many[i].status);
                            same_estimate(&many[i], &one[i]);
                        }
                        /* the same call with every thread refused: the
                           calling thread runs every range, and the figures
                           are bit for bit those of the threads (which
                           thread ran a range changes nothing) */
                        socind_estimate alone[SOCIND_FGTDEC_COUNT];
                        socind__parallel_no_thread = 1;
                        int32_t sa =
                            m == 0   ? socind_fgt(des, x, &L, 0.0, NULL, 1, &o, alone)
                            : m == 1 ? socind_fgt(des, x, &L, 2.0, NULL, 1, &o, alone)
                            : m == 2 ? socind_mean(des, x, NULL, 1, &o, alone)
                            : m == 3
                                ? socind_ge(des, x, 2.0, SOCIND_NONPOS_ERROR, NULL, 1, &o, alone)
                            : m == 4 ? socind_fgt_decomposition(des, x, &L, 2.0, NULL, 1, &o, alone)
                                     : socind_poverty_gap_total(des, x, &L, NULL, 1, &o, alone);
                        socind__parallel_no_thread = 0;
                        assert_int_equal(sa, sT);
                        for (int i = 0; i < cnt; i++) {
                            const socind_estimate *a = &alone[i], *b = &many[i];
                            assert_int_equal(a->status, b->status);
                            assert_int_equal(a->n, b->n);
                            const double fa[7] = {a->value, a->se,         a->ci_low, a->ci_high,
                                                  a->df,    a->weight_sum, a->deff};
                            const double fb[7] = {b->value, b->se,         b->ci_low, b->ci_high,
                                                  b->df,    b->weight_sum, b->deff};
                            assert_memory_equal(fa, fb, sizeof fa);
                        }
                    }
                }
            socind_design_free(des);
        }
    }
    socind__threads_any_rows = 0;
    socind__state_own_loops = 0;
    free(w), free(y), free(x), free(h), free(p);
}

/* A PSU of 200,001 of 400,000 rows (a design whose linearized variables'
 * sums cancel over that PSU): the in-memory GE and Atkinson (the loop the
 * threads use, 256 rows summed plainly at a time) against a state of
 * chunks (every row added as a pair of doubles) within 1e−13 relative on
 * value and SE (the same bits here; summed plainly over the whole PSU,
 * 1.4e−12 apart). */
static void test_large_psu_runs(void **state) {
    (void)state;
    /* the generator's state this test's rows have always been drawn from
       (after the tests before it): fixed, so that a test added before it
       does not change its rows. Other draws of this design put GE's and
       Atkinson's SEs up to 6.6e−13 apart (12 draws: half within 1e−13),
       state.h's limit of the linearization in doubles; 1e−13 here guards
       the folded sums (plain sums over the PSU: 1.4e−12) */
    rng_state = 2112669491544003271ULL;
    enum { N = 400000 };
    double *w = malloc(N * sizeof *w), *y = malloc(N * sizeof *y);
    int64_t *p = malloc(N * sizeof *p), *h = malloc(N * sizeof *h);
    assert_true(w && y && p && h);
    int64_t psu = 0;
    for (size_t k = 0; k < N; psu++) {
        const size_t len = k <= N / 3 && N / 3 < k + 7 ? N / 2 + 1 : 1 + rnd() % 7;
        for (size_t i = 0; i < len && k < N; i++, k++) p[k] = psu;
    }
    for (size_t k = 0; k < N; k++) {
        w[k] = 0.5 + 10.0 * (double)(rnd() >> 11) * 0x1p-53;
        y[k] = exp(2.0 * (double)(rnd() >> 11) * 0x1p-53 - 0.5);
        h[k] = 0;
    }
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_ADJUST;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, &dopt, &d), SOCIND_OK);
    for (int m = 0; m < 3; m++) {
        const double par = m == 0 ? 2.0 : m == 1 ? 0.5 : 1.0;
        socind_estimate mem, st;
        if (m == 0)
            assert_int_equal(socind_ge(d, y, par, SOCIND_NONPOS_ERROR, NULL, 1, NULL, &mem),
                             SOCIND_OK);
        else
            assert_int_equal(socind_atkinson(d, y, par, SOCIND_NONPOS_ERROR, NULL, 1, NULL, &mem),
                             SOCIND_OK);
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = m == 0 ? SOCIND_STATE_GE : SOCIND_STATE_ATKINSON;
        sp.has_strata = sp.has_psu = 1;
        sp.lonely_psu = SOCIND_LONELY_ADJUST;
        sp.alpha = par;
        socind_state *s = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        for (size_t k0 = 0; k0 < N; k0 += 10007) {
            socind_chunk ch;
            socind_chunk_init(&ch);
            ch.n = N - k0 < 10007 ? N - k0 : 10007;
            ch.first_row = (int64_t)k0;
            ch.weight = w + k0, ch.strata = h + k0, ch.psu = p + k0, ch.y = y + k0;
            assert_int_equal(socind_state_add(s, &ch), SOCIND_OK);
        }
        assert_int_equal(socind_state_finish(s, NULL, &st, 1), SOCIND_OK);
        assert_close(mem.value, st.value, 1e-13);
        assert_close(mem.se, st.se, 1e-13);
        socind_state_free(s);
    }
    socind_design_free(d);
    free(w), free(y), free(p), free(h);
}

/* A design whose one PSU holds half of 400,000 rows, by five domains: the
 * one-thread loops of totals, means, ratios, proportions and the fixed-line
 * poverty measures against a chunked state. A PSU's rows summed plainly
 * differ from the state's pairs of doubles by up to (m − 1)·2^−53 of their
 * magnitudes (here 4e−13 to 1.1e−12 of an SE); folded every 256 rows into a
 * compensated sum (internal.h) the two agree within 1e−13 (7e−14 measured).
 * (GE, Atkinson, the Watts decomposition's and the profile's ratios of
 * totals differ by more on this design — 2e−13 to 6e−12 of an SE —
 * through their coefficients: a PSU holding half the sample has a
 * linearized total that is a small difference of large terms, each
 * coefficient's last bit reaching it, in memory and in a state alike.) */
static void test_large_psu_every_family(void **state) {
    (void)state;
    enum { N = 400000 };
    data d = {.n = N, .ng = 5};
    d.w = malloc(N * sizeof *d.w), d.y = malloc(N * sizeof *d.y);
    d.y2 = malloc(N * sizeof *d.y2), d.prop = malloc(N * sizeof *d.prop);
    d.fpc = malloc(N * sizeof *d.fpc);
    d.h = malloc(N * sizeof *d.h), d.p = malloc(N * sizeof *d.p);
    d.g = malloc(N * sizeof *d.g);
    assert_true(d.w && d.y && d.y2 && d.prop && d.fpc && d.h && d.p && d.g);
    int64_t psu = 0;
    for (size_t k = 0; k < N; psu++) {
        const size_t len = k <= N / 3 && N / 3 < k + 7 ? N / 2 + 1 : 1 + rnd() % 7;
        for (size_t i = 0; i < len && k < N; i++, k++) d.p[k] = psu, d.h[k] = psu % 3;
    }
    for (size_t k = 0; k < N; k++) {
        const double u1 = (double)(rnd() >> 11) * 0x1p-53, u2 = (double)(rnd() >> 11) * 0x1p-53;
        d.w[k] = k % 97 == 5 ? 0.0 : 0.5 + 10.0 * (double)(rnd() >> 11) * 0x1p-53;
        d.y[k] = k % 61 == 7 ? NAN : 600000.0 * exp(1.6 * u1 - 0.6);
        d.y2[k] = 500000.0 + 200000.0 * u2;
        d.prop[k] = isnan(d.y[k]) ? NAN : (d.y[k] < 600000.0 ? 1.0 : 0.0);
        d.fpc[k] = 1e6;
        d.g[k] = k % 53 == 11 ? -1 : (int32_t)(k % 5);
    }
    const case_t cases[] = {
        {SOCIND_STATE_TOTAL, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_TOTAL, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_MEAN, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_MEAN, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_RATIO, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_RATIO, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_PROPORTION, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_PROPORTION, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_FGT, 0.0, 0, 0, 0, 0},
        {SOCIND_STATE_FGT, 0.0, 0, 1, 0, 0},
        {SOCIND_STATE_FGT, 1.0, 0, 0, 0, 0},
        {SOCIND_STATE_FGT, 2.0, 1, 1, 0, 0},
        {SOCIND_STATE_FGT, 1.5, 1, 0, 0, 0},
        {SOCIND_STATE_POOR_COUNT, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_POVERTY_GAP_TOTAL, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_MEAN_SHORTFALL, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_WATTS, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_FGT_DECOMPOSITION, 2.0, 0, 1, 0, 0},
    };
    size_t *order = malloc(N * sizeof *order);
    for (size_t k = 0; k < N; k++) order[k] = k;
    socind__state_own_loops = 1; /* the mean's own loop too */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const case_t *c = &cases[i];
        const size_t cnt = (c->grouped ? (size_t)d.ng : 1) * per_domain(c->est);
        socind_estimate *ref = calloc(cnt, sizeof *ref), *got = calloc(cnt, sizeof *got);
        assert_int_equal(in_memory(&d, c, ref), SOCIND_OK);
        /* the large PSU split between the two chunks */
        socind_state *s = state_of(&d, c, order, 0, 150001);
        socind_state *t = state_of(&d, c, order, 150001, N);
        assert_int_equal(socind_state_merge(s, t), SOCIND_OK);
        assert_int_equal(socind_state_finish(s, NULL, got, cnt), SOCIND_OK);
        for (size_t j = 0; j < cnt; j++) {
            cur_case = c, cur_index = j, cur_round = -1;
            if (!(fabs(got[j].se - ref[j].se) <= 1e-13 * ref[j].se)) say_case();
            assert_close(got[j].value, ref[j].value, 1e-13);
            assert_close(got[j].se, ref[j].se, 1e-13);
        }
        socind_state_free(s), socind_state_free(t);
        free(ref), free(got);
    }
    socind__state_own_loops = 0;
    free(order);
    free(d.w), free(d.y), free(d.y2), free(d.prop), free(d.fpc), free(d.h), free(d.p), free(d.g);
}

/* With domains, several threads take the domains, each domain computed as
 * on one thread: every by-domain estimator gives one thread's bits for any
 * thread count (more threads than domains too), with threads that cannot
 * start, and names one thread's row when a later domain meets a bad row. */
static void test_domains_on_threads(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    socind_design *des;
    assert_int_equal(socind_design_new(d.n, d.w, d.h, d.p, d.fpc, NULL, &des), SOCIND_OK);
    socind_poverty_line L, R;
    socind_poverty_line_init(&L);
    L.value = 600000.0;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_PER_ROW;
    R.lines = d.y2;
    socind_poverty_line Q, M; /* relative lines: 60% of the median, half the mean */
    socind_poverty_line_init(&Q);
    Q.type = SOCIND_LINE_RELATIVE_QUANTILE, Q.value = 0.6;
    socind_poverty_line_init(&M);
    M.type = SOCIND_LINE_RELATIVE_MEAN, M.value = 0.5;
    const int32_t G = d.ng;
    enum { NM = 25 };
    const size_t per[NM] = {
        1, 1, 1, 1, 1, 1, 1, SOCIND_FGTDEC_COUNT, SOCIND_WATTSDEC_COUNT, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, SOCIND_FGTDEC_COUNT};
    socind_estimate *one = calloc((size_t)G * SOCIND_FGTDEC_COUNT, sizeof *one),
                    *many = calloc((size_t)G * SOCIND_FGTDEC_COUNT, sizeof *many);
    socind__threads_any_rows = 1;
    const int32_t threads[] = {1, 2, 3, 8, 0, 2, 3};
    for (int m = 0; m < NM; m++) {
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            socind_options o;
            socind_options_init(&o);
            o.threads = threads[t];
            if (m == 6) o.prop_ci = SOCIND_PROP_CI_LIKELIHOOD;
            /* the last two rounds: no thread starts, or every second one */
            socind__parallel_no_thread = t == 5 ? 1 : t == 6 ? 2 : 0;
            socind_estimate *e = t == 0 ? one : many;
            socind__threads_ran = 0;
            int32_t st;
            switch (m) {
            case 0:
                st = socind_total(des, d.y, d.g, G, &o, e);
                break;
            case 1:
                st = socind_mean(des, d.y, d.g, G, &o, e);
                break;
            case 2:
                st = socind_ratio(des, d.y, d.y2, d.g, G, &o, e);
                break;
            case 3:
                st = socind_proportion(des, d.prop, d.g, G, &o, e);
                break;
            case 4:
                st = socind_fgt(des, d.y, &L, 0.0, d.g, G, &o, e);
                break;
            case 5:
                st = socind_fgt(des, d.y, &R, 2.0, d.g, G, &o, e);
                break;
            case 6:
                st = socind_proportion(des, d.prop, d.g, G, &o, e);
                break;
            case 7:
                st = socind_fgt_decomposition(des, d.y, &L, 2.0, d.g, G, &o, e);
                break;
            case 8:
                st = socind_watts_decomposition(des, d.y, &R, SOCIND_NONPOS_ERROR, d.g, G, &o, e);
                break;
            case 9:
                st = socind_watts(des, d.y, &L, SOCIND_NONPOS_ERROR, d.g, G, &o, e);
                break;
            case 10:
                st = socind_mean_shortfall(des, d.y, &L, d.g, G, &o, e);
                break;
            case 11:
                st = socind_ge(des, d.y, 0.0, SOCIND_NONPOS_ERROR, d.g, G, &o, e);
                break;
            case 12:
                st = socind_ge(des, d.y, 2.0, SOCIND_NONPOS_ERROR, d.g, G, &o, e);
                break;
            case 13:
                st = socind_atkinson(des, d.y, 0.5, SOCIND_NONPOS_ERROR, d.g, G, &o, e);
                break;
            case 14:
                st = socind_gini(des, d.y, d.g, G, &o, e);
                break;
            case 15:
                st = socind_quantile(des, d.y, 0.5, d.g, G, &o, e);
                break;
            case 16:
                st = socind_share_ratio(des, d.y, 0.2, 0.8, d.g, G, &o, e);
                break;
            case 17:
                st = socind_lorenz(des, d.y, 0.4, d.g, G, &o, e);
                break;
            case 18:
                st = socind_poor_count(des, d.y, &L, d.g, G, &o, e);
                break;
            case 19:
                st = socind_fgt(des, d.y, &Q, 0.0, d.g, G, &o, e);
                break;
            case 20:
                st = socind_fgt(des, d.y, &M, 1.0, d.g, G, &o, e);
                break;
            case 21:
                st = socind_poor_count(des, d.y, &Q, d.g, G, &o, e);
                break;
            case 22:
                st = socind_watts(des, d.y, &Q, SOCIND_NONPOS_EXCLUDE, d.g, G, &o, e);
                break;
            case 23:
                st = socind_mean_shortfall(des, d.y, &M, d.g, G, &o, e);
                break;
            default:
                st = socind_fgt_decomposition(des, d.y, &Q, 2.0, d.g, G, &o, e);
                break;
            }
            socind__parallel_no_thread = 0;
            assert_int_equal(st, SOCIND_OK);
            /* relative lines too: the threads took the domains */
            if (m >= 19 && t > 0 && t < 5) assert_true(socind__threads_ran >= 2);
            if (t > 0) {
                if (memcmp(many, one, (size_t)G * per[m] * sizeof *one) != 0)
                    print_error("estimator %d, threads %d\n", m, (int)threads[t]);
                assert_memory_equal(many, one, (size_t)G * per[m] * sizeof *one);
            }
        }
    }
    /* a bad income in the last row of domain 1 and in the first row of the
       largest domain, which the threads take first: domain 1's is named,
       as on one thread */
    double *y = malloc(d.n * sizeof *y);
    memcpy(y, d.y, d.n * sizeof *y);
    int64_t size[64] = {0};
    assert_true(G <= 64);
    for (size_t k = 0; k < d.n; k++)
        if (d.g[k] >= 0) size[d.g[k]]++;
    int32_t big = 0;
    for (int32_t j = 1; j < G; j++)
        if (size[j] > size[big]) big = j;
    const int32_t low = big == 1 ? 0 : 1;
    assert_true(low < big);
    size_t late = d.n, first_big = d.n;
    for (size_t k = d.n; k-- > 0 && late == d.n;)
        if (d.g[k] == low) late = k;
    for (size_t k = 0; k < d.n && first_big == d.n; k++)
        if (d.g[k] == big) first_big = k;
    assert_true(late < d.n && first_big < d.n);
    y[late] = INFINITY, y[first_big] = -INFINITY;
    for (size_t t = 0; t < 4; t++) {
        socind_options o;
        socind_options_init(&o);
        o.threads = threads[t];
        assert_int_equal(socind_fgt(des, y, &L, 1.0, d.g, G, &o, one), SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), (int64_t)late);
        assert_int_equal(socind_mean(des, y, d.g, G, &o, one), SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), (int64_t)late);
        assert_int_equal(socind_ge(des, y, 1.0, SOCIND_NONPOS_ERROR, d.g, G, &o, one),
                         SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), (int64_t)late);
        assert_int_equal(one[0].status, SOCIND_ERR_DATA);
    }
    /* a domain whose estimate has a status of its own leaves its detail
       (a lonely stratum under 'average' with nothing to average): the
       same after the call on threads */
    {
        enum { M = 4000 };
        double *w = malloc(M * sizeof *w), *x = malloc(M * sizeof *x);
        int64_t *h = malloc(M * sizeof *h), *p = malloc(M * sizeof *p);
        int32_t *g = malloc(M * sizeof *g);
        for (size_t k = 0; k < M; k++) {
            w[k] = 1.0 + (double)(k % 5), x[k] = 100.0 + (double)((k * 7919) % 1000);
            if (k < 1000)
                h[k] = 0, p[k] = 0, g[k] = 1; /* stratum 0: one PSU, domain 1 */
            else
                h[k] = 1, p[k] = 1 + (int64_t)(k / 50), g[k] = (int32_t)(k % 2) * 2;
        }
        socind_design_options dop;
        socind_design_options_init(&dop);
        dop.lonely_psu = SOCIND_LONELY_AVERAGE;
        socind_design *dl;
        assert_int_equal(socind_design_new(M, w, h, p, NULL, &dop, &dl), SOCIND_OK);
        char d1[600];
        int64_t r1 = 0;
        for (size_t t = 0; t < 4; t++) {
            socind_options o;
            socind_options_init(&o);
            o.threads = threads[t];
            assert_int_equal(socind_mean(dl, x, g, 3, &o, t == 0 ? one : many), SOCIND_OK);
            if (t == 0) {
                assert_int_equal(one[1].status, SOCIND_ERR_LONELY_PSU);
                assert_true(socind_last_error_detail()[0] != '\0');
                snprintf(d1, sizeof d1, "%s", socind_last_error_detail());
                r1 = socind_last_error_row();
            } else {
                assert_memory_equal(many, one, 3 * sizeof *one);
                assert_string_equal(socind_last_error_detail(), d1);
                assert_int_equal(socind_last_error_row(), r1);
            }
        }
        socind_design_free(dl);
        free(w), free(x), free(h), free(p), free(g);
    }
    /* how many threads take the domains: at most G, two at least, no more
       than keep the work spaces beyond the first within 16 bytes a row */
    assert_int_equal(socind__domain_threads(8, 100, 1000, 80.0 * 500), 2);
    assert_int_equal(socind__domain_threads(8, 100, 10000000, 80.0 * 250000), 8);
    assert_int_equal(socind__domain_threads(64, 1000, 10000000, 80.0 * 250000), 9);
    assert_int_equal(socind__domain_threads(8, 3, 10000000, 1.0), 3);
    assert_int_equal(socind__domain_threads(1, 100, 10000000, 1.0), 1);
    assert_int_equal(socind__domain_threads(8, 1, 10000000, 1.0), 1);
    socind__threads_any_rows = 0;
    free(y), free(one), free(many);
    socind_design_free(des);
    data_free(&d);
}

/* Domains learned as rows arrive: a state made with fewer domains, raised
 * to all of them (socind_state_set_groups) before the rows of the last
 * ones, finishes as the in-memory call with all of them. */
static void test_set_groups(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    const case_t cases[] = {{SOCIND_STATE_MEAN, NAN, 0, 1, 0, 0},
                            {SOCIND_STATE_POVERTY_PROFILE, 0.0, 0, 1, 0, 0}};
    size_t *first = malloc(d.n * sizeof *first), *rest = malloc(d.n * sizeof *rest);
    size_t nf = 0, nr = 0;
    for (size_t k = 0; k < d.n; k++) {
        if (d.g[k] < d.ng - 2)
            first[nf++] = k;
        else
            rest[nr++] = k;
    }
    for (size_t i = 0; i < 2; i++) {
        const case_t *c = &cases[i];
        const size_t cnt = (size_t)d.ng * per_domain(c->est);
        socind_estimate *ref = calloc(cnt, sizeof *ref), *got = calloc(cnt, sizeof *got);
        int32_t st_ref = in_memory(&d, c, ref);
        data e = d;
        e.ng = d.ng - 2;
        socind_state *s = state_of(&e, c, first, 0, nf);
        assert_int_equal(socind_state_set_groups(s, d.ng - 3), SOCIND_ERR_ARG);
        assert_int_equal(socind_state_set_groups(s, d.ng), SOCIND_OK);
        socind_state *t = state_of(&d, c, rest, 0, nr);
        assert_int_equal(socind_state_merge(s, t), SOCIND_OK);
        assert_int_equal(socind_state_finish(s, NULL, got, cnt), st_ref);
        for (size_t j = 0; j < cnt; j++) {
            cur_case = c, cur_index = j, cur_round = -1;
            same_estimate(&got[j], &ref[j]);
        }
        socind_state_free(s), socind_state_free(t);
        free(ref), free(got);
    }
    /* a state without domains keeps none */
    const case_t c0 = {SOCIND_STATE_MEAN, NAN, 0, 0, 0, 0};
    socind_state *s = state_of(&d, &c0, first, 0, 10);
    assert_int_equal(socind_state_set_groups(s, 3), SOCIND_ERR_ARG);
    assert_int_equal(socind_state_set_groups(NULL, 3), SOCIND_ERR_NULL);
    socind_state_free(s);
    free(first), free(rest);
    data_free(&d);
}

/* The state of spec sp over one chunk c, through every pass it takes (a
 * relative line: a pass for the line first), finished with o into e[0 ..
 * count): the finish's status. */
static int32_t one_chunk_state(const socind_state_spec *sp, const socind_chunk *c,
                               const socind_options *o, socind_estimate *e, size_t count) {
    socind_state *st = NULL;
    assert_int_equal(socind_state_new(sp, &st), SOCIND_OK);
    assert_int_equal(socind_state_add(st, c), SOCIND_OK);
    for (;;) {
        int32_t pass, passes;
        assert_int_equal(socind_state_passes(st, &pass, &passes), SOCIND_OK);
        if (pass >= passes) break;
        socind_state *next = NULL;
        assert_int_equal(socind_state_next_pass(st, &next), SOCIND_OK);
        socind_state_free(st);
        st = next;
        assert_int_equal(socind_state_add(st, c), SOCIND_OK);
    }
    const int32_t ss = socind_state_finish(st, o, e, count);
    socind_state_free(st);
    return ss;
}

/* A group that holds every row of weight > 0: its share of the people is
 * exactly 1 and so is its share of the poverty (H_g = H), and their
 * linearized variables are 0 row by row, so R's svyratio gives SE 0. Both
 * shares carry a part of their own and a whole-sample part (which cancel
 * only up to rounding): SEs of about 1e−8 came out, in memory and from
 * states alike. Now exactly 1 and 0 on both paths. Tiny random designs
 * (one to three strata, some PSUs of one row, a lonely PSU averaged),
 * α = 0, 1, 2, a line of 50 or 0.6 of the mean or the median; the group
 * alone (1 group) or beside an empty one, or one whose rows all have
 * weight 0 in PSUs of their own, after the group's rows or among them
 * (there the in-memory sums of the whole sample's PSUs, added run by run,
 * can differ from the group's in the last bit: the share is 1 all the
 * same). (A generator of its own: the other tests' draws stay as they
 * were.) */
static void test_profile_share_of_every_row(void **state) {
    (void)state;
    enum { MAXN = 12 };
    uint64_t seed = 20261205;
    int tested = 0;
    for (int draw = 0; draw < 900; draw++) {
        const size_t n = 4 + (size_t)(xorshift(&seed) % 5), extra = draw % 3 == 2 ? 2 : 0;
        const size_t N = n + extra;
        double w[MAXN], y[MAXN];
        int64_t h[MAXN], p[MAXN];
        int32_t g[MAXN];
        const int64_t H = 1 + (int64_t)(xorshift(&seed) % 3);
        for (size_t k = 0; k < n; k++) {
            h[k] = (int64_t)(xorshift(&seed) % (uint64_t)H);
            p[k] = h[k] * 10 + (int64_t)(xorshift(&seed) % 3);
            w[k] = 0.5 + (double)(xorshift(&seed) % 9000) / 997.0;
            y[k] = k == 0 ? 10.0 : 20.0 + (double)(xorshift(&seed) % 1000) / 10.0;
            g[k] = 0;
        }
        if (draw == 0) { /* the case the bug was first seen on */
            const double w0[6] = {8, 3, 4, 8, 6, 2};
            const double y0[6] = {10,
                                  0x1.8b2b7134b0604p+6,
                                  0x1.625b4c8a3d406p+5,
                                  0x1.45e080738f838p+6,
                                  0x1.ef6baa1ead7bdp+5,
                                  0x1.b38b59f2a4698p+5};
            const int64_t p0[6] = {1, 1, 2, 1, 1, 0};
            for (size_t k = 0; k < 6; k++) w[k] = w0[k], y[k] = y0[k], h[k] = 0, p[k] = p0[k];
            for (size_t k = 6; k < n; k++) w[k] = 0.0, y[k] = 60.0, h[k] = 0, p[k] = 0;
        }
        for (size_t k = n; k < N; k++) { /* group 1: weight 0, PSUs of their own */
            h[k] = 0, p[k] = 1000 + (int64_t)k, w[k] = 0.0, y[k] = 30.0, g[k] = 1;
        }
        const int among = extra && draw % 2; /* group 1's rows among group 0's */
        for (size_t j = 0; among && j < extra; j++) {
            const size_t to = 1 + j * 2, from = n + j; /* (row 0, the poor one, stays) */
            double tw = w[to], ty = y[to];
            int64_t th = h[to], tp = p[to];
            int32_t tg = g[to];
            w[to] = w[from], y[to] = y[from], h[to] = h[from], p[to] = p[from], g[to] = g[from];
            w[from] = tw, y[from] = ty, h[from] = th, p[from] = tp, g[from] = tg;
        }
        const int32_t G = draw % 3 == 0 ? 1 : 2;
        const double alpha = (double)(draw % 3 == 1 ? 1 : draw % 2 ? 2 : 0);
        socind_design_options o;
        socind_design_options_init(&o);
        o.lonely_psu = SOCIND_LONELY_AVERAGE;
        socind_design *d = NULL;
        assert_int_equal(socind_design_new(N, w, h, p, NULL, &o, &d), SOCIND_OK);
        /* the line: 50, 0.6 of the mean, 0.6 of the median (in turn) */
        const int32_t ltype = draw % 5 < 3    ? SOCIND_LINE_ABSOLUTE
                              : draw % 5 == 3 ? SOCIND_LINE_RELATIVE_MEAN
                                              : SOCIND_LINE_RELATIVE_QUANTILE;
        const double lval = ltype == SOCIND_LINE_ABSOLUTE ? 50.0 : 0.6;
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        L.type = ltype, L.value = lval;
        socind_estimate m[2 * SOCIND_PROFILE_COUNT], e[2 * SOCIND_PROFILE_COUNT];
        const int32_t sm = socind_poverty_profile(d, y, &L, alpha, g, G, NULL, m);
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = SOCIND_STATE_POVERTY_PROFILE;
        sp.n_groups = G;
        sp.has_strata = sp.has_psu = 1;
        sp.lonely_psu = SOCIND_LONELY_AVERAGE;
        sp.line_type = ltype, sp.line = lval;
        sp.alpha = alpha;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = N, c.weight = w, c.strata = h, c.psu = p, c.group = g, c.y = y;
        const int32_t ss =
            one_chunk_state(&sp, &c, NULL, e, (size_t)G * (size_t)SOCIND_PROFILE_COUNT);
        assert_int_equal(sm, SOCIND_OK);
        assert_int_equal(ss, SOCIND_OK);
        /* (no SE on either path where df <= 0, the PSUs of weight > 0 no
           more than their strata, or where every stratum has one PSU, so
           that "average" has none to average) */
        const int no_df = m[SOCIND_PROFILE_SHARE].status != SOCIND_OK;
        assert_int_equal(e[SOCIND_PROFILE_SHARE].status, m[SOCIND_PROFILE_SHARE].status);
        tested += !no_df;
        for (int path = 0; path < 2 && !no_df; path++) {
            const socind_estimate *x = path ? e : m;
            const socind_estimate *share = &x[SOCIND_PROFILE_SHARE],
                                  *cshare = &x[SOCIND_PROFILE_CONTRIBUTION_SHARE];
            assert_int_equal(share->status, SOCIND_OK);
            assert_int_equal(cshare->status, SOCIND_OK); /* (row 0 is poor) */
            assert_true(share->value == 1.0);
            assert_true(share->se == 0.0);
            assert_true(cshare->value == 1.0);
            assert_true(cshare->se == 0.0);
            if (G == 2) /* the other group: no row of weight > 0 */
                assert_int_equal(x[SOCIND_PROFILE_COUNT + SOCIND_PROFILE_SHARE].status,
                                 m[SOCIND_PROFILE_COUNT + SOCIND_PROFILE_SHARE].status);
        }
        socind_design_free(d);
    }
    assert_true(tested >= 450);
}

/* The group that holds every row is found by its rows' weights, not by
 * their sign: a calibrated design's negative weights in another group
 * leave its shares above 1 (the poverty's with its SE), and a state whose
 * used rows all have weight 0 (the rows of weight > 0 have no income)
 * gives every share undefined, as in memory, not 1. */
static void test_profile_share_not_of_every_row(void **state) {
    (void)state;
    enum { N = 6 };
    double w[N] = {1, 1, 1, 1, 1, 1}, y[N] = {10, 60, 20, 70, 15, 30}, x[N] = {1, 1, 1, 1, 10, 10};
    int64_t h[N] = {0, 0, 0, 0, 0, 0}, p[N] = {1, 2, 3, 1, 2, 3};
    int32_t g[N] = {0, 0, 0, 0, 1, 1};
    socind_design *d0 = NULL, *d = NULL;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d0), SOCIND_OK);
    socind_calibration cal;
    socind_calibration_init(&cal);
    cal.method = SOCIND_CAL_LINEAR, cal.n_numeric = 1, cal.x = x;
    double total = 0.0, wc[N];
    cal.x_totals = &total;
    assert_int_equal(socind_calibrate(d0, &cal, wc, NULL, &d), SOCIND_OK);
    assert_true(wc[0] > 0.0 && wc[4] < 0.0); /* (what the test is about) */
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 50.0;
    socind_estimate m[2 * SOCIND_PROFILE_COUNT];
    for (int nogroup = 0; nogroup <= 1; nogroup++) {
        if (nogroup) g[4] = g[5] = -1;
        assert_int_equal(socind_poverty_profile(d, y, &L, 0.0, g, 2, NULL, m), SOCIND_OK);
        const socind_estimate *share = &m[SOCIND_PROFILE_SHARE],
                              *cshare = &m[SOCIND_PROFILE_CONTRIBUTION_SHARE];
        double nw = 0.0, nall = 0.0, hw = 0.0, hall = 0.0;
        for (size_t k = 0; k < N; k++) {
            nall += wc[k], hall += y[k] < 50.0 ? wc[k] : 0.0;
            if (g[k] == 0) nw += wc[k], hw += y[k] < 50.0 ? wc[k] : 0.0;
        }
        assert_close(share->value, nw / nall, 1e-12);
        /* (x, and so the calibration, separates the groups: the share's
           SE is 0 in exact arithmetic, rounding noise here) */
        assert_true(share->value > 1.0 && share->se < 1e-12);
        assert_close(cshare->value, hw / hall, 1e-12);
        assert_true(cshare->value > 1.0 && cshare->se > 1e-3);
    }
    socind_design_free(d0), socind_design_free(d);
    /* every row with an income has weight 0 */
    const double w0[N] = {0, 0, 0, 0, 2, 3}, y0[N] = {10, 60, 20, 70, NAN, NAN};
    const int32_t g0[N] = {0, 0, 1, 1, 0, 1};
    assert_int_equal(socind_design_new(N, w0, h, p, NULL, NULL, &d), SOCIND_OK);
    const int32_t sm = socind_poverty_profile(d, y0, &L, 0.0, g0, 2, NULL, m);
    socind_design_free(d);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_POVERTY_PROFILE;
    sp.n_groups = 2, sp.has_strata = sp.has_psu = 1, sp.line = 50.0, sp.alpha = 0.0;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w0, c.strata = h, c.psu = p, c.group = g0, c.y = y0;
    socind_estimate e[2 * SOCIND_PROFILE_COUNT];
    assert_int_equal(one_chunk_state(&sp, &c, NULL, e, 2 * SOCIND_PROFILE_COUNT), sm);
    for (int i = 0; i < 2 * SOCIND_PROFILE_COUNT; i++) {
        assert_int_equal(e[i].status, m[i].status);
        assert_int_not_equal(e[i].status, SOCIND_OK);
        assert_true(isnan(e[i].value) && isnan(m[i].value));
    }
}

/* A domain whose rows all have weight 0: FGT, Watts and their
 * decompositions have no estimate (SOCIND_ERR_EMPTY_DOMAIN), and count the
 * domain's rows (n: rows used, zero weights included; weight_sum 0), in
 * memory and from a state alike. */
static void test_zero_weight_domain_counts_its_rows(void **state) {
    (void)state;
    enum { N = 7 };
    const double w[N] = {1, 0, 1, 0, 0, 1, 1}, y[N] = {10, 20, 30, 40, 50, 60, 70};
    const int64_t h[N] = {0, 0, 0, 1, 1, 1, 1}, p[N] = {1, 2, 3, 4, 5, 6, 7};
    const int32_t g[N] = {0, 0, 0, 1, 1, 2, 2};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 35.0;
    const int32_t est[4] = {SOCIND_STATE_FGT, SOCIND_STATE_WATTS, SOCIND_STATE_FGT_DECOMPOSITION,
                            SOCIND_STATE_WATTS_DECOMPOSITION};
    const int per[4] = {1, 1, SOCIND_FGTDEC_COUNT, SOCIND_WATTSDEC_COUNT};
    for (int k = 0; k < 4; k++) {
        socind_estimate m[3 * SOCIND_FGTDEC_COUNT], e[3 * SOCIND_FGTDEC_COUNT];
        const size_t K = (size_t)per[k];
        int32_t sm;
        if (k == 0)
            sm = socind_fgt(d, y, &L, 0.0, g, 3, NULL, m);
        else if (k == 1)
            sm = socind_watts(d, y, &L, 0, g, 3, NULL, m);
        else if (k == 2)
            sm = socind_fgt_decomposition(d, y, &L, 2.0, g, 3, NULL, m);
        else
            sm = socind_watts_decomposition(d, y, &L, 0, g, 3, NULL, m);
        assert_int_equal(sm, SOCIND_OK);
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = est[k];
        sp.n_groups = 3, sp.has_strata = sp.has_psu = 1, sp.line = 35.0;
        sp.alpha = k == 2 ? 2.0 : 0.0;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = N, c.weight = w, c.strata = h, c.psu = p, c.group = g, c.y = y;
        assert_int_equal(one_chunk_state(&sp, &c, NULL, e, 3 * K), SOCIND_OK);
        for (size_t i = K; i < 2 * K; i++) { /* domain 1: two rows of weight 0 */
            assert_int_equal(m[i].status, SOCIND_ERR_EMPTY_DOMAIN);
            assert_int_equal(m[i].n, 2);
            assert_true(m[i].weight_sum == 0.0);
            assert_int_equal(e[i].status, m[i].status);
            assert_int_equal(e[i].n, m[i].n);
            assert_true(e[i].weight_sum == 0.0);
        }
        assert_int_equal(m[0].n, 3);
        assert_int_equal(e[0].n, 3);
    }
    /* without domains, a sample whose usable rows all have weight 0 has no
       usable observation: the call is refused, in memory and from a state */
    const double yz[N] = {NAN, 20, NAN, 40, 50, NAN, NAN};
    socind_estimate m, e;
    assert_int_equal(socind_fgt(d, yz, &L, 0.0, NULL, 0, NULL, &m), SOCIND_ERR_EMPTY);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_FGT;
    sp.has_strata = sp.has_psu = 1, sp.line = 35.0, sp.alpha = 0.0;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w, c.strata = h, c.psu = p, c.y = yz;
    assert_int_equal(one_chunk_state(&sp, &c, NULL, &e, 1), SOCIND_ERR_EMPTY);
    socind_design_free(d);
}

/* The mean and the proportion likewise: a domain whose rows all weigh 0
 * has no estimate (SOCIND_ERR_EMPTY_DOMAIN, n its rows, weight_sum 0) in
 * memory on one and two threads and from a state, where it said
 * SOCIND_ERR_DATA; a call whose rows with a value all weigh 0 is
 * SOCIND_ERR_EMPTY, naming the weights, on every path. */
static void test_zero_weight_domain_mean(void **state) {
    (void)state;
    enum { N = 7 };
    const double w[N] = {1, 0, 1, 0, 0, 1, 1}, y[N] = {1, 0, 1, 0, 1, 0, 1};
    const double ym[N] = {NAN, 0, NAN, 0, 1, NAN, NAN};
    const int64_t h[N] = {0, 0, 0, 1, 1, 1, 1}, p[N] = {1, 2, 3, 4, 5, 6, 7};
    const int32_t g[N] = {0, 0, 0, 1, 1, 2, 2};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
    for (int k = 0; k < 2; k++) {
        const int32_t est = k ? SOCIND_STATE_PROPORTION : SOCIND_STATE_MEAN;
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = est;
        sp.n_groups = 3, sp.has_strata = sp.has_psu = 1;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = N, c.weight = w, c.strata = h, c.psu = p, c.group = g, c.y = y;
        socind_estimate e[3], m[3];
        assert_int_equal(one_chunk_state(&sp, &c, NULL, e, 3), SOCIND_OK);
        for (int32_t threads = 1; threads <= 2; threads++) {
            socind_options o;
            socind_options_init(&o);
            o.threads = threads;
            socind__threads_any_rows = threads > 1; /* threads on 7 rows */
            assert_int_equal((k ? socind_proportion : socind_mean)(d, y, g, 3, &o, m), SOCIND_OK);
            for (int j = 0; j < 3; j++) {
                const socind_estimate *x = j == 1 ? &m[j] : &e[j];
                assert_int_equal(x->status, j == 1 ? SOCIND_ERR_EMPTY_DOMAIN : SOCIND_OK);
                assert_int_equal(m[j].status, e[j].status);
                assert_int_equal(m[j].n, e[j].n);
            }
            assert_int_equal(m[1].n, 2);
            assert_true(m[1].weight_sum == 0.0 && e[1].weight_sum == 0.0);
            assert_true(isnan(m[1].value) && isnan(e[1].value));
            /* the rows with a value all weigh 0: no usable row at all */
            int32_t s1 = (k ? socind_proportion : socind_mean)(d, ym, NULL, 0, &o, m);
            assert_int_equal(s1, SOCIND_ERR_EMPTY);
            assert_non_null(strstr(socind_last_error_detail(), "weighs 0"));
            s1 = (k ? socind_proportion : socind_mean)(d, ym, g, 3, &o, m);
            assert_int_equal(s1, SOCIND_ERR_EMPTY);
            assert_non_null(strstr(socind_last_error_detail(), "weighs 0"));
            socind__threads_any_rows = 0;
        }
        c.y = ym, c.group = NULL, sp.n_groups = 0;
        assert_int_equal(one_chunk_state(&sp, &c, NULL, e, 1), SOCIND_ERR_EMPTY);
        assert_non_null(strstr(socind_last_error_detail(), "weighs 0"));
    }
    socind_design_free(d);
}

/* A mean whose sums leave the double range (values near ±1e308, summed
 * about the first value): no figure (NaN, SOCIND_ERR_OVERFLOW) in memory on
 * one and two threads and from a state, where it was −Inf for a mean of
 * 5e307 (the shifted sum's −Inf plus the shift). */
static void test_mean_sum_beyond_range(void **state) {
    (void)state;
    enum { N = 4 };
    const double w[N] = {1, 1, 1, 1}, y[N] = {1e308, 1e308, 5, 6};
    const int64_t p[N] = {1, 2, 3, 4};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, NULL, p, NULL, NULL, &d), SOCIND_OK);
    for (int32_t threads = 1; threads <= 2; threads++) {
        socind_options o;
        socind_options_init(&o);
        o.threads = threads;
        socind__threads_any_rows = threads > 1;
        socind_estimate m;
        assert_int_equal(socind_mean(d, y, NULL, 0, &o, &m), SOCIND_OK);
        assert_int_equal(m.status, SOCIND_ERR_OVERFLOW);
        assert_true(isnan(m.value) && isnan(m.se));
        socind__threads_any_rows = 0;
    }
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_MEAN;
    sp.has_psu = 1;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w, c.psu = p, c.y = y;
    socind_estimate e;
    assert_int_equal(one_chunk_state(&sp, &c, NULL, &e, 1), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_ERR_OVERFLOW);
    assert_true(isnan(e.value));
    socind_design_free(d);
}

/* The median of the poor and the relative median gap count a domain's rows
 * of weight 0 in n as the other estimators do (they counted only rows of
 * positive weight): a domain with one row of weight 0 among its own, n
 * its rows with an income; a domain whose rows all weigh 0 has no
 * estimate, SOCIND_ERR_EMPTY_DOMAIN with n its rows (it said n 0); in
 * memory on one and two threads and from a state alike, with the figures
 * of the domain unchanged by its row of weight 0. */
static void test_zero_weight_rows_poor_median(void **state) {
    (void)state;
    enum { N = 24 };
    double w[N], y[N], yd[N];
    int64_t h[N], p[N];
    int32_t g[N];
    for (int k = 0; k < N; k++) {
        h[k] = (k / 2) % 2, p[k] = k / 2;
        g[k] = k < 12 ? 0 : k < 16 ? 1 : 2;
        w[k] = g[k] == 1 ? 0.0 : 1.0 + (double)(k % 3);
        y[k] = 20.0 + 7.0 * (double)((k * 5) % 13) + (double)k;
    }
    w[3] = 0.0; /* domain 0: one row of weight 0 */
    memcpy(yd, y, sizeof y);
    yd[3] = NAN; /* and without it: the same figures */
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
    for (int k = 0; k < 2; k++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = k ? SOCIND_STATE_RELATIVE_MEDIAN_GAP : SOCIND_STATE_POOR_MEDIAN;
        sp.line_type = SOCIND_LINE_RELATIVE_QUANTILE, sp.line = 0.9;
        sp.n_groups = 3, sp.has_strata = sp.has_psu = 1;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = N, c.weight = w, c.strata = h, c.psu = p, c.group = g, c.y = y;
        socind_estimate e[3], m[3], x[3];
        assert_int_equal(one_chunk_state(&sp, &c, NULL, e, 3), SOCIND_OK);
        for (int32_t threads = 1; threads <= 2; threads++) {
            socind_options o;
            socind_options_init(&o);
            o.threads = threads;
            socind__threads_any_rows = threads > 1; /* threads on 24 rows */
            int32_t (*f)(const socind_design *, const double *, double, double, const int32_t *,
                         int32_t, const socind_options *, socind_estimate *) =
                k ? socind_relative_median_gap : socind_poor_median;
            assert_int_equal(f(d, y, 0.9, 0.5, g, 3, &o, m), SOCIND_OK);
            assert_int_equal(f(d, yd, 0.9, 0.5, g, 3, &o, x), SOCIND_OK);
            socind__threads_any_rows = 0;
            const int64_t rows[3] = {12, 4, 8};
            for (int j = 0; j < 3; j++) {
                assert_int_equal(m[j].status, j == 1 ? SOCIND_ERR_EMPTY_DOMAIN : SOCIND_OK);
                assert_int_equal(m[j].n, rows[j]);
                assert_int_equal(e[j].status, m[j].status);
                assert_int_equal(e[j].n, m[j].n);
            }
            assert_int_equal(x[0].n, 11);
            assert_true(m[1].weight_sum == 0.0 && e[1].weight_sum == 0.0);
            assert_true(isnan(m[1].value) && isnan(e[1].value));
            for (int j = 0; j < 3; j += 2) {
                assert_true(m[j].value == x[j].value);
                assert_true(fabs(m[j].se - x[j].se) <= 1e-14 * m[j].se);
                assert_true(fabs(e[j].value - m[j].value) <= 1e-12 * fabs(m[j].value));
                assert_true(fabs(e[j].se - m[j].se) <= 1e-12 * m[j].se);
            }
        }
    }
    socind_design_free(d);
}

/* GE(θ) near θ = 0 and θ = 1, Atkinson(ε) near ε = 1 (internal.h,
 * socind__ge_form): (x^θ − 1)/(θ² − θ) lost its digits there, GE(1e−16)
 * 1.11 for 0.03. Against the series of each in the moments of log x, x =
 * y/μ̂, formed here in long double (independent of the library's forms):
 *   GE(θ) = Σ_k θ^(k−1) E[L^k]/k! / (θ − 1)          (L = log x, near 0)
 *         = Σ_k (θ − 1)^(k−1) E[x·L^k]/k! / θ        (near 1)
 *   A(ε)  = 1 − exp(log1p(Σ_k δ^k E[(log y)^k]/k!)/δ)/μ̂, δ = 1 − ε,
 * within 1e−12 relative, in memory (through states on one thread, its
 * own loops, two threads) and from a state; the SEs within 1e−9 of the limit's (θ = 0, 1; ε = 1)
 * where |θ|, |θ − 1|, |δ| <= 1e−12; on both sides of the band's edge (0.0099, 0.0101) the series
 * too. */
static long double ge_series(const double *y, const double *w, size_t n, double th) {
    long double W = 0, Y = 0;
    for (size_t i = 0; i < n; i++) W += w[i], Y += (long double)w[i] * y[i];
    const long double mu = Y / W, t = fabsl((long double)th) < 0.5L ? th : th - 1.0L;
    long double sum = 0, tk = 1, fact = 1;
    for (int k = 1; k <= 40; k++) {
        long double m = 0;
        fact *= k;
        for (size_t i = 0; i < n; i++) {
            const long double x = y[i] / mu, L = logl(x);
            m += w[i] * (fabsl((long double)th) < 0.5L ? powl(L, k) : x * powl(L, k));
        }
        sum += tk * (m / W) / fact;
        tk *= t;
    }
    return fabsl((long double)th) < 0.5L ? sum / (th - 1.0L) : sum / th;
}

static long double atk_series(const double *y, const double *w, size_t n, double eps) {
    long double W = 0, Y = 0, s = 0, dk = 1, fact = 1;
    const long double d = 1.0L - eps;
    for (size_t i = 0; i < n; i++) W += w[i], Y += (long double)w[i] * y[i];
    for (int k = 1; k <= 40; k++) {
        long double m = 0;
        fact *= k, dk *= d;
        for (size_t i = 0; i < n; i++) m += w[i] * powl(logl(y[i]), k);
        s += dk * (m / W) / fact;
    }
    return 1.0L - expl(log1pl(s) / d) / (Y / W);
}

static void test_ge_near_zero_and_one(void **state) {
    (void)state;
    enum { N = 240 };
    double y[N], w[N];
    int64_t h[N], p[N];
    for (int k = 0; k < N; k++) {
        p[k] = k / 6, h[k] = (k / 6) % 4;
        w[k] = 1.0 + (double)((k * 7) % 5);
        y[k] = 40000.0 * exp(0.8 * sin(0.37 * k) + 0.3 * cos(1.3 * k));
    }
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
    static const double thetas[] = {
        5e-324, -1e-320, 1e-200,    1e-80,     1e-16,     -1e-16,   1e-12,  -1e-12, 1e-8,  0.0099,
        0.0101, -0.0099, 1 - 1e-15, 1 + 1e-15, 1 + 1e-12, 1 - 1e-9, 1.0099, 0.9901, 0.9899};
    for (int a = 0; a < 2; a++) { /* GE(θ), then Atkinson(1 − (θ's offset)) */
        socind_estimate lim;
        assert_int_equal(a ? socind_atkinson(d, y, 1.0, 0, NULL, 0, NULL, &lim)
                           : socind_ge(d, y, 0.0, 0, NULL, 0, NULL, &lim),
                         SOCIND_OK);
        socind_estimate lim1;
        assert_int_equal(socind_ge(d, y, 1.0, 0, NULL, 0, NULL, &lim1), SOCIND_OK);
        for (size_t t = 0; t < sizeof thetas / sizeof *thetas; t++) {
            const double th = a ? 1.0 - thetas[t] : thetas[t]; /* ε = 1 − θ for Atkinson */
            if (a && (!(th > 0.0) || th == 1.0)) continue;     /* (1 − 1e−16 is 1) */
            if (a && fabs(thetas[t]) > 0.5) continue;          /* (ε near 0: not the band) */
            const long double ref = a ? atk_series(y, w, N, th) : ge_series(y, w, N, th);
            socind_estimate m[3], e;
            for (int path = 0; path < 3; path++) { /* one thread, its own loops, two */
                socind_options o;
                socind_options_init(&o);
                o.threads = path == 2 ? 2 : 1;
                socind__threads_any_rows = path == 2;
                socind__state_own_loops = path == 1;
                assert_int_equal(a ? socind_atkinson(d, y, th, 0, NULL, 0, &o, &m[path])
                                   : socind_ge(d, y, th, 0, NULL, 0, &o, &m[path]),
                                 SOCIND_OK);
                socind__threads_any_rows = socind__state_own_loops = 0;
            }
            socind_state_spec sp;
            socind_state_spec_init(&sp);
            sp.estimator = a ? SOCIND_STATE_ATKINSON : SOCIND_STATE_GE;
            sp.alpha = th, sp.has_strata = sp.has_psu = 1;
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = N, c.weight = w, c.strata = h, c.psu = p, c.y = y;
            assert_int_equal(one_chunk_state(&sp, &c, NULL, &e, 1), SOCIND_OK);
            const socind_estimate *all[4] = {&m[0], &m[1], &m[2], &e};
            for (int k = 0; k < 4; k++) {
                const double v = all[k]->value;
                if (!(fabsl(v - ref) <= 1e-12L * fabsl(ref)))
                    print_error("%s(%.17g) path %d: %.17g, series %.17Lg\n", a ? "A" : "GE", th, k,
                                v, ref);
                assert_true(fabsl(v - ref) <= 1e-12L * fabsl(ref));
                assert_true(fabs(all[k]->se - m[0].se) <= 1e-12 * m[0].se);
                const double off = a ? fabs(1.0 - th) : fmin(fabs(th), fabs(th - 1.0));
                if (off <= 1e-12) { /* the limit's SE */
                    const socind_estimate *l = a || fabs(th) < 0.5 ? &lim : &lim1;
                    assert_true(fabs(all[k]->se - l->se) <= 1e-9 * l->se);
                }
            }
        }
    }
    /* the GE decomposition by two groups: its total and its within part
       (Σ_g ω_g·GE_g, ω_g = (Ŷ_g/Ŷ)^θ·(N̂_g/N̂)^(1−θ)) against the series, in
       memory and from a state */
    int32_t g[N];
    double yg[2][N], wg[2][N];
    size_t ng[2] = {0, 0};
    long double Wg[2] = {0, 0}, Yg[2] = {0, 0};
    for (int k = 0; k < N; k++) {
        g[k] = (k / 6) % 2;
        yg[g[k]][ng[g[k]]] = y[k], wg[g[k]][ng[g[k]]++] = w[k];
        Wg[g[k]] += w[k], Yg[g[k]] += (long double)w[k] * y[k];
    }
    static const double dth[] = {1e-12, -1e-9, 0.005, 1 - 1e-12, 1 + 1e-9, 0.995};
    for (size_t t = 0; t < sizeof dth / sizeof *dth; t++) {
        const double th = dth[t];
        long double within = 0;
        for (int j = 0; j < 2; j++)
            within += powl(Yg[j] / (Yg[0] + Yg[1]), th) * powl(Wg[j] / (Wg[0] + Wg[1]), 1.0L - th) *
                      ge_series(yg[j], wg[j], ng[j], th);
        const long double total = ge_series(y, w, N, th);
        socind_estimate m[SOCIND_GEDEC_COUNT], e[SOCIND_GEDEC_COUNT];
        assert_int_equal(socind_ge_decomposition(d, y, th, 0, g, 2, NULL, m), SOCIND_OK);
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = SOCIND_STATE_GE_DECOMPOSITION;
        sp.alpha = th, sp.n_groups = 2, sp.has_strata = sp.has_psu = 1;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = N, c.weight = w, c.strata = h, c.psu = p, c.y = y, c.group = g;
        assert_int_equal(one_chunk_state(&sp, &c, NULL, e, SOCIND_GEDEC_COUNT), SOCIND_OK);
        for (int k = 0; k < 2; k++) {
            const socind_estimate *x = k ? e : m;
            assert_true(fabsl(x[SOCIND_GEDEC_TOTAL].value - total) <= 1e-12L * fabsl(total));
            assert_true(fabsl(x[SOCIND_GEDEC_WITHIN].value - within) <= 1e-12L * fabsl(within));
            assert_true(fabs(x[SOCIND_GEDEC_BETWEEN].se - m[SOCIND_GEDEC_BETWEEN].se) <=
                        1e-12 * m[SOCIND_GEDEC_BETWEEN].se);
        }
    }
    /* such a state's bytes are in format version 7 (its third sum is not
       Σw·y^θ), read back to the same figures; the same bytes said to be
       version 2 are refused; θ = 0.02 stays in version 2 */
    for (int k = 0; k < 3; k++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = k == 2 ? SOCIND_STATE_ATKINSON : SOCIND_STATE_GE;
        sp.alpha = k == 0 ? 1e-12 : k == 1 ? 0.02 : 1.0 + 1e-9;
        sp.has_strata = sp.has_psu = 1;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = N, c.weight = w, c.strata = h, c.psu = p, c.y = y;
        socind_state *s0 = NULL, *s1 = NULL;
        assert_int_equal(socind_state_new(&sp, &s0), SOCIND_OK);
        assert_int_equal(socind_state_add(s0, &c), SOCIND_OK);
        size_t len = 0;
        assert_int_equal(socind_state_to_bytes(s0, NULL, 0, &len), SOCIND_OK);
        unsigned char *b = malloc(len);
        assert_int_equal(socind_state_to_bytes(s0, b, len, &len), SOCIND_OK);
        assert_int_equal(b[8], k == 1 ? 2 : 7);
        assert_int_equal(socind_state_from_bytes(b, len, &s1), SOCIND_OK);
        socind_estimate e0, e1;
        assert_int_equal(socind_state_finish(s0, NULL, &e0, 1), SOCIND_OK);
        assert_int_equal(socind_state_finish(s1, NULL, &e1, 1), SOCIND_OK);
        assert_true(e0.value == e1.value && e0.se == e1.se);
        socind_state_free(s1);
        s1 = NULL;
        b[8] = k == 1 ? 7 : 2;
        test_fix_crc(b, len);
        assert_int_equal(socind_state_from_bytes(b, len, &s1), SOCIND_ERR_FORMAT);
        assert_null(s1);
        assert_non_null(strstr(socind_last_error_detail(),
                               k == 1 ? "version 7 is GE's" : "is not read: version 7's"));
        free(b);
        socind_state_free(s0);
    }
    socind_design_free(d);
}

/* A mean of values far from 0 (10^8 plus multiples of 2^−10 below 4:
 * exact, so y − 10^8 is exact too). Its design effect needs Σw(y − ȳ)²,
 * which Σw·y² − (Σw·y)²/Σw loses entirely at 10^8 (the design effect came
 * out NaN on threads and from states): the sums are kept about a shift,
 * the domain's first used value. The figures must equal those of the
 * values less 10^8 (a translation changes neither SE nor design effect),
 * in memory, on threads and from chunked states. */
static void test_mean_far_from_zero(void **state) {
    const households *f = *state;
    data d, d0;
    data_make(f, &d);
    data_make(f, &d0);
    for (size_t k = 0; k < d.n; k++) {
        if (isnan(d.y[k])) continue;
        d0.y[k] = ldexp((double)(rnd() % 4096), -10);
        d.y[k] = 1e8 + d0.y[k];
    }
    socind__threads_any_rows = 1;
    socind__state_own_loops = 1;
    for (int grouped = 0; grouped <= 1; grouped++) {
        const case_t c = {SOCIND_STATE_MEAN, NAN, 0, grouped, 0, 0};
        const size_t G = grouped ? (size_t)d.ng : 1;
        socind_estimate *e = calloc(G, sizeof *e), *e0 = calloc(G, sizeof *e0),
                        *et = calloc(G, sizeof *et);
        assert_int_equal(in_memory(&d, &c, e), SOCIND_OK);
        assert_int_equal(in_memory(&d0, &c, e0), SOCIND_OK);
        for (size_t g = 0; g < G; g++) {
            if (e0[g].status == SOCIND_ERR_EMPTY_DOMAIN) continue;
            assert_int_equal(e[g].status, SOCIND_OK);
            assert_close(e[g].value - 1e8, e0[g].value, 1e-12 * 1e8 / e0[g].value);
            assert_close(e[g].se, e0[g].se, TOL);
            assert_true(grouped || isfinite(e0[g].deff)); /* (what the test is about) */
            if (isnan(e0[g].deff))
                assert_true(isnan(e[g].deff));
            else
                assert_close(e[g].deff, e0[g].deff, TOL);
        }
        for (int32_t t = 2; t <= 3; t++) {
            socind_options o;
            socind_options_init(&o);
            o.threads = t;
            socind__threads_ran = 0;
            assert_int_equal(in_memory_opts(&d, &c, &o, et), SOCIND_OK);
            assert_int_equal(socind__threads_ran, t);
            for (size_t g = 0; g < G; g++) {
                if (e0[g].status == SOCIND_ERR_EMPTY_DOMAIN) continue;
                assert_close(et[g].value, e[g].value, TOL);
                assert_close(et[g].se, e[g].se, TOL);
                if (isnan(e[g].deff))
                    assert_true(isnan(et[g].deff));
                else
                    assert_close(et[g].deff, e[g].deff, TOL);
            }
        }
        /* chunked, shuffled, merged, through bytes (compare() above) */
        compare(&d, &c, 6);
        free(e), free(e0), free(et);
    }
    socind__threads_any_rows = 0;
    socind__state_own_loops = 0;
    data_free(&d), data_free(&d0);
}

/* Incomes far from 1: a state keeps them as given (state.h's "Extremes"),
 * and the squares of a total's PSU totals left the doubles. At incomes
 * near 1e−160 (2^−560) the gap total's and the mean shortfall's SEs
 * finished as exactly 0 with status OK; near 1e−270 (2^−900) the total's
 * and the mean's too; near 1e+174 (2^+560) the gap total and the total
 * finished with SOCIND_ERR_OVERFLOW. The PSU totals are now scaled by a
 * power of 2 before the variance: every figure equals the in-memory call's
 * (which rescales the incomes) within TOL. Where the PSU totals themselves
 * fall below the normal doubles (the mean at 2^−990), the estimate says
 * SOCIND_ERR_OVERFLOW instead of an SE made of lost bits. The mean's deff
 * needs Σw·(y − shift)², beyond the doubles at these scales: NaN. */
static void test_incomes_far_from_one(void **state) {
    const households *f = *state;
    data d, d1;
    data_make(f, &d);
    data_make(f, &d1);
    const int32_t ests[5] = {SOCIND_STATE_TOTAL, SOCIND_STATE_MEAN, SOCIND_STATE_POVERTY_GAP_TOTAL,
                             SOCIND_STATE_MEAN_SHORTFALL, SOCIND_STATE_FGT};
    const int scales[3] = {-560, -900, 560};
    int positive = 0;
    size_t *order = malloc(d.n * sizeof *order);
    for (size_t k = 0; k < d.n; k++) order[k] = k;
    for (int si = 0; si < 3; si++) {
        const int e2 = scales[si];
        for (size_t k = 0; k < d.n; k++) d.y[k] = ldexp(d1.y[k], e2), d.y2[k] = ldexp(d1.y2[k], e2);
        for (int ei = 0; ei < 5; ei++)
            for (int grouped = 0; grouped <= 1; grouped++) {
                const int line = ests[ei] != SOCIND_STATE_TOTAL && ests[ei] != SOCIND_STATE_MEAN;
                const case_t c = {
                    ests[ei], ests[ei] == SOCIND_STATE_FGT ? 1.0 : NAN, line, grouped, 0, 0};
                const size_t G = grouped ? (size_t)d.ng : 1;
                socind_estimate *ref = calloc(G, sizeof *ref), *one = calloc(G, sizeof *one),
                                *got = calloc(G, sizeof *got);
                assert_int_equal(in_memory(&d, &c, ref), SOCIND_OK);
                assert_int_equal(in_memory(&d1, &c, one), SOCIND_OK);
                /* three chunks, the middle one through its bytes */
                socind_state *a = state_of(&d, &c, order, 0, d.n / 3);
                socind_state *b = through_bytes(state_of(&d, &c, order, d.n / 3, 2 * d.n / 3));
                socind_state *t = state_of(&d, &c, order, 2 * d.n / 3, d.n);
                assert_int_equal(socind_state_merge(a, b), SOCIND_OK);
                assert_int_equal(socind_state_merge(t, a), SOCIND_OK);
                assert_int_equal(socind_state_finish(t, NULL, got, G), SOCIND_OK);
                const int scaled = c.est != SOCIND_STATE_FGT; /* FGT1: no unit */
                for (size_t g = 0; g < G; g++) {
                    /* (a domain without the poor: DATA at every scale) */
                    assert_int_equal(ref[g].status, one[g].status);
                    assert_int_equal(got[g].status, one[g].status);
                    if (one[g].status) continue;
                    /* the in-memory call at this scale is the unscaled one's */
                    /* (a domain within one PSU has SE 0: rounding noise) */
                    const double fl = NOISE * fabs(ref[g].value);
                    positive += one[g].se > 0.0;
                    assert_close_abs(ref[g].se, ldexp(one[g].se, scaled ? e2 : 0), TOL, fl);
                    assert_close(got[g].value, ref[g].value, TOL);
                    assert_int_equal(got[g].status, SOCIND_OK);
                    assert_close_abs(got[g].se, ref[g].se, TOL, fl);
                    assert_close_abs(got[g].ci_low, ref[g].ci_low, TOL, fl);
                    assert_close_abs(got[g].ci_high, ref[g].ci_high, TOL, fl);
                    if (c.est == SOCIND_STATE_MEAN) assert_true(isnan(got[g].deff));
                }
                socind_state_free(a);
                socind_state_free(b);
                socind_state_free(t);
                free(ref), free(one), free(got);
            }
    }
    assert_true(positive > 100); /* (what the test is about) */
    /* the mean's PSU totals below the normal doubles: OVERFLOW, not an SE */
    for (size_t k = 0; k < d.n; k++) d.y[k] = ldexp(d1.y[k], -990);
    const case_t c = {SOCIND_STATE_MEAN, NAN, 0, 0, 0, 0};
    socind_state *t = state_of(&d, &c, order, 0, d.n);
    socind_estimate e;
    assert_int_equal(socind_state_finish(t, NULL, &e, 1), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_ERR_OVERFLOW);
    assert_true(isnan(e.se));
    socind_state_free(t);
    free(order);
    data_free(&d), data_free(&d1);
}

/* Weights far from 1 and values far from 1 through the paths that do not
 * go through totals.c: the threads' shared PSU state (total, mean, ratio
 * and FGT without domains, finished over ranges of PSUs) and the mean's
 * one-thread loop (its guard looks at the largest |y|, which a row of
 * weight 0 at y = 1 kept in range), and the in-memory poverty estimators
 * (they rescale by the incomes, not the weights). Each gave SE 0 with
 * status OK: the PSU totals are now scaled before their squares; every SE
 * is the plain one's times the power of 2. The mean's deff is NaN where
 * Σw·(y − shift)² is subnormal (it was 5 % off at y·2^−535). */
/* A relative median line with weights near 1e290 (the reference sample's
 * times 2^950): the bandwidth's Σw·(y − shift) squared left the doubles
 * (it is now divided by N̂ first), and the in-memory call said "every
 * income is equal". The line does not change with the weights' scale (the
 * unscaled sample's), in memory and from states; its SE does, as convey's
 * bandwidth σ̂/N̂^(1/5) shrinks with N̂ (poverty.h), and the two paths give
 * the same. */
static void test_relative_line_heavy_weights(void **state) {
    const households *f = *state;
    const size_t n = f->n;
    double *w = malloc(n * sizeof *w);
    for (size_t k = 0; k < n; k++) w[k] = ldexp(f->w[k], 950);
    socind_design *d0 = NULL, *d = NULL;
    assert_int_equal(socind_design_new(n, f->w, f->stratum, f->psu, NULL, NULL, &d0), SOCIND_OK);
    assert_int_equal(socind_design_new(n, w, f->stratum, f->psu, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_QUANTILE, L.value = 0.6, L.quantile = 0.5;
    socind_estimate e0, e, s1;
    assert_int_equal(socind_poverty_line_estimate(d0, f->y, &L, NULL, &e0), SOCIND_OK);
    assert_int_equal(socind_poverty_line_estimate(d, f->y, &L, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_OK);
    assert_true(e.value == e0.value);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_POVERTY_LINE, sp.has_strata = 1, sp.has_psu = 1;
    sp.line_type = SOCIND_LINE_RELATIVE_QUANTILE, sp.line = 0.6, sp.p = 0.5;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = n, c.weight = w, c.strata = f->stratum, c.psu = f->psu, c.y = f->y;
    assert_int_equal(one_chunk_state(&sp, &c, NULL, &s1, 1), SOCIND_OK);
    assert_int_equal(s1.status, SOCIND_OK);
    assert_true(s1.value == e0.value);
    assert_close_abs(s1.se, e.se, 1e-12, 1e-15 * e0.value);
    /* S80/S20's densities take the same bandwidth: the same status and
       figures on both paths */
    assert_int_equal(socind_share_ratio(d, f->y, 0.2, 0.8, NULL, 0, NULL, &e), SOCIND_OK);
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_SHARE_RATIO, sp.has_strata = 1, sp.has_psu = 1;
    sp.p = 0.2, sp.p2 = 0.8;
    (void)one_chunk_state(&sp, &c, NULL, &s1, 1);
    assert_int_equal(s1.status, e.status);
    assert_close(s1.value, e.value, 1e-12);
    assert_close(s1.se, e.se, 1e-12);
    socind_design_free(d0), socind_design_free(d);
    free(w);
}

static void test_weights_far_from_one(void **state) {
    const households *f = *state;
    const size_t n = f->n;
    double *w = malloc(n * sizeof *w), *y = malloc(n * sizeof *y);
    socind_design *d0 = NULL, *d = NULL;
    assert_int_equal(socind_design_new(n, f->w, f->stratum, f->psu, NULL, NULL, &d0), SOCIND_OK);
    for (size_t k = 0; k < n; k++) w[k] = ldexp(f->w[k], -560);
    assert_int_equal(socind_design_new(n, w, f->stratum, f->psu, NULL, NULL, &d), SOCIND_OK);
    socind__threads_any_rows = 1;
    socind_options o2;
    socind_options_init(&o2);
    o2.threads = 2;
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 600000.0;
    for (int which = 0; which < 5; which++)
        for (int t = 1; t <= 2; t++) {
            socind_estimate e0, e;
            const socind_options *o = t == 2 ? &o2 : NULL;
            int32_t s0, s1;
            int k = -560; /* the power of 2 of the SE */
            switch (which) {
            case 0:
                s0 = socind_total(d0, f->y, NULL, 0, o, &e0);
                s1 = socind_total(d, f->y, NULL, 0, o, &e);
                break;
            case 1:
                s0 = socind_ratio(d0, f->y, f->line_region, NULL, 0, o, &e0);
                s1 = socind_ratio(d, f->y, f->line_region, NULL, 0, o, &e);
                k = 0;
                break;
            case 2:
                s0 = socind_poor_count(d0, f->y, &L, NULL, 0, o, &e0);
                s1 = socind_poor_count(d, f->y, &L, NULL, 0, o, &e);
                break;
            case 3:
                s0 = socind_poverty_gap_total(d0, f->y, &L, NULL, 0, o, &e0);
                s1 = socind_poverty_gap_total(d, f->y, &L, NULL, 0, o, &e);
                break;
            default:
                s0 = socind_fgt(d0, f->y, &L, 1.0, NULL, 0, o, &e0);
                s1 = socind_fgt(d, f->y, &L, 1.0, NULL, 0, o, &e);
                k = 0;
                break;
            }
            assert_int_equal(s0, SOCIND_OK);
            assert_int_equal(s1, SOCIND_OK);
            assert_int_equal(e.status, SOCIND_OK);
            assert_true(e0.se > 0.0);
            assert_close(e.value, ldexp(e0.value, k), 1e-12);
            assert_close(e.se, ldexp(e0.se, k), 1e-12);
        }
    /* PSU totals below 2^−969 (weights near 1e−303): SOCIND_ERR_OVERFLOW
       with the value kept, on 1 and 2 threads alike (the threads' finish
       gave the value NaN) */
    socind_design *dt = NULL;
    for (size_t k = 0; k < n; k++) w[k] = ldexp(f->w[k], -1012);
    assert_int_equal(socind_design_new(n, w, f->stratum, f->psu, NULL, NULL, &dt), SOCIND_OK);
    socind_estimate t1, t2;
    assert_int_equal(socind_total(dt, f->y, NULL, 0, NULL, &t1), SOCIND_OK);
    assert_int_equal(socind_total(dt, f->y, NULL, 0, &o2, &t2), SOCIND_OK);
    assert_int_equal(t1.status, SOCIND_ERR_OVERFLOW);
    assert_int_equal(t2.status, SOCIND_ERR_OVERFLOW);
    assert_true(isnan(t1.se) && isnan(t2.se) && t1.value > 0.0);
    assert_close(t2.value, t1.value, 1e-12);
    socind_design_free(dt);
    /* the poor's weights alone ×2^−560: the FGT and Watts decompositions'
       IGR, GE and Theil of the poor do not change, but P0² in their
       linearized variables fell below the doubles (SOCIND_ERR_OVERFLOW on
       one thread; a figure on two) */
    socind_design *dp = NULL;
    for (size_t k = 0; k < n; k++) w[k] = f->y[k] < 600000.0 ? ldexp(f->w[k], -560) : f->w[k];
    assert_int_equal(socind_design_new(n, w, f->stratum, f->psu, NULL, NULL, &dp), SOCIND_OK);
    for (int t = 1; t <= 2; t++) {
        socind_estimate a0[SOCIND_FGTDEC_COUNT], a[SOCIND_FGTDEC_COUNT];
        assert_int_equal(socind_fgt_decomposition(d0, f->y, &L, 2.0, NULL, 0, NULL, a0), SOCIND_OK);
        assert_int_equal(
            socind_fgt_decomposition(dp, f->y, &L, 2.0, NULL, 0, t == 2 ? &o2 : NULL, a),
            SOCIND_OK);
        for (int q = SOCIND_FGTDEC_IGR; q <= SOCIND_FGTDEC_GE; q++) {
            assert_int_equal(a[q].status, SOCIND_OK);
            assert_close(a[q].se, a0[q].se, 1e-12);
        }
        socind_estimate b0[SOCIND_WATTSDEC_COUNT], b[SOCIND_WATTSDEC_COUNT];
        assert_int_equal(
            socind_watts_decomposition(d0, f->y, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, b0),
            SOCIND_OK);
        assert_int_equal(socind_watts_decomposition(dp, f->y, &L, SOCIND_NONPOS_ERROR, NULL, 0,
                                                    t == 2 ? &o2 : NULL, b),
                         SOCIND_OK);
        assert_int_equal(b[SOCIND_WATTSDEC_THEIL_POOR].status, SOCIND_OK);
        assert_close(b[SOCIND_WATTSDEC_THEIL_POOR].se, b0[SOCIND_WATTSDEC_THEIL_POOR].se, 1e-12);
    }
    socind_design_free(dp);
    /* the mean's one-thread loop over the design's PSUs: values near
       1e−250 and one row of weight 0 at y = 1 */
    socind_design *dz = NULL;
    for (size_t k = 0; k < n; k++) w[k] = k == 3 ? 0.0 : f->w[k];
    assert_int_equal(socind_design_new(n, w, f->stratum, f->psu, NULL, NULL, &dz), SOCIND_OK);
    socind_estimate m0, m;
    for (size_t k = 0; k < n; k++) y[k] = f->y[k];
    assert_int_equal(socind_mean(dz, y, NULL, 0, NULL, &m0), SOCIND_OK);
    for (size_t k = 0; k < n; k++) y[k] = k == 3 ? 1.0 : ldexp(f->y[k], -830);
    socind__threads_ran = 0;
    for (int t = 1; t <= 2; t++) {
        assert_int_equal(socind_mean(dz, y, NULL, 0, t == 2 ? &o2 : NULL, &m), SOCIND_OK);
        assert_int_equal(m.status, SOCIND_OK);
        assert_close(m.se, ldexp(m0.se, -830), 1e-12);
        assert_true(isnan(m.deff));
    }
    assert_true(socind__threads_ran >= 1); /* (the states' route was taken) */
    /* the deff where Σw·(y − shift)² is subnormal: NaN, not lost bits */
    assert_int_equal(socind_mean(d0, f->y, NULL, 0, NULL, &m0), SOCIND_OK);
    assert_true(isfinite(m0.deff));
    for (size_t k = 0; k < n; k++) y[k] = ldexp(f->y[k], -535);
    assert_int_equal(socind_mean(d0, y, NULL, 0, NULL, &m), SOCIND_OK);
    assert_close(m.se, ldexp(m0.se, -535), 1e-12);
    assert_true(isnan(m.deff));
    socind__threads_any_rows = 0;
    socind_design_free(d0), socind_design_free(d), socind_design_free(dz);
    free(w), free(y);
}

/* The total gap and the mean shortfall against an absolute or a per-row
 * line, with every 25th income above its line replaced by 1e300: in memory
 * on one thread, on two (through the threads' partial states) and from a
 * state of the rows, each path gives its figures of the incomes as they
 * were, bit for bit. In memory the scale had been taken from 1e300, the
 * poor's gaps falling to about 1e−294: SE NaN with SOCIND_ERR_OVERFLOW,
 * and two threads fell back to that one-thread call. */
static void test_gap_income_far_above_line(void **state) {
    const households *f = *state;
    const size_t n = f->n;
    double *yb = malloc(n * sizeof *yb);
    socind_options o2;
    socind_options_init(&o2);
    o2.threads = 2;
    socind__threads_any_rows = 1;
    for (int lt = 0; lt < 2; lt++) {
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        L.type = lt ? SOCIND_LINE_PER_ROW : SOCIND_LINE_ABSOLUTE;
        L.value = 600000.0;
        if (lt) L.lines = f->line_region;
        size_t replaced = 0;
        for (size_t k = 0, above = 0; k < n; k++) {
            yb[k] = f->y[k];
            const double z = lt ? f->line_region[k] : L.value;
            if (f->y[k] > z && above++ % 25 == 0) yb[k] = 1e300, replaced++;
        }
        assert_true(replaced > 10);
        for (int which = 0; which < 2; which++) {
            socind_estimate e[3][2];
            for (int v = 0; v < 2; v++) {
                const double *y = v ? yb : f->y;
                for (int path = 0; path < 2; path++) {
                    socind__threads_ran = 0;
                    const socind_options *o = path ? &o2 : NULL;
                    assert_int_equal(
                        which ? socind_mean_shortfall(f->wr, y, &L, NULL, 0, o, &e[path][v])
                              : socind_poverty_gap_total(f->wr, y, &L, NULL, 0, o, &e[path][v]),
                        SOCIND_OK);
                    assert_int_equal(socind__threads_ran > 0, path); /* (the route taken) */
                }
                socind_state_spec sp;
                socind_state_spec_init(&sp);
                sp.estimator = which ? SOCIND_STATE_MEAN_SHORTFALL : SOCIND_STATE_POVERTY_GAP_TOTAL;
                sp.has_strata = sp.has_psu = 1;
                sp.line_type = L.type, sp.line = L.value;
                socind_chunk c;
                socind_chunk_init(&c);
                c.n = n, c.weight = f->w, c.y = y, c.strata = f->stratum, c.psu = f->psu;
                if (lt) c.y2 = f->line_region;
                assert_int_equal(one_chunk_state(&sp, &c, NULL, &e[2][v], 1), SOCIND_OK);
            }
            for (int path = 0; path < 3; path++) {
                const socind_estimate *a = &e[path][1], *b = &e[path][0];
                if (a->status != b->status || a->se != b->se)
                    print_message("line %d estimator %d path %d: %.17g (se %.17g, status %d), "
                                  "as given %.17g (se %.17g, status %d)\n",
                                  lt, which, path, a->value, a->se, (int)a->status, b->value, b->se,
                                  (int)b->status);
                assert_int_equal(b->status, SOCIND_OK);
                assert_int_equal(a->status, SOCIND_OK);
                assert_true(b->se > 0.0);
                const double fa[6] = {a->value, a->se, a->ci_low, a->ci_high, a->df, a->weight_sum};
                const double fb[6] = {b->value, b->se, b->ci_low, b->ci_high, b->df, b->weight_sum};
                assert_memory_equal(fa, fb, sizeof fa);
                assert_int_equal(a->n, b->n);
                /* and the paths agree */
                assert_close(a->value, e[0][1].value, TOL);
                assert_close(a->se, e[0][1].se, TOL);
            }
        }
    }
    socind__threads_any_rows = 0;
    free(yb);
}

/* Per-row lines near 1e246 (the reference sample's ×2^800) beside
 * incomes near 1e5: the one-thread call scales incomes and lines by the
 * lines' magnitude; two threads summed the gaps unscaled, the shortfall's
 * SE 3 ulps off. Like an absolute line beyond 2^±200, such lines now run
 * the gap and the shortfall on one thread: the same bits. */
static void test_gap_per_row_lines_far_from_one(void **state) {
    const households *f = *state;
    double *ln = malloc(f->n * sizeof *ln);
    for (size_t k = 0; k < f->n; k++) ln[k] = ldexp(f->line_region[k], 800);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_PER_ROW, L.lines = ln;
    socind_options o2;
    socind_options_init(&o2);
    o2.threads = 2;
    socind__threads_any_rows = 1;
    for (int which = 0; which < 2; which++) {
        socind_estimate e[2];
        for (int t = 0; t < 2; t++) {
            const socind_options *o = t ? &o2 : NULL;
            assert_int_equal(which ? socind_mean_shortfall(f->wr, f->y, &L, NULL, 0, o, &e[t])
                                   : socind_poverty_gap_total(f->wr, f->y, &L, NULL, 0, o, &e[t]),
                             SOCIND_OK);
            assert_int_equal(e[t].status, SOCIND_OK);
        }
        assert_true(e[0].se > 0.0);
        const double fa[4] = {e[1].value, e[1].se, e[1].ci_low, e[1].ci_high};
        const double fb[4] = {e[0].value, e[0].se, e[0].ci_low, e[0].ci_high};
        assert_memory_equal(fa, fb, sizeof fa);
    }
    socind__threads_any_rows = 0;
    free(ln);
}

/* An absolute line whose lines field points at an array (which the line
 * does not read: it is for per-row lines) gives the figures of the same
 * line without it, on two threads and with a replicate design (both
 * through partial states). Both had taken the array as per-row lines:
 * FGT1 0.0252 for 0.0428. */
static void test_absolute_line_ignores_lines(void **state) {
    const households *f = *state;
    socind_options o2;
    socind_options_init(&o2);
    o2.threads = 2;
    socind_replicate_options ro;
    socind_replicate_options_init(&ro);
    ro.type = SOCIND_REP_BOOTSTRAP, ro.replicates = 20, ro.seed = 7;
    socind_design *rd = NULL;
    assert_int_equal(socind_design_replicate_make(f->wr, &ro, &rd), SOCIND_OK);
    socind__threads_any_rows = 1;
    for (int run = 0; run < 2; run++) {
        const socind_design *d = run ? rd : f->wr;
        const socind_options *o = run ? NULL : &o2;
        for (int which = 0; which < 4; which++) {
            socind_estimate e[2];
            for (int v = 0; v < 2; v++) {
                socind_poverty_line L;
                socind_poverty_line_init(&L);
                L.value = 600000.0;
                if (v) L.lines = f->line_region;
                int32_t st = which == 0   ? socind_fgt(d, f->y, &L, 1.0, NULL, 0, o, &e[v])
                             : which == 1 ? socind_poor_count(d, f->y, &L, NULL, 0, o, &e[v])
                             : which == 2 ? socind_poverty_gap_total(d, f->y, &L, NULL, 0, o, &e[v])
                                          : socind_mean_shortfall(d, f->y, &L, NULL, 0, o, &e[v]);
                assert_int_equal(st, SOCIND_OK);
                assert_int_equal(e[v].status, SOCIND_OK);
            }
            if (e[1].value != e[0].value)
                print_message("run %d estimator %d: %.17g, without lines %.17g\n", run, which,
                              e[1].value, e[0].value);
            const double fa[4] = {e[1].value, e[1].se, e[1].ci_low, e[1].ci_high};
            const double fb[4] = {e[0].value, e[0].se, e[0].ci_low, e[0].ci_high};
            assert_memory_equal(fa, fb, sizeof fa);
            assert_true(e[0].se > 0.0);
        }
    }
    socind__threads_any_rows = 0;
    socind_design_free(rd);
}

/* GE and Atkinson do not change when every weight is multiplied by the
 * same factor: at 2^±600 (about 1e±180) their values and SEs, in memory
 * and from a state, equal the in-memory figures at the weights as they
 * are. Their derivatives had divided by W², Y² or W^a (ε/(1 − ε)), which
 * leave the doubles there: GE(0)'s and GE(1)'s states gave SEs 13 and 21
 * times too large, Atkinson(2)'s state 1 with SE 0, and the in-memory
 * Atkinson (ε ≠ 1) SOCIND_ERR_OVERFLOW. */
static void test_ge_atkinson_weights_far_from_one(void **state) {
    const households *f = *state;
    const size_t n = f->n;
    double *w = malloc(n * sizeof *w);
    socind_design *d0 = NULL;
    assert_int_equal(socind_design_new(n, f->w, f->stratum, f->psu, NULL, NULL, &d0), SOCIND_OK);
    static const double par[8] = {-1.0, 0.0, 0.5, 1.0, 2.0, 0.5, 1.0, 2.0};
    for (int sgn = -1; sgn <= 1; sgn += 2) {
        for (size_t k = 0; k < n; k++) w[k] = ldexp(f->w[k], 600 * sgn);
        socind_design *d = NULL;
        assert_int_equal(socind_design_new(n, w, f->stratum, f->psu, NULL, NULL, &d), SOCIND_OK);
        for (int j = 0; j < 8; j++) {
            const int atk = j >= 5;
            socind_estimate e0, e, es;
            assert_int_equal(
                atk ? socind_atkinson(d0, f->y, par[j], SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e0)
                    : socind_ge(d0, f->y, par[j], SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e0),
                SOCIND_OK);
            assert_int_equal(
                atk ? socind_atkinson(d, f->y, par[j], SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e)
                    : socind_ge(d, f->y, par[j], SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                SOCIND_OK);
            socind_state_spec sp;
            socind_state_spec_init(&sp);
            sp.estimator = atk ? SOCIND_STATE_ATKINSON : SOCIND_STATE_GE;
            sp.alpha = par[j], sp.has_strata = 1, sp.has_psu = 1;
            socind_state *s = NULL;
            assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = n, c.weight = w, c.y = f->y, c.strata = f->stratum, c.psu = f->psu;
            assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
            assert_int_equal(socind_state_finish(s, NULL, &es, 1), SOCIND_OK);
            socind_state_free(s);
            assert_int_equal(e0.status, SOCIND_OK);
            assert_true(e0.se > 0.0);
            for (int q = 0; q < 2; q++) {
                const socind_estimate *x = q ? &es : &e;
                assert_int_equal(x->status, SOCIND_OK);
                assert_close(x->value, e0.value, 1e-12);
                assert_close(x->se, e0.se, 1e-12);
            }
        }
        socind_design_free(d);
    }
    socind_design_free(d0);
    free(w);
}

/* A mean's state is written in format version 3 with its domains' shifts
 * after the cells (docs/state-format.md); the shifts' records are
 * checked, and a mean's state in version 2 (sums of the values
 * themselves) is refused. */
static void test_mean_bytes(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    const case_t c = {SOCIND_STATE_MEAN, NAN, 0, 1, 0, 0};
    size_t *order = malloc(d.n * sizeof *order);
    for (size_t k = 0; k < d.n; k++) order[k] = k;
    /* a domain left without rows keeps no shift */
    socind_state *s = state_of(&d, &c, order, 0, 40);
    size_t len;
    socind_state_to_bytes(s, NULL, 0, &len);
    unsigned char *b = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    assert_int_equal(b[8], 3);
    const size_t G = (size_t)d.ng, sh = len - 4 - 16 * G;
    int none = 0;
    for (size_t g = 0; g < G; g++) {
        int64_t row = (int64_t)get_u64_at(b + sh + 16 * g);
        none += row == INT64_MAX;
        assert_true(row == INT64_MAX || (row >= 0 && row < 40));
    }
    assert_true(none > 0 && none < (int)G);
    socind_state *t = NULL;
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
    socind_state_free(t);
    /* version 2 */
    b[8] = 2;
    test_fix_crc(b, len);
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_ERR_FORMAT);
    assert_non_null(strstr(socind_last_error_detail(), "version 2"));
    b[8] = 3;
    /* a shift's record: a negative row, a NaN shift, no row but a shift,
       no row but −0 (an unset shift is +0: one set of bytes) */
    for (int k = 0; k < 4; k++) {
        unsigned char keep[16];
        size_t at = sh;
        while (k >= 2 && (int64_t)get_u64_at(b + at) != INT64_MAX) at += 16;
        memcpy(keep, b + at, 16);
        if (k == 0) put_u64_at(b + at, (uint64_t)-2);
        if (k == 1) put_f64_at(b + at + 8, NAN);
        if (k == 2) put_f64_at(b + at + 8, 1.0);
        if (k == 3) put_f64_at(b + at + 8, -0.0);
        test_fix_crc(b, len);
        assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_ERR_FORMAT);
        assert_null(t);
        memcpy(b + at, keep, 16);
    }
    test_fix_crc(b, len);
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
    socind_state_free(t);
    /* a shift record short or one too many */
    assert_int_equal(socind_state_from_bytes(b, len - 16, &t), SOCIND_ERR_FORMAT);
    free(b), free(order);
    socind_state_free(s);
    data_free(&d);
}

/* The mean's shift is a total order: chunks that number their rows alike
 * (a design with a PSU column need not number them apart; chunk_init's
 * first_row is 0) merge to the same bits either way; the same rows in
 * another chunk order give the same figures within 2^−52 (the shifts move
 * by exact pairs); values near 1e160, whose cells made before their
 * domain had a shift were moved from 0 (δ² overflowed: the design effect
 * was NaN), give socind_mean's figures. */
static void test_mean_shift_order(void **state) {
    (void)state;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_MEAN;
    sp.has_psu = 1;
    const size_t n = 8;
    const int64_t psu[8] = {1, 1, 2, 2, 3, 3, 4, 4};
    const double w[8] = {1, 2, 1, 3, 2, 1, 1, 2};
    double y[2][8], big[8];
    for (size_t k = 0; k < n; k++) {
        y[0][k] = 1e8 + (double)(k * 3 % 7);
        y[1][k] = 1e8 - 5.0 + (double)(k * 5 % 11);
        big[k] = 1e160 * (1.0 + 1e-12 * (double)(k * 3 % 7));
    }
    socind_state *ab[2] = {NULL, NULL}, *part[2][2];
    for (int o = 0; o < 2; o++)
        for (int i = 0; i < 2; i++) {
            assert_int_equal(socind_state_new(&sp, &part[o][i]), SOCIND_OK);
            socind_chunk c;
            socind_chunk_init(&c); /* first_row 0 in both */
            c.n = n, c.weight = w, c.y = y[i], c.psu = psu;
            assert_int_equal(socind_state_add(part[o][i], &c), SOCIND_OK);
        }
    assert_int_equal(socind_state_merge(part[0][0], part[0][1]), SOCIND_OK);
    assert_int_equal(socind_state_merge(part[1][1], part[1][0]), SOCIND_OK);
    ab[0] = part[0][0], ab[1] = part[1][1];
    socind_estimate e[2];
    for (int o = 0; o < 2; o++) assert_int_equal(socind_state_finish(ab[o], NULL, &e[o], 1), 0);
    assert_memory_equal(&e[0].value, &e[1].value, sizeof e[0].value);
    assert_memory_equal(&e[0].se, &e[1].se, sizeof e[0].se);
    assert_memory_equal(&e[0].deff, &e[1].deff, sizeof e[0].deff);
    for (int o = 0; o < 2; o++) socind_state_free(ab[o]), socind_state_free(part[o][1 - o]);
    /* one chunk a row, added in order and in reverse */
    socind_estimate f[2];
    for (int o = 0; o < 2; o++) {
        socind_state *s = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        for (size_t i = 0; i < n; i++) {
            const size_t k = o ? n - 1 - i : i;
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = 1, c.first_row = (int64_t)k, c.weight = &w[k], c.y = &y[0][k], c.psu = &psu[k];
            assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
        }
        assert_int_equal(socind_state_finish(s, NULL, &f[o], 1), SOCIND_OK);
        socind_state_free(s);
    }
    assert_close(f[1].value, f[0].value, 0x1p-52);
    assert_close(f[1].se, f[0].se, 0x1p-52);
    assert_close(f[1].deff, f[0].deff, 0x1p-52);
    /* near 1e160, every row its own chunk in reverse order */
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(n, w, NULL, psu, NULL, NULL, &d), SOCIND_OK);
    socind_estimate ref, got;
    assert_int_equal(socind_mean(d, big, NULL, 1, NULL, &ref), SOCIND_OK);
    assert_true(isfinite(ref.deff));
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    for (size_t i = n; i-- > 0;) {
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = 1, c.first_row = (int64_t)i, c.weight = &w[i], c.y = &big[i], c.psu = &psu[i];
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    }
    assert_int_equal(socind_state_finish(s, NULL, &got, 1), SOCIND_OK);
    assert_close(got.value, ref.value, TOL);
    assert_close(got.se, ref.se, TOL);
    assert_close(got.deff, ref.deff, TOL);
    socind_state_free(s);
    socind_design_free(d);
    /* a row of weight 0 takes no part in the shift: far from the others it
       made an intermediate merge's shift and (a+b)+c lost digits against
       a+(b+c) (7e−7 in the design effect); at +1e160 among rows near
       −1e160 its cell was moved by δ² beyond the double range (NaN) */
    const double wa[2] = {4, 1}, ya[2] = {-1e12 + 0.3, -1e12 + 0.71}, wb[1] = {0}, yb[1] = {0.0};
    const double wc[2] = {3, 1}, yc[2] = {-1e12 + 0.137, -1e12 + 0.93};
    const int64_t pa[2] = {0, 1}, pb[1] = {2}, pc[2] = {3, 4};
    socind_state *st[2][3];
    for (int o = 0; o < 2; o++)
        for (int i = 0; i < 3; i++) {
            assert_int_equal(socind_state_new(&sp, &st[o][i]), SOCIND_OK);
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = i == 1 ? 1 : 2, c.first_row = i == 2 ? 3 : 2;
            c.weight = i == 0 ? wa : i == 1 ? wb : wc, c.y = i == 0 ? ya : i == 1 ? yb : yc;
            c.psu = i == 0 ? pa : i == 1 ? pb : pc;
            assert_int_equal(socind_state_add(st[o][i], &c), SOCIND_OK);
        }
    assert_int_equal(socind_state_merge(st[0][0], st[0][1]), SOCIND_OK); /* (a+b)+c */
    assert_int_equal(socind_state_merge(st[0][0], st[0][2]), SOCIND_OK);
    assert_int_equal(socind_state_merge(st[1][1], st[1][2]), SOCIND_OK); /* a+(b+c) */
    assert_int_equal(socind_state_merge(st[1][0], st[1][1]), SOCIND_OK);
    for (int o = 0; o < 2; o++) assert_int_equal(socind_state_finish(st[o][0], NULL, &e[o], 1), 0);
    assert_close(e[1].deff, e[0].deff, 1e-15);
    assert_close(e[1].se, e[0].se, 1e-15);
    for (int o = 0; o < 2; o++)
        for (int i = 0; i < 3; i++) socind_state_free(st[o][i]);
    const double w4[4] = {1, 2, 0, 1}, y4[4] = {-1e160, -1e160 * (1 + 1e-12), 1e160, NAN};
    const int64_t p4[4] = {3, 4, 1, 2};
    assert_int_equal(socind_design_new(4, w4, NULL, p4, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_mean(d, y4, NULL, 1, NULL, &ref), SOCIND_OK);
    assert_true(isfinite(ref.deff));
    for (int mode = 0; mode < 2; mode++) {
        socind_state *u = NULL, *v = NULL;
        assert_int_equal(socind_state_new(&sp, &u), SOCIND_OK);
        assert_int_equal(socind_state_new(&sp, &v), SOCIND_OK);
        socind_chunk hi, lo;
        socind_chunk_init(&hi), socind_chunk_init(&lo);
        hi.n = 2, hi.first_row = 2, hi.weight = w4 + 2, hi.y = y4 + 2, hi.psu = p4 + 2;
        lo.n = 2, lo.first_row = 0, lo.weight = w4, lo.y = y4, lo.psu = p4;
        assert_int_equal(socind_state_add(u, &hi), SOCIND_OK); /* the later rows first */
        assert_int_equal(socind_state_add(mode ? v : u, &lo), SOCIND_OK);
        if (mode) assert_int_equal(socind_state_merge(u, v), SOCIND_OK);
        assert_int_equal(socind_state_finish(u, NULL, &got, 1), SOCIND_OK);
        assert_close(got.deff, ref.deff, TOL);
        assert_close(got.se, ref.se, TOL);
        socind_state_free(u), socind_state_free(v);
    }
    socind_design_free(d);
}

/* A domain whose rows all lie in one PSU: each ratio estimate's linearized
 * PSU total is that PSU's sums less the domain's ratio times them, 0 in
 * exact arithmetic, about 1e−17 after rounding — and which of the two came
 * out decided, between memory and states, the beta interval's status (its
 * effective n is p(1 − p)/var: NaN limits where var is 0, [p̂, p̂] where it
 * is 1e−34). Both paths now give SE exactly 0: proportions under every
 * interval, means, ratios, FGT(0, 1, 2), the mean shortfall and the
 * poverty profile's FGT of a group in one PSU, the other domain (several
 * PSUs) as a control. */
static void test_domain_in_one_psu(void **state) {
    (void)state;
    enum { N = 40 };
    double w[N], y[N], y2[N];
    int64_t h[N], p[N];
    int32_t g[N];
    uint64_t r = 0x2545F4914F6CDD1DULL;
    size_t zero_other = 0, other = 0;
    for (int t = 0; t < 200; t++) {
        for (int i = 0; i < N; i++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            w[i] = (double)(1 + (r >> 11) % 500) / 100.0; /* hundredths: rounding in every sum */
            y[i] = (double)((r >> 3) % 5 < 2);
            y2[i] = 1.0 + (double)((r >> 20) % 7);
            p[i] = i / 5, h[i] = p[i] / 4, g[i] = p[i] == 2 ? 0 : 1;
        }
        socind_design *d = NULL;
        assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = N, c.weight = w, c.strata = h, c.psu = p, c.group = g;
        for (int k = 0; k < 12; k++) {
            socind_options o;
            socind_options_init(&o);
            o.ci_dist = SOCIND_CI_NORMAL; /* (the domain's df is 0 under SUBSET) */
            socind_state_spec sp;
            socind_state_spec_init(&sp);
            sp.n_groups = 2, sp.has_psu = 1, sp.has_strata = 1;
            socind_poverty_line L;
            socind_poverty_line_init(&L);
            L.value = 4.0, sp.line = 4.0;
            socind_estimate e[2], s[2];
            c.y = k < 7 ? y : y2, c.y2 = k == 8 ? y : NULL; /* (the ratio's denominator) */
            if (k < 7) {                                    /* a proportion, interval k */
                o.prop_ci = k;
                sp.estimator = k == SOCIND_PROP_CI_LIKELIHOOD ? SOCIND_STATE_PROPORTION_LIKELIHOOD
                                                              : SOCIND_STATE_PROPORTION;
                assert_int_equal(socind_proportion(d, y, g, 2, &o, e), SOCIND_OK);
            } else if (k == 7) {
                sp.estimator = SOCIND_STATE_MEAN;
                assert_int_equal(socind_mean(d, y2, g, 2, &o, e), SOCIND_OK);
            } else if (k == 8) {
                sp.estimator = SOCIND_STATE_RATIO;
                assert_int_equal(socind_ratio(d, y2, y, g, 2, &o, e), SOCIND_OK);
            } else if (k == 9) {
                sp.estimator = SOCIND_STATE_FGT, sp.alpha = (double)(t % 3);
                assert_int_equal(socind_fgt(d, y2, &L, sp.alpha, g, 2, &o, e), SOCIND_OK);
            } else if (k == 10) {
                sp.estimator = SOCIND_STATE_MEAN_SHORTFALL;
                assert_int_equal(socind_mean_shortfall(d, y2, &L, g, 2, &o, e), SOCIND_OK);
            } else { /* the profile: each group's FGT, shares and contribution */
                socind_estimate pe[2 * SOCIND_PROFILE_COUNT], ps[2 * SOCIND_PROFILE_COUNT];
                sp.estimator = SOCIND_STATE_POVERTY_PROFILE, sp.alpha = (double)(t % 3);
                o.prop_ci = t % SOCIND_PROP_CI_COUNT == SOCIND_PROP_CI_LIKELIHOOD
                                ? SOCIND_PROP_CI_BETA
                                : t % SOCIND_PROP_CI_COUNT;
                assert_int_equal(socind_poverty_profile(d, y2, &L, sp.alpha, g, 2, &o, pe),
                                 SOCIND_OK);
                (void)one_chunk_state(&sp, &c, &o, ps, 2 * SOCIND_PROFILE_COUNT);
                for (int j = 0; j < 2 * SOCIND_PROFILE_COUNT; j++) {
                    assert_int_equal(ps[j].status, pe[j].status);
                    assert_close(ps[j].ci_low, pe[j].ci_low, 1e-12);
                }
                assert_true(pe[SOCIND_PROFILE_FGT].se == 0.0 && ps[SOCIND_PROFILE_FGT].se == 0.0);
                continue;
            }
            /* (the finish's status: OK, or a domain's) */
            const int32_t fs = one_chunk_state(&sp, &c, &o, s, 2);
            assert_true(fs == SOCIND_OK || fs == e[0].status || fs == e[1].status);
            for (int j = 0; j < 2; j++) {
                assert_int_equal(s[j].status, e[j].status);
                if (j == 0 && !isnan(e[0].se)) assert_true(e[0].se == 0.0 && s[0].se == 0.0);
                /* (value and limits within the states' bound: [p̂, p̂] or NaN) */
                assert_close(s[j].value, e[j].value, 1e-12);
                assert_close(s[j].ci_low, e[j].ci_low, 1e-12);
                assert_close(s[j].ci_high, e[j].ci_high, 1e-12);
            }
            other++, zero_other += e[1].se == 0.0;
        }
        socind_design_free(d);
    }
    /* the control: the other domain's SEs are not 0 */
    assert_true(zero_other < other / 10);
}

/* The Watts poverty gap ratio log(P0/(P0 − P1)) where the poor sit just
 * below the line (P1 some 1e−9 of P0): P0/(P0 − P1) rounds to within
 * 2^−53 of 1 + P1/P0, and its log kept about 7 digits (1.2e−7 relative
 * here). It is log1p(P1/(P0 − P1)) on both paths now: within 1e−14 of the
 * long double figure, and memory and states within 1e−12 in value and SE.
 * Gaps 2^−30 and 2^−29 against a line of 1 and whole weights make P0 and
 * P1 exact. */
static void test_watts_gap_ratio_small(void **state) {
    (void)state;
    enum { N = 60 };
    double y[N], w[N];
    int64_t st[N], psu[N];
    long double poor = 0.0L, gap = 0.0L;
    for (size_t i = 0; i < N; i++) {
        w[i] = (double)(1 + (i * 7) % 5);
        y[i] = i % 3 == 0 ? 3.0 : i % 3 == 1 ? 1.0 - 0x1p-30 : 1.0 - 0x1p-29;
        if (i % 7 == 0) y[i] = 1.0 - 0x1p-30;
        psu[i] = (int64_t)(i / 5), st[i] = (int64_t)(i / 20);
        if (y[i] < 1.0) poor += w[i], gap += w[i] * (1.0L - y[i]);
    }
    const double exact = (double)log1pl(gap / (poor - gap));
    socind_design *des = NULL;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &des), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 1.0;
    socind_estimate m[SOCIND_WATTSDEC_COUNT], s[SOCIND_WATTSDEC_COUNT];
    assert_int_equal(socind_watts_decomposition(des, y, &L, SOCIND_NONPOS_ERROR, NULL, 1, NULL, m),
                     SOCIND_OK);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_WATTS_DECOMPOSITION;
    sp.has_strata = sp.has_psu = 1;
    sp.line = 1.0;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w, c.strata = st, c.psu = psu, c.y = y;
    assert_int_equal(one_chunk_state(&sp, &c, NULL, s, SOCIND_WATTSDEC_COUNT), SOCIND_OK);
    assert_int_equal(m[SOCIND_WATTSDEC_GAP_RATIO].status, SOCIND_OK);
    assert_close(m[SOCIND_WATTSDEC_GAP_RATIO].value, exact, 1e-14);
    assert_close(s[SOCIND_WATTSDEC_GAP_RATIO].value, exact, 1e-14);
    /* (L_poor = W/P0 − W_pgr is about 1e−18 here, a difference of terms
       1e9 times larger: its SE is a decomposition's derived part that
       cancels, state.h's "Agreement") */
    for (int k = 0; k < SOCIND_WATTSDEC_COUNT; k++) {
        assert_int_equal(s[k].status, m[k].status);
        assert_close(s[k].value, m[k].value, 1e-12);
        assert_true(m[k].se > 0.0);
        if (k != SOCIND_WATTSDEC_THEIL_POOR) assert_close(s[k].se, m[k].se, 1e-12);
    }
    socind_design_free(des);
}

/* A relative mean line over incomes 1e8 + [0, 4): each PSU's Σw·(y − μ̂)
 * is 1e8 times smaller than its Σw·y. The state formed it as a·Σw·y +
 * b·Σw from cells whose Σw·y had lost each product's rounding (3.8e−10
 * from the in-memory SE); its cells now keep those errors and subtract μ̂·Σw
 * as an exact product (socind__dev_from_mean). The line, FGT0 and FGT1
 * against it: memory and states within 1e−12. */
static void test_mean_line_far_from_zero(void **state) {
    (void)state;
    enum { N = 3000 };
    static double y[N], w[N];
    static int64_t st[N], psu[N];
    for (size_t i = 0; i < N; i++) {
        w[i] = (double)(1 + rnd() % 999) / 100.0;
        y[i] = 1e8 + ldexp((double)(rnd() % 4096), -10);
        psu[i] = (int64_t)(i / 100), st[i] = (int64_t)(i / 1000);
    }
    socind_design *des = NULL;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &des), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_MEAN, L.value = 1.0;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w, c.strata = st, c.psu = psu, c.y = y;
    for (int k = 0; k < 3; k++) {
        socind_estimate m, s;
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.has_strata = sp.has_psu = 1;
        sp.line_type = SOCIND_LINE_RELATIVE_MEAN, sp.line = 1.0;
        if (k == 0) {
            sp.estimator = SOCIND_STATE_POVERTY_LINE;
            assert_int_equal(socind_poverty_line_estimate(des, y, &L, NULL, &m), SOCIND_OK);
        } else {
            sp.estimator = SOCIND_STATE_FGT, sp.alpha = k - 1;
            assert_int_equal(socind_fgt(des, y, &L, k - 1, NULL, 1, NULL, &m), SOCIND_OK);
        }
        assert_int_equal(one_chunk_state(&sp, &c, NULL, &s, 1), SOCIND_OK);
        assert_int_equal(s.status, m.status);
        assert_close(s.value, m.value, 1e-12);
        assert_true(m.se > 0.0);
        assert_close(s.se, m.se, 1e-12);
    }
    socind_design_free(des);
}

/* The poverty line's estimate of a fixed line whose weights sum beyond the
 * doubles (four of 1e308): the state's N̂ was Inf + NaN and it said
 * SOCIND_ERR_EMPTY; the in-memory call gave status 0 with a NaN weight sum.
 * Both now give the line, SE 0, weight sum +Inf and SOCIND_ERR_OVERFLOW. */
static void test_fixed_line_weights_overflow(void **state) {
    (void)state;
    double w[4] = {1e308, 1e308, 1e308, 1e308}, y[4] = {1.0, 2.0, 3.0, 1e300};
    int64_t psu[4] = {1, 1, 2, 2};
    socind_design *des = NULL;
    assert_int_equal(socind_design_new(4, w, NULL, psu, NULL, NULL, &des), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 10.0;
    socind_estimate e[2];
    assert_int_equal(socind_poverty_line_estimate(des, y, &L, NULL, &e[0]), SOCIND_OK);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_POVERTY_LINE, sp.has_psu = 1, sp.line = 10.0;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = 4, c.weight = w, c.psu = psu, c.y = y;
    assert_int_equal(one_chunk_state(&sp, &c, NULL, &e[1], 1), SOCIND_OK);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(e[k].status, SOCIND_ERR_OVERFLOW);
        assert_true(e[k].value == 10.0 && e[k].se == 0.0);
        assert_true(isinf(e[k].weight_sum) && e[k].weight_sum > 0.0);
    }
    socind_design_free(des);
}

/* Weights near 1e306 (w·2^1017, w in {1, 2, 3}) whose sum leaves the
 * double range in domain 0 (200 rows), beside a domain of ordinary weights
 * (domain 1, 8 rows), in memory and from states (every pass). Domain 0:
 * every figure NaN with SOCIND_ERR_OVERFLOW, its rows counted and the
 * weight sum +Inf. Before: FGT, Watts and their decompositions said
 * SOCIND_ERR_EMPTY for the whole call in memory (and an estimate status of
 * SOCIND_ERR_EMPTY from states), the mean shortfall SOCIND_ERR_DATA, a
 * median 23 (the largest income) with SOCIND_ERR_OVERFLOW, and the weight
 * sum was NaN (Gini, Sen, SST, share ratio, mean, proportion, total …) or
 * 0 (FGT). Domain 1 keeps its figures. */
static void test_weight_sum_beyond_every_estimator(void **state) {
    (void)state;
    enum { N0 = 200, N1 = 8, N = N0 + N1 };
    double w[N], y[N], b[N];
    int32_t g[N];
    for (int i = 0; i < N; i++) {
        g[i] = i < N0 ? 0 : 1;
        w[i] = i < N0 ? ldexp(1.0 + (double)(i % 3), 1017) : 1.0 + (double)(i % 2);
        y[i] = 1.0 + (double)(i * 7 % 23), b[i] = y[i] < 10.0;
    }
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 10.0;
    const struct {
        int32_t est;
        double alpha, p, p2;
        int nout;
    } cases[] = {
        {SOCIND_STATE_FGT, 0.0, NAN, NAN, 1},
        {SOCIND_STATE_FGT, 1.0, NAN, NAN, 1},
        {SOCIND_STATE_WATTS, NAN, NAN, NAN, 1},
        {SOCIND_STATE_FGT_DECOMPOSITION, 2.0, NAN, NAN, SOCIND_FGTDEC_COUNT},
        {SOCIND_STATE_WATTS_DECOMPOSITION, NAN, NAN, NAN, SOCIND_WATTSDEC_COUNT},
        {SOCIND_STATE_MEAN_SHORTFALL, NAN, NAN, NAN, 1},
        {SOCIND_STATE_POOR_COUNT, NAN, NAN, NAN, 1},
        {SOCIND_STATE_MEAN, NAN, NAN, NAN, 1},
        {SOCIND_STATE_PROPORTION, NAN, NAN, NAN, 1},
        {SOCIND_STATE_TOTAL, NAN, NAN, NAN, 1},
        {SOCIND_STATE_GINI, NAN, NAN, NAN, 1},
        {SOCIND_STATE_SEN, NAN, NAN, NAN, SOCIND_SEN_COUNT},
        {SOCIND_STATE_SST, NAN, NAN, NAN, SOCIND_SST_COUNT},
        {SOCIND_STATE_SHARE_RATIO, NAN, 0.2, 0.8, 1},
        {SOCIND_STATE_LORENZ, NAN, 0.3, NAN, 1},
        {SOCIND_STATE_QUANTILE, NAN, 0.5, NAN, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const int32_t est = cases[k].est;
        const double a = cases[k].alpha, p = cases[k].p;
        const int no = cases[k].nout;
        const double *x = est == SOCIND_STATE_PROPORTION ? b : y;
        socind_estimate em[2 * SOCIND_FGTDEC_COUNT], es[2 * SOCIND_FGTDEC_COUNT];
        int32_t st;
        switch (est) {
        case SOCIND_STATE_FGT:
            st = socind_fgt(d, y, &L, a, g, 2, NULL, em);
            break;
        case SOCIND_STATE_WATTS:
            st = socind_watts(d, y, &L, SOCIND_NONPOS_ERROR, g, 2, NULL, em);
            break;
        case SOCIND_STATE_FGT_DECOMPOSITION:
            st = socind_fgt_decomposition(d, y, &L, a, g, 2, NULL, em);
            break;
        case SOCIND_STATE_WATTS_DECOMPOSITION:
            st = socind_watts_decomposition(d, y, &L, SOCIND_NONPOS_ERROR, g, 2, NULL, em);
            break;
        case SOCIND_STATE_MEAN_SHORTFALL:
            st = socind_mean_shortfall(d, y, &L, g, 2, NULL, em);
            break;
        case SOCIND_STATE_POOR_COUNT:
            st = socind_poor_count(d, y, &L, g, 2, NULL, em);
            break;
        case SOCIND_STATE_MEAN:
            st = socind_mean(d, y, g, 2, NULL, em);
            break;
        case SOCIND_STATE_PROPORTION:
            st = socind_proportion(d, b, g, 2, NULL, em);
            break;
        case SOCIND_STATE_TOTAL:
            st = socind_total(d, y, g, 2, NULL, em);
            break;
        case SOCIND_STATE_GINI:
            st = socind_gini(d, y, g, 2, NULL, em);
            break;
        case SOCIND_STATE_SEN:
            st = socind_sen(d, y, &L, g, 2, NULL, em);
            break;
        case SOCIND_STATE_SST:
            st = socind_sst(d, y, &L, g, 2, NULL, em);
            break;
        case SOCIND_STATE_SHARE_RATIO:
            st = socind_share_ratio(d, y, p, cases[k].p2, g, 2, NULL, em);
            break;
        case SOCIND_STATE_LORENZ:
            st = socind_lorenz(d, y, p, g, 2, NULL, em);
            break;
        default:
            st = socind_quantile(d, y, p, g, 2, NULL, em);
            break;
        }
        assert_int_equal(st, SOCIND_OK);
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = est, sp.n_groups = 2, sp.alpha = a, sp.p = p, sp.p2 = cases[k].p2;
        if (socind__state_is_poverty(est) || socind__state_is_sen(est)) sp.line = 10.0;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = N, c.weight = w, c.y = x, c.group = g;
        assert_int_equal(one_chunk_state(&sp, &c, NULL, es, 2 * (size_t)no), SOCIND_OK);
        for (int j = 0; j < no; j++) {
            const socind_estimate *e2[2] = {&em[j], &es[j]};
            for (int q = 0; q < 2; q++) {
                const socind_estimate *e = e2[q];
                assert_int_equal(e->status, SOCIND_ERR_OVERFLOW);
                assert_true(isnan(e->value) && isnan(e->se));
                assert_true(isinf(e->weight_sum) && e->weight_sum > 0.0);
                assert_int_equal(e->n, N0);
            }
            /* the ordinary domain */
            assert_int_equal(em[no + j].n, N1);
            assert_int_equal(es[no + j].n, N1);
            assert_true(isfinite(em[no + j].weight_sum));
            assert_true(em[no + j].weight_sum == es[no + j].weight_sum);
        }
    }
    socind_design_free(d);
}

/* Weights near 1e306 (w·2^1017, w in {1, 2, 3}, 300 rows in 30 PSUs of
 * 3 strata) whose sum leaves the double range while the sums a total or a
 * ratio reads do not (x 0 but in 1 row of 25, the poor 1 row of 29): the
 * total, the ratio, the number of poor, the total gap and the mean
 * shortfall are figures with status OK and weight sum +Inf, in memory on
 * one thread and on two (through the threads' partial states) and from a
 * state of the rows, overall and by domain: the figures of the weights
 * w (×2^1017 for totals; exact). They had been NaN with
 * SOCIND_ERR_OVERFLOW. The mean, the proportion and FGT, which divide by
 * Σw, stay SOCIND_ERR_OVERFLOW; a ratio whose denominator leaves the range
 * (Σw finite) is SOCIND_ERR_OVERFLOW too, where it had been 0 with SE 0
 * and status OK on every path. */
static void test_totals_weight_sum_beyond(void **state) {
    (void)state;
    enum { N = 300, G = 2 };
    double w[N], ws[N], x[N], b[N], y[N], big[N], ones[N];
    int64_t h[N], p[N];
    int32_t g[N];
    for (int i = 0; i < N; i++) {
        ws[i] = 1.0 + (double)(i % 3), w[i] = ldexp(ws[i], 1017), ones[i] = 1.0;
        x[i] = i % 25 == 4 ? 1.0 : 0.0;
        b[i] = i % 25 == 4 || i % 25 == 17 ? 1.0 : 0.0;
        y[i] = i % 29 == 7 ? 7.0 + (double)(i % 3) : 50.0 + (double)(i % 11);
        big[i] = 1e307 * (1.0 + (double)(i % 2));
        h[i] = i / 100, p[i] = i / 10, g[i] = (int32_t)(i % 2);
    }
    socind_design *d = NULL, *d0 = NULL, *d1 = NULL;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_design_new(N, ws, h, p, NULL, NULL, &d0), SOCIND_OK);
    assert_int_equal(socind_design_new(N, ones, h, p, NULL, NULL, &d1), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 10.0;
    socind_options o2;
    socind_options_init(&o2);
    o2.threads = 2;
    socind__threads_any_rows = 1;
    const int32_t ests[8] = {SOCIND_STATE_TOTAL,          SOCIND_STATE_RATIO,
                             SOCIND_STATE_POOR_COUNT,     SOCIND_STATE_POVERTY_GAP_TOTAL,
                             SOCIND_STATE_MEAN_SHORTFALL, SOCIND_STATE_MEAN,
                             SOCIND_STATE_PROPORTION,     SOCIND_STATE_FGT};
    for (int k = 0; k < 8; k++) {
        const int32_t est = ests[k];
        const int free_of_w = k < 5, total = k != 1 && k != 4;
        const double *v = est == SOCIND_STATE_TOTAL || est == SOCIND_STATE_MEAN ? x
                          : est == SOCIND_STATE_PROPORTION                      ? b
                          : est == SOCIND_STATE_RATIO                           ? x
                                                                                : y;
        double bin[N];
        for (int i = 0; i < N; i++) bin[i] = b[i] != 0.0;
        if (est == SOCIND_STATE_PROPORTION) v = bin;
        for (int grouped = 0; grouped < 2; grouped++) {
            const int32_t *gr = grouped ? g : NULL;
            const int32_t ng = grouped ? G : 0, cnt = grouped ? G : 1;
            /* path 0, 1: in memory on one and two threads; 2: a state;
               3: in memory at the weights w (the reference) */
            socind_estimate e[4][G];
            for (int path = 0; path < 4; path++) {
                const socind_design *dd = path == 3 ? d0 : d;
                const socind_options *o = path == 1 ? &o2 : NULL;
                socind_estimate *out = e[path];
                int32_t st;
                if (path == 2) {
                    socind_state_spec sp;
                    socind_state_spec_init(&sp);
                    sp.estimator = est, sp.n_groups = ng, sp.has_strata = sp.has_psu = 1;
                    sp.alpha = 0.0;
                    if (socind__state_is_poverty(est)) sp.line = 10.0;
                    socind_chunk c;
                    socind_chunk_init(&c);
                    c.n = N, c.weight = w, c.y = v, c.strata = h, c.psu = p, c.group = gr;
                    if (est == SOCIND_STATE_RATIO) c.y2 = b;
                    st = one_chunk_state(&sp, &c, NULL, out, (size_t)cnt);
                } else if (est == SOCIND_STATE_TOTAL) {
                    st = socind_total(dd, v, gr, ng, o, out);
                } else if (est == SOCIND_STATE_RATIO) {
                    st = socind_ratio(dd, v, b, gr, ng, o, out);
                } else if (est == SOCIND_STATE_POOR_COUNT) {
                    st = socind_poor_count(dd, v, &L, gr, ng, o, out);
                } else if (est == SOCIND_STATE_POVERTY_GAP_TOTAL) {
                    st = socind_poverty_gap_total(dd, v, &L, gr, ng, o, out);
                } else if (est == SOCIND_STATE_MEAN_SHORTFALL) {
                    st = socind_mean_shortfall(dd, v, &L, gr, ng, o, out);
                } else if (est == SOCIND_STATE_MEAN) {
                    st = socind_mean(dd, v, gr, ng, o, out);
                } else if (est == SOCIND_STATE_PROPORTION) {
                    st = socind_proportion(dd, v, gr, ng, o, out);
                } else {
                    st = socind_fgt(dd, v, &L, 0.0, gr, ng, o, out);
                }
                assert_int_equal(st, SOCIND_OK);
            }
            for (int j = 0; j < cnt; j++) {
                const socind_estimate *r = &e[3][j];
                assert_int_equal(r->status, SOCIND_OK);
                assert_true(r->se > 0.0);
                for (int path = 0; path < 3; path++) {
                    const socind_estimate *a = &e[path][j];
                    if (a->status != (free_of_w ? SOCIND_OK : SOCIND_ERR_OVERFLOW))
                        print_message("estimator %d grouped %d [%d] path %d: %g (se %g, "
                                      "status %d)\n",
                                      (int)est, grouped, j, path, a->value, a->se, (int)a->status);
                    assert_true(isinf(a->weight_sum) && a->weight_sum > 0.0);
                    assert_int_equal(a->n, r->n);
                    if (!free_of_w) {
                        assert_int_equal(a->status, SOCIND_ERR_OVERFLOW);
                        assert_true(isnan(a->value) && isnan(a->se));
                        continue;
                    }
                    assert_int_equal(a->status, SOCIND_OK);
                    /* in memory on one thread: the same arithmetic, bit
                       for bit; the states' sums, added in their own order,
                       within TOL */
                    const int sc = total ? 1017 : 0;
                    const double tol = path == 0 ? 0.0 : TOL;
                    assert_close(a->value, ldexp(r->value, sc), tol);
                    assert_close(a->se, ldexp(r->se, sc), tol);
                    assert_close(a->ci_low, ldexp(r->ci_low, sc), tol);
                    assert_close(a->ci_high, ldexp(r->ci_high, sc), tol);
                }
            }
        }
    }
    /* a ratio whose denominator leaves the double range, Σw finite */
    for (int path = 0; path < 3; path++) {
        socind_estimate e;
        if (path < 2) {
            assert_int_equal(socind_ratio(d1, x, big, NULL, 0, path ? &o2 : NULL, &e), SOCIND_OK);
        } else {
            socind_state_spec sp;
            socind_state_spec_init(&sp);
            sp.estimator = SOCIND_STATE_RATIO, sp.has_strata = sp.has_psu = 1;
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = N, c.weight = ones, c.y = x, c.y2 = big, c.strata = h, c.psu = p;
            assert_int_equal(one_chunk_state(&sp, &c, NULL, &e, 1), SOCIND_OK);
        }
        assert_int_equal(e.status, SOCIND_ERR_OVERFLOW);
        assert_true(isnan(e.value) && isnan(e.se));
        assert_true(e.weight_sum == (double)N);
    }
    socind__threads_any_rows = 0;
    socind_design_free(d), socind_design_free(d0), socind_design_free(d1);
}

/* Weights near 1e306 whose Σw·y leaves the double range where Σw does
 * not (40 rows): a Lorenz ordinate was 0 with SE 0 and status SOCIND_OK in
 * memory, FGT0 against 0.6 of the mean likewise (the line NaN, no row
 * poor); now SOCIND_ERR_OVERFLOW (the estimate's; the call's for the
 * relative line, as its partial state's), as the states say. */
static void test_income_sum_beyond_wrong_numbers(void **state) {
    (void)state;
    enum { N = 40 };
    double w[N], y[N];
    for (int i = 0; i < N; i++)
        w[i] = ldexp(1.0 + (double)(i % 3), 1017), y[i] = 1.0 + (double)(i * 7 % 23);
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_estimate e, es;
    assert_int_equal(socind_lorenz(d, y, 0.3, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_ERR_OVERFLOW);
    assert_true(isnan(e.value) && isnan(e.se));
    assert_true(e.weight_sum > 1e308 && isfinite(e.weight_sum));
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_LORENZ, sp.p = 0.3;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w, c.y = y;
    assert_int_equal(one_chunk_state(&sp, &c, NULL, &es, 1), SOCIND_OK);
    assert_int_equal(es.status, SOCIND_ERR_OVERFLOW);
    assert_true(isnan(es.value));
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_MEAN, L.value = 0.6;
    assert_int_equal(socind_fgt(d, y, &L, 0.0, NULL, 0, NULL, &e), SOCIND_ERR_OVERFLOW);
    assert_true(isnan(e.value));
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_FGT, sp.alpha = 0.0, sp.line_type = SOCIND_LINE_RELATIVE_MEAN;
    sp.line = 0.6;
    const int32_t ss = one_chunk_state(&sp, &c, NULL, &es, 1);
    assert_true(ss == SOCIND_ERR_OVERFLOW || es.status == SOCIND_ERR_OVERFLOW);
    assert_true(isnan(es.value));
    socind_design_free(d);
}

/* The state of c's rows cut into chunks at cut[0 .. 3) (one of them empty,
 * PSUs split across them), merged, every pass; finished into e. */
static int32_t chunked_state(const socind_state_spec *sp, const socind_chunk *c,
                             const size_t cut[3], socind_estimate *e, size_t count) {
    const size_t lo[4] = {0, cut[0], cut[1], cut[2]}, hi[4] = {cut[0], cut[1], cut[2], c->n};
    socind_state *prev = NULL, *m = NULL; /* the previous pass's merged state; this pass's */
    for (;;) {
        for (int k = 0; k < 4; k++) {
            socind_state *part = NULL;
            if (prev)
                assert_int_equal(socind_state_next_pass(prev, &part), SOCIND_OK);
            else
                assert_int_equal(socind_state_new(sp, &part), SOCIND_OK);
            socind_chunk ch = *c;
            ch.n = hi[k] - lo[k], ch.first_row = (int64_t)lo[k];
            ch.weight = c->weight + lo[k], ch.strata = c->strata + lo[k], ch.psu = c->psu + lo[k];
            ch.y = c->y + lo[k], ch.group = c->group ? c->group + lo[k] : NULL;
            assert_int_equal(socind_state_add(part, &ch), SOCIND_OK);
            if (k == 0) {
                m = part;
            } else {
                assert_int_equal(socind_state_merge(m, part), SOCIND_OK);
                socind_state_free(part);
            }
        }
        socind_state_free(prev);
        prev = m;
        int32_t pass, passes;
        assert_int_equal(socind_state_passes(m, &pass, &passes), SOCIND_OK);
        if (pass >= passes) break;
    }
    const int32_t st = socind_state_finish(m, NULL, e, count);
    socind_state_free(m);
    return st;
}

/* A proportion or FGT0 within 1e−9 of 1: each PSU's Σw·x − P·Σw cancelled
 * by 1 − P (700 rows a PSU, weights spanning 2^±20), so that memory, the
 * threads and states were 2e−12 to 6e−9 apart in the SE. Every path now
 * forms (Q·Σw·x − P·Σw·(1 − x))/N with Q = Σw·(1 − x)/N from the
 * complement's own sums. Held: the proportion and FGT0 against a fixed
 * line (and the decompositions' P0, and the profile's share of the group
 * of poor rows) within 1e−12 of the same linearization in long double, in
 * memory on one thread and on two and from chunked states; by domains,
 * FGT0 against a mean and a quantile line and the profile's FGT0 of a
 * group, memory against states within 1e−12. */
static void test_proportion_near_one(void **state) {
    (void)state;
    enum { N = 14000, PER = 700, STRATA = 4 };
    static double y[N], w[N], x[N];
    static int64_t st[N], psu[N];
    static int32_t grp[N];
    uint64_t seed = 20261206;
    long double total = 0.0L;
    for (size_t i = 0; i < N; i++) {
        const double u = (double)(xorshift(&seed) >> 11) * 0x1p-53;
        w[i] = ldexp(1.0 + (double)(xorshift(&seed) >> 11) * 0x1p-53, (int)(u * 40.0) - 20);
        y[i] = 50.0 + (double)(xorshift(&seed) % 1000) / 1000.0, x[i] = 1.0;
        psu[i] = (int64_t)(i / PER), st[i] = (int64_t)(i / (N / STRATA));
        grp[i] = (int32_t)(psu[i] % 2);
        total += w[i];
    }
    /* seven rows not poor (x = 0) holding about 1e−9 of the weight, and
       seven poor ones as light (the profile's third grouping, below) */
    for (size_t i = N / 14; i < N; i += N / 7) {
        y[i] = 1e6, x[i] = 0.0;
        w[i] = (double)(1e-9L * total / 7.0L);
        w[i - N / 28] = w[i];
    }
    /* the linearization in long double from the complement's sums */
    long double A = 0.0L, C = 0.0L, z[N / PER] = {0.0L};
    for (size_t i = 0; i < N; i++) {
        if (x[i] == 1.0)
            A += w[i];
        else
            C += w[i];
    }
    const long double Nt = A + C, P = A / Nt, Q = C / Nt;
    for (size_t i = 0; i < N; i++) z[psu[i]] += (x[i] == 1.0 ? w[i] * Q : -w[i] * P) / Nt;
    long double V = 0.0L;
    const size_t per_stratum = (N / PER) / STRATA;
    for (size_t h = 0; h < STRATA; h++) {
        long double m = 0.0L, q = 0.0L;
        for (size_t i = 0; i < per_stratum; i++) m += z[h * per_stratum + i];
        m /= (long double)per_stratum;
        for (size_t i = 0; i < per_stratum; i++) {
            const long double d = z[h * per_stratum + i] - m;
            q += d * d;
        }
        V += q * (long double)per_stratum / (long double)(per_stratum - 1);
    }
    const double se = (double)sqrtl(V);
    assert_true(1.0 - (double)P > 1e-10 && 1.0 - (double)P < 1e-8);
    socind_design *des = NULL;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &des), SOCIND_OK);
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w, c.strata = st, c.psu = psu;
    const size_t cut[3] = {N / 3 + 17, N / 3 + 17, 2 * N / 3 + 5};
    /* est, line type, line, quantile, domains */
    const struct {
        int32_t est, type;
        double line, q;
        int32_t ng;
    } cases[] = {
        {SOCIND_STATE_PROPORTION, 0, NAN, NAN, 0},
        {SOCIND_STATE_FGT, SOCIND_LINE_ABSOLUTE, 100.0, NAN, 0},
        {SOCIND_STATE_FGT_DECOMPOSITION, SOCIND_LINE_ABSOLUTE, 100.0, NAN, 0},
        {SOCIND_STATE_WATTS_DECOMPOSITION, SOCIND_LINE_ABSOLUTE, 100.0, NAN, 0},
        {SOCIND_STATE_PROPORTION, 0, NAN, NAN, 2},
        {SOCIND_STATE_FGT, SOCIND_LINE_ABSOLUTE, 100.0, NAN, 2},
        {SOCIND_STATE_FGT, SOCIND_LINE_RELATIVE_MEAN, 1.03, NAN, 0},
        {SOCIND_STATE_FGT, SOCIND_LINE_RELATIVE_MEAN, 1.03, NAN, 2},
        {SOCIND_STATE_FGT, SOCIND_LINE_RELATIVE_QUANTILE, 1.02, 0.99999, 0},
        {SOCIND_STATE_FGT_DECOMPOSITION, SOCIND_LINE_RELATIVE_QUANTILE, 1.02, 0.99999, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const int32_t est = cases[k].est, ng = cases[k].ng, G = ng ? ng : 1;
        const int32_t per = est == SOCIND_STATE_FGT_DECOMPOSITION     ? SOCIND_FGTDEC_COUNT
                            : est == SOCIND_STATE_WATTS_DECOMPOSITION ? SOCIND_WATTSDEC_COUNT
                                                                      : 1;
        const int32_t at = est == SOCIND_STATE_FGT_DECOMPOSITION     ? SOCIND_FGTDEC_P0
                           : est == SOCIND_STATE_WATTS_DECOMPOSITION ? SOCIND_WATTSDEC_P0
                                                                     : 0;
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        L.type = cases[k].type, L.value = cases[k].line;
        if (!isnan(cases[k].q)) L.quantile = cases[k].q;
        socind_estimate m[3][2 * SOCIND_FGTDEC_COUNT];
        for (int t = 0; t < 2; t++) {
            socind_options o;
            socind_options_init(&o);
            o.threads = t + 1;
            socind__threads_any_rows = t;
            socind__threads_ran = 0;
            socind_estimate *e = m[t];
            const int32_t *g = ng ? grp : NULL;
            int32_t r;
            if (est == SOCIND_STATE_PROPORTION)
                r = socind_proportion(des, x, g, ng, &o, e);
            else if (est == SOCIND_STATE_FGT)
                r = socind_fgt(des, y, &L, 0.0, g, ng, &o, e);
            else if (est == SOCIND_STATE_FGT_DECOMPOSITION)
                r = socind_fgt_decomposition(des, y, &L, 2.0, g, ng, &o, e);
            else
                r = socind_watts_decomposition(des, y, &L, SOCIND_NONPOS_ERROR, g, ng, &o, e);
            assert_int_equal(r, SOCIND_OK);
            /* (the second call on threads, but against a relative line over
               the whole sample: their pass, twice for FGT0 and the
               decompositions) */
            const int relative = cases[k].type == SOCIND_LINE_RELATIVE_MEAN ||
                                 cases[k].type == SOCIND_LINE_RELATIVE_QUANTILE;
            if (t && (!relative || ng)) assert_true(socind__threads_ran > 1);
        }
        socind__threads_any_rows = 0;
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = est, sp.has_strata = sp.has_psu = 1, sp.n_groups = ng;
        if (est != SOCIND_STATE_PROPORTION) {
            sp.line_type = cases[k].type, sp.line = cases[k].line, sp.p = cases[k].q;
            sp.alpha = est == SOCIND_STATE_FGT_DECOMPOSITION ? 2.0 : 0.0;
        }
        c.y = est == SOCIND_STATE_PROPORTION ? x : y, c.group = ng ? grp : NULL;
        assert_int_equal(chunked_state(&sp, &c, cut, m[2], (size_t)(G * per)), SOCIND_OK);
        for (int32_t g = 0; g < G; g++) {
            const socind_estimate *e0 = &m[0][g * per + at];
            assert_int_equal(e0->status, SOCIND_OK);
            assert_true(e0->value > 0.999999 && e0->value < 1.0 && e0->se > 0.0);
            for (int t = 0; t < 3; t++) {
                const socind_estimate *e = &m[t][g * per + at];
                if (ng == 0 && cases[k].type == SOCIND_LINE_ABSOLUTE) {
                    assert_close(e->value, (double)P, 1e-15);
                    assert_close(e->se, se, 1e-12);
                }
                assert_close(e->value, e0->value, 1e-15);
                assert_close(e->se, e0->se, 1e-12);
            }
        }
    }
    /* the profile (its general form for a group's share, contribution or
       contribution share, its own part and the whole sample's, lost about
       2^−26 of the parts' SEs: 37 % here, or gave 0): the group of poor
       rows, whose share and contribution are the proportion above; each
       PSU-parity group's FGT0; and the group of all rows but the seven
       light poor ones, whose three are near 1, against a proportion of its
       indicator for its share */
    static int32_t poor[N], light[N];
    static double in_light[N];
    for (size_t i = 0; i < N; i++) {
        poor[i] = x[i] == 1.0 ? 0 : 1;
        light[i] = 0, in_light[i] = 1.0;
    }
    for (size_t i = N / 28; i < N; i += N / 7) light[i] = 1, in_light[i] = 0.0;
    socind_estimate ref;
    assert_int_equal(socind_proportion(des, in_light, NULL, 0, NULL, &ref), SOCIND_OK);
    for (int k = 0; k < 3; k++) {
        const int32_t *g = k == 0 ? poor : k == 1 ? grp : light;
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        L.value = 100.0;
        socind_estimate m[2][2 * SOCIND_PROFILE_COUNT];
        assert_int_equal(socind_poverty_profile(des, y, &L, 0.0, g, 2, NULL, m[0]), SOCIND_OK);
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = SOCIND_STATE_POVERTY_PROFILE, sp.has_strata = sp.has_psu = 1;
        sp.n_groups = 2, sp.line = 100.0, sp.alpha = 0.0;
        c.y = y, c.group = g;
        assert_int_equal(chunked_state(&sp, &c, cut, m[1], 2 * SOCIND_PROFILE_COUNT), SOCIND_OK);
        /* (group, part) pairs */
        const int pairs[3][3][2] = {
            {{0, SOCIND_PROFILE_SHARE}, {0, SOCIND_PROFILE_CONTRIBUTION}, {-1, 0}},
            {{0, SOCIND_PROFILE_FGT}, {1, SOCIND_PROFILE_FGT}, {-1, 0}},
            {{0, SOCIND_PROFILE_SHARE},
             {0, SOCIND_PROFILE_CONTRIBUTION},
             {0, SOCIND_PROFILE_CONTRIBUTION_SHARE}}};
        for (int q = 0; q < 3 && pairs[k][q][0] >= 0; q++) {
            const int at = pairs[k][q][0] * SOCIND_PROFILE_COUNT + pairs[k][q][1];
            const socind_estimate *e0 = &m[0][at];
            assert_int_equal(e0->status, SOCIND_OK);
            assert_true(e0->value > 0.999999 && e0->value < 1.0 && e0->se > 0.0);
            for (int t = 0; t < 2; t++) {
                const socind_estimate *e = &m[t][at];
                if (k == 0) assert_close(e->se, se, 1e-12);
                if (k == 2 && q == 0) assert_close(e->se, ref.se, 1e-12);
                assert_close(e->value, e0->value, 1e-15);
                assert_close(e->se, e0->se, 1e-12);
            }
        }
    }
    socind_design_free(des);
}

/* A mean's state of many domains fed many small chunks: an add works on
 * its rows and the cells of the domains whose shift moves, a merge on
 * from's domains with a shift and the cells that move, never on every
 * domain (socind__state_shift_visits; each add scanned and copied all
 * 10^6 domains, 2·10^9 entries for these 2,000 chunks); the chunks come in
 * reverse order, so that shifts move, in two states merged. The figures
 * are the in-memory call's and the bytes read back to the same bytes. */
static void test_mean_many_domains(void **state) {
    (void)state;
    const int32_t G = 1000000;
    const size_t n = 10000, per = 5, nch = n / per;
    double *w = malloc(n * sizeof *w), *y = malloc(n * sizeof *y);
    int64_t *psu = malloc(n * sizeof *psu);
    int32_t *g = malloc(n * sizeof *g);
    int64_t *rows_of = calloc(1000, sizeof *rows_of);
    for (size_t i = 0; i < n; i++) {
        w[i] = i % 41 == 3 ? 0.0 : 1.0 + (double)(i % 5);
        y[i] = i % 59 == 2 ? NAN : 1e6 + (double)((i * 37) % 101) / 4.0;
        psu[i] = (int64_t)(i / 3);
        const int32_t code = (int32_t)((i * 7919) % 997);
        g[i] = i % 43 == 1 ? -1 : code * 1003; /* 997 domains in [0, 10^6) */
        if (g[i] >= 0) rows_of[code]++;
    }
    /* the most cells a move can reach: a domain's cells are at most its
       rows, and its shift moves at most once a row */
    int64_t bound = (int64_t)n;
    for (int k = 0; k < 997; k++) bound += rows_of[k] * rows_of[k];
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_MEAN;
    sp.n_groups = G;
    sp.has_psu = 1;
    socind_state *s[2];
    for (int k = 0; k < 2; k++) assert_int_equal(socind_state_new(&sp, &s[k]), SOCIND_OK);
    socind__state_shift_visits = 0;
    for (size_t k = nch; k-- > 0;) {
        socind_chunk c;
        socind_chunk_init(&c);
        const size_t a = k * per;
        c.n = per, c.first_row = (int64_t)a, c.weight = w + a, c.y = y + a, c.psu = psu + a;
        c.group = g + a;
        assert_int_equal(socind_state_add(s[k % 2], &c), SOCIND_OK);
    }
    assert_int_equal(socind_state_merge(s[0], s[1]), SOCIND_OK);
    assert_true(socind__state_shift_visits > 0);
    assert_true(socind__state_shift_visits <= bound);
    assert_true(bound < 200000);
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(n, w, NULL, psu, NULL, NULL, &d), SOCIND_OK);
    socind_estimate *ref = malloc((size_t)G * sizeof *ref), *got = malloc((size_t)G * sizeof *got);
    assert_int_equal(socind_mean(d, y, g, G, NULL, ref), SOCIND_OK);
    assert_int_equal(socind_state_finish(s[0], NULL, got, (size_t)G), SOCIND_OK);
    int seen = 0;
    for (int k = 0; k < 997; k++) {
        const size_t q = (size_t)k * 1003;
        assert_int_equal(got[q].status, ref[q].status);
        assert_int_equal(got[q].n, ref[q].n);
        if (ref[q].status != SOCIND_OK) continue;
        seen++;
        assert_close(got[q].value, ref[q].value, TOL);
        assert_close(got[q].se, ref[q].se, TOL);
        assert_close(got[q].deff, ref[q].deff, TOL);
    }
    assert_true(seen > 900);
    assert_int_equal(got[1].status, ref[1].status); /* a domain without rows */
    size_t len, len2;
    socind_state_to_bytes(s[0], NULL, 0, &len);
    unsigned char *b = malloc(len), *b2 = malloc(len);
    assert_int_equal(socind_state_to_bytes(s[0], b, len, &len), SOCIND_OK);
    socind_state *t = NULL;
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
    assert_int_equal(socind_state_to_bytes(t, b2, len, &len2), SOCIND_OK);
    assert_int_equal(len2, len);
    assert_memory_equal(b, b2, len);
    socind_state_free(t);
    for (int k = 0; k < 2; k++) socind_state_free(s[k]);
    free(b), free(b2), free(ref), free(got), free(w), free(y), free(psu), free(g), free(rows_of);
    socind_design_free(d);
}

/* This process's resident memory in kB (/proc/self/status), or −1. */
static long vm_rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

/* Making a state of many domains writes nothing a domain: a mean's of
 * 10^7 domains (its shifts were written: 160 MB), then rows in three of
 * them, a merge and more domains, and a proportion's likelihood state of
 * 5·10^6 (its sums were written: 640 MB) and rows in three, a merge (which
 * wrote every domain's sums: 560 MB) and more domains (which copied and
 * zeroed them), each add to the process's resident memory well below a
 * byte a domain. */
static void test_many_domains_touch_no_memory(void **state) {
    (void)state;
    if (vm_rss_kb() < 0) skip();
    const int32_t ests[2] = {SOCIND_STATE_MEAN, SOCIND_STATE_PROPORTION_LIKELIHOOD};
    const int32_t Gs[2] = {10000000, 5000000};
    for (int e = 0; e < 2; e++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = ests[e];
        sp.n_groups = Gs[e];
        const long kb0 = vm_rss_kb();
        socind_state *s = NULL, *t = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        const double w[3] = {1.0, 2.0, 1.5}, y[3] = {1.0, 0.0, 1.0};
        const int32_t g[3] = {0, Gs[e] / 2, Gs[e] - 1};
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = 3, c.first_row = 0, c.weight = w, c.y = y, c.group = g;
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
        { /* merging and growing read the domains with rows, not every domain */
            c.first_row = 3;
            assert_int_equal(socind_state_new(&sp, &t), SOCIND_OK);
            assert_int_equal(socind_state_add(t, &c), SOCIND_OK);
            assert_int_equal(socind_state_merge(s, t), SOCIND_OK);
            assert_int_equal(socind_state_set_groups(s, Gs[e] + Gs[e] / 2), SOCIND_OK);
        }
        const long kb1 = vm_rss_kb();
        printf("  %s, %d domains: VmRSS %+ld kB\n", e ? "likelihood" : "mean", (int)Gs[e],
               kb1 - kb0);
        assert_true(kb1 - kb0 < 8192); /* (under 1 byte a domain) */
        socind_state_free(s), socind_state_free(t);
    }
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        SPLIT_ONE_THREAD(test_every_estimator_chunked),
        SPLIT_ONE_THREAD(test_lonely_policies),
        SPLIT_ONE_THREAD(test_bad_rows),
        SPLIT_ONE_THREAD(test_spec_and_mismatch),
        SPLIT_ONE_THREAD(test_groups_past_int32),
        SPLIT_ONE_THREAD(test_bytes_refused),
        SPLIT_ONE_THREAD(test_bytes_found_by_fuzzing),
        SPLIT_ONE_THREAD(test_merge_commutes_exactly),
        SPLIT_ONE_THREAD(test_counts_do_not_overflow),
        SPLIT_ONE_THREAD(test_negative_weight_sums_every_path),
        SPLIT_ONE_THREAD(test_ge_decomposition_reserves_no_groups),
        SPLIT_THREADS(test_threads),
        SPLIT_THREADS(test_threads_psu_ranges),
        SPLIT_ONE_THREAD(test_large_psu_runs),
        SPLIT_ONE_THREAD(test_large_psu_every_family),
        SPLIT_THREADS(test_domains_on_threads),
        SPLIT_ONE_THREAD(test_set_groups),
        SPLIT_ONE_THREAD(test_profile_share_of_every_row),
        SPLIT_ONE_THREAD(test_profile_share_not_of_every_row),
        SPLIT_ONE_THREAD(test_zero_weight_domain_counts_its_rows),
        SPLIT_THREADS(test_zero_weight_domain_mean),
        SPLIT_THREADS(test_zero_weight_rows_poor_median),
        SPLIT_THREADS(test_ge_near_zero_and_one),
        SPLIT_THREADS(test_mean_sum_beyond_range),
        SPLIT_ONE_THREAD(test_domain_in_one_psu),
        SPLIT_THREADS(test_mean_far_from_zero),
        SPLIT_ONE_THREAD(test_incomes_far_from_one),
        SPLIT_ONE_THREAD(test_relative_line_heavy_weights),
        SPLIT_ONE_THREAD(test_watts_gap_ratio_small),
        SPLIT_ONE_THREAD(test_mean_line_far_from_zero),
        SPLIT_ONE_THREAD(test_fixed_line_weights_overflow),
        SPLIT_ONE_THREAD(test_weight_sum_beyond_every_estimator),
        SPLIT_THREADS(test_totals_weight_sum_beyond),
        SPLIT_ONE_THREAD(test_income_sum_beyond_wrong_numbers),
        SPLIT_THREADS(test_proportion_near_one),
        SPLIT_THREADS(test_weights_far_from_one),
        SPLIT_THREADS(test_gap_income_far_above_line),
        SPLIT_THREADS(test_absolute_line_ignores_lines),
        SPLIT_THREADS(test_gap_per_row_lines_far_from_one),
        SPLIT_ONE_THREAD(test_ge_atkinson_weights_far_from_one),
        SPLIT_ONE_THREAD(test_mean_bytes),
        SPLIT_ONE_THREAD(test_mean_shift_order),
        SPLIT_ONE_THREAD(test_mean_many_domains),
        SPLIT_ONE_THREAD(test_many_domains_touch_no_memory),
    };
    return split_run(tests, households_setup, households_teardown);
}
