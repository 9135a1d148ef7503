/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gnomond.c - the PTP daemon's entry point: ptp4l's command line, the
 * configuration, logging, signals; then the loop of daemon.c.
 *
 * SIGINT, SIGTERM and SIGQUIT end it cleanly (sockets closed, time
 * stamping restored, socket files removed). SIGHUP is ignored: a
 * daemon started from a terminal survives its closing, and there is no
 * reload yet (documented in gnomond(8)).
 */
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "log.h"

#ifndef GN_VERSION
#define GN_VERSION "0.1.0"
#endif

static volatile int stop_flag;

static void on_term(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGQUIT, &sa, NULL))
		return -errno;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGHUP, &sa, NULL) || sigaction(SIGPIPE, &sa, NULL))
		return -errno;
	return 0;
}

int main(int argc, char *argv[])
{
	char err[GN_CONFIG_ERR_MAX];
	struct gn_cmdline cl;
	struct gn_daemon d;
	struct gn_config *cfg;
	char *argv0 = strdup(argv[0] ? argv[0] : "gnomond");
	const char *prog = argv0 ? basename(argv0) : "gnomond";
	int rc;

	cfg = gn_config_create();
	if (!cfg) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	err[0] = '\0';
	rc = gn_cmdline_parse(cfg, argc, argv, &cl, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "%s: %s\n", prog, err);
		if (rc == -EINVAL && !err[0])
			gn_cmdline_usage(prog, stderr);
		gn_config_destroy(cfg);
		free(argv0);
		return 1;
	}
	if (cl.help) {
		gn_cmdline_usage(prog, stdout);
		gn_config_destroy(cfg);
		free(argv0);
		return 0;
	}
	if (cl.version) {
		printf("%s\n", GN_VERSION);
		gn_config_destroy(cfg);
		free(argv0);
		return 0;
	}

	gn_log_setup(prog, (int)gn_config_get_int(cfg, NULL, "logging_level"),
		     gn_config_get_int(cfg, NULL, "verbose") != 0,
		     gn_config_get_int(cfg, NULL, "use_syslog") != 0,
		     gn_config_get_string(cfg, NULL, "message_tag"));
	if (setup_signals() < 0) {
		fprintf(stderr, "%s: cannot install signal handlers\n", prog);
		return 1;
	}

	err[0] = '\0';
	rc = gn_daemon_init(&d, cfg, err, sizeof(err));
	if (rc) {
		pr_err("%s", err[0] ? err : strerror(-rc));
		if (!gn_log_enabled(3))
			fprintf(stderr, "%s: %s\n", prog, err);
		gn_daemon_fini(&d);
		gn_config_destroy(cfg);
		gn_log_close();
		free(argv0);
		return 1;
	}
	rc = gn_daemon_run(&d, &stop_flag);
	gn_daemon_fini(&d);
	gn_config_destroy(cfg);
	gn_log_close();
	free(argv0);
	return rc ? 1 : 0;
}
