/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/args.c — the command line: option specs, parsing, usage errors (see cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "numbers.h"
#include "suggest.h"

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

int list_items_check(const args *a, const char *option, const char *text, char sep) {
    size_t n = 1, item = 0;
    for (const char *p = text; *p; p++) n += *p == sep;
    if (n == 1) { /* no item at all: refused, never taken as "none" */
        size_t blank = strspn(text, " \t");
        if (text[blank]) return 0;
        usage_error(a->command,
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
            usage_error(a->command,
                        "--%s \"%s\": item %zu of %zu is empty (%s); an empty item is "
                        "refused, not skipped: remove the extra \"%c\" or write the item",
                        option, text, item, n, where, sep);
            return 1;
        }
        if (!e) return 0;
        p = e + 1;
    }
}

int number_list_sep(const args *a, const char *option, const char *text, char *sep) {
    *sep = ',';
    if (!arg_flag(a, "decimal-comma")) return 0;
    *sep = ';';
    if (strchr(text, ';') || !strchr(text, ',')) return 0;
    /* "0,1,2" or "1,5": is it also a list of numbers, as "," separates one
       without --decimal-comma? (if not, the item's own message) */
    size_t parts = 0;
    for (const char *p = text;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        double x;
        if (tbl_parse_number(p, len, 0, &x) != 0) return 0;
        parts++;
        if (!e) break;
        p = e + 1;
    }
    char list[512];
    snprintf(list, sizeof list, "%s", text);
    for (char *p = list; *p; p++)
        if (*p == ',') *p = ';';
    double one;
    char why[300], num[48];
    if (tbl_parse_option_number(text, 1, &one, why, sizeof why) != 0) {
        usage_error(a->command,
                    "--%s \"%s\": with --decimal-comma \",\" is the decimal separator and the "
                    "list is separated by \";\": write --%s \"%s\" (quoted: the shell ends a "
                    "command at \";\")",
                    option, text, option, list);
        return 1;
    }
    /* the number with a decimal point, as no option reads it otherwise
       ("1.234" would read as 1234 too: "1.2340") */
    number_shortest(one, num, sizeof num);
    char shown[48];
    snprintf(shown, sizeof shown, "%s", num);
    double back;
    if (tbl_parse_option_number(num, 1, &back, why, sizeof why) != 0 && strchr(num, '.') &&
        strlen(num) + 1 < sizeof num)
        strcat(num, "0");
    usage_error(a->command,
                "--%s \"%s\" reads two ways under --decimal-comma: the number %s (\",\" the "
                "decimal separator) or a list of %zu numbers (\",\" separating them, as without "
                "--decimal-comma); with --decimal-comma the list is separated by \";\": write "
                "--%s \"%s\" for the list (quoted: the shell ends a command at \";\"), or --%s "
                "%s for the number",
                option, text, shown, parts, option, list, option, num);
    return 1;
}

int pairs_list_spelling(const char *text, char *out, size_t cap) {
    size_t m = 0;
    int items = 0;
    for (const char *p = text;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const int pair = memchr(p, '=', len) != NULL;
        if (p == text && !pair) return -1;
        if (p != text) {
            if (m + 1 >= cap) return -1;
            out[m++] = pair ? ';' : ',';
        }
        if (m + len >= cap) return -1;
        memcpy(out + m, p, len);
        m += len;
        items += pair;
        if (!e) break;
        p = e + 1;
    }
    out[m] = '\0';
    return items;
}
