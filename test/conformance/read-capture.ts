// Reads one capture with the given reader options and prints its anomaly counts as JSON: run in a child
// process by the robustness suite, under a small heap limit, so unbounded growth would be a crash.
import { decodeTrace } from './zeek-baselines.js';

const [file, options] = process.argv.slice(2);
const started = performance.now();
const result = await decodeTrace(file!, JSON.parse(options ?? '{}') as Record<string, unknown>, false);
process.stdout.write(JSON.stringify({
  seconds: (performance.now() - started) / 1000,
  crash: result.crash,
  anomalies: Object.fromEntries(result.anomalies.entries().map((e) => [e.code, e.count])),
}));
