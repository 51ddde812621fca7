# Replicate-design quantiles by domain (survey 4.5): svyby(~y, ~g, rd,
# svyquantile, ...) gives each domain the design rd[g == j, ], whose degf
# [.svyrep.design recomputes as qr(weights(., "analysis"), tol = 1e-5)$rank - 1.
# Run: R_LIBS=/opt/rlib Rscript repquantile_domain.R (from this folder).
suppressMessages(library(survey))
stopifnot(packageVersion("survey") == "4.5")
data <- list(); reps <- list(); out <- list(); more <- list()
sets <- list(list(seed = 101, type = "JKn"), list(seed = 102, type = "JK1"),
             list(seed = 103, type = "bootstrap"), list(seed = 104, type = "JKn"),
             list(seed = 105, type = "JK1"), list(seed = 106, type = "bootstrap"))
for (s in sets) {
  set.seed(s$seed)
  H <- sample(2:4, 1)
  rows <- NULL
  for (h in 1:H) {
    np <- sample(3:6, 1)
    for (p in 1:np) {
      m <- sample(3:12, 1)
      rows <- rbind(rows, data.frame(stratum = h, psu = 10 * h + p,
                                     w = round(runif(m, 1, 20), 2),
                                     y = round(rnorm(m, 50, 30), 2)))
    }
  }
  n <- nrow(rows)
  # domains: 0 and 1 spread over PSUs; 2 in one PSU (df 0 under the
  # jackknives); 3 in the first stratum's PSUs only
  rows$g <- sample(0:1, n, replace = TRUE)
  rows$g[rows$psu == rows$psu[1]] <- 2
  rows$g[rows$stratum == 1 & rows$psu != rows$psu[1]] <- 3
  if (s$seed %% 2 == 0) rows$y[sample(n, 2)] <- NA
  # JK1: one stratum (as.svrepdesign's JK1 takes no strata); domain 3 stays
  # the PSUs drawn for the first stratum
  if (s$type == "JK1") rows$stratum <- 1
  des <- svydesign(ids = ~psu, strata = if (s$type == "JK1") NULL else ~stratum,
                   weights = ~w, data = rows)
  rd <- as.svrepdesign(des, type = s$type, replicates = 20, compress = FALSE)
  f <- as.matrix(weights(rd, "replication"))  # factors (combined.weights FALSE)
  stopifnot(!rd$combined.weights)
  data[[length(data) + 1]] <- cbind(set = s$seed, rows)
  reps[[length(reps) + 1]] <- data.frame(set = s$seed, r = rep(seq_len(ncol(f)), each = n),
                                         k = rep(seq_len(n), ncol(f)),
                                         f = as.vector(f),
                                         rscale = rep(rd$rscales, each = n),
                                         scale = rd$scale)
  for (j in c(-1, 0:3)) {
    dd <- if (j < 0) rd else rd[rows$g == j, ]
    if (sum(!is.na(dd$variables$y)) < 1) next
    q <- svyquantile(~y, dd, quantiles = 0.5, interval.type = "mean",
                     ci = TRUE, se = TRUE, na.rm = TRUE)
    ddn <- dd[!is.na(dd$variables$y), ]
    ci <- confint(q)
    out[[length(out) + 1]] <- data.frame(set = s$seed, g = j,
      value = coef(q), se = SE(q), df = degf(ddn),
      lower = ci[1, 1], upper = ci[1, 2])
    # the replicate quantiles' interval (interval.type = "quantile"): the
    # same df; svyciprop (its methods without svyglm): degf(dd), the
    # domain's rows with y missing kept
    # (a domain left without rows by a replicate stops R's qrule: no row)
    qq <- tryCatch(svyquantile(~y, dd, quantiles = 0.5, interval.type = "quantile",
                               ci = TRUE, se = TRUE, na.rm = TRUE),
                   error = function(e) NULL)
    if (!is.null(qq)) {
      cq <- confint(qq)
      more[[length(more) + 1]] <- data.frame(set = s$seed, g = j, what = "quantile",
        value = coef(qq), se = SE(qq), df = degf(ddn), lower = cq[1, 1], upper = cq[1, 2])
    }
    for (m in c("mean", "xlogit", "beta", "asin")) {
      p <- svyciprop(~I(y > 50), dd, method = m, na.rm = TRUE)
      cp <- confint(p)
      more[[length(more) + 1]] <- data.frame(set = s$seed, g = j, what = m,
        value = as.numeric(coef(p)), se = as.numeric(SE(p)), df = degf(dd),
        lower = cp[1, 1], upper = cp[1, 2])
    }
  }
}
write.csv(do.call(rbind, data), "repquantile_domain_data.csv", row.names = FALSE, na = "NA")
write.csv(do.call(rbind, reps), "repquantile_domain_reps.csv", row.names = FALSE, na = "NA")
write.csv(do.call(rbind, out), "repquantile_domain_expected.csv", row.names = FALSE, na = "NA")
write.csv(do.call(rbind, more), "repdomain_df_expected.csv", row.names = FALSE, na = "NA")
