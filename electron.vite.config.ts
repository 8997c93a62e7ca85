import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve(root, 'src-main/index.ts'),
          // Whisper runs in utility processes started from this entry.
          worker: resolve(root, 'src-main/engine/pool/worker-entry.ts'),
          // Large transcript saves are parsed and checked in a worker thread from this entry.
          'document-worker': resolve(root, 'src-main/engine/documents/document-worker-entry.ts'),
          // sherpa-onnx (neural speaker diarization) runs in one started from this entry.
          'diarization-worker': resolve(
            root,
            'src-main/engine/diarization/neural/diarization-worker-entry.ts',
          ),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads must be CommonJS.
      rolldownOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
