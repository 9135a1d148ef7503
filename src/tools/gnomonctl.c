/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gnomonctl - gnomond's management client. Without a subcommand it is
 * linuxptp's pmc (same options, commands and output, gnomonctl_pmc.c)
 * over the Unix management socket; `status` shows the clock on one
 * screen, `watch` follows offset, delay and frequency live with
 * sparklines; --json turns every output into JSON.
 *
 * It only talks IEEE 1588 management to the daemon; it must not touch
 * clocks or read the daemon's memory.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "gnomonctl.h"
#include "tlv.h"

#define REPLY_WAIT_MS 100  /* pmc waits this long for late replies */
#define GET_WAIT_MS   1000 /* a friendly view's GET */
#define HISTORY	      60

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* ---- the management socket ---- */

int gnc_open(struct gnc *c)
{
	struct sockaddr_un sa;

	c->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", c->local);
	unlink(c->local);
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(c->fd);
		c->fd = -1;
		return err;
	}
	return 0;
}

void gnc_close(struct gnc *c)
{
	if (c->fd >= 0) {
		close(c->fd);
		unlink(c->local);
	}
	c->fd = -1;
}

int gnc_send(struct gnc *c, uint8_t action, uint16_t id, const uint8_t *data,
	     size_t len)
{
	uint8_t value[GN_MAX_MSG_LEN], frame[GN_MAX_MSG_LEN];
	struct gn_tlv_mgmt t = {
	    .id = id, .data_len = (uint16_t)len, .data = data};
	struct sockaddr_un sa;
	struct gn_msg m;
	int vlen, n;

	memset(&m, 0, sizeof(m));
	gn_header_init(&m.h, GN_MSG_MANAGEMENT);
	m.h.sdo_major = (uint8_t)(c->transport_specific >> 4);
	m.h.domain = c->domain;
	m.h.source = c->self;
	m.h.sequence_id = c->seq++;
	m.body.mgmt.target = c->target;
	m.body.mgmt.starting_boundary_hops = c->boundary_hops;
	m.body.mgmt.boundary_hops = c->boundary_hops;
	m.body.mgmt.action = action;
	vlen = gn_tlv_mgmt_encode(&t, value, sizeof(value));
	if (vlen < 0)
		return vlen;
	m.tlv[0].type = GN_TLV_MANAGEMENT;
	m.tlv[0].length = (uint16_t)vlen;
	m.tlv[0].value = value;
	m.ntlv = 1;
	n = gn_msg_serialize(&m, frame, sizeof(frame));
	if (n < 0)
		return n;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", c->server);
	if (sendto(c->fd, frame, (size_t)n, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	return 0;
}

int gnc_recv(struct gnc *c, uint8_t *buf, size_t cap, int timeout_ms)
{
	struct pollfd p = {.fd = c->fd, .events = POLLIN};
	ssize_t n;
	int r = poll(&p, 1, timeout_ms);

	if (r < 0)
		return -errno;
	if (r == 0)
		return 0;
	n = recv(c->fd, buf, cap, 0);
	return n < 0 ? -errno : (int)n;
}

int gnc_get(struct gnc *c, uint16_t id, uint16_t port, union gn_mgmt_data *d,
	    struct gn_port_identity *from, uint16_t *mgmt_err)
{
	struct gn_port_identity saved = c->target;
	uint16_t seq = c->seq;
	uint8_t buf[GN_MAX_MSG_LEN];
	struct timespec t0, t1;
	int n, err;

	c->target.port = port;
	err = gnc_send(c, GN_MGMT_GET, id, NULL, 0);
	c->target = saved;
	if (err)
		return err;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct gn_msg m;
		struct gn_tlv_mgmt t;
		struct gn_tlv_mgmt_error e;
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		     (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= GET_WAIT_MS)
			return -ETIMEDOUT;
		n = gnc_recv(c, buf, sizeof(buf), (int)(GET_WAIT_MS - ms));
		if (n < 0)
			return n;
		if (n == 0)
			return -ETIMEDOUT;
		if (gn_msg_parse(buf, (size_t)n, &m) != GN_WIRE_OK ||
		    m.h.type != GN_MSG_MANAGEMENT || m.h.sequence_id != seq ||
		    m.ntlv < 1)
			continue;
		if (from)
			*from = m.h.source;
		if (m.tlv[0].type == GN_TLV_MANAGEMENT_ERROR_STATUS &&
		    gn_tlv_mgmt_error_decode(&m.tlv[0], &e, NULL) == 0) {
			if (mgmt_err)
				*mgmt_err = e.error_id;
			return -EPROTO;
		}
		if (m.tlv[0].type != GN_TLV_MANAGEMENT ||
		    gn_tlv_mgmt_decode(&m.tlv[0], &t, NULL) < 0 || t.id != id)
			continue;
		if (id == 0xC0A0) { /* gnomond's VCLOCK_OFFSET_NP */
			if (t.data_len < 16)
				return -EBADMSG;
			memset(d, 0, sizeof(*d));
			d->servo_status.offset_ns = (int64_t)gn_get64(t.data);
			d->servo_status.error_bound_ns =
			    (int64_t)gn_get64(t.data + 8);
			return 0;
		}
		return gn_mgmt_decode(id, t.data, t.data_len, d, NULL)
			   ? -EBADMSG
			   : 0;
	}
}

/* ---- pmc mode ---- */

static int run_pmc(struct gnc *c, int argc, char **argv)
{
	uint8_t buf[GN_MAX_MSG_LEN];
	char line[1024];
	bool batch = argc > 0;
	int i = 0, n;

	for (;;) {
		const char *cmd = NULL;

		if (stop)
			break;
		if (batch) {
			if (i >= argc)
				break;
			cmd = argv[i++];
		} else {
			if (!fgets(line, sizeof(line), stdin))
				break;
			n = (int)strlen(line);
			if (n < 2)
				continue;
			line[n - 1] = 0;
			cmd = line;
		}
		if (gnc_pmc_command(c, cmd))
			fprintf(stderr, "bad command: %s\n", cmd);
		/* Replies until the socket stays quiet. */
		while (!stop &&
		       (n = gnc_recv(c, buf, sizeof(buf), REPLY_WAIT_MS)) > 0)
			gnc_pmc_show(c, buf, (size_t)n, stdout);
	}
	return 0;
}

/* ---- status ---- */

struct port_view {
	struct gn_port_ds ds;
	char iface[260];
	uint8_t timestamping;
	struct gn_mgmt_port_stats_np stats;
	bool have_props, have_stats;
};

struct view {
	struct gn_default_ds dds;
	struct gn_current_ds cds;
	struct gn_parent_ds pds;
	struct gn_time_properties_ds tpds;
	struct gn_mgmt_servo_status_np servo;
	bool have_servo;
	int64_t vclock_ns, vclock_width_ns;
	bool have_vclock;
	struct port_view port[64];
	unsigned nports;
};

static const char *state_name(unsigned s)
{
	return gn_port_state_str((enum gn_port_state)s);
}

static int collect(struct gnc *c, struct view *v)
{
	union gn_mgmt_data d;
	uint16_t e;
	unsigned i;
	int err;

	memset(v, 0, sizeof(*v));
	err = gnc_get(c, GN_MGMT_DEFAULT_DATA_SET, 0xFFFF, &d, NULL, &e);
	if (err)
		return err;
	v->dds = d.default_ds;
	if (!gnc_get(c, GN_MGMT_CURRENT_DATA_SET, 0xFFFF, &d, NULL, &e))
		v->cds = d.current_ds;
	if (!gnc_get(c, GN_MGMT_PARENT_DATA_SET, 0xFFFF, &d, NULL, &e))
		v->pds = d.parent_ds;
	if (!gnc_get(c, GN_MGMT_TIME_PROPERTIES_DATA_SET, 0xFFFF, &d, NULL, &e))
		v->tpds = d.time_properties_ds;
	if (!gnc_get(c, GN_MGMT_SERVO_STATUS_NP, 0xFFFF, &d, NULL, &e)) {
		v->servo = d.servo_status;
		v->have_servo = true;
	}
	if (!gnc_get(c, 0xC0A0, 0xFFFF, &d, NULL, &e) &&
	    d.servo_status.error_bound_ns >= 0) {
		v->vclock_ns = d.servo_status.offset_ns;
		v->vclock_width_ns = d.servo_status.error_bound_ns;
		v->have_vclock = true;
	}
	v->nports = v->dds.number_ports;
	if (v->nports > 64)
		v->nports = 64;
	for (i = 0; i < v->nports; i++) {
		struct port_view *p = &v->port[i];
		uint16_t pn = (uint16_t)(i + 1);

		if (!gnc_get(c, GN_MGMT_PORT_DATA_SET, pn, &d, NULL, &e))
			p->ds = d.port_ds;
		if (!gnc_get(c, GN_MGMT_PORT_PROPERTIES_NP, pn, &d, NULL, &e)) {
			snprintf(p->iface, sizeof(p->iface), "%s",
				 d.port_properties.iface);
			p->timestamping = d.port_properties.timestamping;
			p->have_props = true;
		}
		if (!gnc_get(c, GN_MGMT_PORT_STATS_NP, pn, &d, NULL, &e)) {
			p->stats = d.port_stats;
			p->have_stats = true;
		}
	}
	return 0;
}

static void cid(const struct gn_clock_identity *id, char *buf, size_t len)
{
	gn_clock_identity_str(id, buf, len);
}

static const char *servo_name(unsigned s)
{
	static const char *const n[] = {"unlocked", "jump", "locked",
					"locked (stable)"};

	return s < 4 ? n[s] : "?";
}

static const char *overall_state(const struct view *v)
{
	unsigned i;

	for (i = 0; i < v->nports; i++)
		if (v->port[i].ds.state == GN_PS_SLAVE)
			return "SLAVE";
	for (i = 0; i < v->nports; i++)
		if (v->port[i].ds.state == GN_PS_UNCALIBRATED)
			return "UNCALIBRATED";
	for (i = 0; i < v->nports; i++)
		if (v->port[i].ds.state == GN_PS_MASTER)
			return "GRANDMASTER";
	return v->nports ? state_name(v->port[0].ds.state) : "?";
}

static json_t *view_json(const struct view *v)
{
	char a[32], b[48];
	json_t *o = json_object(), *ports = json_array();
	unsigned i;

	cid(&v->dds.identity, a, sizeof(a));
	json_object_set_new(o, "clockIdentity", json_string(a));
	json_object_set_new(o, "domainNumber", json_integer(v->dds.domain));
	json_object_set_new(o, "state", json_string(overall_state(v)));
	cid(&v->pds.gm_identity, a, sizeof(a));
	json_object_set_new(o, "grandmasterIdentity", json_string(a));
	gn_port_identity_str(&v->pds.parent_port, b, sizeof(b));
	json_object_set_new(o, "parentPortIdentity", json_string(b));
	json_object_set_new(o, "grandmasterPriority1",
			    json_integer(v->pds.gm_priority1));
	json_object_set_new(o, "grandmasterClockClass",
			    json_integer(v->pds.gm_quality.clock_class));
	json_object_set_new(o, "stepsRemoved",
			    json_integer(v->cds.steps_removed));
	json_object_set_new(o, "offset_ns",
			    json_integer(v->cds.offset_from_master_ns));
	json_object_set_new(o, "path_delay_ns",
			    json_integer(v->cds.mean_path_delay_ns));
	if (v->have_servo) {
		json_object_set_new(
		    o, "frequency_ppb",
		    json_real((double)v->servo.freq_ppb_scaled / 65536.0));
		json_object_set_new(o, "servo_state",
				    json_integer(v->servo.servo_state));
		json_object_set_new(
		    o, "error_bound_ns",
		    v->servo.error_bound_ns < 0
			? json_null()
			: json_integer(v->servo.error_bound_ns));
	}
	if (v->have_vclock)
		json_object_set_new(o, "vclock_offset_ns",
				    json_integer(v->vclock_ns));
	json_object_set_new(o, "currentUtcOffset",
			    json_integer(v->tpds.current_utc_offset));
	json_object_set_new(o, "currentUtcOffsetValid",
			    json_boolean(v->tpds.current_utc_offset_valid));
	json_object_set_new(o, "leap61", json_boolean(v->tpds.leap61));
	json_object_set_new(o, "leap59", json_boolean(v->tpds.leap59));
	for (i = 0; i < v->nports; i++) {
		const struct port_view *p = &v->port[i];
		json_t *po = json_object();

		json_object_set_new(po, "portNumber", json_integer(i + 1));
		json_object_set_new(po, "interface", json_string(p->iface));
		json_object_set_new(po, "state",
				    json_string(state_name(p->ds.state)));
		json_object_set_new(po, "delayMechanism",
				    json_integer(p->ds.delay_mechanism));
		json_object_set_new(
		    po, "peerMeanPathDelay_ns",
		    json_integer(p->ds.peer_mean_path_delay_ns));
		if (p->have_stats) {
			json_object_set_new(
			    po, "rx_Sync",
			    json_integer((json_int_t)p->stats.rx[0]));
			json_object_set_new(
			    po, "rx_Announce",
			    json_integer((json_int_t)p->stats.rx[11]));
			json_object_set_new(
			    po, "tx_Sync",
			    json_integer((json_int_t)p->stats.tx[0]));
			json_object_set_new(
			    po, "tx_Announce",
			    json_integer((json_int_t)p->stats.tx[11]));
		}
		json_array_append_new(ports, po);
	}
	json_object_set_new(o, "ports", ports);
	return o;
}

static void print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s)
		printf("%s\n", s);
	free(s);
	fflush(stdout);
}

static void print_status(const struct view *v)
{
	char a[32], b[48];
	unsigned i;

	cid(&v->dds.identity, a, sizeof(a));
	printf("clock        %s  domain %u  %s\n", a, v->dds.domain,
	       overall_state(v));
	cid(&v->pds.gm_identity, a, sizeof(a));
	gn_port_identity_str(&v->pds.parent_port, b, sizeof(b));
	printf("grandmaster  %s  priority1 %u class %u accuracy 0x%02x "
	       "priority2 %u\n",
	       a, v->pds.gm_priority1, v->pds.gm_quality.clock_class,
	       v->pds.gm_quality.clock_accuracy, v->pds.gm_priority2);
	printf("parent       %s  steps removed %u\n", b, v->cds.steps_removed);
	printf("offset       %" PRId64 " ns\n", v->cds.offset_from_master_ns);
	printf("path delay   %" PRId64 " ns\n", v->cds.mean_path_delay_ns);
	if (v->have_servo) {
		printf("frequency    %+.3f ppb  servo s%u %s\n",
		       (double)v->servo.freq_ppb_scaled / 65536.0,
		       v->servo.servo_state, servo_name(v->servo.servo_state));
		if (v->servo.error_bound_ns >= 0)
			printf("error bound  %" PRId64 " ns (estimate)\n",
			       v->servo.error_bound_ns);
		else
			printf("error bound  unknown\n");
	}
	if (v->have_vclock)
		printf("vclock       %" PRId64
		       " ns from CLOCK_REALTIME (+-%" PRId64 " ns)\n",
		       v->vclock_ns, v->vclock_width_ns / 2);
	printf("UTC offset   %d s  valid %d  leap61 %d  leap59 %d  "
	       "timescale %s\n",
	       v->tpds.current_utc_offset, v->tpds.current_utc_offset_valid,
	       v->tpds.leap61, v->tpds.leap59,
	       v->tpds.ptp_timescale ? "PTP" : "ARB");
	printf("ports\n");
	printf("  %-4s %-12s %-13s %-5s %10s %10s %10s\n", "port", "interface",
	       "state", "delay", "rx Sync", "rx Announce", "tx Sync");
	for (i = 0; i < v->nports; i++) {
		const struct port_view *p = &v->port[i];

		printf("  %-4u %-12s %-13s %-5s %10" PRIu64 " %10" PRIu64
		       " %10" PRIu64 "\n",
		       i + 1, p->iface[0] ? p->iface : "-",
		       state_name(p->ds.state),
		       p->ds.delay_mechanism == 2 ? "P2P" : "E2E",
		       p->stats.rx[0], p->stats.rx[11], p->stats.tx[0]);
	}
}

static int run_status(struct gnc *c)
{
	struct view *v = calloc(1, sizeof(*v));
	int err;

	if (!v)
		return 1;
	err = collect(c, v);
	if (err) {
		fprintf(stderr, "gnomonctl: no answer from %s: %s\n", c->server,
			strerror(-err));
		free(v);
		return 1;
	}
	if (c->json) {
		json_t *o = view_json(v);

		print_json(o);
		json_decref(o);
	} else {
		print_status(v);
	}
	free(v);
	return 0;
}

/* ---- watch ---- */

/* Unicode block sparkline of the last n values. */
static void sparkline(const double *x, int n, char *out, size_t cap)
{
	static const char *const bars[] = {"▁", "▂", "▃", "▄",
					   "▅", "▆", "▇", "█"};
	double lo = INFINITY, hi = -INFINITY;
	size_t off = 0;
	int i;

	out[0] = 0;
	for (i = 0; i < n; i++) {
		lo = fmin(lo, x[i]);
		hi = fmax(hi, x[i]);
	}
	for (i = 0; i < n && off + 4 < cap; i++) {
		int k =
		    hi > lo ? (int)((x[i] - lo) / (hi - lo) * 7.0 + 0.5) : 3;

		off += (size_t)snprintf(out + off, cap - off, "%s", bars[k]);
	}
}

static int run_watch(struct gnc *c, int count, double interval_s)
{
	double off[HISTORY], dly[HISTORY], frq[HISTORY];
	struct view *v = calloc(1, sizeof(*v));
	int n = 0, k;
	char line[HISTORY * 4 + 1];

	if (!v)
		return 1;
	for (k = 0; !stop && (count <= 0 || k < count); k++) {
		if (collect(c, v)) {
			fprintf(stderr, "gnomonctl: no answer from %s\n",
				c->server);
			free(v);
			return 1;
		}
		if (n == HISTORY) {
			memmove(off, off + 1, sizeof(double) * (HISTORY - 1));
			memmove(dly, dly + 1, sizeof(double) * (HISTORY - 1));
			memmove(frq, frq + 1, sizeof(double) * (HISTORY - 1));
			n--;
		}
		off[n] = (double)v->cds.offset_from_master_ns;
		dly[n] = (double)v->cds.mean_path_delay_ns;
		frq[n] = (double)v->servo.freq_ppb_scaled / 65536.0;
		n++;
		if (c->json) {
			json_t *o = view_json(v);

			print_json(o);
			json_decref(o);
		} else {
			if (isatty(STDOUT_FILENO))
				printf("\033[H\033[2J");
			print_status(v);
			sparkline(off, n, line, sizeof(line));
			printf("\noffset     %s %+.0f ns\n", line, off[n - 1]);
			sparkline(dly, n, line, sizeof(line));
			printf("path delay %s %.0f ns\n", line, dly[n - 1]);
			sparkline(frq, n, line, sizeof(line));
			printf("frequency  %s %+.1f ppb\n", line, frq[n - 1]);
			fflush(stdout);
		}
		if (count <= 0 || k + 1 < count) {
			struct timespec ts = {
			    .tv_sec = (time_t)interval_s,
			    .tv_nsec = (long)((interval_s -
					       (double)(time_t)interval_s) *
					      1e9)};

			nanosleep(&ts, NULL);
		}
	}
	free(v);
	return 0;
}

/* ---- options ---- */

static void usage(const char *prog, FILE *fp)
{
	fprintf(fp,
		"\nusage: %s [options] [commands]\n"
		"       %s [options] status\n"
		"       %s [options] watch [--count N] [--interval S]\n\n"
		" Network Transport\n\n"
		" -u        UDS local (the only transport of gnomonctl)\n\n"
		" Other Options\n\n"
		" -b [num]  boundary hops, default 1\n"
		" -d [num]  domain number, default 0\n"
		" -f [file] read configuration from 'file'\n"
		" -h        prints this message and exits\n"
		" -i [dev]  local socket, default '/var/run/gnomonctl.$pid'\n"
		" -s [path] server address for UDS, default "
		"'/var/run/ptp4l'.\n"
		" -t [hex]  transport specific field, default 0x0\n"
		" -v        prints the software version and exits\n"
		" -z        send zero length TLV values with the GET actions\n"
		" --json    JSON output (one object per line)\n"
		" --compat 3|4  behave like pmc of linuxptp 3.1 or 4.x "
		"(default 4)\n\n",
		prog, prog, prog);
}

/* pmc -f: the options pmc itself reads from a ptp4l configuration. */
static int read_config(struct gnc *c, const char *path)
{
	char line[512], key[128], val[384];
	FILE *fp = fopen(path, "r");

	if (!fp) {
		fprintf(stderr, "failed to open configuration file %s\n", path);
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, " %127s %383s", key, val) != 2 ||
		    key[0] == '#' || key[0] == '[')
			continue;
		if (!strcmp(key, "uds_address") &&
		    strlen(val) < sizeof(c->server))
			memcpy(c->server, val, strlen(val) + 1);
		else if (!strcmp(key, "domainNumber"))
			c->domain = (uint8_t)atoi(val);
		else if (!strcmp(key, "transportSpecific"))
			c->transport_specific =
			    (uint8_t)(strtoul(val, NULL, 0) << 4);
	}
	fclose(fp);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'J'},
	    {"compat", required_argument, NULL, 'C'},
	    {"count", required_argument, NULL, 'N'},
	    {"interval", required_argument, NULL, 'I'},
	    {NULL, 0, NULL, 0},
	};
	const char *prog = strrchr(argv[0], '/');
	struct gnc c;
	int opt, rc, count = 0;
	double interval = 1.0;
	const char *cfg = NULL;
	bool have_local = false;
	unsigned ts;

	prog = prog ? prog + 1 : argv[0];
	memset(&c, 0, sizeof(c));
	c.fd = -1;
	c.boundary_hops = 1;
	snprintf(c.server, sizeof(c.server), "/var/run/ptp4l");
	memset(&c.target, 0xFF, sizeof(c.target));
	c.target.port = 0xFFFF;
	/* As pmc on UDS: no clock identity, the pid as port number. */
	c.self.port = (uint16_t)getpid();
	if (getenv("GNOMONCTL_COMPAT") && atoi(getenv("GNOMONCTL_COMPAT")) == 3)
		c.compat = GNC_COMPAT_3;

	while ((opt = getopt_long(argc, argv, "246ub:d:f:hi:s:t:vz", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case '2':
		case '4':
		case '6':
			fprintf(stderr,
				"%s: only the Unix socket (-u) is "
				"supported; enable network management "
				"in gnomond for remote clocks and use "
				"-b\n",
				prog);
			return 1;
		case 'u':
			break;
		case 'b':
			c.boundary_hops = (uint8_t)atoi(optarg);
			break;
		case 'd':
			c.domain = (uint8_t)atoi(optarg);
			break;
		case 'f':
			cfg = optarg;
			break;
		case 'i':
			snprintf(c.local, sizeof(c.local), "%s", optarg);
			have_local = true;
			break;
		case 's':
			if (strlen(optarg) >= sizeof(c.server)) {
				fprintf(stderr,
					"path %s too long, max is %zu\n",
					optarg, sizeof(c.server) - 1);
				return 1;
			}
			snprintf(c.server, sizeof(c.server), "%s", optarg);
			break;
		case 't':
			if (sscanf(optarg, "%x", &ts) == 1)
				c.transport_specific = (uint8_t)(ts << 4);
			break;
		case 'v':
			printf("gnomonctl 0.1 (pmc %s compatible)\n",
			       c.compat == GNC_COMPAT_3 ? "3.1" : "4.x");
			return 0;
		case 'z':
			c.zero_length_gets = true;
			break;
		case 'J':
			c.json = true;
			break;
		case 'C':
			c.compat =
			    atoi(optarg) == 3 ? GNC_COMPAT_3 : GNC_COMPAT_4;
			break;
		case 'N':
			count = atoi(optarg);
			break;
		case 'I':
			interval = atof(optarg);
			if (!(interval >= 0.05 && interval <= 3600))
				interval = 1.0;
			break;
		case 'h':
			usage(prog, stdout);
			return 0;
		default:
			usage(prog, stderr);
			return 1;
		}
	}
	if (cfg && read_config(&c, cfg))
		return 1;
	if (!have_local)
		snprintf(c.local, sizeof(c.local), "/var/run/gnomonctl.%d",
			 (int)getpid());
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = gnc_open(&c);
	if (rc) {
		fprintf(stderr, "%s: cannot bind %s: %s\n", prog, c.local,
			strerror(-rc));
		return 1;
	}
	if (optind < argc && !strcmp(argv[optind], "status"))
		rc = run_status(&c);
	else if (optind < argc && !strcmp(argv[optind], "watch"))
		rc = run_watch(&c, count, interval);
	else
		rc = run_pmc(&c, argc - optind, argv + optind);
	gnc_close(&c);
	return rc;
}
