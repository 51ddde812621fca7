/* SPDX-License-Identifier: GPL-3.0-or-later */
/* examples/stunting_table.c — the WHO prevalence table (stunting, wasting,
 * underweight, overweight …) with 95% CIs under the survey design, from a
 * CSV of children with the columns of WHO anthro's input:
 *   strata,cluster,sw,sex,age_days,weight,lenhei,measure,oedema
 * (sex 1/2, measure l/h, oedema n/y; other columns are ignored), then the
 * data-quality summary.
 *
 *   cc stunting_table.c $(pkg-config --cflags --libs socind) -o stunting_table
 *   ./stunting_table data/sample/children.csv      (the bundled sample)
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <socind/socind.h>

/* A minimal reader for this example's simple, unquoted CSV. */
static int split(char *line, char **f, int max) {
    int n = 0;
    for (char *p = line; n < max;) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c) break;
        *c = 0;
        p = c + 1;
    }
    return n;
}

static double num(const char *s) {
    if (!*s || strcmp(s, "NA") == 0) return NAN;
    return strtod(s, NULL);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s children.csv\n", argv[0]);
        return 2;
    }
    FILE *fp = fopen(argv[1], "r");
    if (!fp) {
        perror(argv[1]);
        return 1;
    }
    enum { MAXF = 64 };
    const char *want[9] = {"strata", "cluster", "sw",      "sex",   "age_days",
                           "weight", "lenhei",  "measure", "oedema"};
    int col[9];
    char *line = NULL, *f[MAXF];
    size_t cap = 0, n = 0, alloc = 1024;
    if (getline(&line, &cap, fp) < 0) return 1;
    line[strcspn(line, "\r\n")] = 0;
    int nf = split(line, f, MAXF);
    for (int i = 0; i < 9; i++) {
        col[i] = -1;
        for (int j = 0; j < nf; j++)
            if (strcmp(f[j], want[i]) == 0) col[i] = j;
        if (col[i] < 0) {
            fprintf(stderr, "%s: no column %s\n", argv[1], want[i]);
            return 1;
        }
    }
    int64_t *strata = malloc(alloc * sizeof *strata), *cluster = malloc(alloc * sizeof *cluster);
    double *sw = malloc(alloc * sizeof *sw), *age = malloc(alloc * sizeof *age);
    double *wt = malloc(alloc * sizeof *wt), *lh = malloc(alloc * sizeof *lh);
    int32_t *sex = malloc(alloc * sizeof *sex), *meas = malloc(alloc * sizeof *meas);
    int32_t *oed = malloc(alloc * sizeof *oed);
    while (getline(&line, &cap, fp) >= 0) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) continue;
        if (n == alloc) {
            alloc *= 2;
            strata = realloc(strata, alloc * sizeof *strata);
            cluster = realloc(cluster, alloc * sizeof *cluster);
            sw = realloc(sw, alloc * sizeof *sw), age = realloc(age, alloc * sizeof *age);
            wt = realloc(wt, alloc * sizeof *wt), lh = realloc(lh, alloc * sizeof *lh);
            sex = realloc(sex, alloc * sizeof *sex), meas = realloc(meas, alloc * sizeof *meas);
            oed = realloc(oed, alloc * sizeof *oed);
        }
        if (split(line, f, MAXF) < nf) continue;
        strata[n] = strtoll(f[col[0]], NULL, 10);
        cluster[n] = strtoll(f[col[1]], NULL, 10);
        sw[n] = num(f[col[2]]);
        const char *s = f[col[3]], *m = f[col[7]], *o = f[col[8]];
        sex[n] = strcmp(s, "1") == 0 ? 1 : strcmp(s, "2") == 0 ? 2 : SOCIND_CODE_MISSING;
        age[n] = num(f[col[4]]);
        wt[n] = num(f[col[5]]);
        lh[n] = num(f[col[6]]);
        meas[n] = (m[0] == 'l' || m[0] == 'L')   ? SOCIND_MEASURE_LYING
                  : (m[0] == 'h' || m[0] == 'H') ? SOCIND_MEASURE_STANDING
                                                 : SOCIND_CODE_MISSING;
        oed[n] = o[0] == 'y' ? SOCIND_OEDEMA_YES : SOCIND_OEDEMA_NO;
        n++;
    }
    free(line);
    fclose(fp);

    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = sex, in.age = age, in.weight = wt, in.lenhei = lh, in.measure = meas, in.oedema = oed;
    /* anthro's design: a missing sampling weight counts as 0, lonely PSUs are
       adjusted and cluster numbers restart in each stratum */
    for (size_t k = 0; k < n; k++)
        if (isnan(sw[k])) sw[k] = 0.0;
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_ADJUST;
    dopt.nest = 1;
    socind_design *design = NULL;
    socind_prevalence_table *t = NULL;
    int32_t st = socind_design_new(n, sw, strata, cluster, NULL, &dopt, &design);
    if (st == SOCIND_OK) st = socind_prevalence_who2006(design, &in, NULL, 0, NULL, &t);
    socind_design_free(design); /* the table does not need it */
    if (st != SOCIND_OK) {
        fprintf(stderr, "%s (%s)\n", socind_strerror(st), socind_last_error_detail());
        return 1;
    }
    static const char *ind[6] = {"HA", "WA", "BMI", "WH", "HA<-2&WH<-2", "HA<-2&WH>+2"};
    static const char *stat[8] = {"< -3", "< -2", "< -1", "> +1", "> +2", "> +3", "mean", "prev"};
    printf("%-30s %-12s %-5s %9s %8s %17s %8s\n", "group", "indicator", "stat", "estimate", "se",
           "95% CI", "n");
    for (size_t i = 0; i < socind_prevalence_table_nrows(t); i++) {
        socind_prevalence_row r;
        socind_prevalence_row_init(&r);
        socind_prevalence_table_row(t, i, &r);
        if (r.group_kind == SOCIND_GROUP_AGE_SEX) continue; /* keep the printout short */
        char label[64];
        socind_prevalence_group_label(r.group_kind, r.group_level, label, sizeof label, NULL);
        double k = r.statistic == SOCIND_NUT_MEAN ? 1.0 : 100.0; /* prevalences in % */
        printf("%-30s %-12s %-5s %9.2f %8.2f %8.2f-%8.2f %8lld\n", label, ind[r.indicator],
               stat[r.statistic], k * r.est.value, k * r.est.se, k * r.est.ci_low,
               k * r.est.ci_high, (long long)r.pop_unweighted);
    }
    socind_prevalence_table_free(t);

    socind_growth_quality q;
    socind_growth_quality_init(&q);
    if (socind_growth_quality_who2006(n, &in, &q) == SOCIND_OK) {
        printf("\ndata quality: %lld children, %lld with oedema, %lld without a usable sex\n",
               (long long)q.n, (long long)q.oedema, (long long)q.sex_missing);
        for (int i = 0; i < 4; i++)
            printf("  %-3s missing %5lld  flagged %4lld  SD of z %.2f\n", ind[i],
                   (long long)q.missing[i], (long long)q.flagged[i], q.sd[i]);
        printf("  length/height ending in .0 or .5: %.1f%% (20%% without digit preference)\n",
               100 * q.lenhei_heaping);
    }
    free(strata), free(cluster), free(sw), free(age), free(wt), free(lh), free(sex), free(meas);
    free(oed);
    return 0;
}
