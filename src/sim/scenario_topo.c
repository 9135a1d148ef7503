/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scenario_topo.c - the [topology] and [events] sections of gnomon-sim
 * scenario files: nodes, bridges, links and hubs (with name and port
 * ranges), and the timeline. See scenario.c for the rest of the format.
 *
 * Must not touch the simulator: it only fills struct gn_scenario.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_private.h"

/* ---- topology ---- */

static int add_node(struct parser *p, const char *name, char **kv, int nkv)
{
	struct gn_scenario *sc = p->sc;
	struct gn_scn_node *n;
	long nports = 1;
	int i, ptp = -1, clock = 0;

	if (gn_scn_find_node(p, name) >= 0 || gn_scn_find_bridge(sc, name) >= 0)
		return gn_scn_perr(p, "'%s' defined twice", name);
	if (sc->nnodes >= GN_SCN_MAX_NODES)
		return gn_scn_perr(p, "too many nodes (at most %d)",
				   GN_SCN_MAX_NODES);
	for (i = 0; i < nkv; i++) {
		char *v = strchr(kv[i], '=');

		if (!v)
			return gn_scn_perr(p, "expected key=value, got '%s'",
					   kv[i]);
		if (!strncmp(kv[i], "ports=", 6)) {
			if (gn_scn_parse_uint(v + 1, 1, SIM_MAX_PORTS,
					      &nports) < 0)
				return gn_scn_perr(p, "ports: 1..%d",
						   SIM_MAX_PORTS);
		} else if (!strncmp(kv[i], "ptp=", 4)) {
			ptp = gn_scenario_ptp(sc, v + 1);
			if (ptp < 0)
				return gn_scn_perr(p, "unknown [ptp %s]",
						   v + 1);
		} else if (!strncmp(kv[i], "clock=", 6)) {
			clock = gn_scn_find_clock(sc, v + 1);
			if (clock < 0)
				return gn_scn_perr(p, "unknown [clock %s]",
						   v + 1);
		} else if (strncmp(kv[i], "port", 4)) {
			return gn_scn_perr(p, "unknown node key '%.*s'",
					   (int)(v - kv[i]), kv[i]);
		}
	}
	if (gn_scn_grow((void **)&sc->nodes, &sc->node_cap, sc->nnodes + 1,
			sizeof(*sc->nodes)) < 0)
		return -ENOMEM;
	n = &sc->nodes[sc->nnodes];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->nports = (int)nports;
	n->ptp = ptp;
	n->clock = clock;
	n->line = p->line;
	n->port_ptp = malloc((size_t)nports * sizeof(int));
	if (!n->port_ptp)
		return -ENOMEM;
	/* Counted now, so gn_scenario_free releases it on an error below. */
	sc->nnodes++;
	for (i = 0; i < nports; i++)
		n->port_ptp[i] = -1;
	for (i = 0; i < nkv; i++) {
		char *v = strchr(kv[i], '=');
		long k;
		char num[16];
		int g;

		if (strncmp(kv[i], "port", 4) || !strncmp(kv[i], "ports=", 6))
			continue;
		if ((size_t)(v - kv[i] - 4) >= sizeof(num))
			return gn_scn_perr(p, "bad key '%s'", kv[i]);
		memcpy(num, kv[i] + 4, (size_t)(v - kv[i] - 4));
		num[v - kv[i] - 4] = 0;
		if (gn_scn_parse_uint(num, 1, nports, &k) < 0)
			return gn_scn_perr(p, "'%s': no such port (1..%ld)",
					   kv[i], nports);
		g = gn_scenario_ptp(sc, v + 1);
		if (g < 0)
			return gn_scn_perr(p, "unknown [ptp %s]", v + 1);
		if (sc->ptp[g].has_clock_opts)
			return gn_scn_perr(
			    p,
			    "[ptp %s] has clock-wide options; a "
			    "port group may only set port options",
			    v + 1);
		n->port_ptp[k - 1] = g;
	}
	if ((unsigned)sc->nnodes * 2 > p->hash_cap)
		return gn_scn_hash_rebuild(p, p->hash_cap ? p->hash_cap * 2
							  : 1024);
	{
		unsigned k = gn_scn_name_hash(name) & (p->hash_cap - 1);

		while (p->hash[k] >= 0)
			k = (k + 1) & (p->hash_cap - 1);
		p->hash[k] = sc->nnodes - 1;
	}
	return 0;
}

static int add_bridge(struct parser *p, const char *name, char **kv, int nkv)
{
	struct gn_scenario *sc = p->sc;
	struct gn_scn_bridge *b;
	int i;

	if (gn_scn_find_node(p, name) >= 0 || gn_scn_find_bridge(sc, name) >= 0)
		return gn_scn_perr(p, "'%s' defined twice", name);
	if (sc->nbridges >= 100000)
		return gn_scn_perr(p, "too many bridges");
	if (gn_scn_grow((void **)&sc->bridges, &sc->bridge_cap,
			sc->nbridges + 1, sizeof(*sc->bridges)) < 0)
		return -ENOMEM;
	b = &sc->bridges[sc->nbridges];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	for (i = 0; i < nkv; i++) {
		char *v = strchr(kv[i], '=');
		int64_t t;

		if (!v || gn_scn_parse_time(v + 1, 1.0, &t) < 0 || t < 0 ||
		    t > GN_NS_PER_S)
			return gn_scn_perr(p, "bad bridge setting '%s'", kv[i]);
		if (!strncmp(kv[i], "residence=", 10))
			b->residence_ns = t;
		else if (!strncmp(kv[i], "jitter=", 7))
			b->jitter_ns = t;
		else
			return gn_scn_perr(p, "unknown bridge key in '%s'",
					   kv[i]);
	}
	sc->nbridges++;
	return 0;
}

/* A port number "N" or a range "{a..b}" (1-based). */
static int parse_ports(struct parser *p, const char *spec, long *lo, long *hi)
{
	char num[16];
	const char *dots;

	if (spec[0] != '{') {
		if (gn_scn_parse_uint(spec, 1, SIM_MAX_PORTS, lo) < 0)
			return gn_scn_perr(p, "bad port '%s' (1-based)", spec);
		*hi = *lo;
		return 0;
	}
	dots = strstr(spec, "..");
	if (!dots || spec[strlen(spec) - 1] != '}' ||
	    (size_t)(dots - spec - 1) >= sizeof(num) ||
	    strlen(dots + 2) >= sizeof(num))
		return gn_scn_perr(p, "bad port range '%s'", spec);
	memcpy(num, spec + 1, (size_t)(dots - spec - 1));
	num[dots - spec - 1] = 0;
	if (gn_scn_parse_uint(num, 1, SIM_MAX_PORTS, lo) < 0)
		return gn_scn_perr(p, "bad port range '%s'", spec);
	snprintf(num, sizeof(num), "%s", dots + 2);
	num[strlen(num) - 1] = 0;
	if (gn_scn_parse_uint(num, *lo, SIM_MAX_PORTS, hi) < 0)
		return gn_scn_perr(p, "bad port range '%s'", spec);
	return 0;
}

/*
 * "name[:port]" with ranges in the name and/or the port -> endpoints,
 * names outer, ports inner. Caller frees *out. Returns the count.
 */
static int parse_eps(struct parser *p, const char *spec, struct gn_scn_ep **out)
{
	char buf[128], *colon;
	char(*names)[GN_SCN_NAME_MAX] = NULL;
	long plo = 1, phi = 1, port;
	int n, i, cnt = 0, rc = 0;
	struct gn_scn_ep *ep;

	if (strlen(spec) >= sizeof(buf))
		return gn_scn_perr(p, "endpoint too long");
	snprintf(buf, sizeof(buf), "%s", spec);
	colon = strchr(buf, ':');
	if (colon) {
		*colon = 0;
		if (parse_ports(p, colon + 1, &plo, &phi) < 0)
			return -EINVAL;
	}
	n = gn_scn_expand(p, buf, &names);
	if (n < 0)
		return n;
	if ((long)n * (phi - plo + 1) > GN_SCN_MAX_CONNS) {
		free(names);
		return gn_scn_perr(p, "too many endpoints in '%s'", spec);
	}
	ep = calloc((size_t)n * (size_t)(phi - plo + 1), sizeof(*ep));
	if (!ep) {
		free(names);
		return -ENOMEM;
	}
	for (i = 0; i < n && !rc; i++) {
		int k = gn_scn_find_node(p, names[i]);

		if (k < 0) {
			k = gn_scn_find_bridge(p->sc, names[i]);
			if (k < 0)
				rc = gn_scn_perr(
				    p, "unknown node or bridge '%s'", names[i]);
			else if (colon)
				rc = gn_scn_perr(p, "bridge '%s' has no ports",
						 names[i]);
			else {
				ep[cnt].node = -1 - k;
				ep[cnt++].port = 0;
			}
			continue;
		}
		for (port = plo; port <= phi && !rc; port++) {
			if (port > p->sc->nodes[k].nports) {
				rc = gn_scn_perr(p, "'%s' has no port %ld",
						 names[i], port);
				break;
			}
			ep[cnt].node = k;
			ep[cnt++].port = (int)port - 1;
		}
	}
	free(names);
	if (rc) {
		free(ep);
		return rc;
	}
	*out = ep;
	return cnt;
}

static int add_conn(struct parser *p, int link, const struct gn_scn_ep *ep,
		    int nep)
{
	struct gn_scenario *sc = p->sc;
	struct gn_scn_conn *c;

	if (sc->nconns >= GN_SCN_MAX_CONNS)
		return gn_scn_perr(p, "too many links");
	if (gn_scn_grow((void **)&sc->conns, &sc->conn_cap, sc->nconns + 1,
			sizeof(*sc->conns)) < 0)
		return -ENOMEM;
	c = &sc->conns[sc->nconns];
	c->ep = malloc((size_t)nep * sizeof(*ep));
	if (!c->ep)
		return -ENOMEM;
	memcpy(c->ep, ep, (size_t)nep * sizeof(*ep));
	c->nep = nep;
	c->link = link;
	c->line = p->line;
	sc->nconns++;
	return 0;
}

int gn_scn_topo_line(struct parser *p, char **tok, int n)
{
	struct gn_scenario *sc = p->sc;
	int i, rc = 0;

	if (!strcmp(tok[0], "node") || !strcmp(tok[0], "bridge")) {
		char(*names)[GN_SCN_NAME_MAX] = NULL;
		int cnt;

		if (n < 2)
			return gn_scn_perr(p, "%s: name missing", tok[0]);
		cnt = gn_scn_expand(p, tok[1], &names);
		if (cnt < 0)
			return cnt;
		for (i = 0; i < cnt && !rc; i++)
			rc = tok[0][0] == 'n'
				 ? add_node(p, names[i], tok + 2, n - 2)
				 : add_bridge(p, names[i], tok + 2, n - 2);
		free(names);
		return rc;
	}
	if (!strcmp(tok[0], "link")) {
		struct gn_scn_ep *a = NULL, *b = NULL;
		int na, nb, link = 0, cnt;

		if (n < 3 || n > 4)
			return gn_scn_perr(p, "link: A B [model]");
		if (n == 4) {
			link = gn_scn_find_link(sc, tok[3]);
			if (link < 0)
				return gn_scn_perr(p, "unknown [link %s]",
						   tok[3]);
		}
		na = parse_eps(p, tok[1], &a);
		if (na < 0)
			return na;
		nb = parse_eps(p, tok[2], &b);
		if (nb < 0) {
			free(a);
			return nb;
		}
		if (na != nb && na != 1 && nb != 1) {
			free(a);
			free(b);
			return gn_scn_perr(p, "link: ranges of %d and %d ends",
					   na, nb);
		}
		cnt = na > nb ? na : nb;
		for (i = 0; i < cnt && !rc; i++) {
			struct gn_scn_ep e[2] = {a[na == 1 ? 0 : i],
						 b[nb == 1 ? 0 : i]};

			if (e[0].node == e[1].node && e[0].port == e[1].port)
				rc = gn_scn_perr(p,
						 "link from a port to itself");
			else
				rc = add_conn(p, link, e, 2);
		}
		free(a);
		free(b);
		return rc;
	}
	if (!strcmp(tok[0], "segment")) {
		struct gn_scn_ep *all = NULL;
		int nall = 0, link;

		if (n < 4)
			return gn_scn_perr(p, "segment: MODEL A B [C ...]");
		link = gn_scn_find_link(sc, tok[1]);
		if (link < 0)
			return gn_scn_perr(p, "unknown [link %s]", tok[1]);
		for (i = 2; i < n && !rc; i++) {
			struct gn_scn_ep *e = NULL, *na;
			int ne = parse_eps(p, tok[i], &e);

			if (ne < 0) {
				rc = ne;
				break;
			}
			na = realloc(all, (size_t)(nall + ne) * sizeof(*all));
			if (!na) {
				free(e);
				rc = -ENOMEM;
				break;
			}
			all = na;
			memcpy(all + nall, e, (size_t)ne * sizeof(*e));
			nall += ne;
			free(e);
		}
		if (!rc)
			rc = add_conn(p, link, all, nall);
		free(all);
		return rc;
	}
	return gn_scn_perr(p, "unknown topology statement '%s'", tok[0]);
}

/* ---- events ---- */

/* The segment at a node port, or -1. */
static int conn_at(const struct gn_scenario *sc, int node, int port)
{
	int i, k;

	for (i = 0; i < sc->nconns; i++)
		for (k = 0; k < sc->conns[i].nep; k++)
			if (sc->conns[i].ep[k].node == node &&
			    sc->conns[i].ep[k].port == port)
				return i;
	return -1;
}

int gn_scn_event_line(struct parser *p, char **tok, int n)
{
	struct gn_scenario *sc = p->sc;
	struct gn_scn_event ev;
	int64_t t;
	int i = 0;

	memset(&ev, 0, sizeof(ev));
	ev.line = p->line;
	ev.conn = -1;
	if (!strcmp(tok[0], "at"))
		i = 1;
	if (n < i + 3)
		return gn_scn_perr(p, "event: [at] TIME ACTION ARGS");
	if (gn_scn_parse_time(tok[i], 1e9, &t) < 0 || t < 0)
		return gn_scn_perr(p, "bad event time '%s'", tok[i]);
	ev.t_ns = t;
	{
		const char *act = tok[i + 1], *arg = tok[i + 2];
		int nargs = n - i - 2;

		if (!strcmp(act, "kill") || !strcmp(act, "revive") ||
		    !strcmp(act, "step") || !strcmp(act, "freq") ||
		    !strcmp(act, "priority1") || !strcmp(act, "priority2")) {
			ev.node = gn_scn_find_node(p, arg);
			if (ev.node < 0)
				return gn_scn_perr(p, "unknown node '%s'", arg);
		}
		if (!strcmp(act, "kill") || !strcmp(act, "revive")) {
			if (nargs != 1)
				return gn_scn_perr(p, "%s NODE", act);
			ev.kind =
			    act[0] == 'k' ? GN_SCN_EV_KILL : GN_SCN_EV_REVIVE;
		} else if (!strcmp(act, "step")) {
			if (nargs != 2 ||
			    gn_scn_parse_time(tok[i + 3], 1.0, &t) < 0)
				return gn_scn_perr(
				    p, "step NODE DELTA (e.g. +1ms)");
			ev.kind = GN_SCN_EV_STEP;
			ev.value = (double)t;
		} else if (!strcmp(act, "freq")) {
			if (nargs != 2 ||
			    gn_scn_parse_freq(tok[i + 3], &ev.value) < 0)
				return gn_scn_perr(
				    p, "freq NODE DELTA (e.g. +100ppb)");
			ev.kind = GN_SCN_EV_FREQ;
		} else if (!strcmp(act, "priority1") ||
			   !strcmp(act, "priority2")) {
			long v;

			if (nargs != 2 ||
			    gn_scn_parse_uint(tok[i + 3], 0, 255, &v) < 0)
				return gn_scn_perr(p, "%s NODE 0..255", act);
			ev.kind = act[8] == '1' ? GN_SCN_EV_PRIORITY1
						: GN_SCN_EV_PRIORITY2;
			ev.value = (double)v;
		} else if (!strcmp(act, "down") || !strcmp(act, "up") ||
			   !strcmp(act, "set")) {
			struct gn_scn_ep *e = NULL;
			int ne = parse_eps(p, arg, &e);

			if (ne < 0)
				return ne;
			if (ne != 1 || e[0].node < 0) {
				free(e);
				return gn_scn_perr(p, "%s: one node port", act);
			}
			ev.node = e[0].node;
			ev.conn = conn_at(sc, e[0].node, e[0].port);
			free(e);
			if (ev.conn < 0)
				return gn_scn_perr(p, "no link at '%s'", arg);
			if (act[0] == 's') {
				struct sim_segment tmp;
				char msg[200];

				if (nargs != 3)
					return gn_scn_perr(
					    p, "set NODE:PORT KEY VALUE");
				memset(&tmp, 0, sizeof(tmp));
				if (strlen(tok[i + 3]) >= GN_SCN_KEY_MAX ||
				    strlen(tok[i + 4]) >= GN_SCN_VAL_MAX)
					return gn_scn_perr(
					    p, "key or value too long");
				if (gn_scn_link_set(&tmp, tok[i + 3],
						    tok[i + 4], msg,
						    sizeof(msg)) < 0)
					return gn_scn_perr(p, "%s", msg);
				snprintf(ev.key, sizeof(ev.key), "%s",
					 tok[i + 3]);
				snprintf(ev.val, sizeof(ev.val), "%s",
					 tok[i + 4]);
				ev.kind = GN_SCN_EV_SET;
			} else {
				if (nargs != 1)
					return gn_scn_perr(p, "%s NODE:PORT",
							   act);
				ev.kind = act[0] == 'd' ? GN_SCN_EV_DOWN
							: GN_SCN_EV_UP;
			}
		} else {
			return gn_scn_perr(p, "unknown event '%s'", act);
		}
	}
	if (sc->nevents >= GN_SCN_MAX_EVENTS)
		return gn_scn_perr(p, "too many events");
	if (gn_scn_grow((void **)&sc->events, &sc->event_cap, sc->nevents + 1,
			sizeof(*sc->events)) < 0)
		return -ENOMEM;
	sc->events[sc->nevents++] = ev;
	return 0;
}
