/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/main.c — the `socind` command: subcommands, help, version. */
#include "cli.h"
#include "suggest.h"

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
    "  gic          growth incidence curve between two rounds (BASE_FILE COMPARE_FILE)\n"
    "  change       why poverty changed between two rounds (growth, redistribution, sectors)\n"
    "  targeting    is assistance reaching the poor: coverage, leakage, benefit shares\n"
    "  simulate     what a transfer would do: poverty, Gini, cost, with paired SEs\n"
    "  help [COMMAND]   this text, or a command's options\n"
    "\n"
    "socind --version prints the version.\n"
    "\n"
    "FILE is CSV (comma, semicolon or tab separated; quoted fields; UTF-8 BOM;\n"
    "empty cells, NA, NaN and . are missing), Stata .dta, or SPSS .sav/.zsav;\n"
    "\"-\" reads standard input (CSV, or a Stata 117+ or SPSS file redirected\n"
    "from a file; messages call it /dev/stdin).\n"
    "Output is a tidy CSV table (or JSON with --format json), one row per estimate:\n"
    "  indicator,parameter,group,estimate,se,ci_low,ci_high,df,n,weight_sum\n"
    "\n"
    "Nothing is read silently: an option that takes one value may be given once\n"
    "(--subset, --where, --by and --keep may repeat); a number that --decimal-comma could\n"
    "read two ways is refused; every command says on stderr how many rows each\n"
    "column's missing values took out; invalid codes stop the run naming the lines\n"
    "(--invalid-codes missing to take them as missing); library errors name the\n"
    "file's line and the flag to change. An empty cell is a figure that cannot be\n"
    "given: every estimate without one is named on stderr with the reason.\n"
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
    "  --prop-ci logit|wald|likelihood|asin|beta|mean|xlogit\n"
    "                       interval of proportions (default logit; the methods of R's\n"
    "                       svyciprop, beta = Korn–Graubard; wald = mean)\n"
    "  --domain-rule R      which strata a domain's variance counts under --lonely-psu\n"
    "                       adjust or average: auto (default: each indicator as its R\n"
    "                       function; fgt*, watts, their decompositions, sen and sst\n"
    "                       full, the others subset; rich, poormed and rmpg count\n"
    "                       every stratum either way), subset (the strata with a row\n"
    "                       of the domain, R's svyby) or full (every stratum, zeros\n"
    "                       outside the domain, convey's svyfgt)\n"
    "  --poststratify FILE  calibrate the weights to cell totals (R's postStratify):\n"
    "                       FILE's columns are the grouping columns, then total\n"
    "  --rake FILE          rake to margins (R's rake, iterative proportional fitting):\n"
    "                       columns variable,level,total\n"
    "  --calibrate FILE     calibrate (R's calibrate) to FILE's term,total rows, a term\n"
    "                       (Intercept), COL:LEVEL (a category) or COL (a numeric\n"
    "                       column's total), with --cal-method linear|raking|logit\n"
    "                       [--cal-bounds L,U] (logit's bounds on g, L < 1 < U)\n"
    "                       SEs then use the calibration's residuals, as R's survey\n"
    "  --calibrated-weights FILE  write the calibrated weights (row,weight,\n"
    "                       calibrated_weight)\n"
    "replicate weights (the SEs from the replicates, R's svrepdesign; df = the\n"
    "replicate weights' rank - 1):\n"
    "  --repweights PREFIX  every column whose name starts with PREFIX, in file\n"
    "                       order, is a replicate weight\n"
    "  --rep-factors FILE   a CSV: a key column, then one column of replicate factors\n"
    "                       per replicate (a factor multiplies the row's --weight)\n"
    "  --rep-key COL        the data column the factor file's keys match (e.g. psu)\n"
    "  --rep-type T         jk1, jkn, brr, fay, bootstrap, subbootstrap or other\n"
    "                       (default other): sets the default scale\n"
    "  --rep-scale S        the variance's scale; --rep-rscales FILE: one column\n"
    "                       rscale, a row per replicate; --fay-rho R (fay); --mse:\n"
    "                       squares about the full-sample estimate\n"
    "  --rep-make T         made from --strata/--psu: jk1, jkn, brr, fay (strata of\n"
    "                       exactly 2 PSUs), bootstrap, subbootstrap (--replicates R,\n"
    "                       default 50; --seed S)\n";

static const char HELP_IO[] =
    "input and output:\n"
    "  --delimiter D        comma, semicolon or tab (default: detected from the header)\n"
    "  --decimal-comma      numbers written as 1.234,5 (spreadsheets set to Indonesian);\n"
    "                       number options then too, and one that reads two ways\n"
    "                       (--line 545.000: 545000 or 545?) is refused; 0.125 and\n"
    "                       012.345 are no thousands; the delimiter must not be a comma\n"
    "  --na-values LIST     the spellings of a missing value, comma-separated; they\n"
    "                       replace the defaults (empty, NA, NaN, .); an empty entry\n"
    "                       means an empty cell: --na-values ,NA,-99\n"
    "  --encoding E         utf-8 (default; invalid bytes are refused) or windows-1252\n"
    "  --subset COL=VALUE   only the rows with this value, e.g. year=2024: one survey\n"
    "                       round of a file (for domains of one sample use --by, which\n"
    "                       keeps the whole design); repeated, every condition holds\n"
    "  --where COND         poverty, inequality, nutrition: estimate over the rows\n"
    "                       meeting COND and keep the whole design (R's subset() of a\n"
    "                       design): COL=V, COL!=V (text, as --subset), COL<V, COL<=V,\n"
    "                       COL>V, COL>=V (numbers), e.g. --where earnings>0; repeated,\n"
    "                       every condition holds; a row whose COL is missing meets\n"
    "                       none. Unlike --subset, the rows outside still count in\n"
    "                       the variance (their PSUs and strata)\n"
    "  --format csv|json    output format (default csv)\n"
    "  --output FILE        write to FILE (replaced only when complete, keeping its\n"
    "                       mode; a link's target is written; a device or FIFO is\n"
    "                       written directly; never an input file or a file without\n"
    "                       write permission; checked before the input is read;\n"
    "                       default, or \"-\": standard output)\n"
    "\n"
    "missing values: each column's count goes to stderr, e.g.\n"
    "  socind poverty: 12 rows have no value in column \"exp_pc\" (--income); they are\n"
    "  left out of every estimate\n"
    "(a --by column: left out of that breakdown's rows, kept in \"all\"). A missing\n"
    "weight, stratum, PSU or fpc is an error naming the line (nutrition: WHO's rules).\n";

static const char HELP_POVERTY[] =
    "usage: socind poverty FILE --income COL LINE [options]\n"
    "\n"
    "LINE (not needed when --indicators lists only poormed, rmpg and rich) is one of\n"
    "  --line X             an absolute line (same currency and period as the income)\n"
    "  --line-col COL       a line per row (e.g. by province and urban/rural)\n"
    "  --relative F:median  F times the estimated median (e.g. 0.6:median), its\n"
    "  --relative F:mean    estimation error included in every SE (as R's convey)\n"
    "  --inclusive          poor means income <= line (convey's rule); the default is\n"
    "                       income < line (BPS, the World Bank)\n"
    "\n"
    "  --indicators LIST    comma-separated (default fgt0,fgt1,fgt2); a parameter\n"
    "                       takes a decimal point (fgt:1.5), also with --decimal-comma:\n"
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
    "      sen              Sen index P0*(I + (1 - I)*G_p): rows sen:index,\n"
    "                       :headcount (P0), :gap (I, mean gap ratio of the poor),\n"
    "                       :gini_poor (G_p, Gini of the poor's incomes)\n"
    "      sst              Sen-Shorrocks-Thon index P0*I*(1 + G_g): rows sst:index,\n"
    "                       :headcount, :gap, :gini_gaps (Gini of everyone's poverty\n"
    "                       gaps); sen and sst take --line or --line-col only\n"
    "      rich:TYPE:G      richness above a threshold (R's convey svyrich): TYPE Cha\n"
    "                       (1 - (t/y)^G, G > 0), FGTT1 ((1 - t/y)^G, 0 <= G <= 1) or\n"
    "                       FGTT2 ((y/t - 1)^G, G > 1); rich means income > t; the\n"
    "                       threshold t is --rich-line or --rich-relative, or the\n"
    "                       indicator's own: rich:TYPE:G:LINE (e.g. rich:Cha:1:1560000)\n"
    "      poormed          median income of the poor (convey's svypoormed)\n"
    "      rmpg             relative median poverty gap (z - poormed)/z (svyrmpg)\n"
    "                       both always against convey's own line z = 0.6 times the\n"
    "                       whole sample's median, poor: income <= z; a LINE given\n"
    "                       serves the other indicators (a note says so), and is\n"
    "                       refused when no other indicator uses it\n"
    "  --rich-line V        the richness threshold (same currency as the income)\n"
    "  --rich-relative F:median|F:mean   F times the estimated median or mean (e.g.\n"
    "                       1.5:median, convey's default), its error in every SE;\n"
    "                       with only rich indicators no poverty LINE is needed\n"
    "  --by COL             a breakdown (rows \"COL: value\"); may be repeated\n"
    "  --decompose-by COL   the additive profile of each FGT indicator by COL: rows\n"
    "                       profile:IND:share, :fgt, :contribution, :contribution_share\n"
    "  --nonpositive error|exclude   incomes <= 0 in Watts (default error)\n"
    "  --threads N          threads for a streamed run (default: every core; 1: no\n"
    "                       extra thread); the figures are the same for any N\n"
    "\n"
    "streaming: fgt0 fgt1 fgt2 fgt:A poor watts gap shortfall fgtdec:A wattsdec\n"
    "line sen sst poormed rmpg, overall and --by (and FGT's --decompose-by profile\n"
    "against --line or --line-col), are computed from partial states while the\n"
    "file (CSV, .dta, .sav) is read in chunks of 2^20 rows: memory holds a few\n"
    "chunks and the states (a cell per PSU and group), not the file. Estimates\n"
    "against --relative, sen, sst, poormed and rmpg read the file once a pass of\n"
    "their states (--relative: 2 or 3, poormed and rmpg: 5).\n"
    "--subset and --where stream on CSV files. rich, a --relative line's profile,\n"
    "standard input and a design without --psu read the file into memory (one\n"
    "thread).\n"
    "\n"
    "example:\n"
    "  socind poverty households.csv --subset year=2024 --income exp_pc \\\n"
    "      --weight weight_person --strata stratum --psu psu --line 545000 \\\n"
    "      --indicators fgt0,poor,fgt1,fgt2 --by kecamatan\n";

static const char HELP_INEQUALITY[] =
    "usage: socind inequality FILE --income COL [options]\n"
    "\n"
    "  --indicators LIST    comma-separated (default gini); a parameter takes a\n"
    "                       decimal point (quantile:0.5), also under --decimal-comma:\n"
    "      mean total population median quantile:P gini ge:T theil mld atkinson:E\n"
    "      qsr (S80/S20) palma (S90/S40) share_ratio:A1:A2 lorenz:P\n"
    "      gpg              gender pay gap 1 - mean(women)/mean(men) of --income (R's\n"
    "                       convey svygpg); needs --sex; among earners: leave the\n"
    "                       others' income empty (or restrict the rows)\n"
    "      rich:TYPE:G[:LINE]   richness above a threshold, as in socind poverty\n"
    "                       (--rich-line V or --rich-relative F:median|F:mean)\n"
    "      iqalpha:A        the A-quantile with convey's linearized (density) SE\n"
    "                       (svyiqalpha; quantile:P has Woodruff's interval)\n"
    "      isq:A isq_upper:A   the TOTAL income at or below the A-quantile, or\n"
    "                       above it (convey's svyisq; a total, not a share)\n"
    "      rmir             relative median income ratio: median income of persons\n"
    "                       aged >= --age-limit over the median of the younger\n"
    "                       (svyrmir); rows rmir, rmir:med_old, rmir:med_young\n"
    "      gedec:T          GE(T) within/between COL of --decompose-by: rows\n"
    "                       gedec:T:total, :within, :between; rows without a COL\n"
    "                       value are left out of all three (ge:T keeps them, so\n"
    "                       gedec:T's total can differ from ge:T)\n"
    "      jdiv             J-divergence (MLD + Theil)\n"
    "      jdivdec          J-divergence within/between COL of --decompose-by: rows\n"
    "                       jdivdec:total, :within, :between (rows without a COL\n"
    "                       value left out, as gedec's)\n"
    "      zenga            Zenga index (incomes >= 0)\n"
    "  --by COL             a breakdown (rows \"COL: value\"); may be repeated\n"
    "  --decompose-by COL   the subgroups of gedec and jdivdec\n"
    "  --sex COL            gpg's sex column: 1/m/M male, 2/f/F female (--sex-codes\n"
    "                       L=1,P=2 to map others; --invalid-codes missing)\n"
    "  --nonpositive error|exclude   incomes <= 0 in GE, Atkinson and J-divergence,\n"
    "                       incomes < 0 in Zenga (default error)\n"
    "  --age COL            the persons' ages (rmir; a missing age leaves the row out)\n"
    "  --age-limit A        rmir's split: old means age >= A (default 65)\n"
    "  --rich-line V  --rich-relative F:median|F:mean   rich's threshold\n"
    "  --sex-codes V=C,...  --invalid-codes error|missing   gpg's sex codes\n"
    "  --threads N          threads for a streamed run (default: every core; 1: no\n"
    "                       extra thread); the figures are the same for any N\n"
    "\n"
    "streaming: mean total population ge:T theil mld atkinson:E median quantile:P\n"
    "gini qsr palma share_ratio lorenz, overall and --by, and gedec:T with\n"
    "--decompose-by, are computed from partial states while the file is read in\n"
    "chunks, as in socind poverty (the rank-based ones read it once a pass of their\n"
    "states); the others (jdiv, zenga, iqalpha, isq, rmir, rich, gpg ...) read the\n"
    "file into memory (one thread).\n"
    "\n"
    "example:\n"
    "  socind inequality households.csv --subset year=2024 --income exp_pc \\\n"
    "      --weight weight_person --strata stratum --psu psu \\\n"
    "      --indicators gini,theil,qsr,palma,median\n";

static const char HELP_GROWTH_COLS[] =
    "growth columns (units in the option names):\n"
    "  --sex COL            1/m/M male, 2/f/F female (WHO anthro's codes)\n"
    "  --age-days COL | --age-months COL   (ages of at most 60 given as days while\n"
    "                       the children measure as older ones are refused as months)\n"
    "  --weight-kg COL  --lenhei-cm COL  --measure COL (l lying, h standing)\n"
    "  --oedema COL         n/N/2 no, y/Y/1 yes\n"
    "  --headc-cm COL  --armc-cm COL  --triskin-mm COL  --subskin-mm COL\n"
    "  --reference who2006|who2007   0-5 years (default) or 5-19 years (height,\n"
    "                       weight and oedema; age converted to months as days/30.4375)\n"
    "codes:\n"
    "  --sex-codes V=C,...  the file's values as WHO's codes, e.g. L=1,P=2 (laki-laki,\n"
    "                       perempuan); a code must be one WHO's anthro accepts\n"
    "  --measure-codes V=C,...   e.g. B=l,D=h (berbaring, berdiri)\n"
    "  --oedema-codes V=C,...    e.g. tidak=n,ya=y\n"
    "  --invalid-codes error|missing   a value that is no accepted code stops the run\n"
    "                       naming every such line, up to 20 per column (default,\n"
    "                       as WHO's anthro stops), or is taken as missing with a\n"
    "                       count on stderr\n";

static const char HELP_GROWTH[] =
    "usage: socind growth FILE --sex COL (--age-days COL | --age-months COL) [columns]\n"
    "\n"
    "One row per child: the id (--id COL, else the child's data record in the\n"
    "file: 1 for the first row after the header, whatever --subset keeps), the\n"
    "--keep columns, then each z-score and flag as WHO's software names them\n"
    "(2006: zlen flen zwei fwei zwfl fwfl zbmi fbmi zhc fhc zac fac zts fts zss fss;\n"
    "2007: zhfa fhfa zwfa fwfa zbfa fbfa), empty where not computed, and reason:\n"
    "why, in words (\"sex missing; age beyond the reference\", \"negative\n"
    "measurement\", a code taken as missing ...).\n"
    "  --keep COL,...       input columns carried into the output after the id (may\n"
    "                       be repeated)\n"
    "  --rounding who|none  who (default): z rounded as WHO's software and flags on\n"
    "                       the rounded z; none: full precision\n";

static const char HELP_NUTRITION[] =
    "usage: socind nutrition FILE --sex COL (--age-days COL | --age-months COL) [columns]\n"
    "\n"
    "WHO's prevalence table (anthro_prevalence / anthroplus_prevalence): rows\n"
    "indicator = WHO's stem (HA_3 HA_2 HA_1 HA1 HA2 HA3 and the same for WA, BMI,\n"
    "WH; HA_2_WH_2, HA_2_WH2; HA = mean z-score, HA_sd its SD, without a standard\n"
    "error or interval), group = All,\n"
    "\"Age group: 00-05 mo\", \"Sex: Female\", \"Age + sex: 00-05 mo.Female\" ... and\n"
    "\"COL: value\" for each --by. Stunting is HA_2, wasting WH_2, underweight WA_2,\n"
    "overweight WH2. n and weight_sum are the children counted (anthro's _unwpop,\n"
    "_pop).\n"
    "\n"
    "anthro_prevalence's rules, with its warnings on stderr in its words: rows older\n"
    "than 1826 days are excluded (2007: anthroplus's age NA or outside 60-228\n"
    "months), then rows without a cluster or stratum (when --psu/--strata are\n"
    "given), and a missing sampling weight becomes 0 (the row stays in the design\n"
    "but counts nowhere).\n"
    "  --weight COL  --strata COL  --psu COL   sampling weight, strata, clusters\n"
    "                       (lonely PSUs adjusted, as anthro); --level L;\n"
    "                       --domain-rule R as in the other commands (auto: subset)\n"
    "  --poststratify FILE  --rake FILE  --calibrate FILE --cal-method M\n"
    "                       the weights calibrated as in the other commands, over\n"
    "                       the children kept after the rules above (the table\n"
    "                       runs in memory, on one thread)\n"
    "  --by COL             a breakdown; may be repeated\n"
    "  --indicators LIST    only these stems\n"
    "  --percent            prevalences in percent (default: proportions 0-1)\n"
    "  --threads N          threads for the prevalence table (default: every core;\n"
    "                       1: no extra thread); the file is read into memory\n"
    "\n"
    "example:\n"
    "  socind nutrition children.csv --sex sex --age-days age_days --weight-kg weight \\\n"
    "      --lenhei-cm lenhei --measure measure --oedema oedema --weight sw \\\n"
    "      --strata strata --psu cluster --by kecamatan --indicators HA_2,WH_2,WA_2,WH2\n";

static const char HELP_REPORT[] =
    "usage: socind report [options]\n"
    "\n"
    "The regency brief as Markdown on stdout: key messages (levels, change and its\n"
    "significance, the three sub-districts most in need); per survey round the\n"
    "poverty rate, number of poor, extreme poverty at $2.15 a day (2017 PPP), P1, P2\n"
    "and Gini with 95% CIs and RSE, and the change between the two latest rounds;\n"
    "both rates by sub-district; stunting, wasting, underweight and overweight\n"
    "overall, by sub-district and by age group; data quality; definitions. RSE above\n"
    "25% is marked, above 50% not shown (BPS); proportions have the Korn-Graubard\n"
    "interval.\n"
    "  --households FILE    default data/sample/households.csv (else the installed sample)\n"
    "  --children FILE      default data/sample/children.csv\n"
    "                       (\"-\" for one of them reads standard input)\n"
    "  --html FILE          also write the brief as one self-contained HTML page\n"
    "  --lang L             id (Bahasa Indonesia, default) or en (English)\n"
    "  --title TEXT         the area's name in the heading (default \"Musi Banyuasin\"\n"
    "                       when both files are the bundled sample, else \"Wilayah\n"
    "                       survei\" / \"Survey area\" with --lang en)\n"
    "  --ppp-daily X        the international line in dollars a day (default 2.15)\n"
    "  --ppp-factor X       rupiah per international dollar, 2017 PPP, private\n"
    "                       consumption (default 4549.6, World Bank WDI PA.NUS.PRVT.PP)\n"
    "  --cpi X | --cpi ROUND=X,...  the CPI of each round (defaults 2023=118.9,\n"
    "                       2024=121.6, 2017 = 100; other rounds need it)\n"
    "  --cpi-base X         the CPI of 2017 on the same base (default 100; needs --cpi)\n"
    "  --compare FILE       a household file of an earlier round (the same columns; its\n"
    "                       last round): the growth incidence curve from it to the\n"
    "                       latest round, in real terms, as one more chart (socind gic)\n"
    "  --compare-cpi X      that round's CPI, when the brief knows none for it\n"
    "  --lonely-psu P       as in the other commands (default fail)\n"
    "  --nest               the households' PSU ids restart in each stratum (as in the\n"
    "                       other commands; the children's clusters are nested in\n"
    "                       their strata, as WHO's anthro nests them)\n"
    "  --delimiter D  --decimal-comma  --na-values LIST  --encoding E\n"
    "                       how the files are written (as in the other commands)\n"
    "  --sex-codes  --measure-codes  --oedema-codes  --invalid-codes\n"
    "                       as in socind growth\n"
    "household columns (defaults in brackets): --year [year] --area [kecamatan]\n"
    "  --income [exp_pc] --weight [weight_person] --strata [stratum] --psu [psu]\n"
    "  --line-col [poverty_line]\n"
    "  (no year column: one survey round)\n"
    "child columns: --child-area [kecamatan] --child-weight [sw] --child-strata [strata]\n"
    "  --child-psu [cluster] --sex [sex] --age-days [age_days] | --age-months COL\n"
    "  --weight-kg [weight] --lenhei-cm [lenhei] --measure [measure] --oedema [oedema]\n"
    "  --child-year [year] (no oedema column: every child without oedema; children of\n"
    "  several rounds: the latest round's)\n"
    "The prevalences follow anthro_prevalence's exclusions and warnings (see socind\n"
    "help nutrition). More than 5% flagged z-scores for an indicator gives a warning\n"
    "on stderr and at the top of the brief.\n";

static const char HELP_GIC[] =
    "usage: socind gic BASE_FILE COMPARE_FILE --income COL LINE [options]\n"
    "\n"
    "The growth incidence curve (Ravallion & Chen 2003) between two survey rounds,\n"
    "independent samples: g(p) = Q2(p)/(r*Q1(p)) - 1 for each percentile p, Q the\n"
    "round's weighted quantile of --income (quantile:P's), r the price ratio. Each\n"
    "file is read with the same input, --subset and design options; the SEs add\n"
    "the two rounds' linearized variances (df = df1 + df2; symmetric intervals).\n"
    "The same file twice needs --base-subset and --compare-subset, not the same\n"
    "ones (the files and the subsets as written are compared, not the rows they\n"
    "select); (stratum, PSU) ids found in both rounds are counted in a warning on\n"
    "stderr: the SEs assume independent samples (ids numbered anew within each\n"
    "stratum in each round always meet: the warning speaks of ids unique to a PSU).\n"
    "\n"
    "  --income COL         per-capita income or consumption (both files)\n"
    "  --price-ratio R      CPI of the compare round / CPI of the base round\n"
    "                       (default 1): compare incomes / R are in base prices\n"
    "  --percentiles LIST   fractions, comma-separated, each once (default\n"
    "                       0.01,...,0.99; at most 999)\n"
    "  --by COL             domains (rows \"COL: value\"), the column in both files;\n"
    "                       may be repeated\n"
    "  --base-subset COL=V  --compare-subset COL=V   a --subset for one file only\n"
    "                       (both rounds in one file: give it twice)\n"
    "  LINE: --line X | --line-col COL | --relative F:median|F:mean   the base\n"
    "                       round's poverty line, as in socind poverty (--inclusive);\n"
    "                       its headcount H1 marks the poor\n"
    "rows: gic (one per percentile), then mean_growth (mu2/(r*mu1) - 1),\n"
    "mean_poor_growth (the mean income of the poorest H1 of each round),\n"
    "pro_poor_growth (Ravallion-Chen: the mean of g(p) over p = 0.01 .. p <= H1;\n"
    "empty when H1 < 1%) and headcount (H1).\n"
    "\n"
    "example:\n"
    "  socind gic households.csv households.csv --base-subset year=2023 \\\n"
    "      --compare-subset year=2024 --income exp_pc --weight weight_person \\\n"
    "      --strata stratum --psu psu --price-ratio 1.03 --line 545000\n";

static const char HELP_SIMULATE[] =
    "usage: socind simulate FILE --income COL LINE TRANSFER [options]\n"
    "\n"
    "What a transfer would do: each selected row's per-capita income y becomes\n"
    "y + t (t the amount per person, or per household divided by its size), and\n"
    "FGT(alpha), the Gini and the number of poor are estimated before and after,\n"
    "with the change as a paired difference on the same sample (its SE from the\n"
    "design, not two independent samples), the cost sum(w*t), and poverty\n"
    "reduction and people lifted out of poverty per billion of the currency.\n"
    "Rows are persons, or households weighted by persons (weight = household\n"
    "weight x size): sum(w*t) is the programme's cost either way.\n"
    "\n"
    "  --income COL         per-capita income (or consumption)\n"
    "LINE, held fixed (the transfer does not move it):\n"
    "  --line X | --line-col COL   an absolute line, or one per row\n"
    "  --relative F:median | F:mean   F times the baseline income's median or\n"
    "                       mean, estimated once and held fixed for the incomes\n"
    "                       after the transfer; its estimation error is in every SE\n"
    "  --inclusive          poor means income <= line\n"
    "TRANSFER:\n"
    "  --amount X           the amount (currency and period of the income); a\n"
    "                       negative one is a levy: the reductions and \"lifted\"\n"
    "                       then come out negative (more poverty), FGT(1) may pass 1\n"
    "  --amount-by COL --amounts G=V,G=V   the amount of the row's COL group; a\n"
    "                       group not listed gets nothing\n"
    "  --per person|household   per person (default), or per household: shared\n"
    "                       by --household-size COL persons (a selected row without\n"
    "                       a size stops the run, naming its line)\n"
    "  --select COND        the rows that get it, --where's syntax (COL=V, COL!=V,\n"
    "                       COL<V, COL<=V, COL>V, COL>=V), e.g. --select decile=1,\n"
    "                       --select recipient=1; repeated, every condition holds; a\n"
    "                       row whose COL is missing is not selected. Default: every row\n"
    "  --select-poorest P   and income <= the weighted P-quantile of the baseline\n"
    "                       income (0.1: the poorest decile) over the rows --where\n"
    "                       keeps, computed once and then a fixed rule (its own\n"
    "                       sampling error is not in the SEs)\n"
    "  --alpha LIST         FGT parameters (default 0,1,2; at most 6)\n"
    "  --cost-unit X        the unit of the per-cost figures (default 1e9: per billion)\n"
    "  --by COL  --where COND   domains, as in socind poverty\n"
    "output rows (indicator,parameter): fgtA before|after|change, fgtA_reduction\n"
    "per_billion (-change/(cost/1e9)), gini before|after|change, poor\n"
    "before|after|change (persons), cost total, lifted per_billion.\n";

static const char *const COMMANDS[] = {"poverty", "inequality", "growth",    "nutrition",
                                       "report",  "change",     "targeting", "simulate",
                                       "gic",     "help",       "version"};

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
    else if (strcmp(topic, "change") == 0)
        fprintf(f, "%s\n%s\n%s", HELP_CHANGE, HELP_DESIGN, HELP_IO);
    else if (strcmp(topic, "targeting") == 0)
        fprintf(f, "%s\n%s\n%s", HELP_TARGETING, HELP_DESIGN, HELP_IO);
    else if (strcmp(topic, "simulate") == 0)
        fprintf(f, "%s\n%s\n%s", HELP_SIMULATE, HELP_DESIGN, HELP_IO);
    else if (strcmp(topic, "help") == 0)
        fputs(HELP_MAIN, f);
    else if (strcmp(topic, "gic") == 0)
        fprintf(f, "%s\n%s\n%s", HELP_GIC, HELP_DESIGN, HELP_IO);
    else {
        char msg[200];
        snprintf(msg, sizeof msg, "no command \"%.60s\"", topic);
        suggest_append(msg, sizeof msg, topic, COMMANDS, sizeof COMMANDS / sizeof *COMMANDS, "", 1);
        fprintf(stderr, "socind help: %s\n\n%s", msg, HELP_MAIN);
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
    if (strcmp(c, "gic") == 0) return cmd_gic(argc, argv);
    if (strcmp(c, "change") == 0) return cmd_change(argc, argv);
    if (strcmp(c, "targeting") == 0) return cmd_targeting(argc, argv);
    if (strcmp(c, "simulate") == 0) return cmd_simulate(argc, argv);
    char msg[200];
    snprintf(msg, sizeof msg, "unknown command \"%.60s\"", c);
    suggest_append(msg, sizeof msg, c[0] == '-' ? c + strspn(c, "-") : c, COMMANDS,
                   sizeof COMMANDS / sizeof *COMMANDS, "", 1);
    fprintf(stderr, "socind: %s\n\n%s", msg, HELP_MAIN);
    return EXIT_USAGE;
}
