/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/make_state_seeds.c — writes the seed inputs of
 * fuzz_partial_state.c: states the library makes from a small made-up
 * sample (every estimator; with and without strata, PSUs, fpc, domains,
 * per-row lines, nest and each lonely-PSU policy), each behind the
 * harness's 9-byte prefix, alone or in pairs — two halves of the rows (PSUs
 * split between them), states of different specs, PSUs in two strata, two
 * fpc values for one PSU.
 * Usage: fuzz_make_state_seeds OUTDIR (writes OUTDIR/seed-NNN; the corpus
 * names them by SHA-1: for f in seed-*; do mv "$f" "$(sha1sum "$f" |
 * cut -c1-40)"; done). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socind/socind.h"
#include "state_internal.h"

#define N 24
static double w[N], y[N], y2[N], fpc[N], lines[N];
static int64_t strata[N], psu[N];
static int32_t group[N];
static const char *outdir;
static int nseed;

static void sample(void) {
    for (int i = 0; i < N; i++) {
        w[i] = i % 7 == 3 ? 0.0 : 1.0 + (i * 37 % 11) * 0.5;
        y[i] = 50.0 + (i * 53 % 17) * 10.0;
        y2[i] = 20.0 + (i * 29 % 13) * 5.0;
        lines[i] = 100.0 + (i % 3) * 20.0;
        strata[i] = i / 9;
        psu[i] = i / 3;
        fpc[i] = 10.0 + (double)strata[i];
        group[i] = i % 5 == 4 ? -1 : i % 3;
    }
}

static void die(const char *what, int32_t st) {
    fprintf(stderr, "make_state_seeds: %s: status %d: %s\n", what, (int)st,
            socind_last_error_detail());
    exit(1);
}

/* rows [a, b) added to s */
static void add_rows(socind_state *s, const socind_state_spec *sp, int a, int b) {
    int32_t st;
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = (size_t)(b - a);
    c.first_row = a;
    c.weight = w + a;
    const int prop01 = sp->estimator == SOCIND_STATE_PROPORTION ||
                       sp->estimator == SOCIND_STATE_PROPORTION_LIKELIHOOD;
    c.y = y + a;
    static double prop[N];
    for (int i = 0; i < N; i++) prop[i] = y[i] > 120.0 ? 1.0 : 0.0;
    if (prop01) c.y = prop + a;
    if (sp->has_strata) c.strata = strata + a;
    if (sp->has_psu) c.psu = psu + a;
    if (sp->has_fpc) c.fpc = fpc + a;
    if (sp->n_groups > 0) c.group = group + a;
    if (sp->estimator == SOCIND_STATE_RATIO) c.y2 = y2 + a;
    if (sp->line_type == SOCIND_LINE_PER_ROW) c.y2 = lines + a;
    st = socind_state_add(s, &c);
    if (st) die("socind_state_add", st);
}

/* a state of spec over rows [a, b) */
static socind_state *make(const socind_state_spec *sp, int a, int b) {
    socind_state *s;
    int32_t st = socind_state_new(sp, &s);
    if (st) die("socind_state_new", st);
    add_rows(s, sp, a, b);
    return s;
}

static unsigned char *bytes(const socind_state *s, size_t *len) {
    socind_state_to_bytes(s, NULL, 0, len);
    unsigned char *b = malloc(*len);
    if (!b || socind_state_to_bytes(s, b, *len, len)) exit(1);
    return b;
}

/* writes prefix + a (+ b): flags 1 (fix the CRC) | 2 with two states */
static void seed(const socind_state *a, const socind_state *b, unsigned char opt) {
    size_t la, lb = 0;
    unsigned char *ba = bytes(a, &la), *bb = b ? bytes(b, &lb) : NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/seed-%03d", outdir, nseed++);
    FILE *f = fopen(path, "wb");
    if (!f) exit(1);
    unsigned char pre[9] = {(unsigned char)(1 | (b ? 2 : 0)), opt, 1, 2, 0};
    /* the harness splits at k % (length + 1): la, whatever the bits above
       (which pick the bit to flip and where to cut) */
    uint32_t k = (uint32_t)la + (uint32_t)(nseed * 7 + 1) * (uint32_t)(la + lb + 1);
    for (int i = 0; i < 4; i++) pre[5 + i] = (unsigned char)(k >> (8 * i));
    fwrite(pre, 1, sizeof pre, f);
    fwrite(ba, 1, la, f);
    if (bb) fwrite(bb, 1, lb, f);
    fclose(f);
    free(ba), free(bb);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz_make_state_seeds OUTDIR\n");
        return 2;
    }
    outdir = argv[1];
    sample();
    static const double alphas[] = {0, 1, 2, 0, 0, 0, 0, 0, 0, 3, 0, 0.5, 2, 2, 1, 0, 0, 0, 0, 0};
    for (int32_t e = 1; e < SOCIND_STATE_ESTIMATOR_COUNT; e++) {
        for (int design = 0; design < 4; design++) {
            socind_state_spec sp;
            socind_state_spec_init(&sp);
            sp.estimator = e;
            sp.line = 150.0;
            sp.alpha = e == SOCIND_STATE_FGT  ? (double)design
                       : e == SOCIND_STATE_GE ? (double)design - 1.0
                                              : alphas[(e - 1) % 20];
            if (e == SOCIND_STATE_FGT_DECOMPOSITION) sp.alpha = 2.0 + design * 0.5;
            if (e == SOCIND_STATE_ATKINSON) sp.alpha = 0.5 + design * 0.5;
            if (e == SOCIND_STATE_QUANTILE || e == SOCIND_STATE_LORENZ) sp.p = 0.25 + 0.2 * design;
            if (e == SOCIND_STATE_SHARE_RATIO) sp.p = 0.2, sp.p2 = 0.8;
            if (e == SOCIND_STATE_PREVALENCE_WHO2006 || e == SOCIND_STATE_PREVALENCE_WHO2007)
                continue; /* made from children's measurements, not incomes */
            sp.has_strata = design >= 1;
            sp.has_psu = design >= 1;
            sp.has_fpc = design == 3;
            sp.nest = design == 2;
            sp.n_groups = design >= 2 ? 3 : 0;
            if (e == SOCIND_STATE_GE_DECOMPOSITION || e == SOCIND_STATE_POVERTY_PROFILE)
                sp.n_groups = 3;                                 /* a partition */
            if (e == SOCIND_STATE_POVERTY_LINE) sp.n_groups = 0; /* one line over every row */
            sp.lonely_psu = design;
            sp.inclusive = design == 1;
            if (design == 2 && e >= SOCIND_STATE_FGT && e <= SOCIND_STATE_WATTS_DECOMPOSITION)
                sp.line_type = SOCIND_LINE_PER_ROW;
            if (design == 3 && (e == SOCIND_STATE_WATTS || e == SOCIND_STATE_GE))
                sp.nonpositive = SOCIND_NONPOS_EXCLUDE;
            if (e == SOCIND_STATE_POOR_MEDIAN || e == SOCIND_STATE_RELATIVE_MEDIAN_GAP)
                sp.line_type = SOCIND_LINE_RELATIVE_QUANTILE, sp.line = 0.6, sp.p = 0.5;
            socind_state *all = make(&sp, 0, N), *h1 = make(&sp, 0, 13), *h2 = make(&sp, 13, N);
            seed(all, NULL, (unsigned char)(design * 64));
            if (design == 1 || design == 3) seed(h1, h2, 200); /* PSU 4 in both */
            socind_state_free(all), socind_state_free(h1), socind_state_free(h2);
        }
    }
    /* states of several passes in every pass (format version 2; relative
       lines' and a proportion's likelihood state's version 3; the
       histogram states' version 4): relative lines (quantile and mean)
       under FGT-family estimators, the Gini, a quantile, a Lorenz ordinate
       and a share ratio, the Sen and SST indices, the median of the poor
       and the relative median gap (two passes, or three, and five with a
       window budget of one row), a proportion's likelihood state (two);
       each pass's state seeds alone and as two halves */
    static const int32_t ranked[] = {SOCIND_STATE_FGT,
                                     SOCIND_STATE_WATTS,
                                     SOCIND_STATE_POVERTY_PROFILE,
                                     SOCIND_STATE_FGT_DECOMPOSITION,
                                     SOCIND_STATE_GINI,
                                     SOCIND_STATE_QUANTILE,
                                     SOCIND_STATE_LORENZ,
                                     SOCIND_STATE_SHARE_RATIO,
                                     SOCIND_STATE_SEN,
                                     SOCIND_STATE_SST,
                                     SOCIND_STATE_POOR_MEDIAN,
                                     SOCIND_STATE_RELATIVE_MEDIAN_GAP,
                                     SOCIND_STATE_PROPORTION_LIKELIHOOD};
    for (size_t k = 0; k < sizeof ranked / sizeof *ranked; k++) {
        for (int lt = 0; lt < 3; lt++) {
            const int32_t e = ranked[k];
            const int sen = e == SOCIND_STATE_SEN || e == SOCIND_STATE_SST;
            const int med = e == SOCIND_STATE_POOR_MEDIAN || e == SOCIND_STATE_RELATIVE_MEDIAN_GAP;
            if (lt == 2 && !med) continue;
            socind__qwin_budget = lt == 2; /* (the median of the poor: five passes) */
            const int fit = e == SOCIND_STATE_PROPORTION_LIKELIHOOD; /* (two passes, no ranks) */
            const int hist = e == SOCIND_STATE_QUANTILE || e == SOCIND_STATE_LORENZ ||
                             e == SOCIND_STATE_SHARE_RATIO;
            const int fgt_family = e != SOCIND_STATE_GINI && !hist && !sen && !fit;
            if ((!fgt_family || med) && lt == 1) continue; /* (the median of the poor: quantile) */
            socind_state_spec sr;
            socind_state_spec_init(&sr);
            sr.estimator = e;
            sr.has_strata = sr.has_psu = 1;
            sr.n_groups = 3;
            /* (the decomposition at α 2.5: the window pass's series) */
            sr.alpha = e == SOCIND_STATE_FGT_DECOMPOSITION ? 2.5 : 1.0;
            if (fgt_family) {
                sr.line_type = lt == 1 ? SOCIND_LINE_RELATIVE_MEAN : SOCIND_LINE_RELATIVE_QUANTILE;
                sr.line = 0.6;
            }
            if (sen) sr.line = 150.0; /* (the Gini's passes over the poor) */
            if (e == SOCIND_STATE_QUANTILE || (fgt_family && lt != 1)) sr.p = 0.5;
            if (e == SOCIND_STATE_LORENZ) sr.p = 0.4;
            if (e == SOCIND_STATE_SHARE_RATIO) sr.p = 0.2, sr.p2 = 0.8;
            socind_state *whole = make(&sr, 0, N), *h1 = make(&sr, 0, 13), *h2 = make(&sr, 13, N);
            for (;;) {
                seed(whole, NULL, 150);
                seed(h1, h2, 200);
                int32_t pass, passes;
                socind_state_passes(whole, &pass, &passes);
                if (pass >= passes) break;
                socind_state *nw, *n1, *n2;
                int32_t st = socind_state_next_pass(whole, &nw);
                if (st) die("socind_state_next_pass", st);
                if ((st = socind_state_next_pass(whole, &n1)) ||
                    (st = socind_state_next_pass(whole, &n2)))
                    die("socind_state_next_pass", st);
                add_rows(nw, &sr, 0, N), add_rows(n1, &sr, 0, 13), add_rows(n2, &sr, 13, N);
                socind_state_free(whole), socind_state_free(h1), socind_state_free(h2);
                whole = nw, h1 = n1, h2 = n2;
            }
            socind_state_free(whole), socind_state_free(h1), socind_state_free(h2);
        }
    }
    socind__qwin_budget = 0;
    /* pairs that do not merge */
    socind_state_spec sp, sq;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_FGT, sp.line = 150.0, sp.alpha = 0.0;
    sp.has_strata = sp.has_psu = 1, sp.n_groups = 3;
    sq = sp;
    sq.alpha = 1.0;
    socind_state *a = make(&sp, 0, 13), *b = make(&sq, 12, N);
    seed(a, b, 100);
    socind_state_free(b);
    sq = sp, sq.n_groups = 4;
    b = make(&sq, 12, N), seed(a, b, 100), socind_state_free(b);
    sq = sp, sq.estimator = SOCIND_STATE_POOR_COUNT;
    b = make(&sq, 12, N), seed(a, b, 100), socind_state_free(b);
    /* a PSU in two strata; a PSU with two fpc values */
    for (int i = 12; i < N; i++) strata[i] += 5;
    b = make(&sp, 9, N), seed(a, b, 100), socind_state_free(b);
    socind_state_free(a);
    sample();
    sp.has_fpc = 1;
    a = make(&sp, 0, 10);
    fpc[10] = fpc[11] = 99.0;
    b = make(&sp, 10, N), seed(a, b, 100);
    socind_state_free(a), socind_state_free(b);
    printf("%d seeds in %s\n", nseed, outdir);
    return 0;
}
