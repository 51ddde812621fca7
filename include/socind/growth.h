/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/growth.h — child growth z-scores and WHO's flags for implausible
 * values, exactly as WHO's R packages compute them:
 *  - WHO Child Growth Standards 2006, 0–5 years: anthro's anthro_zscores()
 *    (length/height-, weight-, BMI-, head circumference-, arm circumference-,
 *    triceps and subscapular skinfold-for-age, weight-for-length/height);
 *  - WHO Growth Reference 2007, 5–19 years: anthroplus's anthroplus_zscores()
 *    (height-, weight- and BMI-for-age).
 * The LMS tables are compiled into the library; no file is read.
 *
 * The rules (anthro 1.1.0.9000 and anthroplus 1.0.0.9000):
 *  - Age in days is rounded half up to whole days for the table look-up
 *    and the 731-day rules; months = days / 30.4375, unrounded, for the
 *    "< 60 months" and "< 9 months" rules. Age given in months becomes
 *    round_half_up(months × 30.4375) days.
 *  - A standing height under 9 months loses its position (c9mo_flag = 1,
 *    measure set to missing, no adjustment). Otherwise a standing height
 *    below 731 days gets +0.7 cm and a recumbent length from 731 days −0.7 cm.
 *    A missing position is never imputed for the adjustment.
 *  - BMI = weight / (clenhei/100)², from the adjusted length/height.
 *  - z = ((y/M)^L − 1)/(S·L); for weight-for-age, weight-for-length/height,
 *    BMI, arm circumference and the skinfolds, beyond ±3 the "restricted"
 *    formula z = ±3 + (y − SD±3)/(SD±3 − SD±2) with SDk = M(1 + L·S·k)^(1/L).
 *  - Weight-for-length (age < 731 days, or age missing and position lying, or
 *    age and position missing and length < 87 cm) or weight-for-height: L, M,
 *    S interpolated linearly between the 0.1 cm rows (k = trunc(10·lh)), valid
 *    for 45–110 cm (length) and 65–120 cm (height); needs no age.
 *  - Age-based indicators need 0 ≤ days ≤ 1856 (91 for arm circumference and
 *    skinfolds) and months < 60, and a measurement > 0; weight-based ones need
 *    oedema = no. 2007: months in 60–228 (height, BMI) or 60–120 (weight), L,
 *    M, S interpolated between whole months.
 *  - Flags (WHO): |zlen| > 6; zwei < −6 or > 5; |z| > 5 for the others; 2007:
 *    |zhfa| > 6; zwfa < −6 or > 5; |zbfa| > 5. Flags do not blank z-scores.
 *  - Rounding SOCIND_ROUND_WHO (default): z rounded to 2 decimals as R's
 *    round(x, 2) does (nearest, ties to the even last digit, on the decimal
 *    value), flags applied to the rounded z, as WHO's software does; this is
 *    what reproduces official figures. SOCIND_ROUND_NONE: full precision,
 *    flags on the unrounded z.
 *
 * Where socind differs from WHO's code, on purpose: WHO's functions stop the
 * whole batch on an invalid sex, measure or oedema code or a negative age (and
 * anthroplus on any negative measurement). socind never fails the batch for a
 * row's values: such a row gets NaN z-scores where the value matters and a
 * reason bit (SOCIND_GROWTH_*) the caller can count. anthro turns weight or
 * length 0 into missing for the age-based indicators (as here, with the
 * reason bit SOCIND_GROWTH_ZERO_VALUE); anthroplus computes (flagged)
 * z-scores for 0 (as here). A negative or infinite
 * measurement gives NaN in every z-score that uses it, BMI included (anthro
 * squares a negative length into a BMI; it is refused here), with the reason
 * bit SOCIND_GROWTH_NEGATIVE_VALUE or SOCIND_GROWTH_INFINITE_VALUE. A length
 * or height of 0 (or a length that the −0.7 cm adjustment makes <= 0) gives
 * no BMI: cbmi and the BMI z-score are NaN (anthro and anthroplus compute
 * BMI = Inf there and flag its z-score). No z-score or cbmi is ever ±Inf:
 * one beyond the double range (a measurement near 1e308, a length near 0)
 * is NaN.
 *
 * anthro 1.0.1 (the CRAN release) differs from the rules above in one place,
 * not copied here: its weight-for-length/height sets a weight below 0.9 kg
 * or above 58 kg (and a length/height below 38 or above 150 cm, outside the
 * 45–120 cm the z-score needs anyway) to missing before the z-score, so
 * zwfl/fwfl are NA there (e.g. 60 kg at 79.9 cm, 23 months: anthro 1.0.1
 * NA, 1.1.0.9000 and socind 39.83, flagged; 0.5 kg at 68.3 cm: NA against
 * −14.57, flagged). Every other 2006 z-score and flag, and cbmi and
 * clenhei, are the same in both versions. In the prevalence table such a
 * child is flagged, so excluded, either way.
 *
 * Codes: sex 1 = male, 2 = female; measure 1 = recumbent length ("l"),
 * 2 = standing height ("h"); oedema 0 = no, 1 = yes. SOCIND_CODE_MISSING (−1)
 * means missing for each (a missing oedema means no, as in WHO's code).
 * Missing numbers are NaN.
 */
#ifndef SOCIND_GROWTH_H
#define SOCIND_GROWTH_H

#include "socind/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SOCIND_CODE_MISSING (-1)
#define SOCIND_SEX_MALE 1
#define SOCIND_SEX_FEMALE 2
#define SOCIND_MEASURE_LYING 1    /* recumbent length, WHO's "l" */
#define SOCIND_MEASURE_STANDING 2 /* standing height, WHO's "h" */
#define SOCIND_OEDEMA_NO 0
#define SOCIND_OEDEMA_YES 1

#define SOCIND_ROUND_WHO 0  /* z to 2 decimals as R's round(x, 2); flags on it */
#define SOCIND_ROUND_NONE 1 /* full precision */

/* Per-row reason bits (a row may carry several). 0 = nothing to report. */
#define SOCIND_GROWTH_SEX_MISSING 0x001      /* sex missing: every z-score NaN */
#define SOCIND_GROWTH_SEX_INVALID 0x002      /* sex code not 1/2/−1: every z NaN */
#define SOCIND_GROWTH_AGE_MISSING 0x004      /* age NaN: age-based z NaN */
#define SOCIND_GROWTH_AGE_NEGATIVE 0x008     /* age < 0: every z-score NaN */
#define SOCIND_GROWTH_AGE_OUT_OF_RANGE 0x010 /* beyond the reference's ages */
#define SOCIND_GROWTH_MEASURE_INVALID 0x020  /* measure code not 1/2/−1: taken as missing */
#define SOCIND_GROWTH_OEDEMA_INVALID                                                               \
    0x040 /* oedema code not 0/1/−1: z NaN for the                                               \
              weight-based indicators */
#define SOCIND_GROWTH_NEGATIVE_VALUE                                                               \
    0x080 /* a measurement < 0: every z-score that uses it is NaN (a                               \
             length: zlen, zwfl, zbmi, cbmi, clenhei; a weight: zwei, zwfl,                        \
             zbmi, cbmi; 2007 likewise) */
#define SOCIND_GROWTH_STANDING_UNDER_9MO 0x100 /* WHO's c9mo_flag */
#define SOCIND_GROWTH_OEDEMA 0x200             /* oedema: weight-based z-scores NaN */
#define SOCIND_GROWTH_INFINITE_VALUE                                                               \
    0x400 /* a measurement or the age is +-Inf: a measurement is then                              \
             treated as the negative ones above (its z-scores NaN); an                             \
             infinite age is also out of range (or negative) */
#define SOCIND_GROWTH_ZERO_VALUE                                                                   \
    0x800 /* a measurement of 0 (or a length the −0.7 cm adjustment                              \
             takes to <= 0): taken as missing, as anthro does, by the                              \
             2006 age-based z-scores that use it (a weight or length                               \
             of 0: zwei or zlen, and zbmi and cbmi); weight-for-length                             \
             is still computed for a weight of 0. 2007: a height of 0                              \
             (no BMI: zbfa and cbmi NaN) */

/* Columns of the 2006 standards (0–5 y). Any pointer may be NULL (all
 * missing), except sex. Lengths are n. */
typedef struct socind_growth_input {
    size_t size;           /* sizeof(socind_growth_input) */
    const int32_t *sex;    /* 1, 2, or −1 */
    const double *age;     /* age in days (or months, see age_in_months) */
    int32_t age_in_months; /* 0: age is in days (default), 1: in months */
    int32_t reserved;
    const double *weight;   /* kg */
    const double *lenhei;   /* length or height, cm, as measured */
    const int32_t *measure; /* 1 lying, 2 standing, −1 missing */
    const int32_t *oedema;  /* 0 no, 1 yes, −1 missing (= no) */
    const double *headc;    /* head circumference, cm */
    const double *armc;     /* mid-upper arm circumference, cm */
    const double *triskin;  /* triceps skinfold, mm */
    const double *subskin;  /* subscapular skinfold, mm */
    int32_t threads;        /* threads the call may use: 1 (default: the
                               library starts no thread unasked), 2 ..
                               SOCIND_MAX_THREADS, or 0 for one per online
                               processor (as socind_options.threads). A
                               caller whose struct (size) ends before it
                               gets 1 */
    int32_t reserved2;      /* 0 */
} socind_growth_input;

/* Output columns (caller-allocated, n each). Any pointer may be NULL to skip
 * that output. z-scores are NaN where not computed; flags are 1 (flagged),
 * 0, or −1 where the z-score is NaN. Names are WHO's. */
typedef struct socind_growth_output {
    size_t size;        /* sizeof(socind_growth_output) */
    double *clenhei;    /* length/height after the ±0.7 cm adjustment */
    int32_t *cmeasure;  /* cleaned position (1, 2, −1) */
    int32_t *c9mo_flag; /* 1 = standing height under 9 months */
    double *cbmi;       /* weight / (clenhei/100)² */
    double *zlen, *zwei, *zwfl, *zbmi, *zhc, *zac, *zts, *zss;
    int32_t *flen, *fwei, *fwfl, *fbmi, *fhc, *fac, *fts, *fss;
    int32_t *reason; /* SOCIND_GROWTH_* bits */
} socind_growth_output;

/* Fills the structs' size fields and sets every pointer to NULL (flags to 0)
 * and the input's threads to 1. Return SOCIND_ERR_NULL for NULL.
 * Thread-safe. */
SOCIND_API int32_t socind_growth_input_init(socind_growth_input *in);
SOCIND_API int32_t socind_growth_output_init(socind_growth_output *out);

/* z-scores and flags of the WHO 2006 standards for n children in one pass
 * (no allocation). rounding: SOCIND_ROUND_WHO or SOCIND_ROUND_NONE.
 * Returns SOCIND_OK; SOCIND_ERR_NULL (in or out NULL, or in->sex with n > 0),
 * SOCIND_ERR_OPTIONS (a size field not set by the _init functions),
 * SOCIND_ERR_ARG (unknown rounding, age_in_months not 0/1, in->threads
 * outside 0 .. SOCIND_MAX_THREADS, a reserved field not 0). A row's own
 * problems never fail the batch: they give NaN and reason bits. n = 0 is
 * allowed and does nothing. On failure, when out is readable (non-NULL, its
 * size set by socind_growth_output_init()), each of its columns holds n
 * defined values: z-scores, clenhei and cbmi NaN, flags and cmeasure −1,
 * c9mo_flag and reason 0.
 * Threads: rows are independent, so with in->threads other than 1 the
 * threads (at least 8192 rows each: fewer rows use fewer threads, under
 * 16384 rows only the calling thread) take the rows 4,096 at a time, in
 * order, as each asks for more: a thread that starts late or shares its
 * core with other work leaves its rows to the others. The outputs are bit
 * for bit those of one thread, and every status is decided before any
 * thread starts, so it is the same too. A thread the system refuses to
 * create is not an error: the others compute its rows. The threads
 * are joined before the call returns. Cost: about 20 ns a row for
 * length/height-for-age, 50 ns for weight-for-length/height on one core
 * (bench/bench_growth.c). Thread-safe. */
SOCIND_API int32_t socind_growth_who2006(size_t n, const socind_growth_input *in, int32_t rounding,
                                         const socind_growth_output *out);

/* Indices of socind_growth_child_output's z and flag arrays (WHO 2006). */
#define SOCIND_Z_LEN 0 /* length/height-for-age */
#define SOCIND_Z_WEI 1 /* weight-for-age */
#define SOCIND_Z_WFL 2 /* weight-for-length/height */
#define SOCIND_Z_BMI 3 /* BMI-for-age */
#define SOCIND_Z_HC 4  /* head circumference-for-age */
#define SOCIND_Z_AC 5  /* arm circumference-for-age */
#define SOCIND_Z_TS 6  /* triceps skinfold-for-age */
#define SOCIND_Z_SS 7  /* subscapular skinfold-for-age */
#define SOCIND_Z_COUNT 8

/* One child's measurements, WHO 2006: the scalar twin of
 * socind_growth_input (the same fields, codes and units). */
typedef struct socind_growth_child_input {
    size_t size;           /* sizeof(socind_growth_child_input) */
    int32_t sex;           /* 1, 2, or −1 */
    int32_t age_in_months; /* 0: age is in days (default), 1: in months */
    double age;            /* age in days (or months); NaN missing */
    double weight;         /* kg */
    double lenhei;         /* length or height, cm, as measured */
    int32_t measure;       /* 1 lying, 2 standing, −1 missing */
    int32_t oedema;        /* 0 no, 1 yes, −1 missing (= no) */
    double headc;          /* head circumference, cm */
    double armc;           /* mid-upper arm circumference, cm */
    double triskin;        /* triceps skinfold, mm */
    double subskin;        /* subscapular skinfold, mm */
} socind_growth_child_input;

/* One child's results: socind_growth_output's columns for one row. */
typedef struct socind_growth_child_output {
    size_t size;                  /* sizeof(socind_growth_child_output) */
    double z[SOCIND_Z_COUNT];     /* z-scores in SOCIND_Z_* order; NaN where not computed */
    int32_t flag[SOCIND_Z_COUNT]; /* 1 flagged, 0 not, −1 where z is NaN */
    int32_t reason;               /* SOCIND_GROWTH_* bits */
    int32_t cmeasure;             /* cleaned position (1, 2, −1) */
    int32_t c9mo_flag;            /* 1 = standing height under 9 months */
    int32_t reserved;             /* 0 */
    double clenhei;               /* length/height after the ±0.7 cm adjustment */
    double cbmi;                  /* weight / (clenhei/100)² */
} socind_growth_child_output;

/* Fill the struct's size field; the input gets missing values (codes −1,
 * numbers NaN, age in days), the output what a failure leaves: z-scores,
 * clenhei and cbmi NaN, flags and cmeasure −1, c9mo_flag, reason and
 * reserved 0. Return SOCIND_ERR_NULL for NULL. Thread-safe. */
SOCIND_API int32_t socind_growth_child_input_init(socind_growth_child_input *child);
SOCIND_API int32_t socind_growth_child_output_init(socind_growth_child_output *out);

/* One child, WHO 2006: socind_growth_who2006() on one row (the same rules,
 * reason bits and rounding). Returns SOCIND_OK; SOCIND_ERR_NULL (child or
 * out NULL); SOCIND_ERR_OPTIONS (a size field not set by the _init
 * functions); SOCIND_ERR_ARG (unknown rounding, age_in_months not 0/1). The
 * child's own problems never fail the call: they give NaN and reason bits.
 * On failure a readable *out (its size set by
 * socind_growth_child_output_init()) holds what that function sets. No
 * allocation. Thread-safe. */
SOCIND_API int32_t socind_growth_who2006_child(const socind_growth_child_input *child,
                                               int32_t rounding, socind_growth_child_output *out);

/* Columns of the WHO 2007 reference (5–19 y). sex and age_months are
 * required (for n > 0); the other pointers may be NULL (all missing).
 * Lengths are n. */
typedef struct socind_growth2007_input {
    size_t size;              /* sizeof(socind_growth2007_input) */
    const int32_t *sex;       /* 1, 2, or −1 */
    const double *age_months; /* age in months, not rounded */
    const double *height_cm;  /* height (or length), cm; no position adjustment */
    const double *weight_kg;  /* kg */
    const int32_t *oedema;    /* 0 no, 1 yes, −1 missing (= no) */
    int32_t threads;          /* as socind_growth_input.threads: 1 (default),
                                 2 .. SOCIND_MAX_THREADS, or 0 for one per
                                 online processor; a caller whose struct
                                 (size) ends before it gets 1 */
    int32_t reserved;         /* 0 */
} socind_growth2007_input;

/* Output columns of the WHO 2007 reference (caller-allocated, n each); any
 * pointer may be NULL to skip that output. Names are WHO's. */
typedef struct socind_growth2007_output {
    size_t size;     /* sizeof(socind_growth2007_output) */
    double *cbmi;    /* weight / (height/100)² */
    double *zhfa;    /* height-for-age, 60–228 months */
    double *zwfa;    /* weight-for-age, 60–120 months, not with oedema */
    double *zbfa;    /* BMI-for-age, 60–228 months, not with oedema */
    int32_t *fhfa;   /* 1 = flagged (|zhfa| > 6), 0, or −1 where zhfa is NaN */
    int32_t *fwfa;   /* 1 = flagged (zwfa < −6 or > 5), 0, or −1 */
    int32_t *fbfa;   /* 1 = flagged (|zbfa| > 5), 0, or −1 */
    int32_t *reason; /* SOCIND_GROWTH_* bits */
} socind_growth2007_output;

/* Fill the structs' size fields and set every pointer to NULL and the
 * input's threads to 1. Return SOCIND_ERR_NULL for NULL. Thread-safe. */
SOCIND_API int32_t socind_growth2007_input_init(socind_growth2007_input *in);
SOCIND_API int32_t socind_growth2007_output_init(socind_growth2007_output *out);

/* WHO 2007 reference (5–19 y), anthroplus_zscores(), for n children in one
 * pass (no allocation): age in months (not rounded), height cm, weight kg,
 * oedema codes as above; L, M, S interpolated between whole months. zhfa
 * (60–228 months), zwfa (60–120 months, not with oedema), zbfa (60–228
 * months, not with oedema). rounding: SOCIND_ROUND_WHO or SOCIND_ROUND_NONE.
 * Returns SOCIND_OK; SOCIND_ERR_NULL (in or out NULL, or in->sex or
 * in->age_months NULL with n > 0); SOCIND_ERR_OPTIONS (a size field not set
 * by the _init functions); SOCIND_ERR_ARG (unknown rounding, in->threads
 * outside 0 .. SOCIND_MAX_THREADS, in->reserved not 0). A row's own
 * problems never fail the batch. n = 0 is allowed and does nothing. On
 * failure, when out is readable (its size set by
 * socind_growth2007_output_init()), the given columns hold n values: NaN
 * (cbmi and z-scores), −1 (flags) and 0 (reason). in->threads splits the
 * rows over threads as socind_growth_who2006() does, with the same
 * guarantees (outputs and statuses bit for bit those of one thread).
 * Thread-safe. */
SOCIND_API int32_t socind_growth_who2007(size_t n, const socind_growth2007_input *in,
                                         int32_t rounding, const socind_growth2007_output *out);

/* R's round(x, 2) (R >= 4.0): the nearer of the two 2-decimal neighbours of
 * x, the one with an even last digit on an exact tie; NaN and ±Inf pass
 * through. Exposed so callers can round other figures the same way.
 * Thread-safe. */
SOCIND_API double socind_round2(double x);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_GROWTH_H */
