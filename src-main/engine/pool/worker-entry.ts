// Entry of a whisper worker process (Node child or Electron utility process).
import { nativeRuntime } from './native-runtime';
import { runWorker } from './worker-main';
import { currentProcessPort } from './worker-port';

runWorker(nativeRuntime, currentProcessPort());
