// @ts-check
// Wrapper used by scripts/bench.mjs to read the peak RSS of the bundled action cheaply: it imports the
// entry given in PREFLIGHT_BENCH_ENTRY (dist/index.js) and, when the process exits, writes
// process.resourceUsage().maxRSS (kilobytes) to the file named by PREFLIGHT_BENCH_RSS_FILE.
// Only the RSS runs go through it; the timed runs spawn dist/index.js directly.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const entry = process.env.PREFLIGHT_BENCH_ENTRY;
const rssFile = process.env.PREFLIGHT_BENCH_RSS_FILE;
if (!entry || !rssFile) {
  console.error('scripts/bench-child.mjs: PREFLIGHT_BENCH_ENTRY and PREFLIGHT_BENCH_RSS_FILE must be set (it is run by scripts/bench.mjs)');
  process.exit(2);
}
process.on('exit', () => writeFileSync(rssFile, String(process.resourceUsage().maxRSS)));
await import(pathToFileURL(entry).href);
