/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/main.c — the `socind` command: subcommands, help, version. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char HELP_MAIN[] =
    "socind — poverty, inequality and child-growth indicators with survey standard errors\n"
    "\n"
    "usage: socind COMMAND FILE [options]\n"
    "\n"
    "commands:\n"
    "  poverty      FGT(α), number of poor, Watts, gaps, decompositions\n"
    "  inequality   Gini, GE/Theil/MLD, Atkinson, quantiles, share ratios, Lorenz\n"
    "  growth       WHO z-scores and flags, one row per child\n"
    "  nutrition    WHO's prevalence table (stunting, wasting, underweight, overweight)\n"
    "  report       the regency brief (Markdown, or HTML with --html FILE)\n"
    "  help [COMMAND]   this text, or a command's options\n"
    "\n"
    "socind --version prints the version.\n"
    "\n"
    "FILE is CSV (comma, semicolon or tab separated; quoted fields; UTF-8 BOM;\n"
    "empty cells and NA are missing), Stata .dta, or SPSS .sav/.zsav.\n"
    "Output is a tidy CSV table (or JSON with --format json), one row per estimate:\n"
    "  indicator,parameter,group,estimate,se,ci_low,ci_high,df,n,weight_sum\n"
    "\n"
    "exit status: 0 ok, 1 bad data file, 2 bad command line, 3 computation refused\n"
    "(e.g. a stratum with one PSU under --lonely-psu fail), 4 output not written.\n";

static const char HELP_DESIGN[] =
    "design options:\n"
    "  --weight COL         sampling weight (default: 1 for every row)\n"
    "  --strata COL         stratum\n"
    "  --psu COL            primary sampling unit (cluster); default: each row its own\n"
    "  --nest               PSU ids restart in each stratum (R's nest = TRUE)\n"
    "  --fpc COL            finite population correction: the stratum's number of PSUs\n"
    "                       (values >= 1) or the sampling fraction (< 1), as R's survey\n"
    "  --lonely-psu P       a stratum with one PSU: fail (default), remove, adjust,\n"
    "                       average or certainty (R's survey.lonely.psu)\n"
    "  --level L            confidence level (default 0.95)\n"
    "  --ci t|normal        interval: t on the design's df (default) or normal\n"
    "                       (R's confint())\n"
    "  --prop-ci logit|wald interval of proportions (default logit, R's svyciprop)\n";

static const char HELP_IO[] =
    "input and output:\n"
    "  --delimiter D        comma, semicolon or tab (default: detected from the header)\n"
    "  --decimal-comma      numbers written as 1.234,5 (spreadsheets set to Indonesian)\n"
    "  --subset COL=VALUE   only the rows with this value, e.g. year=2024: one survey\n"
    "                       round of a file (for domains of one sample use --by, which\n"
    "                       keeps the whole design)\n"
    "  --format csv|json    output format (default csv)\n"
    "  --output FILE        write to FILE (replaced only when complete; default stdout)\n";

static const char HELP_POVERTY[] =
    "usage: socind poverty FILE --income COL LINE [options]\n"
    "\n"
    "LINE is one of\n"
    "  --line X             an absolute line (same currency and period as the income)\n"
    "  --line-col COL       a line per row (e.g. by province and urban/rural)\n"
    "  --relative F:median  F times the estimated median (e.g. 0.6:median), its\n"
    "  --relative F:mean    estimation error included in every SE (as R's convey)\n"
    "  --inclusive          poor means income <= line (convey's rule); the default is\n"
    "                       income < line (BPS, the World Bank)\n"
    "\n"
    "  --indicators LIST    comma-separated (default fgt0,fgt1,fgt2):\n"
    "      fgt0 fgt1 fgt2   poverty rate, poverty gap index, severity\n"
    "      fgt:A            FGT(A), any A >= 0\n"
    "      poor             number of poor people (the weighted count)\n"
    "      watts            Watts index\n"
    "      gap              total poverty gap (what lifting everyone to the line costs)\n"
    "      shortfall        mean shortfall of the poor\n"
    "      line             the line itself (with its SE when estimated)\n"
    "      fgtdec:A         FGT decomposition (A > 1): rows fgtdec:A:fgt0, :fgt1,\n"
    "                       :fgtA, :igr, :ge\n"
    "      wattsdec         Watts decomposition: rows wattsdec:watts, :fgt0,\n"
    "                       :gap_ratio, :theil_poor\n"
    "  --by COL             a breakdown (rows \"COL: value\"); may be repeated\n"
    "  --decompose-by COL   the additive profile of each FGT indicator by COL: rows\n"
    "                       profile:IND:share, :fgt, :contribution, :contribution_share\n"
    "  --nonpositive error|exclude   incomes <= 0 in Watts (default error)\n"
    "\n"
    "example:\n"
    "  socind poverty households.csv --subset year=2024 --income exp_pc \\\n"
    "      --weight weight_person --strata stratum --psu psu --line 545000 \\\n"
    "      --indicators fgt0,poor,fgt1,fgt2 --by kecamatan\n";

static const char HELP_INEQUALITY[] =
    "usage: socind inequality FILE --income COL [options]\n"
    "\n"
    "  --indicators LIST    comma-separated (default gini):\n"
    "      mean total population median quantile:P gini ge:T theil mld atkinson:E\n"
    "      qsr (S80/S20) palma (S90/S40) share_ratio:A1:A2 lorenz:P\n"
    "      gedec:T          GE(T) within/between COL of --decompose-by: rows\n"
    "                       gedec:T:total, :within, :between\n"
    "  --by COL             a breakdown (rows \"COL: value\"); may be repeated\n"
    "  --decompose-by COL   the subgroups of gedec\n"
    "  --nonpositive error|exclude   incomes <= 0 in GE and Atkinson (default error)\n"
    "\n"
    "example:\n"
    "  socind inequality households.csv --subset year=2024 --income exp_pc \\\n"
    "      --weight weight_person --strata stratum --psu psu \\\n"
    "      --indicators gini,theil,qsr,palma,median\n";

static const char HELP_GROWTH_COLS[] =
    "growth columns (units in the option names):\n"
    "  --sex COL            1/m/M male, 2/f/F female (WHO anthro's codes)\n"
    "  --age-days COL | --age-months COL\n"
    "  --weight-kg COL  --lenhei-cm COL  --measure COL (l lying, h standing)\n"
    "  --oedema COL         n/N/2 no, y/Y/1 yes\n"
    "  --headc-cm COL  --armc-cm COL  --triskin-mm COL  --subskin-mm COL\n"
    "  --reference who2006|who2007   0-5 years (default) or 5-19 years (height,\n"
    "                       weight and oedema; age converted to months as days/30.4375)\n";

static const char HELP_GROWTH[] =
    "usage: socind growth FILE --sex COL (--age-days COL | --age-months COL) [columns]\n"
    "\n"
    "One row per child: the id (--id COL, else the row number), then each z-score\n"
    "and flag as WHO's software names them (2006: zlen flen zwei fwei zwfl fwfl zbmi\n"
    "fbmi zhc fhc zac fac zts fts zss fss; 2007: zhfa fhfa zwfa fwfa zbfa fbfa);\n"
    "empty where not computed.\n"
    "  --rounding who|none  who (default): z rounded as WHO's software and flags on\n"
    "                       the rounded z; none: full precision\n";

static const char HELP_NUTRITION[] =
    "usage: socind nutrition FILE --sex COL (--age-days COL | --age-months COL) [columns]\n"
    "\n"
    "WHO's prevalence table (anthro_prevalence / anthroplus_prevalence): rows\n"
    "indicator = WHO's stem (HA_3 HA_2 HA_1 HA1 HA2 HA3 and the same for WA, BMI,\n"
    "WH; HA_2_WH_2, HA_2_WH2; HA = mean z-score, HA_sd its SD), group = All,\n"
    "\"Age group: 00-05 mo\", \"Sex: Female\", \"Age + sex: 00-05 mo.Female\" ... and\n"
    "\"COL: value\" for each --by. Stunting is HA_2, wasting WH_2, underweight WA_2,\n"
    "overweight WH2. n and weight_sum are the children counted (anthro's _unwpop,\n"
    "_pop).\n"
    "  --weight COL  --strata COL  --psu COL   sampling weight, strata, clusters\n"
    "                       (lonely PSUs adjusted, as anthro); --level L\n"
    "  --by COL             a breakdown; may be repeated\n"
    "  --indicators LIST    only these stems\n"
    "  --percent            prevalences in percent (default: proportions 0-1)\n"
    "\n"
    "example:\n"
    "  socind nutrition children.csv --sex sex --age-days age_days --weight-kg weight \\\n"
    "      --lenhei-cm lenhei --measure measure --oedema oedema --weight sw \\\n"
    "      --strata strata --psu cluster --by kecamatan --indicators HA_2,WH_2,WA_2,WH2\n";

static const char HELP_REPORT[] =
    "usage: socind report [options]\n"
    "\n"
    "The regency brief as Markdown on stdout: poverty rate, number of poor, P1 and P2\n"
    "per year with 95% CIs and the change between the two latest years; the rate by\n"
    "sub-district; Gini; stunting, wasting, underweight and overweight overall, by\n"
    "sub-district and by age group; data-quality lines.\n"
    "  --households FILE    default data/sample/households.csv (else the installed sample)\n"
    "  --children FILE      default data/sample/children.csv\n"
    "  --html FILE          also write the brief as one self-contained HTML page\n"
    "  --title TEXT         default \"Musi Banyuasin\"\n"
    "  --lonely-psu P       as in the other commands (default fail)\n"
    "  --delimiter D  --decimal-comma   how the CSV files are written\n"
    "household columns (defaults in brackets): --year [year] --area [kecamatan]\n"
    "  --income [exp_pc] --weight [weight_person] --strata [stratum] --psu [psu]\n"
    "  --line-col [poverty_line]\n"
    "child columns: --child-area [kecamatan] --child-weight [sw] --child-strata [strata]\n"
    "  --child-psu [cluster] --sex [sex] --age-days [age_days] --weight-kg [weight]\n"
    "  --lenhei-cm [lenhei] --measure [measure] --oedema [oedema]\n";

int cmd_help(const char *topic, FILE *f) {
    if (!topic) return fputs(HELP_MAIN, f), 0;
    if (strcmp(topic, "poverty") == 0)
        fprintf(f, "%s\n%s\n%s", HELP_POVERTY, HELP_DESIGN, HELP_IO);
    else if (strcmp(topic, "inequality") == 0)
        fprintf(f, "%s\n%s\n%s", HELP_INEQUALITY, HELP_DESIGN, HELP_IO);
    else if (strcmp(topic, "growth") == 0)
        fprintf(f, "%s\n%s\n%s", HELP_GROWTH, HELP_GROWTH_COLS, HELP_IO);
    else if (strcmp(topic, "nutrition") == 0)
        fprintf(f, "%s\n%s\n%s", HELP_NUTRITION, HELP_GROWTH_COLS, HELP_IO);
    else if (strcmp(topic, "report") == 0)
        fputs(HELP_REPORT, f);
    else if (strcmp(topic, "help") == 0)
        fputs(HELP_MAIN, f);
    else {
        fprintf(stderr, "socind help: no command \"%s\"\n\n%s", topic, HELP_MAIN);
        return EXIT_USAGE;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(HELP_MAIN, stderr);
        return EXIT_USAGE;
    }
    const char *c = argv[1];
    if (strcmp(c, "--version") == 0 || strcmp(c, "version") == 0) {
        printf("socind %s\n", socind_version());
        return 0;
    }
    if (strcmp(c, "help") == 0 || strcmp(c, "--help") == 0 || strcmp(c, "-h") == 0)
        return cmd_help(argc > 2 ? argv[2] : NULL, stdout);
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return cmd_help(c, stdout);
    if (strcmp(c, "poverty") == 0) return cmd_poverty(argc, argv);
    if (strcmp(c, "inequality") == 0) return cmd_inequality(argc, argv);
    if (strcmp(c, "growth") == 0) return cmd_growth(argc, argv);
    if (strcmp(c, "nutrition") == 0) return cmd_nutrition(argc, argv);
    if (strcmp(c, "report") == 0) return cmd_report(argc, argv);
    fprintf(stderr, "socind: unknown command \"%s\"\n\n%s", c, HELP_MAIN);
    return EXIT_USAGE;
}
