/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/abi/struct_layout.c — prints, as JSON on stdout, the layout of every
 * public struct of socind as this compiler sees the installed headers: its
 * size and alignment, and each field's name, offset and size in the order
 * declared. A binding's declarations are checked against it (the Python
 * binding's ctypes structures, for one); scripts/abi-check.sh checks that
 * it names every struct and field of the library's ABI (abidw) with the
 * same offsets, so a struct added or changed in a header without a line
 * here fails the test command. Build: cc -std=c11 -I<prefix>/include
 * struct_layout.c (no library needed).
 *
 * {"abi_version": 0, "structs": [
 *   {"name": "socind_estimate", "size": 72, "align": 8,
 *    "fields": [{"name": "value", "offset": 0, "size": 8}, …]}, …]} */
#include <stddef.h>
#include <stdio.h>

#include "socind/socind.h"

static int first_struct = 1, first_field;

static void begin(const char *name, size_t size, size_t align) {
    printf("%s\n  {\"name\": \"%s\", \"size\": %zu, \"align\": %zu, \"fields\": [",
           first_struct ? "" : ",", name, size, align);
    first_struct = 0;
    first_field = 1;
}
static void field(const char *name, size_t offset, size_t size) {
    printf("%s\n    {\"name\": \"%s\", \"offset\": %zu, \"size\": %zu}", first_field ? "" : ",",
           name, offset, size);
    first_field = 0;
}
static void end(void) {
    printf("]}");
}

#define STRUCT(T) begin(#T, sizeof(T), _Alignof(T))
#define FIELD(T, f) field(#f, offsetof(T, f), sizeof(((T *)0)->f))

int main(void) {
    printf("{\"abi_version\": %d, \"structs\": [", SOCIND_ABI_VERSION);

    /* socind/common.h */
    STRUCT(socind_estimate);
    FIELD(socind_estimate, value);
    FIELD(socind_estimate, se);
    FIELD(socind_estimate, ci_low);
    FIELD(socind_estimate, ci_high);
    FIELD(socind_estimate, df);
    FIELD(socind_estimate, weight_sum);
    FIELD(socind_estimate, deff);
    FIELD(socind_estimate, n);
    FIELD(socind_estimate, status);
    FIELD(socind_estimate, replicates_left_out);
    end();

    STRUCT(socind_options);
    FIELD(socind_options, size);
    FIELD(socind_options, level);
    FIELD(socind_options, ci_dist);
    FIELD(socind_options, prop_ci);
    FIELD(socind_options, domain_rule);
    FIELD(socind_options, threads);
    end();

    /* socind/design.h */
    STRUCT(socind_design_options);
    FIELD(socind_design_options, size);
    FIELD(socind_design_options, lonely_psu);
    FIELD(socind_design_options, nest);
    FIELD(socind_design_options, threads);
    end();

    /* socind/calibrate.h */
    STRUCT(socind_calibration);
    FIELD(socind_calibration, size);
    FIELD(socind_calibration, method);
    FIELD(socind_calibration, n_margins);
    FIELD(socind_calibration, codes);
    FIELD(socind_calibration, levels);
    FIELD(socind_calibration, margin_totals);
    FIELD(socind_calibration, n_numeric);
    FIELD(socind_calibration, intercept);
    FIELD(socind_calibration, x);
    FIELD(socind_calibration, x_totals);
    FIELD(socind_calibration, intercept_total);
    FIELD(socind_calibration, lower);
    FIELD(socind_calibration, upper);
    FIELD(socind_calibration, max_iter);
    FIELD(socind_calibration, reserved);
    FIELD(socind_calibration, epsilon);
    end();

    /* socind/replicate.h */
    STRUCT(socind_replicate_options);
    FIELD(socind_replicate_options, size);
    FIELD(socind_replicate_options, type);
    FIELD(socind_replicate_options, mse);
    FIELD(socind_replicate_options, scale);
    FIELD(socind_replicate_options, fay_rho);
    FIELD(socind_replicate_options, degf);
    FIELD(socind_replicate_options, replicates);
    FIELD(socind_replicate_options, reserved);
    FIELD(socind_replicate_options, seed);
    end();

    /* socind/poverty.h */
    STRUCT(socind_poverty_line);
    FIELD(socind_poverty_line, size);
    FIELD(socind_poverty_line, type);
    FIELD(socind_poverty_line, inclusive);
    FIELD(socind_poverty_line, value);
    FIELD(socind_poverty_line, quantile);

    FIELD(socind_poverty_line, lines);
    end();

    /* socind/simulate.h */
    STRUCT(socind_transfer);
    FIELD(socind_transfer, size);
    FIELD(socind_transfer, per);
    FIELD(socind_transfer, n_codes);
    FIELD(socind_transfer, amount);
    FIELD(socind_transfer, household_size);
    FIELD(socind_transfer, code);
    FIELD(socind_transfer, amounts);
    FIELD(socind_transfer, selected);
    FIELD(socind_transfer, cost_unit);
    end();

    /* socind/growth.h */
    STRUCT(socind_growth_input);
    FIELD(socind_growth_input, size);
    FIELD(socind_growth_input, sex);
    FIELD(socind_growth_input, age);
    FIELD(socind_growth_input, age_in_months);
    FIELD(socind_growth_input, reserved);
    FIELD(socind_growth_input, weight);
    FIELD(socind_growth_input, lenhei);
    FIELD(socind_growth_input, measure);
    FIELD(socind_growth_input, oedema);
    FIELD(socind_growth_input, headc);
    FIELD(socind_growth_input, armc);
    FIELD(socind_growth_input, triskin);
    FIELD(socind_growth_input, subskin);
    FIELD(socind_growth_input, threads);
    FIELD(socind_growth_input, reserved2);
    end();

    STRUCT(socind_growth_output);
    FIELD(socind_growth_output, size);
    FIELD(socind_growth_output, clenhei);
    FIELD(socind_growth_output, cmeasure);
    FIELD(socind_growth_output, c9mo_flag);
    FIELD(socind_growth_output, cbmi);
    FIELD(socind_growth_output, zlen);
    FIELD(socind_growth_output, zwei);
    FIELD(socind_growth_output, zwfl);
    FIELD(socind_growth_output, zbmi);
    FIELD(socind_growth_output, zhc);
    FIELD(socind_growth_output, zac);
    FIELD(socind_growth_output, zts);
    FIELD(socind_growth_output, zss);
    FIELD(socind_growth_output, flen);
    FIELD(socind_growth_output, fwei);
    FIELD(socind_growth_output, fwfl);
    FIELD(socind_growth_output, fbmi);
    FIELD(socind_growth_output, fhc);
    FIELD(socind_growth_output, fac);
    FIELD(socind_growth_output, fts);
    FIELD(socind_growth_output, fss);
    FIELD(socind_growth_output, reason);
    end();

    STRUCT(socind_growth_child_input);
    FIELD(socind_growth_child_input, size);
    FIELD(socind_growth_child_input, sex);
    FIELD(socind_growth_child_input, age_in_months);
    FIELD(socind_growth_child_input, age);
    FIELD(socind_growth_child_input, weight);
    FIELD(socind_growth_child_input, lenhei);
    FIELD(socind_growth_child_input, measure);
    FIELD(socind_growth_child_input, oedema);
    FIELD(socind_growth_child_input, headc);
    FIELD(socind_growth_child_input, armc);
    FIELD(socind_growth_child_input, triskin);
    FIELD(socind_growth_child_input, subskin);
    end();

    STRUCT(socind_growth_child_output);
    FIELD(socind_growth_child_output, size);
    FIELD(socind_growth_child_output, z);
    FIELD(socind_growth_child_output, flag);
    FIELD(socind_growth_child_output, reason);
    FIELD(socind_growth_child_output, cmeasure);
    FIELD(socind_growth_child_output, c9mo_flag);
    FIELD(socind_growth_child_output, reserved);
    FIELD(socind_growth_child_output, clenhei);
    FIELD(socind_growth_child_output, cbmi);
    end();

    STRUCT(socind_growth2007_input);
    FIELD(socind_growth2007_input, size);
    FIELD(socind_growth2007_input, sex);
    FIELD(socind_growth2007_input, age_months);
    FIELD(socind_growth2007_input, height_cm);
    FIELD(socind_growth2007_input, weight_kg);
    FIELD(socind_growth2007_input, oedema);
    FIELD(socind_growth2007_input, threads);
    FIELD(socind_growth2007_input, reserved);
    end();

    STRUCT(socind_growth2007_output);
    FIELD(socind_growth2007_output, size);
    FIELD(socind_growth2007_output, cbmi);
    FIELD(socind_growth2007_output, zhfa);
    FIELD(socind_growth2007_output, zwfa);
    FIELD(socind_growth2007_output, zbfa);
    FIELD(socind_growth2007_output, fhfa);
    FIELD(socind_growth2007_output, fwfa);
    FIELD(socind_growth2007_output, fbfa);
    FIELD(socind_growth2007_output, reason);
    end();

    /* socind/nutrition.h */
    STRUCT(socind_prevalence_row);
    FIELD(socind_prevalence_row, size);
    FIELD(socind_prevalence_row, group_kind);
    FIELD(socind_prevalence_row, group_level);
    FIELD(socind_prevalence_row, indicator);
    FIELD(socind_prevalence_row, statistic);
    FIELD(socind_prevalence_row, est);
    FIELD(socind_prevalence_row, stdev);
    FIELD(socind_prevalence_row, pop_weighted);
    FIELD(socind_prevalence_row, pop_unweighted);
    FIELD(socind_prevalence_row, flagged);
    end();

    STRUCT(socind_growth_quality);
    FIELD(socind_growth_quality, size);
    FIELD(socind_growth_quality, n);
    FIELD(socind_growth_quality, missing);
    FIELD(socind_growth_quality, flagged);
    FIELD(socind_growth_quality, sd);
    FIELD(socind_growth_quality, oedema);
    FIELD(socind_growth_quality, sex_missing);
    FIELD(socind_growth_quality, age_missing);
    FIELD(socind_growth_quality, lenhei_heaping);
    FIELD(socind_growth_quality, weight_heaping);
    FIELD(socind_growth_quality, age_heaping);
    end();

    /* socind/state.h */
    STRUCT(socind_state_spec);
    FIELD(socind_state_spec, size);
    FIELD(socind_state_spec, estimator);
    FIELD(socind_state_spec, n_groups);
    FIELD(socind_state_spec, has_strata);
    FIELD(socind_state_spec, has_psu);
    FIELD(socind_state_spec, has_fpc);
    FIELD(socind_state_spec, lonely_psu);
    FIELD(socind_state_spec, nest);
    FIELD(socind_state_spec, nonpositive);
    FIELD(socind_state_spec, line_type);
    FIELD(socind_state_spec, inclusive);
    FIELD(socind_state_spec, line);
    FIELD(socind_state_spec, alpha);
    FIELD(socind_state_spec, p);
    FIELD(socind_state_spec, p2);
    end();

    STRUCT(socind_chunk);
    FIELD(socind_chunk, size);
    FIELD(socind_chunk, n);
    FIELD(socind_chunk, first_row);
    FIELD(socind_chunk, weight);
    FIELD(socind_chunk, strata);
    FIELD(socind_chunk, psu);
    FIELD(socind_chunk, fpc);
    FIELD(socind_chunk, group);
    FIELD(socind_chunk, y);
    FIELD(socind_chunk, y2);
    end();

    /* socind/targeting.h */
    STRUCT(socind_targeting_options);
    FIELD(socind_targeting_options, size);
    FIELD(socind_targeting_options, cgh_share);
    FIELD(socind_targeting_options, n_ranks);
    FIELD(socind_targeting_options, reserved);
    end();

    printf("\n]}\n");
    return 0;
}
