# A domain of one row (the poorest) on the linearized design against a
# relative line (0.6 x the whole sample's median), its quantile, its
# income below the 0.2-quantile and its S80/S20: convey's figures are
# defined, its SEs NA where the domain's income density (no bandwidth)
# enters them. Run: R_LIBS=/opt/rlib Rscript one_row_line.R (from this
# folder; R 4.2.2, survey 4.5, convey 1.0.1). Reads inputs.csv
# (README.md); writes expected_one_row.csv.
suppressMessages({library(survey); library(convey)})
stopifnot(packageVersion("survey") == "4.5", packageVersion("convey") == "1.0.1")
d <- read.csv("inputs.csv")
k <- which.min(d$y)
d$one <- as.integer(seq_len(nrow(d)) == k)
des <- convey_prep(svydesign(ids = ~psu, weights = ~w, data = d))
calls <- list(
    fgt0 = quote(svyby(~y, ~one, des, svyfgt, g = 0, type_thresh = "relq", percent = 0.6,
                       quantiles = 0.5)),
    fgt1 = quote(svyby(~y, ~one, des, svyfgt, g = 1, type_thresh = "relq", percent = 0.6,
                       quantiles = 0.5)),
    arpr = quote(svyby(~y, ~one, des, svyarpr, percent = 0.6, quantiles = 0.5)),
    poormed = quote(svyby(~y, ~one, des, svypoormed, percent = 0.6, quantiles = 0.5)),
    rmpg = quote(svyby(~y, ~one, des, svyrmpg, percent = 0.6, quantiles = 0.5)),
    iqalpha = quote(svyby(~y, ~one, des, svyiqalpha, alpha = 0.5)),
    isq = quote(svyby(~y, ~one, des, svyisq, alpha = 0.2)),
    qsr = quote(svyby(~y, ~one, des, svyqsr)))
out <- do.call(rbind, lapply(names(calls), function(s) {
    r <- suppressWarnings(eval(calls[[s]]))
    data.frame(statistic = s, row = k - 1, estimate = sprintf("%.17g", coef(r)[2]),
               se = sprintf("%.17g", SE(r)[2]), r_call = deparse1(calls[[s]]))
}))
write.csv(out, "expected_one_row.csv", row.names = FALSE)
