/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli.h"
int cmd_report(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return EXIT_USAGE;
}
