/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_replicate.c — replicate-weight designs (socind/replicate.h):
 * section C of the wave-2 reference set (R survey 4.5's svrepdesign for
 * JKn, JK1, BRR, Fay, bootstrap and subbootstrap: mean, total, proportion,
 * FGT0/1/2, Gini, the median with both interval types, by urban) from the
 * factor files, the replicates socind makes (JKn, JK1, BRR and Fay equal to
 * the files exactly; the bootstraps' properties), the generic replicate
 * loop against svrVar of estimates made by hand on the replicate weights,
 * the degrees of freedom (R's qr() rank rule on the analysis weights, both
 * computations), and every refusal. */
#include "test_util.h"

#include "socind/socind.h"

#include "internal.h" /* socind__rep_degf_general */

#define REL 1e-8 /* README "Tolerances" */

typedef struct {
    const char *name;
    int32_t type;
    const char *strata, *psu; /* the design's columns (NULL: none) */
} scheme;

static const scheme SCHEMES[] = {
    {"JKn", SOCIND_REP_JKN, "stratum", "psu"},
    {"JK1", SOCIND_REP_JK1, NULL, "psu"},
    {"BRR", SOCIND_REP_BRR, "vstratum", "vpsu"},
    {"Fay", SOCIND_REP_FAY, "vstratum", "vpsu"},
    {"bootstrap", SOCIND_REP_BOOTSTRAP, "vstratum", "psu"},
    {"subbootstrap", SOCIND_REP_SUBBOOTSTRAP, "vstratum", "psu"},
};
#define NSCHEMES (sizeof SCHEMES / sizeof SCHEMES[0])

typedef struct {
    test_csv *hh, *ex, *rs, *rd;
    size_t n;
    double *w, *y, *poor;
    int64_t *psu, *urban;
    int32_t *g_urban;
} fixture;

static int setup(void **state) {
    test_install_gsl_handler();
    fixture *f = calloc(1, sizeof *f);
    f->hh = test_csv_read(SOCIND_TEST_REFDIR "/wave2/households.csv");
    f->ex = test_csv_read(SOCIND_TEST_REFDIR "/wave2/expected.csv");
    f->rs = test_csv_read(SOCIND_TEST_REFDIR "/wave2/rscales.csv");
    f->rd = test_csv_read(SOCIND_TEST_REFDIR "/wave2/repdesigns.csv");
    if (!f->hh || !f->ex || !f->rs || !f->rd) return -1;
    f->n = f->hh->nrow;
    f->w = test_csv_doubles(f->hh, "w_person");
    f->y = test_csv_doubles(f->hh, "cons_pc");
    f->psu = test_csv_int64(f->hh, "psu");
    f->urban = test_csv_int64(f->hh, "urban");
    f->poor = malloc(f->n * sizeof *f->poor);
    f->g_urban = malloc(f->n * sizeof *f->g_urban);
    for (size_t k = 0; k < f->n; k++) {
        f->poor[k] = f->y[k] <= 520000.0;
        f->g_urban[k] = (int32_t)f->urban[k];
    }
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    free(f->w), free(f->y), free(f->poor), free(f->psu), free(f->urban), free(f->g_urban);
    test_csv_free(f->hh), test_csv_free(f->ex), test_csv_free(f->rs), test_csv_free(f->rd);
    free(f);
    return 0;
}

/* The full-sample design of a scheme (nest = 1, as R's nest = TRUE). */
static socind_design *base_design(const fixture *f, const scheme *s) {
    int64_t *st = s->strata ? test_csv_int64(f->hh, s->strata) : NULL;
    int64_t *ps = test_csv_int64(f->hh, s->psu);
    socind_design_options o;
    socind_design_options_init(&o);
    o.nest = 1;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(f->n, f->w, st, ps, NULL, &o, &d), SOCIND_OK);
    free(st), free(ps);
    return d;
}

/* The scheme's factor file as n·R factors per row (replicate-major). */
static double *row_factors(const fixture *f, const scheme *s, size_t *R) {
    char path[512];
    snprintf(path, sizeof path, "%s/wave2/repweights_%s.csv", SOCIND_TEST_REFDIR, s->name);
    test_csv *t = test_csv_read(path);
    assert_non_null(t);
    *R = t->ncol - 1;
    assert_string_equal(t->header[0], "psu");
    double *v = malloc(f->n * *R * sizeof *v);
    for (size_t k = 0; k < f->n; k++) {
        size_t i = 0;
        while (i < t->nrow && strtoll(t->cell[i][0], NULL, 10) != f->psu[k]) i++;
        assert_true(i < t->nrow);
        for (size_t r = 0; r < *R; r++) v[r * f->n + k] = strtod(t->cell[i][r + 1], NULL);
    }
    test_csv_free(t);
    return v;
}

static double *file_rscales(const fixture *f, const char *name, size_t R) {
    double *v = malloc(R * sizeof *v);
    const int cs = test_csv_col(f->rs, "scheme"), cr = test_csv_col(f->rs, "replicate"),
              cv = test_csv_col(f->rs, "rscale");
    size_t got = 0;
    for (size_t i = 0; i < f->rs->nrow; i++) {
        if (strcmp(f->rs->cell[i][cs], name) != 0) continue;
        size_t r = (size_t)atoi(f->rs->cell[i][cr]) - 1;
        assert_true(r < R);
        v[r] = strtod(f->rs->cell[i][cv], NULL);
        got++;
    }
    assert_int_equal(got, R);
    return v;
}

static double file_design(const fixture *f, const char *name, const char *col) {
    const int cs = test_csv_col(f->rd, "scheme"), cc = test_csv_col(f->rd, col);
    for (size_t i = 0; i < f->rd->nrow; i++)
        if (strcmp(f->rd->cell[i][cs], name) == 0) return strtod(f->rd->cell[i][cc], NULL);
    fail();
    return NAN;
}

/* The replicate design of a scheme from its files. */
static socind_design *rep_design(const fixture *f, const scheme *s, int mse, socind_design **base) {
    size_t R;
    double *fac = row_factors(f, s, &R);
    double *rsc = file_rscales(f, s->name, R);
    *base = base_design(f, s);
    socind_replicate_options o;
    socind_replicate_options_init(&o);
    o.type = s->type;
    o.mse = mse;
    o.scale = file_design(f, s->name, "scale");
    socind_design *d = NULL;
    assert_int_equal(socind_design_replicate_new(*base, R, fac, SOCIND_REP_FACTORS, rsc, &o, &d),
                     SOCIND_OK);
    assert_int_equal(socind_design_nreplicates(d), R);
    double degf;
    assert_int_equal(socind_design_replicate_info(d, NULL, NULL, NULL, &degf), SOCIND_OK);
    assert_true(degf == file_design(f, s->name, "degf"));
    assert_true(socind_design_df(d) == degf);
    free(fac), free(rsc);
    return d;
}

static double relerr(double a, double e) {
    if (isnan(a) && isnan(e)) return 0.0;
    return fabs(a - e) / fabs(e);
}

/* Every section-C row of one scheme and mse. */
static size_t check_scheme(const fixture *f, const scheme *s, int mse, double *worst) {
    socind_design *base, *d = rep_design(f, s, mse, &base);
    test_csv *t = f->ex;
    const int c_ind = test_csv_col(t, "indicator"), c_stat = test_csv_col(t, "statistic"),
              c_par = test_csv_col(t, "parameters"), c_des = test_csv_col(t, "design"),
              c_sub = test_csv_col(t, "subgroup"), c_est = test_csv_col(t, "estimate"),
              c_se = test_csv_col(t, "se"), c_lo = test_csv_col(t, "ci_low"),
              c_hi = test_csv_col(t, "ci_high"), c_df = test_csv_col(t, "df");
    const char *tag = mse ? "mse=TRUE" : "mse=FALSE";
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 520000.0;
    L.inclusive = 1;
    size_t checked = 0;
    for (size_t r = 0; r < t->nrow; r++) {
        char *const *cell = t->cell[r];
        if (strcmp(cell[c_des], s->name) != 0 || !strstr(cell[c_par], tag)) continue;
        const char *ind = cell[c_ind], *stat = cell[c_stat], *par = cell[c_par];
        const int by = strcmp(cell[c_sub], "all") != 0;
        const int32_t *g = by ? f->g_urban : NULL;
        const int32_t ng = by ? 2 : 0;
        const int code = by ? atoi(cell[c_sub] + 6) : 0;
        socind_options o;
        socind_options_init(&o);
        o.prop_ci = SOCIND_PROP_CI_WALD;
        o.ci_dist = strstr(t->cell[r][test_csv_col(t, "ci_method")], "normal") ? SOCIND_CI_NORMAL
                                                                               : SOCIND_CI_T;
        socind_estimate out[2];
        int32_t st;
        if (strcmp(ind, "mean") == 0)
            st = socind_mean(d, f->y, g, ng, &o, out);
        else if (strcmp(ind, "total") == 0)
            st = socind_total(d, f->y, g, ng, &o, out);
        else if (strcmp(ind, "headcount_ratio") == 0)
            st = socind_mean(d, f->poor, g, ng, &o, out);
        else if (strcmp(ind, "fgt") == 0)
            st = socind_fgt(d, f->y, &L, (double)(stat[3] - '0'), g, ng, &o, out);
        else if (strcmp(ind, "gini") == 0)
            st = socind_gini(d, f->y, g, ng, &o, out);
        else if (strcmp(ind, "median") == 0 && strstr(par, "interval.type=mean"))
            st = socind_quantile(d, f->y, 0.5, g, ng, &o, out);
        else if (strcmp(ind, "median") == 0)
            st = socind_quantile_linearized(d, f->y, 0.5, g, ng, &o, out);
        else {
            print_error("unexpected row %s %s\n", ind, stat);
            fail();
            return 0;
        }
        assert_int_equal(st, SOCIND_OK);
        const socind_estimate *e = &out[code];
        assert_int_equal(e->status, SOCIND_OK);
        double est = test_num(cell[c_est]), se = test_num(cell[c_se]);
        assert_close(e->value, est, REL);
        assert_close(e->se, se, REL);
        assert_close(e->ci_low, test_num(cell[c_lo]), REL);
        assert_close(e->ci_high, test_num(cell[c_hi]), REL);
        assert_true(e->df == test_num(cell[c_df]));
        double re = relerr(e->se, se);
        if (re > *worst) *worst = re;
        checked++;
    }
    socind_design_free(d);
    socind_design_free(base);
    return checked;
}

static void test_section_c(void **state) {
    fixture *f = *state;
    size_t total = 0;
    for (size_t i = 0; i < NSCHEMES; i++) {
        double worst = 0.0;
        size_t c = check_scheme(f, &SCHEMES[i], 0, &worst);
        if (i == 0) c += check_scheme(f, &SCHEMES[i], 1, &worst);
        print_message("%-12s %2zu rows, SE within %.2g relative of R's\n", SCHEMES[i].name, c,
                      worst);
        total += c;
    }
    /* every section-C row of expected.csv */
    size_t rows = 0;
    const int c_des = test_csv_col(f->ex, "design");
    for (size_t r = 0; r < f->ex->nrow; r++)
        for (size_t i = 0; i < NSCHEMES; i++)
            rows += strcmp(f->ex->cell[r][c_des], SCHEMES[i].name) == 0;
    assert_int_equal(total, rows);
}

/* JKn, JK1, BRR and Fay made from the design: the files' factors, rscales,
 * scale and degf exactly. */
static void test_made_equal_files(void **state) {
    fixture *f = *state;
    for (size_t i = 0; i < 4; i++) {
        const scheme *s = &SCHEMES[i];
        size_t R;
        double *fac = row_factors(f, s, &R), *rsc = file_rscales(f, s->name, R);
        socind_design *base = base_design(f, s), *d = NULL;
        socind_replicate_options o;
        socind_replicate_options_init(&o);
        o.type = s->type;
        assert_int_equal(socind_design_replicate_make(base, &o, &d), SOCIND_OK);
        assert_int_equal(socind_design_nreplicates(d), R);
        double *col = malloc(f->n * sizeof *col), *mine = malloc(R * sizeof *mine);
        for (size_t r = 0; r < R; r++) {
            assert_int_equal(socind_design_replicate_column(d, r, NULL, col), SOCIND_OK);
            for (size_t k = 0; k < f->n; k++) assert_true(col[k] == fac[r * f->n + k]);
        }
        assert_int_equal(socind_design_rscales(d, mine, R), SOCIND_OK);
        for (size_t r = 0; r < R; r++) assert_true(mine[r] == rsc[r]);
        double scale, degf;
        int32_t type;
        assert_int_equal(socind_design_replicate_info(d, &type, &scale, NULL, &degf), SOCIND_OK);
        assert_int_equal(type, s->type);
        assert_true(scale == file_design(f, s->name, "scale"));
        assert_true(degf == file_design(f, s->name, "degf"));
        free(fac), free(rsc), free(col), free(mine);
        socind_design_free(d), socind_design_free(base);
    }
}

/* The bootstraps socind draws: each stratum's factors average 1 in every
 * replicate; the same seed gives the same factors, another seed others;
 * the replicate variance of a total is near its expectation (the bootstrap:
 * n̄/(n̄ − 1)·Σ_h Σ_i (z_hi − z̄_h)², z the PSU totals; the subbootstrap:
 * the linearized variance) within 4 SDs of the variance estimate. */
static void test_bootstrap_properties(void **state) {
    fixture *f = *state;
    for (size_t i = 4; i < 6; i++) {
        const scheme *s = &SCHEMES[i];
        socind_design *base = base_design(f, s), *d = NULL, *d2 = NULL, *d3 = NULL;
        socind_replicate_options o;
        socind_replicate_options_init(&o);
        o.type = s->type;
        o.replicates = 2000;
        o.seed = 12345;
        assert_int_equal(socind_design_replicate_make(base, &o, &d), SOCIND_OK);
        assert_int_equal(socind_design_replicate_make(base, &o, &d2), SOCIND_OK);
        o.seed = 12346;
        assert_int_equal(socind_design_replicate_make(base, &o, &d3), SOCIND_OK);
        const size_t R = 2000, n = f->n;
        int64_t *vs = test_csv_int64(f->hh, "vstratum");
        double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        int differs = 0;
        for (size_t r = 0; r < R; r += 97) {
            assert_int_equal(socind_design_replicate_column(d, r, NULL, a), SOCIND_OK);
            assert_int_equal(socind_design_replicate_column(d2, r, NULL, b), SOCIND_OK);
            for (size_t k = 0; k < n; k++) assert_true(a[k] == b[k]);
            assert_int_equal(socind_design_replicate_column(d3, r, NULL, b), SOCIND_OK);
            for (size_t k = 0; k < n; k++) differs |= a[k] != b[k];
            /* per stratum: the mean factor over its PSUs is 1 */
            for (size_t k = 0; k < n; k++) {
                double sum = 0.0;
                size_t cnt = 0;
                for (size_t j = 0; j < n; j++) {
                    if (vs[j] != vs[k]) continue;
                    int first = 1;
                    for (size_t q = 0; q < j && first; q++) first = !(f->psu[q] == f->psu[j]);
                    if (!first) continue;
                    sum += a[j];
                    cnt++;
                }
                assert_close(sum / (double)cnt, 1.0, 1e-12);
                k += 200; /* a sample of strata */
            }
        }
        assert_true(differs);
        /* the total's replicate variance against its expectation */
        socind_estimate lin, rep;
        assert_int_equal(socind_total(base, f->y, NULL, 0, NULL, &lin), SOCIND_OK);
        assert_int_equal(socind_total(d, f->y, NULL, 0, NULL, &rep), SOCIND_OK);
        assert_close(rep.value, lin.value, 1e-15);
        double expect = lin.se * lin.se;
        if (s->type == SOCIND_REP_BOOTSTRAP) {
            /* Σ_h SS_h = Σ_h (n_h − 1)/n_h · (its share of the linearized
               variance): from the PSU totals */
            size_t np = socind_design_npsu(base);
            double *z = calloc(np, sizeof *z), *zs = calloc(np, sizeof *zs);
            int64_t *pid = calloc(np, sizeof *pid), *pst = calloc(np, sizeof *pst);
            size_t m = 0;
            for (size_t k = 0; k < n; k++) {
                size_t p = 0;
                while (p < m && pid[p] != f->psu[k]) p++;
                if (p == m) pid[m] = f->psu[k], pst[m] = vs[k], m++;
                z[p] += f->w[k] * f->y[k];
            }
            double ss = 0.0, inv = 0.0;
            size_t H = 0;
            for (size_t p = 0; p < m; p++) {
                int first = 1;
                for (size_t q = 0; q < p && first; q++) first = pst[q] != pst[p];
                if (!first) continue;
                double mu = 0.0;
                size_t nh = 0;
                for (size_t q = 0; q < m; q++)
                    if (pst[q] == pst[p]) mu += z[q], nh++;
                mu /= (double)nh;
                for (size_t q = 0; q < m; q++)
                    if (pst[q] == pst[p]) ss += (z[q] - mu) * (z[q] - mu);
                inv += 1.0 / (double)nh;
                H++;
            }
            double nbar = (double)H / inv;
            expect = nbar / (nbar - 1.0) * ss;
            free(z), free(zs), free(pid), free(pst);
        }
        double v = rep.se * rep.se, sd = expect * sqrt(2.0 / (double)(R - 1));
        print_message("%s: replicate variance of the total %.6g, expected %.6g (%.2f SD)\n",
                      s->name, v, expect, (v - expect) / sd);
        assert_true(fabs(v - expect) < 4.0 * sd);
        free(vs), free(a), free(b);
        socind_design_free(d), socind_design_free(d2), socind_design_free(d3);
        socind_design_free(base);
    }
}

/* The generic loop: for estimators the reference does not cover, the SE is
 * svrVar of the estimate recomputed by hand on designs with the replicate
 * weights (socind_replicate_variance), and the replicate weights given as
 * weights (not factors) give the same design. */
static void test_loop_by_hand(void **state) {
    fixture *f = *state;
    const scheme *s = &SCHEMES[2]; /* BRR: 20 replicates */
    socind_design *base, *d = rep_design(f, s, 0, &base);
    const size_t R = socind_design_nreplicates(d), n = f->n;
    double *W = malloc(n * R * sizeof *W);
    for (size_t r = 0; r < R; r++)
        assert_int_equal(socind_design_replicate_column(d, r, W + r * n, NULL), SOCIND_OK);
    socind_replicate_options o;
    socind_replicate_options_init(&o);
    o.type = SOCIND_REP_BRR;
    socind_design *dw = NULL;
    assert_int_equal(socind_design_replicate_new(base, R, W, SOCIND_REP_WEIGHTS, NULL, &o, &dw),
                     SOCIND_OK);
    /* one weight off the product by an ulp: the weights are kept per row,
       and every estimate runs a pass per replicate (no partial state) */
    W[n + 3] = nextafter(W[n + 3], INFINITY);
    socind_design *du = NULL;
    assert_int_equal(socind_design_replicate_new(base, R, W, SOCIND_REP_WEIGHTS, NULL, &o, &du),
                     SOCIND_OK);
    W[n + 3] = nextafter(W[n + 3], 0.0);
    double *theta = malloc(R * sizeof *theta);
    for (int which = 0; which < 7; which++) {
        socind_estimate full, rep, rep2, one;
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        L.value = 520000.0;
#define EST(des, o_)                                                                               \
    (which == 0   ? socind_watts(des, f->y, &L, SOCIND_NONPOS_ERROR, NULL, 0, o_, &one)            \
     : which == 1 ? socind_atkinson(des, f->y, 1.5, SOCIND_NONPOS_ERROR, NULL, 0, o_, &one)        \
     : which == 2 ? socind_ge(des, f->y, 0.0, SOCIND_NONPOS_ERROR, NULL, 0, o_, &one)              \
     : which == 3 ? socind_zenga(des, f->y, SOCIND_NONPOS_ERROR, NULL, 0, o_, &one)                \
     : which == 4 ? socind_mean(des, f->y, NULL, 0, o_, &one)                                      \
     : which == 5 ? socind_fgt(des, f->y, &L, 2.0, NULL, 0, o_, &one)                              \
                  : socind_share_ratio(des, f->y, 0.2, 0.8, NULL, 0, o_, &one))
        assert_int_equal(EST(base, NULL), SOCIND_OK);
        full = one;
        for (size_t r = 0; r < R; r++) {
            socind_design *dr = NULL;
            assert_int_equal(socind_design_new(n, W + r * n, NULL, NULL, NULL, NULL, &dr),
                             SOCIND_OK);
            assert_int_equal(EST(dr, NULL), SOCIND_OK);
            theta[r] = one.value;
            socind_design_free(dr);
        }
        double v;
        assert_int_equal(socind_replicate_variance(d, theta, full.value, &v), SOCIND_OK);
        assert_int_equal(EST(d, NULL), SOCIND_OK);
        rep = one;
        assert_int_equal(EST(dw, NULL), SOCIND_OK);
        rep2 = one;
        assert_close(rep.value, full.value, 1e-15);
        assert_close(rep.se, sqrt(v), 1e-12);
        assert_close(rep2.se, rep.se, 1e-12);
        assert_true(rep.df == 18.0);
        assert_int_equal(EST(du, NULL), SOCIND_OK);
        assert_close(one.se, rep.se, 1e-9);
        assert_true(one.value == full.value);
#undef EST
    }
    free(theta), free(W);
    socind_design_free(du), socind_design_free(dw), socind_design_free(d);
    socind_design_free(base);
}

/* Replicate SEs of values far from 1: svrVar squared the deviations of
 * the replicate estimates, and at values near 1e−160 the squares fell
 * below the doubles: the mean's SE at y·2^−560 was 0 with status OK. The
 * deviations are scaled by a power of 2 first (exact): the SE is the
 * unscaled one's times 2^k, at 2^±560 and 2^−900. socind_replicate_variance
 * returns a variance: below or beyond the normal doubles it is refused with
 * SOCIND_ERR_OVERFLOW (it returned 0). */
static void test_far_from_one(void **state) {
    fixture *f = *state;
    socind_design *base, *d = rep_design(f, &SCHEMES[2], 0, &base);
    const size_t R = socind_design_nreplicates(d), n = f->n;
    double *y = malloc(n * sizeof *y), *theta = malloc(R * sizeof *theta);
    socind_estimate e0, e;
    assert_int_equal(socind_mean(d, f->y, NULL, 0, NULL, &e0), SOCIND_OK);
    assert_true(e0.se > 0.0);
    const int ks[3] = {-560, -900, 560};
    for (int i = 0; i < 3; i++) {
        for (size_t k = 0; k < n; k++) y[k] = ldexp(f->y[k], ks[i]);
        assert_int_equal(socind_mean(d, y, NULL, 0, NULL, &e), SOCIND_OK);
        assert_int_equal(e.status, SOCIND_OK);
        assert_close(e.value, ldexp(e0.value, ks[i]), 1e-15);
        assert_close(e.se, ldexp(e0.se, ks[i]), 1e-13);
        assert_close(e.ci_high, ldexp(e0.ci_high, ks[i]), 1e-13);
    }
    /* the public variance of the replicates' means: in range, 2^2k times */
    for (size_t r = 0; r < R; r++) theta[r] = e0.value * (1.0 + 0.01 * (double)(r % 7));
    double v0, v;
    assert_int_equal(socind_replicate_variance(d, theta, e0.value, &v0), SOCIND_OK);
    for (size_t r = 0; r < R; r++) theta[r] = ldexp(theta[r], -300);
    assert_int_equal(socind_replicate_variance(d, theta, ldexp(e0.value, -300), &v), SOCIND_OK);
    assert_close(v, ldexp(v0, -600), 1e-13);
    for (size_t r = 0; r < R; r++) theta[r] = ldexp(theta[r], -300);
    assert_int_equal(socind_replicate_variance(d, theta, ldexp(e0.value, -600), &v),
                     SOCIND_ERR_OVERFLOW);
    assert_true(isnan(v));
    assert_non_null(strstr(socind_last_error_detail(), "lies below the normal doubles"));
    /* deviations themselves below the normal doubles (bits lost) */
    for (size_t r = 0; r < R; r++) theta[r] = ldexp(theta[r], -450);
    assert_int_equal(socind_replicate_variance(d, theta, ldexp(e0.value, -1050), &v),
                     SOCIND_ERR_OVERFLOW);
    assert_true(isnan(v));
    assert_non_null(strstr(socind_last_error_detail(), "lies below the normal doubles"));
    /* beyond */
    for (size_t r = 0; r < R; r++) theta[r] = e0.value * ldexp(1.0 + 0.01 * (double)(r % 7), 600);
    assert_int_equal(socind_replicate_variance(d, theta, ldexp(e0.value, 600), &v),
                     SOCIND_ERR_OVERFLOW);
    assert_non_null(strstr(socind_last_error_detail(), "lies beyond the normal doubles"));
    free(y), free(theta);
    socind_design_free(d), socind_design_free(base);
}

/* Refusals: statuses, rows and replicates named. */
static void test_bad_input(void **state) {
    fixture *f = *state;
    const size_t n = f->n;
    socind_design *base = base_design(f, &SCHEMES[0]), *d = (socind_design *)1;
    double *v = malloc(n * 3 * sizeof *v);
    for (size_t i = 0; i < n * 3; i++) v[i] = 1.0;
    /* R = 0, R huge */
    assert_int_equal(socind_design_replicate_new(base, 0, v, SOCIND_REP_FACTORS, NULL, NULL, &d),
                     SOCIND_ERR_ARG);
    assert_null(d);
    assert_int_equal(socind_design_replicate_new(base, SOCIND_REP_MAX + 1, v, SOCIND_REP_FACTORS,
                                                 NULL, NULL, &d),
                     SOCIND_ERR_RANGE);
    /* a negative and a NaN replicate weight: the row and the replicate */
    v[n + 17] = -1.0;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_WEIGHTS, NULL, NULL, &d),
                     SOCIND_ERR_WEIGHT);
    assert_int_equal(socind_last_error_row(), 17);
    assert_non_null(
        strstr(socind_last_error_detail(), "replicate weight 1, row 17 (both 0-based)"));
    v[n + 17] = NAN;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, NULL, NULL, &d),
                     SOCIND_ERR_WEIGHT);
    assert_int_equal(socind_last_error_row(), 17);
    v[n + 17] = 1.0;
    /* rscales: negative; JKn without */
    double rs[3] = {1.0, -0.5, 1.0};
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, rs, NULL, &d),
                     SOCIND_ERR_ARG);
    assert_non_null(strstr(socind_last_error_detail(), "rscales[1] (replicate 1, 0-based)"));
    socind_replicate_options o;
    socind_replicate_options_init(&o);
    o.type = SOCIND_REP_JKN;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, NULL, &o, &d),
                     SOCIND_ERR_ARG);
    /* bad options */
    socind_replicate_options_init(&o);
    o.scale = -1.0;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, NULL, &o, &d),
                     SOCIND_ERR_ARG);
    socind_replicate_options_init(&o);
    o.fay_rho = 1.0;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, NULL, &o, &d),
                     SOCIND_ERR_ARG);
    /* Fay's replicates without their rho (it took 0: BRR's scale, SEs
       1/(1 - rho) too small; R refuses it), and with it or a scale */
    socind_replicate_options_init(&o);
    o.type = SOCIND_REP_FAY;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, NULL, &o, &d),
                     SOCIND_ERR_ARG);
    assert_non_null(strstr(socind_last_error_detail(), "fay_rho"));
    o.fay_rho = 0.3;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, NULL, &o, &d),
                     SOCIND_OK);
    int32_t ty;
    double sc;
    assert_int_equal(socind_design_replicate_info(d, &ty, &sc, NULL, NULL), SOCIND_OK);
    assert_close(sc, 1.0 / (3.0 * 0.7 * 0.7), 1e-15);
    socind_design_free(d);
    d = NULL;
    o.fay_rho = NAN, o.scale = 0.25;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, NULL, &o, &d),
                     SOCIND_OK);
    socind_design_free(d);
    d = NULL;
    socind_replicate_options_init(&o);
    o.size = 3;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, NULL, &o, &d),
                     SOCIND_ERR_OPTIONS);
    assert_int_equal(socind_design_replicate_new(NULL, 3, v, SOCIND_REP_FACTORS, NULL, NULL, &d),
                     SOCIND_ERR_NULL);
    assert_int_equal(socind_design_replicate_new(base, 3, v, 7, NULL, NULL, &d), SOCIND_ERR_ARG);
    /* BRR on strata of 10-17 PSUs: the stratum and its first row */
    socind_replicate_options_init(&o);
    o.type = SOCIND_REP_BRR;
    assert_int_equal(socind_design_replicate_make(base, &o, &d), SOCIND_ERR_ARG);
    assert_int_equal(socind_last_error_row(), 0);
    assert_non_null(strstr(socind_last_error_detail(), "exactly 2"));
    o.type = SOCIND_REP_OTHER;
    assert_int_equal(socind_design_replicate_make(base, &o, &d), SOCIND_ERR_ARG);
    o.type = SOCIND_REP_BOOTSTRAP;
    o.replicates = 1;
    assert_int_equal(socind_design_replicate_make(base, &o, &d), SOCIND_ERR_ARG);
    o.replicates = SOCIND_REP_MAX + 1;
    assert_int_equal(socind_design_replicate_make(base, &o, &d), SOCIND_ERR_RANGE);
    /* JKn with a one-PSU stratum */
    int64_t *st = malloc(n * sizeof *st), *ps = malloc(n * sizeof *ps);
    for (size_t k = 0; k < n; k++) st[k] = k < 5 ? 1 : 2, ps[k] = k < 5 ? 1 : (int64_t)(k % 7) + 2;
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_REMOVE;
    socind_design *lone = NULL;
    assert_int_equal(socind_design_new(n, f->w, st, ps, NULL, &dopt, &lone), SOCIND_OK);
    o.type = SOCIND_REP_JKN;
    assert_int_equal(socind_design_replicate_make(lone, &o, &d), SOCIND_ERR_LONELY_PSU);
    assert_int_equal(socind_last_error_row(), 0);
    /* a scheme's scale that cannot be formed says why (it said only "the
       scheme's scale is nan"): one JK1 or bootstrap replicate; a bootstrap
       on strata of one PSU each (the harmonic mean of their counts 1) */
    socind_replicate_options_init(&o);
    o.type = SOCIND_REP_JK1;
    assert_int_equal(socind_design_replicate_new(base, 1, v, SOCIND_REP_FACTORS, NULL, &o, &d),
                     SOCIND_ERR_ARG);
    assert_non_null(strstr(socind_last_error_detail(), "with one replicate"));
    o.type = SOCIND_REP_BOOTSTRAP;
    assert_int_equal(socind_design_replicate_new(base, 1, v, SOCIND_REP_FACTORS, NULL, &o, &d),
                     SOCIND_ERR_ARG);
    assert_non_null(strstr(socind_last_error_detail(), "one replicate gives none"));
    for (size_t k = 0; k < n; k++) st[k] = (int64_t)k, ps[k] = (int64_t)k;
    socind_design *ones = NULL;
    assert_int_equal(socind_design_new(n, f->w, st, ps, NULL, &dopt, &ones), SOCIND_OK);
    assert_int_equal(socind_design_replicate_make(ones, &o, &d), SOCIND_ERR_ARG);
    assert_null(d);
    assert_non_null(strstr(socind_last_error_detail(), "every stratum has one PSU"));
    o.scale = 0.25; /* the caller's scale: made */
    assert_int_equal(socind_design_replicate_make(ones, &o, &d), SOCIND_OK);
    socind_design_free(d), socind_design_free(ones);
    d = NULL;
    /* a design without replicates */
    assert_int_equal(socind_design_nreplicates(base), 0);
    assert_int_equal(socind_design_replicate_info(base, NULL, NULL, NULL, NULL), SOCIND_ERR_ARG);
    double x;
    assert_int_equal(socind_design_rscales(base, &x, 1), SOCIND_ERR_ARG);
    assert_int_equal(socind_replicate_variance(base, &x, 1.0, &x), SOCIND_ERR_ARG);
    /* an infinite replicate estimate is an overflow naming the replicate (it
       read "every replicate estimate is NaN", one of 3 being +inf) */
    socind_design *r3 = NULL;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, NULL, NULL, &r3),
                     SOCIND_OK);
    const double th[3] = {1.0, INFINITY, 2.0};
    assert_int_equal(socind_replicate_variance(r3, th, 1.0, &x), SOCIND_ERR_OVERFLOW);
    assert_true(isnan(x));
    assert_non_null(strstr(socind_last_error_detail(), "replicate 2's estimate is +inf"));
    /* every estimate NaN: no variance (read an unset scale exponent) */
    const double nan3[3] = {NAN, NAN, NAN};
    x = 0.0;
    assert_int_equal(socind_replicate_variance(r3, nan3, 1.0, &x), SOCIND_ERR_DATA);
    assert_true(isnan(x));
    socind_design_free(r3);
    /* a factor whose replicate weight leaves the doubles (1e308 times a
       weight above 1): refused naming the row, where the replicate's
       infinite weight was left out of the SE with status OK */
    size_t big = 0;
    while (!(f->w[big] > 1.0)) big++;
    v[2 * n + big] = 1e308;
    assert_int_equal(socind_design_replicate_new(base, 3, v, SOCIND_REP_FACTORS, NULL, NULL, &r3),
                     SOCIND_ERR_WEIGHT);
    assert_null(r3);
    assert_int_equal(socind_last_error_row(), (int64_t)big);
    assert_non_null(strstr(socind_last_error_detail(), "leaves the double range"));
    v[2 * n + big] = 1.0;
    free(st), free(ps), free(v);
    socind_design_free(lone), socind_design_free(base);
}

/* survey drops replicates whose estimate is NaN (a jackknife replicate that
 * deletes a domain's only PSU) and a domain's estimates still come; the
 * estimate counts the replicates left out (svrVar's warning), the SE
 * being that of the others. */
static void test_nan_replicates(void **state) {
    fixture *f = *state;
    const size_t n = f->n;
    /* a domain of the rows of PSU 1 only: the JK1 replicate deleting it has no row */
    int32_t *g = malloc(n * sizeof *g);
    for (size_t k = 0; k < n; k++) g[k] = f->psu[k] == f->psu[0] ? 0 : 1;
    socind_design *base = base_design(f, &SCHEMES[1]), *d = NULL;
    socind_replicate_options o;
    socind_replicate_options_init(&o);
    o.type = SOCIND_REP_JK1;
    assert_int_equal(socind_design_replicate_make(base, &o, &d), SOCIND_OK);
    socind_estimate out[2], all;
    assert_int_equal(socind_mean(d, f->y, g, 2, NULL, out), SOCIND_OK);
    assert_int_equal(out[0].status, SOCIND_OK);
    assert_int_equal(out[1].status, SOCIND_OK);
    assert_true(out[0].se >= 0.0);
    assert_int_equal(out[0].replicates_left_out, 1);
    assert_int_equal(out[1].replicates_left_out, 0);
    assert_int_equal(socind_mean(d, f->y, NULL, 0, NULL, &all), SOCIND_OK);
    assert_int_equal(all.replicates_left_out, 0);
    /* the SE from the other replicates: the domain's mean under each */
    const size_t R = socind_design_nreplicates(d);
    double *theta = malloc(R * sizeof *theta), *wr = malloc(n * sizeof *wr);
    size_t nan = 0;
    for (size_t r = 0; r < R; r++) {
        assert_int_equal(socind_design_replicate_column(d, r, wr, NULL), SOCIND_OK);
        long double sw = 0.0L, swy = 0.0L;
        for (size_t k = 0; k < n; k++)
            if (g[k] == 0) sw += wr[k], swy += (long double)wr[k] * f->y[k];
        theta[r] = sw > 0.0L ? (double)(swy / sw) : NAN;
        nan += isnan(theta[r]) != 0;
    }
    assert_int_equal(nan, 1);
    double v;
    assert_int_equal(socind_replicate_variance(d, theta, out[0].value, &v), SOCIND_OK);
    assert_true(fabs(sqrt(v) - out[0].se) <= 1e-12 * out[0].se + 1e-300);
    /* Woodruff's quantile: its share's replicates, the same one left out */
    assert_int_equal(socind_quantile(d, f->y, 0.5, g, 2, NULL, out), SOCIND_OK);
    assert_int_equal(out[0].replicates_left_out, 1);
    assert_int_equal(out[1].replicates_left_out, 0);
    /* and the other estimators through the loop: a total's replicate is 0,
       not NaN, and counts */
    assert_int_equal(socind_total(d, f->y, g, 2, NULL, out), SOCIND_OK);
    assert_int_equal(out[0].replicates_left_out, 0);
    /* one replicate, without the domain's rows: none left (R's svrVar
       stops), the SE NaN with every replicate counted */
    for (size_t k = 0; k < n; k++) wr[k] = g[k] == 0 ? 0.0 : 1.0;
    socind_design *one = NULL;
    o.type = SOCIND_REP_OTHER;
    o.scale = 1.0;
    assert_int_equal(socind_design_replicate_new(base, 1, wr, SOCIND_REP_FACTORS, NULL, &o, &one),
                     SOCIND_OK);
    assert_int_equal(socind_mean(one, f->y, g, 2, NULL, out), SOCIND_OK);
    assert_int_equal(out[0].status, SOCIND_ERR_DATA);
    assert_true(isnan(out[0].se) && isfinite(out[0].value));
    assert_int_equal(out[0].replicates_left_out, 1);
    assert_int_equal(out[1].status, SOCIND_ERR_DF); /* one replicate: df 0 */
    assert_true(isfinite(out[1].se));
    assert_int_equal(out[1].replicates_left_out, 0);
    socind_design_free(one);
    free(theta), free(wr);
    free(g);
    socind_design_free(d), socind_design_free(base);
}

/* ---- degrees of freedom ---- */

/* survey's degf computed here from its definition, independently of the
 * library: qr(A, tol = 1e-5)$rank − 1 for the n × R analysis weights A
 * (A[r·n + k]), R's rule: the columns in order, column j kept when the
 * norm left of it after projecting out the columns kept before it is at
 * least 1e-5 of its own norm, at most n kept. The projections by
 * Gram–Schmidt, each done twice. O(n·R·rank). */
static double degf_by_definition(size_t n, size_t R, const double *A) {
    double *Q = malloc(n * (R < n ? R : n) * sizeof *Q), *v = malloc(n * sizeof *v);
    size_t rank = 0;
    for (size_t j = 0; j < R && rank < n; j++) {
        double norm0 = 0.0;
        for (size_t k = 0; k < n; k++) v[k] = A[j * n + k], norm0 += v[k] * v[k];
        norm0 = sqrt(norm0);
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < rank; i++) {
                double dot = 0.0;
                for (size_t k = 0; k < n; k++) dot += Q[i * n + k] * v[k];
                for (size_t k = 0; k < n; k++) v[k] -= dot * Q[i * n + k];
            }
        double norm = 0.0;
        for (size_t k = 0; k < n; k++) norm += v[k] * v[k];
        norm = sqrt(norm);
        if (!(norm0 > 0.0) || !(norm >= 1e-5 * norm0)) continue;
        for (size_t k = 0; k < n; k++) Q[rank * n + k] = v[k] / norm;
        rank++;
    }
    free(Q), free(v);
    return (double)rank - 1.0;
}

/* The degf of a replicate design made from values: by the computation
 * chosen (*fast) and by the general one (*gram: Householder reflections,
 * forced); the analysis weights into A (n·R) when A is not NULL. Returns
 * the computation chosen (socind__rep_degf_path: 1 the O(PSUs·R) one, 2
 * the general one). */
static int degf_both(const socind_design *base, size_t n, size_t R, const double *values,
                     int32_t kind, int32_t type, double *fast, double *gram, double *A) {
    socind_replicate_options o;
    socind_replicate_options_init(&o);
    o.type = type;
    o.scale = 1.0;
    socind_design *d = NULL;
    int path = 0;
    for (int g = 0; g < 2; g++) {
        socind__rep_degf_general = g;
        socind__rep_degf_path = 0;
        double *rsc = NULL;
        if (type == SOCIND_REP_JKN) {
            rsc = malloc(R * sizeof *rsc);
            for (size_t r = 0; r < R; r++) rsc[r] = 0.5;
        }
        assert_int_equal(socind_design_replicate_new(base, R, values, kind, rsc, &o, &d),
                         SOCIND_OK);
        free(rsc);
        assert_int_equal(socind_design_replicate_info(d, NULL, NULL, NULL, g ? gram : fast),
                         SOCIND_OK);
        if (!g)
            path = socind__rep_degf_path;
        else
            assert_int_equal(socind__rep_degf_path, 2);
        if (A && !g)
            for (size_t r = 0; r < R; r++)
                assert_int_equal(socind_design_replicate_column(d, r, A + r * n, NULL), SOCIND_OK);
        socind_design_free(d);
    }
    socind__rep_degf_general = 0;
    return path;
}

/* The same number three ways: the computation chosen (path, as
 * degf_both's, 3 the O(R·(PSUs + H²)) one of strata; 0 any), the general
 * matrix's, and the definition's.
 * Returns it. */
static double degf_agree(const socind_design *base, size_t n, size_t R, const double *values,
                         int32_t kind, int32_t type, int path) {
    double fast, gram, *A = malloc(n * R * sizeof *A);
    const int ran = degf_both(base, n, R, values, kind, type, &fast, &gram, A);
    if (path) assert_int_equal(ran, path);
    const double def = degf_by_definition(n, R, A);
    print_message("degf %g (general %g, definition %g), %zu replicates\n", fast, gram, def, R);
    assert_true(fast == def);
    assert_true(gram == def);
    free(A);
    return fast;
}

/* The reference designs' degf (survey's, repdesigns.csv) by both
 * computations and the definition: JK1 (one deletion per replicate: the
 * O(PSUs·R) computation), JKn (one value per stratum and a deletion:
 * O(R·(PSUs + H²))), BRR, Fay (the general computation). */
static void test_degf_reference(void **state) {
    fixture *f = *state;
    for (size_t i = 0; i < 4; i++) {
        const scheme *s = &SCHEMES[i];
        size_t R;
        double *fac = row_factors(f, s, &R);
        socind_design *base = base_design(f, s);
        const double got = degf_agree(base, f->n, R, fac, SOCIND_REP_FACTORS, s->type,
                                      s->type == SOCIND_REP_JK1   ? 1
                                      : s->type == SOCIND_REP_JKN ? 3
                                                                  : 2);
        assert_true(got == file_design(f, s->name, "degf"));
        free(fac);
        socind_design_free(base);
    }
}

/* The reference's JK1 and JKn factors on a design without PSUs (the
 * factors kept per row, more than 2R rows: the general computation folds
 * them R rows at a time): survey's degf all the same. Folding a column that
 * the columns before it span left rounding's leftovers (near 1e-219) whose
 * reflection overflowed and spread NaN over every later column: JK1 gave
 * 135 for 248, JKn 110 for 231. */
static socind_design *rows_design(const fixture *f, size_t n, double *w);
static void test_degf_reference_rows(void **state) {
    fixture *f = *state;
    for (size_t i = 0; i < 2; i++) {
        const scheme *s = &SCHEMES[i];
        assert_true(s->type == SOCIND_REP_JK1 || s->type == SOCIND_REP_JKN);
        size_t R;
        double *fac = row_factors(f, s, &R);
        socind_design *base = rows_design(f, f->n, NULL);
        assert_true(f->n > 2 * R);
        const double got = degf_agree(base, f->n, R, fac, SOCIND_REP_FACTORS, s->type, 2);
        assert_true(got == file_design(f, s->name, "degf"));
        free(fac);
        socind_design_free(base);
    }
}

/* Designs of every row its own PSU (n rows), weights from the sample. */
static socind_design *rows_design(const fixture *f, size_t n, double *w) {
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(n, w ? w : f->w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    return d;
}

/* Deficient ranks, the caller's factors and weights, weights kept per row:
 * the computation chosen, the general one and the definition agree. */
static void test_degf_designs(void **state) {
    fixture *f = *state;
    /* JK1 made with every row its own PSU: full rank */
    {
        const size_t n = 300;
        socind_design *base = rows_design(f, n, NULL), *d = NULL;
        socind_replicate_options o;
        socind_replicate_options_init(&o);
        o.type = SOCIND_REP_JK1;
        double fast, gram;
        for (int g = 0; g < 2; g++) {
            socind__rep_degf_general = g;
            assert_int_equal(socind_design_replicate_make(base, &o, &d), SOCIND_OK);
            assert_int_equal(socind_design_replicate_info(d, NULL, NULL, NULL, g ? &gram : &fast),
                             SOCIND_OK);
            socind_design_free(d);
        }
        socind__rep_degf_general = 0;
        assert_true(fast == 299.0);
        assert_true(gram == 299.0);
        socind_design_free(base);
    }
    /* one-deletion factors, rank-deficient: a row of weight 0 (its
       deletion is a constant column), constant columns, the factor deleted
       not 0, a column of factors 0. Their span: w and e_p for the 35 PSUs
       0 .. 35 but 5 deleted: rank 36 of 41 columns and 39 rows of positive
       weight, degf 35. */
    const size_t n = 40, R = 41;
    double *w = malloc(n * sizeof *w), *v = malloc(n * R * sizeof *v);
    for (size_t k = 0; k < n; k++) w[k] = f->w[k];
    w[5] = 0.0;
    socind_design *base = rows_design(f, n, w);
    size_t r = 0;
    for (size_t p = 0; p < 30; p++, r++)
        for (size_t k = 0; k < n; k++) v[r * n + k] = k == p ? 0.0 : 40.0 / 39.0;
    for (size_t k = 0; k < n; k++) v[r * n + k] = 1.0; /* constant */
    r++;
    for (size_t p = 30; p < 36; p++, r++)
        for (size_t k = 0; k < n; k++) v[r * n + k] = k == p ? 0.5 : 2.0;
    for (size_t k = 0; k < n; k++) v[r * n + k] = 3.0; /* constant again */
    r++;
    for (size_t k = 0; k < n; k++) v[r * n + k] = 0.0; /* all 0 */
    r++;
    for (size_t k = 0; k < n; k++) v[r * n + k] = k == 5 ? 9.0 : 1.5; /* PSU of weight 0 */
    r++;
    for (size_t k = 0; k < n; k++) v[r * n + k] = 0.25;
    r++;
    assert_int_equal(r, R);
    const double d1 = degf_agree(base, n, R, v, SOCIND_REP_FACTORS, SOCIND_REP_OTHER, 1);
    assert_true(d1 == 35.0);
    /* the same as weights the caller gives: kept per row where w·f / w
       does not give f back, else as factors (factors 2^k: always) */
    double *wv = malloc(n * R * sizeof *wv);
    for (size_t i = 0; i < n * R; i++) wv[i] = w[i % n] * v[i];
    assert_true(degf_agree(base, n, R, wv, SOCIND_REP_WEIGHTS, SOCIND_REP_OTHER, 0) == d1);
    for (size_t i = 0; i < n * R; i++) {
        int e;
        const double m = frexp(v[i], &e);
        wv[i] = w[i % n] * (v[i] > 0.0 ? ldexp(m > 0.75 ? 1.0 : 0.5, e) : 0.0);
    }
    assert_true(degf_agree(base, n, R, wv, SOCIND_REP_WEIGHTS, SOCIND_REP_OTHER, 1) == d1);
    /* PSU 30's deletion replaced by PSU 0's: one less, by the general computation
       (a PSU deleted twice) */
    for (size_t k = 0; k < n; k++) v[31 * n + k] = v[0 * n + k];
    assert_true(degf_agree(base, n, R, v, SOCIND_REP_FACTORS, SOCIND_REP_OTHER, 2) == 34.0);
    socind_design_free(base);
    /* weights kept per row: PSUs of 2 rows whose rows' factors differ */
    {
        int64_t *psu = malloc(n * sizeof *psu);
        for (size_t k = 0; k < n; k++) psu[k] = (int64_t)(k / 2);
        socind_design *b2 = NULL;
        assert_int_equal(socind_design_new(n, w, NULL, psu, NULL, NULL, &b2), SOCIND_OK);
        uint32_t x = 12345u;
        for (size_t i = 0; i < n * R; i++) {
            x = x * 1664525u + 1013904223u;
            wv[i] = w[i % n] * (double)(x >> 16) / 65536.0;
        }
        for (size_t k = 0; k < n; k++) wv[3 * n + k] = wv[1 * n + k] + 2.0 * wv[2 * n + k];
        const double d2 = degf_agree(b2, n, R, wv, SOCIND_REP_WEIGHTS, SOCIND_REP_OTHER, 2);
        assert_true(d2 < (double)R - 1.0);
        free(psu);
        socind_design_free(b2);
    }
    /* JKn's form: 5 strata of 4 PSUs of 2 rows, the column of each
       stratum's last deletion but the first stratum's dependent on the
       others and the full-sample weights: 20 PSUs − 5 strata; by the
       strata's computation, and the general one where strata of 2 PSUs
       (10 strata, 4H > R) make it the cheaper */
    for (size_t per = 8; per >= 4; per /= 2) {
        int64_t *st = malloc(n * sizeof *st);
        for (size_t k = 0; k < n; k++) st[k] = (int64_t)(k / per);
        int64_t *psu = malloc(n * sizeof *psu);
        for (size_t k = 0; k < n; k++) psu[k] = (int64_t)(k / 2);
        socind_design *b3 = NULL, *d3 = NULL;
        for (size_t k = 0; k < n; k++) w[k] = f->w[k];
        assert_int_equal(socind_design_new(n, w, st, psu, NULL, NULL, &b3), SOCIND_OK);
        socind_replicate_options o;
        socind_replicate_options_init(&o);
        o.type = SOCIND_REP_JKN;
        assert_int_equal(socind_design_replicate_make(b3, &o, &d3), SOCIND_OK);
        const size_t R3 = socind_design_nreplicates(d3);
        assert_int_equal(R3, 20);
        double *fac = malloc(n * R3 * sizeof *fac);
        for (size_t j = 0; j < R3; j++)
            assert_int_equal(socind_design_replicate_column(d3, j, NULL, fac + j * n), SOCIND_OK);
        const double H = (double)(n / per);
        assert_true(degf_agree(b3, n, R3, fac, SOCIND_REP_FACTORS, SOCIND_REP_JKN,
                               per == 8 ? 3 : 2) == 20.0 - H);
        /* a replicate that leaves one stratum's factors as they are */
        for (size_t k = 0; k < n; k++) fac[2 * n + k] = 1.0;
        degf_agree(b3, n, R3, fac, SOCIND_REP_FACTORS, SOCIND_REP_JKN, per == 8 ? 3 : 2);
        free(st), free(psu), free(fac);
        socind_design_free(d3), socind_design_free(b3);
    }
    free(w), free(v), free(wv);
}

/* R decides on the analysis weights w_k·f, not on the factors: rows of
 * very different weight change what is left of a column. n = 100 rows,
 * each its own PSU, row 0 of weight 1000, the others 1; factors: all 1;
 * 1 but 1 + δ on row 0 (δ = 5e-4); 1 but 0 on row 1. On A = w·f the
 * second column less its projection on the first is δ·1000·(e_0 −
 * 1000·w/|w|²), of norm δ·1000·√(99/(10⁶ + 99)), 4.97e-6 of the column's
 * norm √(10⁶ + 99): dependent. The third column is independent: rank 2,
 * degf 1. (On the factors alone the second column keeps δ·√0.99/10 =
 * 4.97e-5 of its norm: rank 3, degf 2.) */
static void test_degf_on_weights(void **state) {
    fixture *f = *state;
    const size_t n = 100, R = 3;
    double *w = malloc(n * sizeof *w), *v = malloc(n * R * sizeof *v);
    for (size_t k = 0; k < n; k++) {
        w[k] = k == 0 ? 1000.0 : 1.0;
        v[0 * n + k] = 1.0;
        v[1 * n + k] = k == 0 ? 1.0 + 5e-4 : 1.0;
        v[2 * n + k] = k == 1 ? 0.0 : 1.0;
    }
    socind_design *base = rows_design(f, n, w);
    assert_true(degf_agree(base, n, R, v, SOCIND_REP_FACTORS, SOCIND_REP_OTHER, 1) == 1.0);
    free(w), free(v);
    socind_design_free(base);
}

/* One PSU of weight W far above the others' (10^8 beside 1): the column
 * that deletes it keeps only the small rows, c²·Σ_{p != q} w_p² of its
 * squared norm, 10^-15 of G's scale. Written as the diagonal plus low
 * rank, its Schur complement is a difference of terms of that scale and
 * came out as rounding (0: the column set aside, degf one short); R's
 * qr() keeps it. JK1 (one stratum of 10 PSUs) and JKn (2 strata of 5,
 * the big PSU in the first), made by socind and given as factors: each
 * as the definition. */
static void test_degf_one_dominant_psu(void **state) {
    fixture *f = *state;
    for (int strata = 1; strata <= 2; strata++)
        for (double W = 1e6; W <= 1e12; W *= 100.0) {
            const size_t n = 10;
            double w[10];
            int64_t st[10];
            for (size_t k = 0; k < n; k++) w[k] = k == 0 ? W : 1.0, st[k] = (int64_t)(k / 5);
            socind_design *base = NULL, *d = NULL;
            assert_int_equal(
                socind_design_new(n, w, strata == 2 ? st : NULL, NULL, NULL, NULL, &base),
                SOCIND_OK);
            socind_replicate_options o;
            socind_replicate_options_init(&o);
            o.type = strata == 2 ? SOCIND_REP_JKN : SOCIND_REP_JK1;
            assert_int_equal(socind_design_replicate_make(base, &o, &d), SOCIND_OK);
            const size_t R = socind_design_nreplicates(d);
            double *fac = malloc(n * R * sizeof *fac), *A = malloc(n * R * sizeof *A), made;
            for (size_t r = 0; r < R; r++)
                assert_int_equal(socind_design_replicate_column(d, r, A + r * n, fac + r * n),
                                 SOCIND_OK);
            assert_int_equal(socind_design_replicate_info(d, NULL, NULL, NULL, &made), SOCIND_OK);
            const double def = degf_by_definition(n, R, A);
            print_message("one PSU of weight %g, %d strata: degf %g, definition %g\n", W, strata,
                          made, def);
            assert_true(made == def);
            degf_agree(base, n, R, fac, SOCIND_REP_FACTORS, o.type, 0);
            free(fac), free(A);
            socind_design_free(d), socind_design_free(base);
        }
    (void)f;
}

/* A jackknife of 4,000 PSUs of weight 1: G = c²((N − 2)J + I), whose
 * Schur complements leave each column at least 1/(N − 1) of its squared
 * norm: full rank, degf N − 1 (the general computation would take
 * 4,000³ operations and 128 MB). */
static void test_degf_large_jackknife(void **state) {
    (void)state;
    const size_t N = 4000;
    double *w = malloc(N * sizeof *w);
    for (size_t k = 0; k < N; k++) w[k] = 1.0;
    socind_design *base = NULL, *d = NULL;
    assert_int_equal(socind_design_new(N, w, NULL, NULL, NULL, NULL, &base), SOCIND_OK);
    socind_replicate_options o;
    socind_replicate_options_init(&o);
    o.type = SOCIND_REP_JK1;
    socind__rep_degf_path = 0;
    assert_int_equal(socind_design_replicate_make(base, &o, &d), SOCIND_OK);
    assert_int_equal(socind__rep_degf_path, 1);
    double degf;
    assert_int_equal(socind_design_replicate_info(d, NULL, NULL, NULL, &degf), SOCIND_OK);
    assert_true(degf == (double)N - 1.0);
    free(w);
    socind_design_free(d), socind_design_free(base);
}

/* A stratified jackknife's factors given in another order, so that the
 * general computation decides: 3 strata of 3 PSUs of 3 rows, weights near
 * 1 but row 18 (in PSU 6) of weight W, rows 10, 19 and 24 of weight 0.
 * Each stratum's three deletions add up to 3 on every row, so the 9
 * columns span 7 dimensions, the last two columns dependent. For W = 1.2e4
 * .. 1e5 the seven others keep 2e-4 .. 2e-5 of their norm beside the
 * earlier ones (exact arithmetic): degf 6. For W = 1e6 they keep about
 * 3e-6 but the column deleting PSU 6 (its whole norm off row 18): degf 1.
 * Squared norms on AᵀA, with rounding of 1e-16·|a|² times the square of
 * coefficients of 1e4 or so, left a dependent column 1e-8 or so of its
 * squared norm, above the rule's 1e-10: degf 7 for W = 1.2e4 and 3e4. */
static void test_degf_far_weights(void **state) {
    (void)state;
    const size_t n = 27, R = 9;
    /* the PSU each column deletes, in the columns' order */
    static const size_t del[9] = {8, 1, 4, 0, 2, 5, 7, 6, 3};
    static const double big[] = {1.2e4, 3e4, 1e5, 1e6};
    for (size_t iw = 0; iw < 4; iw++) {
        const double W = big[iw];
        double w[27], v[27 * 9];
        int64_t st[27], psu[27];
        for (size_t k = 0; k < n; k++) {
            w[k] = 0.5 + (double)((k * 7) % 10) / 10.0;
            psu[k] = (int64_t)(k / 3);
            st[k] = (int64_t)(k / 9);
        }
        w[18] = W;
        w[10] = w[19] = w[24] = 0.0;
        for (size_t r = 0; r < R; r++)
            for (size_t k = 0; k < n; k++) {
                const size_t p = k / 3;
                v[r * n + k] = p / 3 != del[r] / 3 ? 1.0 : p == del[r] ? 0.0 : 1.5;
            }
        socind_design *base = NULL;
        assert_int_equal(socind_design_new(n, w, st, psu, NULL, NULL, &base), SOCIND_OK);
        const double want = W <= 1e5 ? 6.0 : 1.0;
        assert_true(degf_agree(base, n, R, v, SOCIND_REP_FACTORS, SOCIND_REP_OTHER, 2) == want);
        /* and as weights kept per row (factors 1.5 do not come back
           exactly from w·1.5 / w on every row) */
        double wv[27 * 9];
        for (size_t i = 0; i < n * R; i++) wv[i] = w[i % n] * v[i];
        assert_true(degf_agree(base, n, R, wv, SOCIND_REP_WEIGHTS, SOCIND_REP_OTHER, 0) == want);
        socind_design_free(base);
    }
}

static uint64_t xs_state;
static double xs_uniform(void) { /* xorshift64, 53 bits in [0, 1) */
    xs_state ^= xs_state << 13;
    xs_state ^= xs_state >> 7;
    xs_state ^= xs_state << 17;
    return (double)(xs_state >> 11) * 0x1p-53;
}

/* 6,000 jackknives of 1 to 5 strata of 3 to 6 PSUs of 1 to 3 rows, weights
 * of one scale, of 10^0..10^4, of 10^-10..10^10, or 1 with 10 % of rows at
 * 10^5..10^7, 5 % of rows of weight 0; made by socind, their columns
 * shuffled and half of them given a constant column besides: the
 * computation chosen, the general one and the definition agree. */
static void test_degf_random_jackknives(void **state) {
    (void)state;
    xs_state = 0x9e3779b97f4a7c15ull;
    size_t made = 0;
    for (int it = 0; it < 6000; it++) {
        const size_t H = 1 + (size_t)(xs_uniform() * 5), per = 3 + (size_t)(xs_uniform() * 4);
        const size_t rows = 1 + (size_t)(xs_uniform() * 3), n = H * per * rows;
        const int regime = (int)(xs_uniform() * 4);
        double *w = malloc(n * sizeof *w);
        int64_t *st = malloc(n * sizeof *st), *psu = malloc(n * sizeof *psu);
        for (size_t k = 0; k < n; k++) {
            psu[k] = (int64_t)(k / rows);
            st[k] = (int64_t)(k / rows / per);
            const double e = regime == 0          ? 0.0
                             : regime == 1        ? 4.0 * xs_uniform()
                             : regime == 2        ? 20.0 * xs_uniform() - 10.0
                             : xs_uniform() < 0.1 ? 5.0 + 2.0 * xs_uniform()
                                                  : 0.0;
            w[k] = pow(10.0, e) * (0.5 + xs_uniform());
            if (xs_uniform() < 0.05) w[k] = 0.0;
        }
        socind_design *base = NULL, *d = NULL;
        socind_replicate_options o;
        socind_replicate_options_init(&o);
        o.type = H > 1 ? SOCIND_REP_JKN : SOCIND_REP_JK1;
        if (socind_design_new(n, w, H > 1 ? st : NULL, psu, NULL, NULL, &base) == SOCIND_OK &&
            socind_design_replicate_make(base, &o, &d) == SOCIND_OK) {
            made++;
            const size_t R = socind_design_nreplicates(d);
            double *fac = malloc(n * (R + 1) * sizeof *fac);
            for (size_t r = 0; r < R; r++)
                assert_int_equal(socind_design_replicate_column(d, r, NULL, fac + r * n),
                                 SOCIND_OK);
            for (size_t r = R; r > 1; r--) {
                const size_t j = (size_t)(xs_uniform() * (double)r);
                for (size_t k = 0; k < n; k++) {
                    const double t = fac[(r - 1) * n + k];
                    fac[(r - 1) * n + k] = fac[j * n + k], fac[j * n + k] = t;
                }
            }
            size_t R2 = R;
            if (xs_uniform() < 0.5) {
                const double c = 0.5 + xs_uniform();
                for (size_t k = 0; k < n; k++) fac[R2 * n + k] = c;
                R2++;
            }
            degf_agree(base, n, R2, fac, SOCIND_REP_FACTORS, SOCIND_REP_OTHER, 0);
            free(fac);
        }
        socind_design_free(d), socind_design_free(base);
        free(w), free(st), free(psu);
    }
    assert_true(made > 5600);
}

/* A domain's df on a replicate design (socind_quantile's, the rank − 1 of
 * the analysis weights on the domain's rows with an income): from the
 * columns' forms by their costs, by qr_rank on the domain's PSUs (path 5)
 * and by the Schur complements (paths 4, 6), by the whole design's
 * computations on
 * the domain's rows (socind__rep_degf_general), and from the definition on
 * those rows (degf_by_definition): all four equal on random jackknives,
 * BRR, Fay and bootstraps — strata from 1 to 60 (more than 53 in a domain
 * takes the long double complements), weights from equal to 10^±10 apart
 * and 0, domains of rows, of strata and of one PSU, incomes missing. */
static void test_degf_domains(void **state) {
    (void)state;
    xs_state = 0x51ed270b27a5c3d1ull;
    size_t checked = 0, by_path[7] = {0};
    for (int it = 0; it < 400; it++) {
        const int many = it % 10 == 0;
        const size_t H = many ? 55 + (size_t)(xs_uniform() * 6) : 1 + (size_t)(xs_uniform() * 6);
        const size_t per = 2 + (size_t)(xs_uniform() * (many ? 2 : 4));
        const size_t rows = 1 + (size_t)(xs_uniform() * 3), n = H * per * rows;
        const int regime = (int)(xs_uniform() * 4), dom = (int)(xs_uniform() * 3);
        const int32_t types[] = {SOCIND_REP_JK1, SOCIND_REP_JKN,       SOCIND_REP_BRR,
                                 SOCIND_REP_FAY, SOCIND_REP_BOOTSTRAP, SOCIND_REP_SUBBOOTSTRAP};
        const int32_t type = many ? SOCIND_REP_JKN : types[(size_t)(xs_uniform() * 6)];
        const int32_t G = 1 + (int32_t)(xs_uniform() * 5);
        double *w = malloc(n * sizeof *w), *y = malloc(n * sizeof *y);
        int64_t *st = malloc(n * sizeof *st), *psu = malloc(n * sizeof *psu);
        int32_t *g = malloc(n * sizeof *g);
        for (size_t k = 0; k < n; k++) {
            psu[k] = (int64_t)(k / rows);
            st[k] = (int64_t)(k / rows / per);
            const double e = regime == 0          ? 0.0
                             : regime == 1        ? 4.0 * xs_uniform()
                             : regime == 2        ? 20.0 * xs_uniform() - 10.0
                             : xs_uniform() < 0.1 ? 5.0 + 2.0 * xs_uniform()
                                                  : 0.0;
            w[k] = pow(10.0, e) * (0.5 + xs_uniform());
            if (xs_uniform() < 0.05) w[k] = 0.0;
            y[k] = xs_uniform() < 0.05 ? NAN : 100.0 * xs_uniform();
            g[k] = dom == 0   ? (int32_t)(xs_uniform() * G)
                   : dom == 1 ? (int32_t)(st[k] % G)
                              : (psu[k] == 1 ? 0 : 1 + (int32_t)(xs_uniform() * (G - 1)));
        }
        if (dom == 2 && G == 1)
            for (size_t k = 0; k < n; k++) g[k] = 0;
        socind_design *base = NULL, *d = NULL, *dg = NULL;
        socind_replicate_options o;
        socind_replicate_options_init(&o);
        o.type = type;
        o.replicates = 20 + (size_t)(xs_uniform() * 30);
        const int one = type == SOCIND_REP_JK1;
        if (socind_design_new(n, w, one ? NULL : st, psu, NULL, NULL, &base) != SOCIND_OK ||
            socind_design_replicate_make(base, &o, &d) != SOCIND_OK) {
            socind_design_free(base);
            free(w), free(y), free(st), free(psu), free(g);
            continue;
        }
        socind__rep_degf_general = 1;
        assert_int_equal(socind_design_replicate_make(base, &o, &dg), SOCIND_OK);
        socind__rep_degf_general = 0;
        const size_t R = socind_design_nreplicates(d);
        double *A = malloc(n * R * sizeof *A), *AD = malloc(n * R * sizeof *AD);
        for (size_t r = 0; r < R; r++)
            assert_int_equal(socind_design_replicate_column(d, r, A + r * n, NULL), SOCIND_OK);
        socind_estimate e[4][5];
        for (int way = 0; way < 4; way++) {
            socind__rep_degf_form_qr = way == 3 ? 0 : way;
            socind__rep_degf_path = 0;
            assert_int_equal(socind_quantile(way == 3 ? dg : d, y, 0.5, g, G, NULL, e[way]),
                             SOCIND_OK);
            if (way < 3) by_path[socind__rep_degf_path]++;
        }
        socind__rep_degf_form_qr = 0;
        for (int32_t j = 0; j < G; j++) {
            /* the definition on the domain's rows with an income and
               positive weight (every row: the design's own degf) */
            size_t nd = 0;
            for (size_t k = 0; k < n; k++) nd += g[k] == j && !isnan(y[k]) && w[k] > 0.0;
            if (nd == 0) continue;
            double def = socind_design_df(d);
            if (nd < n) {
                for (size_t r = 0; r < R; r++) {
                    size_t i = 0;
                    for (size_t k = 0; k < n; k++)
                        if (g[k] == j && !isnan(y[k]) && w[k] > 0.0)
                            AD[r * nd + i++] = A[r * n + k];
                }
                def = degf_by_definition(nd, R, AD);
            }
            for (int way = 0; way < 4; way++) assert_close(e[way][j].df, def, 0.0);
            checked++;
        }
        free(A), free(AD);
        socind_design_free(d), socind_design_free(dg), socind_design_free(base);
        free(w), free(y), free(st), free(psu), free(g);
    }
    print_message("%zu domains; the last domain's rank by the Schur complements in double on "
                  "%zu designs, in long double on %zu, by qr_rank on %zu\n",
                  checked, by_path[4], by_path[6], by_path[5]);
    assert_true(checked > 800);
    /* fewer than before the margin counted a kept pivot's rounding (118 of
       these designs): those decisions now go to long double or qr_rank */
    assert_true(by_path[4] > 50);
    assert_true(by_path[5] > 100);
    assert_true(by_path[6] > 20);
}

/* A caller's jackknife factors on 13 PSUs in 4 strata (two columns alike:
 * the columns have no form of one exception each, and a domain's rank is
 * read from the weights), weights from 1e-12 to 2e8: domain 2 (PSUs 3, 6,
 * 7 and 9 with an income; PSU 11's is missing) keeps 3 columns by R's rule
 * (the fourth's relative residual is below 1e-23), and survey 4.5's
 * degf(rd[g == j & !is.na(y), ]) is 1, 0, 2, 0 for the four domains. The
 * Schur complements of the whole design's strata computation took a
 * fourth column on domain 2's rows (df 3). */
static void test_degf_domain_alike_columns(void **state) {
    (void)state;
    static const double w[13] = {0x1.06c667f45ff3bp-31, 0x0p+0,
                                 0x1.2c4936e649d63p-39, 0x1.75f44b0b59e85p+14,
                                 0x1.a7f6f5ee43f98p-15, 0x1.9a628c0f209acp+3,
                                 0x1.509e6e95b6627p+27, 0x1.f0dd70181a78bp-11,
                                 0x1.39542b9d6e311p+18, 0x1.0b90e84feac9bp+8,
                                 0x1.0c0a58fa90ecdp+19, 0x1.7938d87aad25ap+18,
                                 0x1.98acf9145f22ap-40};
    static const int32_t g[13] = {1, 0, 0, 2, 0, 1, 2, 2, 0, 2, 1, 2, 3};
    static const double F[17][13] = {
        {0x1.5555555555555p+0, 0x1.5555555555555p+0, 0x1.5555555555555p+0, 0x0p+0, 0x1p+0, 0x1p+0,
         0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0},
        {0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1.5555555555555p+0,
         0x1.5555555555555p+0, 0x1.5555555555555p+0, 0x0p+0, 0x1p+0, 0x1p+0},
        {0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x0p+0, 0x1.8p+0, 0x1.8p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0,
         0x1p+0, 0x1p+0},
        {0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0,
         0x0p+0, 0x0p+0},
        {0x0p+0, 0x1.5555555555555p+0, 0x1.5555555555555p+0, 0x1.5555555555555p+0, 0x1p+0, 0x1p+0,
         0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0},
        {0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1.5555555555555p+0,
         0x1.5555555555555p+0, 0x0p+0, 0x1.5555555555555p+0, 0x1p+0, 0x1p+0},
        {0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1.8p+0, 0x1.156711e9e3016p-2, 0x1.8p+0, 0x1p+0, 0x1p+0,
         0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0},
        {0x1.ba79ae259fac6p+0, 0x1.ba79ae259fac6p+0, 0x1.ba79ae259fac6p+0, 0x1.ba79ae259fac6p+0,
         0x1.ba79ae259fac6p+0, 0x1.ba79ae259fac6p+0, 0x1.ba79ae259fac6p+0, 0x1.ba79ae259fac6p+0,
         0x1.ba79ae259fac6p+0, 0x1.ba79ae259fac6p+0, 0x1.ba79ae259fac6p+0, 0x1.ba79ae259fac6p+0,
         0x1.ba79ae259fac6p+0},
        {0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1.5555555555555p+0, 0x0p+0,
         0x1.5555555555555p+0, 0x1.5555555555555p+0, 0x1p+0, 0x1p+0},
        {0x1.5555555555555p+0, 0x1.5555555555555p+0, 0x0p+0, 0x1.5555555555555p+0, 0x1p+0, 0x1p+0,
         0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0},
        {0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0,
         0x0p+0, 0x1p+1},
        {0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0, 0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1,
         0x0p+0, 0x0p+0},
        {0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1.5555555555555p+0,
         0x1.5555555555555p+0, 0x1.5555555555555p+0, 0x0p+0, 0x1p+0, 0x1p+0},
        {0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0,
         0x1p+1, 0x0p+0},
        {0x1.5555555555555p+0, 0x0p+0, 0x1.5555555555555p+0, 0x1.5555555555555p+0, 0x1p+0, 0x1p+0,
         0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0},
        {0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1.8p+0, 0x1.8p+0, 0x0p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0,
         0x1p+0, 0x1p+0},
        {0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x0p+0, 0x1.5555555555555p+0,
         0x1.5555555555555p+0, 0x1.5555555555555p+0, 0x1p+0, 0x1p+0},
    };
    double wv[13], y[13], fac[17 * 13];
    int64_t st[13], psu[13];
    static const int32_t strata[13] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3};
    for (size_t k = 0; k < 13; k++) {
        wv[k] = w[k], psu[k] = (int64_t)k, st[k] = strata[k];
        y[k] = k == 10 || k == 11 ? NAN : 1.0 + (double)k;
    }
    for (size_t r = 0; r < 17; r++)
        for (size_t k = 0; k < 13; k++) fac[r * 13 + k] = F[r][k];
    socind_design *base = NULL, *d = NULL;
    assert_int_equal(socind_design_new(13, wv, st, psu, NULL, NULL, &base), SOCIND_OK);
    assert_int_equal(socind_design_replicate_new(base, 17, fac, SOCIND_REP_FACTORS, NULL, NULL, &d),
                     SOCIND_OK);
    const double expected[4] = {1.0, 0.0, 2.0, 0.0};
    double A[17 * 13], AD[17 * 13];
    for (size_t r = 0; r < 17; r++)
        assert_int_equal(socind_design_replicate_column(d, r, A + r * 13, NULL), SOCIND_OK);
    socind_estimate e[4];
    (void)socind_quantile(d, y, 0.5, g, 4, NULL, e);
    for (int32_t j = 0; j < 4; j++) {
        size_t nd = 0;
        for (size_t k = 0; k < 13; k++) nd += g[k] == j && !isnan(y[k]) && w[k] > 0.0;
        for (size_t r = 0; r < 17; r++) {
            size_t i = 0;
            for (size_t k = 0; k < 13; k++)
                if (g[k] == j && !isnan(y[k]) && w[k] > 0.0) AD[r * nd + i++] = A[r * 13 + k];
        }
        assert_true(degf_by_definition(nd, 17, AD) == expected[j]);
        assert_true(e[j].df == expected[j]);
    }
    socind_design_free(d), socind_design_free(base);
}

/* A caller's jackknife factors (JKn form, some columns repeated or
 * constant) on 23 PSUs of two rows in 2 strata, weights from 1e-11 to
 * 5e8: survey 4.5's degf(rd[g == j, ]) is 3, 3, 4, 4. Domain 1's rank by
 * the Schur complements on its strata kept a column whose residual was
 * what rounding left of a pivot known only to 1e-8 of itself (df 4): the
 * margin now counts the rounding each kept column's pivot carries. */
static void test_degf_domain_schur_pivot(void **state) {
    (void)state;
    static const double w[46] = {0x1.b3ff515b0452p+19,
                                 0x1.b802c1cfc25p-27,
                                 0x1.2eee159d34196p-15,
                                 0x1.03e8eed2dcf5p+24,
                                 0x1.01efc31588b1p+2,
                                 0x1.40be3431367a3p-4,
                                 0x0p+0,
                                 0x1.b45455e47ca65p+28,
                                 0x1.581b510316ff5p-31,
                                 0x1.e88f76f60d22fp-6,
                                 0x1.0df2cc167534ep+19,
                                 0x1.5a434243755f7p-24,
                                 0x1.dfa59dd85b67ap+20,
                                 0x1.3f5328e4489cp-37,
                                 0x0p+0,
                                 0x1.36202b699c758p-4,
                                 0x1.2b68bc3ed21a3p+8,
                                 0x1.c98ff809d132p+25,
                                 0x1.f7caf27fe434ep+4,
                                 0x1.c8bf2dabb2b1p+16,
                                 0x1.c3bcd78171293p+9,
                                 0x1.88980aa273452p+14,
                                 0x1.4bb6bed6a433cp-6,
                                 0x1.746a2d86535bep+21,
                                 0x1.16cb3e429ac1fp+24,
                                 0x1.048be2746378cp+30,
                                 0x1.4318a62230ab5p-4,
                                 0x1.d75f1d97b4b1p+27,
                                 0x1.8d326ab5d27fdp-12,
                                 0x1.e028fa61ed1d9p+21,
                                 0x1.09aba8dc939ebp+33,
                                 0x1.46bce723eaf0bp-12,
                                 0x1.8b67276a5c83cp-29,
                                 0x1.1240d1de0c989p-31,
                                 0x1.0c7e9c4c40d35p-36,
                                 0x1.1d7499791af4dp+8,
                                 0x1.1eff2a31f206ap+11,
                                 0x1.56772edaa6f3fp+32,
                                 0x1.ae882ec6104e4p+29,
                                 0x1.9732f60b949f9p+26,
                                 0x1.c37519091ba06p-38,
                                 0x1.e3f01bfaca5d8p-14,
                                 0x1.416723e25ae9p-20,
                                 0x1.f7dea3d3c3b9cp+4,
                                 0x1.7f8f6f25f7a2dp+12,
                                 0x1.694bb41711853p+18};
    static const int32_t g[46] = {2, 2, 1, 3, 0, 1, 1, 0, 1, 3, 1, 0, 1, 2, 2, 0,
                                  1, 3, 2, 0, 2, 2, 1, 3, 3, 0, 0, 0, 2, 2, 3, 1,
                                  1, 1, 3, 3, 0, 1, 1, 2, 2, 3, 1, 2, 0, 2};
    /* the factors per PSU (each PSU two rows: 0 1, 2 3, ...) */
    static const double F[27][23] = {
        {0x0p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1,
         0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0,
         0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0, 0x1p+0},
        {0x1.1745d1745d174p+0,
         0x0p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1,
         0x1p+1, 0x1p+1, 0x1p+1, 0x1p+1, 0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0,
         0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0, 0x0p+0},
        {0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x0p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x0p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x0p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x0p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x0p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.d18e6897a31c4p-3,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x0p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x0p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x0p+0,
         0x1.1745d1745d174p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x1.1745d1745d174p+0,
         0x0p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0},
        {0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x0p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0},
        {0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0,
         0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0,
         0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0,
         0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0,
         0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0,
         0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0, 0x1.c3593bfaf7c9bp+0},
        {0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1.199999999999ap+0,
         0x1.b571bc2dd81f6p-2,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0},
        {0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x0p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0},
        {0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x0p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0},
        {0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0,
         0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0,
         0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0,
         0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0,
         0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0,
         0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0, 0x1.b94b42f5af9d6p+0},
        {0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x0p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0},
        {0x1.19540db77f5ebp-28, 0x1.19540db77f5ebp-28, 0x1.19540db77f5ebp-28,
         0x1.19540db77f5ebp-28, 0x1.19540db77f5ebp-28, 0x1.19540db77f5ebp-28,
         0x1.19540db77f5ebp-28, 0x1.19540db77f5ebp-28, 0x1.19540db77f5ebp-28,
         0x1.19540db77f5ebp-28, 0x1.19540db77f5ebp-28, 0x1.19540db77f5ebp-28,
         0x1.35760f16a5b5p-28,  0x1.35760f16a5b5p-28,  0x1.35760f16a5b5p-28,
         0x1.35760f16a5b5p-28,  0x1.35760f16a5b5p-28,  0x0p+0,
         0x1.35760f16a5b5p-28,  0x1.35760f16a5b5p-28,  0x1.35760f16a5b5p-28,
         0x1.35760f16a5b5p-28,  0x1.35760f16a5b5p-28},
        {0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x0p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0},
        {0x1.f443a95b70c3cp-18, 0x1.f443a95b70c3cp-18, 0x1.f443a95b70c3cp-18, 0x1.f443a95b70c3cp-18,
         0x1.f443a95b70c3cp-18, 0x1.f443a95b70c3cp-18, 0x1.f443a95b70c3cp-18, 0x1.f443a95b70c3cp-18,
         0x1.f443a95b70c3cp-18, 0x1.f443a95b70c3cp-18, 0x1.f443a95b70c3cp-18, 0x1.f443a95b70c3cp-18,
         0x1.132536bf179eep-17, 0x1.132536bf179eep-17, 0x1.132536bf179eep-17, 0x1.132536bf179eep-17,
         0x1.132536bf179eep-17, 0x1.132536bf179eep-17, 0x1.132536bf179eep-17, 0x1.5d807726d7c49p-19,
         0x1.132536bf179eep-17, 0x1.132536bf179eep-17, 0x1.132536bf179eep-17},
        {0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x0p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0},
        {0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.aa9fc6899248ep-3,
         0x1.199999999999ap+0},
        {0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1p+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x1.199999999999ap+0,
         0x0p+0},
    };
    double wv[46], y[46], x[46], fac[27 * 46];
    int64_t st[46], psu[46];
    for (size_t k = 0; k < 46; k++) {
        wv[k] = w[k], psu[k] = (int64_t)(k / 2), st[k] = k / 2 < 12 ? 0 : 1;
        y[k] = 1.0 + (double)k, x[k] = (double)(k % 2);
    }
    for (size_t r = 0; r < 27; r++)
        for (size_t k = 0; k < 46; k++) fac[r * 46 + k] = F[r][k / 2];
    socind_design *base = NULL, *d = NULL;
    assert_int_equal(socind_design_new(46, wv, st, psu, NULL, NULL, &base), SOCIND_OK);
    assert_int_equal(socind_design_replicate_new(base, 27, fac, SOCIND_REP_FACTORS, NULL, NULL, &d),
                     SOCIND_OK);
    const double expected[4] = {3.0, 3.0, 4.0, 4.0};
    double A[27 * 46], AD[27 * 46];
    for (size_t r = 0; r < 27; r++)
        assert_int_equal(socind_design_replicate_column(d, r, A + r * 46, NULL), SOCIND_OK);
    for (int way = 0; way < 2; way++) {
        /* by costs; the Schur complements wherever they would be taken */
        socind__rep_degf_form_qr = way ? 2 : 0;
        socind_estimate e[4], ep[4];
        assert_int_equal(socind_quantile(d, y, 0.5, g, 4, NULL, e), SOCIND_OK);
        assert_int_equal(socind_proportion(d, x, g, 4, NULL, ep), SOCIND_OK);
        socind__rep_degf_form_qr = 0;
        for (int32_t j = 0; j < 4; j++) {
            size_t nd = 0;
            for (size_t k = 0; k < 46; k++) nd += g[k] == j && w[k] > 0.0;
            for (size_t r = 0; r < 27; r++) {
                size_t i = 0;
                for (size_t k = 0; k < 46; k++)
                    if (g[k] == j && w[k] > 0.0) AD[r * nd + i++] = A[r * 46 + k];
            }
            assert_true(degf_by_definition(nd, 27, AD) == expected[j]);
            assert_true(e[j].df == expected[j]);
            assert_true(ep[j].df == expected[j]);
        }
    }
    socind_design_free(d), socind_design_free(base);
}

/* A one-stratum jackknife given as factors of 0 and 1e307 or 1e308 on 5
 * PSUs of 16 rows of weight 1: the domains of PSUs 0-2 (less two rows),
 * 3-4 and those two rows have ranks 3, 2 and 1 (survey 4.5's
 * degf(rd[domain, ]) 2, 1, 0 at 1e307; at 1e308 its qr overflows and gives
 * 4, 4, 1, more than the PSUs allow). A domain's factors times √s (up to
 * √16 here) overflowed on 1e308 and the rank read 1 (df 0). */
static void test_degf_domain_huge_factors(void **state) {
    (void)state;
    enum { P = 5, ROWS = 16, N = P * ROWS };
    double w[N], y[N], *F = malloc(P * N * sizeof *F);
    int64_t psu[N];
    int32_t g[N];
    for (size_t k = 0; k < N; k++) {
        w[k] = 1.0, y[k] = (double)k, psu[k] = (int64_t)(k / ROWS);
        g[k] = k < 2 ? 2 : psu[k] < 3 ? 0 : 1;
    }
    const double big[2] = {1e307, 1e308};
    for (int b = 0; b < 2; b++) {
        for (size_t r = 0; r < P; r++)
            for (size_t k = 0; k < N; k++) F[r * N + k] = (size_t)psu[k] == r ? 0.0 : big[b];
        socind_design *base = NULL, *d = NULL;
        assert_int_equal(socind_design_new(N, w, NULL, psu, NULL, NULL, &base), SOCIND_OK);
        assert_int_equal(
            socind_design_replicate_new(base, P, F, SOCIND_REP_FACTORS, NULL, NULL, &d), SOCIND_OK);
        socind_estimate e[3];
        (void)socind_quantile(d, y, 0.5, g, 3, NULL, e);
        assert_true(e[0].df == 2.0);
        assert_true(e[1].df == 1.0);
        assert_true(e[2].df == 0.0);
        socind_design_free(d), socind_design_free(base);
    }
    free(F);
}

/* The same with a sixth column equal to the first (the columns then have
 * no form of one exception each: the general computation on the domain's
 * rows): its factors times √s overflowed too, every domain df 0. */
static void test_degf_domain_huge_factors_general(void **state) {
    (void)state;
    enum { P = 5, ROWS = 16, N = P * ROWS, R = P + 1 };
    double w[N], y[N], *F = malloc(R * N * sizeof *F);
    int64_t psu[N];
    int32_t g[N];
    for (size_t k = 0; k < N; k++) {
        w[k] = 1.0, y[k] = (double)k, psu[k] = (int64_t)(k / ROWS);
        g[k] = k < 2 ? 2 : psu[k] < 3 ? 0 : 1;
    }
    const double big[2] = {1e307, 1e308};
    for (int b = 0; b < 2; b++) {
        for (size_t r = 0; r < R; r++)
            for (size_t k = 0; k < N; k++)
                F[r * N + k] = (size_t)psu[k] == (r < P ? r : 0) ? 0.0 : big[b];
        socind_design *base = NULL, *d = NULL;
        assert_int_equal(socind_design_new(N, w, NULL, psu, NULL, NULL, &base), SOCIND_OK);
        assert_int_equal(
            socind_design_replicate_new(base, R, F, SOCIND_REP_FACTORS, NULL, NULL, &d), SOCIND_OK);
        socind_estimate e[3];
        (void)socind_quantile(d, y, 0.5, g, 3, NULL, e);
        assert_true(e[0].df == 2.0);
        assert_true(e[1].df == 1.0);
        assert_true(e[2].df == 0.0);
        socind_design_free(d), socind_design_free(base);
    }
    free(F);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_section_c),
        cmocka_unit_test(test_made_equal_files),
        cmocka_unit_test(test_bootstrap_properties),
        cmocka_unit_test(test_loop_by_hand),
        cmocka_unit_test(test_far_from_one),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_nan_replicates),
        cmocka_unit_test(test_degf_reference),
        cmocka_unit_test(test_degf_reference_rows),
        cmocka_unit_test(test_degf_designs),
        cmocka_unit_test(test_degf_on_weights),
        cmocka_unit_test(test_degf_large_jackknife),
        cmocka_unit_test(test_degf_one_dominant_psu),
        cmocka_unit_test(test_degf_far_weights),
        cmocka_unit_test(test_degf_random_jackknives),
        cmocka_unit_test(test_degf_domains),
        cmocka_unit_test(test_degf_domain_alike_columns),
        cmocka_unit_test(test_degf_domain_schur_pivot),
        cmocka_unit_test(test_degf_domain_huge_factors),
        cmocka_unit_test(test_degf_domain_huge_factors_general),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
