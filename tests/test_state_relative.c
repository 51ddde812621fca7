/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_state_relative.c — the poverty estimates against a relative
 * line as partial states over passes in bounded memory (state_relative.c):
 * FGT(0, 1, 2, 1.5), the number of poor, the gap total, the mean shortfall,
 * Watts and the FGT and Watts decompositions, against fraction × a
 * quantile (three passes) and fraction × the mean (two passes); the median
 * income of the poor and the relative median gap (two passes, or three or
 * five).
 *
 * Each estimate is made chunk by chunk — the rows shuffled (every PSU split
 * across chunks), cut anew at random in every pass (empty chunks, domains
 * missing from chunks), some states carried through their bytes, merged in
 * a random order — and compared with the in-memory call: within 1e−12
 * relative on value, SE and limits (and statuses and counts exact), on the
 * poverty reference sample's rows of convey's svyfgt (type_thresh relq and
 * relm), svyarpr, svyfgtdec, svywattsdec and svypoormed (also against convey's own
 * figures, 1e−8), and on random designs (the poverty profile by its groups
 * too). The in-memory estimators asked for 2, 3 and 8 threads run on the
 * calling thread: one thread's bits. The bytes of every pass are refused when damaged, truncated or
 * of another version; states of a later pass from different merged states do not merge. */
#include "households.h"
#include "test_split.h"

#include "state_internal.h"

#define TOL 1e-12
#define RQ SOCIND_LINE_RELATIVE_QUANTILE
#define RM SOCIND_LINE_RELATIVE_MEAN

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}
static double unif(void) {
    return (double)(rnd() >> 11) * 0x1p-53;
}

/* rows: a design's columns */
typedef struct {
    size_t n;
    double *w, *y, *fpc;
    int64_t *h, *p;
    int32_t *g;
    int32_t ng;
    int has_fpc;
} rows;

/* one estimate */
typedef struct {
    int32_t est;
    double alpha;
    int32_t line_type;
    double fraction, p;
    int inclusive;
    int32_t nonpos;
} kind;

static size_t per_domain(int32_t est) {
    return est == SOCIND_STATE_FGT_DECOMPOSITION     ? SOCIND_FGTDEC_COUNT
           : est == SOCIND_STATE_WATTS_DECOMPOSITION ? SOCIND_WATTSDEC_COUNT
           : est == SOCIND_STATE_POVERTY_PROFILE     ? SOCIND_PROFILE_COUNT
                                                     : 1;
}

static void line_of(const kind *k, socind_poverty_line *L) {
    socind_poverty_line_init(L);
    L->type = k->line_type;
    L->value = k->fraction;
    L->inclusive = k->inclusive;
    if (k->line_type == RQ) L->quantile = k->p;
}

static int32_t in_memory(const socind_design *d, const rows *r, const kind *k, int grouped,
                         const socind_options *o, socind_estimate *out) {
    socind_poverty_line L;
    line_of(k, &L);
    const int32_t *g = grouped ? r->g : NULL;
    const int32_t ng = grouped ? r->ng : 1;
    switch (k->est) {
    case SOCIND_STATE_FGT:
        return socind_fgt(d, r->y, &L, k->alpha, g, ng, o, out);
    case SOCIND_STATE_POOR_COUNT:
        return socind_poor_count(d, r->y, &L, g, ng, o, out);
    case SOCIND_STATE_POVERTY_GAP_TOTAL:
        return socind_poverty_gap_total(d, r->y, &L, g, ng, o, out);
    case SOCIND_STATE_MEAN_SHORTFALL:
        return socind_mean_shortfall(d, r->y, &L, g, ng, o, out);
    case SOCIND_STATE_WATTS:
        return socind_watts(d, r->y, &L, k->nonpos, g, ng, o, out);
    case SOCIND_STATE_FGT_DECOMPOSITION:
        return socind_fgt_decomposition(d, r->y, &L, k->alpha, g, ng, o, out);
    case SOCIND_STATE_POVERTY_PROFILE:
        return socind_poverty_profile(d, r->y, &L, k->alpha, g, ng, o, out);
    case SOCIND_STATE_POOR_MEDIAN:
        return socind_poor_median(d, r->y, k->fraction, k->p, g, ng, o, out);
    case SOCIND_STATE_RELATIVE_MEDIAN_GAP:
        return socind_relative_median_gap(d, r->y, k->fraction, k->p, g, ng, o, out);
    default:
        return socind_watts_decomposition(d, r->y, &L, k->nonpos, g, ng, o, out);
    }
}

static void spec_of(const rows *r, const kind *k, int grouped, socind_state_spec *sp) {
    socind_state_spec_init(sp);
    sp->estimator = k->est;
    sp->n_groups = grouped ? r->ng : 0;
    sp->has_strata = 1, sp->has_psu = 1, sp->has_fpc = r->has_fpc;
    sp->line_type = k->line_type, sp->line = k->fraction, sp->inclusive = k->inclusive;
    sp->alpha = k->alpha, sp->nonpositive = k->nonpos;
    if (k->line_type == RQ) sp->p = k->p;
}

static socind_state *through_bytes(socind_state *s) {
    size_t len;
    assert_int_equal(socind_state_to_bytes(s, NULL, 0, &len), SOCIND_OK);
    unsigned char *b = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    socind_state *t = NULL;
    const int32_t st = socind_state_from_bytes(b, len, &t);
    if (st) print_error("%s\n", socind_last_error_detail());
    assert_int_equal(st, SOCIND_OK);
    /* read back, written again: the same bytes */
    size_t len2;
    socind_state_to_bytes(t, NULL, 0, &len2);
    assert_int_equal(len2, len);
    unsigned char *b2 = malloc(len);
    assert_int_equal(socind_state_to_bytes(t, b2, len, &len2), SOCIND_OK);
    assert_memory_equal(b, b2, len);
    free(b), free(b2);
    socind_state_free(s);
    return t;
}

/* A state of pass tmpl (NULL: pass 1) holding rows order[a .. b) */
static socind_state *state_of(const rows *r, const socind_state_spec *sp, const size_t *order,
                              size_t a, size_t b, const socind_state *tmpl) {
    socind_state *s = NULL;
    if (tmpl) {
        size_t len;
        socind_state_to_bytes(tmpl, NULL, 0, &len);
        unsigned char *bb = malloc(len);
        assert_int_equal(socind_state_to_bytes(tmpl, bb, len, &len), SOCIND_OK);
        assert_int_equal(socind_state_from_bytes(bb, len, &s), SOCIND_OK);
        free(bb);
    } else {
        assert_int_equal(socind_state_new(sp, &s), SOCIND_OK);
    }
    const size_t m = b - a;
    double *w = malloc((m + 1) * sizeof *w), *y = malloc((m + 1) * sizeof *y),
           *f = malloc((m + 1) * sizeof *f);
    int64_t *h = malloc((m + 1) * sizeof *h), *p = malloc((m + 1) * sizeof *p);
    int32_t *g = malloc((m + 1) * sizeof *g);
    for (size_t i = 0; i < m; i++) {
        const size_t k = order[a + i];
        w[i] = r->w[k], y[i] = r->y[k], h[i] = r->h[k], p[i] = r->p[k], g[i] = r->g[k];
        f[i] = r->fpc ? r->fpc[k] : NAN;
    }
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = m, c.first_row = (int64_t)a, c.weight = w, c.y = y, c.strata = h, c.psu = p;
    c.fpc = sp->has_fpc ? f : NULL;
    c.group = sp->n_groups > 0 ? g : NULL;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    free(w), free(y), free(f), free(h), free(p), free(g);
    return s;
}

/* Whether a relative quantile line's estimate takes two passes (its
 * window pass: every one of the FGT family and the poverty profile, α at
 * most 64), or three where pass 2 says so. */
static int rq_splits(const socind_state_spec *sp) {
    const int32_t e = sp->estimator;
    const int fgt = e == SOCIND_STATE_FGT || e == SOCIND_STATE_FGT_DECOMPOSITION ||
                    e == SOCIND_STATE_POVERTY_PROFILE;
    return ((e >= SOCIND_STATE_FGT && e <= SOCIND_STATE_WATTS_DECOMPOSITION) ||
            e == SOCIND_STATE_POVERTY_PROFILE) &&
           !(fgt && sp->alpha > 64.0);
}
static int window_ends[4]; /* relative quantile line estimates that ended in pass 2, 3 */
static int median_ends[6]; /* the median of the poor's, the gap's: in pass 2, 3 or 5 */

/* The estimate over passes: the rows in `order`, each pass cut anew into
 * 1..9 chunks (empty ones possible), every third chunk's state through its
 * bytes, merged in a random order. Returns the finishing status. */
static int32_t over_passes(const rows *r, const socind_state_spec *sp, const size_t *order,
                           const socind_options *o, socind_estimate *out, size_t cnt) {
    socind_state *st[12], *tmpl = NULL;
    int32_t want = 1;
    for (;; want++) {
        size_t nch = 1 + rnd() % 9, cuts[12];
        cuts[0] = 0, cuts[nch] = r->n;
        for (size_t i = 1; i < nch; i++) cuts[i] = rnd() % (r->n + 1);
        for (size_t i = 1; i < nch; i++)
            for (size_t j = i; j > 1 && cuts[j - 1] > cuts[j]; j--) {
                size_t t = cuts[j];
                cuts[j] = cuts[j - 1], cuts[j - 1] = t;
            }
        for (size_t i = 0; i < nch; i++) {
            st[i] = state_of(r, sp, order, cuts[i], cuts[i + 1], tmpl);
            if (i % 3 == 2) st[i] = through_bytes(st[i]);
        }
        size_t left = nch;
        while (left > 1) {
            size_t i = rnd() % left, j = rnd() % (left - 1);
            if (j >= i) j++;
            assert_int_equal(socind_state_merge(st[i], st[j]), SOCIND_OK);
            socind_state_free(st[j]);
            st[j] = st[left - 1];
            if (i == left - 1) i = j;
            left--;
        }
        int32_t pass = 0, passes = 0;
        socind_state_passes(st[0], &pass, &passes);
        assert_int_equal(pass, want);
        if (sp->line_type == RQ && rq_splits(sp)) {
            /* two, or three where pass 2 had no window or its kernel series
               is not exact */
            assert_true(pass == 1 ? passes == 2 : passes == 2 || passes == 3);
            if (pass == passes) window_ends[pass]++;
        } else if (socind__state_is_poor_median(sp->estimator)) {
            /* two; three where a kernel series of pass 2 is not exact; five
               where pass 2's window and ranges would hold too many rows */
            assert_true(pass == 1   ? passes == 2
                        : pass == 2 ? passes == 2 || passes == 3 || passes == 5
                                    : passes == 3 || passes == 5);
            if (pass == passes) median_ends[pass]++;
        } else {
            assert_int_equal(passes, sp->line_type == RQ ? 3 : 2);
        }
        socind_state_free(tmpl);
        tmpl = NULL;
        if (pass == passes) break;
        assert_int_equal(socind_state_finish(st[0], o, out, cnt), SOCIND_ERR_ARG);
        assert_int_equal(socind_state_next_pass(st[0], &tmpl), SOCIND_OK);
        socind_state_free(st[0]);
        if (rnd() % 2) tmpl = through_bytes(tmpl);
    }
    size_t count = 0;
    socind_state_info(st[0], &count, NULL, NULL, NULL);
    assert_int_equal(count, cnt);
    int32_t s1 = socind_state_finish(st[0], o, out, cnt);
    /* finishing again, through bytes: the same bits */
    socind_estimate *again = calloc(cnt, sizeof *again);
    socind_state *cp = through_bytes(st[0]);
    assert_int_equal(socind_state_finish(cp, o, again, cnt), s1);
    assert_memory_equal(again, out, cnt * sizeof *out);
    socind_state_free(cp);
    free(again);
    return s1;
}

static double worst = 0.0;

/* within TOL relative, or (an SE, a limit near 0) 1e−15 of the estimate's
 * scale max(|value|, 1): the in-memory call's own rounding there */
static void close_rel(double a, double e, double floor, const char *what, const kind *k, size_t j) {
    if (isnan(a) && isnan(e)) return;
    const double d = fabs(a - e), rel = d / fmax(fabs(e), 1e-300);
    if (fabs(e) > 1e-300 && d > floor && rel > worst) worst = rel;
    if (!(d <= TOL * fabs(e) + floor)) {
        print_error("estimator %d alpha %g line %d p %g incl %d: estimate %zu %s %.17g, in memory "
                    "%.17g\n",
                    (int)k->est, k->alpha, (int)k->line_type, k->p, k->inclusive, j, what, a, e);
        fail();
    }
}

/* the in-memory call's own spread: |figure on one order − on another|
 * (NULL: none); the state may differ from it by twice that besides TOL */
static const socind_estimate *spread_a, *spread_b;
static size_t slack_used;

static double spread(double x, double y) {
    return isfinite(x) && isfinite(y) ? 2.0 * fabs(x - y) : 0.0;
}

static void same(const socind_estimate *a, const socind_estimate *e, const kind *k, size_t j) {
    double sv = 0, ss = 0, sl = 0, sh = 0;
    if (spread_a) {
        sv = spread(spread_a[j].value, spread_b[j].value);
        ss = spread(spread_a[j].se, spread_b[j].se);
        sl = spread(spread_a[j].ci_low, spread_b[j].ci_low);
        sh = spread(spread_a[j].ci_high, spread_b[j].ci_high);
        if (fabs(a->value - e->value) > TOL * fabs(e->value) + 1e-15 ||
            fabs(a->se - e->se) > TOL * fabs(e->se) + 1e-15 * fmax(fabs(e->value), 1.0))
            slack_used++;
    }
    if (a->status != e->status)
        print_error("estimator %d line %d: estimate %zu status %d, in memory %d\n", (int)k->est,
                    (int)k->line_type, j, (int)a->status, (int)e->status);
    assert_int_equal(a->status, e->status);
    assert_int_equal(a->n, e->n);
    const double fl = 1e-15 * fmax(fabs(e->value), 1.0);
    /* a limit v ∓ q·s: within TOL of v and of s */
    const double lim = TOL * (fabs(e->value) + 2.0 * fabs(e->se)) + fl;
    close_rel(a->value, e->value, 1e-15 + sv, "value", k, j);
    close_rel(a->se, e->se, fl + ss, "se", k, j);
    close_rel(a->ci_low, e->ci_low, lim + sl, "ci_low", k, j);
    close_rel(a->ci_high, e->ci_high, lim + sh, "ci_high", k, j);
    close_rel(a->weight_sum, e->weight_sum, 0.0, "weight_sum", k, j);
    assert_true(a->df == e->df || (isnan(a->df) && isnan(e->df)));
}

static socind_design *design_of(const rows *r, const size_t *order) {
    double *w = malloc(r->n * sizeof *w), *f = malloc(r->n * sizeof *f);
    int64_t *h = malloc(r->n * sizeof *h), *p = malloc(r->n * sizeof *p);
    for (size_t i = 0; i < r->n; i++) {
        const size_t k = order[i];
        w[i] = r->w[k], h[i] = r->h[k], p[i] = r->p[k], f[i] = r->fpc ? r->fpc[k] : NAN;
    }
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(r->n, w, h, p, r->has_fpc ? f : NULL, NULL, &d), SOCIND_OK);
    free(w), free(f), free(h), free(p);
    return d;
}

/* rows in order[] as a rows of their own (the in-memory call's columns) */
static rows reorder(const rows *r, const size_t *order) {
    rows o = *r;
    o.w = malloc(r->n * sizeof *o.w), o.y = malloc(r->n * sizeof *o.y);
    o.fpc = malloc(r->n * sizeof *o.fpc), o.h = malloc(r->n * sizeof *o.h);
    o.p = malloc(r->n * sizeof *o.p), o.g = malloc(r->n * sizeof *o.g);
    for (size_t i = 0; i < r->n; i++) {
        const size_t k = order[i];
        o.w[i] = r->w[k], o.y[i] = r->y[k], o.h[i] = r->h[k], o.p[i] = r->p[k], o.g[i] = r->g[k];
        o.fpc[i] = r->fpc ? r->fpc[k] : NAN;
    }
    return o;
}
static void rows_free(rows *r) {
    free(r->w), free(r->y), free(r->fpc), free(r->h), free(r->p), free(r->g);
}

/* One estimate over passes against the in-memory call, `rounds` times
 * (odd rounds shuffle the rows). */
static void compare(const rows *r, const kind *k, int grouped, int rounds) {
    const size_t G = grouped ? (size_t)r->ng : 1, cnt = G * per_domain(k->est);
    socind_estimate *ref = calloc(cnt, sizeof *ref), *got = calloc(cnt, sizeof *got);
    socind_estimate *ref0 = calloc(cnt, sizeof *ref0);
    size_t *order = malloc(r->n * sizeof *order);
    socind_state_spec sp;
    spec_of(r, k, grouped, &sp);
    for (size_t i = 0; i < r->n; i++) order[i] = i;
    socind_design *d0 = design_of(r, order);
    in_memory(d0, r, k, grouped, NULL, ref0);
    socind_design_free(d0);
    for (int round = 0; round < rounds; round++) {
        for (size_t i = 0; i < r->n; i++) order[i] = i;
        if (round % 2)
            for (size_t i = r->n - 1; i > 0; i--) {
                size_t j = rnd() % (i + 1), t = order[i];
                order[i] = order[j], order[j] = t;
            }
        rows o = reorder(r, order);
        socind_design *d = design_of(r, order);
        const int32_t s0 = in_memory(d, &o, k, grouped, NULL, ref);
        const int32_t s1 = over_passes(r, &sp, order, NULL, got, cnt);
        assert_int_equal(s1, s0);
        spread_a = ref, spread_b = ref0;
        for (size_t j = 0; j < cnt; j++) same(&got[j], &ref[j], k, j);
        spread_a = spread_b = NULL;
        socind_design_free(d);
        rows_free(&o);
    }
    free(ref), free(got), free(order), free(ref0);
}

static const kind KINDS[] = {
    {SOCIND_STATE_FGT, 0.0, RQ, 0.6, 0.5, 0, 0},
    {SOCIND_STATE_FGT, 1.0, RQ, 0.6, 0.5, 1, 0},
    {SOCIND_STATE_FGT, 2.0, RQ, 0.5, 0.4, 0, 0},
    {SOCIND_STATE_FGT, 1.5, RM, 0.6, NAN, 0, 0},
    {SOCIND_STATE_FGT, 0.0, RM, 0.5, NAN, 1, 0},
    {SOCIND_STATE_POOR_COUNT, NAN, RQ, 0.6, 0.5, 0, 0},
    {SOCIND_STATE_POOR_COUNT, NAN, RM, 0.6, NAN, 0, 0},
    {SOCIND_STATE_POVERTY_GAP_TOTAL, NAN, RQ, 0.6, 0.3, 0, 0},
    {SOCIND_STATE_POVERTY_GAP_TOTAL, NAN, RM, 0.6, NAN, 1, 0},
    {SOCIND_STATE_MEAN_SHORTFALL, NAN, RQ, 0.6, 0.5, 0, 0},
    {SOCIND_STATE_MEAN_SHORTFALL, NAN, RM, 0.5, NAN, 0, 0},
    {SOCIND_STATE_WATTS, NAN, RQ, 0.6, 0.5, 0, 0},
    {SOCIND_STATE_WATTS, NAN, RM, 0.6, NAN, 0, SOCIND_NONPOS_EXCLUDE},
    {SOCIND_STATE_FGT_DECOMPOSITION, 2.0, RQ, 0.6, 0.5, 0, 0},
    {SOCIND_STATE_FGT_DECOMPOSITION, 3.0, RM, 0.6, NAN, 1, 0},
    {SOCIND_STATE_WATTS_DECOMPOSITION, NAN, RQ, 0.6, 0.5, 0, 0},
    {SOCIND_STATE_WATTS_DECOMPOSITION, NAN, RM, 0.6, NAN, 0, SOCIND_NONPOS_EXCLUDE},
    /* a general α against a quantile line (the window's series) */
    {SOCIND_STATE_FGT, 1.5, RQ, 0.6, 0.5, 0, 0},
    {SOCIND_STATE_FGT, 0.5, RQ, 0.6, 0.5, 1, 0},
    {SOCIND_STATE_FGT, 3.7, RQ, 0.7, 0.5, 0, 0},
    {SOCIND_STATE_FGT_DECOMPOSITION, 3.0, RQ, 0.6, 0.5, 0, 0},
    {SOCIND_STATE_FGT_DECOMPOSITION, 1.5, RQ, 0.6, 0.5, 1, 0},
    /* the median of the poor and the gap (two passes, three or five; poor:
       y <= z) */
    {SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.6, 0.5, 1, 0},
    {SOCIND_STATE_RELATIVE_MEDIAN_GAP, NAN, RQ, 0.6, 0.5, 1, 0},
    {SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.5, 0.4, 1, 0},
    {SOCIND_STATE_RELATIVE_MEDIAN_GAP, NAN, RQ, 0.7, 0.6, 1, 0},
};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])
/* the poverty profile (by its groups only) */
static const kind PROFILES[] = {
    {SOCIND_STATE_POVERTY_PROFILE, 0.0, RQ, 0.6, 0.5, 0, 0},
    {SOCIND_STATE_POVERTY_PROFILE, 1.0, RQ, 0.6, 0.4, 1, 0},
    {SOCIND_STATE_POVERTY_PROFILE, 2.0, RQ, 0.5, 0.5, 0, 0},
    {SOCIND_STATE_POVERTY_PROFILE, 1.5, RQ, 0.6, 0.5, 0, 0}, /* (the series mode) */
    {SOCIND_STATE_POVERTY_PROFILE, 2.0, RM, 0.6, NAN, 0, 0},
    {SOCIND_STATE_POVERTY_PROFILE, 0.0, RM, 0.5, NAN, 0, 0},
};
#define NPROFILES (sizeof PROFILES / sizeof PROFILES[0])

/* ---- random designs ---- */

/* strata of 2–6 PSUs of 1–30 rows, lognormal incomes (some missing, some
 * 0 — Watts EXCLUDE leaves them out —, a few ties), weights of a few values
 * and some 0, five domains and rows in none; domain 4 only in the first
 * strata (missing from most chunks). */
static rows random_rows(size_t nstrata, int with_fpc, int zeros) {
    rows r;
    memset(&r, 0, sizeof r);
    size_t cap = nstrata * 6 * 30 + 1;
    r.w = malloc(cap * sizeof *r.w), r.y = malloc(cap * sizeof *r.y);
    r.fpc = malloc(cap * sizeof *r.fpc), r.h = malloc(cap * sizeof *r.h);
    r.p = malloc(cap * sizeof *r.p), r.g = malloc(cap * sizeof *r.g);
    r.ng = 5, r.has_fpc = with_fpc;
    int64_t pid = 1000;
    for (size_t h = 0; h < nstrata; h++) {
        const size_t np = 2 + rnd() % 5;
        const double fpc = 0.05 + 0.5 * unif();
        for (size_t q = 0; q < np; q++, pid += 7) {
            const size_t m = 1 + rnd() % 30;
            for (size_t i = 0; i < m; i++) {
                const size_t k = r.n++;
                r.h[k] = (int64_t)(h * 3 + 11), r.p[k] = pid, r.fpc[k] = fpc;
                const double u1 = unif() + 1e-12, u2 = unif();
                const double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
                r.y[k] = round(exp(12.0 + 0.8 * z));
                if (rnd() % 40 == 0) r.y[k] = 250000.0; /* ties */
                if (zeros && rnd() % 50 == 0) r.y[k] = 0.0;
                if (rnd() % 45 == 0) r.y[k] = NAN;
                static const double ws[4] = {1.0, 2.5, 10.0, 37.25};
                r.w[k] = rnd() % 60 == 0 ? 0.0 : ws[rnd() % 4] * (1.0 + (double)(h % 3));
                r.g[k] = (int32_t)(rnd() % 4);
                if (h < 2 && rnd() % 2) r.g[k] = 4;
                if (rnd() % 30 == 0) r.g[k] = -1;
            }
        }
    }
    return r;
}

static void test_random_designs(void **state) {
    (void)state;
    for (int rep = 0; rep < 2; rep++) {
        rows r = random_rows(rep ? 25 : 12, rep, 0);
        rows rz = random_rows(10, 0, 1); /* with incomes of 0 (Watts EXCLUDE) */
        for (size_t i = 0; i < NKINDS; i++) {
            const kind *k = &KINDS[i];
            const rows *use = k->nonpos == SOCIND_NONPOS_EXCLUDE ? &rz : &r;
            /* the second design: a relative quantile line's measures take
               pass 3 — by domain as if a kernel series were not exact,
               overall with no window (a budget of one row) */
            socind__force_pass3 = rep;
            compare(use, k, 1, 2);
            socind__force_pass3 = 0, socind__qwin_budget = rep;
            compare(use, k, 0, 2);
            socind__qwin_budget = 0;
        }
        for (size_t i = 0; i < NPROFILES; i++) { /* (and the second design's passes) */
            socind__force_pass3 = rep;
            compare(&r, &PROFILES[i], 1, 2);
            socind__force_pass3 = 0, socind__qwin_budget = rep;
            compare(&r, &PROFILES[i], 1, 2);
            socind__qwin_budget = 0;
        }
        rows_free(&r), rows_free(&rz);
    }
    print_message("random designs: largest relative difference from the in-memory call %.3g "
                  "(beyond 1e-15 of the estimate's scale); %zu estimates beyond 1e-12 within "
                  "twice the in-memory call's own difference between two orders of the rows; "
                  "relative quantile line measures that ended in pass 2: %d, in pass 3: %d; "
                  "medians of the poor and gaps in pass 2: %d, 3: %d, 5: %d\n",
                  worst, slack_used, window_ends[2], window_ends[3], median_ends[2], median_ends[3],
                  median_ends[5]);
    assert_true(window_ends[2] > 0 && window_ends[3] > 0);
    assert_true(median_ends[2] > 0 && median_ends[3] > 0 && median_ends[5] > 0);
}

/* ---- the reference sample ---- */

static rows households_rows(const households *f, int with_fpc) {
    rows r;
    memset(&r, 0, sizeof r);
    r.n = f->n;
    r.w = malloc(f->n * sizeof *r.w), r.y = malloc(f->n * sizeof *r.y);
    r.fpc = malloc(f->n * sizeof *r.fpc), r.h = malloc(f->n * sizeof *r.h);
    r.p = malloc(f->n * sizeof *r.p);
    memcpy(r.w, f->w, f->n * sizeof *r.w), memcpy(r.y, f->y, f->n * sizeof *r.y);
    memcpy(r.fpc, f->fpc, f->n * sizeof *r.fpc);
    memcpy(r.h, f->stratum, f->n * sizeof *r.h), memcpy(r.p, f->psu, f->n * sizeof *r.p);
    int64_t codes[64];
    r.g = households_subdistricts(f, codes, &r.ng);
    r.has_fpc = with_fpc;
    return r;
}

/* Every estimate on the reference sample over passes (by sub-district and
 * overall), and the reference rows of convey against relative lines
 * through states. */
static void test_reference_sample(void **state) {
    const households *f = *state;
    for (int fp = 0; fp < 2; fp++) {
        rows r = households_rows(f, fp);
        for (size_t i = fp; i < NKINDS; i += 1 + fp) {
            compare(&r, &KINDS[i], 1, 2);
            compare(&r, &KINDS[i], 0, 1);
        }
        for (size_t i = 0; i < NPROFILES; i++) compare(&r, &PROFILES[i], 1, 1);
        rows_free(&r);
    }
    /* convey's rows (expected.csv) against relative lines, through states */
    test_csv *t = f->ex;
    expected_cols c = households_columns(t);
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL;
    o.prop_ci = SOCIND_PROP_CI_WALD;
    size_t checked = 0, checked_median = 0;
    int32_t *g = malloc(f->n * sizeof *g);
    size_t *order = malloc(f->n * sizeof *order);
    for (size_t row = 0; row < t->nrow; row++) {
        char *const *cell = t->cell[row];
        const char *ind = cell[c.ind], *stat = cell[c.stat], *par = cell[c.par];
        int32_t line_type = 0;
        if (strstr(par, "type_thresh=relq") || strcmp(ind, "arpr") == 0 ||
            strcmp(ind, "poormed") == 0 || strcmp(ind, "rmpg") == 0)
            line_type = RQ;
        if (strstr(par, "type_thresh=relm")) line_type = RM;
        if (!line_type) continue;
        kind k = {0, NAN, line_type, 0.6, 0.5, strstr(par, "strict") ? 0 : 1, 0};
        size_t idx = 0;
        if (strcmp(ind, "fgt") == 0 || strcmp(ind, "arpr") == 0) {
            k.est = SOCIND_STATE_FGT;
            const char *gp = strstr(par, "g=");
            k.alpha = strcmp(ind, "arpr") == 0 ? 0.0 : atof(gp ? gp + 2 : "0");
        } else if (strcmp(ind, "fgtdec") == 0) {
            k.est = SOCIND_STATE_FGT_DECOMPOSITION, k.alpha = 2.0;
            idx = strcmp(stat, "fgt0") == 0   ? 0
                  : strcmp(stat, "fgt1") == 0 ? 1
                  : strcmp(stat, "fgt2") == 0 ? 2
                  : strcmp(stat, "igr") == 0  ? 3
                                              : 4;
        } else if (strcmp(ind, "wattsdec") == 0) {
            k.est = SOCIND_STATE_WATTS_DECOMPOSITION;
            idx = strcmp(stat, "watts") == 0  ? 0
                  : strcmp(stat, "fgt0") == 0 ? 1
                  : strstr(stat, "gap ratio") ? 2
                                              : 3;
        } else if (strcmp(ind, "watts") == 0) {
            k.est = SOCIND_STATE_WATTS;
        } else if (strcmp(ind, "poormed") == 0 || strcmp(ind, "rmpg") == 0) {
            k.est = ind[0] == 'p' ? SOCIND_STATE_POOR_MEDIAN : SOCIND_STATE_RELATIVE_MEDIAN_GAP;
            k.inclusive = 1;
        } else {
            continue;
        }
        const int32_t *grp;
        const socind_design *d = households_row(f, cell, &c, g, &grp);
        rows r = households_rows(f, d == f->fpc_design);
        r.ng = 1;
        for (size_t i = 0; i < f->n; i++) r.g[i] = grp ? g[i] : 0;
        for (size_t i = 0; i < f->n; i++) order[i] = i;
        socind_state_spec sp;
        spec_of(&r, &k, grp != NULL, &sp);
        socind_estimate e[5], m[5];
        assert_int_equal(over_passes(&r, &sp, order, &o, e, per_domain(k.est)), SOCIND_OK);
        assert_int_equal(in_memory(d, &r, &k, grp != NULL, &o, m), SOCIND_OK);
        same(&e[idx], &m[idx], &k, idx);
        const double est = test_num(cell[c.est]), se = test_num(cell[c.se]);
        assert_close(e[idx].value, est, 1e-8);
        assert_close_abs(e[idx].se, se, 1e-8, 1e-10);
        rows_free(&r);
        checked++;
        checked_median += socind__state_is_poor_median(k.est);
    }
    free(g), free(order);
    print_message("%zu reference rows against relative lines matched through states; largest "
                  "relative difference from the in-memory call so far %.3g; %zu estimates beyond "
                  "1e-12 within twice the in-memory call's own difference between two orders\n",
                  checked, worst, slack_used);
    assert_true(checked >= 20);
    assert_int_equal(checked_median, 2); /* svypoormed, with and without fpc */
}

/* ---- one income of 1e300 ----
 *
 * One income of 1e300 among the reference sample's (its row 0's 1,232,772,
 * above the line, replaced) sets the bandwidth of the line's density near
 * 1e297 and with it the line's SE near 3e295, and the incomes' scale 2^997
 * (poverty.h, "Scale"): there the line lies near 1e−295, FGT1's derivative
 * in the line near 1e295 and the total gap's PSU totals near 1e−291. FGT1,
 * the total gap and the relative median gap came out with SE NaN and
 * SOCIND_ERR_OVERFLOW (the squares of the line's term, z·z below the
 * doubles), though their SEs are finite (near 9e288, 1e301 and 5e289).
 *
 * The check: convey's linearization computed here from scratch in long
 * double (exponents to 16383: nothing leaves the range) — the median Q and
 * the poor's median by the library's rule (the smallest income whose
 * cumulative weight share reaches 1/2), the bandwidth σ̂/N̂^(1/5) from the
 * weighted mean and SD, the kernel sums F(x) = Σ w φ((x − y)/h)/h over
 * every row, the line's PSU totals Z_p = Σ −0.6·w·(1[y <= Q] − ½)/F(Q), and
 * each measure's PSU totals u_p = (its own part) + ∂/∂z·Z_p put through
 * the stratified with-replacement variance. It shares no code with the
 * library, and on the sample as it is it agrees with the library (whose
 * figures match convey's to 1e−8, test_reference_poverty.c) within 1e−12
 * (2e−16 seen), and with 1e300 in it too, on both of the line's paths
 * (its sampled bracket and its histogram). The bandwidths' moments are
 * taken about the first income (the 1e300 itself), where Σw·d² −
 * (Σw·d)²/N̂ over d = −1e300 but for row 0 cancel to w₀/N̂ = 7.2e−4 of
 * their terms: the relative median gap (whose domain's bandwidth was
 * 6.6e−12 off) was 5.6e−12 off; the moments are now taken again about the
 * mean where the first income lies that far from it (density.c). A
 * formula error (a term lost, a wrong power of 2) is off by far more;
 * before the scale of the line's term was fixed there was no SE at all. FGT2, the mean
 * shortfall and Watts are checked finite and positive with it, and the
 * dense computation (poverty.c) gives the same SEs within 1e−13. By two
 * domains, 4 threads give one thread's bits. A state keeps the incomes as
 * given (state.h, "Extremes"): with 1e300 its moments leave the doubles and
 * these estimates say SOCIND_ERR_OVERFLOW; on the sample as it is they are
 * the in-memory call's within 1e−12. */
typedef struct {
    long double y, w;
} ref_yw;

static int ref_yw_cmp(const void *a, const void *b) {
    const long double x = ((const ref_yw *)a)->y, y = ((const ref_yw *)b)->y;
    return (x > y) - (x < y);
}

/* The weighted median of the rows with an income <= upto: the smallest y
 * whose cumulative weight reaches half their weight. */
static long double ref_median(const rows *r, long double upto) {
    ref_yw *a = malloc(r->n * sizeof *a);
    size_t m = 0;
    long double N = 0, cum = 0;
    for (size_t k = 0; k < r->n; k++)
        if (!isnan(r->y[k]) && r->w[k] > 0 && r->y[k] <= upto)
            a[m].y = r->y[k], a[m].w = r->w[k], N += r->w[k], m++;
    qsort(a, m, sizeof *a, ref_yw_cmp);
    long double q = NAN;
    for (size_t i = 0; i < m; i++) {
        cum += a[i].w;
        if (cum >= N / 2) {
            q = a[i].y;
            break;
        }
    }
    free(a);
    return q;
}

/* SEs of FGT1 (se[0]), the total gap (se[1]) and the relative median gap
 * (se[2]) of the whole sample against 0.6 × its median, poor: y <= z. */
static void ref_relative_ses(const socind_design *d, const rows *r, long double se[3]) {
    const size_t P = d->npsu, n = r->n;
    const double *y = r->y, *w = r->w;
    const long double Q = ref_median(r, INFINITY), z = (double)(0.6 * (double)Q);
    const long double med = ref_median(r, z);
    long double N = 0, S1 = 0, S2 = 0, H1 = 0, D1 = 0, Np = 0;
    for (size_t k = 0; k < n; k++)
        if (!isnan(y[k]) && w[k] > 0) N += w[k], S1 += (long double)w[k] * y[k];
    const long double mu = S1 / N;
    for (size_t k = 0; k < n; k++)
        if (!isnan(y[k]) && w[k] > 0) S2 += w[k] * (y[k] - mu) * (y[k] - mu);
    const long double h = sqrtl(S2 / N) / powl(N, 0.2L);
    long double F[3] = {0, 0, 0}; /* at Q, at z, at med */
    const long double at[3] = {Q, z, med};
    for (size_t k = 0; k < n; k++) {
        if (isnan(y[k]) || !(w[k] > 0)) continue;
        for (int j = 0; j < 3; j++) {
            const long double t = (at[j] - y[k]) / h;
            F[j] += w[k] * expl(-t * t / 2) / sqrtl(2 * 3.14159265358979323846L) / h;
        }
        if (y[k] <= z) H1 += w[k] * (z - y[k]) / z, D1 += w[k] * y[k] / z / z, Np += w[k];
    }
    const long double P1 = H1 / N;
    long double *u = calloc(4 * P, sizeof *u); /* FGT1, gap, rmpg own parts; Z */
    for (size_t k = 0; k < n; k++) {
        if (isnan(y[k]) || !(w[k] > 0)) continue;
        const size_t p = (size_t)d->row_psu[k];
        const int poor = y[k] <= z;
        u[p] += w[k] * ((poor ? (z - y[k]) / z : 0) - P1) / N;
        u[P + p] += poor ? w[k] * (z - y[k]) : 0;
        u[2 * P + p] += -w[k] * (0.5L * poor - (y[k] <= med)) / F[2] / z;
        u[3 * P + p] += -0.6L * w[k] * ((y[k] <= Q) - 0.5L) / F[0];
    }
    const long double coef[3] = {D1 / N, Np, med / (z * z) - 0.5L * F[1] / F[2] / z};
    for (int m = 0; m < 3; m++) {
        long double v = 0;
        size_t p0 = 0;
        for (size_t s = 0; s < d->nstrata; p0 += (size_t)d->stratum_npsu[s], s++) {
            const size_t nh = (size_t)d->stratum_npsu[s];
            assert_true(nh >= 2);
            long double mean = 0, q = 0;
            for (size_t p = p0; p < p0 + nh; p++) mean += u[m * P + p] + coef[m] * u[3 * P + p];
            mean /= (long double)nh;
            for (size_t p = p0; p < p0 + nh; p++) {
                const long double t = u[m * P + p] + coef[m] * u[3 * P + p] - mean;
                q += t * t;
            }
            v += (long double)nh / (long double)(nh - 1) * q;
        }
        se[m] = sqrtl(v);
    }
    free(u);
}

static void test_one_huge_income(void **state) {
    const households *f = *state;
    rows r = households_rows(f, 0);
    r.ng = 1;
    for (size_t i = 0; i < r.n; i++) r.g[i] = 0;
    size_t *order = malloc(r.n * sizeof *order);
    for (size_t i = 0; i < r.n; i++) order[i] = i;
    const kind ks[6] = {{SOCIND_STATE_FGT, 1.0, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_POVERTY_GAP_TOTAL, NAN, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_RELATIVE_MEDIAN_GAP, NAN, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_FGT, 2.0, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_MEAN_SHORTFALL, NAN, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_WATTS, NAN, RQ, 0.6, 0.5, 1, 0}};
    assert_true(r.y[0] > 1e6); /* above the line (near 620,912) */
    for (int huge = 0; huge < 2; huge++) {
        if (huge) r.y[0] = 1e300;
        socind_design *d = design_of(&r, order);
        long double ref[3];
        ref_relative_ses(d, &r, ref);
        for (int m = 0; m < 6; m++) {
            socind_estimate e;
            assert_int_equal(in_memory(d, &r, &ks[m], 0, NULL, &e), SOCIND_OK);
            if (e.status != SOCIND_OK || !(e.se > 0.0) || !isfinite(e.se))
                print_error("income %g, estimator %d alpha %g: SE %.17g, status %d\n", r.y[0],
                            (int)ks[m].est, ks[m].alpha, e.se, (int)e.status);
            assert_int_equal(e.status, SOCIND_OK);
            assert_true(e.se > 0.0 && isfinite(e.se));
            assert_true(isfinite(e.ci_low) && isfinite(e.ci_high));
            for (int hist = 0; m < 3 && hist < 2; hist++) {
                /* the line's sampled path, then its histogram path */
                socind_estimate eh = e;
                socind__qline_force_histogram = hist;
                if (hist) assert_int_equal(in_memory(d, &r, &ks[m], 0, NULL, &eh), SOCIND_OK);
                socind__qline_force_histogram = 0;
                assert_int_equal(eh.status, SOCIND_OK);
                const double want = (double)ref[m];
                print_message("income %g, estimator %d, line path %d: SE %.17g, from scratch "
                              "%.17g (relative difference %.2g)\n",
                              r.y[0], (int)ks[m].est, hist, eh.se, want, fabs(eh.se - want) / want);
                assert_close(eh.se, want, 1e-12);
            }
            /* the dense computation (the line's term added to each PSU's
               total, poverty.c): the same SE within its rounding */
            if (ks[m].est != SOCIND_STATE_RELATIVE_MEDIAN_GAP) {
                socind_estimate ed;
                socind__poverty_dense = 1;
                assert_int_equal(in_memory(d, &r, &ks[m], 0, NULL, &ed), SOCIND_OK);
                socind__poverty_dense = 0;
                assert_int_equal(ed.status, SOCIND_OK);
                assert_close(ed.se, e.se, 1e-13);
            }
            /* by two domains on threads: one thread's bits */
            r.ng = 2;
            for (size_t i = 0; i < r.n; i++) r.g[i] = (int32_t)(i % 2);
            socind_estimate one[2], many[2];
            socind_options o;
            socind_options_init(&o);
            assert_int_equal(in_memory(d, &r, &ks[m], 1, &o, one), SOCIND_OK);
            for (int j = 0; j < 2; j++) {
                assert_int_equal(one[j].status, SOCIND_OK);
                assert_true(one[j].se > 0.0 && isfinite(one[j].se));
            }
            o.threads = 4;
            socind__threads_any_rows = 1;
            assert_int_equal(in_memory(d, &r, &ks[m], 1, &o, many), SOCIND_OK);
            socind__threads_any_rows = 0;
            assert_memory_equal(many, one, sizeof one);
            if (!huge) {
                /* over the states' passes, within their tolerance of the
                   in-memory call */
                compare(&r, &ks[m], 1, 2);
            } else {
                /* a state keeps the incomes as given (state.h,
                   "Extremes"): their second moments leave the doubles,
                   the whole sample's bandwidth at the line's quantile
                   with them: the call fails SOCIND_ERR_OVERFLOW saying
                   why, every estimate NaN — never figures */
                socind_state_spec sp;
                spec_of(&r, &ks[m], 1, &sp);
                socind_estimate e2[2];
                const int32_t st = over_passes(&r, &sp, order, NULL, e2, 2);
                assert_int_equal(st, SOCIND_ERR_OVERFLOW);
                assert_non_null(strstr(socind_last_error_detail(), "a partial state keeps"));
                for (int j = 0; j < 2; j++) {
                    assert_int_equal(e2[j].status, SOCIND_ERR_OVERFLOW);
                    assert_true(isnan(e2[j].value) && isnan(e2[j].se));
                }
            }
            r.ng = 1;
            for (size_t i = 0; i < r.n; i++) r.g[i] = 0;
        }
        if (huge) {
            /* against a mean line no whole-sample bandwidth is needed: the
               domain holding the 1e300 (row 0: domain 0) has no density
               at its line, its FGT0 SOCIND_ERR_OVERFLOW and NaN; the other
               domain's figures are the in-memory call's */
            const kind km = {SOCIND_STATE_FGT, 0.0, RM, 0.6, 0.5, 1, 0};
            r.ng = 2;
            for (size_t i = 0; i < r.n; i++) r.g[i] = (int32_t)(i % 2);
            socind_state_spec sp;
            spec_of(&r, &km, 1, &sp);
            socind_estimate e2[2], em[2];
            assert_int_equal(over_passes(&r, &sp, order, NULL, e2, 2), SOCIND_OK);
            assert_int_equal(in_memory(d, &r, &km, 1, NULL, em), SOCIND_OK);
            assert_int_equal(e2[0].status, SOCIND_ERR_OVERFLOW);
            assert_true(isnan(e2[0].value) && isnan(e2[0].se));
            assert_int_equal(e2[1].status, SOCIND_OK);
            assert_close(e2[1].value, em[1].value, 1e-12);
            r.ng = 1;
            for (size_t i = 0; i < r.n; i++) r.g[i] = 0;
        }
        socind_design_free(d);
    }
    free(order);
    rows_free(&r);
}

/* ---- threads ---- */

/* The in-memory estimators against relative lines with opts->threads != 1:
 * without domains on the calling thread (their one-thread path is faster
 * than passes through states), no thread started; by domain the poverty
 * measures' threads take the domains (the line's whole-sample figures made
 * once, read by every thread), the median of the poor and its gap stay on
 * the calling thread. The same bits as one thread either way. */
static void test_threads(void **state) {
    const households *f = *state;
    socind__threads_any_rows = 1;
    rows r = households_rows(f, 1);
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(r.n, r.w, r.h, r.p, r.fpc, NULL, &d), SOCIND_OK);
    const int32_t threads[] = {2, 3, 8};
    for (size_t i = 0; i < NKINDS; i++) {
        const kind *k = &KINDS[i];
        for (int grouped = 0; grouped < 2; grouped++) {
            const size_t cnt = (grouped ? (size_t)r.ng : 1) * per_domain(k->est);
            socind_estimate *one = calloc(cnt, sizeof *one), *many = calloc(cnt, sizeof *many);
            socind_options o;
            socind_options_init(&o);
            const int32_t s1 = in_memory(d, &r, k, grouped, &o, one);
            for (size_t t = 0; t < 3; t++) {
                o.threads = threads[t];
                socind__threads_ran = 0;
                assert_int_equal(in_memory(d, &r, k, grouped, &o, many), s1);
                const int median = socind__state_is_poor_median(k->est);
                if (grouped && !median)
                    assert_true(socind__threads_ran >= 2);
                else
                    assert_int_equal(socind__threads_ran, 0);
                assert_memory_equal(many, one, cnt * sizeof *one);
            }
            free(one), free(many);
        }
    }
    /* a bad row: the lowest one is named, as one thread names it */
    double *y = malloc(r.n * sizeof *y);
    memcpy(y, r.y, r.n * sizeof *y);
    y[r.n - 3] = INFINITY, y[200] = -INFINITY;
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = RQ, L.value = 0.6;
    socind_options o;
    socind_options_init(&o);
    socind_estimate e1, e4;
    assert_int_equal(socind_fgt(d, y, &L, 0.0, NULL, 1, &o, &e1), SOCIND_ERR_DATA);
    const int64_t row1 = socind_last_error_row();
    o.threads = 4;
    assert_int_equal(socind_fgt(d, y, &L, 0.0, NULL, 1, &o, &e4), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), row1);
    assert_int_equal(e4.status, SOCIND_ERR_DATA);
    /* incomes beyond 2^200: one thread, which rescales */
    for (size_t k = 0; k < r.n; k++) y[k] = ldexp(r.y[k], 700);
    o.threads = 1;
    assert_int_equal(socind_fgt(d, y, &L, 1.0, NULL, 1, &o, &e1), SOCIND_OK);
    o.threads = 4;
    assert_int_equal(socind_fgt(d, y, &L, 1.0, NULL, 1, &o, &e4), SOCIND_OK);
    assert_memory_equal(&e1, &e4, sizeof e1);
    free(y);
    socind_design_free(d);
    rows_free(&r);
    socind__threads_any_rows = 0;
}

/* ---- the median of the poor at its edges ---- */

/* Domains where the median of the poor is undefined — no poor (domain 0's
 * incomes ×100), every poor income 0 (domain 1's incomes below 150,000 set
 * to 0, the others ×100), no income (domain 2), one row (domain 3), every income equal
 * (domain 5: no bandwidth, exactly, whatever the rounding of its moments)
 * — give the in-memory call's statuses and counts through states, and
 * domain 4 (negative incomes among its poor) its figures within 1e−12;
 * so do FGT against a relative line and the gap. */
static void test_poor_median_edges(void **state) {
    (void)state;
    rng_state = 0x9E3779B97F4A7C15ULL; /* (its own rows, whatever ran before) */
    rows r = random_rows(12, 0, 0);
    r.ng = 6;
    int kept2 = 0, kept3 = 0, moved3 = 0;
    for (size_t i = 0; i < r.n; i++) {
        if (r.g[i] == 0) r.y[i] *= 100.0;
        if (r.g[i] == 1) r.y[i] = r.y[i] <= 150000.0 ? 0.0 : 100.0 * r.y[i];
        if (r.g[i] == 2 && kept2++ % 4 != 0) r.g[i] = -1; /* (its income in the line's) */
        if (r.g[i] == 2) r.y[i] = NAN;
        if (r.g[i] == 3) { /* its first row of an income and a positive weight */
            if (!kept3 && !isnan(r.y[i]) && r.w[i] > 0.0) {
                kept3 = 1;
            } else {
                r.g[i] = -1; /* in no domain, its income in the line's */
                if (moved3++ % 3 == 0) r.g[i] = 5, r.y[i] = 97.3, r.w[i] = 0.3 + (double)(i % 3);
            }
        }
        if (r.g[i] == 4 && i % 7 == 0) r.y[i] = -1000.0 * (double)(i % 5);
    }
    size_t *order = malloc(r.n * sizeof *order);
    for (size_t i = 0; i < r.n; i++) order[i] = i;
    socind_design *d = design_of(&r, order);
    const kind ks[2] = {{SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_RELATIVE_MEDIAN_GAP, NAN, RQ, 0.6, 0.5, 1, 0}};
    for (int m = 0; m < 2; m++) {
        socind_estimate e[6];
        assert_int_equal(in_memory(d, &r, &ks[m], 1, NULL, e), SOCIND_OK);
        assert_int_equal(e[0].status, SOCIND_ERR_DATA);
        assert_int_equal(e[1].status, SOCIND_ERR_DATA);
        assert_int_equal(e[2].status, SOCIND_ERR_EMPTY_DOMAIN);
        assert_int_equal(e[3].status, SOCIND_ERR_DATA);
        assert_int_equal(e[3].n, 1);
        assert_int_equal(e[4].status, SOCIND_OK);
        assert_int_equal(e[5].status, SOCIND_ERR_DATA);
        assert_true(e[5].n > 10);
        compare(&r, &ks[m], 1, 4);
    }
    const kind fk[2] = {{SOCIND_STATE_FGT, 0.0, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_FGT, 1.0, RM, 0.6, NAN, 1, 0}};
    for (int m = 0; m < 2; m++) compare(&r, &fk[m], 1, 2);
    /* every income equal: no bandwidth at the quantile, in memory and over
       the states' passes */
    for (size_t i = 0; i < r.n; i++) r.y[i] = 97.3;
    for (int m = 0; m < 2; m++) compare(&r, &ks[m], 1, 2);
    compare(&r, &fk[0], 0, 2);
    socind_design_free(d);
    free(order);
    rows_free(&r);
}

/* A domain of incomes within 10^−4 of each other around 1,000 (its
 * bandwidth from moments that cancel to 10^−14 of themselves): the median
 * of the poor, the gap and FGT0 within 1e−12 of the in-memory call. */
static void test_tight_domain(void **state) {
    (void)state;
    rows r = random_rows(12, 0, 0);
    for (size_t i = 0; i < r.n; i++)
        if (r.g[i] == 4 && !isnan(r.y[i])) r.y[i] = 1000.0 + 1e-4 * unif();
    const kind ks[3] = {{SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_RELATIVE_MEDIAN_GAP, NAN, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_FGT, 0.0, RQ, 0.6, 0.5, 0, 0}};
    for (int m = 0; m < 3; m++) compare(&r, &ks[m], 1, 2);
    /* every income within 4e−14 of 100: the whole sample's bandwidth from
       moments that keep their digits, whatever the chunks (the status too) */
    for (size_t i = 0; i < r.n; i++)
        if (!isnan(r.y[i])) r.y[i] = 100.0 + 4e-14 * unif();
    compare(&r, &ks[2], 0, 4);
    compare(&r, &ks[0], 1, 2);
    rows_free(&r);
}

/* Beyond the double range: incomes of 1e160 (their moments overflow; the
 * in-memory call rescales them, a state does not) give a domain whose
 * density at the line is needed SOCIND_ERR_OVERFLOW, never figures
 * without that density; weights of 1e308 (their sum overflows) read back
 * from bytes as written, and finish as in memory. */
static void test_beyond_range(void **state) {
    (void)state;
    const kind ks[3] = {{SOCIND_STATE_FGT, 0.0, RM, 0.6, NAN, 0, 0},
                        {SOCIND_STATE_FGT, 0.0, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_FGT, 2.0, RQ, 0.6, 0.5, 0, 0}};
    size_t *order = malloc(30 * 6 * 8 * sizeof *order);
    /* incomes of 1e160, and of 1e−160 (their variance below the smallest
       normal double: its digits lost) */
    static const double scale[3] = {1e-160, 1e160, 1e153};
    for (int big = 0; big < 3; big++) {
        rows r = random_rows(8, 0, 0);
        for (size_t i = 0; i < r.n; i++) r.y[i] *= scale[big];
        for (size_t i = 0; i < r.n; i++) order[i] = i;
        for (int m = 0; m < 3; m++) {
            socind_state_spec sp;
            spec_of(&r, &ks[m], 1, &sp);
            socind_estimate e[5];
            const int32_t st = over_passes(&r, &sp, order, NULL, e, 5);
            for (int g = 0; g < 5; g++)
                assert_true(st == SOCIND_ERR_OVERFLOW || e[g].status == SOCIND_ERR_OVERFLOW ||
                            e[g].status == SOCIND_ERR_EMPTY_DOMAIN);
        }
        rows_free(&r);
    }
    /* incomes of about 1e152 and two of 1.5e152 ± 1.4e154 first, in a
       chunk of their own: that chunk's Σw·(y − its first)² overflows, so
       the moments have no variance (SOCIND_ERR_OVERFLOW), whatever the
       other chunks' */
    {
        rows r = random_rows(2, 0, 0);
        r.ng = 1;
        for (size_t i = 0; i < r.n; i++)
            r.y[i] = (0.5 + 2.45 * (double)i / (double)r.n) * 1e152, r.w[i] = 1.0, r.g[i] = 0;
        r.y[0] = 1.5e152 + 1.4e154, r.y[1] = 1.5e152 - 1.4e154;
        const kind k = {SOCIND_STATE_FGT, 1.0, RQ, 0.6, 0.5, 0, 0};
        socind_state_spec sp;
        spec_of(&r, &k, 0, &sp);
        for (size_t i = 0; i < r.n; i++) order[i] = i;
        socind_state *tmpl = NULL;
        int32_t pass = 0, passes = 1;
        for (;;) {
            socind_state *a = state_of(&r, &sp, order, 0, 2, tmpl),
                         *b = state_of(&r, &sp, order, 2, r.n, tmpl);
            assert_int_equal(socind_state_merge(a, b), SOCIND_OK);
            socind_state_free(b), socind_state_free(tmpl);
            tmpl = NULL;
            assert_int_equal(socind_state_passes(a, &pass, &passes), SOCIND_OK);
            if (pass == passes) {
                socind_estimate e;
                const int32_t st = socind_state_finish(a, NULL, &e, 1);
                assert_true(st == SOCIND_ERR_OVERFLOW || e.status == SOCIND_ERR_OVERFLOW);
                socind_state_free(a);
                break;
            }
            assert_int_equal(socind_state_next_pass(a, &tmpl), SOCIND_OK);
            socind_state_free(a);
        }
        rows_free(&r);
    }
    /* two rows of weight 1e308: Σw overflows */
    rows t = random_rows(1, 0, 0);
    t.w[0] = t.w[1] = 1e308, t.y[0] = 5.0, t.y[1] = 7.0, t.g[0] = t.g[1] = 0;
    socind_state_spec sp;
    spec_of(&t, &ks[1], 1, &sp);
    socind_state *a = state_of(&t, &sp, order, 0, t.n, NULL);
    a = through_bytes(a); /* reads, and writes back the same bytes */
    socind_design *d = design_of(&t, order);
    socind_estimate em[5], es[5];
    const int32_t s0 = in_memory(d, &t, &ks[1], 1, NULL, em);
    socind_state *n = NULL;
    for (int32_t pass = 1, passes = 2; pass < passes;) {
        assert_int_equal(socind_state_next_pass(a, &n), SOCIND_OK);
        socind_state_free(a);
        a = state_of(&t, &sp, order, 0, t.n, n);
        socind_state_free(n);
        a = through_bytes(a);
        assert_int_equal(socind_state_passes(a, &pass, &passes), SOCIND_OK);
    }
    assert_int_equal(socind_state_finish(a, NULL, es, 5), s0);
    for (int g = 0; g < 5; g++) assert_int_equal(es[g].status, em[g].status);
    socind_state_free(a);
    socind_design_free(d);
    rows_free(&t);
    free(order);
}

/* Weights near 1e306 whose sum leaves the double range: the median of the
 * poor and the gap say SOCIND_ERR_OVERFLOW as the in-memory call does, on
 * every route of passes (two, three with a kernel series not exact, five
 * with no window), by domain and overall — not SOCIND_ERR_MISMATCH (a
 * median "not among the rows"), which finishing said when the shares of
 * an infinite weight sum selected no median. */
static void test_median_weights_beyond(void **state) {
    (void)state;
    rows r = random_rows(6, 0, 0);
    for (size_t i = 0; i < r.n; i++)
        if (r.w[i] > 0.0) r.w[i] = 1e306 * (1.0 + (double)(i % 3));
    size_t *order = malloc(r.n * sizeof *order);
    for (size_t i = 0; i < r.n; i++) order[i] = i;
    socind_design *d = design_of(&r, order);
    const kind ks[2] = {{SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_RELATIVE_MEDIAN_GAP, NAN, RQ, 0.6, 0.5, 1, 0}};
    for (int m = 0; m < 2; m++)
        for (int grouped = 0; grouped < 2; grouped++)
            for (int route = 0; route < 3; route++) {
                socind_estimate em[5], es[5];
                const size_t cnt = grouped ? 5 : 1;
                assert_int_equal(in_memory(d, &r, &ks[m], grouped, NULL, em), SOCIND_ERR_OVERFLOW);
                socind_state_spec sp;
                spec_of(&r, &ks[m], grouped, &sp);
                socind__force_pass3 = route == 1, socind__qwin_budget = route == 2;
                const int32_t st = over_passes(&r, &sp, order, NULL, es, cnt);
                socind__force_pass3 = 0, socind__qwin_budget = 0;
                assert_int_equal(st, SOCIND_ERR_OVERFLOW);
                assert_non_null(
                    strstr(socind_last_error_detail(), "weights' sum leaves the double range"));
                for (size_t g = 0; g < cnt; g++) {
                    assert_int_equal(es[g].status, SOCIND_ERR_OVERFLOW);
                    assert_true(isnan(es[g].value));
                }
            }
    socind_design_free(d);
    free(order);
    rows_free(&r);
}

/* Incomes below 0 make a line below 0 (the negated sample): the states
 * carry it through their bytes in every pass and finish as the in-memory
 * call (FGT against it, the median of the poor; the gap: SOCIND_ERR_DATA). */
static void test_line_below_zero(void **state) {
    (void)state;
    rows r = random_rows(12, 0, 0);
    for (size_t i = 0; i < r.n; i++) r.y[i] = -r.y[i];
    const kind ks[4] = {{SOCIND_STATE_FGT, 0.0, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_FGT, 1.0, RM, 0.6, NAN, 1, 0},
                        {SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_RELATIVE_MEDIAN_GAP, NAN, RQ, 0.6, 0.5, 1, 0}};
    for (int m = 0; m < 4; m++) {
        compare(&r, &ks[m], 1, 2);
        compare(&r, &ks[m], 0, 2);
    }
    rows_free(&r);
}

/* A chunk's rows into pass 1's moments touch the slots of their domains
 * (and every row's), not every slot: 40 chunks of 5 rows into states of
 * 10^6 domains examine at most three slots a row (socind__moments_visits;
 * each chunk examined all 10^6 + 1, 1.5 s a chunk of 100 rows at 10^7
 * domains), a share ratio's as a relative line's. Finished over their
 * passes, the domains of a state whose codes are k·20 give the figures of
 * those numbered k, bit for bit. */
static void feed(socind_state *s, const double *w, const double *y, const int32_t *g, size_t n,
                 size_t per) {
    for (size_t a = 0; a < n; a += per) {
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = per, c.first_row = (int64_t)a, c.weight = w + a, c.y = y + a, c.group = g + a;
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    }
}
static void test_moments_touch_their_slots(void **state) {
    (void)state;
    enum { ROWS = 200, PER = 5, CODES = 97, SPREAD = 20 };
    double w[ROWS], y[ROWS];
    int32_t gs[3][ROWS]; /* codes k, k·SPREAD, k·10309 */
    for (size_t i = 0; i < ROWS; i++) {
        w[i] = i % 23 == 4 ? 0.0 : 0.5 + unif() * 3.0;
        y[i] = i % 31 == 2 ? NAN : 1e4 * exp(unif() * 3.0);
        const int32_t k = (int32_t)(rnd() % 40) * 7 % CODES;
        gs[0][i] = i % 17 == 1 ? -1 : k;
        gs[1][i] = gs[0][i] < 0 ? -1 : k * SPREAD;
        gs[2][i] = gs[0][i] < 0 ? -1 : k * 10309;
    }
    const int32_t Gs[3] = {CODES, CODES * SPREAD, 1000000};
    const int32_t ests[3] = {SOCIND_STATE_FGT, SOCIND_STATE_WATTS, SOCIND_STATE_SHARE_RATIO};
    const int32_t lines[3] = {RQ, RM, SOCIND_LINE_ABSOLUTE};
    for (int e = 0; e < 3; e++) {
        socind_estimate out[2][CODES * SPREAD];
        for (int b = 0; b < 3; b++) {
            socind_state_spec sp;
            socind_state_spec_init(&sp);
            sp.estimator = ests[e], sp.line_type = lines[e];
            sp.n_groups = Gs[b];
            if (e < 2)
                sp.line = 0.6, sp.alpha = 1.0, sp.p = NAN;
            else
                sp.p = 0.2, sp.p2 = 0.8;
            socind_state *s = NULL;
            assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
            socind__moments_visits = 0;
            feed(s, w, y, gs[b], ROWS, PER);
            assert_true(socind__moments_visits > 0);
            /* (a row's domain and every row's slot; a quantile line's own
               state: its one slot) */
            assert_true(socind__moments_visits <= 3 * ROWS);
            if (b == 2) { /* (its later passes are the plan's: O(n_groups)) */
                socind_state_free(s);
                continue;
            }
            for (;;) {
                int32_t pass = 0, passes = 0;
                assert_int_equal(socind_state_passes(s, &pass, &passes), SOCIND_OK);
                if (pass == passes) break;
                socind_state *t = NULL;
                assert_int_equal(socind_state_next_pass(s, &t), SOCIND_OK);
                socind_state_free(s);
                s = t;
                feed(s, w, y, gs[b], ROWS, PER);
            }
            size_t cnt = 0;
            socind_state_info(s, &cnt, NULL, NULL, NULL);
            assert_int_equal(cnt, (size_t)Gs[b]);
            assert_int_equal(socind_state_finish(s, NULL, out[b], cnt), SOCIND_OK);
            socind_state_free(s);
        }
        int seen = 0;
        for (int32_t k = 0; k < CODES; k++) {
            const socind_estimate *a = &out[0][k], *c = &out[1][k * SPREAD];
            assert_int_equal(a->status, c->status);
            assert_int_equal(a->n, c->n);
            assert_memory_equal(&a->value, &c->value, sizeof a->value);
            assert_memory_equal(&a->se, &c->se, sizeof a->se);
            seen += a->status == SOCIND_OK;
        }
        assert_true(seen > 20);
    }
}

/* ---- bytes and merging ---- */

static void test_bytes_refused(void **state) {
    (void)state;
    rows r = random_rows(6, 0, 0);
    size_t *order = malloc(r.n * sizeof *order);
    for (size_t i = 0; i < r.n; i++) order[i] = i;
    const kind ks[3] = {{SOCIND_STATE_FGT_DECOMPOSITION, 2.0, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_MEAN_SHORTFALL, NAN, RM, 0.6, NAN, 0, 0},
                        {SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.6, 0.5, 1, 0}};
    for (int m = 0; m < 3; m++) {
        socind_state_spec sp;
        spec_of(&r, &ks[m], 1, &sp);
        socind_state *s = state_of(&r, &sp, order, 0, r.n, NULL), *n = NULL;
        for (;;) {
            size_t len, count;
            socind_state_to_bytes(s, NULL, 0, &len);
            socind_state_info(s, &count, NULL, NULL, NULL);
            unsigned char *b = malloc(len), *c = malloc(len);
            assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
            socind_state *t = NULL;
            socind_estimate *e = malloc(count * sizeof *e);
            /* truncated at every length */
            for (size_t l = 0; l < len; l += 1 + l / 8) {
                assert_int_equal(socind_state_from_bytes(b, l, &t), SOCIND_ERR_FORMAT);
                assert_null(t);
            }
            /* a byte flipped: the checksum; with the checksum made good,
               a status (a state read finishes or merges without harm) */
            for (size_t at = 0; at < len - 4; at += 1 + rnd() % 97) {
                memcpy(c, b, len);
                c[at] ^= (unsigned char)(1u << (rnd() % 8));
                assert_int_equal(socind_state_from_bytes(c, len, &t), SOCIND_ERR_FORMAT);
                test_fix_crc(c, len);
                if (socind_state_from_bytes(c, len, &t) == SOCIND_OK) {
                    socind_state_finish(t, NULL, e, count);
                    socind_state_merge(t, s);
                    socind_state_free(t);
                    t = NULL;
                }
            }
            /* another version; versions 2 to 4 (no window, and a line in
               three passes), and 5 for the median of the poor (in five) */
            memcpy(c, b, len);
            c[8] ^= 0x7;
            test_fix_crc(c, len);
            assert_int_equal(socind_state_from_bytes(c, len, &t), SOCIND_ERR_FORMAT);
            const int pm = socind__state_is_poor_median(sp.estimator);
            assert_int_equal(b[8], pm ? 6 : 5);
            for (unsigned char v = 2; v <= (pm ? 5 : 4); v++) {
                c[8] = v;
                test_fix_crc(c, len);
                assert_int_equal(socind_state_from_bytes(c, len, &t), SOCIND_ERR_FORMAT);
                assert_non_null(strstr(socind_last_error_detail(), "two passes"));
            }
            free(b), free(c), free(e);
            int32_t pass, passes;
            socind_state_passes(s, &pass, &passes);
            if (pass == passes) break;
            assert_int_equal(socind_state_next_pass(s, &n), SOCIND_OK);
            /* states of a later pass from different merged states do not
               merge */
            socind_state *half = state_of(&r, &sp, order, 0, r.n / 2, NULL), *hn = NULL;
            for (int32_t q = 1; q < pass; q++) {
                socind_state *x = NULL;
                assert_int_equal(socind_state_next_pass(half, &x), SOCIND_OK);
                socind_state_free(half);
                half = state_of(&r, &sp, order, 0, r.n / 2, x);
                socind_state_free(x);
            }
            assert_int_equal(socind_state_next_pass(half, &hn), SOCIND_OK);
            assert_int_equal(socind_state_merge(n, hn), SOCIND_ERR_MISMATCH);
            socind_state_free(half), socind_state_free(hn);
            socind_state_free(s);
            s = state_of(&r, &sp, order, 0, r.n, n);
            socind_state_free(n);
        }
        socind_state_free(s);
    }
    free(order);
    rows_free(&r);
}

/* A line of exactly 0 (the median of incomes mostly 0): FGT1, FGT2 and
 * FGT1.5 over their window pass give the in-memory call's value 0 and
 * status (no cell's rows lie below the window, and none of its terms
 * divides by the line); the FGT decomposition's headcount keeps its SE
 * (its coefficient on the gap's non-finite derivative in z is 0). */
static void test_line_of_zero(void **state) {
    (void)state;
    static const double inc[12] = {0, 0, 0, 0, 0, 0, 0, 3, 5, 8, 13, 21};
    rows r;
    memset(&r, 0, sizeof r);
    r.n = 12, r.ng = 2;
    r.w = malloc(12 * sizeof *r.w), r.y = malloc(12 * sizeof *r.y);
    r.fpc = malloc(12 * sizeof *r.fpc), r.h = malloc(12 * sizeof *r.h);
    r.p = malloc(12 * sizeof *r.p), r.g = malloc(12 * sizeof *r.g);
    for (size_t i = 0; i < 12; i++) {
        r.w[i] = 1.0, r.y[i] = inc[i], r.fpc[i] = NAN;
        r.h[i] = (int64_t)(i / 6), r.p[i] = (int64_t)(i / 2), r.g[i] = (int32_t)(i % 2);
    }
    const kind ks[4] = {{SOCIND_STATE_FGT, 1.0, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_FGT, 2.0, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_FGT, 1.5, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_FGT_DECOMPOSITION, 2.0, RQ, 0.6, 0.5, 0, 0}};
    for (int i = 0; i < 4; i++) {
        compare(&r, &ks[i], 0, 2);
        compare(&r, &ks[i], 1, 2);
    }
    rows_free(&r);
}

/* A domain whose incomes all lie far above the line (no row within 38
 * bandwidths of it: its kernel sum at z is 0 in the series, which is not
 * exact): FGT1, FGT2, the gap total and Watts, which do not take the
 * domains' densities at z, still finish in pass 2. */
static void test_far_domain(void **state) {
    (void)state;
    rows r = random_rows(12, 0, 0);
    for (size_t i = 0; i < r.n; i++)
        if (r.g[i] == 2 && !isnan(r.y[i])) r.y[i] = 1e7 + 1000.0 * unif();
    const kind ks[4] = {{SOCIND_STATE_FGT, 1.0, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_FGT, 2.0, RQ, 0.6, 0.5, 1, 0},
                        {SOCIND_STATE_POVERTY_GAP_TOTAL, NAN, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_WATTS, NAN, RQ, 0.6, 0.5, 0, 0}};
    for (int i = 0; i < 4; i++) {
        const int before = window_ends[2];
        compare(&r, &ks[i], 1, 2);
        assert_int_equal(window_ends[2], before + 2);
    }
    rows_free(&r);
}

/* A general α's window series: α = 1.5 ends in pass 2; α = 40.5, whose
 * binomial series past 16 terms may leave out more than 2^−60 of a sum
 * (C(40.5, 16)·16^−16), takes pass 3; both as the in-memory call. So does
 * α = 100 (no window: its e^α's rounding amplified 100 times). Rows of
 * weight 0 far below the line, whose e^α overflows, give
 * SOCIND_ERR_OVERFLOW as in memory (0·inf), through the window pass's
 * bytes too. */
static void test_general_alpha(void **state) {
    (void)state;
    rows r = random_rows(12, 0, 0);
    const kind ks[3] = {{SOCIND_STATE_FGT, 1.5, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_FGT, 40.5, RQ, 0.6, 0.5, 0, 0},
                        {SOCIND_STATE_FGT, 100.0, RQ, 0.6, 0.5, 0, 0}};
    for (int i = 0; i < 2; i++) {
        const int before = window_ends[2 + i];
        compare(&r, &ks[i], 1, 2);
        assert_int_equal(window_ends[2 + i], before + 2);
    }
    compare(&r, &ks[2], 1, 2);
    for (size_t i = 0; i < r.n; i++)
        if (r.w[i] == 0.0) r.y[i] = -1e40;
    const kind k10 = {SOCIND_STATE_FGT, 10.5, RQ, 0.6, 0.5, 0, 0};
    compare(&r, &k10, 1, 2);
    rows_free(&r);
}

/* A domain's range whose share of its weight reaches exactly ½ at a
 * bucket's end (integer weights): forged bounds near it, checksum made
 * good, are refused, give SOCIND_ERR_MISMATCH or finish as written — never
 * another SE (the kernel's moments were summed about the range's centre). */
static void test_median_range_tie(void **state) {
    (void)state;
    static double w[12] = {3, 2, 5, 20, 5, 3, 2, 6, 4, 3, 2, 1};
    static double y[12] = {57, 59.5, 60, 100, 150, 100, 120, 100, 130, 90, 200, 100};
    static int64_t h[12] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    static int64_t p[12] = {1, 2, 3, 1, 2, 3, 4, 4, 1, 2, 3, 4};
    const int32_t ests[2] = {SOCIND_STATE_POOR_MEDIAN, SOCIND_STATE_RELATIVE_MEDIAN_GAP};
    for (int m = 0; m < 2; m++) {
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = ests[m], sp.has_strata = 1, sp.has_psu = 1;
        sp.line_type = RQ, sp.line = 0.6, sp.p = 0.5;
        socind_state *s = NULL, *n = NULL;
        assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = 12, c.weight = w, c.y = y, c.strata = h, c.psu = p;
        assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
        assert_int_equal(socind_state_next_pass(s, &n), SOCIND_OK);
        assert_int_equal(socind_state_add(n, &c), SOCIND_OK);
        int32_t pass, passes;
        assert_int_equal(socind_state_passes(n, &pass, &passes), SOCIND_OK);
        assert_int_equal(passes, 2);
        socind_estimate ref, got;
        assert_int_equal(socind_state_finish(n, NULL, &ref, 1), SOCIND_OK);
        assert_int_equal(ref.status, SOCIND_OK);
        size_t len;
        socind_state_to_bytes(n, NULL, 0, &len);
        unsigned char *b = malloc(len), *f = malloc(len);
        assert_int_equal(socind_state_to_bytes(n, b, len, &len), SOCIND_OK);
        const size_t at = len - 4 - 232; /* the one domain's plan record */
        int64_t bound[2];
        memcpy(&bound[0], b + at + 216, 8), memcpy(&bound[1], b + at + 224, 8);
        for (int j = 0; j < 2; j++)
            for (int64_t d = -6; d <= 6; d++) {
                if (d == 0) continue;
                memcpy(f, b, len);
                const int64_t v = bound[j] + d;
                memcpy(f + at + 216 + 8 * (size_t)j, &v, 8);
                test_fix_crc(f, len);
                socind_state *t = NULL;
                if (socind_state_from_bytes(f, len, &t)) continue;
                const int32_t fs = socind_state_finish(t, NULL, &got, 1);
                assert_true(fs == SOCIND_OK || fs == SOCIND_ERR_MISMATCH);
                if (fs == SOCIND_OK) {
                    assert_memory_equal(&got.value, &ref.value, sizeof got.value);
                    assert_memory_equal(&got.se, &ref.se, sizeof got.se);
                }
                socind_state_free(t);
            }
        free(b), free(f);
        socind_state_free(s), socind_state_free(n);
    }
}

/* The merged window pass (pass 2 of two) of spec sp over r's rows in
 * order, its bytes (*b, *len) and its PSUs and cells. */
static socind_state *window_pass_of(const rows *r, const socind_state_spec *sp, const size_t *order,
                                    unsigned char **b, size_t *len, size_t *npsu, size_t *ncell) {
    socind_state *s = state_of(r, sp, order, 0, r->n, NULL), *n = NULL;
    assert_int_equal(socind_state_next_pass(s, &n), SOCIND_OK);
    socind_state_free(s);
    s = state_of(r, sp, order, 0, r->n, n);
    socind_state_free(n);
    int32_t pass, passes;
    assert_int_equal(socind_state_passes(s, &pass, &passes), SOCIND_OK);
    assert_int_equal(pass, 2);
    assert_int_equal(passes, 2);
    assert_int_equal(socind_state_info(s, NULL, npsu, ncell, len), SOCIND_OK);
    *b = malloc(*len);
    assert_int_equal(socind_state_to_bytes(s, *b, *len, len), SOCIND_OK);
    return s;
}

/* The median of the poor's window pass read from bytes: no histogram
 * (pass 1 holds it), a range's bounds in order, no wanted buckets, a kept
 * row in the window or its domain's range, the passes field 2 (3 and 5 are
 * other routes'); a forged range is refused or finishes as written (its
 * selection takes the weight below it from the cells and its buckets'
 * from the kept rows) or gives SOCIND_ERR_MISMATCH; as written, it reads
 * back and finishes as the in-memory call. A state of pass 2 of one chunk
 * whose medians lie among another's rows says 3 passes and finishes with
 * SOCIND_ERR_MISMATCH. */
static void test_median_window_bytes(void **state) {
    (void)state;
    rows r = random_rows(12, 0, 0);
    size_t *order = malloc(r.n * sizeof *order);
    for (size_t i = 0; i < r.n; i++) order[i] = i;
    const kind k = {SOCIND_STATE_POOR_MEDIAN, NAN, RQ, 0.6, 0.5, 1, 0};
    socind_state_spec sp;
    spec_of(&r, &k, 1, &sp);
    size_t len, npsu, ncell;
    unsigned char *b;
    socind_state *s = window_pass_of(&r, &sp, order, &b, &len, &npsu, &ncell);
    unsigned char *c = malloc(len);
    int32_t pass, passes;
    /* the rank part (as test_window_bytes finds it); the histogram part
       last, before the checksum: G plan records of 232 bytes, the wanted
       buckets at 16 and 24, the range at 216 and 224 */
    const size_t rank = 96 + 40 * npsu + 64 * ncell, G = (size_t)r.ng;
    uint64_t nrows = 0;
    memcpy(&nrows, b + rank + 16, 8);
    assert_true(nrows > 0);
    const size_t rel = rank + 24 + 56 * (size_t)nrows, plans = len - 4 - 232 * G;
    double zh;
    memcpy(&zh, b + rel + 32, 8);
    assert_true(zh > 0.0);
    socind_estimate ref[12], got[12];
    assert_int_equal(socind_state_finish(s, NULL, ref, G), SOCIND_OK);
    socind_state *t = NULL;
    int forged = 0, refused = 0;
    for (size_t g = 0; g < G; g++) {
        int64_t lo, hi;
        memcpy(&lo, b + plans + 232 * g + 216, 8), memcpy(&hi, b + plans + 232 * g + 224, 8);
        if (lo < 1) continue;
        /* wider or narrower ranges, bounds out of order, a wanted bucket:
           refused, or finishing as written (a wider range holds no more
           rows), or SOCIND_ERR_MISMATCH — never other figures */
        const struct {
            size_t at;
            int64_t v;
        } f[6] = {{216, lo - 1}, {224, hi + 1}, {216, lo + 1},
                  {224, hi - 1}, {216, hi + 1}, {16, lo}};
        for (int j = 0; j < 6; j++) {
            memcpy(c, b, len);
            memcpy(c + plans + 232 * g + f[j].at, &f[j].v, 8);
            test_fix_crc(c, len);
            const int32_t st = socind_state_from_bytes(c, len, &t);
            if (st) {
                assert_int_equal(st, SOCIND_ERR_FORMAT);
                assert_null(t);
                refused++;
                continue;
            }
            const int32_t fs = socind_state_finish(t, NULL, got, G);
            assert_true(fs == SOCIND_OK || fs == SOCIND_ERR_MISMATCH);
            for (size_t h = 0; fs == SOCIND_OK && h < G; h++) {
                assert_int_equal(got[h].status, ref[h].status);
                assert_memory_equal(&got[h].value, &ref[h].value, sizeof got[h].value);
                assert_memory_equal(&got[h].se, &ref[h].se, sizeof got[h].se);
            }
            socind_state_free(t);
            t = NULL;
            forged++;
        }
    }
    assert_true(refused >= 2 && forged >= 2); /* (bounds out of order, wanted; wider) */
    /* a kept row far above the window and every range */
    const double far = 4.0 * zh;
    memcpy(c, b, len);
    memcpy(c + rank + 24, &far, 8);
    test_fix_crc(c, len);
    assert_int_equal(socind_state_from_bytes(c, len, &t), SOCIND_ERR_FORMAT);
    assert_non_null(strstr(socind_last_error_detail(), "row record"));
    /* the passes field 3 or 5 in a window pass */
    for (unsigned char v = 3; v <= 5; v += 2) {
        memcpy(c, b, len);
        c[76] = v;
        test_fix_crc(c, len);
        assert_int_equal(socind_state_from_bytes(c, len, &t), SOCIND_ERR_FORMAT);
        assert_null(t);
    }
    /* as written, it reads, writes the same bytes and finishes as the
       in-memory call */
    s = through_bytes(s);
    socind_estimate e[12], m[12];
    assert_int_equal(socind_state_finish(s, NULL, e, G), SOCIND_OK);
    socind_design *d = design_of(&r, order);
    assert_int_equal(in_memory(d, &r, &k, 1, NULL, m), SOCIND_OK);
    socind_design_free(d);
    for (size_t g = 0; g < G; g++) {
        assert_int_equal(e[g].status, m[g].status);
        if (e[g].status) continue;
        assert_true(e[g].value == m[g].value);
        assert_true(fabs(e[g].se - m[g].se) <= 1e-12 * fabs(m[g].se));
    }
    /* pass 2 of one chunk: the line's rows and the window's, and those
       far below it, not the rows where the medians of the poor lie */
    double zl;
    memcpy(&zl, b + rel + 24, 8);
    socind_state *one = state_of(&r, &sp, order, 0, r.n, NULL), *tn = NULL;
    assert_int_equal(socind_state_next_pass(one, &tn), SOCIND_OK);
    socind_state_free(one);
    size_t nsome = 0;
    for (size_t i = 0; i < r.n; i++)
        if (r.y[i] < 0.3 * zl || r.y[i] >= zl) order[nsome++] = i;
    one = state_of(&r, &sp, order, 0, nsome, tn);
    assert_int_equal(socind_state_passes(one, &pass, &passes), SOCIND_OK);
    assert_int_equal(pass, 2);
    assert_int_equal(passes, 3);
    assert_int_equal(socind_state_finish(one, NULL, e, G), SOCIND_ERR_MISMATCH);
    assert_non_null(strstr(socind_last_error_detail(), "merged state"));
    socind_state *n3 = NULL;
    assert_int_equal(socind_state_next_pass(one, &n3), SOCIND_ERR_MISMATCH);
    assert_null(n3);
    socind_state_free(one), socind_state_free(tn);
    free(b), free(c);
    socind_state_free(s);
    free(order);
    rows_free(&r);
}

/* The bytes of FGT0's window pass (pass 2 of two, against 60 % of the
 * median, by domain): the window's bounds, its rows and the passes field
 * are checked against the line's plan; each forgery, checksum made good,
 * is refused with a message. */
static void test_window_bytes(void **state) {
    (void)state;
    rows r = random_rows(12, 0, 0);
    size_t *order = malloc(r.n * sizeof *order);
    for (size_t i = 0; i < r.n; i++) order[i] = i;
    const kind k = {SOCIND_STATE_FGT, 0.0, RQ, 0.6, 0.5, 0, 0};
    socind_state_spec sp;
    spec_of(&r, &k, 1, &sp);
    size_t len, npsu, ncell;
    unsigned char *b;
    socind_state *s = window_pass_of(&r, &sp, order, &b, &len, &npsu, &ncell);
    unsigned char *c = malloc(len);
    /* the rank part after the header (96), PSUs (40) and cells (32 + 16·K,
       K = 2): p, p2, the rows' count, the rows (56 each), the relative
       line's part: slots, 0, z, Q, zl, zh */
    const size_t rank = 96 + 40 * npsu + 64 * ncell;
    uint64_t nrows = 0;
    memcpy(&nrows, b + rank + 16, 8);
    assert_true(nrows > 0); /* the window's rows */
    const size_t rel = rank + 24 + 56 * (size_t)nrows;
    double zl, zh, z;
    memcpy(&z, b + rel + 8, 8), memcpy(&zl, b + rel + 24, 8), memcpy(&zh, b + rel + 32, 8);
    assert_true(isnan(z) && zl <= zh);
    socind_state *t = NULL;
    const struct {
        size_t at;
        double v;
        const char *msg;
    } forged[] = {
        {rel + 24, nextafter(zl, -INFINITY), "not of its line"}, /* zl */
        {rel + 32, nextafter(zh, INFINITY), "not of its line"},  /* zh */
        {rel + 24, zh + (zh - zl), "window breaks"},             /* zl > zh */
        {rel + 32, NAN, "window breaks"},                        /* half a window */
        {rank + 24, nextafter(zl, -INFINITY), "row record"},     /* a row below it */
        {rank + 24, nextafter(zh, INFINITY), "row record"},      /* above it */
        {rank + 24 + 8, 0.0, "row record"},                      /* of weight 0 */
        {rel + 40 + 136 * (size_t)(r.ng + 1), NAN, "window sums"},
    };
    for (size_t i = 0; i < sizeof forged / sizeof *forged; i++) {
        memcpy(c, b, len);
        memcpy(c + forged[i].at, &forged[i].v, 8);
        test_fix_crc(c, len);
        assert_int_equal(socind_state_from_bytes(c, len, &t), SOCIND_ERR_FORMAT);
        assert_null(t);
        if (!strstr(socind_last_error_detail(), forged[i].msg))
            print_error("forgery %zu: %s\n", i, socind_last_error_detail());
        assert_non_null(strstr(socind_last_error_detail(), forged[i].msg));
    }
    /* a kept row of a domain its PSU has no cell of (domain 4 is in the
       first two strata only, 11 and 14) */
    size_t at = 0;
    for (size_t k = 0; k < nrows && !at; k++) {
        int64_t h;
        memcpy(&h, b + rank + 24 + 56 * k + 16, 8);
        if (h > 14) at = rank + 24 + 56 * k + 48;
    }
    assert_true(at > 0);
    memcpy(c, b, len);
    c[at] = 4, c[at + 1] = c[at + 2] = c[at + 3] = 0;
    test_fix_crc(c, len);
    assert_int_equal(socind_state_from_bytes(c, len, &t), SOCIND_ERR_FORMAT);
    assert_non_null(strstr(socind_last_error_detail(), "row record"));
    /* the passes field 3 in a window pass */
    memcpy(c, b, len);
    c[76] = 3;
    test_fix_crc(c, len);
    assert_int_equal(socind_state_from_bytes(c, len, &t), SOCIND_ERR_FORMAT);
    assert_non_null(strstr(socind_last_error_detail(), "window breaks"));
    /* as written, it reads, writes the same bytes and finishes */
    s = through_bytes(s);
    socind_estimate e[12];
    assert_int_equal(socind_state_finish(s, NULL, e, (size_t)r.ng), SOCIND_OK);
    free(b), free(c);
    socind_state_free(s);
    /* a one-pass line's state (half the mean) that claims a third pass */
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_POVERTY_LINE;
    sp.has_strata = sp.has_psu = 1;
    sp.line_type = RM, sp.line = 0.5;
    s = state_of(&r, &sp, order, 0, r.n, NULL);
    assert_int_equal(socind_state_to_bytes(s, NULL, 0, &len), SOCIND_OK);
    b = malloc(len);
    assert_int_equal(socind_state_to_bytes(s, b, len, &len), SOCIND_OK);
    b[12] = b[76] = 3;
    test_fix_crc(b, len);
    assert_int_equal(socind_state_from_bytes(b, len, &t), SOCIND_ERR_FORMAT);
    assert_non_null(strstr(socind_last_error_detail(), "its pass does not match"));
    free(b), free(order);
    socind_state_free(s);
    rows_free(&r);
}

/* ---- a chunk's first income far from its mean ----
 *
 * Pass 1 sums each chunk's rows about its first income and forms M2 =
 * Σw·d² − (Σw·d)²/N̂, which cancels to w₀/N̂ of its terms where the first
 * income lies far from the others (1e100 first among incomes near 1e4:
 * 1e−12 of the bandwidth off at w₀/N̂ = 1e−4, and no bandwidth at all —
 * SOCIND_ERR_OVERFLOW — once N̂/w₀ passes 2^53). Held: the slot's
 * bandwidth (socind__moments_bandwidth) within 1e−13 of long double's
 * two-pass one, for the extreme row first, in the middle or last of a
 * chunk, in one chunk or two merged; and, the same chunk read as its first
 * row last, the same bandwidth within 1e−13. */
static double chunk_bandwidth(const double *y, const double *w, size_t n, size_t cut) {
    double tmp[10] = {0}, mom[2][SOCIND__NM] = {{0}},
           mm[2][2] = {{INFINITY, -INFINITY}, {INFINITY, -INFINITY}};
    for (int k = 0; k < 2; k++) {
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = k ? n - cut : cut;
        c.y = y + (k ? cut : 0), c.weight = w + (k ? cut : 0);
        socind__moments_chunk(tmp, mom[k], mm[k], 1, &c, 0, -1);
    }
    socind__moments_merge(mom[0], mm[0], mom[1], mm[1]);
    return socind__moments_bandwidth(mom[0], mm[0]);
}

static void test_chunk_far_first(void **state) {
    (void)state;
    enum { N = 3000 };
    static double y[N], w[N];
    const double far[] = {1e100, -1e120, 1e20, 1e100, 1e8};
    const double fw[] = {1.0, 30.0, 3.0, 1e-10, 1e-3};
    const size_t at[] = {0, N / 2, N - 1};
    double worst = 0.0;
    for (size_t f = 0; f < sizeof far / sizeof *far; f++)
        for (size_t a = 0; a < sizeof at / sizeof *at; a++)
            for (int two = 0; two < 2; two++) {
                for (size_t i = 0; i < N; i++) {
                    y[i] = 1e4 * (0.5 + unif());
                    w[i] = fw[f] < 1e-5 ? 1e6 : 1.0 + 100.0 * unif();
                }
                y[at[a]] = far[f], w[at[a]] = fw[f];
                long double W = 0, S = 0, Q = 0;
                for (size_t i = 0; i < N; i++) W += w[i], S += (long double)w[i] * y[i];
                for (size_t i = 0; i < N; i++) Q += w[i] * (y[i] - S / W) * (y[i] - S / W);
                const double ref = (double)(sqrtl(Q / W) / powl(W, 0.2L));
                /* one chunk, or two cut at the extreme row (it is the
                   second's first) */
                const double h = chunk_bandwidth(y, w, N, two ? at[a] : N);
                const double err = fabs(h - ref) / ref;
                if (!(err <= 1e-13))
                    print_error("income %g (weight %g) at row %zu, %d chunks: bandwidth %.17g, "
                                "long double %.17g\n",
                                far[f], fw[f], at[a], 1 + two, h, ref);
                assert_true(err <= 1e-13);
                worst = err > worst ? err : worst;
            }
    print_message("a chunk's bandwidth with an extreme income: worst relative difference %.2g\n",
                  worst);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        SPLIT_ONE_THREAD(test_window_bytes),
        SPLIT_ONE_THREAD(test_median_window_bytes),
        SPLIT_ONE_THREAD(test_median_range_tie),
        SPLIT_ONE_THREAD(test_line_of_zero),
        SPLIT_ONE_THREAD(test_far_domain),
        SPLIT_ONE_THREAD(test_general_alpha),
        SPLIT_ONE_THREAD(test_random_designs),
        SPLIT_ONE_THREAD(test_reference_sample),
        SPLIT_THREADS(test_threads),
        SPLIT_ONE_THREAD(test_poor_median_edges),
        SPLIT_ONE_THREAD(test_line_below_zero),
        SPLIT_ONE_THREAD(test_tight_domain),
        SPLIT_ONE_THREAD(test_beyond_range),
        SPLIT_ONE_THREAD(test_median_weights_beyond),
        SPLIT_ONE_THREAD(test_moments_touch_their_slots),
        SPLIT_ONE_THREAD(test_bytes_refused),
        SPLIT_THREADS(test_one_huge_income),
        SPLIT_ONE_THREAD(test_chunk_far_first),
    };
    return split_run(tests, households_setup, households_teardown);
}
