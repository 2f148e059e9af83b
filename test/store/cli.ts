// Runs the exfilscope CLI from source, for tests that need a real process (to kill it, or to read its exit code).
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);
