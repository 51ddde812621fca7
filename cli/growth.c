/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/growth.c — `socind growth` (z-scores and flags per child) and
 * `socind nutrition` (WHO's prevalence table). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "stream.h"
#include "suggest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_BY 16

/* --reference: 2006 (0) or 2007 (1); −1 after a usage error */
static int reference_opt(const args *a) {
    const char *v = arg_get(a, "reference");
    if (!v || strcmp(v, "who2006") == 0) return 0;
    if (strcmp(v, "who2007") == 0) return 1;
    usage_error(a->command, "--reference must be who2006 or who2007");
    return -1;
}

/* The 2007 reference takes height, weight and oedema only. */
static int check_who2007_columns(const args *a) {
    static const char *const unused[] = {"measure",    "headc-cm",   "armc-cm",
                                         "triskin-mm", "subskin-mm", NULL};
    for (int i = 0; unused[i]; i++)
        if (arg_get(a, unused[i]))
            return usage_error(a->command,
                               "--%s does not apply to the WHO 2007 reference "
                               "(height, weight and oedema only)",
                               unused[i]);
    return 0;
}

/* age in months for the 2007 reference (days / 30.4375, WHO's month) */
static double *months_of(const tbl *t, const growth_cols *g) {
    double *m = malloc(t->nrows * sizeof *m);
    if (!m) return NULL;
    const double *age = t->cols[g->age].num;
    for (size_t i = 0; i < t->nrows; i++) m[i] = g->age_in_months ? age[i] : age[i] / 30.4375;
    return m;
}

/* The 2007 reference's input over the table's columns (months: months_of) */
static void growth2007_input_of(const tbl *t, const growth_cols *g, const growth_codes_t *c,
                                const double *months, socind_growth2007_input *in) {
    socind_growth2007_input_init(in);
    in->sex = c->sex;
    in->age_months = months;
    in->height_cm = col_num(t, g->lenhei);
    in->weight_kg = col_num(t, g->weight_kg);
    in->oedema = c->oedema;
}

/* ------------------------------------------------------------------ growth */

/* The reason column: the row's reason bits in words, and the codes the
 * command took as missing (--invalid-codes missing). */
static void reason_text(int32_t bits, unsigned char bad, const tbl *t, const growth_cols *g,
                        size_t r, int ref, char *buf, size_t cap) {
    static const struct {
        int32_t bit;
        const char *words;
    } WORDS[] = {{SOCIND_GROWTH_SEX_MISSING, "sex missing"},
                 {SOCIND_GROWTH_SEX_INVALID, "sex invalid"},
                 {SOCIND_GROWTH_AGE_MISSING, "age missing"},
                 {SOCIND_GROWTH_AGE_NEGATIVE, "age negative"},
                 {SOCIND_GROWTH_AGE_OUT_OF_RANGE, "age beyond the reference"},
                 {SOCIND_GROWTH_MEASURE_INVALID, "measure invalid"},
                 {SOCIND_GROWTH_OEDEMA_INVALID, "oedema invalid"},
                 {SOCIND_GROWTH_NEGATIVE_VALUE, "negative measurement"},
                 {SOCIND_GROWTH_INFINITE_VALUE, "infinite value"},
                 {SOCIND_GROWTH_ZERO_VALUE, NULL /* (by reference, below) */},
                 {SOCIND_GROWTH_STANDING_UNDER_9MO, "standing height under 9 months"},
                 {SOCIND_GROWTH_OEDEMA, "oedema"}};
    buf[0] = '\0';
    size_t used = 0;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (used < cap) {                                                                          \
            int w_ = snprintf(buf + used, cap - used, "%s", used ? "; " : "");                     \
            if (w_ > 0) used += (size_t)w_;                                                        \
        }                                                                                          \
        if (used < cap) {                                                                          \
            int w_ = snprintf(buf + used, cap - used, __VA_ARGS__);                                \
            if (w_ > 0) used += (size_t)w_;                                                        \
        }                                                                                          \
    } while (0)
    const int cols[3] = {g->sex, g->measure, g->oedema};
    static const char *const what[3] = {"sex", "measure", "oedema"};
    static const char *const then[3] = {"taken as missing", "taken as missing",
                                        "taken as no oedema"};
    for (int k = 0; k < 3; k++)
        if (bad & (1 << k)) {
            const tbl_col *c = &t->cols[cols[k]];
            ADD("%s code \"%s\" not accepted (%s)", what[k], c->labels[c->code[r]], then[k]);
        }
    for (size_t i = 0; i < sizeof WORDS / sizeof *WORDS; i++) {
        if (!(bits & WORDS[i].bit)) continue;
        if (WORDS[i].bit == SOCIND_GROWTH_SEX_MISSING && (bad & BAD_SEX)) continue;
        if (WORDS[i].bit == SOCIND_GROWTH_ZERO_VALUE) /* 2006: anthro's missing; 2007: BMI */
            ADD("%s",
                ref ? "height 0 (no BMI)" : "measurement 0 (missing to the age-based z-scores)");
        else
            ADD("%s", WORDS[i].words);
    }
#undef ADD
}

#define MAX_KEEP 64

static const char *const NAMES2006[] = {"zlen", "flen", "zwei", "fwei", "zwfl", "fwfl",
                                        "zbmi", "fbmi", "zhc",  "fhc",  "zac",  "fac",
                                        "zts",  "fts",  "zss",  "fss"};
static const char *const NAMES2007[] = {"zhfa", "fhfa", "zwfa", "fwfa", "zbfa", "fbfa"};

/* What `socind growth` writes: the id, the --keep columns, each z-score and
 * its flag, the reason. */
typedef struct zs_output {
    int ref, nz; /* the reference (0: WHO 2006, 1: WHO 2007); z-scores per child */
    char *keep_buf[MAX_KEEP];
    size_t nbufs; /* the --keep options' copies, split in place */
    int keep_col[MAX_KEEP];
    size_t nkeep;
    const char *names[1 + MAX_KEEP + 2 * SOCIND_Z_COUNT + 1];
    double *z;       /* nz·n, indicator by indicator */
    int32_t *flag;   /* nz·n */
    int32_t *reason; /* n */
    double *months;  /* WHO 2007: the ages in months */
} zs_output;

static void zs_output_free(zs_output *o) {
    for (size_t i = 0; i < o->nbufs; i++) free(o->keep_buf[i]);
    free(o->z);
    free(o->flag);
    free(o->reason);
    free(o->months);
}

/* --keep COL,...: input columns carried into the output after the id; then
 * the output's column names. */
static int keep_columns(const args *a, tbl *t, zs_output *o) {
    const char *keeps[MAX_KEEP];
    size_t nk_opts = arg_all(a, "keep", keeps, MAX_KEEP);
    const char *const *znames = o->ref == 0 ? NAMES2006 : NAMES2007;
    for (size_t i = 0; i < nk_opts; i++) {
        if (list_items_check(a, "keep", keeps[i], ',')) return EXIT_USAGE;
        char *list = strdup(keeps[i]);
        if (!list) return fail_with(EXIT_USAGE, "out of memory");
        o->keep_buf[o->nbufs++] = list;
        for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            int clash = strcmp(tok, "id") == 0 || strcmp(tok, "reason") == 0;
            for (int k = 0; k < 2 * o->nz; k++) clash |= strcmp(tok, znames[k]) == 0;
            for (size_t k = 0; k < o->nkeep; k++) clash |= strcmp(tok, o->names[1 + k]) == 0;
            if (clash)
                return usage_error("growth",
                                   "--keep %s: the output already has a column \"%s\" (each "
                                   "output column needs its own name)",
                                   tok, tok);
            if (o->nkeep == MAX_KEEP)
                return usage_error("growth", "--keep: more than %d columns", MAX_KEEP);
            o->keep_col[o->nkeep] = tbl_want(t, tok, "keep", TBL_LABEL);
            o->names[1 + o->nkeep] = tok;
            o->nkeep++;
        }
    }
    o->names[0] = "id";
    for (int k = 0; k < 2 * o->nz; k++) o->names[1 + o->nkeep + k] = znames[k];
    o->names[1 + o->nkeep + 2 * o->nz] = "reason";
    return 0;
}

/* The z-scores, flags and reasons of every child into o. */
static int compute_zscores(const args *a, const tbl *t, const growth_cols *g,
                           const growth_codes_t *codes, int32_t rounding, zs_output *o) {
    size_t n = t->nrows;
    o->z = malloc((size_t)o->nz * n * sizeof *o->z);
    o->flag = malloc((size_t)o->nz * n * sizeof *o->flag);
    o->reason = malloc(n * sizeof *o->reason);
    if (!o->z || !o->flag || !o->reason) return fail_with(EXIT_COMPUTE, "out of memory");
    int32_t st;
    if (o->ref == 0) {
        socind_growth_input in;
        socind_growth_output out;
        growth_input_of(t, g, codes, &in);
        socind_growth_output_init(&out);
        double **zs[SOCIND_Z_COUNT] = {&out.zlen, &out.zwei, &out.zwfl, &out.zbmi,
                                       &out.zhc,  &out.zac,  &out.zts,  &out.zss};
        int32_t **fs[SOCIND_Z_COUNT] = {&out.flen, &out.fwei, &out.fwfl, &out.fbmi,
                                        &out.fhc,  &out.fac,  &out.fts,  &out.fss};
        for (int k = 0; k < SOCIND_Z_COUNT; k++) {
            *zs[k] = o->z + (size_t)k * n;
            *fs[k] = o->flag + (size_t)k * n;
        }
        out.reason = o->reason;
        st = socind_growth_who2006(n, &in, rounding, &out);
    } else {
        o->months = months_of(t, g);
        if (!o->months) return fail_with(EXIT_COMPUTE, "out of memory");
        socind_growth2007_input in;
        socind_growth2007_output out;
        growth2007_input_of(t, g, codes, o->months, &in);
        socind_growth2007_output_init(&out);
        out.zhfa = o->z, out.zwfa = o->z + n, out.zbfa = o->z + 2 * n;
        out.fhfa = o->flag, out.fwfa = o->flag + n, out.fbfa = o->flag + 2 * n;
        out.reason = o->reason;
        st = socind_growth_who2007(n, &in, rounding, &out);
    }
    return st ? lib_fail(a, t, NULL, "z-scores", st) : 0;
}

/* One output row a child: its id (or the file's record number, not the
 * subset's row), the kept columns, z and flag pairs, the reason. */
static int write_zscores(const args *a, const tbl *t, const growth_cols *g,
                         const growth_codes_t *codes, int format, int32_t rounding,
                         const zs_output *o) {
    char err[1024];
    outw w;
    if (outw_open(&w, arg_get(a, "output"), format, (int)(1 + o->nkeep + 2 * (size_t)o->nz + 1),
                  o->names, err, sizeof err))
        return fail_with(EXIT_OUTPUT, "%s", err);
    size_t n = t->nrows;
    int decimals = rounding == SOCIND_ROUND_WHO ? 2 : -1;
    for (size_t i = 0; i < n; i++) {
        if (g->id >= 0) {
            int32_t k = t->cols[g->id].code[i];
            outw_str(&w, k >= 0 ? t->cols[g->id].labels[k] : NULL);
        } else {
            outw_int(&w, (long long)t->record[i]);
        }
        for (size_t k = 0; k < o->nkeep; k++) {
            const tbl_col *c = &t->cols[o->keep_col[k]];
            outw_str(&w, c->code[i] >= 0 ? c->labels[c->code[i]] : NULL);
        }
        for (int k = 0; k < o->nz; k++) {
            double v = o->z[(size_t)k * n + i];
            outw_num(&w, v, decimals);
            if (isnan(v))
                outw_str(&w, NULL);
            else
                outw_int(&w, o->flag[(size_t)k * n + i]);
        }
        char why[512];
        reason_text(o->reason[i], codes->bad ? codes->bad[i] : 0, t, g, i, o->ref, why, sizeof why);
        outw_str(&w, why[0] ? why : NULL);
    }
    if (outw_close(&w, 1, err, sizeof err)) return fail_with(EXIT_OUTPUT, "%s", err);
    return 0;
}

int cmd_growth(int argc, char **argv) {
    static const opt_spec own[] = {{"rounding", OPT_VALUE}, {"keep", OPT_REPEAT}, {NULL, 0}};
    const opt_spec *const specs[] = {
        own, cli_growth_opts, cli_codes_opts, cli_output_opts, cli_input_opts, NULL};
    args a;
    tbl t;
    growth_cols g;
    growth_codes_t codes;
    zs_output o;
    memset(&o, 0, sizeof o);
    memset(&codes, 0, sizeof codes);
    memset(&t, 0, sizeof t);
    if (args_parse(&a, "growth", argc, argv, 2, specs)) return EXIT_USAGE;
    int rc = table_setup(&t, &a);
    if (rc) goto done;
    int ref = reference_opt(&a);
    int format = output_format(&a);
    if (ref < 0 || format < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    const char *rv = arg_get(&a, "rounding");
    int32_t rounding = SOCIND_ROUND_WHO;
    if (rv && strcmp(rv, "none") == 0)
        rounding = SOCIND_ROUND_NONE;
    else if (rv && strcmp(rv, "who") != 0) {
        rc = usage_error("growth", "--rounding must be who or none");
        goto done;
    }
    if (ref == 1 && (rc = check_who2007_columns(&a))) goto done;
    if ((rc = codes_check_options(&a))) goto done;
    if ((rc = growth_want(&t, &a, &g))) goto done;
    o.ref = ref;
    o.nz = ref == 0 ? SOCIND_Z_COUNT : 3;
    if ((rc = keep_columns(&a, &t, &o))) goto done;
    if ((rc = table_read(&t, &a))) goto done;
    if (ref == 0 && (rc = check_age_unit(&a, &t, &g))) goto done;
    if ((rc = growth_codes(&a, &t, &g, &codes))) goto done;
    note_growth_missing("growth", &t, &g, 1);
    size_t negative = 0;
    for (size_t r = 0; r < t.nrows; r++) negative += t.cols[g.age].num[r] < 0;
    warn_negative_ages("growth", &t, &g, negative, 1);
    if ((rc = compute_zscores(&a, &t, &g, &codes, rounding, &o))) goto done;
    rc = write_zscores(&a, &t, &g, &codes, format, rounding, &o);
done:
    zs_output_free(&o);
    growth_codes_free(&codes);
    tbl_free(&t);
    args_free(&a);
    return rc;
}

/* ------------------------------------------------------------------ nutrition */

int anthro_design(const args *a, const tbl *t, int sw_col, const int64_t *strata,
                  const int64_t *cluster, socind_design **out) {
    size_t n = t->nrows;
    double *ones = NULL;
    int64_t *own = NULL;
    size_t k = 1;
    while (cluster && k < n && cluster[k] == cluster[0]) k++;
    if (sw_col < 0) ones = malloc((n ? n : 1) * sizeof *ones);
    if (cluster && k >= n) own = malloc((n ? n : 1) * sizeof *own);
    if ((sw_col < 0 && !ones) || (cluster && k >= n && !own)) {
        free(ones);
        return fail_with(EXIT_COMPUTE, "out of memory");
    }
    for (size_t r = 0; ones && r < n; r++) ones[r] = 1.0;
    for (size_t r = 0; own && r < n; r++) own[r] = (int64_t)r;
    socind_design_options o;
    socind_design_options_init(&o);
    o.lonely_psu = SOCIND_LONELY_ADJUST;
    o.nest = 1;
    int32_t st = socind_design_new(n, ones ? ones : t->cols[sw_col].num, strata,
                                   own ? own : cluster, NULL, &o, out);
    free(ones);
    free(own);
    return st ? lib_fail(a, t, NULL, "prevalence", st) : 0;
}

static const char *const IND_STEM[SOCIND_NUT_INDICATOR_COUNT] = {"HA", "WA",        "BMI",
                                                                 "WH", "HA_2_WH_2", "HA_2_WH2"};
static const char *const STAT_SUFFIX[] = {"_3", "_2", "_1", "1", "2", "3", "", ""};

/* WHO's stem of a table row ("HA_2", "WH", "HA_2_WH2") */
static void stem_of(const socind_prevalence_row *row, char *buf, size_t cap) {
    if (row->statistic == SOCIND_NUT_BOTH)
        snprintf(buf, cap, "%s", IND_STEM[row->indicator]);
    else
        snprintf(buf, cap, "%s%s", IND_STEM[row->indicator], STAT_SUFFIX[row->statistic]);
}

#define MAX_STEMS 64

/* The stems this reference produces, into out; their count */
static size_t all_stems(int ref, char out[][16]) {
    int nind = ref == 0 ? SOCIND_NUT_INDICATOR_COUNT : 3;
    static const int map2007[3] = {SOCIND_NUT_HA, SOCIND_NUT_WA, SOCIND_NUT_BMI};
    size_t n = 0;
    for (int i = 0; i < nind; i++) {
        int ind = ref == 0 ? i : map2007[i];
        if (ind >= SOCIND_NUT_HA_2_WH_2) {
            snprintf(out[n++], 16, "%s", IND_STEM[ind]);
            continue;
        }
        for (int st = 0; st <= SOCIND_NUT_MEAN; st++)
            snprintf(out[n++], 16, "%s%s", IND_STEM[ind], STAT_SUFFIX[st]);
        snprintf(out[n++], 16, "%s_sd", IND_STEM[ind]);
    }
    return n;
}

/* 1 if the stem is one this reference produces; else the closest, if any,
 * in *near (NULL otherwise), of the stems in buf */
static int known_stem(const char *s, int ref, char buf[][16], const char **near) {
    const char *names[MAX_STEMS];
    size_t n = all_stems(ref, buf);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s, buf[i]) == 0) return 1;
        names[i] = buf[i];
    }
    *near = suggest(s, names, n);
    return 0;
}

typedef struct wanted {
    char *list;
    const char *stem[128];
    int n;
} wanted;

static int selected(const wanted *w, const char *stem) {
    if (w->n == 0) return 1;
    for (int i = 0; i < w->n; i++)
        if (strcmp(w->stem[i], stem) == 0) return 1;
    return 0;
}

static int add_row(est_list *l, const socind_prevalence_row *rowp, const char *group,
                   const wanted *w, int percent);

static int add_table(est_list *l, const socind_prevalence_table *tab, int domains_only,
                     const breakdown *b, const wanted *w, int percent) {
    size_t nr = socind_prevalence_table_nrows(tab);
    for (size_t i = 0; i < nr; i++) {
        socind_prevalence_row row;
        socind_prevalence_row_init(&row);
        socind_prevalence_table_row(tab, i, &row);
        int is_domain = row.group_kind == SOCIND_GROUP_DOMAIN;
        if (is_domain != domains_only) continue;
        char group[256];
        if (is_domain)
            snprintf(group, sizeof group, "%s", b->label[row.group_level]);
        else
            socind_prevalence_group_label(row.group_kind, row.group_level, group, sizeof group,
                                          NULL);
        int rc = add_row(l, &row, group, w, percent);
        if (rc) return rc;
    }
    return 0;
}

/* One row of a table (and its SD's for a mean), labelled group. */
static int add_row(est_list *l, const socind_prevalence_row *rowp, const char *group,
                   const wanted *w, int percent) {
    socind_prevalence_row row = *rowp;
    char stem[32];
    stem_of(&row, stem, sizeof stem);
    socind_estimate e = row.est;
    e.n = row.pop_unweighted;
    e.weight_sum = row.pop_weighted;
    if (row.statistic != SOCIND_NUT_MEAN && percent) {
        e.value *= 100;
        e.se *= 100;
        e.ci_low *= 100;
        e.ci_high *= 100;
    }
    if (selected(w, stem)) {
        int rc = est_add(l, stem, "", group, &e);
        if (rc) return rc;
    }
    if (row.statistic == SOCIND_NUT_MEAN) {
        char sd[40];
        snprintf(sd, sizeof sd, "%s_sd", stem);
        if (!selected(w, sd)) return 0;
        socind_estimate s = e;
        s.value = row.stdev;
        s.se = s.ci_low = s.ci_high = NAN;
        /* its own status: an SD needs no df or interval (the mean's status
           may say it has none); no SD of fewer than two children: an empty
           cell is said, with its reason */
        if (isfinite(s.value))
            s.status = SOCIND_OK;
        else if (s.status == SOCIND_OK || s.status == SOCIND_ERR_DF)
            s.status = SOCIND_ERR_DATA;
        int rc = est_add(l, sd, "", group, &s);
        if (rc) return rc;
    }
    return 0;
}

/* The design options WHO's anthro does not take: refused, saying what the
 * table does instead (calibration, which anthro does not have either, is
 * taken: socind/calibrate.h). */
static int refuse_non_anthro(const args *a) {
    if (arg_get(a, "fpc"))
        return usage_error("nutrition", "--fpc: the prevalence table follows WHO's anthro, which "
                                        "takes no finite population correction");
    const char *lonely = arg_get(a, "lonely-psu");
    if ((lonely && strcmp(lonely, "adjust") != 0) || arg_flag(a, "nest"))
        return usage_error("nutrition",
                           "the prevalence table follows WHO's anthro: lonely PSUs are "
                           "adjusted and clusters are nested in strata (--lonely-psu "
                           "adjust only; no --nest needed)");
    if (arg_get(a, "ci") || arg_get(a, "prop-ci"))
        return usage_error("nutrition",
                           "the prevalence table follows WHO's anthro: t intervals on the "
                           "design's df, logit intervals for prevalences (--level only)");
    return 0;
}

/* --indicators: WHO's stems, each checked (w->list holds the copy). */
static int nutrition_indicators(const args *a, int ref, wanted *w) {
    const char *ind = arg_get(a, "indicators");
    if (!ind) return 0;
    if (list_items_check(a, "indicators", ind, ',')) return EXIT_USAGE;
    w->list = strdup(ind);
    if (!w->list) return fail_with(EXIT_USAGE, "out of memory");
    for (char *save = NULL, *tok = strtok_r(w->list, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char stems[MAX_STEMS][16], mean[64] = "";
        const char *near = NULL;
        if (!known_stem(tok, ref, stems, &near)) {
            if (near) snprintf(mean, sizeof mean, " (did you mean \"%s\"?)", near);
            return usage_error("nutrition",
                               "unknown indicator \"%s\"%s; WHO's stems: HA_3 HA_2 "
                               "HA_1 HA1 HA2 HA3 HA HA_sd, the same for WA, BMI%s",
                               tok, mean, ref == 0 ? ", WH; HA_2_WH_2, HA_2_WH2" : "");
        }
        if (w->n < 128) w->stem[w->n++] = tok;
    }
    return 0;
}

/* One table per breakdown: the standard rows from the first, the domain
 * rows from each (a breakdown whose every value is missing was said on
 * stderr). */
static int prevalence_tables(const args *a, const tbl *t, const socind_design *design, int ref,
                             const socind_growth_input *in, const socind_growth2007_input *in7,
                             const breakdown *by, size_t nby, const socind_options *opts,
                             const wanted *w, est_list *l) {
    int percent = arg_flag(a, "percent");
    for (size_t s = 0; s < (nby ? nby : 1); s++) {
        const breakdown *b = nby ? &by[s] : NULL;
        if (b && b->n_groups == 0 && s > 0) continue;
        if (b && b->n_groups == 0) b = NULL;
        socind_prevalence_table *tab = NULL;
        int32_t st;
        if (ref == 0)
            st = socind_prevalence_who2006(design, in, b ? b->code : NULL, b ? b->n_groups : 0,
                                           opts, &tab);
        else
            st = socind_prevalence_who2007(design, in7, b ? b->code : NULL, b ? b->n_groups : 0,
                                           opts, &tab);
        if (st) return lib_fail(a, t, NULL, "prevalence", st);
        int rc = 0;
        if (s == 0) rc = add_table(l, tab, 0, b, w, percent);
        if (!rc && b) rc = add_table(l, tab, 1, b, w, percent);
        socind_prevalence_table_free(tab);
        if (rc) return rc;
    }
    return 0;
}

/* ------------------------------------------------------------------ streaming */

/* socind nutrition on a file read in chunks (stream.h with custom chunks):
 * each chunk's children are coded, anthro's exclusions applied (their
 * warnings counted), and the children kept copied for a worker, which adds
 * them to the prevalence states (z-scores are row-local), one state per
 * table. */
typedef struct nut_block {
    size_t cap;
    double *w, *age, *months, *num[7]; /* num: weight, lenhei, headc, armc, triskin, subskin */
    int64_t *strata, *psu;
    int32_t *code[3]; /* sex, measure, oedema */
    int32_t *group[MAX_BY];
} nut_block;

typedef struct nut_stream {
    stream *s;
    const args *a;
    const growth_cols *g;
    int ref, sw_col, st_col, ps_col;
    const int *by_col;
    size_t nby;
    int32_t *lut[3];
    int32_t lut_n[3];
    /* the counts of the in-memory checks and warnings */
    size_t measured, big; /* check_age_unit's counts */
    size_t age_out, age_na, design_out, no_cl, no_st, sw_na, age_neg;
    int64_t *missing; /* per column: missing cells among the children kept */
    int64_t first_cluster;
    int cluster_varies;
} nut_stream;

#define NUT_NUMS 6

static void nut_block_free(void *data) {
    nut_block *b = data;
    if (!b) return;
    free(b->w), free(b->age), free(b->months), free(b->strata), free(b->psu);
    for (int k = 0; k < NUT_NUMS; k++) free(b->num[k]);
    for (int k = 0; k < 3; k++) free(b->code[k]);
    for (size_t i = 0; i < MAX_BY; i++) free(b->group[i]);
    free(b);
}

static int nut_reserve(nut_stream *x, nut_block *b, size_t n) {
    if (n <= b->cap) return 0;
#define GROW(p)                                                                                    \
    do {                                                                                           \
        void *q = realloc(p, n * sizeof *(p));                                                     \
        if (!q) return -1;                                                                         \
        p = q;                                                                                     \
    } while (0)
    GROW(b->w);
    GROW(b->age);
    GROW(b->months);
    GROW(b->strata);
    GROW(b->psu);
    for (int k = 0; k < NUT_NUMS; k++) GROW(b->num[k]);
    for (int k = 0; k < 3; k++) GROW(b->code[k]);
    for (size_t i = 0; i < x->nby; i++) GROW(b->group[i]);
#undef GROW
    b->cap = n;
    return 0;
}

/* A label's growth code (its column's labels coded as they appear): the
 * code, or −9 (not accepted: the in-memory read lists it). */
static int32_t nut_code(nut_stream *x, int which, const tbl_col *c, int32_t k) {
    if (k < 0) return SOCIND_CODE_MISSING;
    if (k >= x->lut_n[which]) {
        int32_t *l = realloc(x->lut[which], (size_t)c->n_labels * sizeof *l);
        if (!l) return -9;
        x->lut[which] = l;
        for (int32_t j = x->lut_n[which]; j < c->n_labels; j++)
            if (growth_label_code(x->a, which, c->labels[j], &l[j])) l[j] = -9;
        x->lut_n[which] = c->n_labels;
    }
    return x->lut[which][k];
}

static int64_t nut_fill(void *ctx, const tbl *t, void **data, int32_t *gcap) {
    nut_stream *x = ctx;
    const growth_cols *g = x->g;
    nut_block *b = *data;
    if (!b && !(b = *data = calloc(1, sizeof *b))) return -1;
    if (nut_reserve(x, b, t->nrows)) return -1;
    const int code_col[3] = {g->sex, g->measure, g->oedema};
    const int num_col[NUT_NUMS] = {g->weight_kg, g->lenhei,  g->headc,
                                   g->armc,      g->triskin, g->subskin};
    const double *age = t->cols[g->age].num;
    const double *len = col_num(t, g->lenhei), *wt = col_num(t, g->weight_kg);
    size_t m = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        int32_t code[3];
        for (int k = 0; k < 3; k++) {
            code[k] = SOCIND_CODE_MISSING;
            if (code_col[k] < 0) continue;
            const tbl_col *c = &t->cols[code_col[k]];
            code[k] = nut_code(x, k, c, c->code[r]);
            if (code[k] == -9) return -1; /* the in-memory read names it */
        }
        /* check_age_unit's counts (every row) */
        if (!g->age_in_months) age_unit_count(age[r], len, wt, r, &x->measured, &x->big);
        /* anthro's exclusions (anthro_exclusions) */
        int keep = 1;
        if (x->ref == 0) {
            if (isnan(age[r]))
                x->age_na++;
            else if (floor((g->age_in_months ? age[r] * 30.4375 : age[r]) + 0.5) > 1826)
                keep = 0;
            else
                x->age_neg += age[r] < 0;
        } else {
            double mo = g->age_in_months ? age[r] : age[r] / 30.4375;
            if (!(mo >= 60 && mo <= 228)) keep = 0;
        }
        x->age_out += !keep;
        int cl_na = x->ps_col >= 0 && t->cols[x->ps_col].code[r] < 0;
        int st_na = x->st_col >= 0 && t->cols[x->st_col].code[r] < 0;
        if (keep) {
            x->no_cl += cl_na;
            x->no_st += st_na;
            if (cl_na || st_na) keep = 0, x->design_out++;
        }
        if (!keep) continue;
        double w = x->sw_col >= 0 ? t->cols[x->sw_col].num[r] : 1.0;
        if (isnan(w)) x->sw_na++, w = 0.0;
        for (size_t c = 0; c < t->ncols; c++) {
            const tbl_col *col = &t->cols[c];
            x->missing[c] += col->kind == TBL_NUM ? isnan(col->num[r]) != 0 : col->code[r] < 0;
        }
        if (x->ps_col >= 0) {
            int64_t cl = t->cols[x->ps_col].code[r];
            if (x->first_cluster < 0)
                x->first_cluster = cl;
            else if (cl != x->first_cluster)
                x->cluster_varies = 1;
        }
        b->w[m] = w;
        b->age[m] = age[r];
        b->months[m] = g->age_in_months ? age[r] : age[r] / 30.4375;
        for (int k = 0; k < NUT_NUMS; k++)
            b->num[k][m] = num_col[k] >= 0 ? t->cols[num_col[k]].num[r] : NAN;
        for (int k = 0; k < 3; k++) b->code[k][m] = code[k];
        b->strata[m] = x->st_col >= 0 ? t->cols[x->st_col].code[r] : 0;
        b->psu[m] = x->ps_col >= 0 ? t->cols[x->ps_col].code[r] : 0;
        for (size_t i = 0; i < x->nby; i++) {
            int32_t k = t->cols[x->by_col[i]].code[r];
            b->group[i][m] = k;
            if (stream_mark_used(x->s, i, k)) return -1;
        }
        m++;
    }
    for (size_t i = 0; i < x->nby; i++) gcap[i] = stream_groups_cap(t->cols[x->by_col[i]].n_labels);
    return (int64_t)m;
}

static int32_t nut_add(void *ctx, void *data, size_t n, int64_t first_row, const stream_slot *sl,
                       socind_state *st) {
    nut_stream *x = ctx;
    nut_block *b = data;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = n;
    c.first_row = first_row;
    c.weight = b->w;
    c.strata = x->st_col >= 0 ? b->strata : NULL;
    c.psu = x->ps_col >= 0 ? b->psu : NULL;
    c.group = sl->by >= 0 ? b->group[sl->by] : NULL;
    const growth_cols *g = x->g;
    if (x->ref == 1) {
        socind_growth2007_input in;
        socind_growth2007_input_init(&in);
        in.sex = b->code[0];
        in.age_months = b->months;
        in.height_cm = g->lenhei >= 0 ? b->num[1] : NULL;
        in.weight_kg = g->weight_kg >= 0 ? b->num[0] : NULL;
        in.oedema = g->oedema >= 0 ? b->code[2] : NULL;
        return socind_state_add_growth2007(st, &c, &in);
    }
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = b->code[0];
    in.age = b->age;
    in.age_in_months = g->age_in_months;
    in.weight = g->weight_kg >= 0 ? b->num[0] : NULL;
    in.lenhei = g->lenhei >= 0 ? b->num[1] : NULL;
    in.measure = g->measure >= 0 ? b->code[1] : NULL;
    in.oedema = g->oedema >= 0 ? b->code[2] : NULL;
    in.headc = g->headc >= 0 ? b->num[2] : NULL;
    in.armc = g->armc >= 0 ? b->num[3] : NULL;
    in.triskin = g->triskin >= 0 ? b->num[4] : NULL;
    in.subskin = g->subskin >= 0 ? b->num[5] : NULL;
    return socind_state_add_growth(st, &c, &in);
}

/* The table rows of one breakdown's domains in the breakdown's order: the
 * state's domain code[g] is group g (add_table's rows otherwise). The
 * domains' rows are put in buckets by domain in one pass, in the table's
 * order within each (not one pass over the table a domain: with a domain a
 * child, G·rows). */
static int add_domains_mapped(est_list *l, const socind_prevalence_table *tab, const breakdown *b,
                              const int32_t *code, const wanted *w, int percent) {
    const size_t nr = socind_prevalence_table_nrows(tab);
    socind_prevalence_row *rows = malloc((nr ? nr : 1) * sizeof *rows);
    int32_t top = -1;
    for (size_t i = 0; rows && i < nr; i++) {
        socind_prevalence_row_init(&rows[i]);
        socind_prevalence_table_row(tab, i, &rows[i]);
        if (rows[i].group_kind == SOCIND_GROUP_DOMAIN && rows[i].group_level > top)
            top = rows[i].group_level;
    }
    /* start[v] .. start[v + 1]: domain v's rows in order[] */
    size_t *start = rows ? calloc((size_t)top + 2, sizeof *start) : NULL;
    size_t *order = start ? malloc((nr ? nr : 1) * sizeof *order) : NULL;
    if (!order) {
        free(rows), free(start);
        return fail_with(EXIT_COMPUTE, "out of memory");
    }
    for (size_t i = 0; i < nr; i++)
        if (rows[i].group_kind == SOCIND_GROUP_DOMAIN) start[rows[i].group_level + 1]++;
    for (int32_t v = 0; v <= top; v++) start[v + 1] += start[v];
    for (size_t i = 0; i < nr; i++)
        if (rows[i].group_kind == SOCIND_GROUP_DOMAIN) order[start[rows[i].group_level]++] = i;
    /* (filling moved each start to its domain's end: the starts again) */
    for (int32_t v = top; v >= 0; v--) start[v + 1] = start[v];
    start[0] = 0;
    int rc = 0;
    for (int32_t g = 0; !rc && g < b->n_groups; g++) {
        if (code[g] < 0 || code[g] > top) continue;
        for (size_t k = start[code[g]]; !rc && k < start[code[g] + 1]; k++)
            rc = add_row(l, &rows[order[k]], b->label[g], w, percent);
    }
    free(rows), free(start), free(order);
    return rc;
}

/* `socind nutrition` through the prevalence table's partial states, the
 * file read in chunks (threads: the workers score the children and build
 * the chunks' states). STREAM_REDO (nothing said: read in memory) when the
 * run asks what the chunks cannot give — --where, --subset, a code WHO's
 * anthro does not accept, ages that look like months, one cluster for every
 * child (anthro then makes each child its own PSU), no child kept, a
 * .dta/.sav code column whose value labels rename its codes — or when the
 * states refuse a child; 0 or an exit code after the table or a message. */
static int stream_nutrition(const args *a, tbl *t, const growth_cols *g, int ref, int sw_col,
                            int st_col, int ps_col, const int *by_col, size_t nby,
                            const where_set *ws, const socind_options *opts, const wanted *w,
                            int threads) {
    struct stat sb;
    if (!stream_enabled() || stat(t->path, &sb) != 0 || !S_ISREG(sb.st_mode)) return STREAM_REDO;
    if (ws->n > 0 || arg_get(a, "subset") || nby > STREAM_MAX_BY) return STREAM_REDO;
    /* replicate weights: the table again under each replicate, in memory */
    if (rep_requested(a)) return STREAM_REDO;
    nut_stream x;
    memset(&x, 0, sizeof x);
    x.a = a, x.g = g, x.ref = ref, x.sw_col = sw_col, x.st_col = st_col, x.ps_col = ps_col;
    x.by_col = by_col, x.nby = nby;
    x.first_cluster = -1;
    stream s;
    memset(&s, 0, sizeof s);
    x.s = &s;
    stream_custom cu = {&x, nut_fill, nut_add, nut_block_free};
    size_t nslot = nby ? nby : 1;
    x.missing = calloc(t->ncols ? t->ncols : 1, sizeof *x.missing);
    s.slot = calloc(nslot, sizeof *s.slot);
    breakdown bd[MAX_BY];
    int32_t *code[MAX_BY];
    memset(bd, 0, sizeof bd);
    memset(code, 0, sizeof code);
    est_list l;
    memset(&l, 0, sizeof l);
    int rc = 0;
    if (!x.missing || !s.slot) {
        rc = fail_with(EXIT_DATA, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nslot; k++) {
        socind_state_spec *sp = &s.slot[k].spec;
        socind_state_spec_init(sp);
        sp->estimator = ref ? SOCIND_STATE_PREVALENCE_WHO2007 : SOCIND_STATE_PREVALENCE_WHO2006;
        sp->has_strata = st_col >= 0;
        sp->has_psu = ps_col >= 0;
        sp->lonely_psu = SOCIND_LONELY_ADJUST;
        sp->nest = 1;
        s.slot[k].by = nby ? (int)k : -1;
        s.slot[k].fixed = 1; /* a prevalence state's domains are made once */
    }
    s.nslot = nslot;
    s.t = t;
    s.custom = &cu;
    s.weight = s.strata = s.psu = s.fpc = s.value = s.y2 = -1;
    s.nby = nby;
    for (size_t i = 0; i < nby; i++) s.by[i] = by_col[i];
    s.use_marks = 1;
    s.threads = threads;
    s.chunk_rows = stream_chunk_rows();
    if ((rc = stream_run(&s))) goto done;
    /* what the in-memory read refuses or decides over every child */
    const int code_col[3] = {g->sex, g->measure, g->oedema};
    for (int k = 0; k < 3; k++)
        if (code_col[k] >= 0 && t->cols[code_col[k]].remap) rc = STREAM_REDO;
    if (s.kept == 0 || (ps_col >= 0 && !x.cluster_varies) ||
        (!g->age_in_months && x.measured > 0 && 2 * x.big > x.measured))
        rc = STREAM_REDO;
    for (size_t i = 0; i < nby && !rc; i++) rc = stream_groups(&s, by_col[i], &bd[i], &code[i]);
    if (rc) goto done;
    if (nby && bd[0].n_groups == 0) {
        rc = STREAM_REDO;
        goto done;
    }
    /* the tables, every one, before anything is said */
    socind_prevalence_table *tab[MAX_BY] = {NULL};
    for (size_t k = 0; k < nslot && !rc; k++)
        if (!s.slot[k].state || socind_state_finish_table(s.slot[k].state, opts, &tab[k]))
            rc = STREAM_REDO; /* the in-memory path says why */
    int percent = arg_flag(a, "percent");
    if (!rc) {
        if (stream_verbose())
            fprintf(stderr, "socind nutrition: streamed %lld rows in %zu chunks on %d threads\n",
                    (long long)s.rows, s.chunks, s.threads);
        anthro_warn_ages("nutrition", ref, x.age_out, x.age_na);
        warn_negative_ages("nutrition", t, g, x.age_neg, 0);
        anthro_warn_design("nutrition", t, st_col, ps_col, x.design_out, x.no_cl, x.no_st);
        anthro_warn_weights("nutrition", x.sw_na);
        for (size_t c = 0; c < t->ncols; c++) t->cols[c].n_missing = x.missing[c];
        note_growth_missing("nutrition", t, g, 0);
        for (size_t i = 0; i < nby; i++) {
            char what[600];
            snprintf(what, sizeof what,
                     "they are left out of the \"%s: ...\" rows of that breakdown and kept in "
                     "\"All\"",
                     t->cols[by_col[i]].name);
            note_missing("nutrition", t, by_col[i], what);
        }
        for (size_t k = 0; k < nslot && !rc; k++) {
            if (nby && bd[k].n_groups == 0 && k > 0) continue;
            if (k == 0) rc = add_table(&l, tab[k], 0, NULL, w, percent);
            if (!rc && nby) rc = add_domains_mapped(&l, tab[k], &bd[k], code[k], w, percent);
        }
        if (!rc) rc = est_write(&l, a);
    }
    for (size_t k = 0; k < nslot; k++) socind_prevalence_table_free(tab[k]);
done:
    est_free(&l);
    for (size_t i = 0; i < MAX_BY; i++) {
        breakdown_free(&bd[i]);
        free(code[i]);
    }
    for (size_t k = 0; k < s.nslot; k++) socind_state_free(s.slot[k].state);
    free(s.slot);
    stream_free(&s);
    free(x.missing);
    for (int k = 0; k < 3; k++) free(x.lut[k]);
    return rc;
}

int cmd_nutrition(int argc, char **argv) {
    static const opt_spec own[] = {{"by", OPT_REPEAT},     {"indicators", OPT_VALUE},
                                   {"percent", OPT_FLAG},  {"where", OPT_REPEAT},
                                   {"threads", OPT_VALUE}, {NULL, 0}};
    const opt_spec *const specs[] = {
        own, cli_growth_opts, cli_codes_opts, cli_design_opts, cli_output_opts, cli_input_opts,
        NULL};
    args a;
    tbl t;
    growth_cols g;
    growth_codes_t codes;
    int64_t *strata = NULL, *cluster = NULL;
    double *months = NULL;
    socind_design *design = NULL;
    breakdown by[MAX_BY];
    size_t nby = 0;
    est_list l;
    wanted w;
    where_set ws;
    unsigned char *keep = NULL;
    memset(&w, 0, sizeof w);
    memset(&l, 0, sizeof l);
    memset(by, 0, sizeof by);
    memset(&t, 0, sizeof t);
    memset(&codes, 0, sizeof codes);
    if (args_parse(&a, "nutrition", argc, argv, 2, specs)) return EXIT_USAGE;
    /* the design options WHO's anthro does not take (refused below) */
    static const char *const refused[] = {"fpc", "nest", "lonely-psu", "ci", "prop-ci", NULL};
    a.refused = refused;
    int rc = table_setup(&t, &a);
    if (rc) goto done;
    int ref = reference_opt(&a);
    if (ref < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (ref == 1 && (rc = check_who2007_columns(&a))) goto done;
    if ((rc = refuse_non_anthro(&a))) goto done;
    if ((rc = nutrition_indicators(&a, ref, &w))) goto done;
    /* --threads: the table splits its children over threads through
       partial states (the file is read into memory) */
    int threads;
    if ((rc = threads_option(&a, &threads))) goto done;
    socind_options opts;
    if ((rc = options_from_args(&a, &opts))) goto done;
    opts.threads = threads;
    if ((rc = codes_check_options(&a))) goto done;
    if ((rc = growth_want(&t, &a, &g))) goto done;
    if (ref == 1 && (g.weight_kg < 0 && g.lenhei < 0)) {
        rc = usage_error("nutrition", "--lenhei-cm and/or --weight-kg are needed");
        goto done;
    }
    const char *swn = arg_get(&a, "weight"), *stn = arg_get(&a, "strata"),
               *psn = arg_get(&a, "psu");
    int sw_col = swn ? tbl_want(&t, swn, "weight", TBL_NUM) : -1;
    int st_col = stn ? tbl_want(&t, stn, "strata", TBL_ID) : -1;
    int ps_col = psn ? tbl_want(&t, psn, "psu", TBL_ID) : -1;
    /* replicate weights (replicate_opts.c): their columns follow the rows
       anthro's exclusions keep; --poststratify / --rake / --calibrate
       (calibrate.c): the weights of the children anthro's exclusions keep
       are calibrated (the table then runs in memory, on one thread) */
    design_cols dc = {
        .weight = sw_col, .strata = st_col, .psu = ps_col, .fpc = -1, .cal = -1, .rep_key = -1};
    if ((rc = cal_want(&t, &a, &dc))) goto done;
    if ((rc = rep_want(&t, &a, &dc))) goto done;
    if (dc.cal >= 0 && rep_requested(&a)) {
        rc = usage_error("nutrition", "a calibration and replicate weights cannot be combined "
                                      "(calibrating each replicate is not supported): give "
                                      "one of them");
        goto done;
    }
    const char *by_names[MAX_BY + 1];
    nby = arg_all(&a, "by", by_names, MAX_BY + 1);
    if (nby > MAX_BY) {
        nby = 0;
        rc = usage_error("nutrition", "more than %d --by", MAX_BY);
        goto done;
    }
    int by_col[MAX_BY];
    for (size_t i = 0; i < nby; i++) by_col[i] = tbl_want(&t, by_names[i], "by", TBL_LABEL);
    if ((rc = where_want(&t, &a, &ws))) goto done;
    if (dc.cal < 0) {
        rc = stream_nutrition(&a, &t, &g, ref, sw_col, st_col, ps_col, by_col, nby, &ws, &opts, &w,
                              threads);
        if (rc != STREAM_REDO) goto done;
        tbl_rewind(&t); /* read again, into memory */
        if (stream_verbose()) fprintf(stderr, "socind nutrition: read into memory\n");
    }
    if ((rc = table_read(&t, &a))) goto done;
    if (ref == 0 && (rc = check_age_unit(&a, &t, &g))) goto done;
    if ((rc = growth_codes(&a, &t, &g, &codes))) goto done;
    /* anthro_prevalence's exclusions, with its warnings */
    if ((rc = anthro_exclusions("nutrition", &t, &g, ref, sw_col, st_col, ps_col, &codes, NULL)))
        goto done;
    note_growth_missing("nutrition", &t, &g, 0);
    /* --where: the children outside it get no indicator (no sex, no
       oedema: every z-score and prevalence leaves them) and stay in the
       design */
    if ((rc = where_mask("nutrition", &t, &ws, &keep))) goto done;
    for (size_t r = 0; keep && r < t.nrows; r++) {
        if (keep[r]) continue;
        if (codes.sex) codes.sex[r] = -1;
        if (codes.oedema) codes.oedema[r] = SOCIND_OEDEMA_NO;
    }
    for (size_t i = 0; i < nby; i++) {
        char what[600];
        snprintf(what, sizeof what,
                 "they are left out of the \"%s: ...\" rows of that breakdown and kept in \"All\"",
                 t.cols[by_col[i]].name);
        note_missing("nutrition", &t, by_col[i], what);
    }
    if (st_col >= 0 && (rc = ids_from_labels(&t, &t.cols[st_col], &strata))) goto done;
    if (ps_col >= 0 && (rc = ids_from_labels(&t, &t.cols[ps_col], &cluster))) goto done;
    for (size_t i = 0; i < nby; i++)
        if ((rc = breakdown_make_in(&t, &t.cols[by_col[i]], keep, &by[i]))) goto done;
    if (ref == 1) {
        months = months_of(&t, &g);
        if (!months) {
            rc = fail_with(EXIT_COMPUTE, "out of memory");
            goto done;
        }
    }
    if ((rc = anthro_design(&a, &t, sw_col, strata, cluster, &design))) goto done;
    if ((rc = cal_apply(&t, &a, &dc, sw_col >= 0 ? t.cols[sw_col].num : NULL, &design))) goto done;
    if ((rc = rep_wrap(&t, &a, &dc, &design))) goto done;
    socind_growth_input in;
    socind_growth2007_input in7;
    growth_input_of(&t, &g, &codes, &in);
    growth2007_input_of(&t, &g, &codes, months, &in7);
    if ((rc = prevalence_tables(&a, &t, design, ref, &in, &in7, by, nby, &opts, &w, &l))) goto done;
    rc = est_write(&l, &a);
done:
    for (size_t i = 0; i < nby; i++) breakdown_free(&by[i]);
    est_free(&l);
    free(w.list);
    free(keep);
    growth_codes_free(&codes);
    socind_design_free(design);
    free(strata);
    free(cluster);
    free(months);
    tbl_free(&t);
    args_free(&a);
    return rc;
}
