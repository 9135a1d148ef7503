/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fsm.h - the port state machine of IEEE 1588 (figure 23), with the
 * slave-only (figure 24) and master-only variants. A pure function: the
 * port module feeds events and applies the result.
 */
#ifndef GN_CORE_FSM_H
#define GN_CORE_FSM_H

#include <stdbool.h>

#include "bmca.h"
#include "dataset.h"

enum gn_fsm_event {
	GN_EV_NONE = 0,
	GN_EV_POWERUP,
	GN_EV_INITIALIZE,
	GN_EV_INIT_COMPLETE,
	GN_EV_FAULT_DETECTED,
	GN_EV_FAULT_CLEARED,
	GN_EV_DESIGNATED_ENABLED,
	GN_EV_DESIGNATED_DISABLED,
	GN_EV_ANNOUNCE_RECEIPT_TIMEOUT_EXPIRES,
	GN_EV_SYNCHRONIZATION_FAULT,
	GN_EV_MASTER_CLOCK_SELECTED,
	GN_EV_QUALIFICATION_TIMEOUT_EXPIRES,
	GN_EV_RS_MASTER,
	GN_EV_RS_GRAND_MASTER,
	GN_EV_RS_SLAVE,
	GN_EV_RS_PASSIVE,
};

const char *gn_fsm_event_str(enum gn_fsm_event ev);

/*
 * Next state for (state, event). master_changed is true when an RS_SLAVE
 * decision names a different parent than before (SLAVE -> UNCALIBRATED).
 * Events that do not apply in a state leave it unchanged.
 */
enum gn_port_state gn_fsm_next(enum gn_clock_role role,
			       enum gn_port_state state,
			       enum gn_fsm_event ev, bool master_changed);

/* Maps a state decision to the recommended-state event. */
enum gn_fsm_event gn_fsm_event_from_decision(enum gn_bmca_decision d);

#endif
