// Configuration: one validated file (YAML or JSON) whose sections are assembled from the readers and
// detectors that exist, so each component owns its keys and defaults. Unknown keys are rejected.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import type { InputLimits } from '../readers/reader.js';
import { READERS } from '../readers/index.js';
import { DETECTORS } from '../detectors/index.js';
import { correlateOptions, type CorrelateOptions } from '../correlate/options.js';
import { htmlReportOptions, type HtmlReportOptions } from '../sinks/html-report/options.js';

const inputLimits = z.strictObject({
  max_line_length: z.number().int().min(1024).default(1 << 20),
  max_consecutive_bad_lines: z.number().int().min(1).default(1000),
});

function sections<T extends { options?: z.ZodType }>(items: readonly T[], key: (item: T) => string) {
  const shape: Record<string, z.ZodType> = {};
  for (const item of items) if (item.options !== undefined) shape[key(item)] = item.options.prefault({});
  return z.strictObject(shape).prefault({});
}

function configSchema() {
  return z.strictObject({
    input: inputLimits.prefault({}),
    readers: sections(READERS, (r) => r.name),
    detectors: sections(DETECTORS, (d) => d.id),
    correlate: correlateOptions.prefault({}),
    report: htmlReportOptions.prefault({}),
  });
}

export interface Config {
  input: InputLimits;
  readers: Record<string, unknown>;
  detectors: Record<string, { enabled: boolean } & Record<string, unknown>>;
  /** Incidents, baselines and the store's per-input caps (src/correlate/options.ts). */
  correlate: CorrelateOptions;
  /** Limits of the HTML report (src/sinks/html-report/options.ts). */
  report: HtmlReportOptions;
}

/** Validates a parsed config object; errors name every offending key. */
export function parseConfig(raw: unknown, origin = 'config'): Config {
  const result = configSchema().safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const at = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return `  ${at}: ${issue.message}`;
    });
    throw new UsageError(`${origin} is not valid:\n${problems.join('\n')}`);
  }
  return result.data as Config;
}

/** Loads a YAML or JSON config file (JSON is YAML); no file means every default. */
export async function loadConfig(path?: string): Promise<Config> {
  if (path === undefined) return parseConfig({});
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    // The YAML parser is loaded only when a config file is given: it is a noticeable part of start-up time.
    const { parse: parseYaml } = await import('yaml');
    raw = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new UsageError(`config ${path} is not valid YAML or JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw, `config ${path}`);
}
