/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/replicate.h — replicate-weight designs (R survey's svrepdesign and
 * as.svrepdesign): jackknife (JK1, JKn), balanced repeated replication (BRR,
 * Fay's BRR), the bootstrap and the subbootstrap, or any replicate weights a
 * statistical office publishes.
 *
 * A replicate design is a socind_design: every estimator that takes a design
 * takes it (design.h, poverty.h, inequality.h, nutrition.h). It holds the
 * full-sample design (its weights give every point estimate) and R
 * replicate weight vectors w_r. An estimator given such a design computes
 * its point estimate θ̂ on the full sample, then θ_r, the same estimate
 * recomputed through the same code with the weights w_r (rows whose w_r is
 * 0 count nowhere, as survey drops them), and its variance by survey's
 * svrVar:
 *
 *     v = scale · Σ_r rscale_r · (θ_r − c)²,   SE = √v,
 *     c = the mean of the θ_r over replicates with rscale_r > 0 (mse = 0),
 *         or θ̂ (mse = 1).
 *
 * A replicate whose θ_r is NaN (e.g. a jackknife replicate that deletes a
 * domain's only PSU) is left out with its rscale, as svrVar's na.omit does,
 * and counted in the estimate's replicates_left_out (common.h; R warns);
 * when every θ_r is NaN the estimate is NaN with SOCIND_ERR_DATA. Not
 * copied from convey 1.0.1: most of its replicate methods make the SE NA
 * when any replicate is (anyNA(qq): svyiqalpha, svyqsr, svyrmir,
 * svypoormed, svyrmpg, svyfgtdec, svygeidec, ...), and some take an empty
 * domain's replicate as a figure (svyzenga's 1, inequality.h); socind
 * applies svrVar's rule to every estimate, one part at a time for the
 * decompositions (convey's svrVar on their matrix drops a replicate from
 * every part).
 * The estimate's df is the design's degf (below), its interval the one
 * opts asks for on that df (t by default; SOCIND_CI_NORMAL gives R's
 * confint() of an svrepstat; a proportion's estimate takes opts->prop_ci on
 * the exact fit, common.h, but for the SE of logit p̂ below). deff is NaN.
 * A proportion's logit and likelihood intervals (socind_proportion, FGT at
 * α = 0, the profile's and the prevalence table's proportions) take the
 * SE of β̂ = logit p̂ as svyciprop's svyglm refits give it: svrVar of the
 * replicates' logit p̂_r (centred on β̂ under mse), not the delta method's
 * se/(p̂(1 − p̂)); the likelihood profile's Rao–Scott factor is
 * n·p̂(1 − p̂)·se(β̂)² and its dispersion 1 (svrepglm's Σ w·r²/Σ w of the
 * Pearson residuals, 1 for a 0/1 variable). Limits within 1e-8 of R's
 * (R's IRLS tolerance: 4e-7 in a domain of 9 cases;
 * tests/reference/survey_random/repciprop*). A replicate whose p̂_r is 0
 * or 1 (that counts: rscale > 0) makes that variance infinite: the limits
 * are 0 and 1 (R's refit stops near β_r = −20 to −37 and gives limits near
 * 0 and 1, or NA: an artefact, not copied). Except where R computes the
 * interval itself on the design it is handed — svyby hands it rd[domain,
 * ], whose degf [.svyrep.design recomputes on the domain's rows:
 *  - socind_quantile and socind_quantile_linearized (svyquantile, whose
 *    na.rm subsets again): the degf rule (below) on the analysis weights of
 *    the domain's rows with an income;
 *  - socind_proportion (svyciprop): on the domain's rows, those without a
 *    value kept (svyciprop's df = degf(design) is taken before its na.rm);
 * rows of weight 0 add nothing to the rank. Every row: the design's degf;
 * the caller's degf, when it gave one, for every domain (R keeps a degf
 * set by the user). A df <= 0 (a domain within one PSU of a jackknife:
 * rank 1) gives NaN limits with SOCIND_ERR_DF, as R's NA (and socind_quantile's
 * SE, read from its interval, NaN). Convey's estimators and the other
 * estimates by domain keep the design's degf (R's confint of an svyby
 * takes no df of the domain's). Cost a domain, for the jackknives (JK1,
 * JKn: columns each of one value a stratum but for one PSU, found once
 * when the design is made): O(its rows·log + R·log m + c·H_D²) or, where
 * cheaper, O(m·c·min(m, c)), m its PSUs, H_D its strata, c <= m + H_D + 1
 * (the replicates that differ on its PSUs: one a PSU of it, one a
 * stratum, one for the rest); for other factors O(its rows + PSUs·R +
 * m·R·min(m, R)), for weights kept per row that with m its rows, plus
 * O(n).
 *
 * Exceptions, as survey's:
 *  - socind_quantile keeps Woodruff's interval (svyquantile's default
 *    interval.type = "mean"): p̂ = F̂(Q̂) with its replicate SE (the domain's
 *    mean of 1[y <= Q̂] recomputed with each w_r, Q̂ fixed, through svrVar),
 *    p̂ ∓ q·s mapped back through the full-sample quantile function, SE =
 *    (upper − lower)/(2q), q on the domain's df (above).
 *    socind_quantile_linearized gives the
 *    replicate quantiles' SE instead (svyquantile(interval.type =
 *    "quantile"), convey's svyiqalpha on a replicate design): θ_r the
 *    quantile under w_r, CI Q̂ ∓ q·SE.
 *  - socind_variance (a linearized variable's variance) and the partial
 *    states (state.h) use the full-sample design's strata and PSUs; they do
 *    not read replicate weights.
 *
 * Degrees of freedom (survey's degf for replicate designs): the rank of the
 * n × R matrix A of analysis weights (w_r,k in row k, column r) minus 1,
 * unless the caller gives degf. The rank is R's qr(A, tol = 1e-5)$rank
 * (LINPACK's dqrdc2 with its limited pivoting): the columns in order, one
 * set aside as dependent when what is left of it after projecting out the
 * columns kept before it has a norm below 1e-5 of its own (a column of
 * zeros always), at most n kept. The rule is applied to A's weights, not to
 * the factors: rows of very different weight change what is left of a
 * column. Computations:
 *  - factors per PSU of which every replicate has one value on all PSUs of
 *    positive weight but at most one, that PSU different for each such
 *    replicate (a one-stratum jackknife, JK1, made or given; replicates
 *    that leave the sample as it is): the rule on AᵀA (it depends on A
 *    only through it), there diagonal plus rank 2: O(PSUs·R) time and
 *    O(PSUs) memory;
 *  - else, in a design of H > 1 strata with 4H <= R, factors with one value
 *    per stratum on its PSUs of positive weight but at most one PSU, that
 *    PSU different for each replicate (a stratified jackknife, JKn, made
 *    or given): AᵀA is diagonal plus rank 2H, O(R·(PSUs + H²)) time and
 *    O(PSUs + H²) memory;
 *  (in either, a column whose decision there may be rounding's, its
 *  Schur complement a difference of numbers far larger than itself — one
 *  PSU holding nearly all of Σ w², the column deleting it — sends the
 *  design to the general computation below);
 *  - otherwise (BRR, Fay, the bootstraps, JKn with 4H > R, weights kept per
 *    row …) dqrdc2's reduction itself, on norms: Householder reflections
 *    with its limited pivoting and tolerance on the m nonzero rows of A, a
 *    PSU's rows as one (each PSU's factor row times √(Σ w_k² over its
 *    rows): the same AᵀA), the norm left of each column computed afresh
 *    rather than downdated. The norm left of a column is within a small
 *    multiple of 1e-16·|a_j|·(1 + |c_j|) of exact, c_j its coefficients on
 *    the (normalised) columns kept, against the rule's 1e-5·|a_j|: the
 *    decision is exact arithmetic's (and R's, whose error is of the same
 *    order) unless |c_j| nears 1e10 or the norm left lies that close to
 *    the threshold. (Squared norms on AᵀA err by 1e-16·|a_j|²·(1 + |c_j|²)
 *    against 1e-10·|a_j|²: wrong from |c_j| near 1e3, as when a few rows
 *    of weight 1e4 to 1e5 sit beside rows of weight 1.) Time O(m·R·rank)
 *    when m <= 2R,
 *    stopping once the rank reaches min(m, R); for m > 2R the rows are
 *    first folded into an R × R triangular factor, O(m·R²). Memory
 *    8·R·min(m, 2R) bytes.
 *
 * Cost. When the design holds factors per PSU, a one-pass estimate that has
 * a one-pass partial state (totals, means, ratios, proportions but the
 * likelihood interval's fit, FGT, poor count, gap total, mean shortfall, Watts and both
 * decompositions against an absolute or per-row line, GE, Atkinson) builds
 * the full sample's state once (one pass over the rows) and makes each θ_r
 * from the state's per-PSU sums times the replicate's factors (a PSU's rows
 * share their factor, so each of its sums scales by it): O(R·PSUs·domains),
 * no pass over the rows per replicate; the full-sample estimate is then
 * made in memory as without replicates. Its θ_r agree with the estimates
 * recomputed on the replicate weights within the rounding of the sums
 * (the tests: 1e-9 relative on the SE). Every other estimate (rank-based:
 * Gini, quantiles, Zenga, the share ratio, relative lines …; weights kept
 * per row) runs once on the full sample and once per replicate, plus O(n) a
 * replicate to form w_r from per-PSU factors. socind_quantile costs one
 * full-sample estimate plus O(R·PSUs of the domain) (factors per PSU) or
 * O(R·rows of the domain). bench/bench_replicate measures them (README).
 * Memory: R doubles per estimate and, while an estimate runs, n doubles
 * (one replicate's weights) or the full sample's partial state.
 *
 * Thread safety: a replicate design, once built, is immutable and may be
 * shared by threads, as any design.
 */
#ifndef SOCIND_REPLICATE_H
#define SOCIND_REPLICATE_H

#include "socind/design.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Replicate schemes (R survey's type; they set scale and rscales when the
 * caller does not, below). */
#define SOCIND_REP_OTHER 0 /* caller's constants (scale default 1, rscales 1) */
#define SOCIND_REP_JK1 1   /* delete-1 jackknife, unstratified: scale (R − 1)/R */
#define SOCIND_REP_JKN                                                                             \
    2                    /* stratified jackknife: scale 1, rscale_r = (n_h − 1)/n_h              \
                            of the deleted PSU's stratum */
#define SOCIND_REP_BRR 3 /* BRR: scale 1/R */
#define SOCIND_REP_FAY 4 /* Fay's BRR: scale 1/(R(1 − ρ)²) */
#define SOCIND_REP_BOOTSTRAP                                                                       \
    5                             /* bootstrap: scale n̄/((n̄ − 1)(R − 1)), n̄ the          \
                                     harmonic mean of the n_h */
#define SOCIND_REP_SUBBOOTSTRAP 6 /* subbootstrap: scale 1/(R − 1) */
#define SOCIND_REP_TYPE_COUNT 7

/* What socind_design_replicate_new's values are. */
#define SOCIND_REP_WEIGHTS 0 /* replicate weights w_r,k */
#define SOCIND_REP_FACTORS                                                                         \
    1 /* replicate factors: w_r,k = w_k × f_r,k (w the                                            \
         full-sample weight; survey's combined.weights =                                           \
         FALSE), an IEEE product */

/* The most replicates a design may hold. */
#define SOCIND_REP_MAX 100000

typedef struct socind_replicate_options {
    size_t size;        /* sizeof(socind_replicate_options) */
    int32_t type;       /* SOCIND_REP_*; default SOCIND_REP_OTHER */
    int32_t mse;        /* 0 (default): centre on the replicates' mean; 1: on θ̂ */
    double scale;       /* NaN (default): the type's scale; else finite and > 0 */
    double fay_rho;     /* Fay's ρ in [0, 1); NaN (default): 0.5 for
                           socind_design_replicate_make with SOCIND_REP_FAY;
                           socind_design_replicate_new with SOCIND_REP_FAY
                           needs it (or a scale); else 0 */
    double degf;        /* NaN (default): rank − 1 (above); else the df to use, > 0 */
    int32_t replicates; /* bootstraps made by socind_design_replicate_make
                           (default 50); ignored elsewhere */
    int32_t reserved;   /* 0 */
    uint64_t seed;      /* bootstraps: the seed of GSL's mt19937 (default
                           20250321); gsl_rng_set takes it modulo 2^32 on
                           platforms whose unsigned long is 32 bits: use
                           seeds below 2^32 for the same draws everywhere */
} socind_replicate_options;

/* Fills *opts with the defaults (type OTHER, mse 0, scale NaN, fay_rho NaN,
 * degf NaN, replicates 50, seed 20250321). SOCIND_ERR_NULL for NULL.
 * Thread-safe. */
SOCIND_API int32_t socind_replicate_options_init(socind_replicate_options *opts);

/* A replicate design from the caller's replicate weights or factors.
 *  base     the full-sample design (its weights give the point estimates,
 *           and its PSUs let the replicates be stored as factors per PSU);
 *           copied: base may be freed afterwards.
 *  R        replicates, 1 .. SOCIND_REP_MAX.
 *  values   n·R doubles, replicate r's n values at values[r·n .. r·n + n)
 *           (column-major: a NumPy (n, R) array in Fortran order, or
 *           (R, n) in C order); what kind says. Finite and >= 0.
 *  kind     SOCIND_REP_WEIGHTS or SOCIND_REP_FACTORS.
 *  rscales  R values, finite and >= 0, or NULL for the type's (1 but for
 *           JKn, which then needs them: SOCIND_ERR_ARG).
 *  opts     NULL for defaults (type OTHER: scale 1, rscales 1). For JK1 the
 *           default scale is (R − 1)/R, BRR 1/R, Fay 1/(R(1 − ρ)²), the
 *           bootstrap 1/(R − 1) (survey's n̄ needs the design: give scale),
 *           the subbootstrap 1/(R − 1).
 * Rows whose full-sample weight is 0 should have replicate weight 0 (a
 * replicate weight there is kept and used by the replicate passes, but
 * socind_quantile's share leaves such rows out).
 * Storage: when every replicate's factor (w_r,k / w_k, or the factor given)
 * is the same for all rows of each PSU of base and w_r,k = w_k·f exactly,
 * the design keeps R factors per PSU (8·R bytes a PSU); else it keeps the
 * n·R weights (8·n·R bytes).
 * Returns SOCIND_OK and *out, or SOCIND_ERR_NULL (base, values or out
 * NULL), SOCIND_ERR_ARG (R = 0, kind or type unknown, a scale not finite
 * and > 0, fay_rho outside [0, 1), degf not > 0, mse not 0/1, a reserved
 * field set, an rscale negative or not finite — the detail names the
 * replicate —, JKn without rscales, Fay without fay_rho or a scale),
 * SOCIND_ERR_RANGE (R above
 * SOCIND_REP_MAX, or n·R above what memory can address), SOCIND_ERR_WEIGHT
 * (a value negative, NaN or infinite, or a factor whose product with the
 * row's weight is: socind_last_error_row() names the row and the detail the
 * replicate), SOCIND_ERR_OPTIONS, SOCIND_ERR_NOMEM; base
 * itself a replicate design, or a calibrated design (socind/calibrate.h:
 * replicates would each need the calibration again, which is not
 * supported), is SOCIND_ERR_ARG.
 * *out is NULL on failure. Free with socind_design_free(). Cost: O(n·R)
 * plus the degf (above). Thread-safe. */
SOCIND_API int32_t socind_design_replicate_new(const socind_design *base, size_t R,
                                               const double *values, int32_t kind,
                                               const double *rscales,
                                               const socind_replicate_options *opts,
                                               socind_design **out);

/* A replicate design made from base's strata and PSUs, as R survey's
 * as.svrepdesign(design, type = ...) makes it (survey 4.5), opts->type one of:
 *  JK1   one replicate per PSU, in the design's PSU order, over all PSUs
 *        as one stratum (base's strata are ignored): factor 0 for the
 *        deleted PSU, N/(N − 1) for the others (N PSUs); scale (N − 1)/N,
 *        times (1 − f) for a design of one stratum with an fpc.
 *  JKN   one replicate per PSU, strata in the design's order: factor 0 for
 *        the deleted PSU, n_h/(n_h − 1) for the other PSUs of its stratum,
 *        1 elsewhere; rscale (1 − f_h)(n_h − 1)/n_h; scale 1. A stratum with
 *        one PSU is SOCIND_ERR_LONELY_PSU (survey's lonely.psu = "fail").
 *  BRR, FAY  every stratum must have exactly 2 PSUs (else SOCIND_ERR_ARG,
 *        the detail naming the stratum and its PSU count, the row its first
 *        row: collapse strata into variance units first, as survey's
 *        default small = "fail"; base's fpc is dropped, as survey drops it).
 *        survey's Hadamard matrix (its hadamard(): the stored matrices of
 *        order 4, 16, 28 and 36, Paley's construction and doubling) of the
 *        smallest order survey picks for H strata; strata ranked by their
 *        ids as decimal strings (R's sort of as.character), within a
 *        stratum the PSU met first is the first half. Replicate r (r = 1 ..
 *        order) gives the first PSU of the stratum ranked k the factor
 *        2 − ρ and the second ρ when H[k + 1, r] = 1, the reverse when 0
 *        (ρ = 0 for BRR; fay_rho, default 0.5, for Fay). scale 1/R
 *        (BRR), 1/(R(1 − ρ)²) (Fay).
 *  BOOTSTRAP  opts->replicates replicates: in each, each stratum's n_h PSUs
 *        drawn n_h times with replacement; factor = times drawn; scale
 *        n̄/((n̄ − 1)(R − 1)), n̄ the harmonic mean of the n_h (fpc ignored).
 *  SUBBOOTSTRAP  the same with n_h − 1 draws, factor = times drawn ×
 *        n_h/(n_h − 1) (Rao and Wu's rescaling); scale 1/(R − 1); a
 *        stratum with one PSU is SOCIND_ERR_LONELY_PSU.
 * The bootstraps draw with GSL's mt19937 seeded with opts->seed: for r = 1
 * .. R, for each stratum in the design's order, each draw a PSU index
 * gsl_rng_uniform_int(rng, n_h) (an integer algorithm: the same factors on
 * every platform for the same seed). R survey's draws (R's RNG) are not
 * reproduced. opts->scale and opts->degf, when given, replace the
 * scheme's. OTHER is SOCIND_ERR_ARG.
 * Returns SOCIND_OK and *out, or SOCIND_ERR_NULL, SOCIND_ERR_ARG (above;
 * replicates below 2 for the bootstraps; a design whose every row is its
 * own PSU works, each row a PSU; base a replicate or a calibrated design,
 * as socind_design_replicate_new), SOCIND_ERR_RANGE (replicates above
 * SOCIND_REP_MAX for the bootstraps, as R above it for
 * socind_design_replicate_new), SOCIND_ERR_LONELY_PSU
 * (the row named), SOCIND_ERR_OPTIONS, SOCIND_ERR_NOMEM. Factors are kept
 * per PSU (8·R bytes a PSU). Cost: O(n + PSUs·R) plus the degf (above:
 * O(PSUs·R) for JK1, O(R·(PSUs + H²)) for JKn, O(PSUs·R·rank) or
 * O(PSUs·R²) for the others). Thread-safe. */
SOCIND_API int32_t socind_design_replicate_make(const socind_design *base,
                                                const socind_replicate_options *opts,
                                                socind_design **out);

/* Number of replicates of a replicate design; 0 for NULL or a design
 * without replicates. Thread-safe. */
SOCIND_API size_t socind_design_nreplicates(const socind_design *design);

/* The constants of a replicate design: *type (SOCIND_REP_*), *scale, *mse
 * and *degf (any output may be NULL). SOCIND_ERR_NULL (design NULL),
 * SOCIND_ERR_ARG (a design without replicates); outputs then −1 / NaN.
 * Thread-safe. */
SOCIND_API int32_t socind_design_replicate_info(const socind_design *design, int32_t *type,
                                                double *scale, int32_t *mse, double *degf);

/* The R rscales into out (R values). SOCIND_ERR_NULL, SOCIND_ERR_ARG (no
 * replicates), SOCIND_ERR_BUFFER (cap < R; out untouched). Thread-safe. */
SOCIND_API int32_t socind_design_rscales(const socind_design *design, double *out, size_t cap);

/* Replicate r's (0-based) weight of every row into weights (n values, or
 * NULL) and its factor into factors (n values, or NULL): the factor given
 * or made; for weights given as such, w_r,k / w_k (NaN where w_k = 0).
 * SOCIND_ERR_NULL (design NULL, or both outputs NULL), SOCIND_ERR_ARG (no
 * replicates, r >= R; outputs NaN). Cost O(n). Thread-safe. */
SOCIND_API int32_t socind_design_replicate_column(const socind_design *design, size_t r,
                                                  double *weights, double *factors);

/* survey's svrVar over the design's replicates: v = scale·Σ rscale_r (θ_r −
 * c)², c as above (theta_hat when mse, else the mean of the θ_r with
 * rscale_r > 0), replicates with a NaN θ_r left out. theta holds R values.
 * The deviations are scaled by a power of 2 before they are squared
 * (exact), as the estimators' replicate SEs are.
 * Returns SOCIND_OK, SOCIND_ERR_NULL, SOCIND_ERR_ARG (no replicates),
 * SOCIND_ERR_DATA (every θ_r NaN, or θ̂ NaN with mse; *var NaN),
 * SOCIND_ERR_OVERFLOW (the variance lies beyond or below the normal
 * doubles: deviations near 1e±154 or beyond, or a θ_r — θ̂ with mse —
 * infinite, the detail naming the replicate; *var NaN). Thread-safe. */
SOCIND_API int32_t socind_replicate_variance(const socind_design *design, const double *theta,
                                             double theta_hat, double *var);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_REPLICATE_H */
