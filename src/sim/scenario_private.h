/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scenario_private.h - what scenario.c and scenario_topo.c share: the
 * parser's state and its helpers. Not for use outside the parser.
 */
#ifndef GN_SIM_SCENARIO_PRIVATE_H
#define GN_SIM_SCENARIO_PRIVATE_H

#include "scenario.h"

enum section {
	SEC_NONE = 0,
	SEC_SIM,
	SEC_PTP,
	SEC_CLOCK,
	SEC_LINK,
	SEC_TOPOLOGY,
	SEC_EVENTS,
};

struct parser {
	struct gn_scenario *sc;
	const char *name;
	int line;
	enum section sec;
	int obj; /* index of the [ptp|clock|link NAME] being read */
	char *err;
	size_t errlen;
	/* name -> node index (open addressing, -1 empty) */
	int *hash;
	unsigned hash_cap;
};

/* "FILE:LINE: message" into the parser's error buffer; -EINVAL. */
int gn_scn_perr(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Grows *arr (elements of elem bytes, zeroed) to hold need. */
int gn_scn_grow(void **arr, int *cap, int need, size_t elem);
int gn_scn_parse_uint(const char *s, long lo, long hi, long *v);
/* "pre{a..b}post" -> names (caller frees); count or -errno. */
int gn_scn_expand(struct parser *p, const char *spec,
		  char (**out)[GN_SCN_NAME_MAX]);
int gn_scn_find_node(struct parser *p, const char *name);
int gn_scn_find_bridge(const struct gn_scenario *sc, const char *name);
int gn_scn_find_clock(const struct gn_scenario *sc, const char *name);
int gn_scn_find_link(const struct gn_scenario *sc, const char *name);
uint32_t gn_scn_name_hash(const char *s);
int gn_scn_hash_rebuild(struct parser *p, unsigned cap);
/* One line of [topology] / [events], split into words. */
int gn_scn_topo_line(struct parser *p, char **tok, int n);
int gn_scn_event_line(struct parser *p, char **tok, int n);

#endif
