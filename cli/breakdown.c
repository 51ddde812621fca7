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

typedef struct {
    const char *s;
    int32_t i;
} indexed_label;

static int cmp_indexed(const void *a, const void *b) {
    return strcmp(((const indexed_label *)a)->s, ((const indexed_label *)b)->s);
}

int labels_index(const char *const *s, int32_t ns, const char *const *q, int32_t nq, int32_t *at) {
    indexed_label *v = malloc((ns > 0 ? (size_t)ns : 1) * sizeof *v);
    if (!v) return fail_with(EXIT_DATA, "out of memory");
    for (int32_t i = 0; i < ns; i++) v[i] = (indexed_label){s[i], i};
    qsort(v, (size_t)ns, sizeof *v, cmp_indexed);
    for (int32_t i = 0; i < nq; i++) {
        const indexed_label key = {q[i], -1};
        const indexed_label *hit = bsearch(&key, v, (size_t)ns, sizeof *v, cmp_indexed);
        at[i] = hit ? hit->i : -1;
    }
    free(v);
    return 0;
}

/* The labels of b that o lacks: their count (−1: out of memory, said), the
 * first three into buf ("region: 1, region: 2, region: 3, ..."). */
static int32_t labels_missing_from(const breakdown *b, const breakdown *o, char *buf, size_t cap) {
    int32_t k = 0;
    buf[0] = '\0';
    int32_t *at = malloc((b->n_groups > 0 ? (size_t)b->n_groups : 1) * sizeof *at);
    if (!at || labels_index((const char *const *)o->label, o->n_groups,
                            (const char *const *)b->label, b->n_groups, at)) {
        if (!at) fail_with(EXIT_DATA, "out of memory");
        free(at);
        return -1;
    }
    for (int32_t g = 0; g < b->n_groups; g++) {
        if (at[g] >= 0) continue;
        if (k < 3) buf_appendf(buf, cap, "%s%s", k ? ", " : "", b->label[g]);
        if (k == 3) buf_appendf(buf, cap, ", ...");
        k++;
    }
    free(at);
    return k;
}

void note_one_round_groups(const char *command, const char *option, const tbl *t1,
                           const breakdown *b1, const tbl *t2, const breakdown *b2) {
    char only1[400], only2[400];
    int32_t n1 = labels_missing_from(b1, b2, only1, sizeof only1),
            n2 = labels_missing_from(b2, b1, only2, sizeof only2);
    n1 = n1 > 0 ? n1 : 0, n2 = n2 > 0 ? n2 : 0; /* −1: out of memory, said */
    if (n1 == 0 && n2 == 0) return;
    char what[900] = "";
    if (n1)
        buf_appendf(what, sizeof what, "%d group%s only in the base round (%s): %s", n1,
                    n1 == 1 ? "" : "s", t1->path, only1);
    if (n2)
        buf_appendf(what, sizeof what, "%s%d group%s only in the compare round (%s): %s",
                    n1 ? "; " : "", n2, n2 == 1 ? "" : "s", t2->path, only2);
    fprintf(stderr,
            "socind %s: --%s %s: %s. Their figures that read both rounds are empty. Groups "
            "are matched by their text as each file gives it (a .dta/.sav value label in "
            "place of its code): \"1\" and \"1.0\", or a code in one file and its label in "
            "the other, are two groups\n",
            command, option, b1->column, what);
}

void breakdown_free(breakdown *b) {
    if (b->label)
        for (int32_t i = 0; i < b->n_groups; i++) free(b->label[i]);
    free(b->label);
    free(b->code);
    memset(b, 0, sizeof *b);
}
