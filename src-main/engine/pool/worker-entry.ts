// Entry of a whisper worker process (Node child or Electron utility process).
import { lowerProcessPriority } from './background-priority';
import { nativeRuntime } from './native-runtime';
import { runWorker } from './worker-main';
import { currentProcessPort } from './worker-port';

lowerProcessPriority();
runWorker(nativeRuntime, currentProcessPort());
