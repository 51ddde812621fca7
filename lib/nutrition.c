/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/nutrition.c — the prevalence table of WHO's anthro_prevalence()
 * (see nutrition.h): z-scores → cleaned indicator columns → proportions and
 * means through the design's variance engine, by WHO's breakdowns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct socind_prevalence_table {
    size_t n, cap;
    socind_prevalence_row *rows;
};

size_t socind_prevalence_table_nrows(const socind_prevalence_table *t) {
    return t ? t->n : 0;
}

/* what a failed copy leaves in a row (size kept) */
static void row_clear(socind_prevalence_row *row, int32_t status) {
    size_t size = row->size;
    memset(row, 0, sizeof *row);
    row->size = size;
    row->group_kind = row->group_level = row->indicator = row->statistic = -1;
    socind__estimate_nan(&row->est, status);
    row->stdev = row->pop_weighted = NAN;
}

int32_t socind_prevalence_row_init(socind_prevalence_row *row) {
    socind__clear_detail();
    if (!row) return socind__fail(SOCIND_ERR_NULL, "row is NULL");
    row->size = sizeof *row;
    row_clear(row, SOCIND_ERR_EMPTY_DOMAIN);
    return SOCIND_OK;
}

#define ROW_V1_SIZE (offsetof(socind_prevalence_row, flagged) + sizeof(int64_t))

int32_t socind_prevalence_table_row(const socind_prevalence_table *t, size_t i,
                                    socind_prevalence_row *row) {
    socind__clear_detail();
    if (row && (row->size < ROW_V1_SIZE || row->size > 4096))
        return socind__fail(SOCIND_ERR_OPTIONS,
                            "socind_prevalence_row.size is %zu; use socind_prevalence_row_init()",
                            row->size);
    int32_t st = SOCIND_OK;
    if (!t || !row)
        st = socind__fail(SOCIND_ERR_NULL, "table or row is NULL");
    else if (i >= t->n)
        st = socind__fail(SOCIND_ERR_RANGE, "row %zu of a table of %zu rows", i, t->n);
    if (st) {
        if (row) row_clear(row, st); /* defined: codes −1, counts 0, figures NaN */
        return st;
    }
    /* the fields the caller's size covers (all of this version's, or an
       older caller's first ones), size unchanged */
    size_t end = row->size < sizeof *row ? row->size : sizeof *row, skip = sizeof row->size;
    memcpy((char *)row + skip, (const char *)&t->rows[i] + skip, end - skip);
    return SOCIND_OK;
}

void socind_prevalence_table_free(socind_prevalence_table *t) {
    if (!t) return;
    free(t->rows);
    free(t);
}

static const char *const age_labels[6] = {"00-05 mo", "06-11 mo", "12-23 mo",
                                          "24-35 mo", "36-47 mo", "48-59 mo"};

static const char *const age2_labels[3] = {"60-119 mo", "120-179 mo", "180-228 mo"};

/* The label of (kind, level) into buf (at least 32 bytes): 1, or 0 for an
 * unknown kind or level. */
static int group_label(int32_t kind, int32_t level, char *buf, size_t cap) {
    switch (kind) {
    case SOCIND_GROUP_ALL:
        snprintf(buf, cap, "All");
        return 1;
    case SOCIND_GROUP_AGE:
        if (level < 0 || level > 5) return 0;
        snprintf(buf, cap, "Age group: %s", age_labels[level]);
        return 1;
    case SOCIND_GROUP_SEX:
        if (level != 1 && level != 2) return 0;
        snprintf(buf, cap, "Sex: %s", level == 2 ? "Female" : "Male");
        return 1;
    case SOCIND_GROUP_AGE_SEX:
        if (level < 0 || level > 11) return 0;
        snprintf(buf, cap, "Age + sex: %s.%s", age_labels[level / 2],
                 level % 2 ? "Male" : "Female");
        return 1;
    case SOCIND_GROUP_DOMAIN:
        snprintf(buf, cap, "Group: %d", (int)level);
        return 1;
    case SOCIND_GROUP_AGE1:
        if (level < 0 || level > 14) return 0;
        if (level == 14)
            snprintf(buf, cap, "Age Group 1: 228-228 mo");
        else
            snprintf(buf, cap, "Age Group 1: %d-%d mo", 60 + 12 * (int)level, 71 + 12 * (int)level);
        return 1;
    case SOCIND_GROUP_AGE2:
        if (level < 0 || level > 2) return 0;
        snprintf(buf, cap, "Age Group 2: %s", age2_labels[level]);
        return 1;
    case SOCIND_GROUP_AGE2_SEX:
        if (level < 0 || level > 5) return 0;
        snprintf(buf, cap, "Age + Sex: %s.%s", level % 2 ? "Male" : "Female",
                 age2_labels[level / 2]);
        return 1;
    default:
        return 0;
    }
}

int32_t socind_prevalence_group_label(int32_t kind, int32_t level, char *buf, size_t cap,
                                      size_t *needed) {
    socind__clear_detail();
    if (needed) *needed = 0;
    if (!buf && cap > 0) return socind__fail(SOCIND_ERR_NULL, "buf is NULL and cap is %zu", cap);
    if (cap > 0) buf[0] = '\0';
    char label[48];
    if (!group_label(kind, level, label, sizeof label))
        return socind__fail(SOCIND_ERR_ARG, "unknown group kind %d or level %d", (int)kind,
                            (int)level);
    size_t len = strlen(label);
    if (needed) *needed = len + 1;
    if (cap > 0) {
        size_t k = len < cap ? len : cap - 1;
        memcpy(buf, label, k);
        buf[k] = '\0';
    }
    if (len >= cap)
        return socind__fail(SOCIND_ERR_RANGE, "the label \"%s\" needs %zu bytes; cap is %zu", label,
                            len + 1, cap);
    return SOCIND_OK;
}

static int push(socind_prevalence_table *t, const socind_prevalence_row *r) {
    if (t->n == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 256;
        socind_prevalence_row *nr = realloc(t->rows, nc * sizeof *nr);
        if (!nr) return 0;
        t->rows = nr;
        t->cap = nc;
    }
    t->rows[t->n] = *r;
    t->rows[t->n++].size = sizeof *r;
    return 1;
}

/* work arrays over the m rows kept in the table */
typedef struct {
    size_t m;
    int survey; /* the design path (strata/clusters given) */
    socind_design *d;
    const double *w;                       /* the design's weights */
    double *col[SOCIND_NUT_INDICATORS][6]; /* the combined indicators' 0/1 columns (col[4..5][0]) */
    double *zmean[4];                      /* z for the mean and SD (oedema excluded) */
    double *aux[4];
    unsigned char *flagged[4];
    /* 1 where WHO's flag excluded the z-score */ /* z for the prevalences and counts (oedema as
                                                     −3.1) */
    socind_options o;
    unsigned inds; /* indicators in the table (bit per SOCIND_NUT_*) */
    int blank_wa;  /* this breakdown reports WA as missing (2007: All, Sex) */
} nut;

/* Per-PSU accumulators of one domain: for each of the four indicators
 * [count, Σw, Σw·1[cut c] (6), count, Σw, Σw·z, Σw·z², count with w > 0,
 * flagged] (14), then the combined indicators [count, Σw, Σw·both<−2,
 * Σw·HA<−2&WH>+2, flagged]. */
#define ACC_IND 14
#define ACC_COMB (4 * ACC_IND)
#define ACC_M (ACC_COMB + 5)

/* Σ of one accumulator slot over the domain's PSUs. */
static int64_t slot_sum(const socind__work *big, int slot) {
    double v = 0;
    for (size_t t = 0; t < big->touched.n; t++)
        v += big->acc[(size_t)big->touched.list[t] * ACC_M + slot];
    return (int64_t)v;
}

/* One statistic of one domain from the PSU accumulators: the ratio Σw·x/Σw
 * over the rows counted in slot cnt, its variance from the touched PSUs with
 * such rows. */
static void ratio_stat(nut *u, socind__work *big, socind__work *one, int cnt, int wsum, int num,
                       int is_prop, socind_estimate *e) {
    socind__ksum A = {0, 0}, B = {0, 0};
    double n = 0;
    for (size_t t = 0; t < big->touched.n; t++) {
        const double *acc = big->acc + (size_t)big->touched.list[t] * ACC_M;
        n += acc[cnt];
        socind__kadd(&A, acc[num]);
        socind__kadd(&B, acc[wsum]);
    }
    double Bt = socind__kval(&B);
    if (n == 0) {
        socind__estimate_nan(e, SOCIND_ERR_EMPTY_DOMAIN);
        e->df = socind_design_df(u->d);
        return;
    }
    socind__estimate_nan(e, SOCIND_OK);
    e->n = (int64_t)n;
    e->weight_sum = Bt;
    if (!(Bt != 0.0)) {
        e->status = SOCIND_ERR_DATA;
        e->df = socind_design_df(u->d);
        return;
    }
    double r = socind__kval(&A) / Bt;
    for (size_t t = 0; t < big->touched.n; t++) {
        int32_t p = big->touched.list[t];
        const double *acc = big->acc + (size_t)p * ACC_M;
        if (acc[cnt] == 0) continue; /* no row of this statistic: not present */
        *socind__touch(one, p) = (acc[num] - r * acc[wsum]) / Bt;
    }
    double var;
    int32_t vst = socind__work_variance(one, &var);
    e->value = r;
    e->se = vst ? NAN : sqrt(var);
    if (vst) e->status = vst;
    socind__fill_ci(e, &u->o, socind_design_df(u->d), is_prop);
}

/* Adds row k (weight wk) of the kept rows into one PSU's accumulators. */
static inline void accumulate_row(const nut *u, double *acc, size_t k, double wk, int comb) {
    for (int ind = 0; ind < 4; ind++) {
        if (!(u->inds & (1u << ind))) continue;
        double *a = acc + ind * ACC_IND;
        /* no branches: missing values and cut-offs are random per
         * child; a missing value adds zeros */
        double x = u->aux[ind][k];
        int xv = !isnan(x);
        double wx = xv ? wk : 0.0;
        a[0] += (double)xv;
        a[1] += wx;
        a[2] += wx * (double)(x < -3.0);
        a[3] += wx * (double)(x < -2.0);
        a[4] += wx * (double)(x < -1.0);
        a[5] += wx * (double)(x > 1.0);
        a[6] += wx * (double)(x > 2.0);
        a[7] += wx * (double)(x > 3.0);
        double z = u->zmean[ind][k];
        int zv = !isnan(z);
        double wz = zv ? wk : 0.0, zz = zv ? z : 0.0;
        a[8] += (double)zv;
        a[9] += wz;
        a[10] += wz * zz;
        a[11] += wz * zz * zz;
        a[12] += (double)(wz > 0.0);
        a[13] += (double)u->flagged[ind][k];
    }
    if (comb) {
        acc[ACC_COMB + 4] += (double)(u->flagged[SOCIND_NUT_HA][k] | u->flagged[SOCIND_NUT_WH][k]);
        double c1 = u->col[SOCIND_NUT_HA_2_WH_2][0][k];
        if (!isnan(c1)) {
            double *a = acc + ACC_COMB;
            a[0] += 1;
            a[1] += wk;
            a[2] += wk * c1;
            a[3] += wk * u->col[SOCIND_NUT_HA_2_WH2][0][k];
        }
    }
}

/* The PSU sums of the cells of the standard breakdowns (age group incl.
 * none × sex incl. none), built in one pass; each breakdown's group sums are
 * then sums of cells. Used when it fits in memory (designs with clusters). */
#define NCELL 21
typedef struct {
    double *acc;   /* npsu × NCELL × ACC_M */
    int32_t *rows; /* npsu × NCELL */
} cellbuf;

/* All rows of one breakdown (codes over the m rows, G groups; levels[j] is the
 * reported level of group j) appended to the table in anthro's order: one
 * pass over the rows per group fills every statistic's PSU sums. */
static int32_t breakdown(nut *u, socind_prevalence_table *t, int32_t kind, const int32_t *codes,
                         int32_t G, const int32_t *order, const int32_t *levels, const cellbuf *cb,
                         const int32_t *cell_group) {
    size_t nrow = (size_t)G * SOCIND_NUT_INDICATORS * 7;
    socind_prevalence_row *rows = calloc(nrow, sizeof *rows);
    socind__groups grp;
    socind__work big, one;
    memset(&big, 0, sizeof big);
    memset(&one, 0, sizeof one);
    int32_t st = socind__groups_init(&grp, cb ? NULL : codes, G, u->m);
    if (cb) grp.ngroups = G;
    if (!rows) st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the prevalence table");
    if (!st) st = socind__work_init(&big, u->d, ACC_M);
    if (!st) st = socind__work_init(&one, u->d, 1);
    const int32_t *rp = u->d->row_psu;
    const double *w = u->w;
    double qn = NAN;
    int32_t qn_st = SOCIND_OK;
    if (!st && !u->survey) qn_st = socind__critical(&u->o, (double)u->m - 1.0, &qn);
    int comb = (u->inds >> SOCIND_NUT_HA_2_WH_2) & 1;
    for (int32_t j = 0; !st && j < grp.ngroups; j++) {
        size_t ng = socind__group_size(&grp, j);
        int32_t last = -1;
        double *acc = NULL;
        if (cb) { /* the group's PSU sums from its cells */
            ng = 0;
            size_t P = u->d->npsu;
            for (size_t p = 0; p < P; p++)
                for (int c = 0; c < NCELL; c++) {
                    if (cell_group[c] != j || cb->rows[p * NCELL + c] == 0) continue;
                    double *dst = socind__touch(&big, (int32_t)p);
                    const double *src = cb->acc + (p * NCELL + (size_t)c) * ACC_M;
                    for (int q = 0; q < ACC_M; q++) dst[q] += src[q];
                }
        }
        for (size_t i = 0; i < ng; i++) {
            size_t k = socind__group_row(&grp, j, i);
            double wk = w[k];
            if (rp[k] != last) acc = socind__touch(&big, last = rp[k]);
            accumulate_row(u, acc, k, wk, comb);
        }
        for (int ind = 0; ind < SOCIND_NUT_INDICATORS; ind++) {
            if (!(u->inds & (1u << ind))) continue;
            socind_prevalence_row *r0 = &rows[((size_t)j * SOCIND_NUT_INDICATORS + ind) * 7];
            if (ind >= 4) {
                r0->indicator = ind;
                r0->statistic = SOCIND_NUT_BOTH;
                ratio_stat(u, &big, &one, ACC_COMB, ACC_COMB + 1,
                           ACC_COMB + (ind == SOCIND_NUT_HA_2_WH_2 ? 2 : 3), 1, &r0->est);
                r0->stdev = NAN;
                r0->pop_weighted = r0->est.weight_sum;
                r0->pop_unweighted = r0->est.n;
                r0->flagged = slot_sum(&big, ACC_COMB + 4);
                continue;
            }
            int base = ind * ACC_IND;
            int64_t flagged = slot_sum(&big, base + 13);
            for (int c = 0; c < 6; c++) {
                socind_prevalence_row *r = r0 + c;
                r->indicator = ind;
                r->statistic = c;
                ratio_stat(u, &big, &one, base, base + 1, base + 2 + c, 1, &r->est);
                r->stdev = NAN;
                r->pop_weighted = r->est.weight_sum;
                r->pop_unweighted = r->est.n;
                r->flagged = flagged;
            }
            socind_prevalence_row *rm = r0 + 6;
            rm->indicator = ind;
            rm->statistic = SOCIND_NUT_MEAN;
            ratio_stat(u, &big, &one, base + 8, base + 9, base + 10, 0, &rm->est);
            rm->pop_weighted = r0->pop_weighted;
            rm->pop_unweighted = r0->pop_unweighted;
            rm->flagged = flagged;
            /* SD: sqrt(Σw(z − r)²/Σw · n/(n − 1)); the design path counts the
             * children with a non-zero weight, the closed formulas every
             * child. z-scores are O(1), so Σw·z² − (Σw·z)²/Σw loses nothing. */
            socind__ksum s1 = {0, 0}, s2 = {0, 0}, sw = {0, 0};
            double cnt = 0;
            for (size_t q = 0; q < big.touched.n; q++) {
                const double *acc = big.acc + (size_t)big.touched.list[q] * ACC_M + base;
                socind__kadd(&sw, acc[9]);
                socind__kadd(&s1, acc[10]);
                socind__kadd(&s2, acc[11]);
                cnt += u->survey ? acc[12] : acc[8];
            }
            double W = socind__kval(&sw), S1 = socind__kval(&s1);
            double ss = socind__kval(&s2) - S1 * S1 / W;
            if (ss < 0) ss = 0;
            rm->stdev = (cnt > 1 && W > 0) ? sqrt(ss / W * cnt / (cnt - 1.0)) : NAN;
            if (cnt > 1 && !isfinite(rm->stdev) && rm->est.status == SOCIND_OK)
                rm->est.status = SOCIND_ERR_OVERFLOW;  /* weights near the double range */
            if (!u->survey && !isnan(rm->est.value)) { /* anthro's closed formulas: t on N − 1 */
                rm->est.ci_low = rm->est.value - qn * rm->est.se;
                rm->est.ci_high = rm->est.value + qn * rm->est.se;
                rm->est.df = (double)u->m - 1.0;
                if (qn_st && rm->est.status == SOCIND_OK) rm->est.status = qn_st;
                socind__check_finite(&rm->est);
            }
        }
        socind__work_reset(&big);
    }
    for (int32_t oi = 0; oi < G && !st; oi++) {
        int32_t j = order ? order[oi] : oi;
        for (int ind = 0; ind < SOCIND_NUT_INDICATORS && !st; ind++) {
            if (!(u->inds & (1u << ind))) continue;
            int nstat = ind < 4 ? 7 : 1;
            for (int c = 0; c < nstat; c++) {
                socind_prevalence_row *r = &rows[((size_t)j * SOCIND_NUT_INDICATORS + ind) * 7 + c];
                if (u->blank_wa && ind == SOCIND_NUT_WA) {
                    socind__estimate_nan(&r->est, SOCIND_ERR_EMPTY_DOMAIN);
                    r->stdev = NAN;
                    r->pop_weighted = NAN;
                    r->pop_unweighted = 0;
                }
                r->group_kind = kind;
                r->group_level = levels ? levels[j] : j;
                if (!push(t, r)) {
                    st = socind__fail(SOCIND_ERR_NOMEM,
                                      "allocation failed for the prevalence table");
                    break;
                }
            }
        }
    }
    socind__work_free(&big);
    socind__work_free(&one);
    socind__groups_free(&grp);
    free(rows);
    return st;
}

/* Checks the shared arguments. */
static int32_t check_args(size_t n, const double *sw, const int32_t *group, int32_t n_groups,
                          const socind_options *opts, nut *u) {
    memset(u, 0, sizeof *u);
    if (n == 0) return socind__fail(SOCIND_ERR_EMPTY, "n is 0");
    if (n > (size_t)INT32_MAX) /* rows are indexed by int32_t, as in a design */
        return socind__fail(SOCIND_ERR_RANGE, "n = %zu exceeds the supported 2^31 - 1 children", n);
    int32_t st = socind__resolve_options(opts, &u->o);
    if (st) return st;
    u->o.ci_dist = SOCIND_CI_T;
    u->o.prop_ci = SOCIND_PROP_CI_LOGIT;
    if (group) {
        if (n_groups < 1) return socind__fail(SOCIND_ERR_ARG, "n_groups must be >= 1");
        for (size_t k = 0; k < n; k++)
            if (group[k] < -1 || group[k] >= n_groups)
                return socind__fail_row(SOCIND_ERR_GROUP, k,
                                        "group[%zu] is %d; codes must be in [-1, %d)", k,
                                        (int)group[k], (int)n_groups);
    }
    if (sw)
        for (size_t k = 0; k < n; k++)
            if (sw[k] < 0 || isinf(sw[k]))
                return socind__fail_row(SOCIND_ERR_WEIGHT, k, "sw[%zu] is %g; weights must be >= 0",
                                        k, sw[k]);
    return SOCIND_OK;
}

/* The design over the m kept rows: strata and clusters within strata (anthro's
 * nest = TRUE), lonely PSUs "adjust"; no design: every row its own PSU. A
 * missing weight counts as 0. */
static int32_t make_design(nut *u, const int32_t *keep, size_t m, const double *sw,
                           const int64_t *strata, const int64_t *cluster, double *w) {
    for (size_t i = 0; i < m; i++) {
        double wk = sw ? sw[keep[i]] : 1.0;
        w[i] = isnan(wk) ? 0.0 : wk;
    }
    u->m = m;
    u->w = w;
    int cluster_used = 0;
    if (cluster)
        for (size_t i = 1; i < m; i++)
            if (cluster[keep[i]] != cluster[keep[0]]) {
                cluster_used = 1;
                break;
            }
    u->survey = strata != NULL || cluster != NULL;
    int64_t *ks = strata ? malloc(m * sizeof *ks) : NULL;
    int64_t *kc = cluster_used ? malloc(m * sizeof *kc) : NULL;
    int32_t st = SOCIND_OK;
    if ((strata && !ks) || (cluster_used && !kc)) {
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    } else {
        for (size_t i = 0; i < m; i++) {
            if (ks) ks[i] = strata[keep[i]];
            if (kc) kc[i] = cluster[keep[i]];
        }
        socind_design_options dopt;
        socind_design_options_init(&dopt);
        dopt.lonely_psu = SOCIND_LONELY_ADJUST;
        dopt.nest = 1;
        st = socind_design_new(m, w, ks, kc, NULL, &dopt, &u->d);
    }
    free(ks);
    free(kc);
    return st;
}

/* Cut-off and mean columns over the kept rows from z-scores and flags of the
 * four indicators (zc/fc over all n rows; NULL = not in the table); aux[i]
 * says whether kept row i counts as −3.1 for indicator ind (oedema). */
static int32_t fill_columns(nut *u, const int32_t *keep, double *const *zc, int32_t *const *fc,
                            const unsigned char *oed_aux) {
    size_t m = u->m;
    for (int ind = 0; ind < SOCIND_NUT_INDICATORS; ind++) {
        if (!(u->inds & (1u << ind))) continue;
        if (ind >= 4 && !(u->col[ind][0] = malloc(m * sizeof(double))))
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        if (ind < 4 &&
            (!(u->zmean[ind] = malloc(m * sizeof(double))) ||
             !(u->aux[ind] = malloc(m * sizeof(double))) || !(u->flagged[ind] = calloc(m, 1))))
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    for (size_t i = 0; i < m; i++) {
        size_t k = (size_t)keep[i];
        double aux[4] = {NAN, NAN, NAN, NAN};
        for (int ind = 0; ind < 4; ind++) {
            if (!(u->inds & (1u << ind))) continue;
            u->flagged[ind][i] = fc[ind][k] == 1;
            double z = fc[ind][k] == 1 ? NAN : zc[ind][k];
            u->zmean[ind][i] = z;
            aux[ind] = (oed_aux[i] & (1u << ind)) ? -3.1 : z;
            u->aux[ind][i] = aux[ind];
        }
        if (u->inds & (1u << SOCIND_NUT_HA_2_WH_2)) {
            double ha = aux[SOCIND_NUT_HA], wh = aux[SOCIND_NUT_WH];
            int na = isnan(ha) || isnan(wh);
            u->col[SOCIND_NUT_HA_2_WH_2][0][i] = na ? NAN : (double)(ha < -2 && wh < -2);
            u->col[SOCIND_NUT_HA_2_WH2][0][i] = na ? NAN : (double)(ha < -2 && wh > 2);
        }
    }
    return SOCIND_OK;
}

static void nut_free(nut *u) {
    for (int i = 0; i < 4; i++) free(u->zmean[i]), free(u->aux[i]), free(u->flagged[i]);
    for (int ind = 0; ind < SOCIND_NUT_INDICATORS; ind++)
        for (int c = 0; c < 6; c++) free(u->col[ind][c]);
    socind_design_free(u->d);
}

static inline int32_t age_group_u5(double mo) {
    return isnan(mo) || mo < 0 || !(mo < 60) ? -1
           : mo < 6                          ? 0
           : mo < 12                         ? 1
                                             : 1 + (int32_t)(mo / 12.0);
}

int32_t socind_prevalence_who2006(size_t n, const socind_growth_input *in, const double *sw,
                                  const int64_t *strata, const int64_t *cluster,
                                  const int32_t *group, int32_t n_groups,
                                  const socind_options *opts, socind_prevalence_table **out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    *out = NULL;
    if (!in) return socind__fail(SOCIND_ERR_NULL, "in is NULL");
    if (n > 0 && !in->sex) return socind__fail(SOCIND_ERR_NULL, "in->sex is NULL");
    nut u;
    int32_t st = check_args(n, sw, group, n_groups, opts, &u);
    if (st) return st;
    u.inds = (1u << SOCIND_NUT_INDICATORS) - 1;
    double *zc[4] = {0}, *w = malloc(n * sizeof *w), *months = malloc(n * sizeof *months);
    int32_t *fc[4] = {0}, *codes = malloc(n * sizeof *codes), *keep = malloc(n * sizeof *keep);
    unsigned char *oed = malloc(n);
    socind_prevalence_table *t = calloc(1, sizeof *t);
    int ok = w && months && codes && keep && oed && t;
    for (int i = 0; i < 4; i++) {
        zc[i] = malloc(n * sizeof(double));
        fc[i] = malloc(n * sizeof(int32_t));
        ok = ok && zc[i] && fc[i];
    }
    if (!ok) {
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        goto done;
    }
    /* z-scores with WHO rounding (flags on the rounded values) */
    socind_growth_output go;
    socind_growth_output_init(&go);
    go.zlen = zc[0], go.zwei = zc[1], go.zbmi = zc[2], go.zwfl = zc[3];
    go.flen = fc[0], go.fwei = fc[1], go.fbmi = fc[2], go.fwfl = fc[3];
    st = socind_growth_who2006(n, in, SOCIND_ROUND_WHO, &go);
    if (st) goto done;
    /* the age filter: rows older than 1826 days leave; missing ages stay */
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        double a = in->age ? in->age[k] : NAN;
        double days = NAN, mo = NAN;
        if (!isnan(a) && a >= 0) {
            days =
                in->age_in_months ? socind__round_half_up(a * 30.4375) : socind__round_half_up(a);
            mo = in->age_in_months ? a : a / 30.4375;
        }
        if (days > 1826.0) continue;
        keep[m] = (int32_t)k;
        months[m] = mo;
        /* oedema: −3.1 for WA, BMI and WH, whatever the child's data */
        oed[m] = (in->oedema && in->oedema[k] == SOCIND_OEDEMA_YES)
                     ? (unsigned char)((1u << SOCIND_NUT_WA) | (1u << SOCIND_NUT_BMI) |
                                       (1u << SOCIND_NUT_WH))
                     : 0;
        m++;
    }
    if (m == 0) {
        st = socind__fail(SOCIND_ERR_EMPTY, "no child aged 1826 days or less");
        goto done;
    }
    st = make_design(&u, keep, m, sw, strata, cluster, w);
    if (!st) st = fill_columns(&u, keep, zc, fc, oed);
    /* breakdowns: All, age group, sex, age × sex (from one pass into cells
     * when the cells fit), then the caller's domain */
    cellbuf cb = {0};
    int use_cells = 0;
    if (!st) {
        for (size_t i = 0; i < m; i++) {
            int32_t s = in->sex[keep[i]];
            int32_t ag = age_group_u5(months[i]);
            codes[i] = (ag < 0 ? 6 : ag) * 3 + (s == SOCIND_SEX_FEMALE ? 0
                                                : s == SOCIND_SEX_MALE ? 1
                                                                       : 2);
        }
        size_t P = u.d->npsu;
        if (P <= ((size_t)32 << 20) / (NCELL * ACC_M)) { /* at most 256 MB of sums */
            cb.acc = calloc(P * NCELL * ACC_M, sizeof *cb.acc);
            cb.rows = calloc(P * NCELL, sizeof *cb.rows);
            use_cells = cb.acc && cb.rows;
        }
        if (use_cells) {
            const int32_t *rp = u.d->row_psu;
            int comb = (u.inds >> SOCIND_NUT_HA_2_WH_2) & 1;
            for (size_t i = 0; i < m; i++) {
                size_t cell = (size_t)rp[i] * NCELL + (size_t)codes[i];
                cb.rows[cell]++;
                accumulate_row(&u, cb.acc + cell * ACC_M, i, w[i], comb);
            }
        }
    }
    int32_t cg_all[NCELL], cg_age[NCELL], cg_sex[NCELL], cg_agesex[NCELL];
    for (int c = 0; c < NCELL; c++) {
        int ag = c / 3, sx = c % 3;
        cg_all[c] = 0;
        cg_age[c] = ag < 6 ? ag : -1;
        cg_sex[c] = sx < 2 ? sx : -1;
        cg_agesex[c] = ag < 6 && sx < 2 ? 2 * ag + sx : -1;
    }
    const cellbuf *cbp = use_cells ? &cb : NULL;
    if (!st) st = breakdown(&u, t, SOCIND_GROUP_ALL, NULL, 1, NULL, NULL, cbp, cg_all);
    if (!st) {
        for (size_t i = 0; i < m; i++) codes[i] = age_group_u5(months[i]);
        st = breakdown(&u, t, SOCIND_GROUP_AGE, codes, 6, NULL, NULL, cbp, cg_age);
    }
    if (!st) {
        for (size_t i = 0; i < m; i++) {
            int32_t s = in->sex[keep[i]];
            codes[i] = s == SOCIND_SEX_FEMALE ? 0 : s == SOCIND_SEX_MALE ? 1 : -1;
        }
        static const int32_t sex_levels[2] = {2, 1};
        st = breakdown(&u, t, SOCIND_GROUP_SEX, codes, 2, NULL, sex_levels, cbp, cg_sex);
    }
    if (!st) {
        for (size_t i = 0; i < m; i++) {
            int32_t s = in->sex[keep[i]];
            int32_t ag = age_group_u5(months[i]);
            int32_t male = s == SOCIND_SEX_MALE ? 1 : s == SOCIND_SEX_FEMALE ? 0 : -1;
            codes[i] = ag < 0 || male < 0 ? -1 : 2 * ag + male;
        }
        /* anthro's order: age varies fastest, the Female block first */
        static const int32_t order[12] = {0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11};
        st = breakdown(&u, t, SOCIND_GROUP_AGE_SEX, codes, 12, order, NULL, cbp, cg_agesex);
    }
    free(cb.acc);
    free(cb.rows);
    if (!st && group) {
        for (size_t i = 0; i < m; i++) codes[i] = group[keep[i]];
        st = breakdown(&u, t, SOCIND_GROUP_DOMAIN, codes, n_groups, NULL, NULL, NULL, NULL);
    }
done:
    for (int i = 0; i < 4; i++) free(zc[i]), free(fc[i]);
    nut_free(&u);
    free(keep), free(w), free(months), free(codes), free(oed);
    if (st) {
        socind_prevalence_table_free(t);
        return st;
    }
    *out = t;
    return SOCIND_OK;
}

int32_t socind_prevalence_who2007(size_t n, const int32_t *sex, const double *age_months,
                                  const double *height_cm, const double *weight_kg,
                                  const int32_t *oedema, const double *sw, const int64_t *strata,
                                  const int64_t *cluster, const int32_t *group, int32_t n_groups,
                                  const socind_options *opts, socind_prevalence_table **out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    *out = NULL;
    if (n > 0 && (!sex || !age_months))
        return socind__fail(SOCIND_ERR_NULL, "%s is NULL", !sex ? "sex" : "age_months");
    nut u;
    int32_t st = check_args(n, sw, group, n_groups, opts, &u);
    if (st) return st;
    u.inds = (1u << SOCIND_NUT_HA) | (1u << SOCIND_NUT_WA) | (1u << SOCIND_NUT_BMI);
    double *zc[4] = {0}, *w = malloc(n * sizeof *w);
    int32_t *fc[4] = {0}, *codes = malloc(n * sizeof *codes), *keep = malloc(n * sizeof *keep);
    unsigned char *oed = malloc(n);
    socind_prevalence_table *t = calloc(1, sizeof *t);
    int ok = w && codes && keep && oed && t;
    for (int i = 0; i < 3; i++) {
        zc[i] = malloc(n * sizeof(double));
        fc[i] = malloc(n * sizeof(int32_t));
        ok = ok && zc[i] && fc[i];
    }
    if (!ok) {
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        goto done;
    }
    socind_growth2007_input gi;
    socind_growth2007_output go;
    socind_growth2007_input_init(&gi);
    socind_growth2007_output_init(&go);
    gi.sex = sex, gi.age_months = age_months, gi.height_cm = height_cm, gi.weight_kg = weight_kg;
    gi.oedema = oedema;
    go.zhfa = zc[0], go.zwfa = zc[1], go.zbfa = zc[2], go.fhfa = fc[0], go.fwfa = fc[1];
    go.fbfa = fc[2];
    st = socind_growth_who2007(n, &gi, SOCIND_ROUND_WHO, &go);
    if (st) goto done;
    /* rows with a missing age or one outside 60–228 months leave */
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        double a = age_months[k];
        if (!(a >= 60.0 && a <= 228.0)) continue;
        keep[m] = (int32_t)k;
        int oe = oedema && oedema[k] == SOCIND_OEDEMA_YES;
        /* oedema: −3.1 for BMI, and for WA up to 120 months */
        oed[m] =
            oe ? (unsigned char)((1u << SOCIND_NUT_BMI) | (a <= 120.0 ? 1u << SOCIND_NUT_WA : 0))
               : 0;
        m++;
    }
    if (m == 0) {
        st = socind__fail(SOCIND_ERR_EMPTY, "no child aged 60 to 228 months");
        goto done;
    }
    st = make_design(&u, keep, m, sw, strata, cluster, w);
    if (!st) st = fill_columns(&u, keep, zc, fc, oed);
    /* All and Sex report WA as missing (weight-for-age stops at 10 years) */
    u.blank_wa = 1;
    if (!st) st = breakdown(&u, t, SOCIND_GROUP_ALL, NULL, 1, NULL, NULL, NULL, NULL);
    if (!st) {
        for (size_t i = 0; i < m; i++) {
            int32_t s = sex[keep[i]];
            codes[i] = s == SOCIND_SEX_FEMALE ? 0 : s == SOCIND_SEX_MALE ? 1 : -1;
        }
        static const int32_t sex_levels[2] = {2, 1};
        st = breakdown(&u, t, SOCIND_GROUP_SEX, codes, 2, NULL, sex_levels, NULL, NULL);
    }
    u.blank_wa = 0;
    if (!st) {
        for (size_t i = 0; i < m; i++) {
            double a = age_months[keep[i]];
            codes[i] = a >= 228.0 ? 14 : (int32_t)((a - 60.0) / 12.0);
        }
        st = breakdown(&u, t, SOCIND_GROUP_AGE1, codes, 15, NULL, NULL, NULL, NULL);
    }
    if (!st) {
        for (size_t i = 0; i < m; i++) {
            double a = age_months[keep[i]];
            codes[i] = a < 120.0 ? 0 : a < 180.0 ? 1 : 2;
        }
        st = breakdown(&u, t, SOCIND_GROUP_AGE2, codes, 3, NULL, NULL, NULL, NULL);
    }
    if (!st) {
        for (size_t i = 0; i < m; i++) {
            double a = age_months[keep[i]];
            int32_t s = sex[keep[i]];
            int32_t ag = a < 120.0 ? 0 : a < 180.0 ? 1 : 2;
            int32_t male = s == SOCIND_SEX_MALE ? 1 : s == SOCIND_SEX_FEMALE ? 0 : -1;
            codes[i] = male < 0 ? -1 : 2 * ag + male;
        }
        st = breakdown(&u, t, SOCIND_GROUP_AGE2_SEX, codes, 6, NULL, NULL, NULL, NULL);
    }
    if (!st && group) {
        for (size_t i = 0; i < m; i++) codes[i] = group[keep[i]];
        st = breakdown(&u, t, SOCIND_GROUP_DOMAIN, codes, n_groups, NULL, NULL, NULL, NULL);
    }
done:
    for (int i = 0; i < 3; i++) free(zc[i]), free(fc[i]);
    nut_free(&u);
    free(keep), free(w), free(codes), free(oed);
    if (st) {
        socind_prevalence_table_free(t);
        return st;
    }
    *out = t;
    return SOCIND_OK;
}

/* share of values whose first decimal digit is 0 or 5 */
static double heaping(const double *v, size_t n) {
    if (!v) return NAN;
    size_t cnt = 0, hit = 0;
    for (size_t k = 0; k < n; k++) {
        double x = v[k];
        if (!isfinite(x) || x < 0) continue;
        /* from 1e15 on a double has no tenths: the first decimal is 0 (and
           x·10 could overflow to Inf, whose fmod is NaN) */
        int digit = x < 1e15 ? (int)fmod(floor(x * 10.0 + 0.5), 10.0) : 0;
        cnt++;
        hit += digit == 0 || digit == 5;
    }
    return cnt ? (double)hit / (double)cnt : NAN;
}

/* what a failure leaves: counts 0, figures NaN (size kept) */
static void quality_clear(socind_growth_quality *q) {
    size_t size = q->size;
    memset(q, 0, sizeof *q);
    q->size = size;
    for (int i = 0; i < 4; i++) q->sd[i] = NAN;
    q->lenhei_heaping = q->weight_heaping = q->age_heaping = NAN;
}

int32_t socind_growth_quality_init(socind_growth_quality *q) {
    socind__clear_detail();
    if (!q) return socind__fail(SOCIND_ERR_NULL, "q is NULL");
    q->size = sizeof *q;
    quality_clear(q);
    return SOCIND_OK;
}

#define QUALITY_V1_SIZE (offsetof(socind_growth_quality, age_heaping) + sizeof(double))

int32_t socind_growth_quality_who2006(size_t n, const socind_growth_input *in,
                                      socind_growth_quality *q) {
    socind__clear_detail();
    int q_ok = q && q->size >= QUALITY_V1_SIZE && q->size <= 4096;
    if (q_ok) quality_clear(q); /* *q can be written */
    if (!in || !q) return socind__fail(SOCIND_ERR_NULL, "in or q is NULL");
    if (!q_ok)
        return socind__fail(SOCIND_ERR_OPTIONS,
                            "socind_growth_quality.size is %zu; use socind_growth_quality_init()",
                            q->size);
    if (n == 0) return socind__fail(SOCIND_ERR_EMPTY, "n is 0");
    if (!in->sex) return socind__fail(SOCIND_ERR_NULL, "in->sex is NULL");
    double *z[4] = {0};
    int32_t *f[4] = {0}, *reason = malloc(n * sizeof *reason);
    int ok = reason != NULL;
    for (int i = 0; i < 4; i++) {
        z[i] = malloc(n * sizeof(double));
        f[i] = malloc(n * sizeof(int32_t));
        ok = ok && z[i] && f[i];
    }
    int32_t st = SOCIND_OK;
    if (!ok) st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    if (!st) {
        socind_growth_output go;
        socind_growth_output_init(&go);
        go.zlen = z[0], go.zwei = z[1], go.zbmi = z[2], go.zwfl = z[3];
        go.flen = f[0], go.fwei = f[1], go.fbmi = f[2], go.fwfl = f[3];
        go.reason = reason;
        st = socind_growth_who2006(n, in, SOCIND_ROUND_WHO, &go);
    }
    if (!st) {
        q->n = (int64_t)n;
        for (int i = 0; i < 4; i++) {
            double cnt = 0, shift = NAN;
            socind__ksum sd1 = {0, 0}, sd2 = {0, 0};
            for (size_t k = 0; k < n; k++) {
                if (isnan(z[i][k])) {
                    q->missing[i]++;
                } else if (f[i][k] == 1) {
                    q->flagged[i]++;
                } else {
                    if (isnan(shift)) shift = z[i][k];
                    double d = z[i][k] - shift;
                    socind__kadd(&sd1, d);
                    socind__kadd(&sd2, d * d);
                    cnt += 1;
                }
            }
            double a = socind__kval(&sd1);
            q->sd[i] = cnt > 1 ? sqrt((socind__kval(&sd2) - a * a / cnt) / (cnt - 1.0)) : NAN;
        }
        for (size_t k = 0; k < n; k++) {
            q->oedema += (reason[k] & SOCIND_GROWTH_OEDEMA) != 0;
            q->sex_missing +=
                (reason[k] & (SOCIND_GROWTH_SEX_MISSING | SOCIND_GROWTH_SEX_INVALID)) != 0;
            q->age_missing +=
                (reason[k] & (SOCIND_GROWTH_AGE_MISSING | SOCIND_GROWTH_AGE_NEGATIVE)) != 0;
        }
        q->lenhei_heaping = heaping(in->lenhei, n);
        q->weight_heaping = heaping(in->weight, n);
        q->age_heaping = in->age_in_months ? heaping(in->age, n) : NAN;
    }
    for (int i = 0; i < 4; i++) free(z[i]), free(f[i]);
    free(reason);
    return st;
}
