/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/common.c — see cli.h. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ options */

const opt_spec cli_design_opts[] = {{"weight", 1},     {"strata", 1}, {"psu", 1},   {"fpc", 1},
                                    {"lonely-psu", 1}, {"nest", 0},   {"level", 1}, {"ci", 1},
                                    {"prop-ci", 1},    {NULL, 0}};
const opt_spec cli_output_opts[] = {{"format", 1}, {"output", 1}, {NULL, 0}};
const opt_spec cli_input_opts[] = {
    {"decimal-comma", 0}, {"delimiter", 1}, {"subset", 1}, {NULL, 0}};
const opt_spec cli_growth_opts[] = {
    {"sex", 1},        {"age-days", 1}, {"age-months", 1}, {"weight-kg", 1}, {"lenhei-cm", 1},
    {"measure", 1},    {"oedema", 1},   {"headc-cm", 1},   {"armc-cm", 1},   {"triskin-mm", 1},
    {"subskin-mm", 1}, {"id", 1},       {"reference", 1},  {NULL, 0}};

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

int args_parse(args *a, const char *command, int argc, char **argv, int first,
               const opt_spec *const *specs) {
    memset(a, 0, sizeof *a);
    a->command = command;
    a->kv = calloc((size_t)argc + 1, sizeof *a->kv);
    if (!a->kv) return fail_with(EXIT_USAGE, "out of memory"), 1;
    for (int i = first; i < argc; i++) {
        const char *s = argv[i];
        if (strncmp(s, "--", 2) != 0 || s[2] == '\0') {
            if (a->file) {
                usage_error(command, "one input file expected, got \"%s\" and \"%s\"", a->file, s);
                goto bad;
            }
            a->file = s;
            continue;
        }
        const char *name = s + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const opt_spec *o = find_spec(specs, name, len);
        if (!o) {
            usage_error(command, "unknown option --%.*s", (int)len, name);
            goto bad;
        }
        const char *value = NULL;
        if (o->takes_value) {
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
        a->kv[a->n].name = o->name;
        a->kv[a->n].value = value;
        a->n++;
    }
    return 0;
bad:
    args_free(a);
    return 1;
}

void args_free(args *a) {
    free(a->kv);
    a->kv = NULL;
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

int parse_double_opt(const char *command, const char *name, const char *text, double *out) {
    if (tbl_parse_number(text, strlen(text), 0, out) != 0) {
        usage_error(command, "--%s: \"%s\" is not a number", name, text);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ errors */

int lib_fail(const tbl *t, const char *what, int32_t status) {
    const char *detail = socind_last_error_detail();
    char where[512] = "";
    /* a row index in the detail ("row 17", "weight[17]") → the file's line */
    const char *p = detail;
    while (t && *p) {
        const char *num = NULL;
        if (strncmp(p, "row ", 4) == 0 && isdigit((unsigned char)p[4]))
            num = p + 4;
        else if (*p == '[' && isdigit((unsigned char)p[1]))
            num = p + 1;
        if (num) {
            size_t row = (size_t)strtoull(num, NULL, 10);
            char buf[64];
            if (row < t->nrows)
                snprintf(where, sizeof where, "row %zu of the data is %s of %s", row,
                         tbl_where(t, row, buf, sizeof buf), t->path);
            break;
        }
        p++;
    }
    int code = EXIT_COMPUTE;
    if (status == SOCIND_ERR_WEIGHT || status == SOCIND_ERR_FPC || status == SOCIND_ERR_NESTING ||
        status == SOCIND_ERR_DATA || status == SOCIND_ERR_NONPOSITIVE || status == SOCIND_ERR_CODE)
        code = EXIT_DATA;
    fprintf(stderr, "socind: %s%s%s: %s%s%s%s\n", t ? t->path : "", t ? ": " : "", what,
            socind_strerror(status), detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
    if (where[0]) fprintf(stderr, "socind: %s\n", where);
    return code;
}

/* ------------------------------------------------------------------ data */

int input_options(tbl *t, const args *a) {
    t->decimal_comma = arg_flag(a, "decimal-comma");
    t->progress = isatty(STDERR_FILENO);
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
    return 0;
}

int table_setup(tbl *t, const args *a) {
    memset(t, 0, sizeof *t);
    if (!a->file) return usage_error(a->command, "no input file");
    t->path = a->file;
    return input_options(t, a);
}

int table_read(tbl *t, const args *a) {
    char err[1024], subset_name[256];
    int subset_col = -1;
    const char *subset_value = NULL;
    const char *sub = arg_get(a, "subset");
    if (sub) {
        const char *eq = strchr(sub, '=');
        if (!eq || eq == sub || (size_t)(eq - sub) >= sizeof subset_name)
            return usage_error(a->command, "--subset must be COL=VALUE (e.g. year=2024)");
        memcpy(subset_name, sub, (size_t)(eq - sub));
        subset_name[eq - sub] = '\0';
        subset_value = eq + 1;
        subset_col = tbl_want(t, subset_name, "subset", TBL_LABEL);
        if (subset_col < 0) return fail_with(EXIT_DATA, "out of memory");
    }
    if (tbl_read(t, err, sizeof err)) return fail_with(EXIT_DATA, "%s", err);
    if (sub && tbl_keep(t, subset_col, subset_value) == 0)
        return fail_with(EXIT_DATA, "%s: no row has %s = \"%s\" (--subset)", t->path, subset_name,
                         subset_value);
    return 0;
}

static int want(tbl *t, const args *a, const char *option, int kind) {
    const char *name = arg_get(a, option);
    return name ? tbl_want(t, name, option, kind) : -1;
}

int design_want(tbl *t, const args *a, design_cols *dc) {
    dc->weight = want(t, a, "weight", TBL_NUM);
    dc->strata = want(t, a, "strata", TBL_LABEL);
    dc->psu = want(t, a, "psu", TBL_LABEL);
    dc->fpc = want(t, a, "fpc", TBL_NUM);
    return 0;
}

int options_from_args(const args *a, socind_options *opts) {
    socind_options_init(opts);
    const char *v;
    if ((v = arg_get(a, "level"))) {
        if (parse_double_opt(a->command, "level", v, &opts->level)) return EXIT_USAGE;
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

static int parse_int64(const char *s, int64_t *out) {
    char *end;
    if (!*s) return -1;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0') return -1;
    *out = v;
    return 0;
}

int ids_from_labels(const tbl *t, const tbl_col *c, int64_t **out) {
    int64_t *v = malloc(c->n_labels ? (size_t)c->n_labels * sizeof *v : 1);
    int64_t *ids = malloc(t->nrows * sizeof *ids);
    if (!v || !ids) {
        free(v);
        free(ids);
        return fail_with(EXIT_DATA, "out of memory");
    }
    int numeric = 1;
    for (int32_t k = 0; k < c->n_labels && numeric; k++)
        if (parse_int64(c->labels[k], &v[k]) != 0) numeric = 0;
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
                             "%s: %s: the sampling weight (column \"%s\") is %s; weights must "
                             "be present and >= 0",
                             t->path, tbl_where(t, r, buf, sizeof buf), c->name,
                             isnan(c->num[r]) ? "missing" : "negative");
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
    if (dc->fpc >= 0) fpc = t->cols[dc->fpc].num;
    int32_t st =
        socind_design_new(n, w ? w : t->cols[dc->weight].num, strata, psu, fpc, &dopt, design);
    if (st != SOCIND_OK) rc = lib_fail(t, "survey design", st);
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
    b->code = malloc(t->nrows * sizeof *b->code);
    b->label = calloc(m ? (size_t)m : 1, sizeof *b->label);
    if (!keys || !rank || !b->code || !b->label) goto oom;
    int numeric = 1;
    for (int32_t k = 0; k < m; k++) {
        keys[k].s = c->labels[k];
        keys[k].k = k;
        if (!isnan(c->label_value ? c->label_value[k] : NAN) && !c->value_labels)
            keys[k].v = c->label_value[k];
        else if (!is_number(c->labels[k], &keys[k].v))
            numeric = 0;
    }
    qsort(keys, (size_t)m, sizeof *keys, numeric ? cmp_num : cmp_str);
    for (int32_t i = 0; i < m; i++) {
        rank[keys[i].k] = i;
        size_t len = strlen(c->name) + strlen(keys[i].s) + 3;
        b->label[i] = malloc(len);
        if (!b->label[i]) goto oom;
        snprintf(b->label[i], len, "%s: %s", c->name, keys[i].s);
    }
    b->n_groups = m;
    for (size_t r = 0; r < t->nrows; r++) b->code[r] = c->code[r] < 0 ? -1 : rank[c->code[r]];
    free(keys);
    free(rank);
    return 0;
oom:
    free(keys);
    free(rank);
    b->n_groups = m;
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

int est_write(const est_list *l, const args *a) {
    static const char *const names[] = {"indicator", "parameter", "group",   "estimate",
                                        "se",        "ci_low",    "ci_high", "df",
                                        "n",         "weight_sum"};
    int format = output_format(a);
    if (format < 0) return EXIT_USAGE;
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

/* numbers are compared as R compares them, as text of the number: "1.0" is "1" */
static int code_of(const char *label, const code_map *map, int32_t *code) {
    char canon[40];
    double v;
    const char *s = label;
    if (tbl_parse_number(label, strlen(label), 0, &v) == 0) {
        snprintf(canon, sizeof canon, "%.15g", v);
        s = canon;
    }
    for (const code_map *m = map; m->text; m++)
        if (strcmp(s, m->text) == 0) return *code = m->code, 0;
    return -1;
}

static int codes_of(const tbl *t, int col, const code_map *map, const char *accepted,
                    int32_t **out) {
    *out = NULL;
    if (col < 0) return 0;
    const tbl_col *c = &t->cols[col];
    int32_t *lut = malloc((c->n_labels ? (size_t)c->n_labels : 1) * sizeof *lut);
    int32_t *codes = malloc(t->nrows * sizeof *codes);
    if (!lut || !codes) {
        free(lut);
        free(codes);
        return fail_with(EXIT_DATA, "out of memory");
    }
    for (int32_t k = 0; k < c->n_labels; k++)
        if (code_of(c->labels[k], map, &lut[k]) != 0) lut[k] = -9;
    for (size_t r = 0; r < t->nrows; r++) {
        int32_t k = c->code[r];
        codes[r] = k < 0 ? SOCIND_CODE_MISSING : lut[k];
        if (codes[r] == -9) {
            char buf[64];
            int rc = fail_with(EXIT_DATA,
                               "%s: %s: column \"%s\" (--%s): \"%s\" is not a code WHO's anthro "
                               "accepts (%s, or empty/NA)",
                               t->path, tbl_where(t, r, buf, sizeof buf), c->name, c->option,
                               c->labels[k], accepted);
            free(lut);
            free(codes);
            return rc;
        }
    }
    free(lut);
    *out = codes;
    return 0;
}

int growth_codes(const tbl *t, const growth_cols *g, int32_t **sex, int32_t **measure,
                 int32_t **oedema) {
    int rc;
    *sex = *measure = *oedema = NULL;
    if ((rc = codes_of(t, g->sex, SEX_CODES, "1, 2, m, f, M, F", sex))) return rc;
    if ((rc = codes_of(t, g->measure, MEASURE_CODES, "l, h, L, H", measure))) goto fail;
    if ((rc = codes_of(t, g->oedema, OEDEMA_CODES, "n, y, N, Y, 1 = yes, 2 = no", oedema)))
        goto fail;
    return 0;
fail:
    free(*sex);
    free(*measure);
    *sex = *measure = NULL;
    return rc;
}

const double *col_num(const tbl *t, int c) {
    return c >= 0 ? t->cols[c].num : NULL;
}

void growth_input_of(const tbl *t, const growth_cols *g, const int32_t *sex, const int32_t *measure,
                     const int32_t *oedema, socind_growth_input *in) {
    socind_growth_input_init(in);
    in->sex = sex;
    in->age = t->cols[g->age].num;
    in->age_in_months = g->age_in_months;
    in->weight = col_num(t, g->weight_kg);
    in->lenhei = col_num(t, g->lenhei);
    in->measure = measure;
    in->oedema = oedema;
    in->headc = col_num(t, g->headc);
    in->armc = col_num(t, g->armc);
    in->triskin = col_num(t, g->triskin);
    in->subskin = col_num(t, g->subskin);
}
