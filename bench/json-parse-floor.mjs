// The floor of any JavaScript reader of JSON lines: read the file and JSON.parse every line, nothing else.
// Run by zeek.bench.ts beside `exfilscope hunt` on the same JSON conn.log (plain JavaScript, so no compiler
// start-up is timed).
import { createReadStream } from 'node:fs';

const decoder = new TextDecoder();
let carry = '';
let objects = 0;
for await (const chunk of createReadStream(process.argv[2])) {
  const text = carry + decoder.decode(chunk, { stream: true });
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    if (nl > start && JSON.parse(text.slice(start, nl)) !== null) objects++;
    start = nl + 1;
  }
  carry = text.slice(start);
}
console.log(objects);
