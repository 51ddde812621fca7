/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/common.h — status codes, the result struct, estimation options and
 * version queries shared by every socind module.
 *
 * Conventions (they hold for every public function of the library):
 *  - A function that can fail returns an int32_t status, SOCIND_OK (0) on
 *    success, and writes results through out-pointers. On failure every
 *    output is set to a defined value (NaN for doubles, 0 for counts).
 *  - socind_strerror(status) gives a sentence; socind_last_error_detail()
 *    gives the calling thread's detail for the last failure (which argument,
 *    which row).
 *  - Missing values are NaN. Weights are finite and >= 0. A data value of
 *    +Inf or −Inf is never taken as missing: an estimator that reads it
 *    refuses the call with SOCIND_ERR_DATA and socind_last_error_row() names
 *    its row (growth z-scores instead give NaN with the reason bit
 *    SOCIND_GROWTH_INFINITE_VALUE).
 *  - A NaN or infinite figure always comes with a status that says why. An
 *    estimate's status is SOCIND_OK only when value, se, ci_low and ci_high
 *    are all finite (deff may be NaN where it is undefined, see below); where
 *    a figure leaves the double range and no exact rescaling brings it back,
 *    the status is SOCIND_ERR_OVERFLOW, or a more specific one (e.g.
 *    SOCIND_ERR_DATA for a Gini whose total income is 0, SOCIND_ERR_DF for
 *    df <= 0 with a t interval, SOCIND_ERR_RANGE for a quantile whose
 *    Woodruff limit falls outside the data). The statuses an estimate may
 *    carry while its function returns SOCIND_OK: SOCIND_ERR_EMPTY_DOMAIN,
 *    SOCIND_ERR_DF, SOCIND_ERR_DATA, SOCIND_ERR_OVERFLOW, SOCIND_ERR_RANGE
 *    and SOCIND_ERR_LONELY_PSU (policy "average" with every present stratum
 *    lonely). Such an estimate's value may still be finite and meaningful
 *    (a quantile with an incomplete interval); the figures it cannot give
 *    are NaN (or ±Inf for an overflowing value).
 *  - A function that returns a status other than SOCIND_OK leaves every
 *    estimate NaN with that status and n = 0, every other double output NaN
 *    and every handle output NULL.
 *  - An estimator fills one socind_estimate per group (G = n_groups with a
 *    group column, else 1). One that gives several parts per group (the
 *    FGT and Watts decompositions and the profile in poverty.h, the GE
 *    decomposition in inequality.h) fills COUNT·G estimates, part k of
 *    group g in out[g·COUNT + k]: COUNT is its SOCIND_*_COUNT macro and k
 *    one of its index macros (SOCIND_FGTDEC_P0 …).
 *  - The library never prints, aborts or exits and has no global mutable
 *    state apart from the per-thread detail message. It never reaches GSL's
 *    error handler.
 */
#ifndef SOCIND_COMMON_H
#define SOCIND_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "socind/export.h"
#include "socind/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * Status codes. New codes are only ever appended.
 * ------------------------------------------------------------------------- */
#define SOCIND_OK 0
#define SOCIND_ERR_NULL 1          /* a required pointer argument is NULL */
#define SOCIND_ERR_EMPTY 2         /* n = 0, or no usable observation */
#define SOCIND_ERR_WEIGHT 3        /* a weight is NaN, infinite or negative */
#define SOCIND_ERR_ZERO_WEIGHTS 4  /* every weight is zero */
#define SOCIND_ERR_FPC 5           /* invalid finite population correction */
#define SOCIND_ERR_NESTING 6       /* a PSU id occurs in two strata (and nest = 0) */
#define SOCIND_ERR_LONELY_PSU 7    /* a stratum has one PSU under policy "fail" */
#define SOCIND_ERR_ARG 8           /* an argument value is out of its valid range */
#define SOCIND_ERR_NOMEM 9         /* memory allocation failed */
#define SOCIND_ERR_GROUP 10        /* a group code is < -1 or >= n_groups */
#define SOCIND_ERR_OPTIONS 11      /* an options struct has an unknown size */
#define SOCIND_ERR_EMPTY_DOMAIN 12 /* a domain (group) has no usable observation */
#define SOCIND_ERR_DF 13           /* degrees of freedom <= 0: no t interval */
#define SOCIND_ERR_DATA 14         /* a data value is invalid for this estimator */
#define SOCIND_ERR_NONPOSITIVE 15  /* a value that must be > 0 is <= 0 */
#define SOCIND_ERR_CODE 16         /* an unknown categorical code (sex, measure …) */
#define SOCIND_ERR_RANGE 17        /* a value is outside the supported range */
#define SOCIND_ERR_OVERFLOW                                                                        \
    18                       /* a result is not a finite number (overflow, or an                   \
                                intermediate beyond the double range: too large, or too small      \
                                to keep its digits) */
#define SOCIND_ERR_BUFFER 19 /* an output buffer is too small (the size needed is reported) */
#define SOCIND_ERR_FORMAT                                                                          \
    20                            /* bytes are not a partial state this library reads (damaged,    \
                                     truncated, another format version) */
#define SOCIND_ERR_MISMATCH 21    /* partial states of different estimates, passes or designs */
#define SOCIND_ERR_CONVERGENCE 22 /* an iteration did not converge (calibration) */
#define SOCIND_ERR_TARGETS                                                                         \
    23                         /* calibration targets that cannot be met: a category without a     \
                                  sampled row, a negative total, margins that disagree, a singular X'WX */
#define SOCIND_STATUS_COUNT 24 /* number of defined codes */

/* Returns a static English sentence describing `status` (never NULL; an
 * unknown code gives "unknown socind status"). Thread-safe. */
SOCIND_API const char *socind_strerror(int32_t status);

/* Returns the calling thread's detail message for the most recent failing
 * socind call on this thread (e.g. "weight[17] is negative (-1)"), or "" if
 * none. The pointer stays valid until the next socind call on the same
 * thread. Never NULL. Thread-safe (thread-local storage). */
SOCIND_API const char *socind_last_error_detail(void);

/* Returns the 0-based row (index into the caller's arrays) that the calling
 * thread's most recent failing socind call names — the row whose weight,
 * value, code or group caused the failure, or a row of the stratum a
 * lonely-PSU failure names — or −1 when that failure names no row (or the
 * last call succeeded). Set and cleared exactly when the detail message is.
 * Thread-safe (thread-local storage). */
SOCIND_API int64_t socind_last_error_row(void);

/* ---------------------------------------------------------------------------
 * Result of one estimate. The layout is fixed within a major ABI version.
 * ------------------------------------------------------------------------- */
typedef struct socind_estimate {
    double value;      /* point estimate (NaN if it cannot be computed) */
    double se;         /* standard error (Taylor linearization) */
    double ci_low;     /* lower confidence limit at the requested level */
    double ci_high;    /* upper confidence limit */
    double df;         /* degrees of freedom of the design (PSUs − strata);
                          socind_proportion's domains: the domain's */
    double weight_sum; /* sum of weights of the rows used (the domain size N̂_d);
                          +Inf where it exceeds DBL_MAX (weights near 1e306).
                          Such a domain's estimates carry SOCIND_ERR_OVERFLOW,
                          every figure that depends on the weights NaN,
                          except GE, Atkinson and the GE decomposition, which
                          do not change when every weight is scaled and are
                          computed at a scale (inequality.h), and the totals
                          (socind_total, the number of poor, the total gap)
                          and ratios of two totals (socind_ratio, the mean
                          shortfall), which do not read it: they keep their
                          figures where the sums they read stay finite (a
                          ratio whose denominator overflows is
                          SOCIND_ERR_OVERFLOW) */
    double deff;       /* design effect against simple random sampling with
                          replacement, where defined (means, proportions with
                          at least two rows of non-zero weight and a positive
                          SRS variance); NaN otherwise, whatever the status */
    int64_t n;         /* number of rows used (unweighted, zero weights included) */
    int32_t status;    /* SOCIND_OK (value, se and both limits finite), or why
                          a figure is NaN or infinite (e.g.
                          SOCIND_ERR_EMPTY_DOMAIN for a group with no rows;
                          see the conventions above) */
    /* replicate designs (replicate.h): the replicates whose estimate is
       NaN — a jackknife replicate that deletes a domain's only PSU, say —
       and that the variance left out, as survey's svrVar does (R warns "k
       replicates gave NA results and were discarded"): the SE rests on the
       others; all R where none has one (SE NaN, SOCIND_ERR_DATA; R stops:
       "All replicates contained NAs"). 0 on other designs. */
    int32_t replicates_left_out;
} socind_estimate;

/* ---------------------------------------------------------------------------
 * Estimation options. Start from socind_options_init(); NULL means defaults.
 * ------------------------------------------------------------------------- */

/* Distribution of the confidence interval's critical value. */
#define SOCIND_CI_T                                                                                \
    0                      /* Student t on the design's df (default; Stata's svy                   \
                              and R's svyciprop/svyquantile) */
#define SOCIND_CI_NORMAL 1 /* standard normal (R's confint() on svystat objects) */

/* Interval for proportions: the estimates that are shares of people —
 * socind_proportion, FGT at α = 0 (socind_fgt, the P0 part of both poverty
 * decompositions), the poverty profile's group share and, at α = 0, its
 * FGT, contribution and contribution share, and every prevalence. Other
 * estimates (means, totals, ratios, indices) take the symmetric interval
 * whatever prop_ci says; socind_difference checks it and does not use it.
 * socind_proportion (design.h) builds the likelihood interval on R's glm
 * fit (glm's IRLS stop, svyglm's sandwich SE, summary.svyglm's dispersion)
 * and gives a domain its own df, as svyciprop on the domain's design: it
 * matches R's rows to ~1e-13. R's logit interval at df = 1 is an
 * artefact socind does not copy: confint.svyglm turns t_df into the normal
 * level 1 − 2·pnorm(qt((1 − level)/2, df)), which rounds to 1 there at
 * level 0.95, so R's limits are expit(∓Inf) = [0, NaN] (Inf/Inf); socind's
 * are expit(β̂ ∓ t_1·se(β̂)), as at any other df. Its logit interval, and every other
 * proportion estimate's (FGT at α = 0, the profile, the prevalences) and
 * socind_prop_ci's, use the formulas below on the exact fit (β̂ = logit p̂,
 * se(β̂) = se/(p̂(1 − p̂)), dispersion n/(n − 1); on a replicate design
 * se(β̂) from the replicates' own logit p̂_r, replicate.h): logit limits are within
 * R's IRLS tolerance (~1e-7) of R's (R's stopping point is an artefact
 * socind does not copy); the others keep the whole design's df, and their
 * likelihood limits (a grid that moves with β̂, interpolated) lie within
 * ~5e-4 of R's in small domains. The headcount of socind_sen and
 * socind_sst follows prop_ci too. */
#define SOCIND_PROP_CI_LOGIT                                                                       \
    0                         /* logit interval, R's svyciprop(method = "logit")                   \
                                 (default): expit(logit p ∓ q·se/(p(1−p))),                   \
                                 pinned to [0,0] at p = 0 and [1,1] at p = 1 */
#define SOCIND_PROP_CI_WALD 1 /* symmetric p ∓ q·se */
/* The methods of R's svyciprop (survey 4.5) beyond logit. q is the critical
 * value of ci_dist on the estimate's df; t_ν is Student's t quantile at
 * (1 + level)/2 (for t_df the normal one with SOCIND_CI_NORMAL, taken as
 * df = ∞; t_{n−1} of beta is always Student's);
 * n is the estimate's row count (socind_estimate.n: the domain's rows,
 * those of weight 0 included, those whose value is NaN not: R's
 * svyciprop(…, na.rm = TRUE) takes nrow(design), which still counts the
 * rows whose value is NA — an artefact socind does not copy; the beta
 * limits differ there, 0.5 % with 1 such row of 41).
 * Where R gives NA the limits are NaN and the estimate's status says why:
 * SOCIND_ERR_RANGE for p̂ <= 0 or >= 1 (asin, beta, xlogit, likelihood),
 * se = 0 (beta, likelihood) or a profile that does not reach the cutoff
 * (likelihood); SOCIND_ERR_DF for df <= 0 with the t distribution. An SE
 * below 1e−8·√(p̂(1 − p̂)), beneath what the likelihood profile resolves in
 * double precision, makes the likelihood limits NaN (SOCIND_ERR_RANGE); the
 * beta limits are then their large-sample form p̂ ∓ z·se·t_df/t_{n−1} (z the
 * normal quantile) where that is exact to 2^-52 relative (n_eff·min(p̂,
 * 1 − p̂) above about 1e16), and the beta quantiles elsewhere (an n_eff
 * past the double range there, as p̂ = se = 1e−310, makes them NaN:
 * SOCIND_ERR_RANGE). */
#define SOCIND_PROP_CI_LIKELIHOOD                                                                  \
    2 /* svyciprop(method = "likelihood"): the profile likelihood of the                           \
         quasi-binomial intercept-only fit, as survey:::MASSprofile_glm and                        \
         survey:::confint_profile compute it (signed root deviance scaled by                       \
         the dispersion n/(n − 1) at β̂ ± k·(zmax/5)·se(β̂), k = 1..9, FMM                \
         spline on 3× the points, linear inversion at ∓ t_df·√λ with the                    \
         Rao–Scott factor λ = n·se²/(p̂(1 − p̂))); each deviance as glm.fit               \
         takes it: μ from binomial()$linkinv, whose exp(β) is clamped at                         \
         |β| > 30 (the profile is flat there: a limit beyond it is NaN,                           \
         R's NA), and 1 − μ in doubles */
#define SOCIND_PROP_CI_ASIN                                                                        \
    3 /* sin²(asin √p̂ ∓ q·se/(2√(p̂(1 − p̂)))), the angle clamped to [0, π/2]       \
         (R's method = "asin", which does not clamp: an end past 0 or π/2                         \
         folds back there, an artefact not copied) */
#define SOCIND_PROP_CI_BETA                                                                        \
    4 /* Korn–Graubard (1998), R's method = "beta": n_eff = p̂(1 − p̂)/se² ·               \
         (t_{n−1}/t_df)², limits qbeta((1 − level)/2, n_eff·p̂, n_eff(1 − p̂) + 1)       \
         and qbeta((1 + level)/2, n_eff·p̂ + 1, n_eff(1 − p̂)) */
#define SOCIND_PROP_CI_MEAN 5 /* p̂ ∓ q·se, R's method = "mean" (the same as WALD) */
#define SOCIND_PROP_CI_XLOGIT                                                                      \
    6 /* expit(logit p̂ ∓ q·se/(p̂(1 − p̂))), R's method = "xlogit"; unlike                \
         LOGIT, NaN (not [0, 0]) at p̂ = 0 */
#define SOCIND_PROP_CI_COUNT 7 /* number of methods (codes 0 .. COUNT − 1) */

/* What a measure that needs incomes > 0 (Watts and its decomposition in
 * poverty.h; GE, Theil, MLD, Atkinson and the GE decomposition in
 * inequality.h) does with an income <= 0: */
/* refuse the call with SOCIND_ERR_NONPOSITIVE naming the row (default;
 * convey errs too) */
#define SOCIND_NONPOS_ERROR 0
/* treat such rows as missing (they leave the estimate and its domain) */
#define SOCIND_NONPOS_EXCLUDE 1

/* Which design a domain's variance is computed on (design.h, "Domains").
 * The two rules differ only under the lonely-PSU policies ADJUST and
 * AVERAGE, and only for a domain that leaves out some stratum; without
 * single-PSU strata they give the same SE.
 *  - SUBSET: R's svyby() on a survey design, which hands the estimator the
 *    domain's design, design[domain, ]: only the strata with a row in the
 *    domain ("present") are in it. AVERAGE's factor H/(H − H₁) counts the
 *    present strata and the lonely ones among them; ADJUST's centre is
 *    c = Σ z / Σ_{h present} n_h, and a lonely stratum without a domain
 *    row contributes nothing. survey's svytotal, svymean, svyratio,
 *    svyciprop, svyquantile and convey's svygini, svygei, svyatk, svyqsr,
 *    svylorenz, svygeidec, svyisq, svyiqalpha, svyjdiv, svyjdivdec,
 *    svyzenga, svyrmir and svygpg do this.
 *  - FULL: the full design with the linearized variable 0 outside the
 *    domain: every stratum of the design counts. AVERAGE's factor counts
 *    every stratum and every lonely one; ADJUST's centre is Σ z / (every
 *    PSU of the design), and a lonely stratum without a domain row
 *    contributes (1 − f_h)·c². convey's svyfgt, svyfgtdec, svywatts,
 *    svywattsdec, svyarpr, svyrich, svyrmpg and svypoormed do this, and
 *    socind_sen and socind_sst follow it as socind_fgt does.
 *  - AUTO (0, the default): each estimator follows its R counterpart; its
 *    header says which rule that is. socind_richness, socind_poor_median
 *    and socind_relative_median_gap count every stratum under either rule
 *    (their line's influence reaches every PSU). */
#define SOCIND_DOMAIN_RULE_AUTO 0
#define SOCIND_DOMAIN_RULE_SUBSET 1
#define SOCIND_DOMAIN_RULE_FULL 2

typedef struct socind_options {
    size_t size;         /* must be sizeof(socind_options) of the caller's header
                            version; lets the struct grow without breaking the ABI */
    double level;        /* confidence level, 0 < level < 1; default 0.95 */
    int32_t ci_dist;     /* SOCIND_CI_T (default) or SOCIND_CI_NORMAL */
    int32_t prop_ci;     /* SOCIND_PROP_CI_* (default SOCIND_PROP_CI_LOGIT) */
    int32_t domain_rule; /* SOCIND_DOMAIN_RULE_AUTO (default), _SUBSET or _FULL;
                            a caller whose struct (size) ends before it gets
                            AUTO */
    int32_t threads;     /* threads a call may use: 1 (default: the library
                            starts no thread unasked), 2 .. SOCIND_MAX_THREADS,
                            or 0 for one per online processor (at most
                            SOCIND_MAX_THREADS). The estimators that split
                            their rows or their domains over threads say so
                            in their header (socind/state.h: "Threads");
                            the others run on the calling thread. Results
                            agree with one thread's within the bound of
                            socind/state.h; by domain they are one thread's,
                            bit for bit (not on replicate designs, nor a Gini
                            whose largest domain holds half the rows or
                            more, nor the GE decomposition, whose groups
                            are a partition: socind/state.h). A caller whose struct (size) ends
                            before it gets 1 */
} socind_options;

/* The most threads one call uses. */
#define SOCIND_MAX_THREADS 256

/* Fills *opts with the defaults (size set, level 0.95, t interval, logit
 * interval for proportions, domain rule AUTO, 1 thread). Returns SOCIND_OK, or
 * SOCIND_ERR_NULL if opts is NULL. A function given options returns
 * SOCIND_ERR_OPTIONS for a size below the first version's (which ends after
 * prop_ci) or above 4096, and SOCIND_ERR_ARG for a level outside (0, 1) (NaN
 * included) or an unknown ci_dist, prop_ci or domain_rule, or threads
 * outside 0 .. SOCIND_MAX_THREADS. Thread-safe. */
SOCIND_API int32_t socind_options_init(socind_options *opts);

/* ---------------------------------------------------------------------------
 * Confidence intervals (exposed for callers who combine estimates).
 * ------------------------------------------------------------------------- */

/* Critical value q of a two-sided interval at `level`: the upper (1 + level)/2
 * quantile of the standard normal when ci_dist = SOCIND_CI_NORMAL (df is then
 * ignored), else of Student's t with `df` degrees of freedom (any df > 0, not
 * only whole numbers; df = +inf gives the normal quantile). Accuracy: GSL's
 * quantile for 1 <= df < 1e10 (R's qt((1 + level)/2, df)); below df = 1 the
 * quantile is solved from the incomplete beta function in log space (within
 * 1e−12 of high-precision values, also where it exceeds 1e300); from df = 1e10
 * the expansion in 1/df. For small df the quantile grows like
 * (1 − level)^(−1/df) (the two-sided tail): it exceeds the double range for
 * df below about −ln(1 − level)/709.78 — 0.0042 at level 0.95, 0.0194 at
 * level 0.999999, 0.00097 at level 0.5 and 1.4e−5 at level 0.01 (for a
 * small level, a df below about level/710).
 * Returns SOCIND_OK; SOCIND_ERR_NULL (q NULL); SOCIND_ERR_ARG (level outside
 * (0, 1), NaN, or an unknown ci_dist); SOCIND_ERR_DF (df <= 0 or NaN with the
 * t distribution); SOCIND_ERR_OVERFLOW (the quantile exceeds DBL_MAX). *q is
 * NaN on failure. GSL's error handler is never reached. Thread-safe. */
SOCIND_API int32_t socind_critical_value(double level, int32_t ci_dist, double df, double *q);

/* The interval opts->prop_ci gives a proportion p (0 <= p <= 1) with
 * standard error se (>= 0) on df degrees of freedom from n rows — what the
 * estimators put in ci_low/ci_high of a proportion, on the exact fit (see
 * above; socind_proportion's likelihood limits sit at R's glm fit
 * instead). Exposed for a df other than the estimator's, e.g. FGT at α = 0
 * in a domain on the domain's df (socind_proportion gives its domains that
 * df itself).
 * n matters only to beta (Korn–Graubard's n_d − 1) and likelihood (the
 * fit's row count); the other methods ignore it. The methods and their
 * sources are at SOCIND_PROP_CI_* above.
 * Returns SOCIND_OK (both limits finite); SOCIND_ERR_NULL (ci_low or ci_high
 * NULL); SOCIND_ERR_OPTIONS; SOCIND_ERR_ARG (p outside [0, 1] or NaN, se
 * negative or not finite, n < 1 with beta or likelihood, or a bad level,
 * ci_dist or prop_ci); SOCIND_ERR_DF (df <= 0 or NaN with the t
 * distribution); SOCIND_ERR_RANGE (the method gives no interval here — R's
 * NA: p = 0 or 1 for asin, beta, xlogit and likelihood, se = 0 for beta and
 * likelihood, n = 1 for beta, or a profile that does not reach its cutoff;
 * a limit may then still be finite); SOCIND_ERR_OVERFLOW (a critical value
 * beyond the double range). Limits that cannot be given are NaN. Cost:
 * O(1) (a few dozen incomplete-beta evaluations for beta). GSL's error
 * handler is never reached. Thread-safe. */
SOCIND_API int32_t socind_prop_ci(double p, double se, double df, int64_t n,
                                  const socind_options *opts, double *ci_low, double *ci_high);

/* Change between two estimates from independent samples — two survey rounds
 * drawn separately, or any two designs that share no PSU: value = b − a,
 * se = sqrt(se_a² + se_b²), df = df_a + df_b, and the symmetric interval
 * value ∓ q·se (t on that df by default, normal with SOCIND_CI_NORMAL; the
 * level from opts). This is exactly the difference of the two domain
 * estimates in one design that pools the samples with disjoint strata (the
 * domains then have no covariance). Samples that share PSUs (a panel) are
 * not independent: estimate both in one design instead. weight_sum and n are
 * the sums of a's and b's; deff is NaN.
 * se is computed as hypot(se_a, se_b) (no overflow in the squares); n
 * saturates at INT64_MAX. a's and b's statuses are not read, their values,
 * SEs and df are: an estimate whose own interval failed but whose value
 * and SE are finite (SOCIND_ERR_RANGE: a proportion of 0 with se 0;
 * SOCIND_ERR_DF under a normal interval) still has a difference; one
 * without a finite value or SE is refused (SOCIND_ERR_ARG).
 * Returns SOCIND_OK; SOCIND_ERR_NULL; SOCIND_ERR_OPTIONS; SOCIND_ERR_ARG (a
 * value or se not finite, se < 0, n < 0, or a bad level, ci_dist or prop_ci
 * in opts — prop_ci is checked and not used: a difference is no
 * proportion); SOCIND_ERR_DF (with a t interval, a's or b's df <= 0 or NaN:
 * each estimate needs its own positive df); SOCIND_ERR_OVERFLOW
 * (the difference, its se, the critical value or a limit exceeds the double
 * range, e.g. df_a + df_b below about 0.0042 at level 0.95). On failure *out
 * is NaN with the status. Thread-safe. */
SOCIND_API int32_t socind_difference(const socind_estimate *a, const socind_estimate *b,
                                     const socind_options *opts, socind_estimate *out);

/* ---------------------------------------------------------------------------
 * Versions.
 * ------------------------------------------------------------------------- */

/* The library's release version as "MAJOR.MINOR.PATCH" (static string).
 * Thread-safe. */
SOCIND_API const char *socind_version(void);

/* The ABI version (the SONAME number, libsocind.so.N). A binding checks it
 * at load time against the value it was written for. Thread-safe. */
SOCIND_API int32_t socind_abi_version(void);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_COMMON_H */
