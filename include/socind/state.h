/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/state.h — partial states: estimates built chunk by chunk, merged,
 * and finished into the same socind_estimates the in-memory calls give.
 *
 * accumulate → merge → finish. A chunk of rows (their weight, stratum, PSU,
 * optional fpc and domain, and the estimator's columns) is added to a
 * partial state; two states of the same estimate merge into one; the merged
 * state finishes into the estimates. Chunks may come from a file read piece
 * by piece, from threads, or from other processes and machines: a state
 * serialises to portable bytes (docs/state-format.md) and is read back on
 * any platform.
 *
 * What a state holds. Every estimate of this header is a smooth function of
 * population totals; its linearized variable's PSU totals are the gradient
 * times the PSU's own totals. A state therefore keeps, per PSU, its stratum,
 * its id, its fpc and whether one of its rows has a non-zero weight, and per
 * (PSU, domain) cell the counts of its rows and K weighted sums (K is 2 to 4
 * by estimator; socind_state_info). Rows are not kept: a state's memory is
 * O(PSUs + cells), about 60 + 16·K bytes a cell plus its hash tables. Without
 * a PSU column every row is its own PSU and the state holds a cell per row.
 *
 * Exactness. Each sum is kept as an unevaluated pair of doubles (hi + lo,
 * Knuth's TwoSum for every row and on merging), so a cell's sums carry about
 * 106 bits: the sum of a cell's terms is exact to 2^−104 relative of the sum
 * of their magnitudes whatever the chunking. Finishing orders the PSUs by
 * (stratum id, PSU id) and the cells by domain and PSU, whatever order the
 * chunks came in, and adds the domain totals in that order in pairs of
 * doubles. Hence: the finished figures do not depend on the chunking or the
 * merge order beyond those 2^−104 (run to run, the same chunks give the same
 * bits), and they agree with the in-memory estimators within the in-memory
 * estimators' own rounding — the tests check 1e−12 relative on value and SE
 * for random chunkings of the reference files with PSUs split across chunks,
 * empty chunks and domains missing from chunks.
 *
 * Design. A state follows the design a socind_design_new() would build from
 * all its rows: PSU ids are global unless nest = 1 (a PSU id in two strata is
 * SOCIND_ERR_NESTING, found when adding or merging); n_h counts every PSU,
 * df counts PSUs and strata with a row of non-zero weight; fpc as in
 * socind_design_new (per row N_h, or fractions when every value is <= 1:
 * decided at finish over all rows); lonely-PSU policies as design.h, a
 * lonely stratum under SOCIND_LONELY_FAIL being found at finish (the row
 * named is the first row of its PSU seen). Domains, missing values, zero
 * weights, statuses and intervals follow the in-memory estimator named for
 * each SOCIND_STATE_* below, and each estimator's default domain rule.
 *
 * Rows. A chunk names its first row's number in the whole data
 * (first_row); errors name rows by that numbering (socind_last_error_row),
 * and a design without a PSU column identifies its rows' PSUs by it, so
 * chunks of such a design must number their rows distinctly.
 *
 * Not (yet) covered here, each with its in-memory function: relative poverty
 * lines, quantiles, Gini, share ratios, Lorenz ordinates (rank-based: they
 * need more than one pass), the prevalence table, and socind_proportion's
 * likelihood interval (R's glm fit needs the domain's mean weight before its
 * first step): SOCIND_ERR_ARG.
 *
 * Threads. The in-memory estimators whose estimate a state here computes
 * (socind_total, socind_mean, socind_ratio, socind_proportion but its
 * likelihood interval, socind_fgt, socind_poor_count,
 * socind_poverty_gap_total, socind_mean_shortfall, socind_watts and both
 * poverty decompositions against absolute and per-row lines, socind_ge,
 * socind_atkinson) run on opts->threads threads (common.h) through these
 * states when the design has 65,536 rows a thread or more: each thread fills
 * the state of a range of rows (cut at a PSU boundary when each PSU's rows
 * are consecutive), numbered by the design's own PSUs, the states merge and
 * finish on the design. Within a thread consecutive rows of one (PSU,
 * domain) are summed in plain doubles, as the one-thread loops do, so the
 * figures agree with one thread's within those loops' own rounding (the
 * tests: 1e−12 relative). A call that fails names the lowest failing row
 * of any range (one thread names the first in its domain order). Incomes
 * or lines beyond 2^±200, and GE/Atkinson powers near the double range's
 * ends, run on one thread (which rescales them). The other estimators run
 * on the calling thread whatever opts->threads says.
 *
 * Extremes: incomes and values are used as given (the in-memory
 * estimators' rescaling of incomes beyond 2^±200 is not applied): a total
 * or power that leaves the double range gives that estimate
 * SOCIND_ERR_OVERFLOW.
 *
 * Thread safety: a state is not shared while it changes; distinct states are
 * independent; socind_state_finish and socind_state_to_bytes only read.
 */
#ifndef SOCIND_STATE_H
#define SOCIND_STATE_H

#include "socind/design.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Estimates (spec.estimator), each as the in-memory function named: */
#define SOCIND_STATE_TOTAL 1                /* socind_total: y */
#define SOCIND_STATE_MEAN 2                 /* socind_mean: y (deff included) */
#define SOCIND_STATE_RATIO 3                /* socind_ratio: y / y2 */
#define SOCIND_STATE_PROPORTION 4           /* socind_proportion: y in {0, 1, NaN} */
#define SOCIND_STATE_FGT 5                  /* socind_fgt: income y, alpha, the line */
#define SOCIND_STATE_POOR_COUNT 6           /* socind_poor_count */
#define SOCIND_STATE_POVERTY_GAP_TOTAL 7    /* socind_poverty_gap_total */
#define SOCIND_STATE_MEAN_SHORTFALL 8       /* socind_mean_shortfall */
#define SOCIND_STATE_WATTS 9                /* socind_watts (nonpositive) */
#define SOCIND_STATE_FGT_DECOMPOSITION 10   /* socind_fgt_decomposition (alpha > 1) */
#define SOCIND_STATE_WATTS_DECOMPOSITION 11 /* socind_watts_decomposition */
#define SOCIND_STATE_GE 12                  /* socind_ge: theta in alpha */
#define SOCIND_STATE_ATKINSON 13            /* socind_atkinson: epsilon in alpha */
/* socind_ge_decomposition: theta in alpha; n_groups >= 1 is the partition
 * (one decomposition: SOCIND_GEDEC_COUNT estimates, not per group); rows of
 * weight 0 count nowhere and their incomes are not checked */
#define SOCIND_STATE_GE_DECOMPOSITION 14
/* socind_poverty_profile: FGT(alpha) by the partition of n_groups >= 1
 * groups (SOCIND_PROFILE_COUNT estimates per group); rows in no group count
 * in the whole sample's totals */
#define SOCIND_STATE_POVERTY_PROFILE 15
#define SOCIND_STATE_ESTIMATOR_COUNT 16 /* codes 1 .. COUNT − 1 */

/* What a state estimates and the design it follows. Start from
 * socind_state_spec_init(); two states merge only when their specs are
 * equal. */
typedef struct socind_state_spec {
    size_t size;         /* sizeof(socind_state_spec) */
    int32_t estimator;   /* SOCIND_STATE_* (required) */
    int32_t n_groups;    /* 0: no domain column (one estimate); >= 1: chunks
                            carry codes in [−1, n_groups), −1 = in no domain */
    int32_t has_strata;  /* 1: chunks carry strata ids; 0 (default): one stratum */
    int32_t has_psu;     /* 1: chunks carry PSU ids; 0 (default): each row is a PSU */
    int32_t has_fpc;     /* 1: chunks carry fpc values (socind_design_new's) */
    int32_t lonely_psu;  /* SOCIND_LONELY_* (default FAIL) */
    int32_t nest;        /* 0 (default) or 1, as socind_design_options */
    int32_t nonpositive; /* SOCIND_NONPOS_* for Watts, GE, Atkinson (default ERROR) */
    int32_t line_type;   /* poverty estimates: SOCIND_LINE_ABSOLUTE (default) or
                            SOCIND_LINE_PER_ROW (the chunk's y2 holds the lines) */
    int32_t inclusive;   /* poverty estimates: 0 poor if y < z (default), 1 y <= z */
    double line;         /* SOCIND_LINE_ABSOLUTE: the line (finite, > 0) */
    double alpha;        /* FGT's α (>= 0; the decomposition's > 1), GE's θ
                            (finite), Atkinson's ε (finite, > 0) */
} socind_state_spec;

/* Sets size, estimator 0 (must be set), n_groups 0, no strata, PSU or fpc
 * columns, lonely_psu FAIL, nest 0, nonpositive ERROR, an absolute line of
 * NaN (must be set for poverty estimates), exclusive, alpha NaN (must be set
 * where used). SOCIND_ERR_NULL for NULL. Thread-safe. */
SOCIND_API int32_t socind_state_spec_init(socind_state_spec *spec);

/* A chunk of rows, the caller's arrays (read during the call only). */
typedef struct socind_chunk {
    size_t size;           /* sizeof(socind_chunk) */
    size_t n;              /* rows in the chunk (0 is accepted: nothing changes) */
    int64_t first_row;     /* the number of the chunk's first row in the whole
                              data (>= 0): rows are named by it */
    const double *weight;  /* n weights, finite and >= 0 (required) */
    const int64_t *strata; /* n ids, required iff spec.has_strata */
    const int64_t *psu;    /* n ids, required iff spec.has_psu */
    const double *fpc;     /* n values, required iff spec.has_fpc */
    const int32_t *group;  /* n domain codes, required iff spec.n_groups >= 1 */
    const double *y;       /* n values: the estimate's variable (the income,
                              the 0/1 variable, the ratio's numerator; NaN =
                              missing) (required) */
    const double *y2;      /* n values: the ratio's denominator, or per-row
                              poverty lines; NULL where unused */
} socind_chunk;

/* Sets size and every other field 0/NULL. SOCIND_ERR_NULL for NULL. */
SOCIND_API int32_t socind_chunk_init(socind_chunk *chunk);

/* Opaque partial state. */
typedef struct socind_state socind_state;

/* An empty state for spec (copied). SOCIND_OK and *out, or SOCIND_ERR_NULL,
 * SOCIND_ERR_OPTIONS (spec's size), SOCIND_ERR_ARG (an unknown estimator, a
 * parameter out of range as the in-memory function checks it, a flag not
 * 0/1, an unknown policy, n_groups < 0, the likelihood interval is not
 * asked here but at finish), SOCIND_ERR_NOMEM. *out is NULL on failure.
 * Free with socind_state_free(). */
SOCIND_API int32_t socind_state_new(const socind_state_spec *spec, socind_state **out);

/* Frees a state; NULL is accepted. */
SOCIND_API void socind_state_free(socind_state *state);

/* Adds a chunk's rows. SOCIND_OK, or SOCIND_ERR_NULL (state, chunk, a
 * required column NULL), SOCIND_ERR_OPTIONS (chunk's size), SOCIND_ERR_ARG
 * (a column given that the spec does not use, first_row < 0 or first_row + n
 * beyond 2^62), SOCIND_ERR_WEIGHT, SOCIND_ERR_FPC, SOCIND_ERR_GROUP,
 * SOCIND_ERR_NESTING, SOCIND_ERR_DATA (±Inf, a proportion's value not 0/1,
 * a per-row line not finite and > 0), SOCIND_ERR_NONPOSITIVE, each naming
 * the row (first_row + i); SOCIND_ERR_NOMEM. On failure the state is left
 * as it was before the call (a chunk is added whole or not at all). Cost:
 * O(n) with a hash lookup per change of (PSU, domain) between consecutive
 * rows. */
SOCIND_API int32_t socind_state_add(socind_state *state, const socind_chunk *chunk);

/* Adds from's PSUs and cells into into (from is unchanged). Merging is
 * commutative and associative up to the pair-of-doubles rounding above.
 * SOCIND_OK, or SOCIND_ERR_NULL, SOCIND_ERR_MISMATCH (different specs),
 * SOCIND_ERR_NESTING (a PSU in two strata; the row named is from's first
 * row of it), SOCIND_ERR_FPC (a PSU with two fpc values), SOCIND_ERR_NOMEM.
 * On failure into is left as it was. Cost O(from's PSUs + cells). */
SOCIND_API int32_t socind_state_merge(socind_state *into, const socind_state *from);

/* Raises the state's number of domains to n_groups (a reader that learns
 * its domains' labels as it goes: codes already used keep their meaning,
 * new codes may follow), so that it merges with states of n_groups
 * domains. SOCIND_OK, or SOCIND_ERR_NULL, SOCIND_ERR_ARG (n_groups below the
 * state's, or a state made without domains), SOCIND_ERR_NOMEM (the state is
 * then unchanged). Cost O(cells) for the poverty profile (its rows in no
 * domain move to the new last code), O(1) otherwise. */
SOCIND_API int32_t socind_state_set_groups(socind_state *state, int32_t n_groups);

/* What finishing writes and what the state holds: *count estimates (the
 * in-memory function's: COUNT parts per domain for a decomposition, times
 * max(1, n_groups)), *npsu PSUs and *ncells cells so far, *bytes the size
 * of its serialised form. Any pointer may be NULL. SOCIND_ERR_NULL for a
 * NULL state. */
SOCIND_API int32_t socind_state_info(const socind_state *state, size_t *count, size_t *npsu,
                                     size_t *ncells, size_t *bytes);

/* Finishes the state into out (n_out estimates, at least the count of
 * socind_state_info), as the in-memory estimator over all the rows added
 * would with opts (NULL = defaults; opts->threads is not used). Returns the
 * in-memory function's status (SOCIND_ERR_EMPTY when no row was usable,
 * SOCIND_ERR_ZERO_WEIGHTS, SOCIND_ERR_LONELY_PSU, SOCIND_ERR_FPC …), or
 * SOCIND_ERR_NULL, SOCIND_ERR_BUFFER (n_out too small: nothing written),
 * SOCIND_ERR_ARG (prop_ci LIKELIHOOD for a proportion), SOCIND_ERR_NOMEM;
 * on failure every estimate written is NaN with the status. The state is
 * not changed: it can take more chunks and be finished again. Cost
 * O(cells·log(cells) + PSUs·log(PSUs)). A state of a pass before its
 * estimate's last gives SOCIND_ERR_ARG. */
SOCIND_API int32_t socind_state_finish(const socind_state *state, const socind_options *opts,
                                       socind_estimate *out, size_t n_out);

/* Passes. A rank-based estimate needs the rows more than once: every chunk
 * is added to states of pass 1, they are merged, socind_state_next_pass()
 * makes from the merged state an empty state of pass 2 that carries what
 * pass 1 learned (in its bytes too, so that workers elsewhere can start
 * pass 2 from them), every chunk is added again, and so on; the merged
 * state of the last pass finishes. Every estimator so far in this header
 * takes one pass. *pass (1-based) and *passes (either may be NULL).
 * SOCIND_ERR_NULL for a NULL state. */
SOCIND_API int32_t socind_state_passes(const socind_state *state, int32_t *pass, int32_t *passes);

/* An empty state of the next pass from the merged state of this one
 * (merged is unchanged). SOCIND_OK and *next, or SOCIND_ERR_NULL,
 * SOCIND_ERR_ARG (merged is in its estimate's last pass), SOCIND_ERR_NOMEM;
 * *next is NULL on failure. */
SOCIND_API int32_t socind_state_next_pass(const socind_state *merged, socind_state **next);

/* Serialises the state into buf (cap bytes): *len is set to the size it
 * takes (always, when len is not NULL). buf NULL with cap 0 asks for the
 * size only (SOCIND_OK). The format (docs/state-format.md): little-endian,
 * versioned, a CRC-32 over every byte before it. SOCIND_OK, SOCIND_ERR_NULL
 * (state, or buf NULL with cap > 0), SOCIND_ERR_BUFFER (cap too small:
 * nothing written). */
SOCIND_API int32_t socind_state_to_bytes(const socind_state *state, void *buf, size_t cap,
                                         size_t *len);

/* Reads a state from len bytes. SOCIND_OK and *out (free with
 * socind_state_free), or SOCIND_ERR_NULL, SOCIND_ERR_FORMAT (not a state:
 * wrong magic, another format version, truncated, a checksum that does not
 * match, or contents that break the format's rules — the detail says
 * which), SOCIND_ERR_NOMEM. Never reads beyond len bytes. *out is NULL on
 * failure. */
SOCIND_API int32_t socind_state_from_bytes(const void *buf, size_t len, socind_state **out);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_STATE_H */
