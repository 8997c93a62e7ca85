// Entry of a whisper worker process (Node child or Electron utility process).
import { dieWithParent } from '../whisper/addon';
import { lowerProcessPriority } from './background-priority';
import { nativeRuntime } from './native-runtime';
import { exitWithParent } from './parent-watch';
import { runWorker } from './worker-main';
import { currentProcessPort } from './worker-port';

exitWithParent({ dieWithParent });
lowerProcessPriority();
runWorker(nativeRuntime, currentProcessPort());
