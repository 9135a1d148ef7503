/* SPDX-License-Identifier: GPL-2.0-or-later */
/* golden.h - loading the golden captures of tests/data for unit tests. */
#ifndef GN_TEST_GOLDEN_H
#define GN_TEST_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

/* Reads tests/data/NAME.hex ('#' comment lines, then hex digits) into buf;
 * fails the running cmocka test on a missing file or bad content. */
size_t load_hex(const char *name, uint8_t *buf, size_t cap);

#endif
