/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/input.c — the data file from the options: reading it, --subset, columns by option (see
 * cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "suggest.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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
            buf_appendf(all, sizeof all, "%s%s = \"%s\"", j ? " and " : "", name[j], value[j]);
        return fail_with(EXIT_DATA, "%s: no row has %s (--subset)", t->path, all);
    }
    return 0;
}

int col_want(tbl *t, const args *a, const char *option, int kind) {
    const char *name = arg_get(a, option);
    return name ? tbl_want(t, name, option, kind) : -1;
}

size_t col_missing(const tbl *t, int c) {
    return c < 0 ? 0 : (size_t)t->cols[c].n_missing; /* recounted by tbl_keep(_mask) */
}

const double *col_num(const tbl *t, int c) {
    return c >= 0 ? t->cols[c].num : NULL;
}
