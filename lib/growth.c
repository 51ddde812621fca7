/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/growth.c — WHO 2006 standards (anthro) and 2007 reference (anthroplus)
 * z-scores and flags. The arithmetic keeps the shapes of WHO's R code
 * (pow, not exp/log; left-to-right products; no FMA contraction: the library
 * is compiled with -ffp-contract=off) so results agree bit for bit. */
#include <string.h>

#include "growth_tables.h"
#include "internal.h"

#define DAYS_PER_MONTH 30.4375

double socind_round2(double x) {
    if (!isfinite(x)) return x;
    double ax = fabs(x);
    double x100 = 100.0 * ax;
    double lo_i = floor(x100);
    double down = lo_i / 100.0, up = ceil(x100) / 100.0;
    double to_up = up - ax, to_down = ax - down;
    /* the nearer neighbour; on an exact tie the one whose last digit is even */
    double r;
    if (to_up < to_down)
        r = up;
    else if (to_up > to_down)
        r = down;
    else
        r = fmod(lo_i, 2.0) == 1.0 ? up : down;
    return x < 0 ? -r : r;
}

int32_t socind_growth_input_init(socind_growth_input *in) {
    socind__clear_detail();
    if (!in) return socind__fail(SOCIND_ERR_NULL, "in is NULL");
    memset(in, 0, sizeof *in);
    in->size = sizeof *in;
    return SOCIND_OK;
}

int32_t socind_growth_output_init(socind_growth_output *out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    return SOCIND_OK;
}

/* ---- LMS ---- */
static inline double lms_plain(double y, double L, double M, double S) {
    return (pow(y / M, L) - 1.0) / (S * L);
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
    if (rounding == SOCIND_ROUND_WHO) z = socind_round2(z);
    int32_t f;
    if (isnan(z))
        f = -1;
    else if (kind == FLAG_6)
        f = fabs(z) > 6.0;
    else if (kind == FLAG_5_6)
        f = z < -6.0 || z > 5.0;
    else
        f = fabs(z) > 5.0;
    *zo = z;
    *fo = f;
}

static inline double round_half_up(double x) {
    double f = floor(x);
    return f + (x - f >= 0.5 ? 1.0 : 0.0);
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
    double k_low = trunc(lh * 10.0), k_upp = trunc(lh * 10.0 + 1.0);
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

/* What the caller wants computed (bits by SOCIND_Z_* index). */
typedef struct {
    double clenhei, cbmi;
    int32_t cmeasure, c9mo, reason;
    double z[SOCIND_Z_COUNT];
    int32_t f[SOCIND_Z_COUNT];
} child06;

static inline double at(const double *a, size_t k) {
    return a ? a[k] : NAN;
}
static inline int32_t code_at(const int32_t *a, size_t k) {
    return a ? a[k] : SOCIND_CODE_MISSING;
}

static void one_child06(int32_t sex, double age, int age_in_months, double weight, double lenhei,
                        int32_t measure, int32_t oedema, double headc, double armc, double triskin,
                        double subskin, int rounding, unsigned want, child06 *c) {
    int32_t reason = 0;
    for (int i = 0; i < SOCIND_Z_COUNT; i++) {
        c->z[i] = NAN;
        c->f[i] = -1;
    }
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
        days = round_half_up(age * DAYS_PER_MONTH);
        months = age;
    } else {
        days = round_half_up(age);
        months = age / DAYS_PER_MONTH;
    }
    if (!isnan(days) && (days > 1826.0 || !(months < 60.0)))
        reason |= SOCIND_GROWTH_AGE_OUT_OF_RANGE;
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
    double lh = lenhei;
    if (!isnan(days)) {
        if (days < 731.0 && cm == SOCIND_MEASURE_STANDING)
            lh = lenhei + 0.7;
        else if (days >= 731.0 && cm == SOCIND_MEASURE_LYING)
            lh = lenhei - 0.7;
    }
    double t = lh / 100.0;
    double bmi = weight / (t * t);
    if (weight < 0 || lenhei < 0 || headc < 0 || armc < 0 || triskin < 0 || subskin < 0)
        reason |= SOCIND_GROWTH_NEGATIVE_VALUE;
    c->clenhei = lh;
    c->cbmi = bmi;
    c->cmeasure = cm;
    c->c9mo = c9;
    c->reason = reason;
    if (!sex_ok) return;
    if (want & (1u << SOCIND_Z_LEN))
        finish(age_based(&socind__who_lenanthro, lh, sex, days, months, 0, 0.0, 0), rounding,
               FLAG_6, &c->z[SOCIND_Z_LEN], &c->f[SOCIND_Z_LEN]);
    if (want & (1u << SOCIND_Z_WEI))
        finish(age_based(&socind__who_weianthro, weight, sex, days, months, 1, 0.0, oed_blocks),
               rounding, FLAG_5_6, &c->z[SOCIND_Z_WEI], &c->f[SOCIND_Z_WEI]);
    if (want & (1u << SOCIND_Z_WFL))
        finish(wfl_z(weight < 0 ? NAN : weight, lh, sex, days, months, cm, oed_blocks), rounding,
               FLAG_5, &c->z[SOCIND_Z_WFL], &c->f[SOCIND_Z_WFL]);
    if (want & (1u << SOCIND_Z_BMI))
        finish(age_based(&socind__who_bmianthro, bmi, sex, days, months, 1, 0.0, oed_blocks),
               rounding, FLAG_5, &c->z[SOCIND_Z_BMI], &c->f[SOCIND_Z_BMI]);
    if (want & (1u << SOCIND_Z_HC))
        finish(age_based(&socind__who_hcanthro, headc, sex, days, months, 0, 0.0, 0), rounding,
               FLAG_5, &c->z[SOCIND_Z_HC], &c->f[SOCIND_Z_HC]);
    if (want & (1u << SOCIND_Z_AC))
        finish(age_based(&socind__who_acanthro, armc, sex, days, months, 1, 91.0, 0), rounding,
               FLAG_5, &c->z[SOCIND_Z_AC], &c->f[SOCIND_Z_AC]);
    if (want & (1u << SOCIND_Z_TS))
        finish(age_based(&socind__who_tsanthro, triskin, sex, days, months, 1, 91.0, 0), rounding,
               FLAG_5, &c->z[SOCIND_Z_TS], &c->f[SOCIND_Z_TS]);
    if (want & (1u << SOCIND_Z_SS))
        finish(age_based(&socind__who_ssanthro, subskin, sex, days, months, 1, 91.0, 0), rounding,
               FLAG_5, &c->z[SOCIND_Z_SS], &c->f[SOCIND_Z_SS]);
}

#define INPUT_V1_SIZE (offsetof(socind_growth_input, subskin) + sizeof(const double *))
#define OUTPUT_V1_SIZE (offsetof(socind_growth_output, reason) + sizeof(int32_t *))

int32_t socind_growth_who2006(size_t n, const socind_growth_input *in, int32_t rounding,
                              const socind_growth_output *out) {
    socind__clear_detail();
    if (!in) return socind__fail(SOCIND_ERR_NULL, "in is NULL");
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    if (in->size != sizeof *in && !(in->size >= INPUT_V1_SIZE && in->size <= 4096))
        return socind__fail(SOCIND_ERR_OPTIONS,
                            "socind_growth_input.size is %zu; use socind_growth_input_init()",
                            in->size);
    if (out->size != sizeof *out && !(out->size >= OUTPUT_V1_SIZE && out->size <= 4096))
        return socind__fail(SOCIND_ERR_OPTIONS,
                            "socind_growth_output.size is %zu; use socind_growth_output_init()",
                            out->size);
    if (!in->sex && n > 0) return socind__fail(SOCIND_ERR_NULL, "in->sex is NULL");
    if (rounding != SOCIND_ROUND_WHO && rounding != SOCIND_ROUND_NONE)
        return socind__fail(SOCIND_ERR_ARG, "unknown rounding %d", (int)rounding);
    if (in->age_in_months != 0 && in->age_in_months != 1)
        return socind__fail(SOCIND_ERR_ARG, "age_in_months must be 0 or 1, got %d",
                            (int)in->age_in_months);
    double *zo[SOCIND_Z_COUNT] = {out->zlen, out->zwei, out->zwfl, out->zbmi,
                                  out->zhc,  out->zac,  out->zts,  out->zss};
    int32_t *fo[SOCIND_Z_COUNT] = {out->flen, out->fwei, out->fwfl, out->fbmi,
                                   out->fhc,  out->fac,  out->fts,  out->fss};
    unsigned want = 0;
    for (int i = 0; i < SOCIND_Z_COUNT; i++)
        if (zo[i] || fo[i]) want |= 1u << i;
    for (size_t k = 0; k < n; k++) {
        child06 c;
        one_child06(in->sex[k], at(in->age, k), in->age_in_months, at(in->weight, k),
                    at(in->lenhei, k), code_at(in->measure, k), code_at(in->oedema, k),
                    at(in->headc, k), at(in->armc, k), at(in->triskin, k), at(in->subskin, k),
                    rounding, want, &c);
        if (out->clenhei) out->clenhei[k] = c.clenhei;
        if (out->cmeasure) out->cmeasure[k] = c.cmeasure;
        if (out->c9mo_flag) out->c9mo_flag[k] = c.c9mo;
        if (out->cbmi) out->cbmi[k] = c.cbmi;
        if (out->reason) out->reason[k] = c.reason;
        for (int i = 0; i < SOCIND_Z_COUNT; i++) {
            if (zo[i]) zo[i][k] = c.z[i];
            if (fo[i]) fo[i][k] = c.f[i];
        }
    }
    return SOCIND_OK;
}

int32_t socind_growth_who2006_child(int32_t sex, double age_days, double weight_kg,
                                    double lenhei_cm, int32_t measure, int32_t oedema,
                                    double headc_cm, double armc_cm, double triskin_mm,
                                    double subskin_mm, int32_t rounding, double *z, int32_t *flag,
                                    int32_t *reason) {
    socind__clear_detail();
    if (!z || !flag) return socind__fail(SOCIND_ERR_NULL, "z or flag is NULL");
    for (int i = 0; i < SOCIND_Z_COUNT; i++) {
        z[i] = NAN;
        flag[i] = -1;
    }
    if (reason) *reason = 0;
    if (rounding != SOCIND_ROUND_WHO && rounding != SOCIND_ROUND_NONE)
        return socind__fail(SOCIND_ERR_ARG, "unknown rounding %d", (int)rounding);
    child06 c;
    one_child06(sex, age_days, 0, weight_kg, lenhei_cm, measure, oedema, headc_cm, armc_cm,
                triskin_mm, subskin_mm, rounding, (1u << SOCIND_Z_COUNT) - 1, &c);
    memcpy(z, c.z, sizeof c.z);
    memcpy(flag, c.f, sizeof c.f);
    if (reason) *reason = c.reason;
    return SOCIND_OK;
}

/* ---- 2007 reference (5–19 y) ---- */

/* L, M, S interpolated between whole months; 0 if a needed row is missing. */
static inline int lms_months(const socind__lms_table *t, int32_t sex, double age, double *L,
                             double *M, double *S) {
    double lo = trunc(age), up = trunc(age + 1.0), diff = age - lo;
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

int32_t socind_growth_who2007(size_t n, const int32_t *sex, const double *age_months,
                              const double *height_cm, const double *weight_kg,
                              const int32_t *oedema, int32_t rounding, double *cbmi, double *zhfa,
                              double *zwfa, double *zbfa, int32_t *fhfa, int32_t *fwfa,
                              int32_t *fbfa, int32_t *reason) {
    socind__clear_detail();
    if (n > 0 && (!sex || !age_months))
        return socind__fail(SOCIND_ERR_NULL, "%s is NULL", !sex ? "sex" : "age_months");
    if (rounding != SOCIND_ROUND_WHO && rounding != SOCIND_ROUND_NONE)
        return socind__fail(SOCIND_ERR_ARG, "unknown rounding %d", (int)rounding);
    for (size_t k = 0; k < n; k++) {
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
        if (h < 0.0 || w < 0.0) {
            r |= SOCIND_GROWTH_NEGATIVE_VALUE;
            if (h < 0.0) h = NAN;
            if (w < 0.0) w = NAN;
        }
        double t = h / 100.0;
        double bmi = w / (t * t);
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
    return SOCIND_OK;
}
