/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_reference_survey_random.c — socind_proportion's likelihood
 * interval against R's svyciprop(method = "likelihood") (survey 4.5) on
 * small random designs (tests/reference/survey_random: strata, PSUs, fpc,
 * PSU ids local to their stratum, zero weights, domains of a few rows),
 * overall and by domain. Small domains with df = 1 or 2 put survey's
 * profile grid beyond |β| = 30, where R's logit link clamps μ and the
 * profile is flat; the limits must still be R's within 1e-9. A limit R
 * gives as NA must be NaN here with a status that says why.
 *
 * socind_quantile by domain on replicate designs (JKn, JK1, bootstrap; the
 * factors R made) against svyquantile(interval.type = "mean") on
 * rd[g == j, ], as svyby gives it: each domain's df is
 * [.svyrep.design's, the rank − 1 of the analysis weights on the domain's
 * rows with an income (na.rm subsets again), not the whole design's; a
 * domain in one PSU has df 0 and no interval. */
#include "test_util.h"

#include "socind/socind.h"

#define REL 1e-9

static void check_set(const test_csv *data, const test_csv *ex, int64_t set) {
    double *w = test_csv_doubles(data, "w"), *fpc = test_csv_doubles(data, "fpc");
    double *y = test_csv_doubles(data, "y");
    int64_t *sets = test_csv_int64(data, "set"), *str = test_csv_int64(data, "stratum");
    int64_t *psu = test_csv_int64(data, "psu"), *g = test_csv_int64(data, "g");
    int64_t *nest = test_csv_int64(data, "nest");
    size_t n = 0, first = 0;
    for (size_t k = 0; k < data->nrow; k++)
        if (sets[k] == set) {
            if (n == 0) first = k;
            n++;
        }
    assert_true(n > 0);
    int32_t *grp = malloc(n * sizeof *grp);
    int32_t G = 0;
    int has_fpc = !isnan(fpc[first]);
    for (size_t i = 0; i < n; i++) {
        grp[i] = (int32_t)g[first + i];
        if (grp[i] + 1 > G) G = grp[i] + 1;
    }
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_REMOVE;
    dopt.nest = (int32_t)nest[first];
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(n, w + first, str + first, psu + first,
                                       has_fpc ? fpc + first : NULL, &dopt, &d),
                     SOCIND_OK);
    socind_options o;
    socind_options_init(&o);
    o.prop_ci = SOCIND_PROP_CI_LIKELIHOOD;
    socind_estimate all, *byg = calloc((size_t)G, sizeof *byg);
    assert_int_equal(socind_proportion(d, y + first, NULL, 1, &o, &all), SOCIND_OK);
    assert_int_equal(socind_proportion(d, y + first, grp, G, &o, byg), SOCIND_OK);
    double *eset = test_csv_doubles(ex, "set"), *eg = test_csv_doubles(ex, "g");
    double *ep = test_csv_doubles(ex, "p"), *ese = test_csv_doubles(ex, "se");
    double *edf = test_csv_doubles(ex, "df"), *elo = test_csv_doubles(ex, "lower");
    double *ehi = test_csv_doubles(ex, "upper");
    int rows = 0;
    for (size_t r = 0; r < ex->nrow; r++) {
        if ((int64_t)eset[r] != set) continue;
        int32_t j = (int32_t)eg[r];
        const socind_estimate *e = j < 0 ? &all : &byg[j];
        assert_close(e->value, ep[r], REL);
        assert_close(e->se, ese[r], REL);
        assert_close(e->df, edf[r], 0.0);
        if (isnan(elo[r]) || isnan(ehi[r])) {
            /* R gives no interval: NaN limits and a status saying why */
            if (isnan(elo[r])) assert_true(isnan(e->ci_low));
            if (isnan(ehi[r])) assert_true(isnan(e->ci_high));
            assert_int_not_equal(e->status, SOCIND_OK);
        } else {
            assert_int_equal(e->status, SOCIND_OK);
            assert_close(e->ci_low, elo[r], REL);
            assert_close(e->ci_high, ehi[r], REL);
        }
        rows++;
    }
    assert_true(rows > 0);
    free(eset), free(eg), free(ep), free(ese), free(edf), free(elo), free(ehi);
    free(byg), free(grp);
    socind_design_free(d);
    free(w), free(fpc), free(y), free(sets), free(str), free(psu), free(g), free(nest);
}

static void test_ciprop_likelihood(void **state) {
    (void)state;
    test_csv *data = test_csv_read(SOCIND_TEST_REFDIR "/survey_random/ciprop_likelihood_data.csv");
    test_csv *ex =
        test_csv_read(SOCIND_TEST_REFDIR "/survey_random/ciprop_likelihood_expected.csv");
    assert_non_null(data);
    assert_non_null(ex);
    double *sets = test_csv_doubles(ex, "set");
    int64_t done[64];
    size_t nd = 0;
    for (size_t r = 0; r < ex->nrow; r++) {
        int64_t s = (int64_t)sets[r];
        size_t i;
        for (i = 0; i < nd; i++)
            if (done[i] == s) break;
        if (i < nd) continue;
        assert_true(nd < 64);
        done[nd++] = s;
        check_set(data, ex, s);
    }
    assert_true(nd >= 4);
    free(sets);
    test_csv_free(data);
    test_csv_free(ex);
}

/* Replicate design `set` of repquantile_domain_*.csv, its quantiles by
 * domain against R's (Woodruff's; the replicate quantiles' and
 * svyciprop's from repdomain_df_expected.csv, in more). */
static void check_rep_set(const test_csv *data, const test_csv *reps, const test_csv *ex,
                          const test_csv *more, int64_t set) {
    double *w = test_csv_doubles(data, "w"), *y = test_csv_doubles(data, "y");
    int64_t *sets = test_csv_int64(data, "set"), *str = test_csv_int64(data, "stratum");
    int64_t *psu = test_csv_int64(data, "psu"), *g = test_csv_int64(data, "g");
    size_t n = 0, first = 0;
    for (size_t k = 0; k < data->nrow; k++)
        if (sets[k] == set) {
            if (n == 0) first = k;
            n++;
        }
    assert_true(n > 0);
    int32_t *grp = malloc(n * sizeof *grp);
    for (size_t i = 0; i < n; i++) grp[i] = (int32_t)g[first + i];
    const int32_t G = 4;
    double *rs = test_csv_doubles(reps, "set"), *rr = test_csv_doubles(reps, "r");
    double *rk = test_csv_doubles(reps, "k"), *rf = test_csv_doubles(reps, "f");
    double *rsc = test_csv_doubles(reps, "rscale"), *scl = test_csv_doubles(reps, "scale");
    size_t R = 0;
    double scale = NAN;
    for (size_t t = 0; t < reps->nrow; t++)
        if ((int64_t)rs[t] == set) {
            if ((size_t)rr[t] > R) R = (size_t)rr[t];
            scale = scl[t];
        }
    assert_true(R > 1);
    double *f = calloc(n * R, sizeof *f), *rscales = calloc(R, sizeof *rscales);
    for (size_t t = 0; t < reps->nrow; t++)
        if ((int64_t)rs[t] == set) {
            const size_t r = (size_t)rr[t] - 1, k = (size_t)rk[t] - 1;
            assert_true(r < R && k < n);
            f[r * n + k] = rf[t];
            rscales[r] = rsc[t];
        }
    socind_design *base = NULL, *d = NULL;
    assert_int_equal(socind_design_new(n, w + first, str + first, psu + first, NULL, NULL, &base),
                     SOCIND_OK);
    socind_replicate_options ro;
    socind_replicate_options_init(&ro);
    ro.scale = scale;
    assert_int_equal(socind_design_replicate_new(base, R, f, SOCIND_REP_FACTORS, rscales, &ro, &d),
                     SOCIND_OK);
    double *ps = test_csv_doubles(ex, "set"), *pg = test_csv_doubles(ex, "g");
    double *pv = test_csv_doubles(ex, "value"), *pse = test_csv_doubles(ex, "se");
    double *pdf = test_csv_doubles(ex, "df"), *plo = test_csv_doubles(ex, "lower");
    double *phi = test_csv_doubles(ex, "upper");
    for (int32_t threads = 1; threads <= 2; threads++) {
        socind_options o;
        socind_options_init(&o);
        o.threads = threads;
        socind_estimate all, byg[4];
        assert_int_equal(socind_quantile(d, y + first, 0.5, NULL, 1, &o, &all), SOCIND_OK);
        assert_int_equal(socind_quantile(d, y + first, 0.5, grp, G, &o, byg), SOCIND_OK);
        int rows = 0;
        for (size_t r = 0; r < ex->nrow; r++) {
            if ((int64_t)ps[r] != set) continue;
            const int32_t j = (int32_t)pg[r];
            const socind_estimate *e = j < 0 ? &all : &byg[j];
            assert_close(e->value, pv[r], REL);
            assert_close(e->df, pdf[r], 0.0);
            if (isnan(pse[r])) {
                /* R gives no interval (df <= 0, or a limit's share leaves
                   [0, 1]): NaN there and a status that says why */
                assert_true(isnan(e->se));
                if (isnan(plo[r])) assert_true(isnan(e->ci_low));
                if (isnan(phi[r])) assert_true(isnan(e->ci_high));
                if (!isnan(plo[r])) assert_close(e->ci_low, plo[r], REL);
                if (!isnan(phi[r])) assert_close(e->ci_high, phi[r], REL);
                assert_int_equal(e->status, pdf[r] > 0 ? SOCIND_ERR_RANGE : SOCIND_ERR_DF);
            } else {
                assert_int_equal(e->status, SOCIND_OK);
                assert_close(e->se, pse[r], REL);
                assert_close(e->ci_low, plo[r], REL);
                assert_close(e->ci_high, phi[r], REL);
            }
            rows++;
        }
        assert_true(rows >= 4);
    }
    /* a degf the caller gives is every domain's, as R keeps a degf set by
       the user through [.svyrep.design */
    socind_design *du = NULL;
    ro.degf = 9.0;
    assert_int_equal(socind_design_replicate_new(base, R, f, SOCIND_REP_FACTORS, rscales, &ro, &du),
                     SOCIND_OK);
    socind_estimate bu[4];
    assert_int_equal(socind_quantile(du, y + first, 0.5, grp, G, NULL, bu), SOCIND_OK);
    for (int32_t j = 0; j < G; j++)
        if (!isnan(bu[j].value)) assert_close(bu[j].df, 9.0, 0.0);
    socind_design_free(du);
    free(ps), free(pg), free(pv), free(pse), free(pdf), free(plo), free(phi);
    /* the replicate quantiles' interval (socind_quantile_linearized) and
       svyciprop's by domain: each domain's df as R's degf of rd[domain, ]
       (for the quantile without the rows lacking an income) */
    double *x = malloc(n * sizeof *x);
    int nas[1 + 4] = {0}; /* rows without a value: overall, then by domain */
    for (size_t i = 0; i < n; i++) {
        x[i] = isnan(y[first + i]) ? NAN : y[first + i] > 50.0;
        if (isnan(x[i])) nas[0]++, nas[1 + grp[i]]++;
    }
    double *ms = test_csv_doubles(more, "set"), *mg = test_csv_doubles(more, "g");
    double *mv = test_csv_doubles(more, "value"), *mse = test_csv_doubles(more, "se");
    double *mdf = test_csv_doubles(more, "df"), *mlo = test_csv_doubles(more, "lower");
    double *mhi = test_csv_doubles(more, "upper");
    static const struct {
        const char *what;
        int32_t method;
    } kinds[] = {{"quantile", -1},
                 {"mean", SOCIND_PROP_CI_MEAN},
                 {"xlogit", SOCIND_PROP_CI_XLOGIT},
                 {"beta", SOCIND_PROP_CI_BETA},
                 {"asin", SOCIND_PROP_CI_ASIN}};
    int checked = 0, narrower = 0;
    const int wcol = test_csv_col(more, "what");
    assert_true(wcol >= 0);
    for (size_t t = 0; t < sizeof kinds / sizeof *kinds; t++) {
        socind_options o;
        socind_options_init(&o);
        if (kinds[t].method >= 0) o.prop_ci = kinds[t].method;
        socind_estimate all, byg[4];
        if (kinds[t].method < 0) {
            assert_int_equal(socind_quantile_linearized(d, y + first, 0.5, NULL, 1, &o, &all),
                             SOCIND_OK);
            assert_int_equal(socind_quantile_linearized(d, y + first, 0.5, grp, G, &o, byg),
                             SOCIND_OK);
        } else {
            assert_int_equal(socind_proportion(d, x, NULL, 1, &o, &all), SOCIND_OK);
            assert_int_equal(socind_proportion(d, x, grp, G, &o, byg), SOCIND_OK);
        }
        for (size_t r = 0; r < more->nrow; r++) {
            if ((int64_t)ms[r] != set || strcmp(more->cell[r][wcol], kinds[t].what)) continue;
            const int32_t j = (int32_t)mg[r];
            const socind_estimate *e = j < 0 ? &all : &byg[j];
            assert_close(e->value, mv[r], REL);
            assert_close(e->df, mdf[r], 0.0);
            narrower += e->df < socind_design_df(d);
            /* no spread (R's NA, 0, or rounding's 4e−17 at p̂ = 1) */
            if (isnan(mse[r]) || mse[r] <= 1e-12 * fabs(mv[r])) {
                assert_true(!(e->se > 1e-12 * fabs(mv[r])));
                if (isnan(mlo[r])) assert_true(isnan(e->ci_low) && isnan(e->ci_high));
                continue;
            }
            assert_close(e->se, mse[r], REL);
            if (isnan(mlo[r])) {
                /* df <= 0: R's NA limits */
                assert_true(isnan(e->ci_low) && isnan(e->ci_high));
                assert_int_equal(e->status, SOCIND_ERR_DF);
            } else if (kinds[t].method == SOCIND_PROP_CI_BETA && nas[j + 1]) {
                /* beta: R's t_{n−1} counts the rows without a value
                   (nrow(design)), socind's not (common.h) */
                assert_true(e->ci_low < e->value && e->value < e->ci_high);
            } else {
                /* asin: R's angle past 0 or π/2 folds back, socind's stops
                   there (common.h): that end is 0 or 1 here */
                const int asin = kinds[t].method == SOCIND_PROP_CI_ASIN;
                if (!(asin && e->ci_low == 0.0)) assert_close(e->ci_low, mlo[r], REL);
                if (!(asin && e->ci_high == 1.0)) assert_close(e->ci_high, mhi[r], REL);
            }
            checked++;
        }
    }
    print_message("set %lld: %d replicate quantile and proportion intervals as R's, %d on a "
                  "domain's df below the design's\n",
                  (long long)set, checked, narrower);
    assert_true(checked >= 8);
    free(x), free(ms), free(mg), free(mv), free(mse), free(mdf), free(mlo), free(mhi);
    socind_design_free(d), socind_design_free(base);
    free(f), free(rscales), free(rs), free(rr), free(rk), free(rf), free(rsc), free(scl);
    free(w), free(y), free(sets), free(str), free(psu), free(g), free(grp);
}

static void test_rep_quantile_domain(void **state) {
    (void)state;
    test_csv *data = test_csv_read(SOCIND_TEST_REFDIR "/survey_random/repquantile_domain_data.csv");
    test_csv *reps = test_csv_read(SOCIND_TEST_REFDIR "/survey_random/repquantile_domain_reps.csv");
    test_csv *ex =
        test_csv_read(SOCIND_TEST_REFDIR "/survey_random/repquantile_domain_expected.csv");
    assert_non_null(data);
    assert_non_null(reps);
    assert_non_null(ex);
    static const int64_t sets[] = {101, 102, 103, 104, 105, 106};
    test_csv *more = test_csv_read(SOCIND_TEST_REFDIR "/survey_random/repdomain_df_expected.csv");
    assert_non_null(more);
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
        check_rep_set(data, reps, ex, more, sets[i]);
    test_csv_free(more);
    test_csv_free(data);
    test_csv_free(reps);
    test_csv_free(ex);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ciprop_likelihood),
        cmocka_unit_test(test_rep_quantile_domain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
