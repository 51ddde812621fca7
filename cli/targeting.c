/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/targeting.c — `socind targeting`: the targeting performance of a
 * programme from a recipient column (socind_targeting, targeting.h):
 * coverage, exclusion, leakage, inclusion, the benefit shares by welfare
 * group and the Coady–Grosh–Hoddinott indicator, overall and by breakdowns,
 * as the tidy table of the other commands. The file is read into memory. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BY 16

const char HELP_TARGETING[] =
    "usage: socind targeting FILE --income COL LINE --recipient COL [options]\n"
    "\n"
    "Is assistance reaching the poor? For a programme's recipients (a 0/1 column),\n"
    "against a poverty line, each with its SE and interval (targeting.h):\n"
    "  coverage             share of the poor who receive it, P(recipient | poor)\n"
    "  exclusion            share of the poor who do not (= 1 - coverage)\n"
    "  leakage              share of recipients who are not poor\n"
    "  inclusion            share of the non-poor who receive it\n"
    "  cgh                  Coady-Grosh-Hoddinott: the share of benefits reaching the\n"
    "                       poorest F of the population (income <= its F-quantile;\n"
    "                       with --ranking: groups 1..F*K), divided by that group's\n"
    "                       estimated population share (F, or more where incomes tie\n"
    "                       at the cut; parameter F; 1 = neutral, above 1 =\n"
    "                       progressive)\n"
    "  benefit_share        the share of benefits reaching welfare group G\n"
    "                       (parameter G, 1 = poorest); they sum to 1\n"
    "\n"
    "LINE is one of --line X, --line-col COL, --relative F:median or F:mean (as\n"
    "socind poverty; a relative line's estimation error enters every SE), and\n"
    "--inclusive (poor: income <= line).\n"
    "  --income COL         per-capita income\n"
    "  --recipient COL      1 = receives the programme, 0 = does not (empty: the row\n"
    "                       is left out)\n"
    "  --benefit COL        the amount a recipient receives (default: 1 each, so the\n"
    "                       shares are shares of recipients; empty for a recipient:\n"
    "                       left out of benefit_share and cgh only)\n"
    "  --ranking COL        welfare groups 1..K (e.g. a registry's deciles; empty:\n"
    "                       unranked, left out of benefit_share and cgh; every group\n"
    "                       1..K must have a row: give --ranks 5 for quintiles); default:\n"
    "                       the K quantile groups of the income estimated from the\n"
    "                       survey, whose cut points' error enters the shares' SEs\n"
    "  --ranks K            number of welfare groups (default 10: deciles; 2..20)\n"
    "  --cgh-share F        the bottom fraction of cgh (default 0.4); with --ranking,\n"
    "                       F*K must be whole (0.4 of 10 groups: groups 1-4)\n"
    "  --by COL             a breakdown (rows \"COL: value\"); may be repeated\n"
    "  --where COND         estimate over the rows meeting COND (kept in the design)\n"
    "\n"
    "example:\n"
    "  socind targeting households.csv --subset year=2024 --income exp_pc \\\n"
    "      --weight weight_person --strata stratum --psu psu --line 545000 \\\n"
    "      --recipient pkh --benefit pkh_amount --ranking regsosek_decile --by kecamatan\n";

/* The line from --line, --line-col or --relative; *line_col the column
 * asked for (−1 without). */
static int line_options(const args *a, tbl *t, socind_poverty_line *L, int *line_col) {
    const char *lv = arg_get(a, "line"), *lc = arg_get(a, "line-col"),
               *rel = arg_get(a, "relative");
    *line_col = -1;
    socind_poverty_line_init(L);
    if ((lv != NULL) + (lc != NULL) + (rel != NULL) != 1)
        return usage_error(a->command, "give exactly one of --line X, --line-col COL, "
                                       "--relative F:median or --relative F:mean");
    if (lv) {
        L->type = SOCIND_LINE_ABSOLUTE;
        if (parse_line_opt(a, "line", lv, &L->value)) return EXIT_USAGE;
    } else if (lc) {
        L->type = SOCIND_LINE_PER_ROW;
        *line_col = tbl_want(t, lc, "line-col", TBL_NUM);
    } else if (cli_relative_opt(a, "relative", rel, "0.6:median", L)) {
        return EXIT_USAGE;
    }
    L->inclusive = arg_flag(a, "inclusive");
    return 0;
}

#define MAX_LISTED 20

/* One offending line of column col on stderr (the first MAX_LISTED). */
static void list_line(const tbl *t, int col, const char *option, size_t k, size_t nbad,
                      const char *what) {
    if (nbad > MAX_LISTED) return;
    char where[64];
    fprintf(stderr, "socind: %s: %s: column \"%s\" (--%s): %s\n", t->path,
            tbl_where(t, k, where, sizeof where), t->cols[col].name, option, what);
}

/* "and N more lines" after the listed ones. */
static void list_more(const tbl *t, int col, size_t nbad) {
    if (nbad > MAX_LISTED)
        fprintf(stderr, "socind: %s: and %zu more line%s in column \"%s\"\n", t->path,
                nbad - MAX_LISTED, nbad - MAX_LISTED == 1 ? "" : "s", t->cols[col].name);
}

/* The recipient column: every value 0, 1 or missing; every other line is
 * listed, then the run stops. */
static int recipient_check(const tbl *t, int col) {
    const double *v = t->cols[col].num;
    size_t nbad = 0;
    for (size_t k = 0; k < t->nrows; k++) {
        double x = v[k];
        if (isnan(x) || x == 0.0 || x == 1.0) continue;
        char what[96];
        snprintf(what, sizeof what, "%g is not 0, 1 or a missing value", x);
        list_line(t, col, "recipient", k, ++nbad, what);
    }
    list_more(t, col, nbad);
    if (nbad)
        return fail_with(EXIT_DATA,
                         "targeting: column \"%s\" (--recipient) holds %zu value%s other than 0 "
                         "(does not receive), 1 (receives) or missing (the lines above)",
                         t->cols[col].name, nbad, nbad == 1 ? "" : "s");
    return 0;
}

/* The ranking column's codes: a missing value → −1 (unranked); a value that
 * is not a whole number in 1..K is listed with its line and stops the run.
 * The codes must also fill the K groups: the highest code below K, or a
 * group 1..K without a row, stops the run naming both readings (fewer
 * groups than --ranks says, or groups missing from the data) — CGH and the
 * shares would otherwise be read against the wrong groups. */
static int ranking_codes(const tbl *t, int col, int K, int given_k, int32_t **out) {
    const double *v = t->cols[col].num;
    int32_t *r = malloc((t->nrows ? t->nrows : 1) * sizeof *r);
    if (!r) return fail_with(EXIT_COMPUTE, "out of memory");
    size_t nbad = 0, count[SOCIND_TARGETING_MAX_RANKS + 1] = {0};
    for (size_t k = 0; k < t->nrows; k++) {
        double x = v[k];
        if (isnan(x)) {
            r[k] = -1;
            continue;
        }
        if (x != floor(x) || x < 1.0 || x > (double)K) {
            char what[160];
            snprintf(what, sizeof what, "%g is not a welfare group 1..%d (missing: unranked)", x,
                     K);
            list_line(t, col, "ranking", k, ++nbad, what);
            r[k] = -1;
            continue;
        }
        r[k] = (int32_t)x;
        count[r[k]]++;
    }
    list_more(t, col, nbad);
    if (nbad) {
        free(r);
        return fail_with(EXIT_DATA,
                         "targeting: column \"%s\" (--ranking) holds %zu value%s that %s not a "
                         "welfare group 1..%d (the lines above)%s",
                         t->cols[col].name, nbad, nbad == 1 ? "" : "s", nbad == 1 ? "is" : "are", K,
                         given_k ? "" : "; --ranks is 10 unless given");
    }
    int top = 0, gap = 0;
    for (int g = 1; g <= K; g++) {
        if (count[g])
            top = g;
        else if (!gap)
            gap = g;
    }
    if (top == 0) return *out = r, 0; /* nothing ranked: the library says so */
    if (top < K) {
        free(r);
        return fail_with(EXIT_DATA,
                         "targeting: column \"%s\" (--ranking) holds codes 1..%d but --ranks is "
                         "%d%s: groups %d..%d have no row. Codes 1..%d: use --ranks %d? "
                         "Or, if the ranking has %d groups, groups %d..%d are missing from the "
                         "data, and cgh and the shares cannot be read",
                         t->cols[col].name, top, K, given_k ? "" : " (the default)", top + 1, K,
                         top, top, K, top + 1, K);
    }
    if (gap) {
        free(r);
        return fail_with(EXIT_DATA,
                         "targeting: column \"%s\" (--ranking) has no row in group %d of 1..%d: "
                         "the codes do not fill --ranks %d groups (a ranking with fewer "
                         "groups, numbered otherwise? or a group missing from the data)",
                         t->cols[col].name, gap, K, K);
    }
    *out = r;
    return 0;
}

/* The parts of one call (K groups) into the table: n_groups estimates a
 * part, group labels from b (NULL: "all"). */
static int add_parts(est_list *l, const breakdown *b, int32_t G, int K, double cgh,
                     const socind_estimate *e) {
    static const char *const names[SOCIND_TARGETING_SHARE] = {
        [SOCIND_TARGETING_COVERAGE] = "coverage",
        [SOCIND_TARGETING_EXCLUSION] = "exclusion",
        [SOCIND_TARGETING_LEAKAGE] = "leakage",
        [SOCIND_TARGETING_INCLUSION] = "inclusion",
        [SOCIND_TARGETING_CGH] = "cgh"};
    const int C = SOCIND_TARGETING_COUNT(K);
    for (int k = 0; k < C; k++) {
        char param[32] = "";
        const char *name = k < SOCIND_TARGETING_SHARE ? names[k] : "benefit_share";
        if (k == SOCIND_TARGETING_CGH)
            snprintf(param, sizeof param, "%g", cgh);
        else if (k >= SOCIND_TARGETING_SHARE)
            snprintf(param, sizeof param, "%d", k - SOCIND_TARGETING_SHARE + 1);
        for (int32_t g = 0; g < G; g++) {
            int rc = est_add(l, name, param, b ? b->label[g] : "all", &e[(size_t)g * C + k]);
            if (rc) return rc;
        }
    }
    return 0;
}

int cmd_targeting(int argc, char **argv) {
    static const opt_spec own[] = {{"income", OPT_VALUE},
                                   {"line", OPT_VALUE},
                                   {"line-col", OPT_VALUE},
                                   {"relative", OPT_VALUE},
                                   {"inclusive", OPT_FLAG},
                                   {"recipient", OPT_VALUE},
                                   {"benefit", OPT_VALUE},
                                   {"ranking", OPT_VALUE},
                                   {"ranks", OPT_VALUE},
                                   {"cgh-share", OPT_VALUE},
                                   {"by", OPT_REPEAT},
                                   {"where", OPT_REPEAT},
                                   {NULL, 0}};
    const opt_spec *const specs[] = {own, cli_design_opts, cli_output_opts, cli_input_opts, NULL};
    const char *command = "targeting";
    args a;
    tbl t;
    memset(&t, 0, sizeof t);
    breakdown by[MAX_BY];
    memset(by, 0, sizeof by);
    est_list out = {NULL, 0, 0};
    socind_design *d = NULL;
    socind_options opts;
    socind_estimate *buf = NULL;
    int32_t *rank = NULL, *all_code = NULL;
    unsigned char *keep = NULL;
    where_set ws;
    socind_poverty_line L;
    socind_targeting_options T;
    socind_targeting_options_init(&T);
    int line_col = -1, cy = -1, cr = -1, cb = -1, ck = -1, cby[MAX_BY];
    size_t nby = 0;
    if (args_parse(&a, command, argc, argv, 2, specs)) return EXIT_USAGE;
    int rc = table_setup(&t, &a);
    if (rc) goto done;
    if (!arg_get(&a, "income") || !arg_get(&a, "recipient")) {
        rc = usage_error(command, "--income COL and --recipient COL are required");
        goto done;
    }
    if ((rc = line_options(&a, &t, &L, &line_col))) goto done;
    const char *ks = arg_get(&a, "ranks"), *fs = arg_get(&a, "cgh-share");
    if (ks) {
        double k;
        if (parse_double_opt(&a, "ranks", ks, &k)) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (k != floor(k) || k < 2 || k > SOCIND_TARGETING_MAX_RANKS) {
            rc = usage_error(command, "--ranks must be a whole number from 2 to %d",
                             SOCIND_TARGETING_MAX_RANKS);
            goto done;
        }
        T.n_ranks = (int32_t)k;
    }
    if (fs) {
        if (parse_double_opt(&a, "cgh-share", fs, &T.cgh_share)) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (!(T.cgh_share > 0 && T.cgh_share < 1)) {
            rc = usage_error(command, "--cgh-share must be in (0, 1), e.g. 0.4");
            goto done;
        }
    }
    if (arg_get(&a, "ranking")) { /* the bottom F of K ranked groups: whole groups */
        const double mf = T.cgh_share * T.n_ranks;
        if (fabs(mf - floor(mf + 0.5)) > 1e-9 || floor(mf + 0.5) < 1) {
            rc = usage_error(command,
                             "with --ranking, --cgh-share F times --ranks K must be a whole "
                             "number of groups: %g x %d = %g (e.g. 0.4 of 10, 0.2 of 5)",
                             T.cgh_share, (int)T.n_ranks, mf);
            goto done;
        }
    }
    cy = tbl_want(&t, arg_get(&a, "income"), "income", TBL_NUM);
    cr = tbl_want(&t, arg_get(&a, "recipient"), "recipient", TBL_NUM);
    if (arg_get(&a, "benefit")) cb = tbl_want(&t, arg_get(&a, "benefit"), "benefit", TBL_NUM);
    if (arg_get(&a, "ranking")) ck = tbl_want(&t, arg_get(&a, "ranking"), "ranking", TBL_NUM);
    const char *by_names[MAX_BY + 1];
    nby = arg_all(&a, "by", by_names, MAX_BY + 1);
    if (nby > MAX_BY) {
        rc = usage_error(command, "more than %d --by", MAX_BY);
        goto done;
    }
    for (size_t i = 0; i < nby; i++) cby[i] = tbl_want(&t, by_names[i], "by", TBL_LABEL);
    if ((rc = where_want(&t, &a, &ws))) goto done;
    design_cols dc;
    if ((rc = design_want(&t, &a, &dc))) goto done;
    if (cy < 0 || cr < 0 || (arg_get(&a, "benefit") && cb < 0) ||
        (arg_get(&a, "ranking") && ck < 0) || (L.type == SOCIND_LINE_PER_ROW && line_col < 0)) {
        rc = fail_with(EXIT_DATA, "out of memory");
        goto done;
    }
    if ((rc = table_read(&t, &a))) goto done;
    note_missing(command, &t, cy, "they are left out of every estimate");
    note_missing(command, &t, line_col, "they are left out of every estimate");
    note_missing(command, &t, cr, "they are left out of every estimate");
    if (cb >= 0) {
        /* only a recipient's row needs an amount */
        size_t r = 0, k = 0;
        for (size_t i = 0; i < t.nrows; i++)
            if (isnan(t.cols[cb].num[i])) k++, r += t.cols[cr].num[i] == 1.0;
        char what[200];
        if (r == 0)
            snprintf(what, sizeof what, "%s a recipient's (a non-recipient's row needs no amount)",
                     k == 1 ? "it is not" : "none is");
        else if (r == k)
            snprintf(what, sizeof what, "%s: left out of benefit_share and cgh",
                     k == 1 ? "it is a recipient's" : "they are recipients'");
        else
            snprintf(what, sizeof what,
                     "%zu of them %s, left out of benefit_share and cgh (a non-recipient's row "
                     "needs no amount)",
                     r, r == 1 ? "is a recipient's" : "are recipients'");
        note_missing(command, &t, cb, what);
    }
    note_missing(command, &t, ck, "they are unranked: left out of benefit_share and cgh");
    for (size_t i = 0; i < nby; i++) {
        char what[600];
        snprintf(what, sizeof what,
                 "they are left out of the \"%s: ...\" rows of that breakdown and kept in \"all\"",
                 t.cols[cby[i]].name);
        note_missing(command, &t, cby[i], what);
    }
    if ((rc = recipient_check(&t, cr))) goto done;
    if (ck >= 0 && (rc = ranking_codes(&t, ck, T.n_ranks, ks != NULL, &rank))) goto done;
    if ((rc = design_build(&t, &a, &dc, &d, &opts))) goto done;
    if ((rc = where_mask(command, &t, &ws, &keep))) goto done;
    if (keep) {
        all_code = malloc(t.nrows * sizeof *all_code);
        if (!all_code) {
            rc = fail_with(EXIT_COMPUTE, "out of memory");
            goto done;
        }
        for (size_t k = 0; k < t.nrows; k++) all_code[k] = keep[k] ? 0 : -1;
    }
    if (line_col >= 0) L.lines = t.cols[line_col].num;
    int32_t maxg = 1;
    for (size_t i = 0; i < nby; i++) {
        if ((rc = breakdown_make_in(&t, &t.cols[cby[i]], keep, &by[i]))) goto done;
        if (by[i].n_groups > maxg) maxg = by[i].n_groups;
    }
    const int C = SOCIND_TARGETING_COUNT(T.n_ranks);
    buf = malloc((size_t)maxg * (size_t)C * sizeof *buf);
    if (!buf) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    const double *y = t.cols[cy].num, *rec = t.cols[cr].num, *ben = cb >= 0 ? t.cols[cb].num : NULL;
    for (size_t s = 0; s <= nby; s++) {
        const breakdown *b = s == 0 ? NULL : &by[s - 1];
        if (b && b->n_groups == 0) continue; /* every value missing (said on stderr) */
        const int32_t *group = b ? b->code : all_code;
        int32_t G = b ? b->n_groups : 1;
        int32_t st =
            socind_targeting(d, y, &L, rec, ben, rank, group, group ? G : 0, &T, &opts, buf);
        if (st) {
            rc = lib_fail(&a, &t, NULL, "targeting", st);
            goto done;
        }
        if ((rc = add_parts(&out, b, G, T.n_ranks, T.cgh_share, buf))) goto done;
    }
    rc = est_write(&out, &a);
done:
    for (size_t i = 0; i < MAX_BY; i++) breakdown_free(&by[i]);
    est_free(&out);
    free(buf);
    free(rank);
    free(keep);
    free(all_code);
    socind_design_free(d);
    tbl_free(&t);
    args_free(&a);
    return rc;
}
