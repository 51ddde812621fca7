/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/report_page.c — the brief's page: Markdown or one self-contained HTML
 * page (polyglot markup, no script, no external resource) whose SVG charts
 * scale with the screen (viewBox, width 100%), whose tables scroll sideways
 * inside a frame that says so on a narrow screen, and whose print
 * stylesheet lays it out on A4.
 */
#define _POSIX_C_SOURCE 200809L
#include "report.h"
#include "text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *html_escape(unsigned char ch) {
    return ch == '&'   ? "&amp;"
           : ch == '<' ? "&lt;"
           : ch == '>' ? "&gt;"
           : ch == '"' ? "&quot;"
           /* (a control character is no XML character: a space) */
           : (ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f ? " "
                                                                   : NULL;
}

static const char *markdown_escape(unsigned char ch) {
    return ch == '|' ? "\\|" : NULL; /* a table's cell separator */
}

/* keeps e (malloc'd) until out_free; "" and o->oom when e is NULL or
 * cannot be kept */
static const char *keep(out *o, char *e) {
    if (e && o->n_kept == o->cap_kept) {
        size_t cap = o->cap_kept ? 2 * o->cap_kept : 64;
        char **k = realloc(o->kept, cap * sizeof *k);
        if (!k) {
            free(e);
            e = NULL;
        } else {
            o->kept = k;
            o->cap_kept = cap;
        }
    }
    if (!e) {
        o->oom = 1;
        return "";
    }
    return o->kept[o->n_kept++] = e;
}

/* Whether cp is a character of a right-to-left script (Hebrew, Arabic,
 * Syriac, Thaana, N'Ko, ... and their presentation forms), whose text
 * reorders the numbers and punctuation next to it. */
static int rtl_char(uint32_t cp) {
    return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFF) || (cp >= 0x10800 && cp <= 0x10FFF) ||
           (cp >= 0x1E800 && cp <= 0x1EFFF);
}

const char *user_text(out *o, const char *s) {
    if (!s) return s;
    size_t n = strlen(s), k = 0;
    int rtl = 0;
    char *e = malloc(2 * n + 7);
    if (!e) return keep(o, NULL);
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        size_t m = utf8_len(s + i, n - i);
        if (m > 1) {
            const uint32_t cp = utf8_code(s + i, m);
            if (!bidi_control(cp)) {
                rtl |= rtl_char(cp);
                memcpy(e + k, s + i, m);
                k += m;
            }
            i += m;
            continue;
        }
        i++;
        if (o->html) {
            e[k++] = (char)ch;
            continue;
        }
        if (ch < 0x20 || ch == 0x7f) {
            e[k++] = ' ';
            continue;
        }
        /* the punctuation of emphasis, code, links, raw HTML and
           headings; at the start, a list item's or a setext heading's
           marker ("+ ", "- ", "= ", "2) ", "2. "); and what GFM links by
           itself ("www.", "://") */
        const size_t at = i - 1;
        int esc = strchr("\\`*_[]<>&~#", ch) != NULL;
        if (!esc && (ch == '+' || ch == '-' || ch == '=') && at == 0) esc = 1;
        if (!esc && (ch == '.' || ch == ')') && at > 0 && at <= 9 && strspn(s, "0123456789") == at)
            esc = 1;
        if (!esc && ch == ':' && strncmp(s + i, "//", 2) == 0) esc = 1;
        if (!esc && ch == '.' && at >= 3 && strncasecmp(s + at - 3, "www", 3) == 0) esc = 1;
        if (esc) e[k++] = '\\';
        e[k++] = (char)ch;
    }
    e[k] = '\0';
    if (rtl) {
        /* isolated (FSI ... PDI): its direction cannot reach the text
           around it */
        memmove(e + 3, e, k + 1);
        memcpy(e, "\xE2\x81\xA8", 3);
        memcpy(e + k + 3, "\xE2\x81\xA9", 4);
    }
    return keep(o, e);
}

const char *out_fmt(out *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *e = str_vprintf(fmt, ap);
    va_end(ap);
    return keep(o, e);
}

void out_free(out *o) {
    for (size_t i = 0; i < o->n_kept; i++) free(o->kept[i]);
    free(o->kept);
    o->kept = NULL;
    o->n_kept = o->cap_kept = 0;
    free(o->cut);
    o->cut = NULL;
    o->n_cut = o->cap_cut = 0;
}

/* text, escaped for the page (U+FFFD for bytes that are not UTF-8) */
void put_text(out *o, const char *s) {
    out_text(o->f, s, o->html ? html_escape : markdown_escape);
}

void heading(out *o, int level, const char *text) {
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

void para(out *o, const char *text) {
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
void table_head(out *o, int n, const char *const *h, const char *align) {
    o->align = align;
    if (o->html) {
        fprintf(o->f, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">",
                TR(o->lang, "table, scrolls sideways", "tabel, dapat digeser ke samping"));
        fprintf(o->f, "<p class=\"hint\" aria-hidden=\"true\">%s</p>\n<table>\n<thead>",
                TR(o->lang, "Swipe the table sideways →", "Geser tabel ke samping →"));
    }
    cells(o, n, h, "th");
    if (o->html) {
        fputs("</thead>\n<tbody>\n", o->f);
        return;
    }
    for (int i = 0; i < n; i++) fputs(align[i] == 'r' ? "|---:" : "|---", o->f);
    fputs("|\n", o->f);
}

void table_row(out *o, int n, const char *const *c) {
    cells(o, n, c, "td");
}

void table_end(out *o) {
    fputs(o->html ? "</tbody>\n</table></div>\n" : "\n", o->f);
}

void list_begin(out *o) {
    if (o->html) fputs("<ul>\n", o->f);
}

void list_item(out *o, const char *text) {
    fputs(o->html ? "<li>" : "- ", o->f);
    put_text(o, text);
    fputs(o->html ? "</li>\n" : "\n", o->f);
}

void list_end(out *o) {
    fputs(o->html ? "</ul>\n" : "\n", o->f);
}

static const char STYLE[] =
    "*{box-sizing:border-box}\n"
    "body{font-family:system-ui,sans-serif;max-width:72rem;margin:1.5rem auto;padding:0 1rem;"
    "color:#222;line-height:1.45;overflow-wrap:break-word}\n"
    "h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.3rem;margin-top:2rem}"
    "h3{font-size:1.05rem}\n"
    ".key{border:2px solid #2c5d8f;border-radius:6px;padding:0.4rem 1rem;background:#f3f7fb}\n"
    ".key li{margin:0.35rem 0}\n"
    ".scroll{max-width:100%;overflow-x:auto;margin:0.5rem 0 1.5rem;"
    "background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)),"
    "linear-gradient(to right,rgba(255,255,255,0),#fff 70%) 100% 0,"
    "radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.25),rgba(0,0,0,0)),"
    "radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.25),rgba(0,0,0,0)) 100% 0;"
    "background-repeat:no-repeat;background-size:40px 100%,40px 100%,14px 100%,14px 100%;"
    "background-attachment:local,local,scroll,scroll}\n"
    ".hint{display:none;margin:0 0 0.2rem;font-size:0.8rem;color:#555}\n"
    "table{border-collapse:collapse;font-size:0.92rem}\n"
    "th,td{padding:0.25rem 0.6rem;border-bottom:1px solid #ddd;text-align:left;"
    "vertical-align:top}\n"
    "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}\n"
    "figure{margin:1rem 0 2rem}figcaption{font-size:0.85rem;color:#555}\n"
    "svg{display:block;width:100%;height:auto}\n"
    "svg .bar{fill:#4a7ab5}svg .bar.caution{fill:#9fbbdb}"
    "svg .whisker{stroke:#222;stroke-width:1.5;fill:none}\n"
    "svg .grid{stroke:#e4e4e4}svg .axis{stroke:#888}"
    "svg .tick{font-size:13px;text-anchor:middle;fill:#555}\n"
    "svg .ytick{font-size:13px;text-anchor:end;fill:#555}\n"
    "svg .label{font-size:14px;text-anchor:end;fill:#222}"
    "svg .value{font-size:13px;fill:#222}\n"
    "svg .ref{stroke:#c0392b;stroke-width:1.5;stroke-dasharray:5 3}"
    "svg .reftext{font-size:13px;fill:#c0392b}\n"
    "svg .curve{stroke:#c0392b;stroke-width:2;fill:none}\n"
    "svg .cut{stroke:#888;stroke-dasharray:4 3}svg .note{font-size:13px;fill:#555}\n"
    ".warning{border-left:4px solid #c0392b;background:#fdecea;padding:0.5rem 1rem}\n"
    ".legend{font-size:0.85rem;color:#444}\n"
    "@media (max-width:40rem){body{margin:0.8rem auto;padding:0 0.6rem}"
    "h1{font-size:1.3rem}.hint{display:block}table{font-size:0.85rem}}\n"
    "@media print{@page{size:A4;margin:14mm}"
    "body{max-width:none;margin:0;padding:0;font-size:10pt;color:#000}"
    ".scroll{overflow:visible;background:none}.hint{display:none}"
    "table{font-size:8.5pt}th,td{padding:0.1rem 0.35rem}"
    "td.num{white-space:normal}"
    "figure,table,.key,li{break-inside:avoid}h2,h3{break-after:avoid}"
    "svg{max-width:15cm!important}.key{background:none}}\n";

void page_begin(out *o, const char *title) {
    if (!o->html) return;
    fprintf(o->f,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n"
            "<head>\n<meta charset=\"utf-8\"/>\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
            o->lang == LANG_EN ? "en" : "id");
    put_text(o, title);
    fprintf(o->f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", STYLE);
}

void page_end(out *o) {
    if (o->html) fputs("</body>\n</html>\n", o->f);
}

/* the axis of a percent chart: its end and step */
static void pct_axis(double max, double *end, double *step) {
    max = ceil(max * 100 - 1e-9);
    if (max <= 0) max = 1;
    *step = max <= 2 ? 0.5 : max <= 5 ? 1 : max <= 10 ? 2 : max <= 60 ? 10 : 20;
    *end = ceil(max / *step - 1e-9) * *step;
}

/* remembers a label the charts show cut, once */
static void note_cut(out *o, const char *label) {
    for (size_t i = 0; i < o->n_cut; i++)
        if (strcmp(o->cut[i], label) == 0) return;
    if (o->n_cut == o->cap_cut) {
        size_t cap = o->cap_cut ? 2 * o->cap_cut : 16;
        const char **c = realloc(o->cut, cap * sizeof *c);
        if (!c) {
            o->oom = 1;
            return;
        }
        o->cut = c;
        o->cap_cut = cap;
    }
    o->cut[o->n_cut++] = label;
}

/* A chart label's width in px at 14px: about 7.5 a character, 14 for the
 * wide (East Asian) ones, 0 for combining marks. *fit (when given): the
 * bytes of the longest start of s that, with "…" after it, fits in
 * `room`. */
static double label_px(const char *s, double room, size_t *fit) {
    const double ellipsis = 14;
    size_t len = strlen(s), i = 0;
    double w = 0;
    if (fit) *fit = 0;
    while (i < len) {
        size_t n = utf8_len(s + i, len - i);
        uint32_t cp = (unsigned char)s[i];
        if (n == 0)
            n = 1; /* (the reader lets no such byte through) */
        else if (n > 1) {
            cp &= 0x3Fu >> (n - 1);
            for (size_t k = 1; k < n; k++) cp = cp << 6 | ((unsigned char)s[i + k] & 0x3Fu);
        }
        int combining = (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
                        (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
        int wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                   (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                   (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                   (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
                   (cp >= 0x20000 && cp <= 0x3FFFD);
        w += combining ? 0 : wide ? 14 : 7.5;
        i += n;
        /* a combining mark stays with its letter */
        if (fit && w + ellipsis <= room) *fit = i;
    }
    return w;
}

void chart_bars(out *o, const char *title, int n, const area_row *rows, int k, double ref,
                const char *ref_label) {
    double max = isfinite(ref) ? ref : 0;
    for (int i = 0; i < n; i++) {
        const socind_estimate *e = &rows[i].e[k];
        int c = rel_class(e);
        if (c == REL_SUPPRESS || c == REL_NA) continue;
        if (isfinite(e->ci_high) && e->ci_high > max) max = e->ci_high;
        if (e->value > max) max = e->value;
    }
    double end, step;
    pct_axis(max, &end, &step);
    int dec = end <= 5 ? 2 : 1; /* of the value labels */
    int ticks = (int)(end / step + 0.5);
    double label_w = 0;
    for (int i = 0; i < n; i++)
        label_w = fmax(label_w, fmin(label_px(rows[i].label, 0, NULL), CHART_LABEL_PX));
    const double left = fmax(124, label_w + 8), width = 270, row = 26, top = 36, right = 84;
    double W = left + width + right, H = top + row * n + 30;
    char v[64], lo[48], hi[48];
    fprintf(o->f,
            "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
            "viewBox=\"0 0 %.0f %.0f\" preserveAspectRatio=\"xMinYMin meet\" "
            "style=\"max-width:%.0fpx\">\n<title>",
            W, H, 1.25 * W);
    put_text(o, title);
    fputs("</title>\n", o->f);
#define X(p) (left + width * 100 * (p) / end)
    for (int t = 0; t <= ticks; t++) {
        double x = left + width * t / ticks;
        fprintf(o->f,
                "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" class=\"grid\"/>"
                "<text x=\"%.1f\" y=\"%.0f\" class=\"tick\">%s%%</text>\n",
                x, top - 4, x, top + row * n, x, top + row * n + 16,
                fmt_num(o->lang, step * t, step < 1 ? 1 : 0, v, sizeof v));
    }
    for (int i = 0; i < n; i++) {
        double y = top + row * i;
        fprintf(o->f, "<text x=\"%.0f\" y=\"%.1f\" class=\"label\">", left - 6, y + row * 0.66);
        size_t fit;
        const char *label = user_text(o, rows[i].label); /* (HTML: its bidi controls out) */
        if (label_px(label, CHART_LABEL_PX, &fit) <= CHART_LABEL_PX) {
            put_text(o, label);
        } else {
            /* too wide for the room: cut, whole in the tooltip */
            fputs("<title>", o->f);
            put_text(o, label);
            fputs("</title>", o->f);
            /* (a right-to-left label's isolate closed after the cut) */
            const int iso = strncmp(label, "\xE2\x81\xA8", 3) == 0;
            put_text(o, out_fmt(o, "%.*s…%s", (int)fit, label, iso ? "\xE2\x81\xA9" : ""));
            note_cut(o, rows[i].label);
        }
        fputs("</text>\n", o->f);
        const socind_estimate *e = &rows[i].e[k];
        int c = rel_class(e);
        if (c == REL_NA || c == REL_SUPPRESS) {
            fprintf(o->f, "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">%s</text>\n", left + 4,
                    y + row * 0.66, c == REL_NA ? "–" : "‡");
            continue;
        }
        fmt_num(o->lang, 100 * e->value, dec, v, sizeof v);
        fmt_num(o->lang, 100 * e->ci_low, dec, lo, sizeof lo);
        fmt_num(o->lang, 100 * e->ci_high, dec, hi, sizeof hi);
        fprintf(o->f,
                "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar%s\">"
                "<title>%s%% (95%%: %s–%s)</title></rect>\n",
                left, y + 5, width * 100 * e->value / end, row - 10,
                c == REL_CAUTION ? " caution" : "", v, lo, hi);
        double x1 = X(e->value);
        if (isfinite(e->ci_low) && isfinite(e->ci_high)) {
            double a = X(e->ci_low), z = X(e->ci_high), ym = y + row / 2;
            fprintf(o->f,
                    "<path d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\" "
                    "class=\"whisker\"/>\n",
                    a, ym, z, a, ym - 5, ym + 5, z, ym - 5, ym + 5);
            x1 = z;
        }
        fprintf(o->f, "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">%s%%%s</text>\n", x1 + 4,
                y + row * 0.66, v, c == REL_CAUTION ? " †" : "");
    }
    if (isfinite(ref)) {
        fprintf(o->f,
                "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" class=\"ref\"/>"
                "<text x=\"%.1f\" y=\"%.0f\" class=\"reftext\">",
                X(ref), top - 8, X(ref), top + row * n, fmin(X(ref), left + width - 100), top - 14);
        put_text(o, ref_label);
        fprintf(o->f, " %s%%</text>\n", fmt_num(o->lang, 100 * ref, dec, v, sizeof v));
    }
#undef X
    fputs("</svg><figcaption>", o->f);
    put_text(o, title);
    put_text(o, TR(o->lang,
                   ". Bars: estimate (value at the right); whiskers: 95% confidence interval; "
                   "dashed line: the regency's figure; pale bar and †: use with caution "
                   "(RSE 25–50%); ‡: not shown (RSE above 50%).",
                   ". Batang: perkiraan (nilai di kanan); garis kecil: selang kepercayaan 95%; "
                   "garis putus-putus: angka kabupaten; batang pucat dan †: gunakan dengan "
                   "hati-hati (RSE 25–50%); ‡: tidak ditampilkan (RSE di atas 50%)."));
    fputs("</figcaption></figure>\n", o->f);
}

void chart_haz(out *o, const brief *b) {
    const double left = 60, width = 420, top = 20, height = 220;
    double maxd = 0.42; /* the normal density peaks at 0.399 */
    for (int i = 0; i < HIST_BINS; i++) {
        double d = b->hist_n > 0 ? b->hist[i] / (b->hist_n * HIST_W) : 0;
        if (d > maxd) maxd = d;
    }
    maxd = ceil(maxd * 10 - 1e-9) / 10;
    double W = left + width + 16, H = top + height + 44;
    char v[48];
    const char *title = TR(o->lang, "Height-for-age z-scores against the WHO standard",
                           "Skor-z tinggi menurut umur dibandingkan standar WHO");
    fprintf(o->f,
            "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
            "viewBox=\"0 0 %.0f %.0f\" preserveAspectRatio=\"xMinYMin meet\" "
            "style=\"max-width:%.0fpx\">\n<title>",
            W, H, 1.25 * W);
    put_text(o, title);
    fputs("</title>\n", o->f);
#define XPOS(z) (left + width * ((z)-HIST_LO) / (HIST_BINS * HIST_W))
#define YPOS(d) (top + height - height * (d) / maxd)
    for (int zt = -6; zt <= 6; zt += 2)
        fprintf(o->f,
                "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" class=\"grid\"/>"
                "<text x=\"%.1f\" y=\"%.0f\" class=\"tick\">%s</text>\n",
                XPOS(zt), top, XPOS(zt), top + height, XPOS(zt), top + height + 16,
                fmt_signed(o->lang, zt, 0, v, sizeof v));
    /* the y-axis: the share of children per unit z */
    fprintf(o->f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" class=\"axis\"/>\n", left,
            top, left, top + height);
    for (int t = 0; t <= (int)(maxd * 10 + 0.5); t++) {
        double d = t / 10.0;
        fprintf(o->f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" class=\"ytick\">%s</text>\n",
                left - 4, YPOS(d), left, YPOS(d), left - 6, YPOS(d) + 4,
                fmt_num(o->lang, d, 1, v, sizeof v));
    }
    fprintf(
        o->f,
        "<text x=\"14\" y=\"%.0f\" class=\"tick\" transform=\"rotate(-90 14 %.0f)\">%s</text>\n",
        top + height / 2, top + height / 2,
        TR(o->lang, "share per unit z", "proporsi per satuan z"));
    for (int i = 0; i < HIST_BINS; i++) {
        if (b->hist[i] <= 0) continue;
        double d = b->hist[i] / (b->hist_n * HIST_W);
        double z0 = HIST_LO + HIST_W * i;
        fprintf(o->f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar\">"
                "<title>%.2f – %.2f: %.0f</title></rect>\n",
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
    fprintf(o->f, "<text x=\"%.0f\" y=\"%.0f\" class=\"tick\">%s</text>\n", left + width / 2, H - 6,
            TR(o->lang, "height-for-age z-score", "skor-z tinggi menurut umur"));
#undef XPOS
#undef YPOS
    fputs("</svg><figcaption>", o->f);
    put_text(o, TR(o->lang,
                   "Height-for-age z-scores of the children (bars: unflagged values, share per "
                   "unit z) against the WHO standard population (curve). A distribution shifted "
                   "left of the curve means stunting.",
                   "Skor-z tinggi menurut umur anak balita (batang: nilai yang tidak ditandai "
                   "tidak wajar, proporsi per satuan z) dibandingkan populasi standar WHO "
                   "(kurva). Sebaran yang bergeser ke kiri kurva berarti stunting."));
    fputs("</figcaption></figure>\n", o->f);
}
