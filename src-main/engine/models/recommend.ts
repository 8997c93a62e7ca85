import type { ModelRecommendation } from '../../contract/models';
import type { SystemInfo } from '../../contract/system';
import type { CatalogEntry } from './catalog';

/** What the recommendation looks at: the machine, as GET /v1/system and the worker plan see it. */
export interface MachineFacts {
  /** Logical CPU cores. */
  cores: number;
  /** CPU threads one transcription uses (the worker plan's threadsPerWorker). */
  threads: number;
  /** Total memory. */
  memoryMb: number;
  /** The GPU transcriptions run on (the plan uses it), with its free memory; null on the CPU. */
  gpu: { name: string; freeMb: number } | null;
}

/**
 * The machine as GET /v1/system reports it: cores, memory, and the GPU and threads of the worker
 * plan (without a plan yet: the CPU, up to eight threads).
 */
export function machineFacts(
  system: Pick<SystemInfo, 'cpus' | 'totalMemoryMb'> & {
    whisper: Pick<SystemInfo['whisper'], 'plan' | 'devices'> | null;
  },
): MachineFacts {
  const plan = system.whisper?.plan;
  const gpu = plan?.useGpu
    ? system.whisper?.devices.find((d) => d.type === 'gpu' || d.type === 'igpu')
    : undefined;
  return {
    cores: system.cpus,
    threads: plan?.threadsPerWorker ?? Math.min(8, system.cpus),
    memoryMb: system.totalMemoryMb,
    gpu: gpu ? { name: gpu.name, freeMb: gpu.memoryFreeMb } : null,
  };
}

/**
 * Rough speed of each size class, in seconds of audio per second, with whisper.cpp on 4 threads
 * of a recent x86 CPU (AVX2), greedy decoding. These are estimates from whisper.cpp's published
 * CPU benchmarks (tiny is about 2× base, base about 3× small, small about 3× medium, large about
 * half of medium; turbo's 4-layer decoder makes it about twice large): real speed varies about
 * 2× either way with the CPU and the recording. They order the models and size the advice; they
 * are not a measurement of this machine.
 */
const cpuSpeedAt4Threads: Readonly<Record<string, number>> = {
  tiny: 32,
  base: 16,
  small: 5.5,
  medium: 1.8,
  'large-v3-turbo': 1.6,
};

/** The families worth recommending, least to most accurate (large-v1/v2/v3: turbo is the large to use). */
const families = ['tiny', 'base', 'small', 'medium', 'large-v3-turbo'] as const;

/** A GPU build of whisper.cpp runs a model this many times faster than 4 CPU threads (roughly). */
const gpuSpeedup = 10;

/** The speed a recommendation aims for: an hour of audio in about 12 minutes or less. */
const targetSpeed = 5;

/** A model may take at most this share of the memory it runs in (the rest is the system's). */
const memoryShare = 0.5;

/** Above this size a family's quantized file is recommended rather than the full one. */
const fullPrecisionMaxBytes = 500 * 1024 ** 2;

/** Seconds of audio per second for `family` on `machine`; undefined for a family we do not rate. */
export function estimatedSpeed(family: string, machine: MachineFacts): number | undefined {
  const at4 = cpuSpeedAt4Threads[family];
  if (at4 === undefined) return undefined;
  if (machine.gpu) return at4 * gpuSpeedup;
  return (at4 * Math.max(1, machine.threads)) / 4;
}

/**
 * The Whisper model of the catalog that fits the machine: the most accurate size class that
 * runs at least {@link targetSpeed}× real time and whose memory fits (half the RAM on the CPU,
 * the GPU's free memory on a GPU), English-only when the language is English, the quantized file
 * for the big ones. When no size class is fast enough, the fastest that fits. undefined when the
 * catalog has no Whisper model the rules can rate.
 */
export function recommendWhisperModel(
  entries: readonly CatalogEntry[],
  machine: MachineFacts,
  language: string,
): ModelRecommendation | undefined {
  const memoryMb = machine.gpu ? machine.gpu.freeMb : machine.memoryMb * memoryShare;
  const english = language === 'en';
  const pick = (family: string): CatalogEntry | undefined => {
    const inFamily = entries.filter(
      (e) => e.kind === 'whisper' && e.family === family && (e.memoryMb ?? 0) <= memoryMb,
    );
    const matching = inFamily.filter((e) => e.languages.includes(english ? 'en' : 'multi'));
    const choices =
      matching.length > 0 ? matching : inFamily.filter((e) => e.languages.includes('multi'));
    const full = choices.find((e) => !e.quantization && e.sizeBytes <= fullPrecisionMaxBytes);
    return full ?? choices.toSorted((a, b) => a.sizeBytes - b.sizeBytes)[0];
  };
  const rated = families
    .map((family) => ({ family, entry: pick(family), speed: estimatedSpeed(family, machine) }))
    .filter(
      (r): r is { family: (typeof families)[number]; entry: CatalogEntry; speed: number } =>
        r.entry !== undefined && r.speed !== undefined,
    );
  const fastEnough = rated.filter((r) => r.speed >= targetSpeed);
  const chosen = fastEnough.at(-1) ?? rated[0];
  if (!chosen) return undefined;
  const biggerNeedsMemory = families.slice(families.indexOf(chosen.family) + 1).some((family) => {
    const speed = estimatedSpeed(family, machine) ?? 0;
    return speed >= targetSpeed && pick(family) === undefined;
  });
  return {
    id: chosen.entry.id,
    name: chosen.entry.name,
    reason: reasonLine(machine, chosen.entry.name, chosen.speed, biggerNeedsMemory),
    speedFactor: Math.round(chosen.speed * 10) / 10,
    machine: {
      cores: machine.cores,
      threads: machine.threads,
      memoryMb: machine.memoryMb,
      gpu: machine.gpu?.name ?? null,
    },
  };
}

function reasonLine(
  machine: MachineFacts,
  name: string,
  speed: number,
  memoryBound: boolean,
): string {
  const where = machine.gpu
    ? `${machine.gpu.name} (${formatGb(machine.gpu.freeMb)} free)`
    : `${machine.cores} ${machine.cores === 1 ? 'core' : 'cores'}, no GPU`;
  const times = speed >= 3 ? String(Math.round(speed)) : speed.toFixed(1);
  const hour = Math.max(1, Math.round(60 / speed));
  const pace =
    speed >= 1
      ? `transcribes about ${times}× faster than real time here (an hour of audio in about ${hour} min)`
      : `transcribes at about ${times}× real time here (slower than the audio plays)`;
  const memory = memoryBound
    ? `; a larger model would need more memory than the ${formatGb(machine.gpu ? machine.gpu.freeMb : machine.memoryMb)} here`
    : '';
  return `${where}: ${name} ${pace}${memory}.`;
}

function formatGb(mb: number): string {
  return `${Math.round((mb / 1024) * 10) / 10} GB`;
}
