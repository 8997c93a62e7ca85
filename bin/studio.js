#!/usr/bin/env node
// `studio`: the Transcription Studio command line (`npx studio …` in the project, or `studio …`
// once the package is installed or linked). The CLI is TypeScript run through tsx, as
// `npm run cli` does; tsx is resolved from this package, not from the working directory, so the
// command works wherever it is started. Everything else (the UI in out/renderer, the worker
// entries, the native addon) is found relative to the source files, as under `npm run cli`.
let tsx;
try {
  tsx = await import('tsx/esm/api');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes("'tsx'")) {
    throw error;
  }
  process.stderr.write(
    `error: the studio command runs through tsx, which cannot be found from ${import.meta.dirname}. ` +
      'In a checkout of the project run `npm ci` there; where the package was installed, ' +
      'install tsx beside it (`npm install tsx`). Then try again.\n',
  );
  process.exit(1);
}
tsx.register();
await import('../src-main/cli/main.ts');
