/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/inequality.h — inequality measures and quantiles with design-based
 * standard errors, overall and by domain, as R's convey 1.0.1 and survey
 * compute them (Osier 2009; Deville 1999; Biewen & Jenkins 2002; Langel 2012).
 *
 *  - Gini: convey's svygini, Ĝ = (2 Σ r_k w_k y_k − Σ w_k y_k)/(N̂ Ŷ) − 1 with
 *    r_k the cumulative weight in ascending order of y (ties in any order give
 *    the same result). laeken and Eurostat subtract Σ w_k² y_k instead; the two
 *    agree only with unit weights (0.3198 vs 0.3192 on the reference data).
 *    Like convey's, this Gini changes when a row is split into several rows
 *    with the same y (household vs person rows), and with equal weights c it
 *    is the unweighted Gini plus (1 − 1/c)/n: it depends on the scale of the
 *    weights. socind matches convey here on purpose (the reference
 *    definition); use unit-free comparisons with care.
 *  - Generalized entropy GE(θ) (svygei): MLD θ = 0, Theil θ = 1, any θ.
 *  - Atkinson(ε), ε > 0 (svyatk).
 *    Near θ = 0 and θ = 1 (ε = 1) convey's (Σw·y^θ/(N̂·μ̂^θ) − 1)/(θ² − θ)
 *    loses its digits: about 1e−15/|θ| (1e−15/|θ − 1|) relative, and
 *    nothing at all from |θ| = 1e−16 (GE(1e−16) 1.11 where it is 0.03).
 *    socind does not copy that artefact: within 0.01 of 0 or 1 (not at 0
 *    and 1, which have their own forms) the rows' terms are expm1(θ·log y)
 *    or y·expm1((θ − 1)·log y) and the figures and SEs are formed without
 *    the differences (lib/internal.h), so GE(θ) and A(ε) tend to the MLD,
 *    Theil and A(1) as θ and ε do (tests: within 1e−12 of their series
 *    in θ); a θ below 2^−300 in size is taken as 0 (GE(θ) is the MLD to
 *    the last digit there). convey and socind part by more than 1e−8 where
 *    convey's loss does: |θ| or |θ − 1| below about 1e−7.
 *  - Quantiles (svyquantile, qrule "math"): the smallest y whose cumulative
 *    weight share is >= p, the cumulative weight and the total each the
 *    exact sum correctly rounded (R sums in long double, which at 10^4 rows
 *    and more is now and then one unit in the last place off: where the
 *    share is then exactly p, R takes the next value; lib/quantile.c);
 *    the interval is Woodruff's (a CI for the share at
 *    the quantile, ±q·SE with q from opts->ci_dist, t(df) by default,
 *    mapped back through the quantile function) and the reported SE is
 *    (upper − lower)/(2·q), as survey reports it — not a linearization SE.
 *
 * Domains: each estimate uses only its domain's rows (weights zero
 * elsewhere), with the full design in the variance (design.h). Rows with a
 * NaN income leave the estimate; rows with weight 0 count nowhere. Domain
 * rule (common.h): every estimator here follows SUBSET by default (AUTO), as
 * convey's svygini, svygei, svyatk, svyqsr, svylorenz, svygeidec, svyjdiv,
 * svyjdivdec, svyzenga, svygpg, svyiqalpha, svyisq, svyrmir and survey's
 * svyquantile do by domain; opts->domain_rule FULL counts every stratum
 * instead (tests/test_domain_rule.c checks each).
 *
 * Incomes <= 0: Gini and quantiles accept any finite income. GE(θ <= 0)
 * including the MLD, Theil (which needs log y), every GE (they divide by the
 * mean) and Atkinson need y > 0: such rows give SOCIND_ERR_NONPOSITIVE naming
 * the row, or are left out with SOCIND_NONPOS_EXCLUDE (common.h).
 *
 * Scale: every measure here but the quantile — the GE decomposition
 * included — does not change when y is multiplied by a constant; a
 * domain's incomes (the decomposition's: all its rows) whose largest value
 * is 2^200 or more or below 2^−201 (near 1e308, or subnormal) are
 * multiplied by a power of 2 first (exact; the decomposition copies them,
 * 8 bytes per row), so their sums stay in range, and Atkinson's y^(1 − ε)
 * is taken on incomes scaled near their mean. The tests find the same
 * figures (within 1e−13) at 2^−1060, 2^−900, 2^900 and 2^1014 times the
 * incomes.
 *
 * Threads: with opts->threads other than 1, socind_ge and socind_atkinson
 * without domains, and socind_ge_decomposition, split their rows over
 * threads through partial states; by domain the threads take whole domains
 * (GE, Atkinson, Gini, quantile, share ratio, Lorenz: one thread's figures
 * bit for bit); socind_gini splits the rows of a domain of 131,072 rows or
 * more by value ranges as its partial state does (socind/state.h,
 * "Threads", says when); the others run on the calling thread.
 * socind_gini on T threads holds, beyond one thread's
 * memory, a copy of the domain's rows (24 bytes each), 16 bytes a block of
 * 4,096 rows and 9 bytes a PSU a thread.
 *
 * Rows: y holds socind_design_nrows(design) values, at most 2^31 − 1 — the
 * largest design socind_design_new builds (it refuses more with
 * SOCIND_ERR_RANGE).
 *
 * Statuses as design.h (an income of ±Inf in a domain: SOCIND_ERR_DATA
 * naming the row), plus SOCIND_ERR_ARG (a parameter out of range, an
 * unknown nonpositive policy), SOCIND_ERR_NONPOSITIVE (the row is named).
 * Per estimate, with the function returning SOCIND_OK: SOCIND_ERR_DATA for a
 * Gini or Lorenz ordinate whose total income is 0 and for a share ratio with
 * no income at or below its lower quantile or no density at a quantile
 * (every income equal; on a replicate design, whose SE reads the
 * replicates' ratios, the density is not needed); SOCIND_ERR_RANGE for a quantile whose Woodruff
 * limit is NaN, its share p̂ ∓ q·s outside [0, 1] (the value stands; this
 * is the only use of SOCIND_ERR_RANGE here); SOCIND_ERR_OVERFLOW for a figure beyond
 * the double range (extreme θ or ε, weights near DBL_MAX; GE gives a figure
 * within it where its rows' w·s(y) are not — weights near 1e298 at θ = −20
 * —, as the partial states do). GE, Atkinson and the GE decomposition do
 * not change, nor does their linearized SE, when every weight is
 * multiplied by one constant: where N̂ or Σw·y leaves the double range
 * (weights near 1e306) they are computed with the weights times 2^−e (e
 * the exponent of the largest; exact), their figures those of the weights
 * so scaled, and weight_sum is the weights' own (+Inf where it overflows).
 * A partial state does the same from its cells' sums, which must
 * themselves be finite: a cell (a PSU's rows in a domain) whose Σw·y^θ
 * (Σw·y·log y at θ = 1) leaves the double range gives SOCIND_ERR_OVERFLOW
 * there (θ = 2 with weights near 1e306 and incomes near 20), where the
 * in-memory call, whose rows' terms are taken relative to the mean, gives
 * the figure. The other measures here say SOCIND_ERR_OVERFLOW for such a
 * domain; SOCIND_ERR_DF,
 * SOCIND_ERR_EMPTY_DOMAIN, SOCIND_ERR_LONELY_PSU. Thread-safe. Temporary
 * memory: 36 bytes per row (a domain's rows with their weights and PSUs,
 * and their linearized values), a few doubles per PSU and per stratum; for
 * the quantile of a domain of 8,192 rows or more a 65,536-bucket histogram
 * (1.5 MB); the GE decomposition 44 bytes per row (it rescales in place)
 * and 5 numbers per group.
 * Cost: O(rows + groups + PSUs + strata) per call, plus each domain's sort
 * of its rows (a radix sort from 2,048 rows; quantiles of smaller domains
 * sort too — the same quantiles — rather than fill the histogram).
 */
#ifndef SOCIND_INEQUALITY_H
#define SOCIND_INEQUALITY_H

#include "socind/design.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Gini coefficient (convey's formula, above) with its linearized SE. */
SOCIND_API int32_t socind_gini(const socind_design *design, const double *y, const int32_t *group,
                               int32_t n_groups, const socind_options *opts, socind_estimate *out);

/* Generalized entropy GE(θ), any finite θ: θ = 0 is the mean log deviation,
 * θ = 1 the Theil index. nonpositive: SOCIND_NONPOS_ERROR or _EXCLUDE. */
SOCIND_API int32_t socind_ge(const socind_design *design, const double *y, double theta,
                             int32_t nonpositive, const int32_t *group, int32_t n_groups,
                             const socind_options *opts, socind_estimate *out);

/* Atkinson index A(ε), ε > 0 (ε = 1 uses the geometric mean). */
SOCIND_API int32_t socind_atkinson(const socind_design *design, const double *y, double epsilon,
                                   int32_t nonpositive, const int32_t *group, int32_t n_groups,
                                   const socind_options *opts, socind_estimate *out);

/* The weighted p-quantile, 0 < p < 1, with Woodruff's interval at
 * opts->level: the share p̂ = F̂(Q̂) below the quantile and its SE s (a mean
 * through the design), p̂ ∓ q·s mapped back through the quantile function,
 * and SE = (upper − lower)/(2·q). q follows opts->ci_dist: Student's t on
 * the df of svyquantile's design by default (its degf(): by domain, svyby's
 * domain design, the PSUs minus the strata among the domain's rows of
 * weight > 0 with an income, as estimate.df says; the whole design's under
 * opts->domain_rule FULL and on replicate designs), the normal quantile
 * with SOCIND_CI_NORMAL (svyquantile with df = Inf).
 * Where p̂ ∓ q·s leaves [0, 1] the limit is NaN (R gives NA), so is the SE,
 * and the estimate's status is SOCIND_ERR_RANGE while its value is the
 * quantile; SE = 0 gives both limits equal to the quantile even when q
 * exceeds the double range; with the t interval and df <= 0 the SE and
 * limits are NaN with status SOCIND_ERR_DF (the normal one needs no df).
 * A domain whose rows all lie in one PSU has df 0 (SOCIND_ERR_DF with the
 * t interval, as R's NaN) and s exactly 0 (that PSU's share is the
 * domain's), so with the normal interval SE 0 and both limits the
 * quantile: in exact arithmetic R's too, where its rounding can leave s of
 * about 1e−17 and p̂ + q·s then steps to the next income. Thread-safe. */
SOCIND_API int32_t socind_quantile(const socind_design *design, const double *y, double p,
                                   const int32_t *group, int32_t n_groups,
                                   const socind_options *opts, socind_estimate *out);

/* Income share ratio (convey's svyqsr): the income of everyone above the
 * alpha2-quantile over the income of everyone at or below the
 * alpha1-quantile. S80/S20 is (0.2, 0.8); the Palma ratio S90/S40 is
 * (0.4, 0.9). The SE includes both quantiles' terms (kernel density and
 * Ŝ'(q) = Σ w y φ((q − y)/h)/h with convey's bandwidth), the kernel sums
 * truncated as poverty.h's ("Arithmetic"): the terms left out add up to
 * less than 2^−53 of the density, and of max|y| times it for Ŝ'. A domain
 * without a density at a quantile on a linearized design (one row, or all
 * incomes equal) keeps its figure — 0, no income above the upper quantile —
 * with SE NaN and SOCIND_ERR_DATA (convey's NA SE); no income at or below
 * the lower quantile gives no figure (SOCIND_ERR_DATA). */
SOCIND_API int32_t socind_share_ratio(const socind_design *design, const double *y, double alpha1,
                                      double alpha2, const int32_t *group, int32_t n_groups,
                                      const socind_options *opts, socind_estimate *out);

/* Lorenz ordinate L(p), 0 < p < 1: the income share of the poorest p of the
 * population, the person straddling p·N̂ counted fractionally (convey's
 * svylorenz, Kovacevic & Binder 1997); no density term. */
SOCIND_API int32_t socind_lorenz(const socind_design *design, const double *y, double p,
                                 const int32_t *group, int32_t n_groups, const socind_options *opts,
                                 socind_estimate *out);

/* Within/between decomposition of GE(θ), any finite θ, by subgroup
 * (convey's svygeidec, Shorrocks 1984) over the rows with a subgroup: the
 * total GE(θ), within = Σ_g ω_g GE_g with ω_g = (Ŷ_g/Ŷ)^θ (N̂_g/N̂)^(1−θ),
 * and between = total − within. group (codes 0 .. n_groups − 1, −1 = left
 * out) is the partition, not a set of domains: one decomposition, whose
 * SOCIND_GEDEC_COUNT parts are out[k] (the convention of common.h with
 * G = 1); group is required (SOCIND_ERR_NULL without it). Incomes must be
 * > 0 (or excluded; a row of weight 0 counts nowhere, and an income <= 0
 * there is not refused); ±Inf is SOCIND_ERR_DATA naming the row. A
 * subgroup without weight — its rows all of weight 0, or none left in a
 * replicate — adds nothing to within (ω_g = 0). Not copied from convey
 * 1.0.1: its svygeidec gives within and between NaN for a subgroup whose
 * rows all have weight 0 (0·NaN; e.g. within subset(design, …), total
 * 0.1584 and within NaN where socind's within is the total and between
 * 0), and on a replicate design one replicate that leaves a subgroup
 * without weight makes all three SEs NA (anyNA); svrVar of convey's
 * replicates with that subgroup adding nothing gives socind's. out
 * (SOCIND_GEDEC_COUNT estimates) is the caller's. Thread-safe. */
#define SOCIND_GEDEC_COUNT 3
#define SOCIND_GEDEC_TOTAL 0   /* GE(θ) of the rows with a subgroup */
#define SOCIND_GEDEC_WITHIN 1  /* Σ_g ω_g GE_g */
#define SOCIND_GEDEC_BETWEEN 2 /* total − within */
SOCIND_API int32_t socind_ge_decomposition(const socind_design *design, const double *y,
                                           double theta, int32_t nonpositive, const int32_t *group,
                                           int32_t n_groups, const socind_options *opts,
                                           socind_estimate *out);

/* J-divergence (convey's svyjdiv; Rohde 2016, "J-divergence measurements
 * of economic inequality", J. R. Stat. Soc. A 179(3)): J = Σ w (y/μ − 1)
 * log(y/μ) / N̂ with μ = Ŷ/N̂, which equals MLD + Theil. Scale-free, >= 0,
 * no upper bound. Its linearized value (convey's CalcJDiv_IF) is
 * u = [(y/μ − 1) log(y/μ) − J]/N̂ − (GE(1)/μ)(y − μ)/N̂. Incomes must be
 * > 0: nonpositive is SOCIND_NONPOS_ERROR (SOCIND_ERR_NONPOSITIVE naming
 * the row) or SOCIND_NONPOS_EXCLUDE (such rows leave the estimate). NaN
 * incomes leave the estimate; ±Inf is SOCIND_ERR_DATA naming the row; rows
 * of weight 0 count nowhere (an income <= 0 there is not refused, as in R).
 * Domains: each domain's variance is that of svyby's domain design (R
 * hands svyjdiv the domain's rows with every stratum's n_h of the full
 * design, PSUs without domain rows counting as zeros) — the "subset"
 * rule of the reference README ("Domains and lonely PSUs"), not the
 * full-design rule of convey's svyfgt. The two give the same SE unless a
 * stratum has a single PSU: under the lonely-PSU policies "adjust" and
 * "average" only the strata present in the domain count (design.h).
 * Statuses, memory and threads as the header's; cost O(rows + PSUs +
 * strata), no sort. */
SOCIND_API int32_t socind_jdiv(const socind_design *design, const double *y, int32_t nonpositive,
                               const int32_t *group, int32_t n_groups, const socind_options *opts,
                               socind_estimate *out);

/* Within/between decomposition of the J-divergence by subgroup (convey's
 * svyjdivdec; Rohde 2016) over the rows with a subgroup: the total J, within
 * = Σ_g [(N̂_g/N̂)·GE_g(0) + (Ŷ_g/Ŷ)·GE_g(1)] (GE_g the MLD and Theil of
 * subgroup g), and between = total − within. Each part's linearized value
 * is convey's: the product rule on the population and income shares and on
 * the subgroups' GE(0) and GE(1) (each with weight zero outside its
 * subgroup); between's is total's minus within's. As socind_ge_decomposition
 * (the convention of common.h with G = 1): group (codes 0 .. n_groups − 1,
 * −1 = left out) is the partition, not a set of domains; it is required
 * (SOCIND_ERR_NULL without it); the SOCIND_JDIVDEC_COUNT parts are out[k];
 * incomes must be > 0 (nonpositive as socind_jdiv; a row of weight 0 counts
 * nowhere, and an income <= 0 there is not refused); ±Inf is
 * SOCIND_ERR_DATA naming the row; a subgroup without rows adds nothing
 * (convey's svyjdivdec, as its svygeidec above, gives within and between
 * NaN for a subgroup level without weight, e.g. inside subset()). The
 * variance counts the strata of the rows used, as the GE
 * decomposition's (R computes it on the design as given). On a replicate
 * design a subgroup left without weight in a replicate adds nothing to
 * that replicate's between, and the replicate counts in all three SEs
 * (the total's is socind_jdiv's). Not copied from convey 1.0.1: its
 * svyjdivdec gives that replicate's between 0·log(0/0) = NaN, and
 * svrVar's na.omit then drops the replicate from all three (its total's
 * SE then differs from svyjdiv's: 0.2192 against 0.2872 in
 * tests/reference/convey_random/expected_empty.csv). Statuses as the
 * header's; SOCIND_ERR_EMPTY when no row has both an income and a
 * subgroup. out (SOCIND_JDIVDEC_COUNT estimates) is the caller's.
 * Temporary memory: the header's 36 bytes per row, 24 more per row (three
 * linearized values) and 4 numbers per subgroup. Cost O(rows + groups +
 * PSUs + strata), no sort. Thread-safe. */
#define SOCIND_JDIVDEC_COUNT 3
#define SOCIND_JDIVDEC_TOTAL 0   /* J of the rows with a subgroup */
#define SOCIND_JDIVDEC_WITHIN 1  /* Σ_g (N̂_g/N̂) GE_g(0) + (Ŷ_g/Ŷ) GE_g(1) */
#define SOCIND_JDIVDEC_BETWEEN 2 /* total − within */
SOCIND_API int32_t socind_jdiv_decomposition(const socind_design *design, const double *y,
                                             int32_t nonpositive, const int32_t *group,
                                             int32_t n_groups, const socind_options *opts,
                                             socind_estimate *out);

/* The Zenga index (convey's svyzenga; Barabesi, Diana & Perri 2016,
 * "Linearization of inequality indices in the design-based framework",
 * Statistics 50(5), the estimator of Zenga 2007): with the rows sorted by
 * y ascending (ties kept in row order, as R's order()), H_k = Σ_{j<=k} w_j
 * and K_k = Σ_{j>=k} w_j y_j,
 *   Ẑ = 1 − Σ_k w_k (N̂ − H_k)(Ŷ − K_k) / (N̂ H_k K_k),
 * in [0, 1], scale-free; its linearized value is convey's CalcZenga_IF
 * (five terms: prefix and suffix sums over the sorted rows). Like the Gini
 * (above), it changes when a row is split into rows with the same y.
 * Incomes must be >= 0 (zero incomes count): a negative one is
 * SOCIND_ERR_NONPOSITIVE naming the row under SOCIND_NONPOS_ERROR, or
 * leaves the estimate under SOCIND_NONPOS_EXCLUDE. NaN incomes leave the
 * estimate; ±Inf is SOCIND_ERR_DATA naming the row; rows of weight 0 count
 * nowhere (a negative income there is not refused). A domain whose total
 * income is 0 has status SOCIND_ERR_DATA. Domains: the variance of svyby's
 * domain design, as socind_jdiv's (R hands svyzenga the domain's rows). On
 * a replicate design a replicate that leaves a domain no weight has no
 * estimate there and leaves its variance (replicate.h). Not copied from
 * convey 1.0.1: its CalcZenga gives such a replicate 1 (the empty sum)
 * and counts it — a domain within one PSU of a JK1 design, whose other
 * replicates all keep its Zenga, gets SE 0.021 where svrVar without that
 * replicate gives 0 (expected_empty.csv); by the same empty sum a domain
 * whose rows all have weight 0 gets 1 with SE 0 (socind:
 * SOCIND_ERR_EMPTY_DOMAIN).
 * Statuses and threads as the header's; temporary memory the header's 36
 * bytes per row and 16 more (each row's H_k and K_k); cost: each domain's
 * sort of its rows (the radix sort from 2,048 rows) and O(rows + PSUs +
 * strata) more. */
SOCIND_API int32_t socind_zenga(const socind_design *design, const double *y, int32_t nonpositive,
                                const int32_t *group, int32_t n_groups, const socind_options *opts,
                                socind_estimate *out);

/* Gender pay gap (convey's svygpg; Eurostat's unadjusted GPG): one minus
 * the ratio of women's mean earnings to men's,
 *
 *     GPG = 1 − R_f/R_m,   R_s = Σ_d w·1[sex = s]·e / Σ_d w·1[sex = s],
 *
 * over the rows of each domain d, with the linearized variable (Deville's
 * chain rule, convey's contrastinf) u = −u_f/R_m + (R_f/R_m²)·u_m,
 * u_s = 1[sex = s]·(e − R_s)/N̂_s. A fraction: 0.16 means women earn 16 %
 * less on average; negative when they earn more. earnings: any finite value
 * in any currency (scale-free); the gap is among the rows given, so the
 * usual "among earners" is asked for by leaving non-earners out of the
 * estimate while keeping them in the design — NaN earnings or group −1 for
 * them (R's svygpg on subset(design, earnings > 0)).
 *
 * sex: BPS coding, 1 = male, 2 = female, SOCIND_CODE_MISSING (−1, growth.h)
 * for missing. (Note for R users: convey takes the first level of its sex
 * factor as the women; a factor(sex) of these codes would give
 * 1 − mean(men)/mean(women).) Any other code anywhere in the column:
 * SOCIND_ERR_CODE naming the row. A row with a missing sex or NaN earnings
 * leaves the estimate and stays in the design.
 *
 * Domains: the variance uses svyby's domain design (strata without domain
 * rows are absent; the full design's n_h), as convey's svygpg under svyby;
 * it differs from the full design's rule under SOCIND_LONELY_ADJUST and
 * SOCIND_LONELY_AVERAGE (opts->domain_rule FULL counts every stratum).
 * df: the design's.
 *
 * Statuses: SOCIND_OK; SOCIND_ERR_NULL (design, earnings, sex or out NULL;
 * out NULL writes nothing); SOCIND_ERR_OPTIONS; SOCIND_ERR_GROUP;
 * SOCIND_ERR_CODE (a sex code other than 1, 2, −1; the row is named);
 * SOCIND_ERR_DATA (earnings ±Inf anywhere in the column, the row named);
 * SOCIND_ERR_EMPTY (no row with both earnings and a sex in any domain);
 * SOCIND_ERR_NOMEM. Per estimate: SOCIND_ERR_EMPTY_DOMAIN (no usable row),
 * SOCIND_ERR_DATA (no man or no woman of positive weight, or men's mean
 * earnings 0: the ratio has no denominator), SOCIND_ERR_DF,
 * SOCIND_ERR_OVERFLOW, SOCIND_ERR_LONELY_PSU. out holds one estimate (group
 * NULL) or n_groups, the caller's. Earnings of magnitude 2^200 or more (or
 * below 2^−201) are multiplied by a power of 2 as they are read (exact).
 * Cost O(rows + groups + PSUs + strata); memory 4 doubles per PSU.
 * Thread-safe. */
SOCIND_API int32_t socind_gender_pay_gap(const socind_design *design, const double *earnings,
                                         const int32_t *sex, const int32_t *group, int32_t n_groups,
                                         const socind_options *opts, socind_estimate *out);

/* ---- quantile-based measures of convey (lib/convey_quantile.c) ----
 *
 * These follow convey 1.0.1's code (svyiqalpha, svyisq, svyrmir; Osier 2009,
 * Deville 1999). Q̂(α) is the library's one weighted quantile (the smallest
 * y whose cumulative weight share reaches α: convey's computeQuantiles and
 * survey's oldsvyquantile(method = "constant") pick the same row), and f̂ is
 * convey's Gaussian kernel density (bandwidth h = σ̂/N̂^(1/5), σ̂ the weighted
 * SD with divisor N̂), both on the domain's rows, truncated as poverty.h's
 * "Arithmetic" says. Per domain, rows with a NaN income (and for the RMIR a
 * NaN age) leave the estimate; rows of weight 0 count nowhere but keep their
 * PSU in the design. Any finite income is accepted (≤ 0 included); ±Inf is
 * SOCIND_ERR_DATA naming the row.
 *
 * Domains: these three use R's svyby domain design — the variance of a
 * domain's Σ w·u over the PSUs its rows touch, with the full design's n_h
 * (design.h), as socind_gini and the other functions of this header do.
 * Without single-PSU strata this equals the full design with zeros outside
 * the domain; under SOCIND_LONELY_ADJUST/AVERAGE with domains the two rules
 * differ (the wave-2 reference README's "Domains and lonely PSUs").
 *
 * Scale: incomes whose largest magnitude is 2^200 or more or below 2^−201
 * are multiplied by a power of 2 first (exact), and the results in currency
 * (quantiles, totals, medians, their SEs) multiplied back.
 *
 * Statuses: design.h's, SOCIND_ERR_ARG for a parameter out of range
 * (α outside (0, 1) or NaN, upper not 0/1, a NaN or infinite age limit),
 * SOCIND_ERR_NULL for a NULL y (or age); per estimate, with the function
 * returning SOCIND_OK: SOCIND_ERR_EMPTY_DOMAIN (no usable row),
 * SOCIND_ERR_DATA where convey's formula is undefined (every income of the
 * domain equal, so no bandwidth; a density of 0 at the quantile; RMIR: an
 * empty age group or a young median of 0) — the quantile and the income
 * below (above) it keep their figure there with SE and limits NaN, as
 * convey's NA SE beside its figure — SOCIND_ERR_DF,
 * SOCIND_ERR_OVERFLOW, SOCIND_ERR_LONELY_PSU. The interval is symmetric,
 * value ± q·SE with q from opts->ci_dist (R's confint() is
 * SOCIND_CI_NORMAL). Thread-safe; out is the caller's. Temporary memory:
 * 36 bytes per row and a few doubles per PSU and stratum. Cost: O(rows +
 * PSUs + strata) per call plus a sort of each domain's rows (radix sort). */

/* The α-quantile Q̂(α), 0 < α < 1, with convey's linearized SE (svyiqalpha):
 * u_k = −(1[y_k <= Q̂] − α)/(N̂·f̂(Q̂)), f̂ on the domain's rows. Unlike
 * socind_quantile (Woodruff's interval, survey's svyquantile) the SE is the
 * density-based one; on a replicate design the replicates' quantiles give
 * it and no density is needed (SOCIND_ERR_DATA for "no density" applies to
 * linearized designs). In y's units. */
SOCIND_API int32_t socind_quantile_linearized(const socind_design *design, const double *y,
                                              double alpha, const int32_t *group, int32_t n_groups,
                                              const socind_options *opts, socind_estimate *out);

/* convey's svyisq: with q = Q̂(α), 0 < α < 1, the TOTAL income of the rows at
 * or below q, ISQ = Σ w y 1[y <= q] (in y's currency times persons, not a
 * share), and with upper = 1 the total above it, Ŷ − ISQ (svyisq(upper =
 * TRUE)). u_k = y_k 1[y_k <= q] − Ŝ'(q)(1[y_k <= q] − α)/(N̂ f̂(q)) with
 * Ŝ'(q) = Σ w y φ((q − y)/h)/h (METHODS §10); upper: y_k − u_k. upper must
 * be 0 or 1 (else SOCIND_ERR_ARG). On a replicate design a replicate that
 * leaves a domain no row of positive weight has the total 0 there, as
 * socind_total's and svyisq's replicates. */
SOCIND_API int32_t socind_quantile_income_total(const socind_design *design, const double *y,
                                                double alpha, int32_t upper, const int32_t *group,
                                                int32_t n_groups, const socind_options *opts,
                                                socind_estimate *out);

/* convey's svyrmir, the relative median income ratio: the median income of
 * the persons aged >= age_limit over that of the persons aged < age_limit
 * (convey's agelim; 65 by default there, SOCIND_RMIR_DEFAULT_AGE_LIMIT
 * here), in each domain. Both medians' densities use the bandwidth h of the
 * domain's whole sample (both age groups) but their own group's rows and
 * N̂_s: u_s = −1[s](1[y <= MED_s] − ½)/(N̂_s f̂_s(MED_s)), and
 * u = u_old/MED_young − (MED_old/MED_young²)·u_young. age (one value per
 * row, any unit; NaN = missing, the row left out; ±Inf is SOCIND_ERR_DATA
 * naming the row) and age_limit (finite, else SOCIND_ERR_ARG) are compared
 * as doubles. SOCIND_RMIR_COUNT parts per group in out[g·COUNT + k]
 * (common.h): the ratio, and the two medians in y's units. R reports the
 * medians (med_old = TRUE, med_young = TRUE) without an SE; socind gives
 * them the SE of their own u_s (the linearization above, an SE convey does
 * not report). An empty age group makes its median SOCIND_ERR_EMPTY_DOMAIN
 * and the ratio SOCIND_ERR_DATA (R stops with an error); so does a young
 * median of 0 for the ratio. out holds SOCIND_RMIR_COUNT·max(1, n_groups)
 * estimates. */
#define SOCIND_RMIR_DEFAULT_AGE_LIMIT 65.0
#define SOCIND_RMIR_COUNT 3
#define SOCIND_RMIR_RATIO 0     /* MED_old / MED_young */
#define SOCIND_RMIR_MED_OLD 1   /* median income of persons aged >= age_limit */
#define SOCIND_RMIR_MED_YOUNG 2 /* median income of persons aged < age_limit */
SOCIND_API int32_t socind_median_income_ratio(const socind_design *design, const double *y,
                                              const double *age, double age_limit,
                                              const int32_t *group, int32_t n_groups,
                                              const socind_options *opts, socind_estimate *out);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_INEQUALITY_H */
