# A replicate design one of whose replicates keeps only equal incomes: its
# relative line (0.6 x the median) is defined, its income density is not.
# Run: R_LIBS=/opt/rlib Rscript equal_line.R (from this folder; R 4.2.2,
# survey 4.5, convey 1.0.1).
suppressMessages({library(survey); library(convey)})
stopifnot(packageVersion("survey") == "4.5", packageVersion("convey") == "1.0.1")
d <- data.frame(psu = c(1, 1, 2, 2, 3, 3, 4, 4), w = c(1, 2, 1.5, 1, 2, 1, 1, 3),
                y = c(100, 100, 100, 100, 50, 300, 100, 100), dom = c(0, 1, 0, 1, 0, 1, 1, 0))
write.csv(d, "inputs_equal.csv", row.names = FALSE)
rd <- convey_prep(as.svrepdesign(svydesign(ids = ~psu, weights = ~w, data = d), type = "JK1"))
out <- list()
put <- function(statistic, domain, r, call)
  out[[length(out) + 1]] <<- data.frame(statistic = statistic, domain = domain,
    estimate = sprintf("%.17g", coef(r)), se = sprintf("%.17g", SE(r)), r_call = call)
rel <- 'type_thresh = "relq", percent = 0.6, quantiles = 0.5'
for (g in 0:2) {
  put(paste0("fgt", g), -1, svyfgt(~y, rd, g = g, type_thresh = "relq", percent = 0.6,
                                   quantiles = 0.5), sprintf("svyfgt(~y, rd, g = %d, %s)", g, rel))
  for (j in 0:1)
    put(paste0("fgt", g), j, svyfgt(~y, subset(rd, dom == j), g = g, type_thresh = "relq",
                                    percent = 0.6, quantiles = 0.5),
        sprintf("svyfgt(~y, subset(rd, dom == %d), g = %d, %s)", j, g, rel))
}
put("watts", -1, svywatts(~y, rd, type_thresh = "relq", percent = 0.6, quantiles = 0.5),
    sprintf("svywatts(~y, rd, %s)", rel))
put("arpt", -1, svyarpt(~y, rd, percent = 0.6, quantiles = 0.5),
    "svyarpt(~y, rd, percent = 0.6, quantiles = 0.5)")
write.csv(do.call(rbind, out), "expected_equal.csv", row.names = FALSE)
