// Entry of a whisper worker process (Node child or Electron utility process).
import { dieWithParent } from '../whisper/addon';
import { lowerProcessPriority } from './background-priority';
import { nativeOps, nativeRuntime } from './native-runtime';
import { exitWithParent } from './parent-watch';
import { runWorker } from './worker-main';
import { currentProcessPort } from './worker-port';

// An addon that cannot load is not fatal here: the worker still starts, and every request gets
// NATIVE_ADDON_MISSING with what to do (the engine's system info shows it too).
const dieWithParentIfLoaded = () => {
  try {
    return dieWithParent();
  } catch {
    return false;
  }
};

exitWithParent({ dieWithParent: dieWithParentIfLoaded });
lowerProcessPriority();
runWorker(nativeRuntime, currentProcessPort(), { ops: nativeOps });
