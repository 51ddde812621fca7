/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/report_format.c — the brief's numbers in English or Indonesian format
 * (1,234.5 / 1.234,5), BPS's reliability convention on the relative standard
 * error (RSE = se / estimate: up to 25% reliable; 25–50% "use with caution",
 * marked †; above 50% not shown, ‡), changes and their significance.
 */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fmt_num(int lang, double v, int dec, char *buf, size_t cap) {
    if (!isfinite(v)) return snprintf(buf, cap, "–"), buf;
    if (dec < 0) dec = 0;
    if (dec > FMT_MAX_DEC) dec = FMT_MAX_DEC;
    /* (DBL_MAX has 309 integer digits) */
    char raw[320 + FMT_MAX_DEC];
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
    const char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
    /* more integer digits than a double holds: the scientific form, never
       a row of digits a reader takes for exact (or a buffer cuts) */
    if (ilen > FMT_MAX_DIGITS) return fmt_sci(lang, v, 4, buf, cap);
    int negative = v < 0 && strspn(raw, "0.") != strlen(raw);
    char group = lang == LANG_EN ? ',' : '.', point = lang == LANG_EN ? '.' : ',';
    if (negative && o + 4 < cap) {
        memcpy(buf + o, "−", 3); /* U+2212 minus */
        o += 3;
    }
    for (size_t i = 0; i < ilen && o + 2 < cap; i++) {
        if (i > 0 && (ilen - i) % 3 == 0) buf[o++] = group;
        buf[o++] = raw[i];
    }
    if (dot && o + 1 < cap) {
        buf[o++] = point;
        for (const char *p = dot + 1; *p && o + 1 < cap; p++) buf[o++] = *p;
    }
    buf[o] = '\0';
    return buf;
}

const char *fmt_sci(int lang, double v, int dec, char *buf, size_t cap) {
    if (!isfinite(v)) return snprintf(buf, cap, "–"), buf;
    if (dec < 0) dec = 0;
    if (dec > 16) dec = 16;
    char raw[64];
    snprintf(raw, sizeof raw, "%.*e", dec, fabs(v)); /* "1.2345e+45" */
    char *e = strchr(raw, 'e');
    if (!e) return snprintf(buf, cap, "–"), buf;
    *e = '\0';
    int exponent = atoi(e + 1);
    char *point = strchr(raw, '.');
    if (point) *point = lang == LANG_EN ? '.' : ',';
    /* the exponent in superscript digits: ⁻ ⁰ ¹ ² ³ ⁴ ⁵ ⁶ ⁷ ⁸ ⁹ */
    static const char *const sup[10] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    char digits[16], pow10[64] = "";
    snprintf(digits, sizeof digits, "%d", abs(exponent));
    size_t o = 0;
    if (exponent < 0) o += (size_t)snprintf(pow10 + o, sizeof pow10 - o, "⁻");
    for (const char *d = digits; *d && o < sizeof pow10; d++)
        o += (size_t)snprintf(pow10 + o, sizeof pow10 - o, "%s", sup[*d - '0']);
    const int negative = v < 0 && strspn(raw, "0.,") != strlen(raw);
    snprintf(buf, cap, "%s%s × 10%s", negative ? "−" : "", raw, pow10);
    return buf;
}

const char *fmt_signed(int lang, double v, int dec, char *buf, size_t cap) {
    char tmp[64];
    fmt_num(lang, v, dec, tmp, sizeof tmp);
    const int plus = isfinite(v) && strncmp(tmp, "−", 3) != 0 && strspn(tmp, "0.,") != strlen(tmp);
    size_t o = 0;
    if (plus && o + 1 < cap) buf[o++] = '+';
    for (const char *p = tmp; *p && o + 1 < cap; p++) buf[o++] = *p;
    if (cap) buf[o] = '\0';
    return buf;
}

int rel_class(const socind_estimate *e) {
    if (!isfinite(e->value)) return REL_NA;
    if (e->value == 0 || (e->se == 0 && isfinite(e->ci_low))) return REL_ZERO;
    if (!isfinite(e->se)) return REL_NA;
    /* (an SE of 0 without an interval is no sign of precision: not an RSE
       of 0%) */
    if (e->se == 0) return REL_NOSE;
    double rse = e->se / fabs(e->value);
    return rse <= 0.25 ? REL_OK : rse <= 0.5 ? REL_CAUTION : REL_SUPPRESS;
}

const char *fmt_rse(int lang, const socind_estimate *e, char *buf, size_t cap) {
    int c = rel_class(e);
    if (c == REL_NA || c == REL_ZERO || c == REL_NOSE) return snprintf(buf, cap, "–"), buf;
    char v[48];
    snprintf(buf, cap, "%s%%", fmt_num(lang, 100 * e->se / fabs(e->value), 1, v, sizeof v));
    return buf;
}

const char *fmt_est(int lang, const socind_estimate *e, double scale, int dec, const char *unit,
                    char *buf, size_t cap) {
    int c = rel_class(e);
    if (c == REL_NA) return snprintf(buf, cap, "–"), buf;
    if (c == REL_SUPPRESS) return snprintf(buf, cap, "‡"), buf;
    char v[48], lo[48], hi[48];
    fmt_num(lang, scale * e->value, dec, v, sizeof v);
    /* no interval, or one collapsed on a zero (not a proportion: no exact
     * interval) — never printed as certainty */
    if (!isfinite(e->ci_low) || !isfinite(e->ci_high) || (c == REL_ZERO && e->ci_low == e->ci_high))
        snprintf(buf, cap, "%s%s (–)%s", v, unit, c == REL_CAUTION ? " †" : "");
    else {
        fmt_num(lang, scale * e->ci_low, dec, lo, sizeof lo);
        fmt_num(lang, scale * e->ci_high, dec, hi, sizeof hi);
        /* a bound printed with a minus: "to" ("s.d."), never a dash beside
           the minus, "(−0.58–12.06)" */
        const int minus = strncmp(lo, "−", 3) == 0 || strncmp(hi, "−", 3) == 0;
        snprintf(buf, cap, "%s%s (%s%s%s)%s", v, unit, lo, minus ? TR(lang, " to ", " s.d. ") : "–",
                 hi, c == REL_CAUTION ? " †" : "");
    }
    return buf;
}

const char *fmt_change(int lang, const socind_estimate *d, double scale, int dec, char *buf,
                       size_t cap) {
    char v[48], lo[48], hi[48];
    if (!isfinite(d->value)) return snprintf(buf, cap, "–"), buf;
    /* a significant change's interval excludes 0: its bound nearest 0 is
       never printed as 0 (as many more decimals as that takes) */
    const int sig = change_sign(d);
    if (sig == 1 || sig == -1) {
        const double near = scale * (sig == 1 ? d->ci_low : d->ci_high);
        for (; dec < FMT_MAX_DEC; dec++) {
            fmt_num(lang, near, dec, lo, sizeof lo);
            if (strspn(lo, "0.,−") != strlen(lo)) break;
        }
    }
    fmt_signed(lang, scale * d->value, dec, v, sizeof v);
    if (!isfinite(d->ci_low) || !isfinite(d->ci_high)) return snprintf(buf, cap, "%s", v), buf;
    snprintf(buf, cap, "%s (%s %s %s)", v, fmt_signed(lang, scale * d->ci_low, dec, lo, sizeof lo),
             TR(lang, "to", "s.d."), fmt_signed(lang, scale * d->ci_high, dec, hi, sizeof hi));
    return buf;
}

int change_sign(const socind_estimate *d) {
    if (!isfinite(d->ci_low) || !isfinite(d->ci_high)) return 2;
    return d->ci_high < 0 ? -1 : d->ci_low > 0 ? 1 : 0;
}

const char *change_word(int lang, const socind_estimate *d) {
    switch (change_sign(d)) {
    case -1:
        return TR(lang, "significant fall", "turun signifikan");
    case 1:
        return TR(lang, "significant rise", "naik signifikan");
    case 0:
        return TR(lang, "not significant", "tidak signifikan");
    default:
        return TR(lang, "no interval", "tanpa selang");
    }
}

void no_figure(socind_estimate *e, int32_t status) {
    memset(e, 0, sizeof *e);
    e->value = e->se = e->ci_low = e->ci_high = e->weight_sum = NAN;
    e->status = status;
}

void prop_zero_interval(socind_estimate *e, double level) {
    if (e->value == 0 || e->value == 1) {
        if (e->n < 1) return;
        double tail = pow((1 - level) / 2, 1.0 / (double)e->n);
        e->ci_low = e->value == 0 ? 0 : tail;
        e->ci_high = e->value == 0 ? 1 - tail : 1;
        e->status = SOCIND_OK;
        return;
    }
    /* 0 < p < 1 with an SE of 0 (the same share in every PSU): no design
       effect either; Clopper–Pearson on the n rows, x = n·p — the
       Korn–Graubard interval (socind_prop_ci, beta) at the SE that makes its
       effective sample size n: p(1 − p)/se² · (t_{n−1}/z)² = n with the
       normal z */
    if (!(e->value > 0 && e->value < 1) || e->se != 0 || e->n < 2) return;
    socind_options o;
    socind_options_init(&o);
    o.level = level;
    o.ci_dist = SOCIND_CI_NORMAL;
    o.prop_ci = SOCIND_PROP_CI_BETA;
    double t, z, lo, hi;
    if (socind_critical_value(level, SOCIND_CI_T, (double)(e->n - 1), &t) ||
        socind_critical_value(level, SOCIND_CI_NORMAL, NAN, &z))
        return;
    double se = sqrt(e->value * (1 - e->value) / (double)e->n) * t / z;
    if (socind_prop_ci(e->value, se, NAN, e->n, &o, &lo, &hi) || !isfinite(lo) || !isfinite(hi))
        return;
    e->ci_low = lo;
    e->ci_high = hi;
    e->status = SOCIND_OK;
}

int prop_without_deff(const socind_estimate *e) {
    return isfinite(e->value) && e->se == 0 && isfinite(e->ci_low) && isfinite(e->ci_high);
}

void change_mover(const socind_estimate *p, const socind_estimate *z, socind_estimate *d) {
    if (!(prop_without_deff(p) || prop_without_deff(z))) return;
    if (!isfinite(d->value) || !isfinite(p->ci_low) || !isfinite(p->ci_high) ||
        !isfinite(z->ci_low) || !isfinite(z->ci_high))
        return;
    const double v = z->value - p->value;
    d->ci_low = v - hypot(z->value - z->ci_low, p->ci_high - p->value);
    d->ci_high = v + hypot(z->ci_high - z->value, p->value - p->ci_low);
}
