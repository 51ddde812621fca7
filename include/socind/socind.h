/* SPDX-License-Identifier: GPL-3.0-or-later */
/* socind/socind.h — umbrella header: include this one. */
#ifndef SOCIND_SOCIND_H
#define SOCIND_SOCIND_H

#include "socind/common.h"
#include "socind/design.h"
#include "socind/codes.h"
#include "socind/growth.h"
#include "socind/poverty.h"
#include "socind/nutrition.h"
#include "socind/inequality.h"
#include "socind/state.h"
#include "socind/calibrate.h"
#include "socind/replicate.h"
#include "socind/growth_incidence.h"
#include "socind/change.h"
#include "socind/targeting.h"
#include "socind/simulate.h"

#endif /* SOCIND_SOCIND_H */
