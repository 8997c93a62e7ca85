// dieWithParent(): on Linux, asks the kernel to SIGKILL this process when its parent ends
// (prctl PR_SET_PDEATHSIG). A whisper or diarization worker calls it once at start, so that an
// engine killed with -9 does not leave its workers computing for nobody, even while a worker's
// JS thread is busy. Returns true when set; false on other systems (the worker then relies on
// its IPC channel closing, see src-main/engine/pool/parent-watch.ts).
//
// "Parent" is the thread that forked this process: Node forks workers from its main thread and
// Electron from a launcher thread that lives as long as the app, so both mean "the engine".
// JS thread only; no state.
#include <napi.h>

#if defined(__linux__)
#include <signal.h>
#include <sys/prctl.h>
#endif

namespace studio {

Napi::Value DieWithParent(const Napi::CallbackInfo& info) {
#if defined(__linux__)
  return Napi::Boolean::New(info.Env(), prctl(PR_SET_PDEATHSIG, SIGKILL) == 0);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

}  // namespace studio
