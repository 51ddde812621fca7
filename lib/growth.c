/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/growth.c — WHO 2006 standards (anthro) and 2007 reference (anthroplus)
 * z-scores and flags. The arithmetic keeps the shapes of WHO's R code
 * (pow, not exp/log; left-to-right products; no FMA contraction: the library
 * is compiled with -ffp-contract=off) so results agree bit for bit. */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "growth_tables.h"
#include "internal.h"

#define DAYS_PER_MONTH 30.4375

/* R's round(x, 2): the nearer 2-decimal neighbour of x, the even one on an
 * exact tie (ties are judged on the doubles, as R >= 4.0.0 does). */
static inline double round2(double x) {
    if (!isfinite(x)) return x;
    double ax = fabs(x);
    if (ax >= 1e15) return x; /* no digits below 0.01 left to round */
    double x100 = 100.0 * ax;
    /* floor and ceil of a non-negative value below 2^63 by conversion (the
     * baseline x86-64 target has no rounding instruction) */
    double lo_i = (double)(int64_t)x100;
    double hi_i = lo_i + (x100 > lo_i ? 1.0 : 0.0);
    /* the two candidates k/100, from a table for the usual |z| < 40.95 */
    double down, up;
    if (hi_i < (double)SOCIND_HUNDREDTHS) {
        down = socind__hundredths[(int64_t)lo_i];
        up = socind__hundredths[(int64_t)hi_i];
    } else {
        down = lo_i / 100.0;
        up = hi_i / 100.0;
    }
    double to_up = up - ax, to_down = ax - down;
    /* choose without a branch: z-scores are random, so a branch here would
     * be mispredicted half the time */
    int pick_up = (to_up < to_down) | ((to_up == to_down) & (int)((int64_t)lo_i & 1));
    uint64_t ub, db;
    memcpy(&ub, &up, sizeof ub);
    memcpy(&db, &down, sizeof db);
    uint64_t mask = (uint64_t)0 - (uint64_t)pick_up;
    uint64_t rb = (ub & mask) | (db & ~mask);
    double r;
    memcpy(&r, &rb, sizeof r);
    return copysign(r, x);
}

double socind_round2(double x) {
    return round2(x);
}

int32_t socind_growth_input_init(socind_growth_input *in) {
    int32_t st = socind__init_sized(in, sizeof *in, "in");
    if (!st) in->threads = 1;
    return st;
}

int32_t socind_growth_output_init(socind_growth_output *out) {
    return socind__init_sized(out, sizeof *out, "out");
}

/* ---- LMS ---- */
/* pow(x, 1) is x exactly, so L = 1 (length/height, head circumference)
 * skips the call without changing a bit. */
static inline double lms_plain(double y, double L, double M, double S) {
    double b = L == 1.0 ? y / M : pow(y / M, L);
    return (b - 1.0) / (S * L);
}

static inline double lms_restricted(double y, double L, double M, double S) {
    double z = (pow(y / M, L) - 1.0) / (S * L);
    if (z > 3.0) {
        double sd3 = M * pow(1.0 + L * S * 3.0, 1.0 / L);
        double sd2 = M * pow(1.0 + L * S * 2.0, 1.0 / L);
        z = 3.0 + (y - sd3) / (sd3 - sd2);
    } else if (z < -3.0) {
        double sd3 = M * pow(1.0 + L * S * -3.0, 1.0 / L);
        double sd2 = M * pow(1.0 + L * S * -2.0, 1.0 / L);
        z = -3.0 + (y - sd3) / (sd2 - sd3);
    }
    return z;
}

/* flag kinds */
#define FLAG_6 0   /* |z| > 6 */
#define FLAG_5_6 1 /* z < −6 or z > 5 */
#define FLAG_5 2   /* |z| > 5 */

static inline void finish(double z, int rounding, int kind, double *zo, int32_t *fo) {
    z = isinf(z) ? NAN : z; /* a measurement near DBL_MAX: no z-score */
    if (rounding == SOCIND_ROUND_WHO) z = round2(z);
    double az = fabs(z);
    int32_t f = kind == FLAG_6 ? az > 6.0 : kind == FLAG_5_6 ? (z < -6.0) | (z > 5.0) : az > 5.0;
    f = isnan(z) ? -1 : f;
    *zo = z;
    *fo = f;
}

/* One age-based indicator of the 2006 standards. */
static inline double age_based(const socind__lms_table *t, double y, int32_t sex, double days,
                               double months, int restricted, double min_day, int oedema_blocks) {
    if (!(y > 0.0) || isnan(days)) return NAN;
    if (!(days >= min_day && days <= 1856.0 && months < 60.0) || oedema_blocks) return NAN;
    const double *p = socind__lms_row(t, sex, (int64_t)days);
    if (!p) return NAN;
    return restricted ? lms_restricted(y, p[0], p[1], p[2]) : lms_plain(y, p[0], p[1], p[2]);
}

/* Weight-for-length/height (2006), §5 of the algorithm. */
static inline double wfl_z(double weight, double lh, int32_t sex, double days, double months,
                           int32_t cmeasure, int oedema_blocks) {
    if (isnan(lh) || oedema_blocks) return NAN;
    int length_table;
    if (!isnan(days))
        length_table = days < 731.0;
    else if (cmeasure == SOCIND_MEASURE_LYING)
        length_table = 1;
    else if (cmeasure == SOCIND_MEASURE_STANDING)
        length_table = 0;
    else
        length_table = lh < 87.0;
    if (length_table ? !(lh >= 45.0 && lh <= 110.0) : !(lh >= 65.0 && lh <= 120.0)) return NAN;
    if (!isnan(days) && !(days <= 1856.0 && months < 60.0)) return NAN;
    const socind__lms_table *t = length_table ? &socind__who_wflanthro : &socind__who_wfhanthro;
    /* lh is in [45, 120] here: conversion truncates like trunc() */
    double k_low = (double)(int64_t)(lh * 10.0), k_upp = (double)(int64_t)(lh * 10.0 + 1.0);
    double low = k_low / 10.0;
    double diff = (lh - low) / 0.1;
    const double *pl = socind__lms_row(t, sex, (int64_t)k_low);
    if (!pl) return NAN;
    double L = pl[0], M = pl[1], S = pl[2];
    if (diff > 0.0) {
        const double *pu = socind__lms_row(t, sex, (int64_t)k_upp);
        if (!pu) return NAN;
        L = pl[0] + diff * (pu[0] - pl[0]);
        M = pl[1] + diff * (pu[1] - pl[1]);
        S = pl[2] + diff * (pu[2] - pl[2]);
    }
    return lms_restricted(weight, L, M, S);
}

/* The cleaned values of one child (2006): §1–§4 of the algorithm. */
typedef struct {
    double days, months, lh, bmi;
    int32_t sex;      /* 1, 2, or 0 when nothing is to be computed for the row */
    int32_t cmeasure; /* 1, 2, −1 */
    int32_t c9mo;
    int32_t oedema_blocks; /* weight-based z-scores are not computed */
    int32_t reason;
} prep06;

static inline double at(const double *a, size_t k) {
    return a ? a[k] : NAN;
}
static inline int32_t code_at(const int32_t *a, size_t k) {
    return a ? a[k] : SOCIND_CODE_MISSING;
}
/* A measurement as the z-scores use it: NaN for a negative or infinite
 * value (its reason bits are set from the raw value). */
static inline double measurement(const double *a, size_t k) {
    double x = at(a, k);
    return x < 0.0 || isinf(x) ? NAN : x;
}

static inline void prepare06(int32_t sex, double age, int age_in_months, double weight,
                             double lenhei, int32_t measure, int32_t oedema, int negative_other,
                             int infinite_other, int zero_other, int need_bmi, prep06 *c) {
    int32_t reason = 0;
    if (weight == 0.0 || lenhei == 0.0 || zero_other) reason |= SOCIND_GROWTH_ZERO_VALUE;
    if (weight < 0 || lenhei < 0 || negative_other) reason |= SOCIND_GROWTH_NEGATIVE_VALUE;
    if (isinf(weight) || isinf(lenhei) || isinf(age) || infinite_other)
        reason |= SOCIND_GROWTH_INFINITE_VALUE;
    /* a negative or infinite weight or length is no measurement: every
       z-score that uses it (BMI and weight-for-length included) is NaN */
    if (weight < 0 || isinf(weight)) weight = NAN;
    if (lenhei < 0 || isinf(lenhei)) lenhei = NAN;
    int sex_ok = sex == SOCIND_SEX_MALE || sex == SOCIND_SEX_FEMALE;
    if (!sex_ok)
        reason |=
            sex == SOCIND_CODE_MISSING ? SOCIND_GROWTH_SEX_MISSING : SOCIND_GROWTH_SEX_INVALID;
    double days = NAN, months = NAN;
    if (isnan(age)) {
        reason |= SOCIND_GROWTH_AGE_MISSING;
    } else if (age < 0.0) {
        reason |= SOCIND_GROWTH_AGE_NEGATIVE;
        sex_ok = 0; /* nothing is computed for the row */
    } else if (age_in_months) {
        days = socind__round_half_up(age * DAYS_PER_MONTH);
        months = age;
    } else {
        days = socind__round_half_up(age);
        months = age / DAYS_PER_MONTH;
    }
    if (days > 1826.0 || months >= 60.0) reason |= SOCIND_GROWTH_AGE_OUT_OF_RANGE;
    int32_t cm = measure;
    if (cm != SOCIND_MEASURE_LYING && cm != SOCIND_MEASURE_STANDING) {
        if (cm != SOCIND_CODE_MISSING) reason |= SOCIND_GROWTH_MEASURE_INVALID;
        cm = SOCIND_CODE_MISSING;
    }
    int oed_blocks = 0;
    if (oedema == SOCIND_OEDEMA_YES) {
        oed_blocks = 1;
        reason |= SOCIND_GROWTH_OEDEMA;
    } else if (oedema != SOCIND_OEDEMA_NO && oedema != SOCIND_CODE_MISSING) {
        oed_blocks = 1;
        reason |= SOCIND_GROWTH_OEDEMA_INVALID;
    }
    int32_t c9 = 0;
    if (cm == SOCIND_MEASURE_STANDING && months < 9.0) {
        cm = SOCIND_CODE_MISSING;
        c9 = 1;
        reason |= SOCIND_GROWTH_STANDING_UNDER_9MO;
    }
    /* x + 0.0 == x and x + (−0.7) == x − 0.7 exactly: a select, no branch */
    double adj = 0.0;
    adj = (days < 731.0 && cm == SOCIND_MEASURE_STANDING) ? 0.7 : adj;
    adj = (days >= 731.0 && cm == SOCIND_MEASURE_LYING) ? -0.7 : adj;
    double lh = lenhei + adj;
    if (lenhei > 0.0 && !(lh > 0.0)) reason |= SOCIND_GROWTH_ZERO_VALUE; /* (0.5 cm lying, 2 y) */
    double t = lh / 100.0;
    c->days = days;
    c->months = months;
    c->lh = lh;
    /* a length of 0 (or one that the −0.7 cm makes <= 0) gives no BMI */
    double bmi = need_bmi && lh > 0.0 ? weight / (t * t) : NAN;
    c->bmi = isinf(bmi) ? NAN : bmi; /* a length near 0 */
    c->sex = sex_ok ? sex : 0;
    c->cmeasure = cm;
    c->c9mo = c9;
    c->oedema_blocks = oed_blocks;
    c->reason = reason;
}

/* rows are processed in blocks of BLOCK: prepared, then one indicator at a
 * time, then rounded and flagged */
#define BLOCK 256

/* socind_round2 (round2 above) over a block of BLOCK values, bit for bit:
 * the same two candidates lo/100 and hi/100 (the division is what the
 * hundredths table holds) and the same choice, computed without a table
 * look-up or an integer conversion so that it runs two values at a time on
 * SSE2 (x86-64's baseline, which has no rounding instruction): floor(v) for
 * 0 <= v < 2^52 is (v + 2^52) − 2^52, less 1 where that rounded up; from
 * 2^52 every double is whole; lo is odd when lo/2 is not whole. NaN, ±Inf
 * and |x| >= 1e15 (no digit below 0.01) pass through. */
#if defined(__SSE2__)
static inline __m128d select2(__m128d mask, __m128d a, __m128d b) {
    return _mm_or_pd(_mm_and_pd(mask, a), _mm_andnot_pd(mask, b));
}
static inline __m128d floor_nonneg2(__m128d v) {
    const __m128d big = _mm_set1_pd(0x1p52), one = _mm_set1_pd(1.0);
    __m128d t = _mm_sub_pd(_mm_add_pd(v, big), big);
    t = _mm_sub_pd(t, _mm_and_pd(_mm_cmpgt_pd(t, v), one));
    return select2(_mm_cmplt_pd(v, big), t, v);
}
void socind__round2_block(const double *x, double *r) {
    const __m128d sign = _mm_set1_pd(-0.0), hundred = _mm_set1_pd(100.0);
    const __m128d one = _mm_set1_pd(1.0), half = _mm_set1_pd(0.5), limit = _mm_set1_pd(1e15);
    for (int i = 0; i < BLOCK; i += 2) {
        __m128d xi = _mm_loadu_pd(x + i);
        __m128d ax = _mm_andnot_pd(sign, xi);
        __m128d x100 = _mm_mul_pd(hundred, ax);
        __m128d lo = floor_nonneg2(x100);
        __m128d hi = _mm_add_pd(lo, _mm_and_pd(_mm_cmpgt_pd(x100, lo), one));
        __m128d down = _mm_div_pd(lo, hundred), up = _mm_div_pd(hi, hundred);
        __m128d to_up = _mm_sub_pd(up, ax), to_down = _mm_sub_pd(ax, down);
        __m128d h = _mm_mul_pd(half, lo);
        __m128d odd = _mm_cmpneq_pd(floor_nonneg2(h), h);
        __m128d pick_up =
            _mm_or_pd(_mm_cmplt_pd(to_up, to_down), _mm_and_pd(_mm_cmpeq_pd(to_up, to_down), odd));
        /* down and up are >= +0: the sign is x's */
        __m128d ri = _mm_or_pd(select2(pick_up, up, down), _mm_and_pd(sign, xi));
        _mm_storeu_pd(r + i, select2(_mm_cmplt_pd(ax, limit), ri, xi));
    }
}
#else
void socind__round2_block(const double *x, double *r) {
    for (int i = 0; i < BLOCK; i++) r[i] = round2(x[i]);
}
#endif

/* finish() over a block of BLOCK raw z-scores: rounded (or not) into zr,
 * flags into fr. */
static void finish_block(const double *z, int rounding, int kind, double *zr, int32_t *fr) {
    double zi[BLOCK];
    for (int i = 0; i < BLOCK; i++) zi[i] = isinf(z[i]) ? NAN : z[i];
    if (rounding == SOCIND_ROUND_WHO)
        socind__round2_block(zi, zr);
    else
        memcpy(zr, zi, sizeof zi);
    for (int i = 0; i < BLOCK; i++) {
        double zz = zr[i], az = fabs(zz);
        int32_t f = kind == FLAG_6     ? az > 6.0
                    : kind == FLAG_5_6 ? (zz < -6.0) | (zz > 5.0)
                                       : az > 5.0;
        fr[i] = isnan(zz) ? -1 : f;
    }
}

/* One age-based indicator over a block of prepared rows: a tight loop whose
 * constant arguments the compiler specialises at each call. */
SOCIND__SPECIALISED void age_block(const socind__lms_table *t, const prep06 *c, const double *y,
                                   size_t k0, size_t nb, int restricted, double min_day,
                                   int oedema_rule, int kind, int rounding, double *zo,
                                   int32_t *fo) {
    double z[BLOCK], zz[BLOCK];
    int32_t ff[BLOCK];
    for (size_t i = 0; i < nb; i++) {
        z[i] = NAN;
        if (c[i].sex)
            z[i] = age_based(t, y[i], c[i].sex, c[i].days, c[i].months, restricted, min_day,
                             oedema_rule && c[i].oedema_blocks);
    }
    for (size_t i = nb; i < BLOCK; i++) z[i] = NAN; /* the block's unused tail */
    finish_block(z, rounding, kind, zz, ff);
    if (zo) memcpy(zo + k0, zz, nb * sizeof *zz);
    if (fo) memcpy(fo + k0, ff, nb * sizeof *ff);
}

/* ---- rows over threads ----
 * Every row's outputs depend on that row's inputs alone, so the threads take
 * the rows GRAB_BLOCKS blocks of BLOCK rows at a time, in order, as each
 * asks for more (range_part): who computes a row changes nothing written,
 * and a thread that could not be created leaves its rows to the others. */

/* the fewest rows a thread takes: below this the thread costs more than it
   saves (creating and joining one is tens of microseconds) */
#define MIN_ROWS_PER_THREAD 8192

SOCIND__TEST_SWITCH_DEFINE(socind__growth_threads_used);

/* The threads a call over n rows uses (socind__threads_over). */
static int threads_for(int32_t threads, size_t n) {
    return socind__threads_over(threads, n, MIN_ROWS_PER_THREAD);
}

typedef void (*range_fn)(const void *arg, size_t begin, size_t end);

typedef struct {
    range_fn fn;
    const void *arg;
    size_t n;
    size_t next; /* the next block of BLOCK rows to take (atomic) */
} range_job;

#define GRAB_BLOCKS 16 /* blocks a thread takes at a time: 4,096 rows */

/* Part t of run_ranges: takes GRAB_BLOCKS blocks at a time while any are
 * left, so that the calling thread works on while a new thread starts (the
 * rows are independent: who takes which changes nothing written). */
static void range_part(void *p, int32_t t) {
    range_job *j = p;
    (void)t;
    const size_t blocks = (j->n + BLOCK - 1) / BLOCK;
    for (;;) {
        const size_t b = __atomic_fetch_add(&j->next, (size_t)GRAB_BLOCKS, __ATOMIC_RELAXED);
        if (b >= blocks) return;
        const size_t e = blocks - b > GRAB_BLOCKS ? b + GRAB_BLOCKS : blocks;
        j->fn(j->arg, b * BLOCK, e * BLOCK < j->n ? e * BLOCK : j->n);
    }
}

/* fn over rows [0, n) on `threads` threads (threads_for's count). */
static void run_ranges(size_t n, int threads, range_fn fn, const void *arg) {
    if (threads <= 1) {
        SOCIND__TEST_RECORD(socind__growth_threads_used, 1);
        fn(arg, 0, n);
        return;
    }
    range_job job = {fn, arg, n, 0};
    const int32_t used = socind__parallel(threads, range_part, &job);
    SOCIND__TEST_RECORD(socind__growth_threads_used, used);
    (void)used; /* read by the tests only */
}

#define INPUT_V1_SIZE (offsetof(socind_growth_input, subskin) + sizeof(const double *))
#define OUTPUT_V1_SIZE (offsetof(socind_growth_output, reason) + sizeof(int32_t *))

/* A failed call's outputs: every z-score and measurement NaN, flags and
 * cleaned positions −1, the 9-month flags and reasons 0. */
static void fail_outputs06(size_t n, const socind_growth_output *out) {
    double *d[10] = {out->clenhei, out->cbmi, out->zlen, out->zwei, out->zwfl,
                     out->zbmi,    out->zhc,  out->zac,  out->zts,  out->zss};
    int32_t *f[9] = {out->cmeasure, out->flen, out->fwei, out->fwfl, out->fbmi,
                     out->fhc,      out->fac,  out->fts,  out->fss};
    for (int i = 0; i < 10; i++)
        if (d[i])
            for (size_t k = 0; k < n; k++) d[i][k] = NAN;
    for (int i = 0; i < 9; i++)
        if (f[i])
            for (size_t k = 0; k < n; k++) f[i][k] = -1;
    if (out->c9mo_flag) memset(out->c9mo_flag, 0, n * sizeof *out->c9mo_flag);
    if (out->reason) memset(out->reason, 0, n * sizeof *out->reason);
}

/* where a field of a caller's struct s ends; the field is read only when
   the caller's size covers it */
#define FIELD_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
#define HAS_FIELD(s, type, field) ((s)->size >= FIELD_END(type, field))

/* A thread count of an input struct: 0 .. SOCIND_MAX_THREADS. */
static int32_t check_threads(int32_t threads, const char *type) {
    if (threads < 0 || threads > SOCIND_MAX_THREADS)
        return socind__fail(SOCIND_ERR_ARG, "%s.threads must be in 0 .. %d, got %d", type,
                            SOCIND_MAX_THREADS, (int)threads);
    return SOCIND_OK;
}

/* The input's size (socind__check_sized), its reserved fields (0, so that a
 * later version may give them a meaning) and its thread count. */
int32_t socind__growth_input_check(const socind_growth_input *in) {
    int32_t st = socind__check_sized(in, INPUT_V1_SIZE, sizeof *in, "socind_growth_input");
    if (!st && in->reserved)
        st = socind__fail(SOCIND_ERR_ARG, "socind_growth_input.reserved must be 0, got %d",
                          (int)in->reserved);
    if (!st && HAS_FIELD(in, socind_growth_input, threads))
        st = check_threads(in->threads, "socind_growth_input");
    if (!st && HAS_FIELD(in, socind_growth_input, reserved2) && in->reserved2)
        st = socind__fail(SOCIND_ERR_ARG, "socind_growth_input.reserved2 must be 0, got %d",
                          (int)in->reserved2);
    return st;
}

/* The thread count a checked input asks for (1 for a caller's struct that
 * ends before the field). */
#define INPUT_THREADS(in, type) (HAS_FIELD(in, type, threads) ? (in)->threads : 1)

#define OUTPUT_SIZE_OK(o) (socind__sized_extent((o), OUTPUT_V1_SIZE, sizeof *(o)) > 0)

typedef struct {
    const socind_growth_input *in;
    const socind_growth_output *out;
    int rounding;
} growth06_job;

/* Rows [begin, end) of socind_growth_who2006, checked arguments. */
static void rows06(const void *arg, size_t begin, size_t end) {
    const growth06_job *job = arg;
    const socind_growth_input *in = job->in;
    const socind_growth_output *out = job->out;
    int rounding = job->rounding;
    int need_bmi = out->cbmi || out->zbmi || out->fbmi;
    prep06 c[BLOCK];
    double y[BLOCK];
    for (size_t k0 = begin; k0 < end; k0 += BLOCK) {
        size_t nb = end - k0 < BLOCK ? end - k0 : BLOCK;
        for (size_t i = 0; i < nb; i++) {
            size_t k = k0 + i;
            double hc = at(in->headc, k), ac = at(in->armc, k), ts = at(in->triskin, k),
                   ss = at(in->subskin, k);
            int neg = hc < 0 || ac < 0 || ts < 0 || ss < 0;
            int inf = isinf(hc) || isinf(ac) || isinf(ts) || isinf(ss);
            int zero = hc == 0.0 || ac == 0.0 || ts == 0.0 || ss == 0.0;
            prepare06(in->sex[k], at(in->age, k), in->age_in_months, at(in->weight, k),
                      at(in->lenhei, k), code_at(in->measure, k), code_at(in->oedema, k), neg, inf,
                      zero, need_bmi, &c[i]);
        }
        for (size_t i = 0; i < nb; i++) {
            size_t k = k0 + i;
            if (out->clenhei) out->clenhei[k] = c[i].lh;
            if (out->cmeasure) out->cmeasure[k] = c[i].cmeasure;
            if (out->c9mo_flag) out->c9mo_flag[k] = c[i].c9mo;
            if (out->cbmi) out->cbmi[k] = c[i].bmi;
            if (out->reason) out->reason[k] = c[i].reason;
        }
        if (out->zlen || out->flen) {
            for (size_t i = 0; i < nb; i++) y[i] = c[i].lh;
            age_block(&socind__who_lenanthro, c, y, k0, nb, 0, 0.0, 0, FLAG_6, rounding, out->zlen,
                      out->flen);
        }
        if (out->zwei || out->fwei) {
            for (size_t i = 0; i < nb; i++) y[i] = measurement(in->weight, k0 + i);
            age_block(&socind__who_weianthro, c, y, k0, nb, 1, 0.0, 1, FLAG_5_6, rounding,
                      out->zwei, out->fwei);
        }
        if (out->zbmi || out->fbmi) {
            for (size_t i = 0; i < nb; i++) y[i] = c[i].bmi;
            age_block(&socind__who_bmianthro, c, y, k0, nb, 1, 0.0, 1, FLAG_5, rounding, out->zbmi,
                      out->fbmi);
        }
        if (out->zhc || out->fhc) {
            for (size_t i = 0; i < nb; i++) y[i] = measurement(in->headc, k0 + i);
            age_block(&socind__who_hcanthro, c, y, k0, nb, 0, 0.0, 0, FLAG_5, rounding, out->zhc,
                      out->fhc);
        }
        if (out->zac || out->fac) {
            for (size_t i = 0; i < nb; i++) y[i] = measurement(in->armc, k0 + i);
            age_block(&socind__who_acanthro, c, y, k0, nb, 1, 91.0, 0, FLAG_5, rounding, out->zac,
                      out->fac);
        }
        if (out->zts || out->fts) {
            for (size_t i = 0; i < nb; i++) y[i] = measurement(in->triskin, k0 + i);
            age_block(&socind__who_tsanthro, c, y, k0, nb, 1, 91.0, 0, FLAG_5, rounding, out->zts,
                      out->fts);
        }
        if (out->zss || out->fss) {
            for (size_t i = 0; i < nb; i++) y[i] = measurement(in->subskin, k0 + i);
            age_block(&socind__who_ssanthro, c, y, k0, nb, 1, 91.0, 0, FLAG_5, rounding, out->zss,
                      out->fss);
        }
        if (out->zwfl || out->fwfl) {
            double z[BLOCK], zz[BLOCK];
            int32_t ff[BLOCK];
            for (size_t i = 0; i < nb; i++) {
                double w = measurement(in->weight, k0 + i);
                z[i] = c[i].sex ? wfl_z(w, c[i].lh, c[i].sex, c[i].days, c[i].months, c[i].cmeasure,
                                        c[i].oedema_blocks)
                                : NAN;
            }
            for (size_t i = nb; i < BLOCK; i++) z[i] = NAN;
            finish_block(z, rounding, FLAG_5, zz, ff);
            if (out->zwfl) memcpy(out->zwfl + k0, zz, nb * sizeof *zz);
            if (out->fwfl) memcpy(out->fwfl + k0, ff, nb * sizeof *ff);
        }
    }
}

int32_t socind_growth_who2006(size_t n, const socind_growth_input *in, int32_t rounding,
                              const socind_growth_output *out) {
    socind__clear_detail();
    int32_t st = SOCIND_OK;
    if (!in)
        st = socind__fail(SOCIND_ERR_NULL, "in is NULL");
    else if (!out)
        st = socind__fail(SOCIND_ERR_NULL, "out is NULL");
    else if ((st = socind__growth_input_check(in)) ||
             (st = socind__check_sized(out, OUTPUT_V1_SIZE, sizeof *out, "socind_growth_output")))
        ; /* said */
    else if (!in->sex && n > 0)
        st = socind__fail(SOCIND_ERR_NULL, "in->sex is NULL");
    else if (rounding != SOCIND_ROUND_WHO && rounding != SOCIND_ROUND_NONE)
        st = socind__fail(SOCIND_ERR_ARG, "unknown rounding %d", (int)rounding);
    else if (in->age_in_months != 0 && in->age_in_months != 1)
        st = socind__fail(SOCIND_ERR_ARG, "age_in_months must be 0 or 1, got %d",
                          (int)in->age_in_months);
    if (st) {
        /* the columns of an output struct that can be read are left defined */
        if (out && OUTPUT_SIZE_OK(out)) fail_outputs06(n, out);
        return st;
    }
    growth06_job job = {in, out, rounding};
    run_ranges(n, threads_for(INPUT_THREADS(in, socind_growth_input), n), rows06, &job);
    return SOCIND_OK;
}

int32_t socind_growth_child_input_init(socind_growth_child_input *child) {
    int32_t st = socind__init_sized(child, sizeof *child, "child");
    if (st) return st;
    child->sex = child->measure = child->oedema = SOCIND_CODE_MISSING;
    child->age = child->weight = child->lenhei = NAN;
    child->headc = child->armc = child->triskin = child->subskin = NAN;
    return SOCIND_OK;
}

/* what a failure leaves in a child's output */
static void child_output_clear(socind_growth_child_output *out) {
    size_t size = out->size;
    /* the bytes the caller's struct has (a field added after the first
       version is written only within out->size) */
    memset(out, 0, size < sizeof *out ? size : sizeof *out);
    out->size = size;
    for (int i = 0; i < SOCIND_Z_COUNT; i++) {
        out->z[i] = NAN;
        out->flag[i] = -1;
    }
    out->cmeasure = -1;
    out->clenhei = out->cbmi = NAN;
}

int32_t socind_growth_child_output_init(socind_growth_child_output *out) {
    int32_t st = socind__init_sized(out, sizeof *out, "out");
    if (!st) child_output_clear(out);
    return st;
}

#define CHILD_INPUT_V1_SIZE (offsetof(socind_growth_child_input, subskin) + sizeof(double))
#define CHILD_OUTPUT_V1_SIZE (offsetof(socind_growth_child_output, cbmi) + sizeof(double))
/* a size an _init function of this or a later version sets */
#define SIZE_OK(o, v1) (socind__sized_extent((o), (v1), sizeof *(o)) > 0)

int32_t socind_growth_who2006_child(const socind_growth_child_input *child, int32_t rounding,
                                    socind_growth_child_output *out) {
    socind__clear_detail();
    int32_t st = SOCIND_OK;
    if (!child || !out)
        st = socind__fail(SOCIND_ERR_NULL, "%s is NULL", !child ? "child" : "out");
    else if ((st = socind__check_sized(child, CHILD_INPUT_V1_SIZE, sizeof *child,
                                       "socind_growth_child_input")))
        ; /* said */
    else if (!SIZE_OK(out, CHILD_OUTPUT_V1_SIZE))
        st = socind__fail(SOCIND_ERR_OPTIONS,
                          "socind_growth_child_output.size is %zu; use "
                          "socind_growth_child_output_init()",
                          out->size);
    if (out && SIZE_OK(out, CHILD_OUTPUT_V1_SIZE)) child_output_clear(out);
    if (st) return st;
    socind_growth_input in;
    socind_growth_output o;
    socind_growth_input_init(&in);
    socind_growth_output_init(&o);
    in.sex = &child->sex, in.age = &child->age, in.age_in_months = child->age_in_months;
    in.weight = &child->weight, in.lenhei = &child->lenhei, in.measure = &child->measure;
    in.oedema = &child->oedema, in.headc = &child->headc, in.armc = &child->armc;
    in.triskin = &child->triskin, in.subskin = &child->subskin;
    double *z = out->z;
    int32_t *flag = out->flag;
    o.zlen = z + SOCIND_Z_LEN, o.zwei = z + SOCIND_Z_WEI, o.zwfl = z + SOCIND_Z_WFL;
    o.zbmi = z + SOCIND_Z_BMI, o.zhc = z + SOCIND_Z_HC, o.zac = z + SOCIND_Z_AC;
    o.zts = z + SOCIND_Z_TS, o.zss = z + SOCIND_Z_SS;
    o.flen = flag + SOCIND_Z_LEN, o.fwei = flag + SOCIND_Z_WEI, o.fwfl = flag + SOCIND_Z_WFL;
    o.fbmi = flag + SOCIND_Z_BMI, o.fhc = flag + SOCIND_Z_HC, o.fac = flag + SOCIND_Z_AC;
    o.fts = flag + SOCIND_Z_TS, o.fss = flag + SOCIND_Z_SS;
    o.reason = &out->reason, o.cmeasure = &out->cmeasure, o.c9mo_flag = &out->c9mo_flag;
    o.clenhei = &out->clenhei, o.cbmi = &out->cbmi;
    st = socind_growth_who2006(1, &in, rounding, &o);
    if (st) child_output_clear(out);
    return st;
}

/* ---- 2007 reference (5–19 y) ---- */

/* L, M, S interpolated between whole months; 0 if a needed row is missing. */
static inline int lms_months(const socind__lms_table *t, int32_t sex, double age, double *L,
                             double *M, double *S) {
    /* age is in [60, 228] here: conversion truncates like trunc() */
    double lo = (double)(int64_t)age, up = (double)(int64_t)(age + 1.0), diff = age - lo;
    const double *pl = socind__lms_row(t, sex, (int64_t)lo);
    if (!pl) return 0;
    if (diff > 0.0) {
        const double *pu = socind__lms_row(t, sex, (int64_t)up);
        if (!pu) return 0;
        *L = pl[0] + diff * (pu[0] - pl[0]);
        *M = pl[1] + diff * (pu[1] - pl[1]);
        *S = pl[2] + diff * (pu[2] - pl[2]);
    } else {
        *L = pl[0];
        *M = pl[1];
        *S = pl[2];
    }
    return 1;
}

int32_t socind_growth2007_input_init(socind_growth2007_input *in) {
    int32_t st = socind__init_sized(in, sizeof *in, "in");
    if (!st) in->threads = 1;
    return st;
}

int32_t socind_growth2007_output_init(socind_growth2007_output *out) {
    return socind__init_sized(out, sizeof *out, "out");
}

#define INPUT07_V1_SIZE (offsetof(socind_growth2007_input, oedema) + sizeof(const int32_t *))
#define OUTPUT07_V1_SIZE (offsetof(socind_growth2007_output, reason) + sizeof(int32_t *))

typedef struct {
    const socind_growth2007_input *in;
    const socind_growth2007_output *out;
    int rounding;
} growth07_job;

/* Rows [begin, end) of socind_growth_who2007, checked arguments. */
static void rows07(const void *arg, size_t begin, size_t end) {
    const growth07_job *job = arg;
    const socind_growth2007_input *in = job->in;
    const socind_growth2007_output *out = job->out;
    int rounding = job->rounding;
    const int32_t *sex = in->sex, *oedema = in->oedema;
    const double *age_months = in->age_months, *height_cm = in->height_cm,
                 *weight_kg = in->weight_kg;
    double *cbmi = out->cbmi, *zhfa = out->zhfa, *zwfa = out->zwfa, *zbfa = out->zbfa;
    int32_t *fhfa = out->fhfa, *fwfa = out->fwfa, *fbfa = out->fbfa, *reason = out->reason;
    for (size_t k = begin; k < end; k++) {
        int32_t r = 0;
        int32_t s = sex[k];
        double age = age_months[k];
        double h = at(height_cm, k), w = at(weight_kg, k);
        int32_t oe = code_at(oedema, k);
        int ok = 1, oed_blocks = 0;
        if (s != SOCIND_SEX_MALE && s != SOCIND_SEX_FEMALE) {
            r |= s == SOCIND_CODE_MISSING ? SOCIND_GROWTH_SEX_MISSING : SOCIND_GROWTH_SEX_INVALID;
            ok = 0;
        }
        if (isnan(age)) {
            r |= SOCIND_GROWTH_AGE_MISSING;
            ok = 0;
        } else if (age < 0.0) {
            r |= SOCIND_GROWTH_AGE_NEGATIVE;
            ok = 0;
        } else if (age < 60.0 || age > 228.0) {
            r |= SOCIND_GROWTH_AGE_OUT_OF_RANGE;
        }
        if (oe == SOCIND_OEDEMA_YES) {
            oed_blocks = 1;
            r |= SOCIND_GROWTH_OEDEMA;
        } else if (oe != SOCIND_OEDEMA_NO && oe != SOCIND_CODE_MISSING) {
            oed_blocks = 1;
            r |= SOCIND_GROWTH_OEDEMA_INVALID;
        }
        if (h < 0.0 || w < 0.0) r |= SOCIND_GROWTH_NEGATIVE_VALUE;
        if (isinf(h) || isinf(w) || isinf(age)) r |= SOCIND_GROWTH_INFINITE_VALUE;
        if (h == 0.0) r |= SOCIND_GROWTH_ZERO_VALUE; /* (no BMI) */
        if (h < 0.0 || isinf(h)) h = NAN;
        if (w < 0.0 || isinf(w)) w = NAN;
        double t = h / 100.0;
        double bmi = h > 0.0 ? w / (t * t) : NAN; /* height 0: no BMI */
        bmi = isinf(bmi) ? NAN : bmi;
        double z1 = NAN, z2 = NAN, z3 = NAN, L, M, S;
        if (ok && age >= 60.0 && age <= 228.0) {
            if (lms_months(&socind__who_hfawho2007, s, age, &L, &M, &S)) z1 = lms_plain(h, L, M, S);
            if (!oed_blocks && lms_months(&socind__who_bfawho2007, s, age, &L, &M, &S))
                z3 = lms_restricted(bmi, L, M, S);
            if (!oed_blocks && age <= 120.0 &&
                lms_months(&socind__who_wfawho2007, s, age, &L, &M, &S))
                z2 = lms_restricted(w, L, M, S);
        }
        double zz;
        int32_t ff;
        finish(z1, rounding, FLAG_6, &zz, &ff);
        if (zhfa) zhfa[k] = zz;
        if (fhfa) fhfa[k] = ff;
        finish(z2, rounding, FLAG_5_6, &zz, &ff);
        if (zwfa) zwfa[k] = zz;
        if (fwfa) fwfa[k] = ff;
        finish(z3, rounding, FLAG_5, &zz, &ff);
        if (zbfa) zbfa[k] = zz;
        if (fbfa) fbfa[k] = ff;
        if (cbmi) cbmi[k] = bmi;
        if (reason) reason[k] = r;
    }
}

int32_t socind_growth_who2007(size_t n, const socind_growth2007_input *in, int32_t rounding,
                              const socind_growth2007_output *out) {
    socind__clear_detail();
    int32_t st = SOCIND_OK;
    if (!in || !out)
        st = socind__fail(SOCIND_ERR_NULL, "%s is NULL", !in ? "in" : "out");
    else if ((st = socind__check_sized(in, INPUT07_V1_SIZE, sizeof *in,
                                       "socind_growth2007_input")) ||
             (st = socind__check_sized(out, OUTPUT07_V1_SIZE, sizeof *out,
                                       "socind_growth2007_output")))
        ; /* said */
    else if (n > 0 && (!in->sex || !in->age_months))
        st = socind__fail(SOCIND_ERR_NULL, "in->%s is NULL", !in->sex ? "sex" : "age_months");
    else if (rounding != SOCIND_ROUND_WHO && rounding != SOCIND_ROUND_NONE)
        st = socind__fail(SOCIND_ERR_ARG, "unknown rounding %d", (int)rounding);
    else if (HAS_FIELD(in, socind_growth2007_input, threads) &&
             (st = check_threads(in->threads, "socind_growth2007_input")))
        ; /* said */
    else if (HAS_FIELD(in, socind_growth2007_input, reserved) && in->reserved)
        st = socind__fail(SOCIND_ERR_ARG, "socind_growth2007_input.reserved must be 0, got %d",
                          (int)in->reserved);
    if (st) { /* the outputs defined: NaN, flags −1, reasons 0 */
        if (!out || !SIZE_OK(out, OUTPUT07_V1_SIZE)) return st;
        double *d[4] = {out->cbmi, out->zhfa, out->zwfa, out->zbfa};
        int32_t *f[3] = {out->fhfa, out->fwfa, out->fbfa};
        for (int i = 0; i < 4; i++)
            if (d[i])
                for (size_t k = 0; k < n; k++) d[i][k] = NAN;
        for (int i = 0; i < 3; i++)
            if (f[i])
                for (size_t k = 0; k < n; k++) f[i][k] = -1;
        if (out->reason) memset(out->reason, 0, n * sizeof *out->reason);
        return st;
    }
    growth07_job job = {in, out, rounding};
    run_ranges(n, threads_for(INPUT_THREADS(in, socind_growth2007_input), n), rows07, &job);
    return SOCIND_OK;
}
