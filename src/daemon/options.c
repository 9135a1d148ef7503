/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.c - the table of configuration options and the parsing of one
 * value. Names, defaults, ranges, scopes and enumeration names are
 * linuxptp's (config.c's config_tab, checked against configs/default.cfg
 * of linuxptp 4.4+); gnomon's own options follow the same rules.
 *
 * It must not hold per-option code: what an option means is decided by
 * its user (config_map.c, the daemon). A new option is one table entry.
 */
#include "options.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "config.h"
#include "mgmt.h" /* network_management values: enum gn_mgmt_access */

#define GLOB false
#define PORT true
#define YES  true
#define NO   false

#define OPT_INT(n, scope, sup, d, lo, hi, h)                                   \
	{                                                                      \
		.info = {n, scope, d, sup}, .type = GN_OPT_INT, .min = lo,     \
		.max = hi, .help = h                                           \
	}
#define OPT_DBL(n, scope, sup, d, lo, hi, h)                                   \
	{                                                                      \
		.info = {n, scope, d, sup}, .type = GN_OPT_DOUBLE,             \
		.min_d = lo, .max_d = hi, .help = h                            \
	}
#define OPT_ENU(n, scope, sup, d, tab, h)                                      \
	{                                                                      \
		.info = {n, scope, d, sup}, .type = GN_OPT_ENUM, .enums = tab, \
		.help = h                                                      \
	}
#define OPT_STR(n, scope, sup, d, fmt, len, h)                                 \
	{                                                                      \
		.info = {n, scope, d, sup}, .type = GN_OPT_STRING,             \
		.format = fmt, .max_len = len, .help = h                       \
	}

/* Enumerations, in the order error messages list them. */
static const struct gn_opt_enum enu_as_capable[] = {
    {"auto", GN_CFG_AS_CAPABLE_AUTO, YES},
    {"true", GN_CFG_AS_CAPABLE_TRUE, NO},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_bmca[] = {
    {"ptp", GN_CFG_BMCA_PTP, YES},
    {"noop", GN_CFG_BMCA_NOOP, NO},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_clock_servo[] = {
    {"pi", GN_CFG_SERVO_PI, YES},
    {"linreg", GN_CFG_SERVO_LINREG, YES},
    {"kalman", GN_CFG_SERVO_KALMAN, YES},
    {"ntpshm", GN_CFG_SERVO_NTPSHM, NO},
    {"nullf", GN_CFG_SERVO_NULLF, NO},
    {"refclock_sock", GN_CFG_SERVO_REFCLOCK_SOCK, NO},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_clock_type[] = {
    {"OC", GN_CFG_CLOCK_OC, YES},
    {"BC", GN_CFG_CLOCK_BC, NO},
    {"P2P_TC", GN_CFG_CLOCK_P2P_TC, YES},
    {"E2E_TC", GN_CFG_CLOCK_E2E_TC, YES},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_clock_target[] = {
    {"auto", GN_CFG_TARGET_AUTO, YES},
    {"system", GN_CFG_TARGET_SYSTEM, YES},
    {"phc", GN_CFG_TARGET_PHC, YES},
    {"virtual", GN_CFG_TARGET_VIRTUAL, YES},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_dscmp[] = {
    {"ieee1588", GN_CFG_DSCMP_IEEE1588, YES},
    {"G.8275.x", GN_CFG_DSCMP_G8275, YES},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_delay_filter[] = {
    {"moving_median", GN_CFG_FILTER_MOVING_MEDIAN, YES},
    {"moving_average", GN_CFG_FILTER_MOVING_AVERAGE, YES},
    {"robust_mean", GN_CFG_FILTER_ROBUST_MEAN, YES},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_delay_mech[] = {
    {"E2E", GN_CFG_DM_E2E, YES},   {"P2P", GN_CFG_DM_P2P, YES},
    {"Auto", GN_CFG_DM_AUTO, YES}, {"COMMON_P2P", GN_CFG_DM_COMMON_P2P, NO},
    {"NONE", GN_CFG_DM_NONE, NO},  {NULL, 0, NO},
};
static const struct gn_opt_enum enu_extts_polarity[] = {
    {"rising", GN_CFG_EXTTS_RISING, YES},
    {"falling", GN_CFG_EXTTS_FALLING, NO},
    {"both", GN_CFG_EXTTS_BOTH, NO},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_hwts_filter[] = {
    {"normal", GN_CFG_HWTS_NORMAL, YES},
    {"check", GN_CFG_HWTS_CHECK, YES},
    {"full", GN_CFG_HWTS_FULL, YES},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_network_management[] = {
    {"off", GN_MGMT_ACCESS_NONE, YES},
    {"read_only", GN_MGMT_ACCESS_READ, YES},
    {"read_write", GN_MGMT_ACCESS_WRITE, YES},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_power_profile[] = {
    {"none", GN_CFG_POWER_PROFILE_NONE, YES},
    {"2011", GN_CFG_POWER_PROFILE_2011, YES},
    {"2017", GN_CFG_POWER_PROFILE_2017, YES},
    {NULL, 0, NO},
};
/* enum gn_discipline_mode of src/discipline/discipline.h. */
static const struct gn_opt_enum enu_discipline[] = {
    {"off", 0, YES},
    {"auto", 1, YES},
    {"auto_rr", 2, YES},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_discipline_servo[] = {
    {"pi", GN_CFG_SERVO_PI, YES},
    {"linreg", GN_CFG_SERVO_LINREG, YES},
    {"kalman", GN_CFG_SERVO_KALMAN, YES},
    {"ntpshm", GN_CFG_SERVO_NTPSHM, YES},
    {"refclock_sock", GN_CFG_SERVO_REFCLOCK_SOCK, YES},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_transport[] = {
    {"UDPv4", GN_CFG_UDPV4, YES},
    {"UDPv6", GN_CFG_UDPV6, YES},
    {"L2", GN_CFG_L2, YES},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_timestamping[] = {
    {"hardware", GN_CFG_TS_HARDWARE, YES},
    {"software", GN_CFG_TS_SOFTWARE, YES},
    {"legacy", GN_CFG_TS_LEGACY_HW, YES},
    {"onestep", GN_CFG_TS_ONESTEP, NO},
    {"p2p1step", GN_CFG_TS_P2P1STEP, NO},
    {NULL, 0, NO},
};
static const struct gn_opt_enum enu_tsproc[] = {
    {"filter", GN_CFG_TSPROC_FILTER, YES},
    {"raw", GN_CFG_TSPROC_RAW, NO},
    {"filter_weight", GN_CFG_TSPROC_FILTER_WEIGHT, NO},
    {"raw_weight", GN_CFG_TSPROC_RAW_WEIGHT, NO},
    {NULL, 0, NO},
};

/* linuxptp's ranges use C int; gnomon's virtual clock offset is wider. */
#define I_MIN INT_MIN
#define I_MAX INT_MAX

const struct gn_opt gn_opt_table[] = {
    /* ---- linuxptp's options (config.c), alphabetical as there ---- */
    OPT_INT("active_key_id", PORT, NO, "0", 0, UINT32_MAX,
	    "key of the security association used to sign (authentication)"),
    OPT_INT("allow_unauth", PORT, NO, "0", 0, 2,
	    "accept messages without authentication TLV"),
    OPT_INT("allowedLostResponses", PORT, NO, "3", 1, 255,
	    "missed Pdelay responses before asCapable is reset"),
    OPT_INT("announceReceiptTimeout", PORT, YES, "3", 2, UINT8_MAX,
	    "announce intervals without Announce before the master is "
	    "considered gone"),
    OPT_ENU("asCapable", PORT, YES, "auto", enu_as_capable,
	    "auto: 802.1AS checks decide asCapable; true: skip the checks"),
    OPT_INT("assume_two_step", GLOB, NO, "0", 0, 1,
	    "treat one-step responses as two-step (802.1AS switch bugs)"),
    OPT_INT("boundary_clock_jbod", PORT, NO, "0", 0, 1,
	    "boundary clock over ports with different PHCs"),
    OPT_ENU("BMCA", PORT, YES, "ptp", enu_bmca,
	    "best master clock algorithm: ptp, or noop (static roles)"),
    OPT_INT("check_fup_sync", GLOB, YES, "0", 0, 1,
	    "check that Follow_Up arrived after its Sync (hw stamps)"),
    OPT_INT("clientOnly", GLOB, YES, "0", 0, 1,
	    "the clock never becomes master (slaveOnly is an old name)"),
    OPT_INT("clockAccuracy", GLOB, YES, "0xFE", 0, UINT8_MAX,
	    "clockQuality.clockAccuracy announced as grandmaster"),
    OPT_INT("clockClass", GLOB, YES, "248", 0, UINT8_MAX,
	    "clockQuality.clockClass announced as grandmaster"),
    OPT_STR("clockIdentity", GLOB, YES, "000000.0000.000000", GN_FMT_CLOCK_ID,
	    0,
	    "clock identity; all zeros: derived from the first "
	    "interface's MAC"),
    OPT_INT("clock_class_threshold", GLOB, YES, "248", 6, 248,
	    "worst clockClass a master may have to be synchronized to"),
    /* gnomon's kalman (docs/servo.md); pi and linreg as ptp4l's. */
    OPT_ENU("clock_servo", GLOB, YES, "kalman", enu_clock_servo,
	    "servo algorithm (kalman is gnomon's, pi is ptp4l's default)"),
    OPT_ENU("clock_type", GLOB, YES, "OC", enu_clock_type,
	    "clock type; an OC with several interfaces is a BC, "
	    "E2E_TC and P2P_TC forward between their interfaces"),
    {.info = {"cmlds.client_address", PORT, "/var/run/cmlds_client", NO},
     .type = GN_OPT_STRING,
     .also_default = "/var/run/ptp/cmlds_client",
     .format = GN_FMT_PATH_UDS,
     .help = "socket receiving CMLDS peer delays (COMMON_P2P)"},
    OPT_INT("cmlds.domainNumber", PORT, NO, "0", 0, 255,
	    "domainNumber used to talk to the CMLDS"),
    OPT_INT("cmlds.majorSdoId", PORT, NO, "2", 0, 0x0F,
	    "majorSdoId used to talk to the CMLDS"),
    OPT_INT("cmlds.port", PORT, NO, "0", 0, UINT16_MAX,
	    "CMLDS port to take delays from (0: same number as ours)"),
    {.info = {"cmlds.server_address", PORT, "/var/run/cmlds_server", NO},
     .type = GN_OPT_STRING,
     .also_default = "/var/run/ptp/cmlds_server",
     .format = GN_FMT_PATH_UDS,
     .help = "socket of the common mean link delay service"},
    OPT_ENU("dataset_comparison", GLOB, YES, "ieee1588", enu_dscmp,
	    "data set comparison: ieee1588, or G.8275.x (telecom)"),
    OPT_INT("delayAsymmetry", PORT, YES, "0", I_MIN, I_MAX,
	    "ns by which master->slave is longer than slave->master"),
    OPT_ENU("delay_filter", PORT, YES, "moving_median", enu_delay_filter,
	    "filter of the measured (peer) delay"),
    {.info = {"delay_filter_length", PORT, "10", YES},
     .type = GN_OPT_INT,
     .min = 1,
     .max = I_MAX,
     .flags = GN_OPT_F_SUP_RANGE,
     .sup_min = 1,
     .sup_max = 64, /* GN_FILTER_MAX_LEN of the core */
     .help = "samples in the delay filter (gnomon: at most 64)"},
    OPT_DBL("delay_request_variability", PORT, NO, "1.0", 0.0, 1.0,
	    "randomness of the Delay_Req interval (+- fraction)"),
    OPT_ENU("delay_mechanism", PORT, YES, "E2E", enu_delay_mech,
	    "delay mechanism"),
    OPT_INT("delay_response_timeout", PORT, NO, "0", 0, UINT8_MAX,
	    "missed Delay_Resp before a fault (0: off)"),
    OPT_INT("dscp_event", GLOB, YES, "0", 0, 63,
	    "DSCP of event messages (UDP)"),
    OPT_INT("dscp_general", GLOB, YES, "0", 0, 63,
	    "DSCP of general messages (UDP)"),
    OPT_INT("domainNumber", GLOB, YES, "0", 0, 255, "PTP domain"),
    OPT_INT("egressLatency", PORT, YES, "0", I_MIN, I_MAX,
	    "ns added to every transmit time stamp"),
    {.info = {"fault_badpeernet_interval", PORT, "16", NO},
     .type = GN_OPT_INT,
     .min = INT32_MIN,
     .max = INT32_MAX,
     .flags = GN_OPT_F_ASAP,
     .asap_value = 0,
     .help = "s before a bad-peer-network fault is reset (ASAP: now)"},
    {.info = {"fault_reset_interval", PORT, "4", YES},
     .type = GN_OPT_INT,
     .min = INT8_MIN,
     .max = INT8_MAX,
     .flags = GN_OPT_F_ASAP,
     .asap_value = INT8_MIN,
     .help = "log2 s before a faulty port is reset (ASAP or -128: "
	     "at once)"},
    OPT_DBL("first_step_threshold", GLOB, YES, "0.00002", 0.0, DBL_MAX,
	    "s: offsets beyond it are stepped at start (0: never)"),
    OPT_INT("follow_up_info", PORT, YES, "0", 0, 1,
	    "send the 802.1AS information TLV in Follow_Up"),
    OPT_INT("free_running", GLOB, YES, "0", 0, 1,
	    "measure only, never adjust the clock"),
    OPT_INT("freq_est_interval", PORT, YES, "1", I_MIN, I_MAX,
	    "log2 s over which a free-running TC measures the master's "
	    "rate (the [global] value counts)"),
    OPT_INT("G.8275.defaultDS.localPriority", GLOB, YES, "128", 1, UINT8_MAX,
	    "telecom BMCA: local priority of the clock"),
    OPT_INT("G.8275.portDS.localPriority", PORT, YES, "128", 1, UINT8_MAX,
	    "telecom BMCA: local priority of the port"),
    OPT_INT("gmCapable", GLOB, YES, "1", 0, 1,
	    "802.1AS: may become grandmaster (0: clockClass 255)"),
    OPT_ENU("hwts_filter", GLOB, YES, "normal", enu_hwts_filter,
	    "hardware stamping filter set-up: normal, check, full"),
    OPT_INT("hybrid_e2e", PORT, NO, "0", 0, 1,
	    "unicast Delay_Req to the master (enterprise profile)"),
    OPT_INT("ignore_source_id", PORT, NO, "0", 0, 1,
	    "accept Sync/Follow_Up from any source (automotive)"),
    OPT_INT("ignore_transport_specific", PORT, YES, "0", 0, 1,
	    "accept any transportSpecific on receive"),
    OPT_INT("ingressLatency", PORT, YES, "0", I_MIN, I_MAX,
	    "ns subtracted from every receive time stamp"),
    OPT_INT("inhibit_announce", PORT, NO, "0", 0, 1,
	    "send no Announce (automotive)"),
    OPT_INT("inhibit_delay_req", PORT, NO, "0", 0, 1,
	    "send no Delay_Req / Pdelay_Req"),
    OPT_INT("inhibit_multicast_service", PORT, NO, "0", 0, 1,
	    "send no multicast (unicast profiles)"),
    OPT_INT("initial_delay", GLOB, NO, "0", 0, I_MAX,
	    "ns of path delay assumed before the first measurement"),
    OPT_INT("interface_rate_tlv", PORT, NO, "0", 0, 1,
	    "use the interface rate TLV for delay asymmetry"),
    OPT_INT("kernel_leap", GLOB, YES, "1", 0, 1,
	    "apply leap seconds to the kernel clock"),
    OPT_STR("leapfile", GLOB, NO, "", GN_FMT_ANY, 0,
	    "leap-seconds.list file (default: none)"),
    OPT_INT("logAnnounceInterval", PORT, YES, "1", INT8_MIN, INT8_MAX,
	    "log2 s between Announce"),
    OPT_INT("logMinDelayReqInterval", PORT, YES, "0", INT8_MIN, INT8_MAX,
	    "log2 s between Delay_Req"),
    OPT_INT("logMinPdelayReqInterval", PORT, YES, "0", INT8_MIN, INT8_MAX,
	    "log2 s between Pdelay_Req"),
    OPT_INT("logSyncInterval", PORT, YES, "0", INT8_MIN, INT8_MAX,
	    "log2 s between Sync"),
    OPT_INT("logging_level", GLOB, YES, "6", 0, 7,
	    "highest syslog level printed (7: debug)"),
    OPT_INT("maxStepsRemoved", GLOB, YES, "255", 2, UINT8_MAX,
	    "Announce with stepsRemoved at or above it are ignored"),
    OPT_STR("message_tag", GLOB, YES, "", GN_FMT_ANY, 63,
	    "tag printed at the start of every log line"),
    OPT_STR("manufacturerIdentity", GLOB, YES, "00:00:00", GN_FMT_OUI, 0,
	    "OUI reported in CLOCK_DESCRIPTION"),
    OPT_INT("max_frequency", GLOB, YES, "900000000", 0, I_MAX,
	    "ppb limit of the frequency adjustment (0: the clock's)"),
    OPT_INT("min_neighbor_prop_delay", PORT, NO, "-20000000", I_MIN, -1,
	    "ns: a smaller peer delay clears asCapable"),
    OPT_INT("msg_interval_request", PORT, NO, "0", 0, 1,
	    "ask the master for operLog* intervals once stable"),
    OPT_INT("neighborPropDelayThresh", PORT, YES, "20000000", 0, I_MAX,
	    "ns: a larger peer delay clears asCapable"),
    OPT_INT("net_sync_monitor", PORT, NO, "0", 0, 1,
	    "answer NetSync Monitor requests"),
    OPT_ENU("network_transport", PORT, YES, "UDPv4", enu_transport,
	    "transport"),
    OPT_INT("ntpshm_segment", GLOB, YES, "0", I_MIN, I_MAX,
	    "NTP SHM segment of the ntpshm servo (discipline_servo)"),
    OPT_INT("offsetScaledLogVariance", GLOB, YES, "0xFFFF", 0, UINT16_MAX,
	    "clockQuality.offsetScaledLogVariance announced"),
    OPT_INT("operLogPdelayReqInterval", PORT, NO, "0", INT8_MIN, INT8_MAX,
	    "Pdelay_Req interval once the servo is stable"),
    OPT_INT("operLogSyncInterval", PORT, NO, "0", INT8_MIN, INT8_MAX,
	    "Sync interval requested once the servo is stable"),
    OPT_STR("p2p_dst_ipv4", PORT, NO, "224.0.0.107", GN_FMT_IPV4, 0,
	    "IPv4 destination of peer delay messages"),
    OPT_STR("p2p_dst_ipv6", PORT, NO, "FF02:0:0:0:0:0:0:6B", GN_FMT_IPV6, 0,
	    "IPv6 destination of peer delay messages"),
    OPT_STR("p2p_dst_mac", PORT, YES, "01:80:C2:00:00:0E", GN_FMT_MAC, 0,
	    "MAC destination of peer delay messages (L2)"),
    OPT_INT("path_trace_enabled", PORT, YES, "0", 0, 1,
	    "send and follow the PATH_TRACE TLV"),
    OPT_INT("phc_index", PORT, YES, "-1", -1, I_MAX,
	    "PHC to use with hardware stamping (-1: the interface's)"),
    OPT_DBL("pi_integral_const", GLOB, YES, "0.0", 0.0, DBL_MAX,
	    "PI ki (0: from scale, exponent and norm_max)"),
    OPT_DBL("pi_integral_exponent", GLOB, YES, "0.4", -DBL_MAX, DBL_MAX,
	    "PI ki = scale * interval^exponent"),
    OPT_DBL("pi_integral_norm_max", GLOB, YES, "0.3", DBL_MIN, 2.0,
	    "PI upper bound of ki * interval"),
    OPT_DBL("pi_integral_scale", GLOB, YES, "0.0", 0.0, DBL_MAX,
	    "PI ki scale (0: 0.3 hardware, 0.001 software stamps)"),
    OPT_DBL("pi_proportional_const", GLOB, YES, "0.0", 0.0, DBL_MAX,
	    "PI kp (0: from scale, exponent and norm_max)"),
    OPT_DBL("pi_proportional_exponent", GLOB, YES, "-0.3", -DBL_MAX, DBL_MAX,
	    "PI kp = scale * interval^exponent"),
    OPT_DBL("pi_proportional_norm_max", GLOB, YES, "0.7", DBL_MIN, 1.0,
	    "PI upper bound of kp * interval"),
    OPT_DBL("pi_proportional_scale", GLOB, YES, "0.0", 0.0, DBL_MAX,
	    "PI kp scale (0: 0.7 hardware, 0.1 software stamps)"),
    OPT_ENU("power_profile.version", PORT, YES, "none", enu_power_profile,
	    "IEEE C37.238 power profile version"),
    OPT_INT("power_profile.2011.grandmasterTimeInaccuracy", PORT, YES, "-1", -1,
	    I_MAX, "C37.238-2011: ns of GM inaccuracy"),
    OPT_INT("power_profile.2011.networkTimeInaccuracy", PORT, YES, "-1", -1,
	    I_MAX, "C37.238-2011: ns of network inaccuracy"),
    OPT_INT("power_profile.2017.totalTimeInaccuracy", PORT, YES, "-1", -1,
	    I_MAX, "C37.238-2017: ns of total inaccuracy"),
    OPT_INT("power_profile.grandmasterID", PORT, YES, "0", 0, 0xFFFF,
	    "C37.238: grandmaster id"),
    OPT_INT("priority1", GLOB, YES, "128", 0, UINT8_MAX, "priority1"),
    OPT_INT("priority2", GLOB, YES, "128", 0, UINT8_MAX, "priority2"),
    OPT_STR("productDescription", GLOB, YES, ";;", GN_FMT_TEXT_3, 64,
	    "manufacturer;model;serial (CLOCK_DESCRIPTION)"),
    OPT_STR("profileIdentity", PORT, NO, "00:00:00:00:00:00", GN_FMT_MAC, 0,
	    "profile id in CLOCK_DESCRIPTION"),
    OPT_STR("ptp_dst_ipv4", PORT, NO, "224.0.1.129", GN_FMT_IPV4, 0,
	    "IPv4 destination of PTP messages"),
    OPT_STR("ptp_dst_ipv6", PORT, NO, "FF0E:0:0:0:0:0:0:181", GN_FMT_IPV6, 0,
	    "IPv6 destination of PTP messages (scope: udp6_scope)"),
    OPT_STR("ptp_dst_mac", PORT, YES, "01:1B:19:00:00:00", GN_FMT_MAC, 0,
	    "MAC destination of PTP messages (L2)"),
    OPT_INT("ptp_minor_version", GLOB, YES, "1", 0, 1,
	    "minorVersionPTP sent (1: PTP 2.1)"),
    OPT_STR("refclock_sock_address", GLOB, YES, "/var/run/refclock.ptp.sock",
	    GN_FMT_PATH_UDS, 0,
	    "socket of the refclock_sock servo (discipline_servo)"),
    OPT_STR("revisionData", GLOB, YES, ";;", GN_FMT_TEXT_3, 32,
	    "hardware;firmware;software revisions (CLOCK_DESCRIPTION)"),
    OPT_STR("sa_file", GLOB, NO, "", GN_FMT_ANY, 0,
	    "security association file (authentication)"),
    OPT_INT("sanity_freq_limit", GLOB, YES, "200000000", 0, I_MAX,
	    "ppb: a larger frequency error resets the servo (0: off)"),
    OPT_INT("serverOnly", PORT, YES, "0", 0, 1,
	    "the port never becomes slave (masterOnly is an old name)"),
    OPT_INT("servo_num_offset_values", GLOB, YES, "10", 0, I_MAX,
	    "offsets under servo_offset_threshold to reach s3"),
    OPT_INT("servo_offset_threshold", GLOB, YES, "0", 0, I_MAX,
	    "ns: offsets under it count towards s3 (0: off)"),
    OPT_STR("slave_event_monitor", GLOB, NO, "", GN_FMT_ANY, 0,
	    "socket receiving slave timing data"),
    OPT_INT("socket_priority", GLOB, YES, "0", 0, 15,
	    "SO_PRIORITY of the sockets (L2)"),
    OPT_INT("spp", PORT, NO, "-1", -1, UINT8_MAX,
	    "security parameters pointer (-1: no authentication)"),
    OPT_DBL("step_threshold", GLOB, YES, "0.0", 0.0, DBL_MAX,
	    "s: offsets beyond it are stepped (0: never after start)"),
    OPT_INT("step_window", GLOB, NO, "0", 0, I_MAX,
	    "Sync events without adjustment after a step"),
    OPT_INT("summary_interval", GLOB, YES, "0", I_MIN, I_MAX,
	    "log2 s between summary statistics lines"),
    OPT_INT("syncReceiptTimeout", PORT, YES, "0", 0, UINT8_MAX,
	    "sync intervals without Sync before re-election (0: off)"),
    OPT_INT("tc_spanning_tree", GLOB, YES, "0", 0, 1,
	    "transparent clock: forward along the BMCA's tree only and "
	    "increment stepsRemoved"),
    OPT_INT("timeSource", GLOB, YES, "0xA0", 0x10, 0xFE,
	    "timeSource announced as grandmaster"),
    OPT_ENU("time_stamping", GLOB, YES, "hardware", enu_timestamping,
	    "time stamping"),
    OPT_INT("transportSpecific", PORT, YES, "0", 0, 0x0F,
	    "transportSpecific / majorSdoId (1: 802.1AS)"),
    OPT_INT("ts2phc.channel", PORT, NO, "0", 0, I_MAX,
	    "ts2phc: PHC channel (unused by gnomond)"),
    OPT_INT("ts2phc.external_pps", GLOB, NO, "0", 0, 1,
	    "ts2phc: external PPS (unused by gnomond)"),
    OPT_INT("ts2phc.extts_correction", PORT, NO, "0", I_MIN, I_MAX,
	    "ts2phc: extts correction (unused by gnomond)"),
    OPT_ENU("ts2phc.extts_polarity", PORT, NO, "rising", enu_extts_polarity,
	    "ts2phc: extts polarity (unused by gnomond)"),
    OPT_INT("ts2phc.holdover", PORT, NO, "0", 0, I_MAX,
	    "ts2phc: holdover (unused by gnomond)"),
    OPT_INT("ts2phc.master", PORT, NO, "0", 0, 1,
	    "ts2phc: PPS source (unused by gnomond)"),
    OPT_INT("ts2phc.nmea_baudrate", PORT, NO, "9600", 300, I_MAX,
	    "ts2phc: NMEA baud rate (unused by gnomond)"),
    OPT_INT("ts2phc.nmea_delay", PORT, NO, "0", I_MIN, I_MAX,
	    "ts2phc: NMEA delay (unused by gnomond)"),
    OPT_STR("ts2phc.nmea_remote_host", GLOB, NO, "", GN_FMT_ANY, 0,
	    "ts2phc: NMEA host (unused by gnomond)"),
    OPT_STR("ts2phc.nmea_remote_port", GLOB, NO, "", GN_FMT_ANY, 0,
	    "ts2phc: NMEA port (unused by gnomond)"),
    OPT_STR("ts2phc.nmea_serialport", GLOB, NO, "/dev/ttyS0", GN_FMT_ANY, 0,
	    "ts2phc: NMEA serial port (unused by gnomond)"),
    OPT_INT("ts2phc.perout_phase", PORT, NO, "-1", 0, 999999999,
	    "ts2phc: periodic output phase (unused by gnomond)"),
    OPT_INT("ts2phc.pin_index", PORT, NO, "0", 0, I_MAX,
	    "ts2phc: pin index (unused by gnomond)"),
    OPT_STR("ts2phc.pin_name", PORT, NO, "", GN_FMT_ANY, 0,
	    "ts2phc: pin name (unused by gnomond)"),
    OPT_INT("ts2phc.pulserate", GLOB, NO, "1", 1, 128,
	    "ts2phc: pulse rate (unused by gnomond)"),
    OPT_INT("ts2phc.pulsewidth", GLOB, NO, "-1", 1000000, 999000000,
	    "ts2phc: pulse width (unused by gnomond)"),
    OPT_STR("ts2phc.tod_source", GLOB, NO, "generic", GN_FMT_ANY, 0,
	    "ts2phc: time of day source (unused by gnomond)"),
    OPT_ENU("tsproc_mode", PORT, NO, "filter", enu_tsproc,
	    "time stamp processing: filter, raw, filter_weight, "
	    "raw_weight"),
    OPT_INT("twoStepFlag", GLOB, YES, "1", 0, 1,
	    "two-step Sync (0: one-step, needs hardware stamping)"),
    OPT_INT("tx_timestamp_timeout", GLOB, YES, "10", 1, I_MAX,
	    "ms to wait for a transmit time stamp"),
    OPT_INT("udp_ttl", PORT, YES, "1", 1, 255,
	    "TTL / hop limit of multicast messages"),
    OPT_INT("udp6_scope", PORT, YES, "0x0E", 0x00, 0x0F,
	    "scope nibble of the IPv6 multicast address"),
    OPT_STR("uds_address", GLOB, YES, "/var/run/ptp/ptp4l", GN_FMT_PATH_UDS, 0,
	    "management socket"),
    OPT_INT("uds_file_mode", PORT, YES, "0660", 0, 0777,
	    "file mode of the management socket (octal)"),
    OPT_STR("uds_ro_address", GLOB, YES, "/var/run/ptp/ptp4lro",
	    GN_FMT_PATH_UDS, 0, "read-only (GET) management socket"),
    OPT_INT("uds_ro_file_mode", PORT, YES, "0666", 0, 0777,
	    "file mode of the read-only management socket (octal)"),
    OPT_INT("unicast_listen", PORT, NO, "0", 0, 1,
	    "grant unicast service to clients"),
    OPT_INT("unicast_master_table", PORT, NO, "0", 0, I_MAX,
	    "table_id of the [unicast_master_table] to use (0: none)"),
    OPT_INT("unicast_req_duration", PORT, NO, "3600", 10, I_MAX,
	    "s of unicast service requested"),
    OPT_INT("use_syslog", GLOB, YES, "1", 0, 1, "log to syslog"),
    OPT_STR("user", GLOB, NO, "", GN_FMT_ANY, 0,
	    "user to switch to after start"),
    OPT_STR("userDescription", GLOB, YES, "", GN_FMT_TEXT, 128,
	    "name;location (USER_DESCRIPTION)"),
    {.info = {"utc_offset", GLOB, "37", YES},
     .type = GN_OPT_INT,
     .min = 0,
     .max = I_MAX,
     .flags = GN_OPT_F_SUP_RANGE,
     .sup_min = 0,
     .sup_max = INT16_MAX, /* currentUtcOffset is an Integer16 */
     .help = "TAI - UTC in s, announced as grandmaster"},
    OPT_INT("verbose", GLOB, YES, "0", 0, 1, "log to standard output"),
    OPT_INT("write_phase_mode", GLOB, NO, "0", 0, 1,
	    "use the PHC's phase control instead of frequency"),

    /* ---- gnomon's own ---- */
    OPT_ENU("clock_target", GLOB, YES, "auto", enu_clock_target,
	    "clock the servo steers (auto: PHC with hardware stamping, "
	    "else the system clock)"),
    OPT_INT("virtual_clock_offset", GLOB, YES, "0", -1000000000000000LL,
	    1000000000000000LL,
	    "ns: the virtual clock starts this far from CLOCK_REALTIME"),
    OPT_DBL("virtual_clock_freq", GLOB, YES, "0", -1e7, 1e7,
	    "ppb: the virtual clock's initial frequency error"),
    /* the time service page (publish.c, docs/timeservice.md) */
    OPT_STR("publish_path", GLOB, YES, "/run/gnomon/", GN_FMT_ANY, 0,
	    "time service page (ending in /: a directory, the page is named "
	    "after uds_address; empty: no page)"),
    OPT_INT("publish_file_mode", GLOB, YES, "0644", 0, 0777,
	    "file mode of the time service page (octal)"),
    OPT_INT("bound_asymmetry", GLOB, YES, "-1", -1, 1000000000,
	    "ns of delay asymmetry the error bound allows for (-1: the mean "
	    "path delay)"),
    OPT_DBL("holdover_growth", GLOB, YES, "0", 0, 1e7,
	    "ppb: growth of the error bound in holdover (0: learnt)"),
    OPT_INT("metrics_port", GLOB, YES, "0", 0, 65535,
	    "TCP port of the metrics endpoint and dashboard (0: off)"),
    OPT_STR("metrics_address", GLOB, YES, "127.0.0.1", GN_FMT_ANY, 63,
	    "IPv4 or IPv6 address the metrics endpoint listens on"),
    OPT_STR("json_log", GLOB, YES, "", GN_FMT_ANY, 1023,
	    "file to append JSON-lines log records to (\"-\": stdout)"),
    OPT_ENU("network_management", GLOB, YES, "off", enu_network_management,
	    "management through the PTP ports: off, read_only, read_write"),
    OPT_ENU("discipline", GLOB, YES, "off", enu_discipline,
	    "discipline between local clocks, like phc2sys -a: off, auto "
	    "(-r), auto_rr (-rr)"),
    OPT_DBL("discipline_rate", GLOB, YES, "1.0", 0.001, 1000.0,
	    "Hz: discipline updates per second (phc2sys -R)"),
    OPT_INT("discipline_readings", GLOB, YES, "5", 1, 1000,
	    "clock readings per update, the fastest used (phc2sys -N)"),
    OPT_ENU("discipline_servo", GLOB, YES, "pi", enu_discipline_servo,
	    "discipline servo, or a reference clock output for chrony or "
	    "ntpd instead of steering (phc2sys -E)"),
    OPT_DBL("discipline_pi_kp", GLOB, YES, "0.7", 0.0, DBL_MAX,
	    "discipline PI proportional constant (phc2sys -P)"),
    OPT_DBL("discipline_pi_ki", GLOB, YES, "0.3", 0.0, DBL_MAX,
	    "discipline PI integral constant (phc2sys -I)"),
    OPT_DBL("discipline_step_threshold", GLOB, YES, "0.0", 0.0, DBL_MAX,
	    "s: discipline steps beyond it (0: only the first update) "
	    "(phc2sys -S)"),
    OPT_DBL("discipline_first_step_threshold", GLOB, YES, "0.00002", 0.0,
	    DBL_MAX,
	    "s: the first discipline update steps beyond it "
	    "(phc2sys -F)"),
    OPT_INT("discipline_sanity_freq_limit", GLOB, YES, "200000000", 0, I_MAX,
	    "ppb: a sink clock off by more restarts its servo (0: off) "
	    "(phc2sys -L)"),
    OPT_INT("discipline_summary_updates", GLOB, YES, "0", 0, I_MAX,
	    "discipline updates per statistics line (0: a line each) "
	    "(phc2sys -u)"),
    OPT_INT("discipline_free_running", GLOB, YES, "0", 0, 1,
	    "discipline measures and logs, never adjusts"),
    OPT_STR("discipline_fake_clocks", GLOB, YES, "", GN_FMT_ANY, 0,
	    "tests only: fake clocks in place of the system clock and PHCs "
	    "(NAME=OFFSET_NS[:PPB[:FLAGS]],...)"),
};

const unsigned gn_opt_count = sizeof(gn_opt_table) / sizeof(gn_opt_table[0]);

const struct gn_opt_alias gn_opt_aliases[] = {
    {"masterOnly", "serverOnly"},
    {"slaveOnly", "clientOnly"},
    {"pi_offset_const", "step_threshold"},
    {"pi_f_offset_const", "first_step_threshold"},
    {"pi_max_frequency", "max_frequency"},
};

const unsigned gn_opt_alias_count =
    sizeof(gn_opt_aliases) / sizeof(gn_opt_aliases[0]);

int gn_opt_find(const char *name)
{
	unsigned i;

	for (i = 0; i < gn_opt_alias_count; i++) {
		if (!strcmp(name, gn_opt_aliases[i].alias)) {
			name = gn_opt_aliases[i].name;
			break;
		}
	}
	for (i = 0; i < gn_opt_count; i++)
		if (!strcmp(name, gn_opt_table[i].info.name))
			return (int)i;
	return -1;
}

const char *gn_opt_enum_name(const struct gn_opt *o, int64_t v)
{
	const struct gn_opt_enum *e;

	if (o->type != GN_OPT_ENUM)
		return NULL;
	for (e = o->enums; e->name; e++)
		if (e->value == v)
			return e->name;
	return NULL;
}

static void append(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static void enum_names(const struct gn_opt *o, bool supported_only, char *buf,
		       size_t len)
{
	const struct gn_opt_enum *e;
	bool first = true;

	buf[0] = '\0';
	for (e = o->enums; e->name; e++) {
		if (supported_only && !e->supported)
			continue;
		append(buf, len, "%s%s", first ? "" : ", ", e->name);
		first = false;
	}
}

static const char *format_desc(const struct gn_opt *o)
{
	switch (o->format) {
	case GN_FMT_MAC:
		return "six hex octets like 01:1B:19:00:00:00";
	case GN_FMT_OUI:
		return "three hex octets like 00:00:00";
	case GN_FMT_CLOCK_ID:
		return "aabbcc.ddee.ff0011";
	case GN_FMT_TEXT_3:
		return "three fields a;b;c";
	case GN_FMT_IPV4:
		return "an IPv4 address";
	case GN_FMT_IPV6:
		return "an IPv6 address";
	case GN_FMT_PATH_UDS:
		return "a socket path";
	case GN_FMT_TEXT:
	case GN_FMT_ANY:
		break;
	}
	return "text";
}

void gn_opt_allowed(const struct gn_opt *o, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (o->type) {
	case GN_OPT_INT:
		snprintf(buf, len, "%lld..%lld", (long long)o->min,
			 (long long)o->max);
		if (o->flags & GN_OPT_F_ASAP)
			append(buf, len, ", ASAP");
		break;
	case GN_OPT_DOUBLE:
		if (o->min_d == -DBL_MAX && o->max_d == DBL_MAX)
			snprintf(buf, len, "any number");
		else if (o->max_d == DBL_MAX)
			snprintf(buf, len, ">= %g", o->min_d);
		else if (o->min_d == DBL_MIN)
			snprintf(buf, len, "> 0 and <= %g", o->max_d);
		else
			snprintf(buf, len, "%g..%g", o->min_d, o->max_d);
		break;
	case GN_OPT_ENUM:
		enum_names(o, false, buf, len);
		break;
	case GN_OPT_STRING:
		snprintf(buf, len, "%s", format_desc(o));
		if (o->max_len)
			append(buf, len, ", at most %u %s", o->max_len,
			       o->format == GN_FMT_TEXT ||
				       o->format == GN_FMT_TEXT_3
				   ? "characters"
				   : "bytes");
		break;
	}
}

/* Hex octets separated by ':' (one or two digits each), as linuxptp's
 * sscanf("%hhx:...") reads them, but nothing else around them. */
static bool parse_octets(const char *s, unsigned n)
{
	unsigned i, digits;

	for (i = 0; i < n; i++) {
		for (digits = 0; isxdigit((unsigned char)s[digits]); digits++)
			;
		if (digits < 1 || digits > 2)
			return false;
		s += digits;
		if (i + 1 < n) {
			if (*s != ':')
				return false;
			s++;
		}
	}
	return *s == '\0';
}

static bool hex_run(const char *s, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* UTF-8 symbols: bytes that do not continue a sequence. */
static size_t utf8_symbols(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static bool string_ok(const struct gn_opt *o, const char *s)
{
	size_t len = strlen(s);
	unsigned char buf[sizeof(struct in6_addr)];
	const char *p;
	unsigned semis = 0;

	switch (o->format) {
	case GN_FMT_ANY:
		return len <= (o->max_len ? o->max_len : GN_OPT_VALUE_MAX);
	case GN_FMT_PATH_UDS:
		/* sun_path is 108 bytes with the terminating NUL. */
		return len > 0 && len < 108;
	case GN_FMT_MAC:
		return parse_octets(s, 6);
	case GN_FMT_OUI:
		return parse_octets(s, 3);
	case GN_FMT_CLOCK_ID:
		return len == 18 && hex_run(s, 6) && s[6] == '.' &&
		       hex_run(s + 7, 4) && s[11] == '.' && hex_run(s + 12, 6);
	case GN_FMT_TEXT_3:
		for (p = s; *p; p++)
			semis += *p == ';';
		if (semis != 2)
			return false;
		/* fall through */
	case GN_FMT_TEXT:
		/* PTPText: lengthField is one octet. */
		return len <= 255 && utf8_symbols(s) <= o->max_len;
	case GN_FMT_IPV4:
		return inet_pton(AF_INET, s, buf) == 1;
	case GN_FMT_IPV6:
		return inet_pton(AF_INET6, s, buf) == 1;
	}
	return false;
}

int gn_opt_parse(const struct gn_opt *o, const char *text, bool check_range,
		 union gn_opt_value *v, char *msg, size_t msglen)
{
	const struct gn_opt_enum *e;
	char allowed[256];
	char *end;
	long long ll;
	double d;

	switch (o->type) {
	case GN_OPT_INT:
		if ((o->flags & GN_OPT_F_ASAP) && !strcasecmp(text, "ASAP")) {
			v->i = o->asap_value;
			return 0;
		}
		/* Base 0 as linuxptp: 0x.. hex, 0.. octal (uds_file_mode). */
		errno = 0;
		ll = strtoll(text, &end, 0);
		if (end == text || *end != '\0' || errno == ERANGE)
			break;
		if (check_range && (ll < o->min || ll > o->max))
			break;
		v->i = ll;
		return 0;
	case GN_OPT_DOUBLE:
		errno = 0;
		d = strtod(text, &end);
		if (end == text || *end != '\0' || errno == ERANGE ||
		    !isfinite(d))
			break;
		if (check_range && (d < o->min_d || d > o->max_d))
			break;
		v->d = d;
		return 0;
	case GN_OPT_ENUM:
		for (e = o->enums; e->name; e++) {
			if (!strcasecmp(e->name, text)) {
				v->i = e->value;
				return 0;
			}
		}
		break;
	case GN_OPT_STRING:
		if (!string_ok(o, text))
			break;
		v->s = text;
		return 0;
	}
	gn_opt_allowed(o, allowed, sizeof(allowed));
	snprintf(msg, msglen, "bad value '%.64s%s' (allowed: %s)", text,
		 strlen(text) > 64 ? "..." : "", allowed);
	return -EINVAL;
}

static bool value_equal(const struct gn_opt *o, const char *text,
			const union gn_opt_value *a,
			const union gn_opt_value *b)
{
	switch (o->type) {
	case GN_OPT_INT:
	case GN_OPT_ENUM:
		return a->i == b->i;
	case GN_OPT_DOUBLE:
		return a->d == b->d;
	case GN_OPT_STRING:
		return !strcasecmp(a->s, b->s) ||
		       (o->also_default && !strcasecmp(text, o->also_default));
	}
	return false;
}

int gn_opt_check_supported(const struct gn_opt *o, const char *text,
			   const union gn_opt_value *v,
			   const union gn_opt_value *dflt, char *msg,
			   size_t msglen)
{
	const struct gn_opt_enum *e;
	char names[256];

	if (!o->info.supported) {
		if (value_equal(o, text, v, dflt))
			return 0;
		snprintf(msg, msglen, "not supported yet");
		return -EOPNOTSUPP;
	}
	if (o->type == GN_OPT_ENUM) {
		for (e = o->enums; e->name; e++) {
			if (e->value != v->i)
				continue;
			if (e->supported)
				return 0;
			enum_names(o, true, names, sizeof(names));
			snprintf(msg, msglen,
				 "value '%s' not supported yet (supported: "
				 "%s)",
				 e->name, names);
			return -EOPNOTSUPP;
		}
	}
	if ((o->flags & GN_OPT_F_SUP_RANGE) &&
	    (v->i < o->sup_min || v->i > o->sup_max)) {
		snprintf(msg, msglen,
			 "value %lld not supported yet (supported: "
			 "%lld..%lld)",
			 (long long)v->i, (long long)o->sup_min,
			 (long long)o->sup_max);
		return -EOPNOTSUPP;
	}
	return 0;
}
