#!/usr/bin/env node
// The `tiktool` command. Committed (not built) so npm links it at install, before the
// first build has produced dist/.
import '../dist/src/cli.js';
