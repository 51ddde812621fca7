/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/design.h — the survey design, the variance engine, and the first
 * estimators built on it: totals, means, ratios and proportions, overall and
 * by domain.
 *
 * Variance (R survey's svyrecvar, one stage): for an estimator θ̂ with
 * linearized variable u (θ̂ − θ ≈ Σ_k w_k u_k), the PSU totals
 * z_hi = Σ_{k in PSU hi} w_k u_k give
 *
 *     V̂ = Σ_h (1 − f_h) · n_h/(n_h − 1) · Σ_i (z_hi − z̄_h)²
 *
 * with n_h the number of sampled PSUs of stratum h in the whole design and
 * f_h its sampling fraction (0 without fpc). PSUs are taken as drawn with
 * replacement at the first stage; no later-stage term is added. Degrees of
 * freedom: number of PSUs minus number of strata, both counted over rows with
 * a non-zero weight (R's degf()). survey 4.5's C++ variance code (its
 * default, options(survey.use_rcpp = TRUE)) sets a variance below 1e−16 to
 * 0 whatever the scale of the estimate (an SE below 1e−8 is reported as 0;
 * a domain of convey's svyfgt where every row is poor: SE 0 in R, 2.6e−9
 * with survey.use_rcpp = FALSE and here); socind does not copy that.
 *
 * Rounding: each z_hi is a sum of its PSU's rows in doubles (at most
 * (m − 1)·2^−53 of the sum of the m terms' magnitudes); the strata's Σ_i z_hi
 * and Σ_i (z_hi − z̄_h)² are compensated sums (in the threads' finish, for
 * strata cut by its shares or of more than 256 PSUs; shorter ones within
 * 255·2^−53 of their terms' magnitudes) (each addition's rounding error
 * kept and added back), so a stratum of many PSUs adds almost no rounding
 * of its own: each sum within 2^−52 of its value plus n_h·2^−105 of the sum
 * of its terms' magnitudes (plain sums over a stratum of 400,000 PSUs, many
 * of them equal, were off by 1.5e−12 relative in the SE).
 *
 * Domains ("by"): a group code per row (int32, −1 = in no group). Rows outside
 * a domain contribute zero but stay in the design: every PSU of the design
 * counts in n_h (R's svyby on a survey design, survey.adjust.domain.lonely =
 * FALSE). A stratum is "present" for a domain when at least one of its rows is
 * in the domain with a non-missing value. Which strata a domain's variance
 * counts is opts->domain_rule (common.h): SUBSET, the present ones (strata
 * that are not present contribute nothing; svyby on the domain's design), or
 * FULL, every stratum of the design (zeros outside the domain). The choice
 * only matters for the lonely-PSU rules below, under ADJUST and AVERAGE.
 * Every estimator of this header follows SUBSET by default (AUTO), as
 * survey's svytotal, svymean, svyratio and svyciprop do by domain.
 *
 * Missing values: a row whose variable is NaN leaves the estimate (and its
 * domain) but stays in the design, as na.rm = TRUE does in R's survey.
 */
#ifndef SOCIND_DESIGN_H
#define SOCIND_DESIGN_H

#include "socind/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Strata with a single PSU (R's options(survey.lonely.psu = …), survey ≥ 4.2).
 * For such a stratum the factor n_h/(n_h − 1) is dropped, and: */
/* A single PSU that is its stratum's whole population (fpc N_h = 1, or a
 * fraction of 1: 1 − f_h below 1e−7, survey's test) is a certainty PSU,
 * not a lonely one (R's survey applies the policy only where N_h > 1): it
 * contributes 0 under every policy, FAIL
 * does not refuse it, and AVERAGE counts its stratum among the H strata but
 * not among the H₁ lonely ones. (The prevalence tables of nutrition.h still
 * count it as lonely.) */
#define SOCIND_LONELY_FAIL 0   /* the design is refused (SOCIND_ERR_LONELY_PSU) */
#define SOCIND_LONELY_REMOVE 1 /* contributes 0 */
#define SOCIND_LONELY_ADJUST                                                                       \
    2 /* contributes (1 − f_h)·(z_h1 − c)², with c the                                       \
         grand mean of the PSU totals over the counted                                             \
         strata: Σ z / Σ_{h counted} n_h (counted: the                                           \
         present strata, or all under the domain rule FULL) */
#define SOCIND_LONELY_AVERAGE                                                                      \
    3                             /* the stratum is dropped and V̂ is multiplied by               \
                                     H/(H − H₁) (counted strata; lonely ones) */
#define SOCIND_LONELY_CERTAINTY 4 /* contributes 0 (a certainty PSU) */

typedef struct socind_design_options {
    size_t size;        /* sizeof(socind_design_options) */
    int32_t lonely_psu; /* SOCIND_LONELY_*; default SOCIND_LONELY_FAIL */
    int32_t nest;       /* 0 (default): a PSU id must belong to one stratum, else
                           SOCIND_ERR_NESTING; 1: PSU ids are local to their
                           stratum (R's nest = TRUE), a PSU is the pair
                           (stratum, psu) */
    int32_t threads;    /* threads the build may use: 1 (default), up to
                           SOCIND_MAX_THREADS, or 0 for one per online
                           processor (common.h's socind_options.threads); a
                           caller whose struct ends before it gets 1. The
                           design is the same whatever the count
                           (socind_design_new) */
} socind_design_options;

/* Fills *opts with the defaults (lonely_psu = FAIL, nest = 0, threads = 1). Returns
 * SOCIND_ERR_NULL for NULL. Thread-safe. */
SOCIND_API int32_t socind_design_options_init(socind_design_options *opts);

/* Opaque, immutable survey design. */
typedef struct socind_design socind_design;

/* Builds a design over n rows.
 *  weight  n sampling weights, finite and >= 0 (required); rows with weight 0
 *          count nowhere but keep their PSU in n_h.
 *  strata  n stratum ids (any int64 values) or NULL for one stratum.
 *  psu     n PSU (cluster) ids or NULL: every row is its own PSU.
 *  fpc     n values or NULL: per row, as R's survey takes it, either the
 *          population number of PSUs N_h of the row's stratum or, when every
 *          value is <= 1, the sampling fraction f_h = n_h/N_h. Must be finite,
 *          > 0 and constant within a stratum; N_h must not be below the
 *          stratum's sampled PSU count n_h.
 *  opts    NULL for defaults.
 * The arrays are copied as needed; the caller may free them afterwards.
 * Strata and PSUs are numbered by first appearance (the PSUs of a stratum
 * then kept together), the same numbering whatever opts->threads.
 * Threads: opts->threads (default 1: no thread is started) splits the rows
 * into that many contiguous chunks, one a thread, each at least 32,768 rows
 * (fewer threads for fewer rows); 0 takes one per online processor. Each
 * thread checks, copies and numbers its chunk's rows, the chunks' strata and
 * PSUs are merged by first appearance over the whole file, and a second
 * pass writes each row's PSU: the design is bit for bit the one-thread
 * design, and a refusal names the same row. A thread that cannot be started
 * leaves its chunk to the calling thread (slower, same design).
 * Memory: the design keeps 12 bytes a row (a copy of the weights and each
 * row's PSU, an int32), 8 bytes a PSU (its stratum; where its rows end, when
 * each PSU's rows are consecutive) and 28 bytes a stratum. The build
 * allocates nothing else per row; per PSU it holds, while it runs, each
 * chunk's PSU ids (8 bytes, 16 with nest) with their first stratum, last
 * row and flags (9 bytes; for a file sorted by PSU the first chunk's
 * stratum and row arrays are sized from the runs of its first rows for
 * the whole file and become the design's 8), a hash table when the ids do
 * not come in increasing order (16 to 32 bytes) and then the merge's ids
 * and PSU arrays (6 to 14 bytes; none for a file sorted by PSU). Measured
 * by bench/bench_design at 35 rows a PSU: a peak of 12.6 to 15.0 bytes a
 * row beyond the caller's arrays (PSUs in order or shuffled, 1 or 2
 * threads, 10^6 to 10^8 rows). Without a PSU
 * column every row is its own PSU: the design keeps 20 bytes a row (weight,
 * PSU, and the PSU's stratum and end), and the build's peak is about 22.
 * Cost: O(n): one pass over the rows reads weight, strata, psu (and fpc)
 * and writes the weights' copy and a local PSU id a row; a second rewrites
 * the ids (skipped for a chunk whose local ids are already final: one chunk
 * of a file sorted by stratum, or the first of several; an add when a
 * chunk's final ids follow its local ones, as in a file sorted by PSU);
 * plus O(PSUs + strata) to merge the chunks. Ids are looked up once per run
 * of rows with the same stratum and PSU; ids in increasing order (a file
 * sorted by stratum and PSU) need no hash table, so the processor time a
 * row stays flat from 10^7 to 10^8 rows (bench/bench_design, one thread:
 * 1.9 to 2.6 ns a row from 10^6 to 10^8 on a quiet day of its machine,
 * 2.0 ns at 10^6 and 4.5 to 5.2 ns at 10^7 and 10^8 on a day its fresh
 * memory was slower: repeated builds of 10^6 rows reuse the heap's pages,
 * larger ones take new pages from the kernel every time); ids out of order
 * are hashed, at about one cache miss a PSU once the PSUs outnumber the
 * cache. When the PSU ids come in
 * increasing order over the whole file (each PSU one run) the chunks' PSUs
 * cannot overlap but at the cuts, and the merge is one task a chunk over
 * its PSUs; else each chunk's PSUs are also looked up among the earlier
 * chunks' (the look-ups shared over the threads). A file whose PSU ids
 * increase but whose PSUs are not grouped by stratum (strata interleaved)
 * takes that task, then the look-ups and the general merge.
 * Returns SOCIND_OK and *out, or: SOCIND_ERR_NULL (weight or out NULL),
 * SOCIND_ERR_EMPTY (n = 0), SOCIND_ERR_RANGE (n above 2^31 − 1, the largest
 * design supported), SOCIND_ERR_WEIGHT (NaN, infinite or negative weight;
 * socind_last_error_row() names the row), SOCIND_ERR_ZERO_WEIGHTS (every
 * weight 0), SOCIND_ERR_FPC (not finite and > 0, or not constant within a
 * stratum: the row is named; or N_h below n_h), SOCIND_ERR_NESTING (the row
 * is named), SOCIND_ERR_LONELY_PSU (policy FAIL; the detail names the stratum
 * and the row is its first row), SOCIND_ERR_OPTIONS (a size below the first
 * version's or above 4096), SOCIND_ERR_ARG (unknown policy, nest not 0/1,
 * threads outside 0 .. SOCIND_MAX_THREADS),
 * SOCIND_ERR_NOMEM.
 * On failure *out is NULL. Free with socind_design_free(). Thread-safe; the
 * design, once built, may be shared by any number of threads. */
SOCIND_API int32_t socind_design_new(size_t n, const double *weight, const int64_t *strata,
                                     const int64_t *psu, const double *fpc,
                                     const socind_design_options *opts, socind_design **out);

/* Frees a design; NULL is accepted. Not while another thread uses it. */
SOCIND_API void socind_design_free(socind_design *design);

/* Number of rows of the design (0 for NULL). */
SOCIND_API size_t socind_design_nrows(const socind_design *design);
/* Number of strata (0 for NULL). */
SOCIND_API size_t socind_design_nstrata(const socind_design *design);
/* Number of PSUs (0 for NULL). */
SOCIND_API size_t socind_design_npsu(const socind_design *design);
/* Degrees of freedom: PSUs − strata over rows with non-zero weight (NaN for
 * NULL); for a replicate design (replicate.h), its degf. */
SOCIND_API double socind_design_df(const socind_design *design);

/* The variance engine. u holds a linearized variable per row (NaN is not
 * allowed: use group = −1 for rows to leave out); the result is the design
 * variance of the total Σ_k w_k u_k over each domain, under the domain rule
 * SUBSET (it takes no options; for FULL, pass u with zeros outside the
 * domain and group NULL: every stratum is then present).
 *  group     NULL (one domain: all rows) or n codes in [−1, n_groups).
 *  n_groups  number of domains when group is given (>= 1), ignored otherwise.
 *  var       1 or n_groups outputs.
 * Returns SOCIND_OK, SOCIND_ERR_NULL, SOCIND_ERR_ARG (n_groups < 1),
 * SOCIND_ERR_GROUP (the row is named), SOCIND_ERR_DATA (a NaN or infinite u
 * in a domain; the row is named), SOCIND_ERR_LONELY_PSU (policy AVERAGE with
 * every present stratum lonely), SOCIND_ERR_OVERFLOW (a variance beyond the
 * double range: PSU totals of w·u near 1e154 or beyond, or near 1e−154 or
 * below, where the variance is no longer a normal double), SOCIND_ERR_NOMEM.
 * A domain with no row gets variance 0. On success every var is finite and
 * >= 0; on failure every var is NaN. Cost: O(n + n_groups + PSUs + strata):
 * a domain costs O(its rows + the PSUs they touch). Thread-safe. */
SOCIND_API int32_t socind_variance(const socind_design *design, const double *u,
                                   const int32_t *group, int32_t n_groups, double *var);

/* ---------------------------------------------------------------------------
 * Estimators. Each takes the design, one or two columns of n values (NaN =
 * missing), an optional group column, options (NULL = defaults), and fills
 * one socind_estimate (group NULL) or n_groups of them. n is the design's
 * socind_design_nrows(), at most 2^31 − 1: socind_design_new refuses a
 * larger n with SOCIND_ERR_RANGE (no estimator here returns that status).
 *
 * Common statuses: SOCIND_ERR_NULL (design, x or out NULL), SOCIND_ERR_ARG
 * (n_groups < 1 with a group column; a bad level, ci_dist or prop_ci),
 * SOCIND_ERR_GROUP (a code outside [−1, n_groups); the row is named),
 * SOCIND_ERR_OPTIONS, SOCIND_ERR_DATA (a value of ±Inf in a row of a domain;
 * the row is named), SOCIND_ERR_NOMEM, SOCIND_ERR_EMPTY (no usable row at
 * all: every value missing or every row outside the domains; for a mean or
 * a proportion also every row with a value weighing 0). A domain with
 * no usable row is not an error: its estimate is NaN with n = 0 and status
 * SOCIND_ERR_EMPTY_DOMAIN; so is a mean's or proportion's domain whose rows
 * all weigh 0 (NaN, n its rows, weight_sum 0), as FGT's (a calibrated
 * design's weights of both signs that sum to 0 give SOCIND_ERR_DATA). Per estimate, with the
 * function returning SOCIND_OK: SOCIND_ERR_DF (t interval and df <= 0: the CI is NaN),
 * SOCIND_ERR_OVERFLOW (a sum, the SE or a limit exceeds the double range,
 * e.g. values near 1e308 or weights near DBL_MAX, or the t quantile does;
 * or the PSU totals of the linearized variable lie below 2^−969, values
 * near 1e−300, their bits lost to subnormals), SOCIND_ERR_LONELY_PSU
 * (policy AVERAGE with every present stratum lonely: the SE is NaN). The
 * variance is made on the PSU totals scaled by a power of 2 (exact), so the
 * SE of values near 1e±160, whose squares leave the doubles, is right; the
 * mean's deff needs Σw·x² and is NaN beyond about 1e±150. All outputs are
 * NaN or 0 on failure. Thread-safe.
 * Temporary memory: a few doubles per PSU, plus, when a group column is
 * given, one row index (n entries) — or, when each group's rows are
 * consecutive (a file sorted by the group; −1 rows between two groups are
 * fine, not within one), only each group's first row (the figures are the
 * same bits either way). Cost: O(n + n_groups + PSUs + strata), as
 * socind_variance.
 * Threads: with opts->threads other than 1 the four estimators below
 * (socind_proportion's likelihood interval excepted) split their rows over
 * threads through partial states (socind/state.h, "Threads").
 * A domain whose rows all lie in one PSU: that PSU's sums are the domain's,
 * so a mean's, ratio's or proportion's linearized PSU total is exactly 0
 * and so is the SE (in memory, on threads and from states; the poverty
 * ratios of poverty.h against a fixed line too: a relative line's term
 * stays). R's rounding leaves about 1e−17 there, which
 * for a proportion's beta and likelihood intervals is the difference
 * between a finite [p̂, p̂] and NaN limits with SOCIND_ERR_RANGE (socind:
 * the latter, as for any SE of 0).
 * ------------------------------------------------------------------------- */

/* Population total X̂ = Σ w_k x_k (svytotal), u_k = x_k. */
SOCIND_API int32_t socind_total(const socind_design *design, const double *x, const int32_t *group,
                                int32_t n_groups, const socind_options *opts, socind_estimate *out);

/* Mean x̄ = Σ w x / Σ w (svymean), u_k = (x_k − x̄)/N̂. deff is the variance
 * ratio to simple random sampling with replacement of the same n, R's
 * svymean(deff = "replace"). Every sum is taken about the domain's first
 * used value of non-zero weight (on threads and in partial states too), so that u's PSU
 * totals and the design effect's Σ w (x − x̄)² keep their digits where the
 * values sit far from 0 (values of 10^8 + u, u in [0, 4): the figures are
 * those of u within 1e−12). Where Σ w (x − that value) leaves the double
 * range (values spread over about 1e308) the mean is NaN with
 * SOCIND_ERR_OVERFLOW. */
SOCIND_API int32_t socind_mean(const socind_design *design, const double *x, const int32_t *group,
                               int32_t n_groups, const socind_options *opts, socind_estimate *out);

/* Ratio R̂ = Σ w a / Σ w b (svyratio), u_k = (a_k − R̂ b_k)/B̂. A row is used
 * when both a and b are non-missing. B̂ = 0 in a domain gives NaN with status
 * SOCIND_ERR_DATA for that estimate. */
SOCIND_API int32_t socind_ratio(const socind_design *design, const double *numerator,
                                const double *denominator, const int32_t *group, int32_t n_groups,
                                const socind_options *opts, socind_estimate *out);

/* Proportion: the mean of a 0/1 variable, with the proportion interval of
 * opts->prop_ci (logit by default), as R's svyciprop (survey 4.5) gives it
 * on the domain's design — svyby(~y, ~g, design, svyciprop) or
 * svyciprop(~y, subset(design, g == j)). Values must be 0, 1 or NaN, else
 * SOCIND_ERR_DATA (the detail names the row).
 *  - df: each domain's estimate carries the domain design's degf(), the
 *    PSUs minus the strata among the domain's rows of non-zero weight (a row
 *    whose value is NaN still counts: it stays in R's design), and every
 *    method's interval uses it. Without a group column, and under
 *    opts->domain_rule FULL, the df is the whole design's. The other
 *    estimators (FGT at α = 0, the poverty profile, the prevalences) keep
 *    the whole design's df.
 *  - logit: at the exact fit β̂ = logit p̂, expit(β̂ ∓ q·se/(p̂(1 − p̂))).
 *    R's svyglm stops its IRLS at glm's epsilon = 1e-8, a little off the
 *    exact MLE, and builds its logit interval there: its limits differ from
 *    the exact ones by up to ~1e-7 relative — an artefact of R's iteration
 *    that socind does not copy.
 *  - likelihood: survey's profile likelihood is a grid (β̂ ± k·(zmax/5)·se)
 *    around R's fit, interpolated by a spline and inverted linearly, so its
 *    limits depend on where the IRLS stopped (up to 5e-4 in small domains):
 *    the method is R's procedure, and socind follows it. socind_proportion
 *    repeats the fit in a second
 *    pass over the domain's rows: prior weights w/mean(w) over the domain's
 *    rows, binomial()$initialize's per-row start, glm.fit's first least-
 *    squares step, then the shared-μ steps β ← β + (p̂ − μ)/μ.η(β) to glm's
 *    stopping rule (maxit 25). At that β̂ it takes svyglm's sandwich SE,
 *    √V(Σ w(x − μ̂))/(Σ w·μ̂(1 − μ̂)) (V from the PSU totals by the same
 *    variance engine), the Rao–Scott factor over summary.glm's
 *    cov.unscaled, and the dispersion summary.svyglm reports (svyvar of the
 *    Pearson residuals: n'/(n' − 1)·p̂(1 − p̂)/(μ̂(1 − μ̂)), n' the rows of
 *    non-zero weight, times c_fit/c_all where some rows' value is missing:
 *    the mean weight of the rows with a value over that of all the
 *    domain's rows, as residuals.svyglm's Pearson residuals carry it); the
 *    likelihood interval is the profile around that
 *    β̂ (common.h). value stays p̂ (svymean) and se svymean's SE, as
 *    svyciprop's "var"; R's printed estimate for logit and likelihood is
 *    expit(β̂). Where the fit cannot be made (p̂ = 0 or 1,
 *    one row, a zero SE) the exact-fit formulas of common.h apply.
 *    socind_prop_ci (common.h) gives the exact-fit interval for a p̂, se, df
 *    and n of the caller's.
 * Cost: one pass over the rows; grouped, one more over each domain's rows
 * (its df) and, for likelihood, another (the fit) and a second
 * variance over its PSUs; O(npsu + nstrata) extra memory. */
SOCIND_API int32_t socind_proportion(const socind_design *design, const double *x,
                                     const int32_t *group, int32_t n_groups,
                                     const socind_options *opts, socind_estimate *out);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_DESIGN_H */
