/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pps.h - pulse-per-second sources: a PPS device (/dev/ppsN, PPS_FETCH:
 * the system clock's time of each pulse) and a PHC's external time
 * stamp channel (PTP_EXTTS_REQUEST: the PHC's time of each pulse on a
 * pin). A pulse marks a whole second of the reference, so the clock's
 * offset is its time of the pulse minus the nearest whole second; with
 * a PHC that keeps the right seconds, the whole seconds come from it
 * (phc2sys -s /dev/ptpN -d /dev/ppsN). With EXTTS the stamped clock is
 * the PHC itself: it is the clock that follows the pulses, its whole
 * seconds from itself or from another clock (ts2phc's generic source).
 * The arithmetic is pure; fake PHCs (fakeclock.h) emulate EXTTS.
 */
#ifndef GN_DISCIPLINE_PPS_H
#define GN_DISCIPLINE_PPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dclock.h"

/* A PHC's second must start within this of the pulse (ns). */
#define GN_PPS_PHC_LIMIT_NS 10000000LL

/* The offset of a clock that read ts_ns at a pulse: ts_ns - the nearest
 * whole second, in (-0.5 s, 0.5 s]. */
int64_t gn_pps_offset(int64_t ts_ns);

/*
 * Offset of the system clock at a pulse it stamped pps_sys_ns, the whole
 * seconds taken from a PHC whose time was phc_now_ns a moment later
 * (within GN_PPS_PHC_LIMIT_NS of its second): pps_sys_ns - that second.
 * -EAGAIN when the PHC is not near the start of a second (PPS and PHC
 * out of step).
 */
int gn_pps_phc_offset(int64_t pps_sys_ns, int64_t phc_now_ns,
		      int64_t *offset_ns);

/*
 * Offset of a clock from the whole second a pulse marks, the second
 * taken from another clock: the clock read pulse_ns at the pulse, the
 * other clock src_ns. src must be within GN_PPS_PHC_LIMIT_NS of a whole
 * second then (-EAGAIN otherwise); *offset_ns = pulse_ns - that second.
 */
int gn_pps_src_offset(int64_t pulse_ns, int64_t src_ns, int64_t *offset_ns);

struct gn_fakeclock;

struct gn_pps {
	int fd;
	bool extts;		   /* a PHC's EXTTS channel (fd is the PHC's) */
	unsigned channel;	   /* EXTTS */
	int64_t correction_ns;	   /* EXTTS: added to each stamp */
	struct gn_fakeclock *fake; /* EXTTS of a fake PHC */
	char name[64];
};

/* /dev/ppsN: checks PPS_CAPTUREASSERT. */
int gn_pps_open(struct gn_pps *p, const char *path, char *err, size_t errlen);
/* Waits up to timeout_ms for the next assert; its time (system clock)
 * in *ts_ns. 0, -ETIMEDOUT, or negative errno. */
int gn_pps_fetch(struct gn_pps *p, int timeout_ms, int64_t *ts_ns);

/* EXTTS edges (ts2phc.extts_polarity; "both" is not offered: it needs
 * ts2phc's pulse width rejection). */
enum gn_extts_edge {
	GN_EXTTS_RISING = 1,
	GN_EXTTS_FALLING = 2,
};

struct gn_extts_config {
	unsigned channel; /* ts2phc.channel */
	int pin;	  /* ts2phc.pin_index; -1: leave the pins alone */
	enum gn_extts_edge edge;
	int64_t correction_ns; /* ts2phc.extts_correction */
};

/*
 * Opens external time stamping on the PHC phc (not owned; a fake PHC
 * emulates it): checks the channel (and pin) against the PHC's
 * capabilities, assigns the pin to the channel (PTP_PIN_SETFUNC2, or
 * PTP_PIN_SETFUNC on kernels before 5.8) when cfg->pin >= 0, enables
 * the channel (PTP_EXTTS_REQUEST2, or PTP_EXTTS_REQUEST) and drops
 * stale events. 0 or a negative errno with the reason in err.
 */
int gn_extts_open(struct gn_pps *p, struct gn_dclock *phc,
		  const struct gn_extts_config *cfg, char *err, size_t errlen);
/* Next event of the channel (the PHC's time, plus the correction)
 * within timeout_ms: 0, -ETIMEDOUT, -EINTR, -EIO (a short event), or
 * negative errno. Events of other channels are skipped. */
int gn_extts_read(struct gn_pps *p, int timeout_ms, int64_t *ts_ns);
/*
 * One pulse on the EXTTS channel of the PHC sink: *ts_ns its stamp
 * (sink time) and *offset_ns = the stamp - the whole second the pulse
 * marks. That second comes from secs (compared with the sink right after
 * the pulse, best of readings; gn_pps_src_offset) or, when secs is NULL,
 * is the sink's own nearest second. Returns 0, -EAGAIN when secs is
 * more than GN_PPS_PHC_LIMIT_NS from a whole second at the pulse
 * (*offset_ns then holds its distance), or what reading failed with.
 */
int gn_extts_sample(struct gn_pps *p, struct gn_dclock *sink,
		    struct gn_dclock *secs, int readings, int timeout_ms,
		    int64_t *offset_ns, int64_t *ts_ns);
/* Closes a PPS device, or disables the EXTTS channel. */
void gn_pps_close(struct gn_pps *p);

#endif
