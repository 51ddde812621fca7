/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/report.h — the parts of `socind report` (the regency brief), private
 * to them: the figures computed once (report_compute.c), the number and
 * reliability formats in two languages (report_format.c), the page's
 * primitives and charts (report_page.c), the brief's sections
 * (report_render.c) and the command (report.c).
 */
#ifndef SOCIND_CLI_REPORT_H
#define SOCIND_CLI_REPORT_H

#include "cli.h"

#include <stdio.h>

#define N_NUT 4 /* stunting, wasting, underweight, overweight */
#define N_AGE 6
#define HIST_LO (-6.0)
#define HIST_W 0.25
#define HIST_BINS 48
#define N_POV 7 /* P0, number of poor, extreme P0, number of extreme poor, P1, P2, Gini */

/* indices into year_fig.e and brief.change */
enum { POV_P0, POV_POOR, POV_EXT, POV_EXT_POOR, POV_P1, POV_P2, POV_GINI };

/* BPS's reliability classes of a figure by its relative standard error */
enum {
    REL_OK,       /* RSE <= 25%: reliable */
    REL_CAUTION,  /* 25% < RSE <= 50%: use with caution (marked) */
    REL_SUPPRESS, /* RSE > 50%: not shown as a number */
    REL_ZERO,     /* 0 (or 1) in the sample: RSE undefined, exact interval */
    REL_NOSE,     /* a value whose SE of 0 comes with no interval: the design has
                     no degrees of freedom (one PSU, lonely PSUs removed or taken
                     as certain); its precision cannot be assessed, RSE "–" */
    REL_NA        /* no figure */
};

#define LANG_ID 0
#define LANG_EN 1

/* a labelled row of estimates: a sub-district's poverty rate (e[0]) and
 * extreme-poverty rate (e[1]), or a group's four nutrition prevalences */
typedef struct area_row {
    const char *label;
    socind_estimate e[N_NUT];
    socind_estimate change[2]; /* P0 and extreme P0 since the round before (NaN: none) */
    int has_change;
    size_t households;   /* a sub-district's households in the round (poverty rows) */
    size_t children_out; /* nutrition rows: every child of the sub-district (this many)
                            left out by anthro's exclusions, every figure "–" */
} area_row;

typedef struct year_fig {
    const char *label;
    double line;     /* the national line when it is the same for every row, else NaN */
    double ext_line; /* the international extreme-poverty line of the round */
    double cpi;      /* the round's CPI used for it */
    socind_estimate e[N_POV];
    size_t households;
    double population; /* the weights' sum */
    area_row *areas;   /* sorted, highest poverty rate first */
    int32_t n_areas;
    size_t negative; /* households with an income < 0 (finite, weight > 0): counted as given */
    int no_income;   /* no household with an income and a weight > 0: no poverty figure (NaN) */
    /* households with an income and a weight > 0 but no national line: left
       out of the figures against it (POV_P0, POV_POOR, POV_P1, POV_P2 and
       P0 by sub-district), kept in the others */
    size_t no_line_rows;
    int no_line; /* none of them has a line: those figures are NaN */
} year_fig;

/* the figures against the national line (none without one) */
#define NATIONAL_LINE_FIG(k) ((k) == POV_P0 || (k) == POV_POOR || (k) == POV_P1 || (k) == POV_P2)

/* the growth incidence curve from --compare's round to the latest
 * (report_gic.c) */
typedef struct gic_fig {
    char *base, *latest; /* the rounds' labels ("" for a file without one) */
    double ratio;        /* CPI(latest)/CPI(base) */
    socind_estimate curve[SOCIND_GIC_DEFAULT_POINTS];
    socind_estimate s[SOCIND_GIC_COUNT];
    /* the base round's households with an income and a weight > 0: with an
       income < 0 (counted as given), without a national line (left out of
       the headcount H1); none with a line: no H1 and no growth of the poor */
    size_t negative, no_line_rows;
    int no_line;
    /* (stratum, PSU) ids of the latest round that the base round has too
       (of the latest's latest_psus, the base's base_psus): the rounds are
       then not independent samples, which the curve's SEs assume */
    size_t shared_psus, latest_psus, base_psus;
} gic_fig;

/* an entry of --cpi ROUND=VALUE,... */
typedef struct cpi_entry {
    const char *round; /* trimmed, in brief.cpi_text */
    double value;
} cpi_entry;

typedef struct brief {
    int lang;
    const char *title;
    const char *hh_path, *kids_path;
    int sample; /* the bundled sample */
    int rounds; /* 1: the file has a round column */
    double ppp_daily, ppp_factor, cpi_base;
    /* --cpi: one VALUE (cpi_single, for a brief of one round) or the
     * ROUND=VALUE entries, read and checked once (report.c) */
    int cpi_given, cpi_single;
    double cpi_value;
    char *cpi_text;
    cpi_entry *cpi;
    int n_cpi;
    /* what separates the entries in the messages' examples: ';' under
     * --decimal-comma, else ',' */
    char cpi_sep;
    year_fig *years;
    int32_t n_years;
    socind_estimate change[N_POV]; /* last round − the one before */
    /* (stratum, PSU) ids of the last round that the round before has too
       (of the last's last_psus, the one before's prev_psus), counted when
       the brief gives their change: the rounds are then not independent
       samples where an id names the same PSU in both, which the changes'
       SEs assume */
    size_t shared_psus, last_psus, prev_psus;
    /* children */
    size_t n_children;
    int has_oedema;
    char *kid_round;      /* the children's round, when their file names one, else NULL */
    int32_t kid_rounds;   /* the rounds of the children's file (1 without a round column) */
    size_t kid_file_rows; /* the rows of the children's file, of every round */
    /* anthro's rules (anthro_exclusions) leave none of the children for the
       prevalences: every nutrition figure is "–", the counts say why (on
       stderr and at the top of the brief) */
    int no_child_left;
    anthro_counts kid_out;
    socind_estimate nut[N_NUT];
    socind_estimate haz_mean;
    area_row *areas;        /* sorted by stunting, highest first */
    breakdown kid_all_area; /* the children's sub-districts before anthro's exclusions */
    int32_t n_areas;
    area_row age[N_AGE];
    socind_growth_quality q;
    double hist[HIST_BINS];
    double hist_n;
    char *warning[4]; /* shares of flagged z-scores too large to pass unremarked (malloc'd) */
    int n_warnings;
    gic_fig *gic; /* --compare FILE, or NULL */
} brief;

/* ------------------------------------------------------------ report_format.c */

/* the language's text: en or id */
#define TR(lang, en, id) ((lang) == LANG_EN ? (en) : (id))

/* v with `dec` decimals (0 to FMT_MAX_DEC) in the language's format:
 * 1,234.5 (en) or 1.234,5 (id); "–" when v is not finite; beyond
 * FMT_MAX_DIGITS integer digits (a double holds 15 to 17 significant
 * digits) the scientific form of fmt_sci with 4 decimals, "1.0223 × 10⁴⁵".
 * FMT_NUM_CAP bytes always hold the result. Returns buf. */
#define FMT_MAX_DIGITS 15
#define FMT_MAX_DEC 10
#define FMT_NUM_CAP 48
const char *fmt_num(int lang, double v, int dec, char *buf, size_t cap);
/* v in scientific form with `dec` decimals in the language's format:
 * "1.0223 × 10⁴⁵" (en), "1,0223 × 10⁴⁵" (id), "−1.2160 × 10⁻³⁰⁶"; "–"
 * when v is not finite. Returns buf (30 bytes are enough with dec <= 4). */
const char *fmt_sci(int lang, double v, int dec, char *buf, size_t cap);
/* the same with a sign: +1.5 / −1,5 */
const char *fmt_signed(int lang, double v, int dec, char *buf, size_t cap);
/* BPS's class of e (REL_*) */
int rel_class(const socind_estimate *e);
/* RSE in percent with one decimal, or "–" when undefined (REL_ZERO,
 * REL_NOSE, REL_NA) */
const char *fmt_rse(int lang, const socind_estimate *e, char *buf, size_t cap);
/* A figure with its interval, scaled and with `dec` decimals, followed by
 * unit (e.g. "%"): "12,9% (11,2–14,7)", with " †" for REL_CAUTION, "‡" for
 * REL_SUPPRESS, "–" without a value. */
const char *fmt_est(int lang, const socind_estimate *e, double scale, int dec, const char *unit,
                    char *buf, size_t cap);
/* a change in percentage points (scale 100) or in the unit given: "−2,0
 * (−5,9 s.d. 1,9)" / "−2.0 (−5.9 to 1.9)" */
const char *fmt_change(int lang, const socind_estimate *d, double scale, int dec, char *buf,
                       size_t cap);
/* whether the change's interval excludes zero: -1 fall, +1 rise, 0 not
 * significant, 2 no interval */
int change_sign(const socind_estimate *d);
/* "significant fall" … in the language */
const char *change_word(int lang, const socind_estimate *d);
/* A proportion at 0 or 1 in the sample, or between them with an SE of 0,
 * gets the Clopper–Pearson interval on its n rows (Korn and Graubard's rule
 * when the design effect cannot be estimated), the status OK; other
 * estimates are left as they are. */
void prop_zero_interval(socind_estimate *e, double level);
/* Whether proportion e has no design effect to estimate: a value with an
 * SE of 0 (0 or 1 in the sample, or the same share in every PSU) and the
 * Clopper–Pearson interval of prop_zero_interval. */
int prop_without_deff(const socind_estimate *e);
/* The change d (socind_difference's, from p to z) of two proportions one
 * of which has no design effect (prop_without_deff): its interval becomes
 * the MOVER interval built on the rounds' own intervals (Newcombe 1998;
 * Zou and Donner 2008), d = z − p,
 * [d − √((z − l_z)² + (u_p − p)²), d + √((u_z − z)² + (p − l_p)²)]; any
 * other change is left as it is. */
void change_mover(const socind_estimate *p, const socind_estimate *z, socind_estimate *d);
/* A figure the brief cannot give: every number NaN (n 0), of `status`. */
void no_figure(socind_estimate *e, int32_t status);

/* ------------------------------------------------------------ report_page.c */

typedef struct out {
    FILE *f;
    int html;
    int lang;
    const char *align; /* of the current table */
    char **kept;       /* the texts composed for the page (user_text, out_fmt) */
    size_t n_kept, cap_kept;
    int oom;          /* a text could not be composed: the page is incomplete */
    const char **cut; /* the labels the charts show cut (chart_bars), each once */
    size_t n_cut, cap_cut;
} out;

void put_text(out *o, const char *s);
/* Text from the user or the files (the title, round and sub-district
 * labels, paths) to be composed into the page's text: for HTML as it is
 * (put_text escapes it); for Markdown with its punctuation (\ ` * _ [ ] <
 * > & ~ #), a leading + - =, the . or ) after leading digits, the : of
 * "://" and the . of "www." backslash-escaped and control characters (a
 * line break, a carriage return) as spaces, so that it reads as written
 * and cannot start a heading, a list item, emphasis, a link (GFM's
 * automatic web addresses too; an e-mail address such as a@b.org still
 * becomes a GFM mailto link) or raw HTML. In both, without its bidirectional
 * controls (U+200E, U+200F, U+061C, U+202A-U+202E, U+2066-U+2069), and
 * between FSI (U+2068) and PDI (U+2069) when it has a character of a
 * right-to-left script: it cannot reorder the text around it. The copy
 * lives until out_free. */
const char *user_text(out *o, const char *s);
/* printf text of any length (labels are never cut), living until out_free;
 * "" and o->oom set when out of memory. */
const char *out_fmt(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_free(out *o);
void heading(out *o, int level, const char *text);
void para(out *o, const char *text);
void table_head(out *o, int n, const char *const *h, const char *align);
void table_row(out *o, int n, const char *const *c);
void table_end(out *o);
void list_begin(out *o);
void list_item(out *o, const char *text);
void list_end(out *o);
void page_begin(out *o, const char *title);
void page_end(out *o);
/* Horizontal bars of the rows' estimate e[k] in percent, with CI whiskers,
 * value labels and the reference line ref (the regency's figure). The
 * labels' room widens with the longest label up to CHART_LABEL_PX; a label
 * wider than that is shown cut at a character boundary, ending in "…",
 * whole in its tooltip, and kept in o->cut for the note on stderr. */
#define CHART_LABEL_PX 240.0
void chart_bars(out *o, const char *title, int n, const area_row *rows, int k, double ref,
                const char *ref_label);
/* histogram of HAZ against the WHO standard */
void chart_haz(out *o, const brief *b);

/* ------------------------------------------------------------ report_render.c */

void render(out *o, const brief *b);

/* ------------------------------------------------------------ report_compute.c */

typedef struct hh_cols {
    int year, area, income, weight, strata, psu, line;
} hh_cols;

const char *opt_or(const args *a, const char *name, const char *dflt);
int cmp_area_row(const void *a, const void *b);
/* one round's figures: a design of its own rows */
int compute_year(const args *a, const tbl *t, const hh_cols *c, const int64_t *st_all,
                 const int64_t *ps_all, int32_t lonely, const int32_t *year_code, int32_t yi,
                 const breakdown *area, const brief *b, year_fig *f);
/* the change of every figure and sub-district between the last two rounds */
int compute_changes(const args *a, const tbl *t, brief *b);
int compute_children(tbl *t, const args *a, brief *b, breakdown *area);
int report_statuses(const brief *b, const args *a);

/* ------------------------------------------------------------ report_gic.c */

/* the options: --compare FILE, --compare-cpi X */
extern const opt_spec report_gic_opts[];
/* --compare FILE: the growth incidence curve from FILE's (last) round to
 * the brief's latest (b->gic; nothing without the option). 0 or an exit
 * code. */
int compute_gic(const args *a, const tbl *t, const hh_cols *c, const int64_t *st_all,
                const int64_t *ps_all, int32_t lonely, const int32_t *year_code, brief *b);
void gic_free(brief *b);
/* The CPI of round `label` from --cpi ROUND=VALUE,... or, without --cpi,
 * the defaults (report.c): 0, or −1 when none is given for it (no message;
 * --cpi VALUE gives the brief's own round only, not this). */
int report_cpi_lookup(const brief *b, const char *label, double *out);
/* Refuses (EXIT_USAGE, after the message) a --cpi entry for a round the
 * brief does not use: neither a round of the household file nor `base`
 * (--compare's round; NULL without --compare). 0 when every entry is used. */
int report_cpi_unknown(const brief *b, const char *base);
/* its section: the text, the chart (HTML) and the deciles' table */
void render_gic(out *o, const brief *b);

#endif
