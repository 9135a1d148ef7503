#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fetch_uplot.sh OUTDIR package.json package-lock.json - installs the
# dashboard's charting library (uPlot, pinned by package-lock.json) with
# `npm ci` into OUTDIR/npm and copies its two built files to OUTDIR.
# Without npm or the registry it writes stubs: the dashboard then draws
# its plots with its own small canvas plotter. Touches nothing else.
set -u
out=$1
mkdir -p "$out/npm"
cp "$2" "$3" "$out/npm/"
if command -v npm >/dev/null 2>&1 &&
	(cd "$out/npm" && npm ci --no-audit --no-fund --silent >/dev/null 2>&1) &&
	[ -f "$out/npm/node_modules/uplot/dist/uPlot.iife.min.js" ]; then
	cp "$out/npm/node_modules/uplot/dist/uPlot.iife.min.js" "$out/"
	cp "$out/npm/node_modules/uplot/dist/uPlot.min.css" "$out/"
else
	echo "fetch_uplot: npm ci failed; the dashboard uses its fallback plotter" >&2
	echo "/* uPlot unavailable at build time */" >"$out/uPlot.iife.min.js"
	echo "/* uPlot unavailable at build time */" >"$out/uPlot.min.css"
fi
