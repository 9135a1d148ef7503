/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clock.h - the protocol engine: a PTP clock (ordinary or boundary) with
 * N ports, driven by calls from its host and acting through gn_env.
 *
 * The host owns the storage (struct gn_clock and an array of gn_port),
 * so the engine never allocates. Entry points:
 *   gn_clock_rx()            a frame arrived on a port (with its rx stamp)
 *   gn_clock_timer()         a timer armed through env->timer_arm fired
 *   gn_clock_tx_timestamp()  the egress stamp of a frame sent with
 *                            want_tx_ts is known
 *   gn_clock_tx_timestamp_missing()  it never came (host timeout)
 *   gn_clock_link()          link up/down
 *   gn_clock_management()    a management message to answer
 */
#ifndef GN_CORE_CLOCK_H
#define GN_CORE_CLOCK_H

#include "bmca.h"
#include "dataset.h"
#include "envelope.h"
#include "env.h"
#include "fsm.h"
#include "servo/servo.h"
#include "tc.h"
#include "tlv.h"
#include "tt.h"
#include "wire.h"

#define GN_PORT_NAME_MAX	 32
#define GN_NO_TIMESTAMP		 INT64_MIN
#define GN_DELAY_REQ_OUTSTANDING 8

/* IEEE C37.238 power profile values of a port (linuxptp's
 * power_profile.* options; POWER_PROFILE_SETTINGS_NP). */
#define GN_POWER_PROFILE_NONE 0
#define GN_POWER_PROFILE_2011 1
#define GN_POWER_PROFILE_2017 2
struct gn_power_profile {
	uint16_t version; /* GN_POWER_PROFILE_* */
	uint16_t grandmaster_id;
	uint32_t grandmaster_time_inaccuracy_ns; /* 0xFFFFFFFF: unknown */
	uint32_t network_time_inaccuracy_ns;
	uint32_t total_time_inaccuracy_ns;
};

struct gn_port_config {
	char name[GN_PORT_NAME_MAX]; /* interface name, for logs */
	int8_t log_announce_interval;
	int8_t log_sync_interval;
	int8_t log_min_delay_req_interval;
	int8_t log_min_pdelay_req_interval;
	uint8_t announce_receipt_timeout;
	uint8_t sync_receipt_timeout; /* 0: disabled */
	enum gn_delay_mechanism delay_mechanism;
	int64_t delay_asymmetry_ns;
	/* linuxptp's ingressLatency / egressLatency: subtracted from every
	 * receive stamp, added to every transmit stamp of the port. */
	int64_t ingress_latency_ns;
	int64_t egress_latency_ns;
	struct gn_power_profile power_profile;
	uint8_t transport_specific;
	uint8_t local_priority; /* G.8275.portDS.localPriority */
	bool master_only;
	bool ignore_transport_specific;
	int64_t neighbor_prop_delay_thresh_ns; /* P2P asCapable limit; 0 off */
	int8_t fault_reset_interval; /* log2 s; GN_FRI_ASAP for immediate */
	enum gn_filter_type delay_filter;
	unsigned delay_filter_length;
	uint8_t minor_version; /* ptp_minor_version: 0 or 1 */
	bool follow_up_info;   /* send the 802.1AS Follow_Up TLV */
	/* path_trace_enabled: send PATH_TRACE in Announce, drop Announce
	 * whose path holds this clock, keep the parent's path. */
	bool path_trace_enabled;
	/* Reported through management (PORT_PROPERTIES_NP, _HWCLOCK_NP). */
	uint8_t timestamping; /* GN_TIMESTAMPING_* of mgmt.h */
	int32_t phc_index;    /* -1: none */
};
#define GN_FRI_ASAP INT8_MIN

struct gn_clock_config {
	struct gn_clock_identity identity;
	uint8_t domain;
	uint8_t priority1, priority2;
	struct gn_clock_quality quality;
	bool two_step;
	bool slave_only;
	bool free_running;
	/* freq_est_interval (log2 s): how long a free-running clock
	 * measures its rate against the master's (a free-running TC scales
	 * residence times by it, tc.c). */
	int freq_est_interval;
	/* clock_type: an ordinary/boundary clock or a transparent clock,
	 * which forwards between its ports (tc.c) and originates no
	 * Announce or Sync. */
	enum gn_clock_type clock_type;
	/* TC: forward only along the tree the BMCA built, and count each
	 * TC in the stepsRemoved of forwarded Announces. */
	bool tc_spanning_tree;
	uint16_t max_steps_removed;
	/* Masters whose grandmaster clockClass is above this are ignored
	 * (linuxptp's clock_class_threshold, default 248). */
	uint8_t clock_class_threshold;
	/* dataset_comparison G.8275.x, G.8275.defaultDS.localPriority. */
	bool telecom_dscmp;
	uint8_t local_priority;
	int16_t utc_offset;
	uint8_t time_source;
	bool hw_stamping; /* for servo constants and log text */
	/* The clock keeps UTC (the system clock, or a virtual clock on
	 * it): it announces the ARB timescale, and corrects the offset to
	 * a master on the PTP timescale by currentUtcOffset (as ptp4l). */
	bool utc_timescale;
	struct gn_servo_config servo;
	/* summary_interval (log2 s): per-sample log lines when it is not
	 * above logSyncInterval, else one statistics line per interval. */
	int summary_interval;
	/* Clock's current frequency adjustment when the engine starts. */
	double initial_freq_ppb;
};

/* linuxptp's default.cfg values. */
void gn_port_config_default(struct gn_port_config *pc);
void gn_clock_config_default(struct gn_clock_config *cc);

/* Per-port counters (linuxptp's PORT_STATS_NP and a bit more). */
struct gn_port_stats {
	uint64_t rx[16];
	uint64_t tx[16];
	uint64_t rx_bad; /* parse errors */
	uint64_t rx_wrong_domain;
	uint64_t announce_timeouts;
	uint64_t sync_timeouts;
	/* Timer expiries, as linuxptp's PORT_SERVICE_STATS_NP counts them. */
	uint64_t delay_timeouts; /* Delay_Req or Pdelay_Req timer */
	uint64_t master_announce_timeouts;
	uint64_t master_sync_timeouts;
	uint64_t qualification_timeouts;
	uint64_t sync_mismatch;	    /* Follow_Up matching nothing */
	uint64_t followup_mismatch; /* Follow_Up for another Sync */
	uint64_t tx_ts_missing;
	uint64_t faults;
	uint64_t bad_reason[GN_WIRE_ERROR_COUNT];
};

struct gn_clock;

/* A pending two-step exchange on the slave side. */
struct gn_sync_pending {
	bool have_sync, have_fup;
	uint16_t seq;
	struct gn_port_identity source;
	int64_t t2_ns;	     /* Sync ingress */
	int64_t t1_ns;	     /* origin (one-step) or precise (from Follow_Up) */
	int64_t corr_ns;     /* Sync correction (+ Follow_Up correction) */
	int64_t fup_corr_ns; /* Follow_Up correction, if it came first */
	bool two_step;
};

struct gn_port {
	struct gn_clock *clock;
	unsigned index; /* 0-based; portNumber = index + 1 */
	struct gn_port_config cfg;
	struct gn_port_ds ds;
	struct gn_foreign_table foreign;
	struct gn_port_stats stats;
	bool link_up;
	bool enabled;		  /* ENABLE_PORT / DISABLE_PORT */
	bool sync_interval_known; /* servo told the master's interval */
	bool gm_role_logged;	  /* "assuming the grand master role" said */

	/* Sequence ids of messages we originate. */
	uint16_t seq_announce, seq_sync, seq_delay_req, seq_pdelay_req;
	uint16_t seq_signaling, seq_management;

	/* Master: a two-step Sync awaiting its egress stamp. */
	bool sync_tx_pending;
	uint16_t sync_tx_seq;

	/* Slave: current parent port identity, sync matching, delay. */
	struct gn_sync_pending sync;
	int64_t last_t1c_ns, last_t2_ns; /* last completed Sync (t1+corr, t2) */
	bool have_last_sync;
	bool delay_req_pending; /* waiting for its egress stamp */
	uint16_t delay_req_seq;
	/* Delay_Reqs sent and not answered yet (with a long path a
	 * Delay_Resp comes after the next request went out): matched by
	 * sequenceId, the oldest overwritten. */
	struct gn_delay_req_out {
		uint16_t seq;
		bool used, have_t3;
		int64_t t3_ns;
	} dreq[GN_DELAY_REQ_OUTSTANDING];
	struct gn_filter delay_filter;
	/* Largest error (ns) the clock's frequency uncertainty may have put
	 * into a delay sample the filter holds, and the largest uncertainty
	 * (ppb) of the rate those samples were corrected with (INFINITY:
	 * taken before the servo knew the frequency). */
	double delay_rate_err_ns;
	double delay_rate_sd_ppb;
	int64_t path_delay_ns; /* filtered mean path delay */
	bool have_path_delay;
	/* Packet selection (port_env.c): lower envelopes of the two
	 * one-way delays, steering removed. */
	struct gn_envelope env_ms, env_sm;
	unsigned env_epoch; /* the clock's steer_epoch they belong to */
	bool env_on;	    /* offsets come from the envelopes */
	bool env_chosen;    /* they beat the servo once since the last
			     * reset (env_on implies it) */
	double env_sd_ns;   /* and their error, one deviation */
	double env_queue_ns; /* the Sync direction's queueing excess now */

	/* P2P: our request and the responses. */
	bool pdelay_req_pending;
	uint16_t pdelay_req_seq;
	int64_t pdelay_t1_ns;
	bool have_pdelay_t1;
	bool pdelay_resp_seen;
	int64_t pdelay_t2_ns, pdelay_t4_ns, pdelay_resp_corr_ns;
	bool pdelay_resp_two_step;
	struct gn_port_identity pdelay_peer;
	int64_t nrr_t3_ns, nrr_t4_ns; /* previous (t3, t4) for the rate ratio */
	bool have_nrr_point;
	double neighbor_rate_ratio;
	int64_t peer_delay_ns;
	bool have_peer_delay;
	unsigned pdelay_lost; /* consecutive requests without response */
	/* A Pdelay_Resp_Follow_Up that overtook its Pdelay_Resp. */
	bool pdelay_fup_early;
	uint16_t pdelay_resp_seq_seen; /* sequenceId of the last Pdelay_Resp */
	uint16_t pdelay_fup_seq;
	struct gn_port_identity pdelay_fup_source;
	int64_t pdelay_fup_t3_ns, pdelay_fup_corr_ns;
	bool as_capable;
	/* P2P responder: a two-step Pdelay_Resp awaiting its egress stamp. */
	bool pdelay_resp_tx_pending;
	uint16_t pdelay_resp_seq;
	struct gn_port_identity pdelay_resp_requester;
	int64_t pdelay_resp_req_corr_ns; /* copied into the Follow_Up */
	uint8_t pdelay_resp_domain_sdo;

	/* Transparent clock: what this port forwarded (tc.c). */
	struct gn_tc_port tc;
};

struct gn_clock_stats {
	unsigned n;
	double offset_sq, offset_max;
	double freq_sum, freq_sq;
	double delay_sum, delay_sq;
};

/*
 * An alternate timescale (1588-2019 16.3): offset from the PTP time of
 * the clock, set through ALTERNATE_TIME_OFFSET_* management. linuxptp
 * keeps four, keys 0..3, with display names of at most 10 symbols.
 */
#define GN_ALT_TIME_OFFSETS	    4
#define GN_ALT_TIME_NAME_SYMBOLS    10
#define GN_ALT_TIME_NAME_MAX_OCTETS 40 /* 10 UTF-8 symbols */
struct gn_alt_time_offset {
	bool enabled;
	int32_t current_offset_s;
	int32_t jump_seconds_s;
	uint64_t time_of_next_jump_s; /* 48 bits */
	uint8_t name_len;
	char name[GN_ALT_TIME_NAME_MAX_OCTETS + 1];
};

struct gn_clock {
	const struct gn_env *env;
	struct gn_rng rng;
	struct gn_clock_config cfg;
	struct gn_default_ds dds;
	struct gn_current_ds cds;
	struct gn_parent_ds pds;
	struct gn_time_properties_ds tpds;
	struct gn_port *ports;
	unsigned nports;

	struct gn_servo servo;
	enum gn_servo_state servo_state;
	double freq_ppb; /* current frequency adjustment of the clock */
	/* The phase (ns) the servo's steering has put into the clock, as
	 * of local time steer_t_ns, growing at the adjustment it applied
	 * (steer_ppb). A port's packet selection subtracts it to see the
	 * free-running oscillator; steer_epoch counts servo restarts,
	 * across which phases do not compare. */
	double steer_ns, steer_ppb;
	int64_t steer_t_ns;
	unsigned steer_epoch;
	int64_t last_offset_ns;
	int64_t last_ingress_ns;
	bool have_offset;
	struct gn_clock_stats stats;
	/* Time-properties flags this clock announces as grandmaster. */
	uint8_t local_time_flags;

	/* The port whose Ebest is the parent (index), or -1. */
	int slave_port;
	struct gn_bmca_ds best;
	bool have_best;
	bool state_decision_due;
	int leap_set;	   /* leap second armed at the host: +1, -1, 0 */
	bool best_decided; /* a state decision has run (for its log line) */

	/* Set by management only. */
	struct gn_alt_time_offset alt_time[GN_ALT_TIME_OFFSETS];
	/* EXTERNAL_GRANDMASTER_PROPERTIES_NP: as grandmaster, announce
	 * this gmIdentity (when not all zeros) and stepsRemoved. */
	struct gn_clock_identity ext_gm_identity;
	uint16_t ext_gm_steps_removed;

	/* PATH_TRACE (1588 16.2): the path of the last Announce that a
	 * slave port with path_trace_enabled received from its parent,
	 * and that parent; it only counts while that is still the parent.
	 * path_trace_len is the received count, which may exceed what is
	 * kept (GN_PATH_TRACE_MAX): then no path is sent on. */
	struct gn_clock_identity path_trace[GN_PATH_TRACE_MAX];
	unsigned path_trace_len;
	struct gn_port_identity path_trace_parent;
	bool have_path_trace;
};

/*
 * Initialises the clock and its ports. ports[] and port_cfgs[] have
 * nports elements. The env table must outlive the clock. Returns 0 or
 * -EINVAL (bad configuration, with a log line saying which).
 */
int gn_clock_init(struct gn_clock *c, const struct gn_clock_config *cfg,
		  struct gn_port *ports, const struct gn_port_config *port_cfgs,
		  unsigned nports, const struct gn_env *env, uint64_t seed);

/* INITIALIZING -> LISTENING on every port; arms the first timers. */
void gn_clock_start(struct gn_clock *c);

void gn_clock_rx(struct gn_clock *c, unsigned port, const uint8_t *buf,
		 size_t len, int64_t rx_ts_ns);
void gn_clock_timer(struct gn_clock *c, unsigned port, enum gn_timer_kind kind);
void gn_clock_tx_timestamp(struct gn_clock *c, unsigned port, uint8_t msg_type,
			   uint16_t seq, int64_t tx_ts_ns);
void gn_clock_tx_timestamp_missing(struct gn_clock *c, unsigned port,
				   uint8_t msg_type, uint16_t seq);
void gn_clock_link(struct gn_clock *c, unsigned port, bool up);
/* Administrative enable/disable (DESIGNATED_ENABLED / _DISABLED). */
void gn_clock_port_enable(struct gn_clock *c, unsigned port, bool enable);

/*
 * Answers a management message (GET/SET/COMMAND). Each reply frame goes
 * to fn (a request for all ports yields one reply per port). read_only
 * refuses SET, COMMAND and the GETs linuxptp keeps to its read-write
 * socket with NOT_SUPPORTED (see gn_mgmt_local). Returns the number of
 * replies, 0 when the message is not for this clock, or -EBADMSG.
 * SUBSCRIBE_EVENTS_NP is per client and left to the host.
 */
typedef void (*gn_mgmt_reply_fn)(void *ctx, const uint8_t *frame, size_t len);
int gn_clock_management(struct gn_clock *c, const uint8_t *buf, size_t len,
			bool read_only, gn_mgmt_reply_fn fn, void *ctx);

/* The BMCA view: which port (index) is the slave port, -1 if none. */
int gn_clock_slave_port(const struct gn_clock *c);
enum gn_port_state gn_clock_port_state(const struct gn_clock *c, unsigned port);

/* Restarts the servo (the host found the clock jumped or runs wild):
 * the next samples re-estimate the frequency and step if needed. */
void gn_clock_servo_reset(struct gn_clock *c);
/* Port p's filtered path (or peer) delay moved by delta_ns, the offsets
 * it measures by -delta_ns: the servo is told when p is the slave port
 * (also when the filter started over: its old samples were worse).
 * settling: the filter holds few samples yet (gn_filter_settling). */
void gn_clock_path_delay_moved(struct gn_clock *c, const struct gn_port *p,
			       int64_t delta_ns, bool settling);
/* Grandmaster: clears leap61/leap59 once the leap second has passed. */
void gn_clock_update_leap_status(struct gn_clock *c);

/* Changes that need a new state decision (priority1 etc. by SET). */
void gn_clock_set_priority1(struct gn_clock *c, uint8_t p1);
void gn_clock_set_priority2(struct gn_clock *c, uint8_t p2);
void gn_clock_set_quality(struct gn_clock *c, const struct gn_clock_quality *q);

/* ---- internal interface between clock.c and port*.c ---- */
void gn_clock_log(const struct gn_clock *c, enum gn_log_level level,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void gn_clock_request_state_decision(struct gn_clock *c);
void gn_clock_run_state_decision(struct gn_clock *c);
/* The phase the servo's steering put into the clock by local time t_ns
 * (ns, since its last restart; see steer_ns). */
double gn_clock_steer_phase(const struct gn_clock *c, int64_t t_ns);
/* A new offset measurement on the slave port: runs the servo. weight in
 * (0, 1] scales the servo's measurement noise by 1 / weight (1: the
 * sample is as noisy as the servo has learnt). */
void gn_clock_synchronize(struct gn_clock *c, struct gn_port *p,
			  int64_t offset_ns, int64_t ingress_ns,
			  int64_t path_delay_ns, double weight);
void gn_clock_notify(const struct gn_clock *c, const struct gn_notice *n);
void gn_clock_stats_add(struct gn_clock *c, int64_t offset_ns, double freq_ppb,
			int64_t delay_ns);
/*
 * How fast the offset from the master (local - master) changes now, in
 * ppb, as the servo estimates it with the adjustment it has applied; its
 * standard deviation in *sd_ppb. 0, or -EAGAIN / -ENOTSUP when the servo
 * has no such estimate (PI, linreg, before lock) or the clock is free
 * running.
 */
int gn_clock_offset_rate(const struct gn_clock *c, double *rate_ppb,
			 double *sd_ppb);

void gn_port_init(struct gn_port *p, struct gn_clock *c, unsigned index,
		  const struct gn_port_config *cfg);
void gn_port_dispatch(struct gn_port *p, enum gn_fsm_event ev,
		      bool master_changed);
void gn_port_rx(struct gn_port *p, const uint8_t *buf, size_t len,
		int64_t rx_ts_ns);
void gn_port_timer(struct gn_port *p, enum gn_timer_kind kind);
void gn_port_tx_timestamp(struct gn_port *p, uint8_t msg_type, uint16_t seq,
			  int64_t ts_ns);
void gn_port_tx_timestamp_missing(struct gn_port *p, uint8_t msg_type,
				  uint16_t seq);
/* An unanswered Delay_Req by sequenceId, or NULL. */
struct gn_delay_req_out *gn_port_delay_req_find(struct gn_port *p,
						uint16_t seq);
/* Best qualified foreign master of this port (Erbest), or NULL. */
const struct gn_foreign_master *gn_port_best_foreign(struct gn_port *p);
/* The port's clock now (0 when the host reads no clock). */
int64_t gn_port_now(const struct gn_port *p);
int64_t gn_port_announce_interval_ns(const struct gn_port *p);

/* port_msg.c: building and sending messages. */
int gn_port_send_announce(struct gn_port *p);
/*
 * port.c: appends the TLVs ptp4l puts in Announce, in its order:
 * PATH_TRACE (path_trace_enabled), the C37.238 power profile TLV
 * (power_profile.version set), one ALTERNATE_TIME_OFFSET_INDICATOR per
 * enabled key. Values are written into buf (cap octets), which must
 * outlive the serialization of m. A TLV that does not fit the message
 * is left out with an error log; returns 0 or the first error.
 */
int gn_port_announce_tlvs(struct gn_port *p, struct gn_msg *m, uint8_t *buf,
			  size_t cap);
/* A received Announce's TLVs all decode and, with path trace, its path
 * does not hold this clock (port_tlv.c). */
bool gn_port_announce_tlvs_ok(struct gn_port *p, const struct gn_msg *m);
/* Keeps the path of an Announce of the parent (1588 16.2.3 b). */
void gn_port_keep_path_trace(struct gn_port *p, const struct gn_msg *m);
int gn_port_send_sync(struct gn_port *p);
int gn_port_send_follow_up(struct gn_port *p, uint16_t seq, int64_t t1_ns);
int gn_port_send_delay_req(struct gn_port *p);
int gn_port_send_delay_resp(struct gn_port *p, const struct gn_msg *req,
			    int64_t t4_ns);
int gn_port_send_pdelay_req(struct gn_port *p);
int gn_port_send_pdelay_resp(struct gn_port *p, const struct gn_msg *req,
			     int64_t t2_ns);
int gn_port_send_pdelay_resp_fup(struct gn_port *p, int64_t t3_ns);
/* port_env.c: packet selection on an E2E slave port. Forget the
 * envelopes; add a Delay_Resp's (t3, t4, correction); add a Sync and,
 * when selection is on, give the offset it makes (true). */
void gn_port_env_reset(struct gn_port *p);
void gn_port_env_delay(struct gn_port *p, int64_t t3_ns, int64_t t4_ns,
		       int64_t corr_ns);
bool gn_port_env_offset(struct gn_port *p, int64_t t1c_ns, int64_t t2_ns,
			int64_t *offset_ns);
/* The servo weight of an offset from the envelopes (1 otherwise). */
double gn_port_env_weight(const struct gn_port *p);
/* The error (one deviation, ns) the port's offsets carry that the servo
 * cannot see: the envelopes' while packet selection is on, else the
 * delay filter's standard error (-1 before it has two samples). */
double gn_port_delay_stderr(const struct gn_port *p);
/* Hands an encoded frame to the host (gn_env.send); 0 or its error,
 * logged. */
int gn_port_send_frame(struct gn_port *p, const uint8_t *frame, size_t len,
		       bool want_ts, enum gn_dest dest);
void gn_port_header(const struct gn_port *p, struct gn_header *h, uint8_t type,
		    uint16_t seq);

#endif
