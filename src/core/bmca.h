/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bmca.h - best master clock algorithm: data set comparison (with all
 * topology tie-breaks), the state decision (M1 M2 M3 S1 P1 P2) and the
 * foreign-master table with its qualification window.
 *
 * Pure functions over data; the port and clock modules drive them.
 */
#ifndef GN_CORE_BMCA_H
#define GN_CORE_BMCA_H

#include "dataset.h"
#include "wire.h"

/* What the BMCA compares: a grandmaster's attributes plus topology. */
struct gn_bmca_ds {
	uint8_t priority1;
	struct gn_clock_quality quality;
	uint8_t priority2;
	struct gn_clock_identity gm_identity;
	uint16_t steps_removed;
	struct gn_port_identity sender;	  /* header sourcePortIdentity */
	struct gn_port_identity receiver; /* port that received it */
	/* G.8275.x: the local priority of the receiving port (of the
	 * clock, for its own data set); only gn_bmca_compare_as(..., true)
	 * looks at it. */
	uint8_t local_priority;
};

/* Results of gn_bmca_compare(a, b), as in 1588 figure 27/28. */
enum {
	GN_BMCA_B_BETTER = -2,
	GN_BMCA_B_BETTER_TOPO = -1,
	GN_BMCA_EQUAL = 0, /* also the "error" cases (same message twice) */
	GN_BMCA_A_BETTER_TOPO = 1,
	GN_BMCA_A_BETTER = 2,
};

int gn_bmca_compare(const struct gn_bmca_ds *a, const struct gn_bmca_ds *b);
/* The same, in the clock's comparison mode: 1588's, or with telecom the
 * alternate one of G.8275.x (dataset_comparison G.8275.x). */
int gn_bmca_compare_as(const struct gn_bmca_ds *a, const struct gn_bmca_ds *b,
		       bool telecom);

/* D0: the local clock as a candidate (stepsRemoved 0, sender = receiver =
 * clockIdentity with port 0). */
void gn_bmca_ds_from_default(const struct gn_default_ds *dds,
			     struct gn_bmca_ds *out);
void gn_bmca_ds_from_announce(const struct gn_msg *announce,
			      const struct gn_port_identity *receiver,
			      struct gn_bmca_ds *out);

enum gn_bmca_decision {
	GN_BMCA_NONE = 0, /* stay: LISTENING with no qualified Announce */
	GN_BMCA_M1,
	GN_BMCA_M2,
	GN_BMCA_M3,
	GN_BMCA_S1,
	GN_BMCA_P1,
	GN_BMCA_P2,
	GN_BMCA_DISABLED, /* port is FAULTY/DISABLED/INITIALIZING: no decision
			   */
};

const char *gn_bmca_decision_str(enum gn_bmca_decision d);

enum gn_clock_role {
	GN_ROLE_NORMAL = 0,
	GN_ROLE_SLAVE_ONLY,
	GN_ROLE_MASTER_ONLY,
};

struct gn_bmca_input {
	const struct gn_bmca_ds *d0;	 /* local clock */
	const struct gn_bmca_ds *erbest; /* best on this port, NULL if none */
	const struct gn_bmca_ds *ebest;	 /* best overall, NULL if none */
	bool erbest_is_ebest;		 /* Ebest was received on this port */
	enum gn_port_state state;	 /* current port state */
	enum gn_clock_role role;
	bool telecom; /* compare data sets as G.8275.x does */
};

/*
 * The state decision algorithm (1588 9.3.3, figure 26), with linuxptp's
 * handling of slave-only (the same decision; the slave-only state machine
 * of fsm.c turns every recommendation but S1 into LISTENING) and
 * master-only (always M1, M2 or M3, never S1, P1 or P2).
 */
enum gn_bmca_decision gn_bmca_state_decision(const struct gn_bmca_input *in);

/* ---- Foreign master table (9.3.2.4, 9.5.3) ---- */

#define GN_FOREIGN_MASTERS_MAX	    8
#define GN_FOREIGN_MASTER_WINDOW    4 /* announce intervals */
#define GN_FOREIGN_MASTER_THRESHOLD 2 /* Announces within the window */

struct gn_foreign_master {
	bool used;
	struct gn_port_identity sender;
	/* Receive times (local ns) of the most recent Announces, newest
	 * first; entries older than the window are dropped. */
	int64_t rx_ns[GN_FOREIGN_MASTER_THRESHOLD + 1];
	unsigned nrx;
	/* The newest Announce from this sender. */
	struct gn_header header;
	struct gn_announce announce;
	struct gn_bmca_ds ds;
};

struct gn_foreign_table {
	struct gn_foreign_master m[GN_FOREIGN_MASTERS_MAX];
	struct gn_port_identity receiver;
	uint16_t max_steps_removed; /* Announces with >= this are ignored */
	/* Announces of a grandmaster with a worse (greater) clockClass are
	 * ignored (linuxptp's clock_class_threshold; 255 accepts all). Set
	 * after gn_foreign_init, which sets 255. */
	uint8_t clock_class_threshold;
	/* G.8275.portDS.localPriority, given to every data set recorded,
	 * and the comparison mode gn_foreign_best uses
	 * (dataset_comparison G.8275.x); set after gn_foreign_init, which
	 * sets 128 and false. */
	uint8_t local_priority;
	bool telecom;
};

void gn_foreign_init(struct gn_foreign_table *t,
		     const struct gn_port_identity *receiver,
		     uint16_t max_steps_removed);

/*
 * Records an Announce received at now_ns. Returns 1 if the record is
 * qualified and its data set differs from the previous Announce of that
 * sender (a new state decision is due), 0 if accepted without change,
 * -1 if rejected (stepsRemoved too large, own announce, or table full).
 */
int gn_foreign_add(struct gn_foreign_table *t, const struct gn_msg *announce,
		   int64_t now_ns, int64_t announce_interval_ns);

/* Drops receive times older than the window and empty records. */
void gn_foreign_prune(struct gn_foreign_table *t, int64_t now_ns,
		      int64_t announce_interval_ns);

bool gn_foreign_qualified(const struct gn_foreign_master *fm, int64_t now_ns,
			  int64_t announce_interval_ns);

/* Erbest: the best qualified record, or NULL. Prunes first. */
const struct gn_foreign_master *gn_foreign_best(struct gn_foreign_table *t,
						int64_t now_ns,
						int64_t announce_interval_ns);

/* Forgets every record (port leaving SLAVE/going FAULTY, etc.). */
void gn_foreign_clear(struct gn_foreign_table *t);
/* Forgets one sender (its master timed out). */
void gn_foreign_remove(struct gn_foreign_table *t,
		       const struct gn_port_identity *sender);

#endif
