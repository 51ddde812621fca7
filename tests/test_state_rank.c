/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_state_rank.c — partial states of the rank-based estimates
 * (socind/state.h: quantiles, the poverty line and every poverty measure
 * against relative lines, Gini, share ratios, Lorenz ordinates) against
 * the in-memory estimators on the poverty reference sample (and a
 * proportion's likelihood state, two passes without ranks): with and
 * without domains and fpc, missing values, zero weights and rows in no
 * domain, the rows shuffled and cut into random chunks (empty ones
 * included, PSUs split across chunks, domains missing from chunks), the
 * states merged in random orders, some through their bytes; plus the
 * contract: parameters, passes, damaged and truncated bytes of the rows. */
#include "households.h"
#include "test_split.h"
#include "state_internal.h" /* socind__gini_budget */

#define TOL 1e-12
#define NOISE 1e-15
#define RQ SOCIND_LINE_RELATIVE_QUANTILE
#define RM SOCIND_LINE_RELATIVE_MEAN

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

typedef struct {
    size_t n;
    double *w, *y, *fpc;
    int64_t *h, *p;
    int32_t *g;
    int32_t ng;
} data;

static void data_make(const households *f, data *d) {
    d->n = f->n;
    d->w = malloc(f->n * sizeof *d->w);
    d->y = malloc(f->n * sizeof *d->y);
    d->fpc = f->fpc, d->h = f->stratum, d->p = f->psu;
    int64_t codes[64];
    d->g = households_subdistricts(f, codes, &d->ng);
    for (size_t k = 0; k < f->n; k++) {
        d->w[k] = k % 97 == 5 ? 0.0 : f->w[k];
        d->y[k] = k % 61 == 7 ? NAN : f->y[k];
        if (k % 53 == 11) d->g[k] = -1;
    }
}

static void data_free(data *d) {
    free(d->w), free(d->y), free(d->g);
}

/* One estimate: the estimator, alpha (FGT family), the line's type and
 * fraction, p and p2, domains, fpc, lonely-PSU policy. */
typedef struct {
    int32_t est;
    double alpha;
    int32_t line_type;
    double fraction, p, p2;
    int grouped, fpc;
    int32_t lonely;
    int nopsu; /* 1: no PSU column (each row its own PSU), strata kept */
} case_t;

/* The Gini and the indices built on its state (the Sen and SST indices). */
static int gini_like(int32_t est) {
    return est == SOCIND_STATE_GINI || est == SOCIND_STATE_SEN || est == SOCIND_STATE_SST;
}

static size_t per_domain(int32_t est) {
    return est == SOCIND_STATE_SEN                   ? SOCIND_SEN_COUNT
           : est == SOCIND_STATE_SST                 ? SOCIND_SST_COUNT
           : est == SOCIND_STATE_FGT_DECOMPOSITION   ? SOCIND_FGTDEC_COUNT
           : est == SOCIND_STATE_WATTS_DECOMPOSITION ? SOCIND_WATTSDEC_COUNT
                                                     : 1;
}

/* The in-memory call on the rows in the order order[0 .. n) (the order
 * the states number them in), with opts (NULL: the defaults). */
static int32_t in_memory_order_opts(const data *d0, const size_t *order, const case_t *c,
                                    const socind_options *opts, socind_estimate *out) {
    data dd = *d0, *d = &dd;
    const size_t n = d0->n;
    dd.w = malloc(n * sizeof *dd.w), dd.y = malloc(n * sizeof *dd.y);
    dd.fpc = malloc(n * sizeof *dd.fpc);
    dd.h = malloc(n * sizeof *dd.h), dd.p = malloc(n * sizeof *dd.p);
    dd.g = malloc(n * sizeof *dd.g);
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        dd.w[k] = d0->w[i], dd.y[k] = d0->y[i], dd.fpc[k] = d0->fpc[i];
        dd.h[k] = d0->h[i], dd.p[k] = d0->p[i], dd.g[k] = d0->g[i];
    }
    socind_design_options o;
    socind_design_options_init(&o);
    o.lonely_psu = c->lonely;
    socind_design *des = NULL;
    int32_t st = socind_design_new(d->n, d->w, d->h, c->nopsu ? NULL : d->p, c->fpc ? d->fpc : NULL,
                                   &o, &des);
    if (st) goto done;
    const int32_t *g = c->grouped ? d->g : NULL;
    const int32_t ng = c->grouped ? d->ng : 1;
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = c->line_type;
    L.value = c->fraction;
    if (c->line_type == SOCIND_LINE_RELATIVE_QUANTILE && !isnan(c->p)) L.quantile = c->p;
    switch (c->est) {
    case SOCIND_STATE_QUANTILE:
        st = socind_quantile(des, d->y, c->p, g, ng, opts, out);
        break;
    case SOCIND_STATE_POVERTY_LINE:
        st = socind_poverty_line_estimate(des, d->y, &L, opts, out);
        break;
    case SOCIND_STATE_GINI:
        st = socind_gini(des, d->y, g, ng, opts, out);
        break;
    case SOCIND_STATE_SEN:
        st = socind_sen(des, d->y, &L, g, ng, opts, out);
        break;
    case SOCIND_STATE_SST:
        st = socind_sst(des, d->y, &L, g, ng, opts, out);
        break;
    case SOCIND_STATE_SHARE_RATIO:
        st = socind_share_ratio(des, d->y, c->p, c->p2, g, ng, opts, out);
        break;
    case SOCIND_STATE_LORENZ:
        st = socind_lorenz(des, d->y, c->p, g, ng, opts, out);
        break;
    case SOCIND_STATE_FGT:
        st = socind_fgt(des, d->y, &L, c->alpha, g, ng, opts, out);
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
        st = socind_fgt_decomposition(des, d->y, &L, c->alpha, g, ng, opts, out);
        break;
    case SOCIND_STATE_PROPORTION_LIKELIHOOD: /* (y holding 0, 1 or NaN) */
        st = socind_proportion(des, d->y, g, ng, opts, out);
        break;
    case SOCIND_STATE_POOR_MEDIAN:
        st = socind_poor_median(des, d->y, c->fraction, L.quantile, g, ng, opts, out);
        break;
    case SOCIND_STATE_RELATIVE_MEDIAN_GAP:
        st = socind_relative_median_gap(des, d->y, c->fraction, L.quantile, g, ng, opts, out);
        break;
    default:
        st = socind_watts_decomposition(des, d->y, &L, SOCIND_NONPOS_ERROR, g, ng, opts, out);
        break;
    }
done:
    socind_design_free(des);
    free(dd.w), free(dd.y), free(dd.fpc), free(dd.h), free(dd.p), free(dd.g);
    return st;
}

static int32_t in_memory_order(const data *d0, const size_t *order, const case_t *c,
                               socind_estimate *out) {
    return in_memory_order_opts(d0, order, c, NULL, out);
}

static void spec_of(const case_t *c, const data *d, socind_state_spec *sp) {
    socind_state_spec_init(sp);
    sp->estimator = c->est;
    sp->n_groups = c->grouped ? d->ng : 0;
    sp->has_strata = 1;
    sp->has_psu = !c->nopsu;
    sp->has_fpc = c->fpc;
    sp->lonely_psu = c->lonely;
    sp->line_type = c->line_type;
    sp->line = c->fraction;
    sp->alpha = c->alpha;
    sp->p = c->p;
    sp->p2 = c->p2;
}

/* A state of the rows order[a .. b), numbered from a. */
static socind_state *copy_of(const socind_state *s);

/* A state of the rows order[a .. b), numbered from a: of pass 1, or of the
 * pass of tmpl (an empty state made by socind_state_next_pass, copied
 * through its bytes as a worker elsewhere would get it). */
static socind_state *state_of_pass(const data *d, const case_t *c, const size_t *order, size_t a,
                                   size_t b, const socind_state *tmpl) {
    socind_state_spec sp;
    spec_of(c, d, &sp);
    socind_state *s = NULL;
    if (tmpl)
        s = copy_of(tmpl);
    else
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    size_t m = b - a;
    double *w = malloc((m + 1) * sizeof *w), *y = malloc((m + 1) * sizeof *y),
           *f = malloc((m + 1) * sizeof *f);
    int64_t *h = malloc((m + 1) * sizeof *h), *p = malloc((m + 1) * sizeof *p);
    int32_t *g = malloc((m + 1) * sizeof *g);
    for (size_t i = 0; i < m; i++) {
        size_t k = order[a + i];
        w[i] = d->w[k], y[i] = d->y[k], f[i] = d->fpc[k];
        h[i] = d->h[k], p[i] = d->p[k], g[i] = d->g[k];
    }
    socind_chunk ch;
    socind_chunk_init(&ch);
    ch.n = m;
    ch.first_row = (int64_t)a;
    ch.weight = w, ch.y = y, ch.strata = h, ch.psu = c->nopsu ? NULL : p;
    ch.fpc = c->fpc ? f : NULL;
    ch.group = c->grouped ? g : NULL;
    assert_int_equal(socind_state_add(s, &ch), SOCIND_OK);
    free(w), free(y), free(f), free(h), free(p), free(g);
    return s;
}

static socind_state *state_of(const data *d, const case_t *c, const size_t *order, size_t a,
                              size_t b) {
    return state_of_pass(d, c, order, a, b, NULL);
}

static socind_state *copy_of(const socind_state *s) {
    size_t len = 0;
    assert_int_equal(socind_state_to_bytes(s, NULL, 0, &len), SOCIND_OK);
    unsigned char *buf = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, buf, len, &len), SOCIND_OK);
    socind_state *t = NULL;
    assert_int_equal(socind_state_from_bytes(buf, len, &t), SOCIND_OK);
    free(buf);
    return t;
}

static socind_state *through_bytes(socind_state *s) {
    size_t len = 0;
    assert_int_equal(socind_state_to_bytes(s, NULL, 0, &len), SOCIND_OK);
    unsigned char *buf = malloc(len);
    size_t len2 = 0;
    assert_int_equal(socind_state_to_bytes(s, buf, len, &len2), SOCIND_OK);
    assert_int_equal(len2, len);
    socind_state *t = NULL;
    int32_t st = socind_state_from_bytes(buf, len, &t);
    if (st) print_error("%s\n", socind_last_error_detail());
    assert_int_equal(st, SOCIND_OK);
    free(buf);
    socind_state_free(s);
    return t;
}

static const case_t *cur_case;
static size_t cur_index;
static int cur_round;
static double worst;   /* the largest relative difference seen against the data's order */
static double worst_q; /* the same for quantiles over passes against the same order */
static double *worst_at = &worst;
static int unstable;      /* estimates the in-memory call gives differently by the rows' order */
static int unstable_here; /* quantiles over passes off the in-memory call on the same order */

/* (figures that are rounding noise in exact arithmetic, below 1e−9 of the
 * estimate, are left out of the largest relative difference) */
static void note(double a, double e, double scale) {
    if (isfinite(a) && isfinite(e) && fabs(e) > 1e-9 * fmax(scale, 1e-3)) {
        double r = fabs(a - e) / fabs(e);
        if (r > *worst_at) {
            *worst_at = r;
            if (getenv("SOCIND_TEST_VERBOSE"))
                print_message("worst %.3g: %.17g against %.17g (estimator %d, estimate %zu)\n", r,
                              a, e, (int)cur_case->est, cur_index);
        }
    }
}

static int near(double a, double e) {
    return fabs(a - e) <= TOL * fabs(e) + NOISE * fmax(fabs(e), 1.0) || (isnan(a) && isnan(e));
}
static int within(const socind_estimate *a, const socind_estimate *e) {
    return a->status == e->status && near(a->value, e->value) && near(a->se, e->se) &&
           near(a->ci_low, e->ci_low) && near(a->ci_high, e->ci_high);
}

static void same_estimate(const socind_estimate *a, const socind_estimate *e) {
    if (!(a->status == e->status && a->n == e->n &&
          (fabs(a->value - e->value) <= TOL * fabs(e->value) + NOISE ||
           (isnan(a->value) && isnan(e->value))) &&
          (fabs(a->se - e->se) <= TOL * fabs(e->se) + NOISE * fmax(fabs(e->value), 1.0) ||
           (isnan(a->se) && isnan(e->se)))))
        print_error("estimator %d line %d p %g: estimate %zu, round %d\n", (int)cur_case->est,
                    (int)cur_case->line_type, cur_case->p, cur_index, cur_round);
    const double sc = fmax(fabs(e->value), 1e-300);
    note(a->value, e->value, sc), note(a->se, e->se, sc), note(a->ci_low, e->ci_low, sc);
    note(a->ci_high, e->ci_high, sc);
    assert_int_equal(a->status, e->status);
    assert_int_equal(a->n, e->n);
    assert_close_abs(a->value, e->value, TOL, NOISE);
    assert_close_abs(a->se, e->se, TOL, NOISE * fmax(fabs(e->value), 1.0));
    assert_close_abs(a->ci_low, e->ci_low, TOL, NOISE * fmax(fabs(e->value), 1.0));
    assert_close_abs(a->ci_high, e->ci_high, TOL, NOISE * fmax(fabs(e->value), 1.0));
    assert_close(a->weight_sum, e->weight_sum, TOL);
    assert_true(a->df == e->df || (isnan(a->df) && isnan(e->df)));
}

/* Chunked and merged against in memory: even rounds keep the rows in the
 * data's order, odd rounds shuffle them (every PSU split across chunks);
 * the chunks number the rows in that order, and the finished figures are
 * the in-memory call's on the rows in that order, bit for bit, whatever the
 * cuts and the merge order. Against the data's own order they agree within
 * TOL. A quantile (or a share ratio's) whose share p̂ or Woodruff limit
 * p̂ ± q·s falls on a step of its distribution function would land on
 * either side by the rounding of the sums: the weights' total is the
 * weights' sum correctly rounded on every path, and a domain that lies in
 * one PSU (subdistrict 4 here) has s exactly 0 on both; such estimates are
 * counted in `unstable` and `unstable_here`, which must stay 0. */
/* The passes a case's state takes; the Gini's depend on its plan (0
 * here: at least 2, one more while ranges are left). */
/* Whether a measure against a relative quantile line takes two passes
 * (its window pass: every one of the FGT family and the poverty profile,
 * α at most 64), or three where pass 2 says so. */
static int rq_splits(const case_t *c) {
    const int fgt = c->est == SOCIND_STATE_FGT || c->est == SOCIND_STATE_FGT_DECOMPOSITION ||
                    c->est == SOCIND_STATE_POVERTY_PROFILE;
    return ((c->est >= SOCIND_STATE_FGT && c->est <= SOCIND_STATE_WATTS_DECOMPOSITION) ||
            c->est == SOCIND_STATE_POVERTY_PROFILE) &&
           !(fgt && c->alpha > 64.0);
}

static int passes_of(const case_t *c) {
    const int32_t e = c->est;
    if (gini_like(e)) return 0;
    /* a quantile: 3 where a limit falls outside pass 2's window, a share
       ratio where its kernel series is not exact (pass 2 says which) */
    if (e == SOCIND_STATE_QUANTILE || e == SOCIND_STATE_LORENZ || e == SOCIND_STATE_SHARE_RATIO)
        return 2;
    if (e == SOCIND_STATE_POVERTY_LINE) return c->line_type == RQ ? 2 : 1;
    if (e == SOCIND_STATE_POOR_MEDIAN || e == SOCIND_STATE_RELATIVE_MEDIAN_GAP) return 2;
    /* the FGT family against a relative line (state_relative.c) */
    if (e >= SOCIND_STATE_FGT && e <= SOCIND_STATE_WATTS_DECOMPOSITION)
        return c->line_type == RQ ? (rq_splits(c) ? 2 : 3) : c->line_type == RM ? 2 : 1;
    return 1;
}
static int multi_pass(const case_t *c) {
    return gini_like(c->est) || passes_of(c) > 1;
}

/* The Gini's row budget of round r over n rows: the default (every range
 * kept in pass 2), then budgets that take several passes and split ranges
 * beyond them (down to the row numbers' bits for heavy ties). */
static int gini_budget_of(int r, size_t n) {
    const int k = r % 4;
    return k == 0 ? 0 : k == 1 ? (int)(n / 3 + 1) : k == 2 ? (int)(n / 11 + 1) : (int)(n / 30 + 1);
}
static size_t gini_passes_seen; /* the most passes a Gini state took */
static int quantile_ends[4];    /* quantile states that ended in pass 2, 3 */
static int share_ends[4];       /* the same, share ratios */
static int lorenz_ends[4];      /* the same, Lorenz ordinates */
static int line_ends[4];        /* the same, relative quantile lines */
static int rel_ends[4];         /* the same, measures against them in two passes */
static int med_ends[6];         /* the median of the poor and the gap: 2, 3 or 5 passes */

/* Rounds of random cuts for every rank-based case (every other one in the
 * data's order, the others shuffled). */
#define ROUNDS 6

static void compare(const data *d, const case_t *c, int rounds) {
    const size_t G = c->grouped ? (size_t)d->ng : 1, cnt = G * per_domain(c->est);
    socind_estimate *ref = calloc(cnt, sizeof *ref), *got = calloc(cnt, sizeof *got),
                    *again = calloc(cnt, sizeof *again);
    socind_estimate *ref0 = calloc(cnt, sizeof *ref0);
    size_t *order = calloc(d->n, sizeof *order);
    for (size_t k = 0; k < d->n; k++) order[k] = k;
    const int32_t st_ref0 = in_memory_order(d, order, c, ref0);
    for (int r = 0; r < rounds; r++) {
        for (size_t k = 0; k < d->n; k++) order[k] = k;
        if (r % 2 == 1)
            for (size_t k = d->n - 1; k > 0; k--) {
                size_t j = rnd() % (k + 1), t = order[k];
                order[k] = order[j], order[j] = t;
            }
        /* every pass: the rows cut anew, the states merged in a random
           order, the merged one making the next pass's */
        socind_state *st[12], *tmpl = NULL;
        if (gini_like(c->est)) socind__gini_budget = gini_budget_of(r, d->n);
        /* every third round, a quantile's window is its bucket alone (its
           limits mostly take pass 3) and a share ratio's, a Lorenz
           ordinate's and a relative quantile line's sums take pass 3 */
        const int third = r % 3 == 2;
        socind__qwin_budget = third ? 1 : 0;
        socind__force_pass3 = third;
        for (int32_t want_pass = 1;; want_pass++) {
            size_t nch = 1 + rnd() % 9;
            size_t cuts[12];
            cuts[0] = 0, cuts[nch] = d->n;
            for (size_t i = 1; i < nch; i++) cuts[i] = rnd() % (d->n + 1);
            for (size_t i = 1; i < nch; i++)
                for (size_t j = i; j > 1 && cuts[j - 1] > cuts[j]; j--) {
                    size_t t = cuts[j];
                    cuts[j] = cuts[j - 1], cuts[j - 1] = t;
                }
            for (size_t i = 0; i < nch; i++) {
                st[i] = state_of_pass(d, c, order, cuts[i], cuts[i + 1], tmpl);
                if (i % 3 == 2) st[i] = through_bytes(st[i]);
            }
            size_t left = nch;
            while (left > 1) {
                size_t i = rnd() % left, j = rnd() % (left - 1);
                if (j >= i) j++;
                assert_int_equal(socind_state_merge(st[i], st[j]), SOCIND_OK);
                socind_state_free(st[j]);
                st[j] = st[left - 1];
                left--;
            }
            int32_t pass = 0, passes = 0;
            assert_int_equal(socind_state_passes(st[0], &pass, &passes), SOCIND_OK);
            assert_int_equal(pass, want_pass);
            if (gini_like(c->est)) {
                /* as many as its plan needs: one more while ranges are left */
                assert_true(passes == pass + 1 || (pass > 1 && passes == pass));
                if ((size_t)pass > gini_passes_seen) gini_passes_seen = (size_t)pass;
            } else if ((c->est == SOCIND_STATE_QUANTILE || c->est == SOCIND_STATE_SHARE_RATIO ||
                        c->est == SOCIND_STATE_LORENZ ||
                        (c->est == SOCIND_STATE_POVERTY_LINE && c->line_type == RQ) ||
                        (c->line_type == RQ && rq_splits(c))) &&
                       pass > 1) {
                assert_true(passes == 2 || passes == 3);
                if (pass == passes)
                    (c->est == SOCIND_STATE_QUANTILE       ? quantile_ends
                     : c->est == SOCIND_STATE_SHARE_RATIO  ? share_ends
                     : c->est == SOCIND_STATE_LORENZ       ? lorenz_ends
                     : c->est == SOCIND_STATE_POVERTY_LINE ? line_ends
                                                           : rel_ends)[pass]++;
            } else if ((c->est == SOCIND_STATE_POOR_MEDIAN ||
                        c->est == SOCIND_STATE_RELATIVE_MEDIAN_GAP) &&
                       pass > 1) {
                /* three where a kernel series is not exact, five where the
                   window and ranges of pass 2 would hold too many rows */
                assert_true(passes == 2 || passes == 3 || passes == 5);
                if (pass == passes) med_ends[pass]++;
            } else {
                assert_int_equal(passes, passes_of(c));
            }
            socind_state_free(tmpl);
            tmpl = NULL;
            if (pass == passes) break;
            assert_int_equal(socind_state_finish(st[0], NULL, got, cnt), SOCIND_ERR_ARG);
            assert_int_equal(socind_state_next_pass(st[0], &tmpl), SOCIND_OK);
            socind_state_free(st[0]);
        }
        int32_t s1 = socind_state_finish(st[0], NULL, got, cnt);
        int32_t st_ref = in_memory_order(d, order, c, ref);
        assert_int_equal(s1, st_ref);
        /* (a mean line's sums, one pass, are exact pairs of doubles: its
           last bits follow the chunks, not the rows' order) */
        if (multi_pass(c) || c->est == SOCIND_STATE_POVERTY_LINE) {
            /* over passes: within TOL of the in-memory call on this order,
               but for quantiles on a step (counted) */
            for (size_t j = 0; j < cnt; j++) {
                cur_case = c, cur_index = j, cur_round = r;
                if (!gini_like(c->est) && !within(&got[j], &ref[j])) {
                    if (getenv("SOCIND_TEST_VERBOSE"))
                        print_message("p %g dom %zu: %.17g %.17g [%.17g %.17g] st %d | ref %.17g "
                                      "%.17g [%.17g %.17g] st %d\n",
                                      c->p, j, got[j].value, got[j].se, got[j].ci_low,
                                      got[j].ci_high, got[j].status, ref[j].value, ref[j].se,
                                      ref[j].ci_low, ref[j].ci_high, ref[j].status);
                    unstable_here++;
                    continue;
                }
                worst_at = &worst_q;
                same_estimate(&got[j], &ref[j]);
                worst_at = &worst;
                /* the Sen and SST indices' SEs within TOL of their own size
                   (no floor) where they are not rounding noise (an SE 0 in
                   exact arithmetic): among them G_g's in a domain that lies
                   in one PSU (its total exactly 1/N̂, formed from terms
                   3,600 times larger in both paths) */
                if ((c->est == SOCIND_STATE_SEN || c->est == SOCIND_STATE_SST) &&
                    ref[j].se > 1e-13 * fmax(fabs(ref[j].value), 1.0)) {
                    if (!(fabs(got[j].se - ref[j].se) <= TOL * ref[j].se))
                        print_error("estimator %d grouped %d nopsu %d line %g: estimate %zu "
                                    "(value %.17g), round %d\n",
                                    (int)c->est, c->grouped, c->nopsu, c->fraction, j, ref[j].value,
                                    r);
                    assert_close(got[j].se, ref[j].se, TOL);
                }
            }
        } else {
            assert_memory_equal(got, ref, cnt * sizeof *got);
        }
        /* against the data's own order */
        assert_int_equal(s1, st_ref0);
        for (size_t j = 0; j < cnt; j++) {
            cur_case = c, cur_index = j, cur_round = r;
            if ((c->est == SOCIND_STATE_QUANTILE || c->est == SOCIND_STATE_SHARE_RATIO) &&
                !within(&got[j], &ref0[j])) {
                unstable++;
                continue;
            }
            same_estimate(&got[j], &ref0[j]);
        }
        socind_state *cp = through_bytes(st[0]); /* frees st[0] */
        assert_int_equal(socind_state_finish(cp, NULL, again, cnt), s1);
        assert_memory_equal(again, got, cnt * sizeof *got);
        socind_state_free(cp);
        socind__gini_budget = socind__qwin_budget = socind__force_pass3 = 0;
    }
    free(order), free(ref), free(got), free(again), free(ref0);
}

static void test_every_rank_estimate_chunked(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    const case_t cases[] = {
        {SOCIND_STATE_QUANTILE, NAN, 0, NAN, 0.5, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_QUANTILE, NAN, 0, NAN, 0.5, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_QUANTILE, NAN, 0, NAN, 0.1, NAN, 1, 1, 0, 0},
        {SOCIND_STATE_QUANTILE, NAN, 0, NAN, 0.9, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_POVERTY_LINE, NAN, RQ, 0.6, NAN, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_POVERTY_LINE, NAN, RQ, 0.5, 0.4, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_POVERTY_LINE, NAN, RM, 0.5, NAN, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_FGT, 0.0, RQ, 0.6, NAN, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_FGT, 0.0, RQ, 0.6, NAN, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_FGT, 1.0, RQ, 0.6, 0.5, NAN, 1, 1, 0, 0},
        {SOCIND_STATE_FGT, 2.0, RM, 0.5, NAN, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_FGT, 1.5, RQ, 0.7, 0.3, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_POOR_COUNT, NAN, RQ, 0.6, NAN, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_POVERTY_GAP_TOTAL, NAN, RM, 0.6, NAN, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_MEAN_SHORTFALL, NAN, RQ, 0.6, NAN, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_WATTS, NAN, RQ, 0.6, NAN, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_FGT_DECOMPOSITION, 2.0, RQ, 0.6, NAN, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_WATTS_DECOMPOSITION, NAN, RM, 0.6, NAN, NAN, 1, 1, 0, 0},
        {SOCIND_STATE_GINI, NAN, 0, NAN, NAN, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_GINI, NAN, 0, NAN, NAN, NAN, 1, 1, 0, 0},
        {SOCIND_STATE_SHARE_RATIO, NAN, 0, NAN, 0.2, 0.8, 0, 0, 0, 0},
        {SOCIND_STATE_SHARE_RATIO, NAN, 0, NAN, 0.4, 0.9, 1, 0, 0, 0},
        {SOCIND_STATE_LORENZ, NAN, 0, NAN, 0.3, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_LORENZ, NAN, 0, NAN, 0.5, NAN, 1, 0, 0, 0},
        /* without a PSU column */
        {SOCIND_STATE_QUANTILE, NAN, 0, NAN, 0.5, NAN, 1, 0, 0, 1},
        {SOCIND_STATE_LORENZ, NAN, 0, NAN, 0.25, NAN, 0, 0, 0, 1},
        {SOCIND_STATE_SHARE_RATIO, NAN, 0, NAN, 0.2, 0.8, 1, 0, 0, 1},
        {SOCIND_STATE_POVERTY_LINE, NAN, RQ, 0.6, NAN, NAN, 0, 0, 0, 1},
        {SOCIND_STATE_GINI, NAN, 0, NAN, NAN, NAN, 1, 0, 0, 1},
        {SOCIND_STATE_FGT, 1.0, RQ, 0.6, NAN, NAN, 1, 0, 0, 1},
        /* the Sen and SST indices (the Gini's state of the poor's y/z) */
        {SOCIND_STATE_SEN, NAN, 0, 600000.0, NAN, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_SEN, NAN, 0, 600000.0, NAN, NAN, 1, 1, 0, 0},
        {SOCIND_STATE_SEN, NAN, 0, 450000.0, NAN, NAN, 1, 0, 0, 1},
        {SOCIND_STATE_SEN, NAN, 0, 450000.0, NAN, NAN, 1, 0, SOCIND_LONELY_ADJUST, 0},
        {SOCIND_STATE_SEN, NAN, 0, 1200000.0, NAN, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_SST, NAN, 0, 600000.0, NAN, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_SST, NAN, 0, 600000.0, NAN, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_SST, NAN, 0, 450000.0, NAN, NAN, 1, 0, 0, 1},
        {SOCIND_STATE_SST, NAN, 0, 450000.0, NAN, NAN, 1, 1, SOCIND_LONELY_ADJUST, 0},
        {SOCIND_STATE_SST, NAN, 0, 1200000.0, NAN, NAN, 1, 0, 0, 0},
        /* the median of the poor and the relative median gap (two passes,
           three or five) */
        {SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.6, NAN, NAN, 0, 0, 0, 0},
        {SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.6, NAN, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.5, 0.4, NAN, 1, 1, SOCIND_LONELY_ADJUST, 0},
        {SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.7, NAN, NAN, 1, 0, 0, 1},
        {SOCIND_STATE_RELATIVE_MEDIAN_GAP, NAN, RQ, 0.6, NAN, NAN, 0, 1, 0, 0},
        {SOCIND_STATE_RELATIVE_MEDIAN_GAP, NAN, RQ, 0.6, 0.5, NAN, 1, 0, 0, 0},
        {SOCIND_STATE_RELATIVE_MEDIAN_GAP, NAN, RQ, 0.8, 0.6, NAN, 1, 0, 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) compare(&d, &cases[i], ROUNDS);
    print_message("rank-based states against in memory on the data's order: largest relative "
                  "difference %.3g (value, SE, limits); %d quantile and share-ratio "
                  "estimates that the in-memory call gives differently by the rows' order\n",
                  worst, unstable);
    print_message("quantiles over passes against the in-memory call on the same order: "
                  "largest relative difference %.3g; %d estimates off (a share on a step)\n",
                  worst_q, unstable_here);
    print_message("quantile states that ended in pass 2: %d, in pass 3: %d; share ratios: %d, "
                  "%d; Lorenz ordinates: %d, %d; relative quantile lines: %d, %d; measures "
                  "against them: %d, %d; medians of the poor and gaps: %d, %d, in pass 5: %d\n",
                  quantile_ends[2], quantile_ends[3], share_ends[2], share_ends[3], lorenz_ends[2],
                  lorenz_ends[3], line_ends[2], line_ends[3], rel_ends[2], rel_ends[3], med_ends[2],
                  med_ends[3], med_ends[5]);
    assert_int_equal(unstable, 0);
    assert_int_equal(unstable_here, 0);
    /* both ends ran */
    assert_true(quantile_ends[2] > 0 && quantile_ends[3] > 0);
    assert_true(share_ends[2] > 0 && share_ends[3] > 0);
    assert_true(lorenz_ends[2] > 0 && lorenz_ends[3] > 0);
    assert_true(line_ends[2] > 0 && line_ends[3] > 0);
    assert_true(rel_ends[2] > 0 && rel_ends[3] > 0);
    assert_true(med_ends[2] > 0 && med_ends[3] > 0 && med_ends[5] > 0);
    data_free(&d);
}

/* The Sen and SST indices against per-row lines (the sample's regional
 * lines, some missing), inclusive, by domain: two chunks a pass (the
 * second from row 1,000), merged, through every pass the Gini's plan
 * takes with a budget of a fortieth of the rows, against socind_sen and
 * socind_sst. A relative line is refused, as those refuse it. */
static void test_sen_sst_per_row_lines(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    double *z = malloc(d.n * sizeof *z);
    for (size_t k = 0; k < d.n; k++) z[k] = k % 89 == 3 ? NAN : f->line_region[k];
    socind_design *des = NULL;
    assert_int_equal(socind_design_new(d.n, d.w, d.h, d.p, NULL, NULL, &des), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_PER_ROW, L.lines = z, L.inclusive = 1;
    const size_t cnt = (size_t)d.ng * SOCIND_SEN_COUNT;
    socind_estimate *ref = calloc(cnt, sizeof *ref), *got = calloc(cnt, sizeof *got);
    for (int sst = 0; sst <= 1; sst++) {
        const int32_t est = sst ? SOCIND_STATE_SST : SOCIND_STATE_SEN;
        assert_int_equal(sst ? socind_sst(des, d.y, &L, d.g, d.ng, NULL, ref)
                             : socind_sen(des, d.y, &L, d.g, d.ng, NULL, ref),
                         SOCIND_OK);
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = est;
        sp.n_groups = d.ng, sp.has_strata = sp.has_psu = 1;
        sp.line_type = SOCIND_LINE_PER_ROW, sp.inclusive = 1;
        socind__gini_budget = (int)(d.n / 40); /* (the poor are a part of the rows) */
        socind_state *tmpl = NULL, *s = NULL;
        int32_t pass = 0, passes = 0;
        do {
            socind_state *part[2];
            for (int i = 0; i < 2; i++) {
                if (tmpl)
                    part[i] = copy_of(tmpl);
                else
                    assert_int_equal(socind_state_new(&sp, &part[i]), SOCIND_OK);
                const size_t a = i ? 1000 : 0, b = i ? d.n : 1000;
                socind_chunk c;
                socind_chunk_init(&c);
                c.n = b - a, c.first_row = (int64_t)a;
                c.weight = d.w + a, c.y = d.y + a, c.y2 = z + a;
                c.strata = d.h + a, c.psu = d.p + a, c.group = d.g + a;
                assert_int_equal(socind_state_add(part[i], &c), SOCIND_OK);
            }
            assert_int_equal(socind_state_merge(part[1], part[0]), SOCIND_OK);
            socind_state_free(part[0]), socind_state_free(tmpl);
            tmpl = NULL;
            s = through_bytes(part[1]);
            assert_int_equal(socind_state_passes(s, &pass, &passes), SOCIND_OK);
            if (pass < passes) {
                assert_int_equal(socind_state_next_pass(s, &tmpl), SOCIND_OK);
                socind_state_free(s);
            }
        } while (pass < passes);
        assert_true(pass >= 3); /* the budget made it take several */
        assert_int_equal(socind_state_finish(s, NULL, got, cnt), SOCIND_OK);
        const case_t c0 = {est, NAN, SOCIND_LINE_PER_ROW, NAN, NAN, NAN, 1, 0, 0, 0};
        for (size_t j = 0; j < cnt; j++) {
            cur_case = &c0, cur_index = j, cur_round = 0;
            same_estimate(&got[j], &ref[j]);
        }
        socind_state_free(s);
        socind__gini_budget = 0;
        /* a relative line */
        sp.line_type = SOCIND_LINE_RELATIVE_QUANTILE, sp.line = 0.6;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG);
        assert_null(s);
    }
    socind_design_free(des);
    free(z), free(ref), free(got);
    data_free(&d);
}

/* A state of spec sp over its every pass, chunk c added to each (the last
 * pass's state). */
static socind_state *every_pass(const socind_state_spec *sp, const socind_chunk *c) {
    socind_state *s = NULL, *t = NULL;
    assert_int_equal(socind_state_new(sp, &s), SOCIND_OK);
    for (;;) {
        assert_int_equal(socind_state_add(s, c), SOCIND_OK);
        int32_t pass, passes;
        assert_int_equal(socind_state_passes(s, &pass, &passes), SOCIND_OK);
        if (pass == passes) return s;
        assert_int_equal(socind_state_next_pass(s, &t), SOCIND_OK);
        socind_state_free(s);
        s = t;
    }
}

/* A poor row whose y/z leaves the double range (−1e10 against a line of
 * 1e−300): every part of its domain is SOCIND_ERR_OVERFLOW, in memory and
 * from the Sen and SST states alike (the state's Gini cannot rank the row;
 * it counted in the headcount from the state only before). */
static void test_sen_sst_gap_beyond_range(void **state) {
    (void)state;
    const size_t n = 6;
    const double w[6] = {1, 2, 1, 1, 2, 1},
                 y[6] = {-1e10, 0.5e-300, 2e-300, 3e-300, 1e-301, 5e-300};
    const int64_t psu[6] = {1, 1, 2, 2, 3, 3};
    const int32_t g[6] = {0, 0, 0, 1, 1, 1};
    socind_design *des = NULL;
    assert_int_equal(socind_design_new(n, w, NULL, psu, NULL, NULL, &des), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 1e-300;
    for (int sst = 0; sst <= 1; sst++) {
        socind_estimate ref[8], got[8];
        assert_int_equal(sst ? socind_sst(des, y, &L, g, 2, NULL, ref)
                             : socind_sen(des, y, &L, g, 2, NULL, ref),
                         SOCIND_OK);
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = sst ? SOCIND_STATE_SST : SOCIND_STATE_SEN;
        sp.n_groups = 2, sp.has_psu = 1, sp.line = 1e-300;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = n, c.weight = w, c.y = y, c.psu = psu, c.group = g;
        socind_state *s = every_pass(&sp, &c);
        assert_int_equal(socind_state_finish(s, NULL, got, 8), SOCIND_OK);
        for (int k = 0; k < 4; k++) {
            assert_int_equal(ref[k].status, SOCIND_ERR_OVERFLOW);
            assert_int_equal(got[k].status, SOCIND_ERR_OVERFLOW);
            assert_int_equal(got[k].n, ref[k].n);
            assert_close(got[k].weight_sum, ref[k].weight_sum, TOL);
        }
        /* the other domain as in memory */
        for (int k = 4; k < 8; k++) {
            assert_int_equal(got[k].status, ref[k].status);
            assert_close_abs(got[k].value, ref[k].value, TOL, NOISE);
        }
        socind_state_free(s);
    }
    socind_design_free(des);
    /* y/z in range but the poor's sums (w·r·x, w²·x) beyond it (weights
       1e10 at −1e290 against a line of 1): OVERFLOW in both paths (the
       state's sums are doubles; the in-memory ones long doubles held
       them and gave figures) */
    const double w2[6] = {1e10, 2e10, 1, 1, 2, 1}, y2[6] = {-1e290, -2e290, 0.5, 3, 0.2, 5};
    assert_int_equal(socind_design_new(n, w2, NULL, psu, NULL, NULL, &des), SOCIND_OK);
    L.value = 1.0;
    for (int sst = 0; sst <= 1; sst++) {
        socind_estimate ref[4], got[4];
        assert_int_equal(sst ? socind_sst(des, y2, &L, NULL, 1, NULL, ref)
                             : socind_sen(des, y2, &L, NULL, 1, NULL, ref),
                         SOCIND_OK);
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = sst ? SOCIND_STATE_SST : SOCIND_STATE_SEN;
        sp.has_psu = 1, sp.line = 1.0;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = n, c.weight = w2, c.y = y2, c.psu = psu;
        socind_state *s = every_pass(&sp, &c);
        assert_int_equal(socind_state_finish(s, NULL, got, 4), SOCIND_OK);
        for (int k = 0; k < 4; k++) {
            assert_int_equal(ref[k].status, SOCIND_ERR_OVERFLOW);
            assert_int_equal(got[k].status, SOCIND_ERR_OVERFLOW);
        }
        socind_state_free(s);
    }
    socind_design_free(des);
}

/* No bandwidth for the density at a quantile, told apart: incomes whose
 * weighted moments leave the double range (about 1e160, which a state
 * does not rescale) finish SOCIND_ERR_OVERFLOW with a message naming the
 * range, where equal incomes finish SOCIND_ERR_DATA as "every income is
 * equal": a relative quantile line's estimate and a share ratio, through
 * their passes and bytes; in memory, weights whose sum overflows give the
 * share ratio, the linearized quantile, the income total below a quantile
 * and the median of the poor SOCIND_ERR_OVERFLOW, not SOCIND_ERR_DATA (or,
 * for a relative line's, SOCIND_ERR_EMPTY). */
static void test_no_bandwidth_told_apart(void **state) {
    (void)state;
    enum { N = 40 };
    double y[N], w[N], ye[N];
    int64_t psu[N];
    for (size_t i = 0; i < N; i++)
        y[i] = (1.0 + (double)(i % 13)) * 1e160, ye[i] = 5.0, w[i] = 1.0 + (double)(i % 3),
        psu[i] = (int64_t)(i / 4);
    for (int share = 0; share <= 1; share++) {
        for (int equal = 0; equal <= 1; equal++) {
            socind_state_spec sp;
            socind_state_spec_init(&sp);
            sp.has_psu = 1;
            if (share) {
                sp.estimator = SOCIND_STATE_SHARE_RATIO, sp.p = 0.2, sp.p2 = 0.8;
            } else {
                sp.estimator = SOCIND_STATE_POVERTY_LINE;
                sp.line_type = SOCIND_LINE_RELATIVE_QUANTILE, sp.line = 0.6, sp.p = 0.5;
            }
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = N, c.weight = w, c.y = equal ? ye : y, c.psu = psu;
            socind_state *s = every_pass(&sp, &c);
            s = through_bytes(s);
            socind_estimate e;
            const int32_t st = socind_state_finish(s, NULL, &e, 1);
            const int32_t want = equal ? SOCIND_ERR_DATA : SOCIND_ERR_OVERFLOW;
            assert_true(st == want || (st == SOCIND_OK && e.status == want));
            assert_true(isnan(e.value) || share);
            assert_true(isnan(e.se));
            if (st) {
                const char *msg = socind_last_error_detail();
                assert_non_null(msg);
                assert_int_equal(strstr(msg, "every income is equal") != NULL, equal);
                assert_int_equal(strstr(msg, "double range") != NULL, !equal);
            }
            socind_state_free(s);
        }
    }
    /* in memory: the weights' moments beyond the doubles */
    double wb[N];
    for (size_t i = 0; i < N; i++)
        wb[i] = 1e307 * (1.0 + (double)(i % 3)), y[i] = 1.0 + (double)(i % 13);
    socind_design *des = NULL;
    assert_int_equal(socind_design_new(N, wb, NULL, psu, NULL, NULL, &des), SOCIND_OK);
    socind_estimate e;
    for (int k = 0; k < 4; k++) {
        const int32_t st = k == 0   ? socind_share_ratio(des, y, 0.2, 0.8, NULL, 1, NULL, &e)
                           : k == 1 ? socind_quantile_linearized(des, y, 0.5, NULL, 1, NULL, &e)
                           : k == 2
                               ? socind_quantile_income_total(des, y, 0.5, 0, NULL, 1, NULL, &e)
                               : socind_poor_median(des, y, 0.6, 0.5, NULL, 1, NULL, &e);
        /* (the median of the poor's relative line: the call's status,
           the weights' sum beyond the doubles; it had said "no income
           with a positive weight") */
        assert_int_equal(st, k == 3 ? SOCIND_ERR_OVERFLOW : SOCIND_OK);
        assert_int_equal(e.status, SOCIND_ERR_OVERFLOW);
        assert_true(isnan(e.se));
        if (k == 3) assert_non_null(strstr(socind_last_error_detail(), "weights' sum"));
    }
    socind_design_free(des);
    /* and every income equal: SOCIND_ERR_DATA as before */
    for (size_t i = 0; i < N; i++) wb[i] = 1.0 + (double)(i % 3);
    assert_int_equal(socind_design_new(N, wb, NULL, psu, NULL, NULL, &des), SOCIND_OK);
    for (int k = 0; k < 3; k++) {
        const int32_t st = k == 0 ? socind_share_ratio(des, ye, 0.2, 0.8, NULL, 1, NULL, &e)
                           : k == 1
                               ? socind_quantile_linearized(des, ye, 0.5, NULL, 1, NULL, &e)
                               : socind_quantile_income_total(des, ye, 0.5, 0, NULL, 1, NULL, &e);
        assert_int_equal(st, SOCIND_OK);
        assert_int_equal(e.status, SOCIND_ERR_DATA);
    }
    socind_design_free(des);
}

/* The estimate of chunks cut the same in every pass, the later passes'
 * rows given as `mode` says: 0 every row once, 1 the first half only, 2
 * every row twice (numbered on). The first status of a next pass or of the
 * finish. */
static int32_t over_passes_given(const socind_state_spec *sp, const data *d, int mode,
                                 socind_estimate *out, size_t count) {
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = d->n, c.weight = d->w, c.y = d->y, c.strata = d->h, c.psu = d->p;
    c.group = sp->n_groups > 0 ? d->g : NULL;
    socind_state *s = NULL, *t = NULL;
    assert_int_equal(socind_state_new(sp, &s), SOCIND_OK);
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    for (;;) {
        int32_t pass, passes;
        assert_int_equal(socind_state_passes(s, &pass, &passes), SOCIND_OK);
        if (pass == passes) break;
        const int32_t st = socind_state_next_pass(s, &t);
        socind_state_free(s);
        if (st) return st;
        s = t;
        socind_chunk h = c;
        if (mode == 1) h.n = d->n / 2;
        assert_int_equal(socind_state_add(s, &h), SOCIND_OK);
        if (mode == 2) {
            h.first_row = (int64_t)d->n;
            assert_int_equal(socind_state_add(s, &h), SOCIND_OK);
        }
    }
    const int32_t st = socind_state_finish(s, NULL, out, count);
    socind_state_free(s);
    return st;
}

/* Each pass after the first must add the first pass's rows, once each:
 * a later pass given half the rows, or every row twice, is
 * SOCIND_ERR_MISMATCH (from the next pass or the finish) for every
 * estimate of more than one pass — the Gini, Sen and SST (their ranges'
 * row counts), the quantile, Lorenz, the share ratio and a relative
 * quantile line (its domains' weight), poverty estimates against such a
 * line (their line's) and FGT, the poor count, the gap total and the mean
 * shortfall against a relative mean line (their cells' weight against pass
 * 1's moments); they had given figures (a Gini of −0.55, the
 * quantile of duplicated rows unchanged). Every row once finishes. */
static void test_later_pass_rows_checked(void **state) {
    const households *fh = *state;
    data d;
    data_make(fh, &d);
    const size_t n_all = d.n;
    d.n = 700; /* (enough rows for every estimate's passes, quick under the sanitizers) */
    static const int32_t est[13] = {
        SOCIND_STATE_GINI,          SOCIND_STATE_SEN,        SOCIND_STATE_SST,
        SOCIND_STATE_QUANTILE,      SOCIND_STATE_LORENZ,     SOCIND_STATE_SHARE_RATIO,
        SOCIND_STATE_POVERTY_LINE,  SOCIND_STATE_FGT,        SOCIND_STATE_POOR_MEDIAN,
        SOCIND_STATE_FGT,           SOCIND_STATE_POOR_COUNT, SOCIND_STATE_POVERTY_GAP_TOTAL,
        SOCIND_STATE_MEAN_SHORTFALL};
    for (int k = 0; k < 13; k++)
        for (int grouped = 0; grouped <= 1; grouped++) {
            socind_state_spec sp;
            socind_state_spec_init(&sp);
            sp.estimator = est[k];
            sp.has_strata = 1, sp.has_psu = 1;
            if (grouped && k == 6) continue; /* (the line: one estimate) */
            sp.n_groups = grouped ? d.ng : 0;
            if (k == 1 || k == 2) {
                sp.line = 600000.0;
            } else if (k == 0) {
            } else if (k <= 5) {
                sp.p = k == 5 ? 0.2 : 0.3, sp.p2 = k == 5 ? 0.8 : NAN;
            } else {
                sp.line_type = RQ, sp.line = 0.6, sp.p = 0.5;
                if (k == 7) sp.alpha = 0.0;
                if (k == 9) sp.line_type = RM, sp.p = NAN, sp.alpha = 1.0;
                if (k >= 10) sp.line_type = RM, sp.p = NAN;
            }
            const size_t count = (size_t)(grouped ? d.ng : 1) * (k == 1 || k == 2 ? 4 : 1);
            socind_estimate *e = malloc(count * sizeof *e);
            for (int mode = 0; mode <= 2; mode++) {
                const int32_t st = over_passes_given(&sp, &d, mode, e, count);
                if (mode == 0) {
                    if (st)
                        print_error("estimator %d: %s\n", (int)est[k], socind_last_error_detail());
                    assert_int_equal(st, SOCIND_OK);
                } else {
                    assert_int_equal(st, SOCIND_ERR_MISMATCH);
                    assert_non_null(strstr(socind_last_error_detail(), "pass"));
                }
            }
            free(e);
        }
    d.n = n_all;
    data_free(&d);
}

/* The Gini on random data: heavy ties (a third of the rows share two
 * values, so that ranges beyond the budget split down to the row numbers'
 * bits), negative and zero incomes, zero weights, a domain only in the
 * first rows (missing from most chunks), rows in no domain; in passes of
 * the default budget, of a third and an eleventh of the rows and of 97
 * rows, the rows shuffled and cut at random. */
static void test_gini_random(void **state) {
    (void)state;
    data d;
    d.n = 2400, d.ng = 4;
    d.w = malloc(d.n * sizeof *d.w), d.y = malloc(d.n * sizeof *d.y);
    d.fpc = malloc(d.n * sizeof *d.fpc);
    d.h = malloc(d.n * sizeof *d.h), d.p = malloc(d.n * sizeof *d.p);
    d.g = malloc(d.n * sizeof *d.g);
    for (size_t k = 0; k < d.n; k++) {
        const double u = ((double)(rnd() >> 11) + 0.5) * 0x1p-53;
        d.y[k] = k % 3 == 0 ? (double)(1 + k % 2) : k % 29 == 3 ? -u * 5.0 : exp(3.0 * u);
        if (k % 41 == 9) d.y[k] = 0.0;
        d.w[k] = k % 17 == 0 ? 0.0 : (double)(1 + rnd() % 5) * 0.75;
        d.p[k] = (int64_t)(k / 30), d.h[k] = (int64_t)(k / 300), d.fpc[k] = 0.1;
        d.g[k] = k < 200 ? 3 : (int32_t)(rnd() % 3);
        if (k % 37 == 5) d.g[k] = -1;
    }
    const case_t cases[] = {{SOCIND_STATE_GINI, NAN, 0, NAN, NAN, NAN, 1, 1, 0, 0},
                            {SOCIND_STATE_GINI, NAN, 0, NAN, NAN, NAN, 0, 0, 0, 0},
                            {SOCIND_STATE_GINI, NAN, 0, NAN, NAN, NAN, 1, 0, 0, 1}};
    gini_passes_seen = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) compare(&d, &cases[i], 4);
    print_message("the Gini on random data with heavy ties: at most %zu passes\n",
                  gini_passes_seen);
    assert_true(gini_passes_seen > 5); /* ranges were split and kept over passes */
    free(d.w), free(d.y), free(d.fpc), free(d.h), free(d.p), free(d.g);
}

/* socind_gini on 2, 3, 8 and every online thread against one thread:
 * statuses and counts exact, figures within TOL; with and without domains
 * and fpc, heavy ties, the rows in a random order, incomes beyond 2^600. */
static void gini_threads_on(const data *d, const size_t *order) {
    for (int v = 0; v < 4; v++) {
        case_t c = {SOCIND_STATE_GINI, NAN, 0, NAN, NAN, NAN, v & 1, v >> 1, 0, 0};
        const size_t cnt = c.grouped ? (size_t)d->ng : 1;
        socind_estimate *one = calloc(cnt, sizeof *one), *many = calloc(cnt, sizeof *many);
#if defined(__SANITIZE_THREAD__)
        /* (ThreadSanitizer: the races show on 2 and 3 threads as on 8) */
        const int32_t threads[] = {1, 2, 3};
#else
        const int32_t threads[] = {1, 2, 3, 8, 0};
#endif
        int32_t s1 = SOCIND_OK;
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            /* in_memory_order with opts: the design built again each time */
            socind_design_options o;
            socind_design_options_init(&o);
            socind_design *des = NULL;
            double *w = malloc(d->n * sizeof *w), *y = malloc(d->n * sizeof *y);
            double *f = malloc(d->n * sizeof *f);
            int64_t *h = malloc(d->n * sizeof *h), *p = malloc(d->n * sizeof *p);
            int32_t *g = malloc(d->n * sizeof *g);
            for (size_t k = 0; k < d->n; k++) {
                const size_t i = order[k];
                w[k] = d->w[i], y[k] = d->y[i], f[k] = d->fpc[i], h[k] = d->h[i], p[k] = d->p[i];
                g[k] = d->g[i];
            }
            assert_int_equal(socind_design_new(d->n, w, h, p, c.fpc ? f : NULL, &o, &des),
                             SOCIND_OK);
            socind_options so;
            socind_options_init(&so);
            so.threads = threads[t];
            socind__threads_ran = 0;
            int32_t st = socind_gini(des, y, c.grouped ? g : NULL, c.grouped ? d->ng : 1, &so,
                                     t == 0 ? one : many);
            if (t == 0) {
                s1 = st;
            } else {
                assert_int_equal(st, s1);
                assert_true(socind__threads_ran > 1 || threads[t] == 0);
                for (size_t j = 0; j < cnt; j++) {
                    cur_case = &c, cur_index = j, cur_round = (int)threads[t];
                    same_estimate(&many[j], &one[j]);
                }
            }
            socind_design_free(des);
            free(w), free(y), free(f), free(h), free(p), free(g);
        }
        free(one), free(many);
    }
}

static void test_gini_threads(void **state) {
    const households *fh = *state;
    data d;
    data_make(fh, &d);
    socind__threads_any_rows = 1;
    size_t *order = calloc(d.n, sizeof *order);
    for (size_t k = 0; k < d.n; k++) order[k] = k;
    gini_threads_on(&d, order);
    for (size_t k = d.n - 1; k > 0; k--) {
        size_t j = rnd() % (k + 1), t = order[k];
        order[k] = order[j], order[j] = t;
    }
    gini_threads_on(&d, order);
    /* heavy ties: a third of the incomes 1 or 2; incomes beyond 2^600 */
    for (size_t k = 0; k < d.n; k++)
        if (k % 3 == 0) d.y[k] = (double)(1 + k % 2);
    gini_threads_on(&d, order);
    for (size_t k = 0; k < d.n; k++) d.y[k] = ldexp(d.y[k], 600);
    gini_threads_on(&d, order);
    socind__threads_any_rows = 0;
    free(order);
    data_free(&d);
}

/* A Gini state whose two chunks number their rows alike: each row added
 * twice with the same number and value, once in PSUs 0 .. 99 and once,
 * with half a unit more weight, in PSUs 1000 .. 1099, so that every row is
 * in a run of two kept rows of equal range, value and row number, which
 * the rest of the key orders (the weight, so the first copy first, the
 * same whatever the merge order; the Gini and its linearized values do not
 * depend on the order of tied incomes in exact arithmetic, only their
 * rounding does). Its figures match socind_gini's over the first copies
 * followed by the second within TOL: merged either way, in two passes and
 * in passes of a fifth of the rows. */
static void test_gini_row_numbers_twice(void **state) {
    (void)state;
    enum { N = 3000 };
    double *y = malloc(2 * N * sizeof *y), *w = malloc(2 * N * sizeof *w);
    int64_t *h = malloc(2 * N * sizeof *h), *p = malloc(2 * N * sizeof *p);
    for (size_t k = 0; k < N; k++) {
        const double u = ((double)(rnd() >> 11) + 0.5) * 0x1p-53;
        y[k] = y[k + N] = exp(3.0 * u);
        w[k] = (double)(1 + rnd() % 5), w[k + N] = w[k] + 0.5;
        h[k] = h[k + N] = (int64_t)(k / 300);
        p[k] = (int64_t)(k / 30), p[k + N] = 1000 + (int64_t)(k / 30);
    }
    socind_design *des = NULL;
    assert_int_equal(socind_design_new(2 * N, w, h, p, NULL, NULL, &des), SOCIND_OK);
    socind_estimate ref, got;
    assert_int_equal(socind_gini(des, y, NULL, 1, NULL, &ref), SOCIND_OK);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_GINI, sp.has_strata = 1, sp.has_psu = 1;
    for (int v = 0; v < 4; v++) {
        socind__gini_budget = v < 2 ? 0 : (int)(2 * N / 5);
        socind_state *tmpl = NULL, *m = NULL;
        for (;;) {
            socind_state *half[2];
            for (int c = 0; c < 2; c++) {
                if (tmpl)
                    half[c] = copy_of(tmpl);
                else
                    assert_int_equal(socind_state_new(&sp, &half[c]), SOCIND_OK);
                socind_chunk ch;
                socind_chunk_init(&ch);
                ch.n = N, ch.first_row = 0;
                ch.weight = w + c * N, ch.y = y + c * N, ch.strata = h + c * N, ch.psu = p + c * N;
                assert_int_equal(socind_state_add(half[c], &ch), SOCIND_OK);
            }
            /* a + b, or b + a */
            assert_int_equal(socind_state_merge(half[v & 1], half[1 - (v & 1)]), SOCIND_OK);
            m = half[v & 1];
            socind_state_free(half[1 - (v & 1)]);
            socind_state_free(tmpl);
            tmpl = NULL;
            int32_t pass = 0, passes = 0;
            assert_int_equal(socind_state_passes(m, &pass, &passes), SOCIND_OK);
            if (pass == passes) break;
            assert_int_equal(socind_state_next_pass(m, &tmpl), SOCIND_OK);
            socind_state_free(m);
        }
        assert_int_equal(socind_state_finish(m, NULL, &got, 1), SOCIND_OK);
        assert_close_abs(got.value, ref.value, TOL, NOISE);
        assert_close_abs(got.se, ref.se, TOL, NOISE);
        socind_state_free(m);
    }
    socind__gini_budget = 0;
    socind_design_free(des);
    free(y), free(w), free(h), free(p);
}

/* The Gini on threads over tens of thousands of rows (each thread's
 * buckets sorted in several groups): incomes spread over many bits, with
 * ties, rows of weight 0 and missing incomes (the threads' gathered rows
 * closed up), over all rows and by domain, against one thread; a refused
 * income names the same row on every thread count. */
static void test_gini_threads_many_rows(void **state) {
    (void)state;
    enum { N = 90000 };
    double *w = malloc(N * sizeof *w), *y = malloc(N * sizeof *y);
    int64_t *h = malloc(N * sizeof *h), *p = malloc(N * sizeof *p);
    int32_t *dom = malloc(N * sizeof *dom);
    for (size_t k = 0; k < N; k++) {
        const double u = (double)(rnd() >> 11) * 0x1p-53;
        y[k] = k % 5 == 0 ? 1500000.0 : exp(13.0 + 3.0 * u);
        if (k % 11 == 3 || (k >= 61000 && k < 64000)) y[k] = NAN;
        w[k] = k % 97 == 0 ? 0.0 : 1.0 + (double)(rnd() % 300);
        p[k] = (int64_t)(k / 30), h[k] = p[k] / 12;
        dom[k] = (int32_t)(k % 3);
    }
    /* a PSU whose rows in domain 0 all weigh 0 (it counts through the rows
       of weight 0 alone, gathered in a later thread's part) */
    for (size_t k = 60000; k < 60030; k += 3) w[k] = 0.0;
    socind_design *des = NULL;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &des), SOCIND_OK);
    socind_estimate one[4], many[4];
    socind_options o;
    socind_options_init(&o);
    assert_int_equal(socind_gini(des, y, NULL, 1, &o, &one[0]), SOCIND_OK);
    assert_int_equal(socind_gini(des, y, dom, 3, &o, &one[1]), SOCIND_OK);
    socind__threads_any_rows = 1;
    case_t c;
    memset(&c, 0, sizeof c);
    c.est = SOCIND_STATE_GINI;
    const int32_t threads[3] = {2, 3, 5};
    for (int t = 0; t < 3; t++) {
        o.threads = threads[t];
        socind__threads_ran = 0;
        assert_int_equal(socind_gini(des, y, NULL, 1, &o, &many[0]), SOCIND_OK);
        assert_int_equal(socind__threads_ran, threads[t]);
        cur_case = &c, cur_index = 0, cur_round = (int)threads[t];
        same_estimate(&many[0], &one[0]);
        assert_int_equal(socind_gini(des, y, dom, 3, &o, &many[1]), SOCIND_OK);
        for (int d = 1; d < 4; d++) {
            cur_index = d;
            assert_int_equal(many[d].n, one[d].n);
            same_estimate(&many[d], &one[d]);
        }
    }
    /* incomes of both signs (the keys' range spans 0), then every income of
       domain 1 zero, then every income 0 (no total: the estimate undefined,
       SOCIND_ERR_DATA, its weight still said): as on one thread */
    double *y2 = malloc(N * sizeof *y2);
    for (int v = 0; v < 3; v++) {
        for (size_t k = 0; k < N; k++)
            y2[k] = v == 0   ? (k % 4 == 1 ? -y[k] : y[k])
                    : v == 1 ? (dom[k] == 1 ? 0.0 : y[k])
                             : 0.0;
        o.threads = 1;
        const int32_t s0 = socind_gini(des, y2, NULL, 1, &o, &one[0]),
                      s1 = socind_gini(des, y2, dom, 3, &o, &one[1]);
        assert_int_equal(s0, SOCIND_OK);
        assert_int_equal(s1, SOCIND_OK);
        assert_int_equal(one[0].status, v == 2 ? SOCIND_ERR_DATA : SOCIND_OK);
        assert_int_equal(one[2].status, v == 0 ? SOCIND_OK : SOCIND_ERR_DATA);
        for (int t = 0; t < 3; t++) {
            o.threads = threads[t];
            socind__threads_ran = 0;
            assert_int_equal(socind_gini(des, y2, NULL, 1, &o, &many[0]), s0);
            assert_int_equal(socind__threads_ran, threads[t]);
            assert_int_equal(socind_gini(des, y2, dom, 3, &o, &many[1]), s1);
            for (int d = 0; d < 4; d++) {
                cur_index = d, cur_round = (int)threads[t];
                assert_int_equal(many[d].status, one[d].status);
                assert_int_equal(many[d].n, one[d].n);
                assert_true(many[d].weight_sum == one[d].weight_sum);
                if (one[d].status == SOCIND_OK) same_estimate(&many[d], &one[d]);
            }
        }
    }
    free(y2);
    /* an infinite income in the last thread's part, another in no thread's
       first row: the first in row order is named */
    y[88001] = INFINITY, y[40001] = -INFINITY;
    for (int t = 0; t < 4; t++) {
        o.threads = t == 0 ? 1 : threads[t - 1];
        assert_int_equal(socind_gini(des, y, NULL, 1, &o, &many[0]), SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), 40001);
        assert_non_null(strstr(socind_last_error_detail(), "y[40001]"));
    }
    socind__threads_any_rows = 0;
    socind_design_free(des);
    free(w), free(y), free(h), free(p), free(dom);
}

/* Lonely-PSU policies, with a stratum of one PSU. */
static void test_lonely_policies(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    int64_t *h = malloc(d.n * sizeof *h);
    memcpy(h, d.h, d.n * sizeof *h);
    for (size_t k = 0; k < d.n; k++)
        if (d.p[k] == d.p[0]) h[k] = -7;
    d.h = h;
    for (int32_t pol = SOCIND_LONELY_REMOVE; pol <= SOCIND_LONELY_CERTAINTY; pol++) {
        case_t c1 = {SOCIND_STATE_QUANTILE, NAN, 0, NAN, 0.5, NAN, 1, 0, pol, 0};
        case_t c2 = {SOCIND_STATE_FGT, 0.0, RQ, 0.6, NAN, NAN, 1, 0, pol, 0};
        case_t c3 = {SOCIND_STATE_GINI, NAN, 0, NAN, NAN, NAN, 1, 0, pol, 0};
        case_t c4 = {SOCIND_STATE_LORENZ, NAN, 0, NAN, 0.4, NAN, 1, 1, pol, 0};
        case_t c5 = {SOCIND_STATE_SHARE_RATIO, NAN, 0, NAN, 0.2, 0.8, 1, 0, pol, 0};
        compare(&d, &c1, 2);
        compare(&d, &c2, 2);
        compare(&d, &c3, 2);
        compare(&d, &c4, 2);
        compare(&d, &c5, 2);
    }
    /* FAIL: refused at finish, naming a row of the lonely PSU by its number */
    case_t c = {SOCIND_STATE_GINI, NAN, 0, NAN, NAN, NAN, 0, 0, SOCIND_LONELY_FAIL, 0};
    size_t *order = malloc(d.n * sizeof *order);
    for (size_t k = 0; k < d.n; k++) order[k] = d.n - 1 - k; /* numbered backwards */
    socind_state *s = state_of(&d, &c, order, 0, d.n);
    for (;;) { /* the Gini's passes, the rows added whole */
        int32_t pass, passes;
        socind_state_passes(s, &pass, &passes);
        if (pass == passes) break;
        socind_state *nx = NULL;
        assert_int_equal(socind_state_next_pass(s, &nx), SOCIND_OK);
        socind_state_free(s);
        s = state_of_pass(&d, &c, order, 0, d.n, nx);
        socind_state_free(nx);
    }
    socind_estimate e;
    assert_int_equal(socind_state_finish(s, NULL, &e, 1), SOCIND_ERR_LONELY_PSU);
    assert_int_equal(e.status, SOCIND_ERR_LONELY_PSU);
    assert_true(isnan(e.value));
    int64_t row = socind_last_error_row();
    assert_true(row >= 0 && (size_t)row < d.n);
    assert_int_equal(d.p[order[row]], d.p[0]);
    socind_state_free(s);
    /* the histogram states: the same status, from the pass that meets it
       (the quantile's variance at the end of its pass 2, which is then its
       last: no limits to find; Lorenz's and the share ratio's at finish,
       from pass 2) */
    const case_t mp[3] = {
        {SOCIND_STATE_QUANTILE, NAN, 0, NAN, 0.5, NAN, 0, 0, SOCIND_LONELY_FAIL, 0},
        {SOCIND_STATE_LORENZ, NAN, 0, NAN, 0.5, NAN, 0, 0, SOCIND_LONELY_FAIL, 0},
        {SOCIND_STATE_SHARE_RATIO, NAN, 0, NAN, 0.2, 0.8, 0, 0, SOCIND_LONELY_FAIL, 0}};
    for (int k = 0; k < 3; k++) {
        socind_estimate ref;
        const int32_t st_ref = in_memory_order(&d, order, &mp[k], &ref);
        assert_int_equal(st_ref, SOCIND_ERR_LONELY_PSU);
        socind_state *tmpl = NULL, *t = NULL;
        int32_t pass, passes;
        for (;;) {
            t = state_of_pass(&d, &mp[k], order, 0, d.n, tmpl);
            socind_state_free(tmpl);
            tmpl = NULL;
            assert_int_equal(socind_state_passes(t, &pass, &passes), SOCIND_OK);
            if (pass == passes) break;
            assert_int_equal(socind_state_next_pass(t, &tmpl), SOCIND_OK);
            socind_state_free(t);
        }
        assert_int_equal(pass, 2);
        assert_int_equal(socind_state_finish(t, NULL, &e, 1), st_ref);
        assert_int_equal(e.status, st_ref);
        socind_state_free(t);
    }
    free(order), free(h);
    d.h = f->stratum;
    data_free(&d);
}

/* A PSU whose every income is missing leaves a quantile's df (svyquantile's
 * na.rm drops its rows before its degf()), overall as in its domains; a
 * domain whose every income is missing is empty with the design's df, as
 * in memory. The overall state kept the PSU (df one above, and a t
 * quantile that made the interval and the SE other than in memory). */
static void test_quantile_df_without_a_psus_incomes(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    for (size_t k = 0; k < d.n; k++)
        if (d.p[k] == d.p[0] || d.g[k] == 1) d.y[k] = NAN;
    for (int grouped = 0; grouped <= 1; grouped++) {
        case_t c = {SOCIND_STATE_QUANTILE, NAN, 0, NAN, 0.5, NAN, grouped, 0, 0, 0};
        compare(&d, &c, 4);
        /* the in-memory figures the states met drop the PSU */
        const size_t G = grouped ? (size_t)d.ng : 1;
        socind_estimate *e = calloc(G, sizeof *e);
        size_t *order = malloc(d.n * sizeof *order);
        for (size_t k = 0; k < d.n; k++) order[k] = k;
        assert_int_equal(in_memory_order(&d, order, &c, e), SOCIND_OK);
        socind_design *des = NULL;
        assert_int_equal(socind_design_new(d.n, d.w, d.h, d.p, NULL, NULL, &des), SOCIND_OK);
        /* R's degf() of the rows used: PSUs minus strata with a row of
           weight > 0 and an income (O(n^2) here: a test's few thousand rows) */
        double np = 0.0, nh = 0.0;
        for (size_t k = 0; k < d.n; k++) {
            if (!(d.w[k] > 0.0) || isnan(d.y[k])) continue;
            int first_p = 1, first_h = 1;
            for (size_t j = 0; j < k && (first_p || first_h); j++) {
                if (!(d.w[j] > 0.0) || isnan(d.y[j])) continue;
                if (d.p[j] == d.p[k]) first_p = 0;
                if (d.h[j] == d.h[k]) first_h = 0;
            }
            np += first_p, nh += first_h;
        }
        assert_true(np - nh < socind_design_df(des));
        if (!grouped) assert_true(e[0].df == np - nh);
        if (grouped) {
            assert_int_equal(e[1].status, SOCIND_ERR_EMPTY_DOMAIN);
            assert_true(e[1].df == socind_design_df(des));
        }
        socind_design_free(des);
        free(e), free(order);
    }
    data_free(&d);
}

/* Parameters, the estimates' count, passes. */
static void test_spec_rules(void **state) {
    (void)state;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    assert_true(isnan(sp.p) && isnan(sp.p2));
    socind_state *s = NULL;
    sp.estimator = SOCIND_STATE_QUANTILE;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG); /* p unset */
    sp.p = 1.0;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG);
    sp.p = 0.25;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    socind_state_free(s);
    sp.estimator = SOCIND_STATE_SHARE_RATIO;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG); /* p2 unset */
    sp.p2 = 0.8;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    socind_state_free(s);
    sp.estimator = SOCIND_STATE_POVERTY_LINE;
    sp.line_type = SOCIND_LINE_PER_ROW;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG);
    sp.line_type = RQ;
    sp.p = NAN;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG); /* no fraction */
    sp.line = 0.6;
    sp.n_groups = 3;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG); /* one estimate */
    sp.n_groups = 0;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK); /* the median by default */
    socind_state_free(s);
    sp.estimator = SOCIND_STATE_FGT;
    sp.alpha = 0.0;
    sp.p = 1.5;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG);
    sp.p = 0.5;
    sp.line = -1.0;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_ERR_ARG);
    sp.line = 0.6;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    /* states of different p do not merge */
    socind_state *t = NULL;
    sp.p = 0.4;
    assert_int_equal(socind_state_new(&sp, &t), SOCIND_OK);
    assert_int_equal(socind_state_merge(s, t), SOCIND_ERR_MISMATCH);
    /* two passes, or three: without rows, no quantile's bucket makes a
       window, and pass 2 says 3; a state of pass 1 does not finish; the
       last pass of no rows is empty, and has no next pass */
    int32_t pass = 0, passes = 0;
    assert_int_equal(socind_state_passes(s, &pass, &passes), SOCIND_OK);
    assert_int_equal(pass, 1);
    assert_int_equal(passes, 2);
    socind_estimate e;
    assert_int_equal(socind_state_finish(s, NULL, &e, 1), SOCIND_ERR_ARG);
    socind_state *nx = NULL, *nx2 = NULL;
    assert_int_equal(socind_state_next_pass(s, &nx), SOCIND_OK);
    assert_int_equal(socind_state_passes(nx, &pass, &passes), SOCIND_OK);
    assert_int_equal(pass, 2);
    assert_int_equal(passes, 3);
    assert_int_equal(socind_state_next_pass(nx, &nx2), SOCIND_OK);
    assert_int_equal(socind_state_finish(nx2, NULL, &e, 1), SOCIND_ERR_EMPTY);
    socind_state *nx3 = (socind_state *)&sp;
    assert_int_equal(socind_state_next_pass(nx2, &nx3), SOCIND_ERR_ARG);
    assert_null(nx3);
    socind_state_free(nx), socind_state_free(nx2);
    socind_state_free(s), socind_state_free(t);
    /* the poverty profile's state takes a relative line (three passes) */
    socind_state_spec pr;
    socind_state_spec_init(&pr);
    pr.estimator = SOCIND_STATE_POVERTY_PROFILE;
    pr.n_groups = 2;
    pr.alpha = 0.0;
    pr.line_type = RQ;
    pr.line = 0.6;
    assert_int_equal(socind_state_new(&pr, &s), SOCIND_OK);
    socind_state_free(s);
    /* a relative mean line ignores p */
    sp.line_type = RM;
    sp.p = 7.0;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    socind_state_free(s);
    /* the median of the poor and the gap: convey's line, a fraction of a
       quantile (the median by default), in two passes (three or five as
       pass 2 finds); no other line */
    const int32_t meds[2] = {SOCIND_STATE_POOR_MEDIAN, SOCIND_STATE_RELATIVE_MEDIAN_GAP};
    for (int m = 0; m < 2; m++) {
        socind_state_spec pm;
        socind_state_spec_init(&pm);
        pm.estimator = meds[m];
        pm.line = 0.6;
        const int32_t bad_lines[3] = {SOCIND_LINE_ABSOLUTE, SOCIND_LINE_PER_ROW, RM};
        for (int k = 0; k < 3; k++) {
            pm.line_type = bad_lines[k];
            assert_int_equal(socind_state_new(&pm, &s), SOCIND_ERR_ARG);
            assert_null(s);
            assert_non_null(strstr(socind_last_error_detail(), "SOCIND_LINE_RELATIVE_QUANTILE"));
        }
        pm.line_type = RQ;
        pm.line = 0.0;
        assert_int_equal(socind_state_new(&pm, &s), SOCIND_ERR_ARG); /* a fraction > 0 */
        pm.line = 0.6;
        pm.p = 1.0;
        assert_int_equal(socind_state_new(&pm, &s), SOCIND_ERR_ARG); /* p in (0, 1) */
        pm.p = NAN;
        pm.inclusive = 0; /* read as 1: poor means y <= z */
        assert_int_equal(socind_state_new(&pm, &s), SOCIND_OK);
        int32_t pass = 0, passes = 0;
        assert_int_equal(socind_state_passes(s, &pass, &passes), SOCIND_OK);
        assert_int_equal(passes, 2); /* (3 or 5 as pass 2 finds) */
        socind_state *t = NULL;
        pm.inclusive = 1;
        assert_int_equal(socind_state_new(&pm, &t), SOCIND_OK);
        assert_int_equal(socind_state_merge(s, t), SOCIND_OK); /* the same spec */
        socind_state_free(t);
        pm.p = 0.5; /* the default, given */
        assert_int_equal(socind_state_new(&pm, &t), SOCIND_OK);
        assert_int_equal(socind_state_merge(s, t), SOCIND_OK);
        socind_state_free(t), socind_state_free(s);
        s = NULL;
        pm.n_groups = 2;
        assert_int_equal(socind_state_new(&pm, &s), SOCIND_OK);
        assert_int_equal(socind_state_set_groups(s, 3), SOCIND_ERR_ARG); /* rank-based */
        socind_state_free(s);
    }
}

/* The last pass's state from a pass-1 state s (freed), the chunks ch[0 ..
 * nch) added again in every later pass, as many as each merged state says. */
static socind_state *last_pass_of(socind_state *s, const socind_chunk *ch, size_t nch) {
    for (;;) {
        int32_t pass, passes;
        assert_int_equal(socind_state_passes(s, &pass, &passes), SOCIND_OK);
        if (pass == passes) return s;
        socind_state *n = NULL;
        assert_int_equal(socind_state_next_pass(s, &n), SOCIND_OK);
        socind_state_free(s);
        for (size_t i = 0; i < nch; i++) assert_int_equal(socind_state_add(n, &ch[i]), SOCIND_OK);
        s = n;
    }
}

/* Bad rows are refused at add as every state refuses them; the state keeps
 * no row of a refused chunk. */
static void test_bad_rows(void **state) {
    (void)state;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_GINI;
    sp.has_strata = sp.has_psu = 1;
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    double w[4] = {1, 2, 3, 4}, y[4] = {5, 15, 8, 20};
    int64_t h[4] = {1, 1, 2, 2}, p[4] = {10, 11, 20, 21};
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = 4, c.first_row = 100, c.weight = w, c.y = y, c.strata = h, c.psu = p;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    socind_chunk both[2];
    both[0] = c;
    size_t len0, len1;
    socind_state_info(s, NULL, NULL, NULL, &len0);
    double wb[3] = {1, 1, -1}, yb[3] = {1, 2, 3};
    int64_t hb[3] = {3, 3, 3}, pb[3] = {30, 31, 32};
    c.n = 3, c.first_row = 200, c.weight = wb, c.y = yb, c.strata = hb, c.psu = pb;
    assert_int_equal(socind_state_add(s, &c), SOCIND_ERR_WEIGHT);
    assert_int_equal(socind_last_error_row(), 202);
    wb[2] = 1.0;
    yb[1] = INFINITY;
    assert_int_equal(socind_state_add(s, &c), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 201);
    socind_state_info(s, NULL, NULL, NULL, &len1);
    assert_int_equal(len1, len0);
    yb[1] = 2.0;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    socind_state_info(s, NULL, NULL, NULL, &len1);
    assert_true(len1 > len0);
    both[1] = c;
    socind_estimate e, ref;
    assert_int_equal(socind_state_finish(s, NULL, &e, 1), SOCIND_ERR_ARG); /* pass 1 of 2 */
    s = last_pass_of(s, both, 2);
    /* the same rows in memory */
    double wa[7] = {1, 2, 3, 4, 1, 1, 1}, ya[7] = {5, 15, 8, 20, 1, 2, 3};
    int64_t ha[7] = {1, 1, 2, 2, 3, 3, 3}, pa[7] = {10, 11, 20, 21, 30, 31, 32};
    socind_design *d;
    assert_int_equal(socind_design_new(7, wa, ha, pa, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_gini(d, ya, NULL, 1, NULL, &ref), SOCIND_OK);
    assert_int_equal(socind_state_finish(s, NULL, &e, 1), SOCIND_OK);
    assert_int_equal(e.status, ref.status);
    assert_int_equal(e.n, ref.n);
    assert_close(e.value, ref.value, TOL);
    assert_close(e.se, ref.se, TOL);
    assert_close(e.ci_low, ref.ci_low, TOL);
    assert_close(e.ci_high, ref.ci_high, TOL);
    assert_int_equal(socind_state_finish(s, NULL, &e, 0), SOCIND_ERR_BUFFER);
    socind_design_free(d);
    socind_state_free(s);
}

/* A quantile's passes: finishing early, merging states of different
 * plans, a next pass after the last, other interval options; pass 2 the
 * last where its window holds the limits (here: 240 rows in 24 PSUs), and
 * the same figures, bit for bit, from the third pass a window of the
 * quantile's bucket alone takes. */
static void test_quantile_passes(void **state) {
    (void)state;
    enum { N = 240 };
    double w[N], y[N];
    int64_t h[N], p[N];
    for (int k = 0; k < N; k++) {
        y[k] = 1000.0 + (double)((k * 37) % 211) * 13.0, w[k] = 1.0 + (double)(k % 5);
        h[k] = k % 4, p[k] = 100 * h[k] + (k / 4) % 6;
    }
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_QUANTILE;
    sp.p = 0.5;
    sp.has_strata = sp.has_psu = 1;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w, c.y = y, c.strata = h, c.psu = p;
    socind_state *s = NULL, *n2 = NULL, *n3 = NULL, *other = NULL, *t = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    int32_t pass, passes;
    assert_int_equal(socind_state_passes(s, &pass, &passes), SOCIND_OK);
    assert_int_equal(pass, 1);
    assert_int_equal(passes, 2);
    socind_estimate e, e3, ref;
    assert_int_equal(socind_state_finish(s, NULL, &e, 1), SOCIND_ERR_ARG);
    assert_int_equal(socind_state_next_pass(s, &n2), SOCIND_OK);
    /* a pass-2 state from a pass-1 state of other rows: another plan */
    socind_chunk c2 = c;
    c2.n = 30;
    assert_int_equal(socind_state_new(&sp, &t), SOCIND_OK);
    assert_int_equal(socind_state_add(t, &c2), SOCIND_OK);
    assert_int_equal(socind_state_next_pass(t, &other), SOCIND_OK);
    assert_int_equal(socind_state_merge(n2, other), SOCIND_ERR_MISMATCH);
    assert_int_equal(socind_state_merge(n2, s), SOCIND_ERR_MISMATCH); /* another pass */
    assert_int_equal(socind_state_add(n2, &c), SOCIND_OK);
    assert_int_equal(socind_state_passes(n2, &pass, &passes), SOCIND_OK);
    assert_int_equal(pass, 2);
    assert_int_equal(passes, 2); /* the window holds every row */
    socind_state *none = NULL;
    assert_int_equal(socind_state_next_pass(n2, &none), SOCIND_ERR_ARG);
    assert_null(none);
    assert_int_equal(socind_state_finish(n2, NULL, &e, 1), SOCIND_OK);
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_quantile(d, y, 0.5, NULL, 1, NULL, &ref), SOCIND_OK);
    assert_true(isfinite(ref.ci_low) && isfinite(ref.ci_high) && ref.se > 0.0);
    assert_close(e.value, ref.value, 1e-15);
    assert_close(e.se, ref.se, 1e-12);
    assert_close(e.ci_low, ref.ci_low, 1e-15);
    assert_close(e.ci_high, ref.ci_high, 1e-15);
    assert_int_equal(e.n, ref.n);
    assert_int_equal(e.status, ref.status);
    socind_options o;
    socind_options_init(&o);
    o.level = 0.9;
    assert_int_equal(socind_state_finish(n2, &o, &e3, 1), SOCIND_ERR_ARG);
    o.level = 0.95;
    o.prop_ci = SOCIND_PROP_CI_WALD; /* not used by a quantile */
    assert_int_equal(socind_state_finish(n2, &o, &e3, 1), SOCIND_OK);
    assert_memory_equal(&e3, &e, sizeof e);
    /* through its bytes: the window read back, the same figures */
    socind_state *back = through_bytes(n2);
    n2 = NULL;
    assert_int_equal(socind_state_passes(back, &pass, &passes), SOCIND_OK);
    assert_int_equal(passes, 2);
    assert_int_equal(socind_state_finish(back, NULL, &e3, 1), SOCIND_OK);
    assert_memory_equal(&e3, &e, sizeof e);
    socind_state_free(back);

    /* a window of the quantile's bucket alone: pass 3 */
    socind_state_free(s), socind_state_free(other), socind_state_free(t);
    socind__qwin_budget = 1;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    assert_int_equal(socind_state_next_pass(s, &n2), SOCIND_OK);
    socind__qwin_budget = 0;
    assert_int_equal(socind_state_add(n2, &c), SOCIND_OK);
    assert_int_equal(socind_state_passes(n2, &pass, &passes), SOCIND_OK);
    assert_int_equal(passes, 3);
    assert_int_equal(socind_state_finish(n2, NULL, &e3, 1), SOCIND_ERR_ARG);
    assert_non_null(strstr(socind_last_error_detail(), "pass 2 of 3"));
    assert_true(isnan(e3.value));
    assert_int_equal(socind_state_next_pass(n2, &n3), SOCIND_OK);
    assert_int_equal(socind_state_passes(n3, &pass, &passes), SOCIND_OK);
    assert_int_equal(pass, 3);
    assert_int_equal(passes, 3);
    assert_int_equal(socind_state_add(n3, &c), SOCIND_OK);
    assert_int_equal(socind_state_next_pass(n3, &none), SOCIND_ERR_ARG);
    assert_null(none);
    n3 = through_bytes(n3); /* a third pass's bytes say 3 passes */
    assert_int_equal(socind_state_finish(n3, NULL, &e3, 1), SOCIND_OK);
    assert_memory_equal(&e3, &e, sizeof e);
    o.level = 0.9;
    assert_int_equal(socind_state_finish(n3, &o, &e3, 1), SOCIND_ERR_ARG);
    socind_design_free(d);
    socind_state_free(s), socind_state_free(n2), socind_state_free(n3);
}

/* Incomes of −0 and +0: the median is 0, and the share at or below it
 * counts both (−0 <= +0 and +0 <= −0), as in memory: a quantile's,
 * a Lorenz ordinate's and a share ratio's states agree with the in-memory
 * calls however the zeros' signs fall (they share a bucket). */
static void test_signed_zeros(void **state) {
    (void)state;
    enum { N = 400 };
    double w[N], y[N];
    int64_t h[N], p[N];
    for (int k = 0; k < N; k++) {
        /* 55 % −0, 15 % +0, the rest positive */
        const int m = (k * 37) % 100;
        y[k] = m < 55 ? -0.0 : m < 70 ? 0.0 : 100.0 + (double)m, w[k] = 1.0 + (double)(k % 3);
        h[k] = k % 4, p[k] = 10 * h[k] + (k / 4) % 7;
    }
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
    const int32_t ests[3] = {SOCIND_STATE_QUANTILE, SOCIND_STATE_LORENZ, SOCIND_STATE_SHARE_RATIO};
    for (int k = 0; k < 3; k++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = ests[k];
        sp.p = 0.5, sp.p2 = k == 2 ? 0.9 : NAN;
        sp.has_strata = sp.has_psu = 1;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = N, c.weight = w, c.y = y, c.strata = h, c.psu = p;
        socind_state *s = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
        s = last_pass_of(s, &c, 1);
        socind_estimate e, ref;
        assert_int_equal(socind_state_finish(s, NULL, &e, 1), SOCIND_OK);
        if (k == 0) assert_int_equal(socind_quantile(d, y, 0.5, NULL, 1, NULL, &ref), SOCIND_OK);
        if (k == 1) assert_int_equal(socind_lorenz(d, y, 0.5, NULL, 1, NULL, &ref), SOCIND_OK);
        if (k == 2)
            assert_int_equal(socind_share_ratio(d, y, 0.5, 0.9, NULL, 1, NULL, &ref), SOCIND_OK);
        assert_int_equal(e.status, ref.status);
        if (k == 0) {
            assert_true(e.value == 0.0 && ref.value == 0.0 && ref.se > 0.0);
            assert_true(!signbit(e.value) && !signbit(ref.value)); /* +0, as in memory */
            assert_true(isfinite(ref.ci_high));
        }
        assert_close(e.value, ref.value, 1e-13);
        assert_close(e.se, ref.se, 1e-12);
        if (!isnan(ref.ci_low) || !isnan(e.ci_low)) assert_close(e.ci_low, ref.ci_low, 1e-12);
        assert_close(e.ci_high, ref.ci_high, 1e-12);
        socind_state_free(s);
    }
    socind_design_free(d);
}

/* A Lorenz ordinate whose straddling row weighs less than the rounding
 * step of the weight before it: t = (p·N̂ − W')/w is above 1, the point
 * q̃ = y' + (y − y')·t above the row's income 2 and above 2.5, a value of
 * a higher bucket, whose rows pass 2 has not kept; pass 2 says 3, and
 * pass 3 agrees with socind_lorenz. */
static void test_lorenz_point_beyond_its_bucket(void **state) {
    (void)state;
    enum { N = 8 };
    double y[N] = {1.0, 1.0, 0.5, 2.0, 2.5, 2.6, 3.0, 4.0};
    double w[N] = {0.25, 0.5, 0.25, 0.6 * 0x1p-52, 0.25, 0.25, 0.25, 0.25};
    int64_t psu[N] = {0, 1, 2, 3, 4, 5, 6, 7};
    const double p = nextafter(0.5, 1.0);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_LORENZ, sp.p = p, sp.has_psu = 1;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w, c.y = y, c.psu = psu;
    socind_state *s = NULL, *n2 = NULL, *n3 = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    assert_int_equal(socind_state_next_pass(s, &n2), SOCIND_OK);
    assert_int_equal(socind_state_add(n2, &c), SOCIND_OK);
    int32_t pass, passes;
    assert_int_equal(socind_state_passes(n2, &pass, &passes), SOCIND_OK);
    assert_int_equal(passes, 3);
    socind_estimate e, ref;
    assert_int_equal(socind_state_finish(n2, NULL, &e, 1), SOCIND_ERR_ARG);
    assert_int_equal(socind_state_next_pass(n2, &n3), SOCIND_OK);
    assert_int_equal(socind_state_add(n3, &c), SOCIND_OK);
    n3 = through_bytes(n3);
    assert_int_equal(socind_state_passes(n3, &pass, &passes), SOCIND_OK);
    assert_int_equal(pass, 3);
    assert_int_equal(passes, 3);
    assert_int_equal(socind_state_finish(n3, NULL, &e, 1), SOCIND_OK);
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, NULL, psu, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_lorenz(d, y, p, NULL, 1, NULL, &ref), SOCIND_OK);
    assert_close(e.value, ref.value, 1e-13);
    assert_close(e.se, ref.se, 1e-12);
    socind_design_free(d);
    socind_state_free(s), socind_state_free(n2), socind_state_free(n3);
}

/* A Lorenz ordinate whose p·N̂ falls inside the first of two tied
 * incomes of different weights: that row's weight sets q̃, and the state
 * takes the same row as socind_lorenz (ties in the rows' order, −0 as
 * +0), with the rows in two chunks. */
static void test_lorenz_ties(void **state) {
    (void)state;
    enum { N = 40 };
    double y[N], w[N];
    int64_t psu[N];
    for (int v = 0; v < 4; v++) {
        for (int k = 0; k < N; k++) {
            psu[k] = k % 8, w[k] = 1.0;
            if (v < 2)
                y[k] = k < 30 ? k + 1.0 : k < 32 ? 31.0 : 10.0 + k;
            else
                y[k] = k < 30    ? -(30.0 - k)
                       : k == 30 ? (v == 2 ? -0.0 : 0.0)
                       : k == 31 ? (v == 2 ? 0.0 : -0.0)
                                 : k;
        }
        w[30] = v % 2 ? 1.0 : 3.0, w[31] = v % 2 ? 3.0 : 1.0;
        double Nt = 0.0;
        for (int k = 0; k < N; k++) Nt += w[k];
        const double p = 31.0 / Nt; /* inside row 30 (30 before it) */
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = SOCIND_STATE_LORENZ, sp.p = p, sp.has_psu = 1;
        socind_chunk c[2]; /* rows 0..19, then 20..39 */
        for (int h = 0; h < 2; h++) {
            socind_chunk_init(&c[h]);
            c[h].n = N / 2, c[h].first_row = h * N / 2;
            c[h].weight = w + h * N / 2, c[h].y = y + h * N / 2, c[h].psu = psu + h * N / 2;
        }
        socind_state *s = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        for (int h = 0; h < 2; h++) assert_int_equal(socind_state_add(s, &c[h]), SOCIND_OK);
        s = last_pass_of(s, c, 2);
        socind_estimate e, ref;
        assert_int_equal(socind_state_finish(s, NULL, &e, 1), SOCIND_OK);
        socind_design *d;
        assert_int_equal(socind_design_new(N, w, NULL, psu, NULL, NULL, &d), SOCIND_OK);
        assert_int_equal(socind_lorenz(d, y, p, NULL, 1, NULL, &ref), SOCIND_OK);
        assert_close(e.value, ref.value, 1e-13);
        assert_close(e.se, ref.se, 1e-12);
        socind_design_free(d);
        socind_state_free(s);
    }
}

/* The bandwidth from the incomes' moments about their mean (as density.c
 * takes them about a row's income): a domain whose incomes are all equal
 * has none (SOCIND_ERR_DATA, as in memory, not a figure from Σw·y² −
 * Ŷ²/N̂ rounded above 0), and incomes of 1e8 that differ by units give
 * the in-memory figures — a share ratio by domain and a relative quantile
 * line, through states in chunks. */
static void test_bandwidth_of_close_incomes(void **state) {
    (void)state;
    enum { N = 900 };
    double w[N], y[N], y8[N];
    int64_t h[N], p[N];
    int32_t g[N];
    for (int k = 0; k < N; k++) {
        g[k] = k % 3;
        const double u = (double)((k * 37) % 101);
        y[k] = g[k] == 0 ? 5000.0 : g[k] == 1 ? 1e8 + u : exp(9.0 + 0.02 * u);
        y8[k] = 1e8 + u;
        w[k] = 1.0 + (double)(k % 4), h[k] = k % 5, p[k] = 100 * h[k] + (k / 5) % 9;
    }
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
    for (int v = 0; v < 2; v++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.has_strata = sp.has_psu = 1;
        if (v == 0) {
            sp.estimator = SOCIND_STATE_SHARE_RATIO, sp.p = 0.2, sp.p2 = 0.8, sp.n_groups = 3;
        } else {
            sp.estimator = SOCIND_STATE_POVERTY_LINE;
            sp.line_type = SOCIND_LINE_RELATIVE_QUANTILE, sp.line = 0.6, sp.p = 0.5;
        }
        const double *yv = v ? y8 : y;
        socind_state *s = NULL, *t = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        for (;;) {
            for (int a = 0; a < N; a += 300) { /* three chunks */
                socind_chunk c;
                socind_chunk_init(&c);
                c.n = 300, c.first_row = a, c.weight = w + a, c.y = yv + a, c.strata = h + a;
                c.psu = p + a, c.group = v ? NULL : g + a;
                assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
            }
            s = through_bytes(s);
            int32_t pass, passes;
            assert_int_equal(socind_state_passes(s, &pass, &passes), SOCIND_OK);
            if (pass == passes) break;
            assert_int_equal(socind_state_next_pass(s, &t), SOCIND_OK);
            socind_state_free(s);
            s = t;
        }
        socind_estimate e[3], ref[3];
        const size_t cnt = v ? 1 : 3;
        const int32_t st = socind_state_finish(s, NULL, e, cnt);
        if (v == 0) {
            assert_int_equal(socind_share_ratio(d, yv, 0.2, 0.8, g, 3, NULL, ref), st);
        } else {
            socind_poverty_line L;
            socind_poverty_line_init(&L);
            L.type = SOCIND_LINE_RELATIVE_QUANTILE, L.value = 0.6, L.quantile = 0.5;
            assert_int_equal(socind_poverty_line_estimate(d, yv, &L, NULL, ref), st);
        }
        for (size_t j = 0; j < cnt; j++) {
            assert_int_equal(e[j].status, ref[j].status);
            /* a figure without its SE is the same figure */
            assert_int_equal(isnan(e[j].value), isnan(ref[j].value));
            if (!isnan(ref[j].value)) assert_close(e[j].value, ref[j].value, 1e-13);
            if (ref[j].status) continue;
            assert_close(e[j].se, ref[j].se, 1e-12);
        }
        /* equal incomes: no one above the upper quantile, S80/S20 0 (convey's
           svyqsr), its SE without a density */
        if (v == 0) {
            assert_int_equal(ref[0].status, SOCIND_ERR_DATA);
            assert_true(ref[0].value == 0.0 && isnan(ref[0].se));
        }
        assert_true(v == 0 ? ref[1].se > 0.0 : ref[0].se > 0.0);
        socind_state_free(s);
    }
    socind_design_free(d);
}

/* A relative mean line's POVERTY_LINE state keeps sums per cell and no
 * rows: bytes that claim rows are refused (the rows' part counts 0). */
static void test_line_of_cells_keeps_no_rows(void **state) {
    (void)state;
    double w[6] = {1, 2, 1, 2, 1, 2}, y[6] = {5, 6, 7, 8, 9, 10};
    int64_t p[6] = {0, 0, 1, 1, 2, 2};
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_POVERTY_LINE, sp.has_psu = 1;
    sp.line_type = SOCIND_LINE_RELATIVE_MEAN, sp.line = 0.5;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = 6, c.weight = w, c.y = y, c.psu = p;
    socind_state *s = NULL, *t = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    size_t len = 0, np = 0, nc = 0;
    assert_int_equal(socind_state_info(s, NULL, &np, &nc, &len), SOCIND_OK);
    unsigned char *b = calloc(len + 56, 1);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    /* the rows' part after the header (96), PSUs (40 each) and cells (64
       each, K = 2): p, p2, the row count; a row record more, counted */
    const size_t at = 96 + 40 * np + 64 * nc;
    assert_int_equal(len, at + 24 + 4);
    b[at + 16] = 1;
    test_fix_crc(b, len + 56);
    assert_int_equal(socind_state_from_bytes(b, len + 56, &t), SOCIND_ERR_FORMAT);
    assert_non_null(strstr(socind_last_error_detail(), "keeps no rows"));
    assert_null(t);
    free(b);
    socind_state_free(s);
}

/* A share ratio whose incomes differ in their last digits only: the
 * bandwidth is a hundred-thousandth of its quantiles' bucket, so the
 * kernel series about the buckets' centres cannot hold the sums and pass 2
 * says 3 (its finish refuses); pass 3 sums the kernel row by row and
 * agrees with socind_share_ratio. A pass-2 state's damaged kernel moments
 * are refused. */
static void test_share_ratio_passes(void **state) {
    (void)state;
    enum { N = 600 };
    double w[N], y[N], yw[N];
    int64_t h[N], p[N];
    for (int k = 0; k < N; k++) {
        y[k] = 1e6 * (1.0 + 1e-7 * (double)((k * 53) % 211)), w[k] = 1.0 + (double)(k % 7);
        yw[k] = exp(10.0 + 0.01 * (double)((k * 29) % 97)); /* spread incomes: two passes */
        h[k] = k % 5, p[k] = 100 * h[k] + (k / 5) % 8;
    }
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
    for (int v = 0; v < 2; v++) {
        const double *yv = v ? yw : y;
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = SOCIND_STATE_SHARE_RATIO;
        sp.p = 0.2, sp.p2 = 0.8;
        sp.has_strata = sp.has_psu = 1;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = N, c.weight = w, c.y = yv, c.strata = h, c.psu = p;
        socind_state *s = NULL, *n2 = NULL, *n3 = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
        assert_int_equal(socind_state_next_pass(s, &n2), SOCIND_OK);
        assert_int_equal(socind_state_add(n2, &c), SOCIND_OK);
        int32_t pass, passes;
        assert_int_equal(socind_state_passes(n2, &pass, &passes), SOCIND_OK);
        assert_int_equal(passes, v ? 2 : 3);
        socind_estimate e, ref;
        assert_int_equal(socind_share_ratio(d, yv, 0.2, 0.8, NULL, 1, NULL, &ref), SOCIND_OK);
        assert_true(isfinite(ref.value) && ref.se > 0.0);
        const socind_state *last = n2;
        if (!v) {
            assert_int_equal(socind_state_finish(n2, NULL, &e, 1), SOCIND_ERR_ARG);
            assert_non_null(strstr(socind_last_error_detail(), "pass 2 of 3"));
            assert_int_equal(socind_state_next_pass(n2, &n3), SOCIND_OK);
            assert_int_equal(socind_state_add(n3, &c), SOCIND_OK);
            n3 = through_bytes(n3);
            last = n3;
        } else {
            socind_state *none = NULL;
            assert_int_equal(socind_state_next_pass(n2, &none), SOCIND_ERR_ARG);
            /* the kernel moments (the last 2·17 pairs before the
               checksum): read back, or refused where damaged */
            size_t len = 0;
            assert_int_equal(socind_state_to_bytes(n2, NULL, 0, &len), SOCIND_OK);
            unsigned char *b = malloc(len);
            assert_int_equal(socind_state_to_bytes(n2, b, len, &len), SOCIND_OK);
            socind_state *t = NULL;
            assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
            assert_int_equal(socind_state_finish(t, NULL, &e, 1), SOCIND_OK);
            socind_estimate e2;
            assert_int_equal(socind_state_finish(n2, NULL, &e2, 1), SOCIND_OK);
            assert_memory_equal(&e, &e2, sizeof e);
            socind_state_free(t);
            const double nan = NAN;
            memcpy(b + len - 4 - 32 * 17 + 16, &nan, 8);
            test_fix_crc(b, len);
            assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_ERR_FORMAT);
            assert_non_null(strstr(socind_last_error_detail(), "kernel moments"));
            assert_int_equal(socind_state_from_bytes(b, len - 8, &t), SOCIND_ERR_FORMAT);
            free(b);
        }
        assert_int_equal(socind_state_finish(last, NULL, &e, 1), SOCIND_OK);
        assert_int_equal(e.status, ref.status);
        assert_int_equal(e.n, ref.n);
        assert_close(e.value, ref.value, 1e-13);
        assert_close(e.se, ref.se, 1e-12);
        socind_state_free(s), socind_state_free(n2), socind_state_free(n3);
    }
    socind_design_free(d);
}

/* The rows' part of the bytes (a quantile's second pass keeps the rows of
 * its bucket): truncated, extended or damaged bytes are refused (the
 * checksum, then the records' rules with the checksum made again over the
 * change). */

static void test_bytes_refused(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    case_t c = {SOCIND_STATE_QUANTILE, NAN, 0, NAN, 0.5, NAN, 1, 1, 0, 0};
    size_t *order = malloc(d.n * sizeof *order);
    for (size_t k = 0; k < d.n; k++) order[k] = k;
    socind_state *s1 = state_of(&d, &c, order, 0, d.n), *tmpl = NULL;
    assert_int_equal(socind_state_next_pass(s1, &tmpl), SOCIND_OK);
    socind_state *s = state_of_pass(&d, &c, order, 0, d.n, tmpl);
    socind_state_free(s1), socind_state_free(tmpl);
    size_t len, np, nc;
    socind_state_info(s, NULL, &np, &nc, &len);
    unsigned char *b = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    /* the rows' part: after the header (96), PSUs (40 each) and cells (64 each, K = 2);
       its row count R at +16, then R rows of 56 bytes, then the histogram and plan */
    const size_t at = 96 + 40 * np + 64 * nc;
    size_t R = 0;
    for (int j = 0; j < 8; j++) R |= (size_t)b[at + 16 + (size_t)j] << (8 * j);
    assert_true(R >= 2 && (R & 0xFF) != 0xFF);
    assert_true(len > at + 24 + 56 * R + 4);
    socind_state *t = NULL;
    for (size_t cut = 0; cut < len; cut += 1 + cut / 11) {
        assert_int_equal(socind_state_from_bytes(b, cut, &t), SOCIND_ERR_FORMAT);
        assert_null(t);
    }
    for (size_t i = 0; i < len; i += 1 + i / 40) {
        unsigned char keep = b[i];
        b[i] ^= (unsigned char)(1u << (i % 8));
        assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_ERR_FORMAT);
        assert_null(t);
        b[i] = keep;
    }
    /* rule breaks with a valid checksum: p out of range, a row count that
       does not match, a negative weight, an infinite income, a domain out
       of range, non-zero padding, a PSU the state does not have */
    const struct {
        size_t off;
        unsigned char v;
    } breaks[] = {
        {at + 7, 0x7F},                    /* p: 0.5 becomes a NaN or a huge number */
        {at + 16, (unsigned char)(R + 1)}, /* a row more claimed than present */
        {at + 24 + 8 + 7, 0xBF},           /* the first row's weight negative */
        {at + 24 + 6, 0xF0},               /* the first row's income: +Inf */
        {at + 24 + 48, 0x7F},              /* the first row's domain */
        {at + 24 + 52, 1},                 /* padding */
        {at + 24 + 56 + 24 + 5, 0x55}      /* the second row's PSU id */
    };
    for (size_t k = 0; k < sizeof breaks / sizeof breaks[0]; k++) {
        unsigned char *q = malloc(len);
        memcpy(q, b, len);
        if (k == 3) q[at + 24 + 7] = 0x7F; /* +Inf: exponent all ones, mantissa 0 */
        if (k == 3)
            for (int j = 0; j < 6; j++) q[at + 24 + (size_t)j] = 0;
        q[breaks[k].off] = breaks[k].v;
        test_fix_crc(q, len);
        assert_int_equal(socind_state_from_bytes(q, len, &t), SOCIND_ERR_FORMAT);
        assert_null(t);
        free(q);
    }
    /* the plan's windows (each domain's 232-byte record ends the bytes
       before the checksum; its window's first and last bucket at +216 and
       +224): a first bucket past the quantile's, none (−1) while the last
       is one, a last bucket past the histogram's range */
    const size_t plan = len - 4 - (size_t)d.ng * 232;
    for (int k = 0; k < 3; k++) {
        unsigned char *q = malloc(len);
        memcpy(q, b, len);
        if (k == 0) q[plan + 216 + 3] = 0x40;
        if (k == 1) memset(q + plan + 216, 0xFF, 8);
        if (k == 2) q[plan + 224 + 3] = 0x40;
        test_fix_crc(q, len);
        assert_int_equal(socind_state_from_bytes(q, len, &t), SOCIND_ERR_FORMAT);
        assert_non_null(strstr(socind_last_error_detail(), "window"));
        free(q);
    }
    /* a quantile's state in versions 2 and 3: refused for its version */
    for (unsigned char v = 2; v <= 3; v++) {
        unsigned char *q = malloc(len);
        memcpy(q, b, len);
        q[8] = v;
        test_fix_crc(q, len);
        assert_int_equal(socind_state_from_bytes(q, len, &t), SOCIND_ERR_FORMAT);
        assert_non_null(strstr(socind_last_error_detail(), "holds the window"));
        free(q);
    }
    /* an extended part (a row more than counted) */
    unsigned char *q = calloc(len + 56, 1);
    memcpy(q, b, len - 4);
    test_fix_crc(q, len + 56);
    assert_int_equal(socind_state_from_bytes(q, len + 56, &t), SOCIND_ERR_FORMAT);
    free(q);
    /* and the bytes as written read back */
    test_fix_crc(b, len);
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
    socind_state_free(t);
    free(b), free(order);
    socind_state_free(s);
    data_free(&d);
}

/* Damaged bytes b[0 .. len) (their CRC made again): a status, never a
 * crash; a state they read as is finished (with o), and its next pass
 * made, without a crash. */
static void read_and_use(const unsigned char *b, size_t len, const socind_options *o) {
    socind_state *t = NULL;
    const int32_t st = socind_state_from_bytes(b, len, &t);
    assert_true(st == SOCIND_OK || st == SOCIND_ERR_FORMAT);
    if (!t) return;
    socind_estimate e[64];
    socind_state_finish(t, o, e, 64);
    socind_state *nx = NULL;
    socind_state_next_pass(t, &nx);
    socind_state_free(nx);
    socind_state_free(t);
}

/* SOCIND_STATE_PROPORTION_LIKELIHOOD: socind_proportion's likelihood
 * interval (and the logit one) through the state's two passes against the
 * in-memory call on the same rows in the same order: a 0/1 variable (the
 * reference sample's consumption below 800,000) with missing values, zero
 * weights, rows in no domain, with and without domains and fpc; the rows
 * in the data's order or shuffled, cut at random in each pass (PSUs split,
 * empty chunks, domains missing from chunks), merged in random orders,
 * some through their bytes. Then the contract: pass 1 does not finish,
 * second passes of different first passes do not merge (even where their
 * mean weights are equal), a second pass over other rows does not finish,
 * set_groups is refused in pass 2, damaged bytes of either pass give a
 * status, and a weight sum that overflowed goes through bytes and
 * finishes SOCIND_ERR_OVERFLOW. */
static void test_proportion_likelihood(void **state) {
    const households *fh = *state;
    data d;
    data_make(fh, &d);
    for (size_t k = 0; k < d.n; k++)
        if (!isnan(d.y[k])) d.y[k] = d.y[k] < 800000.0 ? 1.0 : 0.0;
    socind_options lik, logit;
    socind_options_init(&lik);
    socind_options_init(&logit);
    lik.prop_ci = SOCIND_PROP_CI_LIKELIHOOD;
    size_t *order = malloc(d.n * sizeof *order);
    int fitted = 0; /* domains whose limits came from the fit (not the exact one) */
    for (int v = 0; v < 4; v++) {
        const case_t c = {
            SOCIND_STATE_PROPORTION_LIKELIHOOD, NAN, 0, NAN, NAN, NAN, v & 1, v >> 1, 0, 0};
        const size_t cnt = c.grouped ? (size_t)d.ng : 1;
        socind_estimate *got = calloc(cnt, sizeof *got), *ref = calloc(cnt, sizeof *ref);
        for (int r = 0; r < ROUNDS; r++) {
            for (size_t k = 0; k < d.n; k++) order[k] = k;
            if (r % 2 == 1)
                for (size_t k = d.n - 1; k > 0; k--) {
                    size_t j = rnd() % (k + 1), t = order[k];
                    order[k] = order[j], order[j] = t;
                }
            socind_state *st[12], *tmpl = NULL;
            for (int32_t want = 1; want <= 2; want++) {
                const size_t nch = 1 + rnd() % 9;
                size_t cuts[12];
                cuts[0] = 0, cuts[nch] = d.n;
                for (size_t i = 1; i < nch; i++) cuts[i] = rnd() % (d.n + 1);
                for (size_t i = 1; i < nch; i++)
                    for (size_t j = i; j > 1 && cuts[j - 1] > cuts[j]; j--) {
                        size_t t = cuts[j];
                        cuts[j] = cuts[j - 1], cuts[j - 1] = t;
                    }
                for (size_t i = 0; i < nch; i++) {
                    st[i] = state_of_pass(&d, &c, order, cuts[i], cuts[i + 1], tmpl);
                    if (i % 3 == 2) st[i] = through_bytes(st[i]);
                }
                for (size_t left = nch; left > 1; left--) {
                    size_t i = rnd() % left, j = rnd() % (left - 1);
                    if (j >= i) j++;
                    assert_int_equal(socind_state_merge(st[i], st[j]), SOCIND_OK);
                    socind_state_free(st[j]);
                    st[j] = st[left - 1];
                }
                int32_t pass = 0, passes = 0;
                assert_int_equal(socind_state_passes(st[0], &pass, &passes), SOCIND_OK);
                assert_int_equal(pass, want);
                assert_int_equal(passes, 2);
                socind_state_free(tmpl);
                tmpl = NULL;
                if (want == 1) {
                    assert_int_equal(socind_state_finish(st[0], &lik, got, cnt), SOCIND_ERR_ARG);
                    assert_int_equal(socind_state_next_pass(st[0], &tmpl), SOCIND_OK);
                    socind_state_free(st[0]);
                }
            }
            /* the data's order or the shuffled one: the in-memory call on it */
            for (int o = 0; o < 2; o++) {
                const socind_options *op = o ? &logit : &lik;
                const int32_t s1 = socind_state_finish(st[0], op, got, cnt);
                const int32_t s2 = in_memory_order_opts(&d, order, &c, op, ref);
                assert_int_equal(s1, s2);
                for (size_t j = 0; j < cnt; j++) {
                    cur_case = &c, cur_index = j, cur_round = r;
                    same_estimate(&got[j], &ref[j]);
                    /* the fit moves the limits off the exact fit's */
                    if (o == 0 && ref[j].status == SOCIND_OK) {
                        socind_estimate ex = ref[j];
                        socind_prop_ci(ref[j].value, ref[j].se, ref[j].df, ref[j].n, &lik,
                                       &ex.ci_low, &ex.ci_high);
                        fitted += ex.ci_low != ref[j].ci_low;
                    }
                }
            }
            socind_state_free(st[0]);
        }
        free(got), free(ref);
    }
    print_message("the likelihood interval through states: %d domains' limits from the fit\n",
                  fitted);
    assert_true(fitted > 20);

    /* the contract */
    const case_t c = {SOCIND_STATE_PROPORTION_LIKELIHOOD, NAN, 0, NAN, NAN, NAN, 1, 0, 0, 0};
    for (size_t k = 0; k < d.n; k++) order[k] = k;
    socind_state *a = state_of(&d, &c, order, 0, d.n / 2), *b = state_of(&d, &c, order, 0, d.n);
    socind_state *na = NULL, *nb = NULL;
    assert_int_equal(socind_state_next_pass(a, &na), SOCIND_OK);
    assert_int_equal(socind_state_next_pass(b, &nb), SOCIND_OK);
    socind_state *nn = NULL;
    assert_int_equal(socind_state_next_pass(na, &nn), SOCIND_ERR_ARG);
    assert_null(nn);
    assert_int_equal(socind_state_merge(na, nb), SOCIND_ERR_MISMATCH);
    assert_int_equal(socind_state_merge(na, a), SOCIND_ERR_MISMATCH); /* passes differ */
    assert_int_equal(socind_state_set_groups(a, d.ng + 2), SOCIND_OK);
    assert_int_equal(socind_state_set_groups(na, d.ng + 2), SOCIND_ERR_ARG);
    assert_int_equal(socind_state_set_groups(na, d.ng), SOCIND_OK); /* no change */
    socind_state *pa = state_of_pass(&d, &c, order, 0, d.n, na);
    socind_state *pb = state_of_pass(&d, &c, order, 0, d.n, nb);
    socind_state *pz = state_of_pass(&d, &c, order, 0, 0, nb); /* an empty chunk */
    assert_int_equal(socind_state_merge(pb, pz), SOCIND_OK);
    assert_int_equal(socind_state_merge(pa, pb), SOCIND_ERR_MISMATCH);
    /* a second pass over other rows than the first: refused at finish */
    socind_estimate *e2 = calloc((size_t)d.ng, sizeof *e2);
    assert_int_equal(socind_state_finish(pa, &lik, e2, (size_t)d.ng), SOCIND_ERR_MISMATCH);
    assert_non_null(strstr(socind_last_error_detail(), "the second pass added"));
    assert_int_equal(socind_state_finish(pb, &lik, e2, (size_t)d.ng), SOCIND_OK);
    free(e2);
    /* pass 1 of equal mean weights (every weight 1) over other rows: their
       second passes do not merge */
    {
        const case_t c1 = {SOCIND_STATE_PROPORTION_LIKELIHOOD, NAN, 0, NAN, NAN, NAN, 0, 0, 0, 0};
        data u = d;
        u.w = malloc(d.n * sizeof *u.w);
        for (size_t k = 0; k < d.n; k++) u.w[k] = 1.0;
        socind_state *s1 = state_of(&u, &c1, order, 0, 100), *s2 = state_of(&u, &c1, order, 0, 200);
        socind_state *t1 = NULL, *t2 = NULL;
        assert_int_equal(socind_state_next_pass(s1, &t1), SOCIND_OK);
        assert_int_equal(socind_state_next_pass(s2, &t2), SOCIND_OK);
        assert_int_equal(socind_state_merge(t1, t2), SOCIND_ERR_MISMATCH);
        socind_state_free(s1), socind_state_free(s2), socind_state_free(t1), socind_state_free(t2);
        free(u.w);
    }
    /* weights whose sum overflows: the state's bytes read back (the sums
       carried as they are) and it finishes SOCIND_ERR_OVERFLOW */
    {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = SOCIND_STATE_PROPORTION_LIKELIHOOD;
        socind_state *o1 = NULL, *o2 = NULL;
        assert_int_equal(socind_state_new(&sp, &o1), SOCIND_OK);
        const double ow[2] = {1e308, 1e308}, oy[2] = {1.0, 0.0};
        socind_chunk ch;
        socind_chunk_init(&ch);
        ch.n = 2, ch.weight = ow, ch.y = oy;
        assert_int_equal(socind_state_add(o1, &ch), SOCIND_OK);
        o1 = through_bytes(o1);
        assert_int_equal(socind_state_next_pass(o1, &o2), SOCIND_OK);
        assert_int_equal(socind_state_add(o2, &ch), SOCIND_OK);
        o2 = through_bytes(o2);
        socind_estimate oe;
        socind_state_finish(o2, &lik, &oe, 1);
        assert_int_equal(oe.status, SOCIND_ERR_OVERFLOW);
        socind_state_free(o1), socind_state_free(o2);
    }
    /* damaged bytes of both passes: a status, never a crash */
    socind_state *both[2] = {b, pb};
    for (int q = 0; q < 2; q++) {
        size_t len;
        socind_state_to_bytes(both[q], NULL, 0, &len);
        unsigned char *buf = malloc(len);
        assert_int_equal(socind_state_to_bytes(both[q], buf, len, &len), SOCIND_OK);
        socind_state *t = NULL;
        for (size_t cut = 0; cut < len; cut += 1 + cut / 7) {
            assert_int_equal(socind_state_from_bytes(buf, cut, &t), SOCIND_ERR_FORMAT);
            assert_null(t);
        }
        for (size_t i = 0; i + 4 < len; i += 1 + i / 40) {
            const unsigned char keep = buf[i];
            buf[i] ^= (unsigned char)(1u << (i % 8));
            assert_int_equal(socind_state_from_bytes(buf, len, &t), SOCIND_ERR_FORMAT);
            test_fix_crc(buf, len);
            read_and_use(buf, len, &lik);
            buf[i] = keep;
            test_fix_crc(buf, len);
        }
        /* the fit part's rules: rows with a value beyond the domain's rows */
        const size_t fit0 = len - 4 - 128 * (size_t)d.ng;
        memcpy(buf + fit0 + 8,
               (const unsigned char[8]){0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 8);
        test_fix_crc(buf, len);
        assert_int_equal(socind_state_from_bytes(buf, len, &t), SOCIND_ERR_FORMAT);
        assert_non_null(strstr(socind_last_error_detail(), "fit record"));
        free(buf);
    }
    socind_state_free(a), socind_state_free(b), socind_state_free(na), socind_state_free(nb);
    socind_state_free(pa), socind_state_free(pb), socind_state_free(pz);
    free(order);
    data_free(&d);
}

/* The three-pass states' bytes in every pass: every cut and single-bit
 * change refused, never a crash (run under the sanitizers). */
static void test_pass_bytes_refused(void **state) {
    const households *f = *state;
    data d;
    data_make(f, &d);
    const case_t cases[4] = {{SOCIND_STATE_QUANTILE, NAN, 0, NAN, 0.5, NAN, 1, 1, 0, 0},
                             {SOCIND_STATE_LORENZ, NAN, 0, NAN, 0.3, NAN, 0, 0, 0, 0},
                             {SOCIND_STATE_SHARE_RATIO, NAN, 0, NAN, 0.2, 0.8, 1, 0, 0, 0},
                             {SOCIND_STATE_GINI, NAN, 0, NAN, NAN, NAN, 1, 1, 0, 0}};
    size_t *order = malloc(d.n * sizeof *order);
    for (size_t k = 0; k < d.n; k++) order[k] = k;
    for (int k = 0; k < 4; k++) {
        socind_state *tmpl = NULL;
        /* the Gini in passes of a third of the rows: ranges split and kept */
        socind__gini_budget = cases[k].est == SOCIND_STATE_GINI ? (int)(d.n / 3) : 0;
        for (int pass = 1; pass <= 8; pass++) {
            socind_state *s = state_of_pass(&d, &cases[k], order, 0, d.n, tmpl);
            size_t len;
            socind_state_to_bytes(s, NULL, 0, &len);
            unsigned char *b = malloc(len);
            assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
            socind_state *t = NULL;
            for (size_t cut = 0; cut < len; cut += 1 + cut / 5) {
                assert_int_equal(socind_state_from_bytes(b, cut, &t), SOCIND_ERR_FORMAT);
                assert_null(t);
            }
            for (size_t i = 0; i < len; i += 1 + i / 30) {
                unsigned char keep = b[i];
                b[i] ^= (unsigned char)(1u << (i % 8));
                assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_ERR_FORMAT);
                b[i] = keep;
            }
            /* with the checksum made again: a status, never a crash */
            for (size_t i = 0; i + 4 < len; i += 1 + i / 30) {
                unsigned char keep = b[i];
                b[i] ^= (unsigned char)(1u << (i % 8));
                test_fix_crc(b, len);
                read_and_use(b, len, NULL);
                b[i] = keep;
            }
            test_fix_crc(b, len);
            assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
            socind_state_free(t);
            free(b);
            socind_state_free(tmpl);
            tmpl = NULL;
            int32_t ps = 0, pss = 0;
            socind_state_passes(s, &ps, &pss);
            assert_int_equal(ps, pass);
            if (ps < pss) assert_int_equal(socind_state_next_pass(s, &tmpl), SOCIND_OK);
            socind_state_free(s);
            if (ps == pss) break;
        }
        assert_null(tmpl);
    }
    socind__gini_budget = 0;
    free(order);
    data_free(&d);
}

/* A pass-1 histogram whose Σw·y overflowed (its hi infinite, its lo NaN,
 * as adding makes it) reads and writes back the same bytes: the quantile's
 * and the Gini's (a record read is taken as it is, not added to 0). */
static void test_overflowed_histogram_round_trip(void **state) {
    (void)state;
    const int32_t ests[2] = {SOCIND_STATE_QUANTILE, SOCIND_STATE_GINI};
    for (int k = 0; k < 2; k++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = ests[k];
        sp.p = ests[k] == SOCIND_STATE_QUANTILE ? 0.5 : NAN;
        socind_state *s = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        const double w[3] = {1e300, 1e300, 1.0}, y[3] = {1e10, 1.0000001e10, 3.0};
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = 3, c.weight = w, c.y = y;
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
        size_t len = 0, len2 = 0;
        assert_int_equal(socind_state_to_bytes(s, NULL, 0, &len), SOCIND_OK);
        unsigned char *b = malloc(len), *b2 = malloc(len);
        assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
        socind_state *t = NULL;
        assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
        assert_int_equal(socind_state_to_bytes(t, b2, len, &len2), SOCIND_OK);
        assert_int_equal(len2, len);
        assert_memory_equal(b, b2, len);
        free(b), free(b2);
        socind_state_free(s), socind_state_free(t);
    }
}

/* Bytes whose weight sums add up below 0 (a cell's Σw lo forged, the
 * checksum made good): the Sen index's domain finishes SOCIND_ERR_DATA
 * with weight sum 0, never OK with a negative weight sum. */
static void test_negative_weight_sum_refused(void **state) {
    (void)state;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_SEN;
    sp.line = 10.0;
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    const double w[4] = {1.0, 2.0, 1.5, 3.0}, y[4] = {2.0, 5.0, 8.0, 20.0};
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = 4, c.weight = w, c.y = y;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    for (;;) {
        int32_t pass, passes;
        socind_state_passes(s, &pass, &passes);
        if (pass == passes) break;
        socind_state *n = NULL;
        assert_int_equal(socind_state_next_pass(s, &n), SOCIND_OK);
        socind_state_free(s);
        s = n;
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    }
    size_t len = 0;
    socind_state_to_bytes(s, NULL, 0, &len);
    unsigned char *b = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    /* the first cell's Σw lo: after the header (96), the PSU records (40
       each) and the cell's 32 bytes of counts, at its second f64 */
    uint64_t P = 0;
    for (int i = 0; i < 8; i++) P |= (uint64_t)b[80 + i] << (8 * i);
    const size_t at = 96 + 40 * (size_t)P + 32 + 8;
    const double lo = -1e30;
    uint64_t u;
    memcpy(&u, &lo, sizeof u);
    for (int i = 0; i < 8; i++) b[at + (size_t)i] = (unsigned char)(u >> (8 * i));
    test_fix_crc(b, len);
    socind_state *t = NULL;
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
    socind_estimate e[SOCIND_SEN_COUNT];
    assert_int_equal(socind_state_finish(t, NULL, e, SOCIND_SEN_COUNT), SOCIND_OK);
    for (int k = 0; k < SOCIND_SEN_COUNT; k++) {
        assert_int_equal(e[k].status, SOCIND_ERR_DATA);
        assert_true(e[k].weight_sum == 0.0);
    }
    free(b);
    socind_state_free(s), socind_state_free(t);
}

/* The Gini's, Sen's and SST's states over passes (two chunks a pass, every
 * state through its bytes, the next pass from the merged state's bytes), or
 * the merged states themselves (bytes 0). */
static void beyond_over_passes(const socind_state_spec *sp, size_t n, const double *w,
                               const double *y, const int32_t *g, int bytes, socind_estimate *out,
                               size_t cnt) {
    socind_state *tmpl = NULL;
    for (;;) {
        socind_state *part[2];
        for (int k = 0; k < 2; k++) {
            const size_t a = k ? n / 3 : 0, b = k ? n : n / 3;
            part[k] = NULL;
            if (tmpl)
                part[k] = bytes ? copy_of(tmpl) : tmpl;
            else
                assert_int_equal(socind_state_new(sp, &part[k]), SOCIND_OK);
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = b - a, c.first_row = (int64_t)a, c.weight = w + a, c.y = y + a;
            c.group = g ? g + a : NULL;
            assert_int_equal(socind_state_add(part[k], &c), SOCIND_OK);
            if (bytes) part[k] = through_bytes(part[k]);
            if (!bytes) break; /* (the template itself takes every row) */
        }
        socind_state *m = part[0];
        if (bytes) {
            assert_int_equal(socind_state_merge(m, part[1]), SOCIND_OK);
            socind_state_free(part[1]);
            socind_state_free(tmpl);
        } else {
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = n - n / 3, c.first_row = (int64_t)(n / 3), c.weight = w + n / 3, c.y = y + n / 3;
            c.group = g ? g + n / 3 : NULL;
            assert_int_equal(socind_state_add(m, &c), SOCIND_OK);
        }
        tmpl = NULL;
        int32_t pass, passes;
        assert_int_equal(socind_state_passes(m, &pass, &passes), SOCIND_OK);
        if (pass == passes) {
            assert_int_equal(socind_state_finish(m, NULL, out, cnt), SOCIND_OK);
            socind_state_free(m);
            return;
        }
        assert_int_equal(socind_state_next_pass(m, &tmpl), SOCIND_OK);
        socind_state_free(m);
        if (bytes) tmpl = through_bytes(tmpl);
    }
}

/* Weights whose sum leaves the double range (near 1e306, a domain of 400
 * rows), or whose Gini coefficients do (near 1e298: N̂·Ŷ² beyond it): the
 * Gini's, Sen's and SST's states of every pass read back from their bytes
 * — a plan held an infinite weight before a range (pass 1's template was
 * refused: "a range of the Gini's plan breaks the format's rules"), and
 * over more passes a carried cell's infinite Σw·r·y — and finish as the
 * in-memory calls: that domain SOCIND_ERR_OVERFLOW, a domain of ordinary
 * weights beside it its figures, the same bits as the states not through
 * bytes. */
static void test_gini_weights_beyond_round_trip(void **state) {
    (void)state;
    enum { N = 400, M = 30 };
    double *w = malloc((N + M) * sizeof *w), *y = malloc((N + M) * sizeof *y);
    int32_t *g = malloc((N + M) * sizeof *g);
    const int32_t ests[3] = {SOCIND_STATE_GINI, SOCIND_STATE_SEN, SOCIND_STATE_SST};
    const double scales[2] = {1e306, 1e298};
    for (int sc = 0; sc < 2; sc++) {
        for (size_t i = 0; i < N + M; i++) {
            /* domain 1's rows among domain 0's */
            const int ord = i % 14 == 5 && i / 14 < M;
            g[i] = ord ? 1 : 0;
            w[i] = ord ? 1.0 + (double)(i % 4) : scales[sc] * (1.0 + (double)(i % 3));
            y[i] = 1.0 + (double)(i * 7 % 23);
        }
        socind_design *d = NULL;
        assert_int_equal(socind_design_new(N + M, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        L.value = 10.0;
        for (int k = 0; k < 3; k++)
            for (int budget = 0; budget < 2; budget++) {
                const size_t per = ests[k] == SOCIND_STATE_GINI ? 1 : SOCIND_SEN_COUNT;
                socind_estimate em[2 * SOCIND_SEN_COUNT], es[2 * SOCIND_SEN_COUNT],
                    ed[2 * SOCIND_SEN_COUNT];
                const int32_t st = k == 0   ? socind_gini(d, y, g, 2, NULL, em)
                                   : k == 1 ? socind_sen(d, y, &L, g, 2, NULL, em)
                                            : socind_sst(d, y, &L, g, 2, NULL, em);
                assert_int_equal(st, SOCIND_OK);
                socind_state_spec sp;
                socind_state_spec_init(&sp);
                sp.estimator = ests[k], sp.n_groups = 2, sp.line = 10.0;
                /* a budget of 7 rows: more passes, cells carried */
                socind__gini_budget = budget ? 7 : 0;
                beyond_over_passes(&sp, N + M, w, y, g, 1, es, 2 * per);
                beyond_over_passes(&sp, N + M, w, y, g, 0, ed, 2 * per);
                socind__gini_budget = 0;
                assert_memory_equal(es, ed, 2 * per * sizeof *es);
                for (size_t j = 0; j < 2 * per; j++) {
                    assert_int_equal(es[j].status, em[j].status);
                    assert_int_equal(es[j].n, em[j].n);
                    assert_int_equal(em[j].status, j < per ? SOCIND_ERR_OVERFLOW : SOCIND_OK);
                    if (j >= per) {
                        assert_close(es[j].value, em[j].value, 1e-12);
                        assert_close(es[j].se, em[j].se, 1e-12);
                    }
                }
            }
        socind_design_free(d);
    }
    free(w), free(y), free(g);
}

/* A Gini state of pass 2 whose bytes give a ranked domain totals that
 * would have left it unranked (N̂ and Ŷ near 1e300: N̂·Ŷ² beyond the double
 * range), the checksum made again: refused, as a ranked domain never holds
 * them; the bytes as made read back. */
static void test_gini_ranked_totals_beyond_refused(void **state) {
    (void)state;
    enum { N = 200 };
    double w[N], y[N];
    for (size_t i = 0; i < N; i++) w[i] = 1.0 + (double)(i % 3), y[i] = 1.0 + (double)(i * 7 % 23);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_GINI;
    socind_state *s1 = NULL, *s2 = NULL;
    assert_int_equal(socind_state_new(&sp, &s1), SOCIND_OK);
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = N, c.weight = w, c.y = y;
    assert_int_equal(socind_state_add(s1, &c), SOCIND_OK);
    assert_int_equal(socind_state_next_pass(s1, &s2), SOCIND_OK);
    assert_int_equal(socind_state_add(s2, &c), SOCIND_OK);
    size_t len;
    socind_state_info(s2, NULL, NULL, NULL, &len);
    unsigned char *b = malloc(len);
    assert_int_equal(socind_state_to_bytes(s2, b, len, &len), SOCIND_OK);
    /* the domain's totals: N̂ = Σw (exact, a whole number) as hi, lo 0, then Ŷ */
    double N_hat = 0.0;
    for (size_t i = 0; i < N; i++) N_hat += w[i];
    unsigned char pat[16] = {0};
    memcpy(pat, &N_hat, 8);
    size_t at = len;
    for (size_t i = 0; i + 32 <= len && at == len; i++)
        if (memcmp(b + i, pat, 16) == 0) at = i;
    assert_true(at < len);
    socind_state *t = NULL;
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_OK);
    socind_state_free(t);
    const double big = 1e300;
    memcpy(b + at, &big, 8);
    memcpy(b + at + 16, &big, 8);
    memset(b + at + 24, 0, 8);
    test_fix_crc(b, len);
    t = NULL;
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_ERR_FORMAT);
    assert_null(t);
    free(b);
    socind_state_free(s1), socind_state_free(s2);
}

/* The Gini's, Sen's and SST's states of many domains: made, added to,
 * merged and read back in pass 1 without fingerprinting their plan (each
 * domain's whole range to split, about 104 bytes a domain in its bytes,
 * which a CRC-32 ran over on every state made and read: 1 GB at 10^7
 * domains), so that those steps cost the rows and the memory they write;
 * states of one pass merge as they did (the same plan: the same budget;
 * a pass-1 plan read with other totals, or another pass's plan, does not
 * merge), and a later pass's plan is fingerprinted once, where it is made
 * (socind__gini_fp_bytes counts the bytes fingerprinted); a state made
 * for a next pass, or read, writes no first-pass plan to replace it
 * (socind__gini_first_plans). */
static void test_gini_plan_fingerprint_cost(void **state) {
    (void)state;
    enum { G = 100000, R = 6 };
    const int32_t ests[] = {SOCIND_STATE_GINI, SOCIND_STATE_SEN, SOCIND_STATE_SST};
    double w[R] = {1, 2, 1, 3, 1, 2}, y[R] = {1, 4, 2, 9, 3, 5};
    int32_t g[R] = {7, 99999, 7, 12345, 0, 99999};
    for (size_t e = 0; e < sizeof ests / sizeof *ests; e++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = ests[e], sp.n_groups = G, sp.line = 6.0;
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = R, c.weight = w, c.y = y, c.group = g;
        socind__gini_fp_bytes = socind__gini_first_plans = 0;
        socind_state *a = NULL, *b = NULL, *r = NULL, *o = NULL;
        assert_int_equal(socind_state_new(&sp, &a), SOCIND_OK);
        assert_int_equal(socind_state_new(&sp, &b), SOCIND_OK);
        assert_int_equal(socind_state_add(a, &c), SOCIND_OK);
        c.first_row = R;
        assert_int_equal(socind_state_add(b, &c), SOCIND_OK);
        size_t len = 0;
        assert_int_equal(socind_state_to_bytes(b, NULL, 0, &len), SOCIND_OK);
        unsigned char *bytes = malloc(len);
        assert_int_equal(socind_state_to_bytes(b, bytes, len, &len), SOCIND_OK);
        assert_int_equal(socind_state_from_bytes(bytes, len, &r), SOCIND_OK);
        assert_int_equal(socind_state_merge(a, r), SOCIND_OK);
        /* before: 24 + 104·G + 8 bytes for each of the three states */
        assert_int_equal(socind__gini_fp_bytes, 0);
        /* the plans of the states made; the one read is its bytes' */
        assert_int_equal(socind__gini_first_plans, 2);
        /* a pass-1 plan read with a domain's Ŷ not 0: another plan */
        size_t at = len;
        unsigned char head[24] = {0};
        const uint64_t budget = SOCIND_STATE_GINI_ROWS, nr = G;
        memcpy(head, &budget, 8), memcpy(head + 8, &nr, 4), memcpy(head + 16, &nr, 8);
        for (size_t i = 0; i + 24 <= len && at == len; i++)
            if (memcmp(bytes + i, head, 24) == 0) at = i;
        assert_true(at + 24 + 72 * (size_t)G + 32 <= len);
        const double one = 1.0;
        memcpy(bytes + at + 24 + 72 * (size_t)G + 16, &one, 8);
        test_fix_crc(bytes, len);
        assert_int_equal(socind_state_from_bytes(bytes, len, &o), SOCIND_OK);
        assert_true(socind__gini_fp_bytes > 0);
        assert_int_equal(socind_state_merge(a, o), SOCIND_ERR_MISMATCH);
        socind_state_free(o), o = NULL;
        /* another budget: another plan */
        socind__gini_budget = 3;
        assert_int_equal(socind_state_new(&sp, &o), SOCIND_OK);
        socind__gini_budget = 0;
        assert_int_equal(socind_state_merge(a, o), SOCIND_ERR_MISMATCH);
        assert_int_equal(socind_state_merge(o, b), SOCIND_ERR_MISMATCH);
        socind_state_free(o), o = NULL;
        /* pass 2: its plan fingerprinted once as made (its ranges, the
           domains' totals), states of it merge, another pass-2 plan not */
        socind__gini_fp_bytes = 0;
        socind_state *n = NULL, *n2 = NULL, *m = NULL;
        assert_int_equal(socind_state_merge(a, b), SOCIND_OK);
        assert_int_equal(socind_state_next_pass(a, &n), SOCIND_OK);
        const int made = socind__gini_fp_bytes;
        socind__gini_first_plans = 0;
        assert_true(made > 32 * G && made <= 24 + 72 * 4 * R + 32 * G + 8 + 88 * 4 * R);
        assert_int_equal(socind_state_next_pass(a, &n2), SOCIND_OK);
        assert_int_equal(socind_state_next_pass(b, &m), SOCIND_OK);
        socind__gini_fp_bytes = 0;
        c.first_row = 0;
        assert_int_equal(socind_state_add(n, &c), SOCIND_OK);
        c.first_row = R;
        assert_int_equal(socind_state_add(n2, &c), SOCIND_OK);
        assert_int_equal(socind_state_merge(n, n2), SOCIND_OK);
        assert_int_equal(socind_state_merge(n, m), SOCIND_ERR_MISMATCH);
        assert_int_equal(socind__gini_fp_bytes, 0);
        /* the next passes' states wrote no first plan (before: 3, of G
           ranges each, then replaced) */
        assert_int_equal(socind__gini_first_plans, 0);
        int32_t pass = 0, passes = 0;
        assert_int_equal(socind_state_passes(n, &pass, &passes), SOCIND_OK);
        assert_int_equal(pass, 2);
        assert_int_equal(passes, 2);
        free(bytes);
        socind_state_free(a), socind_state_free(b), socind_state_free(r);
        socind_state_free(n), socind_state_free(n2), socind_state_free(m);
    }
}

/* A Gini state of pass 1 merged with a copy of itself (through its bytes)
 * again and again: its histogram's counts double each time and were plain
 * int64 sums (signed overflow, undefined, at the 63rd merge); they hold at
 * INT64_MAX, and the next pass is still made from the state. */
static void test_gini_counts_saturate_under_merges(void **state) {
    (void)state;
    enum { NR = 60 };
    double w[NR], y[NR];
    int64_t h[NR], p[NR];
    for (int i = 0; i < NR; i++)
        w[i] = 1 + (i * 7) % 5, y[i] = 10 + (i * 37) % 97, h[i] = i / 20, p[i] = i / 4;
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_GINI, sp.has_strata = sp.has_psu = 1;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = NR, c.weight = w, c.strata = h, c.psu = p, c.y = y;
    socind_state *s = NULL, *t = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    for (int k = 0; k < 70; k++) {
        size_t len = 0;
        assert_int_equal(socind_state_to_bytes(s, NULL, 0, &len), SOCIND_OK);
        unsigned char *buf = malloc(len);
        assert_non_null(buf);
        assert_int_equal(socind_state_to_bytes(s, buf, len, &len), SOCIND_OK);
        socind_state *copy = NULL;
        assert_int_equal(socind_state_from_bytes(buf, len, &copy), SOCIND_OK);
        free(buf);
        assert_int_equal(socind_state_merge(s, copy), SOCIND_OK);
        socind_state_free(copy);
    }
    assert_int_equal(socind_state_next_pass(s, &t), SOCIND_OK);
    socind_state_free(t), socind_state_free(s);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        SPLIT_ONE_THREAD(test_every_rank_estimate_chunked),
        SPLIT_ONE_THREAD(test_lonely_policies),
        SPLIT_ONE_THREAD(test_quantile_df_without_a_psus_incomes),
        SPLIT_ONE_THREAD(test_gini_random),
        SPLIT_ONE_THREAD(test_sen_sst_per_row_lines),
        SPLIT_ONE_THREAD(test_sen_sst_gap_beyond_range),
        SPLIT_THREADS(test_gini_threads),
        SPLIT_THREADS(test_gini_threads_many_rows),
        SPLIT_ONE_THREAD(test_gini_row_numbers_twice),
        SPLIT_ONE_THREAD(test_spec_rules),
        SPLIT_ONE_THREAD(test_bad_rows),
        SPLIT_ONE_THREAD(test_quantile_passes),
        SPLIT_ONE_THREAD(test_share_ratio_passes),
        SPLIT_ONE_THREAD(test_signed_zeros),
        SPLIT_ONE_THREAD(test_lorenz_point_beyond_its_bucket),
        SPLIT_ONE_THREAD(test_lorenz_ties),
        SPLIT_ONE_THREAD(test_bandwidth_of_close_incomes),
        SPLIT_ONE_THREAD(test_line_of_cells_keeps_no_rows),
        SPLIT_ONE_THREAD(test_gini_counts_saturate_under_merges),
        SPLIT_ONE_THREAD(test_bytes_refused),
        SPLIT_ONE_THREAD(test_overflowed_histogram_round_trip),
        SPLIT_ONE_THREAD(test_gini_weights_beyond_round_trip),
        SPLIT_ONE_THREAD(test_gini_ranked_totals_beyond_refused),
        SPLIT_ONE_THREAD(test_negative_weight_sum_refused),
        SPLIT_ONE_THREAD(test_no_bandwidth_told_apart),
        SPLIT_ONE_THREAD(test_gini_plan_fingerprint_cost),
        SPLIT_ONE_THREAD(test_later_pass_rows_checked),
        SPLIT_ONE_THREAD(test_pass_bytes_refused),
        SPLIT_ONE_THREAD(test_proportion_likelihood),
    };
    return split_run(tests, households_setup, households_teardown);
}
