/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz_estimators.c — the public estimators on arbitrary arrays
 * and options decoded from the fuzzer's bytes.
 *
 * The bytes build a design (up to 64 rows: weights, strata, PSUs, fpc, the
 * lonely-PSU policy, nest), the data columns, a group column and the
 * estimation options; then each further byte picks an estimator (totals,
 * means, ratios, proportions, the variance engine, FGT with each line type,
 * the number of poor, the gap, the shortfall, Watts, the line, both
 * decompositions, the profile, Gini, GE, Atkinson, quantiles, share ratios,
 * Lorenz, GE's decomposition, growth z-scores, both prevalence tables, the
 * quality summary, socind_critical_value, socind_difference,
 * socind_ppp_line, and the small helpers) and its parameters.
 *
 * The contract checked (include/socind/common.h, design.h):
 *  - nothing crashes, reads or writes out of bounds, leaks or hits undefined
 *    behaviour (ASan + UBSan + LSan);
 *  - GSL's error handler is never reached (the harness installs one that
 *    aborts with GSL's message);
 *  - every status is a defined code; a failing call leaves its estimates
 *    NaN with n = 0 and a status that is not SOCIND_OK, and its handle NULL;
 *    no output byte is left as the call found it (outputs are poisoned
 *    first);
 *  - an estimate whose status is SOCIND_OK has a finite value, se (>= 0),
 *    ci_low <= ci_high, and a finite weight_sum;
 *  - socind_last_error_row() is −1 after a success and a row of the
 *    caller's arrays (or −1) after a failure; the detail is never NULL;
 *  - growth flags are 1, 0 or −1, and −1 exactly where the z-score is NaN;
 *    z-scores are NaN or finite. */
#include "fuzz.h"
#include "fuzz_checks.h"

#include <gsl/gsl_errno.h>

#include "socind/socind.h"

#define MAX_ROWS 64
#define MAX_GROUPS 6

static void gsl_handler_aborts(const char *reason, const char *file, int line, int gsl_errno) {
    fz_fail("GSL's error handler was reached: %s (%s:%d, gsl_errno %d)", reason, file, line,
            gsl_errno);
}

typedef struct ctx {
    fz_in in;
    size_t n;
    double *w, *y, *x2, *prop, *lines, *fpc;
    int64_t *strata, *psu;
    int32_t *group;
    int32_t n_groups;
    socind_design *d;
    /* the options, with room behind them for a later version's larger
       struct (a size up to 4096 makes the library read that far) */
    union {
        socind_options opts;
        unsigned char opts_room[4096];
    };
    const socind_options *popts;
} ctx;

/* ------------------------------------------------------------ checks */

static void check_call(const char *fn, int32_t st, size_t nrows) {
    FZ_CHECK(st >= 0 && st < SOCIND_STATUS_COUNT, "%s returned status %d", fn, (int)st);
    FZ_CHECK(socind_strerror(st) != NULL, "socind_strerror(%d) is NULL", (int)st);
    const char *detail = socind_last_error_detail();
    FZ_CHECK(detail != NULL, "%s: socind_last_error_detail() is NULL", fn);
    FZ_CHECK(strlen(detail) < 4096, "%s: detail message of %zu bytes", fn, strlen(detail));
    int64_t row = socind_last_error_row();
    if (st == SOCIND_OK)
        FZ_CHECK(row == -1, "%s succeeded but socind_last_error_row() is %lld (detail \"%s\")", fn,
                 (long long)row, detail);
    else
        FZ_CHECK(row >= -1 && row < (int64_t)nrows,
                 "%s failed (%d) naming row %lld, outside the caller's %zu rows (detail \"%s\")",
                 fn, (int)st, (long long)row, nrows, detail);
}

/* ------------------------------------------------------------ decoding */

static double *doubles(size_t n) {
    double *p = malloc((n ? n : 1) * sizeof *p);
    if (!p) abort();
    return p;
}

static void *poisoned(size_t count, size_t size) {
    void *p = malloc((count ? count : 1) * size);
    if (!p) abort();
    memset(p, FZ_POISON, (count ? count : 1) * size);
    return p;
}

static double weight(fz_in *in) {
    uint8_t b = fz_byte(in);
    if (b < 192) return (b % 48 + 1) * 0.5;
    if (b < 216) return 0.0;
    return fz_double(in);
}

static int64_t id(fz_in *in, int mode) {
    switch (mode) {
    case 1:
        return fz_byte(in) % 3;
    case 2:
        return fz_byte(in) % 8;
    default:
        return (int64_t)fz_u64(in);
    }
}

static void decode_options(ctx *c) {
    uint8_t m = fz_byte(&c->in);
    c->popts = NULL;
    if (m < 96) return;
    socind_options_init(&c->opts);
    c->popts = &c->opts;
    static const double levels[] = {0.95, 0.9, 0.99, 0.5, 0.8};
    uint8_t l = fz_byte(&c->in);
    c->opts.level = l < 200 ? levels[l % 5] : fz_double(&c->in);
    c->opts.ci_dist = fz_code(&c->in, 0, 1);
    c->opts.prop_ci = fz_code(&c->in, 0, SOCIND_PROP_CI_COUNT - 1);
    c->opts.domain_rule = fz_code(&c->in, 0, 2);
    if (m == 255) {
        c->opts.size = (size_t)fz_u32(&c->in);
        /* a later version's field, set or not (refused when set) */
        size_t at = sizeof c->opts + fz_byte(&c->in);
        c->opts_room[at] = fz_byte(&c->in) & 1;
    }
}

static void decode_line(ctx *c, socind_poverty_line *L) {
    socind_poverty_line_init(L);
    uint8_t t = fz_byte(&c->in);
    L->type = (t & 7) < 4 ? (t & 7) : (t & 7) == 4 ? (int32_t)fz_u32(&c->in) : (t & 3);
    L->inclusive = fz_code(&c->in, 0, 1);
    if (L->type == SOCIND_LINE_RELATIVE_QUANTILE || L->type == SOCIND_LINE_RELATIVE_MEAN)
        L->value = fz_prob(&c->in);
    else
        L->value = fz_double(&c->in);
    if (t & 0x10) L->quantile = fz_prob(&c->in);
    L->lines = (t & 0x20) ? NULL : c->lines;
    if (t == 0xff) { /* too small, or above 4096: the struct has no room behind it */
        size_t s = (size_t)fz_u32(&c->in);
        L->size = s <= sizeof *L || s > 4096 ? s : 4097;
    }
}

static double alpha(fz_in *in) {
    static const double usual[] = {0, 1, 2, 0.5, 3, 1.5};
    uint8_t b = fz_byte(in);
    return b < 200 ? usual[b % 6] : fz_double(in);
}

/* the group column for one call: NULL or the shared one */
static const int32_t *use_group(ctx *c, int required) {
    uint8_t b = fz_byte(&c->in);
    if (!required && b < 100) return NULL;
    return c->group;
}

static size_t nout(const ctx *c, const int32_t *group) {
    return group ? (c->n_groups > 0 ? (size_t)c->n_groups : 0) : 1;
}

/* ------------------------------------------------------------ estimators */

static void run_estimates(ctx *c, const char *name, const int32_t *g, size_t per_group,
                          int32_t (*call)(ctx *, const int32_t *, socind_estimate *)) {
    size_t count = nout(c, g) * per_group;
    socind_estimate *out = poisoned(count ? count : per_group, sizeof *out);
    int32_t st = call(c, g, out);
    check_call(name, st, c->n);
    fz_check_estimates(name, st, out, count, (int64_t)c->n);
    free(out);
}

/* each estimator reads its parameters from the bytes */
static int32_t op_total(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_total(c->d, c->y, g, c->n_groups, c->popts, o);
}
static int32_t op_mean(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_mean(c->d, c->y, g, c->n_groups, c->popts, o);
}
static int32_t op_ratio(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_ratio(c->d, c->y, c->x2, g, c->n_groups, c->popts, o);
}
static int32_t op_proportion(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_proportion(c->d, c->prop, g, c->n_groups, c->popts, o);
}
static int32_t op_fgt(ctx *c, const int32_t *g, socind_estimate *o) {
    socind_poverty_line L;
    decode_line(c, &L);
    return socind_fgt(c->d, c->y, &L, alpha(&c->in), g, c->n_groups, c->popts, o);
}
static int32_t op_poor(ctx *c, const int32_t *g, socind_estimate *o) {
    socind_poverty_line L;
    decode_line(c, &L);
    return socind_poor_count(c->d, c->y, &L, g, c->n_groups, c->popts, o);
}
static int32_t op_gap(ctx *c, const int32_t *g, socind_estimate *o) {
    socind_poverty_line L;
    decode_line(c, &L);
    return socind_poverty_gap_total(c->d, c->y, &L, g, c->n_groups, c->popts, o);
}
static int32_t op_shortfall(ctx *c, const int32_t *g, socind_estimate *o) {
    socind_poverty_line L;
    decode_line(c, &L);
    return socind_mean_shortfall(c->d, c->y, &L, g, c->n_groups, c->popts, o);
}
static int32_t op_watts(ctx *c, const int32_t *g, socind_estimate *o) {
    socind_poverty_line L;
    decode_line(c, &L);
    return socind_watts(c->d, c->y, &L, fz_code(&c->in, 0, 1), g, c->n_groups, c->popts, o);
}
static int32_t op_fgtdec(ctx *c, const int32_t *g, socind_estimate *o) {
    socind_poverty_line L;
    decode_line(c, &L);
    return socind_fgt_decomposition(c->d, c->y, &L, alpha(&c->in), g, c->n_groups, c->popts, o);
}
static int32_t op_wattsdec(ctx *c, const int32_t *g, socind_estimate *o) {
    socind_poverty_line L;
    decode_line(c, &L);
    return socind_watts_decomposition(c->d, c->y, &L, fz_code(&c->in, 0, 1), g, c->n_groups,
                                      c->popts, o);
}
static int32_t op_sen(ctx *c, const int32_t *g, socind_estimate *o) {
    socind_poverty_line L;
    decode_line(c, &L);
    return socind_sen(c->d, c->y, &L, g, c->n_groups, c->popts, o);
}
static int32_t op_sst(ctx *c, const int32_t *g, socind_estimate *o) {
    socind_poverty_line L;
    decode_line(c, &L);
    return socind_sst(c->d, c->y, &L, g, c->n_groups, c->popts, o);
}
static int32_t op_gini(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_gini(c->d, c->y, g, c->n_groups, c->popts, o);
}
static int32_t op_ge(ctx *c, const int32_t *g, socind_estimate *o) {
    double theta = alpha(&c->in) - (fz_byte(&c->in) & 1);
    return socind_ge(c->d, c->y, theta, fz_code(&c->in, 0, 1), g, c->n_groups, c->popts, o);
}
static int32_t op_atkinson(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_atkinson(c->d, c->y, alpha(&c->in), fz_code(&c->in, 0, 1), g, c->n_groups,
                           c->popts, o);
}
static int32_t op_quantile(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_quantile(c->d, c->y, fz_prob(&c->in), g, c->n_groups, c->popts, o);
}
static int32_t op_share_ratio(ctx *c, const int32_t *g, socind_estimate *o) {
    double a1 = fz_prob(&c->in), a2 = fz_prob(&c->in);
    return socind_share_ratio(c->d, c->y, a1, a2, g, c->n_groups, c->popts, o);
}
static int32_t op_lorenz(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_lorenz(c->d, c->y, fz_prob(&c->in), g, c->n_groups, c->popts, o);
}
/* convey's quantile-based measures; the RMIR reads x2 as the ages */
static int32_t op_iqalpha(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_quantile_linearized(c->d, c->y, fz_prob(&c->in), g, c->n_groups, c->popts, o);
}
static int32_t op_isq(ctx *c, const int32_t *g, socind_estimate *o) {
    double a = fz_prob(&c->in);
    int32_t upper = fz_code(&c->in, -1, 2);
    return socind_quantile_income_total(c->d, c->y, a, upper, g, c->n_groups, c->popts, o);
}
static int32_t op_rmir(ctx *c, const int32_t *g, socind_estimate *o) {
    double lim = fz_byte(&c->in) < 200 ? 65.0 : fz_double(&c->in);
    return socind_median_income_ratio(c->d, c->y, c->x2, lim, g, c->n_groups, c->popts, o);
}
static int32_t op_poormed(ctx *c, const int32_t *g, socind_estimate *o) {
    double f = fz_byte(&c->in) < 200 ? 0.6 : fz_double(&c->in), q = fz_prob(&c->in);
    return socind_poor_median(c->d, c->y, f, q, g, c->n_groups, c->popts, o);
}
static int32_t op_rmpg(ctx *c, const int32_t *g, socind_estimate *o) {
    double f = fz_byte(&c->in) < 200 ? 0.6 : fz_double(&c->in), q = fz_prob(&c->in);
    return socind_relative_median_gap(c->d, c->y, f, q, g, c->n_groups, c->popts, o);
}
static void op_convey_quantile(ctx *c) {
    const int32_t *g = use_group(c, 0);
    switch (fz_byte(&c->in) % 5) {
    case 0:
        run_estimates(c, "socind_quantile_linearized", g, 1, op_iqalpha);
        break;
    case 1:
        run_estimates(c, "socind_quantile_income_total", g, 1, op_isq);
        break;
    case 2:
        run_estimates(c, "socind_median_income_ratio", g, SOCIND_RMIR_COUNT, op_rmir);
        break;
    case 3:
        run_estimates(c, "socind_poor_median", g, 1, op_poormed);
        break;
    default:
        run_estimates(c, "socind_relative_median_gap", g, 1, op_rmpg);
        break;
    }
}
static int32_t op_gedec(ctx *c, const int32_t *g, socind_estimate *o) {
    double theta = alpha(&c->in) - (fz_byte(&c->in) & 1);
    return socind_ge_decomposition(c->d, c->y, theta, fz_code(&c->in, 0, 1), g, c->n_groups,
                                   c->popts, o);
}
static int32_t op_jdiv(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_jdiv(c->d, c->y, fz_code(&c->in, 0, 1), g, c->n_groups, c->popts, o);
}
static int32_t op_zenga(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_zenga(c->d, c->y, fz_code(&c->in, 0, 1), g, c->n_groups, c->popts, o);
}
static int32_t op_jdivdec(ctx *c, const int32_t *g, socind_estimate *o) {
    return socind_jdiv_decomposition(c->d, c->y, fz_code(&c->in, 0, 1), g, c->n_groups, c->popts,
                                     o);
}

static int32_t op_richness(ctx *c, const int32_t *g, socind_estimate *o) {
    socind_poverty_line L;
    decode_line(c, &L);
    /* a type 0..2 mostly (else any), g around convey's ranges or any */
    uint8_t t = fz_byte(&c->in);
    int32_t type = t < 240 ? t % 3 : (int32_t)fz_u32(&c->in);
    static const double gs[] = {0, 0.5, 1, 1.5, 2, 3, -1, 1e-300, 400};
    uint8_t b = fz_byte(&c->in);
    double gg = b < 200 ? gs[b % 9] : fz_double(&c->in);
    return socind_richness(c->d, c->y, &L, type, gg, g, c->n_groups, c->popts, o);
}
static int32_t op_gender_pay_gap(ctx *c, const int32_t *g, socind_estimate *o) {
    /* sex codes 1, 2, −1 mostly, sometimes any */
    int32_t *sex = malloc((c->n ? c->n : 1) * sizeof *sex);
    if (!sex) abort();
    static const int32_t codes[3] = {1, 2, -1};
    for (size_t i = 0; i < c->n; i++) {
        uint8_t b = fz_byte(&c->in);
        sex[i] = b < 250 ? codes[b % 3] : (int32_t)fz_u32(&c->in);
    }
    int32_t st = socind_gender_pay_gap(c->d, c->y, sex, g, c->n_groups, c->popts, o);
    free(sex);
    return st;
}

static void op_variance(ctx *c) {
    const int32_t *g = use_group(c, 0);
    size_t count = nout(c, g);
    double *var = poisoned(count, sizeof *var);
    int32_t st = socind_variance(c->d, c->y, g, c->n_groups, var);
    check_call("socind_variance", st, c->n);
    for (size_t i = 0; i < count; i++) {
        FZ_CHECK(!fz_is_poison(&var[i], sizeof var[i]), "socind_variance: var[%zu] left unset", i);
        if (st != SOCIND_OK)
            FZ_CHECK(isnan(var[i]), "socind_variance failed (%d) but var[%zu] = %g", (int)st, i,
                     var[i]);
        else
            FZ_CHECK(isfinite(var[i]) && !(var[i] < 0), "socind_variance: OK but var[%zu] = %g", i,
                     var[i]);
    }
    free(var);
}

static void op_line_estimate(ctx *c) {
    socind_poverty_line L;
    decode_line(c, &L);
    socind_estimate *o = poisoned(1, sizeof *o);
    int32_t st = socind_poverty_line_estimate(c->d, c->y, &L, c->popts, o);
    check_call("socind_poverty_line_estimate", st, c->n);
    fz_check_estimates("socind_poverty_line_estimate", st, o, 1, (int64_t)c->n);
    free(o);
}

static void op_profile(ctx *c) {
    socind_poverty_line L;
    decode_line(c, &L);
    double a = alpha(&c->in);
    const int32_t *g = (fz_byte(&c->in) == 0) ? NULL : c->group;
    /* out holds COUNT·n_groups estimates (the header), group or not */
    size_t count = SOCIND_PROFILE_COUNT * (c->n_groups > 0 ? (size_t)c->n_groups : 1);
    socind_estimate *o = poisoned(count, sizeof *o);
    int32_t st = socind_poverty_profile(c->d, c->y, &L, a, g, c->n_groups, c->popts, o);
    check_call("socind_poverty_profile", st, c->n);
    fz_check_estimates("socind_poverty_profile", st, o, count, (int64_t)c->n);
    free(o);
}

/* ------------------------------------------------------------ growth */

static int32_t sex_code(fz_in *in) {
    uint8_t b = fz_byte(in);
    return b < 110 ? 1 : b < 220 ? 2 : b < 240 ? -1 : (int32_t)(b - 243);
}

static int32_t measure_code(fz_in *in) {
    uint8_t b = fz_byte(in);
    return b < 100 ? 1 : b < 200 ? 2 : b < 240 ? -1 : (int32_t)(b - 243);
}

static int32_t oedema_code(fz_in *in) {
    uint8_t b = fz_byte(in);
    return b < 200 ? 0 : b < 230 ? 1 : b < 245 ? -1 : (int32_t)(b - 248);
}

typedef struct children {
    int32_t *sex, *measure, *oedema;
    double *age, *weight, *lenhei, *headc, *armc, *triskin, *subskin;
} children;

static void children_decode(ctx *c, children *k, int months) {
    size_t n = c->n;
    k->sex = malloc((n ? n : 1) * sizeof *k->sex);
    k->measure = malloc((n ? n : 1) * sizeof *k->measure);
    k->oedema = malloc((n ? n : 1) * sizeof *k->oedema);
    if (!k->sex || !k->measure || !k->oedema) abort();
    double **cols[] = {&k->age,  &k->weight,  &k->lenhei, &k->headc,
                       &k->armc, &k->triskin, &k->subskin};
    for (size_t j = 0; j < 7; j++) *cols[j] = doubles(n);
    for (size_t i = 0; i < n; i++) {
        k->sex[i] = sex_code(&c->in);
        k->measure[i] = measure_code(&c->in);
        k->oedema[i] = oedema_code(&c->in);
        k->age[i] = months ? fz_range(&c->in, 0, 240) : fz_range(&c->in, 0, 1900);
        k->weight[i] = fz_range(&c->in, 1, 70);
        k->lenhei[i] = fz_range(&c->in, 40, 190);
        k->headc[i] = fz_range(&c->in, 30, 55);
        k->armc[i] = fz_range(&c->in, 8, 22);
        k->triskin[i] = fz_range(&c->in, 3, 25);
        k->subskin[i] = fz_range(&c->in, 3, 25);
    }
}

static void children_free(children *k) {
    free(k->sex), free(k->measure), free(k->oedema), free(k->age), free(k->weight);
    free(k->lenhei), free(k->headc), free(k->armc), free(k->triskin), free(k->subskin);
}

static void growth_input(ctx *c, const children *k, socind_growth_input *in) {
    socind_growth_input_init(in);
    uint8_t mask = fz_byte(&c->in);
    in->sex = k->sex;
    in->age = (mask & 1) ? NULL : k->age;
    in->weight = (mask & 2) ? NULL : k->weight;
    in->lenhei = (mask & 4) ? NULL : k->lenhei;
    in->measure = (mask & 8) ? NULL : k->measure;
    in->oedema = (mask & 16) ? NULL : k->oedema;
    in->headc = (mask & 32) ? NULL : k->headc;
    in->armc = (mask & 64) ? NULL : k->armc;
    in->triskin = (mask & 128) ? NULL : k->triskin;
    in->subskin = (mask & 128) ? NULL : k->subskin;
    uint8_t m = fz_byte(&c->in);
    in->age_in_months = m < 200 ? 0 : m < 250 ? 1 : (int32_t)(m - 248);
    if (m == 255) { /* too small, or above 4096 (the struct has no room behind it) */
        size_t s = fz_byte(&c->in);
        in->size = s <= sizeof *in ? s : 4097 + s;
    }
}

static void check_z(const char *fn, size_t i, const char *what, double z, int32_t flag) {
    FZ_CHECK(!fz_is_poison(&z, sizeof z) && !fz_is_poison(&flag, sizeof flag),
             "%s: row %zu: %s left unset", fn, i, what);
    FZ_CHECK(isnan(z) || isfinite(z), "%s: row %zu: %s = %g", fn, i, what, z);
    FZ_CHECK(flag == -1 || flag == 0 || flag == 1, "%s: row %zu: flag of %s is %d", fn, i, what,
             (int)flag);
    FZ_CHECK((flag == -1) == (isnan(z) != 0), "%s: row %zu: %s = %g with flag %d", fn, i, what, z,
             (int)flag);
}

static void op_growth2006(ctx *c) {
    children k;
    children_decode(c, &k, 0);
    socind_growth_input in;
    growth_input(c, &k, &in);
    size_t n = c->n;
    socind_growth_output out;
    socind_growth_output_init(&out);
    double *zs[8];
    int32_t *fs[8];
    for (int j = 0; j < 8; j++) zs[j] = poisoned(n, sizeof(double)), fs[j] = poisoned(n, 4);
    out.clenhei = poisoned(n, sizeof(double));
    out.cbmi = poisoned(n, sizeof(double));
    out.cmeasure = poisoned(n, 4);
    out.c9mo_flag = poisoned(n, 4);
    out.reason = poisoned(n, 4);
    out.zlen = zs[0], out.zwei = zs[1], out.zwfl = zs[2], out.zbmi = zs[3];
    out.zhc = zs[4], out.zac = zs[5], out.zts = zs[6], out.zss = zs[7];
    out.flen = fs[0], out.fwei = fs[1], out.fwfl = fs[2], out.fbmi = fs[3];
    out.fhc = fs[4], out.fac = fs[5], out.fts = fs[6], out.fss = fs[7];
    uint8_t r = fz_byte(&c->in);
    int32_t rounding = r < 120 ? SOCIND_ROUND_WHO : r < 250 ? SOCIND_ROUND_NONE : r - 250 + 2;
    if (r == 255) out.size = 0;
    int32_t st = socind_growth_who2006(n, &in, rounding, &out);
    check_call("socind_growth_who2006", st, n);
    if (st == SOCIND_OK) {
        static const char *names[8] = {"zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss"};
        for (size_t i = 0; i < n; i++) {
            for (int j = 0; j < 8; j++)
                check_z("socind_growth_who2006", i, names[j], zs[j][i], fs[j][i]);
            FZ_CHECK(!fz_is_poison(&out.clenhei[i], 8) && !fz_is_poison(&out.cbmi[i], 8) &&
                         !fz_is_poison(&out.cmeasure[i], 4) &&
                         !fz_is_poison(&out.c9mo_flag[i], 4) && !fz_is_poison(&out.reason[i], 4),
                     "socind_growth_who2006: row %zu: an output left unset", i);
            FZ_CHECK(out.cmeasure[i] == 1 || out.cmeasure[i] == 2 || out.cmeasure[i] == -1,
                     "socind_growth_who2006: row %zu: cmeasure %d", i, (int)out.cmeasure[i]);
            FZ_CHECK(out.c9mo_flag[i] == 0 || out.c9mo_flag[i] == 1,
                     "socind_growth_who2006: row %zu: c9mo_flag %d", i, (int)out.c9mo_flag[i]);
            FZ_CHECK((out.reason[i] & ~((SOCIND_GROWTH_ZERO_VALUE << 1) - 1)) == 0,
                     "socind_growth_who2006: row %zu: reason %#x", i, (unsigned)out.reason[i]);
        }
    }
    for (int j = 0; j < 8; j++) free(zs[j]), free(fs[j]);
    free(out.clenhei), free(out.cbmi), free(out.cmeasure), free(out.c9mo_flag), free(out.reason);
    children_free(&k);
}

static void op_growth_child(ctx *c) {
    fz_in *in = &c->in;
    socind_growth_child_input ch;
    socind_growth_child_input_init(&ch);
    ch.sex = sex_code(in);
    ch.age = fz_range(in, 0, 1900), ch.weight = fz_range(in, 1, 30);
    ch.lenhei = fz_range(in, 40, 125);
    ch.measure = measure_code(in), ch.oedema = oedema_code(in);
    ch.headc = fz_range(in, 30, 55), ch.armc = fz_range(in, 8, 22);
    ch.triskin = fz_range(in, 3, 25), ch.subskin = fz_range(in, 3, 25);
    int32_t rounding = fz_code(in, 0, 1);
    socind_growth_child_output out;
    memset(&out, FZ_POISON, sizeof out);
    out.size = sizeof out;
    int32_t st = socind_growth_who2006_child(&ch, rounding, &out);
    check_call("socind_growth_who2006_child", st, 0);
    char what[400];
    snprintf(what, sizeof what,
             "(sex %d, age %.17g d, weight %.17g kg, lenhei %.17g cm, measure %d, oedema %d, "
             "headc %.17g, armc %.17g, triskin %.17g, subskin %.17g, rounding %d)",
             (int)ch.sex, ch.age, ch.weight, ch.lenhei, (int)ch.measure, (int)ch.oedema, ch.headc,
             ch.armc, ch.triskin, ch.subskin, (int)rounding);
    FZ_CHECK(!fz_is_poison(&out.reason, 4) && !fz_is_poison(&out.cmeasure, 4) &&
                 !fz_is_poison(&out.c9mo_flag, 4) && !fz_is_poison(&out.reserved, 4) &&
                 !fz_is_poison(&out.clenhei, 8) && !fz_is_poison(&out.cbmi, 8),
             "socind_growth_who2006_child: an output of %s left unset", what);
    FZ_CHECK(!isinf(out.clenhei) && !isinf(out.cbmi) && out.reserved == 0 &&
                 (out.cmeasure == 1 || out.cmeasure == 2 || out.cmeasure == -1),
             "socind_growth_who2006_child %s: clenhei %g, cbmi %g, cmeasure %d", what, out.clenhei,
             out.cbmi, (int)out.cmeasure);
    for (int j = 0; j < SOCIND_Z_COUNT; j++) {
        char zw[440];
        snprintf(zw, sizeof zw, "z[%d] of %s", j, what);
        check_z("socind_growth_who2006_child", 0, zw, out.z[j], out.flag[j]);
    }
}

static void op_growth2007(ctx *c) {
    children k;
    children_decode(c, &k, 1);
    size_t n = c->n;
    double *cbmi = poisoned(n, 8), *zh = poisoned(n, 8), *zw = poisoned(n, 8), *zb = poisoned(n, 8);
    int32_t *fh = poisoned(n, 4), *fw = poisoned(n, 4), *fb = poisoned(n, 4), *re = poisoned(n, 4);
    uint8_t mask = fz_byte(&c->in);
    int32_t rounding = fz_code(&c->in, 0, 1);
    socind_growth2007_input in;
    socind_growth2007_output out;
    socind_growth2007_input_init(&in);
    socind_growth2007_output_init(&out);
    in.sex = k.sex, in.age_months = (mask & 1) ? NULL : k.age;
    in.height_cm = (mask & 2) ? NULL : k.lenhei, in.weight_kg = (mask & 4) ? NULL : k.weight;
    in.oedema = (mask & 8) ? NULL : k.oedema;
    out.cbmi = cbmi, out.zhfa = zh, out.zwfa = zw, out.zbfa = zb;
    out.fhfa = fh, out.fwfa = fw, out.fbfa = fb, out.reason = re;
    int32_t st = socind_growth_who2007(n, &in, rounding, &out);
    check_call("socind_growth_who2007", st, n);
    if (st == SOCIND_OK)
        for (size_t i = 0; i < n; i++) {
            check_z("socind_growth_who2007", i, "zhfa", zh[i], fh[i]);
            check_z("socind_growth_who2007", i, "zwfa", zw[i], fw[i]);
            check_z("socind_growth_who2007", i, "zbfa", zb[i], fb[i]);
            FZ_CHECK(!fz_is_poison(&cbmi[i], 8) && !fz_is_poison(&re[i], 4),
                     "socind_growth_who2007: row %zu: an output left unset", i);
        }
    free(cbmi), free(zh), free(zw), free(zb), free(fh), free(fw), free(fb), free(re);
    children_free(&k);
}

static void check_table(const char *fn, int32_t st, socind_prevalence_table *t, size_t n) {
    check_call(fn, st, n);
    if (st != SOCIND_OK) {
        FZ_CHECK(t == NULL, "%s failed (%d) but returned a table", fn, (int)st);
        return;
    }
    FZ_CHECK(t != NULL, "%s succeeded without a table", fn);
    size_t rows = socind_prevalence_table_nrows(t);
    for (size_t i = 0; i <= rows; i++) {
        socind_prevalence_row r;
        memset(&r, FZ_POISON, sizeof r);
        r.size = sizeof r;
        int32_t rs = socind_prevalence_table_row(t, i, &r);
        check_call("socind_prevalence_table_row", rs, 0);
        if (i == rows) {
            FZ_CHECK(rs == SOCIND_ERR_ARG, "%s: row %zu of %zu gives %d", fn, i, rows, (int)rs);
            break;
        }
        FZ_CHECK(rs == SOCIND_OK, "%s: row %zu of %zu gives %d", fn, i, rows, (int)rs);
        FZ_CHECK(r.group_kind >= 0 && r.group_kind <= 7 && r.indicator >= 0 &&
                     r.indicator < SOCIND_NUT_INDICATOR_COUNT && r.statistic >= 0 &&
                     r.statistic < SOCIND_NUT_STATISTIC_COUNT,
                 "%s: row %zu: kind %d, indicator %d, statistic %d", fn, i, (int)r.group_kind,
                 (int)r.indicator, (int)r.statistic);
        fz_check_estimates(fn, SOCIND_OK, &r.est, 1, (int64_t)n);
        FZ_CHECK(isnan(r.stdev) || (isfinite(r.stdev) && r.stdev >= 0), "%s: row %zu: stdev %g", fn,
                 i, r.stdev);
        /* NaN: a row anthroplus reports as missing (weight-for-age in All and sex) */
        FZ_CHECK((isnan(r.pop_weighted) || (isfinite(r.pop_weighted) && r.pop_weighted >= 0)) &&
                     r.pop_unweighted >= 0 && r.pop_unweighted <= (int64_t)n && r.flagged >= 0 &&
                     r.flagged <= (int64_t)n,
                 "%s: row %zu (kind %d level %d indicator %d statistic %d, status %d): pop %g, "
                 "unweighted %lld, flagged %lld",
                 fn, i, (int)r.group_kind, (int)r.group_level, (int)r.indicator, (int)r.statistic,
                 (int)r.est.status, r.pop_weighted, (long long)r.pop_unweighted,
                 (long long)r.flagged);
        char label[64];
        size_t need = 0;
        int32_t ls =
            socind_prevalence_group_label(r.group_kind, r.group_level, label, sizeof label, &need);
        check_call("socind_prevalence_group_label", ls, 0);
        FZ_CHECK(ls == SOCIND_OK && memchr(label, 0, sizeof label) && need == strlen(label) + 1,
                 "%s: row %zu: no label for kind %d level %d (%d)", fn, i, (int)r.group_kind,
                 (int)r.group_level, (int)ls);
    }
    socind_prevalence_table_free(t);
}

/* The children's design: weights (one byte each; some NaN, negative or
 * infinite from fz_double, a NaN set to 0 as anthro), strata and clusters
 * by the bits of one byte, clusters nested in strata, the lonely-PSU policy
 * from the byte's high bits. NULL (and the design's failure checked) when
 * socind_design_new refuses it. */
static socind_design *kids_design(ctx *c) {
    uint8_t m = fz_byte(&c->in);
    double *sw = doubles(c->n);
    for (size_t i = 0; i < c->n; i++) {
        sw[i] = (m & 1) ? weight(&c->in) : 1.0;
        if (isnan(sw[i])) sw[i] = 0.0;
    }
    socind_design_options o;
    socind_design_options_init(&o);
    o.nest = 1;
    o.lonely_psu = (int32_t)((m >> 3) % 5);
    socind_design *d = NULL;
    int32_t st = socind_design_new(c->n, sw, (m & 2) ? c->strata : NULL, (m & 4) ? c->psu : NULL,
                                   NULL, &o, &d);
    check_call("socind_design_new (children)", st, c->n);
    FZ_CHECK((st == SOCIND_OK) == (d != NULL), "socind_design_new: status %d, design %p", (int)st,
             (void *)d);
    free(sw);
    return d;
}

static void op_prevalence2006(ctx *c) {
    children k;
    children_decode(c, &k, 0);
    socind_growth_input in;
    growth_input(c, &k, &in);
    socind_design *d = kids_design(c);
    const int32_t *g = use_group(c, 0);
    socind_prevalence_table *t = (socind_prevalence_table *)(uintptr_t)0x1;
    if (d) {
        int32_t st = socind_prevalence_who2006(d, &in, g, c->n_groups, c->popts, &t);
        check_table("socind_prevalence_who2006", st, t, c->n);
    }
    socind_design_free(d);
    children_free(&k);
}

static void op_prevalence2007(ctx *c) {
    children k;
    children_decode(c, &k, 1);
    socind_growth2007_input in;
    socind_growth2007_input_init(&in);
    in.sex = k.sex, in.age_months = k.age, in.height_cm = k.lenhei, in.weight_kg = k.weight;
    in.oedema = k.oedema;
    socind_design *d = kids_design(c);
    const int32_t *g = use_group(c, 0);
    socind_prevalence_table *t = (socind_prevalence_table *)(uintptr_t)0x1;
    if (d) {
        int32_t st = socind_prevalence_who2007(d, &in, g, c->n_groups, c->popts, &t);
        check_table("socind_prevalence_who2007", st, t, c->n);
    }
    socind_design_free(d);
    children_free(&k);
}

static void op_quality(ctx *c) {
    children k;
    children_decode(c, &k, 0);
    socind_growth_input in;
    growth_input(c, &k, &in);
    socind_growth_quality q;
    memset(&q, FZ_POISON, sizeof q);
    q.size = fz_byte(&c->in) == 255 ? 8 : sizeof q; /* poisoned, not _init's: all set? */
    int32_t st = socind_growth_quality_who2006(c->n, &in, &q);
    check_call("socind_growth_quality_who2006", st, c->n);
    if (st == SOCIND_OK) {
        FZ_CHECK(q.n == (int64_t)c->n, "quality: n %lld of %zu", (long long)q.n, c->n);
        for (int j = 0; j < 4; j++)
            FZ_CHECK(q.missing[j] >= 0 && q.missing[j] <= q.n && q.flagged[j] >= 0 &&
                         q.flagged[j] <= q.n &&
                         (isnan(q.sd[j]) || (isfinite(q.sd[j]) && q.sd[j] >= 0)),
                     "quality: indicator %d: missing %lld, flagged %lld, sd %g", j,
                     (long long)q.missing[j], (long long)q.flagged[j], q.sd[j]);
        double h[3] = {q.lenhei_heaping, q.weight_heaping, q.age_heaping};
        for (int j = 0; j < 3; j++)
            FZ_CHECK(isnan(h[j]) || (h[j] >= 0 && h[j] <= 1), "quality: heaping %d is %g", j, h[j]);
    }
    children_free(&k);
}

/* ------------------------------------------------------------ the rest */

static double df_value(fz_in *in) {
    uint8_t b = fz_byte(in);
    double df = b < 100 ? (double)(b % 40) : b < 160 ? pow(10.0, -(b - 100) / 4.0) : fz_double(in);
    return df;
}

static void op_critical(ctx *c) {
    double level = fz_prob(&c->in);
    int32_t dist = fz_code(&c->in, 0, 1);
    double df = df_value(&c->in), q;
    memset(&q, FZ_POISON, sizeof q);
    if (getenv("FUZZ_TRACE"))
        fprintf(stderr, "socind_critical_value(%.17g, %d, %.17g)\n", level, (int)dist, df);
    int32_t st = socind_critical_value(level, dist, df, &q);
    check_call("socind_critical_value", st, 0);
    if (st == SOCIND_OK)
        FZ_CHECK(isfinite(q) && (q > 0 || (q == 0 && level < 1e-15)),
                 "socind_critical_value(%.17g, %d, %.17g) = %g with status OK", level, (int)dist,
                 df, q);
    else
        FZ_CHECK(isnan(q), "socind_critical_value failed (%d) but q = %g", (int)st, q);
    /* a proportion's interval by every method, on any p, se, df and n */
    socind_options po;
    socind_options_init(&po);
    po.ci_dist = dist;
    po.prop_ci = fz_code(&c->in, 0, SOCIND_PROP_CI_COUNT - 1);
    double p = fz_prob(&c->in), se = fz_double(&c->in), lo, hi;
    int64_t rows = (int64_t)fz_byte(&c->in) - 1;
    st = socind_prop_ci(p, se, df, rows, &po, &lo, &hi);
    check_call("socind_prop_ci", st, 0);
    FZ_CHECK(st != SOCIND_OK || (isfinite(lo) && isfinite(hi)),
             "socind_prop_ci(%.17g, %.17g, %.17g, %lld, method %d) = [%g, %g] with status OK", p,
             se, df, (long long)rows, (int)po.prop_ci, lo, hi);
}

static void estimate_decode(fz_in *in, socind_estimate *e) {
    memset(e, 0, sizeof *e);
    e->value = fz_double(in);
    e->se = fz_byte(in) < 200 ? fabs(fz_double(in)) : fz_double(in);
    e->ci_low = e->value - e->se;
    e->ci_high = e->value + e->se;
    e->df = df_value(in);
    e->weight_sum = fz_byte(in) * 100.0; /* passed through: the sum of a's and b's */
    e->n = fz_byte(in) < 250 ? fz_byte(in) : (int64_t)(fz_u64(in) >> 24);
    e->status = fz_byte(in) < 250 ? 0 : (int32_t)fz_byte(in);
}

static void op_difference(ctx *c) {
    socind_estimate a, b, *o = poisoned(1, sizeof *o);
    estimate_decode(&c->in, &a);
    estimate_decode(&c->in, &b);
    uint8_t m = fz_byte(&c->in);
    int32_t st = socind_difference(m == 1 ? NULL : &a, m == 2 ? NULL : &b, c->popts, o);
    check_call("socind_difference", st, 0);
    fz_check_estimates("socind_difference", st, o, 1, INT64_MAX);
    free(o);
}

static void op_ppp(ctx *c) {
    double v[5];
    for (int i = 0; i < 5; i++)
        v[i] = fz_byte(&c->in) < 200 ? fz_range(&c->in, 0.01, 5000) : fz_double(&c->in);
    double line;
    memset(&line, FZ_POISON, sizeof line);
    int32_t st = socind_ppp_line(v[0], v[1], v[2], v[3], v[4], &line);
    check_call("socind_ppp_line", st, 0);
    if (st == SOCIND_OK)
        FZ_CHECK(isfinite(line) && line > 0,
                 "socind_ppp_line(%.17g, %.17g, %.17g, %.17g, %.17g): OK but line %g", v[0], v[1],
                 v[2], v[3], v[4], line);
    else
        FZ_CHECK(isnan(line), "socind_ppp_line failed (%d) but line %g", (int)st, line);
}

static void op_misc(ctx *c) {
    double x = fz_double(&c->in), r = socind_round2(x);
    FZ_CHECK(isnan(x) == isnan(r) && isinf(x) == isinf(r) &&
                 (!(fabs(x) < 1e12) || fabs(r - x) <= 0.0050000001 + 1e-15 * fabs(x)),
             "socind_round2(%.17g) = %.17g", x, r);
    FZ_CHECK(socind_strerror((int32_t)fz_u32(&c->in)) != NULL, "socind_strerror gave NULL");
    char buf[24];
    memset(buf, FZ_POISON, sizeof buf);
    int32_t kind = fz_code(&c->in, 0, 8), level = fz_code(&c->in, -1, 15);
    size_t cap = fz_byte(&c->in) % (sizeof buf + 1);
    size_t need;
    memset(&need, FZ_POISON, sizeof need);
    int32_t st =
        socind_prevalence_group_label(kind, level, (cap % 7 == 6) ? NULL : buf, cap, &need);
    check_call("socind_prevalence_group_label", st, 0);
    if ((st == SOCIND_OK || st == SOCIND_ERR_BUFFER || st == SOCIND_ERR_ARG) && cap > 0 &&
        cap % 7 != 6)
        FZ_CHECK(memchr(buf, 0, cap) != NULL, "group label (%d, %d) not terminated within %zu",
                 (int)kind, (int)level, cap);
    FZ_CHECK(st == SOCIND_ERR_NULL || (st == SOCIND_ERR_ARG) == (need == 0),
             "group label (%d, %d): status %d, needed %zu", (int)kind, (int)level, (int)st, need);
    FZ_CHECK(st != SOCIND_OK || need == strlen(buf) + 1,
             "group label (%d, %d): %zu bytes needed for \"%s\"", (int)kind, (int)level, need, buf);
    FZ_CHECK(st != SOCIND_ERR_BUFFER || (need > cap && need <= 32 && (cap == 0 || !buf[0])),
             "group label (%d, %d): SOCIND_ERR_BUFFER with cap %zu, needed %zu", (int)kind,
             (int)level, cap, need);
    FZ_CHECK(socind_design_nrows(NULL) == 0 && socind_design_npsu(NULL) == 0 &&
                 socind_design_nstrata(NULL) == 0 && isnan(socind_design_df(NULL)),
             "a NULL design's accessors");
    FZ_CHECK(socind_options_init(NULL) == SOCIND_ERR_NULL &&
                 socind_design_options_init(NULL) == SOCIND_ERR_NULL &&
                 socind_poverty_line_init(NULL) == SOCIND_ERR_NULL &&
                 socind_growth_input_init(NULL) == SOCIND_ERR_NULL &&
                 socind_growth_output_init(NULL) == SOCIND_ERR_NULL,
             "an _init function accepts NULL");
    socind_design_free(NULL);
    socind_prevalence_table_free(NULL);
    if (c->d) {
        size_t n = socind_design_nrows(c->d), np = socind_design_npsu(c->d),
               ns = socind_design_nstrata(c->d);
        double df = socind_design_df(c->d);
        FZ_CHECK(n == c->n && np >= 1 && np <= n && ns >= 1 && ns <= np && !(df > (double)np),
                 "design accessors: %zu rows, %zu PSUs, %zu strata, df %g", n, np, ns, df);
    }
}

/* ------------------------------------------------------------ setup */

static void build_design(ctx *c) {
    fz_in *in = &c->in;
    size_t n = c->n;
    for (size_t i = 0; i < n; i++) c->w[i] = weight(in);
    uint8_t m = fz_byte(in);
    int smode = m & 3, pmode = (m >> 2) & 3, fmode = (m >> 4) & 3;
    int64_t *strata = NULL, *psu = NULL;
    double *fpc = NULL;
    if (smode) {
        strata = c->strata;
        for (size_t i = 0; i < n; i++) strata[i] = id(in, smode);
    }
    if (pmode) {
        psu = c->psu;
        for (size_t i = 0; i < n; i++) psu[i] = id(in, pmode);
    }
    if (fmode) {
        fpc = c->fpc;
        double per[8];
        for (int h = 0; h < 8; h++)
            per[h] = fmode == 1 ? (double)(fz_byte(in) % 40) : fz_range(in, 0, 1);
        for (size_t i = 0; i < n; i++)
            fpc[i] = fmode == 3 ? fz_double(in) : per[(strata ? (uint64_t)strata[i] : 0) & 7];
    }
    socind_design_options dopt, *pdopt = NULL;
    uint8_t o = fz_byte(in);
    if (o >= 64) {
        socind_design_options_init(&dopt);
        pdopt = &dopt;
        dopt.lonely_psu = o < 250 ? (o % 5) : (int32_t)o - 252;
        dopt.nest = (o >> 3) & 1;
        if (o == 255) dopt.size = 3;
    }
    socind_design *d = (socind_design *)(uintptr_t)0x1;
    int32_t st = socind_design_new(n, c->w, strata, psu, fpc, pdopt, &d);
    check_call("socind_design_new", st, n);
    if (st != SOCIND_OK) {
        FZ_CHECK(d == NULL, "socind_design_new failed (%d) but gave a design", (int)st);
    } else {
        FZ_CHECK(d != NULL, "socind_design_new succeeded without a design");
    }
    c->d = d;
}

static double data_value(ctx *c) {
    return fz_double(&c->in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int init;
    if (!init) {
        gsl_set_error_handler(gsl_handler_aborts);
        init = 1;
    }
    ctx c;
    memset(&c, 0, sizeof c);
    c.in.p = data;
    c.in.n = size;
    c.n = fz_byte(&c.in) % (MAX_ROWS + 1);
    size_t n = c.n;
    c.w = doubles(n), c.y = doubles(n), c.x2 = doubles(n), c.prop = doubles(n);
    c.lines = doubles(n), c.fpc = doubles(n);
    c.strata = malloc((n ? n : 1) * sizeof *c.strata);
    c.psu = malloc((n ? n : 1) * sizeof *c.psu);
    c.group = malloc((n ? n : 1) * sizeof *c.group);
    if (!c.strata || !c.psu || !c.group) abort();
    build_design(&c);
    for (size_t i = 0; i < n; i++) {
        c.y[i] = data_value(&c);
        c.x2[i] = data_value(&c);
        uint8_t p = fz_byte(&c.in);
        c.prop[i] = p < 100 ? 0.0 : p < 200 ? 1.0 : p < 250 ? NAN : fz_double(&c.in);
        c.lines[i] = data_value(&c);
    }
    uint8_t gb = fz_byte(&c.in);
    c.n_groups = gb < 250 ? 1 + gb % MAX_GROUPS : (int32_t)gb - 251; /* -1..4 */
    for (size_t i = 0; i < n; i++) {
        uint8_t b = fz_byte(&c.in);
        int32_t ng = c.n_groups > 0 ? c.n_groups : 1;
        c.group[i] = b < 240 ? (int32_t)(b % (uint32_t)(ng + 1)) - 1 : (int32_t)b - 245;
    }
    decode_options(&c);
    if (getenv("FUZZ_TRACE")) {
        fprintf(stderr, "%zu rows, design %s, n_groups %d; weight, y, x2, prop, line, group:\n", n,
                c.d ? "built" : "refused", (int)c.n_groups);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "  %.17g %.17g %.17g %g %.17g %d\n", c.w[i], c.y[i], c.x2[i], c.prop[i],
                    c.lines[i], (int)c.group[i]);
    }

    for (int ops = 0; ops < 24 && c.in.n > 0; ops++) {
        uint8_t op = fz_byte(&c.in);
        switch (op % 39) {
        case 0:
            run_estimates(&c, "socind_total", use_group(&c, 0), 1, op_total);
            break;
        case 1:
            run_estimates(&c, "socind_mean", use_group(&c, 0), 1, op_mean);
            break;
        case 2:
            run_estimates(&c, "socind_ratio", use_group(&c, 0), 1, op_ratio);
            break;
        case 3:
            run_estimates(&c, "socind_proportion", use_group(&c, 0), 1, op_proportion);
            break;
        case 4:
            op_variance(&c);
            break;
        case 5:
            run_estimates(&c, "socind_fgt", use_group(&c, 0), 1, op_fgt);
            break;
        case 6:
            run_estimates(&c, "socind_poor_count", use_group(&c, 0), 1, op_poor);
            break;
        case 7:
            run_estimates(&c, "socind_poverty_gap_total", use_group(&c, 0), 1, op_gap);
            break;
        case 8:
            run_estimates(&c, "socind_mean_shortfall", use_group(&c, 0), 1, op_shortfall);
            break;
        case 9:
            run_estimates(&c, "socind_watts", use_group(&c, 0), 1, op_watts);
            break;
        case 10:
            op_line_estimate(&c);
            break;
        case 11:
            run_estimates(&c, "socind_fgt_decomposition", use_group(&c, 0), SOCIND_FGTDEC_COUNT,
                          op_fgtdec);
            break;
        case 12:
            run_estimates(&c, "socind_watts_decomposition", use_group(&c, 0), SOCIND_WATTSDEC_COUNT,
                          op_wattsdec);
            break;
        case 13:
            op_profile(&c);
            break;
        case 14:
            run_estimates(&c, "socind_gini", use_group(&c, 0), 1, op_gini);
            break;
        case 15:
            run_estimates(&c, "socind_ge", use_group(&c, 0), 1, op_ge);
            break;
        case 16:
            run_estimates(&c, "socind_atkinson", use_group(&c, 0), 1, op_atkinson);
            break;
        case 17:
            run_estimates(&c, "socind_quantile", use_group(&c, 0), 1, op_quantile);
            break;
        case 18:
            run_estimates(&c, "socind_share_ratio", use_group(&c, 0), 1, op_share_ratio);
            break;
        case 19:
            run_estimates(&c, "socind_lorenz", use_group(&c, 0), 1, op_lorenz);
            break;
        case 20: {
            /* out holds SOCIND_GEDEC_COUNT estimates whatever n_groups is */
            const int32_t *g = fz_byte(&c.in) == 0 ? NULL : c.group;
            socind_estimate *o = poisoned(SOCIND_GEDEC_COUNT, sizeof *o);
            int32_t st = op_gedec(&c, g, o);
            check_call("socind_ge_decomposition", st, c.n);
            fz_check_estimates("socind_ge_decomposition", st, o, SOCIND_GEDEC_COUNT, (int64_t)c.n);
            free(o);
            break;
        }
        case 21:
            op_growth2006(&c);
            break;
        case 22:
            op_growth_child(&c);
            break;
        case 23:
            op_growth2007(&c);
            break;
        case 24:
            op_prevalence2006(&c);
            break;
        case 25:
            op_prevalence2007(&c);
            break;
        case 26:
            op_quality(&c);
            break;
        case 27:
            op_critical(&c);
            break;
        case 28:
            op_difference(&c);
            break;
        case 29:
            op_ppp(&c);
            break;
        case 30:
            run_estimates(&c, "socind_jdiv", use_group(&c, 0), 1, op_jdiv);
            break;
        case 31:
            run_estimates(&c, "socind_zenga", use_group(&c, 0), 1, op_zenga);
            break;
        case 32: {
            /* out holds SOCIND_JDIVDEC_COUNT estimates whatever n_groups is */
            const int32_t *g = fz_byte(&c.in) == 0 ? NULL : c.group;
            socind_estimate *o = poisoned(SOCIND_JDIVDEC_COUNT, sizeof *o);
            int32_t st = op_jdivdec(&c, g, o);
            check_call("socind_jdiv_decomposition", st, c.n);
            fz_check_estimates("socind_jdiv_decomposition", st, o, SOCIND_JDIVDEC_COUNT,
                               (int64_t)c.n);
            free(o);
            break;
        }
        case 33:
            run_estimates(&c, "socind_sen", use_group(&c, 0), SOCIND_SEN_COUNT, op_sen);
            break;
        case 34:
            run_estimates(&c, "socind_sst", use_group(&c, 0), SOCIND_SST_COUNT, op_sst);
            break;
        case 35:
            run_estimates(&c, "socind_richness", use_group(&c, 0), 1, op_richness);
            break;
        case 36:
            run_estimates(&c, "socind_gender_pay_gap", use_group(&c, 0), 1, op_gender_pay_gap);
            break;
        case 37:
            op_convey_quantile(&c);
            break;
        default:
            op_misc(&c);
            break;
        }
    }
    socind_design_free(c.d);
    free(c.w), free(c.y), free(c.x2), free(c.prop), free(c.lines), free(c.fpc);
    free(c.strata), free(c.psu), free(c.group);
    return 0;
}
