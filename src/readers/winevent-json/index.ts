// Windows events as JSON: Winlogbeat/ECS documents, evtx_dump-style renderings and flattened OTRF/Mordor
// records; one object per line, objects one after another, or a JSON array. Parsed with secure-json-parse
// (`__proto__` and `constructor` keys dropped), long integers kept exact, every record bounded in size and depth.
import sjson from 'secure-json-parse';
import { z } from 'zod';
import type { ReadContext } from '../reader.js';
import type { ByteStream } from '../io/open.js';
import { DamageBudget, winEventTextReader, type LocatedWinEvent } from '../winevent/text-reader.js';
import { JsonObjectSplitter } from './objects.js';
import { winEventFromJson } from './shapes.js';

const NAME = 'winevent-json';

export const options = z.strictObject({
  /** Longest JSON record (characters); a Winlogbeat document with its message is a few KiB. Longer ones are skipped and counted. */
  max_record_length: z.number().int().min(4096).default(1 << 20),
  /** Deepest nesting in one record; Winlogbeat documents nest 4 deep. Deeper ones are skipped and counted. */
  max_depth: z.number().int().min(4).max(512).default(64),
  /** Event fields kept per record; more are dropped and counted. */
  max_fields: z.number().int().min(8).default(1024),
});
export type Options = z.infer<typeof options>;

export async function* parseWinEventJson(stream: ByteStream, ctx: ReadContext<Options>): AsyncIterable<LocatedWinEvent[]> {
  const anomalies = ctx.health.anomalies;
  const budget = new DamageBudget(ctx);
  let out: LocatedWinEvent[] = [];
  const splitter = new JsonObjectSplitter(
    { maxDepth: ctx.options.max_depth, maxRecordLength: ctx.options.max_record_length },
    ({ text, line }) => {
      ctx.health.records++;
      let parsed: unknown;
      try {
        parsed = sjson.parse(text, undefined, { protoAction: 'remove', constructorAction: 'remove' });
      } catch {
        budget.damaged(`${NAME}.bad_json`, line);
        return;
      }
      const { ev, dropped } = winEventFromJson(parsed, ctx.options.max_fields);
      if (dropped > 0) anomalies.add(`${NAME}.too_many_fields`, { line }, dropped);
      if (typeof ev === 'string') {
        budget.damaged(`${NAME}.${ev}`, line);
        return;
      }
      budget.ok();
      out.push({ ev, line });
    },
    (problem, line) => {
      if (problem !== 'junk') ctx.health.records++;
      budget.damaged(`${NAME}.${problem}`, line);
    },
  );
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream) {
    ctx.health.bytes += chunk.length;
    splitter.write(decoder.decode(chunk, { stream: true }));
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  splitter.write(decoder.decode());
  splitter.end();
  if (out.length > 0) yield out;
  budget.end();
}

/** JSON whose first object carries Windows event keys (Winlogbeat, evtx_dump or flattened). */
function sniff(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8').decode(head.subarray(0, 8192)).replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('{') && !text.startsWith('[')) return false;
  return text.includes('"winlog"') || /"EventI[Dd]"\s*:/.test(text) || (text.includes('"Event"') && text.includes('"System"'));
}

export const winEventJsonReader = winEventTextReader({
  name: NAME,
  description: 'Windows events as JSON: Winlogbeat/ECS, evtx_dump renderings, flattened OTRF/Mordor records',
  options,
  sniff,
  parse: parseWinEventJson,
});
