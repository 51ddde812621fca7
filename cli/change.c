/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/change.c — `socind change BASE_FILE COMPARE_FILE`: why poverty
 * changed between two survey rounds, each file its own sample and design —
 * the growth–redistribution decomposition (Datt–Ravallion with its residual,
 * and the Shapley value) overall and by --by, and with --sector the
 * Ravallion–Huppi sectoral decomposition (socind/change.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "numbers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ALPHA 16

const char HELP_CHANGE[] =
    "usage: socind change BASE_FILE COMPARE_FILE --income COL LINE [options]\n"
    "\n"
    "Why poverty changed between two survey rounds, each file its own sample (round\n"
    "1 = BASE_FILE, round 2 = COMPARE_FILE; independent samples: V = V1 + V2,\n"
    "df = df1 + df2). The design options apply to both files, each read with its\n"
    "own columns of those names. Rows (indicator, parameter = alpha):\n"
    "  fgt_base fgt_compare change      P1, P2 and P2 - P1\n"
    "  dr_growth dr_redistribution dr_residual\n"
    "                       Datt-Ravallion (1992): growth P(mu2,L1) - P1,\n"
    "                       redistribution P(mu1,L2) - P1, residual change - both\n"
    "  shapley_growth shapley_redistribution\n"
    "                       the Shapley value (Shorrocks 2013): no residual\n"
    "  mean_base mean_compare   mean incomes, round 2's in round 1's prices\n"
    "\n"
    "LINE (round 1's, carried to round 2 in real terms) is one of\n"
    "  --line X             an absolute line in round 1's prices\n"
    "  --line-col COL       a line per row, each file's own (in its own prices)\n"
    "  --relative F:median  F times round 1's estimated median or mean, its\n"
    "  --relative F:mean    estimation error in every SE\n"
    "  --inclusive          poor means income <= line (default income < line)\n"
    "  --price-ratio R      round 2's prices over round 1's (e.g. CPI 2022 / CPI\n"
    "                       2021; default 1): a line z is z*R in round 2\n"
    "  --alpha LIST         FGT parameters, comma-separated (default 0,1,2; a list\n"
    "                       of numbers: see --decimal-comma)\n"
    "  --by COL             the decomposition within each group of COL too (the\n"
    "                       same labels in both files; rows \"COL: value\"); one\n"
    "                       --by (for combined groups make one column of them)\n"
    "  --where COND         only rows meeting COND (repeatable; COL=V, COL!=V,\n"
    "                       COL<V, ...) in every estimate, the relative line's\n"
    "                       too; the others stay in the design\n"
    "  --sector COL         Ravallion-Huppi (1991) by COL's sectors: rows\n"
    "                       sectoral:fgt_base, :fgt_compare, :change, :within\n"
    "                       (sum of s_k1*dP_k), :shift (sum of P_k1*ds_k),\n"
    "                       :interaction (sum of dP_k*ds_k) for \"all\", and per\n"
    "                       sector :fgt_base, :fgt_compare, :share_base,\n"
    "                       :share_compare and its :within, :shift, :interaction\n"
    "  --base-subset COL=VALUE, --compare-subset COL=VALUE   --subset for one file\n"
    "                       only: both rounds from one file (give it twice, with\n"
    "                       both options), e.g.\n"
    "                       --base-subset year=2023 --compare-subset year=2024\n"
    "\n"
    "The rounds must be independent samples (no PSU in both): the SEs ignore any\n"
    "covariance between them. The same file twice needs both --base-subset and\n"
    "--compare-subset, not the same ones (the check compares the files and the\n"
    "subsets as written, not the rows they select); a warning on stderr counts\n"
    "the (stratum, PSU) ids found in both rounds (a panel, or revisited PSUs: the\n"
    "SEs are then not right; ids numbered 1, 2, ... within each stratum anew in\n"
    "each round always meet, so the warning speaks only of ids unique to a PSU).\n"
    "The line is held fixed in real terms (Datt-Ravallion assume one real line):\n"
    "with --line-col, COMPARE_FILE's column must hold round 1's lines carried to\n"
    "round 2 (each row's round-1 line times R). If it holds that year's own\n"
    "(e.g. newly published) lines, a real change of the line is counted in\n"
    "dr_redistribution, dr_residual and both shapley parts (dr_growth alone\n"
    "reads round 1's lines only).\n"
    "--poststratify, --rake, --calibrate (so neither --cal-method, --cal-bounds\n"
    "nor --calibrated-weights) and replicate weights are not taken: give each\n"
    "file's final weights as --weight. --domain-rule is not taken: every\n"
    "component uses the FULL rule (zeros outside a domain, every stratum kept).\n"
    "\n"
    "example:\n"
    "  socind change susenas2021.csv susenas2022.csv --income exp_pc \\\n"
    "      --weight weight_person --strata stratum --psu psu --line 545000 \\\n"
    "      --price-ratio 1.042 --alpha 0,1 --sector urban\n";

static const opt_spec own_change[] = {{"income", OPT_VALUE},
                                      {"line", OPT_VALUE},
                                      {"line-col", OPT_VALUE},
                                      {"relative", OPT_VALUE},
                                      {"inclusive", OPT_FLAG},
                                      {"price-ratio", OPT_VALUE},
                                      {"alpha", OPT_VALUE},
                                      {"by", OPT_REPEAT},
                                      {"sector", OPT_VALUE},
                                      {"base-subset", OPT_REPEAT},
                                      {"compare-subset", OPT_REPEAT},
                                      {"where", OPT_REPEAT},
                                      {NULL, 0}};

/* One file's table, design and columns. */
typedef struct round_in round_in;
struct round_in {
    tbl t;
    design_cols dc;
    int y, line, by, sector;
    socind_design *d;
    breakdown b_by, b_sector;
};
static int round_read_file(args *a, round_in *r, int per_row, socind_options *opts);

static void round_free(round_in *r) {
    breakdown_free(&r->b_by);
    breakdown_free(&r->b_sector);
    socind_design_free(r->d);
    tbl_free(&r->t);
}

/* Reads one file: its columns, its design (the same options as the other's);
 * the values of `own` (--base-subset or --compare-subset) join --subset for
 * this file only. */
static int round_read(args *a, const char *file, const char *own, round_in *r, int per_row,
                      socind_options *opts) {
    a->file = file;
    const char *extra[64];
    size_t ne = arg_all(a, own, extra, 64), n0 = a->n;
    if (ne > 32) return usage_error(a->command, "more than 32 --%s", own);
    opt_kv *kv = realloc(a->kv, (a->n + ne + 1) * sizeof *kv);
    if (!kv) return fail_with(EXIT_USAGE, "out of memory");
    a->kv = kv;
    for (size_t i = 0; i < ne; i++) a->kv[a->n++] = (opt_kv){"subset", extra[i]};
    int rc = round_read_file(a, r, per_row, opts);
    a->n = n0;
    return rc;
}

static int round_read_file(args *a, round_in *r, int per_row, socind_options *opts) {
    int rc = table_setup(&r->t, a);
    if (rc) return rc;
    r->y = tbl_want(&r->t, arg_get(a, "income"), "income", TBL_NUM);
    r->line = per_row ? tbl_want(&r->t, arg_get(a, "line-col"), "line-col", TBL_NUM) : -1;
    const char *by = arg_get(a, "by"), *sec = arg_get(a, "sector");
    r->by = by ? tbl_want(&r->t, by, "by", TBL_LABEL) : -1;
    r->sector = sec ? tbl_want(&r->t, sec, "sector", TBL_LABEL) : -1;
    if ((rc = design_want(&r->t, a, &r->dc))) return rc;
    where_set ws;
    if ((rc = where_want(&r->t, a, &ws))) return rc;
    if (r->y < 0 || (per_row && r->line < 0)) return fail_with(EXIT_DATA, "out of memory");
    if ((rc = table_read(&r->t, a))) return rc;
    note_missing(a->command, &r->t, r->y, "they are left out of every estimate");
    if (r->line >= 0)
        note_missing(a->command, &r->t, r->line, "they are left out of every estimate");
    if (r->by >= 0) note_missing(a->command, &r->t, r->by, "they are left out of the --by rows");
    if (r->sector >= 0)
        note_missing(a->command, &r->t, r->sector,
                     "they are left out of the sectoral decomposition");
    /* --where (after the notes on missing values): rows outside it leave
       every estimate (income NaN), not the design */
    unsigned char *keep = NULL;
    if ((rc = where_mask(a->command, &r->t, &ws, &keep))) return rc;
    if (keep) {
        double *y = r->t.cols[r->y].num;
        for (size_t i = 0; i < r->t.nrows; i++)
            if (!keep[i]) y[i] = NAN;
        free(keep);
    }
    if ((rc = design_build(&r->t, a, &r->dc, &r->d, opts))) return rc;
    if (r->by >= 0 && (rc = breakdown_make(&r->t, &r->t.cols[r->by], &r->b_by))) return rc;
    if (r->sector >= 0 && (rc = breakdown_make(&r->t, &r->t.cols[r->sector], &r->b_sector)))
        return rc;
    return 0;
}

/* The value part of a breakdown label "COL: value" as a number, if it is one. */
static int label_number(const char *label, double *v) {
    const char *s = strstr(label, ": ");
    s = s ? s + 2 : label;
    char *end;
    *v = strtod(s, &end);
    return *s && !*end;
}

static int cmp_label(const void *pa, const void *pb) {
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    double x, y;
    int na = label_number(a, &x), nb = label_number(b, &y);
    if (na && nb) return x < y ? -1 : x > y ? 1 : 0;
    if (na != nb) return na ? -1 : 1;
    return strcmp(a, b);
}

/* One coding of both files' groups: the union of their labels, sorted as a
 * breakdown sorts them; code1, code2 per row (−1: no group). */
typedef struct {
    int32_t n;
    const char **label; /* the breakdowns' strings (not owned) */
    int32_t *code1, *code2;
} joint;

static void joint_free(joint *j) {
    free(j->label);
    free(j->code1);
    free(j->code2);
    memset(j, 0, sizeof *j);
}

static int joint_make(const round_in *r1, const round_in *r2, const breakdown *b1,
                      const breakdown *b2, joint *j) {
    memset(j, 0, sizeof *j);
    size_t cap = (size_t)b1->n_groups + (size_t)b2->n_groups + 1;
    j->label = malloc(cap * sizeof *j->label);
    j->code1 = malloc((r1->t.nrows ? r1->t.nrows : 1) * sizeof *j->code1);
    j->code2 = malloc((r2->t.nrows ? r2->t.nrows : 1) * sizeof *j->code2);
    int32_t *map1 = malloc(((size_t)b1->n_groups + 1) * sizeof *map1);
    int32_t *map2 = malloc(((size_t)b2->n_groups + 1) * sizeof *map2);
    if (!j->label || !j->code1 || !j->code2 || !map1 || !map2) {
        free(map1), free(map2);
        return fail_with(EXIT_DATA, "out of memory");
    }
    int32_t n = 0;
    int rc = labels_index((const char *const *)b1->label, b1->n_groups,
                          (const char *const *)b2->label, b2->n_groups, map2);
    if (rc) {
        free(map1), free(map2);
        return rc;
    }
    for (int32_t g = 0; g < b1->n_groups; g++) j->label[n++] = b1->label[g];
    for (int32_t g = 0; g < b2->n_groups; g++)
        if (map2[g] < 0) j->label[n++] = b2->label[g];
    qsort(j->label, (size_t)n, sizeof *j->label, cmp_label);
    j->n = n;
    /* each round's groups' places among the joint labels */
    if ((rc = labels_index((const char *const *)j->label, n, (const char *const *)b1->label,
                           b1->n_groups, map1)) ||
        (rc = labels_index((const char *const *)j->label, n, (const char *const *)b2->label,
                           b2->n_groups, map2))) {
        free(map1), free(map2);
        return rc;
    }
    for (size_t r = 0; r < r1->t.nrows; r++) j->code1[r] = b1->code[r] < 0 ? -1 : map1[b1->code[r]];
    for (size_t r = 0; r < r2->t.nrows; r++) j->code2[r] = b2->code[r] < 0 ? -1 : map2[b2->code[r]];
    free(map1), free(map2);
    return 0;
}

/* A library failure, named on the file whose row it is. */
static int change_fail(const args *a, const round_in *r1, const round_in *r2, const char *what,
                       int32_t st) {
    const char *detail = socind_last_error_detail();
    int second = strstr(detail, "round 2") != NULL;
    return lib_fail(a, second ? &r2->t : &r1->t, NULL, what, st);
}

static const char *const GR_ROWS[SOCIND_GR_COUNT] = {
    [SOCIND_GR_FGT1] = "fgt_base",
    [SOCIND_GR_FGT2] = "fgt_compare",
    [SOCIND_GR_CHANGE] = "change",
    [SOCIND_GR_DR_GROWTH] = "dr_growth",
    [SOCIND_GR_DR_REDISTRIBUTION] = "dr_redistribution",
    [SOCIND_GR_DR_RESIDUAL] = "dr_residual",
    [SOCIND_GR_SHAPLEY_GROWTH] = "shapley_growth",
    [SOCIND_GR_SHAPLEY_REDISTRIBUTION] = "shapley_redistribution",
    [SOCIND_GR_MEAN1] = "mean_base",
    [SOCIND_GR_MEAN2] = "mean_compare"};
static const char *const RH_ROWS[SOCIND_RH_COUNT] = {
    [SOCIND_RH_FGT1] = "sectoral:fgt_base", [SOCIND_RH_FGT2] = "sectoral:fgt_compare",
    [SOCIND_RH_CHANGE] = "sectoral:change", [SOCIND_RH_WITHIN] = "sectoral:within",
    [SOCIND_RH_SHIFT] = "sectoral:shift",   [SOCIND_RH_INTERACTION] = "sectoral:interaction"};
static const char *const RH_SECTOR_ROWS[SOCIND_RH_SECTOR_COUNT] = {
    [SOCIND_RH_SECTOR_FGT1] = "sectoral:fgt_base",
    [SOCIND_RH_SECTOR_FGT2] = "sectoral:fgt_compare",
    [SOCIND_RH_SECTOR_SHARE1] = "sectoral:share_base",
    [SOCIND_RH_SECTOR_SHARE2] = "sectoral:share_compare",
    [SOCIND_RH_SECTOR_WITHIN] = "sectoral:within",
    [SOCIND_RH_SECTOR_SHIFT] = "sectoral:shift",
    [SOCIND_RH_SECTOR_INTERACTION] = "sectoral:interaction"};

static int alpha_item(const args *a, num_item *it, void *ctx, char *why, size_t cap) {
    (void)ctx;
    if (num_item_read(a, "alpha", it, why, cap)) return 1;
    if (!(it->value >= 0.0))
        return snprintf(why, cap, "--alpha: FGT(A) needs A >= 0, got %s", it->text), 1;
    return 0;
}

static int alpha_all(const args *a, const num_item *it, size_t n, void *ctx, char *why,
                     size_t cap) {
    (void)a, (void)ctx;
    if (n > MAX_ALPHA) return snprintf(why, cap, "--alpha: at most %d values", MAX_ALPHA), 1;
    return num_items_repeat("alpha", it, n, why, cap);
}

/* --alpha A[,A…] (default 0,1,2; under --decimal-comma num_list_parse's rule):
 * the values and their texts. */
static int alpha_list(const args *a, double *alpha, char (*text)[32], int *n) {
    const char *v = arg_get(a, "alpha");
    *n = 0;
    if (!v) {
        for (int i = 0; i < 3; i++) alpha[i] = i, snprintf(text[i], sizeof text[i], "%d", i);
        *n = 3;
        return 0;
    }
    const num_list_spec spec = {"alpha", LIST_NUMBERS, alpha_item, alpha_all, NULL};
    num_list L;
    if (num_list_parse(a, &spec, v, &L)) return EXIT_USAGE;
    for (size_t i = 0; i < L.n; i++) {
        alpha[i] = L.item[i].value;
        /* (written back as given, but with a decimal point: the output's
           numbers have one) */
        if (strchr(L.item[i].text, ',') || strlen(L.item[i].text) >= sizeof text[i])
            number_shortest(alpha[i], text[i], sizeof text[i]);
        else
            snprintf(text[i], sizeof text[i], "%s", L.item[i].text);
    }
    *n = (int)L.n;
    num_list_free(&L);
    return 0;
}

/* Whether args_parse refuses the options of argv (from argv[2]) taken
 * without the positional arguments but the first: 1 (the message printed)
 * or 0. */
static int options_refused(const char *command, int argc, char **argv,
                           const opt_spec *const *specs) {
    char **av = malloc((size_t)argc * sizeof *av);
    if (!av) return fail_with(EXIT_USAGE, "out of memory"), 1;
    int ac = 0, pos = 0, only_pos = 0;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (i < 2) {
            av[ac++] = argv[i];
        } else if (!only_pos && strcmp(s, "--") == 0) {
            only_pos = 1;
            av[ac++] = argv[i];
        } else if (only_pos || s[0] != '-' || s[1] == '\0') {
            if (!pos++) av[ac++] = argv[i];
        } else {
            av[ac++] = argv[i];
            if (args_takes_value(specs, s) && i + 1 < argc) av[ac++] = argv[++i];
        }
    }
    args a;
    const int refused = args_parse(&a, command, ac, av, 2, specs) != 0;
    if (!refused) args_free(&a);
    free(av);
    return refused;
}

int cmd_change(int argc, char **argv) {
    static const char *const refused[] = {
        "poststratify",       "rake",       "calibrate",   "cal-method", "cal-bounds",
        "calibrated-weights", "repweights", "rep-factors", "rep-make",   NULL};
    const opt_spec *const specs[] = {own_change, cli_design_opts, cli_output_opts, cli_input_opts,
                                     NULL};
    const char *command = "change";
    /* the two files: the positional arguments, found as args_parse finds
       one, the second taken out before it parses */
    const char *files[3] = {NULL, NULL, NULL};
    int nfiles = 0, second = -1, only_pos = 0;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        if (!only_pos && strcmp(s, "--") == 0) {
            only_pos = 1;
        } else if (only_pos || s[0] != '-' || s[1] == '\0') {
            if (nfiles < 3) files[nfiles] = s;
            if (nfiles == 1) second = i;
            nfiles++;
        } else if (args_takes_value(specs, s)) {
            i++;
        }
    }
    /* more than two: an unknown option's value may be one of them
       ("--bogus 4"); the options are parsed first, without the files but
       the first, so that an unknown one is named */
    if (nfiles > 2 && options_refused(command, argc, argv, specs)) return EXIT_USAGE;
    if (nfiles != 2)
        return usage_error(command,
                           nfiles < 2 ? "two input files expected: BASE_FILE (round 1) "
                                        "and COMPARE_FILE (round 2)"
                                      : "two input files expected, got \"%s\", \"%s\" "
                                        "and \"%s\"",
                           files[0], files[1], files[2]);
    char **av = malloc((size_t)argc * sizeof *av);
    if (!av) return fail_with(EXIT_USAGE, "out of memory");
    int ac = 0;
    for (int i = 0; i < argc; i++)
        if (i != second) av[ac++] = argv[i];
    args a;
    int prc = args_parse(&a, command, ac, av, 2, specs);
    free(av);
    if (prc) return EXIT_USAGE;
    a.refused = refused;
    round_in r1, r2;
    memset(&r1, 0, sizeof r1);
    memset(&r2, 0, sizeof r2);
    joint jb, js;
    memset(&jb, 0, sizeof jb);
    memset(&js, 0, sizeof js);
    est_list out;
    memset(&out, 0, sizeof out);
    socind_estimate *buf = NULL;
    socind_options opts;
    int rc = 0;
    if ((rc = refuse_round_options(command, &a, refused))) goto done;
    if (arg_get(&a, "domain-rule")) {
        rc = usage_error(command,
                         "--domain-rule is not taken here: every component uses the FULL rule "
                         "(zeros outside a domain, every stratum kept), as the decompositions' "
                         "linearized variables span both rounds and all their domains");
        goto done;
    }
    {
        const char *bys[2];
        if (arg_all(&a, "by", bys, 2) > 1) {
            rc = usage_error(command,
                             "--by is given twice (\"%s\" and \"%s\"); socind change takes one "
                             "--by: for combined groups make one column of them in both files",
                             bys[0], bys[1]);
            goto done;
        }
    }
    if ((rc = two_rounds_check(command, &a, files[0], files[1]))) goto done;
    if (!arg_get(&a, "income")) {
        rc = usage_error(command, "--income COL is required");
        goto done;
    }
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    const char *lv = arg_get(&a, "line"), *lc = arg_get(&a, "line-col"),
               *rel = arg_get(&a, "relative");
    if ((lv != NULL) + (lc != NULL) + (rel != NULL) != 1) {
        rc = usage_error(command, "give exactly one of --line X, --line-col COL, --relative "
                                  "F:median or --relative F:mean");
        goto done;
    }
    if (lv) {
        L.type = SOCIND_LINE_ABSOLUTE;
        if (parse_line_opt(&a, "line", lv, &L.value)) {
            rc = EXIT_USAGE;
            goto done;
        }
    } else if (lc) {
        L.type = SOCIND_LINE_PER_ROW;
    } else if ((rc = cli_relative_opt(&a, "relative", rel, "0.6:median", &L))) {
        goto done;
    }
    L.inclusive = arg_flag(&a, "inclusive");
    double ratio = 1.0;
    const char *pr = arg_get(&a, "price-ratio");
    if (pr && parse_double_opt(&a, "price-ratio", pr, &ratio)) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!(ratio > 0.0)) {
        rc = usage_error(command, "--price-ratio must be > 0 (round 2's prices over round 1's, "
                                  "e.g. CPI 2022 / CPI 2021)");
        goto done;
    }
    double alpha[MAX_ALPHA];
    char atext[MAX_ALPHA][32];
    int nalpha;
    if ((rc = alpha_list(&a, alpha, atext, &nalpha))) goto done;
    const int per_row = L.type == SOCIND_LINE_PER_ROW;
    if ((rc = round_read(&a, files[0], "base-subset", &r1, per_row, &opts))) goto done;
    if ((rc = round_read(&a, files[1], "compare-subset", &r2, per_row, &opts))) goto done;
    a.file = files[0];
    warn_shared_psus(command, &r1.t, &r1.dc, &r2.t, &r2.dc);
    if (per_row) L.lines = r1.t.cols[r1.line].num;
    const double *lines2 = per_row ? r2.t.cols[r2.line].num : NULL;
    const double *y1 = r1.t.cols[r1.y].num, *y2 = r2.t.cols[r2.y].num;
    if (r1.by >= 0 && (rc = joint_make(&r1, &r2, &r1.b_by, &r2.b_by, &jb))) goto done;
    if (r1.sector >= 0 && (rc = joint_make(&r1, &r2, &r1.b_sector, &r2.b_sector, &js))) goto done;
    if (r1.by >= 0) note_one_round_groups(command, "by", &r1.t, &r1.b_by, &r2.t, &r2.b_by);
    if (r1.sector >= 0)
        note_one_round_groups(command, "sector", &r1.t, &r1.b_sector, &r2.t, &r2.b_sector);
    int32_t most = jb.n > js.n ? jb.n : js.n;
    buf = malloc(((size_t)most + 1) * SOCIND_GR_COUNT * sizeof *buf);
    if (!buf) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    for (int i = 0; i < nalpha; i++) {
        int32_t st = socind_growth_redistribution(r1.d, y1, NULL, r2.d, y2, NULL, 0, &L, lines2,
                                                  ratio, alpha[i], &opts, buf);
        if (st) {
            rc = change_fail(&a, &r1, &r2, "growth-redistribution", st);
            goto done;
        }
        for (int k = 0; k < SOCIND_GR_COUNT; k++)
            if ((rc = est_add(&out, GR_ROWS[k], atext[i], "all", &buf[k]))) goto done;
        if (jb.n > 0) {
            st = socind_growth_redistribution(r1.d, y1, jb.code1, r2.d, y2, jb.code2, jb.n, &L,
                                              lines2, ratio, alpha[i], &opts, buf);
            if (st) {
                rc = change_fail(&a, &r1, &r2, "growth-redistribution by --by", st);
                goto done;
            }
            for (int32_t g = 0; g < jb.n; g++)
                for (int k = 0; k < SOCIND_GR_COUNT; k++)
                    if ((rc = est_add(&out, GR_ROWS[k], atext[i], jb.label[g],
                                      &buf[(size_t)g * SOCIND_GR_COUNT + k])))
                        goto done;
        }
        if (js.n > 0) {
            socind_estimate tot[SOCIND_RH_COUNT];
            st = socind_sectoral_decomposition(r1.d, y1, js.code1, r2.d, y2, js.code2, js.n, &L,
                                               lines2, ratio, alpha[i], &opts, tot, buf);
            if (st) {
                rc = change_fail(&a, &r1, &r2, "sectoral decomposition", st);
                goto done;
            }
            for (int k = 0; k < SOCIND_RH_COUNT; k++)
                if ((rc = est_add(&out, RH_ROWS[k], atext[i], "all", &tot[k]))) goto done;
            for (int32_t g = 0; g < js.n; g++)
                for (int k = 0; k < SOCIND_RH_SECTOR_COUNT; k++)
                    if ((rc = est_add(&out, RH_SECTOR_ROWS[k], atext[i], js.label[g],
                                      &buf[(size_t)g * SOCIND_RH_SECTOR_COUNT + k])))
                        goto done;
        }
    }
    rc = est_write(&out, &a);
done:
    free(buf);
    est_free(&out);
    joint_free(&jb);
    joint_free(&js);
    round_free(&r1);
    round_free(&r2);
    args_free(&a);
    return rc;
}
