/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/nutrition.c — the prevalence table of WHO's anthro_prevalence()
 * (see nutrition.h): z-scores → cleaned indicator columns → proportions and
 * means through the design's variance engine, by WHO's breakdowns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prevalence_internal.h"

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
    /* the bytes the caller's row has (a field added after the first version
       is written only within row->size) */
    memset(row, 0, size < sizeof *row ? size : sizeof *row);
    row->size = size;
    row->group_kind = row->group_level = row->indicator = row->statistic = -1;
    socind__estimate_nan(&row->est, status);
    row->stdev = row->pop_weighted = NAN;
}

int32_t socind_prevalence_row_init(socind_prevalence_row *row) {
    int32_t st = socind__init_sized(row, sizeof *row, "row");
    if (!st) row_clear(row, SOCIND_ERR_EMPTY_DOMAIN);
    return st;
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
        st = socind__fail(SOCIND_ERR_ARG, "row %zu of a table of %zu rows", i, t->n);
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
        if (level != 0) return 0;
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
    if (!buf) return SOCIND_OK; /* the size only */
    if (len >= cap)
        return socind__fail(SOCIND_ERR_BUFFER, "the label \"%s\" needs %zu bytes; cap is %zu",
                            label, len + 1, cap);
    memcpy(buf, label, len + 1);
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

/* The kept rows' columns and what the breakdowns share. */
typedef struct {
    size_t m;                  /* children kept in the table */
    int survey;                /* the caller's design has strata or PSU ids (anthro's
                                  survey backend); else anthro's closed formulas */
    const socind_design *d;    /* the design over the kept rows (d_own or the caller's) */
    socind_design *d_own;      /* the caller's design restricted to the kept rows */
    const double *w;           /* the design's weights */
    double *both[2];           /* the combined indicators' 0/1 columns (HA_2_WH_2, HA_2_WH2) */
    double *zmean[4];          /* z for the mean and SD (oedema excluded) */
    double *aux[4];            /* z for the prevalences and counts (oedema as −3.1) */
    unsigned char *flagged[4]; /* 1 where WHO's flag excluded the z-score */
    socind_options o;
    unsigned inds; /* indicators in the table (bit per SOCIND_NUT_*) */
    /* a partial state without a PSU column: d has one "PSU" per stratum
       (its n_h, scale and df those of the kept children, every child its
       own PSU) and the sums carry second moments (NULL: PSU sums) */
    const socind__prev_moments *mom;
    /* a calibrated design (every row kept in it): 1 for the rows the table
       leaves out (in no group, no value), else NULL */
    const unsigned char *gone;
} nut;

/* Per-PSU accumulators of one domain: for each of the four indicators
 * [count, Σw, Σw·1[cut c] (6), count, Σw, Σw·z, Σw·z², count with w > 0,
 * flagged] (14), then the combined indicators [count, Σw, Σw·both<−2,
 * Σw·HA<−2&WH>+2, flagged]. */
#define ACC_IND 14
#define ACC_COMB (4 * ACC_IND)
#define ACC_M (ACC_COMB + 5)
_Static_assert(ACC_M == SOCIND__PREV_ACC, "a state's cells hold the table's accumulators");

/* Σ of one accumulator slot over the domain's PSUs. */
static int64_t slot_sum(const socind__work *big, int slot) {
    double v = 0;
    for (size_t t = 0; t < big->touched.n; t++)
        v += big->acc[(size_t)big->touched.list[t] * (size_t)big->m + slot];
    return (int64_t)v;
}

/* The second-moment slots (from SOCIND__PREV_ACC on) of the statistic
 * whose numerator is slot num: Σw², Σw·x·w, Σ(w·x)² over its rows. */
static void moment_slots(int num, int *sww, int *sxw, int *sxx) {
    const int b = SOCIND__PREV_ACC;
    if (num >= ACC_COMB) { /* the combined indicators: 0/1 */
        *sww = b + 40;
        *sxw = *sxx = b + 41 + (num - ACC_COMB - 2);
        return;
    }
    int ind = num / ACC_IND, j = num % ACC_IND;
    if (j == 10) { /* the mean: x = z */
        *sww = b + 10 * ind + 7, *sxw = b + 10 * ind + 8, *sxx = b + 10 * ind + 9;
    } else { /* a cut-off: x = 1[cut] */
        *sww = b + 10 * ind;
        *sxw = *sxx = b + 10 * ind + 1 + (j - 2);
    }
}

/* socind__work_variance for a design in which every kept child is its own
 * PSU, from each stratum's moments: the children's linearized values
 * u = w·(x − r)/W (0 where the statistic has no value) have Σu = (X −
 * r·W_h)/W and Σu² = (Σw²x² − 2r·Σw²x + r²·Σw²)/W² in stratum h, and the
 * stratum's centred sum of squares over its n_h PSUs is Σu² − (Σu)²/n_h;
 * the present strata, the centre of "adjust" and the rules FULL / SUBSET
 * and "average" as socind__work_variance. */
static int32_t moment_variance(const nut *u, const socind__work *big, int full, int cnt, int wsum,
                               int num, double r, double Bt, double *var) {
    const socind_design *d = u->d;
    const socind__prev_moments *mo = u->mom;
    const size_t M = (size_t)big->m;
    int sww, sxw, sxx;
    moment_slots(num, &sww, &sxw, &sxx);
    socind__ksum grand = {0, 0}, v = {0, 0}, tls = {0, 0};
    double npsu_present = 0.0;
    size_t nh_present = 0, lonely = 0;
    for (size_t t = 0; t < big->touched.n; t++) {
        const int32_t h = big->touched.list[t];
        const double *acc = big->acc + (size_t)h * M;
        if (acc[cnt] == 0) continue;
        socind__kadd(&grand, (acc[num] - r * acc[wsum]) / Bt);
        npsu_present += (double)d->stratum_npsu[h];
        nh_present++;
    }
    const double counted = full ? (double)u->m : npsu_present;
    const double centre = counted > 0 ? socind__kval(&grand) / counted : 0.0;
    for (size_t t = 0; t < big->touched.n; t++) {
        const int32_t h = big->touched.list[t];
        const double *acc = big->acc + (size_t)h * M;
        if (acc[cnt] == 0) continue;
        const double s1 = (acc[num] - r * acc[wsum]) / Bt;
        const int32_t nh = d->stratum_npsu[h];
        if (nh >= 2) {
            double s2 = (acc[sxx] - 2.0 * r * acc[sxw] + r * r * acc[sww]) / (Bt * Bt);
            double q = s2 - s1 * s1 / (double)nh;
            socind__kadd(&v, d->stratum_scale[h] * (q > 0.0 ? q : 0.0));
        } else {
            lonely++;
            socind__kadd(&tls, d->stratum_scale[h]);
            if (d->lonely_psu == SOCIND_LONELY_ADJUST)
                socind__kadd(&v, d->stratum_scale[h] * (s1 - centre) * (s1 - centre));
        }
    }
    size_t nh_counted = nh_present;
    if (full) {
        if (d->lonely_psu == SOCIND_LONELY_ADJUST && mo->nlonely > lonely) {
            double a = mo->lonely_scale - socind__kval(&tls);
            socind__kadd(&v, (a > 0.0 ? a : 0.0) * centre * centre);
        }
        lonely = mo->nlonely;
        nh_counted = d->nstrata;
    }
    double result = socind__kval(&v);
    int32_t status = SOCIND_OK;
    if (d->lonely_psu == SOCIND_LONELY_AVERAGE && lonely > 0) {
        if (lonely == nh_counted) {
            result = NAN;
            status = socind__fail(SOCIND_ERR_LONELY_PSU,
                                  "every stratum with observations has a single PSU: the "
                                  "'average' policy has nothing to average");
        } else {
            result *= (double)nh_counted / (double)(nh_counted - lonely);
        }
    }
    *var = result;
    return status;
}

/* The interval of one row of the table. anthro pins a prevalence of 0 to
 * [0, 0] after svyciprop's logit interval whatever the design's df and SE
 * (at df 0 that interval is NA and the pin fills it); socind pins 0 and 1 (100 %)
 * so under the logit interval, which needs no quantile there. The means and
 * the other intervals follow socind__fill_ci (df 0: SOCIND_ERR_DF). */
static void table_ci(socind_estimate *e, const socind_options *o, double df, int is_prop) {
    if (is_prop && o->prop_ci == SOCIND_PROP_CI_LOGIT && (e->value == 0.0 || e->value == 1.0)) {
        /* (an SE that failed keeps its status, as anthro pins r = 0 whatever
           its SE) */
        e->df = df;
        e->ci_low = e->ci_high = e->value;
        return;
    }
    socind__fill_ci(e, o, df, is_prop);
}

/* One statistic of one domain from the PSU accumulators: the ratio Σw·x/Σw
 * over the rows counted in slot cnt, its variance from the touched PSUs with
 * such rows. */
static void ratio_stat(const nut *u, socind__work *big, socind__work *one, int cnt, int wsum,
                       int num, int is_prop, socind_estimate *e) {
    socind__ksum A = {0, 0}, B = {0, 0};
    double n = 0;
    for (size_t t = 0; t < big->touched.n; t++) {
        const double *acc = big->acc + (size_t)big->touched.list[t] * (size_t)big->m;
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
    double var;
    int32_t vst;
    if (u->mom) {
        vst = moment_variance(u, big, one->full, cnt, wsum, num, r, Bt, &var);
    } else {
        for (size_t t = 0; t < big->touched.n; t++) {
            int32_t p = big->touched.list[t];
            const double *acc = big->acc + (size_t)p * (size_t)big->m;
            if (acc[cnt] == 0) continue; /* no row of this statistic: not present */
            *socind__touch(one, p) = (acc[num] - r * acc[wsum]) / Bt;
        }
        vst = socind__work_variance(one, &var);
    }
    e->value = r;
    e->se = vst ? NAN : sqrt(var);
    if (vst) e->status = vst;
    table_ci(e, &u->o, socind_design_df(u->d), is_prop);
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
        double c1 = u->both[0][k];
        if (!isnan(c1)) {
            double *a = acc + ACC_COMB;
            a[0] += 1;
            a[1] += wk;
            a[2] += wk * c1;
            a[3] += wk * u->both[1][k];
        }
    }
}

/* The PSU sums of the cells of the under-5 table's standard breakdowns
 * (age group incl. none × sex incl. none: cell = 3·(age group, 6 for none)
 * + (0 female, 1 male, 2 none)), built in one pass; each breakdown's group
 * sums are then sums of cells. Used when it fits in memory. */
#define NCELL 21
typedef struct {
    double *acc;   /* npsu × NCELL × ACC_M */
    int32_t *rows; /* npsu × NCELL */
} cellbuf;

/* the group of each cell in the standard breakdowns (−1: in none) */
static const int32_t CELL_ALL[NCELL] = {0};
static const int32_t CELL_AGE[NCELL] = {0, 0, 0, 1, 1, 1, 2, 2,  2,  3, 3,
                                        3, 4, 4, 4, 5, 5, 5, -1, -1, -1};
static const int32_t CELL_SEX[NCELL] = {0,  1, -1, 0,  1, -1, 0,  1, -1, 0, 1,
                                        -1, 0, 1,  -1, 0, 1,  -1, 0, 1,  -1};
static const int32_t CELL_AGE_SEX[NCELL] = {0,  1, -1, 2,  3,  -1, 4,  5,  -1, 6, 7,
                                            -1, 8, 9,  -1, 10, 11, -1, -1, -1, -1};

/* The PSU sums of group j of a breakdown into big: from its cells (cb), or
 * from its rows. */
static void group_sums(const nut *u, const socind__groups *grp, int32_t j, const cellbuf *cb,
                       const int32_t *cell_group, socind__work *big) {
    int comb = (u->inds >> SOCIND_NUT_HA_2_WH_2) & 1;
    if (cb) {
        size_t P = u->d->npsu;
        for (size_t p = 0; p < P; p++)
            for (int c = 0; c < NCELL; c++) {
                if (cell_group[c] != j || cb->rows[p * NCELL + c] == 0) continue;
                double *dst = socind__touch(big, (int32_t)p);
                const double *src = cb->acc + (p * NCELL + (size_t)c) * ACC_M;
                for (int q = 0; q < ACC_M; q++) dst[q] += src[q];
            }
        return;
    }
    const int32_t *rp = u->d->row_psu;
    int32_t last = -1;
    double *acc = NULL;
    size_t ng = socind__group_size(grp, j);
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(grp, j, i);
        if (rp[k] != last) acc = socind__touch(big, last = rp[k]);
        accumulate_row(u, acc, k, u->w[k], comb);
    }
}

/* The critical value of anthro's closed formulas: t on N − 1 df */
typedef struct {
    double q;
    int32_t status;
} closed_q;

/* The MEAN row of indicator ind (its accumulators from base) with its SD:
 * sqrt(Σw(z − r)²/Σw · n/(n − 1)); the design path counts the children
 * with a non-zero weight, the closed formulas every child. Σw·z² −
 * (Σw·z)²/Σw loses digits when the SD is far below |z̄| (relative error
 * ~1e-16·z̄²/SD²; socind/nutrition.h), which sums that merge cannot avoid. */
static void mean_row(const nut *u, socind__work *big, socind__work *one, int base,
                     const closed_q *cq, socind_prevalence_row *rm) {
    rm->statistic = SOCIND_NUT_MEAN;
    ratio_stat(u, big, one, base + 8, base + 9, base + 10, 0, &rm->est);
    socind__ksum s1 = {0, 0}, s2 = {0, 0}, sw = {0, 0};
    double cnt = 0;
    for (size_t q = 0; q < big->touched.n; q++) {
        const double *acc = big->acc + (size_t)big->touched.list[q] * (size_t)big->m + base;
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
        rm->est.ci_low = rm->est.value - cq->q * rm->est.se;
        rm->est.ci_high = rm->est.value + cq->q * rm->est.se;
        rm->est.df = (double)u->m - 1.0;
        if (cq->status && rm->est.status == SOCIND_OK) rm->est.status = cq->status;
        socind__check_finite(&rm->est);
    }
}

/* The rows of one group (7 per indicator, 1 per combined one, in
 * SOCIND_NUT_* order; r7 has 7 slots per indicator) from its PSU sums. */
static void group_rows(const nut *u, socind__work *big, socind__work *one, const closed_q *cq,
                       socind_prevalence_row *r7) {
    for (int ind = 0; ind < SOCIND_NUT_INDICATOR_COUNT; ind++) {
        if (!(u->inds & (1u << ind))) continue;
        socind_prevalence_row *r0 = r7 + ind * 7;
        int both = ind >= 4, base = both ? ACC_COMB : ind * ACC_IND;
        int64_t flagged = slot_sum(big, both ? ACC_COMB + 4 : base + 13);
        for (int c = 0; c < (both ? 1 : 6); c++) {
            socind_prevalence_row *r = r0 + c;
            r->statistic = both ? SOCIND_NUT_BOTH : c;
            int num = both ? ACC_COMB + (ind == SOCIND_NUT_HA_2_WH_2 ? 2 : 3) : base + 2 + c;
            ratio_stat(u, big, one, base, base + 1, num, 1, &r->est);
            r->stdev = NAN;
            r->pop_weighted = r->est.weight_sum;
            r->pop_unweighted = r->est.n;
        }
        if (!both) {
            mean_row(u, big, one, base, cq, r0 + 6);
            r0[6].pop_weighted = r0->pop_weighted;
            r0[6].pop_unweighted = r0->pop_unweighted;
        }
        for (int c = 0; c < 7; c++) {
            r0[c].indicator = ind;
            r0[c].flagged = flagged;
        }
    }
}

/* One breakdown of a table: its kind, its number of groups G, the order
 * its groups are reported in and their levels (NULL: 0 .. G − 1), whether
 * it reports weight-for-age as missing (anthroplus's All and Sex), and the
 * group of each cell (the under-5 table's standard breakdowns) or NULL. */
typedef struct {
    int32_t kind, G;
    const int32_t *order, *levels;
    int blank_wa;
    const int32_t *cell_group;
} bd_spec;

/* Appends a breakdown's rows r7 (7 per indicator per group) to the table in
 * anthro's order. */
static int32_t append_rows(const nut *u, socind_prevalence_table *t, const bd_spec *b,
                           socind_prevalence_row *r7) {
    for (int32_t oi = 0; oi < b->G; oi++) {
        int32_t j = b->order ? b->order[oi] : oi;
        for (int ind = 0; ind < SOCIND_NUT_INDICATOR_COUNT; ind++) {
            if (!(u->inds & (1u << ind))) continue;
            for (int c = 0; c < (ind < 4 ? 7 : 1); c++) {
                socind_prevalence_row *r =
                    &r7[((size_t)j * SOCIND_NUT_INDICATOR_COUNT + ind) * 7 + c];
                if (b->blank_wa && ind == SOCIND_NUT_WA) {
                    socind__estimate_nan(&r->est, SOCIND_ERR_EMPTY_DOMAIN);
                    r->stdev = NAN;
                    r->pop_weighted = NAN;
                    r->pop_unweighted = 0;
                }
                r->group_kind = b->kind;
                r->group_level = b->levels ? b->levels[j] : j;
                if (!push(t, r))
                    return socind__fail(SOCIND_ERR_NOMEM,
                                        "allocation failed for the prevalence table");
            }
        }
    }
    return SOCIND_OK;
}

/* All rows of one breakdown (codes over the m rows, or its cells) appended
 * to the table: one pass over the rows (or the cells) per group fills every
 * statistic's PSU sums. */
static int32_t breakdown(const nut *u, socind_prevalence_table *t, const bd_spec *b,
                         const int32_t *codes, const cellbuf *cb) {
    if (!b->cell_group) cb = NULL;
    socind_prevalence_row *r7 = calloc((size_t)b->G * SOCIND_NUT_INDICATOR_COUNT * 7, sizeof *r7);
    socind__groups grp;
    socind__work big, one;
    memset(&big, 0, sizeof big);
    memset(&one, 0, sizeof one);
    int32_t st = socind__groups_init(&grp, cb ? NULL : codes, b->G, u->m);
    if (cb) grp.ngroups = b->G;
    if (!r7) st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the prevalence table");
    if (!st) st = socind__work_init(&big, u->d, ACC_M);
    if (!st) st = socind__work_init(&one, u->d, 1);
    if (!st) socind__work_rule(&one, &u->o, SOCIND_DOMAIN_RULE_SUBSET); /* svyciprop */
    closed_q cq = {NAN, SOCIND_OK};
    if (!st && !u->survey) cq.status = socind__critical(&u->o, (double)u->m - 1.0, &cq.q);
    for (int32_t j = 0; !st && j < grp.ngroups; j++) {
        group_sums(u, &grp, j, cb, b->cell_group, &big);
        group_rows(u, &big, &one, &cq, r7 + (size_t)j * SOCIND_NUT_INDICATOR_COUNT * 7);
        socind__work_reset(&big);
    }
    if (!st) st = append_rows(u, t, b, r7);
    socind__work_free(&big);
    socind__work_free(&one);
    socind__groups_free(&grp);
    free(r7);
    return st;
}

/* Resolves the options and checks the domain column over the n rows. */
static int32_t check_args(size_t n, const int32_t *group, int32_t n_groups,
                          const socind_options *opts, nut *u) {
    memset(u, 0, sizeof *u);
    int32_t st = socind__resolve_options(opts, &u->o);
    if (st) return st;
    if (group) {
        if (n_groups < 1) return socind__fail(SOCIND_ERR_ARG, "n_groups must be >= 1");
        for (size_t k = 0; k < n; k++)
            if (group[k] < -1 || group[k] >= n_groups)
                return socind__fail_row(SOCIND_ERR_GROUP, k,
                                        "group[%zu] is %d; codes must be in [-1, %d)", k,
                                        (int)group[k], (int)n_groups);
    }
    return SOCIND_OK;
}

/* The design over the m kept rows: the caller's, restricted to them when
 * rows were left out (as anthro builds its design after the age filter). */
static int32_t nut_design(nut *u, const socind_design *d, const int32_t *keep, size_t m) {
    u->m = m;
    /* a calibrated design's figures are the design's (its df), never the
       closed formulas */
    u->survey = d->has_strata || d->has_psu || d->cal != NULL;
    u->d = d;
    if (m < d->n) {
        int32_t st = socind__design_subset(d, keep, m, &u->d_own);
        if (st) return st;
        u->d = u->d_own;
    }
    u->w = u->d->w;
    return SOCIND_OK;
}

/* Cut-off and mean columns over the kept rows from z-scores and flags of the
 * four indicators (zc/fc over all n rows; NULL = not in the table); aux[i]
 * says whether kept row i counts as −3.1 for indicator ind (oedema). */
static int32_t fill_columns(nut *u, const int32_t *keep, double *const *zc, int32_t *const *fc,
                            const unsigned char *oed_aux) {
    size_t m = u->m;
    int comb = (u->inds >> SOCIND_NUT_HA_2_WH_2) & 1;
    /* the columns, unless made already (a block of a partial state) */
    for (int j = 0; comb && j < 2; j++)
        if (!u->both[j] && !(u->both[j] = malloc(m * sizeof(double))))
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    for (int ind = 0; ind < 4; ind++)
        if ((u->inds & (1u << ind)) && !u->zmean[ind] &&
            (!(u->zmean[ind] = malloc(m * sizeof(double))) ||
             !(u->aux[ind] = malloc(m * sizeof(double))) || !(u->flagged[ind] = calloc(m, 1))))
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
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
        if (comb) {
            double ha = aux[SOCIND_NUT_HA], wh = aux[SOCIND_NUT_WH];
            int na = isnan(ha) || isnan(wh);
            u->both[0][i] = na ? NAN : (double)(ha < -2 && wh < -2);
            u->both[1][i] = na ? NAN : (double)(ha < -2 && wh > 2);
        }
    }
    return SOCIND_OK;
}

static void nut_free(nut *u) {
    for (int i = 0; i < 4; i++) free(u->zmean[i]), free(u->aux[i]), free(u->flagged[i]);
    free(u->both[0]), free(u->both[1]);
    socind_design_free(u->d_own);
}

static inline int32_t age_group_u5(double mo) {
    return isnan(mo) || mo < 0 || !(mo < 60) ? -1
           : mo < 6                          ? 0
           : mo < 12                         ? 1
                                             : 1 + (int32_t)(mo / 12.0);
}

static inline int32_t age_group2(double mo) {
    return mo < 120.0 ? 0 : mo < 180.0 ? 1 : 2;
}

/* The group code of a kept child (age in months mo, sex) in a breakdown. */
static int32_t code_of(int32_t kind, double mo, int32_t sex) {
    int32_t male = sex == SOCIND_SEX_MALE ? 1 : sex == SOCIND_SEX_FEMALE ? 0 : -1;
    switch (kind) {
    case SOCIND_GROUP_AGE:
        return age_group_u5(mo);
    case SOCIND_GROUP_SEX:
        return male;
    case SOCIND_GROUP_AGE_SEX: {
        int32_t ag = age_group_u5(mo);
        return ag < 0 || male < 0 ? -1 : 2 * ag + male;
    }
    case SOCIND_GROUP_AGE1:
        return mo >= 228.0 ? 14 : (int32_t)((mo - 60.0) / 12.0);
    case SOCIND_GROUP_AGE2:
        return age_group2(mo);
    case SOCIND_GROUP_AGE2_SEX:
        return male < 0 ? -1 : 2 * age_group2(mo) + male;
    default: /* SOCIND_GROUP_ALL */
        return 0;
    }
}

/* The children of one table: the 2006 or the 2007 input. */
typedef struct {
    const socind_growth_input *in06;     /* or NULL */
    const socind_growth2007_input *in07; /* or NULL */
    const int32_t *sex, *oedema;
} kids;

/* z-scores and flags (WHO rounding, flags on the rounded values) of the
 * table's indicators (HA, WA, BMI[, WH]) into zc/fc. */
static int32_t kids_zscores(const kids *c, size_t n, double *const *zc, int32_t *const *fc) {
    if (c->in06) {
        socind_growth_output go;
        socind_growth_output_init(&go);
        go.zlen = zc[0], go.zwei = zc[1], go.zbmi = zc[2], go.zwfl = zc[3];
        go.flen = fc[0], go.fwei = fc[1], go.fbmi = fc[2], go.fwfl = fc[3];
        return socind_growth_who2006(n, c->in06, SOCIND_ROUND_WHO, &go);
    }
    socind_growth2007_output go;
    socind_growth2007_output_init(&go);
    go.zhfa = zc[0], go.zwfa = zc[1], go.zbfa = zc[2];
    go.fhfa = fc[0], go.fwfa = fc[1], go.fbfa = fc[2];
    return socind_growth_who2007(n, c->in07, SOCIND_ROUND_WHO, &go);
}

/* Whether child k stays in the table (anthro: rows older than 1826 days
 * leave, missing ages stay; anthroplus: a missing age or one outside 60–228
 * months leaves); its age in months (NaN: none) and the indicators for which
 * oedema makes it count as −3.1 (anthro: WA, BMI and WH, whatever the
 * child's data but a negative age, which leaves the row out of every
 * indicator — growth.h — as anthro refuses it; anthroplus: BMI, and WA up
 * to 120 months). */
static int kid_kept(const kids *c, size_t k, double *mo, unsigned char *oed) {
    int oe = c->oedema && c->oedema[k] == SOCIND_OEDEMA_YES;
    if (c->in06) {
        const socind_growth_input *in = c->in06;
        double a = in->age ? in->age[k] : NAN, days = NAN;
        if (a < 0) oe = 0;
        *mo = NAN;
        if (!isnan(a) && a >= 0) {
            days =
                in->age_in_months ? socind__round_half_up(a * 30.4375) : socind__round_half_up(a);
            *mo = in->age_in_months ? a : a / 30.4375;
        }
        *oed = oe ? (unsigned char)((1u << SOCIND_NUT_WA) | (1u << SOCIND_NUT_BMI) |
                                    (1u << SOCIND_NUT_WH))
                  : 0;
        return !(days > 1826.0);
    }
    double a = c->in07->age_months[k];
    *mo = a;
    *oed =
        oe ? (unsigned char)((1u << SOCIND_NUT_BMI) | (a <= 120.0 ? 1u << SOCIND_NUT_WA : 0)) : 0;
    return a >= 60.0 && a <= 228.0;
}

/* What makes one table: its indicators, its breakdowns (the caller's domain
 * follows them), and whether the standard breakdowns come from cells. */
typedef struct {
    unsigned inds;
    int nz; /* z-score columns: HA, WA, BMI[, WH] */
    const bd_spec *bd;
    int nbd;
    int cells;
    const char *none_kept; /* the detail when the age filter keeps nobody */
} table_spec;

static const int32_t SEX_LEVELS[2] = {2, 1}; /* female first, as anthro */
/* anthro's order of age × sex: age varies fastest, the Female block first */
static const int32_t AGE_SEX_ORDER[12] = {0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11};

static const bd_spec BD_2006[] = {
    {SOCIND_GROUP_ALL, 1, NULL, NULL, 0, CELL_ALL},
    {SOCIND_GROUP_AGE, 6, NULL, NULL, 0, CELL_AGE},
    {SOCIND_GROUP_SEX, 2, NULL, SEX_LEVELS, 0, CELL_SEX},
    {SOCIND_GROUP_AGE_SEX, 12, AGE_SEX_ORDER, NULL, 0, CELL_AGE_SEX},
};
static const table_spec TABLE_2006 = {(1u << SOCIND_NUT_INDICATOR_COUNT) - 1, 4, BD_2006, 4, 1,
                                      "no child aged 1826 days or less"};

/* All and Sex report WA as missing (weight-for-age stops at 10 years) */
static const bd_spec BD_2007[] = {
    {SOCIND_GROUP_ALL, 1, NULL, NULL, 1, NULL},
    {SOCIND_GROUP_SEX, 2, NULL, SEX_LEVELS, 1, NULL},
    {SOCIND_GROUP_AGE1, 15, NULL, NULL, 0, NULL},
    {SOCIND_GROUP_AGE2, 3, NULL, NULL, 0, NULL},
    {SOCIND_GROUP_AGE2_SEX, 6, NULL, NULL, 0, NULL},
};
static const table_spec TABLE_2007 = {(1u << SOCIND_NUT_HA) | (1u << SOCIND_NUT_WA) |
                                          (1u << SOCIND_NUT_BMI),
                                      3,
                                      BD_2007,
                                      5,
                                      0,
                                      "no child aged 60 to 228 months"};

/* The cells' PSU sums in one pass over the kept rows (codes: their cells),
 * when they fit in 256 MB: 1, else 0 (the breakdowns then read the rows). */
static int cells_fill(const nut *u, const int32_t *codes, cellbuf *cb) {
    size_t P = u->d->npsu;
    if (P > ((size_t)32 << 20) / (NCELL * ACC_M)) return 0;
    cb->acc = calloc(P * NCELL * ACC_M, sizeof *cb->acc);
    cb->rows = calloc(P * NCELL, sizeof *cb->rows);
    if (!cb->acc || !cb->rows) return 0;
    const int32_t *rp = u->d->row_psu;
    int comb = (u->inds >> SOCIND_NUT_HA_2_WH_2) & 1;
    for (size_t i = 0; i < u->m; i++) {
        size_t cell = (size_t)rp[i] * NCELL + (size_t)codes[i];
        cb->rows[cell]++;
        accumulate_row(u, cb->acc + cell * ACC_M, i, u->w[i], comb);
    }
    return 1;
}

/* Every breakdown of the table (the caller's domain last) from the kept rows
 * (keep, their ages in months and sexes). */
static int32_t all_breakdowns(const nut *u, const table_spec *ts, socind_prevalence_table *t,
                              const int32_t *keep, const double *months, const int32_t *sex,
                              const int32_t *group, int32_t n_groups, int32_t *codes) {
    size_t m = u->m;
    cellbuf cb = {0};
    int use_cells = 0;
    if (ts->cells && !u->d->cal) { /* a calibrated design: a unit per row */
        for (size_t i = 0; i < m; i++) {
            int32_t ag = age_group_u5(months[i]), male = code_of(SOCIND_GROUP_SEX, 0, sex[keep[i]]);
            codes[i] = (ag < 0 ? 6 : ag) * 3 + (male < 0 ? 2 : male);
        }
        use_cells = cells_fill(u, codes, &cb);
    }
    const unsigned char *gone = u->gone;
    int32_t st = SOCIND_OK;
    for (int b = 0; !st && b < ts->nbd; b++) {
        const bd_spec *bd = &ts->bd[b];
        int all = bd->kind == SOCIND_GROUP_ALL && !gone;
        if (!all && !(use_cells && bd->cell_group))
            for (size_t i = 0; i < m; i++)
                codes[i] = gone && gone[i] ? -1 : code_of(bd->kind, months[i], sex[keep[i]]);
        st = breakdown(u, t, bd, all ? NULL : codes, use_cells ? &cb : NULL);
    }
    free(cb.acc);
    free(cb.rows);
    if (!st && group) {
        for (size_t i = 0; i < m; i++) codes[i] = gone && gone[i] ? -1 : group[keep[i]];
        bd_spec dom = {SOCIND_GROUP_DOMAIN, n_groups, NULL, NULL, 0, NULL};
        st = breakdown(u, t, &dom, codes, NULL);
    }
    return st;
}

/* c's children from off on (the inputs' columns moved by off) into *o,
 * through the copies s06 / s07. */
static void kids_shift(const kids *c, size_t off, kids *o, socind_growth_input *s06,
                       socind_growth2007_input *s07) {
    *o = *c;
    if (c->in06) {
        /* the fields the caller's struct has (checked by then: a larger
           struct's unknown bytes are zero), as this version's struct */
        memset(s06, 0, sizeof *s06);
        size_t sz = c->in06->size < sizeof *s06 ? c->in06->size : sizeof *s06;
        memcpy(s06, c->in06, sz);
        s06->size = sz;
#define SHIFT(f)                                                                                   \
    if (s06->f) s06->f += off
        SHIFT(sex);
        SHIFT(age);
        SHIFT(weight);
        SHIFT(lenhei);
        SHIFT(measure);
        SHIFT(oedema);
        SHIFT(headc);
        SHIFT(armc);
        SHIFT(triskin);
        SHIFT(subskin);
#undef SHIFT
        o->in06 = s06, o->sex = s06->sex, o->oedema = s06->oedema;
    } else {
        memset(s07, 0, sizeof *s07);
        size_t sz = c->in07->size < sizeof *s07 ? c->in07->size : sizeof *s07;
        memcpy(s07, c->in07, sz);
        s07->size = sz;
#define SHIFT(f)                                                                                   \
    if (s07->f) s07->f += off
        SHIFT(sex);
        SHIFT(age_months);
        SHIFT(height_cm);
        SHIFT(weight_kg);
        SHIFT(oedema);
#undef SHIFT
        o->in07 = s07, o->sex = s07->sex, o->oedema = s07->oedema;
    }
}

/* Below this many children a table runs on one thread. */
#define PREV_THREADS_MIN 8192

struct socind__prev_block {
    size_t cap;
    int y07;
    nut u; /* the block's columns (u.m children) */
    double *zc[4];
    int32_t *fc[4], *keep;
    unsigned char *oed;
};

/* The cell code of a kept child (age in months mo, sex). */
static int32_t cell_code(int y07, double mo, int32_t sex) {
    int32_t male = code_of(SOCIND_GROUP_SEX, 0, sex), s3 = male < 0 ? 2 : male;
    if (!y07) {
        int32_t ag = age_group_u5(mo);
        return (ag < 0 ? 6 : ag) * 3 + s3;
    }
    return (code_of(SOCIND_GROUP_AGE1, mo, sex) * 3 + age_group2(mo)) * 3 + s3;
}

/* The group of a cell in a standard breakdown (−1: in none). */
static int32_t cell_group(int y07, int32_t kind, int32_t code) {
    int32_t s3 = code % 3, rest = code / 3;
    if (!y07) {
        switch (kind) {
        case SOCIND_GROUP_AGE:
            return rest == 6 ? -1 : rest;
        case SOCIND_GROUP_SEX:
            return s3 == 2 ? -1 : s3;
        case SOCIND_GROUP_AGE_SEX:
            return rest == 6 || s3 == 2 ? -1 : 2 * rest + s3;
        default:
            return 0;
        }
    }
    int32_t a1 = rest / 3, a2 = rest % 3;
    switch (kind) {
    case SOCIND_GROUP_SEX:
        return s3 == 2 ? -1 : s3;
    case SOCIND_GROUP_AGE1:
        return a1;
    case SOCIND_GROUP_AGE2:
        return a2;
    case SOCIND_GROUP_AGE2_SEX:
        return s3 == 2 ? -1 : 2 * a2 + s3;
    default:
        return 0;
    }
}

void socind__prev_block_free(socind__prev_block *b) {
    if (!b) return;
    nut_free(&b->u);
    for (int i = 0; i < 4; i++) free(b->zc[i]), free(b->fc[i]);
    free(b->keep), free(b->oed);
    free(b);
}

int32_t socind__prev_block_new(int y07, size_t cap, socind__prev_block **out) {
    *out = NULL;
    const table_spec *ts = y07 ? &TABLE_2007 : &TABLE_2006;
    socind__prev_block *b = calloc(1, sizeof *b);
    if (!b) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    size_t c1 = cap ? cap : 1;
    b->cap = cap, b->y07 = y07;
    b->u.inds = ts->inds;
    b->keep = malloc(c1 * sizeof *b->keep);
    b->oed = malloc(c1);
    int ok = b->keep && b->oed;
    for (int i = 0; i < ts->nz; i++) {
        b->zc[i] = malloc(c1 * sizeof(double));
        b->fc[i] = malloc(c1 * sizeof(int32_t));
        ok = ok && b->zc[i] && b->fc[i];
    }
    /* the columns fill_columns writes, made here once */
    for (int j = 0; !y07 && j < 2; j++) ok = ok && (b->u.both[j] = malloc(c1 * sizeof(double)));
    for (int ind = 0; ind < 4; ind++)
        if (b->u.inds & (1u << ind))
            ok = ok && (b->u.zmean[ind] = malloc(c1 * sizeof(double))) &&
                 (b->u.aux[ind] = malloc(c1 * sizeof(double))) && (b->u.flagged[ind] = malloc(c1));
    if (!ok) {
        socind__prev_block_free(b);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    *out = b;
    return SOCIND_OK;
}

int32_t socind__prev_block_fill(socind__prev_block *b, const socind_growth_input *in06,
                                const socind_growth2007_input *in07, size_t off, size_t n) {
    kids c0 = {in06, in07, in06 ? in06->sex : in07->sex, in06 ? in06->oedema : in07->oedema}, c;
    socind_growth_input s06;
    socind_growth2007_input s07;
    kids_shift(&c0, off, &c, &s06, &s07);
    int32_t st = kids_zscores(&c, n, b->zc, b->fc);
    if (st) return st;
    for (size_t k = 0; k < n; k++) {
        double mo;
        b->keep[k] = (int32_t)k;
        kid_kept(&c, k, &mo, &b->oed[k]);
    }
    b->u.m = n;
    return fill_columns(&b->u, b->keep, b->zc, b->fc, b->oed);
}

int32_t socind__prev_check_input(const socind_growth_input *in06,
                                 const socind_growth2007_input *in07) {
    kids c = {in06, in07, in06 ? in06->sex : in07->sex, in06 ? in06->oedema : in07->oedema};
    double *zc[4] = {0};
    int32_t *fc[4] = {0};
    return kids_zscores(&c, 0, zc, fc);
}

void socind__prev_codes(const socind_growth_input *in06, const socind_growth2007_input *in07,
                        size_t n, int32_t *code) {
    kids c = {in06, in07, in06 ? in06->sex : in07->sex, in06 ? in06->oedema : in07->oedema};
    for (size_t k = 0; k < n; k++) {
        double mo;
        unsigned char oed;
        code[k] = kid_kept(&c, k, &mo, &oed) ? cell_code(in07 != NULL, mo, c.sex[k]) : -1;
    }
}

void socind__prev_block_add(const socind__prev_block *b, size_t i, double w, double *acc) {
    accumulate_row(&b->u, acc, i, w, (b->u.inds >> SOCIND_NUT_HA_2_WH_2) & 1);
}

void socind__prev_block_add2(const socind__prev_block *b, size_t k, double w, double *m) {
    const nut *u = &b->u;
    const double w2 = w * w;
    for (int ind = 0; ind < 4; ind++) {
        if (!(u->inds & (1u << ind))) continue;
        double *a = m + 10 * ind;
        double x = u->aux[ind][k];
        double wx = isnan(x) ? 0.0 : w2;
        a[0] += wx;
        a[1] += wx * (double)(x < -3.0);
        a[2] += wx * (double)(x < -2.0);
        a[3] += wx * (double)(x < -1.0);
        a[4] += wx * (double)(x > 1.0);
        a[5] += wx * (double)(x > 2.0);
        a[6] += wx * (double)(x > 3.0);
        double z = u->zmean[ind][k];
        double wz = isnan(z) ? 0.0 : w2, zz = isnan(z) ? 0.0 : z;
        a[7] += wz;
        a[8] += wz * zz;
        a[9] += wz * zz * zz;
    }
    if ((u->inds >> SOCIND_NUT_HA_2_WH_2) & 1) {
        double c1 = u->both[0][k];
        if (!isnan(c1)) {
            m[40] += w2;
            m[41] += w2 * c1;
            m[42] += w2 * u->both[1][k];
        }
    }
}

/* One breakdown from the cells of a state: the cells of each group are
 * gathered (a counting sort by group), their sums added per PSU. */
static int32_t breakdown_cells(const nut *u, socind_prevalence_table *t, const bd_spec *b,
                               const socind__prev_cells *c, int y07, socind__work *bigw,
                               socind__work *onew) {
    const size_t G = (size_t)b->G, nc = c->n;
    socind_prevalence_row *r7 = calloc(G * SOCIND_NUT_INDICATOR_COUNT * 7, sizeof *r7);
    size_t *start = calloc(G + 1, sizeof *start);
    int32_t *gof = malloc((nc ? nc : 1) * sizeof *gof), *ord = malloc((nc ? nc : 1) * sizeof *ord);
    socind__work *big = bigw, *one = onew;
    int32_t st = SOCIND_OK;
    if (!r7 || !start || !gof || !ord)
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the prevalence table");
    if (!st) {
        for (size_t i = 0; i < nc; i++) {
            int32_t g =
                b->kind == SOCIND_GROUP_DOMAIN ? c->group[i] : cell_group(y07, b->kind, c->code[i]);
            gof[i] = g;
            if (g >= 0) start[g + 1]++;
        }
        for (size_t j = 0; j < G; j++) start[j + 1] += start[j];
        for (size_t i = 0; i < nc; i++)
            if (gof[i] >= 0) ord[start[gof[i]]++] = (int32_t)i;
        for (size_t j = G; j > 0; j--) start[j] = start[j - 1];
        start[0] = 0;
    }
    closed_q cq = {NAN, SOCIND_OK};
    if (!st && !u->survey) cq.status = socind__critical(&u->o, (double)u->m - 1.0, &cq.q);
    for (size_t j = 0; !st && j < G; j++) {
        for (size_t q = start[j]; q < start[j + 1]; q++) {
            size_t i = (size_t)ord[q];
            double *dst = socind__touch(big, c->psu[i]);
            const double *src = c->acc + i * (size_t)c->stride;
            for (int k = 0; k < c->stride; k++) dst[k] += src[k];
        }
        group_rows(u, big, one, &cq, r7 + j * SOCIND_NUT_INDICATOR_COUNT * 7);
        socind__work_reset(big);
    }
    if (!st) st = append_rows(u, t, b, r7);
    free(r7), free(start), free(gof), free(ord);
    return st;
}

int32_t socind__prev_table(int y07, const socind_design *d, size_t m, int survey,
                           const socind__prev_cells *c, const socind__prev_moments *mom,
                           const socind_options *o, socind_prevalence_table **out) {
    *out = NULL;
    const table_spec *ts = y07 ? &TABLE_2007 : &TABLE_2006;
    nut u;
    memset(&u, 0, sizeof u);
    u.m = m, u.survey = survey, u.d = d, u.w = d->w, u.o = *o, u.inds = ts->inds, u.mom = mom;
    socind_prevalence_table *t = calloc(1, sizeof *t);
    socind__work big, one; /* every breakdown's */
    memset(&big, 0, sizeof big);
    memset(&one, 0, sizeof one);
    int32_t st = t ? SOCIND_OK : socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    if (!st) st = socind__work_init(&big, d, c->stride);
    if (!st) st = socind__work_init(&one, d, 1);
    if (!st) socind__work_rule(&one, &u.o, SOCIND_DOMAIN_RULE_SUBSET); /* svyciprop */
    for (int b = 0; !st && b < ts->nbd; b++)
        st = breakdown_cells(&u, t, &ts->bd[b], c, y07, &big, &one);
    if (!st && c->n_groups > 0) {
        bd_spec dom = {SOCIND_GROUP_DOMAIN, c->n_groups, NULL, NULL, 0, NULL};
        st = breakdown_cells(&u, t, &dom, c, y07, &big, &one);
    }
    socind__work_free(&big);
    socind__work_free(&one);
    if (st) {
        socind_prevalence_table_free(t);
        return st;
    }
    *out = t;
    return SOCIND_OK;
}

/* The table of either reference (c's input NULL: in was NULL): z-scores →
 * the rows anthro keeps → the caller's design over them → cleaned columns →
 * every breakdown. */
static int32_t prevalence_replicated(const table_spec *ts, const kids *c,
                                     const socind_design *design, const int32_t *group,
                                     int32_t n_groups, const socind_options *opts,
                                     socind_prevalence_table **out);
static int32_t prevalence(const table_spec *ts, const kids *c, const socind_design *design,
                          const int32_t *group, int32_t n_groups, const socind_options *opts,
                          socind_prevalence_table **out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    *out = NULL;
    if (!design || (!c->in06 && !c->in07))
        return socind__fail(SOCIND_ERR_NULL, "%s is NULL", !design ? "design" : "in");
    if (!c->sex || (c->in07 && !c->in07->age_months))
        return socind__fail(SOCIND_ERR_NULL, "in->%s is NULL", !c->sex ? "sex" : "age_months");
    /* a calibrated design (socind/calibrate.h) keeps every row: the children
       the table leaves out stay in it with no value, as survey's subset of a
       calibrated design keeps them, and the table runs on this thread */
    const int cal = design->cal != NULL;
    size_t n = socind_design_nrows(design);
    nut u;
    int32_t st = check_args(n, group, n_groups, opts, &u);
    if (st) return st;
    if (design->rep && !design->rep_view)
        return prevalence_replicated(ts, c, design, group, n_groups, opts, out);
    int nt = socind__threads_in_force(u.o.threads);
    /* on threads, and without a PSU column on any number of threads (the
       states' moments per stratum replace a PSU per child) */
    if (!cal && ((nt > 1 && n >= PREV_THREADS_MIN) || !design->has_psu))
        return socind__prev_threads(design, c->in06, c->in07, group, n_groups, &u.o,
                                    n >= PREV_THREADS_MIN ? nt : 1, out);
    u.inds = ts->inds;
    double *zc[4] = {0}, *months = malloc(n * sizeof *months);
    int32_t *fc[4] = {0}, *codes = malloc(n * sizeof *codes), *keep = malloc(n * sizeof *keep);
    unsigned char *oed = malloc(n), *gone = cal ? malloc(n) : NULL;
    socind_prevalence_table *t = calloc(1, sizeof *t);
    int ok = months && codes && keep && oed && t && (gone || !cal);
    for (int i = 0; i < ts->nz; i++) {
        zc[i] = malloc(n * sizeof(double));
        fc[i] = malloc(n * sizeof(int32_t));
        ok = ok && zc[i] && fc[i];
    }
    if (!ok) st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    if (!st) st = kids_zscores(c, n, zc, fc);
    size_t m = 0, kept = 0;
    for (size_t k = 0; !st && k < n; k++) {
        int in_table = kid_kept(c, k, &months[m], &oed[m]);
        kept += (size_t)in_table;
        if (cal) gone[m] = (unsigned char)!in_table;
        if (!in_table && cal) { /* in the design, in no group, with no value */
            months[m] = NAN, oed[m] = 0;
            for (int i = 0; i < ts->nz; i++) zc[i][k] = NAN, fc[i][k] = 0;
        }
        if (in_table || cal) keep[m++] = (int32_t)k;
    }
    if (!st && kept == 0) st = socind__fail(SOCIND_ERR_EMPTY, "%s", ts->none_kept);
    if (!st) st = nut_design(&u, design, keep, m);
    u.gone = gone;
    if (!st) st = fill_columns(&u, keep, zc, fc, oed);
    if (!st) st = all_breakdowns(&u, ts, t, keep, months, c->sex, group, n_groups, codes);
    for (int i = 0; i < 4; i++) free(zc[i]), free(fc[i]);
    nut_free(&u);
    free(keep), free(months), free(codes), free(oed), free(gone);
    if (st) {
        socind_prevalence_table_free(t);
        return st;
    }
    *out = t;
    return SOCIND_OK;
}

static int32_t prevalence(const table_spec *ts, const kids *c, const socind_design *design,
                          const int32_t *group, int32_t n_groups, const socind_options *opts,
                          socind_prevalence_table **out);

/* One pass of the table on a view of a replicate design: its estimates into
 * dst (m of them, the full sample's rows); the full sample's table (from)
 * is copied instead of made again. A table of another shape is an error. */
static int32_t table_pass(const table_spec *ts, const kids *c, const socind_design *d,
                          const int32_t *group, int32_t n_groups, const socind_options *opts,
                          const socind_prevalence_table *from, size_t m, socind_estimate *dst) {
    socind_prevalence_table *t = NULL;
    int32_t st = SOCIND_OK;
    if (!from) st = prevalence(ts, c, d, group, n_groups, opts, &t);
    const socind_prevalence_table *src = from ? from : t;
    if (!st && src->n != m)
        st = socind__fail(SOCIND_ERR_MISMATCH, "a replicate's table has %zu rows, not %zu", src->n,
                          m);
    for (size_t i = 0; !st && i < m; i++) dst[i] = src->rows[i].est;
    socind_prevalence_table_free(t);
    return st;
}

/* The table on a replicate design (replicate.h): the full sample's table,
 * each estimate's SE from the replicates' tables (svrVar), a prevalence's
 * interval by opts->prop_ci, a mean z-score's symmetric. */
static int32_t prevalence_replicated(const table_spec *ts, const kids *c,
                                     const socind_design *design, const int32_t *group,
                                     int32_t n_groups, const socind_options *opts,
                                     socind_prevalence_table **out) {
    socind_design v;
    socind__rep_full_view(design, &v);
    socind_prevalence_table *t0 = NULL;
    int32_t st = prevalence(ts, c, &v, group, n_groups, opts, &t0);
    if (st) return st;
    const size_t m = t0->n;
    socind_estimate *est = malloc((m ? m : 1) * sizeof *est);
    if (!est) {
        socind_prevalence_table_free(t0);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    /* the prevalences' intervals by opts->prop_ci (on a replicate design
       the logit SE of the replicates' own logit p̂_r, as svyciprop's refits),
       the mean z-scores' symmetric */
    uint8_t *prop_rows = malloc(m ? m : 1);
    if (!prop_rows) {
        free(est);
        socind_prevalence_table_free(t0);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    for (size_t i = 0; i < m; i++) prop_rows[i] = t0->rows[i].statistic != SOCIND_NUT_MEAN;
    socind__reploop rl_;
    for (socind__rep_begin(&rl_, design, est, m); socind__rep_next(&rl_);)
        rl_.st = table_pass(ts, c, SOCIND__RV, group, n_groups, opts, rl_.r < 0 ? t0 : NULL, m,
                            SOCIND__RO);
    rl_.prop_rows = prop_rows;
    st = socind__rep_end(&rl_, opts, 0u, 1);
    free(prop_rows);
    socind_options o;
    if (!st) st = socind__resolve_options(opts, &o);
    for (size_t i = 0; !st && i < m; i++) {
        socind_estimate *e = &est[i];
        /* anthro's pin of a prevalence of 0 or 1 (table_ci) */
        if (t0->rows[i].statistic != SOCIND_NUT_MEAN && e->status == SOCIND_OK &&
            (e->value == 0.0 || e->value == 1.0)) {
            e->ci_low = e->ci_high = NAN;
            table_ci(e, &o, e->df, 1);
        }
        t0->rows[i].est = *e;
    }
    free(est);
    if (st) {
        socind_prevalence_table_free(t0);
        return st;
    }
    *out = t0;
    return SOCIND_OK;
}

int32_t socind_prevalence_who2006(const socind_design *design, const socind_growth_input *in,
                                  const int32_t *group, int32_t n_groups,
                                  const socind_options *opts, socind_prevalence_table **out) {
    kids c = {in, NULL, in ? in->sex : NULL, in ? in->oedema : NULL};
    return prevalence(&TABLE_2006, &c, design, group, n_groups, opts, out);
}

int32_t socind_prevalence_who2007(const socind_design *design, const socind_growth2007_input *in,
                                  const int32_t *group, int32_t n_groups,
                                  const socind_options *opts, socind_prevalence_table **out) {
    kids c = {NULL, in, in ? in->sex : NULL, in ? in->oedema : NULL};
    return prevalence(&TABLE_2007, &c, design, group, n_groups, opts, out);
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
    /* the bytes the caller's struct has (a field added after the first
       version is written only within q->size) */
    memset(q, 0, size < sizeof *q ? size : sizeof *q);
    q->size = size;
    for (int i = 0; i < 4; i++) q->sd[i] = NAN;
    q->lenhei_heaping = q->weight_heaping = q->age_heaping = NAN;
}

int32_t socind_growth_quality_init(socind_growth_quality *q) {
    int32_t st = socind__init_sized(q, sizeof *q, "q");
    if (!st) quality_clear(q);
    return st;
}

#define QUALITY_V1_SIZE (offsetof(socind_growth_quality, age_heaping) + sizeof(double))

/* The SD (divisor n − 1, unweighted) of the unflagged z-scores of one
 * indicator, counting the missing and the flagged ones. */
static double quality_sd(const double *z, const int32_t *f, size_t n, int64_t *missing,
                         int64_t *flagged) {
    double cnt = 0, shift = NAN;
    socind__ksum sd1 = {0, 0}, sd2 = {0, 0};
    for (size_t k = 0; k < n; k++) {
        if (isnan(z[k])) {
            (*missing)++;
        } else if (f[k] == 1) {
            (*flagged)++;
        } else {
            if (isnan(shift)) shift = z[k];
            double d = z[k] - shift;
            socind__kadd(&sd1, d);
            socind__kadd(&sd2, d * d);
            cnt += 1;
        }
    }
    double a = socind__kval(&sd1);
    return cnt > 1 ? sqrt((socind__kval(&sd2) - a * a / cnt) / (cnt - 1.0)) : NAN;
}

/* The summary of n children from their z-scores, flags and reason bits. */
static void quality_fill(socind_growth_quality *q, const socind_growth_input *in, size_t n,
                         double *const *z, int32_t *const *f, const int32_t *reason) {
    q->n = (int64_t)n;
    for (int i = 0; i < 4; i++)
        q->sd[i] = quality_sd(z[i], f[i], n, &q->missing[i], &q->flagged[i]);
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
    int32_t st0 = socind__growth_input_check(in);
    if (st0) return st0;
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
    if (!st) quality_fill(q, in, n, z, f, reason);
    for (int i = 0; i < 4; i++) free(z[i]), free(f[i]);
    free(reason);
    return st;
}
