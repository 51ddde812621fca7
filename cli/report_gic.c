/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/report_gic.c — `socind report --compare FILE`: the growth incidence
 * curve (socind_growth_incidence; Ravallion & Chen 2003) from an earlier
 * survey round, FILE (the same household columns), to the brief's latest
 * round, in real terms (the rounds' CPIs), with the growth rate in the
 * mean, in the mean income of the poor and the rate of pro-poor growth;
 * drawn as one more chart of the brief (a table of deciles in Markdown).
 */
#define _POSIX_C_SOURCE 200809L
#include "report.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const opt_spec report_gic_opts[] = {{"compare", OPT_VALUE}, {"compare-cpi", OPT_VALUE}, {NULL, 0}};

/* One round's rows as the estimator takes them: the design, incomes and
 * the national line per row. */
typedef struct {
    size_t n;
    double *y, *w, *line;
    int64_t *st, *ps;
    size_t *rows;
    socind_design *d;
} gic_round;

static void gic_round_free(gic_round *r) {
    free(r->y), free(r->w), free(r->line), free(r->st), free(r->ps), free(r->rows);
    socind_design_free(r->d);
    memset(r, 0, sizeof *r);
}

/* A round from which no curve can be drawn, named as the round's (its
 * label and column; the file's when it has no round column): every weight
 * 0 (the weights are checked over the file), every income missing, or
 * every row with one of weight 0. 0 or an exit code after the message. */
static int gic_round_check(const tbl *t, const hh_cols *c, const int32_t *code, const char *label,
                           const gic_round *r) {
    double wsum = 0;
    size_t with_income = 0, usable = 0;
    for (size_t k = 0; k < r->n; k++) {
        wsum += r->w[k];
        with_income += !isnan(r->y[k]);
        usable += !isnan(r->y[k]) && r->w[k] > 0;
    }
    /* (weights all 0 in a file of one round: the design's own message) */
    if (r->n == 0 || usable > 0 || (wsum == 0 && !code)) return 0;
    char *round = code && c->year >= 0 ? str_printf(" of survey round %s (column \"%s\")",
                                                    msg_text(label), t->cols[c->year].name)
                                       : str_printf("%s", "");
    if (!round) return fail_with(EXIT_COMPUTE, "out of memory");
    int rc;
    if (wsum == 0)
        rc = fail_with(EXIT_DATA,
                       "%s: every sampling weight%s in column \"%s\" (--weight) is 0: no "
                       "household of the round counts (--compare)",
                       t->path, round, t->cols[c->weight].name);
    else if (with_income == 0)
        rc = fail_with(EXIT_COMPUTE,
                       "%s: every income%s in column \"%s\" (--income) is missing: the growth "
                       "incidence curve (--compare) cannot be drawn from it",
                       t->path, round, t->cols[c->income].name);
    else
        rc = fail_with(EXIT_COMPUTE,
                       "%s: the %zu row%s%s with an income in column \"%s\" (--income) %s a "
                       "sampling weight of 0 (column \"%s\", --weight): the growth incidence "
                       "curve (--compare) cannot be drawn from %s",
                       t->path, with_income, with_income == 1 ? "" : "s", round,
                       t->cols[c->income].name, with_income == 1 ? "has" : "all have",
                       t->cols[c->weight].name, with_income == 1 ? "it" : "them");
    free(round);
    return rc;
}

/* The rows of t whose round code is yi (code NULL: every row), round
 * `label` ("" without a round column). */
static int gic_round_make(const args *a, const tbl *t, const hh_cols *c, const int64_t *st_all,
                          const int64_t *ps_all, int32_t lonely, const int32_t *code, int32_t yi,
                          const char *label, gic_round *r) {
    memset(r, 0, sizeof *r);
    for (size_t k = 0; k < t->nrows; k++) r->n += !code || code[k] == yi;
    size_t m = r->n ? r->n : 1;
    r->y = malloc(m * sizeof *r->y);
    r->w = malloc(m * sizeof *r->w);
    r->line = malloc(m * sizeof *r->line);
    r->st = malloc(m * sizeof *r->st);
    r->ps = malloc(m * sizeof *r->ps);
    r->rows = malloc(m * sizeof *r->rows);
    if (!r->y || !r->w || !r->line || !r->st || !r->ps || !r->rows)
        return fail_with(EXIT_COMPUTE, "out of memory");
    size_t i = 0;
    for (size_t k = 0; k < t->nrows; k++) {
        if (code && code[k] != yi) continue;
        r->y[i] = t->cols[c->income].num[k];
        r->w[i] = t->cols[c->weight].num[k];
        r->line[i] = t->cols[c->line].num[k];
        r->st[i] = st_all[k];
        r->ps[i] = ps_all[k];
        r->rows[i] = k;
        i++;
    }
    int rc = gic_round_check(t, c, code, label, r);
    if (rc) return rc;
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = lonely;
    dopt.nest = arg_flag(a, "nest");
    int32_t s = socind_design_new(r->n, r->w, r->st, r->ps, NULL, &dopt, &r->d);
    if (s) return lib_fail(a, t, r->rows, "survey design", s);
    return 0;
}

/* The compare file read with the brief's household columns (its round
 * column when it has one): its last round's rows. */
static int read_compare(const args *a, const char *path, tbl *t, hh_cols *c, breakdown *years,
                        int64_t **st, int64_t **ps) {
    char err[1024];
    memset(t, 0, sizeof *t);
    t->path = strcmp(path, "-") == 0 ? "/dev/stdin" : path;
    int rc = input_options(t, a);
    if (rc) return rc;
    for (int with_year = 1; with_year >= 0; with_year--) {
        c->year = with_year ? tbl_want(t, opt_or(a, "year", "year"), "year", TBL_LABEL) : -1;
        c->area = -1;
        c->income = tbl_want(t, opt_or(a, "income", "exp_pc"), "income", TBL_NUM);
        c->weight = tbl_want(t, opt_or(a, "weight", "weight_person"), "weight", TBL_NUM);
        c->strata = tbl_want(t, opt_or(a, "strata", "stratum"), "strata", TBL_ID);
        c->psu = tbl_want(t, opt_or(a, "psu", "psu"), "psu", TBL_ID);
        c->line = tbl_want(t, opt_or(a, "line-col", "poverty_line"), "line-col", TBL_NUM);
        if (tbl_read(t, err, sizeof err) == 0) break;
        if (!with_year || arg_get(a, "year") || !strstr(err, "(named by --year)") ||
            strcmp(t->path, "/dev/stdin") == 0)
            return fail_with(EXIT_DATA, "%s (--compare)", err);
        tbl_free(t);
        memset(t, 0, sizeof *t);
        t->path = path;
        if ((rc = input_options(t, a))) return rc;
    }
    note_missing("report", t, c->income, "they are left out of the growth incidence curve");
    if (c->year >= 0) {
        if ((rc = breakdown_make(t, &t->cols[c->year], years))) return rc;
        /* a row without its round: refused, as the brief's own file's */
        for (size_t r = 0; r < t->nrows; r++)
            if (years->code[r] < 0) {
                char where[64];
                return fail_with(
                    EXIT_DATA, "%s: %s: the survey round (column \"%s\") is missing (--compare)",
                    t->path, tbl_where(t, r, where, sizeof where), t->cols[c->year].name);
            }
    }
    if ((rc = check_weights(t, &t->cols[c->weight]))) return rc;
    if ((rc = ids_from_labels(t, &t->cols[c->strata], st))) return rc;
    return ids_from_labels(t, &t->cols[c->psu], ps);
}

/* --compare's round on stderr: "survey round R (column "C") of --compare
 * FILE", or "--compare FILE" where the file has no round column. */
static void say_compare(const tbl *t, const hh_cols *c, const char *label, const char *path) {
    if (c->year >= 0 && *label)
        fprintf(stderr, "survey round %s (column \"%s\") of --compare %s", msg_text(label),
                t->cols[c->year].name, path);
    else
        fprintf(stderr, "--compare %s", path);
}

/* The base round's incomes below 0 and national lines missing, counted
 * into g and said on stderr as the brief's own rounds' are (compute_year). */
static void note_compare_round(const tbl *t, const hh_cols *c, const char *label, const char *path,
                               const gic_round *r, gic_fig *g) {
    size_t usable = 0;
    g->negative = g->no_line_rows = 0;
    for (size_t k = 0; k < r->n; k++) {
        if (isnan(r->y[k]) || !(r->w[k] > 0)) continue;
        usable++;
        g->negative += isfinite(r->y[k]) && r->y[k] < 0;
        g->no_line_rows += isnan(r->line[k]);
    }
    g->no_line = usable > 0 && g->no_line_rows == usable;
    if (g->negative > 0) {
        fprintf(stderr, "socind report: warning: %zu household%s of ", g->negative,
                g->negative == 1 ? "" : "s");
        say_compare(t, c, label, path);
        fprintf(stderr,
                " %s an income below 0 in column \"%s\" (--income); the growth incidence curve "
                "counts %s as given (in the round's percentiles and its mean income; a percentile "
                "at 0 or below has no growth rate) — check %s before using these figures\n",
                g->negative == 1 ? "has" : "have", t->cols[c->income].name,
                g->negative == 1 ? "it" : "them", g->negative == 1 ? "it" : "them");
    }
    if (g->no_line_rows == 0) return;
    fputs("socind report: ", stderr);
    say_compare(t, c, label, path);
    if (g->no_line)
        fprintf(stderr,
                ": no household with an income has a poverty line in column \"%s\" (--line-col; "
                "%zu row%s): the share below the national line, the growth of the poor's mean "
                "income and the rate of pro-poor growth are not available (shown as –); the "
                "growth curve and the growth of the mean are still given\n",
                t->cols[c->line].name, usable, usable == 1 ? "" : "s");
    else
        fprintf(stderr,
                ": %zu household%s with an income %s no poverty line in column \"%s\" "
                "(--line-col): left out of the share below the national line (which sets how "
                "many of the poorest are the poor of the growth figures) and kept in the growth "
                "curve and the means\n",
                g->no_line_rows, g->no_line_rows == 1 ? "" : "s",
                g->no_line_rows == 1 ? "has" : "have", t->cols[c->line].name);
}

/* The (stratum, PSU) ids the brief's latest round shares with the base
 * round (shared_psus, as socind gic and socind change count them), counted
 * into g and said on stderr: the rounds are then not independent samples.
 * 0 or an exit code. */
static int note_shared_psus(const tbl *tc, const hh_cols *cc, const gic_round *r0, const tbl *t,
                            const hh_cols *c, const gic_round *r1, const char *base,
                            const char *path, gic_fig *g) {
    const psu_round p0 = {tc, cc->strata, cc->psu, r0->rows, r0->n},
                    p1 = {t, c->strata, c->psu, r1->rows, r1->n};
    if (shared_psus(&p0, &p1, &g->shared_psus, &g->base_psus, &g->latest_psus))
        return fail_with(EXIT_COMPUTE, "out of memory");
    if (g->shared_psus == 0) return 0;
    fprintf(stderr,
            "socind report: warning: %zu of the %zu (stratum, PSU) ids of the brief's latest "
            "round%s%s are also ids of ",
            g->shared_psus, g->latest_psus, *g->latest ? " " : "", g->latest);
    say_compare(tc, cc, base, path);
    fprintf(stderr,
            " (of %zu): the rounds are not independent samples (a panel, revisited PSUs or a "
            "copy of the household file), and the SEs of the growth incidence curve, which "
            "assume they are, ignore their covariance\n",
            g->base_psus);
    return 0;
}

static int is_round_number(const char *s, double *v) {
    return *s && tbl_parse_number(s, strlen(s), 0, v) == 0;
}

/* Whether round `base` sorts before the brief's latest round in the
 * brief's own order (breakdown.c's: numerically when every label is a
 * number, else by strcmp). */
static int sorts_before(const char *base, const brief *b) {
    double vb, vz, v;
    int numeric = is_round_number(base, &vb);
    for (int32_t y = 0; y < b->n_years && numeric; y++)
        numeric = is_round_number(b->years[y].label, &v);
    const char *latest = b->years[b->n_years - 1].label;
    if (numeric && is_round_number(latest, &vz)) return vb < vz;
    return strcmp(base, latest) < 0;
}

int compute_gic(const args *a, const tbl *t, const hh_cols *c, const int64_t *st_all,
                const int64_t *ps_all, int32_t lonely, const int32_t *year_code, brief *b) {
    const char *path = arg_get(a, "compare");
    if (!path || b->n_years == 0) return 0;
    const year_fig *z = &b->years[b->n_years - 1];
    tbl tc;
    hh_cols cc;
    breakdown years;
    memset(&years, 0, sizeof years);
    int64_t *st = NULL, *ps = NULL;
    gic_round r0, r1;
    memset(&r0, 0, sizeof r0);
    memset(&r1, 0, sizeof r1);
    gic_fig *g = calloc(1, sizeof *g);
    int rc = g ? 0 : fail_with(EXIT_COMPUTE, "out of memory");
    if (!rc) rc = read_compare(a, path, &tc, &cc, &years, &st, &ps);
    if (rc) goto done;
    /* the base round: the compare file's last round */
    int32_t yi = years.n_groups > 0 ? years.n_groups - 1 : -1;
    const char *base = yi >= 0 ? years.label[yi] + strlen(years.column) + 2 : "";
    g->base = strdup(base);
    g->latest = strdup(z->label);
    if (!g->base || !g->latest) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    /* a later round, or the latest itself, is no base (a file or a brief
       without a round column is not ordered) */
    if (*base && *z->label && !sorts_before(base, b)) {
        rc = usage_error("report",
                         "--compare %s holds round %s, %s the brief's latest round (%s): give the "
                         "file of an earlier round",
                         path, msg_text(base), strcmp(base, z->label) == 0 ? "which is" : "after",
                         msg_text(z->label));
        goto done;
    }
    /* the brief's own file: its rounds are the brief's (its last the
       latest, refused above), or without a round column the very rows of
       the brief's round, no independent earlier sample */
    if (same_input_file(tc.path, b->hh_path)) {
        rc = usage_error("report",
                         "--compare %s is the household file itself (--households): the growth "
                         "incidence curve needs the file of an earlier round",
                         path);
        goto done;
    }
    /* an entry of --cpi for a round the brief does not have */
    if ((rc = report_cpi_unknown(b, base))) goto done;
    /* its CPI: --compare-cpi, or --cpi's (or the default) for its round */
    double cpi = NAN;
    const char *v = arg_get(a, "compare-cpi");
    if (v) {
        if (parse_double_opt(a, "compare-cpi", v, &cpi)) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (!(cpi > 0)) {
            rc = usage_error("report", "--compare-cpi must be > 0, not \"%s\"", v);
            goto done;
        }
    } else {
        if (!*base || report_cpi_lookup(b, base, &cpi) != 0) {
            rc =
                usage_error("report",
                            "--compare %s: the CPI of its round%s%s%s is not known to the brief: "
                            "give --compare-cpi VALUE, or --cpi ROUND=VALUE%c... naming it (same "
                            "base as --cpi)%s",
                            path, *base ? " \"" : "", msg_text(base), *base ? "\"" : "", b->cpi_sep,
                            b->cpi_single ? "; --cpi VALUE is the CPI of the brief's own round "
                                            "only"
                                          : "");
            goto done;
        }
    }
    g->ratio = z->cpi / cpi;
    /* CPIs far apart: a ratio beyond the doubles is no price ratio (the
       library would refuse it as an argument, naming no option) */
    if (!(g->ratio > 0) || !isfinite(g->ratio)) {
        rc = usage_error("report",
                         "the CPIs of the brief's latest round (%g) and of --compare's (%g%s) "
                         "give a price ratio of %g, which is no finite number > 0: give both CPIs "
                         "on one base",
                         z->cpi, cpi, v ? ", --compare-cpi" : "", g->ratio);
        goto done;
    }
    if ((rc = gic_round_make(a, &tc, &cc, st, ps, lonely, yi >= 0 ? years.code : NULL, yi, base,
                             &r0)))
        goto done;
    note_compare_round(&tc, &cc, base, path, &r0, g);
    if ((rc = gic_round_make(a, t, c, st_all, ps_all, lonely, year_code, b->n_years - 1, z->label,
                             &r1)))
        goto done;
    if ((rc = note_shared_psus(&tc, &cc, &r0, t, c, &r1, base, path, g))) goto done;
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_PER_ROW;
    L.lines = r0.line;
    int32_t s = socind_growth_incidence(r0.d, r0.y, NULL, r1.d, r1.y, NULL, 0, g->ratio, NULL, 0,
                                        &L, NULL, g->curve, g->s);
    if (s) {
        int second = strncmp(socind_last_error_detail(), "round 2", 7) == 0;
        rc = lib_fail(a, second ? t : &tc, second ? r1.rows : r0.rows, "growth incidence", s);
        goto done;
    }
    /* no national line in the base round (said): no poor, no figure of
       theirs */
    if (g->no_line) {
        static const int poor[] = {SOCIND_GIC_HEADCOUNT, SOCIND_GIC_MEAN_POOR, SOCIND_GIC_PRO_POOR};
        for (size_t i = 0; i < sizeof poor / sizeof *poor; i++) {
            socind_estimate *e = &g->s[poor[i]];
            e->value = e->se = e->ci_low = e->ci_high = NAN;
            e->status = SOCIND_ERR_EMPTY;
        }
    }
    /* the brief shows growth in percent: a figure whose percent leaves the
       doubles is none (SOCIND_ERR_OVERFLOW, said on stderr) */
    for (int i = 0; i < SOCIND_GIC_DEFAULT_POINTS + SOCIND_GIC_COUNT; i++) {
        socind_estimate *e =
            i < SOCIND_GIC_DEFAULT_POINTS ? &g->curve[i] : &g->s[i - SOCIND_GIC_DEFAULT_POINTS];
        if (isfinite(100 * e->value) && (!isfinite(e->ci_low) || isfinite(100 * e->ci_low)) &&
            (!isfinite(e->ci_high) || isfinite(100 * e->ci_high)))
            continue;
        if (!isfinite(e->value)) continue;
        e->value = e->se = e->ci_low = e->ci_high = NAN;
        e->status = SOCIND_ERR_OVERFLOW;
    }
    b->gic = g;
    g = NULL;
done:
    if (g) free(g->base), free(g->latest);
    free(g);
    gic_round_free(&r0);
    gic_round_free(&r1);
    free(st);
    free(ps);
    breakdown_free(&years);
    tbl_free(&tc);
    return rc;
}

void gic_free(brief *b) {
    if (b->gic) free(b->gic->base), free(b->gic->latest);
    free(b->gic);
    b->gic = NULL;
}

/* "5,1% (−1,2 s.d. 11,4)" — a growth rate with its interval; "5,1% (–)"
 * where the library gives the value without one (its status said on
 * stderr), as socind gic gives it */
static const char *rate(int lang, const socind_estimate *e, char *buf, size_t cap) {
    char v[48], lo[48], hi[48];
    if (!isfinite(e->value)) return snprintf(buf, cap, "–"), buf;
    if (e->status != SOCIND_OK || !isfinite(e->ci_low) || !isfinite(e->ci_high))
        return snprintf(buf, cap, "%s%% (–)", fmt_signed(lang, 100 * e->value, 1, v, sizeof v)),
               buf;
    snprintf(buf, cap, "%s%% (%s %s %s)", fmt_signed(lang, 100 * e->value, 1, v, sizeof v),
             fmt_signed(lang, 100 * e->ci_low, 1, lo, sizeof lo), TR(lang, "to", "s.d."),
             fmt_signed(lang, 100 * e->ci_high, 1, hi, sizeof hi));
    return buf;
}

/* the CPI ratio with four significant digits at least: 1.0227, 0.05000,
 * 1.2160 × 10⁻³⁰⁶ — never 0.0000 */
static const char *fmt_ratio(int lang, double r, char *buf, size_t cap) {
    if (r >= 0.1 || !(r > 0)) return fmt_num(lang, r, 4, buf, cap);
    if (r >= 1e-6) return fmt_num(lang, r, 3 - (int)floor(log10(r)), buf, cap);
    return fmt_sci(lang, r, 4, buf, cap);
}

/* the curve as an SVG chart: g(p) with its 95% band, zero and the mean's
 * growth */
static void chart_gic(out *o, const gic_fig *g, const char *title) {
    const int n = SOCIND_GIC_DEFAULT_POINTS;
    double lo = 0, hi = 0;
    for (int i = 0; i < n; i++) {
        const socind_estimate *e = &g->curve[i];
        if (!isfinite(e->ci_low) || !isfinite(e->ci_high)) continue;
        lo = fmin(lo, e->ci_low);
        hi = fmax(hi, e->ci_high);
    }
    double m = g->s[SOCIND_GIC_MEAN].value;
    if (isfinite(m)) lo = fmin(lo, m), hi = fmax(hi, m);
    /* the axis in percent: steps of 5, 10 or 20, or for a wider span a
       power of ten times 1, 2 or 5 — at most about 8 steps */
    double span = 100 * (hi - lo), step = span <= 30 ? 5 : span <= 80 ? 10 : 20;
    if (!isfinite(span)) return; /* (beyond the doubles: no axis to draw) */
    if (span > 160) {
        double p10 = pow(10, floor(log10(span / 8)));
        step = span / 8 <= p10 ? p10 : span / 8 <= 2 * p10 ? 2 * p10 : 5 * p10;
    }
    double a0 = floor(100 * lo / step - 1e-9) * step, a1 = ceil(100 * hi / step + 1e-9) * step;
    if (a1 <= a0) a1 = a0 + step;
    const int n_ticks = (int)fmin(round((a1 - a0) / step), 20);
    const double left = 56, width = 380, top = 20, height = 220, W = left + width + 20,
                 H = top + height + 44;
    char v[64];
    fprintf(o->f,
            "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
            "viewBox=\"0 0 %.0f %.0f\" preserveAspectRatio=\"xMinYMin meet\" "
            "style=\"max-width:%.0fpx\">\n<title>",
            W, H, 1.25 * W);
    put_text(o, title);
    fputs("</title>\n", o->f);
#define PX(p) (left + width * ((p)-0.0) / 100.0)
#define PY(g_) (top + height * (a1 - 100 * (g_)) / (a1 - a0))
    for (int k = 0; k <= n_ticks; k++) {
        const double t = a0 + k * step;
        fprintf(
            o->f,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
            "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" style=\"text-anchor:end\">%s%%</text>\n",
            left, PY(t / 100), left + width, PY(t / 100), left - 6, PY(t / 100) + 4,
            fmt_num(o->lang, t, 0, v, sizeof v));
    }
    for (int p = 0; p <= 100; p += 10)
        fprintf(o->f, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">%d</text>\n", PX(p),
                top + height + 18, p);
    fprintf(o->f, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">", left + width / 2,
            top + height + 38);
    put_text(
        o, TR(o->lang, "percentile of the income distribution", "persentil distribusi pendapatan"));
    fputs("</text>\n", o->f);
    /* the band */
    fputs("<path class=\"band\" style=\"fill:#4a7ab5;fill-opacity:0.18;stroke:none\" d=\"", o->f);
    int first = 1;
    for (int i = 0; i < n; i++) {
        const socind_estimate *e = &g->curve[i];
        if (!isfinite(e->ci_high)) continue;
        fprintf(o->f, "%s%.1f %.1f", first ? "M" : "L", PX(i + 1), PY(e->ci_high));
        first = 0;
    }
    for (int i = n - 1; i >= 0; i--) {
        const socind_estimate *e = &g->curve[i];
        if (!isfinite(e->ci_low)) continue;
        fprintf(o->f, "L%.1f %.1f", PX(i + 1), PY(e->ci_low));
    }
    fputs("Z\"/>\n", o->f);
    /* zero, the mean's growth, the curve */
    fprintf(o->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>\n", left,
            PY(0), left + width, PY(0));
    if (isfinite(m)) {
        fprintf(o->f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"ref\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" class=\"reftext\" style=\"text-anchor:end\">",
                left, PY(m), left + width, PY(m), left + width - 4, top + 14);
        put_text(o, TR(o->lang, "growth of the mean", "pertumbuhan rata-rata"));
        fprintf(o->f, " %s%%</text>\n", fmt_signed(o->lang, 100 * m, 1, v, sizeof v));
    }
    fputs("<path class=\"gic\" style=\"fill:none;stroke:#1f4e8c;stroke-width:2\" d=\"", o->f);
    first = 1;
    for (int i = 0; i < n; i++) {
        const socind_estimate *e = &g->curve[i];
        if (!isfinite(e->value)) continue;
        fprintf(o->f, "%s%.1f %.1f", first ? "M" : "L", PX(i + 1), PY(e->value));
        first = 0;
    }
    fputs("\"/>\n", o->f);
#undef PX
#undef PY
    fputs("</svg><figcaption>", o->f);
    put_text(o, title);
    put_text(o, TR(o->lang,
                   ". Line: the real growth of each percentile's income; band: its 95% "
                   "confidence interval; dashed line: the growth of the mean income.",
                   ". Garis: pertumbuhan riil pendapatan setiap persentil; pita: selang "
                   "kepercayaan 95%; garis putus-putus: pertumbuhan pendapatan rata-rata."));
    fputs("</figcaption></figure>\n", o->f);
}

void render_gic(out *o, const brief *b) {
    const gic_fig *g = b->gic;
    if (!g) return;
    int L = o->lang;
    char t[5][160];
    const char *from =
        *g->base ? user_text(o, g->base) : TR(L, "the earlier round", "putaran sebelumnya");
    /* a household file without a round column: its round has no label */
    const char *latest =
        *g->latest ? user_text(o, g->latest) : TR(L, "the latest survey", "survei terakhir");
    /* "2023–2024", or in words where a round has no label */
    const char *span = *g->base && *g->latest
                           ? out_fmt(o, "%s–%s", from, latest)
                           : out_fmt(o, "%s %s %s", from, TR(L, "to", "ke"), latest);
    heading(o, 3,
            out_fmt(o, "%s %s",
                    TR(L, "Who gained: growth incidence",
                       "Siapa yang menikmati pertumbuhan: insiden "
                       "pertumbuhan"),
                    span));
    const socind_estimate *s = g->s;
    char h[48];
    snprintf(h, sizeof h, "%s%s", fmt_num(L, 100 * s[SOCIND_GIC_HEADCOUNT].value, 1, t[2], 64),
             isfinite(s[SOCIND_GIC_HEADCOUNT].value) ? "%" : "");
    para(o, out_fmt(
                o,
                TR(L,
                   "From %s to %s, in %s prices (CPI ratio %s), the mean income per person changed "
                   "by %s. The poorest %s of the people (the share of %s below the national line) "
                   "saw their mean income change by %s; the rate of pro-poor growth "
                   "(Ravallion–Chen: the mean growth of the poor's percentiles) was %s. Intervals "
                   "are 95%%; %s",
                   "Dari %s ke %s, dalam harga %s (rasio IHK %s), pendapatan rata-rata per orang "
                   "berubah %s. Pendapatan rata-rata %s penduduk termiskin (bagian penduduk %s di "
                   "bawah garis kemiskinan nasional) berubah %s; laju pertumbuhan pro-miskin "
                   "(Ravallion–Chen: rata-rata pertumbuhan persentil penduduk miskin) %s. Selang "
                   "95%%; %s"),
                from, latest, from, fmt_ratio(L, g->ratio, t[0], sizeof t[0]),
                rate(L, &s[SOCIND_GIC_MEAN], t[1], sizeof t[1]), h, from,
                rate(L, &s[SOCIND_GIC_MEAN_POOR], t[3], sizeof t[3]),
                rate(L, &s[SOCIND_GIC_PRO_POOR], t[4], sizeof t[4]),
                g->shared_psus == 0
                    ? TR(L, "the two rounds are independent samples.",
                         "kedua putaran adalah sampel yang saling bebas.")
                    : TR(L,
                         "they take the two rounds as independent samples, which they are not "
                         "(they share PSUs: see the warning at the top).",
                         "selang ini menganggap kedua putaran sebagai sampel yang saling bebas, "
                         "padahal tidak (keduanya berbagi PSU: lihat peringatan di atas).")));
    if (o->html)
        chart_gic(o, g,
                  out_fmt(o, "%s %s",
                          TR(L, "Real income growth by percentile",
                             "Pertumbuhan pendapatan riil per persentil"),
                          span));
    const char *head[2] = {TR(L, "Percentile", "Persentil"),
                           TR(L, "Real growth (95% CI)", "Pertumbuhan riil (SK 95%)")};
    table_head(o, 2, head, "lr");
    for (int d = 10; d <= 90; d += 10) {
        char p[16], r[160];
        snprintf(p, sizeof p, "%d", d);
        const char *c[2] = {p, rate(L, &g->curve[d - 1], r, sizeof r)};
        table_row(o, 2, c);
    }
    table_end(o);
}
