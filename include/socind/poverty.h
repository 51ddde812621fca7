/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/poverty.h — poverty measures with design-based standard errors,
 * overall and by domain: FGT(α) (P0 poverty rate, P1 poverty gap index, P2
 * severity), the number of poor, the total poverty gap and the mean shortfall
 * of the poor, the Watts index, the poverty line itself, the FGT and Watts
 * decompositions, the subgroup profile, the Sen and Sen–Shorrocks–Thon
 * indices with their components, richness measures above a threshold, and
 * PPP line conversion.
 *
 * Estimators and linearized variables follow R's convey 1.0.1 (svyfgt,
 * svywatts, svyarpt, svyfgtdec, svywattsdec; Foster–Greer–Thorbecke 1984,
 * Watts 1968, Berger & Skinner 2003, Zheng 2001, Osier 2009, Deville 1999)
 * and survey (svytotal, svyratio); the variance is the design's (design.h).
 * For a line z and income y,
 *
 *     h_α(y; z) = ((z − y)/z)^α · 1[poor],   P_α = Σ w h_α / Σ w,
 *
 * with 0^0 = 1. "Poor" is y < z by default (BPS, the World Bank's PIP);
 * inclusive = 1 gives y <= z (convey's rule).
 *
 * Lines (socind_poverty_line):
 *  - ABSOLUTE: one line for every row;
 *  - PER_ROW: a line per row (provinces × urban/rural); h uses each row's own
 *    line, ((z_k − y_k)/z_k)^α; the lines are taken as fixed;
 *  - RELATIVE_QUANTILE: fraction × the weighted p-quantile of y (0.6 × the
 *    median by default), the quantile being the smallest y whose cumulative
 *    weight share is >= p (R's qrule "math");
 *  - RELATIVE_MEAN: fraction × the weighted mean of y.
 * A relative line is always estimated on the whole sample (also for domain
 * estimates), and its own sampling variability enters the SE as in convey:
 * the linearized variable gains A·u^z, with u^z the line's influence function
 * (quantile: −fraction·(1[y <= Q] − p)/(N̂·f̂(Q)); mean:
 * fraction·(y − μ̂)/N̂) and A = ∂P/∂z. For P0 (and the number of poor) A
 * involves the density of y at the line; f̂ is convey's Gaussian kernel
 * estimate with bandwidth h = σ̂/N̂^(1/5), σ̂ the weighted SD (divisor N̂) and
 * N̂ the sum of weights — on the whole sample at the quantile, on the domain
 * at the line. The bandwidth thus shrinks as the weights grow, and the SEs
 * that carry a density change with the weights' scale (the reference
 * sample's 0.6 × median line: SE 11,922 with its weights, 9,543 with them
 * times 1,024): convey's definition, which socind keeps. For α > 0,
 * A = Σ w α((z − y)/z)^(α−1)·y/z²·1[poor]/N̂_d, a row exactly at the line
 * counting as in convey (0^0 = 1: y/z² at α = 1, 0 for α > 1; for
 * 0 < α < 1 its term is infinite, convey's SE NaN, and socind leaves such
 * rows out of A — an artefact not copied); for Watts A = P̂0-weight/z.
 * For relative lines every stratum counts as present in the variance (the
 * line's term reaches every row). A domain without an income density at
 * the line (no bandwidth: one row, or every income equal) has no A for
 * FGT0 and the number of poor: the estimates whose SE it enters (FGT0, the
 * poor count and mean shortfall, FGT0 in the decompositions and the IGR
 * and GE parts read from it, the profile's α = 0 parts but the group's
 * share) keep their figure with SE and limits NaN and SOCIND_ERR_DATA, as
 * convey's NA; on a replicate design the SEs come from the replicates.
 * convey's SEs are NA for α > 0 too (its line term multiplies the density
 * by 0); socind's stand there, as its A needs none.
 *
 * Artefacts of convey 1.0.1 that socind does not copy (its figures are
 * convey's on the same data with those rows left out, PSUs kept):
 *  - svyfgt, svywatts and svyrich with type_thresh = 'relq', and
 *    svypoormed, place the line's linearized values (one per row of the
 *    design) into the rows of positive weight and non-missing income
 *    (arptlin[wf > 0] <- ...): where the design holds a row of weight 0, or
 *    an NA income under na.rm = TRUE, R recycles them (warning "number of
 *    items to replace is not a multiple of replacement length") and the
 *    line's term falls on other rows — SEs off (0.0403 for 0.0513 on a
 *    domain's P0 with four weights set to 0) or NA.
 *  - svyarpr by domain, where the domain holds a row of weight 0, takes
 *    for its domain indicator the domain's weight ≠ 0 mask recycled over
 *    the whole sample (SE 0.1406 for 0.0442).
 *  - svypoormed and svyrmpg with na.rm = TRUE lose the row names of the
 *    design (ifelse() on its probabilities), so the at-risk rate inside
 *    them takes its domain as the first n_d rows of the sample by position:
 *    by domain, and for the whole sample when its row names are not 1..n,
 *    their SEs are off (convey's figures with na.rm = FALSE, where nothing
 *    is missing, are socind's).
 *  - svyfgtdec on a replicate design takes the GE of the poor's gaps over
 *    the rows with y < z strictly, where its P0, P1 and P_α (and its
 *    linearized version, by P_α/(P0·IGR^α)) count y <= z: with incomes at
 *    the line its GE part is not the one its identity needs (0.0826 for
 *    0.2078 with three incomes at the line); socind's is the identity's on
 *    either design.
 *  - svyfgtdec on a replicate design against a relative line keeps the
 *    full sample's line in every replicate (its threshold from the full
 *    sample's weights), where svyfgt, svywatts and svywattsdec estimate it
 *    again in each: its SEs leave the line's variation out (P0's SE 0.1258
 *    where svyfgt's is 0.0590, IGR's 0.0369 for 0.1314, on the 24 rows of
 *    a JK1 design of tests/reference/convey_random). socind's estimate the
 *    line in each replicate (P0's SE is svyfgt's); convey's figures are
 *    socind's against the full sample's line given as an absolute line.
 *    And a replicate without poor (its IGR and GE undefined) makes every
 *    SE of svyfgtdec NA (anyNA over the replicates); socind leaves it out
 *    of the IGR's and the GE's SEs only.
 *  - svyfgtdec and svywattsdec on a linearized design, for a domain
 *    without poor: their P0, P1, P_α (and W) are 0 with SE NaN when the
 *    design has no fpc (the IGR's and GE's NaN linearized values enter
 *    survey's joint variance of all parts), SE 0 with an fpc; socind's are
 *    0 with SE 0 either way, the IGR and GE (the gap ratio and the
 *    poor's Theil) NaN with SOCIND_ERR_DATA.
 *
 * Domain rule (common.h; it matters only under the lonely-PSU policies
 * ADJUST and AVERAGE, for a domain without rows in some stratum, against a
 * fixed or per-row line): by default (AUTO) socind_fgt, socind_watts, the
 * FGT and Watts decompositions and the profile follow FULL (every stratum of
 * the design counts, as convey's svyfgt, svywatts, svyfgtdec and svywattsdec
 * compute on the full design with zeros outside the domain);
 * socind_poor_count, socind_poverty_gap_total and socind_mean_shortfall
 * follow SUBSET (survey's svytotal and svyratio on svyby's domain design);
 * socind_sen and socind_sst follow FULL, as socind_fgt. opts->domain_rule
 * chooses the other. socind_richness, socind_poor_median and
 * socind_relative_median_gap count every stratum under either rule (their
 * threshold's or line's influence reaches every PSU, as convey's svyrich,
 * svypoormed and svyrmpg compute on the full design): the option does not
 * change them.
 *
 * Missing values: a row with NaN income (or NaN per-row line) leaves the
 * estimate and its domain but stays in the design. An income of ±Inf is
 * refused with SOCIND_ERR_DATA naming the row: anywhere in y with a relative
 * line (its estimation reads every row), for the gap total, the mean
 * shortfall and the line estimate; in the rows an estimate reads for FGT,
 * the number of poor and Watts (and their decompositions and the profile)
 * against absolute or per-row lines, whose row loops look for it (a pass of
 * its own over y would cost as much as a plain weighted sum).
 *
 * Rows: y (and a per-row line's lines) hold socind_design_nrows(design)
 * values, at most 2^31 − 1 — the largest design socind_design_new builds
 * (it refuses more with SOCIND_ERR_RANGE). SOCIND_ERR_RANGE is otherwise
 * returned here only by socind_ppp_line (a line below DBL_MIN).
 *
 * Common statuses: those of design.h (SOCIND_ERR_NULL, SOCIND_ERR_GROUP,
 * SOCIND_ERR_OPTIONS, SOCIND_ERR_NOMEM, SOCIND_ERR_EMPTY …), plus
 * SOCIND_ERR_ARG for a bad line specification (a line that is not finite and
 * > 0, a fraction outside (0, ∞), a quantile outside (0, 1), PER_ROW without
 * lines, inclusive not 0/1, an unknown type), α < 0 or not finite (α <= 1
 * for the FGT decomposition), or an unknown nonpositive policy;
 * SOCIND_ERR_OPTIONS also for a line whose size field is not set by
 * socind_poverty_line_init(); SOCIND_ERR_DATA for a per-row line that is
 * ±Inf or <= 0 or an income of ±Inf (the row is named), and for a relative
 * quantile line when the income density at the quantile is 0 (every income
 * equal; not on a replicate design, whose SE is the replicates': there, as
 * convey's computeQuantiles, the line of equal incomes, or of one, stands,
 * in the full sample and in each replicate); SOCIND_ERR_NONPOSITIVE for an
 * income <= 0 in Watts (and its decomposition) under SOCIND_NONPOS_ERROR
 * (the row is named); SOCIND_ERR_EMPTY for a relative line without an
 * income of positive weight. A domain with no usable row gets NaN and
 * status SOCIND_ERR_EMPTY_DOMAIN; a domain with no poor has P = 0 (SE 0
 * against a fixed line, positive against a relative one). Per estimate,
 * with the function returning SOCIND_OK:
 * SOCIND_ERR_EMPTY_DOMAIN, SOCIND_ERR_DF, SOCIND_ERR_OVERFLOW (a total in
 * currency beyond DBL_MAX, weights near the double range, a Watts log(z/y)
 * whose ratio overflows), SOCIND_ERR_LONELY_PSU, and
 * SOCIND_ERR_DATA where a ratio has no denominator (mean shortfall without
 * poor; IGR and GE of the poor when P0 = 0; Watts' decomposition when P0 = 0
 * or P0 = P1; a contribution share when P_α = 0). Everything is thread-safe;
 * temporary memory is a few doubles and 9 bytes per PSU, 3 doubles per
 * stratum and, by domain, one row index (none when each domain's rows are
 * consecutive: design.h), plus for a quantile line a sample of 65,536
 * rows and the rows near the quantile (a few per cent of n; 2 bytes per row
 * more when the sample misleads and a histogram of all rows finds the
 * quantile instead — the line is the same), and 8 bytes per row (16 with
 * per-row lines) when incomes are rescaled (below).
 *
 * Scale: every measure here is unchanged when incomes and lines are
 * multiplied by a constant, and the total gap, the mean shortfall and the
 * line are multiplied by it. When the largest magnitude of an income or a
 * line is 2^200 (1.6e60) or more, or below 2^−201 (3.1e−61), the incomes and
 * lines are multiplied by 2^−e first, e that magnitude's exponent (exact: a
 * copy, the caller's arrays are not touched), and the totals in currency by
 * 2^e after, so that sums, squares, the kernel's bandwidth and the line's
 * derivative stay in the double range. Against absolute and per-row lines
 * FGT, the number of poor and Watts take the lines' magnitude alone (they
 * read the incomes only through y/z), and the total gap and the mean
 * shortfall that of the lines and of the incomes below their line (their
 * sums hold z − y of those rows only): an income far above the line (gap
 * 0) leaves their figures bit for bit those of any other income above it;
 * the line's own estimate takes the line's. Across the whole range the figures
 * are those of the unscaled arithmetic (the tests find every estimator's
 * value, SE and limits bit for bit equal with incomes near 1000 multiplied
 * by 2^k, k from −1045 (every income subnormal: against the incomes as
 * rounded) to 1009, the largest near DBL_MAX); only a total in currency
 * beyond DBL_MAX is SOCIND_ERR_OVERFLOW. An income or line more than 2^1021
 * below the largest becomes subnormal there and loses bits. Against a
 * relative line one income far above the others sets that scale and the
 * kernel's bandwidth: with one income of 1e300 among the poverty reference
 * sample's (scale 2^997) the line lies near 1e−295 at the scale, the
 * derivatives of FGT(α > 0), Watts and the relative median gap in it near
 * 1e295 (z·z below the doubles), and the line's SE is near 3e295 (it grows
 * with the bandwidth). The variance then takes the scale of the line's term
 * D·Z where that term lies more than 2^200 above the domain's own PSU
 * totals at their scale, so that FGT1 (SE near 9e288), FGT2, Watts, the
 * total gap (near 1e301), the mean shortfall and the relative median gap
 * (near 5e289) have their finite SEs (FGT1's, the gap's and the median
 * gap's within 1e−9 of convey's formula computed in long double:
 * tests/test_state_relative.c), where they were NaN with
 * SOCIND_ERR_OVERFLOW; data whose figures stay within the range give the
 * same bits as before. (Partial states keep the incomes as given,
 * socind/state.h's "Extremes": there these estimates stay
 * SOCIND_ERR_OVERFLOW.)
 *
 * Threads: with opts->threads other than 1, FGT, the number of poor, the
 * total gap, the mean shortfall, Watts and both decompositions split their
 * rows over threads through partial states (socind/state.h, "Threads")
 * against absolute and per-row lines without domains; by domain the
 * threads take whole domains against any line (one thread's figures bit for
 * bit; a relative line is made once, on the calling thread, and every
 * thread reads it). Without domains relative lines, and the other
 * estimators here, run on the calling thread.
 *
 * Cost: O(rows + groups + PSUs + strata) per call, for every estimator and
 * line type: a domain costs O(its rows + the PSUs they touch), the rest is
 * done once per call. A relative line's term D·Z_p reaches every PSU (as do
 * the profile's whole-sample totals in its shares and contributions), so a
 * domain's variance involves every PSU; it is computed as V(D·Z) + V(s) +
 * 2·Cov(D·Z, s), s the domain's own part of the linearized variable, with
 * V(D·Z) and the untouched PSUs' part of the covariance from per-stratum
 * means and centred sums of products of Z made once per call. That is the
 * dense sum Σ_h Σ_p (u_p − ū_h)² (design.h) rearranged, lonely-PSU rules and
 * fpc included, not an approximation; its rounding error is at most about
 * (m + 8)·2^−53·(V(D·Z) + V(s)), m the largest number of PSUs in a stratum
 * (for the profile, V(D·Z) stands for the sum of its whole-sample terms'
 * variances). The tests check that bound against the dense sum; FGT(0, 1, 2)
 * by domain against fixed and relative mean lines and the profile's shares
 * against a computation of design.h's formula from scratch in long double
 * (SEs within 1e−13 relatively, under each lonely-PSU policy, with and
 * without fpc); and every estimator by domain against the dense computation:
 * estimates, n and statuses bit for bit, SEs within 2e−14 relatively against
 * fixed lines and 1e−13 against relative ones on strata of a few dozen PSUs
 * (the decompositions' derived measures, differences of nearly equal
 * vectors, within their own rounding). The dense sum's error grows with a
 * stratum's PSUs, this one's much less (the untouched PSUs' squares are
 * added at once): with 4,000 PSUs a stratum, small domains' SEs were off by
 * 3e−13 and are now within 2e−15 of the exact value.
 *
 * Arithmetic: the kernel sums leave out terms far from the point — first
 * those with ((x − y)/h)² > 100, kept when their bound W·e^−50·φ(0)/h (W
 * the weight of the rows) is below 2^−53 of the sum, else the sum is made
 * again with a cut-off far enough that it is — so the terms left out add up
 * to less than 2^−53 of the density (the library's one kernel density,
 * shared with the share ratios of inequality.h). On x86-64 processors with AVX-512 the kernel's
 * exp() and Watts' log(z/y) are evaluated eight rows at a time within 2 ulp of the C library
 * (elsewhere the C library's run), and vectorized sums add in another order: results can differ
 * between processors in the last bits (about 1e−15 relative), never in the method. In a domain
 * where every row is poor, FGT0's SE is the line's term alone, kept apart from the PSUs' own sums
 * and so not lost however small (a line dozens of bandwidths from the domain's incomes: SEs near
 * 1e−50); where another measure is constant over a domain, its own part is rounding noise of about
 * 1e−16 of its sums, which hides a line term below that. An SE below 1e−154 is 0 (its square
 * underflows).
 */
#ifndef SOCIND_POVERTY_H
#define SOCIND_POVERTY_H

#include "socind/design.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SOCIND_LINE_ABSOLUTE 0
#define SOCIND_LINE_PER_ROW 1
#define SOCIND_LINE_RELATIVE_QUANTILE 2
#define SOCIND_LINE_RELATIVE_MEAN 3

typedef struct socind_poverty_line {
    size_t size;         /* sizeof(socind_poverty_line) */
    int32_t type;        /* SOCIND_LINE_* */
    int32_t inclusive;   /* 0: poor if y < z (default); 1: poor if y <= z (convey) */
    double value;        /* ABSOLUTE: the line; RELATIVE_*: the fraction (e.g. 0.6) */
    double quantile;     /* RELATIVE_QUANTILE: p (default 0.5, the median) */
    const double *lines; /* PER_ROW: one line per row of the design (read during
                            the call only) */
} socind_poverty_line;

/* Sets size, type ABSOLUTE, inclusive 0, value NaN (must be set), quantile
 * 0.5, lines NULL. Returns SOCIND_OK, or SOCIND_ERR_NULL for NULL. */
SOCIND_API int32_t socind_poverty_line_init(socind_poverty_line *line);

/* FGT(α), α >= 0: P0 (alpha 0) poverty rate, P1 poverty gap index, P2
 * severity. One estimate (group NULL) or n_groups. P0 is a proportion: its
 * interval follows opts->prop_ci (the logit interval by default; Wald gives
 * convey's symmetric one); other α get the symmetric interval. */
SOCIND_API int32_t socind_fgt(const socind_design *design, const double *y,
                              const socind_poverty_line *line, double alpha, const int32_t *group,
                              int32_t n_groups, const socind_options *opts, socind_estimate *out);

/* Number of poor people: the population total Σ w·1[poor] (survey's
 * svytotal of the poverty indicator; with a relative line its SE includes the
 * line's term, ∂/∂z = N̂_d·f̂_d(z)). */
SOCIND_API int32_t socind_poor_count(const socind_design *design, const double *y,
                                     const socind_poverty_line *line, const int32_t *group,
                                     int32_t n_groups, const socind_options *opts,
                                     socind_estimate *out);

/* Total poverty gap Σ w·(z − y)·1[poor], in the currency of y per period:
 * what it would cost, with perfect targeting, to lift every poor person to
 * the line. */
SOCIND_API int32_t socind_poverty_gap_total(const socind_design *design, const double *y,
                                            const socind_poverty_line *line, const int32_t *group,
                                            int32_t n_groups, const socind_options *opts,
                                            socind_estimate *out);

/* Mean shortfall of the poor, Σ w (z − y) 1[poor] / Σ w 1[poor] (survey's
 * svyratio of the gap to the poor count); NaN with status SOCIND_ERR_DATA in
 * a domain with no poor. */
SOCIND_API int32_t socind_mean_shortfall(const socind_design *design, const double *y,
                                         const socind_poverty_line *line, const int32_t *group,
                                         int32_t n_groups, const socind_options *opts,
                                         socind_estimate *out);

/* Watts index W = Σ w log(z/y) 1[poor] / Σ w (convey's svywatts). nonpositive:
 * SOCIND_NONPOS_ERROR or SOCIND_NONPOS_EXCLUDE (common.h) for incomes <= 0,
 * whose log(z/y) is undefined. */
SOCIND_API int32_t socind_watts(const socind_design *design, const double *y,
                                const socind_poverty_line *line, int32_t nonpositive,
                                const int32_t *group, int32_t n_groups, const socind_options *opts,
                                socind_estimate *out);

/* The line itself (one estimate): ABSOLUTE → the value with SE 0;
 * RELATIVE_QUANTILE → fraction·Q̂(p) with the quantile's linearization SE
 * (convey's svyarpt); RELATIVE_MEAN → fraction·μ̂ with its SE. PER_ROW →
 * SOCIND_ERR_ARG. SOCIND_ERR_EMPTY when every income is missing; otherwise
 * the common statuses. */
SOCIND_API int32_t socind_poverty_line_estimate(const socind_design *design, const double *y,
                                                const socind_poverty_line *line,
                                                const socind_options *opts, socind_estimate *out);

/* FGT decomposition (Aristondo, Lasso de la Vega & Urrutia 2010; convey's
 * svyfgtdec): P_α = P0 · IGR^α · [1 + (α² − α)·GE_α(poor)], α > 1 (else
 * SOCIND_ERR_ARG). SOCIND_FGTDEC_COUNT parts per group, in out[g·COUNT + k]
 * (common.h): P0, P1, P_α, IGR = P1/P0 and GE_α of the poor's normalised
 * gaps. out holds SOCIND_FGTDEC_COUNT estimates (group NULL) or
 * SOCIND_FGTDEC_COUNT·n_groups, the caller's (nothing is kept). IGR and GE
 * are NaN with SOCIND_ERR_DATA in a group without poor (P0 = 0). Thread-safe. */
#define SOCIND_FGTDEC_COUNT 5
#define SOCIND_FGTDEC_P0 0     /* poverty rate P0 */
#define SOCIND_FGTDEC_P1 1     /* poverty gap index P1 */
#define SOCIND_FGTDEC_PALPHA 2 /* P_α */
#define SOCIND_FGTDEC_IGR 3    /* income gap ratio P1/P0 */
#define SOCIND_FGTDEC_GE 4     /* GE_α of the poor's normalised gaps */
SOCIND_API int32_t socind_fgt_decomposition(const socind_design *design, const double *y,
                                            const socind_poverty_line *line, double alpha,
                                            const int32_t *group, int32_t n_groups,
                                            const socind_options *opts, socind_estimate *out);

/* Watts decomposition (Blackburn 1989; convey's svywattsdec):
 * W = P0·(W_pgr + L_poor), every part over the rows Watts uses (an income
 * <= 0 is left out under SOCIND_NONPOS_EXCLUDE and refused under
 * SOCIND_NONPOS_ERROR, naming its row). SOCIND_WATTSDEC_COUNT parts per
 * group, in out[g·COUNT + k] (common.h): W, P0, the Watts poverty gap ratio
 * W_pgr = log(P0/(P0 − P1)) and the Theil (MLD) index of the poor
 * L_poor = W/P0 − W_pgr. out holds SOCIND_WATTSDEC_COUNT estimates (group
 * NULL) or SOCIND_WATTSDEC_COUNT·n_groups, the caller's (nothing is kept).
 * W_pgr and L_poor are NaN with SOCIND_ERR_DATA where P0 = 0 or P0 = P1.
 * Thread-safe. */
#define SOCIND_WATTSDEC_COUNT 4
#define SOCIND_WATTSDEC_WATTS 0      /* the Watts index W */
#define SOCIND_WATTSDEC_P0 1         /* poverty rate P0 */
#define SOCIND_WATTSDEC_GAP_RATIO 2  /* Watts poverty gap ratio W_pgr */
#define SOCIND_WATTSDEC_THEIL_POOR 3 /* Theil (MLD) index of the poor L_poor */
SOCIND_API int32_t socind_watts_decomposition(const socind_design *design, const double *y,
                                              const socind_poverty_line *line, int32_t nonpositive,
                                              const int32_t *group, int32_t n_groups,
                                              const socind_options *opts, socind_estimate *out);

/* Additive subgroup profile of FGT(α), α >= 0: for each group g of the
 * partition `group` (required; codes 0 .. n_groups − 1, n_groups >= 1, −1 =
 * in no group), SOCIND_PROFILE_COUNT parts in out[g·COUNT + k] (common.h):
 * its population share N̂_g/N̂, its P_α,g, its contribution to the total
 * P_α, N̂_g·P_α,g/N̂ (the contributions sum to P_α over a partition), and
 * that contribution as a share of P_α (0–1; NaN with SOCIND_ERR_DATA when
 * P_α = 0), each with its SE (N̂ and P_α are the whole sample's, rows
 * without a group included). A group that holds every row of weight > 0
 * (with an income) has its share and its contribution share equal to 1
 * with SE exactly 0, as R's svyratio gives: their linearized variables
 * are 0 row by row, where the own and whole-sample parts of the general
 * formula cancel only to about 1e−8. So too the contribution share of a
 * group that holds every poor row of weight > 0, wherever its PSU sums of
 * the poverty come out equal to the whole sample's: always through partial
 * states; in memory, rows of weight 0 among its rows in the file can leave
 * them an ulp apart (the whole sample's PSU sums are added run by run),
 * and its value then 1 ± an ulp with an SE of about 1e−18 (below). A
 * share, contribution or contribution share within 1/64 of 1 takes its
 * PSU terms from the complement's own sums over every PSU (a pass over
 * the rows more), where that cancellation would keep about 2^−26 of the
 * parts' SEs (31–67 % off, or 0, at 1 − 1.5e−9; socind/state.h); so does
 * a group's FGT0 near 1, as socind_fgt's. out holds
 * SOCIND_PROFILE_COUNT·n_groups estimates. SOCIND_ERR_NULL when out is
 * NULL (nothing is written) or group is NULL (out's
 * SOCIND_PROFILE_COUNT·n_groups estimates are then NaN, or
 * SOCIND_PROFILE_COUNT when n_groups < 1); otherwise the common statuses.
 * out is the caller's (nothing is kept). Thread-safe. */
#define SOCIND_PROFILE_COUNT 4
#define SOCIND_PROFILE_SHARE 0              /* population share N̂_g/N̂ */
#define SOCIND_PROFILE_FGT 1                /* P_α,g */
#define SOCIND_PROFILE_CONTRIBUTION 2       /* N̂_g·P_α,g/N̂ */
#define SOCIND_PROFILE_CONTRIBUTION_SHARE 3 /* the contribution over P_α */
SOCIND_API int32_t socind_poverty_profile(const socind_design *design, const double *y,
                                          const socind_poverty_line *line, double alpha,
                                          const int32_t *group, int32_t n_groups,
                                          const socind_options *opts, socind_estimate *out);

/* Sen (1976) and Sen–Shorrocks–Thon (Shorrocks 1995, Thon 1979) poverty
 * indices with their components, as DASP (Araar & Duclos, "DASP: Distributive
 * Analysis Stata Package", the isen and isst commands) and convey's
 * development version (svysen, svysst; not in convey 1.0.1) define them: the
 * asymptotic (population) forms, not Sen's finite-sample q/(q + 1) form.
 * Both read the normalized income x = y/z (z the row's line), so that a
 * per-row line works as an absolute one does. Over the domain's rows, with
 * "poor" the line's rule (y < z, or y <= z when inclusive) and the poverty
 * gap g = (1 − x)·1[poor]:
 *
 *   P0  = N̂_p/N̂                           headcount ratio
 *   I   = Σ w g / N̂_p                       mean poverty gap ratio of the poor
 *                                           (= P1/P0, the income gap ratio)
 *   G_p = Gini of x among the poor           (rows with y not poor left out)
 *   G_g = Gini of g over every row           (the non-poor with g = 0)
 *   Sen = P0·(I + (1 − I)·G_p)  = P1 + (P0 − P1)·G_p  (convey's svysen)
 *   SST = P0·I·(1 + G_g)        = P1·(1 + G_g)        (convey's svysst)
 *
 * Each Gini is convey's (svygini, socind_gini): with the rows sorted by the
 * variable v and r_k the cumulative weight up to and including row k,
 * G = (2·Σ r_k w_k v_k − V)/(N·V) − 1, V = Σ w v, N = Σ w (weights counted
 * as people, as convey's: G changes when every weight is multiplied by a
 * constant, and when every row is repeated unless every weight is 1). G_p is
 * socind_gini on the poor rows' x (y/z for an absolute line: the Gini of the
 * poor's incomes), G_g socind_gini on every row's g. The indices are computed
 * in forms without cancellation between their terms: Sen = (N̂_p·Σ w g +
 * 2T_p − (N̂_p + 1)·X_p)/(N̂·N̂_p) and SST = (2T_g − Σ w g)/N̂², T and X the
 * Gini's sums, so that they stay defined where a component is not.
 *
 * Each estimate's SE is the linearization's (Deville 1999): the influence
 * functions of the totals (N̂, N̂_p, Σ w x over the poor, Σ w g) and of the
 * Gini's rank sum T (Σ_{j after k} w_j v_j + r_k v_k, as socind_gini's),
 * combined by the chain rule, summed by PSU and given to the design's
 * variance (design.h). The tests check each SE against numerical derivatives
 * of the estimate in each PSU's weights.
 *
 * Lines: SOCIND_LINE_ABSOLUTE and SOCIND_LINE_PER_ROW (the lines fixed).
 * A relative line is refused with SOCIND_ERR_ARG: its own variability would
 * enter through the density of the incomes at the line and the derivative
 * of the poor's Gini in the line, which socind does not linearize.
 *
 * Parts: SOCIND_SEN_COUNT (SOCIND_SST_COUNT) estimates per group, part k of
 * group g at out[g·COUNT + k] (common.h); out holds COUNT estimates (group
 * NULL) or COUNT·n_groups, the caller's (nothing is kept). The headcount
 * P0 is a proportion: its interval follows opts->prop_ci, as socind_fgt's;
 * the others are symmetric. Every part's n and weight_sum are the domain's
 * (rows with an income and a line, weight 0 included; N̂).
 *
 * Data: a row with a NaN income or a NaN per-row line leaves the estimate
 * and its domain but stays in the design. Incomes may be zero or negative
 * (their gaps exceed 1). Statuses (returned): SOCIND_ERR_NULL (out, design,
 * y or line NULL; out NULL: nothing written), SOCIND_ERR_OPTIONS (a line
 * not set by socind_poverty_line_init, bad options), SOCIND_ERR_ARG (a bad
 * or relative line, inclusive not 0/1), SOCIND_ERR_DATA (an income of
 * ±Inf, a per-row line ±Inf or <= 0: the row is named), SOCIND_ERR_GROUP,
 * SOCIND_ERR_NOMEM, SOCIND_ERR_EMPTY (no row with an income in any domain);
 * on failure every output is NaN with that status. Per estimate, with the
 * function returning SOCIND_OK: SOCIND_ERR_EMPTY_DOMAIN (a domain with no
 * usable row or N̂ = 0: every part); a domain without poor has Sen, SST and
 * P0 equal to 0 with SE 0 and I, G_p, G_g NaN with SOCIND_ERR_DATA; G_p is
 * NaN with SOCIND_ERR_DATA when the poor's Σ w x is 0 (every poor income
 * 0), G_g when Σ w g is 0 (every poor row exactly at the line, inclusive);
 * SOCIND_ERR_DF, SOCIND_ERR_LONELY_PSU and SOCIND_ERR_OVERFLOW (a y/z beyond
 * the double range, a sum of the poor's w·x, w·g, w·r·x — SST: w², w²·x —
 * beyond it, weights so large or small that N̂³ or N̂·N̂_p² leave it, or
 * whose sum N̂ does: every part, in memory and from the partial states
 * alike) as elsewhere.
 *
 * Precision: each PSU's total of w·u is formed from its poor's sums in long
 * double (lib/sen.c), written so that no N̂·Σw·g is formed to cancel:
 * where a domain lies in one PSU its totals are exactly G/N̂² (SST) and
 * 1/N̂ (G_g), convey's N̂ + 1 artefact, small against the terms they come
 * from; the tests find those SEs within 4e−14 of the exact figures for any
 * order of the rows (sums of every row in doubles had them 1e−11 off; the
 * figure needs x87's 64-bit long double, GCC and Clang on x86-64). The
 * terms are some N̂ times the totals, so the digits kept fall as N̂ grows:
 * with weights spanning 2^±40 the Sen index's SE of such a domain was
 * 1.3e−7 from exact.
 *
 * Cost: O(rows·log(poor rows) + PSUs + strata) per domain (the poor rows are
 * sorted; every other row is read once); temporary memory 24 bytes per row
 * and 160 bytes and a byte per PSU. Thread-safe; nothing is kept. */
#define SOCIND_SEN_COUNT 4
#define SOCIND_SEN_INDEX 0     /* Sen = P0·(I + (1 − I)·G_p) */
#define SOCIND_SEN_HEADCOUNT 1 /* P0 */
#define SOCIND_SEN_GAP 2       /* I, the mean poverty gap ratio of the poor */
#define SOCIND_SEN_GINI_POOR 3 /* G_p, the Gini of the poor's normalized incomes */
SOCIND_API int32_t socind_sen(const socind_design *design, const double *y,
                              const socind_poverty_line *line, const int32_t *group,
                              int32_t n_groups, const socind_options *opts, socind_estimate *out);

#define SOCIND_SST_COUNT 4
#define SOCIND_SST_INDEX 0     /* SST = P0·I·(1 + G_g) */
#define SOCIND_SST_HEADCOUNT 1 /* P0 */
#define SOCIND_SST_GAP 2       /* I, the mean poverty gap ratio of the poor */
#define SOCIND_SST_GINI_GAPS 3 /* G_g, the Gini of the poverty gaps over everyone */
SOCIND_API int32_t socind_sst(const socind_design *design, const double *y,
                              const socind_poverty_line *line, const int32_t *group,
                              int32_t n_groups, const socind_options *opts, socind_estimate *out);

/* Richness measures (convey's svyrich; Peichl, Schaefer & Scheicher 2010,
 * "Measuring richness and poverty: a micro data application to Europe and
 * Germany", Review of Income and Wealth 56(3); Chakravarty 2009; Brzezinski
 * 2014 for the variance): the share of the population above a threshold t,
 * weighted by how far above it,
 *
 *     R = Σ_d w·h(y; t) / N̂_d,   h = 0 for y <= t, and for y > t
 *     SOCIND_RICH_CHA    h = 1 − (t/y)^g            g > 0
 *     SOCIND_RICH_FGTT1  h = (1 − t/y)^g            0 <= g <= 1 (0^0 = 1:
 *                                                   g = 0 is the share above t)
 *     SOCIND_RICH_FGTT2  h = (y/t − 1)^g            g > 1 (convex: Brzezinski
 *                                                   2014 finds its inference poor)
 *
 * (convey's accepted ranges; any other g, a g that is not finite, or another
 * type: SOCIND_ERR_ARG). Cha with g = 1 and FGTT1 with g = 1 are the same
 * measure. R is a proportion-like index in [0, 1] for Cha and FGTT1,
 * unbounded for FGTT2; units: none (scale-free).
 *
 * The threshold is a socind_poverty_line: ABSOLUTE (t = value, convey's
 * type_thresh = 'abs'), RELATIVE_QUANTILE (t = value × the whole sample's
 * weighted quantile, 'relq': value 1.5 and quantile 0.5 give convey's
 * default 1.5 × the median) or RELATIVE_MEAN (t = value × the weighted mean,
 * 'relm'); PER_ROW → SOCIND_ERR_ARG. A relative threshold is estimated once on
 * the whole sample, also for domain estimates, by the poverty line's own
 * code (the quantile and the kernel density at it as for the poverty line).
 * "Rich" is y > t strictly, whatever line.inclusive says (0 or 1, else
 * SOCIND_ERR_ARG): convey's rule, under which the rich are exactly the
 * non-poor of inclusive = 1's y <= t.
 *
 * Linearized variable (convey 1.0.1's code): u = 1[domain]·(h − R)/N̂_d +
 * â·u_t, â = Σ_d w ∂h/∂t / N̂_d, u_t the threshold's (value·u_Q for a
 * quantile, u_Q = −(1[y <= Q] − p)/(N̂·f̂(Q)); value·(y − μ̂)/N̂ for the mean;
 * 0 for an absolute threshold). There is no density term (convey multiplies
 * the density at t by h(t; t) = 0), so FGTT1 with g = 0 — the share above
 * t — carries no term for the threshold's variability at all, unlike
 * socind_fgt's P0.
 *
 * Domains: the variance is that of the full design with u = 0 outside the
 * domain — every stratum counts as present, also against an absolute
 * threshold — as convey's svyrich computes it (not svyby's domain design,
 * in which strata without domain rows are absent: the two differ under
 * SOCIND_LONELY_ADJUST and SOCIND_LONELY_AVERAGE); opts->domain_rule does not
 * change it. Rows outside an estimate (R's subset() of a
 * design) are given as NaN incomes or group −1: they stay in the design.
 *
 * Missing values: a NaN income leaves the estimate and its domain, not the
 * design (na.rm = TRUE). An income of ±Inf anywhere in y: SOCIND_ERR_DATA
 * naming the row. Incomes of any sign are accepted (only y > t > 0 enters h).
 * Incomes and an absolute line of magnitude 2^200 or more, or below 2^−201,
 * are multiplied by a power of 2 first (exact; a copy, 8 bytes per row).
 *
 * Statuses: SOCIND_OK; SOCIND_ERR_NULL (design, y, line or out NULL; out NULL
 * writes nothing); SOCIND_ERR_ARG (type, g, or the line as socind_fgt's, a
 * per-row line); SOCIND_ERR_OPTIONS (opts' or line's size); SOCIND_ERR_GROUP;
 * SOCIND_ERR_DATA (±Inf income, naming the row; a quantile threshold where
 * the income density at the quantile is 0); SOCIND_ERR_EMPTY (no usable
 * income anywhere, or none in any domain); SOCIND_ERR_NOMEM. Per estimate
 * (the function returning SOCIND_OK): SOCIND_ERR_EMPTY_DOMAIN, SOCIND_ERR_DF,
 * SOCIND_ERR_OVERFLOW (a figure beyond the double range, e.g. FGTT2 with a
 * huge g), SOCIND_ERR_LONELY_PSU. A domain without rich rows has R = 0 (SE 0
 * against an absolute threshold). out holds one estimate (group NULL) or
 * n_groups, the caller's (nothing is kept). Cost O(rows + groups + PSUs +
 * strata) plus the relative line's (as socind_fgt); memory 2 doubles per PSU
 * and the line's. Thread-safe. */
#define SOCIND_RICH_CHA 0   /* Chakravarty: 1 − (t/y)^g */
#define SOCIND_RICH_FGTT1 1 /* concave FGT-type: (1 − t/y)^g */
#define SOCIND_RICH_FGTT2 2 /* convex FGT-type: (y/t − 1)^g */
SOCIND_API int32_t socind_richness(const socind_design *design, const double *y,
                                   const socind_poverty_line *line, int32_t type, double g,
                                   const int32_t *group, int32_t n_groups,
                                   const socind_options *opts, socind_estimate *out);

/* PPP line conversion: a daily line in international dollars (e.g. 2.15 at
 * 2017 PPP, or 3.00 at 2021 PPP) to a line per person per period in local
 * currency at survey-period prices:
 *
 *     line = daily_line · ppp_factor · (cpi_survey / cpi_base) · days_per_period
 *
 * ppp_factor: local currency units per international dollar in the PPP base
 * year (the private-consumption PPP); cpi_base: CPI of the PPP base year;
 * cpi_survey: CPI of the survey period (same index base); days_per_period:
 * e.g. 365/12 = 30.4167 for a monthly line. Worked example (illustrative
 * figures): $2.15 a day, 4,700 rupiah per international dollar, CPI 2017 =
 * 100 and survey-period CPI = 125, 365/12 days a month: 2.15 × 4700 × 1.25 ×
 * 30.41667 = 384,200.52 rupiah per person per month. Every argument must be
 * finite and > 0 (else SOCIND_ERR_ARG). The line is formed from the
 * arguments' mantissas, multiplied in the formula's order, and the sum of
 * their exponents: the formula's own result wherever its intermediate
 * products are normal doubles, and nothing lost where one would overflow or
 * fall below DBL_MIN while the line does not (1e−200 × 1e−120 × 1e200 gives
 * 1e−120 to the last bit, not the 9.99989e−121 of a subnormal intermediate);
 * SOCIND_ERR_OVERFLOW if the line exceeds DBL_MAX, SOCIND_ERR_RANGE
 * if it is below DBL_MIN (2.2e−308); SOCIND_ERR_NULL if line is NULL. *line
 * is NaN on failure. Thread-safe. */
SOCIND_API int32_t socind_ppp_line(double daily_line, double ppp_factor, double cpi_survey,
                                   double cpi_base, double days_per_period, double *line);

/* ---- the median of the poor and the relative median poverty gap
 * (lib/poverty_median.c) ----
 *
 * convey 1.0.1's svypoormed and svyrmpg (Osier 2009; Deville 1999): the
 * line is always relative, z = fraction × Q̂(quantile) of the WHOLE sample
 * (convey's percent and quantiles: 0.6 and 0.5, the EU's at-risk-of-poverty
 * threshold ARPT), and poor means y <= z (convey's rule; these functions
 * take no socind_poverty_line, so no other line and no strict rule apply).
 * In domain d, with the poor of d the rows of d with y <= z:
 *
 *   MEDP_d = the median (the library's quantile rule) of the poor's incomes,
 *   u_k    = δ_k (½·1[y_k <= z] − 1[y_k <= MEDP_d]) / F_d(MEDP_d)
 *            + ½ (F_d(z)/F_d(MEDP_d)) · u^z_k,
 *
 * F_d(x) = N̂_d·f̂_d(x), convey's kernel density on the domain's rows (all
 * of them, not only the poor) with the domain's bandwidth, and u^z the
 * line's influence function (poverty.h's). This is svypoormed's
 * (0.5·u_ARPR − u_F)/f̂_d(MEDP) with the at-risk rate cancelling (METHODS
 * §13). RMPG_d = (z − MEDP_d)/z with u = (MEDP_d/z²)·u^z − u_MEDP/z.
 *
 * Domains: like socind_fgt with a relative line (and convey's svyrmpg and
 * svypoormed), the variance is the FULL design's, u being zero outside the
 * domain but for the line's term: every stratum counts as present. Without
 * single-PSU strata this equals the domain-design rule.
 *
 * fraction must be finite and > 0 and quantile in (0, 1) (else
 * SOCIND_ERR_ARG). Incomes: any finite value (±Inf anywhere in y is
 * SOCIND_ERR_DATA naming the row: the line reads every row); NaN leaves the
 * row out of the line and of its domain. n counts the domain's rows with
 * an income, those of weight 0 too (as socind_fgt's). Per estimate, with
 * the function returning SOCIND_OK: SOCIND_ERR_EMPTY_DOMAIN (no row with an
 * income and a positive weight),
 * SOCIND_ERR_DATA where convey returns NA — a domain with no poor, or
 * whose poor all have income 0 — or the formula is undefined (for the RMPG
 * a line of 0); the figure without its SE (SE and limits NaN) where the
 * SE's density is undefined (every income of the domain equal, one row
 * say: no bandwidth; a density of 0 at MEDP), as convey's NA SE beside its
 * figure; on a replicate design, as convey's replicate methods, only a
 * domain without poor or an RMPG line of 0 (a median of 0 stands, and the
 * SE, from the replicates' figures, needs no density), SOCIND_ERR_DF,
 * SOCIND_ERR_OVERFLOW, SOCIND_ERR_LONELY_PSU. Whole call: the common
 * statuses, SOCIND_ERR_DATA when the whole sample's density at its
 * quantile is 0 (every income equal), SOCIND_ERR_EMPTY when
 * no income has a positive weight. The interval is symmetric (opts->ci_dist;
 * R's confint() is SOCIND_CI_NORMAL). Scale as above (the median in y's
 * currency). Thread-safe; out (max(1, n_groups) estimates) is the caller's.
 * Cost: the line's pass over the rows (as socind_fgt's relative line), then
 * O(rows of each domain + its PSUs) and a sort of each domain's poor;
 * temporary memory as socind_fgt's relative line plus 48 bytes per row. */

/* The median income of the poor (convey's svypoormed), in y's units. */
SOCIND_API int32_t socind_poor_median(const socind_design *design, const double *y, double fraction,
                                      double quantile, const int32_t *group, int32_t n_groups,
                                      const socind_options *opts, socind_estimate *out);

/* The relative median poverty gap (convey's svyrmpg), (z − MEDP)/z, a
 * fraction of the line (0.2 = the poor's median is 20 % below it). */
SOCIND_API int32_t socind_relative_median_gap(const socind_design *design, const double *y,
                                              double fraction, double quantile,
                                              const int32_t *group, int32_t n_groups,
                                              const socind_options *opts, socind_estimate *out);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_POVERTY_H */
