// Entry of the diarization worker process (Node child or Electron utility process): sherpa-onnx,
// the fallback diarizer and the per-channel speakers (with the whisper addon's Silero VAD) run
// only here, where a native crash or a hard cancel costs this process, never the engine.
import { lowerProcessPriority } from '../../pool/background-priority';
import { exitWithParent } from '../../pool/parent-watch';
import { runWorker } from '../../pool/worker-main';
import { currentProcessPort } from '../../pool/worker-port';
import { speakerOps } from '../../speakers/speaker-ops';
import { sherpaRuntime } from './sherpa-runtime';

// Without the kernel's parent-death signal (that would load the whisper addon before it is
// needed): sherpa runs off the JS thread, and the fallback yields between audio pieces, so the
// closing IPC channel is noticed soon.
exitWithParent();
lowerProcessPriority();
runWorker(sherpaRuntime, currentProcessPort(), { ops: speakerOps });
