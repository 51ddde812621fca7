/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/report.c — `socind report`: the regency brief. Every figure comes from
 * the public API (fgt, poor count, Gini, difference, the prevalence table,
 * the growth quality summary); this file only reads, arranges and prints.
 * The figures are computed once into a `brief` and rendered as Markdown
 * (stdout) and, with --html FILE, as one self-contained HTML page with SVG
 * charts.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_NUT 4 /* stunting, wasting, underweight, overweight */
#define N_AGE 6
#define HIST_LO (-6.0)
#define HIST_W 0.25
#define HIST_BINS 48

static const char *const NUT_NAME[N_NUT] = {"Stunting", "Wasting", "Underweight", "Overweight"};
static const char *const NUT_DEF[N_NUT] = {"height-for-age < −2 SD", "weight-for-height < −2 SD",
                                           "weight-for-age < −2 SD", "weight-for-height > +2 SD"};
static const int NUT_IND[N_NUT] = {SOCIND_NUT_HA, SOCIND_NUT_WH, SOCIND_NUT_WA, SOCIND_NUT_WH};
static const int NUT_STAT[N_NUT] = {SOCIND_NUT_LT2, SOCIND_NUT_LT2, SOCIND_NUT_LT2, SOCIND_NUT_GT2};

/* a labelled row of estimates: a sub-district's poverty rate (e[0]), or a
 * group's four nutrition prevalences */
typedef struct area_row {
    const char *label;
    socind_estimate e[N_NUT];
} area_row;

typedef struct year_fig {
    const char *label;
    double line; /* the line when it is the same for every row, else NaN */
    socind_estimate p0, poor, p1, p2, gini;
    size_t households;
    area_row *areas; /* sorted, highest rate first */
    int32_t n_areas;
} year_fig;

typedef struct brief {
    const char *title;
    const char *hh_path, *kids_path;
    year_fig *years;
    int32_t n_years;
    socind_estimate change[4]; /* P0, poor, P1, P2: last year − the one before */
    /* children */
    size_t n_children;
    socind_estimate nut[N_NUT];
    socind_estimate haz_mean;
    double haz_sd_weighted;
    area_row *areas; /* sorted by stunting, highest first */
    int32_t n_areas;
    area_row age[N_AGE];
    socind_growth_quality q;
    double hist[HIST_BINS];
    double hist_n;
    char warning[4][400]; /* shares of flagged z-scores too large to pass unremarked */
    int n_warnings;
} brief;

/* ------------------------------------------------------------------ formatting */

/* 1234567.8 → "1,234,568" */
static const char *thousands(double v, char *buf, size_t cap) {
    if (!isfinite(v)) return snprintf(buf, cap, "–"), buf;
    char raw[64];
    snprintf(raw, sizeof raw, "%.0f", fabs(v));
    size_t len = strlen(raw), o = 0;
    if (v < 0 && strcmp(raw, "0") != 0 && o + 1 < cap) buf[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
    return buf;
}

/* scale·v in the printf format fmt (one double), or "–" when v is not a
 * finite number: a figure the data cannot give is never printed as "nan"
 * (the status is said on stderr) */
static const char *num(double v, double scale, const char *fmt, char *buf, size_t cap) {
    if (!isfinite(v)) return snprintf(buf, cap, "–"), buf;
    snprintf(buf, cap, fmt, scale * v);
    return buf;
}

/* "VALUE (LOW–HIGH)" with each figure in fmt, "VALUE (–)" without an
 * interval, "–" without a value */
static const char *fig_ci(const socind_estimate *e, double scale, const char *fmt, char *buf,
                          size_t cap) {
    char v[40], lo[40], hi[40];
    if (!isfinite(e->value)) return snprintf(buf, cap, "–"), buf;
    num(e->value, scale, fmt, v, sizeof v);
    if (!isfinite(e->ci_low) || !isfinite(e->ci_high))
        snprintf(buf, cap, "%s (–)", v);
    else
        snprintf(buf, cap, "%s (%s–%s)", v, num(e->ci_low, scale, fmt, lo, sizeof lo),
                 num(e->ci_high, scale, fmt, hi, sizeof hi));
    return buf;
}

/* a proportion as "6.9% (5.1–9.2)" */
static const char *pct_ci(const socind_estimate *e, char *buf, size_t cap) {
    char v[48];
    if (!isfinite(e->value)) return snprintf(buf, cap, "–"), buf;
    if (!isfinite(e->ci_low) || !isfinite(e->ci_high))
        return snprintf(buf, cap, "%s%% (–)", num(e->value, 100, "%.1f", v, sizeof v)), buf;
    snprintf(buf, cap, "%.1f%% (%.1f–%.1f)", 100 * e->value, 100 * e->ci_low, 100 * e->ci_high);
    return buf;
}

/* P1, P2 in percent with two decimals */
static const char *pct2_ci(const socind_estimate *e, char *buf, size_t cap) {
    return fig_ci(e, 100, "%.2f", buf, cap);
}

static const char *count_ci(const socind_estimate *e, char *buf, size_t cap) {
    char a[32], b[32], c[32];
    if (!isfinite(e->value)) return snprintf(buf, cap, "–"), buf;
    if (!isfinite(e->ci_low) || !isfinite(e->ci_high))
        return snprintf(buf, cap, "%s (–)", thousands(e->value, a, sizeof a)), buf;
    snprintf(buf, cap, "%s (%s–%s)", thousands(e->value, a, sizeof a),
             thousands(e->ci_low, b, sizeof b), thousands(e->ci_high, c, sizeof c));
    return buf;
}

/* ------------------------------------------------------------------ renderers */

typedef struct out {
    FILE *f;
    int html;
    const char *align; /* of the current table */
} out;

static const char *html_escape(unsigned char ch) {
    return ch == '&'   ? "&amp;"
           : ch == '<' ? "&lt;"
           : ch == '>' ? "&gt;"
           : ch == '"' ? "&quot;"
                       : NULL;
}

static const char *markdown_escape(unsigned char ch) {
    return ch == '|' ? "\\|" : NULL; /* a table's cell separator */
}

/* text, escaped for the page (U+FFFD for bytes that are not UTF-8) */
static void put_text(out *o, const char *s) {
    out_text(o->f, s, o->html ? html_escape : markdown_escape);
}

static void heading(out *o, int level, const char *text) {
    if (o->html) {
        fprintf(o->f, "<h%d>", level);
        put_text(o, text);
        fprintf(o->f, "</h%d>\n", level);
    } else {
        fprintf(o->f, "%.*s ", level, "######");
        put_text(o, text);
        fputs("\n\n", o->f);
    }
}

static void para(out *o, const char *text) {
    fputs(o->html ? "<p>" : "", o->f);
    put_text(o, text);
    fputs(o->html ? "</p>\n" : "\n\n", o->f);
}

/* one row of cells: <th>/<td> (HTML, with the column's alignment) or a
 * Markdown table row */
static void cells(out *o, int n, const char *const *c, const char *tag) {
    if (o->html) fputs("<tr>", o->f);
    for (int i = 0; i < n; i++) {
        if (o->html)
            fprintf(o->f, o->align[i] == 'r' ? "<%s class=\"num\">" : "<%s>", tag);
        else
            fputs("| ", o->f);
        put_text(o, c[i]);
        if (o->html)
            fprintf(o->f, "</%s>", tag);
        else
            fputc(' ', o->f);
    }
    fputs(o->html ? "</tr>\n" : "|\n", o->f);
}

/* align: one letter per column, 'l' text or 'r' numbers */
static void table_head(out *o, int n, const char *const *h, const char *align) {
    o->align = align;
    if (o->html) fputs("<table>\n<thead>", o->f);
    cells(o, n, h, "th");
    if (o->html) {
        fputs("</thead>\n<tbody>\n", o->f);
        return;
    }
    for (int i = 0; i < n; i++) fputs(align[i] == 'r' ? "|---:" : "|---", o->f);
    fputs("|\n", o->f);
}

static void table_row(out *o, int n, const char *const *c) {
    cells(o, n, c, "td");
}

static void table_end(out *o) {
    fputs(o->html ? "</tbody>\n</table>\n" : "\n", o->f);
}

static void list_begin(out *o) {
    if (o->html) fputs("<ul>\n", o->f);
}

static void list_item(out *o, const char *text) {
    fputs(o->html ? "<li>" : "- ", o->f);
    put_text(o, text);
    fputs(o->html ? "</li>\n" : "\n", o->f);
}

static void list_end(out *o) {
    fputs(o->html ? "</ul>\n" : "\n", o->f);
}

/* ------------------------------------------------------------------ charts (HTML) */

/* Horizontal bars with CI whiskers of the rows' first estimate, in percent. */
static void chart_bars(out *o, const char *title, int n, const area_row *rows) {
    double max = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(rows[i].e[0].ci_high) && rows[i].e[0].ci_high > max)
            max = rows[i].e[0].ci_high;
    /* percent: the axis ends at the next multiple of 10, ticks every 2, 10 or 20 */
    max = ceil(max * 10 - 1e-9) * 10;
    if (max <= 0) max = 10;
    double step = max <= 10 ? 2 : max <= 60 ? 10 : 20;
    max = ceil(max / step - 1e-9) * step;
    int ticks = (int)(max / step + 0.5);
    const double left = 170, width = 420, row = 22, top = 30;
    double height = top + row * n + 30;
    fprintf(o->f,
            "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n<title>",
            left + width + 40, height, left + width + 40, height);
    put_text(o, title);
    fputs("</title>\n", o->f);
    for (int t = 0; t <= ticks; t++) {
        double x = left + width * t / ticks;
        fprintf(o->f,
                "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" class=\"grid\"/>"
                "<text x=\"%.1f\" y=\"%.0f\" class=\"tick\">%.0f%%</text>\n",
                x, top - 6, x, top + row * n, x, top + row * n + 16, step * t);
    }
    for (int i = 0; i < n; i++) {
        double y = top + row * i;
        fprintf(o->f, "<text x=\"%.0f\" y=\"%.1f\" class=\"label\">", left - 8, y + row * 0.68);
        put_text(o, rows[i].label);
        fputs("</text>\n", o->f);
        const socind_estimate *e = &rows[i].e[0];
        if (!isfinite(e->value)) continue;
        double v = 100 * e->value, lo = 100 * e->ci_low, hi = 100 * e->ci_high;
        fprintf(o->f,
                "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar\">"
                "<title>%.1f%% (95%% CI %.1f–%.1f)</title></rect>\n",
                left, y + 4, width * v / max, row - 8, v, lo, hi);
        double x0 = left + width * lo / max, x1 = left + width * hi / max, ym = y + row / 2;
        fprintf(o->f,
                "<path d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\" class=\"whisker\"/>\n",
                x0, ym, x1, x0, ym - 5, ym + 5, x1, ym - 5, ym + 5);
    }
    fputs("</svg><figcaption>", o->f);
    put_text(o, title);
    fputs(" — bars: estimate; whiskers: 95% confidence interval.</figcaption></figure>\n", o->f);
}

/* Histogram of HAZ against the WHO standard (the standard normal density). */
static void chart_haz(out *o, const brief *b) {
    const double left = 50, width = 520, top = 20, height = 220;
    double maxd = 0.42; /* the normal density peaks at 0.399 */
    for (int i = 0; i < HIST_BINS; i++) {
        double d = b->hist_n > 0 ? b->hist[i] / (b->hist_n * HIST_W) : 0;
        if (d > maxd) maxd = d;
    }
    double W = left + width + 20, H = top + height + 40;
    fprintf(o->f,
            "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n<title>Height-for-age z-scores against "
            "the WHO standard</title>\n",
            W, H, W, H);
#define XPOS(z) (left + width * ((z)-HIST_LO) / (HIST_BINS * HIST_W))
#define YPOS(d) (top + height - height * (d) / maxd)
    for (int zt = -6; zt <= 6; zt += 2)
        fprintf(o->f,
                "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" class=\"grid\"/>"
                "<text x=\"%.1f\" y=\"%.0f\" class=\"tick\">%d</text>\n",
                XPOS(zt), top, XPOS(zt), top + height, XPOS(zt), top + height + 16, zt);
    for (int i = 0; i < HIST_BINS; i++) {
        if (b->hist[i] <= 0) continue;
        double d = b->hist[i] / (b->hist_n * HIST_W);
        double z0 = HIST_LO + HIST_W * i;
        fprintf(o->f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar\">"
                "<title>%.2f to %.2f: %.0f children</title></rect>\n",
                XPOS(z0), YPOS(d), width * HIST_W / (HIST_BINS * HIST_W) - 1,
                top + height - YPOS(d), z0, z0 + HIST_W, b->hist[i]);
    }
    fputs("<path class=\"curve\" d=\"", o->f);
    for (int i = 0; i <= 240; i++) {
        double z = HIST_LO + (HIST_BINS * HIST_W) * i / 240.0;
        double d = exp(-0.5 * z * z) / 2.5066282746310002;
        fprintf(o->f, "%c%.1f %.1f", i ? 'L' : 'M', XPOS(z), YPOS(d));
    }
    fputs("\"/>\n", o->f);
    fprintf(o->f,
            "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" class=\"cut\"/>"
            "<text x=\"%.1f\" y=\"%.0f\" class=\"note\">−2 SD</text>\n",
            XPOS(-2.0), top, XPOS(-2.0), top + height, XPOS(-2.0) + 4, top + 12);
    fprintf(o->f, "<text x=\"%.0f\" y=\"%.0f\" class=\"tick\">height-for-age z-score</text>\n",
            left + width / 2, H - 4);
#undef XPOS
#undef YPOS
    fputs("</svg><figcaption>Height-for-age z-scores of the children (bars, unflagged values, "
          "share per unit z) against the WHO standard population (curve: the standard normal "
          "density). A distribution shifted left of the curve means stunting.</figcaption>"
          "</figure>\n",
          o->f);
}

/* ------------------------------------------------------------------ the brief */

/* a table of the four prevalences per row, and the children counted */
static void nutrition_rows(out *o, const char *const *head, const area_row *rows, int n) {
    char c[N_NUT][96], count[32];
    table_head(o, 6, head, "lrrrrr");
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < N_NUT; k++) pct_ci(&rows[i].e[k], c[k], sizeof c[k]);
        snprintf(count, sizeof count, "%lld", (long long)rows[i].e[0].n);
        const char *cells[6] = {rows[i].label, c[0], c[1], c[2], c[3], count};
        table_row(o, 6, cells);
    }
    table_end(o);
}

static void render(out *o, const brief *b) {
    char buf[1024], c1[160], c2[160], c3[160], c4[160], c6[160];
    if (o->html) {
        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
              o->f);
        put_text(o, b->title ? b->title : "Poverty, inequality and child nutrition");
        fputs(" — brief</title>\n<style>\n"
              "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;"
              "padding:0 1rem;color:#222;line-height:1.45}\n"
              "table{border-collapse:collapse;margin:0.5rem 0 1.5rem;display:block;overflow-x:auto;"
              "font-size:0.92rem}\n"
              "th,td{padding:0.25rem 0.6rem;border-bottom:1px solid #ddd;text-align:left}\n"
              "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:"
              "nowrap}\n"
              "figure{margin:1rem 0 2rem}figcaption{font-size:0.85rem;color:#555}\n"
              "svg .bar{fill:#4a7ab5}svg .whisker{stroke:#222;stroke-width:1.5;fill:none}\n"
              "svg .grid{stroke:#e4e4e4}svg .tick{font-size:11px;text-anchor:middle;fill:#555}\n"
              "svg .label{font-size:12px;text-anchor:end;fill:#222}\n"
              "svg .curve{stroke:#c0392b;stroke-width:2;fill:none}\n"
              "svg .cut{stroke:#888;stroke-dasharray:4 3}svg .note{font-size:11px;fill:#555}\n"
              ".warning{border-left:4px solid #c0392b;background:#fdecea;padding:0.5rem 1rem}\n"
              "</style>\n</head>\n<body>\n",
              o->f);
    }
    if (b->title)
        snprintf(buf, sizeof buf, "%s — poverty, inequality and child nutrition", b->title);
    else
        snprintf(buf, sizeof buf, "Poverty, inequality and child nutrition");
    heading(o, 1, buf);
    size_t total = 0;
    for (int32_t y = 0; y < b->n_years; y++) total += b->years[y].households;
    snprintf(buf, sizeof buf,
             "Households: %s (%zu rows, %d survey year%s). Children: %s (%zu rows). Every figure "
             "is a survey estimate with its 95%% confidence interval under the design (strata, "
             "primary sampling units, weights), computed by socind %s.",
             b->hh_path, total, (int)b->n_years, b->n_years == 1 ? "" : "s", b->kids_path,
             b->n_children, socind_version());
    para(o, buf);
    for (int i = 0; i < b->n_warnings; i++) {
        fputs(o->html ? "<p class=\"warning\"><strong>Warning:</strong> " : "**Warning:** ", o->f);
        put_text(o, b->warning[i]);
        fputs(o->html ? "</p>\n" : "\n\n", o->f);
    }

    heading(o, 2, "Poverty");
    static const char *const ph[] = {"Year",
                                     "Poverty line (per person per month)",
                                     "Poverty rate P0",
                                     "Number of poor",
                                     "Poverty gap P1 (×100)",
                                     "Severity P2 (×100)",
                                     "Gini"};
    table_head(o, 7, ph, "lrrrrrr");
    for (int32_t y = 0; y < b->n_years; y++) {
        const year_fig *f = &b->years[y];
        char line[48], gini[160];
        if (isfinite(f->line))
            thousands(f->line, line, sizeof line);
        else
            snprintf(line, sizeof line, "varies by row");
        fig_ci(&f->gini, 1, "%.3f", gini, sizeof gini);
        const char *cells[7] = {f->label,
                                line,
                                pct_ci(&f->p0, c1, sizeof c1),
                                count_ci(&f->poor, c2, sizeof c2),
                                pct2_ci(&f->p1, c3, sizeof c3),
                                pct2_ci(&f->p2, c4, sizeof c4),
                                gini};
        table_row(o, 7, cells);
    }
    table_end(o);
    if (b->n_years > 1) {
        const year_fig *a = &b->years[b->n_years - 2], *z = &b->years[b->n_years - 1];
        const socind_estimate *d = &b->change[0];
        const char *verdict = !(isfinite(d->ci_low) && isfinite(d->ci_high))
                                  ? "no interval: see the note on stderr"
                              : d->ci_high < 0 ? "a fall: the interval excludes zero"
                              : d->ci_low > 0  ? "a rise: the interval excludes zero"
                                               : "the interval includes zero: no change can be "
                                                 "told from sampling error";
        char f[9][48];
        const socind_estimate *c = b->change;
        snprintf(buf, sizeof buf,
                 "Change %s → %s: poverty rate %s percentage points (95%% CI %s to "
                 "%s) — %s. Number of poor %s (95%% CI %s to %s); P1 %s (%s to "
                 "%s); P2 %s (%s to %s), ×100. The two years are independent "
                 "samples.",
                 a->label, z->label, num(d->value, 100, "%+.1f", f[0], 48),
                 num(d->ci_low, 100, "%+.1f", f[1], 48), num(d->ci_high, 100, "%+.1f", f[2], 48),
                 verdict, thousands(c[1].value, c1, sizeof c1),
                 thousands(c[1].ci_low, c2, sizeof c2), thousands(c[1].ci_high, c3, sizeof c3),
                 num(c[2].value, 100, "%+.2f", f[3], 48), num(c[2].ci_low, 100, "%+.2f", f[4], 48),
                 num(c[2].ci_high, 100, "%+.2f", f[5], 48), num(c[3].value, 100, "%+.2f", f[6], 48),
                 num(c[3].ci_low, 100, "%+.2f", f[7], 48),
                 num(c[3].ci_high, 100, "%+.2f", f[8], 48));
        para(o, buf);
    }
    if (b->n_years > 0) {
        const year_fig *z = &b->years[b->n_years - 1];
        snprintf(buf, sizeof buf, "Poverty rate by sub-district, %s (highest first)", z->label);
        heading(o, 3, buf);
        static const char *const ah[] = {"Sub-district", "Poverty rate P0", "Households"};
        table_head(o, 3, ah, "lrr");
        for (int32_t i = 0; i < z->n_areas; i++) {
            snprintf(c2, sizeof c2, "%lld", (long long)z->areas[i].e[0].n);
            const char *row[3] = {z->areas[i].label, pct_ci(&z->areas[i].e[0], c1, sizeof c1), c2};
            table_row(o, 3, row);
        }
        table_end(o);
        if (o->html && z->n_areas > 0) {
            snprintf(buf, sizeof buf, "Poverty rate by sub-district, %s", z->label);
            chart_bars(o, buf, z->n_areas, z->areas);
        }
    }

    heading(o, 2, "Child nutrition (under five, WHO 2006 growth standards)");
    static const char *const nh[] = {"Indicator", "Definition", "Prevalence (95% CI)", "Children"};
    table_head(o, 4, nh, "llrr");
    for (int k = 0; k < N_NUT; k++) {
        snprintf(c2, sizeof c2, "%lld", (long long)b->nut[k].n);
        const char *cells[4] = {NUT_NAME[k], NUT_DEF[k], pct_ci(&b->nut[k], c1, sizeof c1), c2};
        table_row(o, 4, cells);
    }
    table_end(o);
    heading(o, 3, "By sub-district (highest stunting first)");
    static const char *const sh[] = {"Sub-district", "Stunting",   "Wasting",
                                     "Underweight",  "Overweight", "Children"};
    nutrition_rows(o, sh, b->areas, b->n_areas);
    if (o->html && b->n_areas > 0)
        chart_bars(o, "Stunting prevalence by sub-district", b->n_areas, b->areas);
    heading(o, 3, "By age group");
    static const char *const gh[] = {"Age group",   "Stunting",   "Wasting",
                                     "Underweight", "Overweight", "Children"};
    nutrition_rows(o, gh, b->age, N_AGE);
    if (o->html) chart_haz(o, b);

    heading(o, 2, "Data quality");
    list_begin(o);
    const socind_growth_quality *q = &b->q;
    static const char *const qi[4] = {"height-for-age", "weight-for-age", "BMI-for-age",
                                      "weight-for-height"};
    for (int k = 0; k < 4; k++) {
        snprintf(buf, sizeof buf,
                 "%s: %lld of %lld children without a z-score (missing or out-of-range "
                 "measurements), %lld flagged as implausible by WHO's limits and left out; SD of "
                 "the z-scores %.2f",
                 qi[k], (long long)q->missing[k], (long long)q->n, (long long)q->flagged[k],
                 q->sd[k]);
        list_item(o, buf);
    }
    snprintf(c6, sizeof c6, "%.2f", q->sd[0]);
    char m1[48], m2[48], m3[48];
    snprintf(buf, sizeof buf,
             "SD of height-for-age z: %s (WHO: 0.8–1.2 is plausible; wider suggests measurement "
             "or age errors); mean %s (95%% CI %s to %s)",
             c6, num(b->haz_mean.value, 1, "%.2f", m1, sizeof m1),
             num(b->haz_mean.ci_low, 1, "%.2f", m2, sizeof m2),
             num(b->haz_mean.ci_high, 1, "%.2f", m3, sizeof m3));
    list_item(o, buf);
    snprintf(buf, sizeof buf,
             "Oedema: %lld children; sex missing or invalid: %lld; age missing: %lld",
             (long long)q->oedema, (long long)q->sex_missing, (long long)q->age_missing);
    list_item(o, buf);
    snprintf(buf, sizeof buf,
             "Digit preference: %.0f%% of lengths/heights and %.0f%% of weights end in .0 or .5 "
             "(20%% without preference)",
             100 * q->lenhei_heaping, 100 * q->weight_heaping);
    list_item(o, buf);
    list_end(o);
    para(o, "Poor means per-capita expenditure below the line (strictly). P1 is the mean "
            "shortfall from the line as a share of it, counting the non-poor as zero; P2 weighs "
            "the shortfall by itself. Prevalences follow WHO's anthro: flagged z-scores left "
            "out, oedema counted as severe wasting and underweight, logit intervals.");
    if (o->html) fputs("</body>\n</html>\n", o->f);
}

/* ------------------------------------------------------------------ computing */

typedef struct hh_cols {
    int year, area, income, weight, strata, psu, line;
} hh_cols;

/* highest first estimate first (one that is not a number last), then by
 * label */
static int cmp_area_row(const void *a, const void *b) {
    const area_row *x = a, *y = b;
    double u = x->e[0].value, v = y->e[0].value;
    int nu = isnan(u), nv = isnan(v);
    if (nu != nv) return nu - nv;
    if (!nu && u != v) return u < v ? 1 : -1;
    return strcmp(x->label, y->label);
}

static const char *opt_or(const args *a, const char *name, const char *dflt) {
    const char *v = arg_get(a, name);
    return v ? v : dflt;
}

/* One year: a design of its own rows (each year is a separate sample). */
static int compute_year(const args *a, const tbl *t, const hh_cols *c, const int64_t *st_all,
                        const int64_t *ps_all, int32_t lonely, const breakdown *years, int32_t yi,
                        const breakdown *area, year_fig *f) {
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) n += years->code[r] == yi;
    double *y = malloc(n * sizeof *y), *w = malloc(n * sizeof *w), *line = malloc(n * sizeof *line);
    int64_t *st = malloc(n * sizeof *st), *ps = malloc(n * sizeof *ps);
    int32_t *grp = malloc(n * sizeof *grp);
    size_t *rows = malloc(n * sizeof *rows); /* the table row of each of the year's rows */
    socind_estimate *ea = malloc((size_t)(area->n_groups ? area->n_groups : 1) * sizeof *ea);
    socind_design *d = NULL;
    int rc = 0;
    if (!y || !w || !line || !st || !ps || !grp || !ea || !rows) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    size_t k = 0;
    f->line = NAN;
    int constant = 1;
    for (size_t r = 0; r < t->nrows; r++) {
        if (years->code[r] != yi) continue;
        y[k] = t->cols[c->income].num[r];
        w[k] = t->cols[c->weight].num[r];
        line[k] = t->cols[c->line].num[r];
        st[k] = st_all[r];
        ps[k] = ps_all[r];
        grp[k] = area->code[r];
        rows[k] = r;
        if (k > 0 && line[k] != line[0]) constant = 0;
        k++;
    }
    if (constant && n > 0) f->line = line[0];
    f->households = n;
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = lonely;
    dopt.nest = arg_flag(a, "nest");
    int32_t s = socind_design_new(n, w, st, ps, NULL, &dopt, &d);
    if (s) {
        rc = lib_fail(a, t, rows, "survey design", s);
        goto done;
    }
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_PER_ROW;
    L.lines = line;
    if ((s = socind_fgt(d, y, &L, 0, NULL, 1, NULL, &f->p0)) ||
        (s = socind_poor_count(d, y, &L, NULL, 1, NULL, &f->poor)) ||
        (s = socind_fgt(d, y, &L, 1, NULL, 1, NULL, &f->p1)) ||
        (s = socind_fgt(d, y, &L, 2, NULL, 1, NULL, &f->p2)) ||
        (s = socind_gini(d, y, NULL, 1, NULL, &f->gini)) ||
        (s = socind_fgt(d, y, &L, 0, grp, area->n_groups, NULL, ea))) {
        rc = lib_fail(a, t, rows, "poverty", s);
        goto done;
    }
    f->areas = calloc((size_t)(area->n_groups ? area->n_groups : 1), sizeof *f->areas);
    if (!f->areas) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    for (int32_t g = 0; g < area->n_groups; g++) {
        if (ea[g].n == 0) continue; /* no household of the year (a status: said on stderr) */
        f->areas[f->n_areas].label = area->label[g] + strlen(area->column) + 2;
        f->areas[f->n_areas].e[0] = ea[g];
        f->n_areas++;
    }
    qsort(f->areas, (size_t)f->n_areas, sizeof *f->areas, cmp_area_row);
done:
    socind_design_free(d);
    free(y), free(w), free(line), free(st), free(ps), free(grp), free(ea), free(rows);
    return rc;
}

static int find_row(const socind_prevalence_table *tab, int kind, int level, int ind, int stat,
                    socind_prevalence_row *row) {
    size_t nr = socind_prevalence_table_nrows(tab);
    socind_prevalence_row_init(row);
    for (size_t i = 0; i < nr; i++) {
        socind_prevalence_table_row(tab, i, row);
        if (row->group_kind == kind && row->group_level == level && row->indicator == ind &&
            row->statistic == stat)
            return 1;
    }
    return 0;
}

static void nut_of(const socind_prevalence_table *tab, int kind, int level, socind_estimate *e) {
    for (int k = 0; k < N_NUT; k++) {
        socind_prevalence_row row;
        if (find_row(tab, kind, level, NUT_IND[k], NUT_STAT[k], &row)) {
            e[k] = row.est;
            e[k].n = row.pop_unweighted;
            e[k].weight_sum = row.pop_weighted;
        } else {
            memset(&e[k], 0, sizeof e[k]);
            e[k].value = e[k].se = e[k].ci_low = e[k].ci_high = NAN;
        }
    }
}

#define FLAG_WARN 0.05 /* a share of flagged z-scores worth a warning */

static int compute_children(tbl *t, const args *a, brief *b, breakdown *area) {
    growth_cols g = {0};
    growth_codes_t codes;
    int32_t *flen = NULL;
    int64_t *strata = NULL, *cluster = NULL;
    double *zlen = NULL;
    socind_prevalence_table *tab = NULL;
    socind_design *design = NULL;
    int rc;
    memset(&codes, 0, sizeof codes);
    g.sex = tbl_want(t, opt_or(a, "sex", "sex"), "sex", TBL_LABEL);
    g.age_in_months = arg_get(a, "age-months") != NULL;
    if (g.age_in_months)
        g.age = tbl_want(t, arg_get(a, "age-months"), "age-months", TBL_NUM);
    else
        g.age = tbl_want(t, opt_or(a, "age-days", "age_days"), "age-days", TBL_NUM);
    g.weight_kg = tbl_want(t, opt_or(a, "weight-kg", "weight"), "weight-kg", TBL_NUM);
    g.lenhei = tbl_want(t, opt_or(a, "lenhei-cm", "lenhei"), "lenhei-cm", TBL_NUM);
    g.measure = tbl_want(t, opt_or(a, "measure", "measure"), "measure", TBL_LABEL);
    g.oedema = tbl_want(t, opt_or(a, "oedema", "oedema"), "oedema", TBL_LABEL);
    g.headc = g.armc = g.triskin = g.subskin = g.id = -1;
    int c_area = tbl_want(t, opt_or(a, "child-area", "kecamatan"), "child-area", TBL_LABEL);
    int c_sw = tbl_want(t, opt_or(a, "child-weight", "sw"), "child-weight", TBL_NUM);
    int c_st = tbl_want(t, opt_or(a, "child-strata", "strata"), "child-strata", TBL_ID);
    int c_cl = tbl_want(t, opt_or(a, "child-psu", "cluster"), "child-psu", TBL_ID);
    char err[1024];
    if (tbl_read(t, err, sizeof err)) return fail_with(EXIT_DATA, "%s", err);
    b->n_children = t->nrows;
    if ((rc = check_age_unit(a, t, &g))) goto done;
    if ((rc = growth_codes(a, t, &g, &codes))) goto done;
    socind_growth_input in;
    growth_input_of(t, &g, &codes, &in);
    /* the data-quality lines and the HAZ histogram: every child of the file */
    socind_growth_quality_init(&b->q);
    int32_t s;
    if ((s = socind_growth_quality_who2006(t->nrows, &in, &b->q))) {
        rc = lib_fail(a, t, NULL, "data quality", s);
        goto done;
    }
    static const char *const qi[4] = {"height-for-age", "weight-for-age", "BMI-for-age",
                                      "weight-for-height"};
    for (int k = 0; k < 4; k++) {
        long long with_z = (long long)b->q.n - (long long)b->q.missing[k];
        if (with_z <= 0 || (double)b->q.flagged[k] <= FLAG_WARN * (double)with_z) continue;
        snprintf(b->warning[b->n_warnings++], sizeof b->warning[0],
                 "%.1f%% of the %s z-scores (%lld of %lld) are flagged as implausible by WHO's "
                 "limits and left out of the prevalences; more than %.0f%% points to errors in "
                 "the ages (months given as days?) or the measurements — check them before "
                 "using these figures.",
                 100.0 * (double)b->q.flagged[k] / (double)with_z, qi[k],
                 (long long)b->q.flagged[k], with_z, 100 * FLAG_WARN);
        fprintf(stderr, "socind report: warning: %s\n", b->warning[b->n_warnings - 1]);
    }
    zlen = malloc((t->nrows ? t->nrows : 1) * sizeof *zlen);
    flen = malloc((t->nrows ? t->nrows : 1) * sizeof *flen);
    if (!zlen || !flen) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    socind_growth_output out;
    socind_growth_output_init(&out);
    out.zlen = zlen;
    out.flen = flen;
    if ((s = socind_growth_who2006(t->nrows, &in, SOCIND_ROUND_WHO, &out))) {
        rc = lib_fail(a, t, NULL, "z-scores", s);
        goto done;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        if (isnan(zlen[r]) || flen[r]) continue;
        int bin = (int)floor((zlen[r] - HIST_LO) / HIST_W);
        if (bin < 0 || bin >= HIST_BINS) continue;
        b->hist[bin] += 1;
        b->hist_n += 1;
    }
    /* the prevalences: anthro_prevalence's exclusions and warnings */
    if ((rc = anthro_exclusions("report", t, &g, 0, c_sw, c_st, c_cl, &codes))) goto done;
    note_growth_missing("report", t, &g, 0);
    note_missing("report", t, c_area,
                 "they are left out of the sub-district rows of child nutrition and kept in the "
                 "overall figures");
    if ((rc = ids_from_labels(t, &t->cols[c_st], &strata))) goto done;
    if ((rc = ids_from_labels(t, &t->cols[c_cl], &cluster))) goto done;
    if ((rc = breakdown_make(t, &t->cols[c_area], area))) goto done;
    growth_input_of(t, &g, &codes, &in);
    if ((rc = anthro_design(a, t, c_sw, strata, cluster, &design))) goto done;
    s = socind_prevalence_who2006(design, &in, area->n_groups ? area->code : NULL, area->n_groups,
                                  NULL, &tab);
    if (s) {
        rc = lib_fail(a, t, NULL, "prevalence", s);
        goto done;
    }
    nut_of(tab, SOCIND_GROUP_ALL, 0, b->nut);
    socind_prevalence_row row;
    if (find_row(tab, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_MEAN, &row)) {
        b->haz_mean = row.est;
        b->haz_sd_weighted = row.stdev;
    }
    b->areas = calloc((size_t)(area->n_groups ? area->n_groups : 1), sizeof *b->areas);
    if (!b->areas) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    for (int32_t gi = 0; gi < area->n_groups; gi++) {
        area_row *an = &b->areas[b->n_areas];
        nut_of(tab, SOCIND_GROUP_DOMAIN, gi, an->e);
        if (an->e[0].n == 0) continue;
        an->label = area->label[gi] + strlen(area->column) + 2;
        b->n_areas++;
    }
    qsort(b->areas, (size_t)b->n_areas, sizeof *b->areas, cmp_area_row);
    static const char *const age_label[N_AGE] = {"0–5 months",   "6–11 months",  "12–23 months",
                                                 "24–35 months", "36–47 months", "48–59 months"};
    for (int i = 0; i < N_AGE; i++) {
        b->age[i].label = age_label[i];
        nut_of(tab, SOCIND_GROUP_AGE, i, b->age[i].e);
    }
    rc = 0;
done:
    socind_prevalence_table_free(tab);
    socind_design_free(design);
    growth_codes_free(&codes);
    free(strata), free(cluster), free(zlen), free(flen);
    return rc;
}

/* Every figure of the brief whose status is not OK, said on stderr as the
 * other commands say it (note_statuses): the brief shows "–" for what it
 * cannot give. 0 or an exit code. */
static int report_statuses(const brief *b, const args *a) {
    est_list l;
    memset(&l, 0, sizeof l);
    int rc = 0;
    char group[300];
#define NOTE(name, grp, est)                                                                       \
    do {                                                                                           \
        if (!rc && (est)->status != SOCIND_OK) rc = est_add(&l, name, "", grp, est);               \
    } while (0)
    static const char *const pov[5] = {"poverty rate P0", "number of poor", "poverty gap P1",
                                       "severity P2", "Gini"};
    for (int32_t y = 0; y < b->n_years; y++) {
        const year_fig *f = &b->years[y];
        const socind_estimate *e[5] = {&f->p0, &f->poor, &f->p1, &f->p2, &f->gini};
        for (int k = 0; k < 5; k++) NOTE(pov[k], f->label, e[k]);
    }
    if (b->n_years > 0) {
        const year_fig *z = &b->years[b->n_years - 1];
        for (int32_t i = 0; i < z->n_areas; i++) {
            snprintf(group, sizeof group, "%s, %s", z->label, z->areas[i].label);
            NOTE("poverty rate P0 by sub-district", group, &z->areas[i].e[0]);
        }
    }
    if (b->n_years > 1) {
        snprintf(group, sizeof group, "%s to %s", b->years[b->n_years - 2].label,
                 b->years[b->n_years - 1].label);
        for (int k = 0; k < 4; k++) {
            char name[64];
            snprintf(name, sizeof name, "change of the %s", pov[k]);
            NOTE(name, group, &b->change[k]);
        }
    }
    for (int k = 0; k < N_NUT; k++) NOTE(NUT_NAME[k], "all children", &b->nut[k]);
    for (int32_t i = 0; i < b->n_areas; i++)
        for (int k = 0; k < N_NUT; k++) NOTE(NUT_NAME[k], b->areas[i].label, &b->areas[i].e[k]);
    for (int i = 0; i < N_AGE; i++)
        for (int k = 0; k < N_NUT; k++) NOTE(NUT_NAME[k], b->age[i].label, &b->age[i].e[k]);
    NOTE("mean height-for-age z", "all children", &b->haz_mean);
#undef NOTE
    if (!rc) note_statuses(&l, a, 0);
    est_free(&l);
    return rc;
}

/* the installed sample: <prefix>/bin/socind → <prefix>/share/socind/sample */
static const char *default_path(const char *file, char *buf, size_t cap) {
    snprintf(buf, cap, "data/sample/%s", file);
    if (access(buf, R_OK) == 0) return buf;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, cap, "%s/../share/socind/sample/%s", exe, file);
            if (access(buf, R_OK) == 0) return buf;
        }
    }
    snprintf(buf, cap, "data/sample/%s", file);
    return buf;
}

int cmd_report(int argc, char **argv) {
    static const opt_spec own[] = {
        {"households", 1}, {"children", 1},     {"html", 1},         {"title", 1},
        {"year", 1},       {"area", 1},         {"income", 1},       {"weight", 1},
        {"strata", 1},     {"psu", 1},          {"line-col", 1},     {"lonely-psu", 1},
        {"child-area", 1}, {"child-weight", 1}, {"child-strata", 1}, {"child-psu", 1},
        {"sex", 1},        {"age-days", 1},     {"age-months", 1},   {"weight-kg", 1},
        {"lenhei-cm", 1},  {"measure", 1},      {"oedema", 1},       {"nest", OPT_FLAG},
        {NULL, 0}};
    static const opt_spec input[] = {{"decimal-comma", OPT_FLAG},
                                     {"delimiter", OPT_VALUE},
                                     {"na-values", OPT_VALUE},
                                     {"encoding", OPT_VALUE},
                                     {NULL, 0}};
    const opt_spec *const specs[] = {own, input, cli_codes_opts, NULL};
    args a;
    tbl th, tk;
    brief b;
    breakdown years, area, kid_area;
    int64_t *st_all = NULL, *ps_all = NULL;
    memset(&th, 0, sizeof th);
    memset(&tk, 0, sizeof tk);
    memset(&b, 0, sizeof b);
    memset(&years, 0, sizeof years);
    memset(&area, 0, sizeof area);
    memset(&kid_area, 0, sizeof kid_area);
    if (args_parse(&a, "report", argc, argv, 2, specs)) return EXIT_USAGE;
    int rc = 0;
    if (a.file) {
        rc = usage_error("report", "name the files with --households and --children");
        goto done;
    }
    int32_t lonely;
    if ((rc = lonely_option(&a, &lonely))) goto done;
    if (arg_get(&a, "age-days") && arg_get(&a, "age-months")) {
        rc = usage_error("report", "give --age-days or --age-months, not both");
        goto done;
    }
    if ((rc = codes_check_options(&a))) goto done;
    char hh_buf[PATH_MAX + 64], kid_buf[PATH_MAX + 64];
    b.hh_path = arg_get(&a, "households");
    if (!b.hh_path) b.hh_path = default_path("households.csv", hh_buf, sizeof hh_buf);
    b.kids_path = arg_get(&a, "children");
    if (!b.kids_path) b.kids_path = default_path("children.csv", kid_buf, sizeof kid_buf);
    /* "-": standard input, for one of them */
    if (strcmp(b.hh_path, "-") == 0 && strcmp(b.kids_path, "-") == 0) {
        rc = usage_error("report", "--households - and --children -: standard input can be only "
                                   "one of them");
        goto done;
    }
    if (strcmp(b.hh_path, "-") == 0) b.hh_path = "/dev/stdin";
    if (strcmp(b.kids_path, "-") == 0) b.kids_path = "/dev/stdin";
    /* the sample's regency names only the bundled sample */
    b.title = arg_get(&a, "title");
    if (!b.title && !arg_get(&a, "households") && !arg_get(&a, "children"))
        b.title = "Musi Banyuasin";
    outw_input(b.hh_path);
    outw_input(b.kids_path);
    char err[1024];
    if (arg_get(&a, "html") && outw_check(arg_get(&a, "html"), err, sizeof err)) {
        rc = fail_with(EXIT_OUTPUT, "%s", err);
        goto done;
    }
    /* households */
    th.path = b.hh_path;
    tk.path = b.kids_path;
    if ((rc = input_options(&th, &a)) || (rc = input_options(&tk, &a))) goto done;
    hh_cols c;
    c.year = tbl_want(&th, opt_or(&a, "year", "year"), "year", TBL_LABEL);
    c.area = tbl_want(&th, opt_or(&a, "area", "kecamatan"), "area", TBL_LABEL);
    c.income = tbl_want(&th, opt_or(&a, "income", "exp_pc"), "income", TBL_NUM);
    c.weight = tbl_want(&th, opt_or(&a, "weight", "weight_person"), "weight", TBL_NUM);
    c.strata = tbl_want(&th, opt_or(&a, "strata", "stratum"), "strata", TBL_ID);
    c.psu = tbl_want(&th, opt_or(&a, "psu", "psu"), "psu", TBL_ID);
    c.line = tbl_want(&th, opt_or(&a, "line-col", "poverty_line"), "line-col", TBL_NUM);
    if (tbl_read(&th, err, sizeof err)) {
        rc = fail_with(EXIT_DATA, "%s", err);
        goto done;
    }
    note_missing("report", &th, c.income, "they are left out of every estimate");
    note_missing("report", &th, c.line, "they are left out of every estimate");
    note_missing("report", &th, c.area,
                 "they are left out of the sub-district rows and kept in the overall figures");
    if ((rc = breakdown_make(&th, &th.cols[c.year], &years))) goto done;
    if ((rc = breakdown_make(&th, &th.cols[c.area], &area))) goto done;
    for (size_t r = 0; r < th.nrows; r++)
        if (years.code[r] < 0) {
            char where[64];
            rc = fail_with(EXIT_DATA, "%s: %s: the year is missing", th.path,
                           tbl_where(&th, r, where, sizeof where));
            goto done;
        }
    /* checked and converted once; each year's design takes its rows */
    if ((rc = check_weights(&th, &th.cols[c.weight]))) goto done;
    if ((rc = ids_from_labels(&th, &th.cols[c.strata], &st_all))) goto done;
    if ((rc = ids_from_labels(&th, &th.cols[c.psu], &ps_all))) goto done;
    b.years = calloc((size_t)(years.n_groups ? years.n_groups : 1), sizeof *b.years);
    if (!b.years) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    for (int32_t y = 0; y < years.n_groups; y++) {
        b.years[y].label = years.label[y] + strlen(years.column) + 2;
        b.n_years = y + 1;
        rc = compute_year(&a, &th, &c, st_all, ps_all, lonely, &years, y, &area, &b.years[y]);
        if (rc) goto done;
    }
    if (b.n_years > 1) {
        const year_fig *p = &b.years[b.n_years - 2], *z = &b.years[b.n_years - 1];
        const socind_estimate *pa[4] = {&p->p0, &p->poor, &p->p1, &p->p2};
        const socind_estimate *za[4] = {&z->p0, &z->poor, &z->p1, &z->p2};
        for (int k = 0; k < 4; k++) {
            int32_t s = socind_difference(pa[k], za[k], NULL, &b.change[k]);
            if (s) {
                rc = lib_fail(&a, &th, NULL, "change between years", s);
                goto done;
            }
        }
    }
    /* children */
    if ((rc = compute_children(&tk, &a, &b, &kid_area))) goto done;
    if ((rc = report_statuses(&b, &a))) goto done;
    /* write: HTML first (to a temporary file, renamed when complete) */
    const char *html = arg_get(&a, "html");
    if (html) {
        outw w;
        if (outw_open(&w, html, OUT_RAW, 0, NULL, err, sizeof err)) {
            rc = fail_with(EXIT_OUTPUT, "%s", err);
            goto done;
        }
        out o = {w.f, 1, NULL};
        render(&o, &b);
        if (outw_close(&w, 1, err, sizeof err)) {
            rc = fail_with(EXIT_OUTPUT, "%s", err);
            goto done;
        }
    }
    out o = {stdout, 0, NULL};
    render(&o, &b);
    if (fflush(stdout) != 0) rc = fail_with(EXIT_OUTPUT, "standard output: write error");
done:
    free(st_all);
    free(ps_all);
    for (int32_t y = 0; y < b.n_years; y++) free(b.years[y].areas);
    free(b.years);
    free(b.areas);
    breakdown_free(&years);
    breakdown_free(&area);
    breakdown_free(&kid_area);
    tbl_free(&th);
    tbl_free(&tk);
    args_free(&a);
    return rc;
}
