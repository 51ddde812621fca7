/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/replicate.c — replicate-weight designs (socind/replicate.h): building
 * them from the caller's weights or factors or from the design's strata and
 * PSUs (JK1, JKn, BRR with survey's Hadamard matrices, Fay, bootstrap,
 * subbootstrap), their degrees of freedom (survey's rank − 1), and
 * the loop every estimator runs in on such a design (internal.h's
 * SOCIND__REPLICATED): the full sample, then each replicate through the
 * same estimator, combined by survey's svrVar. */
#include <float.h>
#include <gsl/gsl_rng.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "socind/replicate.h"

struct rep_form;

struct socind__rep {
    int32_t type, mse;
    size_t R;
    double scale, fay_rho, degf;
    int degf_given;        /* degf the caller's: kept for every domain */
    double *rscales;       /* R */
    double *f;             /* factors per PSU, replicate-major: f[r·npsu + p]; or NULL */
    double *W;             /* weights per row, replicate-major: W[r·n + k]; or NULL */
    struct rep_form *form; /* R: each column's form (build_forms), or NULL */
    int form_strata;       /* some column's form sets a stratum apart */
};

void socind__rep_free(struct socind__rep *rep) {
    if (!rep) return;
    free(rep->rscales);
    free(rep->f);
    free(rep->W);
    free(rep->form);
    free(rep);
}

#define REP_OPTIONS_V1_SIZE sizeof(socind_replicate_options)

int32_t socind_replicate_options_init(socind_replicate_options *opts) {
    int32_t st = socind__init_sized(opts, sizeof *opts, "opts");
    if (st) return st;
    opts->type = SOCIND_REP_OTHER;
    opts->mse = 0;
    opts->scale = NAN;
    opts->fay_rho = NAN;
    opts->degf = NAN;
    opts->replicates = 50;
    opts->seed = 20250321u;
    return SOCIND_OK;
}

static int32_t resolve_opts(const socind_replicate_options *in, socind_replicate_options *o) {
    socind_replicate_options_init(o);
    if (!in) return SOCIND_OK;
    int32_t st =
        socind__check_sized(in, REP_OPTIONS_V1_SIZE, sizeof *in, "socind_replicate_options");
    if (st) return st;
    memcpy(o, in, sizeof *o);
    o->size = sizeof *o;
    if (o->type < 0 || o->type >= SOCIND_REP_TYPE_COUNT)
        return socind__fail(SOCIND_ERR_ARG, "replicate type %" PRId32 " is unknown", o->type);
    if (o->mse != 0 && o->mse != 1)
        return socind__fail(SOCIND_ERR_ARG, "mse is %" PRId32 "; it must be 0 or 1", o->mse);
    if (!isnan(o->scale) && !(o->scale > 0.0 && isfinite(o->scale)))
        return socind__fail(SOCIND_ERR_ARG,
                            "scale is %g; it must be finite and > 0 (NaN: the type's)", o->scale);
    if (!isnan(o->fay_rho) && !(o->fay_rho >= 0.0 && o->fay_rho < 1.0))
        return socind__fail(SOCIND_ERR_ARG, "fay_rho is %g; it must be in [0, 1)", o->fay_rho);
    if (!isnan(o->degf) && !(o->degf > 0.0 && isfinite(o->degf)))
        return socind__fail(SOCIND_ERR_ARG, "degf is %g; it must be finite and > 0 (NaN: rank - 1)",
                            o->degf);
    if (o->reserved != 0) return socind__fail(SOCIND_ERR_ARG, "reserved is not 0");
    return SOCIND_OK;
}

/* A deep copy of d's arrays (a replicate design owns its full-sample design). */
static socind_design *copy_design(const socind_design *d) {
    socind_design *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    *c = *d;
    c->rep = NULL;
    c->rep_view = 0;
    c->w = NULL, c->row_psu = NULL, c->psu_stratum = NULL, c->stratum_npsu = NULL;
    c->stratum_f = NULL, c->stratum_scale = NULL, c->stratum_id = NULL, c->psu_end = NULL;
    const size_t n = d->n, P = d->npsu, H = d->nstrata;
#define DUP(field, count)                                                                          \
    do {                                                                                           \
        c->field = malloc(((count) ? (count) : 1) * sizeof *c->field);                             \
        if (!c->field) goto fail;                                                                  \
        memcpy(c->field, d->field, (count) * sizeof *c->field);                                    \
    } while (0)
    DUP(w, n);
    DUP(row_psu, n);
    DUP(psu_stratum, P);
    DUP(stratum_npsu, H);
    DUP(stratum_f, H);
    DUP(stratum_scale, H);
    DUP(stratum_id, H);
    if (d->psu_end) DUP(psu_end, P);
#undef DUP
    return c;
fail:
    socind_design_free(c);
    return NULL;
}

/* ---- degrees of freedom: rank − 1 ---- */

/* survey's degf for a replicate design is qr(A, tol = 1e-5)$rank − 1, A the
 * n × R matrix of analysis weights (w_r,k in row k, column r). R's qr() is
 * LINPACK's dqrdc2: the columns in order, column j set aside as dependent
 * when the norm left of it after projecting out the columns kept before it
 * is below tol times its own norm (a column of norm 0 always), the rank the
 * columns kept (at most n). The general computation (qr_rank) applies the
 * rule as dqrdc2 does, on norms, by Householder reflections; the
 * one-deletion forms (JK1, JKn) apply it to the Schur complements of
 * AᵀA, which the rule depends on alone (h_j, the squared norm left of
 * column j, kept iff h_j >= tol²·|a_j|²), handing a column whose decision
 * there may be rounding's to the general computation. All stop once the
 * rank reaches the number of nonzero rows of A (PSUs of positive weight
 * for factors per PSU, whose rows are multiples of one row): no column
 * after that can add to the span. */
#define DEGF_TOL 1e-5

SOCIND__TEST_SWITCH_DEFINE(socind__rep_degf_general);
SOCIND__TEST_SWITCH_DEFINE(socind__rep_degf_path);
SOCIND__TEST_SWITCH_DEFINE(socind__rep_degf_form_qr);

/* 2^-e, e the exponent of x (2^(e-1) <= x < 2^e; 1 for x = 0): an exact
 * scale that keeps squares of values up to x from overflowing. */
static double pow2_below(double x) {
    return ldexp(1.0, -socind__exponent(x));
}

/* Whether the rule's decision on a column, kept iff rem >= tol²·orig, may
 * be rounding's: rem a Schur complement computed as a sum of terms whose
 * magnitudes (and those of what was subtracted to make them) add up to
 * mag, with k terms. Where the column keeps little of its norm beside
 * those terms (one PSU holding nearly all of Σ w², the column deleting it),
 * rem is a difference of numbers far larger than itself: the decision is
 * then left to the general computation. */
static int degf_unsure(double rem, double orig, double mag, size_t k) {
    return fabs(rem - DEGF_TOL * DEGF_TOL * orig) <= 0x1p-42 * (double)(k + 2) * mag;
}

/* degf_unsure for a rem computed in long double: the same margin, 2^11
 * units of rounding a term, in long double's units (double's where long
 * double is double). The double margin is about the rule's threshold
 * itself (1e-10·orig) once mag/orig reaches 4·10⁷/(k + 2): with more than
 * some 50 strata every column with nothing left (a stratum's last PSU
 * deleted, all its PSUs in a domain) would otherwise be unsure. */
static int ld_unsure(long double rem, double orig, double mag, size_t k) {
    const long double margin = (long double)LDBL_EPSILON * 0x1p10L * (long double)(k + 2) * mag;
    return fabsl(rem - (long double)(DEGF_TOL * DEGF_TOL * orig)) <= margin;
}

/* Σ x_i² of m values (each at most 1 in magnitude: no overflow). */
static double sumsq(const double *x, size_t m) {
    double t = 0.0;
    for (size_t i = 0; i < m; i++) t += x[i] * x[i];
    return t;
}

/* R's rule on the m × R matrix X (column-major, X[j·m + i]; overwritten),
 * norm0[j] the norm of its column j: dqrdc2's Householder reduction with
 * its limited pivoting. At step l (l columns kept) column j is kept iff
 * the norm of X[l .. m), j] — what is left of it after the l reflections
 * of the columns kept — is at least tol·norm0[j]; a kept column's
 * reflection is then applied to the columns after it. dqrdc2 downdates
 * those norms and recomputes them when they have lost 3 digits; here they
 * are computed afresh, the error of each within a small multiple of
 * ε·norm0[j]·(1 + the size of its coefficients on the columns kept).
 * Stops once the rank reaches cap (<= m). O(m·R·rank). */
static size_t qr_rank(double *X, size_t m, size_t R, const double *norm0, size_t cap) {
    size_t l = 0;
    for (size_t j = 0; j < R && l < cap; j++) {
        double *x = X + j * m + l;
        const double rem = sqrt(sumsq(x, m - l));
        if (!(norm0[j] > 0.0) || !(rem >= DEGF_TOL * norm0[j])) continue;
        l++;
        if (l == cap) break;
        /* reflection H = I − vvᵀ/(rem·(rem + |x_0|)), v = x + sign(x_0)·rem·e_0,
           taking x to −sign(x_0)·rem·e_0 */
        const double alpha = x[0] >= 0.0 ? rem : -rem;
        x[0] += alpha;
        const double beta = 1.0 / (alpha * x[0]);
        for (size_t c = j + 1; c < R; c++) {
            double *y = X + c * m + (l - 1);
            double dot = 0.0;
            for (size_t i = 0; i < m - l + 1; i++) dot += x[i] * y[i];
            const double t = dot * beta;
            if (t == 0.0) continue;
            for (size_t i = 0; i < m - l + 1; i++) y[i] -= t * x[i];
        }
    }
    return l;
}

/* T, R × R upper triangular (column-major), becomes the triangular factor
 * of [T; B], B the b × R block (column-major, overwritten): Householder
 * reflections on T's row j and B's rows, column by column. O(b·R²). */
static void qr_fold(double *T, double *B, size_t b, size_t R) {
    for (size_t j = 0; j < R; j++) {
        double *bj = B + j * b;
        const double bn = sumsq(bj, b);
        if (bn == 0.0) continue;
        const double t0 = T[j * R + j];
        const double nrm = sqrt(t0 * t0 + bn);
        if (nrm < 0x1p-500) {
            /* a column left with rounding's leftovers of the columns
               before it (a dependent column): its reflection would divide
               by nrm² (1/(α·v0) overflowing where nrm is near 1e-155, the
               NaN then spreading over every later column). Its residual
               is dropped instead (its coefficients on the columns before
               it stay in T; the later columns keep their own row j):
               the columns are scaled so that their largest value is in
               [1/2, 1), and the rule keeps a column only with a norm left
               of at least 1e-5/2, so this changes no decision of qr_rank,
               which makes them all */
            T[j * R + j] = 0.0;
            memset(bj, 0, b * sizeof *bj);
            continue;
        }
        const double alpha = t0 >= 0.0 ? nrm : -nrm;
        const double v0 = t0 + alpha, beta = 1.0 / (alpha * v0);
        T[j * R + j] = -alpha;
        for (size_t c = j + 1; c < R; c++) {
            double *bc = B + c * b;
            double dot = v0 * T[c * R + j];
            for (size_t i = 0; i < b; i++) dot += bj[i] * bc[i];
            const double t = dot * beta;
            if (t == 0.0) continue;
            T[c * R + j] -= t * v0;
            for (size_t i = 0; i < b; i++) bc[i] -= t * bj[i];
        }
    }
}

/* Factors per PSU, F[p, r] = c_r + g_r·[p = q_r] on the PSUs of positive
 * weight, the q_r of the columns with g_r != 0 distinct (a jackknife of
 * one stratum: c_r = N/(N − 1), g_r = −c_r; a column equal on every PSU).
 * With s_p = Σ_{k in p} w_k² (A's rows of PSU p are w_k·F[p, ·]) and
 * S = Σ s_p, G = S·uuᵀ + utᵀ + tuᵀ + diag(g_r² s_q_r), u_r = c_r,
 * t_r = g_r s_q_r: diagonal plus rank 2, so each Schur complement is
 * diag + [u t]·M·[u t]ᵀ with M 2 × 2, updated in O(1) per column kept.
 * Returns the rank, or SIZE_MAX when the factors are not of this form
 * (NOMEM: SIZE_MAX − 1). O(PSUs·R). */
static size_t jk1_rank(const double *f, size_t P, size_t R, const double *s, size_t cap) {
    double S = 0.0;
    size_t first = SIZE_MAX;
    for (size_t p = 0; p < P; p++)
        if (s[p] > 0.0) {
            S += s[p];
            if (first == SIZE_MAX) first = p;
        }
    if (first == SIZE_MAX) return 0;
    size_t *owner = malloc(P * sizeof *owner);
    if (!owner) return SIZE_MAX - 1;
    for (size_t p = 0; p < P; p++) owner[p] = SIZE_MAX;
    double m00 = S, m01 = 1.0, m11 = 0.0;
    double a00 = S, a01 = 1.0, a11 = 0.0; /* M's magnitudes, with what was subtracted */
    size_t rank = 0;
    for (size_t r = 0; r < R && rank < cap; r++) {
        const double *fr = f + r * P;
        /* the common value: the first PSU's, unless that PSU is the exception */
        double c = fr[first];
        size_t q = SIZE_MAX, nx = 0;
        for (size_t p = first + 1; p < P && nx < 2; p++)
            if (s[p] > 0.0 && fr[p] != c) nx++, q = p;
        if (nx == 2) {
            c = fr[q], q = first, nx = 1;
            for (size_t p = first + 1; p < P && nx < 2; p++)
                if (s[p] > 0.0 && fr[p] != c) nx = 2;
        }
        if (nx == 2 || (nx == 1 && owner[q] != SIZE_MAX)) {
            free(owner);
            return SIZE_MAX;
        }
        if (nx) owner[q] = r;
        const double z = nx ? fr[q] : c;
        const double sc = pow2_below(fmax(fabs(c), fabs(z)));
        const double u = c * sc, g = (z - c) * sc;
        const double t = nx ? g * s[q] : 0.0, dg = nx ? g * g * s[q] : 0.0;
        double orig = 0.0; /* |a_r|², summed (S·u² + 2ut + dg would cancel) */
        for (size_t p = first; p < P; p++) {
            const double x = fr[p] * sc;
            orig += s[p] * x * x;
        }
        const double mu0 = m00 * u + m01 * t, mu1 = m01 * u + m11 * t;
        const double rem = dg + u * mu0 + t * mu1;
        if (!(orig > 0.0)) continue;
        const double mag = fabs(dg) + a00 * u * u + 2.0 * a01 * fabs(u * t) + a11 * t * t;
        if (degf_unsure(rem, orig, mag, 2)) {
            free(owner);
            return SIZE_MAX;
        }
        if (!(rem >= DEGF_TOL * DEGF_TOL * orig)) continue;
        rank++;
        m00 -= mu0 * mu0 / rem, m01 -= mu0 * mu1 / rem, m11 -= mu1 * mu1 / rem;
        a00 += mu0 * mu0 / rem, a01 += fabs(mu0 * mu1) / rem, a11 += mu1 * mu1 / rem;
    }
    free(owner);
    return rank;
}

/* The same with one value per stratum: F[p, r] = α_r,h(p) + g_r·[p = q_r]
 * on the PSUs of positive weight, the q_r distinct (a stratified jackknife,
 * JKn: α_r,h = 1 outside the deleted PSU's stratum, n_h/(n_h − 1) in it).
 * With S_h = Σ_{p in h} s_p and τ_r = t_r·e_h(q_r), G_rs = Σ_h S_h α_r,h
 * α_s,h + α_rᵀτ_s + τ_rᵀα_s + [r = s] g_r² s_q_r: diagonal plus rank 2H, so
 * M is 2H × 2H, O(H²) a column. Returns as jk1_rank. O(R·(PSUs + H²)). */
static size_t jkn_rank(const double *f, const int32_t *stratum, size_t P, size_t H, size_t R,
                       const double *s, size_t cap) {
    const size_t K = 2 * H;
    double *M = calloc(K * K, sizeof *M), *y = malloc(K * sizeof *y), *my = malloc(K * sizeof *my);
    double *Ma = malloc(K * K * sizeof *Ma); /* M's magnitudes, with what was subtracted */
    double *alpha = malloc(H * sizeof *alpha);
    size_t *owner = malloc((P ? P : 1) * sizeof *owner);
    unsigned char *seen = malloc(H ? H : 1);
    if (!M || !y || !my || !alpha || !owner || !seen || !Ma) {
        free(M), free(y), free(my), free(alpha), free(owner), free(seen), free(Ma);
        return SIZE_MAX - 1;
    }
    for (size_t p = 0; p < P; p++) {
        owner[p] = SIZE_MAX;
        M[(size_t)stratum[p] * K + (size_t)stratum[p]] += s[p];
    }
    for (size_t h = 0; h < H; h++) M[h * K + H + h] = M[(H + h) * K + h] = 1.0;
    for (size_t i = 0; i < K * K; i++) Ma[i] = fabs(M[i]);
    size_t rank = 0, result = SIZE_MAX;
    for (size_t r = 0; r < R && rank < cap; r++) {
        const double *fr = f + r * P;
        /* each stratum's value: its first PSU's; then the one exception, if
           any (a stratum's first PSU the exception: its second PSU's value) */
        memset(seen, 0, H);
        size_t q = SIZE_MAX, nx = 0;
        for (size_t p = 0; p < P && nx < 2; p++) {
            if (!(s[p] > 0.0)) continue;
            const size_t h = (size_t)stratum[p];
            if (!seen[h]) {
                seen[h] = 1, alpha[h] = fr[p];
            } else if (fr[p] != alpha[h]) {
                size_t first = SIZE_MAX, count = 0;
                for (size_t p2 = 0; p2 < p; p2++)
                    if (s[p2] > 0.0 && (size_t)stratum[p2] == h) {
                        if (first == SIZE_MAX) first = p2;
                        count++;
                    }
                if (count == 1) { /* p is the second: either may be the exception */
                    size_t p3 = p + 1;
                    while (p3 < P && !(s[p3] > 0.0 && (size_t)stratum[p3] == h)) p3++;
                    if (p3 < P && fr[p3] == fr[p]) {
                        q = first, alpha[h] = fr[p];
                    } else {
                        q = p;
                    }
                } else {
                    q = p;
                }
                nx++;
            }
        }
        if (nx == 1) /* the exception stands: every other PSU matches its stratum */
            for (size_t p = 0; p < P && nx < 2; p++)
                if (s[p] > 0.0 && p != q && fr[p] != alpha[stratum[p]]) nx = 2;
        if (nx == 2 || (nx == 1 && owner[q] != SIZE_MAX)) goto done;
        if (nx) owner[q] = r;
        double mx = 0.0;
        for (size_t h = 0; h < H; h++)
            if (seen[h])
                mx = fmax(mx, fabs(alpha[h]));
            else
                alpha[h] = 0.0;
        if (nx) mx = fmax(mx, fabs(fr[q]));
        const double sc = pow2_below(mx);
        for (size_t h = 0; h < H; h++) y[h] = alpha[h] * sc, y[H + h] = 0.0;
        double dg = 0.0;
        if (nx) {
            const double g = (fr[q] - alpha[stratum[q]]) * sc;
            y[H + (size_t)stratum[q]] = g * s[q];
            dg = g * g * s[q];
        }
        double orig = 0.0;
        for (size_t p = 0; p < P; p++) {
            const double x = fr[p] * sc;
            orig += s[p] * x * x;
        }
        double rem = dg, mag = fabs(dg);
        for (size_t a = 0; a < K; a++) {
            double v = 0.0, va = 0.0;
            for (size_t b = 0; b < K; b++)
                v += M[a * K + b] * y[b], va += Ma[a * K + b] * fabs(y[b]);
            my[a] = v;
            rem += y[a] * v;
            mag += fabs(y[a]) * va;
        }
        if (!(orig > 0.0)) continue;
        if (degf_unsure(rem, orig, mag, K)) goto done;
        if (!(rem >= DEGF_TOL * DEGF_TOL * orig)) continue;
        rank++;
        for (size_t a = 0; a < K; a++) {
            const double c = my[a] / rem;
            if (c == 0.0) continue;
            for (size_t b = 0; b < K; b++)
                M[a * K + b] -= c * my[b], Ma[a * K + b] += fabs(c * my[b]);
        }
    }
    result = rank;
done:
    free(M), free(y), free(my), free(alpha), free(owner), free(seen), free(Ma);
    return result;
}

/* ---- the rank of a subset's rows from each column's form ---- */

/* Each column's form over the PSUs of positive weight (build_forms): F[p,
 * r] = beta on every PSU, alpha on those of stratum h (−1: none), z on PSU
 * q (SIZE_MAX: none) — a jackknife's columns (JK1: beta = N/(N − 1), z =
 * 0; JKn: beta = 1, alpha = n_h/(n_h − 1) in the deleted PSU's stratum). */
struct rep_form {
    double beta, alpha, z;
    int32_t h;
    size_t q;
};

/* A stratum's values in one column (column_form): the first, val (cnt
 * PSUs, the first at firstp), and another, alt (altcnt PSUs, one at altp);
 * stamp the column's number + 1 when set for that column. */
typedef struct {
    double val, alt;
    size_t cnt, altcnt, firstp, altp, stamp;
} form_cell;

/* The form of column fr over the PSUs with pos[p] (per stratum the value
 * of all its PSUs but at most one, that one PSU in the whole column; every
 * stratum's value but one's the same), into *o. Scratch of H entries.
 * 0 when the column has no such form. O(P + H). */
static int column_form(const double *fr, const unsigned char *pos, const int32_t *stratum, size_t P,
                       size_t H, form_cell *cell, size_t stamp, struct rep_form *o) {
    for (size_t p = 0; p < P; p++) {
        if (!pos[p]) continue;
        form_cell *c = cell + stratum[p];
        if (c->stamp != stamp) {
            c->stamp = stamp, c->val = fr[p], c->cnt = 1, c->altcnt = 0, c->firstp = p;
        } else if (fr[p] == c->val) {
            c->cnt++;
        } else if (c->altcnt == 0) {
            c->alt = fr[p], c->altcnt = 1, c->altp = p;
        } else if (fr[p] == c->alt) {
            c->altcnt++;
        } else {
            return 0; /* a third value in a stratum */
        }
    }
    /* each stratum's value and the exception, if any */
    o->q = SIZE_MAX, o->h = -1;
    int32_t hq = -1;
    double v1 = 0.0, v2 = 0.0;
    size_t c1 = 0, c2 = 0;
    int32_t h1 = -1, h2 = -1;
    for (size_t h = 0; h < H; h++) {
        form_cell *c = cell + h;
        if (c->stamp != stamp) continue;
        double a = c->val;
        size_t q = SIZE_MAX;
        double z = 0.0;
        if (c->altcnt == 0) {
            /* one value */
        } else if (c->cnt >= 2 && c->altcnt >= 2) {
            return 0;
        } else if (c->cnt == 1 && c->altcnt == 1) {
            /* two PSUs of two values: the exception the smaller in size
               (a deletion's 0) */
            if (fabs(c->val) == fabs(c->alt)) return 0;
            const int first = fabs(c->val) < fabs(c->alt);
            q = first ? c->firstp : c->altp;
            z = first ? c->val : c->alt;
            a = first ? c->alt : c->val;
        } else if (c->cnt == 1) {
            q = c->firstp, z = c->val, a = c->alt;
        } else {
            q = c->altp, z = c->alt;
        }
        if (q != SIZE_MAX) {
            if (o->q != SIZE_MAX) return 0; /* two exceptions */
            o->q = q, o->z = z, hq = (int32_t)h;
        }
        if (c1 == 0 || a == v1) {
            if (c1++ == 0) v1 = a, h1 = (int32_t)h;
        } else if (c2 == 0 || a == v2) {
            if (c2++ == 0) v2 = a, h2 = (int32_t)h;
        } else {
            return 0; /* three values among the strata */
        }
    }
    if (c1 == 0) return 0;
    o->beta = v1, o->alpha = v1;
    if (c2 == 0) return 1;
    if (c1 >= 2 && c2 >= 2) return 0;
    /* the one stratum apart: the one of count 1 (of two such, the
       exception's, else the second) */
    const int second = c2 == 1 && !(c1 == 1 && hq == h1);
    o->h = second ? h2 : h1;
    o->alpha = second ? v2 : v1;
    o->beta = second ? v1 : v2;
    return 1;
}

/* rep->form: every column's form, or NULL when some column has none or
 * two share their exception PSU (then the rank of a subset takes the
 * computations of the whole design's). O(R·(PSUs + H)). 0 or
 * SOCIND_ERR_NOMEM. */
static int32_t build_forms(const socind_design *d, struct socind__rep *rep) {
    const size_t R = rep->R, P = d->npsu, H = d->nstrata;
    unsigned char *pos = calloc(P ? P : 1, 1);
    form_cell *cell = calloc(H ? H : 1, sizeof *cell);
    size_t *owner = malloc((P ? P : 1) * sizeof *owner);
    struct rep_form *form = malloc(R * sizeof *form);
    if (!pos || !cell || !owner || !form) {
        free(pos), free(cell), free(owner), free(form);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    for (size_t k = 0; k < d->n; k++)
        if (d->w[k] > 0.0) pos[d->row_psu[k]] = 1;
    for (size_t p = 0; p < P; p++) owner[p] = SIZE_MAX;
    int ok = 1, strata = 0;
    for (size_t r = 0; r < R && ok; r++) {
        ok = column_form(rep->f + r * P, pos, d->psu_stratum, P, H, cell, r + 1, form + r);
        if (!ok) break;
        const size_t q = form[r].q;
        if (q != SIZE_MAX) {
            if (owner[q] != SIZE_MAX) ok = 0;
            owner[q] = r;
        }
        strata |= form[r].h >= 0;
    }
    free(pos), free(cell), free(owner);
    if (!ok) {
        free(form);
        form = NULL;
    }
    rep->form = form;
    rep->form_strata = strata;
    return SOCIND_OK;
}

typedef struct {
    size_t psu, row;
    double s;
} psu_sum;

static int psu_sum_cmp(const void *a, const void *b) {
    const psu_sum *x = a, *y = b;
    if (x->psu != y->psu) return (x->psu > y->psu) - (x->psu < y->psu);
    return (x->row > y->row) - (x->row < y->row);
}

typedef struct {
    int32_t id; /* the design's stratum */
    size_t h;   /* its number among the rows' strata */
} stratum_at;

static int stratum_at_cmp(const void *a, const void *b) {
    const stratum_at *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* The columns form_rank looks at, on a subset's m PSUs (u, ascending; hc
 * their strata 0 .. H_D − 1, ex the sum of s over the other PSUs of their
 * stratum, S each stratum's): column col[j], its exception among the PSUs
 * cq[j] and its stratum apart cha[j] (SIZE_MAX: none). */
typedef struct {
    const struct socind__rep *rep;
    const psu_sum *u;
    const size_t *hc;
    const double *ex, *S;
    size_t m, HD;
    const size_t *col, *cq, *cha;
    size_t c;
} form_cols;

/* jkn_rank's rule on the columns of fc, its 2H_D × 2H_D Schur complements
 * computed in T (double or long double), UNSURE its doubt (PATH into
 * socind__rep_degf_path): the rank,
 * SIZE_MAX where a decision may be rounding's, SIZE_MAX − 1 for NOMEM.
 * A column's values are nonzero on the H_D strata and its exception's
 * place alone: M·y reads those columns of M. O(c·H_D² + rank·H_D²). */
#define SCHUR_RANK(NAME, T, ABS, UNSURE, PATH)                                                     \
    static size_t NAME(const form_cols *fc) {                                                      \
        const size_t m = fc->m, HD = fc->HD, K = 2 * HD;                                           \
        T *M = calloc(K * K, sizeof *M), *y = malloc(K * sizeof *y), *my = malloc(K * sizeof *my); \
        double *Ma = malloc(K * K * sizeof *Ma);                                                   \
        size_t *nz = malloc((HD + 1) * sizeof *nz), rank = SIZE_MAX - 1;                           \
        if (!M || !y || !my || !Ma || !nz) goto out;                                               \
        for (size_t h = 0; h < HD; h++) {                                                          \
            M[h * K + h] = fc->S[h];                                                               \
            M[h * K + HD + h] = M[(HD + h) * K + h] = 1.0;                                         \
        }                                                                                          \
        for (size_t i = 0; i < K * K; i++) Ma[i] = (double)ABS(M[i]);                              \
        rank = 0;                                                                                  \
        for (size_t j = 0; j < fc->c && rank < m; j++) {                                           \
            const struct rep_form *fo = fc->rep->form + fc->col[j];                                \
            const size_t qi = fc->cq[j], ha = fc->cha[j];                                          \
            double mx = ha != SIZE_MAX ? fabs(fo->alpha) : 0.0;                                    \
            if (ha == SIZE_MAX || HD > 1) mx = fmax(mx, fabs(fo->beta));                           \
            if (qi != SIZE_MAX) mx = fmax(mx, fabs(fo->z));                                        \
            const double sc = pow2_below(mx);                                                      \
            size_t nnz = 0;                                                                        \
            for (size_t h = 0; h < HD; h++) {                                                      \
                y[h] = (h == ha ? fo->alpha : fo->beta) * sc, y[HD + h] = 0.0;                     \
                if (y[h] != 0.0) nz[nnz++] = h;                                                    \
            }                                                                                      \
            double dg = 0.0, orig = 0.0;                                                           \
            for (size_t h = 0; h < HD; h++)                                                        \
                if (qi == SIZE_MAX || h != fc->hc[qi]) orig += fc->S[h] * (double)(y[h] * y[h]);   \
            if (qi != SIZE_MAX) {                                                                  \
                const size_t hq = fc->hc[qi];                                                      \
                const double zs = fo->z * sc, g = zs - (double)y[hq], sq = fc->u[qi].s;            \
                y[HD + hq] = g * sq;                                                               \
                nz[nnz++] = HD + hq;                                                               \
                dg = g * g * sq;                                                                   \
                orig += fc->ex[qi] * (double)(y[hq] * y[hq]) + sq * zs * zs;                       \
            }                                                                                      \
            T rem = dg;                                                                            \
            double mag = fabs(dg);                                                                 \
            for (size_t a = 0; a < K; a++) {                                                       \
                T v = 0.0;                                                                         \
                double va = 0.0;                                                                   \
                for (size_t e = 0; e < nnz; e++) {                                                 \
                    const size_t b = nz[e];                                                        \
                    v += M[a * K + b] * y[b], va += Ma[a * K + b] * (double)ABS(y[b]);             \
                }                                                                                  \
                my[a] = v;                                                                         \
                rem += y[a] * v;                                                                   \
                mag += (double)ABS(y[a]) * va;                                                     \
            }                                                                                      \
            if (!(orig > 0.0)) continue;                                                           \
            if (UNSURE(rem, orig, mag, K)) {                                                       \
                rank = SIZE_MAX;                                                                   \
                break;                                                                             \
            }                                                                                      \
            if (!(rem >= DEGF_TOL * DEGF_TOL * orig)) continue;                                    \
            rank++;                                                                                \
            /* what is subtracted carries rem's rounding (relative: up to                          \
               mag/rem of its units): its magnitude counted that many times */                     \
            const double k1 = 1.0 + mag / (double)rem;                                             \
            for (size_t a = 0; a < K; a++) {                                                       \
                const T t = my[a] / rem;                                                           \
                if (t == 0.0) continue;                                                            \
                for (size_t b = 0; b < K; b++) {                                                   \
                    const T v = t * my[b];                                                         \
                    M[a * K + b] -= v, Ma[a * K + b] += k1 * (double)ABS(v);                       \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
        if (rank < SIZE_MAX - 1) SOCIND__TEST_RECORD(socind__rep_degf_path, PATH);                 \
    out:                                                                                           \
        free(M), free(y), free(my), free(Ma), free(nz);                                            \
        return rank;                                                                               \
    }
SCHUR_RANK(schur_rank_d, double, fabs, degf_unsure, 4)
SCHUR_RANK(schur_rank_ld, long double, fabsl, ld_unsure, 6)
#undef SCHUR_RANK

/* The rank of A over the rows it[0 .. nr) from the columns' forms, on
 * those rows' PSUs and strata alone (one stratum when no column sets one
 * apart), each column's values there read from its form. A column equal
 * there to one before it up to a factor (no exception among those PSUs: a
 * constant, or the same two values in and out of a stratum) has nothing
 * left once that one was looked at and is passed over, so c <= m + H_D + 1
 * columns are looked at, m the rows' PSUs, H_D their strata. The rule on
 * them as jkn_rank applies it (O(c·H_D²)) when that is the cheaper, and
 * as qr_rank does (O(m·c·min(m, c)), 8·m·c bytes: at most the design's
 * factors) otherwise or where a decision there may be rounding's. Returns
 * the rank, or SIZE_MAX − 1 for NOMEM. */
static size_t form_rank(const socind_design *d, const struct socind__rep *rep,
                        const socind__item *it, size_t nr, double ws) {
    const size_t R = rep->R;
    psu_sum *u = malloc((nr ? nr : 1) * sizeof *u);
    if (!u) return SIZE_MAX - 1;
    size_t m = 0;
    for (size_t i = 0; i < nr; i++) {
        const size_t k = it[i].row;
        const double v = d->w[k] * ws;
        if (v * v > 0.0) u[m++] = (psu_sum){(size_t)d->row_psu[k], k, v * v};
    }
    /* each PSU once (ascending: a stratum's PSUs together), its s summed
       over its rows in row order */
    qsort(u, m, sizeof *u, psu_sum_cmp);
    size_t np = 0;
    for (size_t i = 0; i < m; i++) {
        if (np && u[np - 1].psu == u[i].psu)
            u[np - 1].s += u[i].s;
        else
            u[np++] = u[i];
    }
    m = np;
    if (m == 0) {
        free(u);
        return 0;
    }
    /* the PSUs' strata, numbered 0 .. H_D − 1 in order; S_h their sums of
       s; ex[i] the sum of the other PSUs of PSU i's stratum (added, not
       taken away: no cancellation) */
    const int strata = rep->form_strata;
    size_t HD = 1;
    for (size_t i = 1; i < m && strata; i++)
        HD += d->psu_stratum[u[i].psu] != d->psu_stratum[u[i - 1].psu];
    const size_t K = 2 * HD;
    size_t *hc = malloc(m * sizeof *hc), *col = malloc(R * sizeof *col);
    size_t *cq = malloc(R * sizeof *cq), *cha = malloc(R * sizeof *cha);
    stratum_at *hid = malloc(HD * sizeof *hid);
    double *ex = malloc(m * sizeof *ex), *S = calloc(HD, sizeof *S);
    /* the pair (beta, alpha) of the column looked at for each stratum apart */
    double *cb = malloc(HD * sizeof *cb), *ca = malloc(HD * sizeof *ca);
    unsigned char *cset = calloc(HD, 1);
    double *X = NULL, *norm0 = NULL;
    size_t result = SIZE_MAX - 1;
    if (!hc || !col || !cq || !cha || !hid || !ex || !S || !cb || !ca || !cset) goto done;
    for (size_t i = 0, h = 0; i < m; i++) {
        if (i && strata && d->psu_stratum[u[i].psu] != d->psu_stratum[u[i - 1].psu]) h++;
        hc[i] = h, hid[h] = (stratum_at){strata ? d->psu_stratum[u[i].psu] : -1, h};
    }
    qsort(hid, HD, sizeof *hid, stratum_at_cmp);
    for (size_t i = 0; i < m;) {
        size_t e = i;
        while (e < m && hc[e] == hc[i]) e++;
        double pre = 0.0;
        for (size_t j = i; j < e; j++) ex[j] = pre, pre += u[j].s;
        S[hc[i]] = pre;
        double suf = 0.0;
        for (size_t j = e; j-- > i;) ex[j] += suf, suf += u[j].s;
        i = e;
    }
    /* the columns to look at: col[j], with its exception among the PSUs
       (cq[j], SIZE_MAX: none) and its stratum apart among the strata
       (cha[j], SIZE_MAX: none) */
    size_t c = 0;
    int constant_seen = 0;
    for (size_t r = 0; r < R; r++) {
        const struct rep_form *fo = rep->form + r;
        size_t qi = SIZE_MAX;
        if (fo->q != SIZE_MAX) {
            size_t lo = 0, hi = m;
            while (lo < hi) {
                const size_t mid = lo + (hi - lo) / 2;
                if (u[mid].psu < fo->q)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < m && u[lo].psu == fo->q) qi = lo;
        }
        size_t ha = SIZE_MAX;
        if (strata && fo->h >= 0 && fo->alpha != fo->beta) {
            size_t lo = 0, hi = HD;
            while (lo < hi) {
                const size_t mid = lo + (hi - lo) / 2;
                if (hid[mid].id < fo->h)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < HD && hid[lo].id == fo->h) ha = hid[lo].h;
        }
        if (qi == SIZE_MAX) {
            if (ha != SIZE_MAX && HD > 1) {
                if (cset[ha] && cb[ha] == fo->beta && ca[ha] == fo->alpha) continue;
                if (!cset[ha]) cset[ha] = 1, cb[ha] = fo->beta, ca[ha] = fo->alpha;
            } else {
                /* a constant: 0 adds nothing; else the first stands for all */
                if (constant_seen || (ha != SIZE_MAX ? fo->alpha : fo->beta) == 0.0) continue;
                constant_seen = 1;
            }
        }
        col[c] = r, cq[c] = qi, cha[c] = ha, c++;
    }
    const size_t mc = m < c ? m : c;
    size_t rank = c ? SIZE_MAX : 0; /* no column left: every one 0 there */
    if (c &&
        ((8 * K * K <= m * mc && socind__rep_degf_form_qr != 1) || socind__rep_degf_form_qr == 2)) {
        /* jkn_rank's Schur complements on these strata: in double, in long
           double where a decision in double may be rounding's (ld_unsure;
           from the start with 53 strata or more, whose margin in double
           reaches a quarter of the rule's threshold for mag = orig), else,
           or where they would take longer than qr_rank, qr_rank */
        const form_cols fc = {rep, u, hc, ex, S, m, HD, col, cq, cha, c};
        rank = K + 2 < 108 ? schur_rank_d(&fc) : SIZE_MAX;
        if (rank == SIZE_MAX) rank = schur_rank_ld(&fc);
        if (rank == SIZE_MAX - 1) goto done;
        if (socind__rep_degf_form_qr == 1) rank = SIZE_MAX;
    }
    if (rank == SIZE_MAX) {
        /* qr_rank on the m × c values, PSU i's times √s_i, each column
           scaled by a power of 2 to a largest value in [1/2, 1) */
        if (c > (SIZE_MAX / sizeof(double) - 1) / m) goto done;
        X = malloc(m * c * sizeof *X), norm0 = malloc(c * sizeof *norm0);
        if (!X || !norm0) goto done;
        for (size_t i = 0; i < m; i++) ex[i] = sqrt(u[i].s); /* ex: now √s */
        for (size_t j = 0; j < c; j++) {
            const struct rep_form *fo = rep->form + col[j];
            double *x = X + j * m, mx = 0.0, fm = 0.0;
            for (size_t i = 0; i < m; i++) {
                x[i] = i == cq[j] ? fo->z : hc[i] == cha[j] ? fo->alpha : fo->beta;
                fm = fmax(fm, fabs(x[i]));
            }
            /* the factors scaled below 1 first: a factor near DBL_MAX
               times √s (up to √rows) would overflow */
            const double fs = pow2_below(fm);
            for (size_t i = 0; i < m; i++) {
                x[i] = x[i] * fs * ex[i];
                mx = fmax(mx, fabs(x[i]));
            }
            const double cs = pow2_below(mx);
            double t = 0.0;
            for (size_t i = 0; i < m; i++) x[i] *= cs, t += x[i] * x[i];
            norm0[j] = sqrt(t);
        }
        SOCIND__TEST_RECORD(socind__rep_degf_path, 5);
        rank = qr_rank(X, m, c, norm0, mc);
    }
    result = rank;
done:
    free(u), free(hc), free(col), free(cq), free(cha), free(hid), free(ex), free(S);
    free(cb), free(ca), free(cset), free(X), free(norm0);
    return result;
}

/* degf = rank − 1 of A (above): from the factors per PSU, A's rows of PSU p
 * being w_k·F[p, ·] (one row per PSU, F[p, ·]·√s_p, s_p = Σ_{k in p} w_k²);
 * or from the weights kept per row. Values are scaled by powers of 2
 * (exact; the rule is invariant under scaling a column or all rows) so
 * that no square overflows. The general computation's memory: 8·R·min(m,
 * 2R) bytes, m the nonzero rows. it NULL: A over all rows; else over the
 * rows it[0 .. nr) (their it[i].row), as survey's [.svyrep.design keeps
 * them (its degf recomputed on the subset). */
static int32_t rep_degf(const socind_design *d, const struct socind__rep *rep,
                        const socind__item *it, size_t nr, double *degf) {
    const size_t R = rep->R, P = d->npsu, n = d->n;
    const size_t nrow = rep->f ? P : n, nk = it ? nr : n;
#define ROW(i) (it ? it[i].row : (i))
    double wmax = 0.0;
    for (size_t i = 0; i < nk; i++) wmax = fmax(wmax, d->w[ROW(i)]);
    const double ws = pow2_below(wmax);
    if (it && rep->form && !socind__rep_degf_general) {
        /* a subset's rows: from the columns' forms, on its PSUs alone */
        const size_t rank = form_rank(d, rep, it, nr, ws);
        if (rank == SIZE_MAX - 1) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        *degf = (double)rank - 1.0;
        return SOCIND_OK;
    }
    double *s = calloc(nrow ? nrow : 1, sizeof *s);
    if (!s) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (rep->f) {
        for (size_t i = 0; i < nk; i++) {
            const size_t k = ROW(i);
            const double v = d->w[k] * ws;
            s[d->row_psu[k]] += v * v;
        }
        size_t cap = 0; /* PSUs of positive weight */
        for (size_t p = 0; p < P; p++) cap += s[p] > 0.0;
        if (!socind__rep_degf_general && !it) {
            /* one deletion per column; else with strata, while (2H)² stays
               below R²/4 (time and memory below the general computation's).
               Not on a subset's rows: there columns that differ only on
               PSUs outside it are equal, and a Schur complement's rounding
               can outgrow the margin degf_unsure allows (a domain of four
               PSUs, weights 1e-3 to 2e8, kept a fourth column whose
               relative residual is 5e-24) */
            const size_t H = d->nstrata;
            size_t rank = jk1_rank(rep->f, P, R, s, cap);
            const int strata = rank == SIZE_MAX && H > 1 && 4 * H <= R;
            if (strata) rank = jkn_rank(rep->f, d->psu_stratum, P, H, R, s, cap);
            if (rank == SIZE_MAX - 1) {
                free(s);
                return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
            }
            if (rank != SIZE_MAX) {
                SOCIND__TEST_RECORD(socind__rep_degf_path, strata ? 3 : 1);
                free(s);
                *degf = (double)rank - 1.0;
                return SOCIND_OK;
            }
        }
    } else {
        for (size_t i = 0; i < nk; i++) s[ROW(i)] = 1.0;
    }
#undef ROW
    /* B: A's nonzero rows, a PSU's once, row i of V times √s_i (A's rows
       of PSU p are w_k·F[p, ·]: BᵀB = AᵀA, the same triangular factor and
       the same norms left), its columns scaled by powers of 2 to a
       largest value in [1/2, 1) */
    const double *V = rep->f ? rep->f : rep->W;
    size_t *rows = malloc((nrow ? nrow : 1) * sizeof *rows);
    double *cs = calloc(R ? R : 1, sizeof *cs), *norm0 = calloc(R ? R : 1, sizeof *norm0);
    if (!rows || !cs || !norm0) {
        free(rows), free(cs), free(norm0), free(s);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    /* √s scaled below 1 (every row by one power of 2: the rule does not
       change): √s reaches √rows, and a factor near DBL_MAX times it would
       overflow */
    double smax = 0.0;
    for (size_t i = 0; i < nrow; i++)
        if (s[i] > 0.0) s[i] = sqrt(s[i]), smax = fmax(smax, s[i]);
    const double ss = pow2_below(smax);
    size_t m = 0; /* nonzero rows of A (a PSU's count once): the rank's bound */
    for (size_t i = 0; i < nrow; i++) {
        if (!(s[i] > 0.0)) continue;
        s[i] *= ss;
        int zero = 1;
        for (size_t r = 0; r < R; r++) {
            const double x = fabs(V[r * nrow + i]) * s[i];
            zero &= x == 0.0;
            if (x > cs[r]) cs[r] = x;
        }
        if (!zero) rows[m++] = i;
    }
    for (size_t r = 0; r < R; r++) cs[r] = pow2_below(cs[r]);
    /* at most 2R rows: the reduction on B itself (one block, in X); more:
       on the triangular factor of B, made R rows at a time. Each column's
       norm from its values as they are written, before any reduction. */
    const size_t mx = m <= 2 * R ? m : R, blk = m <= 2 * R ? 0 : R;
    const int fits = mx + blk <= (SIZE_MAX / sizeof(double) - 1) / (R ? R : 1);
    double *X = fits ? calloc((mx + blk) * R + 1, sizeof *X) : NULL;
    if (!X) {
        free(rows), free(cs), free(norm0), free(s);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    double *B = blk ? X + R * R : X;
    const size_t step = blk ? blk : m;
    for (size_t t0 = 0; t0 < m; t0 += step) {
        const size_t b = m - t0 < step ? m - t0 : step;
        for (size_t r = 0; r < R; r++)
            for (size_t t = 0; t < b; t++) {
                const size_t i = rows[t0 + t];
                const double x = V[r * nrow + i] * s[i] * cs[r];
                B[r * b + t] = x;
                norm0[r] += x * x;
            }
        if (blk) qr_fold(X, B, b, R);
    }
    for (size_t r = 0; r < R; r++) norm0[r] = sqrt(norm0[r]);
    SOCIND__TEST_RECORD(socind__rep_degf_path, 2);
    const size_t rank = qr_rank(X, mx, R, norm0, m < R ? m : R);
    free(X), free(rows), free(cs), free(norm0), free(s);
    *degf = (double)rank - 1.0;
    return SOCIND_OK;
}

/* ---- building ---- */

static double default_scale(int32_t type, size_t R, double rho) {
    switch (type) {
    case SOCIND_REP_JK1:
        return (double)(R - 1) / (double)R;
    case SOCIND_REP_BRR:
        return 1.0 / (double)R;
    case SOCIND_REP_FAY:
        return 1.0 / ((double)R * (1.0 - rho) * (1.0 - rho));
    case SOCIND_REP_BOOTSTRAP:
    case SOCIND_REP_SUBBOOTSTRAP:
        return R > 1 ? 1.0 / (double)(R - 1) : NAN;
    default:
        return 1.0;
    }
}

/* Wraps rep (owned) into a copy of base with its df; frees rep on failure. */
static int32_t finish_design(const socind_design *base, struct socind__rep *rep,
                             const socind_replicate_options *o, socind_design **out) {
    int32_t st = SOCIND_OK;
    rep->degf_given = !isnan(o->degf);
    if (rep->degf_given)
        rep->degf = o->degf;
    else
        st = rep_degf(base, rep, NULL, 0, &rep->degf);
    /* the columns' forms, for the rank on a domain's rows */
    if (!st && !rep->degf_given && rep->f) st = build_forms(base, rep);
    if (!st && !isnan(o->scale)) rep->scale = o->scale;
    if (!st && !(rep->scale > 0.0 && isfinite(rep->scale))) {
        if (rep->type == SOCIND_REP_JK1 && rep->R == 1)
            st = socind__fail(SOCIND_ERR_ARG,
                              "JK1's scale (R - 1)/R is 0 with one replicate; give scale");
        else if ((rep->type == SOCIND_REP_BOOTSTRAP || rep->type == SOCIND_REP_SUBBOOTSTRAP) &&
                 rep->R == 1)
            st = socind__fail(SOCIND_ERR_ARG,
                              "the bootstraps' scale has R - 1 in its denominator: one replicate "
                              "gives none; give scale");
        else if (rep->type == SOCIND_REP_BOOTSTRAP && isnan(rep->scale))
            st = socind__fail(SOCIND_ERR_ARG,
                              "the bootstrap's scale nbar/((nbar - 1)(R - 1)) is undefined: every "
                              "stratum has one PSU (nbar, the harmonic mean of the strata's PSU "
                              "counts, is 1); give scale");
        else
            st = socind__fail(SOCIND_ERR_ARG, "the scheme's scale is %g; give scale", rep->scale);
    }
    socind_design *c = st ? NULL : copy_design(base);
    if (!st && !c) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (st) {
        socind__rep_free(rep);
        return st;
    }
    c->rep = rep;
    c->df = rep->degf; /* socind_design_df answers the replicate df */
    *out = c;
    return SOCIND_OK;
}

static struct socind__rep *rep_alloc(size_t R, const socind_replicate_options *o) {
    struct socind__rep *rep = calloc(1, sizeof *rep);
    if (!rep) return NULL;
    rep->R = R;
    rep->type = o->type;
    rep->mse = o->mse;
    rep->fay_rho = isnan(o->fay_rho) ? 0.0 : o->fay_rho;
    rep->rscales = malloc(R * sizeof *rep->rscales);
    if (!rep->rscales) {
        free(rep);
        return NULL;
    }
    for (size_t r = 0; r < R; r++) rep->rscales[r] = 1.0;
    return rep;
}

int32_t socind_design_replicate_new(const socind_design *base, size_t R, const double *values,
                                    int32_t kind, const double *rscales,
                                    const socind_replicate_options *opts, socind_design **out) {
    socind__clear_detail();
    if (out) *out = NULL;
    if (!base || !values || !out)
        return socind__fail(SOCIND_ERR_NULL, "%s is NULL",
                            !base     ? "base"
                            : !values ? "values"
                                      : "out");
    if (base->rep) return socind__fail(SOCIND_ERR_ARG, "base already has replicate weights");
    if (base->cal)
        return socind__fail(SOCIND_ERR_ARG,
                            "base is a calibrated design; replicates of a calibration (each "
                            "replicate calibrated again) are not supported");
    socind_replicate_options o;
    int32_t st = resolve_opts(opts, &o);
    if (st) return st;
    if (R == 0) return socind__fail(SOCIND_ERR_ARG, "R is 0: a replicate design needs replicates");
    if (R > SOCIND_REP_MAX)
        return socind__fail(SOCIND_ERR_RANGE, "R is %zu; at most %d replicates", R, SOCIND_REP_MAX);
    const size_t n = base->n, P = base->npsu;
    if (n > SIZE_MAX / sizeof(double) / R)
        return socind__fail(SOCIND_ERR_RANGE, "n x R = %zu x %zu values exceed the address space",
                            n, R);
    if (kind != SOCIND_REP_WEIGHTS && kind != SOCIND_REP_FACTORS)
        return socind__fail(SOCIND_ERR_ARG, "kind is %" PRId32 "; SOCIND_REP_WEIGHTS or _FACTORS",
                            kind);
    if (o.type == SOCIND_REP_JKN && !rscales)
        return socind__fail(SOCIND_ERR_ARG, "JKn needs rscales ((n_h - 1)/n_h of each replicate)");
    /* (R's svrepdesign refuses it too: "you must supply the correct rho") */
    if (o.type == SOCIND_REP_FAY && isnan(o.fay_rho) && isnan(o.scale))
        return socind__fail(SOCIND_ERR_ARG,
                            "Fay's replicates need fay_rho, the rho they were made with (or a "
                            "scale): their scale 1/(R(1 - rho)^2) depends on it");
    const char *what = kind == SOCIND_REP_WEIGHTS ? "weight" : "factor";
    for (size_t r = 0; r < R; r++)
        for (size_t k = 0; k < n; k++) {
            double v = values[r * n + k];
            if (!(v >= 0.0 && v <= DBL_MAX))
                return socind__fail_row(SOCIND_ERR_WEIGHT, k,
                                        "replicate %s %zu, row %zu (both 0-based) is %g; replicate "
                                        "%ss must be finite and >= 0",
                                        what, r, k, v, what);
            if (kind == SOCIND_REP_FACTORS && !(base->w[k] * v <= DBL_MAX))
                return socind__fail_row(SOCIND_ERR_WEIGHT, k,
                                        "replicate factor %zu, row %zu (both 0-based) is %g; times "
                                        "the row's weight %g it leaves the double range",
                                        r, k, v, base->w[k]);
        }
    if (rscales)
        for (size_t r = 0; r < R; r++)
            if (!(rscales[r] >= 0.0 && rscales[r] <= DBL_MAX))
                return socind__fail(SOCIND_ERR_ARG,
                                    "rscales[%zu] (replicate %zu, 0-based) is %g; rscales must be "
                                    "finite and >= 0",
                                    r, r, rscales[r]);
    struct socind__rep *rep = rep_alloc(R, &o);
    if (!rep) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (rscales) memcpy(rep->rscales, rscales, R * sizeof *rscales);
    rep->scale = default_scale(o.type, R, rep->fay_rho);
    /* factors per PSU when every row of each PSU has the same one and its
       weight is the product exactly */
    const double *w = base->w;
    double *f = malloc((P ? P : 1) * R * sizeof *f);
    int compress = f != NULL;
    for (size_t r = 0; compress && r < R; r++) {
        double *fr = f + r * P;
        for (size_t p = 0; p < P; p++) fr[p] = NAN;
        for (size_t k = 0; compress && k < n; k++) {
            const double v = values[r * n + k];
            const int32_t p = base->row_psu[k];
            if (kind == SOCIND_REP_FACTORS) {
                if (isnan(fr[p])) fr[p] = v;
                compress = fr[p] == v;
            } else if (w[k] > 0.0) {
                if (isnan(fr[p])) fr[p] = v / w[k];
                compress = w[k] * fr[p] == v;
            } else {
                compress = v == 0.0;
            }
        }
        /* a PSU whose rows all weigh 0: any factor */
        for (size_t p = 0; compress && p < P; p++)
            if (isnan(fr[p])) fr[p] = 1.0;
    }
    if (compress) {
        /* weights given: the rows of weight 0 checked above, the others
           reproduce exactly */
        rep->f = f;
    } else {
        free(f);
        rep->W = malloc((n ? n : 1) * R * sizeof *rep->W);
        if (!rep->W) {
            socind__rep_free(rep);
            return socind__fail(SOCIND_ERR_NOMEM, "out of memory (%zu x %zu replicate weights)", n,
                                R);
        }
        for (size_t i = 0; i < n * R; i++)
            rep->W[i] = kind == SOCIND_REP_WEIGHTS ? values[i] : w[i % n] * values[i];
    }
    return finish_design(base, rep, &o, out);
}

/* ---- survey's Hadamard matrices (R/surveyrep.R's hadamard, R/paley.R) ---- */

static const char *const HAD4[4] = {
    "1111",
    "1010",
    "1100",
    "1001",
};
static const char *const HAD16[16] = {
    "1111111111111111", "1010101010101010", "1100110011001100", "1001100110011001",
    "1111000011110000", "1010010110100101", "1100001111000011", "1001011010010110",
    "1111111100000000", "1010101001010101", "1100110000110011", "1001100101100110",
    "1111000000001111", "1010010101011010", "1100001100111100", "1001011001101001",
};
static const char *const HAD28[28] = {
    "1111111111111111111111111111", "1001110001110001110001111000", "1000001111001101001101111000",
    "1000001110110010111001100110", "1001101000001111100011010110", "1001010100101100010110101110",
    "1000110011010010001110011110", "0101100010101010011111110000", "0100010110110101100111010100",
    "0100011011001011110010101100", "0101011000010111011101001010", "0100101101100100111010011010",
    "0101100101011001101100100110", "0010110100011110101011101000", "0011011001100110101100110100",
    "0010101100111011010100011100", "0011000111010111010010110010", "0011001011111000100111001010",
    "0010110011101101011001000110", "1110101001010100010111100100", "1111000101100011001011001100",
    "1111000010011100111000011100", "1110010101001010110101010010", "1110011000111001001010110010",
    "1110100010100111100100101010", "1101111111111110000000000000", "1011111110000001111110000000",
    "0111111110000000000001111110",
};
static const char *const HAD36[36] = {
    "111111111111111111111111111111111111", "010111000111110111001000010101100100",
    "101110001111101110010000101011001000", "011100011111011100100001010110010010",
    "111000111110111001000010101100100100", "110001111101110010000101011001001010",
    "100011111011100100001010110010010110", "000111110111001000010101100100101110",
    "001111101110010000101011001001011100", "011111011100100001010110010010111000",
    "111110111001000010101100100101110000", "111101110010000101011001001011100010",
    "111011100100001010110010010111000110", "110111001000010101100100101110001110",
    "101110010000101011001001011100011110", "011100100001010110010010111000111110",
    "111001000010101100100101110001111100", "110010000101011001001011100011111010",
    "100100001010110010010111000111110110", "001000010101100100101110001111101110",
    "010000101011001001011100011111011100", "100001010110010010111000111110111000",
    "000010101100100101110001111101110010", "000101011001001011100011111011100100",
    "001010110010010111000111110111001000", "010101100100101110001111101110010000",
    "101011001001011100011111011100100000", "010110010010111000111110111001000010",
    "101100100101110001111101110010000100", "011001001011100011111011100100001010",
    "110010010111000111110111001000010100", "100100101110001111101110010000101010",
    "001001011100011111011100100001010110", "010010111000111110111001000010101100",
    "100101110001111101110010000101011000", "001011100011111011100100001010110010",
};

/* A 0/1 matrix of order N (row-major), or NULL. */
typedef struct {
    size_t N;
    unsigned char *a;
} hmat;

static int is_prime(size_t p) {
    if (p < 2) return 0;
    for (size_t k = 2; k * k <= p; k++)
        if (p % k == 0) return 0;
    return 1;
}
/* survey's small.primes: the primes p <= 7919 with p + 1 a multiple of 4 */
static int small_prime(size_t p) {
    return p <= 7919 && (p + 1) % 4 == 0 && is_prime(p);
}

static int paley_prime(size_t p, hmat *h) {
    const size_t N = p + 1;
    h->N = N;
    h->a = malloc(N * N);
    unsigned char *res = calloc(p, 1);
    if (!h->a || !res) {
        free(res);
        return 0;
    }
    res[0] = 1;
    for (size_t i = 1; i <= (p - 1) / 2; i++) res[(i * i) % p] = 1;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++)
            h->a[i * N + j] = (i == 0 || j == 0) ? 1 : !res[((i - 1) + (j - 1)) % p];
    free(res);
    return 1;
}

static int doubler(hmat *h) {
    const size_t N = h->N, M = 2 * N;
    unsigned char *b = malloc(M * M);
    if (!b) return 0;
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < M; j++) {
            unsigned char v = h->a[(i % N) * N + (j % N)];
            b[i * M + j] = (i >= N && j >= N) ? (unsigned char)(1 - v) : v;
        }
    free(h->a);
    h->a = b;
    h->N = M;
    return 1;
}

/* survey's paley(n, nmax): 1 with h set, 0 for NULL, −1 out of memory. */
static int paley(size_t n, size_t nmax, hmat *h) {
    size_t nceil = n + 4 - (n % 4), nn = nceil;
    if ((n % 4) + 4 == (n % 8)) {
        while (!(nn % 8)) nn /= 2;
        if (small_prime(nn - 1)) {
            if (!paley_prime(nn - 1, h)) return -1;
            while (nn < nceil) {
                if (!doubler(h)) return -1;
                nn *= 2;
            }
            return 1;
        }
    }
    if (n > 7919) return 0;
    size_t p = n;
    while (!small_prime(p)) p++;
    if (p + 1 > nceil + 4 && nceil + 4 < nmax) return paley(nceil + 3, 2 * (nceil + 3), h);
    if (p > nmax) return 0;
    return paley_prime(p, h) ? 1 : -1;
}

static int stored(size_t i, hmat *h) {
    static const size_t sizes[4] = {4, 16, 28, 36};
    static const char *const *const rows[4] = {HAD4, HAD16, HAD28, HAD36};
    const size_t N = sizes[i];
    h->N = N;
    h->a = malloc(N * N);
    if (!h->a) return 0;
    for (size_t r = 0; r < N; r++)
        for (size_t c = 0; c < N; c++) h->a[r * N + c] = rows[i][r][c] == '1';
    return 1;
}

/* survey's hadamard(n): 1 with h set, 0 out of memory. */
static int hadamard(size_t n, hmat *h) {
    static const size_t sizes[4] = {4, 16, 28, 36};
    size_t m = n - (n % 4);
    for (size_t i = 0; i < 4; i++)
        if (m < sizes[i] && m + 4 >= sizes[i]) return stored(i, h);
    if (m < sizes[0]) return stored(0, h);
    size_t sz[4], dbl[4], best = 0;
    for (size_t i = 0; i < 4; i++) {
        sz[i] = sizes[i], dbl[i] = 0;
        while (sz[i] < n + 1) sz[i] *= 2, dbl[i]++;
        if (sz[i] - n < sz[best] - n) best = i;
    }
    if (sz[best] - n > 4) {
        int got = paley(n, sz[best], h);
        if (got < 0) return 0;
        if (got) return 1;
    }
    if (!stored(best, h)) return 0;
    for (size_t k = 0; k < dbl[best]; k++)
        if (!doubler(h)) return 0;
    return 1;
}

/* ---- making replicates from the design ---- */

/* The first row of each PSU (the row a refusal names). */
static size_t psu_first_row(const socind_design *d, int32_t p) {
    for (size_t k = 0; k < d->n; k++)
        if (d->row_psu[k] == p) return k;
    return 0;
}

static int cmp_dec(const void *a, const void *b) {
    const char *const *x = a, *const *y = b;
    return strcmp(*x, *y);
}

int32_t socind_design_replicate_make(const socind_design *base,
                                     const socind_replicate_options *opts, socind_design **out) {
    socind__clear_detail();
    if (out) *out = NULL;
    if (!base || !out) return socind__fail(SOCIND_ERR_NULL, "%s is NULL", !base ? "base" : "out");
    if (base->rep) return socind__fail(SOCIND_ERR_ARG, "base already has replicate weights");
    if (base->cal)
        return socind__fail(SOCIND_ERR_ARG,
                            "base is a calibrated design; replicates of a calibration (each "
                            "replicate calibrated again) are not supported");
    socind_replicate_options o;
    int32_t st = resolve_opts(opts, &o);
    if (st) return st;
    const size_t P = base->npsu, H = base->nstrata;
    const int32_t type = o.type;
    /* the PSUs of each stratum: contiguous, hstart[h] .. hstart[h + 1] */
    size_t *hstart = calloc(H + 1, sizeof *hstart);
    if (!hstart) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t p = 0; p < P; p++) hstart[base->psu_stratum[p] + 1]++;
    for (size_t h = 0; h < H; h++) hstart[h + 1] += hstart[h];
    size_t R = 0;
    struct socind__rep *rep = NULL;
    hmat hm = {0, NULL};
    switch (type) {
    case SOCIND_REP_JK1:
    case SOCIND_REP_JKN:
        R = P;
        if (type == SOCIND_REP_JK1 && P < 2) {
            st = socind__fail_row(SOCIND_ERR_LONELY_PSU, 0,
                                  "JK1 needs 2 PSUs or more; the design has %zu", P);
            break;
        }
        if (type == SOCIND_REP_JKN)
            for (size_t h = 0; h < H; h++)
                if (hstart[h + 1] - hstart[h] < 2) {
                    st = socind__fail_row(SOCIND_ERR_LONELY_PSU,
                                          psu_first_row(base, (int32_t)hstart[h]),
                                          "stratum %" PRId64 " has one PSU: JKn deletes PSUs "
                                          "within strata (collapse it with another)",
                                          base->stratum_id[h]);
                    break;
                }
        break;
    case SOCIND_REP_BRR:
    case SOCIND_REP_FAY:
        for (size_t h = 0; h < H; h++)
            if (hstart[h + 1] - hstart[h] != 2) {
                st = socind__fail_row(SOCIND_ERR_ARG, psu_first_row(base, (int32_t)hstart[h]),
                                      "stratum %" PRId64 " has %zu PSUs; BRR and Fay need exactly "
                                      "2 in every stratum (form variance strata of 2 half-samples)",
                                      base->stratum_id[h], hstart[h + 1] - hstart[h]);
                break;
            }
        if (!st && !hadamard(H, &hm)) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        R = hm.N;
        break;
    case SOCIND_REP_BOOTSTRAP:
    case SOCIND_REP_SUBBOOTSTRAP:
        if (o.replicates < 2 || o.replicates > SOCIND_REP_MAX) {
            st = socind__fail(o.replicates < 2 ? SOCIND_ERR_ARG : SOCIND_ERR_RANGE,
                              "replicates is %" PRId32 "; the bootstraps need 2 .. %d",
                              o.replicates, SOCIND_REP_MAX);
            break;
        }
        R = (size_t)o.replicates;
        if (type == SOCIND_REP_SUBBOOTSTRAP)
            for (size_t h = 0; h < H; h++)
                if (hstart[h + 1] - hstart[h] < 2) {
                    st = socind__fail_row(SOCIND_ERR_LONELY_PSU,
                                          psu_first_row(base, (int32_t)hstart[h]),
                                          "stratum %" PRId64 " has one PSU: the subbootstrap "
                                          "draws n_h - 1 of them",
                                          base->stratum_id[h]);
                    break;
                }
        break;
    default:
        st = socind__fail(SOCIND_ERR_ARG,
                          "type %" PRId32 " is not a scheme socind makes (JK1, "
                          "JKn, BRR, Fay, bootstrap, subbootstrap)",
                          type);
    }
    if (!st && P > SIZE_MAX / sizeof(double) / (R ? R : 1))
        st = socind__fail(SOCIND_ERR_RANGE, "%zu PSUs x %zu replicates exceed the address space", P,
                          R);
    if (!st && !(rep = rep_alloc(R, &o))) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (!st && !(rep->f = malloc((P ? P : 1) * R * sizeof *rep->f)))
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (st) {
        free(hstart), free(hm.a);
        socind__rep_free(rep);
        return st;
    }
    double *f = rep->f;
    if (type == SOCIND_REP_JK1) {
        const double g = (double)P / (double)(P - 1);
        for (size_t r = 0; r < R; r++)
            for (size_t p = 0; p < P; p++) f[r * P + p] = p == r ? 0.0 : g;
        rep->scale = (double)(P - 1) / (double)P * (H == 1 ? 1.0 - base->stratum_f[0] : 1.0);
    } else if (type == SOCIND_REP_JKN) {
        for (size_t r = 0; r < R; r++) {
            const int32_t h = base->psu_stratum[r];
            const double nh = (double)(hstart[h + 1] - hstart[h]);
            for (size_t p = 0; p < P; p++)
                f[r * P + p] = (size_t)base->psu_stratum[p] != (size_t)h ? 1.0
                               : p == r                                  ? 0.0
                                                                         : nh / (nh - 1.0);
            rep->rscales[r] = (1.0 - base->stratum_f[h]) * ((nh - 1.0) / nh);
        }
        rep->scale = 1.0;
    } else if (type == SOCIND_REP_BRR || type == SOCIND_REP_FAY) {
        const double rho = type == SOCIND_REP_BRR ? 0.0 : isnan(o.fay_rho) ? 0.5 : o.fay_rho;
        rep->fay_rho = rho;
        /* strata ranked by their ids' decimal strings */
        char(*txt)[24] = malloc((H ? H : 1) * sizeof *txt);
        const char **ptr = malloc((H ? H : 1) * sizeof *ptr);
        size_t *rank = malloc((H ? H : 1) * sizeof *rank);
        if (!txt || !ptr || !rank) {
            free(txt), free(ptr), free(rank), free(hstart), free(hm.a);
            socind__rep_free(rep);
            return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        }
        for (size_t h = 0; h < H; h++) {
            snprintf(txt[h], sizeof txt[h], "%" PRId64, base->stratum_id[h]);
            ptr[h] = txt[h];
        }
        qsort(ptr, H, sizeof *ptr, cmp_dec);
        for (size_t i = 0; i < H; i++) rank[(size_t)(ptr[i] - txt[0]) / sizeof txt[0]] = i;
        for (size_t r = 0; r < R; r++)
            for (size_t h = 0; h < H; h++) {
                const int bit = hm.a[(rank[h] + 1) * hm.N + r];
                /* weights (0, 1) for the first PSU, (1, 0) for the second;
                   column bit + 1: wa·(2 − ρ) + wb·ρ */
                for (size_t i = 0; i < 2; i++) {
                    double wa = (i == 0) == (bit == 1) ? 1.0 : 0.0, wb = 1.0 - wa;
                    f[r * P + hstart[h] + i] = wa * (2.0 - rho) + wb * rho;
                }
            }
        rep->scale = type == SOCIND_REP_BRR ? 1.0 / (double)R
                                            : 1.0 / ((double)R * (1.0 - rho) * (1.0 - rho));
        free(txt), free(ptr), free(rank);
    } else {
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!rng) {
            free(hstart), free(hm.a);
            socind__rep_free(rep);
            return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        }
        gsl_rng_set(rng, (unsigned long)o.seed);
        const int sub = type == SOCIND_REP_SUBBOOTSTRAP;
        for (size_t r = 0; r < R; r++) {
            double *fr = f + r * P;
            for (size_t p = 0; p < P; p++) fr[p] = 0.0;
            for (size_t h = 0; h < H; h++) {
                const size_t nh = hstart[h + 1] - hstart[h];
                for (size_t i = 0; i < nh - (size_t)sub; i++)
                    fr[hstart[h] + gsl_rng_uniform_int(rng, (unsigned long)nh)] += 1.0;
                if (sub)
                    for (size_t i = 0; i < nh; i++)
                        fr[hstart[h] + i] = fr[hstart[h] + i] * (double)nh / (double)(nh - 1);
            }
        }
        gsl_rng_free(rng);
        if (sub) {
            rep->scale = 1.0 / (double)(R - 1);
        } else {
            double s = 0.0;
            for (size_t h = 0; h < H; h++) s += 1.0 / (double)(hstart[h + 1] - hstart[h]);
            double nbar = 1.0 / (s / (double)H);
            rep->scale = nbar / ((nbar - 1.0) * (double)(R - 1));
            if (!(nbar > 1.0)) rep->scale = NAN; /* every stratum has one PSU */
        }
    }
    free(hstart), free(hm.a);
    return finish_design(base, rep, &o, out);
}

/* ---- queries ---- */

size_t socind_design_nreplicates(const socind_design *d) {
    return d && d->rep ? d->rep->R : 0;
}

int32_t socind_design_replicate_info(const socind_design *d, int32_t *type, double *scale,
                                     int32_t *mse, double *degf) {
    socind__clear_detail();
    if (type) *type = -1;
    if (scale) *scale = NAN;
    if (mse) *mse = -1;
    if (degf) *degf = NAN;
    if (!d) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    if (!d->rep) return socind__fail(SOCIND_ERR_ARG, "the design has no replicate weights");
    if (type) *type = d->rep->type;
    if (scale) *scale = d->rep->scale;
    if (mse) *mse = d->rep->mse;
    if (degf) *degf = d->rep->degf;
    return SOCIND_OK;
}

int32_t socind_design_rscales(const socind_design *d, double *out, size_t cap) {
    socind__clear_detail();
    if (!d || !out) return socind__fail(SOCIND_ERR_NULL, "%s is NULL", !d ? "design" : "out");
    if (!d->rep) return socind__fail(SOCIND_ERR_ARG, "the design has no replicate weights");
    if (cap < d->rep->R)
        return socind__fail(SOCIND_ERR_BUFFER,
                            "out holds %zu values; the design has %zu replicates", cap, d->rep->R);
    memcpy(out, d->rep->rscales, d->rep->R * sizeof *out);
    return SOCIND_OK;
}

/* Replicate r's weight of row k. */
static inline double rep_weight(const socind_design *d, const struct socind__rep *rep, size_t r,
                                size_t k) {
    return rep->W ? rep->W[r * d->n + k] : d->w[k] * rep->f[r * d->npsu + (size_t)d->row_psu[k]];
}

int32_t socind_design_replicate_column(const socind_design *d, size_t r, double *weights,
                                       double *factors) {
    socind__clear_detail();
    const size_t n = d ? d->n : 0;
    for (size_t k = 0; k < n; k++) {
        if (weights) weights[k] = NAN;
        if (factors) factors[k] = NAN;
    }
    if (!d || (!weights && !factors))
        return socind__fail(SOCIND_ERR_NULL, "%s is NULL", !d ? "design" : "weights and factors");
    if (!d->rep) return socind__fail(SOCIND_ERR_ARG, "the design has no replicate weights");
    if (r >= d->rep->R)
        return socind__fail(SOCIND_ERR_ARG, "replicate %zu of %zu (0-based)", r, d->rep->R);
    const struct socind__rep *rep = d->rep;
    for (size_t k = 0; k < n; k++) {
        if (weights) weights[k] = rep_weight(d, rep, r, k);
        if (factors)
            factors[k] = rep->f          ? rep->f[r * d->npsu + (size_t)d->row_psu[k]]
                         : d->w[k] > 0.0 ? rep->W[r * n + k] / d->w[k]
                                         : NAN;
    }
    return SOCIND_OK;
}

/* ---- svrVar ---- */

/* survey's svrVar of R values theta[r·stride] (NaN ones left out) times
 * 2^−2·ez: the deviations from the centre are scaled by 2^−ez (their
 * largest's exponent beyond 2^±SOCIND__SCALE_LIMIT, else 0) so that their
 * squares stay in the doubles, and the variance is 2^2·ez times the result,
 * the SE 2^ez times its root. NaN when none is left (or mse without θ̂);
 * −Inf when the largest deviation lies below 2^−969 (bits lost to
 * subnormals). */
static double svrvar(const struct socind__rep *rep, const double *theta, size_t stride, double hat,
                     int *ez) {
    const size_t R = rep->R;
    double c = hat;
    *ez = 0;
    if (!rep->mse) {
        /* R's mean(): a long double sum, then the mean residual added */
        long double s = 0.0L;
        size_t m = 0;
        for (size_t r = 0; r < R; r++) {
            double t = theta[r * stride];
            if (isnan(t) || !(rep->rscales[r] > 0.0)) continue;
            s += t;
            m++;
        }
        if (m == 0) return NAN;
        long double mu = s / (long double)m, t2 = 0.0L;
        for (size_t r = 0; r < R; r++) {
            double t = theta[r * stride];
            if (isnan(t) || !(rep->rscales[r] > 0.0)) continue;
            t2 += (long double)t - mu;
        }
        c = (double)(mu + t2 / (long double)m);
    }
    if (isnan(c)) return NAN;
    /* the deviations scaled by 2^−ez so that their squares stay in the
       doubles (socind__work_scale's rule; exact) */
    double top = 0.0;
    for (size_t r = 0; r < R; r++) {
        const double a = fabs(theta[r * stride] - c);
        if (rep->rscales[r] != 0.0) top = a > top ? a : top; /* (NaN left out) */
    }
    if (socind__scale_of(top, ez)) return -INFINITY;
    long double v = 0.0L;
    size_t used = 0;
    for (size_t r = 0; r < R; r++) {
        double t = theta[r * stride];
        if (isnan(t)) continue;
        double dlt = ldexp(t - c, -*ez);
        if (rep->rscales[r] != 0.0) v += (long double)(dlt * dlt * rep->rscales[r]);
        used++;
    }
    if (used == 0) return NAN;
    return (double)v * rep->scale;
}

/* The replicates whose θ_r (theta[r·stride]) is NaN: those svrvar leaves
 * out. */
static int32_t left_out(const struct socind__rep *rep, const double *theta, size_t stride) {
    int32_t k = 0;
    for (size_t r = 0; r < rep->R; r++) k += isnan(theta[r * stride]) != 0;
    return k;
}

/* svrvar's variance itself: refused (NaN, *st SOCIND_ERR_OVERFLOW and the
 * detail) when it lies beyond or below the normal doubles. */
static double svrvar_plain(const struct socind__rep *rep, const double *theta, size_t stride,
                           double hat, int32_t *st) {
    int ez;
    const double vs = svrvar(rep, theta, stride, hat, &ez);
    const double v = ldexp(vs, 2 * ez);
    *st = SOCIND_OK;
    if (isnan(vs)) return NAN;
    if (!isfinite(v) || (vs > 0.0 && v < DBL_MIN)) {
        *st = socind__fail(SOCIND_ERR_OVERFLOW,
                           "the variance of the replicate estimates lies %s the normal doubles",
                           v == INFINITY ? "beyond" : "below");
        return NAN;
    }
    return v;
}

int32_t socind_replicate_variance(const socind_design *d, const double *theta, double theta_hat,
                                  double *var) {
    socind__clear_detail();
    if (var) *var = NAN;
    if (!d || !theta || !var)
        return socind__fail(SOCIND_ERR_NULL, "%s is NULL",
                            !d       ? "design"
                            : !theta ? "theta"
                                     : "var");
    if (!d->rep) return socind__fail(SOCIND_ERR_ARG, "the design has no replicate weights");
    /* an infinite estimate: its deviation is beyond the doubles (it read as
       "every replicate estimate is NaN", the deviations inf - inf) */
    for (size_t r = 0; r < d->rep->R; r++)
        if (isinf(theta[r]))
            return socind__fail(SOCIND_ERR_OVERFLOW,
                                "replicate %zu's estimate is %s: the variance lies beyond the "
                                "normal doubles",
                                r + 1, theta[r] > 0 ? "+inf" : "-inf");
    if (d->rep->mse && isinf(theta_hat))
        return socind__fail(SOCIND_ERR_OVERFLOW,
                            "the full-sample estimate is infinite (mse): the variance lies beyond "
                            "the normal doubles");
    int32_t st;
    double v = svrvar_plain(d->rep, theta, 1, theta_hat, &st);
    if (st) return st;
    if (isnan(v))
        return socind__fail(SOCIND_ERR_DATA, "every replicate estimate is NaN%s",
                            d->rep->mse ? " (or the full-sample estimate is, with mse)" : "");
    *var = v;
    return SOCIND_OK;
}

/* ---- the estimators' loop (internal.h) ---- */

void socind__rep_full_view(const socind_design *d, socind_design *v) {
    *v = *d;
    v->rep_view = 1;
    v->df = d->rep->degf;
}

void socind__rep_begin(socind__reploop *l, const socind_design *d, socind_estimate *out,
                       size_t count) {
    memset(l, 0, sizeof *l);
    l->d = d;
    l->out = out;
    l->count = count;
    l->r = -2;
    socind__rep_full_view(d, &l->view);
    l->theta = malloc(d->rep->R * (count ? count : 1) * sizeof *l->theta);
    if (!l->theta) {
        l->st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        l->r = (long)d->rep->R; /* no pass runs */
        return;
    }
    if (d->rep->f) {
        l->view.rep_theta = l->theta;
        l->view.rep_count = count;
        l->view.rep_filled = &l->filled;
    }
}

double socind__rep_factor(const socind_design *d, size_t r, int32_t p) {
    return d->rep->f[r * d->npsu + (size_t)p];
}

int socind__rep_next(socind__reploop *l) {
    const struct socind__rep *rep = l->d->rep;
    const size_t n = l->d->n, P = l->d->npsu, R = rep->R;
    if (l->r >= (long)R) return 0;
    if (l->r == -2) {
        l->r = -1;
        return 1;
    }
    if (l->r == -1) {
        if (l->st) return 0;
        /* every θ_r from the full sample's partial state */
        if (l->filled) {
            l->r = (long)R;
            return 0;
        }
        l->view.rep_theta = NULL, l->view.rep_filled = NULL;
        l->tmp = malloc((l->count ? l->count : 1) * sizeof *l->tmp);
        if (!rep->W) l->wbuf = socind__big_alloc((n ? n : 1) * sizeof *l->wbuf);
        if (!l->tmp || (!rep->W && !l->wbuf)) {
            l->st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
            return 0;
        }
        l->view.rep = NULL;
    } else {
        double *th = l->theta + (size_t)l->r * l->count;
        if (l->st == SOCIND_ERR_NOMEM) return 0;
        for (size_t j = 0; j < l->count; j++) th[j] = l->st ? NAN : l->tmp[j].value;
        l->st = SOCIND_OK;
    }
    l->r++;
    if ((size_t)l->r >= R) return 0;
    const size_t r = (size_t)l->r;
    if (rep->W) {
        l->view.w = rep->W + r * n;
    } else {
        const double *w = l->d->w, *f = rep->f + r * P;
        const int32_t *rp = l->d->row_psu;
        for (size_t k = 0; k < n; k++) l->wbuf[k] = w[k] * f[rp[k]];
        l->view.w = l->wbuf;
    }
    return 1;
}

/* The SE of β̂ = logit p̂ as R's svyciprop finds it on a replicate design
 * (its svyglm refits each replicate: β_r = logit p̂_r exactly, through
 * svrVar, centred on β̂ under mse): +Inf where a replicate's p̂_r that
 * counts is 0 or 1. *buf (R doubles) allocated at the first call. 1 when
 * out of memory, else 0. */
static int logit_se(const struct socind__rep *rep, const double *theta, size_t stride, double p,
                    double **buf, double *se) {
    const size_t R = rep->R;
    if (!*buf && !(*buf = malloc(R * sizeof **buf))) return 1;
    double *b = *buf;
    *se = NAN;
    for (size_t r = 0; r < R; r++) {
        const double t = theta[r * stride];
        if (!isnan(t) && rep->rscales[r] != 0.0 && !(t > 0.0 && t < 1.0)) {
            *se = INFINITY;
            return 0;
        }
        b[r] = isnan(t) ? NAN : log(t / (1.0 - t));
    }
    int ez;
    const double v = svrvar(rep, b, 1, log(p / (1.0 - p)), &ez);
    *se = isinf(v) ? 0.0 : ldexp(sqrt(v), ez); /* (−Inf: below the subnormals) */
    return 0;
}

int32_t socind__rep_end(socind__reploop *l, const socind_options *opts, uint32_t prop,
                        int32_t parts) {
    const struct socind__rep *rep = l->d->rep;
    double *lb = NULL; /* the replicates' logit p̂_r */
    int32_t st = l->st;
    socind_options o;
    if (!st) st = socind__resolve_options(opts, &o);
    if (st) {
        if (l->r >= 0 && l->out)
            for (size_t j = 0; j < l->count; j++) socind__estimate_nan(&l->out[j], st);
    } else {
        socind__clear_detail();
        for (size_t j = 0; j < l->count; j++) {
            socind_estimate *e = &l->out[j];
            const double df = l->df ? l->df[j] : rep->degf;
            e->df = df;
            if (!isfinite(e->value)) continue;
            const int32_t s0 = e->status;
            if (s0 != SOCIND_OK && s0 != SOCIND_ERR_LONELY_PSU && s0 != SOCIND_ERR_DF &&
                s0 != SOCIND_ERR_RANGE && s0 != SOCIND_ERR_OVERFLOW)
                continue;
            int ez;
            double v = svrvar(rep, l->theta + j, l->count, e->value, &ez);
            e->deff = NAN;
            e->ci_low = e->ci_high = NAN;
            /* (NaN: none left, R's svrVar: "All replicates contained NAs") */
            if (!isinf(v)) e->replicates_left_out = left_out(rep, l->theta + j, l->count);
            if (isnan(v) || isinf(v)) {
                e->se = NAN;
                e->status = isnan(v) ? SOCIND_ERR_DATA : SOCIND_ERR_OVERFLOW;
                continue;
            }
            e->se = ldexp(sqrt(v), ez);
            e->status = SOCIND_OK;
            const int is_prop = l->prop_rows
                                    ? l->prop_rows[j] != 0
                                    : parts > 0 && ((prop >> ((int32_t)(j % (size_t)parts))) & 1u);
            if (is_prop &&
                (o.prop_ci == SOCIND_PROP_CI_LOGIT || o.prop_ci == SOCIND_PROP_CI_LIKELIHOOD) &&
                e->value > 0.0 && e->value < 1.0) {
                double sb;
                if (logit_se(rep, l->theta + j, l->count, e->value, &lb, &sb)) {
                    st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
                    for (size_t i = 0; i < l->count; i++) socind__estimate_nan(&l->out[i], st);
                    break;
                }
                socind__fill_ci_logit_se(e, &o, df, sb);
            } else {
                socind__fill_ci(e, &o, df, is_prop);
            }
        }
    }
    free(lb);
    free(l->theta), free(l->tmp), free(l->wbuf), free(l->df);
    return st;
}

void socind__rep_domain_df(socind__reploop *l, const double *y, const int32_t *group,
                           int32_t n_groups) {
    const socind_design *d = l->d;
    const size_t G = l->count;
    if (l->st || G == 0 || d->rep->degf_given) return;
    /* each domain's rows (the estimator took the same codes), those of
       weight > 0 with y given gathered for the rank */
    socind__groups g;
    int32_t st = socind__groups_init(&g, group, n_groups, d->n);
    if (st) {
        l->st = st;
        return;
    }
    const size_t most = socind__groups_largest(&g);
    socind__item *it = malloc((most ? most : 1) * sizeof *it);
    l->df = malloc(G * sizeof *l->df);
    if (!it || !l->df) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (int32_t j = 0; !st && j < g.ngroups && (size_t)j < G; j++) {
        size_t nr = 0;
        for (size_t i = 0; i < socind__group_size(&g, j); i++) {
            const size_t k = socind__group_row(&g, j, i);
            if (d->w[k] > 0.0 && (!y || !isnan(y[k]))) it[nr++].row = (uint32_t)k;
        }
        l->df[j] = d->rep->degf;
        if (nr) st = socind__rep_rows_degf(d, it, nr, &l->df[j]);
    }
    socind__groups_free(&g);
    free(it);
    if (st) {
        free(l->df);
        l->df = NULL;
        l->st = st;
    }
}

int32_t socind__rep_rows_degf(const socind_design *d, const socind__item *it, size_t nr,
                              double *df) {
    *df = d->rep->degf;
    if (d->rep->degf_given || nr == d->n) return SOCIND_OK;
    return rep_degf(d, d->rep, it, nr, df);
}

int32_t socind__rep_share_var(const socind_design *d, const socind__item *it, size_t nr, double q,
                              double p_hat, double *var, int32_t *dropped) {
    *dropped = 0;
    const struct socind__rep *rep = d->rep;
    const size_t R = rep->R, P = d->npsu;
    double *th = malloc(R * sizeof *th);
    /* factors per PSU: the share's numerator and denominator summed per PSU
       once, each replicate then O(PSUs touched) */
    double *A = rep->f ? calloc(P ? P : 1, sizeof *A) : NULL;
    double *B = rep->f ? calloc(P ? P : 1, sizeof *B) : NULL;
    int32_t *list = rep->f ? malloc((P ? P : 1) * sizeof *list) : NULL;
    unsigned char *mark = rep->f ? calloc(P ? P : 1, 1) : NULL;
    if (!th || (rep->f && (!A || !B || !list || !mark))) {
        free(th), free(A), free(B), free(list), free(mark);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    size_t nl = 0;
    for (size_t i = 0; rep->f && i < nr; i++) {
        const int32_t p = it[i].psu;
        if (!mark[p]) mark[p] = 1, list[nl++] = p;
        B[p] += it[i].w;
        if (it[i].y <= q) A[p] += it[i].w;
    }
    free(mark);
    for (size_t r = 0; r < R; r++) {
        long double num = 0.0L, den = 0.0L;
        if (rep->f) {
            const double *f = rep->f + r * P;
            for (size_t t = 0; t < nl; t++) {
                const int32_t p = list[t];
                num += (long double)(A[p] * f[p]);
                den += (long double)(B[p] * f[p]);
            }
        } else {
            for (size_t i = 0; i < nr; i++) {
                const double wr = rep->W[r * d->n + it[i].row];
                den += wr;
                if (it[i].y <= q) num += wr;
            }
        }
        th[r] = den > 0.0L ? (double)(num / den) : NAN;
    }
    int32_t vst;
    double v = svrvar_plain(rep, th, 1, p_hat, &vst);
    *dropped = vst ? 0 : left_out(rep, th, 1);
    free(th), free(A), free(B), free(list);
    *var = v;
    return vst ? vst : isnan(v) ? SOCIND_ERR_DATA : SOCIND_OK;
}
