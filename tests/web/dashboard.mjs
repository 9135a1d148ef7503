// SPDX-License-Identifier: GPL-2.0-or-later
// dashboard.mjs URL SCREENSHOT - opens gnomond's dashboard in Debian's
// headless Chromium (playwright-core, no downloaded browser), waits for
// live data, asserts that every plot has points and that the port table
// lists the ports, and saves a screenshot. Exit 0 only if all holds.
import { chromium } from "playwright-core";

const [url, shot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let rc = 1;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await page.goto(url, { timeout: 15000 });
  await page.waitForSelector("body[data-live='1']", { timeout: 20000 });
  // Plots with at least 5 points each (the slave samples 4 times a second).
  await page.waitForFunction(() =>
    ["p-offset", "p-delay", "p-freq", "p-bound"].every(
      (id) => Number(document.getElementById(id).dataset.points || 0) >= 5),
    null, { timeout: 30000 });
  const points = await page.evaluate(() =>
    ["p-offset", "p-delay", "p-freq", "p-bound"].map(
      (id) => Number(document.getElementById(id).dataset.points)));
  const ports = await page.$$eval("#ports tbody tr", (rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent)));
  const canvases = await page.$$eval(".chart canvas", (c) => c.length);
  const uplot = await page.evaluate(() => typeof window.uPlot === "function");
  await page.waitForTimeout(1500);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(JSON.stringify({ points, ports, canvases, uplot }));
  if (ports.length < 1 || !ports.every((p) => p[1].length > 0 && p[2].length > 0))
    throw new Error("port table empty");
  if (canvases < 4) throw new Error("plots not drawn: " + canvases + " canvases");
  rc = 0;
} catch (e) {
  console.error("FAIL: " + e.message);
} finally {
  await browser.close();
}
process.exit(rc);
