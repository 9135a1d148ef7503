/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scenario.c - parser of gnomon-sim scenario files (format in
 * docs/simulator.md). Line oriented: [sections], "key value" lines,
 * '#' comments; names may carry one range "{1..100}" that expands into
 * many. Every value is range-checked and every error names file:line.
 *
 * Must not touch the simulator: it only fills struct gn_scenario.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario.h"
#include "scenario_private.h"

#define MAX_FILE_BYTES (64u << 20)
#define MAX_LINE       4096
#define MAX_TOKENS     256

__attribute__((format(printf, 2, 3))) int gn_scn_perr(struct parser *p,
						      const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d: %s", p->name, p->line, msg);
	return -EINVAL;
}

int gn_scn_grow(void **arr, int *cap, int need, size_t elem)
{
	void *q;
	int ncap;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	q = realloc(*arr, (size_t)ncap * elem);
	if (!q)
		return -ENOMEM;
	memset((char *)q + (size_t)*cap * elem, 0,
	       (size_t)(ncap - *cap) * elem);
	*arr = q;
	*cap = ncap;
	return 0;
}

/* ---- tokens and names ---- */

static int tokenize(char *line, char **tok, int max)
{
	int n = 0;
	char *s = line;

	for (;;) {
		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		if (n == max)
			return -1;
		tok[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = 0;
	}
	return n;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= GN_SCN_NAME_MAX)
		return false;
	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
			return false;
	return true;
}

/*
 * Expands "pre{a..b}post" into names; a plain name gives itself. The
 * caller frees *out. Returns the count or a negative errno.
 */
int gn_scn_expand(struct parser *p, const char *spec,
		  char (**out)[GN_SCN_NAME_MAX])
{
	const char *lb = strchr(spec, '{'), *rb, *dots;
	char pre[GN_SCN_NAME_MAX], post[GN_SCN_NAME_MAX], num[24];
	long a, b, i;
	int width = 0, n;
	char(*names)[GN_SCN_NAME_MAX];

	if (!lb) {
		names = malloc(sizeof(*names));
		if (!names)
			return -ENOMEM;
		if (!valid_name(spec)) {
			free(names);
			return gn_scn_perr(p, "bad name '%s'", spec);
		}
		snprintf(names[0], sizeof(names[0]), "%s", spec);
		*out = names;
		return 1;
	}
	rb = strchr(lb, '}');
	dots = strstr(lb, "..");
	if (!rb || !dots || dots > rb || strchr(rb + 1, '{') ||
	    (size_t)(lb - spec) >= sizeof(pre) ||
	    strlen(rb + 1) >= sizeof(post) ||
	    (size_t)(dots - lb - 1) >= sizeof(num) ||
	    (size_t)(rb - dots - 2) >= sizeof(num))
		return gn_scn_perr(p, "bad range in '%s' (use name{1..10})",
				   spec);
	memcpy(pre, spec, (size_t)(lb - spec));
	pre[lb - spec] = 0;
	snprintf(post, sizeof(post), "%s", rb + 1);
	memcpy(num, lb + 1, (size_t)(dots - lb - 1));
	num[dots - lb - 1] = 0;
	if (num[0] == '0' && num[1])
		width = (int)strlen(num);
	if (gn_scn_parse_uint(num, 0, 100000000, &a) < 0)
		return gn_scn_perr(p, "bad range in '%s'", spec);
	memcpy(num, dots + 2, (size_t)(rb - dots - 2));
	num[rb - dots - 2] = 0;
	if (gn_scn_parse_uint(num, 0, 100000000, &b) < 0 || b < a ||
	    b - a >= GN_SCN_MAX_NODES)
		return gn_scn_perr(p, "bad range in '%s'", spec);
	n = (int)(b - a + 1);
	names = calloc((size_t)n, sizeof(*names));
	if (!names)
		return -ENOMEM;
	for (i = a; i <= b; i++) {
		char *d = names[i - a];
		int w = snprintf(d, GN_SCN_NAME_MAX, "%s%0*ld%s", pre, width, i,
				 post);

		if (w < 0 || w >= GN_SCN_NAME_MAX || !valid_name(d)) {
			free(names);
			return gn_scn_perr(p, "bad name from range '%s'", spec);
		}
	}
	*out = names;
	return n;
}

uint32_t gn_scn_name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

int gn_scn_hash_rebuild(struct parser *p, unsigned cap)
{
	int *h = malloc(cap * sizeof(*h)), i;

	if (!h)
		return -ENOMEM;
	memset(h, 0xFF, cap * sizeof(*h));
	free(p->hash);
	p->hash = h;
	p->hash_cap = cap;
	for (i = 0; i < p->sc->nnodes; i++) {
		unsigned k = gn_scn_name_hash(p->sc->nodes[i].name) & (cap - 1);

		while (h[k] >= 0)
			k = (k + 1) & (cap - 1);
		h[k] = i;
	}
	return 0;
}

int gn_scn_find_node(struct parser *p, const char *name)
{
	unsigned k;

	if (!p->hash)
		return gn_scenario_node(p->sc, name);
	k = gn_scn_name_hash(name) & (p->hash_cap - 1);
	while (p->hash[k] >= 0) {
		if (!strcmp(p->sc->nodes[p->hash[k]].name, name))
			return p->hash[k];
		k = (k + 1) & (p->hash_cap - 1);
	}
	return -1;
}

int gn_scn_find_bridge(const struct gn_scenario *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->nbridges; i++)
		if (!strcmp(sc->bridges[i].name, name))
			return i;
	return -1;
}

int gn_scn_find_clock(const struct gn_scenario *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->nclocks; i++)
		if (!strcmp(sc->clocks[i].name, name))
			return i;
	return -1;
}

int gn_scn_find_link(const struct gn_scenario *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->nlinks; i++)
		if (!strcmp(sc->links[i].name, name))
			return i;
	return -1;
}

int gn_scenario_node(const struct gn_scenario *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->nnodes; i++)
		if (!strcmp(sc->nodes[i].name, name))
			return i;
	return -1;
}

int gn_scenario_ptp(const struct gn_scenario *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->nptp; i++)
		if (!strcmp(sc->ptp[i].name, name))
			return i;
	return -1;
}

/* ---- objects ---- */

static int add_ptp(struct gn_scenario *sc, const char *name)
{
	int i = gn_scenario_ptp(sc, name);

	if (i >= 0)
		return i;
	if (gn_scn_grow((void **)&sc->ptp, &sc->ptp_cap, sc->nptp + 1,
			sizeof(*sc->ptp)) < 0)
		return -ENOMEM;
	snprintf(sc->ptp[sc->nptp].name, GN_SCN_NAME_MAX, "%s", name);
	return sc->nptp++;
}

static void clock_defaults(struct gn_scn_clock *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->max_adj_ppb = 500000.0;
}

static int add_clock(struct gn_scenario *sc, const char *name)
{
	int i = gn_scn_find_clock(sc, name);

	if (i >= 0)
		return i;
	if (gn_scn_grow((void **)&sc->clocks, &sc->clock_cap, sc->nclocks + 1,
			sizeof(*sc->clocks)) < 0)
		return -ENOMEM;
	clock_defaults(&sc->clocks[sc->nclocks], name);
	return sc->nclocks++;
}

static int add_link(struct gn_scenario *sc, const char *name)
{
	int i = gn_scn_find_link(sc, name);

	if (i >= 0)
		return i;
	if (gn_scn_grow((void **)&sc->links, &sc->link_cap, sc->nlinks + 1,
			sizeof(*sc->links)) < 0)
		return -ENOMEM;
	memset(&sc->links[sc->nlinks], 0, sizeof(sc->links[0]));
	snprintf(sc->links[sc->nlinks].name, GN_SCN_NAME_MAX, "%s", name);
	sc->links[sc->nlinks].model.delay_ns = 1000;
	return sc->nlinks++;
}

void gn_scenario_init(struct gn_scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->seed = 1;
	sc->duration_ns = 600 * GN_NS_PER_S;
	sc->sample_ns = GN_NS_PER_S;
	sc->stats_start_ns = -1; /* a quarter of the duration */
	sc->lock_threshold_ns = 1000;
	sc->lock_hold_ns = 10 * GN_NS_PER_S;
	add_ptp(sc, "global");
	add_clock(sc, "default");
	add_link(sc, "default");
}

void gn_scenario_free(struct gn_scenario *sc)
{
	int i;

	for (i = 0; i < sc->nptp; i++)
		free(sc->ptp[i].opt);
	free(sc->ptp);
	free(sc->clocks);
	free(sc->links);
	for (i = 0; i < sc->nnodes; i++)
		free(sc->nodes[i].port_ptp);
	free(sc->nodes);
	free(sc->bridges);
	for (i = 0; i < sc->nconns; i++)
		free(sc->conns[i].ep);
	free(sc->conns);
	free(sc->events);
	memset(sc, 0, sizeof(*sc));
}

/* ---- sections ---- */

static int sim_key(struct parser *p, const char *key, const char *val)
{
	struct gn_scenario *sc = p->sc;
	int64_t t;

	if (!strcmp(key, "seed")) {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(val, &end, 0);
		if (errno || end == val || *end)
			return gn_scn_perr(p, "seed: '%s' is not a number",
					   val);
		sc->seed = v;
		return 0;
	}
	if (gn_scn_parse_time(val, 1e9, &t) < 0)
		return gn_scn_perr(p, "%s: bad time '%s'", key, val);
	if (!strcmp(key, "duration")) {
		if (t <= 0 || t > 366LL * 86400 * GN_NS_PER_S)
			return gn_scn_perr(p, "duration: out of range");
		sc->duration_ns = t;
	} else if (!strcmp(key, "sample_interval")) {
		if (t < 1000000 || t > 3600 * GN_NS_PER_S)
			return gn_scn_perr(p, "sample_interval: 1ms..1h");
		sc->sample_ns = t;
	} else if (!strcmp(key, "stats_start")) {
		if (t < 0)
			return gn_scn_perr(p, "stats_start: must be >= 0");
		sc->stats_start_ns = t;
	} else if (!strcmp(key, "lock_threshold")) {
		if (t <= 0)
			return gn_scn_perr(p, "lock_threshold: must be > 0");
		sc->lock_threshold_ns = t;
	} else if (!strcmp(key, "lock_hold")) {
		if (t < 0)
			return gn_scn_perr(p, "lock_hold: must be >= 0");
		sc->lock_hold_ns = t;
	} else {
		return gn_scn_perr(p, "unknown key '%s' in [sim]", key);
	}
	return 0;
}

static int ptp_key(struct parser *p, const char *key, const char *val)
{
	struct gn_scn_ptp *g = &p->sc->ptp[p->obj];
	char msg[256];
	int rc, i;

	if (strlen(key) >= GN_SCN_KEY_MAX || strlen(val) >= GN_SCN_VAL_MAX)
		return gn_scn_perr(p, "option or value too long");
	rc = gn_ptpopt_apply(key, val, NULL, NULL, msg, sizeof(msg));
	if (rc < 0)
		return gn_scn_perr(p, "%s", msg);
	if (rc == 1)
		g->has_clock_opts = true;
	/* The last value of a key wins, as in ptp4l. */
	for (i = 0; i < g->nopt; i++)
		if (!strcmp(g->opt[i].key, key))
			break;
	if (i == g->nopt) {
		if (gn_scn_grow((void **)&g->opt, &g->cap, g->nopt + 1,
				sizeof(*g->opt)) < 0)
			return -ENOMEM;
		g->nopt++;
	}
	snprintf(g->opt[i].key, GN_SCN_KEY_MAX, "%s", key);
	snprintf(g->opt[i].val, GN_SCN_VAL_MAX, "%s", val);
	g->opt[i].line = p->line;
	return 0;
}

static int clock_key(struct parser *p, const char *key, const char *val)
{
	struct gn_scn_clock *c = &p->sc->clocks[p->obj];
	int64_t t;
	double d;

	if (!strcmp(key, "offset")) {
		if (gn_scn_parse_time(val, 1.0, &t) < 0)
			return gn_scn_perr(p, "offset: bad time '%s'", val);
		c->offset_ns = (double)t;
	} else if (!strcmp(key, "offset_spread")) {
		if (gn_scn_parse_time(val, 1.0, &t) < 0 || t < 0)
			return gn_scn_perr(p, "offset_spread: bad time '%s'",
					   val);
		c->offset_spread_ns = (double)t;
	} else if (!strcmp(key, "freq_spread")) {
		if (gn_scn_parse_freq(val, &d) < 0 || d < 0.0)
			return gn_scn_perr(p, "freq_spread: bad frequency '%s'",
					   val);
		c->freq_spread_ppb = d;
	} else if (!strcmp(key, "freq")) {
		if (gn_scn_parse_freq(val, &d) < 0)
			return gn_scn_perr(
			    p, "freq: bad frequency '%s' (e.g. 20ppm)", val);
		c->freq_ppb = d;
	} else if (!strcmp(key, "wfm") || !strcmp(key, "rwfm")) {
		if (gn_scn_parse_double(val, 0.0, 1e-4, &d) < 0)
			return gn_scn_perr(
			    p, "%s: Allan deviation at 1 s in 0..1e-4", key);
		if (key[0] == 'w')
			c->wfm = d;
		else
			c->rwfm = d;
	} else if (!strcmp(key, "max_adj")) {
		if (gn_scn_parse_freq(val, &d) < 0 || d <= 0.0)
			return gn_scn_perr(p, "max_adj: bad frequency '%s'",
					   val);
		c->max_adj_ppb = d;
	} else if (!strcmp(key, "stamping")) {
		if (!strcmp(val, "hardware"))
			c->ts.software = false;
		else if (!strcmp(val, "software"))
			c->ts.software = true;
		else
			return gn_scn_perr(p, "stamping: hardware or software");
	} else if (!strcmp(key, "stamp_noise")) {
		if (gn_scn_parse_time(val, 1.0, &t) < 0 || t < 0 ||
		    t > GN_NS_PER_S)
			return gn_scn_perr(p, "stamp_noise: bad time '%s'",
					   val);
		c->ts.sigma_ns = (double)t;
	} else if (!strcmp(key, "stamp_uniform")) {
		if (gn_scn_parse_time(val, 1.0, &t) < 0 || t < 0 ||
		    t > GN_NS_PER_S)
			return gn_scn_perr(p, "stamp_uniform: bad time '%s'",
					   val);
		c->stamp_uniform_ns = t;
	} else {
		int64_t *dst = NULL;

		if (!strcmp(key, "resolution"))
			dst = &c->ts.resolution_ns;
		else if (!strcmp(key, "rx_latency"))
			dst = &c->ts.rx_latency_ns;
		else if (!strcmp(key, "rx_jitter"))
			dst = &c->ts.rx_jitter_ns;
		else if (!strcmp(key, "tx_latency"))
			dst = &c->ts.tx_latency_ns;
		else if (!strcmp(key, "tx_jitter"))
			dst = &c->ts.tx_jitter_ns;
		else if (!strcmp(key, "queue"))
			dst = &c->ts.queue_ns;
		else if (!strcmp(key, "queue_jitter"))
			dst = &c->ts.queue_jitter_ns;
		if (!dst)
			return gn_scn_perr(p, "unknown key '%s' in [clock]",
					   key);
		if (gn_scn_parse_time(val, 1.0, &t) < 0 || t < 0 ||
		    t > GN_NS_PER_S)
			return gn_scn_perr(p, "%s: bad time '%s' (0..1s)", key,
					   val);
		*dst = t;
	}
	return 0;
}

static int link_key(struct parser *p, const char *key, const char *val)
{
	char msg[200];

	if (gn_scn_link_set(&p->sc->links[p->obj].model, key, val, msg,
			    sizeof(msg)) < 0)
		return gn_scn_perr(p, "%s", msg);
	return 0;
}

/* ---- lines ---- */

static int section_line(struct parser *p, char *s)
{
	char *tok[4];
	char *end = strchr(s, ']');
	int n, rc;

	if (!end || end[1])
		return gn_scn_perr(p, "bad section header");
	*end = 0;
	n = tokenize(s + 1, tok, 3);
	if (n < 1 || n > 2)
		return gn_scn_perr(p, "bad section header");
	p->obj = -1;
	if (!strcmp(tok[0], "global") && n == 1) {
		p->sec = SEC_PTP;
		p->obj = 0;
		return 0;
	}
	if (n == 1) {
		if (!strcmp(tok[0], "sim"))
			p->sec = SEC_SIM;
		else if (!strcmp(tok[0], "topology"))
			p->sec = SEC_TOPOLOGY;
		else if (!strcmp(tok[0], "events"))
			p->sec = SEC_EVENTS;
		else
			return gn_scn_perr(p, "unknown section [%s]", tok[0]);
		return 0;
	}
	if (!valid_name(tok[1]))
		return gn_scn_perr(p, "bad name '%s'", tok[1]);
	if (!strcmp(tok[0], "ptp")) {
		p->sec = SEC_PTP;
		rc = add_ptp(p->sc, tok[1]);
	} else if (!strcmp(tok[0], "clock")) {
		p->sec = SEC_CLOCK;
		rc = add_clock(p->sc, tok[1]);
	} else if (!strcmp(tok[0], "link")) {
		p->sec = SEC_LINK;
		rc = add_link(p->sc, tok[1]);
	} else {
		return gn_scn_perr(p, "unknown section [%s %s]", tok[0],
				   tok[1]);
	}
	if (rc < 0)
		return rc;
	p->obj = rc;
	return 0;
}

static int parse_line(struct parser *p, char *s)
{
	char *tok[MAX_TOKENS];
	char *hash = strchr(s, '#');
	int n;

	if (hash)
		*hash = 0;
	while (*s && isspace((unsigned char)*s))
		s++;
	n = (int)strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	if (!*s)
		return 0;
	if (*s == '[')
		return section_line(p, s);
	n = tokenize(s, tok, MAX_TOKENS);
	if (n < 0)
		return gn_scn_perr(p, "too many words on one line");
	switch (p->sec) {
	case SEC_NONE:
		return gn_scn_perr(p, "statement outside a section");
	case SEC_TOPOLOGY:
		return gn_scn_topo_line(p, tok, n);
	case SEC_EVENTS:
		return gn_scn_event_line(p, tok, n);
	default:
		break;
	}
	if (n != 2)
		return gn_scn_perr(p, "expected 'key value'");
	switch (p->sec) {
	case SEC_SIM:
		return sim_key(p, tok[0], tok[1]);
	case SEC_PTP:
		return ptp_key(p, tok[0], tok[1]);
	case SEC_CLOCK:
		return clock_key(p, tok[0], tok[1]);
	case SEC_LINK:
		return link_key(p, tok[0], tok[1]);
	default:
		return -EINVAL;
	}
}

int gn_scenario_parse(struct gn_scenario *sc, const char *text,
		      const char *name, char *err, size_t errlen)
{
	struct parser p;
	char line[MAX_LINE];
	const char *s = text;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	if (!sc->file[0])
		snprintf(sc->file, sizeof(sc->file), "%s", name);
	p.sc = sc;
	p.name = name;
	p.err = err;
	p.errlen = errlen;
	if (sc->nnodes && gn_scn_hash_rebuild(&p, 1024) < 0)
		return -ENOMEM;
	while (*s && !rc) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		p.line++;
		if (len >= sizeof(line)) {
			rc = gn_scn_perr(&p, "line too long");
			break;
		}
		memcpy(line, s, len);
		line[len] = 0;
		if (strlen(line) != len)
			rc = gn_scn_perr(&p, "NUL byte in line");
		else
			rc = parse_line(&p, line);
		s += len + (nl ? 1 : 0);
	}
	free(p.hash);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", name);
	return rc;
}

int gn_scenario_load(struct gn_scenario *sc, const char *path, char *err,
		     size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open", path);
		return -ENOENT;
	}
	buf = malloc(MAX_FILE_BYTES + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, MAX_FILE_BYTES + 1, f);
	fclose(f);
	if (n > MAX_FILE_BYTES) {
		free(buf);
		snprintf(err, errlen, "%s: larger than %u bytes", path,
			 MAX_FILE_BYTES);
		return -EFBIG;
	}
	buf[n] = 0;
	snprintf(sc->file, sizeof(sc->file), "%s", path);
	rc = gn_scenario_parse(sc, buf, path, err, errlen);
	free(buf);
	return rc;
}

static int cmp_event(const void *a, const void *b)
{
	const struct gn_scn_event *x = a, *y = b;

	if (x->t_ns != y->t_ns)
		return x->t_ns < y->t_ns ? -1 : 1;
	return x->line - y->line;
}

int gn_scenario_check(struct gn_scenario *sc, char *err, size_t errlen)
{
	int i;

	if (!sc->nnodes) {
		snprintf(err, errlen, "%s: no nodes ([topology] node ...)",
			 sc->file);
		return -EINVAL;
	}
	for (i = 0; i < sc->nevents; i++) {
		if (sc->events[i].t_ns > sc->duration_ns) {
			snprintf(err, errlen,
				 "%s:%d: event after the end of the run",
				 sc->file, sc->events[i].line);
			return -EINVAL;
		}
	}
	/* Stable order by time (the file's order for equal times). */
	if (sc->nevents)
		qsort(sc->events, (size_t)sc->nevents, sizeof(*sc->events),
		      cmp_event);
	return 0;
}
