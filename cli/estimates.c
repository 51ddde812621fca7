/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/estimates.c — the tidy table of estimates: its rows, --format, writing it (see cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdlib.h>
#include <string.h>

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
