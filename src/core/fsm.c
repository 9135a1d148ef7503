/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fsm.c - the port state machine: IEEE 1588-2008 figure 23 (ordinary and
 * boundary clocks), figure 24 (slave-only) and a master-only variant.
 *
 * Part of the sans-IO core: a pure function from (state, event) to the
 * next state. Timers, data set updates and messages belong to the port
 * module that applies the result; nothing here does I/O or keeps state.
 *
 * Where linuxptp (fsm.c) and the figures differ we follow the figures:
 * DESIGNATED_DISABLED leaves INITIALIZING for DISABLED (linuxptp ignores
 * it there). RS_GRAND_MASTER (decisions M1, M2) goes straight to MASTER
 * and RS_MASTER (M3) through PRE_MASTER, as in both.
 */
#include "fsm.h"

static const char *const event_names[] = {
    [GN_EV_NONE] = "NONE",
    [GN_EV_POWERUP] = "POWERUP",
    [GN_EV_INITIALIZE] = "INITIALIZE",
    [GN_EV_INIT_COMPLETE] = "INIT_COMPLETE",
    [GN_EV_FAULT_DETECTED] = "FAULT_DETECTED",
    [GN_EV_FAULT_CLEARED] = "FAULT_CLEARED",
    [GN_EV_DESIGNATED_ENABLED] = "DESIGNATED_ENABLED",
    [GN_EV_DESIGNATED_DISABLED] = "DESIGNATED_DISABLED",
    [GN_EV_ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES] =
	"ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES",
    [GN_EV_SYNCHRONIZATION_FAULT] = "SYNCHRONIZATION_FAULT",
    [GN_EV_MASTER_CLOCK_SELECTED] = "MASTER_CLOCK_SELECTED",
    [GN_EV_QUALIFICATION_TIMEOUT_EXPIRES] = "QUALIFICATION_TIMEOUT_EXPIRES",
    [GN_EV_RS_MASTER] = "RS_MASTER",
    [GN_EV_RS_GRAND_MASTER] = "RS_GRAND_MASTER",
    [GN_EV_RS_SLAVE] = "RS_SLAVE",
    [GN_EV_RS_PASSIVE] = "RS_PASSIVE",
};

/* linuxptp's spelling of the events, which its log lines print. */
const char *gn_fsm_event_str(enum gn_fsm_event ev)
{
	if ((unsigned int)ev >= sizeof(event_names) / sizeof(event_names[0]))
		return "UNKNOWN";
	return event_names[ev];
}

enum gn_fsm_event gn_fsm_event_from_decision(enum gn_bmca_decision d)
{
	switch (d) {
	case GN_BMCA_M1:
	case GN_BMCA_M2:
		return GN_EV_RS_GRAND_MASTER;
	case GN_BMCA_M3:
		return GN_EV_RS_MASTER;
	case GN_BMCA_S1:
		return GN_EV_RS_SLAVE;
	case GN_BMCA_P1:
	case GN_BMCA_P2:
		return GN_EV_RS_PASSIVE;
	case GN_BMCA_NONE:
	case GN_BMCA_DISABLED:
	default:
		return GN_EV_NONE;
	}
}

static bool is_valid_state(enum gn_port_state s)
{
	return s >= GN_PS_INITIALIZING && s <= GN_PS_SLAVE;
}

/*
 * Figure 23. States from which the BMCA recommendations lead somewhere:
 * LISTENING, PRE_MASTER, MASTER, PASSIVE, UNCALIBRATED, SLAVE.
 */
static enum gn_port_state next_full(enum gn_port_state state,
				    enum gn_fsm_event ev, bool master_changed)
{
	switch (ev) {
	case GN_EV_ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES:
		switch (state) {
		case GN_PS_LISTENING:
		case GN_PS_UNCALIBRATED:
		case GN_PS_SLAVE:
		case GN_PS_PASSIVE:
			return GN_PS_MASTER;
		default:
			return state;
		}
	case GN_EV_QUALIFICATION_TIMEOUT_EXPIRES:
		return state == GN_PS_PRE_MASTER ? GN_PS_MASTER : state;
	case GN_EV_MASTER_CLOCK_SELECTED:
		return state == GN_PS_UNCALIBRATED ? GN_PS_SLAVE : state;
	case GN_EV_SYNCHRONIZATION_FAULT:
		return state == GN_PS_SLAVE ? GN_PS_UNCALIBRATED : state;
	case GN_EV_RS_MASTER:
	case GN_EV_RS_GRAND_MASTER:
		switch (state) {
		case GN_PS_LISTENING:
		case GN_PS_UNCALIBRATED:
		case GN_PS_SLAVE:
		case GN_PS_PASSIVE:
			return ev == GN_EV_RS_MASTER ? GN_PS_PRE_MASTER
						     : GN_PS_MASTER;
		default:
			return state; /* PRE_MASTER and MASTER stay */
		}
	case GN_EV_RS_SLAVE:
		switch (state) {
		case GN_PS_LISTENING:
		case GN_PS_PRE_MASTER:
		case GN_PS_MASTER:
		case GN_PS_PASSIVE:
			return GN_PS_UNCALIBRATED;
		case GN_PS_SLAVE:
			return master_changed ? GN_PS_UNCALIBRATED : state;
		default:
			return state; /* UNCALIBRATED stays */
		}
	case GN_EV_RS_PASSIVE:
		switch (state) {
		case GN_PS_LISTENING:
		case GN_PS_PRE_MASTER:
		case GN_PS_MASTER:
		case GN_PS_UNCALIBRATED:
		case GN_PS_SLAVE:
			return GN_PS_PASSIVE;
		default:
			return state;
		}
	default:
		return state;
	}
}

/*
 * Figure 24: the slave-only machine has no PRE_MASTER, MASTER or PASSIVE;
 * everything that would lead there leads to LISTENING. Should a port be
 * in one of those states anyway (its clock was made slave-only at run
 * time), it is treated as LISTENING, except that where LISTENING would
 * stay it goes to LISTENING: the next recommendation or timeout moves it
 * out of the master states.
 */
static enum gn_port_state next_slave_only(enum gn_port_state state,
					  enum gn_fsm_event ev,
					  bool master_changed)
{
	bool master_like = state == GN_PS_PRE_MASTER || state == GN_PS_MASTER ||
			   state == GN_PS_PASSIVE;

	switch (ev) {
	case GN_EV_ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES:
	case GN_EV_RS_MASTER:
	case GN_EV_RS_GRAND_MASTER:
	case GN_EV_RS_PASSIVE:
		if (master_like || state == GN_PS_UNCALIBRATED ||
		    state == GN_PS_SLAVE)
			return GN_PS_LISTENING;
		return state;
	case GN_EV_QUALIFICATION_TIMEOUT_EXPIRES:
		/* Where figure 23 would go PRE_MASTER -> MASTER. */
		return master_like ? GN_PS_LISTENING : state;
	case GN_EV_RS_SLAVE:
		if (master_like || state == GN_PS_LISTENING)
			return GN_PS_UNCALIBRATED;
		if (state == GN_PS_SLAVE && master_changed)
			return GN_PS_UNCALIBRATED;
		return state;
	case GN_EV_MASTER_CLOCK_SELECTED:
		return state == GN_PS_UNCALIBRATED ? GN_PS_SLAVE : state;
	case GN_EV_SYNCHRONIZATION_FAULT:
		return state == GN_PS_SLAVE ? GN_PS_UNCALIBRATED : state;
	default:
		return state;
	}
}

/*
 * Master-only: figure 23 without the ways into UNCALIBRATED, SLAVE and
 * PASSIVE (RS_SLAVE, RS_PASSIVE, MASTER_CLOCK_SELECTED and
 * SYNCHRONIZATION_FAULT are ignored). linuxptp runs the full machine for
 * a serverOnly port and gets the same effect by never giving it an
 * Erbest; the BMCA here never recommends S1 or P* for it either.
 */
static enum gn_port_state next_master_only(enum gn_port_state state,
					   enum gn_fsm_event ev)
{
	switch (ev) {
	case GN_EV_RS_SLAVE:
	case GN_EV_RS_PASSIVE:
	case GN_EV_MASTER_CLOCK_SELECTED:
	case GN_EV_SYNCHRONIZATION_FAULT:
		return state;
	default:
		return next_full(state, ev, false);
	}
}

enum gn_port_state gn_fsm_next(enum gn_clock_role role,
			       enum gn_port_state state, enum gn_fsm_event ev,
			       bool master_changed)
{
	if (!is_valid_state(state))
		return state;

	/* Transitions of every role, taken from any state. */
	switch (ev) {
	case GN_EV_POWERUP:
	case GN_EV_INITIALIZE:
		return GN_PS_INITIALIZING;
	case GN_EV_DESIGNATED_DISABLED:
		return GN_PS_DISABLED;
	case GN_EV_FAULT_DETECTED:
		return state == GN_PS_DISABLED ? state : GN_PS_FAULTY;
	default:
		break;
	}

	switch (state) {
	case GN_PS_INITIALIZING:
		return ev == GN_EV_INIT_COMPLETE ? GN_PS_LISTENING : state;
	case GN_PS_FAULTY:
		return ev == GN_EV_FAULT_CLEARED ? GN_PS_INITIALIZING : state;
	case GN_PS_DISABLED:
		return ev == GN_EV_DESIGNATED_ENABLED ? GN_PS_INITIALIZING
						      : state;
	default:
		break;
	}

	switch (role) {
	case GN_ROLE_SLAVE_ONLY:
		return next_slave_only(state, ev, master_changed);
	case GN_ROLE_MASTER_ONLY:
		return next_master_only(state, ev);
	case GN_ROLE_NORMAL:
	default:
		return next_full(state, ev, master_changed);
	}
}
