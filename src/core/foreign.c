/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * foreign.c - the foreign-master table of one port (IEEE 1588-2008
 * 9.3.2.4, 9.3.2.5, 9.5.3): which senders of Announce messages are
 * qualified, and which of them is best (Erbest).
 *
 * Part of the sans-IO core: the caller passes receive times and the
 * announce interval; nothing here reads a clock, allocates or logs.
 *
 * Qualification: a sender is qualified once GN_FOREIGN_MASTER_THRESHOLD
 * (2) of its Announces were received within GN_FOREIGN_MASTER_WINDOW (4)
 * announce intervals, counting the newest. A receive time is inside the
 * window while now - rx < window (strictly, as linuxptp's msg_current());
 * exactly one window old is outside. linuxptp additionally does not count
 * the first Announce of a new sender (its reading of 9.5.3), so it
 * qualifies a master one Announce later than statime and we do; that
 * changes how soon a master qualifies, never whether it does.
 */
#include "bmca.h"

#include <string.h>

/* Length of gn_foreign_master.rx_ns[]. */
#define RX_SLOTS (GN_FOREIGN_MASTER_THRESHOLD + 1)
_Static_assert(sizeof(((struct gn_foreign_master *)0)->rx_ns) ==
		   RX_SLOTS * sizeof(int64_t),
	       "RX_SLOTS must match rx_ns[] in bmca.h");

/* The flagField bits that carry time properties (octet 7). */
#define TIME_PROPERTY_FLAGS 0x00FFu

void gn_foreign_init(struct gn_foreign_table *t,
		     const struct gn_port_identity *receiver,
		     uint16_t max_steps_removed)
{
	memset(t, 0, sizeof(*t));
	t->receiver = *receiver;
	t->max_steps_removed = max_steps_removed;
	t->clock_class_threshold = 255;
	t->local_priority = 128;
	t->telecom = false;
}

static int64_t window_ns(int64_t announce_interval_ns)
{
	if (announce_interval_ns <= 0)
		return 0;
	if (announce_interval_ns > INT64_MAX / GN_FOREIGN_MASTER_WINDOW)
		return INT64_MAX;
	return announce_interval_ns * GN_FOREIGN_MASTER_WINDOW;
}

/* A receive time in the future (the caller's clock went back) counts as
 * current; the subtraction is done unsigned so it cannot overflow. */
static bool rx_current(int64_t rx_ns, int64_t now_ns, int64_t win_ns)
{
	if (rx_ns >= now_ns)
		return win_ns > 0;
	return (uint64_t)now_ns - (uint64_t)rx_ns < (uint64_t)win_ns;
}

/* nrx, never trusted beyond the array (the struct is the caller's). */
static unsigned int rx_count(const struct gn_foreign_master *fm)
{
	return fm->nrx < RX_SLOTS ? fm->nrx : RX_SLOTS;
}

/* Receive times are newest first, so the stale ones are at the end. */
static void prune_record(struct gn_foreign_master *fm, int64_t now_ns,
			 int64_t win_ns)
{
	fm->nrx = rx_count(fm);
	while (fm->nrx > 0 &&
	       !rx_current(fm->rx_ns[fm->nrx - 1], now_ns, win_ns))
		fm->nrx--;
}

static unsigned int count_current(const struct gn_foreign_master *fm,
				  int64_t now_ns, int64_t win_ns)
{
	unsigned int i, n = 0;

	for (i = 0; i < rx_count(fm); i++)
		if (rx_current(fm->rx_ns[i], now_ns, win_ns))
			n++;
	return n;
}

bool gn_foreign_qualified(const struct gn_foreign_master *fm, int64_t now_ns,
			  int64_t announce_interval_ns)
{
	if (!fm || !fm->used)
		return false;
	return count_current(fm, now_ns, window_ns(announce_interval_ns)) >=
	       GN_FOREIGN_MASTER_THRESHOLD;
}

void gn_foreign_prune(struct gn_foreign_table *t, int64_t now_ns,
		      int64_t announce_interval_ns)
{
	int64_t win_ns = window_ns(announce_interval_ns);
	unsigned int i;

	for (i = 0; i < GN_FOREIGN_MASTERS_MAX; i++) {
		struct gn_foreign_master *fm = &t->m[i];

		if (!fm->used)
			continue;
		prune_record(fm, now_ns, win_ns);
		if (fm->nrx == 0)
			memset(fm, 0, sizeof(*fm));
	}
}

static struct gn_foreign_master *find(struct gn_foreign_table *t,
				      const struct gn_port_identity *sender)
{
	unsigned int i;

	for (i = 0; i < GN_FOREIGN_MASTERS_MAX; i++)
		if (t->m[i].used &&
		    gn_port_identity_eq(&t->m[i].sender, sender))
			return &t->m[i];
	return NULL;
}

static struct gn_foreign_master *find_free(struct gn_foreign_table *t)
{
	unsigned int i;

	for (i = 0; i < GN_FOREIGN_MASTERS_MAX; i++)
		if (!t->m[i].used)
			return &t->m[i];
	return NULL;
}

/*
 * Did anything change that the BMCA (priorities, quality, grandmaster,
 * stepsRemoved) or the time properties data set (UTC offset, time
 * source, the flag bits of octet 7) take from an Announce?
 */
static bool announce_changed(const struct gn_foreign_master *fm,
			     const struct gn_msg *m)
{
	const struct gn_announce *a = &fm->announce, *b = &m->body.announce;

	return a->gm_priority1 != b->gm_priority1 ||
	       a->gm_quality.clock_class != b->gm_quality.clock_class ||
	       a->gm_quality.clock_accuracy != b->gm_quality.clock_accuracy ||
	       a->gm_quality.offset_scaled_log_variance !=
		   b->gm_quality.offset_scaled_log_variance ||
	       a->gm_priority2 != b->gm_priority2 ||
	       !gn_clock_identity_eq(&a->gm_identity, &b->gm_identity) ||
	       a->steps_removed != b->steps_removed ||
	       a->current_utc_offset != b->current_utc_offset ||
	       a->time_source != b->time_source ||
	       (fm->header.flags & TIME_PROPERTY_FLAGS) !=
		   (m->h.flags & TIME_PROPERTY_FLAGS);
}

static void push_rx(struct gn_foreign_master *fm, int64_t now_ns)
{
	unsigned int i, n = rx_count(fm);

	if (n == RX_SLOTS)
		n--; /* the oldest falls off */

	for (i = n; i > 0; i--)
		fm->rx_ns[i] = fm->rx_ns[i - 1];
	fm->rx_ns[0] = now_ns;
	fm->nrx = n + 1;
}

/*
 * Besides what bmca.h says: 1 also when this Announce makes the sender
 * qualified (a new candidate for Erbest), and 0 for a duplicate. Bad
 * arguments (not an Announce, interval <= 0) are rejected with -1.
 */
int gn_foreign_add(struct gn_foreign_table *t, const struct gn_msg *announce,
		   int64_t now_ns, int64_t announce_interval_ns)
{
	const struct gn_port_identity *sender;
	struct gn_foreign_master *fm;
	bool was_qualified, changed;
	int64_t win_ns;

	if (!t || !announce || announce->h.type != GN_MSG_ANNOUNCE ||
	    announce_interval_ns <= 0)
		return -1;
	if (announce->body.announce.steps_removed >= t->max_steps_removed)
		return -1;
	if (announce->body.announce.gm_quality.clock_class >
	    t->clock_class_threshold)
		return -1;
	sender = &announce->h.source;
	if (gn_clock_identity_eq(&sender->clock, &t->receiver.clock))
		return -1;

	win_ns = window_ns(announce_interval_ns);
	fm = find(t, sender);
	if (!fm) {
		fm = find_free(t);
		if (!fm) {
			/* Make room from senders that went quiet. */
			gn_foreign_prune(t, now_ns, announce_interval_ns);
			fm = find_free(t);
		}
		if (!fm)
			return -1;
		memset(fm, 0, sizeof(*fm));
		fm->used = true;
		fm->sender = *sender;
		changed = true;
	} else {
		prune_record(fm, now_ns, win_ns);
		/*
		 * Qualification counts distinct Announces: the same
		 * sequenceId again while the last one is still current is
		 * a duplicated frame, not a second Announce.
		 */
		if (fm->nrx > 0 &&
		    fm->header.sequence_id == announce->h.sequence_id)
			return 0;
		changed = announce_changed(fm, announce);
	}

	was_qualified =
	    count_current(fm, now_ns, win_ns) >= GN_FOREIGN_MASTER_THRESHOLD;
	push_rx(fm, now_ns);
	fm->header = announce->h;
	fm->announce = announce->body.announce;
	gn_bmca_ds_from_announce(announce, &t->receiver, &fm->ds);
	fm->ds.local_priority = t->local_priority;

	if (count_current(fm, now_ns, win_ns) < GN_FOREIGN_MASTER_THRESHOLD)
		return 0;
	return (!was_qualified || changed) ? 1 : 0;
}

const struct gn_foreign_master *gn_foreign_best(struct gn_foreign_table *t,
						int64_t now_ns,
						int64_t announce_interval_ns)
{
	const struct gn_foreign_master *best = NULL;
	unsigned int i;

	gn_foreign_prune(t, now_ns, announce_interval_ns);
	for (i = 0; i < GN_FOREIGN_MASTERS_MAX; i++) {
		const struct gn_foreign_master *fm = &t->m[i];

		if (!gn_foreign_qualified(fm, now_ns, announce_interval_ns))
			continue;
		if (!best ||
		    gn_bmca_compare_as(&fm->ds, &best->ds, t->telecom) > 0)
			best = fm;
	}
	return best;
}

void gn_foreign_clear(struct gn_foreign_table *t)
{
	memset(t->m, 0, sizeof(t->m));
}

void gn_foreign_remove(struct gn_foreign_table *t,
		       const struct gn_port_identity *sender)
{
	struct gn_foreign_master *fm = find(t, sender);

	if (fm)
		memset(fm, 0, sizeof(*fm));
}
