/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/simulate.h — what a transfer would do: poverty, inequality, the
 * number of poor and the programme's cost after adding a transfer to the
 * incomes of the rows a rule selects, each with a design-based SE, and the
 * change from the baseline as a paired difference on the same sample.
 *
 * The simulation is the static, first-round ("arithmetic") microsimulation
 * of a benefit (Bourguignon & Spadaro 2006, "Microsimulation as a tool for
 * evaluating redistribution policies", Journal of Economic Inequality 4;
 * the World Bank's ADePT Social Protection and Stata's DASP simulate
 * transfers the same way): behaviour does not respond, and each row's
 * per-capita income becomes
 *
 *     y'_k = y_k + t_k,   t_k = s_k · a_k / m_k
 *
 * with s_k = 1 for the rows the caller's selection marks (else 0), a_k the
 * amount (one amount, or the amount of the row's group code), and m_k = 1
 * for an amount per person, m_k = the household's size (persons) for an
 * amount per household. t_k is per capita, as y is.
 *
 * Rows and weights. y is per-capita income and the weight counts persons:
 * either rows are persons (each member of a household a row with its
 * person weight), or rows are households weighted by persons (household
 * weight × size, the usual way to estimate poverty among people from a
 * household file). The programme's cost is the population total
 *
 *     C = Σ_k w_k t_k
 *
 * in both cases: with rows of persons a household of m members, each with
 * weight w_h and t = a/m, gives Σ w_h·a/m over its m rows = w_h·a; with a
 * row per household of weight w_h·m and t = a/m it gives w_h·m·a/m = w_h·a;
 * an amount per person a gives w_h·m·a either way. Rows with a missing
 * income that the rule selects are paid too: the cost counts every
 * selected row of the domain (the benefit does not depend on the income
 * being observed); every poverty and inequality figure leaves them out.
 *
 * Outputs, per domain g (group NULL: one domain, every row) at
 * out[g·SOCIND_SIM_COUNT(n_alpha) + k], k one of the SOCIND_SIM_* indices
 * below; for each requested α_a (a = 0 .. n_alpha − 1) the four estimates
 * at SOCIND_SIM_FGT(a, part):
 *   - FGT(α) before and after (socind_fgt on y and on y': P0 is a
 *     proportion with opts->prop_ci's interval), and the change
 *     ΔP_α = P'_α − P_α;
 *   - the Gini before and after (socind_gini) and its change;
 *   - the number of poor before and after (socind_poor_count) and its change;
 *   - the cost C (socind_total of t);
 *   - poverty reduction per cost unit, R_α = −ΔP_α / (|C| / unit), for each
 *     α (unit = transfer->cost_unit, default 10^9: the reduction of P_α, in
 *     proportion points, per billion of the currency of y — rupiah for
 *     Indonesian surveys; with y per month, C is the monthly cost);
 *   - people lifted out of poverty per cost unit, L = −ΔN_poor / (|C| / unit).
 *     Both divide by |C|, so that their sign is the fall in poverty's
 *     whichever way the money moves: a levy (C < 0) that makes more people
 *     poor gives negative figures (people pushed into poverty per unit
 *     levied).
 * Against an absolute or per-row line the before and after estimates are
 * the library's own (the same figures, bit for bit, as the functions named
 * on y and y'; relative lines: below). The change's value is after − before
 * of those figures, so a zero transfer gives after = before bit for bit and
 * every change 0 with SE 0 (with a relative line too).
 *
 * SEs of the changes (a paired difference, not two independent samples):
 * the baseline and the simulated incomes are the same sample, so the change
 * θ(y') − θ(y) has the linearized variable u' − u (Deville 1999, "Variance
 * estimation for complex statistics and estimators: linearization and
 * residual techniques", Survey Methodology 25), whose PSU totals go through
 * the design's variance engine (design.h) once:
 *   - ΔP_α: u = (h_α(y'; z) − h_α(y; z) − ΔP_α)/N̂_d over the domain's rows
 *     with an income (N̂_d their weight; h_α of poverty.h), the linearized
 *     variable of convey's svyfgt for each income, subtracted;
 *   - ΔGini: u_G(y') − u_G(y), each the linearized variable of convey's
 *     svygini as socind_gini computes it (inequality.c's, reused: not
 *     recomputed here);
 *   - ΔN_poor: u = 1[y' poor] − 1[y poor] (a total);
 *   - R_α = −u'·ΔP_α/C, u' = unit·sgn C: u = −u'·(u_ΔP/C − ΔP_α·t/C²) (the
 *     ratio's linearization, t the rows' transfers, over the domain's rows);
 *   - L = −u'·ΔN_poor/C: u = −u'·(u_ΔN/C − ΔN_poor·t/C²).
 * A change's interval is symmetric, value ∓ q·se with q of opts (t on the
 * design's df by default). The domain rule (common.h) of each change is its
 * estimate's: FULL for ΔP_α, R_α and L (socind_fgt's), SUBSET for ΔGini and
 * ΔN_poor (socind_gini's, socind_poor_count's) under AUTO; the cost follows
 * socind_total (SUBSET); with a relative line every stratum counts. The
 * tests check every SE against numerical derivatives in each PSU's weights
 * against fixed lines — FGT for every α, the Gini, the number of poor, the
 * cost and the ratios: ΔP_0 and ΔN_poor are step functions of the incomes,
 * but the weights, not the incomes, are perturbed, and in the weights they
 * are smooth ratios of totals.
 *
 * Lines: every type of poverty.h, the same line before and after (the
 * transfer does not move it). ABSOLUTE and PER_ROW are taken as known. A
 * relative line (RELATIVE_QUANTILE, RELATIVE_MEAN) is estimated once on the
 * baseline y (the estimate of socind_poverty_line_estimate and socind_fgt,
 * with its own quantile Q, density and per-PSU totals of u_z, so that a
 * row at Q counts in 1[y <= Q]) and held fixed at that value
 * z for y and y' alike — the question is what the transfer does against
 * today's line, not a line the transfer itself would move. Its sampling
 * variability is carried into every figure that uses it, as poverty.h
 * carries it: each linearized variable gains (∂θ/∂z)·u_z, u_z the line's
 * influence (quantile: −fraction·(1[y <= Q] − p)/(N̂·f̂(Q)), f̂ the
 * library's kernel density of y on the whole sample; mean:
 * fraction·(y − μ̂)/N̂), with ∂P_α/∂z = Σ_d w α g^(α−1) (x/z²)·1[poor]/N̂_d
 * for α > 0 (g = (z − x)/z), f̂_d(z) for α = 0 and N̂_d·f̂_d(z) for the
 * number of poor (f̂_d: the library's kernel density of x = y or y' on the
 * domain at the line, convey's bandwidth; poverty.h's derivatives) — so a
 * change carries (∂P'/∂z − ∂P/∂z)·u_z. The
 * before and after estimates are then socind_fgt and socind_poor_count
 * against the fixed line z, their SEs and intervals computed here with the
 * line's term; before, they agree with socind_fgt's and socind_poor_count's
 * against the relative line (values within 1e−15, SEs within 1e−12: the
 * tests check it, overall and by domain, for both kinds of line, and for
 * quantiles shared by many rows); after a transfer, the tests rebuild every
 * SE with the line's term from the formulas above (1e−12). Every
 * stratum counts in their variances (the line's term reaches every PSU).
 * The tests' numerical derivatives in the weights reproduce the SEs with a
 * relative mean line for α >= 1 (the line moves with the weights); the
 * density terms (α = 0, the number of poor) are derivatives of step
 * functions in z, which perturbing weights does not reproduce.
 *
 * Domains: group codes as elsewhere (−1: in no domain); every output is by
 * domain, the Gini included. A domain without a usable row has NaN with
 * SOCIND_ERR_EMPTY_DOMAIN in every part; a change or a ratio whose
 * before or after value is undefined (NaN) is NaN with that estimate's
 * status; R_α and L are NaN with SOCIND_ERR_DATA where C = 0.
 *
 * Replicate designs (replicate.h): every part is recomputed with each
 * replicate's weights and combined by svrVar, as for any estimator; the
 * intervals are then symmetric.
 */
#ifndef SOCIND_SIMULATE_H
#define SOCIND_SIMULATE_H

#include "socind/poverty.h"

#ifdef __cplusplus
extern "C" {
#endif

/* socind_transfer.per: the amount goes to each person, or to the household,
 * shared by its household_size persons */
#define SOCIND_TRANSFER_PER_PERSON 0
#define SOCIND_TRANSFER_PER_HOUSEHOLD 1

/* A transfer: who gets it (selected) and how much (amount, or amounts by
 * code). The arrays are read during the call only (nothing is kept). */
typedef struct socind_transfer {
    size_t size;                  /* sizeof(socind_transfer) */
    int32_t per;                  /* SOCIND_TRANSFER_PER_PERSON (default) or _PER_HOUSEHOLD */
    int32_t n_codes;              /* 0 (default): one amount for every selected row;
                                     > 0: the amount of the row's code */
    double amount;                /* n_codes 0: the amount (currency of y per period);
                                     any finite value (negative: a levy); default NaN */
    const double *household_size; /* PER_HOUSEHOLD: one size (persons) per row, finite
                                     and > 0 on every selected row; else ignored */
    const int32_t *code;          /* n_codes > 0: one code per row in [−1, n_codes);
                                     −1 (or a code whose amount is NaN) gets nothing */
    const double *amounts;        /* n_codes > 0: the amount of each code (NaN: none) */
    const int32_t *selected;      /* one flag per row, 0 or 1: the rows the rule
                                     selects; NULL selects every row */
    double cost_unit;             /* the unit of cost of R_α and L: default 1e9 (per
                                     billion); finite and >= DBL_MIN (a normal
                                     double) */
} socind_transfer;

/* Sets size, per PERSON, n_codes 0, amount NaN (must be set), the arrays
 * NULL (every row selected), cost_unit 1e9. SOCIND_OK, or SOCIND_ERR_NULL
 * for NULL. Thread-safe. */
SOCIND_API int32_t socind_transfer_init(socind_transfer *transfer);

/* Each row's per-capita transfer t_k (formula above) into t[0 .. n), n the
 * design's rows: 0 for rows not selected. Returns SOCIND_OK; SOCIND_ERR_NULL
 * (a NULL argument, amounts/code NULL with n_codes > 0, household_size NULL
 * with PER_HOUSEHOLD); SOCIND_ERR_OPTIONS (a transfer not set by
 * socind_transfer_init); SOCIND_ERR_ARG (an unknown per, n_codes < 0, an
 * amount that is ±Inf or NaN with n_codes 0, an amounts[j] of ±Inf, a
 * cost_unit not finite or below DBL_MIN, 2.2e−308: a subnormal unit would
 * lose the figures per unit's digits); SOCIND_ERR_DATA naming the row (a flag
 * other than 0/1, a code outside [−1, n_codes), a selected row's household
 * size not finite and > 0, or so small that the amount over it leaves the
 * double range). On failure every t is NaN. O(n); thread-safe. */
SOCIND_API int32_t socind_transfer_amounts(const socind_design *design,
                                           const socind_transfer *transfer, double *t);

/* The layout of the outputs of one domain (above). */
#define SOCIND_SIM_GINI_BEFORE 0
#define SOCIND_SIM_GINI_AFTER 1
#define SOCIND_SIM_GINI_CHANGE 2
#define SOCIND_SIM_POOR_BEFORE 3 /* number of poor (persons) */
#define SOCIND_SIM_POOR_AFTER 4
#define SOCIND_SIM_POOR_CHANGE 5
#define SOCIND_SIM_COST 6            /* C = Σ w t */
#define SOCIND_SIM_LIFTED_PER_UNIT 7 /* L = −ΔN_poor/(|C|/unit) */
#define SOCIND_SIM_FGT_BEFORE 0
#define SOCIND_SIM_FGT_AFTER 1
#define SOCIND_SIM_FGT_CHANGE 2
#define SOCIND_SIM_FGT_PER_UNIT 3 /* R_α = −ΔP_α/(|C|/unit) */
/* the estimate `part` (SOCIND_SIM_FGT_*) of the a-th α */
#define SOCIND_SIM_FGT(a, part) (8 + 4 * (a) + (part))
/* estimates per domain */
#define SOCIND_SIM_COUNT(n_alpha) (8 + 4 * (n_alpha))
/* the most α values one call takes */
#define SOCIND_SIM_MAX_ALPHA 6

/* The transfer simulation (above) of incomes y (n = the design's rows,
 * per capita, NaN missing) against line (any type; a relative one is
 * estimated on y and held fixed, above), for the
 * n_alpha (1 .. SOCIND_SIM_MAX_ALPHA) values alpha[] (each finite and
 * >= 0), by domain. out holds SOCIND_SIM_COUNT(n_alpha) estimates (group
 * NULL) or SOCIND_SIM_COUNT(n_alpha)·n_groups, the caller's (for an
 * n_alpha outside 1 .. SOCIND_SIM_MAX_ALPHA, the SOCIND_SIM_COUNT(m) per
 * domain written NaN take m = n_alpha within 0 .. SOCIND_SIM_MAX_ALPHA).
 * Statuses: those of socind_fgt, socind_gini, socind_poor_count and
 * socind_transfer_amounts, plus SOCIND_ERR_NULL (out, alpha, transfer, y,
 * line or design NULL; out NULL: nothing written), SOCIND_ERR_ARG (n_alpha
 * outside 1 .. SOCIND_SIM_MAX_ALPHA, an α not finite or < 0),
 * SOCIND_ERR_DATA naming the row where y + t leaves the double range, and
 * for a relative line whose estimate is not > 0 or whose income density at
 * the quantile is 0; SOCIND_ERR_WEIGHT naming the row for a calibrated
 * design with a negative weight (socind_gini's rule; socind_fgt's for
 * such rows, u = 0, is what the changes would follow). On failure every
 * output is NaN with the status. Per estimate:
 * SOCIND_ERR_EMPTY_DOMAIN, SOCIND_ERR_DATA (a ratio where C = 0; a Gini
 * whose incomes sum to 0), SOCIND_ERR_DF, SOCIND_ERR_OVERFLOW,
 * SOCIND_ERR_LONELY_PSU as elsewhere.
 * Cost: each figure's own function twice (y and y'), plus O(rows + groups
 * × (PSUs + strata)) for the changes (with a relative line O(PSUs) more per
 * domain and figure: its term reaches every PSU, and a kernel density per
 * domain); temporary memory 16 bytes a row (t and y'), the Gini's
 * (inequality.h, allocated once a call) and a few doubles per PSU.
 * Thread-safe; nothing is kept. */
SOCIND_API int32_t socind_simulate_transfer(const socind_design *design, const double *y,
                                            const socind_poverty_line *line, const double *alpha,
                                            int32_t n_alpha, const socind_transfer *transfer,
                                            const int32_t *group, int32_t n_groups,
                                            const socind_options *opts, socind_estimate *out);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_SIMULATE_H */
