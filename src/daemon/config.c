/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.c - gnomond's configuration store and ptp4l's configuration
 * file format: [global], [interface] and [unicast_master_table]
 * sections, "name value" lines, '#' comment lines.
 *
 * Every value is checked against the option table (options.c) before it
 * is stored, so readers never see a value outside its range. Nothing
 * here knows what an option means; it must not grow per-option code.
 * Precedence: command line > interface section > [global] > default.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "options.h"

#define GN_CONFIG_MAX_UC_TABLES 64

struct cfg_slot {
	bool set;
	union gn_opt_value v; /* strings: owned copy when set */
};

struct cfg_iface {
	char name[GN_PORT_NAME_MAX];
	struct cfg_slot *slot; /* one per option */
};

struct gn_config {
	gn_config_accept_fn accept; /* the parser hook, or NULL */
	void *accept_ctx;
	union gn_opt_value *dflt; /* parsed defaults; strings in the table */
	struct cfg_slot *global;
	struct cfg_slot *cmdline;
	struct cfg_iface iface[GN_CONFIG_MAX_INTERFACES];
	unsigned n_iface;
	/* [unicast_master_table] sections: parsed and checked only. */
	int uc_table_id[GN_CONFIG_MAX_UC_TABLES];
	unsigned n_uc_tables;
};

/* Where a value comes from, for error messages. */
struct cfg_origin {
	const char *file; /* NULL: the command line */
	unsigned line;
};

static void origin_msg(char *err, size_t errlen, const struct cfg_origin *at,
		       const char *name, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void origin_msg(char *err, size_t errlen, const struct cfg_origin *at,
		       const char *name, const char *fmt, ...)
{
	char what[384];
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (at->file && name)
		snprintf(err, errlen, "%s:%u: option '%.64s': %s", at->file,
			 at->line, name, what);
	else if (at->file)
		snprintf(err, errlen, "%s:%u: %s", at->file, at->line, what);
	else if (name)
		snprintf(err, errlen, "command line: option '%.64s': %s", name,
			 what);
	else
		snprintf(err, errlen, "command line: %s", what);
}

static void slots_free(struct cfg_slot *slot)
{
	unsigned i;

	if (!slot)
		return;
	for (i = 0; i < gn_opt_count; i++)
		if (slot[i].set && gn_opt_table[i].type == GN_OPT_STRING)
			free((char *)slot[i].v.s);
	free(slot);
}

struct gn_config *gn_config_create(void)
{
	struct gn_config *cfg = calloc(1, sizeof(*cfg));
	char msg[256];
	unsigned i;

	if (!cfg)
		return NULL;
	cfg->dflt = calloc(gn_opt_count, sizeof(*cfg->dflt));
	cfg->global = calloc(gn_opt_count, sizeof(*cfg->global));
	cfg->cmdline = calloc(gn_opt_count, sizeof(*cfg->cmdline));
	if (!cfg->dflt || !cfg->global || !cfg->cmdline)
		goto fail;
	/* The table's self-test: every default must parse, and no name may
	 * appear twice (linuxptp's config BIST does the same). */
	for (i = 0; i < gn_opt_count; i++) {
		const struct gn_opt *o = &gn_opt_table[i];

		if (gn_opt_parse(o, o->info.dflt, false, &cfg->dflt[i], msg,
				 sizeof(msg)) ||
		    gn_opt_find(o->info.name) != (int)i) {
			fprintf(stderr, "bug: option table entry %s: %s\n",
				o->info.name, msg);
			goto fail;
		}
	}
	return cfg;
fail:
	gn_config_destroy(cfg);
	return NULL;
}

void gn_config_destroy(struct gn_config *cfg)
{
	unsigned i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->n_iface; i++)
		slots_free(cfg->iface[i].slot);
	slots_free(cfg->global);
	slots_free(cfg->cmdline);
	free(cfg->dflt);
	free(cfg);
}

void gn_config_set_accept_hook(struct gn_config *cfg, gn_config_accept_fn fn,
			       void *ctx)
{
	cfg->accept = fn;
	cfg->accept_ctx = ctx;
}

static int iface_find(const struct gn_config *cfg, const char *ifname)
{
	unsigned i;

	for (i = 0; i < cfg->n_iface; i++)
		if (!strcmp(cfg->iface[i].name, ifname))
			return (int)i;
	return -1;
}

int gn_config_add_interface(struct gn_config *cfg, const char *ifname)
{
	struct cfg_iface *f;
	const char *p;
	int i;

	if (!cfg || !ifname || !ifname[0])
		return -EINVAL;
	for (p = ifname; *p; p++)
		if (isspace((unsigned char)*p) || *p == '[' || *p == ']')
			return -EINVAL;
	if (strlen(ifname) >= GN_PORT_NAME_MAX)
		return -ENAMETOOLONG;
	i = iface_find(cfg, ifname);
	if (i >= 0)
		return i;
	if (cfg->n_iface >= GN_CONFIG_MAX_INTERFACES)
		return -ENOSPC;
	f = &cfg->iface[cfg->n_iface];
	f->slot = calloc(gn_opt_count, sizeof(*f->slot));
	if (!f->slot)
		return -ENOMEM;
	snprintf(f->name, sizeof(f->name), "%s", ifname);
	return (int)cfg->n_iface++;
}

unsigned gn_config_num_interfaces(const struct gn_config *cfg)
{
	return cfg->n_iface;
}

const char *gn_config_interface(const struct gn_config *cfg, unsigned i)
{
	return i < cfg->n_iface ? cfg->iface[i].name : NULL;
}

/* Checks text for option idx and stores it in slot[idx]. */
static int slot_set(const struct gn_config *cfg, struct cfg_slot *slot, int idx,
		    const char *text, char *msg, size_t msglen)
{
	const struct gn_opt *o = &gn_opt_table[idx];
	union gn_opt_value v;
	char *copy = NULL;
	int rc;

	rc = gn_opt_parse(o, text, true, &v, msg, msglen);
	if (rc)
		return rc;
	rc = gn_opt_check_supported(o, text, &v, &cfg->dflt[idx], msg, msglen);
	if (rc == -EOPNOTSUPP && cfg->accept &&
	    cfg->accept(cfg->accept_ctx, o->info.name, text,
			o->type == GN_OPT_INT || o->type == GN_OPT_ENUM ? v.i
									: 0))
		rc = 0;
	if (rc)
		return rc;
	if (o->type == GN_OPT_STRING) {
		copy = strdup(text);
		if (!copy) {
			snprintf(msg, msglen, "out of memory");
			return -ENOMEM;
		}
		if (slot[idx].set)
			free((char *)slot[idx].v.s);
		v.s = copy;
	}
	slot[idx].v = v;
	slot[idx].set = true;
	return 0;
}

static int iface_error(int rc, const char *ifname, char *msg, size_t msglen)
{
	switch (rc) {
	case -ENAMETOOLONG:
		snprintf(msg, msglen,
			 "interface name '%.64s' too long (at most %d "
			 "characters)",
			 ifname, GN_PORT_NAME_MAX - 1);
		break;
	case -ENOSPC:
		snprintf(msg, msglen, "too many interfaces (at most %d)",
			 GN_CONFIG_MAX_INTERFACES);
		break;
	case -ENOMEM:
		snprintf(msg, msglen, "out of memory");
		break;
	default:
		snprintf(msg, msglen, "bad interface name '%.64s'", ifname);
		break;
	}
	return rc == -ENOMEM ? -ENOMEM : -EINVAL;
}

int gn_config_set_cmdline(struct gn_config *cfg, const char *name,
			  const char *value, char *err, size_t errlen)
{
	const struct cfg_origin at = {NULL, 0};
	char msg[384];
	int idx = name ? gn_opt_find(name) : -1, rc;

	if (idx < 0) {
		origin_msg(err, errlen, &at, name, "unknown option");
		return -EINVAL;
	}
	if (!value) {
		origin_msg(err, errlen, &at, name, "missing value");
		return -EINVAL;
	}
	rc = slot_set(cfg, cfg->cmdline, idx, value, msg, sizeof(msg));
	if (rc) {
		origin_msg(err, errlen, &at, name, "%s", msg);
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	return 0;
}

/* ---- the file ---- */

enum section { SEC_NONE, SEC_GLOBAL, SEC_IFACE, SEC_UC_TABLE };

struct parse_state {
	struct gn_config *cfg;
	struct cfg_origin at;
	enum section sec;
	int iface;    /* with SEC_IFACE */
	int uc_table; /* table_id of the current unicast table, 0: none */
	char *err;
	size_t errlen;
};

/* "[name]" -> section. Returns 0 or -EINVAL (message set). */
static int parse_section(struct parse_state *ps, char *line)
{
	size_t len = strlen(line);
	char *name, *end, *p;
	int rc;

	if (len < 2 || line[len - 1] != ']') {
		origin_msg(ps->err, ps->errlen, &ps->at, NULL,
			   "malformed section header '%.64s' (expected "
			   "[global], [interface] or [unicast_master_table])",
			   line);
		return -EINVAL;
	}
	line[len - 1] = '\0';
	name = line + 1;
	while (*name == ' ' || *name == '\t')
		name++;
	end = name + strlen(name);
	while (end > name && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	for (p = name; *p; p++)
		if (isspace((unsigned char)*p) || *p == '[' || *p == ']')
			break;
	if (!*name || *p) {
		line[len - 1] = ']';
		origin_msg(ps->err, ps->errlen, &ps->at, NULL,
			   "malformed section header '%.64s' (expected "
			   "[global], [interface] or [unicast_master_table])",
			   line);
		return -EINVAL;
	}
	if (!strcasecmp(name, "global")) {
		ps->sec = SEC_GLOBAL;
		return 0;
	}
	if (!strcasecmp(name, "unicast_master_table")) {
		ps->sec = SEC_UC_TABLE;
		ps->uc_table = 0;
		return 0;
	}
	rc = gn_config_add_interface(ps->cfg, name);
	if (rc < 0) {
		char msg[256];

		rc = iface_error(rc, name, msg, sizeof(msg));
		origin_msg(ps->err, ps->errlen, &ps->at, NULL, "%s", msg);
		return rc;
	}
	ps->sec = SEC_IFACE;
	ps->iface = rc;
	return 0;
}

/* The lines of a [unicast_master_table] (linuxptp's syntax). */
static const struct gn_opt uc_table_id = {
    .info = {"table_id", false, "1", true},
    .type = GN_OPT_INT,
    .min = 1,
    .max = 2147483647,
};
static const struct gn_opt uc_query = {
    .info = {"logQueryInterval", false, "0", true},
    .type = GN_OPT_INT,
    .min = INT8_MIN,
    .max = INT8_MAX,
};
static const struct gn_opt uc_peer = {
    .info = {"peer_address", false, "", true},
    .type = GN_OPT_STRING,
    .format = GN_FMT_ANY,
    .max_len = 64,
};
static const struct gn_opt uc_addr[] = {
    {.info = {"UDPv4", false, "", true},
     .type = GN_OPT_STRING,
     .format = GN_FMT_IPV4},
    {.info = {"UDPv6", false, "", true},
     .type = GN_OPT_STRING,
     .format = GN_FMT_IPV6},
    {.info = {"L2", false, "", true},
     .type = GN_OPT_STRING,
     .format = GN_FMT_MAC},
};

static int parse_uc_line(struct parse_state *ps, const char *key,
			 const char *value)
{
	const struct gn_opt *o = NULL;
	struct gn_config *cfg = ps->cfg;
	union gn_opt_value v;
	char msg[384];
	unsigned i;

	if (!strcmp(key, "table_id"))
		o = &uc_table_id;
	else if (!strcmp(key, "logQueryInterval"))
		o = &uc_query;
	else if (!strcmp(key, "peer_address"))
		o = &uc_peer;
	for (i = 0; !o && i < sizeof(uc_addr) / sizeof(uc_addr[0]); i++)
		if (!strcasecmp(key, uc_addr[i].info.name))
			o = &uc_addr[i];
	if (!o) {
		origin_msg(ps->err, ps->errlen, &ps->at, key,
			   "unknown option in [unicast_master_table] "
			   "(allowed: table_id, logQueryInterval, "
			   "peer_address, UDPv4, UDPv6, L2)");
		return -EINVAL;
	}
	if (!*value) {
		origin_msg(ps->err, ps->errlen, &ps->at, key, "missing value");
		return -EINVAL;
	}
	if (gn_opt_parse(o, value, true, &v, msg, sizeof(msg)) ||
	    strpbrk(value, " \t")) {
		if (strpbrk(value, " \t"))
			snprintf(msg, sizeof(msg),
				 "bad value '%.64s' (one word expected)",
				 value);
		origin_msg(ps->err, ps->errlen, &ps->at, key, "%s", msg);
		return -EINVAL;
	}
	if (o == &uc_table_id) {
		for (i = 0; i < cfg->n_uc_tables; i++) {
			if (cfg->uc_table_id[i] == (int)v.i) {
				origin_msg(ps->err, ps->errlen, &ps->at, key,
					   "table %d already defined",
					   (int)v.i);
				return -EINVAL;
			}
		}
		if (cfg->n_uc_tables >= GN_CONFIG_MAX_UC_TABLES) {
			origin_msg(ps->err, ps->errlen, &ps->at, key,
				   "too many unicast master tables (at most "
				   "%d)",
				   GN_CONFIG_MAX_UC_TABLES);
			return -EINVAL;
		}
		cfg->uc_table_id[cfg->n_uc_tables++] = (int)v.i;
		ps->uc_table = (int)v.i;
		return 0;
	}
	if (!ps->uc_table) {
		origin_msg(ps->err, ps->errlen, &ps->at, key,
			   "no table_id before it in this "
			   "[unicast_master_table]");
		return -EINVAL;
	}
	/* Entries are checked but not kept: the option that would use the
	 * table (unicast_master_table) is not supported yet. */
	return 0;
}

static int parse_setting(struct parse_state *ps, char *line)
{
	struct gn_config *cfg = ps->cfg;
	struct cfg_slot *slot;
	char *key = line, *value = line, msg[384];
	int idx, rc;

	while (*value && !isspace((unsigned char)*value))
		value++;
	if (*value) {
		*value++ = '\0';
		while (isspace((unsigned char)*value))
			value++;
	}
	if (ps->sec == SEC_UC_TABLE)
		return parse_uc_line(ps, key, value);
	if (ps->sec == SEC_NONE) {
		/* linuxptp: "line N is not in a section". */
		origin_msg(ps->err, ps->errlen, &ps->at, key,
			   "not in a section (start the file with [global])");
		return -EINVAL;
	}
	idx = gn_opt_find(key);
	if (idx < 0) {
		origin_msg(ps->err, ps->errlen, &ps->at, key, "unknown option");
		return -EINVAL;
	}
	if (!*value) {
		origin_msg(ps->err, ps->errlen, &ps->at, key, "missing value");
		return -EINVAL;
	}
	if (ps->sec == SEC_IFACE && !gn_opt_table[idx].info.per_port) {
		origin_msg(ps->err, ps->errlen, &ps->at, key,
			   "is a global option, not allowed in [%s]",
			   cfg->iface[ps->iface].name);
		return -EINVAL;
	}
	slot = ps->sec == SEC_IFACE ? cfg->iface[ps->iface].slot : cfg->global;
	rc = slot_set(cfg, slot, idx, value, msg, sizeof(msg));
	if (rc) {
		origin_msg(ps->err, ps->errlen, &ps->at, key, "%s", msg);
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	return 0;
}

static int parse_line(struct parse_state *ps, char *buf, size_t n)
{
	char *line = buf, *end;

	/* Content without the line end ("\n" or "\r\n"). */
	if (n && buf[n - 1] == '\n')
		n--;
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	if (n > GN_OPT_VALUE_MAX) {
		origin_msg(ps->err, ps->errlen, &ps->at, NULL,
			   "line too long (at most %d characters)",
			   GN_OPT_VALUE_MAX);
		return -EINVAL;
	}
	if (strlen(buf) != n) {
		origin_msg(ps->err, ps->errlen, &ps->at, NULL,
			   "line contains a NUL byte");
		return -EINVAL;
	}
	while (isspace((unsigned char)*line))
		line++;
	if (*line == '\0' || *line == '#')
		return 0;
	end = line + strlen(line);
	while (end > line && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (*line == '[')
		return parse_section(ps, line);
	return parse_setting(ps, line);
}

int gn_config_read(struct gn_config *cfg, const char *path, char *err,
		   size_t errlen)
{
	struct parse_state ps = {
	    .cfg = cfg,
	    .at = {path, 0},
	    .sec = SEC_NONE,
	    .err = err,
	    .errlen = errlen,
	};
	bool use_stdin = path && !strcmp(path, "-"); /* as ptp4l -f - */
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *fp;
	int rc = 0;

	if (!cfg || !path)
		return -EINVAL;
	fp = use_stdin ? stdin : fopen(path, "r");
	if (!fp) {
		int e = errno;

		if (err && errlen)
			snprintf(err, errlen, "%s: cannot open: %s", path,
				 strerror(e));
		return -ENOENT;
	}
	while ((n = getline(&buf, &cap, fp)) >= 0) {
		ps.at.line++;
		rc = parse_line(&ps, buf, (size_t)n);
		if (rc)
			break;
	}
	if (!rc && ferror(fp)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: cannot read: %s", path,
				 strerror(errno));
		rc = -ENOENT;
	}
	free(buf);
	if (!use_stdin)
		fclose(fp);
	return rc;
}

/* ---- reading values ---- */

static int opt_index(const char *name, enum gn_opt_type t1, enum gn_opt_type t2)
{
	int idx = name ? gn_opt_find(name) : -1;

	if (idx < 0) {
		fprintf(stderr, "bug: no configuration option '%s'\n",
			name ? name : "(null)");
		abort();
	}
	if (gn_opt_table[idx].type != t1 && gn_opt_table[idx].type != t2) {
		fprintf(stderr,
			"bug: configuration option '%s' read as the "
			"wrong type\n",
			name);
		abort();
	}
	return idx;
}

static const struct cfg_slot *effective(const struct gn_config *cfg,
					const char *iface, int idx)
{
	int f;

	if (cfg->cmdline[idx].set)
		return &cfg->cmdline[idx];
	if (iface) {
		f = iface_find(cfg, iface);
		if (f >= 0 && cfg->iface[f].slot[idx].set)
			return &cfg->iface[f].slot[idx];
	}
	if (cfg->global[idx].set)
		return &cfg->global[idx];
	return NULL;
}

static union gn_opt_value value_of(const struct gn_config *cfg,
				   const char *iface, int idx)
{
	const struct cfg_slot *s = effective(cfg, iface, idx);

	return s ? s->v : cfg->dflt[idx];
}

int64_t gn_config_get_int(const struct gn_config *cfg, const char *iface,
			  const char *name)
{
	int idx = opt_index(name, GN_OPT_INT, GN_OPT_ENUM);

	return value_of(cfg, iface, idx).i;
}

double gn_config_get_double(const struct gn_config *cfg, const char *iface,
			    const char *name)
{
	int idx = opt_index(name, GN_OPT_DOUBLE, GN_OPT_DOUBLE);

	return value_of(cfg, iface, idx).d;
}

const char *gn_config_get_string(const struct gn_config *cfg, const char *iface,
				 const char *name)
{
	int idx = opt_index(name, GN_OPT_STRING, GN_OPT_STRING);

	return value_of(cfg, iface, idx).s;
}

bool gn_config_is_set(const struct gn_config *cfg, const char *iface,
		      const char *name)
{
	int idx = gn_opt_find(name);

	if (idx < 0) {
		fprintf(stderr, "bug: no configuration option '%s'\n", name);
		abort();
	}
	return effective(cfg, iface, idx) != NULL;
}

unsigned gn_config_num_options(void)
{
	return gn_opt_count;
}

const struct gn_option_info *gn_config_option(unsigned i)
{
	return i < gn_opt_count ? &gn_opt_table[i].info : NULL;
}
