// SPDX-License-Identifier: GPL-2.0-or-later
// gnomond dashboard: polls /api/state, /api/history and /api/events once
// a second and draws plots (uPlot when it was built in, else a small
// canvas plotter), the port table, the BMCA view and the event log.
// It only reads; nothing here can change the daemon.
"use strict";

const WINDOW_S = 600; // plots show the last ten minutes
const plots = {};
let lastEvent = 0;

const series = [
  ["p-offset", "offset_ns", "#1a56c4"],
  ["p-delay", "path_delay_ns", "#0a7d32"],
  ["p-freq", "frequency_ppb", "#b3541e"],
  ["p-bound", "error_bound_ns", "#7a2bb5"],
];

function text(v) {
  return v === null || v === undefined ? "–" : String(v);
}

function cell(row, v, cls) {
  const td = document.createElement("td");
  td.textContent = text(v);
  if (cls) td.className = cls;
  row.appendChild(td);
}

// A minimal line plot for builds without uPlot.
function fallbackPlot(el, xs, ys, color) {
  let c = el.querySelector("canvas.fallback");
  if (!c) {
    c = document.createElement("canvas");
    c.className = "fallback";
    el.appendChild(c);
  }
  const w = (c.width = el.clientWidth || 400), h = (c.height = 200);
  const g = c.getContext("2d");
  g.clearRect(0, 0, w, h);
  const pts = [];
  for (let i = 0; i < xs.length; i++) if (ys[i] !== null) pts.push([xs[i], ys[i]]);
  el.dataset.points = String(pts.length);
  if (!pts.length) return;
  let x0 = pts[0][0], x1 = pts[pts.length - 1][0], y0 = Infinity, y1 = -Infinity;
  for (const p of pts) { y0 = Math.min(y0, p[1]); y1 = Math.max(y1, p[1]); }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) { y0 -= 1; y1 += 1; }
  g.strokeStyle = color;
  g.beginPath();
  pts.forEach((p, i) => {
    const x = ((p[0] - x0) / (x1 - x0)) * (w - 10) + 5;
    const y = h - 5 - ((p[1] - y0) / (y1 - y0)) * (h - 10);
    if (i) g.lineTo(x, y); else g.moveTo(x, y);
  });
  g.stroke();
}

function drawPlots(hist) {
  const t = hist.t || [];
  const now = t.length ? t[t.length - 1] : Date.now() / 1000;
  let start = 0;
  while (start < t.length && t[start] < now - WINDOW_S) start++;
  const xs = t.slice(start);
  for (const [id, key, color] of series) {
    const el = document.getElementById(id);
    const ys = (hist[key] || []).slice(start);
    const n = ys.filter((v) => v !== null).length;
    el.dataset.points = String(n);
    if (typeof window.uPlot !== "function") {
      fallbackPlot(el, xs, ys, color);
      continue;
    }
    const data = [xs, ys];
    if (!plots[id]) {
      plots[id] = new window.uPlot({
        width: Math.max(300, el.clientWidth - 10),
        height: 200,
        legend: { show: false },
        series: [{}, { stroke: color, width: 1.5, spanGaps: false }],
        axes: [{}, { size: 90 }],
      }, data, el);
    } else {
      plots[id].setData(data);
    }
  }
}

function drawState(s) {
  document.getElementById("clock").textContent =
    "clock " + s.clockIdentity + "  domain " + s.domainNumber;
  const fmt = (v, u) => (v === null ? "–" : v + " " + u);
  document.getElementById("summary").textContent =
    "offset " + fmt(s.offset_ns, "ns") + " · delay " + fmt(s.path_delay_ns, "ns") +
    " · freq " + s.frequency_ppb.toFixed(1) + " ppb · bound " + fmt(s.error_bound_ns, "ns") +
    " · servo s" + s.servo_state;

  const body = document.querySelector("#ports tbody");
  body.textContent = "";
  for (const p of s.ports) {
    const r = document.createElement("tr");
    r.dataset.port = p.portNumber;
    cell(r, p.portNumber);
    cell(r, p.interface);
    cell(r, p.state, "state-" + p.state);
    cell(r, p.linkUp ? "up" : "down");
    cell(r, p.delayMechanism);
    cell(r, p.path_delay_ns);
    cell(r, p.rx_Announce);
    cell(r, p.rx_Sync);
    cell(r, p.tx_Announce);
    cell(r, p.tx_Sync);
    cell(r, p.faults);
    body.appendChild(r);
  }

  const gm = s.grandmaster;
  const rows = [
    ["Grandmaster", gm.identity + (gm.isSelf ? " (this clock)" : "")],
    ["Parent port", gm.parentPortIdentity],
    ["GM priority1 / priority2", gm.priority1 + " / " + gm.priority2],
    ["GM clockClass / accuracy / variance",
      gm.clockClass + " / 0x" + gm.clockAccuracy.toString(16) + " / 0x" + gm.offsetScaledLogVariance.toString(16)],
    ["Steps removed", s.stepsRemoved],
    ["UTC offset", s.currentUtcOffset + " s" + (s.currentUtcOffsetValid ? " (valid)" : "") +
      (s.leap61 ? " leap61" : "") + (s.leap59 ? " leap59" : "")],
    ["Local priority1 / priority2 / class", s.priority1 + " / " + s.priority2 + " / " + s.clockClass],
  ];
  const b = document.querySelector("#bmca tbody");
  b.textContent = "";
  for (const [k, v] of rows) {
    const r = document.createElement("tr");
    const th = document.createElement("th");
    th.textContent = k;
    r.appendChild(th);
    cell(r, v);
    b.appendChild(r);
  }
  const f = document.querySelector("#foreign tbody");
  f.textContent = "";
  for (const p of s.ports) {
    for (const m of p.foreignMasters) {
      const r = document.createElement("tr");
      cell(r, p.portNumber);
      cell(r, m.sender);
      cell(r, m.grandmaster);
      cell(r, m.priority1);
      cell(r, m.clockClass);
      cell(r, "0x" + m.clockAccuracy.toString(16));
      cell(r, "0x" + m.offsetScaledLogVariance.toString(16));
      cell(r, m.priority2);
      cell(r, m.stepsRemoved);
      cell(r, m.qualified ? "yes" : "no");
      f.appendChild(r);
    }
  }
}

function drawEvents(evs) {
  const ol = document.getElementById("events");
  for (const e of evs) {
    const li = document.createElement("li");
    li.className = e.level;
    li.textContent = new Date(e.time * 1000).toISOString().slice(11, 23) + "  " + e.message;
    ol.appendChild(li);
    lastEvent = Math.max(lastEvent, e.seq);
  }
  while (ol.children.length > 300) ol.removeChild(ol.firstChild);
  if (evs.length) ol.scrollTop = ol.scrollHeight;
}

async function tick() {
  try {
    const [s, h, e] = await Promise.all([
      fetch("/api/state").then((r) => r.json()),
      fetch("/api/history").then((r) => r.json()),
      fetch("/api/events?since=" + lastEvent).then((r) => r.json()),
    ]);
    drawState(s);
    drawPlots(h);
    drawEvents(e);
    document.body.dataset.live = "1";
  } catch (err) {
    document.getElementById("summary").textContent = "no answer from gnomond: " + err;
  }
}

tick();
setInterval(tick, 1000);
