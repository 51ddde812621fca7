/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/breakdown.c — a breakdown (--by COL): its groups, sorted (see cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    return breakdown_make_in(t, c, NULL, b);
}

int breakdown_make_in(const tbl *t, const tbl_col *c, const unsigned char *keep, breakdown *b) {
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
        if (c->code[r] >= 0 && (!keep || keep[r])) used[c->code[r]] = 1;
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
    for (size_t r = 0; r < t->nrows; r++)
        b->code[r] = c->code[r] < 0 || (keep && !keep[r]) ? -1 : rank[c->code[r]];
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
