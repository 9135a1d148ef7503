/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.h - the table of gnomond's configuration options, private to
 * the configuration library (config.c, cmdline.c, config_map.c and the
 * unit test). One descriptor per option: name, type, scope, range,
 * default, enumeration names and whether gnomond implements it. The
 * parser is generic; nothing here may hold per-option code.
 */
#ifndef GN_DAEMON_OPTIONS_H
#define GN_DAEMON_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

enum gn_opt_type {
	GN_OPT_INT,    /* integer (decimal, 0x hex or 0 octal, as strtol) */
	GN_OPT_DOUBLE, /* real number */
	GN_OPT_ENUM,   /* one of a list of names (case-insensitive) */
	GN_OPT_STRING,
};

/* What a string value must look like. */
enum gn_opt_format {
	GN_FMT_ANY,	 /* anything up to max_len bytes */
	GN_FMT_PATH_UDS, /* a Unix socket path (fits sun_path) */
	GN_FMT_MAC,	 /* six octets, "01:1B:19:00:00:00" */
	GN_FMT_OUI,	 /* three octets, "00:00:00" */
	GN_FMT_CLOCK_ID, /* "aabbcc.ddee.ff0011" (16 hex digits) */
	GN_FMT_TEXT,	 /* PTPText: at most max_len UTF-8 symbols */
	GN_FMT_TEXT_3,	 /* PTPText of three fields "a;b;c" */
	GN_FMT_IPV4,	 /* dotted quad */
	GN_FMT_IPV6,	 /* inet_pton(AF_INET6) */
};

struct gn_opt_enum {
	const char *name;
	int value;
	bool supported; /* false: parsed, rejected as "not supported yet" */
};

/* Flags. */
#define GN_OPT_F_ASAP	   (1u << 0) /* also accepts the word ASAP */
#define GN_OPT_F_SUP_RANGE (1u << 1) /* only sup_min..sup_max supported */

struct gn_opt {
	/* name, per_port, dflt (the default as text, parsed like a value
	 * when a configuration is created) and supported (false: only the
	 * default value is accepted). */
	struct gn_option_info info;
	enum gn_opt_type type;
	int64_t min, max;		 /* GN_OPT_INT: allowed range */
	double min_d, max_d;		 /* GN_OPT_DOUBLE: allowed range */
	int64_t sup_min, sup_max;	 /* with GN_OPT_F_SUP_RANGE */
	int64_t asap_value;		 /* what ASAP stands for */
	const struct gn_opt_enum *enums; /* GN_OPT_ENUM, ends with NULL */
	enum gn_opt_format format;	 /* GN_OPT_STRING */
	unsigned max_len;		 /* GN_OPT_STRING: bytes or symbols */
	unsigned flags;
	const char *also_default; /* other spelling of the default (linuxptp's
				   * default.cfg and config.c disagree) */
	const char *help;	  /* one line, for docs/configuration.md */
};

union gn_opt_value {
	int64_t i; /* GN_OPT_INT and GN_OPT_ENUM */
	double d;
	const char *s;
};

/* Old names linuxptp still accepts (it prints a deprecation warning). */
struct gn_opt_alias {
	const char *alias;
	const char *name;
};

#define GN_OPT_VALUE_MAX 1023 /* longest value (and line) accepted */

extern const struct gn_opt gn_opt_table[];
extern const unsigned gn_opt_count;
extern const struct gn_opt_alias gn_opt_aliases[];
extern const unsigned gn_opt_alias_count;

/* Index of an option by name (aliases resolved), or -1. Case-sensitive,
 * as linuxptp. */
int gn_opt_find(const char *name);

/*
 * Parses text as a value of o. check_range false skips the range check
 * (only for defaults: linuxptp has defaults outside their range, e.g.
 * ts2phc.pulsewidth -1). Strings are returned pointing into text.
 * Returns 0, or -EINVAL with "bad value 'x' (allowed: ...)" in msg.
 */
int gn_opt_parse(const struct gn_opt *o, const char *text, bool check_range,
		 union gn_opt_value *v, char *msg, size_t msglen);

/*
 * Whether gnomond implements value v of o (dflt: o's parsed default).
 * Returns 0, or -EOPNOTSUPP with "not supported yet" (whole option) or
 * "value 'x' not supported yet (supported: ...)" in msg.
 */
int gn_opt_check_supported(const struct gn_opt *o, const char *text,
			   const union gn_opt_value *v,
			   const union gn_opt_value *dflt, char *msg,
			   size_t msglen);

/* "allowed" text of o: "0..255", "UDPv4, UDPv6, L2", ">= 0" ... */
void gn_opt_allowed(const struct gn_opt *o, char *buf, size_t len);

/* The name of enum value v of o, or NULL. */
const char *gn_opt_enum_name(const struct gn_opt *o, int64_t v);

#endif
