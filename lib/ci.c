/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/ci.c — critical values and confidence intervals. Every argument is
 * checked before GSL is called, so GSL's error handler is never reached:
 * GSL's t quantile is used for 1 <= df < 1e10 (it converges there at every
 * level); below, the quantile is solved here from the incomplete beta
 * function in log space (GSL's iteration fails for df below about 0.03,
 * where the quantile runs past 10^300 and then past the double range), and
 * above by the expansion in 1/df (GSL's iteration fails from about 1e16). */
#include <float.h>

#include <gsl/gsl_cdf.h>

#include "internal.h"

/* ---- Student t quantile for 0 < df < 1 ----
 *
 * With a = df/2, x = df/(df + t²) and y = 1 − x, the two-sided tail is
 * P(|T| > t) = I_x(a, ½) and the level P(|T| < t) = I_y(½, a) (regularized
 * incomplete beta). From the series B_x(p, q) = Σ_n (1 − q)_n/n! ·
 * x^(p+n)/(p + n) and B(a, ½) = G(a)/a, G(a) = Γ(1 + a)Γ(½)/Γ(a + ½):
 *
 *   I_x(a, ½)     = x^a (1 + a·R(x)) / G,   R(x) = Σ_{n>=1} c_n x^n/(n + a),
 *   1 − I_x(a, ½) = (G − 1 − expm1(a log x) − x^a·a·R(x)) / G,
 *   I_y(½, a)     = a·√y·T(y) / G,           T(y) = Σ_{n>=0} d_n y^n/(n + ½),
 *
 * c_n = (½)_n/n!, d_n = (1 − a)_n/n!. For a < ½ the root has x <= ½ unless
 * the level is at most I_½(½, a); each series is then summed where it
 * converges like 2^−n, and the unknown (log x, or √y) is found by Newton's
 * method inside a bracket. log x can be far below the double range (df =
 * 1e−300 puts it near −1e300): t = √(df·(1 − x)/x) is then computed from
 * logarithms and reported as an overflow when it exceeds DBL_MAX. */

#define PI 3.14159265358979323846264338328
#define LN2 0.693147180559945309417232121458
#define LOG_SQRT_PI 0.572364942924700087071713675677 /* log Γ(½) */

/* log G(a) = Σ_k g_k a^k for small a: g_1 = 2 log 2, g_k = (−1)^k ζ(k)(2 − 2^k)/k. */
static const double lg_series[20] = {
    1.38629436111989057e+00,  -1.64493406684822641e+00, 2.40411380631918847e+00,
    -3.78813131798898350e+00, 6.22156653086021993e+00,  -1.05125449738393080e+01,
    1.81502869928746122e+01,  -3.18794560592847311e+01, 5.67804755934779948e+01,
    -1.02301645578063003e+02, 1.86091919080366210e+02,  -3.41250623195770288e+02,
    6.30077309408974429e+02,  -1.17021452621060939e+03, 2.18446681694338895e+03,
    -4.09593759422425546e+03, 7.71005888279378814e+03,  -1.45635000373828370e+04,
    2.75940526552217016e+04,  -5.24287500149892876e+04,
};

/* log G(a)/a, G − 1 and G for 0 < a < ½. */
static void gfun(double a, double *lg_a, double *gm1, double *g) {
    double lg;
    if (a < 0.05) { /* the series: terms fall like (2a)^k/k */
        double s = 0.0;
        for (int k = 19; k >= 0; k--) s = s * a + lg_series[k];
        *lg_a = s;
        lg = s * a;
    } else {
        lg = log(tgamma(1.0 + a)) + LOG_SQRT_PI - log(tgamma(a + 0.5));
        *lg_a = lg / a;
    }
    *gm1 = expm1(lg);
    *g = 1.0 + *gm1;
}

/* R(x) = Σ_{n>=1} c_n x^n/(n + a) and x·R'(x), for 0 <= x <= ½. */
static double series_r(double x, double a, double *xdr) {
    double c = 1.0, p = 1.0, r = 0.0, d = 0.0;
    for (int n = 1; n < 200; n++) {
        c *= (n - 0.5) / n;
        p *= x;
        double term = c * p / (n + a);
        r += term;
        d += n * term;
        if (term <= 1e-17 * r) break;
    }
    *xdr = d;
    return r;
}

/* T(y) = Σ_{n>=0} d_n y^n/(n + ½) and y·T'(y), for 0 <= y <= ½. */
static double series_t(double y, double a, double *ydt) {
    double dn = 1.0, p = 1.0, t = 2.0, d = 0.0;
    for (int n = 1; n < 200; n++) {
        dn *= (n - a) / n;
        p *= y;
        double term = dn * p / (n + 0.5);
        t += term;
        d += n * term;
        if (term <= 1e-17 * t) break;
    }
    *ydt = d;
    return t;
}

/* The upper (1 + level)/2 quantile of t with df in (0, 1): SOCIND_OK and
 * *q, or SOCIND_ERR_OVERFLOW when it exceeds DBL_MAX. */
static int32_t t_quantile_small(double level, double df, double *q) {
    const double a = 0.5 * df, log_max = log(DBL_MAX);
    double lg_a, gm1, g, dummy;
    gfun(a, &lg_a, &gm1, &g);
    /* the level at x = ½, over a: √½·T(½)/G */
    double lb_a = sqrt(0.5) * series_t(0.5, a, &dummy) / g;
    double r = (level / df) * 2.0; /* level/a, without halving a subnormal df */
    if (r <= lb_a) {
        /* the level is reached with y = t²/(df + t²) <= ½: solve
           s·T(s²)/G = level/a for s = √y */
        double lo = 0.0, hi = sqrt(0.5), s = r * g / 2.0;
        if (!(s < hi)) s = 0.5 * hi;
        for (int it = 0; it < 200; it++) {
            double ydt, t = series_t(s * s, a, &ydt);
            double f = s * t / g - r;
            if (f > 0)
                hi = s;
            else
                lo = s;
            double sn = s - f / ((t + 2.0 * ydt) / g);
            if (!(sn >= lo && sn <= hi)) sn = 0.5 * (lo + hi);
            int done = fabs(sn - s) <= 2e-16 * sn || f == 0;
            s = sn;
            if (done || hi - lo <= 2e-16 * hi) break;
        }
        *q = sqrt(df) * s / sqrt((1.0 - s) * (1.0 + s));
        return SOCIND_OK;
    }
    /* x <= ½: the unknown is rho = log x */
    double rho, lo, hi, xdr_half, r_half = series_r(0.5, a, &xdr_half);
    const double rho_half = -LN2;
    if (level >= 0.5) {
        /* the two-sided tail alpha = 1 − level (exact here) is the small
           side: rho + log1p(a·R(x))/a = C, C = (log G + log alpha)/a */
        double C = lg_a + log(1.0 - level) / a;
        hi = C < rho_half ? C : rho_half;
        lo = C - r_half - 1.0;
        /* t is at least √(df(1 − x)/x) at x = e^hi */
        if (!(0.5 * (log(df) + log1p(-exp(hi)) - hi) < log_max)) {
            *q = NAN;
            return SOCIND_ERR_OVERFLOW;
        }
        rho = hi;
        for (int it = 0; it < 200; it++) {
            double x = exp(rho), xdr, rr = series_r(x, a, &xdr), v = a * rr;
            double l1 = v < 1e-8 ? rr * (1.0 - v * (0.5 - v / 3.0)) : log1p(v) / a;
            double f = rho + l1 - C;
            if (f > 0)
                hi = rho;
            else
                lo = rho;
            double rn = rho - f / (1.0 + xdr / (1.0 + v));
            if (!(rn >= lo && rn <= hi)) rn = 0.5 * (lo + hi);
            double tol = 4e-16 * (fabs(rn) > 1.0 ? fabs(rn) : 1.0);
            int done = fabs(rn - rho) <= tol || f == 0;
            rho = rn;
            if (done || hi - lo <= tol) break;
        }
    } else {
        /* the level is the small side: with u = −expm1(a·rho) = 1 − x^a,
           u − L0 − (1 − u)·a·R(x) = 0, L0 = level − (1 − level)(G − 1) */
        double L0 = level - (1.0 - level) * gm1;
        double ulo = -expm1(-a * LN2), uhi = L0 + a * r_half;
        if (L0 > ulo) ulo = L0;
        double u = 0.5 * (ulo + uhi);
        for (int it = 0; it < 200; it++) {
            double x = exp(log1p(-u) / a), xdr, rr = series_r(x, a, &xdr);
            double f = u - L0 - (1.0 - u) * a * rr;
            if (f > 0)
                uhi = u;
            else
                ulo = u;
            double un = u - f / (1.0 + a * rr + xdr);
            if (!(un >= ulo && un <= uhi)) un = 0.5 * (ulo + uhi);
            int done = fabs(un - u) <= 2e-16 * un || f == 0;
            u = un;
            if (done || uhi - ulo <= 2e-16 * uhi) break;
        }
        rho = log1p(-u) / a;
    }
    /* t = √(df·(1 − x)/x) */
    double lt = 0.5 * (log(df) + log1p(-exp(rho)) - rho);
    if (!(lt < log_max)) {
        *q = NAN;
        return SOCIND_ERR_OVERFLOW;
    }
    double t = exp(lt);
    if (!(t <= DBL_MAX)) {
        *q = NAN;
        return SOCIND_ERR_OVERFLOW;
    }
    *q = t;
    return SOCIND_OK;
}

/* The upper (1 + level)/2 quantile of the standard normal (normal != 0) or
 * of t with df degrees of freedom; level in (0, 1) is the caller's to check.
 * SOCIND_OK, SOCIND_ERR_DF (t with df <= 0 or NaN) or SOCIND_ERR_OVERFLOW
 * (beyond DBL_MAX); *q is NaN on failure. */
static int32_t quantile(double level, int normal, double df, double *q) {
    /* 0.5 + level/2 rounds exactly as R's (1 + level)/2 does; only
       level = 1 − 2^−53 rounds it to 1, where the upper tail (1 − level)/2
       (exact) is used instead */
    const double P = 0.5 + level / 2.0, tail = (1.0 - level) / 2.0;
    *q = NAN;
    if (normal || df == INFINITY) {
        *q = P < 1.0 ? gsl_cdf_ugaussian_Pinv(P) : gsl_cdf_ugaussian_Qinv(tail);
        return SOCIND_OK;
    }
    if (!(df > 0.0)) return SOCIND_ERR_DF;
    if (df < 1.0) return t_quantile_small(level, df, q);
    if (df >= 1e10) {
        /* GSL's iteration fails from df ≈ 1e16 on; the Cornish–Fisher
           expansion in 1/df (Hill 1970) is exact to rounding here (the
           next term is of order z⁹/df⁴) */
        double z = P < 1.0 ? gsl_cdf_ugaussian_Pinv(P) : gsl_cdf_ugaussian_Qinv(tail);
        double z2 = z * z;
        double g1 = (z2 + 1.0) * z / 4.0;
        double g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
        double g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
        *q = z + (g1 + (g2 + g3 / df) / df) / df;
        return SOCIND_OK;
    }
    if (P < 1.0)
        *q = gsl_cdf_tdist_Pinv(P, df);
    else /* the upper tail; Cauchy's cot(π·tail) in full precision */
        *q = df == 1.0 ? 1.0 / tan(PI * tail) : gsl_cdf_tdist_Qinv(tail, df);
    return SOCIND_OK;
}

int32_t socind_critical_value(double level, int32_t ci_dist, double df, double *q) {
    socind__clear_detail();
    if (!q) return socind__fail(SOCIND_ERR_NULL, "q is NULL");
    *q = NAN;
    if (!(level > 0.0 && level < 1.0))
        return socind__fail(SOCIND_ERR_ARG, "level must be in (0, 1), got %g", level);
    if (ci_dist != SOCIND_CI_T && ci_dist != SOCIND_CI_NORMAL)
        return socind__fail(SOCIND_ERR_ARG, "unknown ci_dist %d", (int)ci_dist);
    int32_t st = quantile(level, ci_dist == SOCIND_CI_NORMAL, df, q);
    if (st == SOCIND_ERR_DF)
        return socind__fail(SOCIND_ERR_DF, "df must be positive for a t interval, got %g", df);
    if (st == SOCIND_ERR_OVERFLOW)
        return socind__fail(SOCIND_ERR_OVERFLOW,
                            "the t quantile at level %.17g with df %g exceeds the double range",
                            level, df);
    return SOCIND_OK;
}

int32_t socind__critical(const socind_options *o, double df, double *q) {
    return quantile(o->level, o->ci_dist == SOCIND_CI_NORMAL, df, q);
}

void socind__estimate_nan(socind_estimate *e, int32_t status) {
    e->value = e->se = e->ci_low = e->ci_high = NAN;
    e->df = NAN;
    e->weight_sum = 0.0;
    e->deff = NAN;
    e->n = 0;
    e->status = status;
    e->replicates_left_out = 0;
}

void socind__estimate_scale(socind_estimate *e, int k) {
    if (k == 0) return;
    double *f[4] = {&e->value, &e->se, &e->ci_low, &e->ci_high};
    for (int i = 0; i < 4; i++) socind__scale_pow2(f[i], 0, f[i], 0, 1, -k);
    socind__check_finite(e);
}

void socind__check_finite(socind_estimate *e) {
    if (e->status == SOCIND_OK &&
        !(isfinite(e->value) && isfinite(e->se) && isfinite(e->ci_low) && isfinite(e->ci_high)))
        e->status = SOCIND_ERR_OVERFLOW;
}

/* ---- intervals for proportions (R's svyciprop) ---- */

/* log Γ(x) − ((x − ½)·log x − x + log √(2π)) for x >= 10: Stirling's
 * series (error below 1e−16 relative to log Γ(x)). */
static double stirling_rest(double x) {
    const double r = 1.0 / x, r2 = r * r;
    return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680))));
}

/* log Γ(x) for x > 0: tgamma below 10, Stirling's series above (error
 * below 1e−16 relative there). */
static double log_gamma(double x) {
    if (x < 10.0) {
        const double g = tgamma(x);
        /* Γ(x) = 1/x − γ + O(x) exceeds the doubles below x ≈ 5.6e−309:
           there log Γ(x) = −log x to the last bit */
        return g < HUGE_VAL ? log(g) : -log(x);
    }
    return (x - 0.5) * log(x) - x + 0.918938533204672741780329736406 + stirling_rest(x);
}

/* log B(a, b) for a, b > 0 finite, as log_dens takes it: both shapes
 * below 10, or both at least 10 (for an x within rounding of 1). The
 * product of the Γs is formed where it stays in the doubles; a tiny a or b
 * (Γ(a) near 1/a: 1e−160 with b = 100 gives 1e160·Γ(100), past DBL_MAX)
 * takes the sum of the logs. */
static double log_beta(double a, double b) {
    if (a + b < 150.0) {
        const double v = tgamma(a) * tgamma(b) / tgamma(a + b);
        if (v > 0.0 && v < HUGE_VAL) return log(v);
    }
    /* both shapes >= 10: log Γ(b) − log Γ(a + b) formed without taking the
       difference of two numbers near b·log b (R's lbeta): at b = 1e16
       those are near 3.6e17, where a double's step is 64 */
    const double p = a < b ? a : b, q = a < b ? b : a, t = p / (p + q);
    if (p >= 10.0)
        return -0.5 * log(q) + 0.918938533204672741780329736406 + stirling_rest(p) +
               stirling_rest(q) - stirling_rest(p + q) + (p - 0.5) * log(t) + q * log1p(-t);
    return log_gamma(a) + log_gamma(b) - log_gamma(a + b);
}

/* The continued fraction of I_x(a, b) (modified Lentz; Numerical Recipes'
 * betacf), for x < (a + 1)/(a + b + 2), where it converges. */
static double beta_cf(double a, double b, double x) {
    const double tiny = 1e-300;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < tiny) d = tiny;
    d = 1.0 / d;
    double h = d;
    for (long m = 1; m < 100000000L; m++) {
        double m2 = 2.0 * (double)m;
        double aa = (double)m * (b - (double)m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + (double)m) * (qab + (double)m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) <= 1e-16) break;
    }
    return h;
}

/* φ(t) = t − log(1 + t) for t > −1, without the cancellation near 0. */
static double phi1(double t) {
    if (fabs(t) > 0.1) return t - log1p(t);
    /* t²/2 − t³/3 + t⁴/4 − …, |t| <= 0.1: 40 terms reach 1e-40 */
    double s = 0.0, tk = t * t;
    for (int k = 2; k < 42; k++) {
        s += (k % 2 ? -tk : tk) / k;
        tk *= t;
    }
    return s;
}

/* log(x^a (1 − x)^b / B(a, b)) for 0 < x < 1, a, b > 0. Taken as
 * a·log x + b·log(1 − x) − log B its terms, each up to the size of
 * b·log b for large shapes, cancel and leave about b·log b·2^-53
 * absolutely (the whole density once a and b pass 1e15), however exact
 * log B is; so with a shape >= 10 it is written with Stirling's formula,
 * whose large terms cancel in closed form: with x0 = a/(a + b),
 * t = x/x0 − 1, s = stirling_rest, for a, b >= 10
 *   ½ log(ab/(2π(a + b))) − a·φ(t) − b·φ(−a·t/b) − (s(a) + s(b) − s(a + b)),
 * and for a < 10 <= b (b < 10 <= a by symmetry)
 *   a log(x(a + b)) + b log(1 − x) + (b − ½) log(1 + a/b) − a − log Γ(a)
 *   − (s(b) − s(a + b)),
 * whose terms are of the size of x(a + b) and a. */
static double log_dens(double a, double b, double x) {
    if (a >= 10.0 && b >= 10.0) {
        double t = x * (a + b) / a - 1.0, u = -a * t / b;
        if (!(u > -1.0)) return a * log(x) + b * log1p(-x) - log_beta(a, b);
        return 0.5 * log(a * b / (2.0 * PI * (a + b))) - a * phi1(t) - b * phi1(u) -
               (stirling_rest(a) + stirling_rest(b) - stirling_rest(a + b));
    }
    if (a < 10.0 && b >= 10.0)
        return a * log(x * (a + b)) + b * log1p(-x) + (b - 0.5) * log1p(a / b) - a - log_gamma(a) -
               (stirling_rest(b) - stirling_rest(a + b));
    if (b < 10.0 && a >= 10.0)
        return b * log((1.0 - x) * (a + b)) + a * log(x) + (a - 0.5) * log1p(b / a) - b -
               log_gamma(b) - (stirling_rest(a) - stirling_rest(a + b));
    return a * log(x) + b * log1p(-x) - log_beta(a, b);
}

/* log I_x(a, b) (regularized incomplete beta) for 0 < x < 1, a, b > 0;
 * *ldens = log(x^a (1 − x)^b / B(a, b)). */
static double log_ibeta(double a, double b, double x, double *ldens) {
    double lf = log_dens(a, b, x);
    *ldens = lf;
    if (x < (a + 1.0) / (a + b + 2.0)) return lf - log(a) + log(beta_cf(a, b, x));
    /* the complement I_{1−x}(b, a) = exp(lf)·cf/b */
    double comp = exp(lf) * beta_cf(b, a, 1.0 - x) / b;
    return log1p(-comp);
}

/* One step of Newton's method on u inside the bisection bracket [lo, hi]:
 * f, the misfit at u (> 0: u too high), narrows the bracket; a Newton step
 * (f / slope) leaving it becomes a bisection. Nonzero when the solve is
 * done (the step or the bracket below 1e-15 of max(|u|, 1)). */
static int bracketed_step(double *u, double f, double slope, double *lo, double *hi) {
    if (f > 0)
        *hi = *u;
    else
        *lo = *u;
    double un = *u - f / slope;
    if (!(un >= *lo && un <= *hi)) un = 0.5 * (*lo + *hi);
    const double tol = 1e-15 * (fabs(un) > 1.0 ? fabs(un) : 1.0);
    const int done = fabs(un - *u) <= tol || *hi - *lo <= tol;
    *u = un;
    return done;
}

/* The x in (0, 1) with I_x(a, b) = P (0 < P < 1; a, b > 0), or 0 when it
 * is below the smallest double. Newton's method on u = log x inside a
 * bisection bracket. */
static double beta_quantile_lower(double P, double a, double b) {
    const double lp = log(P);
    double ld, hi = 0.0, lo = -1.0;
    /* a lower end with I < P */
    while (log_ibeta(a, b, exp(lo), &ld) >= lp) {
        hi = lo;
        lo *= 2.0;
        if (lo < -1500.0) return 0.0;
    }
    double u = 0.5 * (lo + hi);
    for (int it = 0; it < 400; it++) {
        double x = exp(u);
        if (!(x < 1.0)) x = 0.5 * (1.0 + exp(lo));
        double li = log_ibeta(a, b, x, &ld), f = li - lp;
        if (f == 0) break;
        /* d log I / du = x·pdf(x)/I = exp(ld − log(1 − x) − li) */
        if (bracketed_step(&u, f, exp(ld - log1p(-x) - li), &lo, &hi)) break;
    }
    return exp(u);
}

/* The limits of an interval through an increasing transform (logit,
 * asin √·) bracket p̂ exactly, but the transform and its inverse round:
 * with se = 0 (a domain in one PSU) expit(logit 0.003) is
 * 0.0030000000000000014, an interval [p̂ + 2 ulp, p̂ + 2 ulp] that misses
 * p̂. Such a limit is set to p̂. */
static void clamp_to(double p, double *lo, double *hi) {
    if (*lo > p) *lo = p;
    if (*hi < p) *hi = p;
}

/* log(y^a e^−y/Γ(a)) for y = e^u > 0, a > 0; for a >= 10 from Stirling's
 * formula as −a·φ(y/a − 1) + ½ log(a/2π) − s(a), without the cancellation
 * of a·log y against log Γ(a). */
static double log_gdens(double a, double u) {
    if (a < 10.0) return a * u - exp(u) - log_gamma(a);
    return -a * phi1(exp(u) / a - 1.0) + 0.5 * log(a / (2.0 * PI)) - stirling_rest(a);
}

/* log P(a, y) (upper == 0) or log Q(a, y) (upper != 0), the regularized
 * incomplete gamma function and its complement, y = e^u; *ldens =
 * log_gdens(a, u). The series for P below y = a + 1, the continued
 * fraction for Q above (Numerical Recipes' gser and gcf). */
static double log_igamma(double a, double u, int upper, double *ldens) {
    const double y = exp(u), ld = log_gdens(a, u);
    double lp, lq;
    *ldens = ld;
    if (y < a + 1.0) {
        /* P = e^ld·Σ_{n>=0} y^n/((a + 1)…(a + n))/a, the 1/a taken in
           log space so that a subnormal a (1/a past the doubles) keeps a
           finite sum */
        double ap = a, del = 1.0, sum = 1.0;
        for (long n = 1; n < 100000000L; n++) {
            ap += 1.0;
            del *= y / ap;
            sum += del;
            if (fabs(del) < fabs(sum) * 1e-17) break;
        }
        lp = ld - log(a) + log(sum);
        if (!upper) return lp;
        return log1p(-exp(lp));
    }
    const double tiny = 1e-300;
    double b = y + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
    for (long i = 1; i < 100000000L; i++) {
        double an = -(double)i * ((double)i - a);
        b += 2.0;
        d = an * d + b;
        if (fabs(d) < tiny) d = tiny;
        c = b + an / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) <= 1e-16) break;
    }
    lq = ld + log(h);
    if (upper) return lq;
    return log1p(-exp(lq));
}

/* The gamma quantile's misfit at u = log y: log T(u) − log P, T = P(a, y)
 * (upper == 0) or −(log T(u) − log P), T = Q(a, y) (upper != 0), so that it
 * increases with u either way; *li = log T(u), *ld as log_igamma gives it. */
static double gamma_misfit(double a, double u, int upper, double lp, double *li, double *ld) {
    *li = log_igamma(a, u, upper, ld);
    return (upper ? -1.0 : 1.0) * (*li - lp);
}

/* log y of the gamma quantile: P(a, y) = P (upper == 0) or Q(a, y) = P
 * (upper != 0), 0 < P < 1. Newton's method on u = log y inside a
 * bisection bracket (for a <= 1e9; its series or fraction takes some √a
 * terms); −INFINITY when y is below e^-1e4. */
static double gamma_log_quantile(double P, double a, int upper) {
    if (a > 1e9) {
        /* the Cornish–Fisher expansion (that of χ²_2a halved): the first
           term left out is O(z⁵/a^(3/2)), below 1e-15 of y here, where the
           series and fraction below would need some √a terms */
        double z = upper ? gsl_cdf_ugaussian_Qinv(P) : gsl_cdf_ugaussian_Pinv(P);
        double z2 = z * z, sa = sqrt(a);
        double y = a + z * sa + (z2 - 1.0) / 3.0 + z * (z2 - 7.0) / (36.0 * sa) -
                   (3.0 * z2 * z2 + 7.0 * z2 - 16.0) / (810.0 * a);
        return log(y);
    }
    const double lp = log(P);
    double li, ld, lo, hi, step = 1.0;
    double u0 = log(a + 1.0);
    if (gamma_misfit(a, u0, upper, lp, &li, &ld) >= 0) {
        hi = u0;
        lo = u0 - step;
        while (gamma_misfit(a, lo, upper, lp, &li, &ld) >= 0) {
            hi = lo;
            step *= 2.0;
            lo = u0 - step;
            if (lo < -1e4) return -INFINITY;
        }
    } else {
        lo = u0;
        hi = u0 + step;
        while (gamma_misfit(a, hi, upper, lp, &li, &ld) < 0) {
            lo = hi;
            step *= 2.0;
            hi = u0 + step;
            if (hi > 800.0) break; /* y = e^800: past any double limit */
        }
    }
    double u = 0.5 * (lo + hi);
    for (int it = 0; it < 400; it++) {
        double f = gamma_misfit(a, u, upper, lp, &li, &ld);
        if (f == 0) break;
        /* d log T/du = ±y·pdf(y)/T = ±exp(ld − log T) */
        if (bracketed_step(&u, f, exp(ld - li), &lo, &hi)) break;
    }
    return u;
}

/* For b >= 1e7·a: T = −log(1 − X) of X ~ Beta(a, b) has the density
 * ∝ T^(a−1) e^−(b + (a−1)/2)T·(1 + O(a·T²)), the Gamma(a) law on the rate
 * b + (a − 1)/2 to a relative O((a/b)²)/12, below 1e-15: X's quantile is
 * 1 − exp(−y/(b + (a − 1)/2)) at y the gamma quantile (lower tail when
 * upper == 0). Unlike the beta iteration it keeps the relative precision
 * of quantiles far below 2^-53 (b up to 1e300). */
static double beta_quantile_gamma(double P, double a, double b, int upper) {
    double u = gamma_log_quantile(P, a, upper);
    double lt = u - log(b + 0.5 * (a - 1.0));
    if (lt < -745.0) return 0.0;
    return -expm1(-exp(lt));
}

/* Nonzero where beta_quantile takes the gamma limit: one shape at least
 * 1e7 times the other. */
static int beta_gamma_limit(double a, double b) {
    return b >= 1e7 * a || a >= 1e7 * b;
}

/* R's qbeta(P, a, b) for the tail that keeps precision: the lower tail
 * when lower != 0, else the upper tail Q = P. */
static double beta_quantile(double P, double a, double b, int lower) {
    /* a shape of 0 (a product n_eff·p̂ or n_eff(1 − p̂) below the doubles):
       a point mass at 0 or at 1 (R's qbeta(P, 0, b) = 0, qbeta(P, a, 0) = 1) */
    if (!(a > 0.0)) return 0.0;
    if (!(b > 0.0)) return 1.0;
    /* a small shape against a huge one: the gamma limit, near 0 for a
       small a, near 1 (1 − the mirrored quantile) for a small b */
    if (beta_gamma_limit(a, b))
        return b > a ? beta_quantile_gamma(P, a, b, !lower)
                     : 1.0 - beta_quantile_gamma(P, b, a, lower);
    if (lower) return beta_quantile_lower(P, a, b);
    double x = 1.0 - beta_quantile_lower(P, b, a); /* I_{1−x}(b, a) = Q */
    /* below ½ that difference keeps only 2^-53 absolutely (nothing of a
       quantile near 1e-17): the lower tail's 1 − Q, which carries the same
       absolute error as Q, is solved instead */
    if (x < 0.5 && 1.0 - P < 1.0) x = beta_quantile_lower(1.0 - P, a, b);
    return x;
}

/* The upper (1 + level)/2 quantile for a proportion's interval: o's
 * distribution on df (df = ∞ gives the normal one). */
static int32_t prop_quantile(const socind_options *o, double df, double *q) {
    return quantile(o->level, o->ci_dist == SOCIND_CI_NORMAL, df, q);
}

/* R's regularize.values(x, y, mean) for sorted-or-not x: orders the n
 * pairs by x (stably) and averages y over tied x; returns the new n. */
static size_t regularize(double *x, double *y, size_t n) {
    for (size_t i = 1; i < n; i++) { /* insertion sort, stable */
        double xv = x[i], yv = y[i];
        size_t j = i;
        while (j > 0 && x[j - 1] > xv) {
            x[j] = x[j - 1];
            y[j] = y[j - 1];
            j--;
        }
        x[j] = xv;
        y[j] = yv;
    }
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double s = 0.0;
        do s += y[j++]; /* at least x[i] itself (never stuck, whatever x holds) */
        while (j < n && x[j] == x[i]);
        x[m] = x[i];
        y[m] = j - i == 1 ? y[i] : s / (double)(j - i);
        m++;
        i = j;
    }
    return m;
}

#define PROFILE_MAX 19 /* 1 + 2·9 profile points */
#define SPLINE_MAX (3 * PROFILE_MAX)

/* R's fmm_spline (stats/src/splines.c): Forsythe, Malcolm and Moler's
 * cubic spline through (x[i], y[i]), i < n (n >= 2, x increasing). */
static void fmm_spline(size_t n, const double *x, const double *y, double *b, double *c,
                       double *d) {
    if (n < 3) {
        b[0] = b[1] = (y[1] - y[0]) / (x[1] - x[0]);
        c[0] = c[1] = d[0] = d[1] = 0.0;
        return;
    }
    /* 1-based indexing as in R's code */
#define X(k) x[(k)-1]
#define Y(k) y[(k)-1]
#define B(k) b[(k)-1]
#define C(k) c[(k)-1]
#define D(k) d[(k)-1]
    double t;
    const size_t nm1 = n - 1;
    D(1) = X(2) - X(1);
    C(2) = (Y(2) - Y(1)) / D(1);
    for (size_t i = 2; i < n; i++) {
        D(i) = X(i + 1) - X(i);
        B(i) = 2.0 * (D(i - 1) + D(i));
        C(i + 1) = (Y(i + 1) - Y(i)) / D(i);
        C(i) = C(i + 1) - C(i);
    }
    B(1) = -D(1);
    B(n) = -D(nm1);
    C(1) = C(n) = 0.0;
    if (n > 3) {
        C(1) = C(3) / (X(4) - X(2)) - C(2) / (X(3) - X(1));
        C(n) = C(nm1) / (X(n) - X(n - 2)) - C(n - 2) / (X(nm1) - X(n - 3));
        C(1) = C(1) * D(1) * D(1) / (X(4) - X(1));
        C(n) = -C(n) * D(nm1) * D(nm1) / (X(n) - X(n - 3));
    }
    for (size_t i = 2; i <= n; i++) {
        t = D(i - 1) / B(i - 1);
        B(i) = B(i) - t * D(i - 1);
        C(i) = C(i) - t * C(i - 1);
    }
    C(n) = C(n) / B(n);
    for (size_t i = nm1; i >= 1; i--) C(i) = (C(i) - D(i) * C(i + 1)) / B(i);
    B(n) = (Y(n) - Y(n - 1)) / D(n - 1) + D(n - 1) * (C(n - 1) + 2.0 * C(n));
    for (size_t i = 1; i <= nm1; i++) {
        B(i) = (Y(i + 1) - Y(i)) / D(i) - D(i) * (C(i + 1) + 2.0 * C(i));
        D(i) = (C(i + 1) - C(i)) / D(i);
        C(i) = 3.0 * C(i);
    }
    C(n) = 3.0 * C(n);
    D(n) = D(nm1);
#undef X
#undef Y
#undef B
#undef C
#undef D
}

/* R's spline_eval (method fmm) at u. */
static double spline_eval(double u, size_t n, const double *x, const double *y, const double *b,
                          const double *c, const double *d) {
    size_t i = 0;
    if (u < x[0] || (0 < n - 1 && x[1] < u)) {
        size_t j = n;
        do {
            size_t k = (i + j) / 2;
            if (u < x[k])
                j = k;
            else
                i = k;
        } while (j > i + 1);
    }
    double dx = u - x[i];
    return y[i] + dx * (b[i] + dx * (c[i] + dx * d[i]));
}

/* R's approx(x, y, xout = v, rule = 1) on regularized x: NaN outside. */
static double approx1(double v, const double *x, const double *y, size_t n) {
    if (n == 0 || v < x[0] || v > x[n - 1]) return NAN;
    size_t i = 0, j = n - 1;
    while (i + 1 < j) {
        size_t ij = (i + j) / 2;
        if (v < x[ij])
            j = ij;
        else
            i = ij;
    }
    if (v == x[j]) return y[j];
    if (v == x[i]) return y[i];
    return y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i]));
}

/* μ = R's binomial()$linkinv(η) (logit_linkinv of R's family.c): exp(η)
 * taken as DBL_EPSILON below η = −30 and as 1/DBL_EPSILON above 30, then
 * x/(1 + x). */
static double r_logit_linkinv(double eta) {
    const double x = eta < -30.0 ? DBL_EPSILON : eta > 30.0 ? 1.0 / DBL_EPSILON : exp(eta);
    return x / (1.0 + x);
}

/* The binomial deviance of the intercept-only fit at β = b as glm.fit
 * evaluates it: μ = r_logit_linkinv(b), then binomial()$dev.resids (R's
 * y_log_y), 2[w1·log(1/μ) + w0·log(1/(1 − μ))], 1 − μ in doubles. */
static double r_deviance(const socind__glmfit *f, double b) {
    const double mu = r_logit_linkinv(b);
    return 2.0 * (f->w1 * log(1.0 / mu) + f->w0 * log(1.0 / (1.0 - mu)));
}

/* The signed root of the scaled deviance of the intercept-only
 * quasi-binomial fit at β = b: the binomial deviance's rise from the fit
 * (dev0, r_deviance at β̂), over the dispersion (MASSprofile_glm's
 * (deviance − OriginalDeviance)/dispersion, set to 0 when it is below 0 and
 * above −0.001 as there). The deviances are R's glm.fit's, μ clamped as
 * R's logit link clamps it: beyond |β| = 30 the profile is flat, as R's
 * is (at the exact fit, μ̂ = p̂, w1 = n·p̂, w0 = n(1 − p̂), dispersion
 * n/(n − 1), this is 2(n − 1)·KL(p̂ ‖ expit b) for |b| <= 30). */
static double profile_z(const socind__glmfit *f, double dev0, double b, double sgn) {
    double zz = (r_deviance(f, b) - dev0) / f->disp;
    if (zz < 0) zz = 0;
    return sgn * sqrt(zz);
}

/* svyciprop(method = "likelihood") profiled around the fit f (beta, its SE,
 * the Rao–Scott factor, the dispersion; n >= 2, se_beta > 0). */
static int32_t likelihood_ci(const socind_options *o, const socind__glmfit *f, double df,
                             double *lo, double *hi) {
    const double b0 = f->beta, se_b = f->se_beta, n = f->n;
    const double dev0 = r_deviance(f, b0);
    double qdf;
    int32_t st = prop_quantile(o, df, &qdf);
    if (st) return st;
    /* Rao–Scott factor: the design variance of β̂ over the naive one */
    double lambda = f->lambda;
    double cut = qdf * sqrt(lambda); /* −qt((1 − level)/2, df)·√λ */
    /* alpha = pnorm(−cut)/2; zmax = √qf(alpha, 1, n − 1, upper) = the t
       quantile on n − 1 df with upper tail alpha/2 */
    double alpha = gsl_cdf_ugaussian_Q(cut) / 2.0;
    if (!(alpha > 0.0) || !isfinite(cut)) return SOCIND_ERR_RANGE;
    double zmax, m = n - 1.0;
    if (!(m >= 1.0)) return SOCIND_ERR_RANGE; /* R: qf(·, 1, 0) is NaN */
    if (m >= 1e10) {
        zmax = gsl_cdf_ugaussian_Qinv(alpha / 2.0);
    } else if (alpha >= 1e-16) {
        zmax = gsl_cdf_tdist_Qinv(alpha / 2.0, m);
    } else {
        /* a tail GSL's t quantile does not resolve for a few df (m = 1 to
           5: off by orders of magnitude below 1e-16): R's qf itself,
           (1/x − 1)·m with x = qbeta(alpha, m/2, 1/2), the incomplete
           beta solved in log space (a df of 1 or 2 and a Rao–Scott factor
           of 8 put alpha near 1e-19) */
        const double x = beta_quantile(alpha, 0.5 * m, 0.5, 1);
        zmax = x > 0.0 ? sqrt((1.0 / x - 1.0) * m) : INFINITY;
    }
    if (!(zmax > 0.0) || !isfinite(zmax) || !(se_b > 0.0) || !isfinite(se_b) || !isfinite(b0))
        return SOCIND_ERR_RANGE;
    /* cutoffs qnorm(2·alpha) and qnorm(2·alpha, upper), through pnorm and
       qnorm as R goes (= ∓cut) */
    double cl = gsl_cdf_ugaussian_Pinv(2.0 * alpha);
    double cutoff[2] = {cl, -cl};
    const double del = zmax / 5.0;
    double zi[PROFILE_MAX], bi[PROFILE_MAX];
    size_t np = 0;
    zi[np] = 0.0, bi[np] = b0, np++;
    for (int s = -1; s <= 1; s += 2) {
        double z = 0.0;
        for (int step = 1; step < 10 && fabs(z) < zmax; step++) {
            double b = b0 + (double)s * (double)step * del * se_b;
            z = profile_z(f, dev0, b, (double)s);
            zi[np] = z, bi[np] = b, np++;
        }
    }
    /* order(zi), stable */
    for (size_t i = 1; i < np; i++) {
        double zv = zi[i], bv = bi[i];
        size_t j = i;
        while (j > 0 && zi[j - 1] > zv) {
            zi[j] = zi[j - 1], bi[j] = bi[j - 1];
            j--;
        }
        zi[j] = zv, bi[j] = bv;
    }
    /* spline(x = par.vals, y = z): regularized, then FMM at n_out = 3·nx
       points seq(min, max) */
    double x[PROFILE_MAX], y[PROFILE_MAX];
    for (size_t i = 0; i < np; i++) {
        if (!isfinite(bi[i]) || !isfinite(zi[i])) return SOCIND_ERR_RANGE; /* R: NA */
        x[i] = bi[i], y[i] = zi[i];
    }
    size_t nx = regularize(x, y, np);
    if (nx < 2) return SOCIND_ERR_RANGE;
    double B[PROFILE_MAX], C[PROFILE_MAX], D[PROFILE_MAX];
    fmm_spline(nx, x, y, B, C, D);
    size_t nout = 3 * nx;
    double sx[SPLINE_MAX], sy[SPLINE_MAX];
    const double from = x[0], to = x[nx - 1], by = (to - from) / (double)(nout - 1);
    for (size_t i = 0; i < nout; i++) {
        if (i == 0)
            sx[i] = from;
        else if (i == nout - 1)
            sx[i] = to;
        else
            sx[i] = i < nout / 2 ? from + (double)i * by : to - (double)(nout - 1 - i) * by;
        sy[i] = spline_eval(sx[i], nx, x, y, B, C, D);
    }
    /* approx(sp$y, sp$x, xout = cutoff) */
    size_t ns = regularize(sy, sx, nout);
    double e0 = approx1(cutoff[0], sy, sx, ns), e1 = approx1(cutoff[1], sy, sx, ns);
    *lo = 1.0 / (1.0 + exp(-e0));
    *hi = 1.0 / (1.0 + exp(-e1));
    return isnan(e0) || isnan(e1) ? SOCIND_ERR_RANGE : SOCIND_OK;
}

/* The interval of method o->prop_ci for p, se on df from n rows; the
 * caller has checked p in [0, 1], se >= 0 finite. */
static int32_t prop_ci(const socind_options *o, double p, double se, double df, int64_t n,
                       const socind__glmfit *fit, double *lo, double *hi) {
    *lo = *hi = NAN;
    const int method = o->prop_ci;
    const int t = o->ci_dist == SOCIND_CI_T;
    if (t && !(df > 0.0)) return SOCIND_ERR_DF;
    /* an SE below 1e-8·√(p̂(1 − p̂)) is below what the likelihood profile's
       grid resolves in double precision: the likelihood interval is then
       NaN (SOCIND_ERR_RANGE); the beta interval is then its limit as the
       effective sample grows, p̂ ∓ z·se·t_df/t_{n−1} (the normal
       approximation of the beta quantiles), where that is exact to 2^-52
       relative, and the beta quantiles elsewhere */
    const int tiny = p > 0.0 && p < 1.0 && se > 0.0 && se < 1e-8 * sqrt(p * (1.0 - p));
    if (method == SOCIND_PROP_CI_LIKELIHOOD) {
        if (!(p > 0.0 && p < 1.0) || !(se > 0.0) || n < 2 || tiny) return SOCIND_ERR_RANGE;
        if (fit) {
            if (!(fit->se_beta > 0.0) || !(fit->disp > 0.0) || !isfinite(fit->beta))
                return SOCIND_ERR_RANGE;
            return likelihood_ci(o, fit, df, lo, hi);
        }
        /* the exact fit: β̂ = logit p̂, se(β̂) = se/(p̂(1 − p̂)) by the delta
           method, λ = n·se²/(p̂(1 − p̂)), dispersion n/(n − 1) */
        const double nn = (double)n, v = p * (1.0 - p);
        socind__glmfit ex = {log(p / (1.0 - p)), se / v, nn * se * se / v, nn / (nn - 1.0), nn * p,
                             nn * (1.0 - p),     nn};
        return likelihood_ci(o, &ex, df, lo, hi);
    }
    if (method == SOCIND_PROP_CI_BETA) {
        if (!(p > 0.0 && p < 1.0) || !(se > 0.0) || n < 2) return SOCIND_ERR_RANGE;
        double qn, qd;
        /* t on n − 1 always; the design's on df (normal: df = ∞), as R's
           svyciprop(…, df = Inf) */
        int32_t st = quantile(o->level, 0, (double)(n - 1), &qn);
        if (!st) st = prop_quantile(o, t ? df : INFINITY, &qd);
        if (st) return st;
        double r = qn / qd;
        double neff = p * (1.0 - p) / (se * se) * (r * r);
        if (!(neff <= DBL_MAX) || se * se < DBL_MIN) /* se² out of range */
            neff = (p / se) * ((1.0 - p) / se) * (r * r);
        /* n_eff above 1e16 (a tiny SE, or an SE near it with few rows or a
           high level: t_{n−1}/t_df up to 200 at n = 2 and 99.9 %): the
           shapes are too large for the beta iteration (p̂ = 0.0079, se =
           1.6e-9, n = 2 at 99.9 %: n_eff 1e20 and limits equal, missing
           p̂) */
        if (tiny || neff > 1e16) {
            double z;
            st = quantile(o->level, 1, INFINITY, &z);
            if (st) return st;
            /* the normal approximation misses each limit by about
               (1 + (z² − 1)/3)/neff (the +1 of a shape and the skewness
               term of the Cornish–Fisher expansion), relatively
               c/(neff·min(p̂, 1 − p̂)) with c = 1 + z²/3; it is kept only
               where that is below 2^-52. Elsewhere (a small p̂ or 1 − p̂,
               as p̂ = 1e-17 with se = 1e-17, where p̂ − z·se is negative)
               the beta quantiles are solved below (an n_eff past the
               double range, se² below p̂/DBL_MAX with p̂ below about
               1e-292, as p̂ = se = 1e-310, is then SOCIND_ERR_RANGE). */
            /* m = neff·min(p̂, 1 − p̂), finite where neff overflows */
            double s = p < 0.5 ? p : 1.0 - p, m = (s / se) * (s / se) * (1.0 - s) * (r * r);
            double c = 1.0 + z * z / 3.0;
            /* the beta quantiles are solved here only through their gamma
               limit (a shape 1e7 times the other: beta_quantile): n_eff is
               above 1e16, and the iteration on two shapes that large
               crawls for seconds and stops short (p̂ = 1 − 1.9e-7, se =
               4.4e-15: a lower limit 3e-5 below p̂ after 2 s). Where the
               shapes are nearer than that, min(p̂, 1 − p̂) > 1e-7 and
               m > 1e9: the approximation is within c/m of each limit */
            const double a1 = neff * p, b1 = neff * (1.0 - p) + 1.0;
            const double a2 = neff * p + 1.0, b2 = neff * (1.0 - p);
            const int gamma_limits = beta_gamma_limit(a1, b1) && beta_gamma_limit(a2, b2);
            if (c / m <= DBL_EPSILON || (neff <= DBL_MAX && !gamma_limits)) {
                *lo = p - z * se / r;
                *hi = p + z * se / r;
                clamp_to(p, lo, hi);
                return SOCIND_OK;
            }
        }
        if (!(neff > 0.0 && neff <= DBL_MAX)) return SOCIND_ERR_RANGE;
        double tail = (1.0 - o->level) / 2.0;
        *lo = beta_quantile(tail, neff * p, neff * (1.0 - p) + 1.0, 1);
        *hi = beta_quantile(tail, neff * p + 1.0, neff * (1.0 - p), 0);
        return SOCIND_OK;
    }
    double q;
    int32_t st = prop_quantile(o, df, &q);
    if (st) return st;
    if (method == SOCIND_PROP_CI_ASIN) {
        if (!(p > 0.0 && p < 1.0)) return SOCIND_ERR_RANGE;
        double sp = sqrt(p), eta = asin(sp);
        double h = q * (se * (0.5 / sp / sqrt(1.0 - sp * sp)));
        /* the angle's interval clamped to [0, π/2], where sin² is monotone:
           R's svyciprop does not clamp, and an end past 0 or π/2 folds back
           (an interval that can miss p̂, or come out reversed) — an
           artefact socind does not copy */
        const double half_pi = 1.57079632679489661923;
        double a0 = eta - h, b0 = eta + h;
        double a = a0 < 0.0 ? 0.0 : sin(a0), b = b0 > half_pi ? 1.0 : sin(b0);
        *lo = a * a;
        *hi = b * b;
        clamp_to(p, lo, hi);
        return SOCIND_OK;
    }
    if (method == SOCIND_PROP_CI_XLOGIT) {
        if (!(p > 0.0 && p < 1.0)) return SOCIND_ERR_RANGE;
        double eta = log(p / (1.0 - p)), h = q * (se / (p * (1.0 - p)));
        *lo = exp(eta - h) / (1.0 + exp(eta - h));
        *hi = exp(eta + h) / (1.0 + exp(eta + h));
        if (isnan(*lo)) *lo = 1.0; /* exp overflow: expit → 1 */
        if (isnan(*hi)) *hi = 1.0;
        clamp_to(p, lo, hi);
        return SOCIND_OK;
    }
    return SOCIND_ERR_ARG; /* not reached: logit, wald and mean are the caller's */
}

static void fill_ci(socind_estimate *e, const socind_options *o, double df, int is_prop,
                    const socind__glmfit *fit, double se_beta);

void socind__fill_ci(socind_estimate *e, const socind_options *o, double df, int is_prop) {
    fill_ci(e, o, df, is_prop, NULL, NAN);
}

void socind__fill_ci_fit(socind_estimate *e, const socind_options *o, double df,
                         const socind__glmfit *fit) {
    fill_ci(e, o, df, 1, fit, NAN);
}

void socind__fill_ci_logit_se(socind_estimate *e, const socind_options *o, double df,
                              double se_beta) {
    fill_ci(e, o, df, 1, NULL, se_beta);
}

/* se_beta: the SE of β̂ = logit p̂ where the caller has it (a replicate
 * design's), else NaN: se/(p̂(1 − p̂)) by the delta method. */
static void fill_ci(socind_estimate *e, const socind_options *o, double df, int is_prop,
                    const socind__glmfit *fit, double se_beta) {
    e->df = df;
    double q;
    double v = e->value, se = e->se;
    e->ci_low = e->ci_high = NAN;
    const int method = o->prop_ci;
    const int given = !isnan(se_beta);
    if (is_prop && method == SOCIND_PROP_CI_LIKELIHOOD && given && !fit && v > 0.0 && v < 1.0 &&
        !isnan(se)) {
        /* the exact fit with the given SE of β̂: λ = n·se(β̂)²·p̂(1 − p̂),
           R's vcov over its naive one (weights of mean 1); svrepglm's
           dispersion, Σ w·r²/Σ w of its Pearson residuals r, is 1 for a
           0/1 variable (Σ w(y − p̂)² = N̂·p̂(1 − p̂)) */
        const double nn = (double)e->n, pq = v * (1.0 - v), disp = 1.0;
        if (o->ci_dist == SOCIND_CI_T && !(df > 0.0)) {
            if (e->status == SOCIND_OK) e->status = SOCIND_ERR_DF;
        } else if (se_beta == INFINITY) {
            /* a replicate's p̂_r at 0 or 1: the profile's Rao–Scott factor is
               infinite, its interval all of (0, 1) */
            e->ci_low = 0.0, e->ci_high = 1.0;
        } else if (e->n >= 2 && se_beta > 0.0 && isfinite(se_beta)) {
            const socind__glmfit ex = {
                log(v / (1.0 - v)), se_beta, nn * se_beta * se_beta * pq, disp, nn * v,
                nn * (1.0 - v),     nn};
            int32_t st = prop_ci(o, v, se, df, e->n, &ex, &e->ci_low, &e->ci_high);
            if (st && e->status == SOCIND_OK) e->status = st;
        } else if (e->status == SOCIND_OK) {
            e->status = SOCIND_ERR_RANGE;
        }
        socind__check_finite(e);
        return;
    }
    if (is_prop && method != SOCIND_PROP_CI_LOGIT && method != SOCIND_PROP_CI_WALD &&
        method != SOCIND_PROP_CI_MEAN) {
        if (!isnan(v) && !isnan(se)) {
            int32_t st = prop_ci(o, v, se, df, e->n, fit, &e->ci_low, &e->ci_high);
            if (st && e->status == SOCIND_OK) e->status = st;
        }
        socind__check_finite(e);
        return;
    }
    int32_t qs = socind__critical(o, df, &q);
    if (qs == SOCIND_ERR_DF || isnan(v) || isnan(se)) {
        if (qs && e->status == SOCIND_OK) e->status = qs;
        socind__check_finite(e);
        return;
    }
    /* a quantile beyond DBL_MAX still gives exact limits when se = 0
       (q·se = 0) and for the logit interval when q·se/(v(1 − v)) is
       certainly past e^709 (its limits are then 0 and 1 to the last bit) */
    int infinite_q = qs == SOCIND_ERR_OVERFLOW;
    if (infinite_q) q = se == 0.0 ? 0.0 : INFINITY;
    if (is_prop && o->prop_ci == SOCIND_PROP_CI_LOGIT) {
        if (v <= 0.0) {
            e->ci_low = e->ci_high = 0.0;
        } else if (v >= 1.0) {
            e->ci_low = e->ci_high = 1.0;
        } else if (given && !isfinite(se_beta)) {
            /* a replicate's p̂_r at 0 or 1: β_r infinite, the variance of
               logit p̂ too, the interval all of (0, 1) */
            e->ci_low = 0.0, e->ci_high = 1.0;
        } else if (infinite_q && se != 0.0 &&
                   !((given ? se_beta : se / (v * (1.0 - v))) >= 1e-305)) {
            if (e->status == SOCIND_OK) e->status = SOCIND_ERR_OVERFLOW;
        } else {
            /* at the exact fit β̂ = logit p̂ (R's svyglm stops its IRLS within
               glm's tolerance of it: an artefact socind does not copy) */
            double eta = log(v / (1.0 - v));
            double half = given ? (se_beta == 0.0 ? 0.0 : q * se_beta) : q * se / (v * (1.0 - v));
            double lo = eta - half, hi = eta + half;
            e->ci_low = 1.0 / (1.0 + exp(-lo));
            e->ci_high = 1.0 / (1.0 + exp(-hi));
            clamp_to(v, &e->ci_low, &e->ci_high);
        }
    } else if (infinite_q && se != 0.0) {
        if (e->status == SOCIND_OK) e->status = SOCIND_ERR_OVERFLOW;
    } else {
        e->ci_low = v - q * se;
        e->ci_high = v + q * se;
    }
    socind__check_finite(e);
}

int32_t socind_prop_ci(double p, double se, double df, int64_t n, const socind_options *opts,
                       double *ci_low, double *ci_high) {
    socind__clear_detail();
    if (ci_low) *ci_low = NAN;
    if (ci_high) *ci_high = NAN;
    if (!ci_low || !ci_high)
        return socind__fail(SOCIND_ERR_NULL, "%s is NULL", ci_low ? "ci_high" : "ci_low");
    socind_options o;
    int32_t st = socind__resolve_options(opts, &o);
    if (st) return st;
    if (!(p >= 0.0 && p <= 1.0))
        return socind__fail(SOCIND_ERR_ARG, "p must be in [0, 1], got %g", p);
    if (!(se >= 0.0 && se <= DBL_MAX))
        return socind__fail(SOCIND_ERR_ARG, "se must be finite and >= 0, got %g", se);
    if (n < 1 && (o.prop_ci == SOCIND_PROP_CI_BETA || o.prop_ci == SOCIND_PROP_CI_LIKELIHOOD))
        return socind__fail(SOCIND_ERR_ARG, "n must be >= 1, got %lld", (long long)n);
    socind_estimate e;
    socind__estimate_nan(&e, SOCIND_OK);
    e.value = p;
    e.se = se;
    e.n = n;
    socind__fill_ci(&e, &o, df, 1);
    *ci_low = e.ci_low;
    *ci_high = e.ci_high;
    switch (e.status) {
    case SOCIND_OK:
        return SOCIND_OK;
    case SOCIND_ERR_DF:
        return socind__fail(SOCIND_ERR_DF, "df must be positive for a t interval, got %g", df);
    case SOCIND_ERR_RANGE:
        return socind__fail(SOCIND_ERR_RANGE,
                            "this interval method gives no interval at p = %g, se = %g, n = %lld "
                            "(R's svyciprop gives NA)",
                            p, se, (long long)n);
    default:
        return socind__fail(e.status, "a critical value or a limit exceeds the double range");
    }
}

int32_t socind_difference(const socind_estimate *a, const socind_estimate *b,
                          const socind_options *opts, socind_estimate *out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    socind__estimate_nan(out, SOCIND_ERR_ARG);
    if (!a || !b)
        return out->status = SOCIND_ERR_NULL,
               socind__fail(SOCIND_ERR_NULL, "%s is NULL", a ? "b" : "a");
    socind_options o;
    int32_t st = socind__resolve_options(opts, &o);
    if (st) return out->status = st, st;
    const socind_estimate *e[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (!isfinite(e[i]->value) || !isfinite(e[i]->se) || e[i]->se < 0)
            return socind__fail(SOCIND_ERR_ARG,
                                "estimate %s has value %g and se %g; both must be "
                                "finite (se >= 0)",
                                i ? "b" : "a", e[i]->value, e[i]->se);
        if (e[i]->n < 0)
            return socind__fail(SOCIND_ERR_ARG, "estimate %s has n = %lld; n must be >= 0",
                                i ? "b" : "a", (long long)e[i]->n);
        if (o.ci_dist == SOCIND_CI_T && !(e[i]->df > 0))
            return out->status = SOCIND_ERR_DF,
                   socind__fail(SOCIND_ERR_DF, "estimate %s has df %g; a t interval needs df > 0",
                                i ? "b" : "a", e[i]->df);
    }
    out->status = SOCIND_OK;
    out->value = b->value - a->value;
    out->se = hypot(a->se, b->se); /* √(se_a² + se_b²) without overflow */
    out->weight_sum = a->weight_sum + b->weight_sum;
    out->n = a->n > INT64_MAX - b->n ? INT64_MAX : a->n + b->n;
    socind__fill_ci(out, &o, a->df + b->df, 0);
    if (out->status != SOCIND_OK) {
        double v = out->value, se = out->se;
        socind__estimate_nan(out, SOCIND_ERR_OVERFLOW);
        return socind__fail(SOCIND_ERR_OVERFLOW,
                            "the difference (%g), its se (%g) or its interval exceeds the "
                            "double range",
                            v, se);
    }
    return SOCIND_OK;
}
