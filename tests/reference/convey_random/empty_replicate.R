# svyjdivdec and svyzenga on a replicate design whose replicate that
# deletes PSU 3 leaves subgroup 2 (svyjdivdec) and the
# domain of PSU 3's rows (svyzenga) no row: convey's figures and
# what svrVar gives with that replicate kept, its empty subgroup adding
# nothing (svyjdivdec) or left out as a replicate without an estimate
# (svyzenga). Run: R_LIBS=/opt/rlib Rscript empty_replicate.R (from this
# folder; R 4.2.2, survey 4.5, convey 1.0.1). Reads inputs.csv (README.md).
suppressMessages({library(survey); library(convey)})
stopifnot(packageVersion("survey") == "4.5", packageVersion("convey") == "1.0.1")
d <- read.csv("inputs.csv")
rd <- convey_prep(as.svrepdesign(svydesign(ids = ~psu, weights = ~w, data = d), type = "JK1"))
ww <- weights(rd, "analysis")
empty <- which(colSums(ww[d$dom == 2, ]) == 0)
stopifnot(length(empty) == 1)
row <- function(statistic, domain, estimate, se, r_call)
    data.frame(statistic = statistic, domain = domain, estimate = sprintf("%.17g", estimate),
               se = sprintf("%.17g", se), r_call = r_call)
out <- NULL

# convey's svyjdivdec: the replicate's between is 0 * log(0/0) = NaN for
# subgroup 2, and svrVar's na.omit drops the replicate from all three
j <- suppressWarnings(svyjdivdec(~y, ~dom, rd))
call <- "svyjdivdec(~y, ~dom, rd)"
out <- rbind(out, row(paste0("jdivdec_", names(coef(j))), -1, coef(j), SE(j), call))
# the same replicates with the empty subgroup's between term 0: total's
# replicates are svyjdiv's (which drops none), within = total - between
t <- svyjdiv(~y, rd, return.replicates = TRUE)
ind <- sapply(sort(unique(d$dom)), function(g) d$dom == g)
between <- apply(ww, 2, function(wi) {
    ybar <- weighted.mean(d$y, wi)
    yg <- colSums(wi * d$y * ind) / colSums(wi * ind)
    p <- colSums(wi * ind) / sum(wi)
    sum((p * (yg / ybar - 1) * log(yg / ybar))[p > 0])
})
q <- cbind(t$replicates, t$replicates - between, between)
stopifnot(!anyNA(q))
v <- svrVar(q, rd$scale, rd$rscales, mse = rd$mse, coef = coef(j))
out <- rbind(out, row(paste0("jdivdec_kept_", names(coef(j))), -1, coef(j), sqrt(diag(v)),
                      paste0("svrVar of svyjdiv's replicates and the between of ", call,
                             " with an empty subgroup's term 0 (below)")))
out <- rbind(out, row("jdiv", -1, coef(t), SE(t), "svyjdiv(~y, rd)"))

# convey's svyzenga on the rows of one PSU (the domain psu == g): with no
# row left, CalcZenga's empty sum gives 1 and the replicate counts
for (g in sort(unique(d$psu))) {
    z <- svyzenga(~y, rd[d$psu == g, ], return.replicates = TRUE)
    call <- sprintf("svyzenga(~y, rd[d$psu == %d, ])", g)
    out <- rbind(out, row("zenga", g, coef(z), SE(z), call))
    keep <- colSums(ww[d$psu == g, , drop = FALSE]) > 0
    v <- svrVar(z$replicates[keep], rd$scale, rd$rscales[keep], mse = rd$mse, coef = coef(z))
    out <- rbind(out, row("zenga_kept", g, coef(z), sqrt(v),
                          paste0("svrVar of ", call, "'s replicates without those of no row")))
}
write.csv(out, "expected_empty.csv", row.names = FALSE)
