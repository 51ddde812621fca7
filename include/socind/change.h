/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/change.h — why poverty changed between two survey rounds: the
 * growth–redistribution decomposition (Datt & Ravallion 1992, and its
 * Shapley form, Shorrocks 2013) and the sectoral decomposition (Ravallion &
 * Huppi 1991) of the change in FGT(α), each component with a design-based
 * standard error and interval.
 *
 * Two rounds, two samples. Round 1 (the base) and round 2 (the comparison)
 * must be independent samples — two rounds drawn separately, sharing no PSU
 * — each with its own design (socind_design), as socind_difference
 * (common.h) treats them. Rounds that share PSUs (a panel, or both rounds
 * taken from one file whose PSUs were revisited) are not independent: the
 * covariance between the rounds is then ignored and the SEs are wrong (ΔP's
 * too large when the rounds are positively correlated); nothing here can check
 * it (the designs carry no PSU labels to compare; the `socind change`
 * command warns when the two files share (stratum, PSU) ids). Every
 * component is a smooth
 * function of estimates of both rounds, its linearized variable has a part
 * u1 on round 1's rows and a part u2 on round 2's rows, and
 *
 *     V = V_1(u1) + V_2(u2),   df = df_1 + df_2,
 *
 * V_r the design's variance (design.h) of round r, computed as socind_fgt
 * computes a domain's (the domain rule FULL: u = 0 outside the domain, every
 * stratum present, whatever opts->domain_rule says); df_r =
 * socind_design_df(design_r). A component that reads one round only (P1
 * and μ1; μ2; P2 against a fixed line) has that round's df alone. The
 * interval is symmetric on that df (t by default, opts->ci_dist; the level
 * from opts); P1 and P2 at α = 0 are proportions and take opts->prop_ci's
 * interval, as socind_fgt's.
 *
 * Prices. Round 2's incomes y2 are in round 2's prices; price_ratio r
 * (> 0, finite; e.g. CPI_2 / CPI_1) takes them to round 1's: the real
 * income is y2/r, and a line z of round 1 is z·r in round 2's prices. The
 * line is round 1's, carried to round 2 in real terms:
 *  - ABSOLUTE: z in round 1's prices (z·r for round 2);
 *  - RELATIVE_QUANTILE, RELATIVE_MEAN: estimated on the WHOLE round-1
 *    sample as socind_fgt estimates it (fraction × the weighted quantile or
 *    mean of y1), then held fixed in real terms: z·r for round 2. Its own
 *    sampling variability enters every component through round 1's rows;
 *  - PER_ROW: line->lines holds round 1's lines (one per round-1 row, round
 *    1's prices) and lines2 the lines of round 2's rows in round 2's prices
 *    (one per round-2 row). lines2 is read only with PER_ROW (else it may be
 *    NULL).
 * The line is held fixed in real terms: Datt and Ravallion's decomposition
 * assumes one real line, and with PER_ROW the caller must give lines2 as
 * round 1's lines carried to round 2 (each row's round-1 line, e.g. its
 * province's, times r) — the rows differ between rounds, so the function
 * cannot carry them itself and does not check it. If lines2 is instead each
 * round's own line (e.g. that year's published lines) and the line changed
 * in real terms, P2 and ΔP are those of the published lines but the real
 * change of the line is not a component of its own: it lands in the
 * redistribution parts (R, R_S), the residual E, the Shapley growth G_S
 * (whose second term reads round 2's lines) and, for a sector, in its ΔP_k
 * — only Datt–Ravallion's G, which reads round 1's lines alone, is free of
 * it. To
 * separate it, call twice: with lines2 = round 1's lines × r (the
 * decomposition at a fixed real line) and with the published lines2; the
 * difference of the two P2 is the line's change.
 * line->inclusive chooses y < z (0) or y <= z (1) as socind_fgt's.
 *
 * Notation: μ1 the weighted mean of y1, μ2 that of y2/r (both in round 1's
 * prices), L_t round t's distribution of relative incomes y/μ, and P(μ_a,
 * L_b) the FGT(α) of the distribution L_b rescaled to the mean μ_a:
 * P(μ1, L1) = P1, P(μ2, L2) = P2, P(μ2, L1) = FGT of y1·μ2/μ1 and P(μ1, L2)
 * = FGT of (y2/r)·μ1/μ2, each against the line. Since FGT is unchanged when
 * incomes and line are multiplied by the same constant, every term is an FGT
 * of a round's own incomes against a line scaled by a smooth function of the
 * means: P(μ2, L1) = FGT(y1; z·μ1/μ2), P(μ1, L2) = FGT(y2; z·r·μ2/μ1).
 *
 * ---- socind_growth_redistribution ----
 * Datt, G. and Ravallion, M. (1992), "Growth and redistribution components
 * of changes in poverty measures", Journal of Development Economics 38(2),
 * 275–295, with the reference period t = 1:
 *
 *     ΔP = P2 − P1 = G + R + E,
 *     G = P(μ2, L1) − P(μ1, L1)              growth
 *     R = P(μ1, L2) − P(μ1, L1)              redistribution
 *     E = ΔP − G − R                          residual (interaction)
 *
 * and its Shapley value (Shorrocks, A. F. (2013), "Decomposition procedures
 * for distributional analysis: a unified framework based on the Shapley
 * value", Journal of Economic Inequality 11(1), 99–126; Kolenikov & Shorrocks
 * 2005), the average over both orders, which leaves no residual:
 *
 *     G_S = ½[(P(μ2, L1) − P(μ1, L1)) + (P(μ2, L2) − P(μ1, L2))]
 *     R_S = ½[(P(μ1, L2) − P(μ1, L1)) + (P(μ2, L2) − P(μ2, L1))]
 *     G_S + R_S = ΔP.
 *
 * Linearized variables (Deville 1999). With x = y/line the income over its
 * line, an FGT term P_s(θ) = Σ w h_α(x/θ)/N̂ of round s against θ times its
 * base line has u = (h − P)/N̂ on its own rows plus D·u_{log θ}, where
 *     D = ∂P/∂log θ = Σ w α(1 − x)^(α−1)·x·1[poor]/N̂      α > 0
 *     D = f̂_x(1), the kernel density of x at 1             α = 0
 * (f̂ convey's Gaussian kernel with bandwidth σ̂/N̂^(1/5), the library's, on
 * the domain's rows — for P1 against a relative line this is socind_fgt's
 * own term, N̂_d·f̂_d(z)·z/N̂_d), and u_{log θ} collects u_μ1/μ1 and
 * u_μ2/μ2 (u_μ = (y − μ)/N̂ on the round's rows) with the signs of the
 * term's line, and u_z/z for a relative line (u_z as poverty.h's). Each
 * component is the matching combination of the four terms' variables. P1
 * here equals socind_fgt(design1, y1, line, α) (value and SE, within
 * rounding) and, against a fixed line, P2 equals socind_fgt of y2 against
 * z·r (or lines2).
 *
 * Domains: group1 and group2 (both NULL, or both given, with the same coding
 * and n_groups) give one decomposition per domain: means, distributions and
 * FGTs of the domain, the relative line still the whole round-1 sample's.
 * out holds SOCIND_GR_COUNT estimates (groups NULL) or n_groups ×
 * SOCIND_GR_COUNT; part k of domain g at out[g·SOCIND_GR_COUNT + k].
 *
 * A domain with usable rows in one round only keeps that round's own
 * figures (P1 and μ1, or P2 and μ2, value and SE as for any domain); every
 * other part (those that read the absent round) is NaN with
 * SOCIND_ERR_EMPTY_DOMAIN. A domain with usable rows in neither round has
 * every part SOCIND_ERR_EMPTY_DOMAIN.
 *
 * Estimates' n and weight_sum: those of the round they read (P1, μ1: round
 * 1's domain rows with an income; P2, μ2: round 2's), the sum of both for
 * the others. deff is NaN.
 *
 * Data: a row with NaN income (or NaN per-row line) leaves the estimate and
 * its domain but stays in the design. Statuses (returned): SOCIND_ERR_NULL
 * (a design, y1, y2, line or out NULL; out NULL: nothing written),
 * SOCIND_ERR_OPTIONS (opts' or line's size), SOCIND_ERR_ARG (α < 0 or not
 * finite, price_ratio not finite and > 0, a bad line, PER_ROW without
 * lines2, only one of group1/group2, n_groups < 1 with groups, a replicate
 * design: the decomposition needs linearization), SOCIND_ERR_GROUP (a code
 * outside [−1, n_groups), the row named), SOCIND_ERR_DATA (an income of
 * ±Inf, or a per-row line ±Inf or <= 0, the row named — round 1's or round
 * 2's, the message says which; a relative quantile line whose density is 0),
 * SOCIND_ERR_WEIGHT (a calibrated negative weight with a relative line),
 * SOCIND_ERR_EMPTY (no usable round-1 or round-2 row), SOCIND_ERR_RANGE
 * (round 2's line z·r, not per row, outside the normal doubles: a price
 * ratio far from 1 for the line's units), SOCIND_ERR_NOMEM; on
 * failure every output is NaN with that status. Per estimate (the function
 * returning SOCIND_OK): SOCIND_ERR_EMPTY_DOMAIN (a domain without a usable
 * row in one round: the parts that read that round, see above),
 * SOCIND_ERR_DATA (μ1 or μ2 <= 0: the growth and redistribution parts,
 * which rescale by them; at α = 0 fewer than two distinct y/line values of
 * positive weight in the domain, so no density: the SEs that need it),
 * SOCIND_ERR_OVERFLOW (Σ w·y of a round's domain beyond the double range,
 * the weights taken at the round's scale (below): that round's mean and the
 * growth and redistribution parts, which rescale by the means; P1, P2 and
 * ΔP keep their figures; those parts too
 * where a price ratio far from 1 takes μ2 = m2/r, μ1/μ2, μ2/μ1 or the
 * rescaled lines z·μ1/μ2, z·r·μ2/μ1 out of the normal doubles; also a mean's SE
 * alone where its PSU totals, w·(y − μ)/N̂, lie below 2^−969, incomes
 * near 1e−290 or smaller: every SE is formed at its totals' scale, so no
 * square leaves the doubles), SOCIND_ERR_RANGE
 * (P1 or P2 at α = 0 equal to 0 or 1 with opts->prop_ci asin, beta, xlogit
 * or likelihood: no interval, as socind_prop_ci's), SOCIND_ERR_DF,
 * SOCIND_ERR_LONELY_PSU as elsewhere.
 *
 * Cost: O(rows + PSUs) per round once (plus the relative line's pass, as
 * socind_fgt's), then O(the domain's rows and PSUs) per domain and round: a
 * relative line's term, which reaches every PSU, enters each variance
 * through its per-stratum sums (5,000 groups over 20,000 PSUs: 0.09 s,
 * where a pass over every PSU per part took 66 s); temporary memory 32
 * bytes per row and about 8 doubles per PSU of each round, plus a relative
 * line's. Thread-safe; nothing is kept;
 * the call runs on the calling thread (opts->threads does not split it).
 * Incomes and lines are used as given (no rescaling by powers of 2: sums of
 * w·y must stay in the double range, else the means are SOCIND_ERR_OVERFLOW
 * as above). Weights: a round whose Σ |w| over its rows leaves the doubles
 * (weights near 1e307) is taken with every weight times 2^−64, exactly —
 * every estimate is a ratio in the weights, so the figures are those of
 * the weights as given, and the α = 0 density terms keep convey's bandwidth
 * σ̂/N̂^(1/5) of the weights as given; weight_sum is then +Inf where N̂
 * leaves the doubles.
 */
#ifndef SOCIND_CHANGE_H
#define SOCIND_CHANGE_H

#include "socind/poverty.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SOCIND_GR_COUNT 10
#define SOCIND_GR_FGT1 0                   /* P1 = P(μ1, L1), round 1's FGT(α) */
#define SOCIND_GR_FGT2 1                   /* P2 = P(μ2, L2), round 2's */
#define SOCIND_GR_CHANGE 2                 /* ΔP = P2 − P1 */
#define SOCIND_GR_DR_GROWTH 3              /* Datt–Ravallion G = P(μ2, L1) − P1 */
#define SOCIND_GR_DR_REDISTRIBUTION 4      /* Datt–Ravallion R = P(μ1, L2) − P1 */
#define SOCIND_GR_DR_RESIDUAL 5            /* E = ΔP − G − R */
#define SOCIND_GR_SHAPLEY_GROWTH 6         /* Shapley G_S */
#define SOCIND_GR_SHAPLEY_REDISTRIBUTION 7 /* Shapley R_S = ΔP − G_S */
#define SOCIND_GR_MEAN1 8                  /* μ1, round 1's mean income */
#define SOCIND_GR_MEAN2 9                  /* μ2, round 2's mean income in round 1's prices */

/* The growth–redistribution decomposition of FGT(α) (α >= 0) between round
 * 1 (design1, y1) and round 2 (design2, y2); see above. */
SOCIND_API int32_t socind_growth_redistribution(const socind_design *design1, const double *y1,
                                                const int32_t *group1, const socind_design *design2,
                                                const double *y2, const int32_t *group2,
                                                int32_t n_groups, const socind_poverty_line *line,
                                                const double *lines2, double price_ratio,
                                                double alpha, const socind_options *opts,
                                                socind_estimate *out);

/* ---- socind_sectoral_decomposition ----
 * Ravallion, M. and Huppi, M. (1991), "Measuring changes in poverty: a
 * methodological case study of Indonesia during an adjustment period", World
 * Bank Economic Review 5(1), 57–82. With sectors k = 0 .. n_sectors − 1 (a
 * sub-district, urban/rural, the household head's sector), coded alike in
 * both rounds (sector1, sector2; −1: in no sector, the row leaves the
 * decomposition but stays in the design), P_kt the FGT(α) of sector k in
 * round t and s_kt its population share (N̂_kt over the weight of the rows
 * in some sector with a usable income), so that P_t = Σ_k s_kt·P_kt:
 *
 *     ΔP = Σ_k s_k1·ΔP_k          intra-sectoral (within) effect
 *        + Σ_k P_k1·Δs_k          population shift
 *        + Σ_k ΔP_k·Δs_k          interaction
 *
 * exactly. The line as for socind_growth_redistribution (round 1's,
 * carried to round 2 by price_ratio; a relative line estimated on the whole
 * round-1 sample, every row whatever its sector). Linearized variables:
 * u_Pkt = 1[k](h − P_kt)/N̂_kt (+ D_kt·u_z/z for a relative line, D_kt as
 * above on sector k's rows), u_skt = (1[k] − s_kt)/N̂_t, combined by the
 * product rule. The totals P1 and P2 are the FGTs over every row in some
 * sector: their variables are Σ_k (s_kt·u_Pkt + P_kt·u_skt) without the
 * sectors' line terms, plus D_t·u_z/z with D_t over all those rows at once
 * (one bandwidth: at α = 0 the density socind_fgt takes on those rows, so
 * P1 equals socind_fgt's on them, SE included, whatever the sectors' sizes);
 * ΔP's is P2's − P1's. The three effects' variables are the sums of their
 * sectors' (with the sectors' D_kt): at α = 0 against a relative line, a
 * sector of one distinct income in a round has no density and makes its
 * own P SEs and the three effects' SEs SOCIND_ERR_DATA, not the totals P1,
 * P2 and ΔP.
 *
 * Outputs: total[SOCIND_RH_COUNT] (P1, P2, ΔP and the three effects over
 * the rows in some sector) and, unless by_sector is NULL, by_sector[k·
 * SOCIND_RH_SECTOR_COUNT + j] for each sector: its P_k1, P_k2, s_k1, s_k2
 * and its within, shift and interaction contributions (summing over k to
 * total's). n and weight_sum as for socind_growth_redistribution (a
 * sector's P and s: that round's sector rows; the shares' weight_sum is the
 * sector's N̂).
 *
 * Statuses: as socind_growth_redistribution's (sector1, sector2 NULL:
 * SOCIND_ERR_NULL; n_sectors < 1: SOCIND_ERR_ARG; a code outside [−1,
 * n_sectors): SOCIND_ERR_GROUP). A sector with no usable row in either
 * round has every part NaN with SOCIND_ERR_EMPTY_DOMAIN and adds nothing; a
 * sector with rows in one round only has its shares (one of them 0) but no
 * P in the other round: its P there, its three contributions and total's
 * three effects are NaN with SOCIND_ERR_EMPTY_DOMAIN (P1, P2 and ΔP stay).
 * A share of exactly 0 (or 1, a single sector) takes opts->prop_ci's
 * interval as a proportion: with asin, beta, xlogit or likelihood it has no
 * interval (NaN limits, SOCIND_ERR_RANGE, value and SE kept), as
 * socind_prop_ci's; with logit (the default) it is [0, 0] ([1, 1]).
 * Cost O(rows + sectors × PSUs) per round; temporary memory 32 bytes per
 * row and 2 × n_sectors + 8 doubles per PSU of each round. Thread-safe. */
#define SOCIND_RH_COUNT 6
#define SOCIND_RH_FGT1 0        /* P1 over the rows in some sector */
#define SOCIND_RH_FGT2 1        /* P2 */
#define SOCIND_RH_CHANGE 2      /* ΔP = within + shift + interaction */
#define SOCIND_RH_WITHIN 3      /* Σ_k s_k1·ΔP_k */
#define SOCIND_RH_SHIFT 4       /* Σ_k P_k1·Δs_k */
#define SOCIND_RH_INTERACTION 5 /* Σ_k ΔP_k·Δs_k */

#define SOCIND_RH_SECTOR_COUNT 7
#define SOCIND_RH_SECTOR_FGT1 0        /* P_k1 */
#define SOCIND_RH_SECTOR_FGT2 1        /* P_k2 */
#define SOCIND_RH_SECTOR_SHARE1 2      /* s_k1 */
#define SOCIND_RH_SECTOR_SHARE2 3      /* s_k2 */
#define SOCIND_RH_SECTOR_WITHIN 4      /* s_k1·ΔP_k */
#define SOCIND_RH_SECTOR_SHIFT 5       /* P_k1·Δs_k */
#define SOCIND_RH_SECTOR_INTERACTION 6 /* ΔP_k·Δs_k */

SOCIND_API int32_t socind_sectoral_decomposition(
    const socind_design *design1, const double *y1, const int32_t *sector1,
    const socind_design *design2, const double *y2, const int32_t *sector2, int32_t n_sectors,
    const socind_poverty_line *line, const double *lines2, double price_ratio, double alpha,
    const socind_options *opts, socind_estimate *total, socind_estimate *by_sector);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_CHANGE_H */
