/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/targeting.h — targeting performance of a programme from a recipient
 * indicator in one survey: coverage of the poor, the exclusion and inclusion
 * error rates, leakage to the non-poor, the share of benefits reaching each
 * welfare group (deciles of income estimated from the survey, or a ranking
 * such as a registry's deciles), and the Coady–Grosh–Hoddinott indicator —
 * each with its design-based SE and interval, overall and by domain.
 *
 * Definitions. In a domain, over its usable rows (below), with weights w,
 * P_k = 1[row k is poor] (y_k < z, or y_k <= z when line.inclusive = 1;
 * poverty.h's rule and lines), R_k = 1[row k receives the programme] and
 * b_k the row's benefit (the amount when a benefit column is given, else 1
 * for every recipient; 0 for a non-recipient):
 *
 *   coverage  C  = Σ w R P / Σ w P          P(recipient | poor): the share of
 *                                           the poor the programme reaches
 *   exclusion E  = Σ w (1 − R) P / Σ w P     P(not recipient | poor) = 1 − C,
 *                                           the exclusion (type I, "F-mistake")
 *                                           error rate
 *   leakage   L  = Σ w R (1 − P) / Σ w R     the share of recipients who are not
 *                                           poor
 *   inclusion I  = Σ w R (1 − P) / Σ w (1 − P)   P(recipient | non-poor): the
 *                                           inclusion (type II, "E-mistake")
 *                                           error rate
 *   share_g      = Σ w b 1[group g] / Σ w b  the share of benefits reaching
 *                                           welfare group g (g = 1 .. K,
 *                                           poorest first); Σ_g share_g = 1
 *   CGH          = (Σ w b 1[bottom f] / Σ w b) / s   the share of benefits
 *                                           reaching the poorest fraction f of
 *                                           the population over that fraction's
 *                                           population share s (below)
 *
 * The terms follow Cornia & Stewart (1993), "Two errors of targeting",
 * Journal of International Development 5(5) (E-mistakes: benefits reaching
 * the non-poor; F-mistakes: the poor the programme fails to reach) and
 * Coady, Grosh & Hoddinott (2004), "Targeting of Transfers in Developing
 * Countries: Review of Lessons and Experience", World Bank, whose
 * performance indicator is the share of benefits reaching the bottom 40 %
 * (or 20 %, 10 %) divided by that fraction: 1 for neutral targeting, above
 * 1 for progressive; CGH define it relative to the group's share of the
 * population, which is s here. Coverage and the exclusion rate are shares of the poor,
 * leakage a share of recipients, the inclusion rate a share of the non-poor
 * (all counted in people, by the weights); the benefit shares and CGH are in
 * the benefit's amounts (in recipients without a benefit column). Ranges:
 * [0, 1] for the first four and the shares, [0, 1/s] for CGH.
 *
 * Welfare groups. With a ranking column, group g is the rows whose code is g
 * (1 .. K = opts->n_ranks; a registry's deciles 1 .. 10), and the bottom
 * fraction f is the groups 1 .. m with m = f·K, which must be a whole number
 * (f = 0.4 with deciles: groups 1 to 4; otherwise SOCIND_ERR_ARG). The
 * codes are taken as fixed, but not the population share of groups 1 .. m
 * (a registry's deciles are deciles of its own population, not of the
 * survey's): s = Σ w 1[rank <= m] / Σ w over every ranked row of the
 * sample (code >= 1, whatever its income, recipient value or domain), and
 * CGH's linearized variable carries s's term −(CGH/s)·(1[rank <= m] − s)/N̂_r
 * (N̂_r = Σ w over the ranked rows; every PSU, so CGH's variance counts
 * every stratum). Risk: the function cannot tell what the codes mean. A
 * quintile ranking (codes 1 .. 5) read with n_ranks = 10 is accepted, and
 * CGH is then the share of quintiles 1 .. 4 and shares 6 .. 10 are 0 with
 * SE 0: make sure K is the ranking's number of groups and that every group
 * 1 .. K has rows (the command and the Python binding refuse codes whose
 * highest value is below K or that leave a group without a row). Without it, the groups are the
 * K quantile groups of y estimated from the survey — group g holds
 * q_{g−1} < y <= q_g with q_g the weighted (g/K)-quantile (the library's
 * rule, R's qrule "math"; q_0 = −∞, q_K = +∞) — and the bottom fraction is
 * y <= q_f, the weighted f-quantile (f = 0.4 with deciles: the first four
 * deciles exactly), and s = ŝ = Σ w 1[y <= q_f] / N̂, the share of the whole
 * sample (the rows the cuts are estimated on, below) at or below q_f: f up
 * to the weight of the row at the cut, but more than f when incomes tie at
 * the cut (with 30 % of incomes 0 and f = 0.2, q_f = 0 and ŝ = 0.3; a
 * programme reaching everyone has CGH 1). A domain's CGH is the share of
 * its benefits reaching the whole population's group y <= q_f, over ŝ.
 * CGH's linearized variable carries ŝ's term −(CGH/ŝ)·u_ŝ with
 * u_ŝ = (1[y <= q_f] − ŝ)/N̂ + f̂(q_f)·u_{q_f} = (f − ŝ)/N̂ (every row of the
 * sample, u_{q_f} below: 0 when ŝ = f). The cut points, like a relative
 * line, are estimated once
 * on the whole sample (every row with an income and a positive weight, also
 * for domain estimates and whatever its recipient value) and are estimates:
 * the linearized variable of a share carries each of its cuts' terms as
 * convey's quantile share ratio does (inequality.h's socind_share_ratio):
 * with B the domain's benefits and B_g = S(q_g) − S(q_{g−1}),
 * S(x) = Σ_d w b 1[y <= x],
 *
 *   u(share_g) = (b·1[g] − share_g·b)/B
 *                + (S'(q_g)·u_{q_g} − S'(q_{g−1})·u_{q_{g−1}})/B,
 *   u_q        = −(1[y <= q] − g/K)/(N̂·f̂(q))      (every row of the sample)
 *
 * S'(x) = Σ_d w b φ((x − y)/h_d)/h_d the domain's benefit-weighted kernel
 * sum at the cut (density.c's G(x) with the benefit in place of y; h_d the
 * domain's bandwidth of y), N̂·f̂(q) the whole sample's kernel density at the
 * cut (convey's bandwidth σ̂/N̂^(1/5), density.c), and similarly for CGH at
 * q_f (over ŝ, plus ŝ's term above). Since the cut terms reach every PSU,
 * these parts' variances count every stratum of the design (the domain rule
 * FULL, whatever opts says).
 *
 * Lines: every type of socind_poverty_line. ABSOLUTE and PER_ROW lines are
 * fixed. A relative line (RELATIVE_QUANTILE, RELATIVE_MEAN) is estimated on
 * the whole sample as socind_fgt estimates it (the same rows: every income of
 * positive weight, the same quantile rule, so the same line), and its own
 * variability enters coverage, exclusion, leakage and inclusion through
 * ∂/∂z of their totals: ∂Σ_d w P/∂z = N̂_d·f̂_d(z) and ∂Σ_d w R P/∂z =
 * Σ_d w R φ((z − y)/h_d)/h_d (the recipients' kernel sum, the domain's
 * bandwidth of y), times the line's influence (poverty.h's u^z: quantile
 * −fraction·(1[y <= Q] − p)/(N̂·f̂(Q)), mean fraction·(y − μ̂)/N̂); those
 * parts then count every stratum too.
 *
 * SEs: each measure's linearized variable (Deville 1999: for a ratio A/B of
 * totals, u = (a − (A/B)·b)/B, plus the terms above) is summed by PSU and
 * given to the design's variance engine (design.h). The four rates of
 * people are proportions: their intervals follow opts->prop_ci (common.h),
 * as are the benefit shares without a benefit column (shares of recipients);
 * the row count the beta and likelihood intervals take is that of the
 * ratio's denominator set in the domain — the poor (coverage, exclusion),
 * the recipients (leakage), the non-poor (inclusion), the ranked recipients
 * (the shares) — as survey's svyciprop on that subset (the estimate's n
 * stays the domain's);
 * with a benefit column the shares, and CGH always, take the symmetric
 * interval. df is the design's. Against fixed lines and a given ranking the
 * domain rule is opts->domain_rule, AUTO being SUBSET (survey's svyratio on
 * svyby's domain design), except CGH with a ranking (s's term: FULL). The tests check each SE
 * against numerical derivatives of the estimate in each PSU's weights (fixed lines, a given
 * ranking, s's term included: smooth functions of the weights). With estimated cut points or a
 * relative line the density terms are the linearization's, which a step
 * function's derivative does not reproduce: the tests form those linearized
 * variables from the formulas above (kernel sums in long double) and find
 * the same SEs (1e−10), and a coverage simulation checks the formulas
 * (bench/bench_targeting_coverage.c, README "Is assistance reaching the poor").
 *
 * Usable rows: a row enters a domain's estimates when its income, its
 * recipient value and (PER_ROW) its line are not NaN. A row with a ranking
 * code of −1 (unranked), and a recipient whose benefit is NaN (a benefit
 * column given), stay in the four rates but leave the benefit shares and
 * CGH (whose totals are over ranked rows with a benefit, so that the shares
 * still sum to 1): a missing amount does not change who is poor or who
 * receives.
 * Missing rows stay in the design. A benefit column's values of
 * non-recipients are not read (their benefit is 0).
 *
 * Output: out holds SOCIND_TARGETING_COUNT(K) estimates per domain (group
 * NULL: one domain), part k of domain g at out[g·COUNT + k], the parts
 * SOCIND_TARGETING_COVERAGE … SOCIND_TARGETING_CGH and then the K shares
 * (group 1 at SOCIND_TARGETING_SHARE). Each part's n and weight_sum are the
 * domain's (usable rows, weight 0 included; Σ w over them; ranked rows with
 * a benefit for the shares and CGH). The caller owns out; nothing is kept.
 *
 * Statuses (returned): SOCIND_ERR_NULL (out — nothing written —, design, y,
 * line or recipient NULL); SOCIND_ERR_OPTIONS (a line struct or
 * socind_options whose size is wrong; a socind_targeting_options whose size
 * is below sizeof(socind_targeting_options), above 4096, or whose bytes past
 * this library's struct are not 0: docs/abi.md's rule); SOCIND_ERR_ARG (a
 * bad line, a bad level, ci_dist or prop_ci, n_groups < 1 with a group
 * column, f·K not a whole number with a ranking column; and cgh_share not in (0, 1), n_ranks
 * outside 2 .. SOCIND_TARGETING_MAX_RANKS or reserved not 0). A refused socind_targeting_options
 * (SOCIND_ERR_OPTIONS or SOCIND_ERR_ARG) writes nothing to out, whose length it would give; every
 * other failure leaves every estimate NaN with the status and n = 0. SOCIND_ERR_DATA naming the row
 * (a recipient value other than 0, 1 or NaN; a recipient's benefit negative or ±Inf; an income of
 * ±Inf anywhere in y; a per-row line ±Inf or <= 0; and, for a relative quantile line, a
 * whole-sample density of 0 at its quantile — every income equal: no row named);
 * SOCIND_ERR_OVERFLOW (the whole sample's weighted moments beyond the doubles, where a
 * density is needed);
 * SOCIND_ERR_CODE (a ranking code other than −1 or 1 .. K; the row is
 * named); SOCIND_ERR_GROUP; SOCIND_ERR_EMPTY (no usable row in any domain;
 * no income of positive weight for estimated cuts or a relative line);
 * SOCIND_ERR_WEIGHT (a negative calibrated weight; the row is named);
 * SOCIND_ERR_NOMEM. Per estimate, with the function returning SOCIND_OK:
 * SOCIND_ERR_EMPTY_DOMAIN (a domain without usable rows: every part);
 * SOCIND_ERR_DATA where a ratio has no denominator (coverage and exclusion
 * in a domain without poor, leakage without recipients, inclusion without
 * non-poor, the shares and CGH without benefits; CGH with a
 * ranking when no ranked row of positive weight is in groups 1 .. m) or, for the parts with a
 * density term, where the domain's incomes are all equal (no bandwidth), and the shares and CGH
 * with their values kept where the estimated cut points have no density (the whole sample's
 * incomes all equal, or none near a cut; the other parts stand);
 * SOCIND_ERR_DF, SOCIND_ERR_OVERFLOW (also: benefits or weights whose sums leave the doubles,
 * CGH's ŝ too), SOCIND_ERR_LONELY_PSU as elsewhere.
 *
 * Replicate designs (replicate.h): the point estimates are made again with
 * each replicate's weights (the cut points and a relative line too). Threads:
 * the call runs on the calling thread (opts->threads is accepted and not
 * used). Incomes are not rescaled (poverty.h's "Scale"): keep their
 * magnitudes within about 1e±150. Cost: O(rows·(K + log rows)) for estimated
 * cut points (a sort of the incomes), O(rows) otherwise, plus
 * O(domains·(K + 5)·PSUs) for the variances (each part's PSU totals are
 * dense); temporary memory about 104 bytes a row (a domain's rows and, for
 * estimated cuts or a relative line, the whole sample's incomes sorted) and
 * K + 2 doubles a PSU.
 * Thread-safe.
 */
#ifndef SOCIND_TARGETING_H
#define SOCIND_TARGETING_H

#include "socind/poverty.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most welfare groups (n_ranks): vingtiles. */
#define SOCIND_TARGETING_MAX_RANKS 20

/* The parts of each domain (out[g·SOCIND_TARGETING_COUNT(K) + k]). */
#define SOCIND_TARGETING_COVERAGE 0  /* P(recipient | poor) */
#define SOCIND_TARGETING_EXCLUSION 1 /* P(not recipient | poor) = 1 − coverage */
#define SOCIND_TARGETING_LEAKAGE 2   /* share of recipients who are not poor */
#define SOCIND_TARGETING_INCLUSION 3 /* P(recipient | not poor) */
#define SOCIND_TARGETING_CGH 4       /* Coady–Grosh–Hoddinott: bottom-f share / ŝ */
#define SOCIND_TARGETING_SHARE 5     /* share of welfare group 1; group g at SHARE + g − 1 */
#define SOCIND_TARGETING_COUNT(K) (5 + (K))

typedef struct socind_targeting_options {
    size_t size;      /* sizeof(socind_targeting_options) */
    double cgh_share; /* f, the bottom fraction of the CGH indicator, in (0, 1);
                         default 0.4 */
    int32_t n_ranks;  /* K, the welfare groups: the ranking's codes 1 .. K, or
                         K quantile groups of y (default 10: deciles);
                         2 .. SOCIND_TARGETING_MAX_RANKS */
    int32_t reserved; /* 0 */
} socind_targeting_options;

/* Fills *opts with the defaults (cgh_share 0.4, n_ranks 10). Returns
 * SOCIND_OK, or SOCIND_ERR_NULL for NULL. Thread-safe. */
SOCIND_API int32_t socind_targeting_options_init(socind_targeting_options *opts);

/* Targeting performance (see the top of this header): SOCIND_TARGETING_COUNT(K)
 * estimates per domain.
 *  y          n incomes (per capita; NaN = missing)
 *  line       the poverty line (poverty.h), any type
 *  recipient  n values 0, 1 or NaN (missing)
 *  benefit    n amounts >= 0 (read for recipients; NaN = missing) or NULL:
 *             1 per recipient (the shares are shares of recipients)
 *  ranking    n welfare-group codes 1 .. K, −1 unranked, or NULL: the K
 *             quantile groups of y estimated from the survey
 *  group      n domain codes in [−1, n_groups) or NULL (one domain)
 *  topts      NULL for the defaults; opts the estimation options (NULL:
 *             defaults)
 *  out        SOCIND_TARGETING_COUNT(K)·max(1, n_groups) estimates. */
SOCIND_API int32_t socind_targeting(const socind_design *design, const double *y,
                                    const socind_poverty_line *line, const double *recipient,
                                    const double *benefit, const int32_t *ranking,
                                    const int32_t *group, int32_t n_groups,
                                    const socind_targeting_options *topts,
                                    const socind_options *opts, socind_estimate *out);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_TARGETING_H */
