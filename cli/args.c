/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/args.c — the command line: option specs, parsing, usage errors (see cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <ctype.h>
#include "numbers.h"
#include "suggest.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ option lists */

const opt_spec cli_design_opts[] = {{"weight", OPT_VALUE},       {"strata", OPT_VALUE},
                                    {"psu", OPT_VALUE},          {"fpc", OPT_VALUE},
                                    {"lonely-psu", OPT_VALUE},   {"nest", OPT_FLAG},
                                    {"level", OPT_VALUE},        {"ci", OPT_VALUE},
                                    {"prop-ci", OPT_VALUE},      {"domain-rule", OPT_VALUE},
                                    {"poststratify", OPT_VALUE}, {"rake", OPT_VALUE},
                                    {"calibrate", OPT_VALUE},    {"cal-method", OPT_VALUE},
                                    {"cal-bounds", OPT_VALUE},   {"calibrated-weights", OPT_VALUE},
                                    {"repweights", OPT_VALUE},   {"rep-factors", OPT_VALUE},
                                    {"rep-key", OPT_VALUE},      {"rep-type", OPT_VALUE},
                                    {"rep-scale", OPT_VALUE},    {"rep-rscales", OPT_VALUE},
                                    {"fay-rho", OPT_VALUE},      {"mse", OPT_FLAG},
                                    {"rep-make", OPT_VALUE},     {"replicates", OPT_VALUE},
                                    {"seed", OPT_VALUE},         {NULL, 0}};

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

/* ------------------------------------------------------------------ parsing */

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

/* splits --na-values at sep: "NA,,-99" → "NA", "", "-99" */
static int split_na_values(args *a, const char *text, char sep) {
    size_t n = 1;
    for (const char *p = text; *p; p++) n += *p == sep;
    a->na_buf = strdup(text);
    a->na_list = calloc(n + 1, sizeof *a->na_list);
    if (!a->na_buf || !a->na_list) return -1;
    size_t k = 0;
    char *p = a->na_buf;
    for (;;) {
        char *comma = strchr(p, sep);
        a->na_list[k++] = p;
        if (!comma) break;
        *comma = '\0';
        p = comma + 1;
    }
    a->na_list[k] = NULL;
    return 0;
}

/* The option argv[*i] (starting with '-'), with its value from "=VALUE" or
 * the next argument (*i then moves past it), added to a->kv; 0, or 1 after
 * a usage error. */
static int take_option(args *a, int argc, char **argv, int *i) {
    const char *command = a->command, *s = argv[*i];
    const char *eq = strchr(s, '=');
    size_t len = eq ? (size_t)(eq - s) : strlen(s);
    const opt_spec *o = s[1] == '-' ? find_spec(a->specs, s + 2, len - 2) : NULL;
    if (!o) { /* also "-income": an option typed with one dash, not a file */
        unknown_option(command, s, len, a->specs);
        return 1;
    }
    const char *value = NULL;
    if (o->takes_value != OPT_FLAG) {
        if (eq) {
            value = eq + 1;
        } else if (*i + 1 < argc) {
            value = argv[++*i];
        } else {
            usage_error(command, "--%s needs a value", o->name);
            return 1;
        }
    } else if (eq) {
        usage_error(command, "--%s takes no value", o->name);
        return 1;
    }
    if (o->takes_value == OPT_VALUE) {
        for (size_t j = 0; j < a->n; j++)
            if (strcmp(a->kv[j].name, o->name) == 0) {
                usage_error(command, "--%s is given twice (\"%s\" and \"%s\"); it takes one value",
                            o->name, a->kv[j].value, value);
                return 1;
            }
    }
    /* a column named twice by --by would give its rows twice */
    if (o->takes_value == OPT_REPEAT && strcmp(o->name, "by") == 0)
        for (size_t j = 0; j < a->n; j++)
            if (strcmp(a->kv[j].name, o->name) == 0 && strcmp(a->kv[j].value, value) == 0) {
                usage_error(command, "--by \"%s\" is given twice; give each column once", value);
                return 1;
            }
    a->kv[a->n].name = o->name;
    a->kv[a->n].value = value;
    a->n++;
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
        } else if (positional_only || s[0] != '-' || s[1] == '\0') {
            if (a->file) {
                usage_error(command, "one input file expected, got \"%s\" and \"%s\"", a->file, s);
                goto bad;
            }
            a->file = s;
        } else if (take_option(a, argc, argv, &i) != 0) {
            goto bad;
        }
    }
    const char *na = arg_get(a, "na-values");
    char na_sep = ',';
    if (na && arg_flag(a, "decimal-comma")) {
        /* "," is the decimal separator: ";" separates the spellings when
           the value has one; without, a "," between digits ("-99,5") may
           be a decimal comma or separate two spellings ("-99" and "5") */
        const char *dc = NULL;
        for (const char *p = strchr(na, ','); p && !dc; p = strchr(p + 1, ','))
            if (p > na && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1])) dc = p;
        if (strchr(na, ';')) {
            na_sep = ';';
        } else if (dc) {
            /* the spellings with every "," a separator, and with the ","
               between digits decimal commas */
            const size_t n = strlen(na);
            char *all = malloc(n + 1), *dec = malloc(n + 2);
            if (!all || !dec) {
                free(all), free(dec);
                fail_with(EXIT_USAGE, "out of memory");
                goto bad;
            }
            int semi = 0;
            for (size_t k = 0; k <= n; k++) {
                const int between = k > 0 && na[k] == ',' && isdigit((unsigned char)na[k - 1]) &&
                                    isdigit((unsigned char)na[k + 1]);
                all[k] = na[k] == ',' ? ';' : na[k];
                dec[k] = na[k] == ',' && !between ? ';' : na[k];
                semi |= dec[k] == ';';
            }
            if (!semi) strcat(dec, ";");
            const char *t0 = dc, *t1 = dc + 1; /* the number around the comma */
            while (t0 > na && (isdigit((unsigned char)t0[-1]) || strchr("+-.", t0[-1]))) t0--;
            while (isdigit((unsigned char)*t1) || *t1 == '.') t1++;
            usage_error(command,
                        "--na-values \"%s\": with --decimal-comma \",\" is also the decimal "
                        "separator, so \"%.*s\" may be one spelling or two; under "
                        "--decimal-comma \";\" separates the spellings: write --na-values \"%s\" "
                        "(every \",\" a separator) or \"%s\" (decimal commas%s), quoted: the "
                        "shell ends a command at \";\"",
                        na, (int)(t1 - t0), t0, all, dec,
                        semi ? "" : "; an empty cell is then missing too");
            free(all), free(dec);
            goto bad;
        }
    }
    if (na && split_na_values(a, na, na_sep) != 0) {
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

/* ------------------------------------------------------------------ values */

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

int args_takes_value(const opt_spec *const *specs, const char *s) {
    if (s[0] != '-' || s[1] != '-' || strchr(s, '=')) return 0;
    for (size_t k = 0; specs[k]; k++)
        for (const opt_spec *o = specs[k]; o->name; o++)
            if (strcmp(o->name, s + 2) == 0) return o->takes_value != OPT_FLAG;
    return 0;
}

int parse_double_opt(const args *a, const char *name, const char *text, double *out) {
    char why[300];
    if (tbl_parse_option_number(text, arg_flag(a, "decimal-comma"), out, why, sizeof why) != 0) {
        usage_error(a->command, "--%s: %s", name, why);
        return 1;
    }
    return 0;
}

int parse_line_opt(const args *a, const char *name, const char *text, double *out) {
    if (parse_double_opt(a, name, text, out)) return 1;
    if (!(*out > 0.0)) {
        usage_error(a->command, "--%s must be > 0, got %s", name, text);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ usage errors */

int usage_error(const char *command, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "socind %s: ", command);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see: socind help %s)\n", command);
    va_end(ap);
    return EXIT_USAGE;
}

/* The message for an empty list, or for the first empty item of text (items
 * separated by sep), into why; 0 when there is none. */
static int empty_item_why(const char *option, const char *text, char sep, char *why, size_t cap) {
    size_t n = 1, item = 0;
    for (const char *p = text; *p; p++) n += *p == sep;
    if (n == 1) { /* no item at all: refused, never taken as "none" */
        size_t blank = strspn(text, " \t");
        if (text[blank]) return 0;
        snprintf(why, cap,
                 "--%s \"%s\": the list is empty; name at least one item (an empty list "
                 "is refused, not taken as none)",
                 option, text);
        return 1;
    }
    for (const char *p = text;;) {
        const char *e = strchr(p, sep);
        size_t len = e ? (size_t)(e - p) : strlen(p), blank = 0;
        item++;
        while (blank < len && (p[blank] == ' ' || p[blank] == '\t')) blank++;
        if (blank == len) {
            char where[64];
            if (item == 1)
                snprintf(where, sizeof where, "the list starts with \"%c\"", sep);
            else if (item == n)
                snprintf(where, sizeof where, "the list ends with \"%c\"", sep);
            else
                snprintf(where, sizeof where, "two \"%c\" with nothing between", sep);
            snprintf(why, cap,
                     "--%s \"%s\": item %zu of %zu is empty (%s); an empty item is "
                     "refused, not skipped: remove the extra \"%c\" or write the item",
                     option, text, item, n, where, sep);
            return 1;
        }
        if (!e) return 0;
        p = e + 1;
    }
}

int list_items_check(const args *a, const char *option, const char *text, char sep) {
    char why[NUM_LIST_WHY];
    if (!empty_item_why(option, text, sep, why, sizeof why)) return 0;
    usage_error(a->command, "%s", why);
    return 1;
}

/* ------------------------------------------------------------------ lists of numbers */

void num_list_free(num_list *v) {
    free(v->buf);
    free(v->item);
    v->buf = NULL;
    v->item = NULL;
    v->n = 0;
}

int num_item_read(const args *a, const char *option, num_item *it, char *why, size_t cap) {
    char w[300];
    if (tbl_parse_option_number(it->num, arg_flag(a, "decimal-comma"), &it->value, w, sizeof w) ==
        0)
        return 0;
    if (it->key)
        snprintf(why, cap, "--%s: entry \"%s\": %s", option, it->text, w);
    else
        snprintf(why, cap, "--%s: %s", option, w);
    return 1;
}

int num_items_repeat(const char *option, const num_item *it, size_t n, char *why, size_t cap) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (it[j].value == it[i].value)
                return snprintf(why, cap, "--%s lists %s twice (as \"%s\" and \"%s\")", option,
                                it[i].text, it[j].text, it[i].text),
                       1;
    return 0;
}

static int is_blank(char c) {
    return c == ' ' || c == '\t';
}

/* text[0, len) without the blanks around it, copied to *at (moved on) */
static char *put_trimmed(char **at, const char *text, size_t len) {
    while (len > 0 && is_blank(*text)) text++, len--;
    while (len > 0 && is_blank(text[len - 1])) len--;
    char *s = *at;
    memcpy(s, text, len);
    s[len] = '\0';
    *at += len + 1;
    return s;
}

/* One reading of text: its items separated by sep (0: the whole text one
 * item, "whole": a reading that takes every "," as a decimal comma), each
 * through the option's item check, then (unless items_only) the list
 * through its list check. 0 with the items in *out, 1 with the first
 * reason in why, −1 out of memory. */
static int read_list(const args *a, const num_list_spec *s, const char *text, char sep, int whole,
                     int items_only, num_list *out, char *why, size_t cap) {
    memset(out, 0, sizeof *out);
    /* (one item: a blank text is an empty list; it holds no ";") */
    if (empty_item_why(s->option, text, sep ? sep : ';', why, cap)) return 1;
    size_t len = strlen(text), n = 1;
    if (sep)
        for (const char *p = text; *p; p++) n += *p == sep;
    out->buf = malloc(8 * (len + 1));
    out->item = calloc(n, sizeof *out->item);
    if (!out->buf || !out->item) return num_list_free(out), -1;
    char *at = out->buf;
    for (const char *p = text;;) {
        const char *e = sep ? strchr(p, sep) : NULL;
        size_t plen = e ? (size_t)(e - p) : strlen(p);
        num_item *it = &out->item[out->n++];
        memcpy(at, p, plen);
        at[plen] = '\0';
        it->raw = at;
        at += plen + 1;
        it->text = put_trimmed(&at, p, plen);
        it->value = NAN;
        if (s->pairs) {
            const char *eq =
                s->pairs == LIST_PAIRS_LAST ? strrchr(it->text, '=') : strchr(it->text, '=');
            if (eq) {
                it->key = put_trimmed(&at, it->text, (size_t)(eq - it->text));
                it->num = put_trimmed(&at, eq + 1, strlen(eq + 1));
            }
            if (eq && whole && strchr(it->key, ',') && strchr(it->key, '=')) {
                snprintf(why, cap,
                         "--%s: \"%s\" is not one entry: its key \"%s\" holds \",\" and "
                         "\"=\", as entries separated by \",\" do",
                         s->option, it->text, it->key);
                return num_list_free(out), 1;
            }
        } else {
            it->num = it->text;
        }
        if (s->item(a, it, s->ctx, why, cap)) return num_list_free(out), 1;
        if (!e) break;
        p = e + 1;
    }
    if (!items_only && s->list && s->list(a, out->item, out->n, s->ctx, why, cap))
        return num_list_free(out), 1;
    return 0;
}

/* "write --alpha \"0,1;0,5\"": the spellings with ";" of a text with ","
 * whose items are valid, some "," being decimal commas — found by trying,
 * at each item's start, the items of one, two … of the ","-separated
 * pieces (an item is tried only when it passes the item check alone). */
typedef struct regroup {
    const args *a;
    const num_list_spec *s;
    const char *text;
    const size_t *start, *end; /* the pieces between the "," */
    size_t n;
    char *cut; /* cut[i]: piece i ends an item */
    size_t tries, found;
    char spelled[4][512]; /* (three shown) */
    char scratch[512], why[NUM_LIST_WHY];
} regroup;

static void regroup_from(regroup *r, size_t i) {
    if (r->found == 4 || r->tries > 4000) return;
    if (i == r->n) {
        char *sp = r->scratch;
        size_t m = strlen(r->text);
        memcpy(sp, r->text, m + 1);
        size_t cuts = 0;
        for (size_t k = 0; k + 1 < r->n; k++)
            if (r->cut[k]) sp[r->end[k]] = ';', cuts++;
        if (cuts == 0 || cuts + 1 == r->n) return; /* the two readings, not valid */
        num_list v;
        r->tries++;
        int rc = read_list(r->a, r->s, sp, ';', 0, 0, &v, r->why, sizeof r->why);
        num_list_free(&v);
        if (rc == 0) memcpy(r->spelled[r->found++], sp, m + 1);
        return;
    }
    /* the longest items first (of up to four pieces): "0,5;2" before "0;5,2" */
    size_t last = i + 3 < r->n ? i + 3 : r->n - 1;
    if (r->s->pairs) /* (an entry's "=" starts an item: "2023=1,05;2024=1,1") */
        for (size_t k = i + 1; k <= last; k++)
            if (memchr(r->text + r->start[k], '=', r->end[k] - r->start[k])) {
                last = k - 1;
                break;
            }
    for (size_t j = last + 1; j-- > i && r->found < 4;) {
        /* (the scratch is free again once read_list is done with it) */
        size_t len = r->end[j] - r->start[i];
        memcpy(r->scratch, r->text + r->start[i], len);
        r->scratch[len] = '\0';
        num_list v;
        r->tries++;
        int rc = read_list(r->a, r->s, r->scratch, 0, 0, 1, &v, r->why, sizeof r->why);
        num_list_free(&v);
        if (rc != 0) continue;
        for (size_t k = i; k < j; k++) r->cut[k] = 0;
        r->cut[j] = 1;
        regroup_from(r, j + 1);
    }
}

/* a reason without its leading "--OPTION: " */
static const char *bare_why(const char *why, const char *option) {
    size_t n = strlen(option);
    if (strncmp(why, "--", 2) == 0 && strncmp(why + 2, option, n) == 0 &&
        strncmp(why + 2 + n, ": ", 2) == 0)
        return why + 4 + n;
    return why;
}

/* under --decimal-comma, a text with "," and no ";" that no reading takes,
 * or that both take */
static int two_readings(const args *a, const num_list_spec *s, const char *text, num_list *A,
                        int ra, const char *why_a, num_list *B, int rb, const char *why_b) {
    char list[8192];
    snprintf(list, sizeof list, "%s", text);
    for (char *p = list; *p; p++)
        if (*p == ',') *p = ';';
    const char *o = s->option, *quoted = "(quoted: the shell ends a command at \";\")";
    if (ra == 0 && rb == 0) {
        /* the one item, with a decimal point */
        char num[48], one[600];
        const num_item *it = &A->item[0];
        number_unambiguous(it->value, num, sizeof num);
        if (it->key)
            snprintf(one, sizeof one, "%s=%s", it->key, num);
        else
            snprintf(one, sizeof one, "%s", num);
        char shown[48];
        number_shortest(it->value, shown, sizeof shown);
        usage_error(a->command,
                    "--%s \"%s\" reads two ways under --decimal-comma: the %s %s%s%s (\",\" the "
                    "decimal separator) or a list of %zu %s (\",\" separating them, as without "
                    "--decimal-comma); with --decimal-comma the list is separated by \";\": "
                    "write --%s \"%s\" for the list %s, or --%s %s for the %s",
                    o, text, it->key ? "entry" : "number", it->key ? it->key : "",
                    it->key ? "=" : "", shown, B->n, it->key ? "entries" : "numbers", o, list,
                    quoted, o, one, it->key ? "entry" : "number");
        num_list_free(A);
        num_list_free(B);
        return 1;
    }
    num_list_free(A);
    num_list_free(B);
    /* neither: the spellings with ";" whose items are valid */
    size_t n = 1;
    for (const char *p = text; *p; p++) n += *p == ',';
    regroup *r = calloc(1, sizeof *r);
    size_t *start = calloc(n, sizeof *start), *end = calloc(n, sizeof *end);
    char *cut = calloc(n, 1);
    if (!r || !start || !end || !cut) {
        free(r), free(start), free(end), free(cut);
        return fail_with(EXIT_USAGE, "out of memory"), 1;
    }
    size_t k = 0;
    for (const char *p = text;; k++) {
        const char *e = strchr(p, ',');
        start[k] = (size_t)(p - text);
        end[k] = e ? (size_t)(e - text) : strlen(text);
        if (!e) break;
        p = e + 1;
    }
    *r = (regroup){.a = a, .s = s, .text = text, .start = start, .end = end, .n = n, .cut = cut};
    /* (a text of 512 bytes or more is not respelled: the message's room) */
    if (strlen(text) < sizeof r->scratch && !empty_item_why(o, text, ',', list, sizeof list))
        regroup_from(r, 0);
    free(start), free(end), free(cut);
    if (r->found > 0) {
        char alts[1700] = "";
        for (size_t i = 1; i < r->found && i < 3; i++)
            snprintf(alts + strlen(alts), sizeof alts - strlen(alts), " or \"%s\"", r->spelled[i]);
        if (r->found == 4) snprintf(alts + strlen(alts), sizeof alts - strlen(alts), " or …");
        usage_error(a->command,
                    "--%s \"%s\": with --decimal-comma \",\" is the decimal separator and the "
                    "list is separated by \";\": write --%s \"%s\"%s %s%s",
                    o, text, o, r->spelled[0], alts, quoted,
                    r->found > 1 ? "; which \",\" separates the items is unsaid" : "");
        free(r);
        return 1;
    }
    free(r);
    if (empty_item_why(o, text, ',', list, sizeof list)) {
        /* "0,,1": the empty item, which no spelling mends */
        usage_error(a->command, "%s", why_b);
        return 1;
    }
    usage_error(a->command,
                "--%s \"%s\" is neither one %s with a decimal comma (%s) nor a list separated "
                "by \",\" (%s); with --decimal-comma the list is separated by \";\": --%s \"%s\" "
                "%s",
                o, text, s->pairs ? "entry" : "number", bare_why(why_a, o), bare_why(why_b, o), o,
                list, quoted);
    return 1;
}

int num_list_parse(const args *a, const num_list_spec *s, const char *text, num_list *out) {
    char why[NUM_LIST_WHY];
    memset(out, 0, sizeof *out);
    const int dc = arg_flag(a, "decimal-comma");
    const size_t len = strlen(text);
    if (len >= NUM_LIST_MAX_TEXT)
        return usage_error(a->command, "--%s is %zu characters long; a list may have at most %d",
                           s->option, len, NUM_LIST_MAX_TEXT - 1),
               1;
    char sep = !dc ? ',' : strchr(text, ';') ? ';' : strchr(text, ',') ? 0 : ',';
    if (sep) {
        int rc = read_list(a, s, text, sep, 0, 0, out, why, sizeof why);
        if (rc < 0) return fail_with(EXIT_USAGE, "out of memory"), 1;
        if (rc > 0) usage_error(a->command, "%s", why);
        return rc;
    }
    /* --decimal-comma, "," and no ";": one number (entry) with a decimal
       comma, or a list separated by "," */
    num_list A, B;
    char why_a[NUM_LIST_WHY], why_b[NUM_LIST_WHY];
    int ra = read_list(a, s, text, 0, 1, 0, &A, why_a, sizeof why_a);
    int rb = read_list(a, s, text, ',', 0, 0, &B, why_b, sizeof why_b);
    if (ra < 0 || rb < 0) {
        num_list_free(&A);
        num_list_free(&B);
        return fail_with(EXIT_USAGE, "out of memory"), 1;
    }
    if (ra == 0 && rb != 0) return *out = A, 0;
    if (rb == 0 && ra != 0) return *out = B, 0;
    return two_readings(a, s, text, &A, ra, why_a, &B, rb, why_b);
}
