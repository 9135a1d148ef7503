/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * autocfg.c - the automatic mode's source/sink decisions (see
 * autocfg.h). Sans-IO: it must not read or steer a clock, open a file or
 * talk to a daemon; it only keeps state and logs through the host's log.
 */
#include "autocfg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dataset.h"

void gn_ac_init(struct gn_autocfg *ac, const struct gn_dlog *log)
{
	memset(ac, 0, sizeof(*ac));
	if (log)
		ac->log = *log;
}

static int new_domain(struct gn_autocfg *ac)
{
	struct gn_ac_domain *d;

	if (ac->ndom >= GN_AC_MAX_DOMAINS)
		return -ENOSPC;
	d = &ac->dom[ac->ndom];
	memset(d, 0, sizeof(*d));
	d->src = -1;
	d->src_domain = (int)ac->ndom;
	return (int)ac->ndom++;
}

int gn_ac_add_domain(struct gn_autocfg *ac)
{
	return new_domain(ac);
}

static int new_clock(struct gn_autocfg *ac, unsigned domain, const char *name,
		     int phc_index)
{
	struct gn_ac_clock *c;

	if (ac->nclk >= GN_AC_MAX_CLOCKS)
		return -ENOSPC;
	if (!name || strlen(name) >= GN_AC_NAME_MAX)
		return -EINVAL;
	c = &ac->clk[ac->nclk];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->phc_index = phc_index;
	c->domain = domain;
	return (int)ac->nclk++;
}

int gn_ac_add_sys_domain(struct gn_autocfg *ac, const char *name,
			 bool dest_only)
{
	int d = new_domain(ac), c;

	if (d < 0)
		return d;
	c = new_clock(ac, (unsigned)d, name, -1);
	if (c < 0) {
		ac->ndom--;
		return c;
	}
	ac->clk[c].is_sys = true;
	ac->clk[c].dest_only = dest_only;
	ac->dom[d].has_sys = true;
	ac->dom[d].src_prio = 0;
	return d;
}

int gn_ac_normalize_state(int port_state)
{
	switch (port_state) {
	case GN_PS_MASTER:
	case GN_PS_SLAVE:
	case GN_PS_PRE_MASTER:
	case GN_PS_UNCALIBRATED:
		return port_state;
	default:
		return GN_PS_DISABLED;
	}
}

static struct gn_ac_port *find_port(struct gn_autocfg *ac, unsigned domain,
				    unsigned number)
{
	unsigned i;

	for (i = 0; i < ac->nport; i++)
		if (ac->port[i].domain == domain &&
		    ac->port[i].number == number)
			return &ac->port[i];
	return NULL;
}

int gn_ac_add_port(struct gn_autocfg *ac, unsigned domain, unsigned number,
		   const char *ifname, int phc_index, int state)
{
	struct gn_ac_port *p;
	unsigned i;
	int c = -1;

	if (domain >= ac->ndom || ac->dom[domain].has_sys)
		return -EINVAL;
	p = find_port(ac, domain, number);
	if (p)
		return (int)p->clock;
	if (ac->nport >= GN_AC_MAX_PORTS)
		return -ENOSPC;
	/* The same interface on another port: the same clock. */
	for (i = 0; i < ac->nclk; i++) {
		if (ac->clk[i].domain == domain && !ac->clk[i].is_sys &&
		    !strcmp(ac->clk[i].name, ifname)) {
			c = (int)i;
			break;
		}
	}
	if (c < 0) {
		c = new_clock(ac, domain, ifname, phc_index);
		if (c < 0)
			return c;
	}
	p = &ac->port[ac->nport++];
	p->domain = domain;
	p->number = number;
	p->clock = (unsigned)c;
	p->state = gn_ac_normalize_state(state);
	return c;
}

int gn_ac_add_static_sink(struct gn_autocfg *ac, unsigned domain,
			  const char *name, int phc_index)
{
	int c;

	if (domain >= ac->ndom)
		return -EINVAL;
	c = new_clock(ac, domain, name, phc_index);
	if (c < 0)
		return c;
	ac->clk[c].static_dst = true;
	ac->clk[c].state = GN_PS_MASTER;
	return c;
}

int gn_ac_port_clock(const struct gn_autocfg *ac, unsigned domain,
		     unsigned number)
{
	unsigned i;

	for (i = 0; i < ac->nport; i++)
		if (ac->port[i].domain == domain &&
		    ac->port[i].number == number)
			return (int)ac->port[i].clock;
	return -1;
}

int gn_ac_clock_port(const struct gn_autocfg *ac, unsigned c)
{
	unsigned i;

	for (i = 0; i < ac->nport; i++)
		if (ac->port[i].clock == c)
			return (int)ac->port[i].number;
	return -1;
}

/* SLAVE > UNCALIBRATED > MASTER > PRE_MASTER > DISABLED, which is the
 * numeric order of the normalized states. */
static int clock_state(const struct gn_autocfg *ac, unsigned c)
{
	int state = GN_PS_DISABLED;
	unsigned i;

	for (i = 0; i < ac->nport; i++)
		if (ac->port[i].clock == c && ac->port[i].state > state)
			state = ac->port[i].state;
	return state;
}

void gn_ac_domain_ready(struct gn_autocfg *ac, unsigned domain)
{
	unsigned i;

	if (domain >= ac->ndom)
		return;
	for (i = 0; i < ac->nclk; i++)
		if (ac->clk[i].domain == domain && !ac->clk[i].is_sys &&
		    !ac->clk[i].static_dst)
			ac->clk[i].new_state = clock_state(ac, i);
	ac->dom[domain].state_changed = true;
	ac->dom[domain].src_prio = 1;
}

int gn_ac_port_state(struct gn_autocfg *ac, unsigned domain, unsigned number,
		     int state, const char *label)
{
	struct gn_ac_port *p = find_port(ac, domain, number);
	struct gn_ac_clock *c;
	int cs;

	if (!p) {
		gn_dlog(&ac->log, GN_DLOG_INFO,
			"received data for unknown port %s", label);
		return -ENOENT;
	}
	state = gn_ac_normalize_state(state);
	if (p->state == state)
		return 0;
	gn_dlog(&ac->log, GN_DLOG_INFO, "port %s changed state", label);
	p->state = state;
	c = &ac->clk[p->clock];
	cs = clock_state(ac, p->clock);
	if (c->state != cs || c->new_state) {
		c->new_state = cs;
		ac->dom[domain].state_changed = true;
	}
	return 1;
}

void gn_ac_set_subscribed(struct gn_autocfg *ac, unsigned domain, bool on)
{
	if (domain < ac->ndom)
		ac->dom[domain].subscribed = on;
}

void gn_ac_mark_changed(struct gn_autocfg *ac, unsigned domain)
{
	if (domain < ac->ndom)
		ac->dom[domain].state_changed = true;
}

bool gn_ac_pending(const struct gn_autocfg *ac)
{
	unsigned i;

	for (i = 0; i < ac->ndom; i++)
		if (ac->dom[i].state_changed)
			return true;
	return false;
}

static const char *state_str(int s)
{
	return s ? gn_port_state_str((enum gn_port_state)s) : "NONE";
}

/* A clock's state changed: the host restarts its servo when it became
 * a master (its PHC will now follow another clock). */
static void clock_reinit(struct gn_autocfg *ac, struct gn_ac_clock *c,
			 int new_state)
{
	if (new_state == GN_PS_MASTER)
		c->reset_servo = true;
	gn_dlog(&ac->log, GN_DLOG_DEBUG, "%s: state change %s -> %s", c->name,
		state_str(c->state), state_str(new_state));
}

static struct gn_ac_clock *find_dst(struct gn_autocfg *ac,
				    const struct gn_ac_domain *d, int phc)
{
	unsigned i;

	for (i = 0; i < d->ndst; i++)
		if (ac->clk[d->dst[i]].phc_index == phc)
			return &ac->clk[d->dst[i]];
	return NULL;
}

static struct gn_ac_clock *find_following(struct gn_autocfg *ac,
					  unsigned domain, int phc)
{
	unsigned i;

	for (i = 0; i < ac->nclk; i++)
		if (ac->clk[i].domain == domain && !ac->clk[i].static_dst &&
		    !ac->clk[i].is_sys && ac->clk[i].phc_index == phc)
			return &ac->clk[i];
	return NULL;
}

static void add_dst(struct gn_ac_domain *d, unsigned c)
{
	if (d->ndst < GN_AC_MAX_CLOCKS)
		d->dst[d->ndst++] = (int)c;
}

/* One domain's source and sinks. 0, or -1 when synchronization must
 * wait (which stops the whole reconfiguration, as phc2sys does). */
static int reconfigure_domain(struct gn_autocfg *ac, unsigned di)
{
	struct gn_ac_domain *d = &ac->dom[di];
	struct gn_ac_clock *dup;
	int src = -1, src_cnt = 0, dst_cnt = 0;
	unsigned i;

	d->state_changed = false;
	d->src_domain = (int)di;
	d->ndst = 0;
	if (!d->has_sys && !d->subscribed) {
		d->src = -1;
		return 0;
	}
	for (i = 0; i < ac->nclk; i++) {
		struct gn_ac_clock *c = &ac->clk[i];

		if (c->domain != di)
			continue;
		if (c->is_sys) {
			/* Always a sink; a source too unless -r only. */
			add_dst(d, i);
			d->src = c->dest_only ? -1 : (int)i;
			return 0;
		}
		if (c->new_state) {
			if (ac->reinit && !c->static_dst)
				ac->reinit(ac->reinit_ctx, ac, i);
			clock_reinit(ac, c, c->new_state);
			c->state = c->new_state;
			c->new_state = 0;
		}
		if (c->static_dst) {
			dup = find_following(ac, di, c->phc_index);
			if (dup) {
				gn_dlog(&ac->log, GN_DLOG_INFO,
					"skipping static %s: %s has the same "
					"clock",
					c->name, dup->name);
				continue;
			}
		}
		switch (c->state) {
		case GN_PS_FAULTY:
		case GN_PS_DISABLED:
		case GN_PS_LISTENING:
		case GN_PS_PRE_MASTER:
		case GN_PS_MASTER:
		case GN_PS_PASSIVE:
			dup = find_dst(ac, d, c->phc_index);
			if (!dup) {
				gn_dlog(&ac->log, GN_DLOG_INFO,
					"selecting %s for synchronization",
					c->name);
				dst_cnt++;
				add_dst(d, i);
				c->reset_check = true;
			} else {
				gn_dlog(&ac->log, GN_DLOG_INFO,
					"skipping %s: %s has the same clock "
					"and is already selected",
					c->name, dup->name);
			}
			break;
		case GN_PS_UNCALIBRATED:
			src_cnt++;
			break;
		case GN_PS_SLAVE:
			src = (int)i;
			src_cnt++;
			break;
		}
	}
	if (src_cnt > 1) {
		gn_dlog(&ac->log, GN_DLOG_INFO,
			"multiple source clocks available, postponing sync...");
		d->src = -1;
		return -1;
	}
	if (src_cnt > 0 && src < 0) {
		gn_dlog(&ac->log, GN_DLOG_INFO,
			"source clock not ready, waiting...");
		d->src = -1;
		return -1;
	}
	if (!src_cnt && !dst_cnt) {
		gn_dlog(&ac->log, GN_DLOG_INFO, "no PHC ready, waiting...");
		d->src = -1;
		return -1;
	}
	d->src = src;
	if (src >= 0)
		gn_dlog(&ac->log, GN_DLOG_INFO,
			"selecting %s as domain source clock",
			ac->clk[src].name);
	return 0;
}

/* <0: a is the better source domain, >0: b is, 0: equal. */
static int compare_domains(const struct gn_ac_domain *a,
			   const struct gn_ac_domain *b)
{
	if (!a || !b) {
		if (a && a->src >= 0)
			return -1;
		if (b && b->src >= 0)
			return 1;
		return 0;
	}
	if ((a->src < 0) != (b->src < 0))
		return (b->src >= 0) - (a->src >= 0);
	return b->src_prio - a->src_prio;
}

void gn_ac_reconfigure(struct gn_autocfg *ac)
{
	struct gn_ac_domain *src_dom = NULL, *sys_dom = NULL;
	unsigned i;

	gn_dlog(&ac->log, GN_DLOG_INFO,
		"reconfiguring after port state change");
	for (i = 0; i < ac->ndom; i++) {
		if (reconfigure_domain(ac, i))
			return;
		if (compare_domains(src_dom, &ac->dom[i]) > 0)
			src_dom = &ac->dom[i];
		if (ac->dom[i].has_sys)
			sys_dom = &ac->dom[i];
	}
	if (ac->ndom <= 1 || !src_dom)
		return;
	if (sys_dom && src_dom != sys_dom)
		gn_dlog(&ac->log, GN_DLOG_INFO,
			"selecting system clock for synchronization");
	if (src_dom == sys_dom)
		gn_dlog(&ac->log, GN_DLOG_INFO,
			"selecting system clock as source clock");
	else if (ac->ndom - (sys_dom ? 1 : 0) > 1)
		gn_dlog(&ac->log, GN_DLOG_INFO,
			"selecting %s as out-of-domain source clock",
			ac->clk[src_dom->src].name);
	for (i = 0; i < ac->ndom; i++) {
		struct gn_ac_domain *d = &ac->dom[i];

		if (d->src >= 0 && d->src_prio > 0)
			continue;
		d->src = src_dom->src;
		d->src_domain = (int)(src_dom - ac->dom);
	}
}

int gn_ac_source(const struct gn_autocfg *ac, unsigned domain)
{
	return domain < ac->ndom ? ac->dom[domain].src : -1;
}

int gn_ac_source_domain(const struct gn_autocfg *ac, unsigned domain)
{
	return domain < ac->ndom ? ac->dom[domain].src_domain : -1;
}

bool gn_ac_update_needed(const struct gn_autocfg *ac, unsigned domain,
			 unsigned c)
{
	const struct gn_ac_domain *d;
	const struct gn_ac_clock *k, *s;
	unsigned i;
	bool listed = false;

	if (domain >= ac->ndom || c >= ac->nclk)
		return false;
	d = &ac->dom[domain];
	for (i = 0; i < d->ndst; i++)
		if (d->dst[i] == (int)c)
			listed = true;
	if (!listed || d->src < 0)
		return false;
	k = &ac->clk[c];
	s = &ac->clk[d->src];
	/* Never a clock with itself (same PHC, or the same name). */
	if ((unsigned)d->src == c || !strcmp(k->name, s->name) ||
	    (k->phc_index >= 0 && k->phc_index == s->phc_index))
		return false;
	if (k->is_sys)
		return true;
	switch (k->state) {
	case GN_PS_UNCALIBRATED:
	case GN_PS_SLAVE:
		return false;
	default:
		return true;
	}
}

bool gn_ac_take_reset_servo(struct gn_autocfg *ac, unsigned c)
{
	bool r;

	if (c >= ac->nclk)
		return false;
	r = ac->clk[c].reset_servo;
	ac->clk[c].reset_servo = false;
	return r;
}

bool gn_ac_take_reset_check(struct gn_autocfg *ac, unsigned c)
{
	bool r;

	if (c >= ac->nclk)
		return false;
	r = ac->clk[c].reset_check;
	ac->clk[c].reset_check = false;
	return r;
}
