/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state_internal.h — the partial state's representation (private),
 * shared by state.c (tables, adding, merging, finishing), state_bytes.c
 * (the portable byte format) and the estimators that run on threads
 * through states. */
#ifndef SOCIND_STATE_INTERNAL_H
#define SOCIND_STATE_INTERNAL_H

#include "internal.h"
#include "socind/state.h"

/* Most weighted sums a cell holds. */
#define SOCIND__STATE_KMAX 6

/* A sum kept as the unevaluated pair hi + lo (Knuth's TwoSum for each term:
 * hi is the rounded sum, lo gathers the rounding errors). */
static inline void socind__dd_add(double *hi, double *lo, double x) {
    double s = *hi + x;
    double bp = s - *hi;
    double e = (*hi - (s - bp)) + (x - bp);
    *hi = s;
    *lo += e;
}

struct socind_state {
    socind_state_spec sp; /* resolved, every field within sizeof */
    int32_t K;            /* weighted sums per cell */
    int32_t nout;         /* estimates per domain */
    int32_t pass, passes; /* this state's pass (1-based) and its estimate's */
    /* PSUs: keyed by (stratum id, PSU id) under nest = 1 or without a PSU
       column, else by (0, PSU id) with the stratum checked */
    socind__idmap pmap;
    size_t npsu, pcap;
    int64_t *p_stratum, *p_id, *p_row; /* p_row: the first row seen (lowest number) */
    double *p_fpc;                     /* NaN without fpc */
    unsigned char *p_pos;              /* a row of non-zero weight */
    /* cells: keyed by (PSU index, domain) */
    socind__idmap cmap;
    size_t ncell, ccap;
    int32_t *c_psu, *c_group;
    int64_t *c_n;    /* rows used (a usable value in the domain) */
    int64_t *c_npos; /* rows used with a non-zero weight */
    int64_t *c_dpos; /* rows of the domain with a non-zero weight, any value */
    double *c_sum;   /* 2·K per cell: hi, lo of each sum */
    /* rank-based estimates: the rows they keep (state_rank.c), else NULL */
    struct socind__rank *rank;
};

/* The state's quantities per estimator: K sums per cell and estimates per
 * domain (state.c). */
int32_t socind__state_shape(int32_t estimator, int32_t *K, int32_t *nout);
/* Validates a caller's spec into *out (socind_state_new's checks). */
int32_t socind__state_spec_resolve(const socind_state_spec *in, socind_state_spec *out);
/* An empty state for the resolved spec sp (NULL on NOMEM). */
socind_state *socind__state_alloc(const socind_state_spec *sp);
/* Appends a PSU / a cell (no key checks: the caller looked them up);
 * 1, or 0 when out of memory. */
int socind__state_push_psu(socind_state *s, int64_t stratum, int64_t id, int64_t row, double fpc,
                           int pos, int32_t *index);
int socind__state_push_cell(socind_state *s, int32_t psu, int32_t group, int32_t *index);
/* The PSU key of (stratum, id) under s's spec. */
static inline int64_t socind__state_pkey1(const socind_state *s, int64_t stratum) {
    return (s->sp.nest || !s->sp.has_psu) ? stratum : 0;
}

/* ---- rank-based estimates (state_rank.c) ----
 * A rank-based state keeps the PSU and cell tables (their checks, counts
 * and merging are the other states') and, besides, every row it was given;
 * its cells' sums stay 0. Finishing runs the in-memory estimator on the
 * rows in their numbering. */
/* Whether the resolved spec sp is a rank-based estimate. */
int socind__rank_is(const socind_state_spec *sp);
/* The rank-based parameters of o (resolved in place: p, p2, a relative
 * line's fraction and quantile; unused ones NaN): SOCIND_OK or
 * SOCIND_ERR_ARG with the detail. */
int32_t socind__rank_resolve(socind_state_spec *o);
/* Makes / frees s->rank (1, or 0 when out of memory). */
int socind__rank_new(socind_state *s);
void socind__rank_free(socind_state *s);
/* Room for what a checked chunk c adds (1, or 0 when out of memory), so
 * that adding it cannot fail. */
int socind__rank_reserve(socind_state *s, const socind_chunk *c);
/* Before merging from into into: SOCIND_ERR_MISMATCH (states of a later
 * pass prepared from different merged states) or SOCIND_ERR_NOMEM, else
 * room made so that socind__rank_merge cannot fail. */
int32_t socind__rank_merge_prepare(socind_state *into, const socind_state *from);
/* Adds a checked chunk's rows (room reserved; ci: each row's cell or −1,
 * use: 0 for a row used) / merges from's part (prepared). */
void socind__rank_add(socind_state *s, const socind_chunk *c, const int32_t *ci,
                      const unsigned char *use);
void socind__rank_merge(socind_state *into, const socind_state *from);
/* socind_state_next_pass for a rank-based state in a pass before its last. */
int32_t socind__rank_next_pass(const socind_state *merged, socind_state **next);
/* Finishes into out[0 .. count) with resolved options o. */
int32_t socind__rank_finish(const socind_state *s, const socind_options *o, socind_estimate *out,
                            size_t count);
/* The rank part of the bytes (after the cell records): its size, writing
 * it, its parameters (p, p2) from len bytes before the spec is resolved
 * (NaN when too short), and reading it into s (SOCIND_ERR_FORMAT unless
 * len is exactly its size and every record follows the rules). */
size_t socind__rank_bytes(const socind_state *s);
void socind__rank_write(const socind_state *s, unsigned char *b);
void socind__rank_params(const unsigned char *b, size_t len, double *p, double *p2);
int32_t socind__rank_read(socind_state *s, const unsigned char *b, size_t len);

/* ---- the byte format (state_bytes.c) ---- */
/* CRC-32 (IEEE 802.3, zlib's crc32) of n bytes, continuing from crc (0 to
 * start). */
uint32_t socind__crc32(uint32_t crc, const unsigned char *p, size_t n);

#endif /* SOCIND_STATE_INTERNAL_H */
