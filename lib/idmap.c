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

/* ---- socind__keyset ---- */

int socind__keyset_init(socind__keyset *s, int pairs) {
    memset(s, 0, sizeof *s);
    s->room = 256;
    s->k1 = malloc(s->room * sizeof *s->k1);
    s->k2 = pairs ? malloc(s->room * sizeof *s->k2) : NULL;
    if (!s->k1 || (pairs && !s->k2)) {
        socind__keyset_free(s);
        return 0;
    }
    return 1;
}

void socind__keyset_reserve(socind__keyset *s, size_t room) {
    if (room <= s->room) return;
    int64_t *k1 = socind__big_alloc(room * sizeof *k1);
    int64_t *k2 = s->k2 ? socind__big_alloc(room * sizeof *k2) : NULL;
    if (!k1 || (s->k2 && !k2)) {
        free(k1);
        free(k2);
        return;
    }
    if (s->count) {
        memcpy(k1, s->k1, s->count * sizeof *k1);
        if (k2) memcpy(k2, s->k2, s->count * sizeof *k2);
    }
    free(s->k1);
    free(s->k2);
    s->k1 = k1;
    s->k2 = k2;
    s->room = room;
}

void socind__keyset_free(socind__keyset *s) {
    free(s->k1);
    free(s->k2);
    free(s->slot);
    memset(s, 0, sizeof *s);
}

void socind__keyset_drop_table(socind__keyset *s) {
    free(s->slot);
    s->slot = NULL;
    s->cap = 0;
}

/* Puts entry e (tag << 32 | id + 1) in the first empty slot from its home. */
static void keyset_place(socind__keyset *s, uint64_t e) {
    size_t mask = s->cap - 1, i = (uint32_t)(e >> 32) & mask;
    while (s->slot[i] != 0) i = (i + 1) & mask;
    s->slot[i] = e;
}

/* The table at `cap` slots (a power of two, at most 2^32: the tags' bits),
 * holding what it held: 1, or 0 when out of memory (the table unchanged). */
static int keyset_rehash(socind__keyset *s, size_t cap) {
    /* a large table on huge pages where offered: its probes are random */
    uint64_t *t = socind__big_alloc(cap * sizeof *t);
    if (!t) return 0;
    memset(t, 0, cap * sizeof *t);
    uint64_t *old = s->slot;
    size_t old_cap = s->cap;
    s->slot = t;
    s->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] != 0) keyset_place(s, old[i]);
    free(old);
    return 1;
}

int32_t socind__keyset_put(socind__keyset *s, int64_t a, int64_t b, int *added) {
    *added = 0;
    int in_order = !s->hashed && (s->count == 0 || socind__keyset_after(s, s->count - 1, a, b));
    if (!in_order) {
        int32_t id = socind__keyset_find(s, a, b);
        if (id >= 0) return id;
    }
    if (s->count == s->room) {
        size_t room = 2 * s->room;
        int64_t *k1 = realloc(s->k1, room * sizeof *k1);
        if (!k1) return -1;
        s->k1 = k1;
        if (s->k2) {
            int64_t *k2 = realloc(s->k2, room * sizeof *k2);
            if (!k2) return -1;
            s->k2 = k2;
        }
        s->room = room;
    }
    size_t id = s->count;
    s->k1[id] = a;
    if (s->k2) s->k2[id] = b;
    if (s->count == 0) {
        s->lo1 = s->hi1 = a;
        s->lo2 = s->hi2 = b;
    } else {
        s->lo1 = a < s->lo1 ? a : s->lo1;
        s->hi1 = a > s->hi1 ? a : s->hi1;
        s->lo2 = b < s->lo2 ? b : s->lo2;
        s->hi2 = b > s->hi2 ? b : s->hi2;
    }
    if (in_order) {
        s->count++;
        s->sorted = s->count;
    } else {
        size_t inside = s->count + 1 - s->sorted;
        if (inside * 2 > s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 1024;
            while (inside * 2 > cap) cap *= 2;
            if (!keyset_rehash(s, cap)) return -1; /* the key is not kept */
        }
        s->hashed = 1;
        s->count++;
        keyset_place(s, (uint64_t)socind__keyset_tag(a, b) << 32 | (uint32_t)(id + 1));
    }
    *added = 1;
    return (int32_t)id;
}
