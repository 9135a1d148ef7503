/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pps.h - pulse-per-second sources: a PPS device (/dev/ppsN, PPS_FETCH:
 * the system clock's time of each pulse) and a PHC's external time
 * stamp channel (PTP_EXTTS_REQUEST: the PHC's time of each pulse on a
 * pin). A pulse marks a whole second of the reference, so the clock's
 * offset is its time of the pulse minus the nearest whole second; with
 * a PHC that keeps the right seconds, the whole seconds come from it
 * (phc2sys -s /dev/ptpN -d /dev/ppsN). The arithmetic is pure.
 */
#ifndef GN_DISCIPLINE_PPS_H
#define GN_DISCIPLINE_PPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

struct gn_pps {
	int fd;
	bool extts;	  /* a PHC's EXTTS channel (fd is the PHC's) */
	unsigned channel; /* EXTTS */
	char name[64];
};

/* /dev/ppsN: checks PPS_CAPTUREASSERT. */
int gn_pps_open(struct gn_pps *p, const char *path, char *err, size_t errlen);
/* Waits up to timeout_ms for the next assert; its time (system clock)
 * in *ts_ns. 0, -ETIMEDOUT, or negative errno. */
int gn_pps_fetch(struct gn_pps *p, int timeout_ms, int64_t *ts_ns);
/* Enables rising-edge time stamps on channel of the PHC open on
 * phc_fd (not owned). */
int gn_extts_open(struct gn_pps *p, int phc_fd, const char *name,
		  unsigned channel, char *err, size_t errlen);
/* Next event of the channel (the PHC's time) within timeout_ms. */
int gn_extts_read(struct gn_pps *p, int timeout_ms, int64_t *ts_ns);
void gn_pps_close(struct gn_pps *p);

#endif
