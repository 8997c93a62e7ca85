// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = {
  name: 'electron',
  message: 'Only src-main/electron/ and src-preload/ may import electron.',
};

/** Import patterns each layer must not reach (see README, Architecture). */
const layerRules = (patterns, paths = [noElectron]) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
});

export default tseslint.config(
  {
    ignores: [
      'out/',
      'node_modules/',
      'bench/results/',
      'native/build/',
      'test-results/',
      'playwright-report/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-main/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'e2e/**/*.ts'],
    ignores: ['src-main/electron/**', 'src-main/index.ts'],
    rules: layerRules([]),
  },
  {
    files: ['src-main/engine/**/*.ts'],
    rules: layerRules([
      {
        group: ['**/api', '**/api/**', '**/cli/**', '**/electron/**'],
        message:
          'The engine is a plain library: it must not import the API, CLI or Electron shell.',
      },
    ]),
  },
  {
    files: ['src-main/contract/**/*.ts'],
    rules: layerRules([
      {
        group: ['node:*', '**/engine/**', '**/api/**', '**/cli/**', '**/electron/**'],
        message: 'The contract holds only schemas (zod).',
      },
    ]),
  },
  {
    // Shared document logic (caption lint, wrap and re-wrap, reading speed and caption timing, text
    // measure, named presets, structure tags, speaker stats): ONE copy, imported by the engine and
    // by the renderer alike, so the editor shows exactly what the engine computes. It must run in
    // both, so it is pure TypeScript: the contract (and zod through it) only; no Node, no engine,
    // API, CLI or Electron, no React or renderer code, no Node or browser globals.
    files: ['src-main/common/**/*.ts'],
    rules: {
      ...layerRules([
        {
          group: [
            'node:*',
            '**/engine',
            '**/engine/**',
            '**/api',
            '**/api/**',
            '**/cli/**',
            '**/electron/**',
            '**/src-renderer/**',
            'react',
            'react/**',
            'react-dom',
            'react-dom/**',
          ],
          message:
            'src-main/common is pure document logic used by the engine and the renderer: it may import only the contract and itself.',
        },
      ]),
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', '__dirname', 'window', 'document', 'navigator'].map(
          (name) => ({ name, message: 'src-main/common runs in Node and in the browser alike.' }),
        ),
      ],
    },
  },
  {
    files: ['src-main/api/**/*.ts'],
    rules: layerRules([
      {
        group: ['**/cli/**', '**/electron/**'],
        message: 'The API must not import the CLI or the Electron shell.',
      },
    ]),
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layerRules([
        {
          group: [
            'node:*',
            '**/src-main/*',
            '!**/src-main/contract',
            '!**/src-main/common',
            '**/src-main/engine/**',
            '**/src-main/api/**',
            '**/src-main/cli/**',
            '**/src-main/electron/**',
          ],
          message:
            'The renderer talks to the engine only through the API contract (src-main/contract); document logic both use (caption rules, wrap, speaker stats) comes from src-main/common, never a copy.',
        },
      ]),
    },
  },
  {
    // Native code only in worker processes: the engine's own process (serve's, the desktop app's
    // main process) never loads the whisper addon or sherpa-onnx, so a native crash costs a
    // worker, never the app, and native work never holds the API's event loop. The engine asks
    // the worker pool instead (whisper.detectSpeech, whisper.system(), diarization.fallback…).
    // Type-only imports stay allowed everywhere. Tests may load the addon in their own process.
    files: ['src-main/**/*.ts'],
    ignores: [
      '**/*.test.ts',
      '**/__fixtures__/**',
      'src-main/engine/whisper/**',
      'src-main/engine/pool/worker-entry.ts',
      'src-main/engine/pool/native-runtime.ts',
      'src-main/engine/diarization/neural/diarization-worker-entry.ts',
      'src-main/engine/diarization/neural/sherpa-runtime.ts',
      'src-main/engine/speakers/speaker-ops.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'sherpa-onnx-node',
              message:
                'sherpa-onnx loads only in the diarization worker (diarization/neural/sherpa-runtime.ts); use engine.diarization.',
            },
          ],
          patterns: [
            {
              group: [
                '**/whisper/addon',
                '**/pool/native-runtime',
                '**/neural/sherpa-runtime',
                '**/speakers/speaker-ops',
                'sherpa-onnx-node/**',
              ],
              allowTypeImports: true,
              message:
                'Native code runs only in worker processes: import its types only, and ask the worker pool (engine.whisper.detectSpeech / system(), engine.diarization) for the work. Languages: whisper/languages.ts.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
