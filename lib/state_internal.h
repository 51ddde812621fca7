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
#define SOCIND__STATE_KMAX 4

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
    /* the prevalence table's state (state_prevalence.c), or NULL */
    struct socind__prev *prev;
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

/* ---- the prevalence table (state_prevalence.c) ----
 * A state of SOCIND_STATE_PREVALENCE_* keeps its own tables in s->prev (the
 * PSU and cell tables above stay empty); state.c and state_bytes.c hand
 * such states to these. */
int socind__prev_estimator(int32_t estimator);
struct socind__prev *socind__prev_new(const socind_state_spec *sp);
void socind__prev_free(struct socind__prev *p);
int32_t socind__prev_merge(socind_state *into, const socind_state *from);
void socind__prev_info(const socind_state *s, size_t *count, size_t *npsu, size_t *ncells);
int32_t socind__prev_to_bytes(const socind_state *s, void *buf, size_t cap, size_t *len);
int32_t socind__prev_from_bytes(const unsigned char *b, size_t len, socind_state **out);

/* ---- the byte format (state_bytes.c) ---- */
/* CRC-32 (IEEE 802.3, zlib's crc32) of n bytes, continuing from crc (0 to
 * start). */
uint32_t socind__crc32(uint32_t crc, const unsigned char *p, size_t n);

#endif /* SOCIND_STATE_INTERNAL_H */
