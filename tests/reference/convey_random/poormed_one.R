# svypoormed and svyrmpg on a replicate design by a domain of one row, a
# poor one: its poor median is defined (the row's income) though its
# income density is not. Run: R_LIBS=/opt/rlib Rscript poormed_one.R (from
# this folder; R 4.2.2, survey 4.5, convey 1.0.1). Reads inputs.csv
# (README.md); writes expected_poormed_one.csv.
suppressMessages({library(survey); library(convey)})
stopifnot(packageVersion("survey") == "4.5", packageVersion("convey") == "1.0.1")
d <- read.csv("inputs.csv")
rd <- convey_prep(as.svrepdesign(svydesign(ids = ~psu, weights = ~w, data = d), type = "JK1"))
k <- which.min(d$y)
d$one <- as.integer(seq_len(nrow(d)) == k)
rd <- update(rd, one = d$one)
pm <- svyby(~y, ~one, rd, svypoormed, quantiles = 0.5, percent = 0.6)
rg <- svyby(~y, ~one, rd, svyrmpg, quantiles = 0.5, percent = 0.6)
# the replicates, from convey's own line (0.6 x computeQuantiles of each
# replicate's weights): the row's income where it is poor and of weight >
# 0, else none; svrVar without those (convey's SE is NA: anyNA)
ww <- weights(rd, "analysis")
line <- apply(ww, 2, function(wi) 0.6 * convey:::computeQuantiles(d$y, wi, 0.5))
poor <- ww[k, ] > 0 & d$y[k] <= line
med <- ifelse(poor, d$y[k], NA)
gap <- (line - med) / line
se <- function(q, est) sqrt(svrVar(q[!is.na(q)], rd$scale, rd$rscales[!is.na(q)],
                                   mse = rd$mse, coef = est))
out <- data.frame(statistic = c("poormed", "rmpg"), row = k - 1,
                  estimate = sprintf("%.17g", c(pm$y[2], rg$y[2])),
                  se_convey = sprintf("%.17g", c(pm$se[2], rg$se[2])),
                  se_kept = sprintf("%.17g", c(se(med, pm$y[2]), se(gap, rg$y[2]))),
                  left_out = sum(is.na(med)),
                  r_call = c("svyby(~y, ~one, rd, svypoormed, quantiles = 0.5, percent = 0.6)",
                             "svyby(~y, ~one, rd, svyrmpg, quantiles = 0.5, percent = 0.6)"))
write.csv(out, "expected_poormed_one.csv", row.names = FALSE)
