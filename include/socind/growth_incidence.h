/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/growth_incidence.h — the growth incidence curve between two survey
 * rounds (Ravallion & Chen 2003, "Measuring pro-poor growth", Economics
 * Letters 78(1): 93–99) with design-based standard errors, the two rounds
 * being independent samples (as socind_difference treats them).
 *
 * Curve. For each percentile p (a fraction in (0, 1)),
 *
 *     g(p) = Q2(p) / (r·Q1(p)) − 1,
 *
 * Q_t(p) round t's weighted p-quantile of income (the library's quantile,
 * socind_quantile's rule: the smallest y whose cumulative weight share
 * reaches p, R's qrule "math") and r the price ratio CPI(round 2)/CPI(round
 * 1): round-2 incomes divided by r are in round-1 prices, so that round 2 =
 * r × round 1 gives g ≡ 0. The default grid is p = 1 %, 2 %, …, 99 %.
 *
 * Summaries (SOCIND_GIC_COUNT estimates, part k in summary[k]):
 *  - SOCIND_GIC_MEAN: the growth rate in the mean, μ2/(r·μ1) − 1, μ_t =
 *    Σ w y / Σ w (socind_mean's).
 *  - SOCIND_GIC_HEADCOUNT: H1, round 1's headcount ratio at the line (FGT0,
 *    socind_fgt's value; its SE includes an estimated line's term as
 *    socind_fgt's does, and its interval follows opts->prop_ci as FGT0's).
 *  - SOCIND_GIC_MEAN_POOR: the growth rate in the mean income of the poor,
 *    the poorest H1 of each round: GL2(H1)/(r·GL1(H1)) − 1, with GL_t(H) =
 *    Σ_k w_k y_k c_k / N̂_t the generalized Lorenz ordinate of round t, the
 *    rows in ascending order and the row straddling H·N̂_t counted
 *    fractionally (c_k in [0, 1], as socind_lorenz counts it), so that the
 *    mean income of the poorest H is GL_t(H)/H and H cancels in the ratio.
 *    For round 1 against an absolute line, GL1(H1)/H1 is the mean income of
 *    the poor. Ravallion & Chen call this "the growth rate in the mean for
 *    the poor", which differs from the next.
 *  - SOCIND_GIC_PRO_POOR: Ravallion & Chen's rate of pro-poor growth, the
 *    mean of g(p) over the poor's percentiles, on this grid: p_k = k/100
 *    (the double k/100, k = 1 .. 99), K = the number of p_k <= H1, and
 *    PPG = (1/K)·Σ_{k=1..K} g(p_k) (the paper's (1/H)∫_0^H g(p) dp on the
 *    1 % grid). The grid is its own, whatever the curve's percentiles.
 *    H1 < 1 % (K = 0): no percentile of the poor, NaN with SOCIND_ERR_DATA;
 *    H1 = 100 % takes K = 99.
 *
 * Variance (Taylor linearization, Deville 1999). Each component is a smooth
 * function of quantiles, means, Lorenz ordinates and H1, each with its
 * linearized variable per row:
 *  - quantile: u_Q = −(1[y <= Q] − p)/(N̂·f̂(Q)), f̂ the library's kernel
 *    density (lib/density.c, convey's Gaussian kernel with bandwidth
 *    σ̂/N̂^(1/5), σ̂ the weighted SD and N̂ the weights' sum of the round) —
 *    the linearization of convey's svyarpt/svyiqalpha. The curve's pointwise
 *    SE is the linearization's too, not Woodruff's (socind_quantile's
 *    reported SE), so that the pro-poor rate, a sum over percentiles of the
 *    same round, gets their covariances from the same variables;
 *  - mean: u = (y − μ)/N̂;
 *  - generalized Lorenz ordinate: u = ((y − Q)·1[y < Q] + H·Q − GL)/N̂, Q
 *    the straddling row's income (GL's slope in H);
 *  - H1: u = (1[poor] − H1)/N̂1 plus, for an estimated line, f̂1(z)·u_z
 *    with u_z the line's influence (poverty.h: fraction·u_Q at the line's
 *    quantile, or fraction·(y − μ1)/N̂1 for a mean line) and f̂1(z) the
 *    kernel density of round 1 at z.
 * Then, with ln(1 + g) a difference of logs, u_round2 = (1 + g)·u_2/θ2 and
 * u_round1 = −(1 + g)·u_1/θ1 (θ the round's quantile, mean or GL); the
 * mean of the poor adds (1 + g)·(Q2(H1)/GL2 − Q1(H1)/GL1)·u_H on round 1
 * (H1 enters both ordinates smoothly). The pro-poor rate's variables are
 * the mean of its K points' (its K is a step function of H1, treated as
 * fixed: its derivative is 0 wherever it is defined). Each round's
 * variables go through its own design's variance engine (design.h),
 *
 *     V = V_1(u_round1) + V_2(u_round2),   df = df1 + df2,
 *
 * and every interval but H1's is symmetric, value ∓ q·SE, q from
 * opts->ci_dist (Student's t on df by default). tests/
 * test_growth_incidence.c checks each SE against numerical derivatives in
 * each PSU's weights.
 *
 * The line (for H1): a socind_poverty_line of round 1, in round-1 prices,
 * as socind_fgt takes it (ABSOLUTE, PER_ROW with round 1's lines,
 * RELATIVE_QUANTILE or RELATIVE_MEAN estimated on round 1; inclusive as
 * there). It is required. A per-row line that is NaN leaves the row out of
 * H1 only.
 *
 * Arguments.
 *  design1, y1  round 1 (the base): its design and socind_design_nrows()
 *               incomes (per capita; NaN = missing, the row stays in the
 *               design);
 *  design2, y2  round 2, likewise (any number of rows);
 *  price_ratio  r, finite and > 0;
 *  p, n_p       the curve's percentiles, n_p fractions in (0, 1) in any
 *               order; p NULL gives the default 1 % .. 99 % grid, n_p then
 *               0 or SOCIND_GIC_DEFAULT_POINTS;
 *  line         round 1's poverty line (above);
 *  opts         NULL for defaults (level, ci_dist, prop_ci for H1,
 *               domain_rule; threads is not used);
 *  curve        n_p estimates (SOCIND_GIC_DEFAULT_POINTS for the default
 *               grid), the caller's: curve[i] is g(p[i]);
 *  summary      SOCIND_GIC_COUNT estimates, the caller's.
 * Every estimate's n is n1 + n2 (rows used, weight 0 included; H1's: n1)
 * and weight_sum N̂1 + N̂2 (H1's: N̂1), as socind_difference's; deff is NaN.
 *
 * Statuses (returned): SOCIND_ERR_NULL (a design, y1, y2, line, curve or
 * summary NULL; curve or summary NULL writes nothing to it);
 * SOCIND_ERR_OPTIONS (opts' or line's size); SOCIND_ERR_ARG (price_ratio
 * not finite and > 0, a percentile not in (0, 1), n_p = 0 with p given,
 * n_p other than 0 or 99 with p NULL, a bad line as socind_fgt's, a
 * replicate-weight design (not supported), bad options); SOCIND_ERR_DATA
 * (an income of ±Inf, naming the row of its round — the detail says which
 * round; a per-row line ±Inf or <= 0; a relative quantile line with every
 * income equal); SOCIND_ERR_WEIGHT (a calibrated design's negative weight);
 * SOCIND_ERR_EMPTY (a round with no income of positive weight);
 * SOCIND_ERR_NOMEM. On failure every output is NaN with that status.
 * Per estimate, with SOCIND_OK returned: SOCIND_ERR_DATA where the formula
 * is undefined — a quantile, mean or Lorenz ordinate of round 1 that is
 * <= 0 (no growth rate from it), H1 = 0 (the poor's parts), K = 0, every
 * income of a round equal (no density: the SE of a quantile's point) —
 * SOCIND_ERR_DF (t interval, df <= 0), SOCIND_ERR_LONELY_PSU,
 * SOCIND_ERR_OVERFLOW. Incomes are not rescaled: keep them well inside the
 * double range (a figure beyond it is SOCIND_ERR_OVERFLOW).
 *
 * Domains: none (the whole sample of each round).
 * Cost: a sort of each round's rows, then per percentile O(rows) (the
 * quantile, its kernel density and its variance), about 2·(n_p + 99)
 * passes over each round; temporary memory 52 bytes per row of each round
 * and a few doubles per PSU and stratum. Thread-safe; nothing is kept.
 */
#ifndef SOCIND_GROWTH_INCIDENCE_H
#define SOCIND_GROWTH_INCIDENCE_H

#include "socind/poverty.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SOCIND_GIC_DEFAULT_POINTS 99 /* p = 1 %, 2 %, …, 99 % */

#define SOCIND_GIC_COUNT 4
#define SOCIND_GIC_MEAN 0      /* μ2/(r·μ1) − 1 */
#define SOCIND_GIC_MEAN_POOR 1 /* GL2(H1)/(r·GL1(H1)) − 1, the mean of the poorest H1 */
#define SOCIND_GIC_PRO_POOR 2  /* (1/K) Σ_{k<=K} g(k/100), Ravallion–Chen's rate */
#define SOCIND_GIC_HEADCOUNT 3 /* H1, round 1's FGT0 at the line */

SOCIND_API int32_t socind_growth_incidence(const socind_design *design1, const double *y1,
                                           const socind_design *design2, const double *y2,
                                           double price_ratio, const double *p, size_t n_p,
                                           const socind_poverty_line *line,
                                           const socind_options *opts, socind_estimate *curve,
                                           socind_estimate *summary);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_GROWTH_INCIDENCE_H */
