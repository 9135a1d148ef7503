/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rng.c - the core's deterministic pseudo-random numbers (Delay_Req send
 * times, announce timeout jitter). SplitMix64: a Weyl sequence (the state
 * advances by a fixed odd constant) passed through a bijective 64-bit
 * mixer, so every seed, 0 included, gives a full-period stream. The host
 * seeds it, which makes simulations repeatable.
 *
 * Not for anything secret. Must not read the clock, /dev/urandom or any
 * other outside source: all entropy comes from the seed.
 */
#include <stdint.h>

#include "env.h"

#define GN_RNG_GOLDEN_GAMMA UINT64_C(0x9E3779B97F4A7C15)
#define GN_RNG_MIX_MUL1	    UINT64_C(0xBF58476D1CE4E5B9)
#define GN_RNG_MIX_MUL2	    UINT64_C(0x94D049BB133111EB)

void gn_rng_seed(struct gn_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t gn_rng_next(struct gn_rng *r)
{
	uint64_t z;

	r->s += GN_RNG_GOLDEN_GAMMA;
	z = r->s;
	z = (z ^ (z >> 30)) * GN_RNG_MIX_MUL1;
	z = (z ^ (z >> 27)) * GN_RNG_MIX_MUL2;
	return z ^ (z >> 31);
}

double gn_rng_unit(struct gn_rng *r)
{
	/* The top 53 bits fill a double's mantissa exactly: [0, 1). */
	return (double)(gn_rng_next(r) >> 11) * 0x1.0p-53;
}
