/** A named benchmark. `run` measures side by side in one run and returns flat figures. */
export interface Benchmark {
  name: string;
  description: string;
  run(options: { json: boolean }): Promise<Record<string, unknown>>;
}
