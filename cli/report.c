/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/report.c — `socind report`: the regency brief, in Indonesian (the
 * default) or English. Every figure comes from the public API
 * (report_compute.c); the figures are computed once into a `brief` and
 * rendered (report_render.c) as Markdown on stdout and, with --html FILE,
 * as one self-contained HTML page with SVG charts (report_page.c). This file
 * reads the options and the household file.
 */
#define _POSIX_C_SOURCE 200809L
#include "report.h"
#include "text.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The international extreme-poverty line's defaults (README, "socind
 * report"): $2.15 a day at 2017 PPP; the World Bank's 2017 PPP conversion
 * factor for Indonesia's private consumption (WDI PA.NUS.PRVT.PP); the CPI
 * as an index 2017 = 100 chained from BPS's annual average inflation
 * (2018 3.20%, 2019 3.03%, 2020 1.92%, 2021 1.56%, 2022 4.21%, 2023 3.67%,
 * 2024 2.31%), for the rounds the bundled sample has. */
#define PPP_DAILY 2.15
#define PPP_FACTOR 4549.6
#define CPI_BASE 100.0
/* the heading's area without --title, for files other than the sample */
#define DEFAULT_TITLE_EN "Survey area"
#define DEFAULT_TITLE_ID "Wilayah survei"
static const struct {
    const char *round;
    double cpi;
} CPI_DEFAULT[] = {{"2023", 118.9}, {"2024", 121.6}};

#define SAMPLE_PLACES 5
/* Where the bundled sample's `file` may be, the k-th place (0 <= k <
 * SAMPLE_PLACES) into buf: data/sample of the current directory; beside the
 * installed command, <prefix>/bin/socind → <prefix>/share/socind/sample;
 * data/sample of the source tree the command was built in, 1 to 3
 * directories above it (build/cli/socind → data/sample). NULL when the
 * place cannot be named. */
static const char *sample_place(int k, const char *file, char *buf, size_t cap) {
    if (k == 0) return snprintf(buf, cap, "data/sample/%s", file), buf;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) return NULL;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return NULL;
    *slash = '\0'; /* the command's directory */
    if (k == 1) return snprintf(buf, cap, "%s/../share/socind/sample/%s", exe, file), buf;
    size_t o = (size_t)snprintf(buf, cap, "%s", exe);
    for (int up = 1; up < k && o < cap; up++) /* k − 1 directories up */
        o += (size_t)snprintf(buf + o, cap - o, "/..");
    if (o < cap) snprintf(buf + o, cap - o, "/data/sample/%s", file);
    return buf;
}

/* the bundled sample's `file`: the first place that has it, else
 * data/sample/FILE (whose absence the reading says) */
static const char *default_path(const char *file, char *buf, size_t cap) {
    for (int k = 0; k < SAMPLE_PLACES; k++)
        if (sample_place(k, file, buf, cap) && access(buf, R_OK) == 0) return buf;
    snprintf(buf, cap, "data/sample/%s", file);
    return buf;
}

/* Whether `given` (an option's path; NULL: not given, the sample's path
 * by default) names the bundled sample's `file`: the same file (device and
 * inode) as one of its places, however the path spells it and whatever
 * the current directory. */
static int is_sample(const char *given, const char *file) {
    if (!given) return 1;
    char buf[PATH_MAX + 64];
    struct stat a, b;
    if (stat(given, &a) != 0) return 0;
    for (int k = 0; k < SAMPLE_PLACES; k++)
        if (sample_place(k, file, buf, sizeof buf) && stat(buf, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino)
            return 1;
    return 0;
}

/* --cpi VALUE: a finite number > 0. 0 or EXIT_USAGE after the message. */
static int cpi_number(const args *a, const char *text, double *out) {
    char why[300];
    if (tbl_parse_option_number(text, arg_flag(a, "decimal-comma"), out, why, sizeof why) != 0)
        return usage_error("report", "--cpi: %s", why);
    if (!(*out > 0) || !isfinite(*out))
        return usage_error("report", "--cpi: a CPI must be > 0, not \"%s\"", text);
    return 0;
}

/* one entry of --cpi: ROUND=VALUE, the round text as typed (a control
 * character in it is refused, not trimmed away), the CPI a number > 0 */
static int cpi_item(const args *a, num_item *it, void *ctx, char *why, size_t cap) {
    (void)ctx;
    for (const char *c = it->raw; *c && *c != '='; c++)
        if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f) {
            char shown[200];
            return snprintf(why, cap,
                            "--cpi: entry \"%s\": a round may not hold a control character "
                            "(U+%04X)",
                            show_text(it->raw, strlen(it->raw), shown, sizeof shown),
                            (unsigned)(unsigned char)*c),
                   1;
        }
    const int dc = arg_flag(a, "decimal-comma");
    if (!it->key)
        return snprintf(why, cap,
                        "--cpi must be VALUE or ROUND=VALUE%c... (e.g. --cpi %s), not \"%s\": "
                        "entry \"%s\" has no '='",
                        dc ? ';' : ',',
                        dc ? "\"2023=118,9;2024=121,6\", quoted: the shell ends a command at \";\""
                           : "2023=118.9,2024=121.6",
                        arg_get(a, "cpi"), it->text),
               1;
    if (!*it->key)
        return snprintf(why, cap, "--cpi: entry \"%s\" names no round (ROUND=VALUE)", it->text), 1;
    if (num_item_read(a, "cpi", it, why, cap)) return 1;
    if (!(it->value > 0) || !isfinite(it->value))
        return snprintf(why, cap, "--cpi: entry \"%s\": a CPI must be > 0, not \"%s\"", it->text,
                        it->num),
               1;
    return 0;
}

static int cpi_entries(const args *a, const num_item *it, size_t n, void *ctx, char *why,
                       size_t cap) {
    (void)a, (void)ctx;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(it[j].key, it[i].key) == 0)
                return snprintf(why, cap,
                                "--cpi gives round \"%s\" twice (entry \"%s\"): give each "
                                "round's CPI once",
                                it[i].key, it[i].text),
                       1;
    return 0;
}

/* Reads --cpi once: VALUE (the brief's one round) or ROUND=VALUE,...
 * (num_list_parse's rule: under --decimal-comma ROUND=VALUE;...) — every entry
 * a round and a CPI > 0, spaces around them allowed, no round twice. 0 or
 * EXIT_USAGE after the message naming the entry. */
static int cpi_parse(const args *a, brief *b) {
    const char *opt = arg_get(a, "cpi");
    b->cpi_given = opt != NULL;
    b->cpi_sep = arg_flag(a, "decimal-comma") ? ';' : ',';
    if (!opt) return 0;
    if (!strchr(opt, '=')) {
        b->cpi_single = 1;
        b->cpi_text = strdup(opt);
        if (!b->cpi_text) return fail_with(EXIT_USAGE, "out of memory");
        return cpi_number(a, trim_text(b->cpi_text), &b->cpi_value);
    }
    const num_list_spec spec = {"cpi", LIST_PAIRS_FIRST, cpi_item, cpi_entries, NULL};
    num_list L;
    if (num_list_parse(a, &spec, opt, &L)) return EXIT_USAGE;
    b->cpi = calloc(L.n, sizeof *b->cpi);
    if (!b->cpi) {
        num_list_free(&L);
        return fail_with(EXIT_USAGE, "out of memory");
    }
    for (size_t i = 0; i < L.n; i++) {
        b->cpi[i].round = L.item[i].key; /* (in L.buf, kept as b->cpi_text) */
        b->cpi[i].value = L.item[i].value;
    }
    b->n_cpi = (int)L.n;
    b->cpi_text = L.buf;
    free(L.item);
    return 0;
}

int report_cpi_lookup(const brief *b, const char *label, double *out) {
    if (b->cpi_given) {
        for (int i = 0; i < b->n_cpi; i++)
            if (strcmp(b->cpi[i].round, label) == 0) return *out = b->cpi[i].value, 0;
    } else {
        for (size_t i = 0; i < sizeof CPI_DEFAULT / sizeof CPI_DEFAULT[0]; i++)
            if (strcmp(CPI_DEFAULT[i].round, label) == 0) return *out = CPI_DEFAULT[i].cpi, 0;
    }
    return -1;
}

int report_cpi_unknown(const brief *b, const char *base) {
    for (int i = 0; i < b->n_cpi; i++) {
        const char *r = b->cpi[i].round;
        int used = base && strcmp(r, base) == 0;
        for (int32_t y = 0; y < b->n_years && !used; y++) used = strcmp(r, b->years[y].label) == 0;
        if (used) continue;
        if (!b->rounds)
            return usage_error("report",
                               "--cpi names round \"%s\", but the household file has no round "
                               "column (--year), so it is one round: give its CPI as --cpi "
                               "VALUE%s",
                               r, base ? " (and --compare's round's as --compare-cpi)" : "");
        char *rounds = NULL;
        int oom = str_appendf(&rounds, "%s", "");
        for (int32_t y = 0; y < b->n_years; y++)
            oom |= str_appendf(&rounds, "%s%s", y ? ", " : "", msg_text(b->years[y].label));
        if (base && *base) oom |= str_appendf(&rounds, " (--compare's: %s)", msg_text(base));
        int rc = oom ? fail_with(EXIT_USAGE, "out of memory")
                     : usage_error("report",
                                   "--cpi names round \"%s\", which the brief does not have (its "
                                   "rounds: %s): correct the round or leave its entry out",
                                   r, rounds);
        free(rounds);
        return rc;
    }
    return 0;
}

/* The CPI of the brief's round `label` ("" for a file of one round): --cpi
 * VALUE, --cpi ROUND=VALUE,... (;... under --decimal-comma) or the
 * defaults. 0 or EXIT_USAGE. */
static int round_cpi(const brief *b, const char *label, double *out) {
    if (b->cpi_single) return *out = b->cpi_value, 0;
    if (report_cpi_lookup(b, label, out) == 0) return 0;
    if (!*label)
        return usage_error("report", "the international extreme-poverty line needs the CPI of "
                                     "the survey period: give --cpi VALUE (same base as "
                                     "--cpi-base, default 2017 = 100)");
    return usage_error("report",
                       "no CPI for round \"%s\" (the international extreme-poverty "
                       "line needs it): give --cpi %s=VALUE%c... (same base as "
                       "--cpi-base, default 2017 = 100)",
                       msg_text(label), msg_text(label), b->cpi_sep);
}

/* a number option > 0, or its default */
static int positive_opt(const args *a, const char *name, double dflt, double *out) {
    const char *v = arg_get(a, name);
    if (!v) return *out = dflt, 0;
    if (parse_double_opt(a, name, v, out)) return EXIT_USAGE;
    if (!(*out > 0)) return usage_error("report", "--%s must be a number > 0, not \"%s\"", name, v);
    return 0;
}

/* the household columns; the round column only when asked for or present */
static void want_households(tbl *t, const args *a, hh_cols *c, int with_year) {
    c->year = with_year ? tbl_want(t, opt_or(a, "year", "year"), "year", TBL_LABEL) : -1;
    c->area = tbl_want(t, opt_or(a, "area", "kecamatan"), "area", TBL_LABEL);
    c->income = tbl_want(t, opt_or(a, "income", "exp_pc"), "income", TBL_NUM);
    c->weight = tbl_want(t, opt_or(a, "weight", "weight_person"), "weight", TBL_NUM);
    c->strata = tbl_want(t, opt_or(a, "strata", "stratum"), "strata", TBL_ID);
    c->psu = tbl_want(t, opt_or(a, "psu", "psu"), "psu", TBL_ID);
    c->line = tbl_want(t, opt_or(a, "line-col", "poverty_line"), "line-col", TBL_NUM);
}

/* Reads the options that are not columns into *b and the lonely-PSU
 * policy; the files' paths (the sample's by default) go through the
 * buffers. 0 or EXIT_USAGE. */
static int brief_options(const args *a, brief *b, int32_t *lonely, char *hh_buf, char *kid_buf,
                         size_t cap) {
    int rc;
    if (a->file) return usage_error("report", "name the files with --households and --children");
    const char *lang = opt_or(a, "lang", "id");
    if (strcmp(lang, "id") != 0 && strcmp(lang, "en") != 0)
        return usage_error(
            "report", "--lang must be id (Bahasa Indonesia) or en (English), not \"%s\"", lang);
    b->lang = strcmp(lang, "en") == 0 ? LANG_EN : LANG_ID;
    if ((rc = lonely_option(a, lonely))) return rc;
    if (arg_get(a, "age-days") && arg_get(a, "age-months"))
        return usage_error("report", "give --age-days or --age-months, not both");
    if ((rc = codes_check_options(a))) return rc;
    if ((rc = positive_opt(a, "ppp-daily", PPP_DAILY, &b->ppp_daily)) ||
        (rc = positive_opt(a, "ppp-factor", PPP_FACTOR, &b->ppp_factor)) ||
        (rc = positive_opt(a, "cpi-base", CPI_BASE, &b->cpi_base)))
        return rc;
    if ((rc = cpi_parse(a, b))) return rc;
    if (arg_get(a, "cpi-base") && !arg_get(a, "cpi"))
        return usage_error("report", "--cpi-base needs --cpi on the same base");
    if (arg_get(a, "compare-cpi") && !arg_get(a, "compare"))
        return usage_error("report", "--compare-cpi needs --compare FILE (the CPI of its round)");
    b->hh_path = arg_get(a, "households");
    if (!b->hh_path) b->hh_path = default_path("households.csv", hh_buf, cap);
    /* "-": standard input, for one of them */
    const char *kids = arg_get(a, "children");
    if (strcmp(b->hh_path, "-") == 0 && kids && strcmp(kids, "-") == 0)
        return usage_error("report", "--households - and --children -: standard input can be only "
                                     "one of them");
    int hh_sample = is_sample(arg_get(a, "households"), "households.csv");
    /* and the user's children never go with the bundled sample's households
     * by default: a brief of someone's children under the sample's poverty
     * figures would read as the area's */
    if (kids && !arg_get(a, "households") && strcmp(kids, "-") != 0 &&
        access(kids, F_OK) == 0 /* (a path that names nothing: "cannot open", below) */ &&
        !is_sample(kids, "children.csv"))
        return usage_error("report",
                           "--children %s without --households: give --households FILE, the "
                           "households of the same survey (the bundled sample's households go "
                           "only with its children)",
                           kids);
    if (kids && !arg_get(a, "households") && strcmp(kids, "-") == 0)
        return usage_error("report", "--children - without --households: give --households FILE, "
                                     "the households of the same survey");
    /* without --children, the bundled sample's children go only with the
     * bundled sample's households: the user's households get no children's
     * figures (said), never synthetic children beside them */
    b->kids_path = kids;
    if (!kids && hh_sample) b->kids_path = default_path("children.csv", kid_buf, cap);
    if (!b->kids_path)
        fprintf(stderr,
                "socind report: no children's file (--children): the brief has no child "
                "nutrition (the bundled sample's children go only with its households); give "
                "--children FILE for the children of %s\n",
                b->hh_path);
    if (strcmp(b->hh_path, "-") == 0) b->hh_path = "/dev/stdin";
    if (b->kids_path && strcmp(b->kids_path, "-") == 0) b->kids_path = "/dev/stdin";
    /* the sample's regency names only the bundled sample (given by its
     * path or by default); other files are "the survey's area" unless
     * --title names it */
    int kid_sample = b->kids_path && is_sample(kids, "children.csv");
    b->sample = hh_sample || kid_sample;
    b->title = arg_get(a, "title");
    if (!b->title && hh_sample && kid_sample) b->title = "Musi Banyuasin";
    if (!b->title) {
        b->title = TR(b->lang, DEFAULT_TITLE_EN, DEFAULT_TITLE_ID);
        fprintf(stderr,
                "socind report: the heading names the area \"%s\" (no --title); give --title "
                "\"Kabupaten ...\" to name the area the files cover\n",
                b->title);
    }
    /* a name: a heading of spaces names no area */
    if (strspn(b->title, " ") == strlen(b->title))
        return usage_error("report",
                           "--title \"%s\" is empty: give the area's name (e.g. "
                           "\"Kabupaten ...\"), or leave --title out",
                           b->title);
    /* one line: a line break would end the heading and start the brief's
       text (Markdown) */
    for (const char *p = b->title; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return usage_error("report",
                               "--title may not hold a control character (a line break, a "
                               "carriage return, a tab...): U+%04X at byte %d; the heading is one "
                               "line",
                               (unsigned)(unsigned char)*p, (int)(p - b->title) + 1);
    return 0;
}

/* the household file and what outlives its reading (the brief's labels
 * point into the breakdowns) */
typedef struct hh_data {
    tbl t;
    breakdown years, area;
    int64_t *strata, *psu;
} hh_data;

/* The (stratum, PSU) ids the brief's last round shares with the round
 * before (shared_psus over every row of each, as socind change and socind
 * gic count them), counted into b and said on stderr when the brief gives
 * their change (else said by compute_changes). 0 or an exit code. */
static int note_round_psus(const tbl *t, const hh_cols *c, const int32_t *code, brief *b) {
    if (b->n_years < 2) return 0;
    const year_fig *p = &b->years[b->n_years - 2], *z = &b->years[b->n_years - 1];
    if (p->no_income || z->no_income) return 0;
    /* the rows of each: [0] the round before, [1] the last */
    const int32_t before = b->n_years - 2, last = b->n_years - 1;
    size_t n[2] = {0, 0};
    for (size_t r = 0; r < t->nrows; r++) {
        if (code[r] == before) n[0]++;
        if (code[r] == last) n[1]++;
    }
    size_t *rows[2] = {malloc((n[0] ? n[0] : 1) * sizeof(size_t)),
                       malloc((n[1] ? n[1] : 1) * sizeof(size_t))};
    int rc = 0;
    if (rows[0] && rows[1]) {
        size_t k[2] = {0, 0};
        for (size_t r = 0; r < t->nrows; r++) {
            if (code[r] == before) rows[0][k[0]++] = r;
            if (code[r] == last) rows[1][k[1]++] = r;
        }
        const psu_round r0 = {t, c->strata, c->psu, rows[0], n[0]},
                        r1 = {t, c->strata, c->psu, rows[1], n[1]};
        rc = shared_psus(&r0, &r1, &b->shared_psus, &b->prev_psus, &b->last_psus);
    } else
        rc = -1;
    free(rows[0]), free(rows[1]);
    if (rc) return fail_with(EXIT_COMPUTE, "out of memory");
    if (b->shared_psus > 0)
        fprintf(stderr,
                "socind report: warning: %zu of the %zu (stratum, PSU) ids of survey round %s are "
                "also ids of round %s (of %zu): where an id names the same PSU in both rounds (a "
                "panel or revisited PSUs), the rounds are not independent samples, and the SEs of "
                "the changes %s to %s (overall and by sub-district), which assume they are, "
                "ignore their covariance\n",
                b->shared_psus, b->last_psus, msg_text(z->label), msg_text(p->label), b->prev_psus,
                msg_text(p->label), msg_text(z->label));
    return 0;
}

/* Reads the household file (without a round column, none asked for: one
 * round) and computes every round's figures and their change. 0 or an exit
 * code. */
static int compute_households(const args *a, hh_data *h, brief *b, int32_t lonely) {
    char err[1024];
    tbl *th = &h->t;
    hh_cols c;
    int rc;
    b->rounds = 1;
    want_households(th, a, &c, 1);
    if (tbl_read(th, err, sizeof err)) {
        if (arg_get(a, "year") || !strstr(err, "\"year\" (named by --year)") ||
            strcmp(th->path, "/dev/stdin") == 0)
            return fail_with(EXIT_DATA, "%s", err);
        tbl_free(th);
        b->rounds = 0;
        want_households(th, a, &c, 0);
        if (tbl_read(th, err, sizeof err)) return fail_with(EXIT_DATA, "%s", err);
    }
    note_missing("report", th, c.income, "they are left out of every estimate");
    note_missing("report", th, c.line,
                 "they are left out of the figures against the national line (the poverty rate "
                 "P0 and the number of poor, P1 and P2, overall and by sub-district) and kept in "
                 "the extreme-poverty figures and the Gini");
    note_missing("report", th, c.area,
                 "they are left out of the sub-district rows and kept in the overall figures");
    if (b->rounds && (rc = breakdown_make(th, &th->cols[c.year], &h->years))) return rc;
    if ((rc = breakdown_make(th, &th->cols[c.area], &h->area))) return rc;
    if (b->rounds)
        for (size_t r = 0; r < th->nrows; r++)
            if (h->years.code[r] < 0) {
                char where[64];
                return fail_with(EXIT_DATA, "%s: %s: the survey round (column \"%s\") is missing",
                                 th->path, tbl_where(th, r, where, sizeof where),
                                 th->cols[c.year].name);
            }
    int32_t n_rounds = b->rounds ? h->years.n_groups : 1;
    /* checked and converted once; each round's design takes its rows */
    if ((rc = check_weights(th, &th->cols[c.weight]))) return rc;
    if ((rc = ids_from_labels(th, &th->cols[c.strata], &h->strata))) return rc;
    if ((rc = ids_from_labels(th, &th->cols[c.psu], &h->psu))) return rc;
    b->years = calloc((size_t)(n_rounds ? n_rounds : 1), sizeof *b->years);
    if (!b->years) return fail_with(EXIT_COMPUTE, "out of memory");
    for (int32_t y = 0; y < n_rounds; y++)
        b->years[y].label = b->rounds ? h->years.label[y] + strlen(h->years.column) + 2 : "";
    b->n_years = n_rounds;
    if (b->cpi_single && n_rounds > 1) {
        char *rounds = NULL, *example = NULL;
        int oom = 0;
        for (int32_t y = 0; y < n_rounds; y++) {
            oom |= str_appendf(&rounds, "%s%s", y ? ", " : "", msg_text(b->years[y].label));
            oom |= str_appendf(&example, "%s%s=VALUE", y ? (b->cpi_sep == ';' ? ";" : ",") : "",
                               msg_text(b->years[y].label));
        }
        rc = oom ? fail_with(EXIT_USAGE, "out of memory")
                 : usage_error("report",
                               "--cpi %s is one CPI, for a household file of one round, but this "
                               "one has %d rounds (%s): give each round's CPI as --cpi %s%s%s",
                               arg_get(a, "cpi"), (int)n_rounds, rounds,
                               b->cpi_sep == ';' ? "\"" : "", example,
                               b->cpi_sep == ';' ? "\" (quoted: the shell ends a command at \";\")"
                                                 : "");
        free(rounds), free(example);
        return rc;
    }
    /* an entry for a round the brief does not have (--compare's: there) */
    if (!arg_get(a, "compare") && (rc = report_cpi_unknown(b, NULL))) return rc;
    for (int32_t y = 0; y < n_rounds; y++)
        if ((rc = round_cpi(b, b->years[y].label, &b->years[y].cpi))) return rc;
    for (int32_t y = 0; y < n_rounds; y++) {
        b->n_years = y + 1;
        rc = compute_year(a, th, &c, h->strata, h->psu, lonely, b->rounds ? h->years.code : NULL, y,
                          &h->area, b, &b->years[y]);
        if (rc) return rc;
    }
    if ((rc = compute_changes(a, th, b))) return rc;
    if (b->rounds && (rc = note_round_psus(th, &c, h->years.code, b))) return rc;
    return compute_gic(a, th, &c, h->strata, h->psu, lonely, b->rounds ? h->years.code : NULL, b);
}

/* the brief: HTML first (to a temporary file, renamed when complete), then
 * Markdown on stdout. 0 or EXIT_OUTPUT. */
static int write_brief(const args *a, const brief *b) {
    char err[1024];
    const char *html = arg_get(a, "html");
    if (html) {
        outw w;
        if (outw_open(&w, html, OUT_RAW, 0, NULL, err, sizeof err))
            return fail_with(EXIT_OUTPUT, "%s", err);
        out o = {w.f, 1, b->lang, NULL, NULL, 0, 0, 0, NULL, 0, 0};
        render(&o, b);
        if (o.n_cut > 0) {
            char first[200];
            fprintf(stderr,
                    "socind report: --html: %zu sub-district name%s too long for the room of "
                    "the charts' labels (about 30 letters): the charts show %s cut, ending in "
                    "\"…\" (whole in the label's tooltip), and the tables whole (%s\"%s\")\n",
                    o.n_cut, o.n_cut == 1 ? " is" : "s are", o.n_cut == 1 ? "it" : "them",
                    o.n_cut == 1 ? "" : "the first: ",
                    show_text(o.cut[0], strlen(o.cut[0]), first, sizeof first));
        }
        out_free(&o);
        if (o.oom) {
            outw_close(&w, 0, err, sizeof err);
            return fail_with(EXIT_COMPUTE, "out of memory");
        }
        if (outw_close(&w, 1, err, sizeof err)) return fail_with(EXIT_OUTPUT, "%s", err);
    }
    out o = {stdout, 0, b->lang, NULL, NULL, 0, 0, 0, NULL, 0, 0};
    render(&o, b);
    out_free(&o);
    if (o.oom) return fail_with(EXIT_COMPUTE, "out of memory");
    errno = 0; /* a write that failed before the flush left its errno behind it */
    if (fflush(stdout) != 0 || ferror(stdout))
        return fail_with(EXIT_OUTPUT, "standard output: write error%s%s", errno ? ": " : "",
                         errno ? strerror(errno) : "");
    return 0;
}

int cmd_report(int argc, char **argv) {
    static const opt_spec own[] = {{"households", 1},
                                   {"children", 1},
                                   {"html", 1},
                                   {"title", 1},
                                   {"lang", 1},
                                   {"ppp-daily", 1},
                                   {"ppp-factor", 1},
                                   {"cpi", 1},
                                   {"cpi-base", 1},
                                   {"year", 1},
                                   {"area", 1},
                                   {"income", 1},
                                   {"weight", 1},
                                   {"strata", 1},
                                   {"psu", 1},
                                   {"line-col", 1},
                                   {"lonely-psu", 1},
                                   {"child-area", 1},
                                   {"child-weight", 1},
                                   {"child-strata", 1},
                                   {"child-psu", 1},
                                   {"sex", 1},
                                   {"age-days", 1},
                                   {"age-months", 1},
                                   {"weight-kg", 1},
                                   {"lenhei-cm", 1},
                                   {"measure", 1},
                                   {"oedema", 1},
                                   {"child-year", 1},
                                   {"nest", OPT_FLAG},
                                   {NULL, 0}};
    static const opt_spec input[] = {{"decimal-comma", OPT_FLAG},
                                     {"delimiter", OPT_VALUE},
                                     {"na-values", OPT_VALUE},
                                     {"encoding", OPT_VALUE},
                                     {NULL, 0}};
    const opt_spec *const specs[] = {own, input, cli_codes_opts, report_gic_opts, NULL};
    args a;
    hh_data h;
    tbl tk;
    brief b;
    breakdown kid_area;
    memset(&h, 0, sizeof h);
    memset(&tk, 0, sizeof tk);
    memset(&b, 0, sizeof b);
    memset(&kid_area, 0, sizeof kid_area);
    if (args_parse(&a, "report", argc, argv, 2, specs)) return EXIT_USAGE;
    char hh_buf[PATH_MAX + 64], kid_buf[PATH_MAX + 64], err[1024];
    int32_t lonely;
    int rc = brief_options(&a, &b, &lonely, hh_buf, kid_buf, sizeof hh_buf);
    if (rc) goto done;
    outw_input(b.hh_path);
    if (b.kids_path) outw_input(b.kids_path);
    input_files(&a);
    const char *html = arg_get(&a, "html");
    /* the Markdown's standard output may not be an input file */
    if (outw_check(NULL, err, sizeof err)) {
        rc = fail_with(EXIT_OUTPUT, "%s", err);
        goto done;
    }
    if (html && outw_check(html, err, sizeof err)) {
        rc = fail_with(EXIT_OUTPUT, "%s%s", err, *html ? "" : " (--html)");
        goto done;
    }
    /* the Markdown goes to standard output: the page may not go there too
       ("-", /dev/stdout, the file standard output is redirected to; a
       character device such as /dev/null takes both) */
    if (html && outw_same(html, NULL)) {
        rc = fail_with(EXIT_OUTPUT,
                       "--html %s: the HTML page and the Markdown brief would both be written to "
                       "standard output, where the Markdown goes; name another file for the HTML "
                       "page (or redirect standard output elsewhere)",
                       html);
        goto done;
    }
    h.t.path = b.hh_path;
    tk.path = b.kids_path;
    if ((rc = input_options(&h.t, &a)) || (b.kids_path && (rc = input_options(&tk, &a)))) goto done;
    if ((rc = compute_households(&a, &h, &b, lonely))) goto done;
    if (b.kids_path && (rc = compute_children(&tk, &a, &b, &kid_area))) goto done;
    if ((rc = report_statuses(&b, &a))) goto done;
    rc = write_brief(&a, &b);
done:
    free(h.strata);
    free(h.psu);
    for (int32_t y = 0; y < b.n_years; y++) free(b.years[y].areas);
    free(b.years);
    free(b.areas);
    gic_free(&b);
    free(b.cpi);
    free(b.cpi_text);
    free(b.kid_round);
    for (int i = 0; i < b.n_warnings; i++) free(b.warning[i]);
    breakdown_free(&h.years);
    breakdown_free(&h.area);
    breakdown_free(&kid_area);
    breakdown_free(&b.kid_all_area);
    tbl_free(&h.t);
    tbl_free(&tk);
    args_free(&a);
    return rc;
}
