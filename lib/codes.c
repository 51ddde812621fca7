/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/codes.c — group codes from int64 or string labels (socind/codes.h):
 * the distinct labels found by hashing (internal.h's idmap), sorted, and
 * each row's label replaced by its rank among them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct socind_codes {
    int32_t kind;    /* SOCIND_CODES_INT64 or SOCIND_CODES_STRING */
    int32_t count;   /* distinct labels k */
    size_t n;        /* rows */
    size_t nmissing; /* rows with code −1 */
    int32_t *code;   /* n row codes (NULL when n = 0) */
    int64_t *ilabel; /* k int64 labels, ascending (kind INT64) */
    size_t *soff;    /* k + 1 offsets into stext (kind STRING) */
    char *stext;     /* the k strings, ascending, each NUL-terminated */
};

SOCIND__TEST_SWITCH_DEFINE(socind__codes_weak_hash);

void socind_codes_free(socind_codes *c) {
    if (!c) return;
    free(c->code);
    free(c->ilabel);
    free(c->soff);
    free(c->stext);
    free(c);
}

/* The checks both constructors share, and the handle with its row codes. */
static int32_t codes_start(size_t n, const void *labels, socind_codes **out, int32_t kind,
                           socind_codes **c) {
    socind__clear_detail();
    *c = NULL;
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    *out = NULL;
    if (!labels && n > 0) return socind__fail(SOCIND_ERR_NULL, "labels is NULL");
    if (n > (size_t)INT32_MAX)
        return socind__fail(SOCIND_ERR_RANGE, "n = %zu exceeds the supported 2^31 - 1 rows", n);
    *c = calloc(1, sizeof **c);
    if (!*c) return SOCIND_ERR_NOMEM;
    (*c)->kind = kind;
    (*c)->n = n;
    if (n > 0 && !((*c)->code = malloc(n * sizeof *(*c)->code))) return SOCIND_ERR_NOMEM;
    return SOCIND_OK;
}

/* Ends a constructor: *out on success, else the handle freed (and the
 * detail of an allocation failure written). */
static int32_t codes_finish(int32_t status, socind_codes *c, socind_codes **out) {
    if (status) {
        if (status == SOCIND_ERR_NOMEM)
            socind__fail(SOCIND_ERR_NOMEM, "allocation failed building the codes");
        socind_codes_free(c);
        return status;
    }
    *out = c;
    return SOCIND_OK;
}

/* Sorts k unsigned keys ascending: insertion sort for a few, else a radix
 * sort by bytes through tmp (k long) that skips the bytes all keys share. */
static void sort_u64(uint64_t *a, size_t k, uint64_t *tmp) {
    if (k <= 32) {
        for (size_t i = 1; i < k; i++) {
            uint64_t v = a[i];
            size_t j = i;
            for (; j > 0 && a[j - 1] > v; j--) a[j] = a[j - 1];
            a[j] = v;
        }
        return;
    }
    uint64_t *src = a, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t cnt[257] = {0};
        for (size_t i = 0; i < k; i++) cnt[((src[i] >> shift) & 255) + 1]++;
        if (cnt[((src[0] >> shift) & 255) + 1] == k) continue; /* one value of this byte */
        for (int b = 0; b < 256; b++) cnt[b + 1] += cnt[b];
        for (size_t i = 0; i < k; i++) dst[cnt[(src[i] >> shift) & 255]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, k * sizeof *a);
}

/* int64 → unsigned with the same order, and back. */
static uint64_t order_u64(int64_t v) {
    return (uint64_t)v ^ 0x8000000000000000ULL;
}
static int64_t from_order_u64(uint64_t u) {
    u ^= 0x8000000000000000ULL;
    int64_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}

int32_t socind_codes_from_int64(size_t n, const int64_t *labels, const uint8_t *missing,
                                socind_codes **out) {
    socind_codes *c;
    int32_t status = codes_start(n, labels, out, SOCIND_CODES_INT64, &c);
    if (status) return codes_finish(status, c, out);
    /* the distinct labels, each row's first-appearance id into c->code */
    socind__idmap map = {0};
    size_t k = 0, cap = 64;
    uint64_t *keys = malloc(cap * sizeof *keys), *tmp = NULL;
    int32_t *rank = NULL;
    if (!keys || !socind__idmap_init(&map, 64)) status = SOCIND_ERR_NOMEM;
    for (size_t r = 0; r < n && !status; r++) {
        if (missing && missing[r]) {
            c->code[r] = -1;
            c->nmissing++;
            continue;
        }
        size_t s = socind__idmap_slot(&map, labels[r], 0);
        if (map.val[s] >= 0) {
            c->code[r] = map.val[s];
            continue;
        }
        if (k == cap) {
            uint64_t *t = realloc(keys, 2 * cap * sizeof *t);
            if (!t) {
                status = SOCIND_ERR_NOMEM;
                break;
            }
            keys = t;
            cap *= 2;
        }
        keys[k] = order_u64(labels[r]);
        c->code[r] = (int32_t)k;
        if (!socind__idmap_add(&map, s, labels[r], 0, (int32_t)k++)) status = SOCIND_ERR_NOMEM;
    }
    /* sorted, each id's rank found back through the map */
    if (!status) {
        tmp = malloc((k ? k : 1) * sizeof *tmp);
        rank = malloc((k ? k : 1) * sizeof *rank);
        c->ilabel = malloc((k ? k : 1) * sizeof *c->ilabel);
        if (!tmp || !rank || !c->ilabel) status = SOCIND_ERR_NOMEM;
    }
    if (!status) {
        sort_u64(keys, k, tmp);
        for (size_t i = 0; i < k; i++) {
            int64_t v = from_order_u64(keys[i]);
            c->ilabel[i] = v;
            rank[map.val[socind__idmap_slot(&map, v, 0)]] = (int32_t)i;
        }
        for (size_t r = 0; r < n; r++)
            if (c->code[r] >= 0) c->code[r] = rank[c->code[r]];
        c->count = (int32_t)k;
    }
    socind__idmap_free(&map);
    free(keys);
    free(tmp);
    free(rank);
    return codes_finish(status, c, out);
}

/* A string's hash: FNV-1a over its bytes, then mixed; *len its length.
 * (socind__codes_weak_hash, a test switch, makes it the length alone, so
 * that the tests can reach the path of labels whose hashes collide.) */
static uint64_t string_hash(const char *s, size_t *len) {
    uint64_t h = 0xcbf29ce484222325ULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    for (; p[i]; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    *len = i;
    return socind__codes_weak_hash ? (uint64_t)i : socind__mix64(h);
}

typedef struct {
    const char *s;
    size_t len;
    int32_t id;
} label_ref;

static int cmp_label_ref(const void *a, const void *b) {
    const label_ref *x = a, *y = b;
    return strcmp(x->s, y->s);
}

int32_t socind_codes_from_strings(size_t n, const char *const *labels, socind_codes **out) {
    socind_codes *c;
    int32_t status = codes_start(n, labels, out, SOCIND_CODES_STRING, &c);
    if (status) return codes_finish(status, c, out);
    /* the distinct labels: the map's key is (hash, j), j counting the
       distinct labels met earlier with the same hash */
    socind__idmap map = {0};
    size_t k = 0, cap = 64, text = 0;
    label_ref *ref = malloc(cap * sizeof *ref);
    int32_t *rank = NULL;
    if (!ref || !socind__idmap_init(&map, 64)) status = SOCIND_ERR_NOMEM;
    for (size_t r = 0; r < n && !status; r++) {
        const char *s = labels[r];
        if (!s) {
            c->code[r] = -1;
            c->nmissing++;
            continue;
        }
        size_t len;
        int64_t h = (int64_t)string_hash(s, &len), j = 0;
        size_t slot = socind__idmap_slot(&map, h, 0);
        for (; map.val[slot] >= 0; slot = socind__idmap_slot(&map, h, ++j)) {
            const label_ref *e = &ref[map.val[slot]];
            if (e->len == len && memcmp(e->s, s, len) == 0) break;
        }
        if (map.val[slot] >= 0) {
            c->code[r] = map.val[slot];
            continue;
        }
        if (len >= SIZE_MAX - text) { /* the text kept would not fit in size_t */
            status = SOCIND_ERR_NOMEM;
            break;
        }
        text += len + 1;
        if (k == cap) {
            label_ref *t = realloc(ref, 2 * cap * sizeof *t);
            if (!t) {
                status = SOCIND_ERR_NOMEM;
                break;
            }
            ref = t;
            cap *= 2;
        }
        ref[k] = (label_ref){s, len, (int32_t)k};
        c->code[r] = (int32_t)k;
        if (!socind__idmap_add(&map, slot, h, j, (int32_t)k++)) status = SOCIND_ERR_NOMEM;
    }
    socind__idmap_free(&map);
    /* sorted by bytes, copied in that order, each id's rank */
    if (!status) {
        rank = malloc((k ? k : 1) * sizeof *rank);
        c->soff = malloc((k + 1) * sizeof *c->soff);
        c->stext = malloc(text ? text : 1);
        if (!rank || !c->soff || !c->stext) status = SOCIND_ERR_NOMEM;
    }
    if (!status) {
        if (k > 1) qsort(ref, k, sizeof *ref, cmp_label_ref);
        size_t off = 0;
        for (size_t i = 0; i < k; i++) {
            c->soff[i] = off;
            memcpy(c->stext + off, ref[i].s, ref[i].len + 1);
            off += ref[i].len + 1;
            rank[ref[i].id] = (int32_t)i;
        }
        c->soff[k] = off;
        for (size_t r = 0; r < n; r++)
            if (c->code[r] >= 0) c->code[r] = rank[c->code[r]];
        c->count = (int32_t)k;
    }
    free(ref);
    free(rank);
    return codes_finish(status, c, out);
}

int32_t socind_codes_count(const socind_codes *c) {
    return c ? c->count : 0;
}
size_t socind_codes_nrows(const socind_codes *c) {
    return c ? c->n : 0;
}
size_t socind_codes_nmissing(const socind_codes *c) {
    return c ? c->nmissing : 0;
}
int32_t socind_codes_kind(const socind_codes *c) {
    return c ? c->kind : 0;
}
const int32_t *socind_codes_row_codes(const socind_codes *c) {
    return c ? c->code : NULL;
}

int32_t socind_codes_copy_row_codes(const socind_codes *c, int32_t *out, size_t n) {
    socind__clear_detail();
    if (!c || (!out && n > 0)) {
        if (out)
            for (size_t r = 0; r < n; r++) out[r] = -1;
        return socind__fail(SOCIND_ERR_NULL, c ? "out is NULL" : "codes is NULL");
    }
    if (n != c->n) {
        for (size_t r = 0; r < n; r++) out[r] = -1;
        return socind__fail(SOCIND_ERR_ARG, "n is %zu; the codes have %zu rows", n, c->n);
    }
    if (n > 0) memcpy(out, c->code, n * sizeof *out);
    return SOCIND_OK;
}

int32_t socind_codes_int64_label(const socind_codes *c, int32_t code, int64_t *label) {
    socind__clear_detail();
    if (label) *label = 0;
    if (!c || !label) return socind__fail(SOCIND_ERR_NULL, c ? "label is NULL" : "codes is NULL");
    if (c->kind != SOCIND_CODES_INT64)
        return socind__fail(SOCIND_ERR_ARG,
                            "the codes were built from strings: use socind_codes_string_label");
    if (code < 0 || code >= c->count)
        return socind__fail(SOCIND_ERR_ARG, "code %d is outside [0, %d)", (int)code, (int)c->count);
    *label = c->ilabel[code];
    return SOCIND_OK;
}

int32_t socind_codes_string_label(const socind_codes *c, int32_t code, char *buf, size_t cap,
                                  size_t *needed) {
    socind__clear_detail();
    if (needed) *needed = 0;
    if (buf && cap > 0) buf[0] = '\0';
    if (!c) return socind__fail(SOCIND_ERR_NULL, "codes is NULL");
    if (!buf && cap > 0) return socind__fail(SOCIND_ERR_NULL, "buf is NULL and cap is %zu", cap);
    if (code < 0 || code >= c->count)
        return socind__fail(SOCIND_ERR_ARG, "code %d is outside [0, %d)", (int)code, (int)c->count);
    char digits[24];
    const char *s;
    size_t size;
    if (c->kind == SOCIND_CODES_INT64) {
        size = (size_t)snprintf(digits, sizeof digits, "%lld", (long long)c->ilabel[code]) + 1;
        s = digits;
    } else {
        s = c->stext + c->soff[code];
        size = c->soff[code + 1] - c->soff[code];
    }
    if (!buf) {
        if (needed) *needed = size;
        return SOCIND_OK;
    }
    if (cap < size) {
        if (needed) *needed = size;
        return socind__fail(SOCIND_ERR_BUFFER, "the label of code %d takes %zu bytes; cap is %zu",
                            (int)code, size, cap);
    }
    memcpy(buf, s, size);
    if (needed) *needed = size;
    return SOCIND_OK;
}
