// Runs the CLI from TypeScript sources, so CLI tests need no build step: `node --import tsx test/cli-entry.ts …`.
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv);
