/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bmca.c - the data set comparison (IEEE 1588-2008 9.3.4, figures 27 and
 * 28) and the state decision algorithm (9.3.3, figure 26).
 *
 * Part of the sans-IO core: pure functions over data sets. No I/O, no
 * clock reads, no allocation, no globals. The foreign-master table that
 * feeds Erbest lives in foreign.c.
 */
#include "bmca.h"

#include <string.h>

/*
 * Figure 28: the two data sets describe the same grandmaster; decide by
 * topology.
 *
 * "Identities" of senders and receivers: 1588 does not say plainly
 * whether the whole portIdentity or only its clockIdentity is meant.
 * linuxptp (bmc.c) compares whole port identities (clockIdentity, then
 * portNumber); statime compares clock identities only. The two differ
 * only when the clock identities are equal, e.g. two ports of one
 * boundary clock announcing the same grandmaster onto one segment:
 * statime calls that a tie, linuxptp lets the lower port number win. We
 * compare whole port identities, as linuxptp does, so that a gnomon port
 * and a ptp4l port looking at the same segment reach the same decision.
 */
static int compare_topology(const struct gn_bmca_ds *a,
			    const struct gn_bmca_ds *b)
{
	unsigned int steps_a = a->steps_removed;
	unsigned int steps_b = b->steps_removed;
	int diff;

	if (steps_a + 1 < steps_b)
		return GN_BMCA_A_BETTER;
	if (steps_b + 1 < steps_a)
		return GN_BMCA_B_BETTER;

	if (steps_a < steps_b) {
		/*
		 * B is one step further away. If B's receiver is "below" its
		 * sender, A wins outright; if above, A wins by topology; if
		 * they are the same port, B is our own message looping back
		 * (error-1), which we report as EQUAL.
		 */
		diff = gn_port_identity_cmp(&b->receiver, &b->sender);
		if (diff < 0)
			return GN_BMCA_A_BETTER;
		if (diff > 0)
			return GN_BMCA_A_BETTER_TOPO;
		return GN_BMCA_EQUAL; /* error-1 */
	}
	if (steps_a > steps_b) {
		diff = gn_port_identity_cmp(&a->receiver, &a->sender);
		if (diff < 0)
			return GN_BMCA_B_BETTER;
		if (diff > 0)
			return GN_BMCA_B_BETTER_TOPO;
		return GN_BMCA_EQUAL; /* error-1 */
	}

	diff = gn_port_identity_cmp(&a->sender, &b->sender);
	if (diff < 0)
		return GN_BMCA_A_BETTER_TOPO;
	if (diff > 0)
		return GN_BMCA_B_BETTER_TOPO;

	if (a->receiver.port < b->receiver.port)
		return GN_BMCA_A_BETTER_TOPO;
	if (a->receiver.port > b->receiver.port)
		return GN_BMCA_B_BETTER_TOPO;

	/* error-2: the same message seen twice on the same port. */
	return GN_BMCA_EQUAL;
}

/* -1, 0, 1 as "a is better (lower)", equal, "b is better". */
static int lower_wins(unsigned int a, unsigned int b)
{
	return (a > b) - (a < b);
}

/* clockClass, clockAccuracy, offsetScaledLogVariance, priority2: the
 * middle of both comparisons. */
static int compare_quality_priority2(const struct gn_bmca_ds *a,
				     const struct gn_bmca_ds *b)
{
	int diff = lower_wins(a->quality.clock_class, b->quality.clock_class);

	if (!diff)
		diff = lower_wins(a->quality.clock_accuracy,
				  b->quality.clock_accuracy);
	if (!diff)
		diff = lower_wins(a->quality.offset_scaled_log_variance,
				  b->quality.offset_scaled_log_variance);
	if (!diff)
		diff = lower_wins(a->priority2, b->priority2);
	return diff;
}

/*
 * ITU-T G.8275.1/.2's alternate comparison, as linuxptp does it
 * (telecom.c): no priority1; class, accuracy, variance, priority2, then
 * the local priority of the receiving port (of the clock for its own
 * data set); then, for a grandmaster of class 127 or better, topology
 * (stepsRemoved) before identity, else identity, and topology between
 * two data sets of one grandmaster.
 */
static int compare_telecom(const struct gn_bmca_ds *a,
			   const struct gn_bmca_ds *b)
{
	int diff = compare_quality_priority2(a, b);

	if (!diff)
		diff = lower_wins(a->local_priority, b->local_priority);
	if (diff)
		return diff < 0 ? GN_BMCA_A_BETTER : GN_BMCA_B_BETTER;
	if (a->quality.clock_class <= 127)
		return compare_topology(a, b);
	diff = gn_clock_identity_cmp(&a->gm_identity, &b->gm_identity);
	if (!diff)
		return compare_topology(a, b);
	return diff < 0 ? GN_BMCA_A_BETTER : GN_BMCA_B_BETTER;
}

/*
 * Figure 27. A NULL data set (no Announce at all) loses to any data set,
 * which is what the state decision needs for an empty Erbest or Ebest.
 */
int gn_bmca_compare(const struct gn_bmca_ds *a, const struct gn_bmca_ds *b)
{
	return gn_bmca_compare_as(a, b, false);
}

int gn_bmca_compare_as(const struct gn_bmca_ds *a, const struct gn_bmca_ds *b,
		       bool telecom)
{
	int diff;

	if (a == b)
		return GN_BMCA_EQUAL;
	if (!b)
		return GN_BMCA_A_BETTER;
	if (!a)
		return GN_BMCA_B_BETTER;
	if (telecom)
		return compare_telecom(a, b);

	if (gn_clock_identity_eq(&a->gm_identity, &b->gm_identity))
		return compare_topology(a, b);

	diff = lower_wins(a->priority1, b->priority1);
	if (!diff)
		diff = compare_quality_priority2(a, b);
	if (!diff)
		diff = gn_clock_identity_cmp(&a->gm_identity, &b->gm_identity);

	return diff < 0 ? GN_BMCA_A_BETTER : GN_BMCA_B_BETTER;
}

void gn_bmca_ds_from_default(const struct gn_default_ds *dds,
			     struct gn_bmca_ds *out)
{
	memset(out, 0, sizeof(*out));
	out->priority1 = dds->priority1;
	out->quality = dds->quality;
	out->priority2 = dds->priority2;
	out->gm_identity = dds->identity;
	out->steps_removed = 0;
	out->sender.clock = dds->identity;
	out->sender.port = 0;
	out->receiver.clock = dds->identity;
	out->receiver.port = 0;
}

void gn_bmca_ds_from_announce(const struct gn_msg *announce,
			      const struct gn_port_identity *receiver,
			      struct gn_bmca_ds *out)
{
	const struct gn_announce *an = &announce->body.announce;

	memset(out, 0, sizeof(*out));
	out->priority1 = an->gm_priority1;
	out->quality = an->gm_quality;
	out->priority2 = an->gm_priority2;
	out->gm_identity = an->gm_identity;
	out->steps_removed = an->steps_removed;
	out->sender = announce->h.source;
	out->receiver = *receiver;
}

static const char *const decision_names[] = {
    [GN_BMCA_NONE] = "NONE", [GN_BMCA_M1] = "M1",
    [GN_BMCA_M2] = "M2",     [GN_BMCA_M3] = "M3",
    [GN_BMCA_S1] = "S1",     [GN_BMCA_P1] = "P1",
    [GN_BMCA_P2] = "P2",     [GN_BMCA_DISABLED] = "DISABLED",
};

const char *gn_bmca_decision_str(enum gn_bmca_decision d)
{
	if ((unsigned int)d >=
	    sizeof(decision_names) / sizeof(decision_names[0]))
		return "UNKNOWN";
	return decision_names[d];
}

/* "D0 better than, or better by topology than, X" of figure 26. */
static bool d0_beats(const struct gn_bmca_input *in, const struct gn_bmca_ds *x)
{
	return gn_bmca_compare_as(in->d0, x, in->telecom) > 0;
}

static bool is_class_1_to_127(const struct gn_bmca_ds *d0)
{
	return d0->quality.clock_class >= 1 && d0->quality.clock_class <= 127;
}

/*
 * A master-only port never takes Erbest into account (linuxptp's
 * port_compute_best() returns NULL for it), so figure 26 can only end in
 * M1, M2 or M3 for it. linuxptp leaves such a port in LISTENING until its
 * announce receipt timeout expires and then goes to MASTER; we decide at
 * once, which reaches the same state sooner.
 */
static enum gn_bmca_decision
master_only_decision(const struct gn_bmca_input *in)
{
	if (is_class_1_to_127(in->d0))
		return GN_BMCA_M1;
	if (d0_beats(in, in->ebest))
		return GN_BMCA_M2;
	return GN_BMCA_M3;
}

/*
 * Figure 26, read as linuxptp's bmc_state_decision() reads it.
 *
 * Slave-only (figure 24) changes the state machine, not this algorithm:
 * 1588 and linuxptp run the same decision and the slave-only state
 * machine turns every recommendation but RS_SLAVE into LISTENING (see
 * fsm.c). We do the same. Returning GN_BMCA_NONE instead for a slave-only
 * port whose Ebest is elsewhere would be wrong: a port in SLAVE would
 * stay SLAVE after its master moved to another port. The clock makes a
 * slave-only clock's clockClass 255, so D0 loses to every real master and
 * M1/P1 cannot happen; M2 means "no master at all", which the slave-only
 * machine also turns into LISTENING.
 */
enum gn_bmca_decision gn_bmca_state_decision(const struct gn_bmca_input *in)
{
	if (!in || !in->d0)
		return GN_BMCA_NONE;

	switch (in->state) {
	case GN_PS_LISTENING:
	case GN_PS_PRE_MASTER:
	case GN_PS_MASTER:
	case GN_PS_PASSIVE:
	case GN_PS_UNCALIBRATED:
	case GN_PS_SLAVE:
		break;
	case GN_PS_INITIALIZING:
	case GN_PS_FAULTY:
	case GN_PS_DISABLED:
	default:
		return GN_BMCA_DISABLED;
	}

	if (in->role == GN_ROLE_MASTER_ONLY)
		return master_only_decision(in);

	if (!in->erbest && in->state == GN_PS_LISTENING)
		return GN_BMCA_NONE;

	if (is_class_1_to_127(in->d0))
		return d0_beats(in, in->erbest) ? GN_BMCA_M1 : GN_BMCA_P1;

	if (d0_beats(in, in->ebest))
		return GN_BMCA_M2;

	/* Ebest exists here (else D0 would have won); trust the flag only
	 * when this port has an Erbest at all. */
	if (in->erbest_is_ebest && in->erbest)
		return GN_BMCA_S1;

	if (gn_bmca_compare_as(in->ebest, in->erbest, in->telecom) ==
	    GN_BMCA_A_BETTER_TOPO)
		return GN_BMCA_P2;
	return GN_BMCA_M3;
}
