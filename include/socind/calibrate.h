/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/calibrate.h — calibrated weights (R survey's postStratify, rake and
 * calibrate) and calibrated designs, whose standard errors use the
 * calibration's residuals as R's survey does.
 *
 * Weights. From a design with weights w₀ and population totals of auxiliary
 * variables, a calibration finds new weights w* = g·w₀ whose weighted totals
 * of the auxiliaries equal the population's:
 *  - post-stratification (postStratify): one categorical variable (the
 *    cells); w* = w₀·N_c/N̂_c in cell c.
 *  - raking (rake): several categorical margins; iterative proportional
 *    fitting, margin after margin in the order given, until the largest
 *    change of a margin's cell total (Σ w over a level's rows) over a sweep
 *    is below epsilon (survey's rule, its svytable of every margin before
 *    and after the sweep: epsilon < 1 is relative to Σ w₀, epsilon >= 1 is
 *    in weight units).
 *  - linear, raking and logit calibration (calibrate, calfun "linear",
 *    "raking", "logit"): g = F(x′λ) with F(η) = 1 + η, e^η, or the logit
 *    distance bounded by (L, U), L < 1 < U:
 *    g = [L(U−1) + U(1−L)e^{Aη}]/[(U−1) + (1−L)e^{Aη}], A = (U−L)/((1−L)(U−1)).
 *    λ solves Σ w₀ g x = t: linear in closed form (survey's regcalibrate),
 *    raking and logit by Newton's method (step halving when the misfit
 *    grows) until the largest relative misfit |t̂_j − t_j|/max(|t_j|, m_j)
 *    is below epsilon, m_j = min(1, Σ|w*·x_j|) (survey divides by
 *    1 + |t_j|, which lets totals below 1 pass unmet: socind measures them
 *    against themselves, or against their terms' sum of magnitudes where
 *    that is larger, and a total of 0 absolutely). x is the intercept
 *    (when asked), an indicator for every level of a categorical margin
 *    that has a total, and every numeric column. Where indicators sum to
 *    the intercept (or to another margin's indicators) one indicator is
 *    dropped, so the model matrix has full rank exactly when the caller's
 *    margins do; the totals then must agree (below).
 *
 * Variance (survey's svyrecvar with postStrata). An estimator's PSU totals
 * of w*·u become totals of w*·e, e a residual of u:
 *  - post-stratification: e = u − ū_c, ū_c = Σ_c w₀u / Σ_c w₀ (the cell's
 *    mean under the ORIGINAL weights);
 *  - raking: x = w*·u, then exactly 10 sweeps over the margins of
 *    x_k ← x_k − w⁽ⁱ⁾_k·mean_{j in k's cell}(x_j/w⁽ⁱ⁾_j), an unweighted mean
 *    over the cell's rows (rows of calibrated weight 0 left out), w⁽ⁱ⁾ margin
 *    i's weights as its post-stratification left them in the last sweep of
 *    the raking (survey's postStrata weights; w* for the last margin, and
 *    within epsilon of w* for the others once the raking has converged);
 *  - calibrate (every distance): e = u − x′β, β = (X′W₀X)⁻¹ Σ w₀ x u with
 *    W₀ the ORIGINAL weights (survey's qr.resid on √w₀·X).
 * The stratified with-replacement PSU variance (design.h) is then applied to
 * the totals of w*·e with every stratum of the design counted (a domain of a
 * calibrated design keeps all rows with zero weight outside it, as survey's
 * subset of a calibrated design does), the df are R's degf() of the
 * calibrated design — its PSUs and strata with a row of calibrated weight
 * other than 0 (negative ones count) — (also in domains, but for
 * socind_proportion and socind_quantile, whose domains take R's degf() of
 * that subset: its weights outside the domain are 0, so the domain's PSUs
 * minus its strata), and the lonely-PSU policy is the design's. A sampled
 * level given a total of 0 zeroes its rows' weights, and a PSU of only
 * such rows leaves the df; R's calibrate leaves those weights at rounding
 * noise (1e-17) so that its degf() keeps the PSU (an artefact, not
 * copied), and its postStratify and rake refuse such a level ("Strata in
 * sample absent from population").
 *
 * How the engine gets there (one code path for every estimator). The
 * residual needs the row-level cross-product Σ_k x_k w₀_k u_k, which PSU
 * totals alone do not give. A calibrated design therefore presents every
 * row as its own accumulation unit: socind_design_npsu() still reports the
 * PSUs, but every estimator's accumulation (lib/design.c socind__touch)
 * collects w*·u per row; the variance engine residualises those row values,
 * sums them into the real PSUs and computes the stratified variance over
 * them. Every estimator of socind reaches its SE through that engine, so
 * none has a calibration path of its own, and an uncalibrated design runs
 * exactly as before (one pointer test per variance). The price on a
 * calibrated design: per-row work arrays (about 8·m + 17 bytes a row, m
 * the estimator's accumulators, allocated per call); a variance of
 * calibrate or post-stratification costs O(rows touched·q + PSUs·q) (q the
 * model's columns: the PSUs' Σ w*·x are kept with the design), one of rake
 * or over whole-sample vectors (relative lines) O(n·q) (rake: 10 sweeps
 * over its margins); and an estimator that scans every PSU for each domain
 * scans every row instead. On 10^6 rows in 25,000 PSUs, linear
 * calibration with q = 5 (2 cores, shared): a mean 0.11 s against 0.010 s
 * uncalibrated, a mean by 50 domains 0.88 s against 0.12 s, the Gini
 * coefficient 0.50 s against 0.09 s.
 *
 * Negative weights. Linear calibration can give g < 0; the calibrated
 * design keeps such weights (survey does), and the estimators of totals,
 * means, ratios, proportions and the FGT measures against a fixed line use
 * them as they are. As convey's svyfgt, the poverty measures give rows of
 * negative weight a linearized value of 0. Rank-based estimators (quantiles,
 * Gini, relative lines …) refuse a design with a negative weight
 * (SOCIND_ERR_WEIGHT).
 *
 * Not available on a calibrated design: partial states and threads (the
 * estimators run on the calling thread whatever opts->threads says). The
 * nutrition prevalence table (socind/nutrition.h) takes a calibrated design
 * through the same engine: it keeps every row of it (the children it leaves
 * out stay with no value instead of leaving the design), so each row equals
 * socind_proportion / socind_mean of its indicator on the calibrated design.
 */
#ifndef SOCIND_CALIBRATE_H
#define SOCIND_CALIBRATE_H

#include "socind/design.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Calibration methods (socind_calibration.method). */
#define SOCIND_CAL_POSTSTRATIFY 0 /* postStratify: one margin, the cells */
#define SOCIND_CAL_RAKE 1         /* rake: iterative proportional fitting */
#define SOCIND_CAL_LINEAR 2       /* calibrate(calfun = "linear") */
#define SOCIND_CAL_RAKING 3       /* calibrate(calfun = "raking") */
#define SOCIND_CAL_LOGIT 4        /* calibrate(calfun = "logit", bounds = c(L, U)) */

/* What to calibrate to. Start from socind_calibration_init(). Columns are
 * n = socind_design_nrows() long and are read, not kept.
 *  method         SOCIND_CAL_* (default SOCIND_CAL_LINEAR).
 *  n_margins      categorical margins (>= 0): post-stratification takes
 *                 exactly 1 (cross the grouping columns into cell codes),
 *                 rake at least 1.
 *  codes          n_margins·n level codes, margin i's at codes + i·n, each
 *                 in [0, levels[i]).
 *  levels         n_margins level counts (>= 1).
 *  margin_totals  Σ levels population totals, margin after margin, level by
 *                 level: finite and >= 0. NaN: the level is not a target
 *                 (calibrate only; post-stratification and rake need every
 *                 level's total).
 *  n_numeric, x, x_totals  numeric auxiliaries (calibrate only): n_numeric·n
 *                 finite values, column j at x + j·n, and their population
 *                 totals (finite).
 *  intercept, intercept_total  1: the population size is a target
 *                 (calibrate only), finite and > 0 (0 is refused below).
 *  lower, upper   the logit distance's bounds on g, lower < 1 < upper and
 *                 finite; the other methods take none (default −inf, +inf).
 *                 Always on g, w* over w₀: survey's grake, where every target
 *                 exceeds 20 times its sample total (weights that sum to
 *                 the sample size, targets counts of the population),
 *                 first multiplies w₀ by the mean of those ratios and puts
 *                 the bounds on that (it warns "Bounds were set but will be
 *                 interpreted after rescaling"); socind does not copy that
 *                 heuristic: bounds (0.5, 2) there cannot be met
 *                 (SOCIND_ERR_CONVERGENCE) — give w₀ on the population's
 *                 scale, or bounds on g itself.
 *  max_iter       iterations allowed, >= 1; 0 (the default): the method's,
 *                 1000 sweeps for rake, 100 Newton steps for raking and
 *                 logit.
 *  epsilon        convergence (default 1e-13 for rake: survey's rule above;
 *                 1e-12 relative misfit for raking and logit), > 0. */
typedef struct socind_calibration {
    size_t size; /* sizeof(socind_calibration) */
    int32_t method;
    int32_t n_margins;
    const int32_t *codes;
    const int32_t *levels;
    const double *margin_totals;
    int32_t n_numeric;
    int32_t intercept;
    const double *x;
    const double *x_totals;
    double intercept_total;
    double lower, upper;
    int32_t max_iter;
    int32_t reserved; /* 0 */
    double epsilon;   /* 0: the method's default */
} socind_calibration;

/* Fills *cal with the defaults: method LINEAR, no margin, no numeric
 * column, no intercept, bounds (−inf, +inf), max_iter 0 and epsilon 0 (the
 * method's defaults). Returns SOCIND_OK or SOCIND_ERR_NULL. Thread-safe. */
SOCIND_API int32_t socind_calibration_init(socind_calibration *cal);

/* Calibrates the weights of `design` to cal's targets (the methods and
 * their sources: the top of this header).
 *  weights     NULL, or n outputs: the calibrated weights w* (rows of
 *              weight 0 keep 0).
 *  iterations  NULL, or the iterations run (sweeps for rake, Newton steps
 *              for raking and logit; 1 for post-stratification and linear).
 *  calibrated  NULL, or *calibrated = a new design with the weights w*, the
 *              strata, PSUs, fpc and lonely-PSU policy of `design`, which
 *              remembers the calibration: every estimator's SE on it uses
 *              the residuals (top of this header). Free it with
 *              socind_design_free(). `design` may be freed before it.
 * Returns SOCIND_OK, or:
 *  SOCIND_ERR_NULL (design or cal NULL; codes, levels or margin_totals NULL
 *    with margins; x or x_totals NULL with numeric columns),
 *  SOCIND_ERR_OPTIONS (cal's size), SOCIND_ERR_ARG (an unknown method,
 *    counts that the method does not take, bounds outside the rule above,
 *    max_iter < 0, epsilon < 0 or NaN, reserved not 0, a design that is
 *    calibrated already, or a replicate design (socind/replicate.h: each
 *    replicate would need its own calibration, which is not supported)),
 *  SOCIND_ERR_CODE (a code outside [0, levels); the row is named),
 *  SOCIND_ERR_DATA (a NaN or infinite x; the row is named),
 *  SOCIND_ERR_TARGETS (the detail names the margin and level or the term:
 *    a negative, NaN or infinite total where one is needed; a category
 *    with no sampled row of positive weight and a positive total (one
 *    whose total is 0 is met as it is and left out, every method: survey's
 *    postStratify leaves the cell out, its calibrate the column of zeros);
 *    margins
 *    whose grand totals differ by more than 1e-9 relative (rake, and the
 *    margins that sum to the intercept in calibrate); a numeric column that
 *    is zero on every sampled row; targets that leave every calibrated
 *    weight 0 (calibrate: a population size of 0, the intercept's total or
 *    every level of a full margin; for raking, and logit with lower >= 0,
 *    a total of 0 for a column of one sign, never 0, on the sampled rows —
 *    the iteration would end on weights of rounding's size); a singular
 *    X′W₀X (the model's columns are dependent); linear calibration whose closed form leaves a
 *    relative misfit of epsilon or more),
 *  SOCIND_ERR_CONVERGENCE (rake, raking or logit not converged within
 *    max_iter, or a Newton step that no halving improves: the detail says
 *    after how many iterations and the largest misfit — for logit, targets
 *    the bounds cannot reach end here; weights then hold the last iterate
 *    and *calibrated is NULL),
 *  SOCIND_ERR_NOMEM.
 * On any other failure weights are NaN and *calibrated is NULL.
 * Cost: O(n·q²) a Newton step (q the model's columns; O(n) a rake sweep);
 * memory O(n·q) while it runs; the calibrated design keeps about 32 bytes
 * a row (its weights and unit maps, and a copy of the original design),
 * plus 8·q a row for calibrate (the model matrix) or 4 a row per margin
 * for post-stratification and rake.
 * Thread-safe; the calibrated design is immutable, as any design. */
SOCIND_API int32_t socind_calibrate(const socind_design *design, const socind_calibration *cal,
                                    double *weights, int32_t *iterations,
                                    socind_design **calibrated);

/* 1 when the design was made by socind_calibrate (its SEs use the
 * calibration's residuals), 0 otherwise and for NULL. Thread-safe. */
SOCIND_API int32_t socind_design_calibrated(const socind_design *design);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_CALIBRATE_H */
