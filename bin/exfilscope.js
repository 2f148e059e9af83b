#!/usr/bin/env node
// Entry point installed as the `exfilscope` command; the CLI itself is compiled into dist/.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
