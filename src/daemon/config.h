/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.h - gnomond's configuration: ptp4l's configuration file format
 * and options (every option of linuxptp's configs/default.cfg, same
 * names, defaults, ranges and meanings), gnomon's own options, and
 * ptp4l's command line.
 *
 * Precedence, as ptp4l: command line > interface section > [global] >
 * built-in default. Options of gnomon's own use the same format.
 */
#ifndef GN_DAEMON_CONFIG_H
#define GN_DAEMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"

struct gn_config;

#define GN_CONFIG_MAX_INTERFACES 64
#define GN_CONFIG_ERR_MAX	 512

struct gn_config *gn_config_create(void);
void gn_config_destroy(struct gn_config *cfg);

/*
 * The parser hook (for programs that share ptp4l's file format but
 * implement more than gnomond, such as gnomon-phc2sys): asked about
 * every value the option table marks "not supported yet"; true accepts
 * it. name is the option, text the value as written, ivalue its parsed
 * value for integer and enumerated options (0 otherwise). Only values
 * that already passed the range check reach it. Without a hook (gnomond)
 * nothing changes.
 */
typedef bool (*gn_config_accept_fn)(void *ctx, const char *name,
				    const char *text, int64_t ivalue);
void gn_config_set_accept_hook(struct gn_config *cfg, gn_config_accept_fn fn,
			       void *ctx);

/*
 * Reads a configuration file. Errors are written into err as
 * "FILE:LINE: option 'NAME': what is wrong (allowed: RANGE)" or
 * "FILE:LINE: ..." for syntax errors; returns 0 or a negative errno
 * (-ENOENT when the file cannot be opened, -EINVAL otherwise).
 * Options that exist in linuxptp but that gnomond does not implement are
 * rejected with "not supported yet" unless they are set to their
 * default value.
 */
int gn_config_read(struct gn_config *cfg, const char *path, char *err,
		   size_t errlen);

/*
 * Sets an option from the command line (--name value): highest
 * precedence, global scope. Same checks and messages as the file,
 * "command line: option 'NAME': ...".
 */
int gn_config_set_cmdline(struct gn_config *cfg, const char *name,
			  const char *value, char *err, size_t errlen);

/* Adds an interface (-i, or a [name] section). Returns its index or a
 * negative errno; adding the same name twice returns the first index. */
int gn_config_add_interface(struct gn_config *cfg, const char *ifname);
unsigned gn_config_num_interfaces(const struct gn_config *cfg);
const char *gn_config_interface(const struct gn_config *cfg, unsigned i);

/*
 * Option values. iface NULL reads the global value; else the interface
 * section's value if set there, else the global. Integer options
 * (including enumerations, read as their numeric value) through
 * get_int, real ones through get_double, strings through get_string.
 * Asking for an unknown name or the wrong type aborts (a programming
 * error, not a user error).
 */
int64_t gn_config_get_int(const struct gn_config *cfg, const char *iface,
			  const char *name);
double gn_config_get_double(const struct gn_config *cfg, const char *iface,
			    const char *name);
const char *gn_config_get_string(const struct gn_config *cfg,
				 const char *iface, const char *name);
/* True when the option was set by the file or command line. */
bool gn_config_is_set(const struct gn_config *cfg, const char *iface,
		      const char *name);

/*
 * Values of enumerated options (get_int returns these).
 */
enum gn_cfg_transport { GN_CFG_UDPV4 = 1, GN_CFG_UDPV6 = 2, GN_CFG_L2 = 3 };
enum gn_cfg_delay_mech {
	GN_CFG_DM_AUTO = 0,
	GN_CFG_DM_E2E = 1,
	GN_CFG_DM_P2P = 2,
	GN_CFG_DM_COMMON_P2P = 3, /* added by the config helper */
	GN_CFG_DM_NONE = 0xFE,
};
enum gn_cfg_timestamping {
	GN_CFG_TS_SOFTWARE = 0,
	GN_CFG_TS_HARDWARE = 1,
	GN_CFG_TS_LEGACY_HW = 2,
	GN_CFG_TS_ONESTEP = 3,
	GN_CFG_TS_P2P1STEP = 4,
};
enum gn_cfg_clock_target {
	GN_CFG_TARGET_AUTO = 0,
	GN_CFG_TARGET_SYSTEM,
	GN_CFG_TARGET_PHC,
	GN_CFG_TARGET_VIRTUAL,
};
enum gn_cfg_servo {
	GN_CFG_SERVO_PI = 0,
	GN_CFG_SERVO_LINREG,
	GN_CFG_SERVO_NTPSHM,
	GN_CFG_SERVO_NULLF,
	GN_CFG_SERVO_REFCLOCK_SOCK,
	GN_CFG_SERVO_KALMAN,
};

/* Further enumerations (added with the option table). */
enum gn_cfg_clock_type {
	GN_CFG_CLOCK_OC = 0,
	GN_CFG_CLOCK_BC,
	GN_CFG_CLOCK_P2P_TC,
	GN_CFG_CLOCK_E2E_TC,
};
enum gn_cfg_dscmp { GN_CFG_DSCMP_IEEE1588 = 0, GN_CFG_DSCMP_G8275 };
enum gn_cfg_filter {
	GN_CFG_FILTER_MOVING_MEDIAN = 0,
	GN_CFG_FILTER_MOVING_AVERAGE,
	GN_CFG_FILTER_ROBUST_MEAN, /* gnomon's: spike-rejecting mean */
};
/* Same values as enum gn_hwts_filter of src/platform/transport.h. */
enum gn_cfg_hwts_filter {
	GN_CFG_HWTS_NORMAL = 0,
	GN_CFG_HWTS_CHECK,
	GN_CFG_HWTS_FULL,
};
enum gn_cfg_tsproc {
	GN_CFG_TSPROC_FILTER = 0,
	GN_CFG_TSPROC_RAW,
	GN_CFG_TSPROC_FILTER_WEIGHT,
	GN_CFG_TSPROC_RAW_WEIGHT,
};
enum gn_cfg_as_capable { GN_CFG_AS_CAPABLE_AUTO = 0, GN_CFG_AS_CAPABLE_TRUE };
enum gn_cfg_bmca { GN_CFG_BMCA_PTP = 0, GN_CFG_BMCA_NOOP };
enum gn_cfg_power_profile {
	GN_CFG_POWER_PROFILE_NONE = 0,
	GN_CFG_POWER_PROFILE_2011,
	GN_CFG_POWER_PROFILE_2017,
};
enum gn_cfg_extts_polarity {
	GN_CFG_EXTTS_RISING = 1,
	GN_CFG_EXTTS_FALLING = 2,
	GN_CFG_EXTTS_BOTH = 3,
};
/* fault_reset_interval reads -128 for ASAP (as linuxptp's FRI_ASAP). */
#define GN_CFG_FRI_ASAP (-128)
/* Strings whose linuxptp default is unset (message_tag, leapfile,
 * sa_file) read as "", never NULL. docs/configuration.md lists every
 * option with its scope, default, range and whether it is supported. */

/*
 * Fills the core's configuration from the options. clock_identity is
 * taken from the option when set, else left for the caller (derived
 * from the MAC). Returns 0 or -EINVAL with a message (for combinations
 * that are invalid as a whole, e.g. clientOnly with serverOnly).
 */
int gn_config_clock(const struct gn_config *cfg, struct gn_clock_config *cc,
		    char *err, size_t errlen);
int gn_config_port(const struct gn_config *cfg, const char *iface,
		   struct gn_port_config *pc, char *err, size_t errlen);

/* ptp4l's command line. */
struct gn_cmdline {
	const char *config_file; /* -f, or NULL */
	bool help;		 /* -h */
	bool version;		 /* -v */
};

/*
 * Parses ptp4l's command line: -i -f -m -q -s -S -H -L -2 -4 -6 -E -P -A
 * -l -p -v -h and --NAME VALUE (or --NAME=VALUE) for every option.
 * Reads the -f file (command-line options keep precedence over it).
 * Returns 0, or a negative errno with the message in err (unknown
 * option, missing argument, bad value, unreadable file). No interface
 * given is not an error here (the daemon reports it).
 */
int gn_cmdline_parse(struct gn_config *cfg, int argc, char *const argv[],
		     struct gn_cmdline *out, char *err, size_t errlen);
/* ptp4l-like usage text for -h. */
void gn_cmdline_usage(const char *progname, void *file /* FILE * */);

/* For tests and docs: the table of options. */
struct gn_option_info {
	const char *name;
	bool per_port;	     /* may appear in an interface section */
	const char *dflt;    /* default as text */
	bool supported;	     /* false: only its default is accepted */
};
unsigned gn_config_num_options(void);
const struct gn_option_info *gn_config_option(unsigned i);

#endif
