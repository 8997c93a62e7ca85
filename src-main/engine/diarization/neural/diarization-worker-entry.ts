// Entry of the diarization worker process (Node child or Electron utility process): sherpa-onnx
// runs only here, where a native crash or a hard cancel costs this process, never the engine.
import { lowerProcessPriority } from '../../pool/background-priority';
import { exitWithParent } from '../../pool/parent-watch';
import { runWorker } from '../../pool/worker-main';
import { currentProcessPort } from '../../pool/worker-port';
import { sherpaRuntime } from './sherpa-runtime';

// Without the kernel's parent-death signal (that would load the whisper addon here too): sherpa
// runs off the JS thread, so the closing IPC channel is noticed at once.
exitWithParent();
lowerProcessPriority();
runWorker(sherpaRuntime, currentProcessPort());
