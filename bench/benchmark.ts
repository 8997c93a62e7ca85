/** What `npm run bench -- <name> [options]` hands to a benchmark. */
export interface BenchmarkOptions {
  /** `--json`: the runner prints the result as JSON on the last line. */
  json: boolean;
  /** `--model <path>`: a model file, for benchmarks that measure with one (e.g. quality's WER). */
  model?: string;
  /**
   * Any other `--name`, `--name=value` or `--name value` options, for benchmark-specific
   * switches; a bare flag is `true`.
   */
  extra: Record<string, string | boolean>;
}

/** A named benchmark. `run` measures side by side in one run and returns flat figures. */
export interface Benchmark {
  name: string;
  description: string;
  run(options: BenchmarkOptions): Promise<Record<string, unknown>>;
}
