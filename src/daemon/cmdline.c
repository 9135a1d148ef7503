/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmdline.c - ptp4l's command line for gnomond: the short options of
 * ptp4l and a --NAME VALUE (or --NAME=VALUE) long option for every
 * entry of the option table, through getopt_long as ptp4l does.
 *
 * Values given here win over the configuration file whatever the order
 * (they are kept in their own layer of the store). It must not print:
 * every problem goes back to the caller as a message.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

/* getopt_long returns GN_LONG_BASE + k for long option k. */
#define GN_LONG_BASE 0x100

static const char short_opts[] = ":AEP246HSLf:i:p:sl:mqvh";

/* Short options that set an option of the table. */
static const struct {
	int opt;
	const char *name;
	const char *value; /* NULL: the argument */
} short_map[] = {
    {'A', "delay_mechanism", "Auto"},
    {'E', "delay_mechanism", "E2E"},
    {'P', "delay_mechanism", "P2P"},
    {'2', "network_transport", "L2"},
    {'4', "network_transport", "UDPv4"},
    {'6', "network_transport", "UDPv6"},
    {'H', "time_stamping", "hardware"},
    {'S', "time_stamping", "software"},
    {'L', "time_stamping", "legacy"},
    {'s', "clientOnly", "1"},
    {'l', "logging_level", NULL},
    {'m', "verbose", "1"},
    {'q', "use_syslog", "0"},
};

/* The table's names, then the aliases. */
static struct option *long_options(void)
{
	unsigned n = gn_opt_count + gn_opt_alias_count, i;
	struct option *lo = calloc(n + 1, sizeof(*lo));

	if (!lo)
		return NULL;
	for (i = 0; i < n; i++) {
		lo[i].name = i < gn_opt_count
				 ? gn_opt_table[i].info.name
				 : gn_opt_aliases[i - gn_opt_count].alias;
		lo[i].has_arg = required_argument;
		lo[i].flag = NULL;
		/* Distinct values also let glibc tell real ambiguities of
		 * abbreviated names from duplicates. */
		lo[i].val = GN_LONG_BASE + (int)i;
	}
	return lo;
}

/* -p /dev/ptpN: ptp4l takes the PHC index from the device name. */
static int set_phc_device(struct gn_config *cfg, const char *dev, char *err,
			  size_t errlen)
{
	static const char prefix[] = "/dev/ptp";
	const char *num = dev + strlen(prefix);
	const char *p;

	if (strncmp(dev, prefix, strlen(prefix)) || !*num)
		goto bad;
	for (p = num; *p; p++)
		if (*p < '0' || *p > '9')
			goto bad;
	return gn_config_set_cmdline(cfg, "phc_index", num, err, errlen);
bad:
	snprintf(err, errlen,
		 "command line: option '-p': '%.64s' is not a PHC device "
		 "(expected /dev/ptpN)",
		 dev);
	return -EINVAL;
}

static int add_interface(struct gn_config *cfg, const char *ifname, char *err,
			 size_t errlen)
{
	int rc = gn_config_add_interface(cfg, ifname);

	if (rc >= 0)
		return 0;
	if (rc == -ENAMETOOLONG)
		snprintf(err, errlen,
			 "command line: option '-i': interface name '%.64s' "
			 "too long (at most %d characters)",
			 ifname, GN_PORT_NAME_MAX - 1);
	else if (rc == -ENOSPC)
		snprintf(err, errlen,
			 "command line: option '-i': too many interfaces (at "
			 "most %d)",
			 GN_CONFIG_MAX_INTERFACES);
	else
		snprintf(err, errlen,
			 "command line: option '-i': bad interface name "
			 "'%.64s'",
			 ifname);
	return rc == -ENOMEM ? rc : -EINVAL;
}

static const char *long_name(const struct option *lo, int val)
{
	return lo[val - GN_LONG_BASE].name;
}

static int short_option(struct gn_config *cfg, int c, const char *arg,
			char *err, size_t errlen)
{
	unsigned i;

	for (i = 0; i < sizeof(short_map) / sizeof(short_map[0]); i++)
		if (short_map[i].opt == c)
			return gn_config_set_cmdline(
			    cfg, short_map[i].name,
			    short_map[i].value ? short_map[i].value : arg, err,
			    errlen);
	snprintf(err, errlen, "command line: unknown option '-%c'", c);
	return -EINVAL;
}

int gn_cmdline_parse(struct gn_config *cfg, int argc, char *const argv[],
		     struct gn_cmdline *out, char *err, size_t errlen)
{
	unsigned nlong = gn_opt_count + gn_opt_alias_count;
	struct option *lo;
	char dummy[1];
	int c, rc = 0;

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	memset(out, 0, sizeof(*out));
	lo = long_options();
	if (!lo) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* 0 makes glibc start over (tests parse several command lines);
	 * opterr 0: the messages are ours. */
	optind = 0;
	opterr = 0;
	while (!rc &&
	       (c = getopt_long(argc, argv, short_opts, lo, NULL)) != -1) {
		switch (c) {
		case 'f':
			out->config_file = optarg;
			break;
		case 'i':
			rc = add_interface(cfg, optarg, err, errlen);
			break;
		case 'p':
			rc = set_phc_device(cfg, optarg, err, errlen);
			break;
		case 'h':
			out->help = true;
			goto done;
		case 'v':
			out->version = true;
			goto done;
		case ':':
			if (optopt >= GN_LONG_BASE &&
			    optopt < GN_LONG_BASE + (int)nlong)
				snprintf(err, errlen,
					 "command line: option '--%s' needs "
					 "a value",
					 long_name(lo, optopt));
			else
				snprintf(err, errlen,
					 "command line: option '-%c' needs an "
					 "argument",
					 optopt);
			rc = -EINVAL;
			break;
		case '?':
			if (optopt > 0 && optopt < GN_LONG_BASE)
				snprintf(err, errlen,
					 "command line: unknown option '-%c'",
					 optopt);
			else
				snprintf(err, errlen,
					 "command line: unknown or ambiguous "
					 "option '%.64s'",
					 argv[optind - 1]);
			rc = -EINVAL;
			break;
		default:
			if (c >= GN_LONG_BASE && c < GN_LONG_BASE + (int)nlong)
				rc = gn_config_set_cmdline(
				    cfg, long_name(lo, c), optarg, err, errlen);
			else
				rc = short_option(cfg, c, optarg, err, errlen);
			break;
		}
	}
	if (!rc && optind < argc) {
		/* ptp4l ignores them; a forgotten "-i" is likelier. */
		snprintf(err, errlen,
			 "command line: unexpected argument '%.64s'",
			 argv[optind]);
		rc = -EINVAL;
	}
	if (!rc && out->config_file)
		rc = gn_config_read(cfg, out->config_file, err, errlen);
done:
	free(lo);
	return rc;
}

void gn_cmdline_usage(const char *progname, void *file)
{
	FILE *fp = file;

	fprintf(fp,
		"\nusage: %s [options]\n\n"
		" Delay Mechanism\n\n"
		" -A        Auto, starting with E2E\n"
		" -E        E2E, delay request-response (default)\n"
		" -P        P2P, peer delay mechanism\n\n"
		" Network Transport\n\n"
		" -2        IEEE 802.3\n"
		" -4        UDP IPV4 (default)\n"
		" -6        UDP IPV6\n\n"
		" Time Stamping\n\n"
		" -H        HARDWARE (default)\n"
		" -S        SOFTWARE\n"
		" -L        LEGACY HW\n\n"
		" Other Options\n\n"
		" -f [file] read configuration from 'file'\n"
		" -i [dev]  interface device to use, for example 'eth0'\n"
		"           (may be specified multiple times)\n"
		" -p [dev]  PHC device to use (/dev/ptpN), default auto\n"
		"           (ignored for SOFTWARE/LEGACY HW time stamping)\n"
		" -s        client only synchronization mode (overrides "
		"configuration file)\n"
		" -l [num]  set the logging level to 'num'\n"
		" -m        print messages to stdout\n"
		" -q        do not print messages to the syslog\n"
		" -v        prints the software version and exits\n"
		" -h        prints this message and exits\n"
		" --NAME VALUE, --NAME=VALUE\n"
		"           set configuration option NAME (see "
		"docs/configuration.md)\n"
		"\n",
		progname);
}
