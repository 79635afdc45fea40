// Lighthouse on a few pages of the served site, with one Chromium for all of them.
//   node tests/browser/lighthouse.mjs OUT_DIR NAME=URL [NAME=URL ...]
// Writes OUT_DIR/NAME.report.html for each page and OUT_DIR/scores.json (category
// scores and the audits that did not pass), and prints scores.json.
//
// Lighthouse's desktop settings: its mobile settings simulate a CPU 4x slower than the
// host's, so on a busy 2-core machine their performance score measures the machine. The
// phone layout is checked by test_reader.py at 375x812 instead.
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktop from "lighthouse/core/config/desktop-config.js";

const [outDir, ...pages] = process.argv.slice(2);
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

mkdirSync(outDir, {recursive: true});
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
  ],
});
const scores = {};
try {
  for (const page of pages) {
    const [name, url] = page.split(/=(.*)/s);
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "html",
      onlyCategories: CATEGORIES,
      logLevel: "error",
      disableFullPageScreenshot: true,
    }, desktop);
    const lhr = result.lhr;
    writeFileSync(join(outDir, `${name}.report.html`), result.report);
    const failing = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1
        && ["binary", "numeric", "metricSavings"].includes(a.scoreDisplayMode))
      .map((a) => ({id: a.id, score: a.score, title: a.title, value: a.displayValue}));
    scores[name] = {
      url,
      categories: Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c].score])),
      runtimeError: lhr.runtimeError?.message ?? null,
      runWarnings: lhr.runWarnings,
      benchmarkIndex: lhr.environment.benchmarkIndex,
      failing,
    };
  }
} finally {
  await chrome.kill();
}
writeFileSync(join(outDir, "scores.json"), JSON.stringify(scores, null, 2) + "\n");
console.log(JSON.stringify(scores, null, 2));
