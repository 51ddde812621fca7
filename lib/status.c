/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/status.c — status sentences, per-thread detail messages, options,
 * versions. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const messages[SOCIND_STATUS_COUNT] = {
    "success",
    "a required pointer argument is NULL",
    "no observations: n is 0 or no row is usable",
    "a weight is NaN, infinite or negative",
    "every weight is zero",
    "invalid finite population correction",
    "a PSU id occurs in more than one stratum (set nest = 1 if PSU ids are local to strata)",
    ("a stratum has only one PSU (the lonely-PSU policy is 'fail', or 'average' with every "
     "stratum lonely)"),
    "an argument is outside its valid range",
    "out of memory",
    "a group code is outside [-1, n_groups)",
    "the options struct has an unsupported size",
    "a domain has no usable observation",
    "degrees of freedom are not positive: no t-based interval",
    "a data value is invalid for this estimator",
    "a value that must be positive is zero or negative",
    "an unknown categorical code",
    "a value is outside the supported range",
    "a result is not a finite number, or leaves the double range (overflow or underflow)",
    "an output buffer is too small (the size it needs is reported)",
    "the bytes are not a partial state this library reads (damaged, truncated, other version)",
    "partial states of different estimates, passes or designs cannot be combined",
    "an iteration did not converge",
    ("the calibration targets cannot be met (a category without a sampled row, a negative "
     "total, margins that disagree, or a singular X'WX)"),
};

const char *socind_strerror(int32_t status) {
    if (status < 0 || status >= SOCIND_STATUS_COUNT) return "unknown socind status";
    return messages[status];
}

static _Thread_local char detail[512];
static _Thread_local int64_t detail_row = -1;

const char *socind_last_error_detail(void) {
    return detail;
}

int64_t socind_last_error_row(void) {
    return detail_row;
}

void socind__clear_detail(void) {
    detail[0] = '\0';
    detail_row = -1;
}

void socind__detail_save(socind__detail *d) {
    memcpy(d->text, detail, sizeof d->text);
    d->row = detail_row;
}

void socind__detail_restore(const socind__detail *d) {
    memcpy(detail, d->text, sizeof detail);
    detail_row = d->row;
}

int socind__detail_set(void) {
    return detail[0] != '\0' || detail_row != -1;
}

int32_t socind__fail(int32_t status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    detail_row = -1;
    return status;
}

int32_t socind__fail_row(int32_t status, size_t row, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    detail_row = row <= (size_t)INT64_MAX ? (int64_t)row : -1;
    return status;
}

int32_t socind_options_init(socind_options *opts) {
    socind__clear_detail();
    if (!opts) return socind__fail(SOCIND_ERR_NULL, "opts is NULL");
    memset(opts, 0, sizeof *opts);
    opts->size = sizeof *opts;
    opts->level = 0.95;
    opts->ci_dist = SOCIND_CI_T;
    opts->prop_ci = SOCIND_PROP_CI_LOGIT;
    opts->domain_rule = SOCIND_DOMAIN_RULE_AUTO;
    opts->threads = 1;
    return SOCIND_OK;
}

/* The first version of the struct ends after prop_ci; later versions may
 * append fields, which older callers then get as defaults. */
#define OPTIONS_V1_SIZE (offsetof(socind_options, prop_ci) + sizeof(int32_t))

int32_t socind__resolve_options(const socind_options *in, socind_options *out) {
    socind_options_init(out);
    if (!in) return SOCIND_OK;
    int32_t st = socind__check_sized(in, OPTIONS_V1_SIZE, sizeof *in, "socind_options");
    if (st) return st;
    out->level = in->level;
    out->ci_dist = in->ci_dist;
    out->prop_ci = in->prop_ci;
    /* fields after the first version's: read where the caller's size has them */
    if (in->size >= offsetof(socind_options, domain_rule) + sizeof in->domain_rule)
        out->domain_rule = in->domain_rule;
    if (in->size >= offsetof(socind_options, threads) + sizeof in->threads)
        out->threads = in->threads;
    if (!(out->level > 0.0 && out->level < 1.0))
        return socind__fail(SOCIND_ERR_ARG, "options.level must be in (0, 1), got %g", out->level);
    if (out->ci_dist != SOCIND_CI_T && out->ci_dist != SOCIND_CI_NORMAL)
        return socind__fail(SOCIND_ERR_ARG, "options.ci_dist %d is unknown", (int)out->ci_dist);
    if (out->prop_ci < 0 || out->prop_ci >= SOCIND_PROP_CI_COUNT)
        return socind__fail(SOCIND_ERR_ARG, "options.prop_ci %d is unknown", (int)out->prop_ci);
    if (out->domain_rule != SOCIND_DOMAIN_RULE_AUTO &&
        out->domain_rule != SOCIND_DOMAIN_RULE_SUBSET &&
        out->domain_rule != SOCIND_DOMAIN_RULE_FULL)
        return socind__fail(SOCIND_ERR_ARG, "options.domain_rule %d is unknown",
                            (int)out->domain_rule);
    if (out->threads < 0 || out->threads > SOCIND_MAX_THREADS)
        return socind__fail(SOCIND_ERR_ARG, "options.threads must be in 0 .. %d, got %d",
                            SOCIND_MAX_THREADS, (int)out->threads);
    return SOCIND_OK;
}

int32_t socind__check_sized(const void *p, size_t v1, size_t known, const char *type) {
    size_t size;
    memcpy(&size, p, sizeof size);
    if (size < v1 || size > 4096)
        return socind__fail(SOCIND_ERR_OPTIONS, "%s.size is %zu; use %s_init()", type, size, type);
    const unsigned char *b = p;
    for (size_t k = known; k < size; k++)
        if (b[k])
            return socind__fail(SOCIND_ERR_OPTIONS,
                                "%s.size is %zu and byte %zu is set: this library (socind %s) "
                                "knows %zu bytes of it and ignores no setting",
                                type, size, k, SOCIND_VERSION_STRING, known);
    return SOCIND_OK;
}

size_t socind__sized_extent(const void *p, size_t v1, size_t known) {
    size_t size;
    memcpy(&size, p, sizeof size);
    if (size < v1 || size > 4096) return 0;
    return size < known ? size : known;
}

const char *socind_version(void) {
    return SOCIND_VERSION_STRING;
}

int32_t socind_abi_version(void) {
    return SOCIND_ABI_VERSION;
}
