# svyfgtdec on a replicate design against a relative line keeps the full
# sample's line in every replicate; svyfgt estimates it again in each.
# Run: R_LIBS=/opt/rlib Rscript fgtdec_line.R (from this folder; R 4.2.2,
# survey 4.5, convey 1.0.1). Reads inputs.csv (see README.md).
suppressMessages({library(survey); library(convey)})
stopifnot(packageVersion("survey") == "4.5", packageVersion("convey") == "1.0.1")
d <- read.csv("inputs.csv")
rd <- convey_prep(as.svrepdesign(svydesign(ids = ~psu, weights = ~w, data = d), type = "JK1"))
b <- svyfgtdec(~y, rd, g = 2, type_thresh = "relq", percent = 0.6, quantiles = 0.5)
a <- svyfgt(~y, rd, g = 0, type_thresh = "relq", percent = 0.6, quantiles = 0.5)
out <- data.frame(statistic = c(paste0("fgtdec_", c("fgt2", "fgt0", "fgt1", "igr", "gei")),
                                "fgt0"),
                  estimate = sprintf("%.17g", c(coef(b), coef(a))),
                  se = sprintf("%.17g", c(SE(b), SE(a))),
                  r_call = c(rep(paste0('svyfgtdec(~y, rd, g = 2, type_thresh = "relq", ',
                                        'percent = 0.6, quantiles = 0.5)'), 5),
                             paste0('svyfgt(~y, rd, g = 0, type_thresh = "relq", ',
                                    'percent = 0.6, quantiles = 0.5)')))
write.csv(out, "expected_fgtdec.csv", row.names = FALSE)
