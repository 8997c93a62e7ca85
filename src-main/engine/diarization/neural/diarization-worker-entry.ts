// Entry of the diarization worker process (Node child or Electron utility process): sherpa-onnx
// runs only here, where a native crash or a hard cancel costs this process, never the engine.
import { lowerProcessPriority } from '../../pool/background-priority';
import { runWorker } from '../../pool/worker-main';
import { currentProcessPort } from '../../pool/worker-port';
import { sherpaRuntime } from './sherpa-runtime';

lowerProcessPriority();
runWorker(sherpaRuntime, currentProcessPort());
