/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/design.c — the survey design (validation, dense strata/PSU indices),
 * the variance engine (PSU totals → stratified with-replacement variance with
 * fpc and the lonely-PSU rules of R's survey 4.5), and domain row indices. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int32_t socind_design_options_init(socind_design_options *opts) {
    socind__clear_detail();
    if (!opts) return socind__fail(SOCIND_ERR_NULL, "opts is NULL");
    memset(opts, 0, sizeof *opts);
    opts->size = sizeof *opts;
    opts->lonely_psu = SOCIND_LONELY_FAIL;
    opts->nest = 0;
    opts->threads = 1;
    return SOCIND_OK;
}

#define DESIGN_OPTIONS_V1_SIZE (offsetof(socind_design_options, nest) + sizeof(int32_t))

void socind_design_free(socind_design *d) {
    if (!d) return;
    free(d->w);
    free(d->row_psu);
    free(d->psu_end);
    free(d->psu_stratum);
    free(d->stratum_npsu);
    free(d->stratum_f);
    free(d->stratum_scale);
    free(d->stratum_id);
    free(d);
}

size_t socind_design_nrows(const socind_design *d) {
    return d ? d->n : 0;
}
size_t socind_design_nstrata(const socind_design *d) {
    return d ? d->nstrata : 0;
}
size_t socind_design_npsu(const socind_design *d) {
    return d ? d->npsu : 0;
}
double socind_design_df(const socind_design *d) {
    return d ? d->df : NAN;
}

/* ---- socind_design_new, step by step ----
 * Each step below returns SOCIND_OK, a status with its detail message, or
 * SOCIND_ERR_NOMEM without one (socind_design_new writes that detail). */

/* The options in force: the defaults, or the caller's, validated. */
static int32_t resolve_design_options(const socind_design_options *opts, socind_design_options *o) {
    socind_design_options_init(o);
    if (opts) {
        int32_t st = socind__check_sized(opts, DESIGN_OPTIONS_V1_SIZE, sizeof *opts,
                                         "socind_design_options");
        if (st) return st;
        o->lonely_psu = opts->lonely_psu;
        o->nest = opts->nest;
        if (opts->size >= offsetof(socind_design_options, threads) + sizeof opts->threads)
            o->threads = opts->threads;
    }
    if (o->lonely_psu < SOCIND_LONELY_FAIL || o->lonely_psu > SOCIND_LONELY_CERTAINTY)
        return socind__fail(SOCIND_ERR_ARG, "unknown lonely_psu policy %d", (int)o->lonely_psu);
    if (o->nest != 0 && o->nest != 1)
        return socind__fail(SOCIND_ERR_ARG, "nest must be 0 or 1, got %d", (int)o->nest);
    if (o->threads < 0 || o->threads > SOCIND_MAX_THREADS)
        return socind__fail(SOCIND_ERR_ARG, "threads must be in 0 .. %d, got %d",
                            SOCIND_MAX_THREADS, (int)o->threads);
    return SOCIND_OK;
}

/* Weights finite and >= 0, not all 0; fpc values (when given) finite and > 0. */
static int32_t check_weights_and_fpc(size_t n, const double *weight, const double *fpc) {
    int any_positive = 0;
    for (size_t k = 0; k < n; k++) {
        double w = weight[k];
        if (!(w >= 0.0) || isinf(w))
            return socind__fail_row(SOCIND_ERR_WEIGHT, k,
                                    "weight[%zu] is %g; weights must be finite and >= 0", k, w);
        if (w > 0.0) any_positive = 1;
    }
    if (!any_positive) return socind__fail(SOCIND_ERR_ZERO_WEIGHTS, "all %zu weights are zero", n);
    if (fpc) {
        for (size_t k = 0; k < n; k++)
            if (!(fpc[k] > 0.0) || isinf(fpc[k]))
                return socind__fail_row(SOCIND_ERR_FPC, k,
                                        "fpc[%zu] is %g; fpc must be finite and > 0", k, fpc[k]);
    }
    return SOCIND_OK;
}

/* Strata as dense ids in order of first appearance: row_stratum (n) and,
 * into d, the caller's id of each (stratum_id) and their number. Without a
 * strata column, one stratum of id 0. */
static int32_t map_strata(socind_design *d, const int64_t *strata, int32_t *row_stratum) {
    const size_t n = d->n;
    if (!strata) {
        d->stratum_id = calloc(1, sizeof *d->stratum_id);
        if (!d->stratum_id) return SOCIND_ERR_NOMEM;
        d->nstrata = 1;
        memset(row_stratum, 0, n * sizeof *row_stratum);
        return SOCIND_OK;
    }
    socind__idmap map;
    size_t cap = 64, H = 0;
    int64_t *sid = malloc(cap * sizeof *sid);
    if (!sid || !socind__idmap_init(&map, 64)) {
        free(sid);
        return SOCIND_ERR_NOMEM;
    }
    int32_t status = SOCIND_OK;
    for (size_t k = 0; k < n; k++) {
        size_t s = socind__idmap_slot(&map, strata[k], 0);
        if (map.val[s] >= 0) {
            row_stratum[k] = map.val[s];
            continue;
        }
        if (H == cap) {
            int64_t *t = realloc(sid, 2 * cap * sizeof *sid);
            if (!t) {
                status = SOCIND_ERR_NOMEM;
                break;
            }
            sid = t;
            cap *= 2;
        }
        sid[H] = strata[k];
        row_stratum[k] = (int32_t)H;
        if (!socind__idmap_add(&map, s, strata[k], 0, (int32_t)H++)) {
            status = SOCIND_ERR_NOMEM;
            break;
        }
    }
    socind__idmap_free(&map);
    if (status) {
        free(sid);
        return status;
    }
    d->stratum_id = sid;
    d->nstrata = H;
    return SOCIND_OK;
}

/* PSUs as dense ids in order of first appearance: row_psu (n), the stratum
 * of each (*psu_stratum, allocated here) and their number (d->npsu). A PSU
 * is its id, or with nest the pair (stratum, id); without nest an id met in
 * two strata is SOCIND_ERR_NESTING. Without a PSU column, each row is one. */
static int32_t map_psus(socind_design *d, const int64_t *psu, int nest, const int32_t *row_stratum,
                        int32_t *row_psu, int32_t **psu_stratum) {
    const size_t n = d->n;
    int32_t *ps;
    if (!psu) {
        ps = malloc(n * sizeof *ps);
        if (!ps) return SOCIND_ERR_NOMEM;
        for (size_t k = 0; k < n; k++) {
            row_psu[k] = (int32_t)k;
            ps[k] = row_stratum[k];
        }
        *psu_stratum = ps;
        d->npsu = n;
        return SOCIND_OK;
    }
    socind__idmap map;
    size_t cap = 1024, P = 0;
    ps = malloc(cap * sizeof *ps);
    if (!ps || !socind__idmap_init(&map, n < 1024 ? n : 1024)) {
        free(ps);
        return SOCIND_ERR_NOMEM;
    }
    int32_t status = SOCIND_OK;
    for (size_t k = 0; k < n && !status; k++) {
        int64_t key2 = nest ? (int64_t)row_stratum[k] : 0;
        size_t s = socind__idmap_slot(&map, psu[k], key2);
        if (map.val[s] >= 0) {
            int32_t p = map.val[s];
            row_psu[k] = p;
            if (ps[p] != row_stratum[k])
                status = socind__fail_row(
                    SOCIND_ERR_NESTING, k,
                    "PSU %lld occurs in strata %lld and %lld (row %zu); PSU ids must be "
                    "unique across strata, or set nest = 1",
                    (long long)psu[k], (long long)d->stratum_id[ps[p]],
                    (long long)d->stratum_id[row_stratum[k]], k);
            continue;
        }
        if (P == cap) {
            int32_t *t = realloc(ps, 2 * cap * sizeof *t);
            if (!t) {
                status = SOCIND_ERR_NOMEM;
                break;
            }
            ps = t;
            cap *= 2;
        }
        ps[P] = row_stratum[k];
        row_psu[k] = (int32_t)P;
        if (!socind__idmap_add(&map, s, psu[k], key2, (int32_t)P++)) status = SOCIND_ERR_NOMEM;
    }
    socind__idmap_free(&map);
    if (status) {
        free(ps);
        return status;
    }
    *psu_stratum = ps;
    d->npsu = P;
    return SOCIND_OK;
}

/* Renumbers the PSUs so that those of one stratum are contiguous: from the
 * first-appearance ids (row_psu_fa, psu_stratum_fa) it fills
 * d->stratum_npsu and d->psu_stratum, and d->row_psu, which takes over
 * *row_psu_fa's storage (*row_psu_fa is then NULL). */
static int32_t group_psus_by_stratum(socind_design *d, const int32_t *psu_stratum_fa,
                                     int32_t **row_psu_fa) {
    const size_t n = d->n, H = d->nstrata, P = d->npsu;
    d->stratum_npsu = calloc(H, sizeof *d->stratum_npsu);
    d->psu_stratum = malloc(P * sizeof *d->psu_stratum);
    int32_t *renum = malloc(P * sizeof *renum);
    int32_t *fill = calloc(H + 1, sizeof *fill);
    if (!d->stratum_npsu || !d->psu_stratum || !renum || !fill) {
        free(renum);
        free(fill);
        return SOCIND_ERR_NOMEM;
    }
    for (size_t p = 0; p < P; p++) d->stratum_npsu[psu_stratum_fa[p]]++;
    for (size_t h = 0; h < H; h++) fill[h + 1] = fill[h] + d->stratum_npsu[h];
    for (size_t p = 0; p < P; p++) {
        int32_t h = psu_stratum_fa[p];
        renum[p] = fill[h]++;
        d->psu_stratum[renum[p]] = h;
    }
    int32_t *row_psu = *row_psu_fa;
    for (size_t k = 0; k < n; k++) row_psu[k] = renum[row_psu[k]];
    d->row_psu = row_psu;
    *row_psu_fa = NULL;
    free(renum);
    free(fill);
    return SOCIND_OK;
}

/* When each PSU's rows are one run (files sorted by PSU), where each run
 * ends: d->psu_end; else it stays NULL. */
static int32_t find_psu_runs(socind_design *d) {
    const size_t n = d->n, P = d->npsu;
    size_t runs = n > 0;
    for (size_t k = 1; k < n; k++) runs += d->row_psu[k] != d->row_psu[k - 1];
    if (runs != P) return SOCIND_OK;
    d->psu_end = malloc((P ? P : 1) * sizeof *d->psu_end);
    if (!d->psu_end) return SOCIND_ERR_NOMEM;
    for (size_t k = 0; k < n; k++) d->psu_end[d->row_psu[k]] = k + 1;
    return SOCIND_OK;
}

/* Degrees of freedom: PSUs − strata, both over rows with non-zero weight. */
static int32_t count_df(socind_design *d, const double *weight) {
    const size_t n = d->n;
    unsigned char *psu_pos = calloc(d->npsu, 1), *str_pos = calloc(d->nstrata, 1);
    if (!psu_pos || !str_pos) {
        free(psu_pos);
        free(str_pos);
        return SOCIND_ERR_NOMEM;
    }
    size_t psu_pos_n = 0, str_pos_n = 0;
    for (size_t k = 0; k < n; k++) {
        if (weight[k] > 0.0) {
            int32_t p = d->row_psu[k];
            if (!psu_pos[p]) {
                psu_pos[p] = 1;
                psu_pos_n++;
            }
            int32_t h = d->psu_stratum[p];
            if (!str_pos[h]) {
                str_pos[h] = 1;
                str_pos_n++;
            }
        }
    }
    d->df = (double)psu_pos_n - (double)str_pos_n;
    free(psu_pos);
    free(str_pos);
    return SOCIND_OK;
}

/* The sampling fraction f_h of each stratum (d->stratum_f, zero without
 * fpc): fpc must be constant within a stratum; the values are fractions
 * when every one is <= 1, else population PSU counts N_h >= n_h. */
static int32_t sampling_fractions(socind_design *d, const double *fpc, const int32_t *row_stratum) {
    const size_t n = d->n, H = d->nstrata;
    d->stratum_f = calloc(H, sizeof *d->stratum_f);
    if (!d->stratum_f) return SOCIND_ERR_NOMEM;
    if (!fpc) return SOCIND_OK;
    double *fh = malloc(H * sizeof *fh);
    if (!fh) return SOCIND_ERR_NOMEM;
    for (size_t h = 0; h < H; h++) fh[h] = NAN;
    int all_le1 = 1;
    int32_t status = SOCIND_OK;
    for (size_t k = 0; k < n; k++) {
        int32_t h = row_stratum[k];
        if (isnan(fh[h])) {
            fh[h] = fpc[k];
        } else if (fh[h] != fpc[k]) {
            status = socind__fail_row(SOCIND_ERR_FPC, k,
                                      "fpc is not constant within stratum %lld (row %zu: %g, "
                                      "earlier %g)",
                                      (long long)d->stratum_id[h], k, fpc[k], fh[h]);
            break;
        }
        if (fpc[k] > 1.0) all_le1 = 0;
    }
    for (size_t h = 0; h < H && !status; h++) {
        double nh = (double)d->stratum_npsu[h];
        if (all_le1) {
            d->stratum_f[h] = fh[h];
        } else if (fh[h] < nh) {
            status = socind__fail(SOCIND_ERR_FPC,
                                  "stratum %lld: population PSU count %g is below the "
                                  "%g sampled PSUs",
                                  (long long)d->stratum_id[h], fh[h], nh);
        } else {
            d->stratum_f[h] = nh / fh[h];
        }
    }
    free(fh);
    return status;
}

/* Each stratum's variance factor (d->stratum_scale): (1 − f_h)·n_h/(n_h − 1),
 * or 1 − f_h for a stratum with one PSU, which the policy FAIL refuses. */
static int32_t stratum_scales(socind_design *d, const int32_t *row_stratum) {
    const size_t n = d->n, H = d->nstrata;
    d->stratum_scale = calloc(H, sizeof *d->stratum_scale);
    if (!d->stratum_scale) return SOCIND_ERR_NOMEM;
    for (size_t h = 0; h < H; h++) {
        double nh = (double)d->stratum_npsu[h];
        double f = d->stratum_f[h];
        if (d->stratum_npsu[h] >= 2) {
            d->stratum_scale[h] = (1.0 - f) * nh / (nh - 1.0);
            continue;
        }
        if (d->lonely_psu == SOCIND_LONELY_FAIL) {
            size_t first = 0; /* a row of the stratum, for socind_last_error_row */
            while (first < n && row_stratum[first] != (int32_t)h) first++;
            return socind__fail_row(SOCIND_ERR_LONELY_PSU, first,
                                    "stratum %lld has only one PSU; choose a lonely-PSU "
                                    "policy (remove, adjust, average, certainty)",
                                    (long long)d->stratum_id[h]);
        }
        d->stratum_scale[h] = 1.0 - f;
    }
    return SOCIND_OK;
}

int32_t socind_design_new(size_t n, const double *weight, const int64_t *strata, const int64_t *psu,
                          const double *fpc, const socind_design_options *opts,
                          socind_design **out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    *out = NULL;
    if (!weight) return socind__fail(SOCIND_ERR_NULL, "weight is NULL");
    if (n == 0) return socind__fail(SOCIND_ERR_EMPTY, "n is 0");
    if (n > (size_t)INT32_MAX)
        return socind__fail(SOCIND_ERR_RANGE, "n = %zu exceeds the supported 2^31 - 1 rows", n);
    socind_design_options o;
    int32_t status = resolve_design_options(opts, &o);
    if (!status) status = check_weights_and_fpc(n, weight, fpc);
    if (status) return status;

    socind_design *d = calloc(1, sizeof *d);
    int32_t *row_stratum = malloc(n * sizeof *row_stratum);
    int32_t *row_psu_fa = malloc(n * sizeof *row_psu_fa); /* becomes d->row_psu */
    int32_t *psu_stratum_fa = NULL;
    status = d && row_stratum && row_psu_fa ? SOCIND_OK : SOCIND_ERR_NOMEM;
    if (!status) {
        d->n = n;
        d->lonely_psu = o.lonely_psu;
        d->has_psu = psu != NULL;
        d->has_strata = strata != NULL;
        status = map_strata(d, strata, row_stratum);
    }
    if (!status) status = map_psus(d, psu, o.nest, row_stratum, row_psu_fa, &psu_stratum_fa);
    if (!status) status = group_psus_by_stratum(d, psu_stratum_fa, &row_psu_fa);
    if (!status) status = find_psu_runs(d);
    if (!status) status = count_df(d, weight);
    if (!status) status = sampling_fractions(d, fpc, row_stratum);
    if (!status) status = stratum_scales(d, row_stratum);
    if (!status) {
        d->w = malloc(n * sizeof *d->w);
        if (d->w)
            memcpy(d->w, weight, n * sizeof *d->w);
        else
            status = SOCIND_ERR_NOMEM;
    }
    free(row_stratum);
    free(row_psu_fa);
    free(psu_stratum_fa);
    if (status) {
        if (status == SOCIND_ERR_NOMEM)
            socind__fail(SOCIND_ERR_NOMEM, "allocation failed building the design");
        socind_design_free(d);
        return status;
    }
    *out = d;
    return SOCIND_OK;
}

/* ------------------------------------------------------------------------ */
/* Work space and the variance from PSU totals                               */
/* ------------------------------------------------------------------------ */

int32_t socind__work_init(socind__work *wk, const socind_design *d, int32_t m) {
    memset(wk, 0, sizeof *wk);
    wk->d = d;
    wk->m = m;
    wk->acc = calloc(d->npsu * (size_t)m, sizeof *wk->acc);
    wk->touched.mark = calloc(d->npsu, 1);
    wk->touched.list = malloc(d->npsu * sizeof *wk->touched.list);
    wk->hsum = calloc(d->nstrata, sizeof *wk->hsum);
    wk->hq = calloc(d->nstrata, sizeof *wk->hq);
    wk->hcount = calloc(d->nstrata, sizeof *wk->hcount);
    wk->hlist = malloc(d->nstrata * sizeof *wk->hlist);
    if (!wk->acc || !wk->touched.mark || !wk->touched.list || !wk->hsum || !wk->hq || !wk->hcount ||
        !wk->hlist) {
        socind__work_free(wk);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the variance work space");
    }
    socind__ksum ls = {0, 0};
    for (size_t h = 0; h < d->nstrata; h++)
        if (d->stratum_npsu[h] == 1) {
            wk->nlonely++;
            socind__kadd(&ls, d->stratum_scale[h]);
        }
    wk->lonely_scale = socind__kval(&ls);
    return SOCIND_OK;
}

void socind__work_free(socind__work *wk) {
    free(wk->acc);
    free(wk->touched.mark);
    free(wk->touched.list);
    free(wk->hsum);
    free(wk->hq);
    free(wk->hcount);
    free(wk->hlist);
    memset(wk, 0, sizeof *wk);
}

void socind__work_reset(socind__work *wk) {
    size_t m = (size_t)wk->m;
    for (size_t t = 0; t < wk->touched.n; t++) {
        int32_t p = wk->touched.list[t];
        for (size_t j = 0; j < m; j++) wk->acc[(size_t)p * m + j] = 0.0;
    }
    socind__psuset_clear(&wk->touched);
}

int32_t socind__work_variance(socind__work *wk, double *var) {
    const socind_design *d = wk->d;
    size_t m = (size_t)wk->m;
    size_t nh_present = 0;
    /* per-stratum sums of the PSU totals */
    for (size_t t = 0; t < wk->touched.n; t++) {
        int32_t p = wk->touched.list[t];
        int32_t h = d->psu_stratum[p];
        if (wk->hcount[h] == 0) wk->hlist[nh_present++] = h;
        wk->hcount[h]++;
        wk->hsum[h] += wk->acc[(size_t)p * m];
    }
    /* centred sums of squares (two-pass within each stratum) */
    for (size_t t = 0; t < wk->touched.n; t++) {
        int32_t p = wk->touched.list[t];
        int32_t h = d->psu_stratum[p];
        double c = wk->acc[(size_t)p * m] - wk->hsum[h] / (double)d->stratum_npsu[h];
        wk->hq[h] += c * c;
    }
    /* the strata that count: the present ones (SUBSET), or every stratum
       of the design (FULL: the untouched PSUs' totals are 0) */
    socind__ksum grand = {0, 0};
    double npsu_present = 0.0;
    for (size_t i = 0; i < nh_present; i++) {
        int32_t h = wk->hlist[i];
        socind__kadd(&grand, wk->hsum[h]);
        npsu_present += (double)d->stratum_npsu[h];
    }
    double npsu_counted = wk->full ? (double)d->npsu : npsu_present;
    double centre = npsu_counted > 0 ? socind__kval(&grand) / npsu_counted : 0.0;

    socind__ksum v = {0, 0}, touched_lonely_scale = {0, 0};
    size_t lonely = 0;
    for (size_t i = 0; i < nh_present; i++) {
        int32_t h = wk->hlist[i];
        int32_t nh = d->stratum_npsu[h];
        if (nh >= 2) {
            double mean = wk->hsum[h] / (double)nh;
            double q = wk->hq[h] + (double)(nh - wk->hcount[h]) * mean * mean;
            socind__kadd(&v, d->stratum_scale[h] * q);
        } else {
            lonely++;
            socind__kadd(&touched_lonely_scale, d->stratum_scale[h]);
            if (d->lonely_psu == SOCIND_LONELY_ADJUST) {
                double c = wk->hsum[h] - centre;
                socind__kadd(&v, d->stratum_scale[h] * c * c);
            }
        }
        wk->hsum[h] = 0.0;
        wk->hq[h] = 0.0;
        wk->hcount[h] = 0;
    }
    size_t nh_counted = nh_present;
    if (wk->full) {
        /* the lonely strata without a touched PSU: z = 0, (0 − c)² each */
        if (d->lonely_psu == SOCIND_LONELY_ADJUST && wk->nlonely > lonely) {
            double a = wk->lonely_scale - socind__kval(&touched_lonely_scale);
            socind__kadd(&v, (a > 0.0 ? a : 0.0) * centre * centre);
        }
        lonely = wk->nlonely;
        nh_counted = d->nstrata;
    }
    double result = socind__kval(&v);
    int32_t status = SOCIND_OK;
    if (d->lonely_psu == SOCIND_LONELY_AVERAGE && lonely > 0) {
        if (lonely == nh_counted) {
            result = NAN;
            status = socind__fail(SOCIND_ERR_LONELY_PSU,
                                  wk->full ? "every stratum of the design has a single PSU: the "
                                             "'average' policy has nothing to average"
                                           : "every stratum with observations has a single PSU: "
                                             "the 'average' policy has nothing to average");
        } else {
            result *= (double)nh_counted / (double)(nh_counted - lonely);
        }
    }
    socind__work_reset(wk);
    *var = result;
    return status;
}

/* ------------------------------------------------------------------------ */
/* Domains                                                                    */
/* ------------------------------------------------------------------------ */

void socind__psuset_sort(socind__psuset *s, size_t npsu, int32_t *tmp) {
    int32_t *a = s->list;
    const size_t nt = s->n, P = npsu;
    size_t i = 1;
    while (i < nt && a[i - 1] < a[i]) i++;
    if (i >= nt) return;
    if (nt <= 32) {
        for (; i < nt; i++) {
            int32_t v = a[i];
            size_t j = i;
            for (; j > 0 && a[j - 1] > v; j--) a[j] = a[j - 1];
            a[j] = v;
        }
        return;
    }
    if (nt >= P / 8) {
        size_t k = 0;
        for (size_t p = 0; p < P; p++)
            if (s->mark[p]) a[k++] = (int32_t)p;
        return;
    }
    int32_t *src = a, *dst = tmp;
    for (int shift = 0; shift < 32 && ((P - 1) >> shift) > 0; shift += 8) {
        size_t cnt[257] = {0};
        for (size_t k = 0; k < nt; k++) cnt[(((uint32_t)src[k] >> shift) & 255) + 1]++;
        for (int b = 0; b < 256; b++) cnt[b + 1] += cnt[b];
        for (size_t k = 0; k < nt; k++) dst[cnt[((uint32_t)src[k] >> shift) & 255]++] = src[k];
        int32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, nt * sizeof *a);
}

int32_t socind__groups_init(socind__groups *g, const int32_t *group, int32_t n_groups, size_t n) {
    memset(g, 0, sizeof *g);
    g->n = n;
    g->ngroups = 1;
    if (!group) return SOCIND_OK;
    if (n_groups < 1)
        return socind__fail(SOCIND_ERR_ARG, "n_groups must be >= 1, got %d", (int)n_groups);
    g->start = calloc((size_t)n_groups + 1, sizeof *g->start);
    if (!g->start) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for domains");
    /* codes checked and counted in one pass, by runs of equal codes (a
       counter incremented row by row waits on its own store) */
    int32_t last = -1;
    size_t run = 0;
    for (size_t k = 0; k < n; k++) {
        int32_t gk = group[k];
        if (gk < -1 || gk >= n_groups) {
            socind__groups_free(g);
            return socind__fail_row(SOCIND_ERR_GROUP, k,
                                    "group[%zu] is %d; codes must be in [-1, %d)", k, (int)gk,
                                    (int)n_groups);
        }
        if (gk != last) {
            if (last >= 0) g->start[last + 1] += run;
            last = gk;
            run = 0;
        }
        run++;
    }
    if (last >= 0) g->start[last + 1] += run;
    g->ngroups = n_groups;
    for (int32_t j = 0; j < n_groups; j++) g->start[j + 1] += g->start[j];
    size_t total = g->start[n_groups];
    g->rows = socind__big_alloc((total ? total : 1) * sizeof *g->rows);
    size_t *pos = malloc((size_t)n_groups * sizeof *pos);
    if (!g->rows || !pos) {
        free(pos);
        socind__groups_free(g);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for domains");
    }
    memcpy(pos, g->start, (size_t)n_groups * sizeof *pos);
    for (size_t k = 0; k < n;) {
        int32_t gk = group[k];
        size_t e = k + 1;
        while (e < n && group[e] == gk) e++;
        if (gk >= 0) {
            size_t *r = g->rows + pos[gk];
            for (size_t i = k; i < e; i++) r[i - k] = i;
            pos[gk] += e - k;
        }
        k = e;
    }
    free(pos);
    return SOCIND_OK;
}

void socind__groups_free(socind__groups *g) {
    free(g->start);
    free(g->rows);
    g->start = NULL;
    g->rows = NULL;
}

size_t socind__first_infinite(const double *x, size_t n, double *amax) {
    /* one vectorized pass; the row is looked for only when there is one */
    double m = socind__abs_max(x, n);
    size_t k = n;
    if (isinf(m)) {
        for (k = 0; k < n && !isinf(x[k]); k++) continue;
        m = socind__abs_max(x, k); /* the largest before it, as before */
    }
    if (amax) *amax = m;
    return k;
}

/* ------------------------------------------------------------------------ */
/* The public variance engine                                                */
/* ------------------------------------------------------------------------ */

int32_t socind_variance(const socind_design *d, const double *u, const int32_t *group,
                        int32_t n_groups, double *var) {
    socind__clear_detail();
    if (!var) return socind__fail(SOCIND_ERR_NULL, "var is NULL");
    int32_t G = group ? (n_groups > 0 ? n_groups : 1) : 1;
    for (int32_t j = 0; j < G; j++) var[j] = NAN;
    if (!d) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    if (!u) return socind__fail(SOCIND_ERR_NULL, "u is NULL");
    socind__groups grp;
    int32_t st = socind__groups_init(&grp, group, n_groups, d->n);
    if (st) return st;
    socind__work wk;
    st = socind__work_init(&wk, d, 1);
    if (st) {
        socind__groups_free(&grp);
        return st;
    }
    for (int32_t j = 0; j < grp.ngroups && st == SOCIND_OK; j++) {
        size_t ng = socind__group_size(&grp, j);
        for (size_t i = 0; i < ng; i++) {
            size_t k = socind__group_row(&grp, j, i);
            double x = u[k];
            if (!isfinite(x)) {
                st = socind__fail_row(SOCIND_ERR_DATA, k,
                                      "u[%zu] is %g; the engine needs finite values", k, x);
                socind__work_reset(&wk);
                break;
            }
            *socind__touch(&wk, d->row_psu[k]) += d->w[k] * x;
        }
        if (st) break;
        st = socind__work_variance(&wk, &var[j]);
        if (!st && !isfinite(var[j]))
            st = socind__fail(SOCIND_ERR_OVERFLOW,
                              "the variance of domain %d exceeds the double range", (int)j);
    }
    if (st)
        for (int32_t j = 0; j < G; j++) var[j] = NAN;
    socind__work_free(&wk);
    socind__groups_free(&grp);
    return st;
}

int32_t socind__work_variance_dense(socind__work *wk, const double *z, const unsigned char *present,
                                    double *var) {
    const socind_design *d = wk->d;
    size_t m = (size_t)wk->m;
    for (size_t p = 0; p < d->npsu; p++) {
        if (present && !wk->full && !present[d->psu_stratum[p]]) continue;
        socind__touch(wk, (int32_t)p);
        wk->acc[p * m] = z[p];
    }
    return socind__work_variance(wk, var);
}

/* ------------------------------------------------------------------------ */
/* Whole-sample vectors: variances over every stratum in O(touched PSUs)     */
/* ------------------------------------------------------------------------ */

#define NBS SOCIND__NBASIS

void socind__basis_free(socind__basis *b) {
    free(b->mean);
    free(b->store);
    memset(b, 0, sizeof *b);
}

int32_t socind__basis_init(socind__basis *b, const socind_design *d, const double *const Vin[NBS]) {
    memset(b, 0, sizeof *b);
    b->d = d;
    int act[NBS], na = 0; /* the non-NULL vectors */
    for (int i = 0; i < NBS; i++)
        if (Vin[i]) act[na++] = i;
    const size_t H = d->nstrata, P = d->npsu;
    b->mean = calloc(H * NBS, sizeof *b->mean);
    b->store = na ? malloc((size_t)na * P * sizeof *b->store) : NULL;
    if (!b->mean || (na && !b->store)) {
        socind__basis_free(b);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the variance work space");
    }
    /* each vector times 2^−(the exponent of its largest magnitude): exact */
    for (int a = 0; a < na; a++) {
        const int i = act[a];
        const double *v = Vin[i];
        double *s = b->store + (size_t)a * P, m = 0.0;
        for (size_t p = 0; p < P; p++) m = fabs(v[p]) > m ? fabs(v[p]) : m;
        int e = socind__exponent(m);
        socind__scale_pow2(s, sizeof *s, v, sizeof *v, P, e);
        b->ex[i] = e;
        b->V[i] = s;
    }
    const double *const *V = b->V;
    socind__ksum M[NBS][NBS], S[NBS], lw = {0, 0}, lm[NBS], L[NBS][NBS];
    memset(M, 0, sizeof M);
    memset(S, 0, sizeof S);
    memset(lm, 0, sizeof lm);
    memset(L, 0, sizeof L);
    /* the PSUs of stratum h are [p0, p0 + n_h): the design numbers them so */
    size_t p0 = 0;
    for (size_t h = 0; h < H; p0 += (size_t)d->stratum_npsu[h], h++) {
        size_t nh = (size_t)d->stratum_npsu[h];
        double *mh = b->mean + h * NBS, scale = d->stratum_scale[h];
        for (int a = 0; a < na; a++) {
            const double *v = V[act[a]];
            socind__ksum s = {0, 0};
            for (size_t p = p0; p < p0 + nh; p++) {
                socind__kadd(&s, v[p]);
                socind__kadd(&S[act[a]], v[p]);
            }
            mh[act[a]] = socind__kval(&s) / (double)nh;
        }
        if (nh >= 2) {
            for (int a = 0; a < na; a++)
                for (int e = a; e < na; e++) {
                    int i = act[a], j = act[e];
                    double q = 0.0;
                    for (size_t p = p0; p < p0 + nh; p++)
                        q += (V[i][p] - mh[i]) * (V[j][p] - mh[j]);
                    socind__kadd(&M[i][j], scale * q);
                }
        } else {
            b->nlonely++;
            socind__kadd(&lw, scale);
            for (int a = 0; a < na; a++) socind__kadd(&lm[act[a]], scale * V[act[a]][p0]);
        }
    }
    b->lw = socind__kval(&lw);
    for (int a = 0; a < na; a++) {
        int i = act[a];
        b->lmean[i] = b->lw > 0.0 ? socind__kval(&lm[i]) / b->lw : 0.0;
        b->delta[i] = socind__kval(&S[i]) / (double)P - b->lmean[i];
    }
    if (b->nlonely > 0) {
        p0 = 0;
        for (size_t h = 0; h < H; p0 += (size_t)d->stratum_npsu[h], h++) {
            if (d->stratum_npsu[h] != 1) continue;
            double scale = d->stratum_scale[h];
            for (int a = 0; a < na; a++)
                for (int e = a; e < na; e++) {
                    int i = act[a], j = act[e];
                    socind__kadd(&L[i][j],
                                 scale * (V[i][p0] - b->lmean[i]) * (V[j][p0] - b->lmean[j]));
                }
        }
    }
    for (int a = 0; a < na; a++)
        for (int e = a; e < na; e++) {
            int i = act[a], j = act[e];
            b->M[i][j] = b->M[j][i] = socind__kval(&M[i][j]);
            b->L[i][j] = b->L[j][i] = socind__kval(&L[i][j]);
        }
    return SOCIND_OK;
}

/* cᵀAc for a symmetric NBS × NBS matrix over the na indices act (the
 * non-zero coefficients: a zero one never meets its row of A) */
static double quad_form(const double A[NBS][NBS], const double *c, const int *act, int na) {
    socind__ksum q = {0, 0};
    for (int a = 0; a < na; a++) {
        int i = act[a];
        /* (c_i·A_ij)·c_j: in range wherever the term is */
        socind__kadd(&q, c[i] * A[i][i] * c[i]);
        for (int e = a + 1; e < na; e++) {
            int j = act[e];
            socind__kadd(&q, 2.0 * (c[i] * A[i][j]) * c[j]);
        }
    }
    return socind__kval(&q);
}

int32_t socind__work_variance_global(socind__work *wk, const socind__basis *b, const double *coef,
                                     double *var) {
    const socind_design *d = wk->d;
    const size_t m = (size_t)wk->m, H = d->nstrata;
    const int adjust = d->lonely_psu == SOCIND_LONELY_ADJUST;
    /* the coefficients of the scaled vectors: c_i·2^ex[i] (exact) */
    double c[NBS];
    int act[NBS], na = 0;
    for (int i = 0; i < NBS; i++) {
        c[i] = b->V[i] ? ldexp(coef[i], b->ex[i]) : 0.0;
        if (c[i] != 0.0) act[na++] = i;
    }
    /* the domain's own part: per-stratum sums over its touched PSUs */
    size_t nh_touched = 0;
    for (size_t t = 0; t < wk->touched.n; t++) {
        int32_t p = wk->touched.list[t];
        int32_t h = d->psu_stratum[p];
        if (wk->hcount[h] == 0) wk->hlist[nh_touched++] = h;
        wk->hcount[h]++;
        wk->hsum[h] += wk->acc[(size_t)p * m];
    }
    /* its centred squares, and the cross products (g_p − ḡ_h)·s_p */
    socind__ksum cross = {0, 0}, stot = {0, 0};
    for (size_t t = 0; t < wk->touched.n; t++) {
        int32_t p = wk->touched.list[t];
        int32_t h = d->psu_stratum[p];
        int32_t nh = d->stratum_npsu[h];
        if (nh < 2) continue;
        double s = wk->acc[(size_t)p * m], dv = s - wk->hsum[h] / (double)nh;
        wk->hq[h] += dv * dv;
        if (s == 0.0) continue;
        const double *mh = b->mean + (size_t)h * NBS;
        double g = 0.0;
        for (int a = 0; a < na; a++) g += c[act[a]] * (b->V[act[a]][p] - mh[act[a]]);
        socind__kadd(&cross, d->stratum_scale[h] * g * s);
    }
    socind__ksum v = {0, 0};
    socind__kadd(&v, quad_form(b->M, c, act, na));
    for (size_t i = 0; i < nh_touched; i++) {
        int32_t h = wk->hlist[i];
        int32_t nh = d->stratum_npsu[h];
        socind__kadd(&stot, wk->hsum[h]);
        if (nh >= 2) {
            double mean = wk->hsum[h] / (double)nh;
            double q = wk->hq[h] + (double)(nh - wk->hcount[h]) * mean * mean;
            socind__kadd(&v, d->stratum_scale[h] * q);
        }
    }
    socind__kadd(&v, 2.0 * socind__kval(&cross));
    if (adjust && b->nlonely > 0) {
        /* Σ_lonely a (u_p − centre)², centre = Σ_p u_p / npsu: with e_p =
           g_p − ĝ (ĝ the a-weighted mean of g over the lonely PSUs) and
           ν = centre − ĝ, it is cᵀLc + ν²·Σa + Σ_touched a·(s(s − 2ν) + 2e·s) */
        double nu = socind__kval(&stot) / (double)d->npsu;
        for (int a = 0; a < na; a++) nu += c[act[a]] * b->delta[act[a]];
        socind__ksum lon = {0, 0};
        for (size_t t = 0; t < wk->touched.n; t++) {
            int32_t p = wk->touched.list[t];
            int32_t h = d->psu_stratum[p];
            if (d->stratum_npsu[h] != 1) continue;
            double s = wk->acc[(size_t)p * m], e = 0.0;
            for (int a = 0; a < na; a++) e += c[act[a]] * (b->V[act[a]][p] - b->lmean[act[a]]);
            socind__kadd(&lon, d->stratum_scale[h] * (s * (s - 2.0 * nu) + 2.0 * e * s));
        }
        socind__kadd(&v, quad_form(b->L, c, act, na));
        socind__kadd(&v, b->lw * nu * nu);
        socind__kadd(&v, socind__kval(&lon));
    }
    for (size_t i = 0; i < nh_touched; i++) {
        int32_t h = wk->hlist[i];
        wk->hsum[h] = 0.0;
        wk->hq[h] = 0.0;
        wk->hcount[h] = 0;
    }
    double result = socind__kval(&v);
    if (result < 0.0) result = 0.0; /* a sum of squares, below 0 only by rounding */
    int32_t status = SOCIND_OK;
    if (d->lonely_psu == SOCIND_LONELY_AVERAGE && b->nlonely > 0) {
        if (b->nlonely == H) {
            result = NAN;
            status = socind__fail(SOCIND_ERR_LONELY_PSU,
                                  "every stratum with observations has a single PSU: the "
                                  "'average' policy has nothing to average");
        } else {
            result *= (double)H / (double)(H - b->nlonely);
        }
    }
    socind__work_reset(wk);
    *var = result;
    return status;
}

/* ------------------------------------------------------------------------ */
/* The design over a subset of its rows (internal.h)                         */
/* ------------------------------------------------------------------------ */

int32_t socind__design_subset(const socind_design *d, const int32_t *rows, size_t m,
                              socind_design **out) {
    *out = NULL;
    if (m == 0) return socind__fail(SOCIND_ERR_EMPTY, "no row of the design is kept");
    int any_positive = 0;
    for (size_t i = 0; i < m && !any_positive; i++) any_positive = d->w[rows[i]] > 0.0;
    if (!any_positive)
        return socind__fail(SOCIND_ERR_ZERO_WEIGHTS, "all %zu weights of the kept rows are zero",
                            m);
    const size_t P = d->npsu, H = d->nstrata;
    int32_t status = SOCIND_ERR_NOMEM;
    socind_design *s = calloc(1, sizeof *s);
    int32_t *psu_new = malloc(P * sizeof *psu_new); /* d's PSU → first appearance, or −1 */
    int32_t *str_new = malloc(H * sizeof *str_new); /* d's stratum → new stratum, or −1 */
    int32_t *str_old = malloc(H * sizeof *str_old); /* new stratum → d's */
    int32_t *fa_str = malloc(P * sizeof *fa_str);   /* first-appearance PSU → new stratum */
    int32_t *renum = malloc(P * sizeof *renum), *fill = calloc(H + 1, sizeof *fill);
    unsigned char *seen = calloc(P + H, 1);
    if (!s || !psu_new || !str_new || !str_old || !fa_str || !renum || !fill || !seen) goto fail;
    s->n = m;
    s->lonely_psu = d->lonely_psu;
    s->has_psu = d->has_psu;
    s->has_strata = d->has_strata;
    s->row_psu = malloc(m * sizeof *s->row_psu);
    s->w = malloc(m * sizeof *s->w);
    if (!s->row_psu || !s->w) goto fail;
    /* strata and PSUs numbered by first appearance, as socind_design_new */
    memset(psu_new, 0xff, P * sizeof *psu_new);
    memset(str_new, 0xff, H * sizeof *str_new);
    size_t H2 = 0, P2 = 0;
    for (size_t i = 0; i < m; i++) {
        int32_t p = d->row_psu[rows[i]], h = d->psu_stratum[p];
        if (str_new[h] < 0) {
            str_old[H2] = h;
            str_new[h] = (int32_t)H2++;
        }
        if (psu_new[p] < 0) {
            fa_str[P2] = str_new[h];
            psu_new[p] = (int32_t)P2++;
        }
        s->row_psu[i] = psu_new[p];
        s->w[i] = d->w[rows[i]];
    }
    s->nstrata = H2;
    s->npsu = P2;
    s->stratum_npsu = calloc(H2, sizeof *s->stratum_npsu);
    s->stratum_f = malloc(H2 * sizeof *s->stratum_f);
    s->stratum_scale = malloc(H2 * sizeof *s->stratum_scale);
    s->stratum_id = malloc(H2 * sizeof *s->stratum_id);
    s->psu_stratum = malloc(P2 * sizeof *s->psu_stratum);
    if (!s->stratum_npsu || !s->stratum_f || !s->stratum_scale || !s->stratum_id || !s->psu_stratum)
        goto fail;
    /* the PSUs of a stratum contiguous, in order of first appearance */
    for (size_t p = 0; p < P2; p++) s->stratum_npsu[fa_str[p]]++;
    for (size_t h = 0; h < H2; h++) fill[h + 1] = fill[h] + s->stratum_npsu[h];
    for (size_t p = 0; p < P2; p++) {
        int32_t h = fa_str[p];
        renum[p] = fill[h]++;
        s->psu_stratum[renum[p]] = h;
    }
    for (size_t i = 0; i < m; i++) s->row_psu[i] = renum[s->row_psu[i]];
    size_t runs = 1;
    for (size_t i = 1; i < m; i++) runs += s->row_psu[i] != s->row_psu[i - 1];
    if (runs == P2) {
        s->psu_end = malloc(P2 * sizeof *s->psu_end);
        if (!s->psu_end) goto fail;
        for (size_t i = 0; i < m; i++) s->psu_end[s->row_psu[i]] = i + 1;
    }
    /* degrees of freedom over the kept rows with non-zero weight */
    size_t npos = 0, hpos = 0;
    for (size_t i = 0; i < m; i++) {
        if (!(s->w[i] > 0.0)) continue;
        int32_t p = s->row_psu[i], h = s->psu_stratum[p];
        npos += !seen[p];
        seen[p] = 1;
        hpos += !seen[P2 + (size_t)h];
        seen[P2 + (size_t)h] = 1;
    }
    s->df = (double)npos - (double)hpos;
    for (size_t h = 0; h < H2; h++) {
        double nh = (double)s->stratum_npsu[h], f = d->stratum_f[str_old[h]];
        s->stratum_id[h] = d->stratum_id[str_old[h]];
        s->stratum_f[h] = f;
        if (s->stratum_npsu[h] >= 2) {
            s->stratum_scale[h] = (1.0 - f) * nh / (nh - 1.0);
        } else if (s->lonely_psu == SOCIND_LONELY_FAIL) {
            size_t first = 0; /* a row of the stratum, named in d's rows */
            while (s->psu_stratum[s->row_psu[first]] != (int32_t)h) first++;
            status = socind__fail_row(SOCIND_ERR_LONELY_PSU, (size_t)rows[first],
                                      "stratum %lld has only one PSU; choose a lonely-PSU "
                                      "policy (remove, adjust, average, certainty)",
                                      (long long)s->stratum_id[h]);
            goto fail;
        } else {
            s->stratum_scale[h] = 1.0 - f;
        }
    }
    free(psu_new), free(str_new), free(str_old), free(fa_str), free(renum), free(fill), free(seen);
    *out = s;
    return SOCIND_OK;
fail:
    if (status == SOCIND_ERR_NOMEM)
        socind__fail(SOCIND_ERR_NOMEM, "allocation failed building the design of the kept rows");
    free(psu_new), free(str_new), free(str_old), free(fa_str), free(renum), free(fill), free(seen);
    socind_design_free(s);
    return status;
}
