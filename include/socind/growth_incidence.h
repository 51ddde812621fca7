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
 * Summaries (SOCIND_GIC_COUNT estimates per domain, part k of domain g in
 * summary[g·SOCIND_GIC_COUNT + k]):
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
 * Then, 1 + g being θ2/(r·θ1) (θ the round's quantile, mean or GL),
 * u_round2 = u_2/(r·θ1) and u_round1 = −(1 + g)·u_1/θ1 (the chain rule;
 * u_round2 = (1 + g)·u_2/θ2 where θ2 ≠ 0); the mean of the poor adds
 * (Q2(H1)/(r·GL1) − (1 + g)·Q1(H1)/GL1)·u_H on round 1, GL_t's slope in H
 * being Q_t(H) (H1 enters both ordinates smoothly); in the term of an
 * estimated line, f̂1(z)·u_z, round 1's slope is z (H1 sits on a kink of
 * GL1, its poorest H1 being its poor, and the line's move brings in rows
 * at z). The pro-poor rate's
 * variables are
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
 *  group1       NULL (one domain: every row), or a domain code per row of
 *               round 1 in [−1, n_groups) (−1: in no domain);
 *  design2, y2, group2   round 2, likewise (any number of rows); group2
 *               NULL exactly when group1 is; code g is the same domain in
 *               both rounds (a sub-district, urban/rural);
 *  n_groups     the number of domains G (>= 1) with group columns, else
 *               ignored (G = 1);
 *  price_ratio  r, finite and > 0;
 *  p, n_p       the curve's percentiles, n_p fractions in (0, 1) in any
 *               order; p NULL gives the default 1 % .. 99 % grid, n_p then
 *               0 or SOCIND_GIC_DEFAULT_POINTS;
 *  line         round 1's poverty line (above);
 *  opts         NULL for defaults (level, ci_dist, prop_ci for H1,
 *               domain_rule; threads is not used);
 *  curve        n_p·G estimates (n_p = SOCIND_GIC_DEFAULT_POINTS for the
 *               default grid), the caller's: curve[g·n_p + i] is domain g's
 *               g(p[i]);
 *  summary      SOCIND_GIC_COUNT·G estimates, the caller's: part k of
 *               domain g in summary[g·SOCIND_GIC_COUNT + k] (common.h).
 * Every estimate's n is n1 + n2 (the domain's rows used in both rounds,
 * weight 0 included) and weight_sum N̂1 + N̂2, as socind_difference's; H1's
 * are socind_fgt's: round 1's rows with an income and a line (a NaN
 * per-row line leaves the row out), weight 0 included, and their weight
 * sum. deff is NaN.
 *
 * Domains: each domain's curve and summaries are computed from its rows in
 * each round (its own quantiles, means, Lorenz ordinates and H1, the
 * domain's share below the line), the other rows staying in the design
 * with linearized value 0, as survey's svyby does. The variance follows the
 * domain rule SUBSET (opts->domain_rule may say FULL), except where a
 * relative line's term enters (H1 and the mean of the poor against a
 * RELATIVE_* line): that term reaches every row of round 1 (the line is
 * estimated on the whole of round 1, as poverty.h's), and every stratum
 * counts, as socind_fgt's. A domain without a usable row in either round
 * gets NaN estimates with SOCIND_ERR_EMPTY_DOMAIN, but for H1, a figure of
 * round 1 alone, made where round 1 has the domain (its n, weight sum and
 * df round 1's).
 *
 * Statuses (returned): SOCIND_ERR_NULL (a design, y1, y2, line, curve or
 * summary NULL, or one group column without the other; curve or summary
 * NULL writes nothing to it); SOCIND_ERR_GROUP (a code outside [−1,
 * n_groups): the row is named, the detail says which round);
 * SOCIND_ERR_OPTIONS (opts' or line's size); SOCIND_ERR_ARG (price_ratio
 * not finite and > 0, a percentile not in (0, 1), n_p = 0 with p given,
 * n_p other than 0 or 99 with p NULL, n_groups < 1 with group columns, a
 * bad line as socind_fgt's, a
 * replicate-weight design (not supported), bad options); SOCIND_ERR_DATA
 * (an income of ±Inf, naming the row of its round — the detail says which
 * round; a per-row line ±Inf or <= 0; a relative quantile line with every
 * income equal); SOCIND_ERR_WEIGHT (a calibrated design's negative weight);
 * SOCIND_ERR_EMPTY (a round with no income of positive weight in any
 * domain); SOCIND_ERR_OVERFLOW (a relative line on a round 1 whose sums
 * leave the double range, as below); SOCIND_ERR_NOMEM. On failure every
 * output is NaN with that status: summary's SOCIND_GIC_COUNT·G and curve's
 * n_p·G estimates (SOCIND_GIC_DEFAULT_POINTS·G with p NULL and n_p 0 —
 * with p NULL and another refused n_p, its n_p·G).
 * Per estimate, with SOCIND_OK returned: SOCIND_ERR_DATA where the formula
 * is undefined — a quantile, mean or Lorenz ordinate of round 1 that is
 * <= 0 (no growth rate from it), H1 = 0 (the poor's parts), K = 0, every
 * income of a round equal (no density: the SE of a quantile's point) —
 * SOCIND_ERR_DF (t interval, df <= 0), SOCIND_ERR_LONELY_PSU,
 * SOCIND_ERR_OVERFLOW. Incomes are not rescaled: keep them well inside the
 * double range. A domain where, in either round, N̂·max|y|, Σ w y or the
 * incomes' weighted second moment (the kernel's bandwidth) is not finite
 * gets every estimate NaN with SOCIND_ERR_OVERFLOW (n and weight_sum
 * filled); a figure that leaves the range later is SOCIND_ERR_OVERFLOW
 * too: an SE, or with a price ratio far from 1 (1e−300) the rates' SE
 * terms (the rate, where finite, kept) — not SOCIND_ERR_DATA.
 *
 * Cost: per domain, a sort of its rows in each round, then per percentile
 * O(its rows + PSUs) (the quantile, its kernel density and its variance),
 * up to 2·(n_p + 99) such passes, plus O(round 1's rows) for each variance
 * with a relative line's term; temporary memory about 60 bytes per row of
 * round 1 and 52 per row of round 2 (16 more per round-1 row with a
 * relative line, 8 per row with group columns) and a few doubles per PSU
 * and stratum. Thread-safe;
 * nothing is kept.
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
                                           const int32_t *group1, const socind_design *design2,
                                           const double *y2, const int32_t *group2,
                                           int32_t n_groups, double price_ratio, const double *p,
                                           size_t n_p, const socind_poverty_line *line,
                                           const socind_options *opts, socind_estimate *curve,
                                           socind_estimate *summary);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_GROWTH_INCIDENCE_H */
