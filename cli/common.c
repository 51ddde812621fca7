/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/common.c — see cli.h. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "suggest.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ------------------------------------------------------------------ options */

const opt_spec cli_design_opts[] = {{"weight", OPT_VALUE},     {"strata", OPT_VALUE},
                                    {"psu", OPT_VALUE},        {"fpc", OPT_VALUE},
                                    {"lonely-psu", OPT_VALUE}, {"nest", OPT_FLAG},
                                    {"level", OPT_VALUE},      {"ci", OPT_VALUE},
                                    {"prop-ci", OPT_VALUE},    {NULL, 0}};
const opt_spec cli_output_opts[] = {{"format", OPT_VALUE}, {"output", OPT_VALUE}, {NULL, 0}};
const opt_spec cli_input_opts[] = {{"decimal-comma", OPT_FLAG}, {"delimiter", OPT_VALUE},
                                   {"subset", OPT_REPEAT},      {"na-values", OPT_VALUE},
                                   {"encoding", OPT_VALUE},     {NULL, 0}};
const opt_spec cli_growth_opts[] = {{"sex", OPT_VALUE},        {"age-days", OPT_VALUE},
                                    {"age-months", OPT_VALUE}, {"weight-kg", OPT_VALUE},
                                    {"lenhei-cm", OPT_VALUE},  {"measure", OPT_VALUE},
                                    {"oedema", OPT_VALUE},     {"headc-cm", OPT_VALUE},
                                    {"armc-cm", OPT_VALUE},    {"triskin-mm", OPT_VALUE},
                                    {"subskin-mm", OPT_VALUE}, {"id", OPT_VALUE},
                                    {"reference", OPT_VALUE},  {NULL, 0}};
const opt_spec cli_codes_opts[] = {{"sex-codes", OPT_VALUE},
                                   {"measure-codes", OPT_VALUE},
                                   {"oedema-codes", OPT_VALUE},
                                   {"invalid-codes", OPT_VALUE},
                                   {NULL, 0}};

int usage_error(const char *command, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "socind %s: ", command);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see: socind help %s)\n", command);
    va_end(ap);
    return EXIT_USAGE;
}

int fail_with(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "socind: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

static const opt_spec *find_spec(const opt_spec *const *specs, const char *name, size_t len) {
    for (size_t s = 0; specs[s]; s++)
        for (const opt_spec *o = specs[s]; o->name; o++)
            if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) return o;
    return NULL;
}

/* "unknown option -x", with the closest option of this command */
static void unknown_option(const char *command, const char *typed, size_t len,
                           const opt_spec *const *specs) {
    const char *names[160];
    size_t n = 0;
    for (size_t s = 0; specs[s]; s++)
        for (const opt_spec *o = specs[s]; o->name && n < 160; o++) names[n++] = o->name;
    char word[128], msg[400];
    const char *bare = typed;
    while (*bare == '-' && (size_t)(bare - typed) < 2) bare++;
    size_t blen = len - (size_t)(bare - typed);
    snprintf(word, sizeof word, "%.*s", (int)(blen < 127 ? blen : 127), bare);
    snprintf(msg, sizeof msg, "unknown option %.*s", (int)(len < 200 ? len : 200), typed);
    size_t before = strlen(msg);
    suggest_append(msg, sizeof msg, word, names, n, "--", 0);
    if (strlen(msg) == before && typed[1] != '-')
        snprintf(msg + before, sizeof msg - before, " (options start with --)");
    usage_error(command, "%s", msg);
}

/* splits --na-values at the commas: "NA,,-99" → "NA", "", "-99" */
static int split_na_values(args *a, const char *text) {
    size_t n = 1;
    for (const char *p = text; *p; p++) n += *p == ',';
    a->na_buf = strdup(text);
    a->na_list = calloc(n + 1, sizeof *a->na_list);
    if (!a->na_buf || !a->na_list) return -1;
    size_t k = 0;
    char *p = a->na_buf;
    for (;;) {
        char *comma = strchr(p, ',');
        a->na_list[k++] = p;
        if (!comma) break;
        *comma = '\0';
        p = comma + 1;
    }
    a->na_list[k] = NULL;
    return 0;
}

int args_parse(args *a, const char *command, int argc, char **argv, int first,
               const opt_spec *const *specs) {
    memset(a, 0, sizeof *a);
    a->command = command;
    a->specs = specs;
    a->kv = calloc((size_t)argc + 1, sizeof *a->kv);
    if (!a->kv) return fail_with(EXIT_USAGE, "out of memory"), 1;
    int positional_only = 0;
    for (int i = first; i < argc; i++) {
        const char *s = argv[i];
        if (!positional_only && strcmp(s, "--") == 0) {
            positional_only = 1; /* what follows is a file, even "-x.csv" */
            continue;
        }
        if (positional_only || s[0] != '-' || s[1] == '\0') {
            if (a->file) {
                usage_error(command, "one input file expected, got \"%s\" and \"%s\"", a->file, s);
                goto bad;
            }
            a->file = s;
            continue;
        }
        const char *eq = strchr(s, '=');
        size_t len = eq ? (size_t)(eq - s) : strlen(s);
        const opt_spec *o = s[1] == '-' ? find_spec(specs, s + 2, len - 2) : NULL;
        if (!o) { /* also "-income": an option typed with one dash, not a file */
            unknown_option(command, s, len, specs);
            goto bad;
        }
        const char *value = NULL;
        if (o->takes_value != OPT_FLAG) {
            if (eq) {
                value = eq + 1;
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                usage_error(command, "--%s needs a value", o->name);
                goto bad;
            }
        } else if (eq) {
            usage_error(command, "--%s takes no value", o->name);
            goto bad;
        }
        if (o->takes_value == OPT_VALUE) {
            for (size_t j = 0; j < a->n; j++)
                if (strcmp(a->kv[j].name, o->name) == 0) {
                    usage_error(command,
                                "--%s is given twice (\"%s\" and \"%s\"); it takes one value",
                                o->name, a->kv[j].value, value);
                    goto bad;
                }
        }
        a->kv[a->n].name = o->name;
        a->kv[a->n].value = value;
        a->n++;
    }
    const char *na = arg_get(a, "na-values");
    if (na && split_na_values(a, na) != 0) {
        fail_with(EXIT_USAGE, "out of memory");
        goto bad;
    }
    return 0;
bad:
    args_free(a);
    return 1;
}

void args_free(args *a) {
    free(a->kv);
    free(a->na_buf);
    free(a->na_list);
    a->kv = NULL;
    a->na_buf = NULL;
    a->na_list = NULL;
}

const char *arg_get(const args *a, const char *name) {
    const char *v = NULL;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->kv[i].name, name) == 0) v = a->kv[i].value;
    return v;
}

int arg_flag(const args *a, const char *name) {
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->kv[i].name, name) == 0) return 1;
    return 0;
}

size_t arg_all(const args *a, const char *name, const char **out, size_t max) {
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->kv[i].name, name) == 0 && k < max) out[k++] = a->kv[i].value;
    return k;
}

int arg_accepts(const args *a, const char *name) {
    if (!a || !a->specs || !find_spec(a->specs, name, strlen(name))) return 0;
    for (const char *const *r = a->refused; r && *r; r++)
        if (strcmp(*r, name) == 0) return 0;
    return 1;
}

int parse_double_opt(const args *a, const char *name, const char *text, double *out) {
    char why[300];
    if (tbl_parse_option_number(text, arg_flag(a, "decimal-comma"), out, why, sizeof why) != 0) {
        usage_error(a->command, "--%s: %s", name, why);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ errors */

/* the column a command option named in this table, or NULL */
static const tbl_col *col_of_option(const tbl *t, const char *option) {
    if (!t) return NULL;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].option && strcmp(t->cols[i].option, option) == 0) return &t->cols[i];
    return NULL;
}

static const tbl_col *col_of_options(const tbl *t, const char *o1, const char *o2) {
    const tbl_col *c = col_of_option(t, o1);
    return c ? c : col_of_option(t, o2);
}

/* a row's label in a label column ("" if missing) */
static const char *label_at(const tbl_col *c, size_t r) {
    int32_t k = c->code[r];
    return k >= 0 ? c->labels[k] : "";
}

/* a row's id as the file writes it, quoted, and its .dta/.sav value label:
 * "3" (value label "Urban") */
static const char *id_at(const tbl_col *c, size_t r, char *buf, size_t cap) {
    int32_t k = c->code[r];
    const char *vl = k >= 0 && c->value_label ? c->value_label[k] : NULL;
    if (vl)
        snprintf(buf, cap, "\"%s\" (value label \"%s\")", label_at(c, r), vl);
    else
        snprintf(buf, cap, "\"%s\"", label_at(c, r));
    return buf;
}

/* appends printf text to buf */
static void appendf(char *buf, size_t cap, const char *fmt, ...) {
    size_t used = strlen(buf);
    if (used + 1 >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, cap - used, fmt, ap);
    va_end(ap);
}

/* what the measure that needs incomes > 0 is called */
static const char *nonpositive_measure(const char *what, char *buf, size_t cap) {
    if (strncmp(what, "watts", 5) == 0) return "the Watts index";
    if (strncmp(what, "atkinson", 8) == 0) return "the Atkinson index";
    snprintf(buf, cap, "generalized entropy (%s)", what);
    return buf;
}

typedef struct id_pair {
    int32_t stratum, psu;
} id_pair;

static int cmp_pair(const void *pa, const void *pb) {
    const id_pair *a = pa, *b = pb;
    if (a->stratum != b->stratum) return a->stratum < b->stratum ? -1 : 1;
    return a->psu < b->psu ? -1 : a->psu > b->psu;
}

/* An fpc that is a count below the stratum's sampled PSUs (the library's
 * rule: counts when some fpc > 1): says so and returns 1, else 0. */
static int fpc_below_psus(const char *path, const tbl *t, const tbl_col *fpc, const tbl_col *st,
                          const tbl_col *ps) {
    int counts = 0;
    for (size_t r = 0; r < t->nrows; r++) counts |= fpc->num[r] > 1.0;
    if (!counts || t->nrows == 0) return 0;
    id_pair *p = malloc(t->nrows * sizeof *p);
    if (!p) return 0;
    for (size_t r = 0; r < t->nrows; r++) {
        p[r].stratum = st ? st->code[r] : 0;
        p[r].psu = ps ? ps->code[r] : (int32_t)r;
    }
    qsort(p, t->nrows, sizeof *p, cmp_pair);
    int found = 0;
    for (size_t a = 0; a < t->nrows && !found;) {
        size_t b = a, npsu = 0;
        for (; b < t->nrows && p[b].stratum == p[a].stratum; b++)
            npsu += b == a || p[b].psu != p[b - 1].psu;
        size_t r = 0; /* a row of the stratum, for its fpc and label */
        while (r < t->nrows && (st ? st->code[r] : 0) != p[a].stratum) r++;
        if (r < t->nrows && fpc->num[r] < (double)npsu) {
            char id[400], where[96];
            if (st)
                fprintf(stderr,
                        "socind: %s: stratum %s (column \"%s\", --%s; %s is in it): column "
                        "\"%s\" (--fpc) gives %.17g PSUs in the population, fewer than the "
                        "%zu PSUs of the sample\n",
                        path, id_at(st, r, id, sizeof id), st->name, st->option,
                        tbl_where(t, r, where, sizeof where), fpc->name, fpc->num[r], npsu);
            else
                fprintf(stderr,
                        "socind: %s: column \"%s\" (--fpc) gives %.17g PSUs in the population, "
                        "fewer than the %zu PSUs of the sample\n",
                        path, fpc->name, fpc->num[r], npsu);
            found = 1;
        }
        a = b;
    }
    free(p);
    return found;
}

/* The message for an fpc the library refused, from the columns; 0 when the
 * columns do not show what is wrong. */
static int fpc_message(const char *path, const tbl *t, const size_t *rows, int64_t lr, size_t r,
                       int has_row, const char *where) {
    const tbl_col *c = col_of_option(t, "fpc");
    if (!c || c->kind != TBL_NUM) return 0;
    const tbl_col *st = col_of_options(t, "strata", "child-strata");
    const tbl_col *ps = col_of_options(t, "psu", "child-psu");
    if (!has_row) return fpc_below_psus(path, t, c, st, ps);
    double v = c->num[r];
    if (!(v > 0) || isinf(v)) {
        fprintf(stderr,
                "socind: %s: %s: column \"%s\" (--fpc) is %.17g; it must be finite and > 0 (the "
                "stratum's number of PSUs, or its sampling fraction)\n",
                path, where, c->name, v);
        return 1;
    }
    /* an earlier row of the same stratum with another value */
    for (int64_t k = 0; k < lr; k++) {
        size_t q = rows ? rows[k] : (size_t)k;
        if ((st ? st->code[q] == st->code[r] : 1) && c->num[q] != v) {
            char w2[96], id[400];
            tbl_where(t, q, w2, sizeof w2);
            if (st)
                fprintf(stderr,
                        "socind: %s: %s: column \"%s\" (--fpc) is %.17g here and %.17g on %s, in "
                        "the same stratum %s (column \"%s\", --%s); it must be the same for every "
                        "row of a stratum\n",
                        path, where, c->name, v, c->num[q], w2, id_at(st, r, id, sizeof id),
                        st->name, st->option);
            else
                fprintf(stderr,
                        "socind: %s: %s: column \"%s\" (--fpc) is %.17g here and %.17g on %s; "
                        "without --strata it must be the same for every row\n",
                        path, where, c->name, v, c->num[q], w2);
            return 1;
        }
    }
    return 0;
}

int lib_fail(const args *a, const tbl *t, const size_t *rows, const char *what, int32_t status) {
    const char *detail = socind_last_error_detail();
    int64_t lr = socind_last_error_row();
    int code = EXIT_COMPUTE;
    if (status == SOCIND_ERR_WEIGHT || status == SOCIND_ERR_FPC || status == SOCIND_ERR_NESTING ||
        status == SOCIND_ERR_DATA || status == SOCIND_ERR_NONPOSITIVE ||
        status == SOCIND_ERR_CODE || status == SOCIND_ERR_ZERO_WEIGHTS)
        code = EXIT_DATA;
    char where[96] = "", buf[96], id[400];
    size_t r = 0;
    int has_row = 0;
    if (t && lr >= 0) {
        r = rows ? rows[lr] : (size_t)lr;
        has_row = r < t->nrows;
        if (has_row) tbl_where(t, r, where, sizeof where);
    }
    const char *path = t ? t->path : "";
    const tbl_col *c;
    if (has_row && status == SOCIND_ERR_WEIGHT &&
        (c = col_of_options(t, "weight", "child-weight")) && c->kind == TBL_NUM) {
        fprintf(stderr,
                "socind: %s: %s: the sampling weight (column \"%s\") is %.17g; weights (--%s) "
                "must be finite and >= 0\n",
                path, where, c->name, c->num[r], c->option);
    } else if (status == SOCIND_ERR_ZERO_WEIGHTS &&
               (c = col_of_options(t, "weight", "child-weight"))) {
        fprintf(stderr,
                "socind: %s: every sampling weight in column \"%s\" (--%s) is 0: no row counts\n",
                path, c->name, c->option);
    } else if (has_row && status == SOCIND_ERR_NONPOSITIVE && (c = col_of_option(t, "income"))) {
        fprintf(stderr,
                "socind: %s: %s: column \"%s\" (--income) is %.17g; %s needs incomes > 0%s\n", path,
                where, c->name, c->num[r], nonpositive_measure(what, buf, sizeof buf),
                arg_accepts(a, "nonpositive")
                    ? " — to leave such rows out of it, add --nonpositive exclude"
                    : "");
    } else if (has_row && status == SOCIND_ERR_DATA && (c = col_of_option(t, "line-col")) &&
               c->kind == TBL_NUM && !(c->num[r] > 0 && isfinite(c->num[r]))) {
        fprintf(stderr,
                "socind: %s: %s: %s: column \"%s\" (--line-col) is %.17g; a poverty line must be "
                "finite and > 0\n",
                path, where, what, c->name, c->num[r]);
    } else if (status == SOCIND_ERR_LONELY_PSU && !has_row) {
        /* no row: the 'average' policy with every stratum lonely */
        fprintf(stderr,
                "socind: %s: %s: every stratum with rows has one PSU, so --lonely-psu average has "
                "nothing to average; choose --lonely-psu remove|adjust|certainty\n",
                path, what);
    } else if (has_row && status == SOCIND_ERR_LONELY_PSU) {
        c = col_of_options(t, "strata", "child-strata");
        const char *choose = arg_accepts(a, "lonely-psu")
                                 ? "; choose what to do with such strata: --lonely-psu "
                                   "remove|adjust|average|certainty"
                                 : "";
        if (c)
            fprintf(stderr,
                    "socind: %s: stratum %s (column \"%s\", --%s; %s is in it) has only one "
                    "PSU, so its variance cannot be estimated%s\n",
                    path, id_at(c, r, id, sizeof id), c->name, c->option, where, choose);
        else
            fprintf(
                stderr,
                "socind: %s: the design has only one PSU, so no variance can be estimated%s%s\n",
                path, choose,
                arg_accepts(a, "psu") && !col_of_options(t, "psu", "child-psu") ? ", or give --psu"
                                                                                : "");
    } else if (has_row && status == SOCIND_ERR_NESTING &&
               (c = col_of_options(t, "psu", "child-psu")) &&
               col_of_options(t, "strata", "child-strata")) {
        const tbl_col *s = col_of_options(t, "strata", "child-strata");
        /* an earlier row of the same PSU in another stratum */
        size_t other = r;
        for (int64_t k = 0; k < lr; k++) {
            size_t q = rows ? rows[k] : (size_t)k;
            if (c->code[q] == c->code[r] && s->code[q] != s->code[r]) {
                other = q;
                break;
            }
        }
        char w2[96], i2[400], i3[400];
        tbl_where(t, other, w2, sizeof w2);
        fprintf(stderr,
                "socind: %s: %s: PSU %s (column \"%s\", --%s) is in stratum %s here and "
                "in stratum %s on %s (column \"%s\", --%s); PSU ids must be unique across "
                "strata%s\n",
                path, where, id_at(c, r, id, sizeof id), c->name, c->option,
                id_at(s, r, i2, sizeof i2), id_at(s, other, i3, sizeof i3), w2, s->name, s->option,
                arg_accepts(a, "nest") ? " — if they restart in every stratum, add --nest" : "");
    } else if (status == SOCIND_ERR_FPC && t && fpc_message(path, t, rows, lr, r, has_row, where)) {
        /* said */
    } else {
        /* the status's sentence; the library's detail verbatim, unparsed, for
           what only it knows */
        fprintf(stderr, "socind: %s%s%s%s%s: %s%s%s%s\n", path, t ? ": " : "", has_row ? where : "",
                has_row ? ": " : "", what, socind_strerror(status),
                detail[0] ? " (the library's detail: \"" : "", detail, detail[0] ? "\")" : "");
    }
    return code;
}

/* ------------------------------------------------------------------ data */

int input_options(tbl *t, const args *a) {
    t->decimal_comma = arg_flag(a, "decimal-comma");
    t->progress = isatty(STDERR_FILENO);
    t->na_values = (const char *const *)a->na_list;
    const char *d = arg_get(a, "delimiter");
    if (d) {
        if (strcmp(d, ",") == 0 || strcmp(d, "comma") == 0)
            t->delimiter = ',';
        else if (strcmp(d, ";") == 0 || strcmp(d, "semicolon") == 0)
            t->delimiter = ';';
        else if (strcmp(d, "tab") == 0 || strcmp(d, "\t") == 0)
            t->delimiter = '\t';
        else
            return usage_error(a->command, "--delimiter must be comma, semicolon or tab");
    }
    if (t->decimal_comma && t->delimiter == ',')
        return usage_error(a->command, "--decimal-comma needs a semicolon or tab delimiter");
    const char *e = arg_get(a, "encoding");
    if (e) {
        static const char *const names[] = {"utf-8", "windows-1252"};
        if (strcasecmp(e, "utf-8") == 0 || strcasecmp(e, "utf8") == 0) {
            t->encoding = TBL_UTF8;
        } else if (strcasecmp(e, "windows-1252") == 0 || strcasecmp(e, "cp1252") == 0) {
            t->encoding = TBL_CP1252;
        } else {
            char msg[200];
            snprintf(msg, sizeof msg, "--encoding must be utf-8 or windows-1252, not \"%.60s\"", e);
            suggest_append(msg, sizeof msg, e, names, 2, "", 1);
            return usage_error(a->command, "%s", msg);
        }
    }
    return 0;
}

int table_setup(tbl *t, const args *a) {
    memset(t, 0, sizeof *t);
    if (!a->file) return usage_error(a->command, "no input file (\"-\" reads standard input)");
    t->path = strcmp(a->file, "-") == 0 ? "/dev/stdin" : a->file;
    outw_input(t->path);
    const char *o = arg_get(a, "output");
    char err[512];
    if (o && outw_check(o, err, sizeof err)) return fail_with(EXIT_OUTPUT, "%s", err);
    return input_options(t, a);
}

#define MAX_SUBSET 32

int table_read(tbl *t, const args *a) {
    char err[1024];
    const char *sub[MAX_SUBSET + 1];
    size_t ns = arg_all(a, "subset", sub, MAX_SUBSET + 1);
    if (ns > MAX_SUBSET) return usage_error(a->command, "more than %d --subset", MAX_SUBSET);
    char name[MAX_SUBSET][256];
    const char *value[MAX_SUBSET];
    int col[MAX_SUBSET];
    for (size_t i = 0; i < ns; i++) {
        const char *eq = strchr(sub[i], '=');
        if (!eq || eq == sub[i] || (size_t)(eq - sub[i]) >= sizeof name[i])
            return usage_error(a->command,
                               "--subset must be COL=VALUE (e.g. year=2024), not \"%s\"", sub[i]);
        memcpy(name[i], sub[i], (size_t)(eq - sub[i]));
        name[i][eq - sub[i]] = '\0';
        value[i] = eq + 1;
        col[i] = tbl_want(t, name[i], "subset", TBL_LABEL);
        if (col[i] < 0) return fail_with(EXIT_DATA, "out of memory");
    }
    if (tbl_read(t, err, sizeof err)) return fail_with(EXIT_DATA, "%s", err);
    for (size_t i = 0; i < ns; i++) {
        if (tbl_keep(t, col[i], value[i]) != 0) continue;
        char all[1024] = "";
        for (size_t j = 0; j <= i; j++)
            appendf(all, sizeof all, "%s%s = \"%s\"", j ? " and " : "", name[j], value[j]);
        return fail_with(EXIT_DATA, "%s: no row has %s (--subset)", t->path, all);
    }
    return 0;
}

size_t col_missing(const tbl *t, int c) {
    return c < 0 ? 0 : (size_t)t->cols[c].n_missing; /* recounted by tbl_keep(_mask) */
}

/* "they are" → "it is", "their" → "its", "them"/"they" → "it", outside
 * quotes (a column's name stays as it is) */
static void singular(const char *s, char *out, size_t cap) {
    static const struct {
        const char *from, *to;
    } w[] = {
        {"they are", "it is"}, {"their", "its"}, {"them", "it"}, {"they", "it"}, {"have", "has"}};
    out[0] = '\0';
    int quoted = 0;
    const char *start = s;
    while (*s) {
        int done = 0;
        int word_start = s == start || !isalnum((unsigned char)s[-1]);
        for (size_t i = 0; i < sizeof w / sizeof *w && !done && !quoted && word_start; i++) {
            size_t l = strlen(w[i].from);
            if (strncmp(s, w[i].from, l) == 0 && !isalnum((unsigned char)s[l]) && s[l] != '_') {
                appendf(out, cap, "%s", w[i].to);
                s += l;
                done = 1;
            }
        }
        if (done) continue;
        if (*s == '"') quoted = !quoted;
        appendf(out, cap, "%c", *s++);
    }
}

size_t note_missing(const char *command, const tbl *t, int c, const char *consequence) {
    size_t k = col_missing(t, c);
    if (k == 0) return 0;
    const tbl_col *col = &t->cols[c];
    char one[512];
    singular(consequence, one, sizeof one);
    fprintf(stderr, "socind %s: %zu row%s no value in column \"%s\" (--%s); %s\n", command, k,
            k == 1 ? " has" : "s have", col->name, col->option, k == 1 ? one : consequence);
    return k;
}

static int want(tbl *t, const args *a, const char *option, int kind) {
    const char *name = arg_get(a, option);
    return name ? tbl_want(t, name, option, kind) : -1;
}

int design_want(tbl *t, const args *a, design_cols *dc) {
    dc->weight = want(t, a, "weight", TBL_NUM);
    dc->strata = want(t, a, "strata", TBL_ID);
    dc->psu = want(t, a, "psu", TBL_ID);
    dc->fpc = want(t, a, "fpc", TBL_NUM);
    return 0;
}

int options_from_args(const args *a, socind_options *opts) {
    socind_options_init(opts);
    const char *v;
    if ((v = arg_get(a, "level"))) {
        if (parse_double_opt(a, "level", v, &opts->level)) return EXIT_USAGE;
        if (!(opts->level > 0 && opts->level < 1))
            return usage_error(a->command, "--level must be between 0 and 1 (e.g. 0.95)");
    }
    if ((v = arg_get(a, "ci"))) {
        if (strcmp(v, "t") == 0)
            opts->ci_dist = SOCIND_CI_T;
        else if (strcmp(v, "normal") == 0)
            opts->ci_dist = SOCIND_CI_NORMAL;
        else
            return usage_error(a->command, "--ci must be t or normal");
    }
    if ((v = arg_get(a, "prop-ci"))) {
        if (strcmp(v, "logit") == 0)
            opts->prop_ci = SOCIND_PROP_CI_LOGIT;
        else if (strcmp(v, "wald") == 0)
            opts->prop_ci = SOCIND_PROP_CI_WALD;
        else
            return usage_error(a->command, "--prop-ci must be logit or wald");
    }
    return 0;
}

/* A label that is the canonical text of an integer within the int64 range:
 * "0", or digits without leading zeros after an optional "-" ("17", "-3";
 * not "017", "+17", "-0" or one strtoll would clamp), so that two different
 * labels are never one id. */
static int parse_int64(const char *s, int64_t *out) {
    char *end;
    const char *d = s + (s[0] == '-');
    if (!isdigit((unsigned char)d[0]) || (d[0] == '0' && (d[1] != '\0' || d != s))) return -1;
    for (const char *q = d; *q; q++)
        if (!isdigit((unsigned char)*q)) return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0' || errno == ERANGE) return -1;
    *out = v;
    return 0;
}

/* 1 when every label of c is an integer within int64, written canonically */
static int labels_are_int64(const tbl_col *c, int64_t *v) {
    for (int32_t k = 0; k < c->n_labels; k++) {
        int64_t x;
        if (parse_int64(c->labels[k], &x) != 0) return 0;
        if (v) v[k] = x;
    }
    return 1;
}

int ids_from_labels(const tbl *t, const tbl_col *c, int64_t **out) {
    int64_t *v = malloc(c->n_labels ? (size_t)c->n_labels * sizeof *v : 1);
    int64_t *ids = malloc(t->nrows ? t->nrows * sizeof *ids : 1);
    if (!v || !ids) {
        free(v);
        free(ids);
        return fail_with(EXIT_DATA, "out of memory");
    }
    int numeric = labels_are_int64(c, v);
    for (size_t r = 0; r < t->nrows; r++) {
        int32_t k = c->code[r];
        if (k < 0) {
            char buf[64];
            free(v);
            free(ids);
            return fail_with(EXIT_DATA,
                             "%s: %s: column \"%s\" (--%s) is empty; every row needs one", t->path,
                             tbl_where(t, r, buf, sizeof buf), c->name, c->option);
        }
        ids[r] = numeric ? v[k] : k;
    }
    free(v);
    *out = ids;
    return 0;
}

int lonely_option(const args *a, int32_t *policy) {
    static const char *names[] = {"fail", "remove", "adjust", "average", "certainty"};
    const char *v = arg_get(a, "lonely-psu");
    *policy = SOCIND_LONELY_FAIL;
    if (!v) return 0;
    for (int i = 0; i < 5; i++)
        if (strcmp(v, names[i]) == 0) return *policy = i, 0; /* SOCIND_LONELY_* in this order */
    return usage_error(a->command,
                       "--lonely-psu must be fail, remove, adjust, average or certainty");
}

int check_weights(const tbl *t, const tbl_col *c) {
    for (size_t r = 0; r < t->nrows; r++) {
        if (!(c->num[r] >= 0)) {
            char buf[64];
            return fail_with(EXIT_DATA,
                             "%s: %s: the sampling weight (column \"%s\") is %s; weights (--%s) "
                             "must be present and >= 0",
                             t->path, tbl_where(t, r, buf, sizeof buf), c->name,
                             isnan(c->num[r]) ? "missing" : "negative", c->option);
        }
    }
    return 0;
}

int design_build(const tbl *t, const args *a, const design_cols *dc, socind_design **design,
                 socind_options *opts) {
    int rc = options_from_args(a, opts);
    if (rc) return rc;
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    if ((rc = lonely_option(a, &dopt.lonely_psu))) return rc;
    dopt.nest = arg_flag(a, "nest");
    size_t n = t->nrows;
    double *w = NULL;
    int64_t *strata = NULL, *psu = NULL;
    const double *fpc = NULL;
    rc = 0;
    if (dc->weight >= 0) {
        if ((rc = check_weights(t, &t->cols[dc->weight]))) return rc;
    } else {
        w = malloc(n * sizeof *w);
        if (!w) return fail_with(EXIT_DATA, "out of memory");
        for (size_t r = 0; r < n; r++) w[r] = 1.0;
    }
    if (dc->strata >= 0 && (rc = ids_from_labels(t, &t->cols[dc->strata], &strata))) goto done;
    if (dc->psu >= 0 && (rc = ids_from_labels(t, &t->cols[dc->psu], &psu))) goto done;
    if (dc->fpc >= 0) {
        const tbl_col *c = &t->cols[dc->fpc];
        for (size_t r = 0; r < n; r++)
            if (isnan(c->num[r])) {
                char buf[64];
                rc = fail_with(EXIT_DATA,
                               "%s: %s: column \"%s\" (--fpc) is empty; every row needs one",
                               t->path, tbl_where(t, r, buf, sizeof buf), c->name);
                goto done;
            }
        fpc = c->num;
    }
    int32_t st =
        socind_design_new(n, w ? w : t->cols[dc->weight].num, strata, psu, fpc, &dopt, design);
    if (st != SOCIND_OK) rc = lib_fail(a, t, NULL, "survey design", st);
done:
    free(w);
    free(strata);
    free(psu);
    return rc;
}

/* ------------------------------------------------------------------ breakdowns */

static int is_number(const char *s, double *v) {
    return tbl_parse_number(s, strlen(s), 0, v) == 0;
}

typedef struct label_key {
    const char *s;
    double v;
    int32_t k;
} label_key;

static int cmp_num(const void *a, const void *b) {
    const label_key *x = a, *y = b;
    return x->v < y->v ? -1 : x->v > y->v ? 1 : 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(((const label_key *)a)->s, ((const label_key *)b)->s);
}

int breakdown_make(const tbl *t, const tbl_col *c, breakdown *b) {
    memset(b, 0, sizeof *b);
    b->column = c->name;
    int32_t m = c->n_labels;
    label_key *keys = malloc((m ? (size_t)m : 1) * sizeof *keys);
    int32_t *rank = malloc((m ? (size_t)m : 1) * sizeof *rank);
    unsigned char *used = calloc(m ? (size_t)m : 1, 1);
    b->code = malloc((t->nrows ? t->nrows : 1) * sizeof *b->code);
    b->label = calloc(m ? (size_t)m : 1, sizeof *b->label);
    if (!keys || !rank || !used || !b->code || !b->label) goto oom;
    /* the labels some row has (after --subset and exclusions) */
    for (size_t r = 0; r < t->nrows; r++)
        if (c->code[r] >= 0) used[c->code[r]] = 1;
    int numeric = 1;
    int32_t nk = 0;
    for (int32_t k = 0; k < m; k++) {
        rank[k] = -1;
        if (!used[k]) continue;
        label_key *key = &keys[nk++];
        key->s = c->labels[k];
        key->k = k;
        if (!isnan(c->label_value ? c->label_value[k] : NAN) && !c->value_labels)
            key->v = c->label_value[k];
        else if (!is_number(c->labels[k], &key->v))
            numeric = 0;
    }
    qsort(keys, (size_t)nk, sizeof *keys, numeric ? cmp_num : cmp_str);
    for (int32_t i = 0; i < nk; i++) {
        rank[keys[i].k] = i;
        size_t len = strlen(c->name) + strlen(keys[i].s) + 3;
        b->label[i] = malloc(len);
        if (!b->label[i]) goto oom;
        snprintf(b->label[i], len, "%s: %s", c->name, keys[i].s);
        b->n_groups = i + 1;
    }
    b->n_groups = nk;
    for (size_t r = 0; r < t->nrows; r++) b->code[r] = c->code[r] < 0 ? -1 : rank[c->code[r]];
    free(keys);
    free(rank);
    free(used);
    return 0;
oom:
    free(keys);
    free(rank);
    free(used);
    breakdown_free(b);
    return fail_with(EXIT_DATA, "out of memory");
}

void breakdown_free(breakdown *b) {
    if (b->label)
        for (int32_t i = 0; i < b->n_groups; i++) free(b->label[i]);
    free(b->label);
    free(b->code);
    memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------------ estimates */

static char *dup_or_empty(const char *s) {
    return strdup(s ? s : "");
}

int est_add(est_list *l, const char *indicator, const char *parameter, const char *group,
            const socind_estimate *e) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        est_row *r = realloc(l->rows, cap * sizeof *r);
        if (!r) return fail_with(EXIT_COMPUTE, "out of memory");
        l->rows = r;
        l->cap = cap;
    }
    est_row *r = &l->rows[l->n];
    r->indicator = dup_or_empty(indicator);
    r->parameter = dup_or_empty(parameter);
    r->group = dup_or_empty(group);
    r->e = *e;
    if (!r->indicator || !r->parameter || !r->group) {
        free(r->indicator);
        free(r->parameter);
        free(r->group);
        return fail_with(EXIT_COMPUTE, "out of memory");
    }
    l->n++;
    return 0;
}

void est_free(est_list *l) {
    for (size_t i = 0; i < l->n; i++) {
        free(l->rows[i].indicator);
        free(l->rows[i].parameter);
        free(l->rows[i].group);
    }
    free(l->rows);
    memset(l, 0, sizeof *l);
}

int output_format(const args *a) {
    const char *f = arg_get(a, "format");
    if (!f || strcmp(f, "csv") == 0) return OUT_CSV;
    if (strcmp(f, "json") == 0) return OUT_JSON;
    usage_error(a->command, "--format must be csv or json");
    return -1;
}

/* What an estimate's empty cells are (an empty cell is a figure that is not
 * finite). */
#define GAP_ESTIMATE 0 /* no estimate: estimate, se, ci_low, ci_high */
#define GAP_SE 1       /* no standard error: se, ci_low, ci_high */
#define GAP_CI 2       /* no interval: ci_low, ci_high */
#define GAP_LIMIT 3    /* one limit */
#define GAP_NONE 4     /* every figure given */

static int gap_of(const socind_estimate *e) {
    if (!isfinite(e->value)) return GAP_ESTIMATE;
    if (!isfinite(e->se)) return GAP_SE;
    int lo = isfinite(e->ci_low), hi = isfinite(e->ci_high);
    return !lo && !hi ? GAP_CI : !lo || !hi ? GAP_LIMIT : GAP_NONE;
}

/* "has no estimate (empty estimate, se, ci_low and ci_high cells)"; the
 * brief (cells 0) shows "–" instead */
static void gap_words(int gap, const socind_estimate *e, int plural, int cells_named, char *buf,
                      size_t cap) {
    static const char *const what[5] = {"no estimate", "no standard error or interval",
                                        "no interval", "one confidence limit only", ""};
    static const char *const cells[5] = {"estimate, se, ci_low and ci_high",
                                         "se, ci_low and ci_high", "ci_low and ci_high", NULL,
                                         NULL};
    const char *has = plural ? "have" : "has";
    if (!cells_named && gap != GAP_NONE)
        snprintf(buf, cap, "%s %s (shown as –)", has, what[gap]);
    else if (gap == GAP_NONE)
        snprintf(buf, cap, "%s every figure, with a warning", has);
    else if (gap == GAP_LIMIT)
        snprintf(buf, cap, "%s %s (an empty %s cell)", has, what[gap],
                 isfinite(e->ci_low) ? "ci_high" : "ci_low");
    else
        snprintf(buf, cap, "%s %s (empty %s cells)", has, what[gap], cells[gap]);
}

/* the first groups of the estimates i (where pick[i]), distinct, "(a, b, c, ...)" */
static void first_groups(const est_list *l, const unsigned char *pick, char *buf, size_t cap) {
    const char *shown[3];
    int n = 0, more = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!pick[i]) continue;
        int seen = 0;
        for (int j = 0; j < n; j++) seen |= strcmp(shown[j], l->rows[i].group) == 0;
        if (seen) continue;
        if (n == 3) {
            more = 1;
            break;
        }
        shown[n++] = l->rows[i].group;
    }
    snprintf(buf, cap, "(");
    for (int j = 0; j < n; j++) appendf(buf, cap, "%s%s", j ? ", " : "", shown[j]);
    appendf(buf, cap, "%s)", more ? ", ..." : "");
}

/* what the command can say beyond the status's sentence */
static void status_hint(const args *a, const char *indicator, int32_t status, char *buf,
                        size_t cap) {
    buf[0] = '\0';
    if (status == SOCIND_ERR_DF && arg_accepts(a, "ci"))
        snprintf(buf, cap, "; --ci normal gives normal intervals");
    else if (status == SOCIND_ERR_RANGE &&
             (strncmp(indicator, "quantile", 8) == 0 || strcmp(indicator, "median") == 0))
        snprintf(buf, cap,
                 " (a confidence limit of the quantile falls outside the data, where R's "
                 "svyquantile gives NA)");
    else if (status == SOCIND_ERR_LONELY_PSU && arg_accepts(a, "lonely-psu"))
        snprintf(buf, cap,
                 "; here the policy is average and every stratum with rows has one PSU, so "
                 "there is nothing to average: choose --lonely-psu remove, adjust or certainty");
    else if (status == SOCIND_ERR_DATA && strcmp(indicator, "gini") == 0)
        snprintf(buf, cap, " (a Gini coefficient needs a total income above 0)");
    else if (status == SOCIND_ERR_DATA && strcmp(a->command, "nutrition") == 0)
        snprintf(buf, cap, " (every child counted has a sampling weight of 0)");
}

static int cmp_cstr(const void *x, const void *y) {
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

void note_statuses(const est_list *l, const args *a, int cells_named) {
    unsigned char *done = calloc(l->n ? l->n : 1, 1), *pick = calloc(l->n ? l->n : 1, 1);
    if (!done || !pick) {
        free(done);
        free(pick);
        fprintf(stderr, "socind %s: some estimates have no figure (see their empty cells)\n",
                a->command);
        return;
    }
    char what[160], groups[600], hint[300];
    /* empty domains: one line */
    size_t n_empty = 0, n_groups = 0;
    for (size_t i = 0; i < l->n; i++) {
        pick[i] = l->rows[i].e.status == SOCIND_ERR_EMPTY_DOMAIN;
        done[i] = pick[i];
        n_empty += pick[i];
    }
    /* the distinct groups among them (sorted: many groups stay cheap) */
    const char **names = malloc((n_empty ? n_empty : 1) * sizeof *names);
    if (names) {
        size_t k = 0;
        for (size_t i = 0; i < l->n; i++)
            if (pick[i]) names[k++] = l->rows[i].group;
        qsort(names, n_empty, sizeof *names, cmp_cstr);
        for (size_t i = 0; i < n_empty; i++)
            n_groups += i == 0 || strcmp(names[i], names[i - 1]) != 0;
        free(names);
    }
    if (n_empty > 0) {
        first_groups(l, pick, groups, sizeof groups);
        gap_words(GAP_ESTIMATE, NULL, n_empty > 1, cells_named, what, sizeof what);
        fprintf(stderr, "socind %s: %zu estimate%s of %zu group%s %s %s: %s\n", a->command, n_empty,
                n_empty == 1 ? "" : "s", n_groups, n_groups == 1 ? "" : "s", groups, what,
                socind_strerror(SOCIND_ERR_EMPTY_DOMAIN));
    }
    /* the others: per indicator, status and gap, in order of first appearance */
    for (size_t i = 0; i < l->n; i++) {
        const est_row *r = &l->rows[i];
        if (done[i] || r->e.status == SOCIND_OK) continue;
        int gap = gap_of(&r->e);
        size_t count = 0;
        for (size_t j = i; j < l->n; j++) {
            const est_row *q = &l->rows[j];
            pick[j] = !done[j] && q->e.status == r->e.status && gap_of(&q->e) == gap &&
                      strcmp(q->indicator, r->indicator) == 0;
            if (!pick[j]) continue;
            done[j] = 1;
            count++;
        }
        memset(pick, 0, i);
        first_groups(l, pick, groups, sizeof groups);
        gap_words(gap, &r->e, count > 1, cells_named, what, sizeof what);
        status_hint(a, r->indicator, r->e.status, hint, sizeof hint);
        fprintf(stderr, "socind %s: %s: %zu estimate%s %s %s: %s%s\n", a->command, r->indicator,
                count, count == 1 ? "" : "s", groups, what, socind_strerror(r->e.status), hint);
    }
    free(done);
    free(pick);
}

int est_write(const est_list *l, const args *a) {
    static const char *const names[] = {"indicator", "parameter", "group",   "estimate",
                                        "se",        "ci_low",    "ci_high", "df",
                                        "n",         "weight_sum"};
    int format = output_format(a);
    if (format < 0) return EXIT_USAGE;
    note_statuses(l, a, 1);
    outw w;
    char err[512];
    if (outw_open(&w, arg_get(a, "output"), format, 10, names, err, sizeof err))
        return fail_with(EXIT_OUTPUT, "%s", err);
    for (size_t i = 0; i < l->n; i++) {
        const est_row *r = &l->rows[i];
        outw_str(&w, r->indicator);
        outw_str(&w, r->parameter);
        outw_str(&w, r->group);
        outw_num(&w, r->e.value, -1);
        outw_num(&w, r->e.se, -1);
        outw_num(&w, r->e.ci_low, -1);
        outw_num(&w, r->e.ci_high, -1);
        outw_num(&w, r->e.df, -1);
        outw_int(&w, (long long)r->e.n);
        outw_num(&w, r->e.weight_sum, -1);
    }
    if (outw_close(&w, 1, err, sizeof err)) return fail_with(EXIT_OUTPUT, "%s", err);
    return 0;
}

/* ------------------------------------------------------------------ growth columns */

int growth_want(tbl *t, const args *a, growth_cols *g) {
    g->sex = want(t, a, "sex", TBL_LABEL);
    const char *days = arg_get(a, "age-days"), *months = arg_get(a, "age-months");
    if (days && months) return usage_error(a->command, "give --age-days or --age-months, not both");
    if (!arg_get(a, "sex")) return usage_error(a->command, "--sex COL is required");
    if (!days && !months) return usage_error(a->command, "--age-days or --age-months is required");
    g->age_in_months = months != NULL;
    g->age = want(t, a, months ? "age-months" : "age-days", TBL_NUM);
    g->weight_kg = want(t, a, "weight-kg", TBL_NUM);
    g->lenhei = want(t, a, "lenhei-cm", TBL_NUM);
    g->measure = want(t, a, "measure", TBL_LABEL);
    g->oedema = want(t, a, "oedema", TBL_LABEL);
    g->headc = want(t, a, "headc-cm", TBL_NUM);
    g->armc = want(t, a, "armc-cm", TBL_NUM);
    g->triskin = want(t, a, "triskin-mm", TBL_NUM);
    g->subskin = want(t, a, "subskin-mm", TBL_NUM);
    g->id = want(t, a, "id", TBL_LABEL);
    return 0;
}

/* one code table: text → code (NULL-terminated) */
typedef struct code_map {
    const char *text;
    int32_t code;
} code_map;

static const code_map SEX_CODES[] = {{"1", SOCIND_SEX_MALE},
                                     {"2", SOCIND_SEX_FEMALE},
                                     {"m", SOCIND_SEX_MALE},
                                     {"f", SOCIND_SEX_FEMALE},
                                     {"M", SOCIND_SEX_MALE},
                                     {"F", SOCIND_SEX_FEMALE},
                                     {NULL, 0}};
static const code_map MEASURE_CODES[] = {{"l", SOCIND_MEASURE_LYING},
                                         {"h", SOCIND_MEASURE_STANDING},
                                         {"L", SOCIND_MEASURE_LYING},
                                         {"H", SOCIND_MEASURE_STANDING},
                                         {NULL, 0}};
static const code_map OEDEMA_CODES[] = {{"n", SOCIND_OEDEMA_NO},
                                        {"y", SOCIND_OEDEMA_YES},
                                        {"N", SOCIND_OEDEMA_NO},
                                        {"Y", SOCIND_OEDEMA_YES},
                                        {"1", SOCIND_OEDEMA_YES},
                                        {"2", SOCIND_OEDEMA_NO},
                                        {NULL, 0}};

/* the three code columns: option, recoding option, codes, what they mean */
typedef struct code_kind {
    const char *option, *recode, *what;
    const code_map *map;
    const char *accepted;
    int bad;
} code_kind;

static const code_kind KINDS[3] = {
    {"sex", "sex-codes", "sex", SEX_CODES, "1, 2, m, f, M, F", BAD_SEX},
    {"measure", "measure-codes", "measure", MEASURE_CODES, "l, h, L, H", BAD_MEASURE},
    {"oedema", "oedema-codes", "oedema", OEDEMA_CODES, "n, y, N, Y, 1 = yes, 2 = no", BAD_OEDEMA}};

/* A code's text compared by its value when it is a number: a label that
 * reads as a number (the reader's syntax with a decimal point: sign, digits,
 * '.', exponent) becomes the exact decimal text of that number — "1.0",
 * "01", "+1" and "1e0" are "1", "1.50" is "1.5" — with no rounding to a
 * double, so "1.0000000000000002" (or "1.00000000000000001") stays itself
 * and is no code 1. Other labels are compared as written. buf holds >= 160
 * bytes. */
static const char *canonical(const char *label, char *buf, size_t cap) {
    double v;
    if (tbl_parse_number(label, strlen(label), 0, &v) != 0) return label;
    /* the significant digits D and the exponent E of the value D·10^E */
    char d[80];
    size_t nd = 0;
    long e = 0;
    int neg = 0, frac = 0;
    const char *p = label;
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            frac = 1;
        } else if (*p >= '0' && *p <= '9') {
            if (nd > 0 || *p != '0') d[nd++] = *p;
            if (frac) e--;
        } else {
            break; /* trailing spaces */
        }
    }
    if (*p == 'e' || *p == 'E') { /* bounded: "0.5e-99999999999999999999" is 0 */
        long x = strtol(p + 1, NULL, 10);
        e += x > 100000 ? 100000 : x < -100000 ? -100000 : x;
    }
    while (nd > 0 && d[nd - 1] == '0') nd--, e++;
    if (nd == 0) return snprintf(buf, cap, "0"), buf;
    d[nd] = '\0';
    long len = (long)nd;
    char out[160];
    size_t m = 0;
    if (neg) out[m++] = '-';
    if (e >= 0 && e <= 60) { /* an integer: D and E zeros */
        memcpy(out + m, d, nd);
        m += nd;
        for (long i = 0; i < e; i++) out[m++] = '0';
    } else if (e < 0 && -e < len) { /* D with a decimal point inside */
        memcpy(out + m, d, (size_t)(len + e));
        m += (size_t)(len + e);
        out[m++] = '.';
        memcpy(out + m, d + len + e, (size_t)-e);
        m += (size_t)-e;
    } else if (e < 0 && -e <= 60) { /* 0.000D */
        out[m++] = '0';
        out[m++] = '.';
        for (long i = 0; i < -e - len; i++) out[m++] = '0';
        memcpy(out + m, d, nd);
        m += nd;
    } else { /* far from 1: DeE */
        m += (size_t)snprintf(out + m, sizeof out - m, "%se%ld", d, e);
    }
    out[m] = '\0';
    snprintf(buf, cap, "%s", out);
    return buf;
}

static int code_of(const char *label, const code_map *map, int32_t *code) {
    char canon[160];
    const char *s = canonical(label, canon, sizeof canon);
    for (const code_map *m = map; m->text; m++)
        if (strcmp(s, m->text) == 0) return *code = m->code, 0;
    return -1;
}

#define MAX_RECODE 64

typedef struct recode {
    char from[64];
    int32_t code;
} recode;

/* --sex-codes L=1,P=2 → pairs; 0, or EXIT_USAGE after a message */
static int parse_recodes(const args *a, const code_kind *k, recode *out, int *n) {
    *n = 0;
    const char *text = arg_get(a, k->recode);
    if (!text) return 0;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!eq || len == 0)
            return usage_error(a->command,
                               "--%s must be FILE_VALUE=CODE,... (e.g. --%s %s), not \"%s\"",
                               k->recode, k->recode,
                               k->bad == BAD_SEX       ? "L=1,P=2"
                               : k->bad == BAD_MEASURE ? "B=l,D=h"
                                                       : "0=n,1=y",
                               text);
        size_t flen = (size_t)(eq - p), tlen = len - flen - 1;
        while (flen > 0 && p[flen - 1] == ' ') flen--;
        const char *from = p;
        while (flen > 0 && *from == ' ') from++, flen--;
        char to[64];
        const char *tp = eq + 1;
        while (tlen > 0 && *tp == ' ') tp++, tlen--;
        while (tlen > 0 && tp[tlen - 1] == ' ') tlen--;
        snprintf(to, sizeof to, "%.*s", (int)(tlen < 63 ? tlen : 63), tp);
        if (flen == 0 || flen >= sizeof out->from)
            return usage_error(a->command, "--%s: \"%.*s\": the file's value before \"=\" is %s",
                               k->recode, (int)len, p, flen == 0 ? "empty" : "too long");
        int32_t code;
        if (code_of(to, k->map, &code) != 0)
            return usage_error(a->command,
                               "--%s: \"%.*s\": \"%s\" is not a %s code WHO's anthro accepts (%s)",
                               k->recode, (int)len, p, to, k->what, k->accepted);
        for (int i = 0; i < *n; i++)
            if (strlen(out[i].from) == flen && strncmp(out[i].from, from, flen) == 0 &&
                out[i].code != code)
                return usage_error(a->command, "--%s: \"%.*s\" is recoded twice", k->recode,
                                   (int)flen, from);
        if (*n == MAX_RECODE)
            return usage_error(a->command, "--%s: more than %d codes", k->recode, MAX_RECODE);
        snprintf(out[*n].from, sizeof out[*n].from, "%.*s", (int)flen, from);
        out[*n].code = code;
        (*n)++;
        if (!comma) break;
        p = comma + 1;
    }
    return 0;
}

/* 1 when --invalid-codes missing, 0 for error (the default), −1 after a usage error */
static int invalid_policy(const args *a) {
    const char *v = arg_get(a, "invalid-codes");
    if (!v || strcmp(v, "error") == 0) return 0;
    if (strcmp(v, "missing") == 0) return 1;
    usage_error(a->command, "--invalid-codes must be error or missing");
    return -1;
}

int codes_check_options(const args *a) {
    recode r[MAX_RECODE];
    int n;
    for (int i = 0; i < 3; i++)
        if (parse_recodes(a, &KINDS[i], r, &n)) return EXIT_USAGE;
    return invalid_policy(a) < 0 ? EXIT_USAGE : 0;
}

#define MAX_LISTED 20

/* the codes of one column; *nbad invalid rows (listed on stderr under the
 * error policy, counted under "missing") */
static int codes_of(const args *a, const tbl *t, int col, const code_kind *kind, int as_missing,
                    int32_t **out, unsigned char **bad, size_t *nbad) {
    *out = NULL;
    *nbad = 0;
    if (col < 0) return 0;
    recode rec[MAX_RECODE];
    int nrec;
    if (parse_recodes(a, kind, rec, &nrec)) return EXIT_USAGE;
    const tbl_col *c = &t->cols[col];
    int32_t *lut = malloc((c->n_labels ? (size_t)c->n_labels : 1) * sizeof *lut);
    int32_t *codes = malloc((t->nrows ? t->nrows : 1) * sizeof *codes);
    if (!lut || !codes) {
        free(lut);
        free(codes);
        return fail_with(EXIT_DATA, "out of memory");
    }
    for (int32_t k = 0; k < c->n_labels; k++) {
        lut[k] = -9;
        char canon[160], canon2[160];
        const char *label = c->labels[k];
        for (int i = 0; i < nrec && lut[k] == -9; i++)
            if (strcmp(label, rec[i].from) == 0 ||
                strcmp(canonical(label, canon, sizeof canon),
                       canonical(rec[i].from, canon2, sizeof canon2)) == 0)
                lut[k] = rec[i].code;
        if (lut[k] == -9 && code_of(label, kind->map, &lut[k]) != 0) lut[k] = -9;
    }
    /* distinct invalid values, for the warning under "missing" */
    const char *shown[5];
    int nshown = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        int32_t k = c->code[r];
        codes[r] = k < 0 ? SOCIND_CODE_MISSING : lut[k];
        if (codes[r] != -9) continue;
        (*nbad)++;
        codes[r] = SOCIND_CODE_MISSING;
        if (as_missing) {
            if (!*bad) *bad = calloc(t->nrows, 1);
            if (!*bad) {
                free(lut);
                free(codes);
                return fail_with(EXIT_DATA, "out of memory");
            }
            (*bad)[r] |= (unsigned char)kind->bad;
            int seen = 0;
            for (int i = 0; i < nshown; i++) seen |= strcmp(shown[i], c->labels[k]) == 0;
            if (!seen && nshown < 5) shown[nshown++] = c->labels[k];
        } else if (*nbad <= MAX_LISTED) {
            char buf[64];
            fprintf(stderr,
                    "socind: %s: %s: column \"%s\" (--%s): \"%s\" is not a code WHO's anthro "
                    "accepts (%s, or a missing value)\n",
                    t->path, tbl_where(t, r, buf, sizeof buf), c->name, c->option, c->labels[k],
                    kind->accepted);
        }
    }
    if (*nbad > MAX_LISTED && !as_missing)
        fprintf(stderr, "socind: %s: and %zu more line%s with such a code in column \"%s\"\n",
                t->path, *nbad - MAX_LISTED, *nbad - MAX_LISTED == 1 ? "" : "s", c->name);
    if (*nbad > 0 && as_missing) {
        fprintf(stderr,
                "socind %s: %zu row%s a code in column \"%s\" (--%s) that WHO's anthro does not "
                "accept (",
                a->command, *nbad, *nbad == 1 ? " has" : "s have", c->name, c->option);
        for (int i = 0; i < nshown; i++) fprintf(stderr, "%s\"%s\"", i ? ", " : "", shown[i]);
        fprintf(stderr, "%s); %s taken as missing (--invalid-codes missing)\n",
                nshown == 5 ? ", ..." : "", *nbad == 1 ? "it is" : "they are");
    }
    free(lut);
    *out = codes;
    return 0;
}

int growth_codes(const args *a, const tbl *t, const growth_cols *g, growth_codes_t *out) {
    memset(out, 0, sizeof *out);
    int as_missing = invalid_policy(a);
    if (as_missing < 0) return EXIT_USAGE;
    const int cols[3] = {g->sex, g->measure, g->oedema};
    int32_t **dst[3] = {&out->sex, &out->measure, &out->oedema};
    size_t nbad[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        int rc = codes_of(a, t, cols[i], &KINDS[i], as_missing, dst[i], &out->bad, &nbad[i]);
        if (rc) {
            growth_codes_free(out);
            return rc;
        }
    }
    if (!as_missing && nbad[0] + nbad[1] + nbad[2] > 0) {
        static const char *const example[3] = {"--sex-codes L=1,P=2", "--measure-codes B=l,D=h",
                                               "--oedema-codes tidak=n,ya=y"};
        char flags[120] = "";
        int first = -1;
        for (int i = 0; i < 3; i++)
            if (nbad[i]) {
                appendf(flags, sizeof flags, "%s--%s", flags[0] ? ", " : "", KINDS[i].recode);
                if (first < 0) first = i;
            }
        size_t total = nbad[0] + nbad[1] + nbad[2];
        fprintf(stderr,
                "socind: %s: %zu value%s WHO's anthro does not accept; map the file's codes with "
                "%s (e.g. %s), or take them as missing with --invalid-codes missing\n",
                t->path, total, total == 1 ? "" : "s", flags, example[first]);
        growth_codes_free(out);
        return EXIT_DATA;
    }
    return 0;
}

void growth_codes_free(growth_codes_t *c) {
    free(c->sex);
    free(c->measure);
    free(c->oedema);
    free(c->bad);
    memset(c, 0, sizeof *c);
}

const double *col_num(const tbl *t, int c) {
    return c >= 0 ? t->cols[c].num : NULL;
}

void growth_input_of(const tbl *t, const growth_cols *g, const growth_codes_t *c,
                     socind_growth_input *in) {
    socind_growth_input_init(in);
    in->sex = c->sex;
    in->age = t->cols[g->age].num;
    in->age_in_months = g->age_in_months;
    in->weight = col_num(t, g->weight_kg);
    in->lenhei = col_num(t, g->lenhei);
    in->measure = c->measure;
    in->oedema = c->oedema;
    in->headc = col_num(t, g->headc);
    in->armc = col_num(t, g->armc);
    in->triskin = col_num(t, g->triskin);
    in->subskin = col_num(t, g->subskin);
}

/* No child under two months (61 days) measures 65 cm or weighs 7.5 kg: WHO's
 * +3 SD at 61 days is about 64 cm and 7.1 kg (boys). */
#define SMALL_AGE 60.0
#define BIG_LENGTH 65.0
#define BIG_WEIGHT 7.5

int check_age_unit(const args *a, const tbl *t, const growth_cols *g) {
    if (g->age_in_months) return 0;
    const double *age = t->cols[g->age].num;
    const double *len = col_num(t, g->lenhei), *wt = col_num(t, g->weight_kg);
    size_t n_age = 0, measured = 0, big = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (isnan(age[r])) continue;
        if (age[r] > SMALL_AGE) return 0;
        n_age++;
        int has_len = len && !isnan(len[r]), has_wt = wt && !isnan(wt[r]);
        if (!has_len && !has_wt) continue;
        measured++;
        big += (has_len && len[r] >= BIG_LENGTH) || (has_wt && wt[r] >= BIG_WEIGHT);
    }
    if (n_age == 0 || measured == 0 || 2 * big <= measured) return 0;
    const tbl_col *c = &t->cols[g->age];
    return usage_error(a->command,
                       "every age in column \"%s\" (--%s) is at most %g, yet %zu of the %zu "
                       "children measured are 65 cm or longer or weigh 7.5 kg or more, which no "
                       "child under two months does: these ages look like months — give the "
                       "column as --age-months %s",
                       c->name, c->option, SMALL_AGE, big, measured, c->name);
}

void note_growth_missing(const char *command, const tbl *t, const growth_cols *g, int per_child) {
    if (per_child) {
        note_missing(command, t, g->sex, "their z-scores are empty");
        note_missing(command, t, g->age,
                     "their age-based z-scores are empty (weight-for-length/height needs no age)");
    } else {
        note_missing(command, t, g->sex, "they are left out of every indicator");
        note_missing(command, t, g->age,
                     "they are left out of every indicator but weight-for-length/height, and of "
                     "the age groups");
    }
    const char *uses = per_child ? "the z-scores that use it are empty for them"
                                 : "they are left out of the indicators that use it";
    note_missing(command, t, g->weight_kg, uses);
    note_missing(command, t, g->lenhei, uses);
    note_missing(command, t, g->measure,
                 "their length/height gets no ±0.7 cm adjustment (as WHO's anthro does)");
    note_missing(command, t, g->oedema, "they are taken as without oedema (as WHO's anthro does)");
    note_missing(command, t, g->headc, uses);
    note_missing(command, t, g->armc, uses);
    note_missing(command, t, g->triskin, uses);
    note_missing(command, t, g->subskin, uses);
    if (per_child) note_missing(command, t, g->id, "their id is empty");
}

/* R's round_up for ages: halves up */
static double days_of(double age, int in_months) {
    return floor((in_months ? age * 30.4375 : age) + 0.5);
}

static void compact_codes(int32_t *c, const unsigned char *keep, size_t n) {
    if (!c) return;
    size_t m = 0;
    for (size_t r = 0; r < n; r++)
        if (keep[r]) c[m++] = c[r];
}

int anthro_exclusions(const char *command, tbl *t, const growth_cols *g, int ref, int sw_col,
                      int st_col, int cl_col, growth_codes_t *codes) {
    size_t n = t->nrows;
    unsigned char *keep = calloc(n ? n : 1, 1);
    if (!keep) return fail_with(EXIT_DATA, "out of memory");
    const double *age = t->cols[g->age].num;
    size_t age_out = 0, age_na = 0;
    for (size_t r = 0; r < n; r++) {
        keep[r] = 1;
        if (ref == 0) {
            /* anthro: age > 1826 days goes; a missing age stays */
            if (isnan(age[r]))
                age_na++;
            else if (days_of(age[r], g->age_in_months) > 1826)
                keep[r] = 0;
        } else {
            /* anthroplus: age NA or outside 60–228 months goes */
            double m = g->age_in_months ? age[r] : age[r] / 30.4375;
            if (!(m >= 60 && m <= 228)) keep[r] = 0;
        }
        age_out += !keep[r];
    }
    if (age_out > 0 && ref == 0) {
        fprintf(stderr,
                "socind %s: warning: %zu %s will be excluded for the prevalence computation due "
                "to missing age or age > 1826 days \n",
                command, age_out, age_out == 1 ? "row" : "rows");
        if (age_na > 0)
            fprintf(stderr,
                    "socind %s: (as in anthro, that count is of ages over 1826 days; the %zu "
                    "row%s without an age stay%s in the table)\n",
                    command, age_na, age_na == 1 ? "" : "s", age_na == 1 ? "s" : "");
    } else if (age_out > 0) {
        fprintf(stderr,
                "socind %s: warning: %zu row(s) with age NA or age < 60 months or > 228 months "
                "were excluded from the computation.\n",
                command, age_out);
    }
    /* anthro: rows without cluster or stratum go */
    size_t design_out = 0, no_cl = 0, no_st = 0;
    for (size_t r = 0; r < n; r++) {
        int cl_na = cl_col >= 0 && t->cols[cl_col].code[r] < 0;
        int st_na = st_col >= 0 && t->cols[st_col].code[r] < 0;
        if (!keep[r]) continue;
        no_cl += cl_na;
        no_st += st_na;
        if (cl_na || st_na) keep[r] = 0, design_out++;
    }
    /* rows anthro had already left out, but without cluster or stratum:
       out too (the design needs both) */
    for (size_t r = 0; r < n; r++)
        if ((cl_col >= 0 && t->cols[cl_col].code[r] < 0) ||
            (st_col >= 0 && t->cols[st_col].code[r] < 0))
            keep[r] = 0;
    if (design_out > 0) {
        fprintf(stderr,
                "socind %s: warning: %zu %s will be excluded for the prevalence computation due "
                "to missing cluster and strata.\n",
                command, design_out, design_out == 1 ? "row" : "rows");
        fprintf(stderr, "socind %s: rows without a value:", command);
        if (cl_col >= 0)
            fprintf(stderr, " %zu in column \"%s\" (--%s)%s", no_cl, t->cols[cl_col].name,
                    t->cols[cl_col].option, st_col >= 0 ? "," : "");
        if (st_col >= 0)
            fprintf(stderr, " %zu in column \"%s\" (--%s)", no_st, t->cols[st_col].name,
                    t->cols[st_col].option);
        fputc('\n', stderr);
    }
    size_t sw_na = 0;
    if (sw_col >= 0)
        for (size_t r = 0; r < n; r++) sw_na += keep[r] && isnan(t->cols[sw_col].num[r]);
    if (sw_na > 0)
        fprintf(stderr,
                "socind %s: warning: %zu %s had missing sampling weights and they will be set to "
                "0. Doing this excludes them in the prevalence calculation.\n",
                command, sw_na, sw_na == 1 ? "row" : "rows");
    if (sw_col >= 0)
        for (size_t r = 0; r < n; r++)
            if (isnan(t->cols[sw_col].num[r])) t->cols[sw_col].num[r] = 0.0;
    tbl_keep_mask(t, keep);
    compact_codes(codes->sex, keep, n);
    compact_codes(codes->measure, keep, n);
    compact_codes(codes->oedema, keep, n);
    if (codes->bad) {
        size_t m = 0;
        for (size_t r = 0; r < n; r++)
            if (keep[r]) codes->bad[m++] = codes->bad[r];
    }
    free(keep);
    if (t->nrows == 0)
        return fail_with(EXIT_DATA, "%s: no child is left for the prevalence computation", t->path);
    return 0;
}
