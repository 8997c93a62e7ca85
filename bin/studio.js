#!/usr/bin/env node
// `studio`: the Transcription Studio command line (`npx studio …` in the project, or `studio …`
// once the package is installed or linked). The CLI is TypeScript run through tsx, as
// `npm run cli` does; tsx is resolved from this package, not from the working directory, so the
// command works wherever it is started. Everything else (the UI in out/renderer, the worker
// entries, the native addon) is found relative to the source files, as under `npm run cli`.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/main.ts');
