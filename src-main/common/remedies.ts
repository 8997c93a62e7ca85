/**
 * What a person can do about an error, in the words of the face they are using.
 *
 * An engine error carries a code and facts (`details`); its message says what happened and any
 * advice that holds everywhere ("free some space"), never a command, a place in the app or an
 * HTTP route. This module turns code + details into the remedy for one face:
 *
 * - 'ui': places and buttons of the app ("Open Models and download …"),
 * - 'cli': commands of the `studio` CLI (`npx studio models download …`),
 * - 'api': HTTP requests (`POST /v1/models/<id>/download`).
 *
 * Where the code alone does not decide the remedy, the error names it in `details.fix`.
 * Pure: no Node or DOM APIs, so the renderer, the API and the CLI share it.
 */

export type Face = 'ui' | 'cli' | 'api';

/** The remedies an error can ask for with `details.fix`. */
export const fixes = [
  /** A catalog model is not installed: download it (or import its file). Needs `modelId`. */
  'download-model',
  /** The installed copy of a model is damaged: download it again. Needs `modelId`. */
  'redownload-model',
  /** A model file must be imported (not in the catalog, or the server is unreachable; `url` if known). */
  'import-model',
  /** No Whisper model is installed at all; `modelId` is the one recommended for this machine. */
  'install-whisper-model',
  /** The model id is unknown: where the models are listed. */
  'list-models',
  /** The request has no valid API token. */
  'create-token',
] as const;
export type Fix = (typeof fixes)[number];

/** The remedy a code asks for when its error names none. */
const defaultFix: Partial<Record<string, Fix>> = {
  MODEL_UNKNOWN: 'list-models',
  UNAUTHORIZED: 'create-token',
};

/** How CLI remedies start a command: the package's `studio` bin, run through npx. */
export const cliProgram = 'npx studio';

/** A CLI command as a remedy names it: `cliCommand('models list')` → `npx studio models list`. */
export function cliCommand(args: string, options: RemedyOptions = {}): string {
  const dataDir = options.dataDir ? ` --data-dir ${shellQuote(options.dataDir)}` : '';
  return `${cliProgram}${dataDir} ${args}`;
}

export interface RemedyOptions {
  /** The CLI's `--data-dir`, repeated in the commands a CLI remedy names. */
  dataDir?: string;
}

/** The part of an error a remedy is worked out from (an EngineError, an API error body, a job's error). */
export interface ErrorFacts {
  code: string;
  details?: Readonly<Record<string, unknown>> | null;
}

const isFix = (value: unknown): value is Fix =>
  typeof value === 'string' && (fixes as readonly string[]).includes(value);

const text = (details: ErrorFacts['details'], key: string): string | undefined => {
  const value = details?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** The remedy `error` asks for, if any. */
export function fixOf(error: ErrorFacts): Fix | undefined {
  const named = error.details?.fix;
  return isFix(named) ? named : defaultFix[error.code];
}

/** What to do about `error`, worded for `face`; undefined when the error names no remedy. */
export function remedyFor(
  error: ErrorFacts,
  face: Face,
  options: RemedyOptions = {},
): string | undefined {
  const fix = fixOf(error);
  if (!fix) return undefined;
  const modelId = text(error.details, 'modelId');
  const url = text(error.details, 'url');
  const cli = (args: string) => `\`${cliCommand(args, options)}\``;
  const id = modelId ?? '<model id>';
  switch (fix) {
    case 'download-model':
      return {
        ui: `Open Models and download "${id}", or import its file there.`,
        cli: `Download it with ${cli(`models download ${id}`)}, or import its file with ${cli('models import <file>')}.`,
        api: `Download it with POST /v1/models/${id}/download, or import its file with POST /v1/models/import.`,
      }[face];
    case 'redownload-model':
      return {
        ui: `Open Models and download "${id}" again, or import a good copy there.`,
        cli: `Download it again with ${cli(`models download ${id}`)}, or import a good copy with ${cli('models import <file>')}.`,
        api: `Download it again with POST /v1/models/${id}/download, or import a good copy with POST /v1/models/import.`,
      }[face];
    case 'import-model': {
      const fetchFirst = url ? `Download ${url} in a browser, then import it` : 'Import the file';
      return {
        ui: `${fetchFirst} under Models ("Import a model file…").`,
        cli: `${fetchFirst} with ${cli('models import <file>')}.`,
        api: `${fetchFirst} with POST /v1/models/import.`,
      }[face];
    }
    case 'install-whisper-model':
      return {
        ui: modelId
          ? `Open Models and download a Whisper model ("${modelId}" is the one for this machine), or import a ggml file there.`
          : 'Open Models and download a Whisper model, or import a ggml file there.',
        cli:
          `Download one with ${cli(`models download ${id}`)} (${cli('models list')} shows the others), ` +
          `or import a ggml file with ${cli('models import <file>')}.`,
        api:
          `Download one with POST /v1/models/${id}/download (GET /v1/models lists the others), ` +
          'or import a ggml file with POST /v1/models/import.',
      }[face];
    case 'list-models':
      return {
        ui: 'Open Models to see the models this studio has.',
        cli: `${cli('models list')} lists them.`,
        api: 'GET /v1/models lists them.',
      }[face];
    case 'create-token':
      return {
        ui: 'Open the sign-in link the studio printed when it started, or paste an API token.',
        cli: `Create one with ${cli('token create --scopes read,transcribe')}.`,
        api:
          `Create one on the studio's machine with ${cli('token create --scopes read,transcribe')} ` +
          '(or in the app under Settings → API tokens) and send it as "Authorization: Bearer <token>".',
      }[face];
  }
}

/**
 * The facts a remedy is worked out from (`fix`, `modelId`, `url`), picked from an error's details:
 * what a stored error (a failed job's) keeps, so that each face can still word what to do.
 */
export function remedyFacts(
  details: ErrorFacts['details'],
): { fix?: Fix; modelId?: string; url?: string } | undefined {
  const fix = details?.fix;
  const modelId = text(details, 'modelId');
  const url = text(details, 'url');
  if (!isFix(fix) && modelId === undefined && url === undefined) return undefined;
  return {
    ...(modelId !== undefined && { modelId }),
    ...(url !== undefined && { url }),
    ...(isFix(fix) && { fix }),
  };
}

/** The message followed by its remedy for `face`: what a person on that face reads. */
export function errorText(
  error: ErrorFacts & { message: string },
  face: Face,
  options: RemedyOptions = {},
): string {
  const remedy = remedyFor(error, face, options);
  return remedy ? `${error.message} ${remedy}` : error.message;
}

/** A path as a POSIX shell word (quoted only when it needs to be). */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
