/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/report_render.c — the brief's sections, in the order a regency head
 * reads them: what the brief covers, the key messages (levels, change and
 * its significance, the three sub-districts most in need for poverty,
 * extreme poverty and stunting), poverty per round and per sub-district,
 * child nutrition, data quality, plain-language definitions, and the
 * sources and methods last. Every figure carries its 95% interval and its
 * RSE under BPS's convention (report_format.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL 160

static const char *const NUT_NAME[2][N_NUT] = {
    {"Stunting", "Wasting", "Underweight", "Overweight"},
    {"Stunting (pendek)", "Wasting (kurus)", "Underweight (berat kurang)", "Overweight (gemuk)"}};
static const char *const NUT_DEF[2][N_NUT] = {
    {"height-for-age below −2 SD of the WHO standard", "weight-for-height below −2 SD (or oedema)",
     "weight-for-age below −2 SD (or oedema)", "weight-for-height above +2 SD"},
    {"tinggi menurut umur di bawah −2 SD standar WHO",
     "berat menurut tinggi di bawah −2 SD (atau edema)",
     "berat menurut umur di bawah −2 SD (atau edema)", "berat menurut tinggi di atas +2 SD"}};

static int en(const out *o) {
    return o->lang == LANG_EN;
}

/* English's noun for a count as printed: `one` for "1", else `many`
 * (Indonesian nouns take no plural: the callers give the same word). The
 * count is printed before the call that uses both (the order in which a
 * call's arguments are evaluated is unspecified). */
static const char *noun(const char *printed, const char *one, const char *many) {
    return strcmp(printed, "1") == 0 ? one : many;
}

/* The decimals of a count v (a number of people) as the brief shows it:
 * whole from 1, else 3 significant digits (0.130, 0.00745: weights that
 * are shares), so that a count above 0 never reads as 0 (at most
 * FMT_MAX_DEC). */
static int count_dec(double v) {
    v = fabs(v);
    if (!isfinite(v) || v == 0 || v >= 1) return 0;
    int dec = 2 - (int)floor(log10(v));
    return dec < 0 ? 0 : dec > FMT_MAX_DEC ? FMT_MAX_DEC : dec;
}

/* a count v with count_dec's decimals; one too small for FMT_MAX_DEC
 * decimals in scientific form (3 significant digits) */
static const char *fmt_count(int lang, double v, char *buf, size_t cap) {
    if (isfinite(v) && v != 0 && 2 - floor(log10(fabs(v))) > FMT_MAX_DEC)
        return fmt_sci(lang, v, 2, buf, cap);
    return fmt_num(lang, v, count_dec(v), buf, cap);
}

/* a percentage with `dec` decimals, "12,9%" */
static const char *pct(int lang, double v, int dec, char *buf, size_t cap) {
    char t[48];
    if (!isfinite(v)) return snprintf(buf, cap, "–"), buf;
    snprintf(buf, cap, "%s%%", fmt_num(lang, 100 * v, dec, t, sizeof t));
    return buf;
}

/* The sub-districts of round z for which has() holds, as "A, B and C"
 * (or ""), their count in *count. */
static const char *join_areas(out *o, const year_fig *z, int (*has)(const area_row *), int *count) {
    int total = 0;
    for (int32_t i = 0; i < z->n_areas; i++) total += has(&z->areas[i]);
    const char *buf = "";
    for (int32_t i = 0, m = 0; i < z->n_areas; i++) {
        const area_row *ar = &z->areas[i];
        if (!has(ar)) continue;
        m++;
        buf = out_fmt(o, "%s%s%s", buf,
                      m == 1       ? ""
                      : m == total ? TR(o->lang, " and ", " dan ")
                                   : ", ",
                      user_text(o, ar->label));
    }
    if (count) *count = total;
    return buf;
}

/* kept without any figure (households, none with a usable income) */
static int has_no_income(const area_row *ar) {
    return ar->households > 0 && ar->e[1].n == 0 && !isfinite(ar->e[1].value);
}

/* The sub-districts of round z kept without any figure: "A, B and C", or "" */
static const char *no_income_areas(out *o, const year_fig *z, int *count) {
    return join_areas(o, z, has_no_income, count);
}

/* households with an income but no national poverty line: a poverty rate
   without a value (none of the rows it counts), an extreme-poverty rate
   kept */
static int has_no_line(const area_row *ar) {
    return ar->households > 0 && !isfinite(ar->e[0].value) &&
           (ar->e[0].n == 0 || ar->e[0].status == SOCIND_ERR_EMPTY_DOMAIN) &&
           (ar->e[1].n > 0 || isfinite(ar->e[1].value));
}

/* The sub-districts of round z (not one without a line at all) whose
 * households with an income have no national poverty line: "A, B and C",
 * or "" */
static const char *no_line_areas(out *o, const year_fig *z, int *count) {
    if (z->no_line || z->no_income) {
        if (count) *count = 0;
        return "";
    }
    return join_areas(o, z, has_no_line, count);
}

/* Why top3 of rows' e[k] ranks none: a figure above 0 not shown (RSE above
 * 50%); a figure above 0 without a standard error (its design cannot give
 * one: shown as "–", said on stderr); else every figure shown is 0 */
static const char *unranked_why(int lang, const area_row *rows, int32_t n, int k) {
    for (int32_t i = 0; i < n; i++)
        if (rel_class(&rows[i].e[k]) == REL_SUPPRESS)
            return TR(lang, "no sub-district's figure is precise enough to rank",
                      "tidak ada angka kecamatan yang cukup tepat untuk diurutkan");
    for (int32_t i = 0; i < n; i++)
        if (isfinite(rows[i].e[k].value) && rows[i].e[k].value > 0 &&
            (rel_class(&rows[i].e[k]) == REL_NA || rel_class(&rows[i].e[k]) == REL_NOSE))
            return TR(lang,
                      "no sub-district's figure has a standard error or interval to rank it "
                      "by (shown as –; the messages on stderr say why)",
                      "tidak ada angka kecamatan yang memiliki kesalahan standar atau selang "
                      "untuk diurutkan (ditampilkan sebagai –; pesan di stderr menjelaskan "
                      "sebabnya)");
    return TR(lang, "no sub-district's figure is above 0", "tidak ada angka kecamatan di atas 0");
}

/* the three rows with the highest shown e[k] (reliable or "use with
 * caution"), as "A (20,1%), B (18,3%), C (17,0% †)", with `dec` decimals
 * (the table's); "" if none */
static const char *top3(out *ou, const area_row *rows, int32_t n, int k, int dec) {
    const int lang = ou->lang;
    int pick[3] = {-1, -1, -1};
    for (int s = 0; s < 3; s++) {
        for (int32_t i = 0; i < n; i++) {
            /* (a figure without a design effect, 100% in the sample, is
               shown with its exact interval: ranked too) */
            int c = rel_class(&rows[i].e[k]);
            if (c != REL_OK && c != REL_CAUTION && c != REL_ZERO) continue;
            if (rows[i].e[k].value <= 0) continue;
            int taken = 0;
            for (int u = 0; u < s; u++) taken |= pick[u] == i;
            if (taken) continue;
            if (pick[s] < 0) {
                pick[s] = (int)i;
                continue;
            }
            double v = rows[i].e[k].value, w = rows[pick[s]].e[k].value;
            if (v > w || (v == w && strcmp(rows[i].label, rows[pick[s]].label) < 0))
                pick[s] = (int)i;
        }
    }
    const char *buf = "";
    for (int s = 0; s < 3 && pick[s] >= 0; s++) {
        char v[48];
        const socind_estimate *e = &rows[pick[s]].e[k];
        buf =
            out_fmt(ou, "%s%s%s (%s%s)", buf, s ? ", " : "", user_text(ou, rows[pick[s]].label),
                    pct(lang, e->value, dec, v, sizeof v), rel_class(e) == REL_CAUTION ? " †" : "");
    }
    return buf;
}

/* "; down 2.0 percentage points since 2023 (−5.9 to +1.9) — not significant."
 * A change that rounds to 0 at the precision shown is "unchanged", never
 * "up 0.00". */
static const char *change_text(out *o, const socind_estimate *d, const char *since) {
    const int lang = o->lang;
    char c[CELL], v[48];
    if (!since || !isfinite(d->value)) return ".";
    int sig = change_sign(d);
    fmt_change(lang, d, 100, d->value != 0 && fabs(d->value) < 0.01 ? 2 : 1, c, sizeof c);
    const char *paren = strchr(c, '(');
    fmt_num(lang, fabs(100 * d->value), fabs(d->value) < 0.01 ? 2 : 1, v, sizeof v);
    /* shown as 0: "unchanged" where its interval holds 0, else "less than
       0.01" (a change too small to show, yet significant: a large sample) */
    const int shown_zero = strspn(v, "0.,") == strlen(v);
    if (shown_zero && sig != 0) {
        char lt[16];
        fmt_num(lang, 0.01, 2, lt, sizeof lt);
        snprintf(v, sizeof v, "%s %s", TR(lang, "less than", "kurang dari"), lt);
    }
    const char *how =
        shown_zero && sig == 0
            ? TR(lang, "unchanged since", "tidak berubah dibanding")
            : out_fmt(o, "%s %s %s",
                      d->value < 0 ? TR(lang, "down", "turun") : TR(lang, "up", "naik"), v,
                      TR(lang, "percentage points since", "poin persen dibanding"));
    return out_fmt(o, "; %s %s %s — %s.", how, since, paren ? paren : "",
                   sig == 0   ? TR(lang,
                                   "the change is not statistically significant (its interval "
                                     "includes zero)",
                                   "perubahan ini tidak signifikan secara statistik (selangnya "
                                     "mencakup nol)")
                   : sig == 2 ? TR(lang, "no interval", "tanpa selang")
                              : TR(lang, "statistically significant at the 5% level",
                                   "signifikan secara statistik pada taraf 5%"));
}

/* "Poverty: in 2024, 13.0% (11.2–14.9) of people — about 89,660 — live
 * below …; down …" or, for a figure not shown, why */
static void level_item(out *o, const char *name, const char *when, const socind_estimate *e,
                       const socind_estimate *count, const char *what, const char *change) {
    int L = o->lang;
    char lv[CELL], n[64], rse[48];
    const char *in = when && *when ? out_fmt(o, " %s %s,", TR(L, "in", "pada"), when) : "", *buf;
    int c = rel_class(e);
    if (c == REL_NA)
        buf = out_fmt(o, "%s%s %s.", name, in, TR(L, "not available", "tidak tersedia"));
    else if (c == REL_SUPPRESS)
        buf = out_fmt(
            o, "%s%s %s %s).", name, in,
            TR(L, "too uncertain to show (RSE", "terlalu tidak pasti untuk ditampilkan (RSE"),
            fmt_rse(L, e, rse, sizeof rse));
    else {
        char about[160] = "";
        int cc = count ? rel_class(count) : REL_NA;
        if (count && cc != REL_NA && cc != REL_SUPPRESS) {
            fmt_count(L, count->value, n, sizeof n);
            snprintf(about, sizeof about, " — %s %s %s —", TR(L, "about", "sekitar"), n,
                     TR(L, noun(n, "person", "people"), "orang"));
        }
        buf = out_fmt(o, "%s%s %s %s%s %s%s", name, in,
                      fmt_est(L, e, 100, e->value < 0.01 ? 2 : 1, "%", lv, sizeof lv),
                      TR(L, "of people", "penduduk"), about, what, change);
    }
    list_item(o, buf);
}

/* whether a figure of the brief has an SE of 0 without an interval
 * (REL_NOSE) */
static int any_nose(const brief *b) {
    for (int32_t y = 0; y < b->n_years; y++) {
        const year_fig *f = &b->years[y];
        for (int k = 0; k < N_POV; k++)
            if (rel_class(&f->e[k]) == REL_NOSE) return 1;
        for (int32_t i = 0; i < f->n_areas; i++)
            for (int k = 0; k < 2; k++)
                if (rel_class(&f->areas[i].e[k]) == REL_NOSE) return 1;
    }
    for (int k = 0; k < N_NUT; k++) {
        if (rel_class(&b->nut[k]) == REL_NOSE) return 1;
        for (int32_t i = 0; i < b->n_areas; i++)
            if (rel_class(&b->areas[i].e[k]) == REL_NOSE) return 1;
        for (int i = 0; i < N_AGE; i++)
            if (rel_class(&b->age[i].e[k]) == REL_NOSE) return 1;
    }
    return 0;
}

static void key_messages(out *o, const brief *b) {
    int L = o->lang;
    char lv[CELL];
    const char *buf, *ch, *t3;
    heading(o, 2, TR(L, "Key messages", "Pesan utama"));
    if (o->html) fputs("<div class=\"key\">\n", o->f);
    list_begin(o);
    if (b->n_years > 0) {
        const year_fig *z = &b->years[b->n_years - 1];
        const char *since = b->n_years > 1 ? user_text(o, b->years[b->n_years - 2].label) : NULL;
        const char *when = b->rounds ? user_text(o, z->label) : "";
        ch = change_text(o, &b->change[POV_P0], since);
        level_item(o, TR(L, "Poverty:", "Kemiskinan:"), when, &z->e[POV_P0], &z->e[POV_POOR],
                   TR(L, "live below the national poverty line",
                      "hidup di bawah garis kemiskinan nasional"),
                   ch);
        char pd[48], what[300];
        snprintf(what, sizeof what, "%s $%s %s",
                 TR(L, "live on less than", "hidup dengan kurang dari"),
                 fmt_num(L, b->ppp_daily, 2, pd, sizeof pd),
                 TR(L,
                    "a day (2017 PPP), the line of the national target to eliminate extreme "
                    "poverty",
                    "per hari (PPP 2017), garis target nasional penghapusan kemiskinan ekstrem"));
        ch = change_text(o, &b->change[POV_EXT], since);
        level_item(o, TR(L, "Extreme poverty:", "Kemiskinan ekstrem:"), when, &z->e[POV_EXT],
                   &z->e[POV_EXT_POOR], what, ch);
    }
    if (b->n_children > 0) {
        int c = rel_class(&b->nut[0]), kr = b->kid_round && *b->kid_round;
        if (c == REL_NA) /* no child with a height-for-age z-score: nothing to be uncertain of */
            buf = out_fmt(o, "Stunting: %s", TR(L, "not available.", "tidak tersedia."));
        else if (c == REL_SUPPRESS)
            buf =
                out_fmt(o, "Stunting: %s",
                        TR(L, "too uncertain to show.", "terlalu tidak pasti untuk ditampilkan."));
        else
            buf = out_fmt(
                o, "Stunting:%s%s%s%s %s %s", kr ? " " : "", kr ? TR(L, "in ", "pada ") : "",
                kr ? user_text(o, b->kid_round) : "", kr ? "," : "",
                fmt_est(L, &b->nut[0], 100, 1, "%", lv, sizeof lv),
                b->kid_rounds > 1
                    ? out_fmt(o,
                              TR(L,
                                 "of children under five are too short for their age (the "
                                 "latest of the children's %d survey rounds; this brief gives "
                                 "no change of child nutrition).",
                                 "anak balita terlalu pendek untuk umurnya (putaran terakhir "
                                 "dari %d putaran pengukuran anak; ringkasan ini tidak "
                                 "memberikan perubahan gizi anak)."),
                              (int)b->kid_rounds)
                    : TR(L,
                         "of children under five are too short for their age (one survey "
                         "round of children: no change can be measured).",
                         "anak balita terlalu pendek untuk umurnya (satu putaran pengukuran "
                         "anak: perubahan belum dapat diukur)."));
        list_item(o, buf);
    }
    if (b->n_years > 0) {
        const year_fig *z = &b->years[b->n_years - 1];
        static const char *const what[2][2] = {{"poverty", "extreme poverty"},
                                               {"kemiskinan", "kemiskinan ekstrem"}};
        /* sub-districts without an income in the round: not ranked, and
           named, so that the ranking is not read as covering them */
        int n_none, n_noline;
        const char *none = no_income_areas(o, z, &n_none);
        /* and those without a national line, from the poverty ranking */
        const char *noline = no_line_areas(o, z, &n_noline);
        for (int k = 0; k < 2; k++) {
            t3 = top3(o, z->areas, z->n_areas, k, k ? 2 : 1); /* (the table's decimals) */
            const int unranked = !z->no_income && !(k == 0 && z->no_line) && n_none > 0;
            const int unlined = k == 0 && n_noline > 0;
            buf = out_fmt(
                o, "%s %s: %s%s%s%s%s%s%s",
                TR(L, "Sub-districts most in need —", "Kecamatan paling membutuhkan —"),
                what[en(o) ? 0 : 1][k],
                *t3                                      ? t3
                : z->no_income || (k == 0 && z->no_line) ? TR(L, "not available", "tidak tersedia")
                : z->n_areas == 0      ? TR(L, "no household of the round has a sub-district",
                                            "tidak ada rumah tangga putaran ini yang "
                                                 "tercatat kecamatannya")
                : n_none == z->n_areas ? TR(L, "not available", "tidak tersedia")
                                       : unranked_why(L, z->areas, z->n_areas, k),
                unranked ? "; " : "", unranked ? none : "",
                unranked ? TR(L, " not ranked (no household with an income)",
                              " tidak diurutkan (tidak ada rumah tangga dengan data pengeluaran)")
                         : "",
                unlined ? "; " : "", unlined ? noline : "",
                unlined ? TR(L, " not ranked (no household with a national poverty line)",
                             " tidak diurutkan (tidak ada rumah tangga dengan garis kemiskinan "
                             "nasional)")
                        : "");
            list_item(o, buf);
        }
    }
    if (b->n_children > 0) {
        /* as the households' lines: none without a figure, none without a
           child's sub-district */
        t3 = top3(o, b->areas, b->n_areas, 0, 1);
        /* sub-districts without a stunting figure: not ranked, and named */
        const char *none = "";
        int n_none = 0;
        for (int32_t i = 0; i < b->n_areas; i++)
            if (!isfinite(b->areas[i].e[0].value))
                none = out_fmt(o, "%s%s%s", none, n_none++ ? ", " : "",
                               user_text(o, b->areas[i].label));
        buf = out_fmt(
            o, "%s stunting: %s%s%s%s",
            TR(L, "Sub-districts most in need —", "Kecamatan paling membutuhkan —"),
            *t3                                      ? t3
            : b->n_areas > 0 && n_none == b->n_areas ? TR(L, "not available", "tidak tersedia")
            : b->n_areas > 0                         ? unranked_why(L, b->areas, b->n_areas, 0)
            : rel_class(&b->nut[0]) == REL_NA
                ? TR(L, "not available", "tidak tersedia")
                : TR(L, "no child has a sub-district", "tidak ada anak yang tercatat kecamatannya"),
            n_none && !b->no_child_left ? "; " : "", !b->no_child_left ? none : "",
            n_none && !b->no_child_left ? TR(L, " not ranked (no stunting figure)",
                                             " tidak diurutkan (tanpa angka stunting)")
                                        : "");
        list_item(o, buf);
    }
    list_end(o);
    para(o, TR(L,
               "In brackets: the 95% confidence interval. † use with caution (relative standard "
               "error 25–50%); ‡ not shown (relative standard error above 50%), as BPS does.",
               "Dalam kurung: selang kepercayaan 95%. † gunakan dengan hati-hati (kesalahan "
               "baku relatif/RSE 25–50%); ‡ tidak ditampilkan (RSE di atas 50%), sesuai "
               "ketentuan BPS."));
    if (any_nose(b))
        para(o, TR(L,
                   "A figure with (–) for its interval and – for its RSE has a standard error of "
                   "0 that its sampling design gives without degrees of freedom (one PSU, or "
                   "strata of one PSU removed or taken as certain): its precision cannot be "
                   "assessed, and it is not ranked.",
                   "Angka dengan (–) sebagai selangnya dan – sebagai RSE-nya memiliki kesalahan "
                   "baku 0 yang diberikan desain sampel tanpa derajat bebas (satu PSU, atau "
                   "strata dengan satu PSU yang dibuang atau dianggap pasti): ketepatannya "
                   "tidak dapat dinilai, dan angka itu tidak diurutkan."));
    if (o->html) fputs("</div>\n", o->f);
}

/* the poverty table: one row per figure, one column pair per round, the
 * change last */
static void poverty_table(out *o, const brief *b) {
    int L = o->lang;
    int ny = b->n_years, two = ny > 1;
    int ncol = 1 + 2 * ny + (two ? 2 : 0);
    const char **head = calloc((size_t)ncol, sizeof *head);
    char(*cell)[CELL] = calloc((size_t)ncol, CELL);
    char *align = calloc((size_t)ncol + 1, 1);
    if (!head || !cell || !align) goto done;
    head[0] = TR(L, "Figure", "Indikator");
    align[0] = 'l';
    for (int y = 0; y < ny; y++) {
        head[1 + 2 * y] = b->rounds ? user_text(o, b->years[y].label)
                                    : TR(L, "Estimate (95% CI)", "Perkiraan (SK 95%)");
        head[2 + 2 * y] = out_fmt(o, "RSE%s%s", b->rounds ? " " : "",
                                  b->rounds ? user_text(o, b->years[y].label) : "");
        align[1 + 2 * y] = align[2 + 2 * y] = 'r';
    }
    if (two) {
        head[ncol - 2] =
            out_fmt(o, "%s %s → %s", TR(L, "Change", "Perubahan"),
                    user_text(o, b->years[ny - 2].label), user_text(o, b->years[ny - 1].label));
        head[ncol - 1] = TR(L, "Significance", "Signifikansi");
        align[ncol - 2] = 'r';
        align[ncol - 1] = 'l';
    }
    table_head(o, ncol, head, align);
    const char **row = calloc((size_t)ncol, sizeof *row);
    if (!row) goto done;
    for (int i = 0; i < ncol; i++) row[i] = cell[i];
    /* lines */
    for (int kind = 0; kind < 2; kind++) {
        snprintf(cell[0], CELL, "%s",
                 kind == 0 ? TR(L, "National poverty line (rupiah per person per month)",
                                "Garis kemiskinan nasional (rupiah per kapita per bulan)")
                           : TR(L,
                                "International extreme-poverty line, $2.15 a day at 2017 PPP "
                                "(rupiah per person per month)",
                                "Garis kemiskinan ekstrem internasional, $2,15 per hari PPP "
                                "2017 (rupiah per kapita per bulan)"));
        for (int y = 0; y < ny; y++) {
            double v = kind == 0 ? b->years[y].line : b->years[y].ext_line;
            if (kind == 0 && !isfinite(v) && b->years[y].no_line)
                snprintf(cell[1 + 2 * y], CELL, "–"); /* none given */
            else if (kind == 0 && !isfinite(v))
                snprintf(cell[1 + 2 * y], CELL, "%s", TR(L, "varies by row", "berbeda per baris"));
            else
                fmt_num(L, v, 0, cell[1 + 2 * y], CELL);
            snprintf(cell[2 + 2 * y], CELL, "–");
        }
        if (two) snprintf(cell[ncol - 2], CELL, "–"), snprintf(cell[ncol - 1], CELL, "–");
        table_row(o, ncol, row);
    }
    static const char *const name[2][N_POV] = {
        {"Poverty rate P0 (% of people below the national line)", "Number of poor people",
         "Extreme poverty rate (% of people below $2.15 a day)", "Number of extremely poor people",
         "Poverty gap index P1", "Poverty severity index P2", "Gini ratio"},
        {"Persentase penduduk miskin P0", "Jumlah penduduk miskin (orang)",
         "Persentase penduduk miskin ekstrem", "Jumlah penduduk miskin ekstrem (orang)",
         "Indeks kedalaman kemiskinan P1", "Indeks keparahan kemiskinan P2", "Rasio Gini"}};
    /* scale, decimals, unit of each figure; of its change */
    static const double scale[N_POV] = {100, 1, 100, 1, 100, 100, 1};
    static const int dec[N_POV] = {1, 0, 2, 0, 2, 2, 3};
    static const int cdec[N_POV] = {1, 0, 2, 0, 2, 2, 3};
    for (int k = 0; k < N_POV; k++) {
        snprintf(cell[0], CELL, "%s", name[en(o) ? 0 : 1][k]);
        const char *unit = k == POV_P0 || k == POV_EXT ? "%" : "";
        /* a count: whole, or 3 significant digits below 1 (the smallest
           round's) */
        int dk = dec[k], ck = cdec[k];
        if (k == POV_POOR || k == POV_EXT_POOR) {
            for (int y = 0; y < ny; y++) {
                const double v = b->years[y].e[k].value;
                if (isfinite(v) && v != 0 && count_dec(v) > dk) dk = count_dec(v);
            }
            ck = dk;
        }
        for (int y = 0; y < ny; y++) {
            fmt_est(L, &b->years[y].e[k], scale[k], dk, unit, cell[1 + 2 * y], CELL);
            fmt_rse(L, &b->years[y].e[k], cell[2 + 2 * y], CELL);
        }
        if (two) {
            fmt_change(L, &b->change[k], scale[k], ck, cell[ncol - 2], CELL);
            snprintf(cell[ncol - 1], CELL, "%s",
                     isfinite(b->change[k].value) ? change_word(L, &b->change[k]) : "–");
        }
        table_row(o, ncol, row);
    }
    snprintf(cell[0], CELL, "%s",
             TR(L, "Sample size (households)", "Ukuran sampel (rumah tangga)"));
    for (int y = 0; y < ny; y++) {
        fmt_num(L, (double)b->years[y].households, 0, cell[1 + 2 * y], CELL);
        snprintf(cell[2 + 2 * y], CELL, "–");
    }
    if (two) snprintf(cell[ncol - 2], CELL, "–"), snprintf(cell[ncol - 1], CELL, "–");
    table_row(o, ncol, row);
    snprintf(
        cell[0], CELL, "%s",
        TR(L, "People represented (sum of the weights)", "Penduduk yang diwakili (jumlah bobot)"));
    for (int y = 0; y < ny; y++) {
        fmt_count(L, b->years[y].population, cell[1 + 2 * y], CELL);
        snprintf(cell[2 + 2 * y], CELL, "–");
    }
    if (two) snprintf(cell[ncol - 2], CELL, "–"), snprintf(cell[ncol - 1], CELL, "–");
    table_row(o, ncol, row);
    table_end(o);
    free(row);
done:
    free(head), free(cell), free(align);
}

static int cmp_second(const void *a, const void *b) {
    const area_row *x = a, *y = b;
    double u = x->e[1].value, v = y->e[1].value;
    int nu = isnan(u), nv = isnan(v);
    if (nu != nv) return nu - nv;
    if (!nu && u != v) return u < v ? 1 : -1;
    return strcmp(x->label, y->label);
}

static void subdistrict_poverty(out *o, const brief *b) {
    int L = o->lang;
    const year_fig *z = &b->years[b->n_years - 1];
    int two = b->n_years > 1;
    char c[8][CELL];
    if (b->rounds)
        heading(o, 3,
                out_fmt(o, "%s, %s %s", TR(L, "By sub-district", "Per kecamatan"),
                        user_text(o, z->label),
                        TR(L, "(highest poverty rate first)", "(kemiskinan tertinggi di atas)")));
    else
        heading(o, 3,
                TR(L, "By sub-district (highest poverty rate first)",
                   "Per kecamatan (kemiskinan tertinggi di atas)"));
    const char *chg[2] = {"", ""};
    if (two)
        for (int k = 0; k < 2; k++)
            chg[k] =
                out_fmt(o, "%s %s %s", TR(L, "Change since", "Perubahan sejak"),
                        user_text(o, b->years[b->n_years - 2].label), TR(L, "(points)", "(poin)"));
    const char *h2[8] = {TR(L, "Sub-district", "Kecamatan"),
                         TR(L, "Poverty rate", "Persentase penduduk miskin"),
                         "RSE",
                         chg[0],
                         TR(L, "Extreme poverty rate", "Persentase miskin ekstrem"),
                         "RSE",
                         chg[1],
                         TR(L, "Sample size (households)", "Ukuran sampel (rumah tangga)")};
    const char *h1[6] = {h2[0], h2[1], h2[2], h2[4], h2[5], h2[7]};
    if (two)
        table_head(o, 8, h2, "lrrrrrrr");
    else
        table_head(o, 6, h1, "lrrrrr");
    for (int32_t i = 0; i < z->n_areas; i++) {
        const area_row *ar = &z->areas[i];
        const char *label = user_text(o, ar->label);
        fmt_est(L, &ar->e[0], 100, 1, "%", c[1], CELL);
        fmt_rse(L, &ar->e[0], c[2], CELL);
        fmt_est(L, &ar->e[1], 100, 2, "%", c[4], CELL);
        fmt_rse(L, &ar->e[1], c[5], CELL);
        for (int k = 0; k < 2; k++) {
            char *d = c[k ? 6 : 3];
            if (!ar->has_change || !isfinite(ar->change[k].value))
                snprintf(d, CELL, "–");
            else { /* (0 in both rounds' samples too: MOVER's interval) */
                char t[CELL - 8];
                fmt_change(L, &ar->change[k], 100, k ? 2 : 1, t, sizeof t);
                int sig = change_sign(&ar->change[k]);
                snprintf(d, CELL, "%s%s", t, sig == 1 || sig == -1 ? " *" : "");
            }
        }
        /* the households of the sub-district with an income (its P0's
           leave out those without a national line) */
        fmt_num(L, (double)ar->e[1].n, 0, c[7], CELL);
        const char *r2[8] = {label, c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
        const char *r1[6] = {label, c[1], c[2], c[4], c[5], c[7]};
        table_row(o, two ? 8 : 6, two ? r2 : r1);
    }
    table_end(o);
    if (two)
        para(o, TR(L, "A change marked * is statistically significant at the 5% level.",
                   "Perubahan bertanda * signifikan secara statistik pada taraf 5%."));
    int n_none;
    const char *none = no_income_areas(o, z, &n_none);
    if (n_none > 0) {
        const char *round = b->rounds ? user_text(o, z->label) : NULL;
        para(o, en(o) ? out_fmt(o,
                                "%s: no household of %s%s has an income (spending per person) "
                                "with a sampling weight above 0: %s poverty and extreme-poverty "
                                "rates are not available (shown as –).",
                                none, round ? "survey round " : "the survey", round ? round : "",
                                n_none > 1 ? "their" : "its")
                      : out_fmt(o,
                                "%s: tidak ada rumah tangga %s%s yang memiliki data pengeluaran "
                                "per kapita dengan bobot sampel di atas 0: persentase penduduk "
                                "miskin dan miskin ekstremnya tidak tersedia (ditampilkan "
                                "sebagai –).",
                                none, round ? "pada putaran survei " : "dalam survei",
                                round ? round : ""));
    }
    int n_noline;
    const char *noline = no_line_areas(o, z, &n_noline);
    if (n_noline > 0) {
        const char *round = b->rounds ? user_text(o, z->label) : NULL;
        para(o, en(o) ? out_fmt(o,
                                "%s: no household of %s%s with an income has a national poverty "
                                "line: %s poverty rate is not available (shown as –), %s "
                                "extreme-poverty rate is kept.",
                                noline, round ? "survey round " : "the survey", round ? round : "",
                                n_noline > 1 ? "their" : "its", n_noline > 1 ? "their" : "its")
                      : out_fmt(o,
                                "%s: tidak ada rumah tangga %s%s dengan data pengeluaran yang "
                                "memiliki garis kemiskinan nasional: persentase penduduk "
                                "miskinnya tidak tersedia (ditampilkan sebagai –), persentase "
                                "penduduk miskin ekstremnya tetap diberikan.",
                                noline, round ? "pada putaran survei " : "dalam survei",
                                round ? round : ""));
    }
    if (!o->html || z->n_areas == 0) return;
    const char *ref = TR(L, "regency", "kabupaten");
    const char *title =
        out_fmt(o, "%s%s%s",
                TR(L, "Poverty rate by sub-district", "Persentase penduduk miskin per kecamatan"),
                b->rounds ? ", " : "", b->rounds ? user_text(o, z->label) : "");
    if (!z->no_line) chart_bars(o, title, z->n_areas, z->areas, 0, z->e[POV_P0].value, ref);
    area_row *s = malloc((size_t)z->n_areas * sizeof *s);
    if (!s) return;
    memcpy(s, z->areas, (size_t)z->n_areas * sizeof *s);
    qsort(s, (size_t)z->n_areas, sizeof *s, cmp_second);
    title = out_fmt(o, "%s%s%s",
                    TR(L, "Extreme poverty rate by sub-district",
                       "Persentase penduduk miskin ekstrem per kecamatan"),
                    b->rounds ? ", " : "", b->rounds ? user_text(o, z->label) : "");
    chart_bars(o, title, z->n_areas, s, 1, z->e[POV_EXT].value, ref);
    free(s);
}

/* a table of the four prevalences (each with its RSE) per row and the
 * children counted in stunting's (the column says which: the four counts
 * differ where heights or weights are missing) */
static void nutrition_rows(out *o, const char *first, const area_row *rows, int n) {
    int L = o->lang;
    const char *head[10] = {first};
    for (int k = 0; k < N_NUT; k++) {
        head[1 + 2 * k] = NUT_NAME[en(o) ? 0 : 1][k];
        head[2 + 2 * k] = "RSE";
    }
    head[9] = TR(L, "Sample size (children, stunting)", "Ukuran sampel (anak, stunting)");
    table_head(o, 10, head, "lrrrrrrrrr");
    char c[10][CELL];
    const char *row[10];
    for (int i = 0; i < 10; i++) row[i] = c[i];
    for (int i = 0; i < n; i++) {
        row[0] = user_text(o, rows[i].label);
        for (int k = 0; k < N_NUT; k++) {
            fmt_est(L, &rows[i].e[k], 100, 1, "%", c[1 + 2 * k], CELL);
            fmt_rse(L, &rows[i].e[k], c[2 + 2 * k], CELL);
        }
        fmt_num(L, (double)rows[i].e[0].n, 0, c[9], CELL);
        table_row(o, 10, row);
    }
    table_end(o);
}

/* Whether no figure of a sub-district's nutrition row has a value, one of
 * them of the status of a domain whose every child counted has a sampling
 * weight of 0 */
static int area_weightless(const area_row *ar) {
    int data = 0;
    for (int k = 0; k < N_NUT; k++) {
        if (isfinite(ar->e[k].value)) return 0;
        data |= ar->e[k].status == SOCIND_ERR_DATA;
    }
    return data && !ar->children_out;
}

/* Why a sub-district's nutrition cell is "–": every child of it left out
 * by anthro's exclusions, every child of it counted with a sampling weight
 * of 0, or no child of it with the indicator's z-score */
static void nutrition_gaps(out *o, const brief *b) {
    const int L = o->lang;
    const char *gone = "";
    int n_gone = 0;
    for (int32_t i = 0; i < b->n_areas; i++) {
        if (!b->areas[i].children_out) continue;
        char v[48];
        gone =
            out_fmt(o, "%s%s%s (%s)", gone, n_gone++ ? ", " : "", user_text(o, b->areas[i].label),
                    fmt_num(L, (double)b->areas[i].children_out, 0, v, sizeof v));
    }
    if (n_gone)
        para(o, out_fmt(o,
                        TR(L,
                           "%s: every child measured is left out of the prevalences by WHO "
                           "anthro's exclusions (older than 1826 days, or without a cluster or "
                           "stratum; the number of children in brackets): no figure (shown as "
                           "–).",
                           "%s: semua anak yang diukur tidak dihitung dalam prevalensi menurut "
                           "aturan pengecualian anthro WHO (berumur lebih dari 1826 hari, atau "
                           "tanpa klaster atau strata; jumlah anak dalam kurung): tidak ada "
                           "angka (ditampilkan sebagai –)."),
                        gone));
    /* a sub-district whose every child counted has a sampling weight of 0
       (a missing weight is set to 0): no figure, the library's status
       SOCIND_ERR_DATA (as `socind nutrition` says) */
    const char *weightless = "";
    int n_weightless = 0;
    for (int32_t i = 0; i < b->n_areas; i++)
        if (area_weightless(&b->areas[i]))
            weightless = out_fmt(o, "%s%s%s", weightless, n_weightless++ ? ", " : "",
                                 user_text(o, b->areas[i].label));
    if (n_weightless)
        para(o, out_fmt(o,
                        TR(L,
                           "%s: every child counted has a sampling weight of 0 (a missing "
                           "weight is set to 0, which leaves the child out): no figure (shown "
                           "as –).",
                           "%s: semua anak yang dihitung memiliki bobot sampel 0 (bobot yang "
                           "kosong diisi 0, sehingga anak tidak dihitung): tidak ada angka "
                           "(ditampilkan sebagai –)."),
                        weightless));
    static const char *const z[2][N_NUT] = {
        {"height-for-age", "weight-for-height", "weight-for-age", "weight-for-height"},
        {"tinggi menurut umur", "berat menurut tinggi", "berat menurut umur",
         "berat menurut tinggi"}};
    for (int k = 0; k < N_NUT; k++) {
        const char *none = "";
        int m = 0;
        for (int32_t i = 0; i < b->n_areas; i++) {
            const area_row *ar = &b->areas[i];
            if (ar->children_out || isfinite(ar->e[k].value) || area_weightless(ar)) continue;
            none = out_fmt(o, "%s%s%s", none, m++ ? ", " : "", user_text(o, ar->label));
        }
        if (!m) continue;
        para(o, out_fmt(o,
                        TR(L,
                           "%s: not available for %s: no child of %s has a %s z-score (the "
                           "measurement missing or out of range, or the z-score flagged as "
                           "implausible).",
                           "%s: tidak tersedia untuk %s: tidak ada anak %s yang memiliki skor-z "
                           "%s (pengukuran kosong atau di luar rentang, atau skor-z ditandai "
                           "tidak wajar)."),
                        NUT_NAME[en(o) ? 0 : 1][k], none,
                        en(o) ? (m == 1 ? "it" : "them") : "di sana", z[en(o) ? 0 : 1][k]));
    }
}

static void nutrition(out *o, const brief *b) {
    int L = o->lang;
    char c[5][CELL];
    heading(o, 2,
            TR(L, "Child nutrition (children under five, WHO 2006 growth standards)",
               "Gizi anak balita (standar pertumbuhan WHO 2006)"));
    const char *nh[5] = {TR(L, "Indicator", "Indikator"), TR(L, "Meaning", "Artinya"),
                         TR(L, "Prevalence (95% CI)", "Prevalensi (SK 95%)"), "RSE",
                         TR(L, "Sample size (children)", "Ukuran sampel (anak)")};
    table_head(o, 5, nh, "llrrr");
    for (int k = 0; k < N_NUT; k++) {
        snprintf(c[0], CELL, "%s", NUT_NAME[en(o) ? 0 : 1][k]);
        snprintf(c[1], CELL, "%s", NUT_DEF[en(o) ? 0 : 1][k]);
        fmt_est(L, &b->nut[k], 100, 1, "%", c[2], CELL);
        fmt_rse(L, &b->nut[k], c[3], CELL);
        fmt_num(L, (double)b->nut[k].n, 0, c[4], CELL);
        const char *row[5] = {c[0], c[1], c[2], c[3], c[4]};
        table_row(o, 5, row);
    }
    table_end(o);
    heading(o, 3,
            TR(L, "By sub-district (highest stunting first)",
               "Per kecamatan (stunting tertinggi di atas)"));
    nutrition_rows(o, TR(L, "Sub-district", "Kecamatan"), b->areas, b->n_areas);
    nutrition_gaps(o, b);
    if (o->html && b->n_areas > 0)
        chart_bars(o, TR(L, "Stunting by sub-district", "Stunting per kecamatan"), b->n_areas,
                   b->areas, 0, b->nut[0].value, TR(L, "regency", "kabupaten"));
    heading(o, 3, TR(L, "By age group", "Per kelompok umur"));
    nutrition_rows(o, TR(L, "Age group", "Kelompok umur"), b->age, N_AGE);
    if (o->html) chart_haz(o, b);
}

static void quality(out *o, const brief *b) {
    int L = o->lang;
    char buf[1024], v[4][48];
    heading(o, 2, TR(L, "Data quality", "Kualitas data"));
    list_begin(o);
    const socind_growth_quality *q = &b->q;
    static const char *const qi[2][4] = {
        {"height-for-age", "weight-for-age", "BMI-for-age", "weight-for-height"},
        {"tinggi menurut umur", "berat menurut umur", "IMT menurut umur", "berat menurut tinggi"}};
    fmt_num(L, (double)q->n, 0, v[1], 48);
    const char *kids = TR(L, noun(v[1], "child", "children"), "anak");
    for (int k = 0; k < 4; k++) {
        snprintf(buf, sizeof buf,
                 TR(L,
                    "%s: %s of %s %s without a z-score (missing or out-of-range "
                    "measurements), %s flagged as implausible by WHO's limits and left out; SD of "
                    "the z-scores %s",
                    "%s: %s dari %s %s tanpa skor-z (pengukuran kosong atau di luar rentang), "
                    "%s ditandai tidak wajar menurut batas WHO dan tidak dihitung; SD skor-z %s"),
                 qi[en(o) ? 0 : 1][k], fmt_num(L, (double)q->missing[k], 0, v[0], 48), v[1], kids,
                 fmt_num(L, (double)q->flagged[k], 0, v[2], 48), fmt_num(L, q->sd[k], 2, v[3], 48));
        list_item(o, buf);
    }
    char m[3][48];
    snprintf(buf, sizeof buf,
             TR(L,
                "SD of height-for-age z: %s (WHO: 0.8–1.2 is plausible; wider suggests "
                "measurement or age errors); mean %s (95%% CI %s to %s)",
                "SD skor-z tinggi menurut umur: %s (WHO: 0,8–1,2 wajar; lebih lebar menunjukkan "
                "kesalahan pengukuran atau umur); rata-rata %s (SK 95%% %s s.d. %s)"),
             fmt_num(L, q->sd[0], 2, v[0], 48), fmt_num(L, b->haz_mean.value, 2, m[0], 48),
             fmt_num(L, b->haz_mean.ci_low, 2, m[1], 48),
             fmt_num(L, b->haz_mean.ci_high, 2, m[2], 48));
    list_item(o, buf);
    fmt_num(L, (double)q->oedema, 0, v[0], 48);
    if (b->has_oedema)
        snprintf(buf, sizeof buf,
                 TR(L, "Oedema: %s %s; sex missing or invalid: %s; age missing: %s",
                    "Edema: %s %s; jenis kelamin kosong atau tidak sah: %s; umur kosong: %s"),
                 v[0], TR(L, noun(v[0], "child", "children"), "anak"),
                 fmt_num(L, (double)q->sex_missing, 0, v[1], 48),
                 fmt_num(L, (double)q->age_missing, 0, v[2], 48));
    else
        snprintf(buf, sizeof buf,
                 TR(L,
                    "Oedema: not recorded in the file (every child counted as without oedema); "
                    "sex missing or invalid: %s; age missing: %s",
                    "Edema: tidak tercatat dalam berkas (semua anak dianggap tanpa edema); jenis "
                    "kelamin kosong atau tidak sah: %s; umur kosong: %s"),
                 fmt_num(L, (double)q->sex_missing, 0, v[1], 48),
                 fmt_num(L, (double)q->age_missing, 0, v[2], 48));
    list_item(o, buf);
    snprintf(buf, sizeof buf,
             TR(L,
                "Digit preference: %s%% of lengths/heights and %s%% of weights end in .0 or .5 "
                "(20%% without preference)",
                "Preferensi angka: %s%% panjang/tinggi dan %s%% berat berakhiran ,0 atau ,5 "
                "(20%% tanpa preferensi)"),
             fmt_num(L, 100 * q->lenhei_heaping, 0, v[0], 48),
             fmt_num(L, 100 * q->weight_heaping, 0, v[1], 48));
    list_item(o, buf);
    list_end(o);
}

static void definitions(out *o, const brief *b) {
    int L = o->lang;
    heading(o, 2, TR(L, "What the figures mean", "Arti angka-angka"));
    list_begin(o);
    list_item(o, TR(L,
                    "Poverty rate: the share of people whose household spending per person is "
                    "below the national poverty line (BPS's line: the cost of basic food and "
                    "non-food needs).",
                    "Persentase penduduk miskin: bagian penduduk yang pengeluaran rumah tangganya "
                    "per orang di bawah garis kemiskinan nasional (garis BPS: biaya kebutuhan "
                    "dasar makanan dan bukan makanan)."));
    list_item(o, TR(L,
                    "Extreme poverty rate: the same below the World Bank's international line of "
                    "$2.15 a day per person at 2017 purchasing-power parity, converted to rupiah "
                    "per month at the survey's prices.",
                    "Persentase penduduk miskin ekstrem: hal yang sama di bawah garis "
                    "internasional Bank Dunia $2,15 per orang per hari (paritas daya beli 2017), "
                    "dikonversi ke rupiah per bulan pada harga tahun survei."));
    list_item(o, TR(L,
                    "Poverty gap index P1: how far below the line the poor are on average, as a "
                    "share of the line, counting the non-poor as zero (×100). Severity index P2 "
                    "gives the poorest more weight.",
                    "Indeks kedalaman kemiskinan P1: rata-rata jarak pengeluaran penduduk miskin "
                    "dari garis kemiskinan, sebagai bagian dari garis, penduduk tidak miskin "
                    "dihitung nol (×100). Indeks keparahan P2 memberi bobot lebih pada yang "
                    "termiskin."));
    list_item(o, TR(L, "Gini ratio: inequality of spending, from 0 (all equal) to 1.",
                    "Rasio Gini: ketimpangan pengeluaran, dari 0 (merata) sampai 1."));
    if (b->kids_path) /* (no child nutrition without a children's file) */
        list_item(o, TR(L,
                        "Stunting: a child too short for its age (below −2 standard deviations of "
                        "WHO's standard), a sign of long-term undernutrition.",
                        "Stunting: anak terlalu pendek untuk umurnya (di bawah −2 simpangan baku "
                        "standar WHO), tanda kurang gizi jangka panjang."));
    list_item(o, TR(L,
                    "95% confidence interval: the range in which the true figure lies with 95% "
                    "confidence, given that only a sample was surveyed. A change is significant "
                    "when its interval does not include zero.",
                    "Selang kepercayaan (SK) 95%: rentang yang memuat angka sebenarnya dengan "
                    "keyakinan 95%, karena hanya sampel yang disurvei. Perubahan signifikan bila "
                    "selangnya tidak mencakup nol."));
    list_item(o, TR(L,
                    "RSE (relative standard error): the standard error as a share of the "
                    "estimate. BPS's convention: up to 25% reliable; 25–50% use with caution (†); "
                    "above 50% not shown (‡).",
                    "RSE (kesalahan baku relatif): kesalahan baku sebagai bagian dari perkiraan. "
                    "Ketentuan BPS: sampai 25% dapat diandalkan; 25–50% gunakan dengan hati-hati "
                    "(†); di atas 50% tidak ditampilkan (‡)."));
    list_item(o, TR(L,
                    "Sample size: the households or children surveyed, not the number living in "
                    "the area.",
                    "Ukuran sampel: jumlah rumah tangga atau anak yang disurvei, bukan jumlah "
                    "yang tinggal di wilayah itu."));
    list_end(o);
}

/* The (stratum, PSU) ids the last two rounds share (counted by
 * note_round_psus), after the changes' method: " ..." or "" */
static const char *shared_psus_note(out *o, const brief *b) {
    if (b->shared_psus == 0) return "";
    const int L = o->lang;
    char n[3][64];
    const char *before = user_text(o, b->years[b->n_years - 2].label),
               *last = user_text(o, b->years[b->n_years - 1].label);
    fmt_num(L, (double)b->shared_psus, 0, n[0], sizeof n[0]);
    fmt_num(L, (double)b->last_psus, 0, n[1], sizeof n[1]);
    fmt_num(L, (double)b->prev_psus, 0, n[2], sizeof n[2]);
    if (en(o))
        return out_fmt(o,
                       " But %s of the %s (stratum, PSU) ids of survey round %s are also ids of "
                       "survey round %s (of %s): where an id names the same PSU in both rounds (a "
                       "panel or revisited PSUs), the two rounds are not independent samples, and "
                       "the intervals of the changes from %s to %s, which assume they are, ignore "
                       "their covariance.",
                       n[0], n[1], last, before, n[2], before, last);
    return out_fmt(o,
                   " Namun %s dari %s id (strata, PSU) putaran survei %s juga merupakan id "
                   "putaran survei %s (dari %s): bila sebuah id menunjuk PSU yang sama pada kedua "
                   "putaran (panel atau PSU yang dikunjungi ulang), kedua putaran bukan sampel "
                   "yang saling bebas, dan selang kepercayaan perubahan dari %s ke %s, yang "
                   "menganggapnya saling bebas, mengabaikan kovariansnya.",
                   n[0], n[1], last, before, n[2], before, last);
}

/* A price index with one decimal (118.9), or, where that shows 0 (a CPI
 * below 0.05), with two significant digits (0.012) */
static const char *fmt_index(int lang, double v, char *buf, size_t cap) {
    if (!(fabs(v) > 0) || !isfinite(v)) return fmt_num(lang, v, 1, buf, cap);
    int dec = 1;
    for (; dec < FMT_MAX_DEC; dec++) {
        fmt_num(lang, v, dec, buf, cap);
        if (strspn(buf, "0.,") != strlen(buf)) break;
    }
    return fmt_num(lang, v, dec > 1 && dec < FMT_MAX_DEC ? dec + 1 : dec, buf, cap);
}

static void sources(out *o, const brief *b) {
    int L = o->lang;
    char v[5][64];
    heading(o, 2, TR(L, "Sources and methods", "Sumber dan metode"));
    list_begin(o);
    size_t total = 0;
    for (int32_t y = 0; y < b->n_years; y++) total += b->years[y].households;
    fmt_num(L, (double)total, 0, v[0], 64);
    list_item(o, out_fmt(o,
                         TR(L, "Households: %s (%s %s, %d survey round%s).",
                            "Rumah tangga: %s (%s %s, %d putaran survei)."),
                         user_text(o, b->hh_path), v[0], TR(L, noun(v[0], "row", "rows"), "baris"),
                         (int)b->n_years, en(o) && b->n_years != 1 ? "s" : ""));
    if (b->kids_path && b->kid_rounds > 1)
        list_item(o, out_fmt(o,
                             TR(L, "Children: %s (%s rows, %d survey rounds; the latest, %s: %s).",
                                "Anak: %s (%s baris, %d putaran survei; yang terakhir, %s: %s)."),
                             user_text(o, b->kids_path),
                             fmt_num(L, (double)b->kid_file_rows, 0, v[0], 64), (int)b->kid_rounds,
                             user_text(o, b->kid_round),
                             fmt_num(L, (double)b->n_children, 0, v[1], 64)));
    else if (b->kids_path) {
        fmt_num(L, (double)b->kid_file_rows, 0, v[0], 64);
        list_item(o, out_fmt(o, TR(L, "Children: %s (%s %s).", "Anak: %s (%s %s)."),
                             user_text(o, b->kids_path), v[0],
                             TR(L, noun(v[0], "row", "rows"), "baris")));
    } else
        list_item(o,
                  TR(L, "Children: none (no --children).", "Anak: tidak ada (tanpa --children)."));
    for (int32_t y = 0; y < b->n_years; y++) {
        const year_fig *f = &b->years[y];
        list_item(
            o,
            out_fmt(o,
                    TR(L,
                       "Extreme-poverty line%s%s: $%s × %s rupiah per international dollar (PPP "
                       "factor) × CPI %s / %s × 365/12 days = %s rupiah per person per month "
                       "(socind_ppp_line).",
                       "Garis kemiskinan ekstrem%s%s: $%s × %s rupiah per dolar internasional "
                       "(faktor PPP) × IHK %s / %s × 365/12 hari = %s rupiah per kapita per bulan "
                       "(socind_ppp_line)."),
                    b->rounds ? " " : "", b->rounds ? user_text(o, f->label) : "",
                    fmt_num(L, b->ppp_daily, 2, v[0], 64), fmt_num(L, b->ppp_factor, 1, v[1], 64),
                    fmt_index(L, f->cpi, v[2], 64), fmt_index(L, b->cpi_base, v[3], 64),
                    fmt_num(L, f->ext_line, 0, v[4], 64)));
    }
    list_item(o, out_fmt(o, "%s%s",
                         TR(L,
                            "Every figure is a survey estimate under the design (strata, primary "
                            "sampling units, weights). Proportions: Korn–Graubard interval "
                            "(Clopper–Pearson on the effective sample size, as R's "
                            "svyciprop(method = \"beta\")); a proportion that is 0 or 100% in "
                            "the sample, or whose standard error is 0 (no design effect can be "
                            "estimated), gets the Clopper–Pearson interval on its sample size. "
                            "Other figures: t interval on the design's degrees of freedom. "
                            "Changes: the two rounds as independent samples; a change from such "
                            "a proportion has the MOVER interval built on the "
                            "two rounds' own intervals (Newcombe 1998; Zou and Donner 2008), "
                            "significant only when it excludes zero.",
                            "Setiap angka adalah perkiraan survei menurut desainnya (strata, unit "
                            "sampling primer, bobot). Proporsi: selang Korn–Graubard "
                            "(Clopper–Pearson pada ukuran sampel efektif, seperti "
                            "svyciprop(method = \"beta\") di R); proporsi yang 0 atau 100% dalam "
                            "sampel, atau yang kesalahan bakunya 0 (efek desain tidak dapat "
                            "diperkirakan), memakai selang Clopper–Pearson pada ukuran sampelnya. "
                            "Angka lain: selang t pada derajat bebas desain. Perubahan: kedua "
                            "putaran sebagai sampel yang saling bebas; perubahan dari proporsi "
                            "seperti itu memakai selang MOVER (metode Newcombe) dari selang "
                            "kedua putaran (Newcombe 1998; Zou dan Donner 2008), signifikan hanya "
                            "bila selang itu tidak mencakup nol."),
                         shared_psus_note(o, b)));
    list_item(o, TR(L,
                    "Poor means spending per person strictly below the line. Prevalences follow "
                    "WHO's anthro: implausible z-scores left out, oedema counted as severe "
                    "wasting and underweight.",
                    "Miskin berarti pengeluaran per kapita di bawah garis (tidak sama dengan). "
                    "Prevalensi mengikuti anthro WHO: skor-z tidak wajar tidak dihitung, edema "
                    "dihitung sebagai gizi buruk (kurus dan berat kurang)."));
    list_item(o, out_fmt(o, TR(L, "Computed by socind %s.", "Dihitung dengan socind %s."),
                         socind_version()));
    list_end(o);
}

/* a paragraph marked as a warning, at the top of the brief */
static void warning_para(out *o, const char *text) {
    fputs(o->html ? "<p class=\"warning\"><strong>" : "**", o->f);
    fputs(TR(o->lang, "Warning:", "Peringatan:"), o->f);
    fputs(o->html ? "</strong> " : "** ", o->f);
    put_text(o, text);
    fputs(o->html ? "</p>\n" : "\n\n", o->f);
}

/* --compare's round: its incomes below 0, its households without a
 * national line */
static void compare_warnings(out *o, const gic_fig *g) {
    const int L = o->lang;
    char v[64];
    const char *round = *g->base ? user_text(o, g->base) : NULL, *buf;
    if (g->shared_psus > 0) {
        char n[3][64];
        const char *latest = *g->latest ? user_text(o, g->latest) : NULL;
        fmt_num(L, (double)g->shared_psus, 0, n[0], sizeof n[0]);
        fmt_num(L, (double)g->latest_psus, 0, n[1], sizeof n[1]);
        fmt_num(L, (double)g->base_psus, 0, n[2], sizeof n[2]);
        if (en(o))
            buf = out_fmt(o,
                          "%s of the %s (stratum, PSU) ids of %s%s are also ids of %s%s "
                          "(--compare, of %s): the two rounds are not independent samples (a "
                          "panel, revisited PSUs or a copy of the household file), and the "
                          "intervals of the growth incidence curve, which assume they are, "
                          "ignore their covariance.",
                          n[0], n[1], latest ? "survey round " : "the brief's survey",
                          latest ? latest : "", round ? "survey round " : "the earlier survey",
                          round ? round : "", n[2]);
        else
            buf = out_fmt(o,
                          "%s dari %s id (strata, PSU) %s%s juga merupakan id %s%s (--compare, "
                          "dari %s): kedua putaran bukan sampel yang saling bebas (panel, PSU "
                          "yang dikunjungi ulang, atau salinan berkas rumah tangga), dan selang "
                          "kepercayaan kurva insiden pertumbuhan, yang menganggapnya saling "
                          "bebas, mengabaikan kovariansnya.",
                          n[0], n[1], latest ? "putaran survei " : "survei ringkasan ini",
                          latest ? latest : "", round ? "putaran survei " : "survei sebelumnya",
                          round ? round : "", n[2]);
        warning_para(o, buf);
    }
    if (g->negative > 0) {
        const int one = g->negative == 1;
        const char *n = fmt_num(L, (double)g->negative, 0, v, sizeof v);
        if (en(o))
            buf = out_fmt(o,
                          "%s household%s of %s%s (--compare) %s an income (spending per person) "
                          "below 0; the growth incidence curve counts %s as given (in the "
                          "round's percentiles and mean income; a percentile at 0 or below has "
                          "no growth rate) — check %s before using these figures.",
                          n, one ? "" : "s", round ? "survey round " : "the earlier survey",
                          round ? round : "", one ? "has" : "have", one ? "it" : "them",
                          one ? "it" : "them");
        else
            buf = out_fmt(o,
                          "%s rumah tangga %s%s (--compare) memiliki pengeluaran per kapita di "
                          "bawah 0; kurva insiden pertumbuhan menghitungnya apa adanya (dalam "
                          "persentil dan rata-rata pendapatan putaran itu; persentil yang 0 atau "
                          "kurang tidak memiliki laju pertumbuhan) — periksa data ini sebelum "
                          "memakai angkanya.",
                          n, round ? "pada putaran survei " : "dalam survei sebelumnya",
                          round ? round : "");
        warning_para(o, buf);
    }
    if (g->no_line_rows == 0) return;
    if (g->no_line)
        buf = en(o) ? out_fmt(o,
                              "%s%s (--compare) has no household with a national poverty line: "
                              "the share below it, the growth of the poor's mean income and the "
                              "rate of pro-poor growth are not available (shown as –).",
                              round ? "Survey round " : "The earlier survey", round ? round : "")
                    : out_fmt(o,
                              "%s%s (--compare) tidak memiliki rumah tangga dengan garis "
                              "kemiskinan nasional: bagian penduduk di bawah garis itu, "
                              "pertumbuhan pendapatan rata-rata penduduk miskin dan laju "
                              "pertumbuhan pro-miskin tidak tersedia (ditampilkan sebagai –).",
                              round ? "Putaran survei " : "Survei sebelumnya", round ? round : "");
    else {
        const int one = g->no_line_rows == 1;
        const char *n = fmt_num(L, (double)g->no_line_rows, 0, v, sizeof v);
        buf = en(o) ? out_fmt(o,
                              "%s household%s of %s%s (--compare) with an income %s no national "
                              "poverty line: %s left out of the share below it, which sets how "
                              "many of the poorest are the poor of the growth figures.",
                              n, one ? "" : "s", round ? "survey round " : "the earlier survey",
                              round ? round : "", one ? "has" : "have", one ? "it is" : "they are")
                    : out_fmt(o,
                              "%s rumah tangga %s%s (--compare) yang memiliki data pengeluaran "
                              "tidak memiliki garis kemiskinan nasional: tidak dihitung dalam "
                              "bagian penduduk di bawah garis itu, yang menentukan siapa penduduk "
                              "miskin dalam angka pertumbuhan.",
                              n, round ? "pada putaran survei " : "dalam survei sebelumnya",
                              round ? round : "");
    }
    warning_para(o, buf);
}

/* no child left for the prevalences by anthro's rules: how many, and why */
static void no_child_warning(out *o, const brief *b) {
    const int L = o->lang;
    const anthro_counts *c = &b->kid_out;
    char v[4][64];
    const char *kr = b->kid_round ? user_text(o, b->kid_round) : NULL;
    const size_t no_sw =
        c->sw_na > 0 && c->sw_na == b->n_children - c->age_out - c->design_out ? c->sw_na : 0;
    const size_t n[3] = {c->age_out, c->design_out, no_sw};
    static const char *const why[2][3][2] = {
        {{"is older than 1826 days (60 months)", "are older than 1826 days (60 months)"},
         {"has no cluster or stratum", "have no cluster or stratum"},
         {"has no sampling weight", "have no sampling weight"}},
        {{"berumur lebih dari 1826 hari (60 bulan)", "berumur lebih dari 1826 hari (60 bulan)"},
         {"tanpa klaster atau strata", "tanpa klaster atau strata"},
         {"tanpa bobot sampel", "tanpa bobot sampel"}}};
    const char *reasons = "";
    for (int i = 0, m = 0; i < 3; i++) {
        if (n[i] == 0) continue;
        reasons = out_fmt(o, "%s%s%s %s", reasons, m++ ? ", " : "",
                          fmt_num(L, (double)n[i], 0, v[i], sizeof v[i]),
                          why[en(o) ? 0 : 1][i][n[i] != 1]);
    }
    const char *all = fmt_num(L, (double)b->n_children, 0, v[3], sizeof v[3]);
    const char *buf =
        en(o) ? out_fmt(o,
                        "None of the %s children measured%s%s is left for the prevalences under "
                        "WHO anthro's exclusion rules: %s. Stunting, wasting, underweight and "
                        "overweight are not available (shown as –); the data-quality lines are "
                        "of every child.",
                        all, kr ? " in survey round " : "", kr ? kr : "", reasons)
              : out_fmt(o,
                        "Tidak satu pun dari %s anak yang diukur%s%s dapat dihitung dalam "
                        "prevalensi menurut aturan pengecualian anthro WHO: %s. Stunting, "
                        "wasting, underweight dan overweight tidak tersedia (ditampilkan sebagai "
                        "–); baris kualitas data mencakup semua anak.",
                        all, kr ? " pada putaran survei " : "", kr ? kr : "", reasons);
    warning_para(o, buf);
}

/* The people the latest round's weights represent, "about" so many: to
 * the nearest 1,000 from 100,000, else to 3 significant digits and at
 * least to a whole number (12,300, 600, 4; a sum below 1 to one
 * significant digit, 0.5) — never 0 for a positive sum; "–" without a
 * round */
static const char *about_people(int lang, const year_fig *z, char *buf, size_t cap) {
    const double pop = z ? z->population : NAN;
    if (!(pop > 0) || !isfinite(pop)) return fmt_num(lang, pop, 0, buf, cap);
    if (pop >= 100000) return fmt_num(lang, 1000 * round(pop / 1000), 0, buf, cap);
    const int mag = (int)floor(log10(pop));
    if (mag < -FMT_MAX_DEC) return fmt_sci(lang, pop, 0, buf, cap);
    if (mag < 0) return fmt_num(lang, pop, -mag, buf, cap);
    const double q = mag >= 2 ? pow(10, mag - 2) : 1;
    return fmt_num(lang, round(pop / q) * q, 0, buf, cap);
}

void render(out *o, const brief *b) {
    int L = o->lang;
    char v[3][64];
    const char *buf =
        out_fmt(o, "%s — %s", user_text(o, b->title),
                b->kids_path ? TR(L, "poverty, inequality and child nutrition",
                                  "kemiskinan, ketimpangan dan gizi anak")
                             : TR(L, "poverty and inequality", "kemiskinan dan ketimpangan"));
    page_begin(o, buf);
    heading(o, 1, buf);
    size_t total = 0;
    for (int32_t y = 0; y < b->n_years; y++) total += b->years[y].households;
    const year_fig *z = b->n_years ? &b->years[b->n_years - 1] : NULL;
    const char *rounds = "";
    if (b->rounds && b->n_years > 1)
        rounds = out_fmt(o, " %s–%s", user_text(o, b->years[0].label), user_text(o, z->label));
    else if (b->rounds && z)
        rounds = out_fmt(o, " %s", user_text(o, z->label));
    fmt_num(L, (double)total, 0, v[0], 64);
    about_people(L, z, v[1], 64);
    fmt_num(L, (double)b->n_children, 0, v[2], 64);
    buf = out_fmt(o,
                  TR(L,
                     "This brief uses the household survey%s (%s %s surveyed, representing "
                     "about %s %s%s%s)%s%s%s. Every figure is a survey estimate with its 95%% "
                     "confidence interval in brackets and its relative standard error (RSE).",
                     "Ringkasan ini memakai survei rumah tangga%s (%s %s sampel, mewakili "
                     "sekitar %s %s%s%s)%s%s%s. Setiap angka adalah perkiraan survei dengan selang "
                     "kepercayaan 95%% dalam kurung dan kesalahan baku relatifnya (RSE)."),
                  rounds, v[0], TR(L, noun(v[0], "household", "households"), "rumah tangga"), v[1],
                  TR(L, noun(v[1], "person", "people"), "penduduk"),
                  b->rounds && z ? TR(L, " in ", " pada ") : "",
                  b->rounds && z ? user_text(o, z->label) : "",
                  b->kids_path ? TR(L, " and the measurements of ", " dan pengukuran ") : "",
                  b->kids_path ? v[2] : "",
                  b->kids_path ? TR(L, noun(v[2], " child under five", " children under five"),
                                    " anak balita")
                               : "");
    if (!b->kids_path) /* (the households are not the bundled sample's) */
        buf = out_fmt(o, "%s %s", buf,
                      TR(L,
                         "No children's file was given (--children): this brief has no child "
                         "nutrition.",
                         "Tidak ada berkas anak (--children): ringkasan ini tidak memuat gizi "
                         "anak."));
    para(o, buf);
    if (b->sample)
        para(o, TR(L,
                   "Synthetic sample data (data/sample), made to resemble the regency's published "
                   "figures: no real household or child. Run the command on the regency's own "
                   "survey files for real figures.",
                   "Data contoh sintetis (data/sample), dibuat menyerupai angka resmi kabupaten: "
                   "bukan rumah tangga atau anak sebenarnya. Jalankan perintah ini pada berkas "
                   "survei kabupaten untuk angka sebenarnya."));
    for (int32_t y = 0; y < b->n_years; y++) {
        const year_fig *f = &b->years[y];
        if (!f->no_income) continue;
        const char *round = b->rounds ? user_text(o, f->label) : NULL;
        if (en(o))
            buf = out_fmt(o,
                          "%s%s has no household with an income (spending per person): its "
                          "poverty and inequality figures are not available (shown as –).",
                          round ? "Survey round " : "The household survey", round ? round : "");
        else
            buf = out_fmt(o,
                          "%s%s tidak memiliki rumah tangga dengan data pengeluaran per kapita: "
                          "angka kemiskinan dan ketimpangannya tidak tersedia (ditampilkan "
                          "sebagai –).",
                          round ? "Putaran survei " : "Survei rumah tangga", round ? round : "");
        warning_para(o, buf);
    }
    for (int32_t y = 0; y < b->n_years; y++) {
        const year_fig *f = &b->years[y];
        if (f->no_income || f->no_line_rows == 0) continue;
        const int one = f->no_line_rows == 1;
        const char *n = fmt_num(L, (double)f->no_line_rows, 0, v[0], 64),
                   *round = b->rounds ? user_text(o, f->label) : NULL;
        if (f->no_line && en(o))
            buf = out_fmt(o,
                          "%s%s has no household with a national poverty line: its figures "
                          "against it (the poverty rate and number of poor, P1 and P2, overall "
                          "and by sub-district) are not available (shown as –); the extreme "
                          "poverty figures and the Gini are given.",
                          round ? "Survey round " : "The household survey", round ? round : "");
        else if (f->no_line)
            buf = out_fmt(o,
                          "%s%s tidak memiliki rumah tangga dengan garis kemiskinan nasional: "
                          "angka terhadap garis itu (persentase dan jumlah penduduk miskin, P1 "
                          "dan P2, keseluruhan dan per kecamatan) tidak tersedia (ditampilkan "
                          "sebagai –); angka kemiskinan ekstrem dan rasio Gini tetap diberikan.",
                          round ? "Putaran survei " : "Survei rumah tangga", round ? round : "");
        else if (en(o))
            buf = out_fmt(o,
                          "%s household%s of %s%s with an income %s no national poverty line: "
                          "%s left out of the figures against it (the poverty rate and number "
                          "of poor, P1 and P2, overall and by sub-district; the number of poor "
                          "counts only the households with a line) and kept in the extreme "
                          "poverty figures and the Gini.",
                          n, one ? "" : "s", round ? "survey round " : "the survey",
                          round ? round : "", one ? "has" : "have", one ? "it is" : "they are");
        else
            buf = out_fmt(o,
                          "%s rumah tangga %s%s yang memiliki data pengeluaran tidak memiliki "
                          "garis kemiskinan nasional: tidak dihitung dalam angka terhadap garis "
                          "itu (persentase dan jumlah penduduk miskin, P1 dan P2, keseluruhan "
                          "dan per kecamatan; jumlah penduduk miskin hanya menghitung rumah "
                          "tangga yang memiliki garis) dan tetap dihitung dalam angka kemiskinan "
                          "ekstrem dan rasio Gini.",
                          n, round ? "pada putaran survei " : "dalam survei", round ? round : "");
        warning_para(o, buf);
    }
    for (int32_t y = 0; y < b->n_years; y++) {
        const year_fig *f = &b->years[y];
        if (f->negative == 0) continue;
        const int one = f->negative == 1;
        const char *n = fmt_num(L, (double)f->negative, 0, v[0], 64),
                   *round = b->rounds ? user_text(o, f->label) : NULL;
        if (en(o))
            buf = out_fmt(o,
                          "%s household%s of %s%s %s an income (spending per person) below 0; "
                          "the poverty gap P1, the severity P2 and the Gini count %s as given "
                          "(a negative income's gap is more than the line, and the Gini can "
                          "leave its range of 0 to 1) — check %s before using these figures.",
                          n, one ? "" : "s", round ? "survey round " : "the survey",
                          round ? round : "", one ? "has" : "have", one ? "it" : "them",
                          one ? "it" : "them");
        else
            buf = out_fmt(o,
                          "%s rumah tangga %s%s memiliki pengeluaran per kapita di bawah 0; "
                          "indeks kedalaman P1, indeks keparahan P2 dan rasio Gini menghitungnya "
                          "apa adanya (jarak pengeluaran negatif ke garis kemiskinan melebihi "
                          "garis itu sendiri, dan Gini dapat keluar dari rentang 0 sampai 1) — "
                          "periksa data ini sebelum memakai angkanya.",
                          n, round ? "pada putaran survei " : "dalam survei", round ? round : "");
        warning_para(o, buf);
    }
    if (b->gic) compare_warnings(o, b->gic);
    if (b->no_child_left) no_child_warning(o, b);
    for (int i = 0; i < b->n_warnings; i++) warning_para(o, b->warning[i]);
    key_messages(o, b);
    heading(o, 2, TR(L, "Poverty", "Kemiskinan"));
    if (b->n_years > 0) {
        poverty_table(o, b);
        subdistrict_poverty(o, b);
        render_gic(o, b);
    }
    if (b->kids_path) {
        nutrition(o, b);
        quality(o, b);
    }
    definitions(o, b);
    sources(o, b);
    page_end(o);
}
