// Lighthouse on pages of the served site, with one Chromium for all of them.
//   node tests/browser/lighthouse.mjs OUT_DIR PRESET CATEGORIES RUNS NAME=URL [NAME=URL ...]
// PRESET: "mobile" (Lighthouse's default: a phone on slow 4G, simulated, with a CPU 4x
// slower than this machine's) or "desktop". CATEGORIES: comma-separated, e.g.
// "accessibility,best-practices,seo". RUNS: audits per page; the scores of every run are
// kept (the caller takes the median of the performance score, a measurement that varies
// from run to run). Writes OUT_DIR/NAME.report.html (the first run's report) and
// OUT_DIR/scores.json: per page, per category, the score of each run, and the audits that
// lowered a score in any run.
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {getPriority} from "node:os";
import {join} from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktop from "lighthouse/core/config/desktop-config.js";

const [outDir, preset, categoryList, runsArg, ...pages] = process.argv.slice(2);
const categories = categoryList.split(",");
const runs = Number(runsArg);
if (!["mobile", "desktop"].includes(preset) || !(runs >= 1) || pages.length === 0) {
  console.error("usage: lighthouse.mjs OUT_DIR mobile|desktop CATEGORIES RUNS NAME=URL...");
  process.exit(2);
}
const config = preset === "desktop" ? desktop : undefined; // undefined: the default, mobile

mkdirSync(outDir, {recursive: true});
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
  ],
});
// chrome-launcher starts Chromium in a session of its own, which the kernel's autogroups
// schedule as a group at nice 0 whatever this process's nice value: the test suite runs
// this in the background at nice 10 (tests/background.py), and its browser stays there.
const nice = getPriority();
try {
  const group = `/proc/${chrome.pid}/autogroup`;
  const own = (path) => readFileSync(path, "utf8").split(" ")[0];
  if (nice > 0 && own(group) !== own("/proc/self/autogroup")) writeFileSync(group, String(nice));
} catch {} // no autogroups (or not Linux): nothing to keep
const scores = {};
try {
  for (const page of pages) {
    const [name, url] = page.split(/=(.*)/s);
    const entry = {url, preset, categories: {}, runtimeErrors: [], failing: {}, metrics: []};
    for (let run = 0; run < runs; run++) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "html",
        onlyCategories: categories,
        logLevel: "error",
        disableFullPageScreenshot: true,
      }, config);
      const lhr = result.lhr;
      if (run === 0) writeFileSync(join(outDir, `${name}.report.html`), result.report);
      for (const c of categories) (entry.categories[c] ??= []).push(lhr.categories[c].score);
      if (lhr.runtimeError) entry.runtimeErrors.push(lhr.runtimeError.message);
      // What lowers a score: the audits of each category that count (weight > 0) and
      // did not pass.
      for (const c of categories) {
        for (const ref of lhr.categories[c].auditRefs) {
          const a = lhr.audits[ref.id];
          if (ref.weight > 0 && a.score !== null && a.score < 1) {
            entry.failing[a.id] ??= {
              category: c, score: a.score, title: a.title, value: a.displayValue ?? null,
            };
          }
        }
      }
      const m = (id) => lhr.audits[id]?.numericValue ?? null;
      if (categories.includes("performance")) {
        entry.metrics.push({
          fcp_ms: m("first-contentful-paint"), lcp_ms: m("largest-contentful-paint"),
          tbt_ms: m("total-blocking-time"), cls: m("cumulative-layout-shift"),
          si_ms: m("speed-index"), benchmarkIndex: lhr.environment.benchmarkIndex,
        });
      }
    }
    scores[name] = entry;
    console.error(`${name}: ${JSON.stringify(entry.categories)}`);
  }
} finally {
  await chrome.kill();
}
writeFileSync(join(outDir, "scores.json"), JSON.stringify(scores, null, 2) + "\n");
