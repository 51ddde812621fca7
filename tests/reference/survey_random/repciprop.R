# survey's svyciprop on replicate designs: the logit and likelihood
# intervals take the SE of logit p̂ from the replicates' own fits (svyglm
# refits each replicate: logit p̂_r through svrVar), not the delta method.
# Run: R_LIBS=/opt/rlib Rscript repciprop.R (from this folder; R 4.2.2,
# survey 4.5). Writes repciprop_data.csv, repciprop_factors_<case>.csv
# (each PSU's replicate factors, one column a replicate: the analysis
# weights are w times them) and repciprop_expected.csv (README.md).
suppressMessages(library(survey))
stopifnot(packageVersion("survey") == "4.5")
set.seed(20261208)
H <- 12
d <- data.frame(stratum = rep(1:H, each = 30))
d$psu <- (d$stratum - 1) * 2 + rep(rep(1:2, each = 15), H)
d$w <- round(runif(nrow(d), 50, 150), 1)
d$dom <- sample(1:3, nrow(d), TRUE, prob = c(0.5, 0.35, 0.15))
d$bin <- rbinom(nrow(d), 1, ifelse(d$dom == 3, 0.1, 0.4))
write.csv(d, "repciprop_data.csv", row.names = FALSE)
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)
cases <- list(
  list(name = "jk1", rd = as.svrepdesign(svydesign(ids = ~psu, weights = ~w, data = d), type = "JK1")),
  list(name = "jkn", rd = as.svrepdesign(des, type = "JKn")),
  list(name = "brr", rd = as.svrepdesign(des, type = "BRR")),
  list(name = "fay_mse", rd = as.svrepdesign(des, type = "Fay", fay.rho = 0.3, mse = TRUE)),
  list(name = "bootstrap", rd = as.svrepdesign(des, type = "bootstrap", replicates = 60)))
out <- NULL
f17 <- function(x) sprintf("%.17g", x)
for (cs in cases) {
  rd <- cs$rd
  f <- as.matrix(rd$repweights)
  colnames(f) <- paste0("r", seq_len(ncol(f)))
  fp <- f[!duplicated(d$psu), , drop = FALSE]
  stopifnot(all(fp[match(d$psu, d$psu[!duplicated(d$psu)]), ] == f))
  fp <- cbind(psu = d$psu[!duplicated(d$psu)], apply(fp, 2, f17))
  write.csv(fp, paste0("repciprop_factors_", cs$name, ".csv"), row.names = FALSE, quote = FALSE)
  for (dm in 0:3) {
    sub <- if (dm == 0) rd else subset(rd, dom == dm)
    for (m in c("logit", "likelihood")) {
      r <- svyciprop(~I(bin == 1), sub, method = m)
      ci <- attr(r, "ci")
      out <- rbind(out, data.frame(case = cs$name, type = rd$type, scale = f17(rd$scale),
                                   rscales = paste(f17(rd$rscales), collapse = ";"),
                                   mse = rd$mse, dom = dm, method = m,
                                   p = f17(coef(r)), se = f17(SE(r)), df = degf(sub),
                                   lower = f17(ci[1]), upper = f17(ci[2])))
    }
  }
}
write.csv(out, "repciprop_expected.csv", row.names = FALSE)
