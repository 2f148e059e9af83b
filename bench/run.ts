// `npm run bench [name…]`: runs every bench/*.bench.ts (or the named ones), prints each result section and
// rewrites that section of BENCHMARKS.md between its `<!-- bench:NAME -->` markers, so results stay recorded.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const benchDir = import.meta.dirname;
const recordPath = join(benchDir, '..', 'BENCHMARKS.md');

function record(name: string, section: string): void {
  const text = existsSync(recordPath) ? readFileSync(recordPath, 'utf8') : '# Benchmarks\n';
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${begin}\n${section.trim()}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const updated = from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(recordPath, updated);
}

const wanted = process.argv.slice(2);
const files = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort();
for (const file of files) {
  const name = basename(file, '.bench.ts');
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stderr.write(`bench ${name}…\n`);
  const module = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: () => Promise<string> };
  const section = await module.default();
  process.stdout.write(section + '\n\n');
  record(name, section);
}
