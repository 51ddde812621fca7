/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/idmap.c — the hash map from (int64, int64) keys to dense ids that the
 * design (strata, PSUs) and socind_codes (labels) build on: creation, and
 * the one place where it grows (internal.h has the lookup, inlined). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int socind__idmap_init(socind__idmap *m, size_t expected) {
    size_t cap = 16;
    while (cap < expected * 2 + 1) cap <<= 1;
    m->cap = cap;
    m->count = 0;
    m->k1 = malloc(cap * sizeof *m->k1);
    m->k2 = malloc(cap * sizeof *m->k2);
    m->val = malloc(cap * sizeof *m->val);
    if (!m->k1 || !m->k2 || !m->val) {
        socind__idmap_free(m);
        return 0;
    }
    memset(m->val, 0xff, cap * sizeof *m->val);
    return 1;
}

void socind__idmap_free(socind__idmap *m) {
    free(m->k1);
    free(m->k2);
    free(m->val);
    memset(m, 0, sizeof *m);
}

int socind__idmap_add(socind__idmap *m, size_t slot, int64_t a, int64_t b, int32_t id) {
    m->k1[slot] = a;
    m->k2[slot] = b;
    m->val[slot] = id;
    if (++m->count * 2 < m->cap) return 1;
    /* half full: a larger table, every key rehashed into it */
    socind__idmap g;
    if (!socind__idmap_init(&g, m->cap)) return 0;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->val[i] < 0) continue;
        size_t t = socind__idmap_slot(&g, m->k1[i], m->k2[i]);
        g.k1[t] = m->k1[i];
        g.k2[t] = m->k2[i];
        g.val[t] = m->val[i];
        g.count++;
    }
    socind__idmap_free(m);
    *m = g;
    return 1;
}
