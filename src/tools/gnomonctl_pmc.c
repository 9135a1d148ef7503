/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gnomonctl_pmc.c - linuxptp pmc's command language and output, so that
 * scripts written for pmc keep working with gnomonctl: the table of
 * names (with pmc's own prefix matching and client-side refusals), the
 * SET argument syntax, the "sending:" lines and the response layout
 * (field names, padding, number formats), for pmc 4.x (as in
 * linuxptp's git after 4.4, which added EXTERNAL_GRANDMASTER_PROPERTIES_NP
 * and PORT_CORRECTIONS_NP) and, with --compat 3, for pmc 3.1 (Debian 12).
 * --json prints the same fields as one JSON object per response instead.
 *
 * Written from pmc's documented behaviour and observed output; no code
 * of linuxptp is in here. It must not interpret what it prints: values
 * are shown as they came, even odd ones.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "gnomonctl.h"
#include "tlv.h"

/* What pmc does with an id before anything is sent. */
enum kind {
	K_GET,	   /* GET only */
	K_SET,	   /* GET and SET */
	K_NULL,	   /* NULL_MANAGEMENT: GET only, else "still todo" */
	K_NOT_SUP, /* "sorry, X not supported yet" */
	K_CMD,	   /* COMMAND only (ENABLE_PORT, DISABLE_PORT in pmc 4.x) */
};

struct pmc_id {
	const char *name;
	uint16_t id;
	uint8_t kind4, kind3; /* kind in pmc 4.x and 3.1; 0xFF: absent */
};

#define ABSENT 0xFF
#define ID(n, k4, k3)                                                          \
	{                                                                      \
#n, GN_MGMT_##n, k4, k3                                        \
	}

/* In pmc's order (help output and prefix matching depend on it). */
static const struct pmc_id ids4[] = {
    ID(USER_DESCRIPTION, K_GET, K_GET),
    ID(SAVE_IN_NON_VOLATILE_STORAGE, K_NOT_SUP, K_NOT_SUP),
    ID(RESET_NON_VOLATILE_STORAGE, K_NOT_SUP, K_NOT_SUP),
    ID(INITIALIZE, K_NOT_SUP, K_NOT_SUP),
    ID(FAULT_LOG, K_NOT_SUP, K_NOT_SUP),
    ID(FAULT_LOG_RESET, K_NOT_SUP, K_NOT_SUP),
    ID(DEFAULT_DATA_SET, K_GET, K_GET),
    ID(CURRENT_DATA_SET, K_GET, K_GET),
    ID(PARENT_DATA_SET, K_GET, K_GET),
    ID(TIME_PROPERTIES_DATA_SET, K_GET, K_GET),
    ID(PRIORITY1, K_SET, K_SET),
    ID(PRIORITY2, K_SET, K_SET),
    ID(DOMAIN, K_GET, K_GET),
    ID(SLAVE_ONLY, K_GET, K_GET),
    ID(TIME, K_NOT_SUP, K_NOT_SUP),
    ID(CLOCK_ACCURACY, K_GET, K_GET),
    ID(UTC_PROPERTIES, K_NOT_SUP, K_NOT_SUP),
    ID(TRACEABILITY_PROPERTIES, K_GET, K_GET),
    ID(TIMESCALE_PROPERTIES, K_GET, K_GET),
    ID(PATH_TRACE_LIST, K_NOT_SUP, K_NOT_SUP),
    ID(PATH_TRACE_ENABLE, K_NOT_SUP, K_NOT_SUP),
    ID(GRANDMASTER_CLUSTER_TABLE, K_NOT_SUP, K_NOT_SUP),
    ID(ACCEPTABLE_MASTER_TABLE, K_NOT_SUP, K_NOT_SUP),
    ID(ACCEPTABLE_MASTER_MAX_TABLE_SIZE, K_NOT_SUP, K_NOT_SUP),
    ID(ALTERNATE_TIME_OFFSET_ENABLE, K_SET, K_NOT_SUP),
    ID(ALTERNATE_TIME_OFFSET_NAME, K_SET, K_NOT_SUP),
    ID(ALTERNATE_TIME_OFFSET_MAX_KEY, K_NOT_SUP, K_NOT_SUP),
    ID(ALTERNATE_TIME_OFFSET_PROPERTIES, K_SET, K_NOT_SUP),
    ID(MASTER_ONLY, K_GET, ABSENT),
    ID(TRANSPARENT_CLOCK_DEFAULT_DATA_SET, K_NOT_SUP, K_NOT_SUP),
    ID(PRIMARY_DOMAIN, K_NOT_SUP, K_NOT_SUP),
    ID(TIME_STATUS_NP, K_GET, K_GET),
    ID(GRANDMASTER_SETTINGS_NP, K_SET, K_SET),
    ID(SUBSCRIBE_EVENTS_NP, K_SET, K_SET),
    ID(SYNCHRONIZATION_UNCERTAIN_NP, K_SET, K_SET),
    ID(EXTERNAL_GRANDMASTER_PROPERTIES_NP, K_SET, ABSENT),
    ID(NULL_MANAGEMENT, K_NULL, K_NULL),
    ID(CLOCK_DESCRIPTION, K_GET, K_GET),
    ID(PORT_DATA_SET, K_GET, K_GET),
    ID(LOG_ANNOUNCE_INTERVAL, K_GET, K_GET),
    ID(ANNOUNCE_RECEIPT_TIMEOUT, K_GET, K_GET),
    ID(LOG_SYNC_INTERVAL, K_GET, K_GET),
    ID(VERSION_NUMBER, K_GET, K_GET),
    ID(ENABLE_PORT, K_CMD, K_NOT_SUP),
    ID(DISABLE_PORT, K_CMD, K_NOT_SUP),
    ID(UNICAST_NEGOTIATION_ENABLE, K_NOT_SUP, K_NOT_SUP),
    ID(UNICAST_MASTER_TABLE, K_NOT_SUP, K_NOT_SUP),
    ID(UNICAST_MASTER_MAX_TABLE_SIZE, K_NOT_SUP, K_NOT_SUP),
    ID(ACCEPTABLE_MASTER_TABLE_ENABLED, K_NOT_SUP, K_NOT_SUP),
    ID(ALTERNATE_MASTER, K_NOT_SUP, K_NOT_SUP),
    ID(TRANSPARENT_CLOCK_PORT_DATA_SET, K_NOT_SUP, K_NOT_SUP),
    ID(DELAY_MECHANISM, K_GET, K_GET),
    ID(LOG_MIN_PDELAY_REQ_INTERVAL, K_GET, K_GET),
    ID(PORT_DATA_SET_NP, K_SET, K_SET),
    ID(PORT_PROPERTIES_NP, K_GET, ABSENT), /* 3.1: after PORT_STATS_NP */
    ID(PORT_STATS_NP, K_GET, K_GET),
    ID(PORT_PROPERTIES_NP, ABSENT, K_GET),
    ID(PORT_SERVICE_STATS_NP, K_GET, ABSENT),
    ID(UNICAST_MASTER_TABLE_NP, K_GET, ABSENT),
    ID(PORT_HWCLOCK_NP, K_GET, ABSENT),
    ID(POWER_PROFILE_SETTINGS_NP, K_SET, ABSENT),
    ID(CMLDS_INFO_NP, K_GET, ABSENT),
    ID(PORT_CORRECTIONS_NP, K_SET, ABSENT),
};
#define NIDS (sizeof(ids4) / sizeof(ids4[0]))

static uint8_t id_kind(const struct gnc *c, size_t i)
{
	return c->compat == GNC_COMPAT_3 ? ids4[i].kind3 : ids4[i].kind4;
}

static const char *const action_names[] = {"GET", "SET", "RESPONSE", "COMMAND",
					   "ACKNOWLEDGE"};

/* pmc: an exact name, else a unique prefix; -1 none, -2 ambiguous. */
static int parse_id(const struct gnc *c, const char *s)
{
	size_t i, len = strlen(s);
	int found = -1;

	for (i = 0; i < NIDS; i++)
		if (id_kind(c, i) != ABSENT && !strcasecmp(s, ids4[i].name))
			return (int)i;
	for (i = 0; i < NIDS; i++) {
		if (id_kind(c, i) == ABSENT ||
		    strncasecmp(s, ids4[i].name, len))
			continue;
		if (found >= 0)
			return -2;
		found = (int)i;
	}
	return found;
}

static int parse_action(const char *s)
{
	size_t len = strlen(s);

	if (!strncasecmp(s, "GET", len))
		return GN_MGMT_GET;
	if (!strncasecmp(s, "SET", len))
		return GN_MGMT_SET;
	if (!strncasecmp(s, "CMD", len) || !strncasecmp(s, "COMMAND", len))
		return GN_MGMT_COMMAND;
	return -1;
}

void gnc_pmc_help(const struct gnc *c, FILE *fp)
{
	size_t i;

	fprintf(fp, "\n");
	for (i = 0; i < NIDS; i++) {
		uint8_t k = id_kind(c, i);

		if (k != ABSENT && k != K_NOT_SUP)
			fprintf(fp, "\t[action] %s\n", ids4[i].name);
	}
	fprintf(fp, "\n\tThe [action] can be GET, SET, CMD, or COMMAND\n"
		    "\tCommands are case insensitive and may be abbreviated.\n"
		    "\n\tTARGET [portIdentity]\n\tTARGET *\n\n");
}

/* The dataField pmc puts into a GET (zeros of the response's size). */
static size_t get_datalen(const struct gnc *c, uint16_t id)
{
	size_t len = 0;
	bool v4 = c->compat != GNC_COMPAT_3;

	if (c->zero_length_gets)
		return 0;
	switch (id) {
	case GN_MGMT_USER_DESCRIPTION:
		len = 2;
		break;
	case GN_MGMT_DEFAULT_DATA_SET:
		len = 20;
		break;
	case GN_MGMT_CURRENT_DATA_SET:
		len = 18;
		break;
	case GN_MGMT_PARENT_DATA_SET:
		len = 32;
		break;
	case GN_MGMT_TIME_PROPERTIES_DATA_SET:
		len = 4;
		break;
	case GN_MGMT_PRIORITY1:
	case GN_MGMT_PRIORITY2:
	case GN_MGMT_DOMAIN:
	case GN_MGMT_SLAVE_ONLY:
	case GN_MGMT_CLOCK_ACCURACY:
	case GN_MGMT_TRACEABILITY_PROPERTIES:
	case GN_MGMT_TIMESCALE_PROPERTIES:
	case GN_MGMT_LOG_ANNOUNCE_INTERVAL:
	case GN_MGMT_ANNOUNCE_RECEIPT_TIMEOUT:
	case GN_MGMT_LOG_SYNC_INTERVAL:
	case GN_MGMT_VERSION_NUMBER:
	case GN_MGMT_DELAY_MECHANISM:
	case GN_MGMT_LOG_MIN_PDELAY_REQ_INTERVAL:
		len = 2;
		break;
	case GN_MGMT_MASTER_ONLY:
	case GN_MGMT_SYNCHRONIZATION_UNCERTAIN_NP:
	case GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE:
	case GN_MGMT_ALTERNATE_TIME_OFFSET_NAME:
		len = v4 ? 2 : 0;
		break;
	case GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES:
		len = v4 ? 15 : 0;
		break;
	case GN_MGMT_TIME_STATUS_NP:
		len = 50;
		break;
	case GN_MGMT_GRANDMASTER_SETTINGS_NP:
		len = 8;
		break;
	case GN_MGMT_SUBSCRIBE_EVENTS_NP:
		len = v4 ? 66 : 0;
		break;
	case GN_MGMT_CLOCK_DESCRIPTION:
		len = 22;
		break;
	case GN_MGMT_PORT_DATA_SET:
		len = 26;
		break;
	case GN_MGMT_PORT_DATA_SET_NP:
		len = 8;
		break;
	case GN_MGMT_PORT_PROPERTIES_NP:
		len = v4 ? 14 : 0;
		break;
	case GN_MGMT_PORT_STATS_NP:
		len = v4 ? 266 : 0;
		break;
	case GN_MGMT_PORT_SERVICE_STATS_NP:
		len = 90;
		break;
	case GN_MGMT_UNICAST_MASTER_TABLE_NP:
		len = 2;
		break;
	case GN_MGMT_PORT_HWCLOCK_NP:
		len = 15;
		break;
	case GN_MGMT_POWER_PROFILE_SETTINGS_NP:
		len = 16;
		break;
	case GN_MGMT_EXTERNAL_GRANDMASTER_PROPERTIES_NP:
		len = 10;
		break;
	case GN_MGMT_PORT_CORRECTIONS_NP:
		len = 24;
		break;
	default: /* CMLDS_INFO_NP too: pmc sends it empty */
		break;
	}
	return v4 ? len + len % 2 : len;
}

static int send_get(struct gnc *c, uint16_t id)
{
	uint8_t zeros[300] = {0};

	return gnc_send(c, GN_MGMT_GET, id, zeros, get_datalen(c, id));
}

/* "123456.fffe.780102" into 8 octets; -1 if it is not one. */
static int parse_cid(const char *s, uint8_t *id)
{
	unsigned v[8];
	int n = 0;

	if (sscanf(s, "%2x%2x%2x.%2x%2x.%2x%2x%2x%n", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7], &n) != 8 ||
	    s[n] != '\0')
		return -1;
	for (n = 0; n < 8; n++)
		id[n] = (uint8_t)v[n];
	return 0;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static int64_t get_le64s(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return (int64_t)v;
}

/* pmc's SET syntax: "SET NAME value..." parsed after the first two
 * words. Returns 0 (sent or refused with a message on stderr). */
static void do_set(struct gnc *c, size_t i, const char *str)
{
	const char *name = ids4[i].name;
	uint16_t id = ids4[i].id;
	uint8_t data[80];
	unsigned int u[12];
	int cnt, n[8];
	unsigned short us;
	short ss;
	unsigned char uc[3];
	char on[4][4];
	char text[16], cid[19];
	uint64_t u64;

	memset(data, 0, sizeof(data));
	memset(on, 0, sizeof(on));
	switch (id) {
	case GN_MGMT_PRIORITY1:
	case GN_MGMT_PRIORITY2:
		if (sscanf(str, " %*s %*s %hhu", &uc[0]) != 1) {
			fprintf(stderr, "%s SET needs 1 value\n", name);
			return;
		}
		data[0] = uc[0];
		gnc_send(c, GN_MGMT_SET, id, data, 2);
		return;
	case GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE:
		if (sscanf(str, " %*s %*s keyField %hhu enable %d", &uc[0],
			   &n[0]) != 2) {
			fprintf(stderr, "%s SET needs 2 values\n", name);
			return;
		}
		data[0] = uc[0];
		data[1] = n[0] ? 1 : 0;
		gnc_send(c, GN_MGMT_SET, id, data, 2);
		return;
	case GN_MGMT_ALTERNATE_TIME_OFFSET_NAME: {
		size_t len;

		memset(text, 0, sizeof(text));
		if (sscanf(str, " %*s %*s keyField %hhu displayName %10s ",
			   &uc[0], text) != 2) {
			fprintf(stderr, "%s SET needs 2 values\n", name);
			return;
		}
		len = strlen(text);
		data[0] = uc[0];
		data[1] = (uint8_t)len;
		memcpy(data + 2, text, len);
		gnc_send(c, GN_MGMT_SET, id, data, (2 + len + 1) & ~1u);
		return;
	}
	case GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES:
		if (sscanf(str,
			   " %*s %*s keyField %hhu currentOffset %d "
			   "jumpSeconds %d timeOfNextJump %" SCNu64,
			   &uc[0], &n[0], &n[1], &u64) != 4) {
			fprintf(stderr, "%s SET needs 4 values\n", name);
			return;
		}
		data[0] = uc[0];
		gn_put32(data + 1, (uint32_t)n[0]);
		gn_put32(data + 5, (uint32_t)n[1]);
		gn_put16(data + 9, (uint16_t)(u64 >> 32));
		gn_put32(data + 11, (uint32_t)u64);
		gnc_send(c, GN_MGMT_SET, id, data, 16);
		return;
	case GN_MGMT_GRANDMASTER_SETTINGS_NP:
		cnt = sscanf(str,
			     " %*s %*s clockClass %hhu clockAccuracy %hhx "
			     "offsetScaledLogVariance %hx currentUtcOffset %hd "
			     "leap61 %d leap59 %d currentUtcOffsetValid %d "
			     "ptpTimescale %d timeTraceable %d "
			     "frequencyTraceable %d timeSource %hhx ",
			     &uc[0], &uc[1], &us, &ss, &n[0], &n[1], &n[2],
			     &n[3], &n[4], &n[5], &uc[2]);
		if (cnt != 11) {
			fprintf(stderr, "%s SET needs 11 values\n", name);
			return;
		}
		data[0] = uc[0];
		data[1] = uc[1];
		gn_put16(data + 2, us);
		gn_put16(data + 4, (uint16_t)ss);
		data[6] = (uint8_t)((n[0] ? 1 : 0) | (n[1] ? 2 : 0) |
				    (n[2] ? 4 : 0) | (n[3] ? 8 : 0) |
				    (n[4] ? 16 : 0) | (n[5] ? 32 : 0));
		data[7] = uc[2];
		gnc_send(c, GN_MGMT_SET, id, data, 8);
		return;
	case GN_MGMT_SUBSCRIBE_EVENTS_NP:
		if (c->compat == GNC_COMPAT_3) {
			cnt = sscanf(str,
				     " %*s %*s duration %hu "
				     "NOTIFY_PORT_STATE %3s ",
				     &us, on[0]);
			if (cnt != 2) {
				fprintf(stderr, "%s SET needs 2 values\n",
					name);
				return;
			}
		} else {
			memcpy(on, "off\0off\0off\0off", 16);
			cnt = sscanf(str,
				     " %*s %*s duration %hu "
				     "NOTIFY_PORT_STATE %3s "
				     "NOTIFY_TIME_SYNC %3s "
				     "NOTIFY_PARENT_DATA_SET %3s "
				     "NOTIFY_CMLDS %3s ",
				     &us, on[0], on[1], on[2], on[3]);
			if (cnt < 1) {
				fprintf(stderr,
					"%s SET needs at least one value\n",
					name);
				return;
			}
		}
		gn_put16(data, us);
		for (cnt = 0; cnt < 4; cnt++)
			if (!strcasecmp(on[cnt], "on"))
				data[2] |= (uint8_t)(1u << cnt);
		gnc_send(c, GN_MGMT_SET, id, data, 66);
		return;
	case GN_MGMT_SYNCHRONIZATION_UNCERTAIN_NP:
		if (sscanf(str, " %*s %*s %hhu", &uc[0]) != 1) {
			fprintf(stderr, "%s SET needs 1 value\n", name);
			return;
		}
		if (uc[0] != 0 && uc[0] != 1 && uc[0] != 0xFF) {
			fprintf(stderr,
				"\nusage: set SYNCHRONIZATION_UNCERTAIN_NP "
				"%hhu (false), %hhu (true), or %hhu (don't "
				"care)\n\n",
				(unsigned char)0, (unsigned char)1,
				(unsigned char)0xFF);
			return;
		}
		data[0] = uc[0];
		gnc_send(c, GN_MGMT_SET, id, data, 2);
		return;
	case GN_MGMT_PORT_DATA_SET_NP:
		if (sscanf(str,
			   " %*s %*s neighborPropDelayThresh %u "
			   "asCapable %d ",
			   &u[0], &n[0]) != 2) {
			fprintf(stderr, "%s SET needs 2 values\n", name);
			return;
		}
		gn_put32(data, u[0]);
		gn_put32(data + 4, (uint32_t)n[0]);
		gnc_send(c, GN_MGMT_SET, id, data, 8);
		return;
	case GN_MGMT_POWER_PROFILE_SETTINGS_NP:
		if (sscanf(str,
			   " %*s %*s version %hu grandmasterID %hx "
			   "grandmasterTimeInaccuracy %u "
			   "networkTimeInaccuracy %u totalTimeInaccuracy %u ",
			   &us, (unsigned short *)&ss, &u[0], &u[1],
			   &u[2]) != 5) {
			fprintf(stderr, "%s SET needs 5 values\n", name);
			return;
		}
		if (us > 2) {
			fprintf(stderr,
				"\nusage: set PROFILE_SETTINGS_NP version "
				"%hu (none), %hu (2011), or %hu (2017)\n\n",
				(unsigned short)0, (unsigned short)1,
				(unsigned short)2);
			return;
		}
		gn_put16(data, us);
		gn_put16(data + 2, (uint16_t)ss);
		gn_put32(data + 4, u[0]);
		gn_put32(data + 8, u[1]);
		gn_put32(data + 12, u[2]);
		gnc_send(c, GN_MGMT_SET, id, data, 16);
		return;
	case GN_MGMT_EXTERNAL_GRANDMASTER_PROPERTIES_NP:
		memset(cid, 0, sizeof(cid));
		if (sscanf(str, " %*s %*s gmIdentity %18s stepsRemoved %hu ",
			   cid, &us) != 2 ||
		    parse_cid(cid, data)) {
			fprintf(stderr, "%s SET needs 2 values\n", name);
			return;
		}
		gn_put16(data + 8, us);
		gnc_send(c, GN_MGMT_SET, id, data, 10);
		return;
	case GN_MGMT_PORT_CORRECTIONS_NP: {
		long long v[3];

		if (sscanf(str,
			   " %*s %*s egressLatency %lld ingressLatency %lld "
			   "delayAsymmetry %lld ",
			   &v[0], &v[1], &v[2]) != 3) {
			fprintf(stderr, "%s SET needs 3 values\n", name);
			return;
		}
		/* scaled ns, little-endian as linuxptp sends them */
		for (cnt = 0; cnt < 3; cnt++)
			put_le64(data + 8 * cnt, (uint64_t)v[cnt] << 16);
		gnc_send(c, GN_MGMT_SET, id, data, 24);
		return;
	}
	default:
		return;
	}
}

static int parse_target(struct gnc *c, const char *s)
{
	struct gn_port_identity pid;
	unsigned v[9];

	if (s[0] == '*') {
		memset(&pid, 0xFF, sizeof(pid));
		pid.port = 0xFFFF;
		c->target = pid;
		return 0;
	}
	if (sscanf(s, " %02x%02x%02x.%02x%02x.%02x%02x%02x-%u", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]) != 9)
		return -1;
	for (int i = 0; i < 8; i++)
		pid.clock.id[i] = (uint8_t)v[i];
	pid.port = (uint16_t)v[8];
	c->target = pid;
	return 0;
}

int gnc_pmc_command(struct gnc *c, const char *str)
{
	char action_str[11] = {0}, id_str[65] = {0};
	int action, idx;
	uint8_t kind;

	if (!strncasecmp(str, "HELP", strlen(str))) {
		gnc_pmc_help(c, stdout);
		return 0;
	}
	if (sscanf(str, " %10s %64s", action_str, id_str) != 2)
		return -1;
	if (!strncasecmp(action_str, "TARGET", strlen(action_str)))
		return parse_target(c, id_str);
	action = parse_action(action_str);
	idx = parse_id(c, id_str);
	if (action < 0 || idx == -1)
		return -1;
	if (idx == -2) {
		fprintf(stdout, "id %s is too ambiguous\n", id_str);
		return 0;
	}
	if (!c->json)
		fprintf(stdout, "sending: %s %s\n", action_names[action],
			ids4[idx].name);
	kind = id_kind(c, (size_t)idx);
	switch (kind) {
	case K_GET:
		if (action == GN_MGMT_GET)
			send_get(c, ids4[idx].id);
		else
			fprintf(stderr, "%s only allows GET\n", ids4[idx].name);
		break;
	case K_SET:
		if (action == GN_MGMT_GET)
			send_get(c, ids4[idx].id);
		else if (action == GN_MGMT_SET)
			do_set(c, (size_t)idx, str);
		else
			fprintf(stderr, "%s only allows GET or SET\n",
				ids4[idx].name);
		break;
	case K_CMD:
		if (action == GN_MGMT_COMMAND)
			gnc_send(c, GN_MGMT_COMMAND, ids4[idx].id, NULL, 0);
		else
			fprintf(stderr, "%s only allows COMMAND\n",
				ids4[idx].name);
		break;
	case K_NULL:
		if (action == GN_MGMT_GET)
			send_get(c, ids4[idx].id);
		else
			puts("non-get actions still todo");
		break;
	default:
		fprintf(stdout, "sorry, %s not supported yet\n",
			ids4[idx].name);
		break;
	}
	fflush(stdout);
	return 0;
}

/* ---- output: pmc's text, or JSON with the same field names ---- */

struct out {
	FILE *fp;
	json_t *data; /* JSON mode: the object fields go into */
	int width;    /* label column width of this id */
};

static void field_text(struct out *o, const char *name, const char *value)
{
	int pad = o->width - (int)strlen(name);

	fprintf(o->fp, "\n\t\t%s%*s%s", name, pad > 1 ? pad : 1, "", value);
}

/* A field: pmc's text and its JSON value (owned reference). */
static void field(struct out *o, const char *name, json_t *jv, const char *fmt,
		  ...) __attribute__((format(printf, 4, 5)));
static void field(struct out *o, const char *name, json_t *jv, const char *fmt,
		  ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (o->data) {
		json_object_set_new(o->data, name, jv ? jv : json_string(buf));
		return;
	}
	if (jv)
		json_decref(jv);
	field_text(o, name, buf);
}

static void cid_str(const uint8_t *id, char *buf, size_t len)
{
	snprintf(buf, len, "%02x%02x%02x.%02x%02x.%02x%02x%02x", id[0], id[1],
		 id[2], id[3], id[4], id[5], id[6], id[7]);
}

static void pid_str(const uint8_t *p, char *buf, size_t len)
{
	char cid[32];

	cid_str(p, cid, sizeof(cid));
	snprintf(buf, len, "%s-%hu", cid, gn_get16(p + 8));
}

static void bin_str(const uint8_t *d, size_t len, char *buf, size_t cap)
{
	size_t i, off = 0;

	buf[0] = 0;
	if (len > 16)
		len = 16;
	for (i = 0; i < len && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off,
					i ? ":%02x" : "%02x", d[i]);
}

static const char *port_state_str(uint8_t s)
{
	static const char *const names[] = {
	    "NONE",	    "INITIALIZING", "FAULTY", "DISABLED",
	    "LISTENING",    "PRE_MASTER",   "MASTER", "PASSIVE",
	    "UNCALIBRATED", "SLAVE"};

	return s <= 9 ? names[s] : names[0];
}

static const char *ts_str(uint8_t t)
{
	static const char *const names[] = {"SOFTWARE", "HARDWARE", "LEGACY_HW",
					    "ONESTEP", "P2P1STEP"};

	return t <= 4 ? names[t] : "???";
}

static void text_str(const uint8_t *p, size_t avail, char *buf, size_t cap)
{
	size_t n = avail ? p[0] : 0;

	if (n > avail - (avail ? 1 : 0))
		n = avail ? avail - 1 : 0;
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, p + 1, n);
	buf[n] = 0;
}

#define U(v)   json_integer((json_int_t)(v))
#define B01(v) json_integer((v) ? 1 : 0)

/* The time properties (currentUtcOffset, flags, timeSource) at d[0..3],
 * as TIME_PROPERTIES_DATA_SET and GRANDMASTER_SETTINGS_NP carry them. */
static void time_props(struct out *o, const uint8_t *d)
{
	static const char *const flag[] = {
	    "leap61",	    "leap59",	     "currentUtcOffsetValid",
	    "ptpTimescale", "timeTraceable", "frequencyTraceable"};
	unsigned i;

	field(o, "currentUtcOffset", U((int16_t)gn_get16(d)), "%hd",
	      (short)gn_get16(d));
	for (i = 0; i < 6; i++)
		field(o, flag[i], B01(d[2] & (1u << i)), "%d",
		      d[2] & (1u << i) ? 1 : 0);
	field(o, "timeSource", U(d[3]), "0x%02hhx", d[3]);
}

/* Prints the body of a MANAGEMENT TLV of id with dataField d[0..len). */
static bool show_body(struct gnc *c, struct out *o, uint16_t id,
		      const uint8_t *d, size_t len)
{
	char s1[128], s2[128];
	bool v4 = c->compat != GNC_COMPAT_3;

#define NEED(n)                                                                \
	do {                                                                   \
		if (len < (n))                                                 \
			return false;                                          \
	} while (0)
	switch (id) {
	case GN_MGMT_USER_DESCRIPTION:
		NEED(1);
		o->width = 17;
		text_str(d, len, s1, sizeof(s1));
		field(o, "userDescription", NULL, "%s", s1);
		break;
	case GN_MGMT_CLOCK_DESCRIPTION: {
		size_t off = 2, n;
		uint16_t proto;

		NEED(3);
		o->width = 22;
		field(o, "clockType", U(gn_get16(d)), "0x%hx", gn_get16(d));
		text_str(d + off, len - off, s1, sizeof(s1));
		field(o, "physicalLayerProtocol", NULL, "%s", s1);
		off += 1 + d[off];
		NEED(off + 2);
		n = gn_get16(d + off);
		NEED(off + 2 + n);
		bin_str(d + off + 2, n, s1, sizeof(s1));
		field(o, "physicalAddress", NULL, "%s", s1);
		off += 2 + n;
		NEED(off + 4);
		proto = gn_get16(d + off);
		n = gn_get16(d + off + 2);
		NEED(off + 4 + n);
		if (proto == 1 && n == 4)
			inet_ntop(AF_INET, d + off + 4, s1, sizeof(s1));
		else if (proto == 2 && n == 16)
			inet_ntop(AF_INET6, d + off + 4, s1, sizeof(s1));
		else
			bin_str(d + off + 4, n, s1, sizeof(s1));
		field(o, "protocolAddress", NULL, "%hu %s", proto, s1);
		off += 4 + n;
		NEED(off + 4);
		bin_str(d + off, 3, s1, sizeof(s1));
		field(o, "manufacturerId", NULL, "%s", s1);
		off += 4;
		for (int k = 0; k < 3; k++) {
			static const char *const nm[] = {"productDescription",
							 "revisionData",
							 "userDescription"};

			NEED(off + 1);
			text_str(d + off, len - off, s1, sizeof(s1));
			field(o, nm[k], NULL, "%s", s1);
			off += 1 + d[off];
		}
		NEED(off + 6);
		bin_str(d + off, 6, s1, sizeof(s1));
		field(o, "profileId", NULL, "%s", s1);
		break;
	}
	case GN_MGMT_DEFAULT_DATA_SET:
		NEED(20);
		o->width = 24;
		field(o, "twoStepFlag", B01(d[0] & 1), "%d", d[0] & 1 ? 1 : 0);
		field(o, "slaveOnly", B01(d[0] & 2), "%d", d[0] & 2 ? 1 : 0);
		field(o, "numberPorts", U(gn_get16(d + 2)), "%hu",
		      gn_get16(d + 2));
		field(o, "priority1", U(d[4]), "%hhu", d[4]);
		field(o, "clockClass", U(d[5]), "%hhu", d[5]);
		field(o, "clockAccuracy", U(d[6]), "0x%02hhx", d[6]);
		field(o, "offsetScaledLogVariance", U(gn_get16(d + 7)),
		      "0x%04hx", gn_get16(d + 7));
		field(o, "priority2", U(d[9]), "%hhu", d[9]);
		cid_str(d + 10, s1, sizeof(s1));
		field(o, "clockIdentity", NULL, "%s", s1);
		field(o, "domainNumber", U(d[18]), "%hhu", d[18]);
		break;
	case GN_MGMT_CURRENT_DATA_SET:
		NEED(18);
		o->width = 17;
		field(o, "stepsRemoved", U((int16_t)gn_get16(d)), "%hd",
		      (short)gn_get16(d));
		field(o, "offsetFromMaster",
		      json_real((double)(int64_t)gn_get64(d + 2) / 65536.0),
		      "%.1f", (double)(int64_t)gn_get64(d + 2) / 65536.0);
		field(o, "meanPathDelay",
		      json_real((double)(int64_t)gn_get64(d + 10) / 65536.0),
		      "%.1f", (double)(int64_t)gn_get64(d + 10) / 65536.0);
		break;
	case GN_MGMT_PARENT_DATA_SET:
		NEED(32);
		o->width = 38;
		pid_str(d, s1, sizeof(s1));
		field(o, "parentPortIdentity", NULL, "%s", s1);
		field(o, "parentStats", U(d[10]), "%hhu", d[10]);
		field(o, "observedParentOffsetScaledLogVariance",
		      U(gn_get16(d + 12)), "0x%04hx", gn_get16(d + 12));
		field(o, "observedParentClockPhaseChangeRate",
		      U(gn_get32(d + 14)), "0x%08x", gn_get32(d + 14));
		field(o, "grandmasterPriority1", U(d[18]), "%hhu", d[18]);
		field(o, "gm.ClockClass", U(d[19]), "%hhu", d[19]);
		field(o, "gm.ClockAccuracy", U(d[20]), "0x%02hhx", d[20]);
		field(o, "gm.OffsetScaledLogVariance", U(gn_get16(d + 21)),
		      "0x%04hx", gn_get16(d + 21));
		field(o, "grandmasterPriority2", U(d[23]), "%hhu", d[23]);
		cid_str(d + 24, s1, sizeof(s1));
		field(o, "grandmasterIdentity", NULL, "%s", s1);
		break;
	case GN_MGMT_TIME_PROPERTIES_DATA_SET:
		NEED(4);
		o->width = 22;
		time_props(o, d);
		break;
	case GN_MGMT_PRIORITY1:
	case GN_MGMT_PRIORITY2:
	case GN_MGMT_DOMAIN:
	case GN_MGMT_ANNOUNCE_RECEIPT_TIMEOUT:
	case GN_MGMT_DELAY_MECHANISM: {
		const char *nm = id == GN_MGMT_PRIORITY1   ? "priority1"
				 : id == GN_MGMT_PRIORITY2 ? "priority2"
				 : id == GN_MGMT_DOMAIN	   ? "domainNumber"
				 : id == GN_MGMT_ANNOUNCE_RECEIPT_TIMEOUT
				     ? "announceReceiptTimeout"
				     : "delayMechanism";

		NEED(1);
		o->width = (int)strlen(nm) + 1;
		field(o, nm, U(d[0]), "%hhu", d[0]);
		break;
	}
	case GN_MGMT_LOG_ANNOUNCE_INTERVAL:
	case GN_MGMT_LOG_SYNC_INTERVAL:
	case GN_MGMT_LOG_MIN_PDELAY_REQ_INTERVAL: {
		const char *nm = id == GN_MGMT_LOG_ANNOUNCE_INTERVAL
				     ? "logAnnounceInterval"
				 : id == GN_MGMT_LOG_SYNC_INTERVAL
				     ? "logSyncInterval"
				     : "logMinPdelayReqInterval";

		NEED(1);
		o->width = (int)strlen(nm) + 1;
		field(o, nm, U((int8_t)d[0]), "%hhd", (signed char)d[0]);
		break;
	}
	case GN_MGMT_SLAVE_ONLY:
		NEED(1);
		o->width = 10;
		if (v4)
			field(o, "slaveOnly", U(d[0]), "%d", d[0]);
		else /* pmc 3.1 tests the defaultDS flag bit */
			field(o, "slaveOnly", B01(d[0] & 2), "%d",
			      d[0] & 2 ? 1 : 0);
		break;
	case GN_MGMT_MASTER_ONLY:
		NEED(1);
		o->width = 11;
		field(o, "masterOnly", U(d[0]), "%d", d[0]);
		break;
	case GN_MGMT_CLOCK_ACCURACY:
		NEED(1);
		o->width = 14;
		field(o, "clockAccuracy", U(d[0]), "0x%02hhx", d[0]);
		break;
	case GN_MGMT_TRACEABILITY_PROPERTIES:
		NEED(1);
		o->width = 19;
		field(o, "timeTraceable", B01(d[0] & 16), "%d",
		      d[0] & 16 ? 1 : 0);
		field(o, "frequencyTraceable", B01(d[0] & 32), "%d",
		      d[0] & 32 ? 1 : 0);
		break;
	case GN_MGMT_TIMESCALE_PROPERTIES:
		NEED(1);
		o->width = 13;
		field(o, "ptpTimescale", B01(d[0] & 8), "%d", d[0] & 8 ? 1 : 0);
		break;
	case GN_MGMT_VERSION_NUMBER:
		NEED(1);
		o->width = 14;
		field(o, "versionNumber", U(v4 ? d[0] & 15 : d[0]), "%hhu",
		      (unsigned char)(v4 ? d[0] & 15 : d[0]));
		break;
	case GN_MGMT_SYNCHRONIZATION_UNCERTAIN_NP:
		NEED(1);
		o->width = 10;
		field(o, "uncertain", U(d[0]), "%hhu", d[0]);
		break;
	case GN_MGMT_ALTERNATE_TIME_OFFSET_ENABLE:
		NEED(2);
		o->width = 15;
		field(o, "keyField", U(d[0]), "%hhu", d[0]);
		field(o, "enable", B01(d[1] & 1), "%d", d[1] & 1 ? 1 : 0);
		break;
	case GN_MGMT_ALTERNATE_TIME_OFFSET_NAME:
		NEED(2);
		o->width = 15;
		field(o, "keyField", U(d[0]), "%hhu", d[0]);
		text_str(d + 1, len - 1, s1, sizeof(s1));
		field(o, "displayName", NULL, "%s", s1);
		break;
	case GN_MGMT_ALTERNATE_TIME_OFFSET_PROPERTIES:
		NEED(15);
		o->width = 15;
		field(o, "keyField", U(d[0]), "%hhu", d[0]);
		field(o, "currentOffset", U((int32_t)gn_get32(d + 1)), "%d",
		      (int)gn_get32(d + 1));
		field(o, "jumpSeconds", U((int32_t)gn_get32(d + 5)), "%d",
		      (int)gn_get32(d + 5));
		field(o, "timeOfNextJump", U(gn_get48(d + 9)), "%" PRIu64,
		      gn_get48(d + 9));
		break;
	case GN_MGMT_TIME_STATUS_NP: {
		double csro;

		NEED(50);
		csro = ((int32_t)gn_get32(d + 16) + 0.0) / (double)(1ULL << 41);
		o->width = 27;
		field(o, "master_offset", U((int64_t)gn_get64(d)), "%" PRId64,
		      (int64_t)gn_get64(d));
		field(o, "ingress_time", U((int64_t)gn_get64(d + 8)),
		      "%" PRId64, (int64_t)gn_get64(d + 8));
		field(o, "cumulativeScaledRateOffset", json_real(csro), "%+.9f",
		      csro);
		field(o, "scaledLastGmPhaseChange",
		      U((int32_t)gn_get32(d + 20)), "%d",
		      (int)gn_get32(d + 20));
		field(o, "gmTimeBaseIndicator", U(gn_get16(d + 24)), "%hu",
		      gn_get16(d + 24));
		field(o, "lastGmPhaseChange", NULL,
		      "0x%04hx'%016" PRIx64 ".%04hx", gn_get16(d + 26),
		      gn_get64(d + 28), gn_get16(d + 36));
		field(o, "gmPresent", json_boolean(gn_get32(d + 38) != 0), "%s",
		      gn_get32(d + 38) ? "true" : "false");
		cid_str(d + 42, s1, sizeof(s1));
		field(o, "gmIdentity", NULL, "%s", s1);
		break;
	}
	case GN_MGMT_GRANDMASTER_SETTINGS_NP:
		NEED(8);
		o->width = 24;
		field(o, "clockClass", U(d[0]), "%hhu", d[0]);
		field(o, "clockAccuracy", U(d[1]), "0x%02hhx", d[1]);
		field(o, "offsetScaledLogVariance", U(gn_get16(d + 2)),
		      "0x%04hx", gn_get16(d + 2));
		time_props(o, d + 4);
		break;
	case GN_MGMT_SUBSCRIBE_EVENTS_NP: {
		static const char *const ev[] = {
		    "NOTIFY_PORT_STATE", "NOTIFY_TIME_SYNC",
		    "NOTIFY_PARENT_DATA_SET", "NOTIFY_CMLDS"};

		NEED(3);
		o->width = v4 ? 23 : 18;
		field(o, "duration", U(gn_get16(d)), "%hu", gn_get16(d));
		for (int k = 0; k < (v4 ? 4 : 1); k++)
			field(o, ev[k], json_boolean(d[2] & (1u << k)), "%s",
			      d[2] & (1u << k) ? "on" : "off");
		break;
	}
	case GN_MGMT_PORT_DATA_SET:
		NEED(26);
		o->width = 24;
		pid_str(d, s1, sizeof(s1));
		field(o, "portIdentity", NULL, "%s", s1);
		field(o, "portState", NULL, "%s", port_state_str(d[10]));
		field(o, "logMinDelayReqInterval", U((int8_t)d[11]), "%hhd",
		      (signed char)d[11]);
		field(o, "peerMeanPathDelay",
		      U((int64_t)gn_get64(d + 12) >> 16), "%" PRId64,
		      (int64_t)gn_get64(d + 12) >> 16);
		field(o, "logAnnounceInterval", U((int8_t)d[20]), "%hhd",
		      (signed char)d[20]);
		field(o, "announceReceiptTimeout", U(d[21]), "%hhu", d[21]);
		field(o, "logSyncInterval", U((int8_t)d[22]), "%hhd",
		      (signed char)d[22]);
		field(o, "delayMechanism", U(d[23]), "%hhu", d[23]);
		field(o, "logMinPdelayReqInterval", U((int8_t)d[24]), "%hhd",
		      (signed char)d[24]);
		field(o, "versionNumber", U(v4 ? d[25] & 15 : d[25]), "%u",
		      (unsigned)(v4 ? d[25] & 15 : d[25]));
		break;
	case GN_MGMT_PORT_DATA_SET_NP:
		NEED(8);
		o->width = 24;
		field(o, "neighborPropDelayThresh", U(gn_get32(d)), "%u",
		      gn_get32(d));
		field(o, "asCapable", B01(gn_get32(d + 4)), "%d",
		      gn_get32(d + 4) ? 1 : 0);
		break;
	case GN_MGMT_PORT_PROPERTIES_NP:
		NEED(13);
		o->width = 24;
		pid_str(d, s1, sizeof(s1));
		field(o, "portIdentity", NULL, "%s", s1);
		field(o, "portState", NULL, "%s", port_state_str(d[10]));
		field(o, "timestamping", NULL, "%s", ts_str(d[11]));
		text_str(d + 12, len - 12, s2, sizeof(s2));
		field(o, "interface", NULL, "%s", s2);
		break;
	case GN_MGMT_PORT_STATS_NP: {
		static const struct {
			const char *name;
			int type;
		} order[] = {
		    {"Sync", 0},
		    {"Delay_Req", 1},
		    {"Pdelay_Req", 2},
		    {"Pdelay_Resp", 3},
		    {"Follow_Up", 8},
		    {"Delay_Resp", 9},
		    {"Pdelay_Resp_Follow_Up", 10},
		    {"Announce", 11},
		    {"Signaling", 12},
		    {"Management", 13},
		};
		union gn_mgmt_data md;

		NEED(266);
		if (gn_mgmt_decode(id, d, 266, &md, NULL))
			return false;
		o->width = 26;
		pid_str(d, s1, sizeof(s1));
		field(o, "portIdentity", NULL, "%s", s1);
		for (int dir = 0; dir < 2; dir++) {
			for (size_t k = 0; k < 10; k++) {
				uint64_t v =
				    dir ? md.port_stats.tx[order[k].type]
					: md.port_stats.rx[order[k].type];

				snprintf(s2, sizeof(s2), "%s_%s",
					 dir ? "tx" : "rx", order[k].name);
				field(o, s2, U(v), "%" PRIu64, v);
			}
		}
		break;
	}
	case GN_MGMT_PORT_SERVICE_STATS_NP: {
		static const char *const nm[] = {
		    "announce_timeout",	       "sync_timeout",
		    "delay_timeout",	       "unicast_service_timeout",
		    "unicast_request_timeout", "master_announce_timeout",
		    "master_sync_timeout",     "qualification_timeout",
		    "sync_mismatch",	       "followup_mismatch"};

		NEED(90);
		o->width = 26;
		pid_str(d, s1, sizeof(s1));
		field(o, "portIdentity", NULL, "%s", s1);
		for (int k = 0; k < 10; k++) {
			uint64_t v = 0;

			for (int b = 7; b >= 0; b--)
				v = v << 8 | d[10 + 8 * k + b];
			field(o, nm[k], U(v), "%" PRIu64, v);
		}
		break;
	}
	case GN_MGMT_UNICAST_MASTER_TABLE_NP:
		NEED(2);
		o->width = 18;
		field(o, "actual_table_size", U(gn_get16(d)), "%hu",
		      gn_get16(d));
		if (!o->data)
			fprintf(o->fp,
				"\n\t\t%s  %-24s %-34s %-9s %s %s %s %s  %s",
				"BM", "identity", "address", "state",
				"clockClass", "clockQuality",
				"offsetScaledLogVariance", "p1", "p2");
		/* gnomon has no unicast masters; entries are not shown. */
		break;
	case GN_MGMT_PORT_HWCLOCK_NP:
		NEED(15);
		o->width = 24;
		pid_str(d, s1, sizeof(s1));
		field(o, "portIdentity", NULL, "%s", s1);
		field(o, "phcIndex", U((int32_t)gn_get32(d + 10)), "%d",
		      (int)gn_get32(d + 10));
		field(o, "flags", U(d[14]), "%hhu", d[14]);
		break;
	case GN_MGMT_POWER_PROFILE_SETTINGS_NP:
		NEED(16);
		o->width = 26;
		field(o, "version", U(gn_get16(d)), "%hu", gn_get16(d));
		field(o, "grandmasterID", U(gn_get16(d + 2)), "0x%04hx",
		      gn_get16(d + 2));
		field(o, "grandmasterTimeInaccuracy", U(gn_get32(d + 4)), "%u",
		      gn_get32(d + 4));
		field(o, "networkTimeInaccuracy", U(gn_get32(d + 8)), "%u",
		      gn_get32(d + 8));
		field(o, "totalTimeInaccuracy", U(gn_get32(d + 12)), "%u",
		      gn_get32(d + 12));
		break;
	case GN_MGMT_CMLDS_INFO_NP: {
		int64_t mld;

		NEED(16);
		mld = (int64_t)gn_get64(d) >> 16; /* as pmc prints */
		o->width = 24;
		field(o, "meanLinkDelay", U(mld), "%" PRId64, mld);
		field(o, "scaledNeighborRateRatio", U((int32_t)gn_get32(d + 8)),
		      "%" PRId32, (int32_t)gn_get32(d + 8));
		field(o, "as_capable", U(gn_get32(d + 12)), "%" PRIu32,
		      gn_get32(d + 12));
		break;
	}
	case GN_MGMT_EXTERNAL_GRANDMASTER_PROPERTIES_NP:
		NEED(10);
		o->width = 13;
		cid_str(d, s1, sizeof(s1));
		field(o, "gmIdentity", NULL, "%s", s1);
		field(o, "stepsRemoved", U(gn_get16(d + 8)), "%hu",
		      gn_get16(d + 8));
		break;
	case GN_MGMT_PORT_CORRECTIONS_NP: {
		static const char *const nm[] = {
		    "egressLatency", "ingressLatency", "delayAsymmetry"};

		NEED(24);
		o->width = 15;
		for (int k = 0; k < 3; k++) {
			int64_t v = get_le64s(d + 8 * k) >> 16;

			/* pmc ends each of these lines with a blank */
			field(o, nm[k], U(v), "%" PRId64 " ", v);
		}
		break;
	}
	case GN_MGMT_SERVO_STATUS_NP: {
		union gn_mgmt_data md;

		if (gn_mgmt_decode(id, d, len, &md, NULL))
			return false;
		o->width = 15;
		field(o, "frequency_ppb",
		      json_real((double)md.servo_status.freq_ppb_scaled /
				65536.0),
		      "%.3f",
		      (double)md.servo_status.freq_ppb_scaled / 65536.0);
		field(o, "servo_state", U(md.servo_status.servo_state), "s%u",
		      md.servo_status.servo_state);
		field(o, "error_bound", U(md.servo_status.error_bound_ns),
		      "%" PRId64, md.servo_status.error_bound_ns);
		break;
	}
	case 0xC0A0: /* VCLOCK_OFFSET_NP, gnomond's */
		NEED(16);
		o->width = 7;
		field(o, "offset", U((int64_t)gn_get64(d)), "%" PRId64,
		      (int64_t)gn_get64(d));
		field(o, "width", U((int64_t)gn_get64(d + 8)), "%" PRId64,
		      (int64_t)gn_get64(d + 8));
		break;
	default:
		break;
	}
#undef NEED
	return true;
}

static const char *mgmt_name(uint16_t id)
{
	if (id == 0xC0A0)
		return "VCLOCK_OFFSET_NP";
	return gn_mgmt_id_str(id);
}

void gnc_pmc_show(struct gnc *c, const uint8_t *buf, size_t len, FILE *fp)
{
	struct gn_msg m;
	struct gn_tlv_mgmt t;
	struct gn_tlv_mgmt_error e;
	struct out o = {.fp = fp};
	char src[64];
	uint8_t action;
	json_t *root = NULL;
	const char *name;

	if (gn_msg_parse(buf, len, &m) != GN_WIRE_OK ||
	    m.h.type != GN_MSG_MANAGEMENT)
		return;
	action = m.body.mgmt.action;
	if (action > GN_MGMT_ACKNOWLEDGE)
		return;
	pid_str(buf + 20, src, sizeof(src));
	if (c->json) {
		root = json_object();
		json_object_set_new(root, "source", json_string(src));
		json_object_set_new(root, "sequenceId",
				    json_integer(m.h.sequence_id));
		json_object_set_new(root, "action",
				    json_string(action_names[action]));
	} else {
		fprintf(fp, "\t%s seq %hu %s ", src, m.h.sequence_id,
			action_names[action]);
	}
	if (m.ntlv != 1)
		goto out;
	if (m.tlv[0].type == GN_TLV_MANAGEMENT_ERROR_STATUS) {
		if (root) {
			json_object_set_new(
			    root, "tlv",
			    json_string("MANAGEMENT_ERROR_STATUS"));
			if (gn_tlv_mgmt_error_decode(&m.tlv[0], &e, NULL) ==
			    0) {
				name = mgmt_name(e.mgmt_id);
				json_object_set_new(
				    root, "managementId",
				    name ? json_string(name)
					 : json_integer(e.mgmt_id));
				json_object_set_new(
				    root, "error",
				    json_string(gn_mgmt_error_str(e.error_id)));
			}
		} else {
			fprintf(fp, "MANAGEMENT_ERROR_STATUS ");
		}
		goto out;
	}
	if (m.tlv[0].type != GN_TLV_MANAGEMENT) {
		if (root)
			json_object_set_new(root, "tlv",
					    json_string("unknown-tlv"));
		else
			fprintf(fp, "unknown-tlv ");
		goto out;
	}
	if (root)
		json_object_set_new(root, "tlv", json_string("MANAGEMENT"));
	else
		fprintf(fp, "MANAGEMENT ");
	if (gn_tlv_mgmt_decode(&m.tlv[0], &t, NULL) < 0)
		goto out;
	if (t.data_len == 0 && t.id != GN_MGMT_NULL_MANAGEMENT) {
		if (root)
			json_object_set_new(root, "empty", json_true());
		else
			fprintf(fp, "empty-tlv ");
		goto out;
	}
	name = mgmt_name(t.id);
	if (!name)
		goto out;
	if (root) {
		json_object_set_new(root, "managementId", json_string(name));
		o.data = json_object();
		show_body(c, &o, t.id, t.data, t.data_len);
		json_object_set_new(root, "data", o.data);
	} else {
		/* pmc prints names only for the ids it knows. */
		if (t.id == GN_MGMT_SERVO_STATUS_NP || t.id == 0xC0A0 ||
		    (t.id != GN_MGMT_NULL_MANAGEMENT && parse_id(c, name) >= 0))
			fprintf(fp, "%s ", name);
		else
			goto out;
		show_body(c, &o, t.id, t.data, t.data_len);
	}
out:
	if (root) {
		char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);

		if (s)
			fprintf(fp, "%s\n", s);
		free(s);
		json_decref(root);
	} else {
		fprintf(fp, "\n");
	}
	fflush(fp);
}
