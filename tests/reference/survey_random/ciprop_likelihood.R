# svyciprop(method = "likelihood") by domain on small random designs.
# R 4.2.2, survey 4.5: R_LIBS=/opt/rlib Rscript ciprop_likelihood.R
suppressMessages(library(survey))
options(survey.lonely.psu = "remove")
d <- read.csv("ciprop_likelihood_data.csv")
rows <- list()
for (s in unique(d$set)) {
  ds <- d[d$set == s, ]
  des <- if (all(is.na(ds$fpc)))
    svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = ds$nest[1] == 1, data = ds)
  else svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, nest = ds$nest[1] == 1, data = ds)
  for (j in c(-1, sort(unique(ds$g)))) {
    dd <- if (j < 0) des else subset(des, g == j)
    r <- tryCatch(suppressWarnings(svyciprop(~y, dd, method = "likelihood", na.rm = TRUE)), error = function(e) NULL)
    if (is.null(r)) next
    ci <- attr(r, "ci")
    rows[[length(rows) + 1]] <- data.frame(set = s, g = j, p = coef(svymean(~y, dd, na.rm = TRUE)), se = SE(r),
                                           df = degf(dd), lower = ci[1], upper = ci[2])
  }
}
out <- do.call(rbind, rows)
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
for (k in c("p", "se", "lower", "upper")) out[[k]] <- num(out[[k]])
write.csv(out, "ciprop_likelihood_expected.csv", row.names = FALSE, quote = FALSE)
