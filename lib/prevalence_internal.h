/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/prevalence_internal.h — what the prevalence table (nutrition.c) shares
 * with its partial state (state_prevalence.c): a block of children made
 * ready to add (z-scores, the age filter, the cell of each child and the
 * sums it adds), and the table finished from per-(PSU, cell) sums. */
#ifndef SOCIND_PREVALENCE_INTERNAL_H
#define SOCIND_PREVALENCE_INTERNAL_H

#include "internal.h"
#include "socind/nutrition.h"

/* Sums per (PSU, cell): for each of the four indicators [count, Σw,
 * Σw·1[cut c] (6), count, Σw, Σw·z, Σw·z², count with w > 0, flagged]
 * (14), then the combined indicators [count, Σw, Σw·both<−2,
 * Σw·HA<−2&WH>+2, flagged] (nutrition.c's accumulators). */
#define SOCIND__PREV_ACC 61
/* Cells of the standard breakdowns: WHO 2006, age group (6 and none) × sex
 * (female, male, none): code = 3·age group + sex; WHO 2007, Age Group 1
 * (15) × Age Group 2 (3) × sex: code = 3·(3·age group 1 + age group 2)
 * + sex. */
#define SOCIND__PREV_NCODE_2006 21
#define SOCIND__PREV_NCODE_2007 135

/* Work space for up to cap children of one table (2007: y07 = 1): their
 * z-scores and the columns whose sums they add. SOCIND_OK and *out, or
 * SOCIND_ERR_NOMEM. */
typedef struct socind__prev_block socind__prev_block;
int32_t socind__prev_block_new(int y07, size_t cap, socind__prev_block **out);
void socind__prev_block_free(socind__prev_block *b);
/* Fills the block with children [off, off + n) (n <= cap) of either input
 * (the other NULL). Allocates nothing; SOCIND_OK or growth's statuses for
 * bad arguments (the same for any off and n, n = 0 included). */
int32_t socind__prev_block_fill(socind__prev_block *b, const socind_growth_input *in06,
                                const socind_growth2007_input *in07, size_t off, size_t n);
/* Checks either input as the growth functions do (its size, rounding,
 * flags): SOCIND_OK or their status. Call before a block is filled from
 * it. */
int32_t socind__prev_check_input(const socind_growth_input *in06,
                                 const socind_growth2007_input *in07);
/* The cell code of each of the n first children of either input (age and
 * sex only), −1 for a child the age filter leaves out. */
void socind__prev_codes(const socind_growth_input *in06, const socind_growth2007_input *in07,
                        size_t n, int32_t *code);
/* Adds child i (weight w) into one cell's SOCIND__PREV_ACC sums. */
void socind__prev_block_add(const socind__prev_block *b, size_t i, double w, double *acc);

/* Second moments of a cell whose design has no PSU column (every child its
 * own PSU), after its SOCIND__PREV_ACC sums: per indicator [Σw² (x
 * present), Σw²·1[cut c] (6), Σw² (z present), Σw²·z, Σw²·z²] (10), then the
 * combined indicators [Σw², Σw²·both<−2, Σw²·HA<−2&WH>+2]. */
#define SOCIND__PREV_ACC2 (SOCIND__PREV_ACC + 43)
/* Adds child i's second moments (weight w) into m (43 values). */
void socind__prev_block_add2(const socind__prev_block *b, size_t i, double w, double *m);

/* The cells of a finished state: n cells, each with its PSU (dense, of d;
 * with moments: its stratum), its code, its domain (−1 none) and stride
 * sums (SOCIND__PREV_ACC, or SOCIND__PREV_ACC2 with moments). */
typedef struct {
    size_t n;
    const int32_t *psu, *code, *group;
    const double *acc;
    int32_t n_groups; /* 0: no domain column */
    int32_t stride;
} socind__prev_cells;

/* What a table from moments needs beyond d (whose "PSUs" are the strata,
 * with the kept children's n_h and scales): the lonely strata's count and
 * scales. */
typedef struct {
    size_t nlonely;
    double lonely_scale;
} socind__prev_moments;

/* The table (2007: y07 = 1) from the cells' sums over d, the design of the
 * m children kept (survey: anthro's survey backend, else its closed
 * formulas); o resolved. */
int32_t socind__prev_table(int y07, const socind_design *d, size_t m, int survey,
                           const socind__prev_cells *c, const socind__prev_moments *mom,
                           const socind_options *o, socind_prevalence_table **out);

/* The table through partial states on nthreads threads (state_prevalence.c):
 * the arguments checked by the caller (nutrition.c), d with a PSU column. */
int32_t socind__prev_threads(const socind_design *d, const socind_growth_input *in06,
                             const socind_growth2007_input *in07, const int32_t *group,
                             int32_t n_groups, const socind_options *o, int nthreads,
                             socind_prevalence_table **out);

#endif /* SOCIND_PREVALENCE_INTERNAL_H */
