# survey's rake with a stopping rule that leaves the raking short of full
# convergence: its default control (epsilon = 1, maxit = 10) and a relative
# epsilon = 1e-6, on two and three margins. Run: R_LIBS=/opt/rlib Rscript
# rake_control.R (from this folder; R 4.2.2, survey 4.5). Writes
# rake_control_data.csv, rake_control_weights.csv and
# rake_control_expected.csv (README.md).
suppressMessages(library(survey))
stopifnot(packageVersion("survey") == "4.5")
set.seed(20261207)
n <- 330
d <- data.frame(stratum = rep(1:3, each = 110))
d$psu <- (d$stratum - 1) * 8 + sample(1:8, n, TRUE)
d$w <- round(runif(n, 40, 160), 2)
d$sex <- sample(1:2, n, TRUE)
d$age <- sample(1:3, n, TRUE)
d$reg <- sample(1:4, n, TRUE)
d$y <- round(rlnorm(n, 8.5, 0.6), 2)
write.csv(d, "rake_control_data.csv", row.names = FALSE)
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)
pop <- list(sex = data.frame(sex = 1:2, Freq = c(13500, 15000)),
            age = data.frame(age = 1:3, Freq = c(10000, 9000, 9500)),
            reg = data.frame(reg = 1:4, Freq = c(7500, 7000, 7000, 7000)))
cases <- list(list(name = "three_default", margins = c("sex", "age", "reg"), control = NULL),
              list(name = "two_default", margins = c("sex", "age"), control = NULL),
              list(name = "three_1e-6", margins = c("sex", "age", "reg"),
                   control = list(epsilon = 1e-6, maxit = 10)))
wout <- data.frame(row = seq_len(n))
out <- NULL
for (cs in cases) {
    sm <- lapply(cs$margins, function(v) as.formula(paste0("~", v)))
    r <- if (is.null(cs$control)) rake(des, sm, pop[cs$margins])
         else rake(des, sm, pop[cs$margins], control = cs$control)
    wout[[cs$name]] <- sprintf("%.17g", weights(r))
    m <- svymean(~y, r)
    t <- svytotal(~y, r)
    out <- rbind(out, data.frame(case = cs$name, margins = paste(cs$margins, collapse = ";"),
                                 epsilon = if (is.null(cs$control)) 1 else cs$control$epsilon,
                                 maxit = 10,
                                 mean = sprintf("%.17g", coef(m)), mean_se = sprintf("%.17g", SE(m)),
                                 total = sprintf("%.17g", coef(t)),
                                 total_se = sprintf("%.17g", SE(t))))
}
write.csv(wout, "rake_control_weights.csv", row.names = FALSE)
write.csv(out, "rake_control_expected.csv", row.names = FALSE)
