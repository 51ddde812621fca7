/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/state.h — partial states: estimates built chunk by chunk, merged,
 * and finished into the same socind_estimates the in-memory calls give.
 *
 * accumulate → merge → finish. A chunk of rows (their weight, stratum, PSU,
 * optional fpc and domain, and the estimator's columns) is added to a
 * partial state; two states of the same estimate merge into one; the merged
 * state finishes into the estimates. Chunks may come from a file read piece
 * by piece, from threads, or from other processes and machines: a state
 * serialises to portable bytes (docs/state-format.md) and is read back on
 * any platform.
 *
 * What a state holds. Every estimate of this header but the rank-based ones
 * (below) is a smooth function of population totals; its linearized variable's PSU totals are the
 * gradient times the PSU's own totals. A state therefore keeps, per PSU, its stratum, its id, its
 * fpc and whether one of its rows has a non-zero weight, and per (PSU, domain) cell the counts of
 * its rows and K weighted sums (K is 1 to 6 by estimator; socind_state_info). Rows are not kept: a
 * state's memory is O(PSUs + cells), about 60 + 16·K bytes a cell plus its hash tables (a mean's
 * 4 bytes a cell and 20 bytes a domain more: its shifts and each domain's list of its cells, the
 * domains' 20 bytes reserved zeroed and written only for the domains that take rows, so that a
 * state of many domains costs the pages of the domains it sees; its bytes hold 16 a domain).
 * Without a PSU column every row is its own PSU and the state holds a cell per row. A mean's sums
 * are of y − c, c its domain's shift (its value at the domain's lowest-numbered used row of
 * positive weight — on equal numbers the lower value —, as socind_mean shifts by the domain's
 * first value of positive weight), so that its design effect's Σw·(y − ȳ)² keeps its digits
 * where values sit far from 0; states with different shifts move one to the other's on merging
 * (and a chunk whose rows come before a domain's shift moves that domain's cells): a move
 * reaches the cells of the domains whose shift moves, never every domain.
 *
 * Exactness (rank-based estimates: below). Each sum is kept as an unevaluated pair of doubles (hi +
 * lo, Knuth's TwoSum for every row and on merging), so a cell's sums carry about 106 bits: the sum
 * of a cell's terms is exact to 2^−104 relative of the sum of their magnitudes whatever the
 * chunking. Finishing orders the PSUs by (stratum id, PSU id) and the cells by domain and PSU,
 * whatever order the chunks came in, and adds the domain totals in that order in pairs of doubles.
 * Hence: the finished figures do not depend on the chunking or the merge order beyond those 2^−104
 * (run to run, the same chunks give the same bits), and they agree with the in-memory estimators
 * within the in-memory estimators' own rounding — the tests check 1e−12 relative on value and SE
 * for random chunkings of the reference files with PSUs split across chunks,
 * empty chunks and domains missing from chunks. That rounding is the in-memory sum of each PSU's
 * rows in doubles (the strata's sums over their PSUs are compensated on both sides, design.h):
 * at most (m − 1)·2^−53 of the sum of the magnitudes of a PSU's m terms, which reaches an SE
 * where those terms cancel (a linearized variable sums to about 0 over the sample). The loops
 * that run through these states (Threads, below) and the estimators' own one-thread loops add
 * the plain sum of each piece of at most 256 consecutive rows of one PSU to a compensated sum,
 * so a PSU whose rows are consecutive keeps within 255·2^−53 whatever its size (the own loops
 * add the sums of a PSU's separate runs of rows, where its rows are interleaved with other
 * PSUs', to its total in plain doubles; a state adds them to its pairs): a design whose one PSU
 * held half of 140,000 (1.4 million) rows gave GE's and Atkinson's SE within 3.3e−14 (1.4e−13) of a
 * state's, 1e−11 before; one whose PSU held half of 400,000 rows, by five domains, gave totals,
 * means, ratios, proportions and the fixed-line poverty measures within 7e−14 of a state's (4e−13
 * to 1.1e−12 with plain sums). On that design GE, Atkinson, the Watts decomposition and the poverty
 * profile stay 2e−13 to 6e−12 apart in their SEs: the half-sample PSU's linearized total is a small
 * difference of large terms, which the last bit of each coefficient (the estimate, the mean, N̂)
 * reaches whichever way the terms are summed — a limit of the linearization in doubles, not of the
 * summation. A proportion within δ of 1 was such a case (each PSU's Σw·x − P·Σw about δ times
 * its terms, so that their roundings reached the SE by 1/δ: memory, threads and states up to 6e−9
 * apart at P = 1 − 1.5e−9) and no longer is: a proportion, FGT0, the decompositions' P0, and the
 * poverty profile's share, contribution, contribution share and FGT0 of a group take their PSU
 * terms as (Q·Σw·x − P·Σw·(1 − x))/T̂ — Q = Σw·(1 − x)/T̂, x the numerator's part of the
 * denominator T̂'s rows — from the complement's own sums: a state from its pairs (the heads'
 * difference is exact), the in-memory proportion from its loop's, the others' loops and the
 * threads' pass from a pass again that sums the complement where P > 1 − 1/64 (internal
 * SOCIND__NEAR_ONE: there Σw, summed in doubles between folds, would lose 6 bits). Every path is
 * then within 2e−16 of that linearization in long double at P = 1 − 1.5e−9 (weights spanning
 * 2^±20, 700 rows a PSU), as R's survey, which sums x − P row by row, is; the profile's shares
 * had also added their own part and the whole sample's in the variance engine (below: var(s) +
 * 2c·cov + c²·var), which gave SEs 31–67 % off there, or 0. Left: the contribution share near 1
 * against a relative line, whose line term's coefficient D_g − P·D (the group's and the whole
 * sample's) cancels too (memory and states 1.3e−10 and 7.9e−9 apart at FGT1 and FGT0 with P = 1
 * − 1.5e−9). Such cases remain:
 * FGT(α > 0) and Watts against a relative line where every income is poor and the gaps nearly equal
 * (incomes 1e6 ± 1, the line 10 × the median: the ratio's PSU values sit close to it; 4.5e−12
 * to 1.9e−10 from the exact figure on either path), and an estimate whose line term cancels its own
 * (FGT1 against 10 × the mean, every income poor, FGT1 = 0.9 exactly: the variance engine adds
 * var(s) + 2c·cov(s, Z) + c²·var(Z), which leaves about 2^−26 of SE(s), 1.3e−11 absolute there).
 * The relative quantile line's own PSU terms, Σw·(1[y <= Q] − p), are summed as w·(1 − p) and −w·p
 * on every path (not Σw·1[y <= Q] − p·Σw, which would lose 1/(1 − p) of their digits as p nears 1).
 * Limits of the estimators' own formulas, the same on both paths: GE and Atkinson of incomes whose
 * spread is small against their level (1e6 ± 1, GE(1) about 5e−13) come from totals such as Σw·y^θ
 * that cancel by about (level/spread)², 1e−5 to 2e−3 from the exact figure; the GE decomposition's
 * between part, total − within, cancels where both are large (θ = −2 over incomes from 1e−6 to
 * 1e12); a mean's value keeps its digits relative to the distance of its shift (the domain's first
 * value) from the mean (a first value of 1.4e7 among incomes averaging 572: 4.8e−12 from exact),
 * and the in-memory call and a state take the same shift when the chunks number the rows in the
 * in-memory call's order.
 *
 * Design. A state follows the design a socind_design_new() would build from
 * all its rows: PSU ids are global unless nest = 1 (a PSU id in two strata is
 * SOCIND_ERR_NESTING, found when adding or merging); n_h counts every PSU,
 * df counts PSUs and strata with a row of non-zero weight; fpc as in
 * socind_design_new (per row N_h, or fractions when every value is <= 1:
 * decided at finish over all rows); lonely-PSU policies as design.h, a
 * lonely stratum under SOCIND_LONELY_FAIL being found at finish (the row
 * named is the first row of its PSU seen). Domains, missing values, zero
 * weights, statuses and intervals follow the in-memory estimator named for
 * each SOCIND_STATE_* below, and each estimator's default domain rule.
 *
 * Rows. A chunk names its first row's number in the whole data
 * (first_row); errors name rows by that numbering (socind_last_error_row),
 * and a design without a PSU column identifies its rows' PSUs by it, so
 * chunks of such a design must number their rows distinctly.
 *
 * Rank-based estimates (SOCIND_STATE_QUANTILE, _LORENZ, _SHARE_RATIO,
 * _POVERTY_LINE, _GINI, _SEN, _SST, and every poverty estimate above
 * against a SOCIND_LINE_RELATIVE_QUANTILE or _RELATIVE_MEAN line) depend on every
 * row's weighted rank, or on a quantile together with what the rows do
 * against it. Per estimator (G domains, B <= 2^20 occupied buckets a
 * domain, typically a few thousand for incomes):
 *
 *  - QUANTILE: 2 passes in bounded memory, 3 where a limit falls outside
 *    the rows pass 2 keeps. Pass 1: a histogram of each domain's rows of
 *    positive weight by the top 20 bits of their values' order keys (a
 *    bucket spans 1/256 of an octave), merged by adding the buckets'
 *    weights (pairs of doubles) and counts: 64 bytes a bucket; next_pass
 *    finds each domain's N̂, the bucket where the share p is reached and a
 *    window of buckets around it: the shares within t·ŝ of that bucket's,
 *    t the default interval's critical value at the PSUs less one degree
 *    of freedom, ŝ = √(2·Σ n_i²)/n from the domain's rows of positive
 *    weight n_i by PSU (the SE of a share if every PSU's rows fell on one
 *    side of the quantile), the windows halved until they hold at most
 *    2^21 rows together or are the quantiles' buckets alone (which may
 *    hold more). Pass 2: the window's rows (52 bytes each) and per cell Σw
 *    and Σw over the rows below the quantile's bucket; the merged state
 *    selects the quantile Q among the kept rows (quantile.c's rule), makes
 *    p̂ = F̂(Q) and its SE s from the cells' sums through the variance
 *    engine, and finds the buckets of p̂ ∓ q·s at the default interval.
 *    Where every domain's lie in its window (socind_state_passes says 2),
 *    finishing selects the limits among pass 2's rows; else (it says 3)
 *    pass 3 keeps the rows of those buckets and finishing selects them
 *    there: the same rows either way, so the same figures. State: PSUs,
 *    cells, the histogram (passes 1–2), 232 bytes a domain and the rows of
 *    the windows (pass 2) or of two buckets a domain (pass 3). Finishing
 *    takes the default level, t interval and domain rule only (the limits'
 *    rows were chosen for them; others: SOCIND_ERR_ARG).
 *  - LORENZ: 2 passes in bounded memory, 3 where q̃ leaves its bucket
 *    (below). Pass 1: the histogram with each bucket's Σw·y and largest
 *    value; pass 2: the rows of the bucket of the row straddling p·N̂,
 *    which give the ordinate and the point q̃ = y' + (y − y')·t, and per
 *    cell Σw, Σw·y, and over the rows below that bucket Σw·(y − c) and Σw
 *    (c the largest value below it). Every row below lies at or below q̃,
 *    so the cell's Σw·(y − q̃)·1[y <= q̃] is Σw·(y − c) + (c − q̃)·Σw plus
 *    its kept rows' terms, from which the linearized variable's PSU totals
 *    and the SE follow (any options) — where no row above the bucket can
 *    lie at or below q̃: q̃ below the smallest value a higher bucket holds.
 *    Where the rounding of q̃ passes that (t above 1 when the straddling
 *    row weighs less than the rounding step of the weight before it, or
 *    y' + (y − y') rounded up across 0), socind_state_passes says 3 and
 *    pass 3 sums Σw, Σw·y and Σw·(y − q̃)·1[y <= q̃] per cell. State: as
 *    the quantile's, rows of one bucket a domain (pass 2).
 *  - SHARE_RATIO: 2 passes in bounded memory, 3 where its kernel series
 *    (below) cannot hold the kernel sums. Pass 1: the histogram and each
 *    domain's moments of its incomes about their mean, merged by Chan,
 *    Golub and LeVeque's update, and their smallest and largest (the
 *    bandwidth h, density.c's σ̂/N̂^(1/5): none where every income is
 *    equal; incomes of 1e8 that differ by units keep its digits). Pass 2:
 *    the rows of both quantiles' buckets; per cell Σw, Σw·y, and Σw·1[y <=
 *    q1], Σw·y·1[y <= q1], Σw·1[y <= q2], Σw·y·1[y > q2] over the rows
 *    outside the quantiles' buckets (the buckets' rows complete them once
 *    q1 and q2 are selected); and per domain, about the centre c_j of each
 *    quantile's bucket, the moments M_n = Σw·u^n·exp(−u²/2), u = (c_j −
 *    y)·(1/h), n = 0..16 (544 bytes a domain; rows with |u| > 38.5, whose
 *    terms are below the smallest double, add nothing). The kernel sums at q_j = c_j +
 *    d·h are then e^(−d²/2)·Σ_n (−d)^n/n!·M_n (and Σw·y·φ from c_j·M_n −
 *    h·M_(n+1)); |u|^n·exp(−u²/2) <= (n/e)^(n/2) bounds what the series
 *    leaves out, and where that bound exceeds 2^−60 of a sum (d large:
 *    incomes whose spread is small against their quantiles' buckets, a
 *    bucket spanning 1/256 of an octave) socind_state_passes says 3 and
 *    pass 3 sums the cells against q1 and q2 and the kernel row by row, as
 *    before. The kernel sums keep every term (the in-memory sums leave out
 *    terms below 2^−53 of them); from them the ratio, both density terms
 *    and the SE follow (any options). State: as the quantile's, rows of
 *    two buckets a domain (pass 2).
 *  - POVERTY_LINE: a RELATIVE_QUANTILE line in 2 passes in bounded memory,
 *    3 where its kernel series cannot hold the kernel sum (one domain, the
 *    whole sample). Pass 1: the histogram and the sample's moments for the
 *    bandwidth (as the share ratio's); pass 2: the rows of the quantile's
 *    bucket, per cell Σw and Σw over the rows below that bucket, and the
 *    kernel's moments about the bucket's centre (as the share ratio's: 544
 *    bytes). The merged state selects Q, completes each cell's Σw·1[y <=
 *    Q] with the bucket's rows and takes the kernel sum at Q from the
 *    series, which give f̂(Q) and the linearized variable −fraction·(1[y
 *    <= Q] − p)/(N̂·f̂(Q)); where the series may leave out more than 2^−60
 *    of the sum, socind_state_passes says 3 and pass 3 sums the kernel and
 *    per cell Σw, Σw·1[y <= Q] row by row. A RELATIVE_MEAN line (per cell
 *    Σw, Σw·y) and an ABSOLUTE one (SE 0) in 1 pass: O(PSUs) state.
 *  - FGT, POOR_COUNT, POVERTY_GAP_TOTAL, MEAN_SHORTFALL, WATTS,
 *    FGT_DECOMPOSITION, WATTS_DECOMPOSITION and POVERTY_PROFILE against a
 *    relative line, in
 *    bounded memory: a RELATIVE_QUANTILE line in 2 passes (its window
 *    pass, below) or 3, a RELATIVE_MEAN line in 2. The state carries the
 *    line's own POVERTY_LINE state (its passes as above: the whole sample's
 *    histogram, its quantile bucket's rows, per PSU Σw and Σw·1[y <= Q] —
 *    for a mean line Σw, Σw·y in its one pass) and per domain, and for
 *    every row, Σw, Σw·y, Σw·y² of the
 *    rows with a value and a positive weight as N̂, Σw·y (pairs of doubles),
 *    the mean and Σw·(y − mean)² (each chunk's about its first income, or
 *    about its mean where that income lies more than 8 SDs from it,
 *    merged by Chan, Golub and LeVeque's update: no cancellation, so incomes however close keep
 *    the variance's digits, and it is exactly 0 where they are all
 *    equal), and their smallest and largest (pass 1: each domain's
 *    bandwidth, density.c's σ̂/N̂^(1/5) — none where every income is equal,
 *    as density.c; where the moments leave the double range, a domain
 *    whose estimate needs its density at z gets SOCIND_ERR_OVERFLOW, the
 *    whole sample's line too). Once the line
 *    z = fraction·Q (or fraction·μ̂) is exact, the last pass adds per
 *    (PSU, domain) cell the estimator's K sums against z (an absolute
 *    line's) and per domain the kernel sum at z with the domain's
 *    bandwidth (N̂_d·f̂_d(z), the derivative of the poor's weight in z), the
 *    poor's derivatives Σw, Σw·α·g^(α−1)·y/z, Σw·y/z, and over every row the
 *    kernel sum at Q (N̂·f̂(Q)) (the profile: and at z, for the whole
 *    sample's share of the poor). Finishing makes the line's influence by PSU
 *    (−fraction·Σw(1[y <= Q] − p)/(N̂·f̂(Q)), or fraction·Σw(y − μ̂)/N̂), adds
 *    coef·Z to every domain's linearized variable (coef: the estimate's
 *    gradient in its totals times their derivatives in z, as poverty.c's
 *    components carry D·Z) and takes its variance over every stratum. The
 *    kernel sums keep every term (the in-memory sums leave out terms below
 *    2^−53 of them). State: PSUs, cells of K sums, the line state's (PSUs,
 *    a cell a PSU, the histogram or its bucket's rows), 136 bytes a domain.
 *    Finishing takes any options.
 *    The window pass. Against a RELATIVE_QUANTILE line, FGT, POOR_COUNT,
 *    POVERTY_GAP_TOTAL, MEAN_SHORTFALL, WATTS and both decompositions take
 *    2 passes: after pass 1 the line's
 *    quantile lies in a known bucket, so z = fraction·Q lies in a window
 *    [zl, zh] (fraction times that bucket's bounds, 1/256 of an octave).
 *    Pass 2 is then the last: with the line state's pass 2 it keeps the
 *    rows in the window (52 bytes each) and sums per cell, over the rows
 *    below zl, Σw, Σw·(zl − y), Σw·(zl − y)² and Σw·log(zl/y) — every
 *    such row is poor, and each term against z follows without
 *    cancellation: Σw·(z − y) = (z − zl)·Σw + Σw·(zl − y), its square
 *    likewise, Σw·log(z/y) = log(z/zl)·Σw + Σw·log(zl/y) — per domain
 *    those rows' Σw, Σw·y and Σw·(zl − y)·y (the poor's derivatives in z),
 *    and per domain the kernel's moments about the window's centre with
 *    the domain's bandwidth (the share ratio's series: 272 bytes a
 *    domain); 80 bytes a cell. Finishing forms the sums pass 3 would make
 *    from these and the kept rows' own terms and finishes as above: the
 *    same figures within rounding. Where the window would hold more than
 *    2^21 rows (from the histogram's counts) pass 2 keeps none and pass 3
 *    follows; where a kernel series may leave out more than 2^−60 of its
 *    sum, socind_state_passes says 3 on the merged pass 2. With α other
 *    than 0, 1 and 2 (FGT and its decomposition) the window keeps the rows
 *    down to zs = zl − 16·(zh − zl), and for each row below it (z − y)^α =
 *    Σ_n C(α, n)·d^n·(zl − y)^(α−n), d = z − zl, each term within 16^−n
 *    of the first: per cell the 16 sums Σw·e^α·v^n (e = zl − y scaled by
 *    the window, v = 16·(zh − zl)/(zl − y) <= 1), per domain Σw·y·e^(α−1)·v^n
 *    for the derivative (304 bytes a cell); where the series' bound past
 *    16 terms exceeds 2^−60 (α above about 16 to 30), pass 3 follows, and
 *    above α = 64 (whose rounding of e^α, amplified α times, could reach
 *    1e−13) pass 2 has no window. The poverty profile takes the same
 *    window pass (its cells' sums are FGT's, by group): the last slot's
 *    kernel moments are every row's, with the whole sample's bandwidth
 *    (its density at z), and its rows in no group are kept under their
 *    cells' code n_groups (bench_relative, FGT0 by 20 groups: 8.49 MB at
 *    10^6 rows, 84.0 MB at 10^7, 120–135 ns a row a pass, within 8e−16
 *    of the in-memory call).
 *  - POOR_MEDIAN, RELATIVE_MEDIAN_GAP: 2 passes in bounded memory (3 or
 *    5 as pass 2 finds), the state above with a median among each
 *    domain's poor. Pass 1: the line's histogram and the moments as
 *    above, and each domain's histogram of its incomes (the same buckets).
 *    The median m of a domain's poor (y <= z) lies at ½ of its weight at or
 *    below z; for every z in the line's window [zl, zh] that weight lies
 *    between the domain's weight in the buckets below zl's and in those up
 *    to zh's, so m lies in a range of its buckets known after pass 1.
 *    Pass 2, a window pass: with the line state's pass 2 it keeps the
 *    rows in the window and in their domain's range (52 bytes each; the
 *    ranges of a domain of many rows span a bucket or two), sums per cell
 *    Σw over its rows below zl and over those below its domain's range it
 *    does not keep, per domain the weight of its rows below zl (and of
 *    those of income != 0), its weight in the buckets below zl's and up
 *    to zh's, and the kernel's moments about the window's centre and the
 *    range's (544 bytes a domain); it holds no histogram. Finishing
 *    selects Q (so z = fraction·Q), each domain's weight of its poor and
 *    below its range, checks the range against these sums (a range its
 *    rows do not make, or a median not among its rows — a state of one
 *    chunk's pass 2, not the merged one, whose socind_state_passes says
 *    3 —: SOCIND_ERR_MISMATCH; weights whose sum leaves the double
 *    range: SOCIND_ERR_OVERFLOW, as the in-memory call), selects its median m among
 *    the kept rows (quantile.c's rule, as socind_poor_median), the kernel
 *    sums at z and m with the domain's bandwidth and at Q from the
 *    moments, and per cell Σw·1[y <= z] and Σw·1[y <= m]; it forms
 *    (½·1[y <= z] − 1[y <= m])/F(m) by cell plus the line's term
 *    ½·F(z)/F(m)·Z (the gap: −1/z times that, plus (m/z²)·Z) over every
 *    stratum, as poverty_median.c. Where a series a domain's figures use
 *    may leave out more than 2^−60 of its sum (a domain of few rows, whose
 *    range spans wide buckets), socind_state_passes says 3 and pass 3
 *    sums them row by row, the medians selected. Where the window and the
 *    ranges would hold more than 2^21 rows (from the histograms' counts),
 *    pass 2 has no window and the state takes 5 passes: the line's
 *    quantile in passes 1–2; in passes 3–4 the median's own QUANTILE
 *    state (p = ½, the same domains) of the rows with y <= z (the others
 *    NaN) and each domain's weight of its poor of income != 0 (convey's
 *    estimate is NA when every poor income is 0); pass 5 the sums above
 *    row by row. State: as the estimates above plus each domain's
 *    histogram in pass 1 (56 bytes an entry: at most 2^20 a domain)
 *    and 152 bytes a domain; bench_relative (2 passes): 7.20 MB at 10^6
 *    rows, 71.0 MB at 10^7 (7.1 bytes a row), by 20 domains (the gap)
 *    7.73 and 71.2 MB, 129–158 ns a row a pass (five passes: 60.5 MB at
 *    10^7, 3.95 s against 2.88 s in two); the figures within 3.2e−16 of
 *    the in-memory call's there.
 *  - GINI: 2 passes or more in bounded memory (lib/state_gini.c). The
 *    linearized variable needs every row's weighted rank r (rows of
 *    positive weight by value, ties by row number, as socind_gini) and
 *    the income before it P; a cell's total is a1·(Ŷ·A0 − A3 + A2) −
 *    a2·A1 − a3·A0 from its sums A0 = Σw, A1 = Σw·y, A2 = Σw·r·y and
 *    A3 = Σw·P, the coefficients (which hold T1 = Σ A2, hence the Gini)
 *    applied at finish. Pass 1: per domain a histogram of the rows by the
 *    top 20 bits of the key (value's order key, row number) — Σw, Σw·y
 *    and the count a bucket. Each later pass keeps the rows (32 bytes
 *    each) of value ranges that fit, in order, within
 *    SOCIND_STATE_GINI_ROWS rows, and histograms the ranges of more rows
 *    than that by the key's next 16 bits (down to the row number's bits:
 *    heavy ties split too). next_pass sorts each kept range's rows, ranks
 *    them from the weight and income before the range and adds their
 *    A0..A3 to the cells' carried sums. Passes: 1 + ⌈rows / budget⌉
 *    typically (2 up to 16,777,216 rows), plus one a level of splitting
 *    where a range exceeds the budget (at most 8 levels; the worst case is
 *    about 1 + 8 + 2·rows/budget). State: PSUs and cells (their carried
 *    sums: 88 bytes a cell in the bytes), the plan (72 bytes a range),
 *    the histogram (56 bytes an entry; at most 2^20 a domain in pass 1,
 *    2^16 a split range later) and at most the budget's rows (512 MiB).
 *    A domain whose figures are SOCIND_ERR_OVERFLOW whatever its ranks
 *    (its N̂ or Ŷ beyond the double range, or N̂·Ŷ² or N̂²·Ŷ; for SEN and
 *    SST the poor's N̂p³) is not ranked after pass 1: its states' bytes
 *    read back in every pass, and it finishes SOCIND_ERR_OVERFLOW as in
 *    memory.
 *
 *  - SEN, SST: the Gini's passes over the poor of positive weight alone
 *    (lib/state_gini.c: their normalized incomes x = y/z ranked, ties by
 *    row number, as socind_sen and socind_sst rank them), so a pass keeps
 *    at most the budget's poor rows; each cell adds Σw of every row used
 *    and the poor's Σw², Σw²·x and Σw·(1 − x). Each part's cell total is
 *    a function of those sums and the cell's A0..A3 (the poor's Σw, Σw·x,
 *    Σw·r·x, Σw·P), the same function socind_sen and socind_sst apply to
 *    each PSU's sums (lib/sen.c), evaluated in long double from the pairs.
 *    An absolute or per-row line only (a relative line: SOCIND_ERR_ARG, as
 *    the in-memory functions). The tests find every part within 1e−12
 *    relative of the in-memory call for any cuts, merge orders and
 *    budgets, with domains, per-row inclusive lines, without a PSU column
 *    and under lonely policies — the SEs with no absolute floor, among
 *    them those of a domain that lies in one PSU, where SST's and G_g's
 *    totals are exactly G/N̂² and 1/N̂ and both paths form them from terms
 *    some N̂ times larger (both within 4e−14 of the exact figures on the
 *    tests' designs: the Gini's pass-1 Σw·y carries each
 *    product's rounding error (fma), and the kept rows' A1..A3 are formed
 *    in long double, x87's 64-bit mantissa with GCC and Clang on x86-64;
 *    where long double is double, as with MSVC or on arm64 macOS, those two
 *    SEs keep fewer digits; and fewer as N̂ grows: with weights ×10^6 SST's
 *    SE 2e−12 and 1.3e−11 from exact, with weights spanning 2^±40 the Sen
 *    index's 1.3e−7 and 1.9e−8).
 *
 * Measured (bench_relative: 35 rows a PSU, 15 PSUs a stratum, lognormal
 * incomes, chunks of 10^5 added to one state a pass), at the end of passes
 * 1 and 2, at 10^6 rows (28,572 PSUs) and 10^7 (285,715): the median's
 * state 3.08 and 5.11 MB, 29.8 and 38.2 MB (pass 2's window: 36,000 rows,
 * 3.6 %, at 10^6, 150,000, 1.5 %, at 10^7: a share of the rows that falls
 * as 1/√n for a given PSU size); by 20 domains 4.65 and 13.05 MB,
 * 31.7 and 59.5 MB; the Lorenz ordinate's 3.99 and 3.99 MB, 39.0 and 39.9
 * MB; S80/S20's 4.91 and 4.99 MB, 48.1 and 49.9 MB — every one in two
 * passes, 35–82 ns a row a pass, the value and limits the in-memory
 * call's, the SE within 6.7e−16 relative.
 * The Gini's state (one domain, 35 rows a PSU, 15 PSUs a stratum, chunks
 * of 10^5, a budget of 2^20 rows a pass, the default before it was raised
 * to 2^24 so that a file of 5×10^7 rows streams in 4 readings instead of
 * 49): 10^6 rows take 2 passes, the largest
 * state 34.6 MB in its bytes (pass 2: every row kept); 10^7 rows take 11
 * passes (1 + 10 of at most 2^20 rows; no range exceeded the budget),
 * the largest 83.9 MB (25 MB of it the pass-1 histogram and tables, 33.5
 * MB the kept rows, the rest the carried cells), peak memory 305 MB in a
 * program that also held a chunk and two states at once; finished figures
 * within 1e−15 relative of socind_gini's.
 *
 * Agreement, the Gini. Its state sums in pairs of doubles and ranks in
 * socind_gini's order: the tests find value, SE and limits within 1e−12
 * relative of the in-memory call for any cuts, merge orders and budgets
 * (down to ranges split to the row numbers' bits), but where a domain's
 * Gini is itself near 0 (1e−4 in the tests): there (2·T1 − Ŷ)/(N̂·Ŷ) − 1
 * cancels in both, which agree within 1e−15 absolute; and where a domain
 * lies in one PSU, whose SE is that PSU's total of terms some N̂_d times
 * larger: both paths keep about 16 − log10(N̂_d) digits of it (with weights
 * ×10^6, N̂_d near 10^9: 1.4e−9 and 5.5e−9 from the exact figure; with
 * weights spanning 2^±40, 6.4e−5 and 2e−5).
 *
 * Poverty against a relative line (bench_relative: 35 rows a PSU, 15 PSUs
 * a stratum, lognormal incomes, chunks of 10^5 added to one state a pass;
 * 5 December 2026): FGT0 against 60 % of the median takes 2 passes (its
 * window pass) and its state serialises to 6.05 and 8.48 MB at the end of
 * passes 1 and 2 at 10^6 rows (28,572 PSUs) and to 59.6 and 83.9 MB at
 * 10^7 (285,715 PSUs): about 6 bytes a row, the PSU and cell tables (the
 * line state's among them), and in pass 2 the window's 80 bytes a cell
 * and rows; FGT2 by 20 domains the same within 0.1 MB, the FGT
 * decomposition by 20 domains 9.41 MB (10^6) and 93.1 MB (10^7) at most;
 * Watts against half the mean 5.94 and 59.4 MB. Adding costs 120–147 ns a
 * row a pass for the window passes (1.17 s for pass 2 at 10^7 rows: each
 * row's kernel moments about the window's and the line's centres), 68–73
 * for Watts against the mean. In all, FGT0 took 2.39 s at 10^7 rows and
 * 0.29 s at 10^6, where the three passes before the window pass took 2.59
 * and 0.21 s (largest state 60.5 and 6.14 MB); the in-memory call 4.9–9.7
 * ns a row (FGT0). The figures were within 1.4e−15 relative of the in-memory
 * call's (value; SE 5.1e−16).
 *
 * Agreement. The multi-pass states add in pairs of doubles and select
 * with quantile.c's rule: the tests find their figures (the poverty
 * line's too) within 2e−13 relative of the in-memory call on the rows in
 * the same order (the poverty estimates against relative lines: 1e−12,
 * but an estimate that cancels — a mean shortfall, a decomposition's
 * derived part — whose in-memory value itself moves by more with the
 * rows' order (up to 1.6e−12 on the reference sample): within twice that
 * movement), for any
 * cuts of every pass and merge order — but a decomposition's part whose
 * value is 0 in exact arithmetic (a domain whose poor all share one
 * income): its SE is a difference of terms some 10^6 times larger, which
 * neither call rounds alike (a window pass forms each row's term against
 * z from two rounded parts; the in-memory call rounds it once): there
 * they agree to that cancellation times the rounding, 4e−9 relative at
 * worst where the shared income lies within 2^−14 of the window's lower
 * bound (pass 3's own sums: 2.8e−7), and within 1e−12 from 2 % below
 * it. A share that falls exactly on a step of a domain's weighted
 * distribution function (p·N̂ equal to a cumulative weight, as decimal
 * weights often make it, or a Woodruff share p̂ ± 0 of a domain in one PSU,
 * whose SE is 0 exactly) takes the same side on both paths: the in-memory
 * calls sum the weights as the states do (the exact sums correctly
 * rounded, lib/quantile.c) and give such a domain's SE exactly 0
 * (tests/test_quantile_share.c, tests/test_state_rank.c).
 *
 * A proportion's likelihood interval (SOCIND_STATE_PROPORTION_LIKELIHOOD):
 * 2 passes, 128 bytes a domain beyond the proportion's PSUs and cells
 * (lib/state_fit.c). socind_proportion profiles that interval around R's
 * glm fit, whose prior weights are w/c with c the mean weight over every
 * row of the domain (any value, any weight: R's subset design), and whose
 * first step sums nonlinear functions of them — c is needed before the
 * first row of that step. Pass 1: the proportion's cells and per domain
 * its rows and Σw (a pair of doubles); next_pass sets each domain's c.
 * Pass 2: the cells again, and per domain its rows with a value and the
 * first step's five sums over rows of prior weight w/c > 0 (pairs of
 * doubles). Finishing iterates the fit from those sums as socind_proportion
 * does (the shared-μ steps to glm's stopping rule) and takes its SE from
 * the cells' Σw·(y − μ̂), formed as (1 − μ̂)·Σw·y − μ̂·Σw·(1 − y) from the
 * complement (as socind_proportion does, and as R sums its residuals row by
 * row: no cancellation as μ̂ nears 1), through the variance engine; any prop_ci, the
 * likelihood interval too (a SOCIND_STATE_PROPORTION state refuses it:
 * SOCIND_ERR_ARG). The tests find value, SE and limits within 1e−12
 * relative of socind_proportion's for random cuts and merge orders (the
 * fit's sums agree to about 2^−104; a change of c by 1e−7 relative moves
 * the limits by about 1e−12).
 *
 * Not (yet) covered here, with its in-memory function: no state yet for
 * socind_richness, the J-divergence and its decomposition, Zenga, socind_gender_pay_gap and the
 * quantile-based measures of inequality.h (socind_quantile_linearized,
 * socind_quantile_income_total, socind_median_income_ratio).
 *
 * Threads. The in-memory estimators whose estimate a state here computes
 * (socind_total, socind_mean, socind_ratio, socind_proportion but its
 * likelihood interval, socind_fgt, socind_poor_count,
 * socind_poverty_gap_total, socind_mean_shortfall, socind_watts and both
 * poverty decompositions against absolute and per-row lines, socind_ge,
 * socind_atkinson) run on opts->threads threads (common.h) through these
 * states when the design has 65,536 rows a thread or more (socind_ge,
 * socind_atkinson and socind_mean on one thread too, over the whole sample
 * of a design whose PSUs' rows are consecutive: that loop is faster than
 * their own there, and gives the same figures). With domains (and no
 * replicate weights) the threads take the domains instead, the largest
 * first, each domain computed by the estimator's own loop with a work space
 * of the thread's own: one thread's figures, bit for bit, for any thread
 * count (at most G threads, and no more than keep the work spaces of those
 * beyond the first within 16 bytes a row — a poverty call's is about 80
 * bytes a PSU, a total's 40, an inequality measure's 36 a row of the
 * largest domain and 13 a PSU —, two at least), and its status, error row
 * and detail message (the lowest failing
 * domain's; after a success, the detail the last domain to leave one left).
 * So too socind_gini, socind_quantile, socind_share_ratio and socind_lorenz
 * by domain, a Gini's when its largest domain holds less than half the rows
 * (it then runs no threads within a domain; a larger domain keeps them, as
 * below, within the bound above). Against relative lines the threads read
 * the whole-sample line the calling thread made once; on a calibrated
 * design the domains stay on one thread. socind_ge_decomposition
 * (its groups a partition, not domains) fills a state of a range of rows
 * per thread, its cells of (PSU, group), and the states merge. A
 * call whose domains cut the rows into states was slower on two threads than
 * on one (FGT0 by 100 domains at 10^6 rows: 419 against 63 ns a row), the
 * states' cells of (PSU, domain) found through a hash table. A replicate
 * design's call with domains still fills a state of a range of rows per
 * thread, numbered by the design's own PSUs, and the states merge. Without
 * domains, where each PSU's rows are consecutive,
 * the rows are cut at PSU boundaries into 8 ranges a thread, which the
 * threads take as each asks for more (a thread slowed by other work takes
 * fewer), all filling one state, each range its own PSUs; the state
 * finishes on the design. Figures are the same run to run for the same
 * thread count, whichever thread ran which range. Within a range
 * consecutive rows of one (PSU, domain) are summed in plain doubles 256 at
 * a time, each such sum added to a pair of doubles, so the figures agree
 * with one thread's within the one-thread loops' own rounding (the tests:
 * 1e−12 relative). A call that meets a row it refuses is run again
 * on one thread's own loop, which names the first such row in its domain
 * order and in the estimator's words, as without threads. Incomes
 * or lines beyond 2^±200, and GE/Atkinson powers near the double range's
 * ends, run on one thread (which rescales them). socind_gini runs a
 * domain of 131,072 rows or more on opts->threads threads as its state
 * does: the domain's rows cut by value into a range a thread (a histogram
 * of their order keys), each range sorted (ties by row) and ranked within
 * itself while its rows are in the cache (its part of T1 is the weight
 * before it times its income plus its own Σ c·w·y, in long double), T1
 * summed, then each range walked backwards from
 * the weight and income after it as the one-thread loop walks all the
 * rows, w·u added into the thread's own PSU sums and those added at the
 * end (incomes rescaled first, as on one thread; the tests: 1e−12
 * relative, and where the Gini is itself near 0 within 1e−15 absolute,
 * the cancellation in (2·T1 − Ŷ)/(N̂·Ŷ) − 1 that both carry: 2.2e−16 on
 * a Gini of 6e−6 from incomes that differ in their last 12 bits). The
 * other estimators (and the rank-based ones above without domains) run
 * on the calling thread whatever opts->threads says — the poverty
 * estimates against relative lines without domains among them: their
 * one-thread path (a sampled bracket of the quantile) takes 7–10 ns a row
 * (FGT0, 10^6 and 10^7 rows), their passes through partial states 47–213
 * ns a row a pass (bench_relative), so threads through states would be
 * slower.
 *
 * Extremes: incomes and values are used as given (the in-memory
 * estimators' rescaling of incomes beyond 2^±200 is not applied): a total
 * or power that leaves the double range gives that estimate
 * SOCIND_ERR_OVERFLOW. The variance is made on the PSU totals of the
 * linearized variable scaled by a power of 2 (exact), so the SEs of totals,
 * means, ratios, gap totals and mean shortfalls of incomes near 1e±160
 * (whose squares leave the doubles) equal the in-memory calls'; PSU totals
 * below 2^−969 (incomes near 1e−300: bits lost to subnormals) give
 * SOCIND_ERR_OVERFLOW. A relative line's densities take their bandwidths
 * from each slot's M2 = Σw·(y − μ̂)² of the incomes as given, a double in
 * the state's bytes: where M2 passes DBL_MAX (an income beyond about
 * 1.3e154/√w, w its weight: one income of 1e300 anywhere) or σ̂² = M2/N̂
 * falls below DBL_MIN (incomes within about 1e−154 of each other) that
 * slot has no bandwidth. A quantile line needs the whole sample's (its
 * density at the quantile): socind_state_finish fails SOCIND_ERR_OVERFLOW,
 * its message naming this rule, every estimate NaN with that status. A
 * mean line needs only each domain's (its density at the line): the
 * estimates of a domain without one that need it are SOCIND_ERR_OVERFLOW
 * and NaN, the other domains' their figures (the poverty profile's share
 * of the poor needs the whole sample's at the line: a failed call as
 * above). The in-memory calls rescale
 * such incomes and give figures; a state would need M2 kept with its own
 * power-of-2 scale (a field its bytes do not have) to do the same.
 * A mean's deff needs Σw·(y − shift)² and is NaN where that leaves the
 * doubles. GE and Atkinson divide their totals by the weight sum, and
 * their derivatives by one total at a time, before any square or power of
 * them: weights far from 1 (tested at 2^±600) give the figures of the
 * weights as they are, where the sums themselves stay in range.
 *
 * Thread safety: a state is not shared while it changes; distinct states are
 * independent; socind_state_finish and socind_state_to_bytes only read.
 */
#ifndef SOCIND_STATE_H
#define SOCIND_STATE_H

#include "socind/design.h"
#include "socind/nutrition.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Estimates (spec.estimator), each as the in-memory function named: */
#define SOCIND_STATE_TOTAL 1                /* socind_total: y */
#define SOCIND_STATE_MEAN 2                 /* socind_mean: y (deff included) */
#define SOCIND_STATE_RATIO 3                /* socind_ratio: y / y2 */
#define SOCIND_STATE_PROPORTION 4           /* socind_proportion: y in {0, 1, NaN} */
#define SOCIND_STATE_FGT 5                  /* socind_fgt: income y, alpha, the line */
#define SOCIND_STATE_POOR_COUNT 6           /* socind_poor_count */
#define SOCIND_STATE_POVERTY_GAP_TOTAL 7    /* socind_poverty_gap_total */
#define SOCIND_STATE_MEAN_SHORTFALL 8       /* socind_mean_shortfall */
#define SOCIND_STATE_WATTS 9                /* socind_watts (nonpositive) */
#define SOCIND_STATE_FGT_DECOMPOSITION 10   /* socind_fgt_decomposition (alpha > 1) */
#define SOCIND_STATE_WATTS_DECOMPOSITION 11 /* socind_watts_decomposition */
#define SOCIND_STATE_GE 12                  /* socind_ge: theta in alpha */
#define SOCIND_STATE_ATKINSON 13            /* socind_atkinson: epsilon in alpha */
/* socind_ge_decomposition: theta in alpha; n_groups >= 1 is the partition
 * (one decomposition: SOCIND_GEDEC_COUNT estimates, not per group); rows of
 * weight 0 count nowhere and their incomes are not checked */
#define SOCIND_STATE_GE_DECOMPOSITION 14
/* socind_poverty_profile: FGT(alpha) by the partition of n_groups >= 1
 * groups (SOCIND_PROFILE_COUNT estimates per group); rows in no group count
 * in the whole sample's totals; any line type (a relative one: rank-based) */
#define SOCIND_STATE_POVERTY_PROFILE 15
/* Rank-based estimates (see "Rank-based estimates" above): */
#define SOCIND_STATE_QUANTILE 16     /* socind_quantile: p */
#define SOCIND_STATE_POVERTY_LINE 17 /* socind_poverty_line_estimate: the line */
#define SOCIND_STATE_GINI 18         /* socind_gini */
#define SOCIND_STATE_SHARE_RATIO 19  /* socind_share_ratio: alpha1 in p, alpha2 in p2 */
#define SOCIND_STATE_LORENZ 20       /* socind_lorenz: p */
/* The prevalence table (socind/nutrition.h), added with
 * socind_state_add_growth / _growth2007 and finished with
 * socind_state_finish_table: */
#define SOCIND_STATE_PREVALENCE_WHO2006 21 /* socind_prevalence_who2006 */
#define SOCIND_STATE_PREVALENCE_WHO2007 22 /* socind_prevalence_who2007 */
/* The Sen and SST indices against an absolute or per-row line
 * (SOCIND_SEN_COUNT / SOCIND_SST_COUNT estimates per domain, as
 * poverty.h's; see "Rank-based estimates" above): */
#define SOCIND_STATE_SEN 23 /* socind_sen */
#define SOCIND_STATE_SST 24 /* socind_sst */
/* The median income of the poor and the relative median poverty gap
 * against convey's line fraction × Q̂(p) of every row (spec.line_type
 * SOCIND_LINE_RELATIVE_QUANTILE only, the fraction in spec.line, p in
 * spec.p, default 0.5; poor: y <= the line, whatever spec.inclusive says;
 * one estimate per domain; see "Rank-based estimates" above): */
#define SOCIND_STATE_POOR_MEDIAN 25         /* socind_poor_median */
#define SOCIND_STATE_RELATIVE_MEDIAN_GAP 26 /* socind_relative_median_gap */
/* socind_proportion with every prop_ci, the likelihood interval
 * (SOCIND_PROP_CI_LIKELIHOOD) too: two passes (see "Passes" below); y in
 * {0, 1, NaN} as SOCIND_STATE_PROPORTION */
#define SOCIND_STATE_PROPORTION_LIKELIHOOD 27
#define SOCIND_STATE_ESTIMATOR_COUNT 28 /* codes 1 .. COUNT − 1 */

/* The rows a Gini state keeps at most in a pass (32 bytes each in memory
 * and in its bytes, 512 MiB at most; see "Rank-based estimates" above): a
 * pass keeps the rows of the value ranges that fit in it, a range of more
 * rows is split first. Fewer rows a pass would mean more passes over the
 * data (the socind command reads a file once, and for the other passes
 * the rows it kept on disk from that reading). */
#define SOCIND_STATE_GINI_ROWS 16777216

/* What a state estimates and the design it follows. Start from
 * socind_state_spec_init(); two states merge only when their specs are
 * equal. */
typedef struct socind_state_spec {
    size_t size;         /* sizeof(socind_state_spec) */
    int32_t estimator;   /* SOCIND_STATE_* (required) */
    int32_t n_groups;    /* 0: no domain column (one estimate); >= 1: chunks
                            carry codes in [−1, n_groups), −1 = in no domain;
                            below 2^31 − 1 for the poverty profile and the
                            estimates against a relative line, which keep a
                            slot after the domains (else SOCIND_ERR_ARG) */
    int32_t has_strata;  /* 1: chunks carry strata ids; 0 (default): one stratum */
    int32_t has_psu;     /* 1: chunks carry PSU ids; 0 (default): each row is a PSU */
    int32_t has_fpc;     /* 1: chunks carry fpc values (socind_design_new's) */
    int32_t lonely_psu;  /* SOCIND_LONELY_* (default FAIL) */
    int32_t nest;        /* 0 (default) or 1, as socind_design_options */
    int32_t nonpositive; /* SOCIND_NONPOS_* for Watts, GE, Atkinson (default ERROR) */
    int32_t line_type;   /* poverty estimates: SOCIND_LINE_ABSOLUTE (default),
                            SOCIND_LINE_PER_ROW (the chunk's y2 holds the lines),
                            SOCIND_LINE_RELATIVE_QUANTILE or _RELATIVE_MEAN
                            (line is the fraction; rank-based) */
    int32_t inclusive;   /* poverty estimates: 0 poor if y < z (default), 1 y <= z */
    double line;         /* SOCIND_LINE_ABSOLUTE: the line (finite, > 0); a
                            relative line: the fraction (finite, > 0) */
    double alpha;        /* FGT's α (>= 0; the decomposition's > 1), GE's θ
                            (finite), Atkinson's ε (finite, > 0) */
    double p;            /* QUANTILE, LORENZ: p in (0, 1); SHARE_RATIO: alpha1;
                            a RELATIVE_QUANTILE line: its quantile (NaN: 0.5) */
    double p2;           /* SHARE_RATIO: alpha2 in (0, 1) */
} socind_state_spec;

/* Sets size, estimator 0 (must be set), n_groups 0, no strata, PSU or fpc
 * columns, lonely_psu FAIL, nest 0, nonpositive ERROR, an absolute line of
 * NaN (must be set for poverty estimates), exclusive, alpha, p and p2 NaN
 * (must be set where used). SOCIND_ERR_NULL for NULL. Thread-safe. */
SOCIND_API int32_t socind_state_spec_init(socind_state_spec *spec);

/* A chunk of rows, the caller's arrays (read during the call only). */
typedef struct socind_chunk {
    size_t size;           /* sizeof(socind_chunk) */
    size_t n;              /* rows in the chunk (0 is accepted: nothing changes) */
    int64_t first_row;     /* the number of the chunk's first row in the whole
                              data (>= 0): rows are named by it */
    const double *weight;  /* n weights, finite and >= 0 (required) */
    const int64_t *strata; /* n ids, required iff spec.has_strata */
    const int64_t *psu;    /* n ids, required iff spec.has_psu */
    const double *fpc;     /* n values, required iff spec.has_fpc */
    const int32_t *group;  /* n domain codes, required iff spec.n_groups >= 1 */
    const double *y;       /* n values: the estimate's variable (the income,
                              the 0/1 variable, the ratio's numerator; NaN =
                              missing) (required) */
    const double *y2;      /* n values: the ratio's denominator, or per-row
                              poverty lines; NULL where unused */
} socind_chunk;

/* Sets size and every other field 0/NULL. SOCIND_ERR_NULL for NULL. */
SOCIND_API int32_t socind_chunk_init(socind_chunk *chunk);

/* Opaque partial state. */
typedef struct socind_state socind_state;

/* An empty state for spec (copied). SOCIND_OK and *out, or SOCIND_ERR_NULL,
 * SOCIND_ERR_OPTIONS (spec's size), SOCIND_ERR_ARG (an unknown estimator, a
 * parameter out of range as the in-memory function checks it, a flag not
 * 0/1, an unknown policy, n_groups < 0), SOCIND_ERR_NOMEM. *out is NULL
 * on failure. A mean's and a proportion's likelihood state reserve their
 * tables of n_groups domains zeroed without writing them (calloc): making
 * one takes O(1) time and resident memory whatever n_groups, the pages of
 * a domain being the system's to give when the domain takes rows, or
 * SOCIND_ERR_NOMEM where the address space is not there (about 20 bytes a
 * domain for a mean, 129 for the likelihood state). The rank-based states
 * write their per-domain tables when made: O(n_groups) time and memory
 * (resident, measured at 10^7 domains: about 72 bytes a domain for a
 * quantile, Lorenz ordinate, Gini, Sen and SST, 88 for a share ratio, 24
 * for a measure against a relative line, 112 for the median of the poor
 * and the relative median gap), since those tables start at values other
 * than 0 (no bucket −1, no figure NaN, no income's extremes +inf and
 * −inf) and their bytes carry every domain's entry; where the address
 * space is not there, SOCIND_ERR_NOMEM.
 * Free with socind_state_free(). */
SOCIND_API int32_t socind_state_new(const socind_state_spec *spec, socind_state **out);

/* Frees a state; NULL is accepted. */
SOCIND_API void socind_state_free(socind_state *state);

/* Adds a chunk's rows. SOCIND_OK, or SOCIND_ERR_NULL (state, chunk, a
 * required column NULL), SOCIND_ERR_OPTIONS (chunk's size), SOCIND_ERR_ARG
 * (a column given that the spec does not use, first_row < 0 or first_row + n
 * beyond 2^62), SOCIND_ERR_WEIGHT, SOCIND_ERR_FPC, SOCIND_ERR_GROUP,
 * SOCIND_ERR_NESTING, SOCIND_ERR_DATA (±Inf, a proportion's value not 0/1,
 * a per-row line not finite and > 0), SOCIND_ERR_NONPOSITIVE, each naming
 * the row (first_row + i); SOCIND_ERR_NOMEM. On failure the state is left
 * as it was before the call (a chunk is added whole or not at all). Cost:
 * O(n) with a hash lookup per change of (PSU, domain) between consecutive
 * rows; a mean's, plus the cells of the domains whose shift the chunk moves
 * (rows before a domain's lowest-numbered row so far: chunks out of row
 * order), whatever n_groups; a share ratio's, a relative quantile line's
 * and a measure's against a relative line reach only the domains of the
 * chunk's rows (their incomes' moments), whatever n_groups. */
SOCIND_API int32_t socind_state_add(socind_state *state, const socind_chunk *chunk);

/* Adds from's PSUs and cells into into (from is unchanged). Merging is
 * commutative (a + b and b + a are the same bits) and associative up to the
 * pair-of-doubles rounding above.
 * SOCIND_OK, or SOCIND_ERR_NULL, SOCIND_ERR_ARG (from is into: a state does
 * not merge into itself), SOCIND_ERR_MISMATCH (different specs, or passes),
 * SOCIND_ERR_NESTING (a PSU in two strata; the row named is from's first
 * row of it), SOCIND_ERR_FPC (a PSU with two fpc values), SOCIND_ERR_NOMEM.
 * On failure into is left as it was. Cost O(from's PSUs + cells); a
 * mean's, plus from's domains with a shift and into's cells of the domains
 * whose shift moves (from holds rows before into's), whatever n_groups; a
 * proportion's likelihood state's, plus the domains that have rows in
 * either state in its first pass (whatever n_groups), O(n_groups) in its
 * second (every domain's mean weight is compared and listed). */
SOCIND_API int32_t socind_state_merge(socind_state *into, const socind_state *from);

/* Raises the state's number of domains to n_groups (a reader that learns
 * its domains' labels as it goes: codes already used keep their meaning,
 * new codes may follow), so that it merges with states of n_groups
 * domains. SOCIND_OK, or SOCIND_ERR_NULL, SOCIND_ERR_ARG (n_groups below the
 * state's, 2^31 − 1 for the poverty profile (its spec.n_groups' limit), a
 * state made without domains, a rank-based state, which keeps
 * data per domain, or a proportion's likelihood state in its second pass,
 * which keeps each domain's mean weight), SOCIND_ERR_NOMEM (the state is
 * then unchanged). Cost O(cells) for the poverty profile (its rows in no
 * domain move to the new last code), O(cells + domains with a shift) for a
 * mean (its tables made anew, zeroed, with the domains it has seen),
 * O(domains with rows) for a proportion's likelihood state (likewise: its
 * tables reserved zeroed without writing them, the domains with rows
 * copied), O(1) otherwise. */
SOCIND_API int32_t socind_state_set_groups(socind_state *state, int32_t n_groups);

/* What finishing writes and what the state holds: *count estimates (the
 * in-memory function's: COUNT parts per domain for a decomposition, times
 * max(1, n_groups)), *npsu PSUs and *ncells cells so far, *bytes the size
 * of its serialised form. Any pointer may be NULL. SOCIND_ERR_NULL for a
 * NULL state. */
SOCIND_API int32_t socind_state_info(const socind_state *state, size_t *count, size_t *npsu,
                                     size_t *ncells, size_t *bytes);

/* Finishes the state into out (n_out estimates, at least the count of
 * socind_state_info), as the in-memory estimator over all the rows added
 * would with opts (NULL = defaults; opts->threads is not used). Returns the
 * in-memory function's status (SOCIND_ERR_EMPTY when no row was usable,
 * SOCIND_ERR_ZERO_WEIGHTS, SOCIND_ERR_LONELY_PSU, SOCIND_ERR_FPC …), or
 * SOCIND_ERR_NULL, SOCIND_ERR_BUFFER (n_out too small: nothing written),
 * SOCIND_ERR_ARG (prop_ci LIKELIHOOD for a SOCIND_STATE_PROPORTION state:
 * SOCIND_STATE_PROPORTION_LIKELIHOOD gives it), SOCIND_ERR_NOMEM;
 * on failure every estimate written is NaN with the status. The state is
 * not changed: it can take more chunks and be finished again. Cost
 * O(cells·log(cells) + PSUs·log(PSUs)); a rank-based state's, its rows'
 * sort and the in-memory call on them. A state of a pass before its
 * estimate's last gives SOCIND_ERR_ARG. */
SOCIND_API int32_t socind_state_finish(const socind_state *state, const socind_options *opts,
                                       socind_estimate *out, size_t n_out);

/* Passes. A rank-based estimate needs the rows more than once: every chunk
 * is added to states of pass 1, they are merged, socind_state_next_pass()
 * makes from the merged state an empty state of pass 2 that carries what
 * pass 1 learned (in its bytes too, so that workers elsewhere can start
 * pass 2 from them), every chunk is added again, and so on; the merged
 * state of the last pass finishes. Every estimator in this header takes
 * one pass but the poverty estimates against a relative mean line, which
 * take two; the quantile, the share ratio and the Lorenz ordinate, which
 * take two, or three where a limit falls outside the rows the quantile's
 * pass 2 keeps, the share ratio's kernel series cannot hold its sums or
 * the Lorenz ordinate's point leaves its bucket (their *passes says 2 in
 * pass 1, and in pass 2 the merged state's answer: ask the merged state,
 * after every chunk is in; the quantile's runs the variance engine, as its
 * finish then does again, and each selects among the kept rows, so
 * SOCIND_ERR_NOMEM is possible); a
 * relative quantile line's POVERTY_LINE and the poverty estimates against
 * a relative quantile line, which take three (the line's density at a
 * quantile pass 2 finds, and each estimate's sums against a line known
 * from it); the median of the poor and
 * the relative median gap, five; and the Gini, the Sen and the SST
 * indices, which take two or more: *passes is this pass + 1 while the
 * Gini's plan has ranges left, else this pass
 * (see "Rank-based estimates" above); and a proportion's likelihood
 * state, which takes two (each domain's mean weight, then the fit; its
 * finish refuses, SOCIND_ERR_MISMATCH, a second pass that added another
 * number of rows to a domain than the first). Each later pass must add the
 * first pass's rows, once each; where the merged state of a later pass
 * shows otherwise, finishing it or making its next pass is
 * SOCIND_ERR_MISMATCH: the Gini's, Sen's and SST's ranges must hold the
 * rows of positive weight the pass before counted there; the quantile's
 * (pass 2), Lorenz's, the share ratio's and a relative quantile line's
 * domains (and so a poverty estimate's against such a line) must weigh
 * what pass 1's did, within 1e−12 relative (a row of weight 0, or of a
 * weight below 1e−12 of its domain's, is not seen); so must FGT's, the
 * poor count's, the gap total's, the mean shortfall's and Watts's
 * (refusing incomes <= 0) and their decompositions' against a relative
 * line, against pass 1's weight per domain. Not checked: a
 * quantile's pass 3 (its limits' rows alone), Watts excluding incomes <=
 * 0, the poverty profile, the median of the poor's and the relative
 * median gap's own sums beyond their line's. States of a later pass merge
 * only when what they carry from the pass before is the same — they come
 * from the same merged state, or from merged states that agree on all of
 * it (the plan of what to keep; a proportion's likelihood state: each
 * domain's rows and mean weight) — else SOCIND_ERR_MISMATCH. *pass
 * (1-based) and *passes (either may be NULL). SOCIND_ERR_NULL for a NULL
 * state. */
SOCIND_API int32_t socind_state_passes(const socind_state *state, int32_t *pass, int32_t *passes);

/* An empty state of the next pass from the merged state of this one
 * (merged is unchanged). SOCIND_OK and *next, or SOCIND_ERR_NULL,
 * SOCIND_ERR_ARG (merged is in its estimate's last pass), SOCIND_ERR_NOMEM,
 * SOCIND_ERR_MISMATCH (its rows are not the first pass's: above);
 * *next is NULL on failure. Cost: the histogram's sort and O(PSUs +
 * cells + rows kept); the quantile's, the share ratio's and the Lorenz
 * ordinate's pass 2 → 3 are taken only where socind_state_passes says 3
 * (the quantile's runs the variance engine, as socind_state_finish). A failure of that engine (a
 * lonely PSU under SOCIND_LONELY_FAIL …) is kept in the next state and returned by its finish. */
SOCIND_API int32_t socind_state_next_pass(const socind_state *merged, socind_state **next);

/* Serialises the state into buf (cap bytes): *len is set to the size it
 * takes (always, when len is not NULL). buf NULL with cap 0 asks for the
 * size only (SOCIND_OK). The format (docs/state-format.md): little-endian,
 * versioned, a CRC-32 over every byte before it. SOCIND_OK, SOCIND_ERR_NULL
 * (state, or buf NULL with cap > 0), SOCIND_ERR_BUFFER (cap too small:
 * nothing written). */
SOCIND_API int32_t socind_state_to_bytes(const socind_state *state, void *buf, size_t cap,
                                         size_t *len);

/* Reads a state from len bytes. SOCIND_OK and *out (free with
 * socind_state_free), or SOCIND_ERR_NULL, SOCIND_ERR_FORMAT (not a state:
 * wrong magic, another format version, truncated, a checksum that does not
 * match, or contents that break the format's rules — the detail says
 * which), SOCIND_ERR_NOMEM. Never reads beyond len bytes. *out is NULL on
 * failure. */
SOCIND_API int32_t socind_state_from_bytes(const void *buf, size_t len, socind_state **out);

/* ---- the prevalence table (WHO 2006 and 2007) as a partial state ----
 *
 * A state of SOCIND_STATE_PREVALENCE_WHO2006 (or _WHO2007) is the table of
 * socind_prevalence_who2006() (socind_prevalence_who2007()) built chunk by
 * chunk: z-scores are row-local, so each chunk's children are scored, the
 * age filter applied and each kept child's sums added to its (PSU, cell,
 * domain), the cells being the standard breakdowns' finest groups (2006:
 * age group incl. none × sex incl. none, 21; 2007: Age Group 1 × Age Group
 * 2 × sex incl. none). The spec uses estimator, n_groups (the domain
 * column, as the in-memory group/n_groups), has_strata, has_psu, has_fpc,
 * lonely_psu and nest: the design the caller would give socind_design_new()
 * over all the rows (anthro's: SOCIND_LONELY_ADJUST and nest = 1, see
 * nutrition.h); the other fields are ignored.
 *
 * Finishing builds that design with one row per PSU, restricts it to the
 * PSUs with a kept child (as the in-memory table restricts the caller's
 * design: n_h, lonely strata and df over the kept children; each stratum
 * keeps the full design's sampling fraction), and computes every row of
 * the table from the cells' sums through the variance engine. The table
 * equals the in-memory one over all the rows, row for row: codes, counts
 * and statuses exactly, value, SE, CI and SD within 1e−12 relative (the
 * tests check it on the reference children, with random chunkings, PSUs
 * split across chunks, empty chunks, merged in random orders, through
 * bytes). A design with strata or a PSU column follows anthro's survey
 * backend; a state without either follows anthro's closed formulas, as the
 * in-memory table does for a design built without them.
 *
 * Without a PSU column (every child its own PSU: a weights-only design,
 * or strata only, anthro's closed formulas included) a state keeps no
 * record per child: per stratum its rows, kept children and kept children
 * of non-zero weight, and per (stratum, cell, domain) the sums above and 43
 * second moments (Σw², Σw²·1[cut], Σw²·z, Σw²·z² …). A stratum's sum of the
 * children's linearized values u = w·(x − r)/W and of their squares follow
 * from them, (Σw²x² − 2r·Σw²x + r²·Σw²)/W², and its centred sum of squares
 * over its n_h PSUs is Σu² − (Σu)²/n_h: the variance engine's formula
 * (present strata, lonely strata, FULL and SUBSET) on those sums. The
 * in-memory table takes this path for such designs (on one thread too).
 *
 * Exactness. With a PSU column a cell's sums are doubles added in row order
 * (the in-memory table's own per-PSU sums are doubles too); the counts
 * among them are exact integers. Without one, where a cell gathers a
 * stratum's children, each sum is a pair of doubles (TwoSum for each child
 * and on merging: about 2^−104 relative of the sum of the terms' magnitudes,
 * whatever the number of children). The same chunks merged in the same
 * order give the same bits; another chunking or merge order changes a
 * cell's sums only where it is split across states, by the rounding of one
 * addition (2^−53 relative with PSUs, 2^−104 without), far inside 1e−12 of
 * the figures; the moments' Σu² − (Σu)²/n_h loses no more than the
 * engine's two-pass sum where a stratum's u vary (as prevalences' and
 * z-scores' do).
 *
 * Memory. With a PSU column, 61 sums a cell (about 0.5 kB with its keys,
 * 504 bytes in the bytes): a state holds about 0.5 kB × (occupied cells per
 * PSU) × PSUs, so its size follows the design, not the children: 10^5
 * clusters of any size take about 0.6 GB for the 2006 table without
 * domains (12 cells a cluster). Without a PSU column, 104 sums as pairs a
 * cell (about 1.7 kB): strata × 21 cells (2007: 45 occupied at most) ×
 * (domains + 1), whatever the number of children.
 *
 * anthro's rule "when every child the table keeps has the same cluster id,
 * every child is its own PSU" is the caller's, as for the in-memory table
 * (nutrition.h): a state follows the design it is given, and a state whose
 * kept children share one PSU finishes with that one PSU (df 0: t intervals
 * SOCIND_ERR_DF). A caller who wants anthro's rule on chunked data learns
 * from a first look at the cluster column whether the rule applies, and then
 * gives has_psu = 0. */

/* Adds a chunk of children to a prevalence state: design_part gives n, the
 * first row's number, weight, and the strata, psu, fpc and group columns
 * the spec asks for (y and y2 must be NULL); in the chunk's n children's
 * growth columns (as socind_prevalence_who2006's in). Rows the age filter
 * leaves out count only in the design's checks (nesting, fpc, the lonely
 * strata of the full design). SOCIND_OK, or SOCIND_ERR_NULL (state, chunk,
 * in, in->sex, a required column NULL), SOCIND_ERR_OPTIONS (chunk's or in's
 * size), SOCIND_ERR_ARG (a column given the spec does not use, first_row
 * as socind_state_add, a state of another estimator or of the 2007 table,
 * or as socind_growth_who2006()), SOCIND_ERR_WEIGHT, SOCIND_ERR_FPC,
 * SOCIND_ERR_GROUP, SOCIND_ERR_NESTING, each naming the row (first_row +
 * i), SOCIND_ERR_NOMEM. On failure the state is as before the call. Cost
 * O(n) (the z-scores dominate) and about 150 bytes per child of the chunk
 * during the call. Not thread-safe on one state; distinct states are
 * independent. */
SOCIND_API int32_t socind_state_add_growth(socind_state *state, const socind_chunk *design_part,
                                           const socind_growth_input *in);

/* The same for the WHO 2007 (5–19 years) table: in as
 * socind_prevalence_who2007's (sex and age_months required; SOCIND_ERR_ARG
 * as socind_growth_who2007()). */
SOCIND_API int32_t socind_state_add_growth2007(socind_state *state, const socind_chunk *design_part,
                                               const socind_growth2007_input *in);

/* Finishes a prevalence state into *out, the table socind_prevalence_who2006
 * (_who2007) gives over all the rows added with opts (NULL = defaults; its
 * threads are not used), freed with socind_prevalence_table_free(). Returns
 * that function's statuses (SOCIND_ERR_EMPTY: no row added, or no child
 * kept; SOCIND_ERR_ZERO_WEIGHTS, SOCIND_ERR_LONELY_PSU naming the first row
 * seen of the PSU; per-row statuses in the table), or SOCIND_ERR_NULL,
 * SOCIND_ERR_OPTIONS, SOCIND_ERR_ARG (a bad option, or a state of another
 * estimator), SOCIND_ERR_NOMEM; *out is NULL on failure. The state is not
 * changed. Cost O(cells + PSUs·log PSUs) and the design's work arrays
 * (about 0.5 kB a PSU). Only reads the state. */
SOCIND_API int32_t socind_state_finish_table(const socind_state *state, const socind_options *opts,
                                             socind_prevalence_table **out);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_STATE_H */
