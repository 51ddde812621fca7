/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/nutrition.h — the prevalence table of WHO's anthro_prevalence()
 * (WHO 2006 standards, children under 5): for length/height-for-age (HA),
 * weight-for-age (WA), BMI-for-age (BMI) and weight-for-length/height (WH),
 * the prevalence below −3, −2, −1 and above +1, +2, +3 SD, the mean z-score
 * and its SD, and "stunted and wasted" / "stunted and overweight", each with
 * SE and CI under the survey design, overall, by WHO's age groups (0–5, 6–11,
 * 12–23, 24–35, 36–47, 48–59 months), by sex, by age group × sex, and by a
 * caller's domain column.
 *
 * Named indicators: stunting = HA < −2, severe stunting = HA < −3, wasting =
 * WH < −2, severe wasting = WH < −3 (oedema included), overweight = WH > +2,
 * underweight = WA < −2.
 *
 * The rules (anthro 1.1.0.9000, R/prevalence*.R):
 *  - z-scores as socind_growth_who2006() with WHO rounding; rows older than
 *    1826 days (rounded) are left out before anything else, the design
 *    included: the table restricts the caller's design to the children it
 *    keeps (strata and PSUs left without a child vanish; n_h, the lonely
 *    strata and df are counted over the kept children), as anthro builds its
 *    design after this filter. Rows with a missing age stay (they count in
 *    All, sex and domain rows);
 *  - flagged z-scores are excluded; for WA, BMI and WH a child with oedema
 *    counts with z = −3.1 in the prevalences and counts (so as severely
 *    wasted / underweight) but not in the mean z-score and SD — not a
 *    child of negative age, which is in no indicator (growth.h; anthro
 *    refuses such a file);
 *  - cut-offs are strict, on the rounded z: < −3, < −2, < −1, > 1, > 2, > 3;
 *  - a design with strata or PSU ids (anthro's survey backend): estimates as
 *    R's survey (svymean, svyciprop(method = "logit") on the design's df =
 *    PSUs − strata over the kept children with a non-zero weight); the SD is
 *    sqrt(Σw(z − z̄)²/Σw · n/(n − 1)), n = children with a non-zero weight;
 *  - a design built without strata and without PSU ids (weights only, or
 *    weights 1: anthro's closed formulas): every child its own PSU; the mean
 *    z-score's interval uses t on N − 1 df (N = children in the table) and
 *    the SD counts every child; prevalences on the design's df (children
 *    with a non-zero weight − 1), as anthro's survey-based prevalences there.
 *
 * The design is the caller's (socind_design_new(), one row per child, its
 * weights the sampling weights). anthro's own design rules are documented
 * defaults a caller keeps by building the design with SOCIND_LONELY_ADJUST
 * and nest = 1 (lonely PSUs "adjust"; cluster ids numbered within their
 * strata):
 *
 *     socind_design_options o;
 *     socind_design_options_init(&o);
 *     o.lonely_psu = SOCIND_LONELY_ADJUST;
 *     o.nest = 1;
 *     socind_design_new(n, sw, strata, cluster, NULL, &o, &design);
 *
 * with strata and cluster NULL where the survey has none, weights 1 where it
 * has no sampling weights, and, as anthro does: a missing sampling weight
 * set to 0 by the caller (a design takes finite weights >= 0 only; the child
 * stays in the design and counts nowhere), rows without a cluster or a
 * stratum left out of every array (anthro removes them), and, when every
 * child the table keeps (after the age filter) has the same cluster id,
 * every child given its own PSU id (anthro then uses ids = ~1; the library
 * never sees the raw ids). The intervals
 * follow opts: their defaults (t on the design's df; the logit interval for
 * prevalences) are anthro's. A design built with other choices (another
 * lonely-PSU policy; fpc: each stratum keeps the given design's sampling
 * fraction) is honoured, and the table then departs from anthro by that
 * choice.
 *
 * Where socind differs from anthro on purpose: the logit interval is computed
 * exactly (anthro's quasibinomial glm stops ~1e-7 short), and a prevalence of
 * 0 is pinned to [0, 0] and of 1 (100 %) to [1, 1] under the logit interval,
 * on a design of df 0 too (anthro pins a prevalence of 0 whatever the df, and
 * one of exactly 1 % to [1, 1] — a percent/proportion slip — and lets 100 %
 * diverge); at df 0 the means and the other prevalences have no interval
 * (SOCIND_ERR_DF), as anthro's NA. Prevalences are proportions (0–1), not percentages.
 *
 * anthro 1.0.1 (the CRAN release; anthroplus 1.0.0 calls its code) differs
 * from the 1.1.0.9000 rules above, and socind does not copy it: (1) it runs
 * every table through survey, the weights-only and no-design ones too, so
 * with sampling weights but no strata or clusters its mean z-score interval
 * takes t on the design's df (children with a non-zero weight − 1) and its
 * SD counts only the children with a non-zero weight (NA for a group with
 * one such child), where the closed formulas above take N − 1 and every
 * child: on files with zero or missing weights the SD and the mean's
 * interval then differ by ~1e-4 relative (SD 1.342528 against 1.342345 for
 * 193 children, 186 of non-zero weight); the prevalences, SEs, means and
 * counts are the same;
 * (2) it does not pin a prevalence of 0 or 100 %: the interval is what the
 * unconverged glm leaves, e.g. [3.6e-11, 2.9e-10] % for 0 %; (3) its glm
 * interval's shortfall grows as the prevalence nears 0: ~1e-7 relative at
 * ordinary prevalences, 1.2e-5 at 3e-8 (upper limit 0.00994873 % against
 * the exact 0.00994885 %). Estimates, SEs, means, SDs (design path) and
 * counts agree with 1.0.1 to ~1e-12 relative, but for an SD far smaller
 * than its mean z-score: the SD comes from the mergeable sums
 * Σw·z² − (Σw·z)²/Σw, which lose digits there (SD 9.384388e-05 against the
 * exact 9.384386e-05, 1.4e-7 relative, for two children of z −5.08 and
 * −5.14 with weights 553.6 and 0.00068; R's two-pass svyvar is exact). The
 * mean z-score's SE on a design whose PSUs are single children (weights
 * only, or no design) comes from such moments too and loses digits the
 * same way: 4.837205e-05 against the exact 4.837207e-05 (4.5e-7 relative;
 * two children, weights 1.9 and 105875), and 5.3e-08 where a group of one
 * child has SE 0.
 */
#ifndef SOCIND_NUTRITION_H
#define SOCIND_NUTRITION_H

#include "socind/design.h"
#include "socind/growth.h"

#ifdef __cplusplus
extern "C" {
#endif

/* indicators, in anthro's column order */
#define SOCIND_NUT_HA 0        /* length/height-for-age */
#define SOCIND_NUT_WA 1        /* weight-for-age */
#define SOCIND_NUT_BMI 2       /* BMI-for-age */
#define SOCIND_NUT_WH 3        /* weight-for-length/height */
#define SOCIND_NUT_HA_2_WH_2 4 /* stunted and wasted (HA < −2 and WH < −2) */
#define SOCIND_NUT_HA_2_WH2 5  /* stunted and overweight (HA < −2 and WH > +2) */
#define SOCIND_NUT_INDICATOR_COUNT 6
/* the first four (HA, WA, BMI, WH) are z-scores: socind_growth_quality's
 * arrays hold SOCIND_NUT_Z_COUNT of them, indexed by SOCIND_NUT_HA … WH */
#define SOCIND_NUT_Z_COUNT 4

/* statistics */
#define SOCIND_NUT_LT3 0  /* z < −3 */
#define SOCIND_NUT_LT2 1  /* z < −2 */
#define SOCIND_NUT_LT1 2  /* z < −1 */
#define SOCIND_NUT_GT1 3  /* z > +1 */
#define SOCIND_NUT_GT2 4  /* z > +2 */
#define SOCIND_NUT_GT3 5  /* z > +3 */
#define SOCIND_NUT_MEAN 6 /* mean z-score (with its SD in stdev) */
#define SOCIND_NUT_BOTH 7 /* the combined indicators' prevalence */
#define SOCIND_NUT_STATISTIC_COUNT 8

/* breakdowns */
#define SOCIND_GROUP_ALL 0 /* level 0 */
#define SOCIND_GROUP_AGE 1 /* level 0..5: 0–5, 6–11, 12–23, 24–35, 36–47, 48–59 months */
#define SOCIND_GROUP_SEX 2     /* level 2 female, 1 male (female first, as anthro) */
#define SOCIND_GROUP_AGE_SEX 3 /* level = 2·age_group + (sex == male) */
#define SOCIND_GROUP_DOMAIN 4  /* level = the caller's group code */
/* 5–19 years (anthroplus) */
#define SOCIND_GROUP_AGE1 5 /* level 0..14: 60–71, 72–83, …, 216–227 months; 14: exactly 228 */
#define SOCIND_GROUP_AGE2 6     /* level 0..2: 60–119, 120–179, 180–228 months */
#define SOCIND_GROUP_AGE2_SEX 7 /* level = 2·age_group_2 + (sex == male) */

/* One row of a table, copied out by socind_prevalence_table_row(). */
typedef struct socind_prevalence_row {
    size_t size;            /* sizeof(socind_prevalence_row): set by socind_prevalence_row_init() */
    int32_t group_kind;     /* SOCIND_GROUP_* */
    int32_t group_level;    /* see SOCIND_GROUP_* */
    int32_t indicator;      /* SOCIND_NUT_* indicator */
    int32_t statistic;      /* SOCIND_NUT_* statistic */
    socind_estimate est;    /* prevalence (0–1) or mean z-score, with SE and CI */
    double stdev;           /* SD of the z-score (MEAN rows), else NaN */
    double pop_weighted;    /* weighted count of children with a usable value
                               (oedema included; anthro's …_pop) */
    int64_t pop_unweighted; /* their number (anthro's …_unwpop) */
    int64_t flagged;        /* children of the group whose z-score WHO's flags
                               excluded (combined indicators: HA or WH flagged) */
} socind_prevalence_row;

/* Fills *row as a failed copy leaves it (size set; codes −1, counts 0, est
 * NaN with status SOCIND_ERR_EMPTY_DOMAIN, stdev and pop_weighted NaN).
 * Returns SOCIND_ERR_NULL for NULL. Thread-safe. */
SOCIND_API int32_t socind_prevalence_row_init(socind_prevalence_row *row);

typedef struct socind_prevalence_table socind_prevalence_table;

/* Builds the table for the n = socind_design_nrows(design) children of
 * design (see the rules above).
 *  design   the survey design, one row per child; its weights are the
 *           sampling weights. Read only: it may be shared.
 *  in       the growth columns (socind_growth_input; age in days or months),
 *           n values each
 *  group, n_groups  an optional domain column (n codes 0..n_groups−1, −1
 *           none) or NULL
 *  opts     NULL for anthro's defaults, or the level (default 0.95), ci_dist
 *           (SOCIND_CI_T on the design's df, default; SOCIND_CI_NORMAL),
 *           prop_ci (SOCIND_PROP_CI_LOGIT, default; any SOCIND_PROP_CI_*)
 *           and domain_rule (common.h; AUTO is SUBSET, as svyciprop and
 *           svymean by domain), and threads (default 1; see Threads below)
 * Returns SOCIND_OK and *out, or SOCIND_ERR_NULL (out, design, in or in->sex
 * NULL), SOCIND_ERR_ZERO_WEIGHTS (every child kept has weight 0),
 * SOCIND_ERR_GROUP (the row is named), SOCIND_ERR_EMPTY (no child left after
 * the age filter), SOCIND_ERR_LONELY_PSU (a design with policy
 * SOCIND_LONELY_FAIL one of whose strata keeps a single PSU after the age
 * filter; a row of it is named), SOCIND_ERR_OPTIONS (opts, or in's size
 * field), SOCIND_ERR_ARG (n_groups < 1 with a group column, a bad level,
 * ci_dist, prop_ci or domain_rule, or as socind_growth_who2006()),
 * SOCIND_ERR_NOMEM;
 * *out is NULL on failure. Each row's estimate follows the rule of common.h:
 * SOCIND_OK only with finite value, se and limits, else
 * SOCIND_ERR_EMPTY_DOMAIN (no child with a value; also WA in the 5–19 All
 * and Sex rows), SOCIND_ERR_DATA (their weights sum to 0), SOCIND_ERR_DF
 * (t interval and df <= 0, e.g. one cluster), SOCIND_ERR_OVERFLOW (weights
 * near DBL_MAX), SOCIND_ERR_LONELY_PSU (policy "average" with every present
 * stratum lonely). stdev is NaN where undefined (fewer than two children; its
 * estimate's status is not changed for that), and an SD beyond the double
 * range makes the MEAN row's status SOCIND_ERR_OVERFLOW. Memory during the
 * call (one thread, a design with a PSU column): about 150 bytes per
 * child, a copy of the design's arrays when the age filter leaves children
 * out, and per-PSU sums (up to 256 MB for the standard breakdowns in one
 * pass; beyond that, one pass per breakdown); without a PSU column, see
 * Threads below. The
 * caller keeps its arrays and design; the table is the caller's, freed with
 * socind_prevalence_table_free(). Thread-safe.
 *
 * Threads (opts->threads != 1, 8192 children or more). The rows are split
 * into one contiguous range per thread and each thread builds the table's
 * partial state from its range (socind/state.h: z-scores, the age filter
 * and the per-(PSU, cell) sums, in chunks of 32768 children); the states
 * are merged and finished into the table. The figures agree with one
 * thread's within 1e−12 relative (codes, counts and statuses exactly); the
 * tests check it on 1, 2 and 3 threads. Memory: per thread about 150 bytes
 * a child of a chunk and its state (about 0.5 kB per occupied (PSU, cell)),
 * instead of the columns of every child. A design without a PSU column
 * (every child its own PSU) takes that path on one thread too: its state
 * keeps per stratum the sums and second moments whose variance is the
 * engine's (state.h), in O(strata × cells) memory and time after the
 * z-scores, instead of a PSU per child. On a failure the status is the
 * one-thread call's; the row a lonely-stratum failure names is then the
 * first row of the lonely PSU (without a PSU column, of its stratum).
 *
 * A calibrated design (socind/calibrate.h). The table uses the calibrated
 * weights, and every SE the calibration's residuals, through the variance
 * engine every estimator uses: each row equals socind_proportion (its 0/1
 * indicator) or socind_mean (its z-score) on the same design, with NaN for
 * the children the row does not use, and the row's domain as the group
 * column (checked to 1e−12 relative on the reference children, tests/
 * test_calibrate_prevalence.c). The design is not restricted to the
 * children kept: those the age filter leaves out stay in it with no value
 * (as survey's subset of a calibrated design keeps its rows), so targets
 * meant for the children of the table's ages are met by calibrating a
 * design of those children only (the command and the binding do that:
 * they calibrate after anthro's exclusions). The figures are the design's
 * (its df; never the closed formulas of a design without strata or PSUs),
 * the lonely-PSU rule is the design's over all its rows, and the table
 * runs on the calling thread whatever opts->threads says (no partial
 * states). Memory: about 500 bytes a row of the design (a unit per row),
 * plus the engine's per-row residual work (socind/calibrate.h). */
SOCIND_API int32_t socind_prevalence_who2006(const socind_design *design,
                                             const socind_growth_input *in, const int32_t *group,
                                             int32_t n_groups, const socind_options *opts,
                                             socind_prevalence_table **out);

/* The 5–19 years table of WHO's anthroplus_prevalence() (WHO 2007
 * reference) for the n = socind_design_nrows(design) children of design:
 * height-for-age (HA: stunting < −2), weight-for-age (WA, to 120 months) and
 * BMI-for-age (BMI: thinness < −2, overweight > +1, obesity > +2), with the
 * same statistics, by All, sex, 12-month age groups (Age Group 1), 60–119 /
 * 120–179 / 180–228 months (Age Group 2), Age Group 2 × sex, and the caller's
 * domain. Children outside 60–228 months (or with a missing age) are left
 * out, of the design too, as in socind_prevalence_who2006(); z-scores as
 * socind_growth_who2007() with WHO rounding (in: socind_growth2007_input, n
 * values each; sex and age_months required); flagged values excluded;
 * oedema counts as −3.1 for BMI, and for WA up to 120 months; weight-for-age
 * is reported as missing in the All and sex rows (as anthroplus does). The
 * design and the intervals as for socind_prevalence_who2006() (anthroplus
 * sets no lonely-PSU policy and stops on a lonely PSU; the design above
 * adjusts). Arguments, statuses (SOCIND_ERR_NULL also for in->age_months
 * NULL; SOCIND_ERR_ARG as socind_growth_who2007()), memory, threads, a
 * calibrated design (its children outside 60–228 months stay in it with
 * no value), ownership and thread safety as socind_prevalence_who2006(). */
SOCIND_API int32_t socind_prevalence_who2007(const socind_design *design,
                                             const socind_growth2007_input *in,
                                             const int32_t *group, int32_t n_groups,
                                             const socind_options *opts,
                                             socind_prevalence_table **out);

/* The data-quality summary survey analysts read next to the table (WHO 2006,
 * children under 5; every child given, no age filter). */
typedef struct socind_growth_quality {
    /* sizeof(socind_growth_quality): set by socind_growth_quality_init() */
    size_t size;
    /* children */
    int64_t n;
    /* per indicator, indexed by SOCIND_NUT_HA, _WA, _BMI, _WH: */
    int64_t missing[SOCIND_NUT_Z_COUNT]; /* z-score not computed */
    int64_t flagged[SOCIND_NUT_Z_COUNT]; /* z-score computed and flagged by WHO's limits */
    /* SD (divisor n − 1, unweighted) of the unflagged z-scores; WHO's check:
       0.8–1.2 is plausible */
    double sd[SOCIND_NUT_Z_COUNT];
    int64_t oedema;      /* children with oedema */
    int64_t sex_missing; /* sex missing or not 1/2 */
    int64_t age_missing; /* age missing or negative */
    /* share of lengths/heights whose first decimal is 0 or 5 (0.2 without
       digit preference) */
    double lenhei_heaping;
    double weight_heaping; /* the same for weights */
    double age_heaping;    /* the same for ages given in months; NaN for ages in days */
} socind_growth_quality;

/* Fills *q with what a failure leaves (size set, every count 0, sd and the
 * heaping shares NaN). Returns SOCIND_ERR_NULL for NULL. Thread-safe. */
SOCIND_API int32_t socind_growth_quality_init(socind_growth_quality *q);

/* Fills *q (its size set by socind_growth_quality_init()) for n children.
 * SOCIND_OK, SOCIND_ERR_NULL (in, q or in->sex), SOCIND_ERR_OPTIONS (q's or
 * in's size), SOCIND_ERR_EMPTY (n = 0), SOCIND_ERR_ARG (as
 * socind_growth_who2006()), SOCIND_ERR_NOMEM. On failure a *q whose size is
 * right holds what socind_growth_quality_init() sets. The library writes
 * the fields its own version of the struct has, never beyond q->size.
 * Allocates 9 values per child for the call. Thread-safe. */
SOCIND_API int32_t socind_growth_quality_who2006(size_t n, const socind_growth_input *in,
                                                 socind_growth_quality *q);

/* Number of rows of the table (0 for NULL). Thread-safe. */
SOCIND_API size_t socind_prevalence_table_nrows(const socind_prevalence_table *t);

/* Copies row i into *row, whose size field socind_prevalence_row_init()
 * set: the fields that size covers (a caller built with an older, smaller
 * struct gets its fields; bytes beyond this version's struct are left as
 * they are), size itself unchanged. SOCIND_OK, SOCIND_ERR_NULL (t or row
 * NULL), SOCIND_ERR_OPTIONS (row->size below the first version's or above
 * 4096: *row is not written), SOCIND_ERR_ARG (i >= nrows). On another
 * failure *row (when not NULL) has its codes (group_kind, group_level,
 * indicator, statistic) −1, its counts 0, est NaN with the status and stdev
 * and pop_weighted NaN. Thread-safe on a shared table (read-only). */
SOCIND_API int32_t socind_prevalence_table_row(const socind_prevalence_table *t, size_t i,
                                               socind_prevalence_row *row);

/* Frees a table; NULL is accepted. Not while another thread reads it. */
SOCIND_API void socind_prevalence_table_free(socind_prevalence_table *t);

/* anthro's label of a group ("All", "Age group: 12-23 mo", "Sex: Female",
 * "Age + sex: 12-23 mo.Female"; anthroplus's "Age Group 1: 60-71 mo",
 * "Age Group 2: 60-119 mo", "Age + Sex: Female.60-119 mo"; a domain gives
 * "Group: <code>"; ASCII, at most 32 bytes with the NUL) written into buf
 * (cap bytes). *needed (when needed is not NULL) is set to the bytes the
 * label takes, its terminating NUL included (0 for an unknown kind/level).
 * buf NULL with cap 0 asks for the size only (SOCIND_OK, *needed set), as
 * socind_codes_string_label(). Returns SOCIND_OK (the label fits:
 * strlen(label) < cap), SOCIND_ERR_BUFFER (cap < *needed: nothing is
 * truncated, buf is "" when cap > 0), SOCIND_ERR_NULL (buf NULL with
 * cap > 0), SOCIND_ERR_ARG (an unknown kind, or a level outside the kind's;
 * buf "" when cap > 0). Thread-safe. */
SOCIND_API int32_t socind_prevalence_group_label(int32_t group_kind, int32_t group_level, char *buf,
                                                 size_t cap, size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_NUTRITION_H */
