/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/internal.h — private declarations shared by the library's modules. */
#ifndef SOCIND_INTERNAL_H
#define SOCIND_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "socind/socind.h"

/* ---- errors: record a detail message for this thread, return status ---- */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int32_t
socind__fail(int32_t status, const char *fmt, ...);
/* The same, naming row `row` of the caller's arrays (socind_last_error_row). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int32_t
socind__fail_row(int32_t status, size_t row, const char *fmt, ...);
/* What a message about a negative calibrated weight advises (linear
 * calibration can make weights negative; the bounded logit distance and
 * raking cannot). */
#define SOCIND__CAL_POSITIVE_HINT                                                                  \
    "(logit calibration with bounds L >= 0, or raking calibration, keeps every weight >= 0)"
/* Clears the thread's detail message (called on entry of public functions). */
void socind__clear_detail(void);
/* This thread's detail message and row, kept to be put back (on another
 * thread: the domains' threads, parallel.c). */
typedef struct {
    char text[512];
    int64_t row;
} socind__detail;
void socind__detail_save(socind__detail *d);
void socind__detail_restore(const socind__detail *d);
/* Whether this thread has a detail message or row. */
int socind__detail_set(void);
/* The start of an _init function of a struct whose first member is its
 * size_t size: clears the detail, refuses NULL (SOCIND_ERR_NULL, naming
 * what), zeroes the struct's bytes and sets size. */
static inline int32_t socind__init_sized(void *p, size_t size, const char *what) {
    socind__clear_detail();
    if (!p) return socind__fail(SOCIND_ERR_NULL, "%s is NULL", what);
    memset(p, 0, size);
    memcpy(p, &size, sizeof size);
    return SOCIND_OK;
}

/* The size rule of a caller's size-prefixed struct p (its first member the
 * size_t size) that the library reads: size at least v1 (where the struct's
 * first version ends) and at most 4096; beyond `known` (this library's
 * sizeof) the bytes up to size must be zero: fields of a later version that
 * this library does not know may not be set, so that no setting is ignored
 * (docs/abi.md). SOCIND_OK, or SOCIND_ERR_OPTIONS naming the type and its
 * _init function. */
int32_t socind__check_sized(const void *p, size_t v1, size_t known, const char *type);
/* The size of a caller's size-prefixed output struct p that the library may
 * write: at least v1 and at most 4096 (else 0); min(size, known). Fields
 * after v1 are written only when they lie within it. */
size_t socind__sized_extent(const void *p, size_t v1, size_t known);
/* socind_growth_input's size rule and its reserved field (0); growth.c. */
int32_t socind__growth_input_check(const socind_growth_input *in);

/* ---- test switches ----
 * Thread-local variables through which a test forces a path (the histogram
 * of a relative quantile line, the C library's exp(), a sort for
 * quantiles …) or reads which path ran. They exist only in the library the
 * tests link, compiled with SOCIND_TESTING (CMake's socind_testing, never
 * installed). In the installed libraries each switch is the constant 0 and
 * a recorded path goes nowhere, so that their only mutable state is the
 * per-thread error detail (status.c); scripts/test-all.sh checks their
 * thread-local symbols.
 *  SOCIND__TEST_SWITCH(name);         declares one (in this header)
 *  SOCIND__TEST_SWITCH_DEFINE(name);  defines it (in one .c, at file scope)
 *  SOCIND__TEST_RECORD(name, value);  sets it from the library */
#ifdef SOCIND_TESTING
#define SOCIND__TEST_SWITCH(name) extern _Thread_local int name
#define SOCIND__TEST_SWITCH_DEFINE(name) _Thread_local int name
#define SOCIND__TEST_RECORD(name, value) ((void)((name) = (value)))
#else
#define SOCIND__TEST_SWITCH(name) enum { name = 0 }
#define SOCIND__TEST_SWITCH_DEFINE(name)                                                           \
    _Static_assert(name == 0, #name " is a test switch: 0 outside the tests")
#define SOCIND__TEST_RECORD(name, value) ((void)0)
#endif

/* ---- functions specialised by inlining ----
 * SOCIND__SPECIALISED marks a static function whose callers pass constants
 * (an estimator, whether there are domains …) so that each call compiles
 * into its own loop, branches folded. In the builds instrumented for the
 * sanitizers or coverage (SOCIND_INSTRUMENTED, set by CMake for
 * SOCIND_SANITIZE, SOCIND_TSAN, SOCIND_COVERAGE and SOCIND_FUZZ) the
 * function is compiled once, out of line, the constants passed at run
 * time: the same source lines run and are checked, and instrumenting a
 * hundred inlined copies takes minutes (state_threads.c under GCC's ASan,
 * UBSan and gcov: 280 s against 3.1 s). */
#if defined(SOCIND_INSTRUMENTED) && defined(__GNUC__)
#define SOCIND__SPECIALISED static __attribute__((noinline))
#elif defined(__GNUC__)
#define SOCIND__SPECIALISED static inline __attribute__((always_inline))
#else
#define SOCIND__SPECIALISED static inline
#endif

/* ---- compensated (Neumaier) summation ----
 * Each addition's rounding error, found exactly by Knuth's TwoSum (the
 * same error as Neumaier's branch on |s| >= |x| gives, without the branch,
 * which mispredicts where the running sum hovers about 0), is gathered in c. */
typedef struct {
    double s, c;
} socind__ksum;
static inline void socind__kadd(socind__ksum *k, double x) {
    const double t = k->s + x, xv = t - k->s;
    k->c += (k->s - (t - xv)) + (x - xv);
    k->s = t;
}
/* Adds the compensated sum x (its value and its gathered errors) to k. */
static inline void socind__kmerge(socind__ksum *k, socind__ksum x) {
    socind__kadd(k, x.s);
    socind__kadd(k, x.c);
}
static inline double socind__kval(const socind__ksum *k) {
    return k->s + k->c;
}
/* ---- GE(θ) near θ = 0 and θ = 1, Atkinson(ε) near ε = 1 ----
 * (x^θ − 1)/(θ² − θ) loses its digits as θ nears 0 (x^θ − 1 ≈ θ·log x is
 * formed as the difference of numbers near 1) and its sum over the rows as θ
 * nears 1 (Σw(x^θ − 1) ≈ Σw(x − 1) = 0 cancels): GE(1e−16) came out 1.11
 * for 0.03, GE(1 + 1e−15) −0.10, Atkinson(1 − 1e−15) −0.11 (convey's
 * formulas do the same). Within SOCIND__GE_NEAR of them (θ = 0 and 1
 * themselves have their own forms) the row terms are taken as
 *   form 1, near 0:  expm1(θ·log y)        (Σw·y^θ = Σw + their sum),
 *   form 2, near 1:  y·expm1((θ − 1)·log y) (Σw·y^θ = Σw·y + their sum),
 * exact to rounding, and the figures formed from them without the
 * differences (lib/inequality.c in memory, lib/state.c from the totals);
 * Atkinson(ε) near 1 is form 1 at θ = 1 − ε. The band is narrow so that
 * |θ·log y| stays small for incomes of any usual size (the state's sums are
 * of the incomes as given). */
#define SOCIND__GE_NEAR 0.01
/* Below 2^−300 in |θ| GE(θ) is the MLD to the last digit (they differ by
 * O(θ)), while θ·log y and θ(θ − 1) would lose their digits as subnormals
 * (GE(5e−324) came out 1.2 % off): such a θ is taken as 0, in memory and
 * in a state's spec. */
#define SOCIND__GE_TINY 0x1p-300
static inline double socind__ge_theta(double th) {
    return fabs(th) < SOCIND__GE_TINY ? 0.0 : th;
}
static inline int socind__ge_form(double th) {
    if (th != 0.0 && fabs(th) < SOCIND__GE_NEAR) return 1;
    if (th != 1.0 && fabs(th - 1.0) < SOCIND__GE_NEAR) return 2;
    return 0;
}

/* A pair's value where its sum may have left the doubles: ±Inf (its error
 * term is then NaN), else s + c. */
static inline double socind__pair_value(double s, double c) {
    return isinf(s) ? s : s + c;
}
/* (ah + al) − (bh + bl) of two pairs, the heads subtracted first: exact
 * where bh is at least half of ah (Sterbenz), so that the complement of a
 * part (Σw − Σw·x, Σw·x the rows' 0/1 share of Σw) keeps its digits
 * however near the part is to the whole. */
static inline double socind__pair_diff(double ah, double al, double bh, double bl) {
    return (ah - bh) + (al - bl);
}
/* a + b of two compensated sums. */
static inline socind__ksum socind__ksum_plus(socind__ksum a, socind__ksum b) {
    socind__kmerge(&a, b);
    return a;
}
/* A proportion of 0/1 values (FGT0, the decompositions' P0, the poverty
 * profile's shares) this near 1, or nearer, takes its PSU terms from the
 * complement's sums: with Σw·x and Σw summed per PSU in doubles, Σw·x −
 * P·Σw loses 1/(1 − P) of its digits, 6 bits at this distance. The
 * one-thread loops and the threads' pass run again summing Σw·(1 − x)
 * instead (poverty.c, state_threads.c), a pass more only there; a
 * proportion's own loops always sum it (totals.c), as states do (their
 * pairs keep it: state.c cell_z, finish_profile). */
#define SOCIND__NEAR_ONE (1.0 / 64.0)
/* Whether a share X/W (W the weight, X the 0/1 column's Σw·x) is within
 * SOCIND__NEAR_ONE of 1: the test the passes over states run, by range or
 * by domain, before they run again on the complement. */
static inline int socind__near_one(double W, double X) {
    return W > 0.0 && X > (1.0 - SOCIND__NEAR_ONE) * W;
}

/* Whether a PSU's sums (a, b) of a ratio's numerator and denominator are
 * the domain's whole finite totals (A, B) — a domain in one PSU: the
 * ratio's linearized PSU total (a − (A/B)·b)/B is then exactly 0, where
 * rounding would leave about 1e−17 (in memory: totals.c, poverty.c
 * ratio_vec; from states: state.c cell_z and finish_profile). A NaN
 * total never matches. */
static inline int socind__holds_totals(double a, double b, double A, double B) {
    return isfinite(A) && isfinite(B) && a == A && b == B;
}

/* ---- a PSU's run of consecutive rows ----
 * Row loops keep a PSU's sums in plain doubles (registers) while its rows
 * follow one another, and add each plain sum to a compensated one
 * (socind__kadd(&k, s), s = 0) after at most SOCIND__FOLD_ROWS rows (every
 * SOCIND__FOLD_ROWS rows of the run, or of the loop: FGT and Watts, which
 * test no counter a row); the run's value goes to the PSU when the PSU
 * changes (socind__fold_value). A PSU of any length whose rows are
 * consecutive is then summed within (SOCIND__FOLD_ROWS − 1)·2^−53 of its
 * terms' magnitudes (a plain sum: (m − 1)·2^−53 for m rows), as the partial
 * states' loops do (state_threads.c); the runs of a PSU whose rows are
 * interleaved with others' add to its total in plain doubles. */
#define SOCIND__FOLD_ROWS 256
/* The run's sum: its folded blocks k and the plain sum s of its rows since;
 * k is emptied (the caller clears s). A run never folded, the usual one, is
 * its plain sum: what folding it into the zero pair gives. */
static inline double socind__fold_value(socind__ksum *k, double s) {
    if (__builtin_expect(k->s == 0.0 && k->c == 0.0, 1)) return s;
    socind__kadd(k, s);
    const double v = socind__kval(k);
    *k = (socind__ksum){0, 0};
    return v;
}

/* ---- options ---- */
/* Resolves user options (NULL = defaults) into *out, validating them. */
int32_t socind__resolve_options(const socind_options *in, socind_options *out);

/* ---- a hash map from (int64, int64) keys to dense int32 ids (idmap.c) ----
 * Open addressing with linear probing in a power-of-two table kept below
 * half full; keys are added, never removed. The design maps its strata and
 * PSUs with it, socind_codes its labels. */
typedef struct {
    size_t cap;   /* slots: a power of two (0 for a map not yet made) */
    size_t count; /* keys held */
    int64_t *k1, *k2;
    int32_t *val; /* the id of the slot's key; −1 = empty slot */
} socind__idmap;
/* An empty map with room for `expected` keys before it grows: 1, or 0 when
 * out of memory (m then holds nothing; socind__idmap_free accepts it). */
int socind__idmap_init(socind__idmap *m, size_t expected);
/* Frees the tables and zeroes *m; accepts a zeroed map. */
void socind__idmap_free(socind__idmap *m);
static inline uint64_t socind__mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}
/* The slot holding (a, b), or the empty slot where it belongs
 * (m->val[slot] < 0). */
static inline size_t socind__idmap_slot(const socind__idmap *m, int64_t a, int64_t b) {
    size_t mask = m->cap - 1;
    size_t i =
        (size_t)socind__mix64((uint64_t)a * 0x9e3779b97f4a7c15ULL ^ socind__mix64((uint64_t)b)) &
        mask;
    while (m->val[i] >= 0 && (m->k1[i] != a || m->k2[i] != b)) i = (i + 1) & mask;
    return i;
}
/* Adds (a, b) → id at `slot`, the empty slot socind__idmap_slot returned
 * for it, then doubles the table and rehashes every key when it is half
 * full. 1, or 0 when out of memory (the key is kept, the table not grown:
 * free the map). */
int socind__idmap_add(socind__idmap *m, size_t slot, int64_t a, int64_t b, int32_t id);

/* ---- a compact set of (int64, int64) keys numbered 0, 1, … in the order
 * they are added (idmap.c), for the design's strata and PSUs ----
 * The keys sit in arrays indexed by id (k1, and k2 for pairs), so a key
 * costs 8 or 16 bytes plus its share of the table. While keys come in
 * increasing order (by k2, then k1: a file sorted by stratum and PSU), they
 * form a sorted prefix found by binary search and touch no table; the first
 * key out of order closes the prefix, and it and every later key go to an
 * open-addressing table of int32 ids (linear probing, a power of two kept
 * at most half full). The range of the keys held lets a lookup of a key
 * outside it fail at once. Keys are added, never removed. */
typedef struct {
    size_t count;               /* keys held (ids 0 .. count − 1) */
    size_t room;                /* length of k1 (and k2) */
    size_t sorted;              /* ids [0, sorted): increasing keys, not in the table */
    int hashed;                 /* 1 once a key went to the table (the prefix is closed) */
    size_t cap;                 /* table slots (0: no table) */
    uint64_t *slot;             /* cap slots: 0 = empty, else the key's tag (the
                                   hash's high 32 bits, whose low bits are the
                                   home slot) << 32 | its id + 1 */
    int64_t *k1, *k2;           /* the key of each id; k2 NULL for single keys (b = 0) */
    int64_t lo1, hi1, lo2, hi2; /* the range of the keys held (count > 0) */
} socind__keyset;
/* An empty set (pairs: keys are pairs, else b is always 0): 1, or 0 when out
 * of memory (the set then holds nothing; socind__keyset_free accepts it). */
int socind__keyset_init(socind__keyset *s, int pairs);
/* Room for `room` keys in one allocation (on huge pages where offered),
 * so that a set about to take that many keys neither copies its arrays as
 * they double nor faults them in a small page at a time. Best effort: when
 * the memory cannot be had the set keeps its room and grows as keys come
 * (socind__keyset_put), as without it. */
void socind__keyset_reserve(socind__keyset *s, size_t room);
/* Frees the arrays and zeroes *s; accepts a zeroed set. */
void socind__keyset_free(socind__keyset *s);
/* Frees the table only: later lookups are wrong; the keys stay readable. */
void socind__keyset_drop_table(socind__keyset *s);
/* the tag of (a, b): 32 bits of its hash; tag & (cap − 1) is its home slot */
static inline uint32_t socind__keyset_tag(int64_t a, int64_t b) {
    return (
        uint32_t)(socind__mix64((uint64_t)a * 0x9e3779b97f4a7c15ULL ^ socind__mix64((uint64_t)b)) >>
                  32);
}
/* 1 when (a, b) comes after the key of id i: by b, then a */
static inline int socind__keyset_after(const socind__keyset *s, size_t i, int64_t a, int64_t b) {
    int64_t bi = s->k2 ? s->k2[i] : 0;
    return b > bi || (b == bi && a > s->k1[i]);
}
/* The id of (a, b), or −1 when the set does not hold it. */
static inline int32_t socind__keyset_find(const socind__keyset *s, int64_t a, int64_t b) {
    if (s->count == 0 || a < s->lo1 || a > s->hi1 || b < s->lo2 || b > s->hi2) return -1;
    if (s->sorted > 0 && !socind__keyset_after(s, s->sorted - 1, a, b)) {
        size_t lo = 0, hi = s->sorted; /* the first id whose key is not before (a, b) */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (socind__keyset_after(s, mid, a, b))
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < s->sorted && s->k1[lo] == a && (s->k2 ? s->k2[lo] : 0) == b) return (int32_t)lo;
    }
    if (s->cap == 0) return -1;
    const uint32_t tag = socind__keyset_tag(a, b);
    size_t mask = s->cap - 1, i = tag & mask;
    for (uint64_t e; (e = s->slot[i]) != 0; i = (i + 1) & mask) {
        if ((uint32_t)(e >> 32) != tag) continue;
        int32_t id = (int32_t)((uint32_t)e - 1);
        if (s->k1[id] == a && (s->k2 ? s->k2[id] : 0) == b) return id;
    }
    return -1;
}
/* Asks the processor for the table slot where (a, b) would be looked up
 * (a hint, for a key met soon: no effect on what the set holds). */
static inline void socind__keyset_prefetch(const socind__keyset *s, int64_t a, int64_t b) {
    if (!s->cap) return;
    const uint64_t *slot = &s->slot[socind__keyset_tag(a, b) & (s->cap - 1)];
#if defined(__GNUC__) && defined(__x86_64__)
    /* GCC 12 drops a __builtin_prefetch it inlines into pass 1's loop */
    __asm__ volatile("prefetcht0 %0" : : "m"(*slot));
#elif defined(__GNUC__)
    __builtin_prefetch(slot);
#else
    (void)slot;
#endif
}
/* The id of (a, b), added when new (*added = 1, else 0); −1 when out of
 * memory (the set is unchanged and may be freed or used on). */
int32_t socind__keyset_put(socind__keyset *s, int64_t a, int64_t b, int *added);

/* For tests (codes.c): nonzero makes the calling thread's string labels
 * hash to their length, so that distinct labels collide. */
SOCIND__TEST_SWITCH(socind__codes_weak_hash);

/* socind_round2 over 256 values at once, bit for bit (growth.c). */
void socind__round2_block(const double *x, double *r);
/* For tests (growth.c): the threads the calling thread's last growth
 * z-score call ran on. */
SOCIND__TEST_SWITCH(socind__growth_threads_used);

/* ---- threads (parallel.c) ---- */
/* The threads an options' count asks for: `threads`, 0 = one per online
 * processor; at most SOCIND_MAX_THREADS, at least 1. */
int32_t socind__threads_in_force(int32_t threads);
/* That count for work over n rows when a thread is worth starting for
 * min_rows rows or more (at least 1). */
int32_t socind__threads_over(int32_t threads, size_t n, size_t min_rows);
/* The threads a call over n rows uses for opts' threads (0: one per online
 * processor; at most SOCIND_MAX_THREADS, and one per 65,536 rows:
 * state_threads.c). */
int32_t socind__threads_for(int32_t threads, size_t n);
typedef void (*socind__part_fn)(void *arg, int32_t part);
/* fn(arg, t) for t = 0 .. parts − 1 (at most SOCIND_MAX_THREADS): part 0
 * on the calling thread, the others on threads of their own; a part whose
 * thread cannot be started runs on the calling thread. Returns when every
 * part has: the threads the parts ran on (the calling thread's included). */
int32_t socind__parallel(int32_t parts, socind__part_fn fn, void *arg);
/* For tests: 1 makes every thread socind__parallel would start fail to
 * start, as pthread_create failing would (every part then runs on the
 * calling thread); 2 every second one (parts 1, 3, …), as a system out of
 * threads. */
SOCIND__TEST_SWITCH(socind__parallel_no_thread);
/* For tests: the threads socind__parallel has started from this thread,
 * counted up (a test sets it to 0 and reads it after its calls: whether
 * they started any; tests/test_split.h). */
SOCIND__TEST_SWITCH(socind__threads_started);

/* ---- the design ---- */
/* A calibration a design remembers (calibrate.c; socind/calibrate.h). */
typedef struct socind__cal socind__cal;
struct socind_design {
    size_t n;              /* rows */
    size_t nstrata;        /* strata */
    size_t npsu;           /* PSUs (== n when no PSU column was given) */
    double *w;             /* n weights */
    int32_t *row_psu;      /* n: dense PSU index; PSUs of a stratum are contiguous */
    int32_t *psu_stratum;  /* npsu: stratum of each PSU */
    int32_t *stratum_npsu; /* nstrata: n_h, sampled PSUs in the stratum */
    double *stratum_f;     /* nstrata: sampling fraction f_h (0 without fpc) */
    double *stratum_scale; /* nstrata: (1 − f_h)·n_h/(n_h − 1), or (1 − f_h) if n_h = 1 */
    int64_t *stratum_id;   /* nstrata: the caller's stratum ids (0 if none given) */
    int32_t lonely_psu;    /* SOCIND_LONELY_* */
    int32_t has_psu;       /* 1 if a PSU column was given */
    int32_t has_strata;    /* 1 if a strata column was given */
    int32_t *psu_end;      /* npsu: one past each PSU's last row when each PSU's
                              rows are consecutive (files sorted by PSU), else NULL */
    double df;             /* PSUs − strata over rows with non-zero weight */
    socind__cal *cal;      /* NULL, or the calibration: then every row is its own
                              unit (npsu = n, row_psu a permutation, psu_stratum
                              per unit, psu_end NULL), n_h, df and the strata are
                              the design's, and the variance engine residualises
                              the units' totals and sums them into the PSUs */
    /* replicate weights (replicate.c), or NULL: the design's own, freed with
       it; in a view (rep_view = 1) the design it views' */
    struct socind__rep *rep;
    int32_t rep_view; /* 1: a view an estimator runs on for a replicate design
                         (the full sample, rep kept, or one replicate, rep NULL;
                         the arrays are the viewed design's: never freed) */
    /* the full-sample view of a replicate design whose factors are per PSU:
       where an estimator finishes a partial state (state_threads.c), it may
       fill every replicate's estimates (θ_r of estimate j at
       rep_theta[r·rep_count + j]) from the one state and set *rep_filled;
       the loop then runs no replicate pass. NULL elsewhere. */
    double *rep_theta;
    size_t rep_count;
    int32_t *rep_filled;
};

/* Whether stratum h of d is lonely: one sampled PSU that is not the
 * stratum's whole population (R's survey: n_h < 2 and N_h > 1). A single
 * PSU with f_h = 1 (fpc N_h = 1, or a fraction of 1) is a certainty PSU: its
 * factor 1 − f_h is 0, and no lonely-PSU policy applies to it (FAIL does
 * not refuse it; AVERAGE counts it among the strata, not the lonely ones). */
static inline int socind__stratum_lonely(const struct socind_design *d, size_t h) {
    /* (survey's onestrat: a stratum whose 1 − f_h is below 1e−7 is
       self-representing, whatever its policy) */
    return d->stratum_npsu[h] < 2 && !(1.0 - d->stratum_f[h] < 1e-7);
}
/* The PSUs of a calibrated design (not its units). */
size_t socind__cal_npsu(const socind_design *d);
/* The design a calibrated design was made from (its rows, PSUs and strata). */
const socind_design *socind__cal_base(const socind_design *d);
void socind__cal_free(socind__cal *c);

/* ---- replicate designs (replicate.c) ----
 * Every estimator that takes a design starts with SOCIND__REPLICATED: on a
 * replicate design it runs itself on the full sample (a view of the design
 * whose df is degf, rep kept so that socind_quantile finds it) and on each
 * replicate (a view whose weights are w_r), and combines the estimates by
 * svrVar. call is the estimator's own call with SOCIND__RV for the design
 * and SOCIND__RO for out; count the estimates out holds; prop a bitmask of
 * the parts k (k = index % parts) that are proportions (their interval
 * follows opts->prop_ci). The estimate is run R + 1 times through the same
 * code: no estimator has a second path. */
typedef struct {
    const socind_design *d;
    socind_design view;
    socind_estimate *out, *tmp;
    size_t count;
    int32_t filled; /* the full-sample pass filled theta (partial states) */
    long r;         /* −1: the full sample; 0 .. R − 1: replicate r; R: done */
    double *theta, *wbuf;
    double *df; /* count: each estimate's df (socind__rep_domain_df), or NULL */
    /* count flags, or NULL: which estimates are proportions, where a
       bitmask of parts cannot say (the prevalence table's rows) */
    const uint8_t *prop_rows;
    int32_t st;
} socind__reploop;
void socind__rep_begin(socind__reploop *l, const socind_design *d, socind_estimate *out,
                       size_t count);
int socind__rep_next(socind__reploop *l);
int32_t socind__rep_end(socind__reploop *l, const socind_options *opts, uint32_t prop,
                        int32_t parts);
#define SOCIND__RV (&rl_.view)
#define SOCIND__RO (rl_.r < 0 ? rl_.out : rl_.tmp)
#define SOCIND__REPLICATED(d, out, count, opts, prop, parts, call)                                 \
    SOCIND__REPLICATED_THEN(d, out, count, opts, prop, parts, call, (void)0)
/* The loop of SOCIND__REPLICATED with `then` run (on rl_) after the passes
 * and before the variances are combined. */
#define SOCIND__REPLICATED_THEN(d, out, count, opts, prop, parts, call, then)                      \
    do {                                                                                           \
        if ((d) && (d)->rep && !(d)->rep_view) {                                                   \
            socind__reploop rl_;                                                                   \
            for (socind__rep_begin(&rl_, (d), (out), (count)); socind__rep_next(&rl_);)            \
                rl_.st = (call);                                                                   \
            then;                                                                                  \
            return socind__rep_end(&rl_, (opts), (prop), (parts));                                 \
        }                                                                                          \
    } while (0)
/* The same for an estimator whose interval in R takes each domain's own
 * degf (svyciprop, svyquantile's interval.type = "quantile"): svyby hands
 * it rd[domain, ], whose degf [.svyrep.design recomputes; y not NULL: on
 * the rows with y given (svyquantile's na.rm subsets again). One estimate
 * a domain. */
#define SOCIND__REPLICATED_DOMAIN_DF(d, out, count, opts, prop, y, group, n_groups, call)          \
    SOCIND__REPLICATED_THEN(d, out, count, opts, prop, 1, call,                                    \
                            socind__rep_domain_df(&rl_, (y), (group), (n_groups)))
/* l->df[j]: the df of domain j (group NULL: every row) of l's design, the
 * rank − 1 of the analysis weights on its rows of weight > 0 (and y given,
 * y not NULL) by socind__rep_rows_degf; the design's degf for a domain
 * without such rows. Sets l->st on failure (NOMEM) unless set. */
void socind__rep_domain_df(socind__reploop *l, const double *y, const int32_t *group,
                           int32_t n_groups);
/* The view of replicate design d's full sample (degf as df, rep kept) in
 * *v, for an estimator that computes its replicate interval itself
 * (socind_quantile). */
void socind__rep_full_view(const socind_design *d, socind_design *v);
/* Replicate design d's factor of PSU p in replicate r (per-PSU factors). */
double socind__rep_factor(const socind_design *d, size_t r, int32_t p);
/* Frees a design's replicate part (NULL accepted). */
void socind__rep_free(struct socind__rep *rep);

/* For tests (design.c): nonzero sets the fewest rows socind_design_new
 * gives a thread (else 32768), so that small designs run in several chunks. */
SOCIND__TEST_SWITCH(socind__design_chunk_rows);

/* The design over rows[0 .. m) of d (row i of the new design is row rows[i]
 * of d), as socind_design_new() would build it from those rows' weights,
 * strata and PSU ids with d's options: strata and PSUs without a kept row
 * vanish, n_h, the lonely strata and df are counted again over the kept
 * rows, strata and PSUs are numbered by first appearance as a new design
 * numbers them, has_psu and has_strata are d's, and each stratum keeps d's
 * sampling fraction f_h (an fpc given as population counts is not divided
 * by the new n_h). Returns SOCIND_OK and *out, or SOCIND_ERR_EMPTY (m = 0),
 * SOCIND_ERR_ZERO_WEIGHTS (every kept weight is 0), SOCIND_ERR_LONELY_PSU
 * (policy FAIL and a stratum left with one PSU; the row named is d's row),
 * SOCIND_ERR_NOMEM; *out is NULL on failure. Cost O(m + d's PSUs + strata). */
int32_t socind__design_subset(const socind_design *d, const int32_t *rows, size_t m,
                              socind_design **out);

/* The PSUs a domain touches: list[0 .. n) in the order they were added,
 * mark[p] = 1 exactly for them (both npsu long). */
typedef struct {
    unsigned char *mark;
    int32_t *list;
    size_t n;
} socind__psuset;
static inline void socind__psuset_add(socind__psuset *s, int32_t p) {
    if (!s->mark[p]) {
        s->mark[p] = 1;
        s->list[s->n++] = p;
    }
}
/* Empties the set (O(n)). */
static inline void socind__psuset_clear(socind__psuset *s) {
    for (size_t t = 0; t < s->n; t++) s->mark[s->list[t]] = 0;
    s->n = 0;
}
/* Puts the list in ascending order in O(n) (insertion sort for a few, the
 * marks read in order when it holds an eighth of the npsu PSUs or more,
 * else a radix sort by bytes through tmp, npsu long). */
void socind__psuset_sort(socind__psuset *s, size_t npsu, int32_t *tmp);

typedef struct socind__calwork socind__calwork; /* calibrate.c */
/* Per-call work space for turning per-PSU totals into a variance, one domain
 * at a time. acc holds m accumulators per PSU; callers add into
 * acc[p*m + j] for the PSUs of one domain (adding them to touched with
 * socind__touch), then store each touched PSU's total z in acc[p*m] and
 * call socind__work_variance, which also resets the touched entries. */
typedef struct {
    const socind_design *d;
    int32_t m;
    double *acc;            /* npsu * m, zero between domains */
    socind__psuset touched; /* the PSUs of the current domain */
    socind__ksum *hsum;     /* nstrata: compensated sums (below) */
    socind__ksum *hq;       /* nstrata */
    int32_t *hcount;        /* nstrata: touched PSUs per stratum */
    int32_t *hlist;         /* present strata of the current domain */
    int full;               /* the domain rule FULL (common.h): every stratum
                               counts; else SUBSET, the present strata */
    size_t nlonely;         /* the design's strata with one PSU */
    double lonely_scale;    /* Σ of their scales (1 − f_h) */
    socind__calwork *cw;    /* a calibrated design's residual work (else NULL) */
    int drop_negative;      /* convey's rule on a calibrated design: rows of
                               negative weight give u = 0 (socind/calibrate.h) */
} socind__work;

/* m = 0: the per-stratum arrays only (no acc, no touched), for callers
 * that fill hsum, hq, hcount and hlist themselves and call
 * socind__work_strata_variance. */
int32_t socind__work_init(socind__work *wk, const socind_design *d, int32_t m);
void socind__work_free(socind__work *wk);
static inline double *socind__touch(socind__work *wk, int32_t p) {
    socind__psuset_add(&wk->touched, p);
    return wk->acc + (size_t)p * (size_t)wk->m;
}
/* The rule the work space's variances follow: opts' domain_rule, or dflt
 * (SOCIND_DOMAIN_RULE_SUBSET or _FULL, the estimator's R counterpart's) when
 * that is AUTO. socind__work_init sets SUBSET. */
static inline void socind__work_rule(socind__work *wk, const socind_options *o, int32_t dflt) {
    int32_t r = o->domain_rule == SOCIND_DOMAIN_RULE_AUTO ? dflt : o->domain_rule;
    wk->full = r == SOCIND_DOMAIN_RULE_FULL;
}
/* Variance from z = acc[p*m] over the touched PSUs (see design.h for the
 * formula and the lonely rules); the strata of the touched PSUs are the
 * present ones under the rule SUBSET, every stratum is under FULL (the
 * untouched PSUs' z is 0); resets the work space for the next domain. */
int32_t socind__work_variance(socind__work *wk, double *var);
/* The variance from per-stratum sums of the PSU totals z over the strata
 * hlist[0 .. nh_present) that hold a touched PSU (in the order their sums
 * were made): hsum[h] = Σ z, hq[h] = Σ (z − hsum[h]/n_h)² over the
 * stratum's hcount[h] touched PSUs (the others' z is 0: their part is
 * added here), compensated (Neumaier) sums in the engine and for strata
 * cut or longer than 256 PSUs in the threads' finish (shorter ones there
 * plain, within 255·2^−53 of their terms' magnitudes): within 2^−52 of
 * their value plus n_h·2^−105 of the terms' magnitudes whatever the order
 * (a plain sum of the squares over a stratum of 600,000 PSUs, many of
 * them equal, was off by 3e−12). The lonely rules, the domain rule and the stratum scales as
 * in socind__work_variance, which ends with this; resets those strata's
 * entries. Not for calibrated designs. */
int32_t socind__work_strata_variance(socind__work *wk, size_t nh_present, double *var);
/* Variance of the PSU totals z (npsu values, dense) over the strata marked
 * in present (nstrata flags; NULL = every stratum; the rule FULL takes
 * every stratum whatever present says). */
int32_t socind__work_variance_dense(socind__work *wk, const double *z, const unsigned char *present,
                                    double *var);
/* Resets the work space without computing anything. */
void socind__work_reset(socind__work *wk);
/* A calibrated design's variance (calibrate.c), which socind__work_variance,
 * _dense and _global hand over to: the per-unit totals (from acc on the
 * touched units, or dense, plus Σ coef_i V_i of basis b when b is given)
 * are residualised (socind/calibrate.h), summed into the design's PSUs and
 * put through the stratified variance with every stratum counted. Resets
 * the work space. _init/_free: the work space's part for it. */
struct socind__basis;
int32_t socind__cal_variance(socind__work *wk, const double *dense, const struct socind__basis *b,
                             const double *coef, double *var);
int32_t socind__cal_work_init(socind__work *wk);
void socind__cal_work_free(socind__work *wk);

/* Whole-sample vectors over the PSUs (a relative line's Z, the profile's
 * whole-sample totals) for variances in which every stratum is present:
 * u_p = s_p + Σ_i c_i V_i,p with s the domain's own part, non-zero only on
 * the PSUs it touches. What the vectors contribute on the PSUs a domain does
 * not touch comes from their per-stratum means and centred cross-products,
 * computed once (O(npsu·NBASIS²)), so that one variance costs O(touched
 * PSUs). V[i] NULL is a zero vector. Each vector is kept multiplied by
 * 2^−ex[i] (ex[i] the exponent of its largest |V_i,p|; exact), and a
 * coefficient by 2^ex[i], so that the sums below stay in the double range
 * wherever c_i·V_i does (a profile's N̂ by PSU is of the order of the
 * weights, its coefficient of 1/N̂: their squares leave the range long
 * before the product does). Read-only once built. */
#define SOCIND__NBASIS 3
typedef struct socind__basis {
    const socind_design *d;
    const double *V[SOCIND__NBASIS]; /* V_i·2^−ex[i] (into store), or NULL */
    int ex[SOCIND__NBASIS];
    unsigned char zero[SOCIND__NBASIS]; /* V_i is 0 on every PSU */
    double *store;                      /* the scaled vectors, npsu each */
    double *mean; /* nstrata × NBASIS: V̄_i,h (scaled, as everything below) */
    /* Σ over strata with n_h >= 2 of scale_h·Σ_{p∈h} (V_i,p − V̄_i,h)(V_j,p − V̄_j,h) */
    double M[SOCIND__NBASIS][SOCIND__NBASIS];
    /* the lonely strata's PSUs, each weighted by a_p = scale_h (1 − f_h):
       Σ a, the a-weighted means and centred cross-products */
    double lw, lmean[SOCIND__NBASIS], L[SOCIND__NBASIS][SOCIND__NBASIS];
    double delta[SOCIND__NBASIS]; /* Σ_p V_i,p / npsu − lmean_i */
    size_t nlonely;               /* strata with one PSU */
} socind__basis;
int32_t socind__basis_init(socind__basis *b, const socind_design *d,
                           const double *const V[SOCIND__NBASIS]);
void socind__basis_free(socind__basis *b);
/* The touched PSU totals of wk (its first value of each PSU) scaled by
 * 2^−e so that their squares stay in the double range: e is the largest
 * magnitude's exponent when it lies beyond 2^±SOCIND__SCALE_LIMIT, else 0
 * (and 0 when they are not finite: the variance says so). Values near
 * 1e−160 (a state keeps incomes as given, state.h's "Extremes"; the
 * totals and means of totals.c do not rescale) make PSU totals whose
 * squares fall below the doubles: the SE came out as 0. The product with
 * 2^−e is exact; the variance is then 2^−2e times the PSU totals', and the
 * caller's SE ldexp(sqrt(var), e). Totals whose largest lies below 2^−969
 * have lost bits to the subnormal range (53 below DBL_MIN):
 * SOCIND_ERR_OVERFLOW, with wk reset. */
int32_t socind__work_scale(socind__work *wk, int *e);
/* socind__work_scale's rule for values whose largest magnitude is top: *e
 * the exponent to scale by (0 when top is 0, not finite or within
 * 2^±SOCIND__SCALE_LIMIT); SOCIND_ERR_OVERFLOW when 0 < top < 2^−969. */
int32_t socind__scale_of(double top, int *e);
/* socind__work_variance (…_global) at the PSU totals' scale: var is the
 * variance of the totals times 2^−e (socind__work_scale; the coefficients
 * of the whole-sample vectors scaled alike), the SE ldexp(sqrt(var), e);
 * var NaN and SOCIND_ERR_OVERFLOW where the totals lie below 2^−969. */
int32_t socind__work_variance_at(socind__work *wk, double *var, int *e);
int32_t socind__work_variance_global_at(socind__work *wk, const socind__basis *b,
                                        const double *coef, double *var, int *e);
/* socind__work_variance_dense at the scale of the PSU totals z (the same
 * rule, on a scaled copy when e is not 0). */
int32_t socind__work_variance_dense_at(socind__work *wk, const double *z,
                                       const unsigned char *present, double *var, int *e);

/* var / vsrs · 2^(2·ez) (a design effect from a variance made at scale
 * 2^−ez), NaN unless both are finite and vsrs > 0, and NaN when the sum of
 * squares sq that vsrs came from (Σw·x², or Σw·x of a 0/1 variable) lies
 * below 2^−969: its bits were lost to subnormals (values near 1e−155). */
double socind__deff_of(double var, double vsrs, double sq, int ez);

/* The variance of u = s + Σ_i coef_i V_i over every stratum of the design
 * (as socind__work_variance_dense with present = NULL on the vector written
 * out), s taken from acc[p*m] on the touched PSUs (untouched: 0). Computed
 * as V(g) + V(s) + 2·Cov(g, s), g = Σ coef_i V_i: cᵀMc, the sparse sums over
 * the touched strata, and Σ_touched scale_h (g_p − ḡ_h) s_p (lonely rules:
 * design.h); the rounding error is at most about (m + 8)·2^−53·(V(g) + V(s)),
 * m the most PSUs in a stratum (test_domains checks it). Resets the work
 * space. */
int32_t socind__work_variance_global(socind__work *wk, const socind__basis *b, const double *coef,
                                     double *var);

/* ---- domains: rows grouped by code ---- */
typedef struct {
    int32_t ngroups;
    size_t *start; /* ngroups + 1 offsets into rows (or, with first, into the
                      rows as if grouped: group j has start[j + 1] − start[j]
                      rows), or NULL for "all rows" */
    size_t *rows;  /* row indices ordered by group, or NULL */
    size_t *first; /* when each group's rows are consecutive (a file sorted
                      by domain): group j's first row, and rows is NULL */
    size_t runs;   /* runs of rows of one group (rows of code −1 apart) */
    size_t n;      /* rows in the design */
} socind__groups;

/* Validates group codes and lists each group's rows (group NULL: one domain
 * of all rows, no allocation): as one run from first[j] when every group's
 * rows are consecutive (8 bytes a group, no pass to write an index), else
 * in the row index (8 bytes a row). Either way a group's rows come in row
 * order, so the figures are the same bits. */
int32_t socind__groups_init(socind__groups *g, const int32_t *group, int32_t n_groups, size_t n);
/* socind__groups_init on T threads (each counts, then writes, a share of
 * the rows): the same groups. */
int32_t socind__groups_init_threads(socind__groups *g, const int32_t *group, int32_t n_groups,
                                    size_t n, int32_t T);
void socind__groups_free(socind__groups *g);
/* The largest magnitude of x's non-NaN values (+Inf when one is ±Inf; 0 for
 * n = 0 or all NaN), in one vectorized pass (kernel.c). */
double socind__abs_max(const double *x, size_t n);
/* The first k < n with x[k] = ±Inf, or n (one vectorized pass); *amax
 * (unless amax is NULL) the largest |x[k]| of the finite values before it
 * (NaN left out; 0 if none). */
size_t socind__first_infinite(const double *x, size_t n, double *amax);
static inline size_t socind__group_size(const socind__groups *g, int32_t j) {
    return g->start ? g->start[j + 1] - g->start[j] : g->n;
}
static inline size_t socind__group_row(const socind__groups *g, int32_t j, size_t i) {
    return g->rows ? g->rows[g->start[j] + i] : g->first ? g->first[j] + i : i;
}
/* A domain's rows: rows[0 .. n) when rows is not NULL, else lo .. lo + n − 1;
 * all is 1 for the whole sample (no group column). */
typedef struct {
    const size_t *rows;
    size_t lo, n;
    int all;
} socind__span;
/* The rows of g's largest group (g->n without a group column). */
static inline size_t socind__groups_largest(const socind__groups *g) {
    size_t most = 0;
    for (int32_t j = 0; j < g->ngroups; j++) {
        const size_t m = socind__group_size(g, j);
        most = m > most ? m : most;
    }
    return most;
}
static inline socind__span socind__group_span(const socind__groups *g, int32_t j) {
    socind__span s = {NULL, 0, socind__group_size(g, j), g->start == NULL};
    if (g->rows)
        s.rows = g->rows + g->start[j];
    else if (g->first)
        s.lo = g->first[j];
    return s;
}
static inline size_t socind__span_row(socind__span s, size_t i) {
    return s.rows ? s.rows[i] : s.lo + i;
}
/* For tests (design.c): nonzero lists consecutive groups' rows in the row
 * index too. */
SOCIND__TEST_SWITCH(socind__groups_always_index);
/* The domains of a call on T threads (parallel.c): fn(arg, t, j) for every
 * domain j of g, thread t (0: the calling thread) taking the next domain,
 * the largest first, whenever it is done with one. fn writes domain j's
 * estimates only, with thread t's own work space, so each domain's figures
 * are those of a loop over the domains on one thread, bit for bit. After a
 * status other than SOCIND_OK no thread takes another domain. Returns
 * g->ngroups when every fn succeeded, else the lowest domain not done; the
 * caller runs the loop from there on the calling thread again, which makes
 * its status and error detail (kept per thread) those of the one-thread
 * loop. */
/* socind__domains_parallel with a work space per thread: up to TD spaces of
 * size bytes, each made by make(space, arg) (zeroed first; a failed one is
 * dropped and the threads made so far take the domains, the caller's
 * detail message as it was), fn(arg, space, j) for the domains, every
 * space dropped after. Returns where the calling thread's loop starts, as
 * socind__domains_parallel (0 when fewer than two spaces could be made). */
typedef int32_t (*socind__space_make)(void *space, void *arg);
typedef void (*socind__space_drop)(void *space);
typedef int32_t (*socind__space_fn)(void *arg, void *space, int32_t j);
int32_t socind__domains_on_spaces(int32_t TD, const socind__groups *g, size_t size,
                                  socind__space_make make, socind__space_drop drop,
                                  socind__space_fn fn, void *arg);
/* For tests: the threads the last threaded call on this thread split over
 * (its rows through partial states, its domains, or a Gini's rows). */
SOCIND__TEST_SWITCH(socind__threads_ran);
typedef int32_t (*socind__domain_fn)(void *arg, int32_t t, int32_t j);
/* The threads that take the domains of a call over n rows for T asked and
 * G domains, a thread's work space being clone_bytes: at most G, and no
 * more than keep the threads beyond the first within 16 bytes a row
 * (two at least). */
static inline int32_t socind__domain_threads(int32_t T, int32_t G, size_t n, double clone_bytes) {
    int32_t t = T < G ? T : G;
    const double most = 1.0 + 16.0 * (double)n / (clone_bytes > 1.0 ? clone_bytes : 1.0);
    if (t > 2 && (double)t > most) t = most > 2.0 ? (int32_t)most : 2;
    return t;
}
int32_t socind__domains_parallel(int32_t T, const socind__groups *g, socind__domain_fn fn,
                                 void *arg);

/* ---- the estimator frame (estimator.c) ----
 * The order every estimator by domain checks its arguments in (estimator.c
 * lists it): socind__frame_begin makes out's `count` estimates NaN with
 * SOCIND_ERR_NULL (out NULL: SOCIND_ERR_NULL, none written) and refuses a
 * NULL design or a NULL args[i].ptr naming it; the estimator then checks
 * its own arguments; socind__frame_domains resolves the options into o,
 * checks the group codes and lists the domains' rows in grp;
 * socind__frame_end(f, st, used, what) turns a successful call that used
 * no row into SOCIND_ERR_EMPTY ("every <what> is missing", naming weights
 * of 0 when a domain's rows all weigh 0), leaves out NaN
 * with the status of a failing call, frees grp and returns the status.
 * Call it whatever the others returned. */
typedef struct {
    const void *ptr;
    const char *name;
} socind__arg;
typedef struct {
    const socind_design *d;
    socind_estimate *out;
    size_t count;
    socind_options o;
    socind__groups grp;
} socind__frame;
/* The number of domains: n_groups with a group column (at least 1), else 1. */
static inline int32_t socind__ndomains(const int32_t *group, int32_t n_groups) {
    return group ? (n_groups > 0 ? n_groups : 1) : 1;
}
int32_t socind__frame_begin(socind__frame *f, socind_estimate *out, size_t count,
                            const socind_design *d, const socind__arg *args, int nargs);
int32_t socind__frame_domains(socind__frame *f, const int32_t *group, int32_t n_groups,
                              const socind_options *opts);
int32_t socind__frame_end(socind__frame *f, int32_t st, int64_t used, const char *what);
/* The rows estimates e[0], e[stride], … (count of them) used, for
 * socind__frame_end: a domain without an estimate (SOCIND_ERR_EMPTY_DOMAIN,
 * whose rows, zero weights alone, its n counts) counts none. */
int64_t socind__rows_used(const socind_estimate *e, size_t count, size_t stride);
/* The end of the no-usable-row message where rows were there, every one
 * of weight 0 */
#define SOCIND__WEIGHTLESS ", or every row with one weighs 0"
/* Every one of the frame's estimates NaN with status st. */
void socind__frame_nan(socind__frame *f, int32_t st);
/* An estimate its domain's data leave undefined (an empty domain, a ratio
 * without denominator): NaN with status, and n, weight_sum and df given. */
void socind__estimate_undefined(socind_estimate *e, int32_t status, int64_t n, double weight_sum,
                                double df);

/* ---- exact rescaling by powers of 2 ----
 * Scale-free estimators (inequality measures, poverty measures against a
 * line in the incomes' currency) work on incomes multiplied by 2^−e when the
 * largest magnitude m they read lies beyond 2^±SOCIND__SCALE_LIMIT, e = the
 * exponent of m (m·2^−e in [0.5, 1)): their sums, squares and products then
 * stay inside the double range, and the result is that of the unscaled
 * arithmetic (a total in currency is multiplied back by 2^e). Within the
 * limits nothing is scaled: those sums are far from the range. */
#define SOCIND__SCALE_LIMIT 200
/* The exponent of m (frexp), 0 for m = 0 or not finite. */
static inline int socind__exponent(double m) {
    int e = 0;
    if (m != 0.0 && isfinite(m)) frexp(m, &e);
    return e;
}
/* The exponent by which values whose largest magnitude is m are scaled: m's
 * exponent when it lies beyond ±SOCIND__SCALE_LIMIT, else 0. */
static inline int socind__scale_exponent(double m) {
    int e = socind__exponent(m);
    return e > SOCIND__SCALE_LIMIT || e < -SOCIND__SCALE_LIMIT ? e : 0;
}
/* x·2^−e for n doubles, the i-th at byte offset i·sstride from src (a column,
 * sstride = sizeof(double), or a field of an array of structs), written at
 * i·dstride from dst (dst may be src); |e| <= 1074 (the exponents of
 * doubles, and their negatives). A product with a power of 2 is rounded
 * once, as ldexp() rounds it: exact unless it falls below DBL_MIN (more than
 * 2^1021 below m when e is m's exponent) or overflows. */
static inline void socind__scale_pow2(void *dst, size_t dstride, const void *src, size_t sstride,
                                      size_t n, int e) {
    /* one factor 2^−e where it is a double (normal or subnormal: e >= −1023
       .. e <= 1074), else two (the first scales up without rounding) */
    double f1 = 1.0, f2;
    if (e < -1023) {
        f1 = 0x1p1023;
        f2 = ldexp(1.0, -e - 1023);
    } else {
        f2 = ldexp(1.0, -e);
    }
    const unsigned char *s = src;
    unsigned char *d = dst;
    for (size_t i = 0; i < n; i++) {
        double v;
        memcpy(&v, s + i * sstride, sizeof v);
        v = v * f1 * f2;
        memcpy(d + i * dstride, &v, sizeof v);
    }
}

/* ---- sorting ---- */
/* Order-preserving integer image of a double (NaN excluded by the caller):
 * a < b as doubles iff key(a) < key(b) as integers. */
static inline uint64_t socind__order_key(double v) {
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    /* without a branch: ~b for negatives, b with the sign bit for the rest */
    return b ^ ((uint64_t)((int64_t)b >> 63) | 0x8000000000000000ULL);
}

/* Relative quantile lines (poverty.c), for tests: nonzero forces the
 * histogram path; the path the calling thread's last line took (1: the
 * sample's bracket and one pass, 2: the histogram). */
SOCIND__TEST_SWITCH(socind__qline_force_histogram);
SOCIND__TEST_SWITCH(socind__qline_path);
/* For tests (poverty.c): nonzero makes the calling thread's poverty
 * estimates by domain use the dense per-domain vectors over every PSU (the
 * computation before the sparse one; O(groups × PSUs)), as a reference. */
SOCIND__TEST_SWITCH(socind__poverty_dense);

/* For tests (replicate.c): nonzero makes the calling thread's replicate
 * designs compute their degf by the general computation (Householder
 * reflections on the PSUs' or the rows' weights, O(rows·R·rank)), even
 * when the factors have the one-deletion form (JK1, JKn) that the
 * O(PSUs·R) and O(R·(PSUs + H²)) computations handle. */
SOCIND__TEST_SWITCH(socind__rep_degf_general);
/* Set by replicate.c to the degf computation that ran: 1 the O(PSUs·R) one,
 * 2 the general one, 3 the O(R·(PSUs + H²)) one of strata; on a subset's
 * rows (socind__rep_rows_degf) from the columns' forms, 4 the Schur
 * complements on its strata in double, 6 in long double, 5 qr_rank on its
 * PSUs. */
SOCIND__TEST_SWITCH(socind__rep_degf_path);
/* For tests (replicate.c): the rank on a subset's rows from the columns'
 * forms takes, with 1, qr_rank on its PSUs (path 5) where it would take
 * the Schur complements; with 2, the Schur complements (paths 4, 6; 5
 * where unsure) where it would take qr_rank. 0: by their costs. */
SOCIND__TEST_SWITCH(socind__rep_degf_form_qr);

/* ---- Gaussian kernel sums (kernel.c) ---- */
/* e^x for x in [−708, 0] by kernel.c's polynomial, within 2 ulp (what the
 * kernel sums use when socind__kernel_wide() is 1: an AVX-512 processor). */
double socind__exp_neg(double x);
int socind__kernel_wide(void);
/* For tests: nonzero makes the calling thread use the C library's exp() and
 * log() (as on processors without AVX-512). */
SOCIND__TEST_SWITCH(socind__kernel_scalar);
/* x[i] = log(z_i / x[i]), z_i = num[i] (num0 if num is NULL): Watts'
 * log(z/y); with socind__kernel_wide(), within 2 ulp of the correctly
 * rounded log of the rounded ratio (the C library's log() when a ratio is
 * not a positive normal number, and on other processors). */
void socind__log_ratio_many(double *x, const double *num, double num0, size_t n);
#define SOCIND__KERNEL_BLOCK 1024
/* The relative quantile line's pass over n rows of one PSU (poverty.c):
 * with wo = w for a non-NaN y, 0 else, and dv = y − shift, out = {Σ wo,
 * Σ wo·1[y < a], Σ wo·1[y < fa], Σ wo·dv, Σ wo·dv², count of non-NaN y,
 * the largest |y| of them (+Inf for ±Inf; |shift| at least), Σ wo·1[y > b]},
 * br = {a, b, fa, fb}, each a plain sum; adds Σ wo and Σ wo·1[y < a] to acc, each as
 * eight lanes of TwoSum pairs carried from call to call (acc[0 .. 8) the
 * lanes of Σ wo, acc[8 .. 16) their rounding errors, acc[16 .. 32) the
 * same of Σ wo·1[y < a]; zeros to start), which socind__qline_total folds
 * (acc, acc + 16): the sums correctly rounded as quantile.c says, the
 * total and the weight below the bracket a quantile's decisions use;
 * appends the rows with w > 0 and y in [a, b] to qy/qw at *nq, and those
 * with w > 0 and y in [fa, fb] to zy/zw at *nz, in order (advancing *nq,
 * *nz); each output needs room for n + 8 more values. */
void socind__qline_rows(const double *y, const double *w, size_t n, double shift,
                        const double br[4], double out[8], double acc[32], double *qy, double *qw,
                        size_t *nq, double *zy, double *zw, size_t *nz);
socind__ksum socind__qline_total(const double lanes[16]);
/* One block (n <= SOCIND__KERNEL_BLOCK rows) of the Gaussian kernel sums at
 * x[0] and x[1], t = (x[j] − y)·ih: s[j] = Σ w e^(−t²/2) and, unless g is
 * NULL, g[j] = Σ w y e^(−t²/2), over the rows with w > 0, y not NaN and
 * t² <= cut; t2min[j] the smallest t² of those rows (cut or not). libm: the
 * C library's exp() (any cut, +inf included), else kernel.c's polynomial
 * on AVX-512 processors when cut <= 1400. x[1] = +inf asks for one point
 * (s[1] = 0). density.c's kernel sums are made of these blocks. */
void socind__gauss_block(const double *y, const double *w, size_t n, const double x[2], double ih,
                         double cut, int libm, double s[2], double g[2], double t2min[2]);

/* malloc() for large work buffers (huge pages where the kernel offers them
 * on request); free with free(). */
void *socind__big_alloc(size_t bytes);
/* socind__big_alloc's memory zeroed (calloc's below 2 MB): a buffer indexed
 * by PSU that a call writes here and there takes a few huge-page faults and
 * a clear, not a fault per 4 KiB page it reaches (each costly where the
 * system returns freed memory to a hypervisor). Free with free(). */
void *socind__big_calloc(size_t bytes);

/* For tests (inequality.c): nonzero makes quantiles sort the domain's rows
 * instead of selecting among them. */
SOCIND__TEST_SWITCH(socind__quantile_by_sort);

/* A row carried through a sort with what the estimators read. */
typedef struct {
    double y, w;
    int32_t psu;
    uint32_t row;
} socind__item;
/* Woodruff's share under replicates: the replicate variance (svrVar) of
 * p̂ = Σ w 1[y <= q] / Σ w over the gathered rows it[0 .. nr) (rows of d,
 * it[i].row) recomputed with each replicate's weights; *dropped the
 * replicates left out (no weight on the rows). */
int32_t socind__rep_share_var(const socind_design *d, const socind__item *it, size_t nr, double q,
                              double p_hat, double *var, int32_t *dropped);
/* The df of an estimate over the rows it[0 .. nr) of replicate design d
 * (it[i].row; each row once), as survey's [.svyrep.design gives the
 * subset (svyby's domain, svyquantile's na.rm): the caller's degf when it
 * gave one, the design's when nr = n, else qr(A, tol = 1e-5)$rank − 1 of
 * the analysis weights on those rows. Cost (replicate.h): from the
 * columns' forms (jackknives) O(nr·log nr + R·log m) and the rule on at
 * most m + H_D + 1 columns, m the rows' PSUs, H_D their strata; else
 * O(nr + PSUs + m·R·min(m, R)) (m the rows for weights per row, which add
 * O(n)). SOCIND_OK or SOCIND_ERR_NOMEM. */
int32_t socind__rep_rows_degf(const socind_design *d, const socind__item *it, size_t nr,
                              double *df);
/* Sorts items by y ascending (no NaN); O(n) radix sort above a threshold.
 * SOCIND_OK or SOCIND_ERR_NOMEM. */
int32_t socind__sort_items(socind__item *a, size_t n);
/* Sorts a[0 .. n) by y ascending, stable, with the caller's scratch: tmp
 * (n items) and count (SOCIND__SORT_COUNT): the bucket sort of
 * socind__sort_items, for rows already cut into buckets of a few thousand
 * (the Gini on threads). Any n is sorted; large ones take more passes. */
#define SOCIND__SORT_COUNT ((size_t)1 << 14)
void socind__sort_items_cached(socind__item *a, size_t n, socind__item *tmp, size_t *count);

/* What socind__gather takes from a domain's rows. */
typedef struct {
    const socind_design *d;
    const double *y;
    const double *filter;    /* a second column (ages) or NULL: a NaN leaves the
                                row, ±Inf is SOCIND_ERR_DATA naming it */
    const char *filter_name; /* its name in that message ("age") */
    int sign;                /* 0: any finite income; 1: y > 0 needed; 2: y >= 0 */
    int32_t nonpos;          /* with sign: SOCIND_NONPOS_ERROR or _EXCLUDE */
    int check_zero_weight;   /* with sign and a zero list: a weight-0 row's income
                                is checked too (else, as R, it is not) */
    const char *what;        /* the measure, for the refusal ("the Zenga index") */
} socind__gather_rule;
/* The usable rows of domain j (estimator.c), in group order: rows of
 * positive weight into it[0 .. *nr) (−0 stored as +0: R's order ties them),
 * rows of weight 0 into zero[0 .. *nz) when zero is not NULL (they count
 * nowhere but their PSUs stay in the variance). A NaN income leaves a row;
 * ±Inf is SOCIND_ERR_DATA, an income the rule's sign refuses
 * SOCIND_ERR_NONPOSITIVE (under SOCIND_NONPOS_EXCLUDE the row leaves),
 * naming the row; *ymax the largest |y| gathered (0 when none). */
int32_t socind__gather(const socind__gather_rule *r, const socind__groups *g, int32_t j,
                       socind__item *it, uint32_t *zero, size_t *nr, size_t *nz, double *ymax);
/* socind__gather on T threads (socind__parallel): each gathers a range of
 * the domain's rows into its own slots, which are then closed up; the same
 * items in the same order, and on a refused row the same status and detail
 * (the rows gathered again on the calling thread, which names the first).
 * With yr, the least and the largest income gathered (+Inf and −Inf when
 * none). */
int32_t socind__gather_threaded(const socind__gather_rule *r, const socind__groups *g, int32_t j,
                                int32_t T, socind__item *it, uint32_t *zero, size_t *nr, size_t *nz,
                                double *ymax, double yr[2]);
/* The work space of an estimator that gathers a domain's rows
 * (estimator.c): n = the design's rows of each (24 + 4 + 8 bytes a row) and
 * the PSU sums. */
typedef struct {
    socind__work wk;
    socind__item *it; /* a domain's usable rows (w > 0), gathered */
    uint32_t *zero;   /* its rows of weight 0 (their PSUs still count) */
    double *u;        /* linearized values, by position in it */
} socind__items;
/* Allocates *x for design d (zeroed first, so socind__items_free accepts
 * it on failure) with the domain rule of o, rule its AUTO default.
 * SOCIND_OK or SOCIND_ERR_NOMEM. */
int32_t socind__items_init(socind__items *x, const socind_design *d, const socind_options *o,
                           int32_t rule);
/* socind__items_init for domains of at most cap rows. */
int32_t socind__items_init_cap(socind__items *x, const socind_design *d, const socind_options *o,
                               int32_t rule, size_t cap);
void socind__items_free(socind__items *x);
/* The variance (socind__work_variance) of Σ w·u over the gathered rows
 * x->it[0 .. nr) with their linearized values x->u, the PSUs of the rows of
 * weight 0 (x->zero[0 .. nz), rows of d) touched too. */
int32_t socind__items_variance(socind__items *x, const socind_design *d, size_t nr, size_t nz,
                               double *var);
/* N̂ = Σ w and Ŷ = Σ w y over it[0 .. nr): sums within blocks of
 * SOCIND__SUM_BLOCK rows (socind__block_sums), compensated across them; a
 * sum beyond the double range is ±Inf (socind__pair_value), not NaN.
 * estimator.c. */
void socind__items_totals(const socind__item *it, size_t nr, double *N, double *Y);
/* socind__items_totals with the block sums made on T threads: the same N̂
 * and Ŷ bit for bit (the blocks are the same and compensated across in the
 * same order). SOCIND_ERR_NOMEM when out of memory. */
int32_t socind__items_totals_threaded(const socind__item *it, size_t nr, int32_t T, double *N,
                                      double *Y);
/* Σ w and Σ w·y over it[b .. e): one block of socind__items_totals (every
 * form of it sums its blocks with this, bit for bit), each as a pair (sn[0]
 * + sn[1], sy[0] + sy[1]) that keeps every row's rounding error (TwoSum,
 * socind__kadd). N̂ is then the weights' sum correctly rounded (as
 * quantile.c says) — a quantile's decisions compare shares of N̂ with p
 * (socind__share_reaches), and a total made of rounded partial sums would
 * move a share that is exactly p (decimal weights) off it — and Ŷ is
 * Σ w·y within the products' own rounding (2^−53 of it: a mean is then
 * within two units in the last place, a decomposition's between part, a
 * difference of nearly equal figures, keeps its bits). */
static inline void socind__block_sums(const socind__item *it, size_t b, size_t e, double sn[2],
                                      double sy[2]) {
    socind__ksum n = {0, 0}, y = {0, 0};
    for (size_t i = b; i < e; i++) {
        socind__kadd(&n, it[i].w);
        socind__kadd(&y, it[i].w * it[i].y);
    }
    sn[0] = n.s, sn[1] = n.c, sy[0] = y.s, sy[1] = y.c;
}
/* N̂ and Ŷ from the pairs of nb blocks (socind__block_sums: 2·nb values
 * each), compensated across them in order: socind__items_totals' figures. */
void socind__totals_of_blocks(const double *sn, const double *sy, size_t nb, double *N, double *Y);
/* The first of part t's elements when n are cut into T parts (t = T: n). */
size_t socind__part_start(size_t n, int32_t t, int32_t T);
/* A within/between decomposition's three estimates (the GE and J-divergence
 * decompositions: out[0] total, [1] within, [2] between = total − within)
 * over the rows x->it[0 .. nr) of total weight N, the total's linearized
 * values in ut, the within part's in x->u (between's: their difference),
 * each through the variance engine; figures in value[3]. */
void socind__fill_decomposition(socind__items *x, size_t nr, const double *ut,
                                const double value[3], double N, const socind_options *o, double df,
                                socind_estimate out[3]);

/* ---- convey's kernel density (density.c) ---- */
/* Rows as the density reads them: row k's income y[k·stride] and weight
 * w[k·stride] (stride 1 for columns, 3 for socind__item), for k in rows[0 ..
 * n) or 0 .. n − 1 (rows NULL); rows with a NaN y or a weight <= 0 are
 * left out. */
typedef struct {
    const double *y, *w;
    size_t stride;
    const size_t *rows;
    size_t n;
} socind__rowset;
/* Weighted moments about a shift (the first usable y, or the mean where
 * that lies far from it: socind__moments_refine): N̂ = Σ w, Σ w (y −
 * shift)·2^−ex, Σ w ((y − shift)·2^−ex)², ex the exponent of the first
 * deviation y − shift that is not 0 when it lies beyond
 * 2^±SOCIND__SCALE_LIMIT (else 0), raised to a later deviation's where
 * that one, at the scale so far, would lie beyond 2^SOCIND__SCALE_LIMIT
 * (socind__moments_of; incomes near 1e−160 have squares below the doubles:
 * the bandwidth lost its bits). */
typedef struct {
    double n, shift, s1, s2;
    int ex;
} socind__moments;
/* Plain sums within blocks of SOCIND__SUM_BLOCK rows, compensated across. */
#define SOCIND__SUM_BLOCK 4096
void socind__moments_of(const socind__rowset *r, socind__moments *m);
/* How many of the incomes' SDs a shift may lie from their mean before the
 * moments about it are taken again about the mean. */
#define SOCIND__SHIFT_FAR 8.0
/* 1 when sums about a shift — n = Σw, s1 = Σw·d, s2 = Σw·d², d = y −
 * shift, all finite — leave the variance s2/n − (s1/n)² to cancellation:
 * the shift more than SOCIND__SHIFT_FAR SDs from the mean (a first income
 * of 1e300 among ordinary ones: s2 and s1²/n alike to 1 part in N̂/w₀, the
 * first row's weight w₀), or the difference not positive though s1 is not
 * 0. Below that the variance loses at most 1 + SOCIND__SHIFT_FAR² = 65
 * times the sums' rounding. */
static inline int socind__shift_far(double n, double s1, double s2) {
    if (!(n > 0.0) || !isfinite(n) || !isfinite(s1) || !isfinite(s2) || s1 == 0.0) return 0;
    const double md = s1 / n, var = s2 / n - md * md;
    return !(var * (SOCIND__SHIFT_FAR * SOCIND__SHIFT_FAR) >= md * md);
}
/* socind__shift_far of the moments m (about m->shift). */
int socind__moments_far(const socind__moments *m);
/* Moments m of the rows r (one pass about m->shift, m->n their N̂) taken
 * again about their mean where socind__moments_far says so, by a second
 * pass over r (N̂ kept): the variance then within a few units of rounding
 * of the rows' own, whichever row came first. */
void socind__moments_refine(const socind__rowset *r, socind__moments *m);
/* convey's bandwidth h = σ̂/N̂^(1/5), σ̂ the weighted SD with divisor N̂;
 * NaN when N̂ <= 0 or every y is equal, or when the moments left the
 * doubles (weights near 1e308). */
double socind__bandwidth(const socind__moments *m);
/* Why m gives no bandwidth, as a failed call's status and message ("at"
 * names where the density was wanted): SOCIND_ERR_OVERFLOW where its sums
 * are not finite, else SOCIND_ERR_DATA, every income equal. */
int32_t socind__no_bandwidth(const socind__moments *m, const char *at);
/* The same status without a message, for a figure's own status. */
int32_t socind__no_bandwidth_status(const socind__moments *m);
/* The failure of a call without a bandwidth for the reason why
 * (SOCIND_ERR_OVERFLOW: the moments left the doubles; else every income
 * equal), as socind__no_bandwidth words it. */
int32_t socind__fail_no_bandwidth(int32_t why, const char *at);
/* The same for a partial state, whose moments are of the incomes as given
 * (not rescaled): SOCIND_ERR_OVERFLOW says so and names the incomes that
 * take Σw·(y − μ̂)² or σ̂² out of the doubles (state.h, "Extremes"). */
int32_t socind__fail_state_no_bandwidth(int32_t why, const char *at);
/* The failure of a call without a usable weight sum: SOCIND_ERR_OVERFLOW
 * where there are rows but their weights' sum left the doubles (beyond),
 * else SOCIND_ERR_EMPTY, no income with a positive weight. */
int32_t socind__fail_no_weight(int beyond);
/* The kernel sums' first cut-off: t² <= 100 (10 bandwidths); a list of
 * the rows within SOCIND__KERNEL_REACH bandwidths of a point (10.05² > 100,
 * a margin for the rounding of t) holds every row of that first pass. */
#define SOCIND__KERNEL_CUT 100.0
#define SOCIND__KERNEL_REACH 10.05
/* At x[0] and x[1] (x[1] = +inf: one point, F[1] = G[1] = 0): F[j] =
 * Σ w φ((x[j] − y)/h)/h, N̂ times convey's density, and unless G is NULL
 * G[j] = Σ w y φ((x[j] − y)/h)/h (Ŝ'(x) of a share ratio), W the weight of
 * the rows. The terms left out (density.c's rule) add up to less than
 * 2^−53·F[j] (2^−53·F[j]·max|y| for G). complete = 0 says the rows hold
 * only those within 10.05 bandwidths of the points: the return is then 0
 * (F, G not set) when the rule needs rows farther out; else 1. */
int socind__kernel_sums(const socind__rowset *r, const double x[2], double h, double W,
                        int complete, double F[2], double G[2]);

/* ---- the weighted quantile (quantile.c) ----
 * One rule, R's qrule "math": over rows with weights w > 0 and total N, the
 * p-quantile is the smallest y whose cumulative weight share reaches p —
 * the cumulative weight W and the total N each the exact sum correctly
 * rounded to a double (pairs: socind__ksum, every addition's rounding error
 * kept), the share W/N rounded to a double and compared with p
 * (socind__share_reaches); the largest y when no share reaches p.
 * quantile.c says how each way of applying it finds the same row. */
typedef struct {
    double y, w;
} socind__yw;
static inline int socind__share_reaches(double W, double N, double p) {
    return W / N >= p;
}
/* Among a[0 .. n) in any order (reordered), n >= 1, given the weight of the
 * rows below all of them (before) and the total N: O(n) expected. */
double socind__wq_select(socind__yw *a, size_t n, socind__ksum before, double N, double p);
/* Over rows sorted by y ascending (NaN for n = 0). */
double socind__wq_sorted(const socind__item *a, size_t n, double N, double p);
/* A histogram of weights and counts over 65,536 buckets, by the top 16 bits
 * of the order key (buckets keep the order of y). */
#define SOCIND__QHIST_BUCKETS 65536
typedef struct {
    socind__ksum *w; /* weight of each bucket's rows (a pair) */
    size_t *n;       /* their number */
} socind__qhist;
static inline size_t socind__qhist_bucket(double y) {
    return (size_t)(socind__order_key(y) >> 48);
}
static inline void socind__qhist_add(socind__qhist *h, double y, double w) {
    size_t k = socind__qhist_bucket(y);
    socind__kadd(&h->w[k], w);
    h->n[k]++;
}
/* Zeroed buckets (1.5 MB): SOCIND_OK or SOCIND_ERR_NOMEM (with the detail). */
int32_t socind__qhist_init(socind__qhist *h);
void socind__qhist_free(socind__qhist *h);
/* The bucket holding the p-quantile of the rows added (N their total
 * weight) and, in *before, the weight of the buckets below it. */
size_t socind__qhist_find(const socind__qhist *h, double N, double p, socind__ksum *before);
/* The p-quantiles of np <= 2 values of p over a[0 .. n) (n >= 1) in any
 * order, through the histogram: each p's bucket is found, its rows copied
 * (16 bytes each) and the quantile selected among them. SOCIND_OK or
 * SOCIND_ERR_NOMEM. */
int32_t socind__wq_unsorted(const socind__item *a, size_t n, double N, const double *p, int np,
                            double *q);

/* ---- rounding ---- */
/* floor(x) + (x − floor(x) >= 0.5): WHO anthro's round_up of an age, x >= 0. */
static inline double socind__round_half_up(double x) {
    double f = x < 1e15 ? (double)(int64_t)x : floor(x);
    return f + (x - f >= 0.5 ? 1.0 : 0.0);
}

/* ---- estimates ---- */
/* Sets every field to NaN / 0 with the given status. */
void socind__estimate_nan(socind_estimate *e, int32_t status);
/* Fills ci_low/ci_high from value and se (symmetric, or, when is_prop, the
 * interval of opts->prop_ci: logit, likelihood, asin, beta (from e->n, the
 * estimate's rows), xlogit; SOCIND_ERR_RANGE where R's svyciprop gives NA);
 * sets df and, when the estimate's
 * status is SOCIND_OK, SOCIND_ERR_DF (df needed and not positive) or
 * SOCIND_ERR_OVERFLOW (the critical value or a figure is not finite), so
 * that an estimate is SOCIND_OK only with value, se and both limits finite. */
void socind__fill_ci(socind_estimate *e, const socind_options *o, double df, int is_prop);
/* The quasi-binomial intercept-only fit of R's svyglm(y ~ 1, family =
 * quasibinomial) as R's glm IRLS left it (lib/totals.c), for the profile
 * likelihood interval (SOCIND_PROP_CI_LIKELIHOOD): beta the fitted
 * intercept, se_beta its design-based SE at that fit, lambda the Rao–Scott
 * factor (design over naive variance of beta), disp the dispersion summary()
 * reports (svyvar of the Pearson residuals), w1 and w0 the sums of the
 * normalised prior weights of the rows with y = 1 and y = 0, n the fit's
 * rows (zmax's n − 1 df). */
typedef struct {
    double beta, se_beta, lambda, disp, w1, w0, n;
} socind__glmfit;
/* The factor summary.svyglm's dispersion carries where rows of the domain
 * have a missing value: svyglm's prior weights are w/c_all, c_all the mean
 * weight over all the domain's rows, while residuals.svyglm's Pearson
 * residuals divide them by w/c_fit, c_fit = N̂/n_fit the mean over the rows
 * the fit keeps (design[-na.action, ]): each squared residual, and so the
 * dispersion, is c_fit/c_all times the one without missing values. */
static inline double socind__na_dispersion_factor(double N, double n_fit, double c_all) {
    return (N / n_fit) / c_all;
}
/* R's svyglm(y ~ 1, family = quasibinomial) on a domain's design, as
 * glm.fit (R 4.2, glm.control's epsilon 1e-8 and maxit 25) iterates it
 * (totals.c): the prior weights are w' = w/c, c = mean(w) over every row
 * of the domain's design (svyglm's rescale); μ starts per row at
 * binomial()$initialize's (w'y + 0.5)/(w' + 1), so the first step is the
 * weighted least squares Σ w''z/Σ w'' with per-row working weights
 * w'' = w'·μ.η²/V(μ) and responses z = η + (y − μ)/μ.η; from then on every
 * row shares μ and a step is β ← β + (p̂ − μ)/μ.η(β). It stops when
 * |dev − dev_old|/(|dev| + 0.1) < 1e-8 with the binomial deviance.
 * socind__glm_first_terms sets a row's five terms of that first step (w' > 0,
 * y 0 or 1): w''z, w'', w'y, w'(1 − y) and its deviance at the start;
 * socind__glm_iterate takes their sums over the domain's rows (and nfit,
 * its rows with a value) and iterates: β̂ and μ̂ into fit and *mu, the
 * working weights' sum of the last step (summary.glm's cov.unscaled is its
 * inverse) into *sw_last; 0, or −1 when the fit leaves the finite. */
#define SOCIND__GLM_SUMS 5
void socind__glm_first_terms(double wp, double y, double t[SOCIND__GLM_SUMS]);
int socind__glm_iterate(const double sums[SOCIND__GLM_SUMS], double nfit, socind__glmfit *fit,
                        double *mu, double *sw_last);
/* socind__fill_ci for a proportion whose likelihood interval (when
 * o->prop_ci asks for it) is profiled around fit instead of the exact MLE
 * (fit NULL: socind__fill_ci(e, o, df, 1)). */
void socind__fill_ci_fit(socind_estimate *e, const socind_options *o, double df,
                         const socind__glmfit *fit);
/* socind__fill_ci for a proportion whose β̂ = logit p̂ has its own SE
 * se_beta (a replicate design's: svrVar of the replicates' logit p̂_r, as
 * R's svyglm refits give it): the logit interval expit(β̂ ∓ q·se_beta) and
 * the likelihood interval's profile take it in place of the delta method's
 * se/(p̂(1 − p̂)), the profile with svrepglm's dispersion (1 for a 0/1
 * variable); +Inf (a replicate's p̂_r at 0 or 1) gives the limits 0 and 1.
 * The other methods as socind__fill_ci. */
void socind__fill_ci_logit_se(socind_estimate *e, const socind_options *o, double df,
                              double se_beta);
/* Cuts s's trailing blanks and an unclosed "(" or "at"/"in" word left by
 * cutting a message before a row number ("… (row 5)" → "…"), in place. */
static inline void socind__trim_end(char *s) {
    size_t n = strlen(s);
    for (;;) {
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == ';')) n--;
        if (n > 0 && s[n - 1] == '(') {
            n--;
            continue;
        }
        if (n >= 3 && strncmp(s + n - 3, " at", 3) == 0) {
            n -= 2;
            continue;
        }
        if (n >= 3 && strncmp(s + n - 3, " in", 3) == 0) {
            n -= 2;
            continue;
        }
        break;
    }
    s[n] = '\0';
}
/* Sets status SOCIND_ERR_OVERFLOW on a SOCIND_OK estimate whose value, se or
 * limits are not all finite. */
void socind__check_finite(socind_estimate *e);
/* Multiplies value, se and both limits by 2^k (a total in currency computed
 * on incomes times 2^−k), then socind__check_finite. */
void socind__estimate_scale(socind_estimate *e, int k);
/* The critical value of o's interval on df: SOCIND_OK, SOCIND_ERR_DF (t with
 * df <= 0 or NaN) or SOCIND_ERR_OVERFLOW (beyond DBL_MAX), *q NaN on
 * failure; no detail message. o->level must be in (0, 1). */
int32_t socind__critical(const socind_options *o, double df, double *q);

/* ---- the Gini's linearized variable for other modules (inequality.c) ----
 * The Gini of domain j of g in *value and coef times its linearized
 * variable's PSU totals added into wk (acc[p·m], PSUs touched); *value NaN
 * (nothing added) for a domain without usable rows, incomes summing to 0 or
 * sums beyond the double range. SOCIND_OK, SOCIND_ERR_DATA (±Inf income,
 * the row named) or SOCIND_ERR_NOMEM. gw: a work space for design d kept
 * across calls (socind__gini_work_new: its n-row buffers allocated once),
 * or NULL (one for this call). */
typedef struct socind__gini_work socind__gini_work;
int32_t socind__gini_work_new(const socind_design *d, socind__gini_work **out);
void socind__gini_work_free(socind__gini_work *gw);
int32_t socind__gini_psu_totals(socind__gini_work *gw, const socind_design *d, const double *y,
                                const socind__groups *g, int32_t j, double coef, socind__work *wk,
                                double *value);

/* The Sen and SST indices' arithmetic (sen.c), shared by socind_sen /
 * socind_sst and their partial states (state_gini.c): a domain's figures
 * from its totals, and each part's linearized variable's total over a set
 * of rows (a PSU, a state's cell) from that set's sums, so that both paths
 * compute the same formula. The poor are the rows of positive weight
 * below the line, x = y/z their normalized incomes and g = 1 − x, ranked
 * by x (ties by row): r is a poor row's cumulative weight (itself
 * included) and P the Σw·x of the poor before it. */
typedef struct {
    int sst;                               /* 0: Sen, 1: SST */
    long double N, Np, Xp, G, T1, W2, W2x; /* Σw (every row used), the poor's Σw,
                                              Σw·x, Σw·g, Σw·r·x, Σw², Σw²·x */
    /* made by socind__sen_domain: */
    double v[4];       /* the parts' values (SOCIND_SEN_* / SOCIND_SST_* order) */
    long double lv[4]; /* the same unrounded (the cells' totals use them) */
    int32_t st[4];     /* their statuses (SOCIND_OK or undefined) */
    long double B, om; /* sen.c's B; SST: 1 − G_g without cancellation */
} socind__sen_dom;
void socind__sen_domain(socind__sen_dom *d);
/* A set of rows' totals of w·u for each part (0 where the part is
 * undefined): wnp its non-poor rows' weight, A0..A3 the poor's Σw, Σw·x,
 * Σw·r·x, Σw·P, W2, W2x their Σw², Σw²·x, Gc their Σw·g. */
void socind__sen_cell(const socind__sen_dom *d, long double wnp, long double A0, long double A1,
                      long double A2, long double A3, long double W2, long double W2x,
                      long double Gc, long double z[4]);

#endif /* SOCIND_INTERNAL_H */
