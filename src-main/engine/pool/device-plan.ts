export interface DeviceFacts {
  /** Logical CPU cores available to the process. */
  cores: number;
  /** GPU devices the native build can use, with their free memory. */
  gpus: { index: number; name: string; freeBytes: number }[];
}

export interface WorkerPlan {
  workers: number;
  threadsPerWorker: number;
  useGpu: boolean;
  /** One line a person can read in /v1/system. */
  reason: string;
}

/** Above about eight threads whisper.cpp's CPU decode stops getting faster. */
const maxUsefulThreads = 8;

/**
 * Decides how many whisper workers to run and with how many threads. One worker per GPU when
 * there are GPUs; otherwise enough workers to use the cores at up to eight threads each.
 * Settings override either number.
 */
export function planWorkers(
  facts: DeviceFacts,
  overrides: { workers?: number | null; threadsPerWorker?: number | null; useGpu?: boolean } = {},
): WorkerPlan {
  const cores = Math.max(1, facts.cores);
  const useGpu = (overrides.useGpu ?? true) && facts.gpus.length > 0;
  const autoWorkers = useGpu
    ? facts.gpus.length
    : Math.max(1, Math.floor(cores / maxUsefulThreads));
  const workers = overrides.workers ?? autoWorkers;
  const autoThreads = useGpu
    ? Math.min(4, cores)
    : Math.max(1, Math.min(maxUsefulThreads, Math.floor(cores / workers)));
  const threadsPerWorker = overrides.threadsPerWorker ?? autoThreads;
  const source = overrides.workers || overrides.threadsPerWorker ? 'from settings' : 'automatic';
  const device = useGpu
    ? `${facts.gpus.length} GPU${facts.gpus.length > 1 ? 's' : ''}`
    : `${cores} CPU cores`;
  return {
    workers,
    threadsPerWorker,
    useGpu,
    reason: `${workers} worker${workers > 1 ? 's' : ''} × ${threadsPerWorker} threads on ${device} (${source})`,
  };
}
