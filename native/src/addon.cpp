// studio_whisper.node: a small N-API addon over the whisper.cpp C API.
//
// Exports: load, transcribe, free, detectSpeech, freeVadContexts, systemInfo, languages,
// loadBackends, dieWithParent (parent-death.cpp). The TypeScript wrapper
// (src-main/engine/whisper/addon.ts) validates every option first; this code only checks types.
//
// THREADS AND OWNERSHIP (house style 15)
//   * JS thread: every N-API call. It parses arguments, copies the caller's PCM into a
//     std::vector (the worker never reads JS memory), starts workers, delivers progress and
//     segments to JS, and settles promises. It never runs model loading or inference.
//   * libuv worker threads: LoadWorker::Execute (file check + whisper_init_*) and
//     TranscribeWorker::Execute (state, VAD, language detection, whisper_full_with_state). They
//     make no N-API calls; events reach the JS thread through the AsyncProgressQueueWorker queue
//     (a ThreadSafeFunction), which is drained before the promise settles. Each running load or
//     transcription occupies one libuv threadpool thread (UV_THREADPOOL_SIZE, default 4).
//   * whisper.cpp calls our progress / new-segment / encoder-begin / abort callbacks on the
//     worker thread that runs whisper_full_with_state. ggml's own threads never call our code.
//   * A Model (one whisper_context) is shared through std::shared_ptr. Owners: the JS handle
//     (until free() or GC) and every running transcription. whisper_free runs when the last owner
//     lets go, so free() during a transcription is safe: it is deferred until the call ends, and
//     the handle refuses new work at once (ERR_MODEL_FREED).
//   * Every transcription creates and frees its own whisper_state, so several transcriptions may
//     run at once on one model and on several models: whisper_full_with_state only reads the
//     context (whisper.cpp's own whisper_full_parallel relies on the same rule). The default state
//     of the context is never allocated (whisper_init_from_file_with_params_no_state) or used.
//   * Abort: each transcription owns a std::shared_ptr<std::atomic<bool>>, set by the JS abort
//     function and read by whisper's abort and encoder-begin callbacks on the worker thread.
//     whisper.cpp checks it between encoder/decoder steps only (not inside the mel spectrogram,
//     one encoder pass or VAD); the TypeScript wrapper therefore stops waiting 1 s after an abort
//     while the worker finishes its step, still owning everything it uses.
//   * Logging: one process-wide whisper/ggml log callback (installed once). It keeps error lines
//     in a thread_local buffer, read by the same worker thread to explain a failure, and prints
//     to stderr only when STUDIO_WHISPER_LOG=error|warn|info|debug asks for it. It never calls JS.
//   * detectSpeech (vad.cpp) runs Silero VAD alone on a libuv worker thread with a pooled
//     whisper_vad_context that only that detection uses while it runs; vad.cpp states its rules.
//   * Nothing here calls exit() or abort(); failures reject the promise with an Error whose
//     `code` says what failed. (ggml's own GGML_ASSERTs can still abort the process; loading
//     checks the file's structure first so a damaged model cannot reach them.)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "common.h"
#include "ggml-backend.h"

namespace studio {
namespace {

// Distinguishes our model handles from any other External (N-API 8 type tags).
constexpr napi_type_tag kModelHandleTag = {0x5f2b8c1a9d3e4f70ULL, 0x8a61c2d4e7f90b35ULL};

int g_log_print_level = GGML_LOG_LEVEL_NONE;  // written once before the callback is installed
thread_local std::string t_errors;
thread_local int t_last_level = GGML_LOG_LEVEL_NONE;
constexpr size_t kMaxKeptErrorChars = 2000;

void LogCallback(ggml_log_level level, const char* text, void* /*user_data*/) {
  if (text == nullptr) return;
  const int effective = level == GGML_LOG_LEVEL_CONT ? t_last_level : static_cast<int>(level);
  if (level != GGML_LOG_LEVEL_CONT) t_last_level = level;
  if (effective == GGML_LOG_LEVEL_ERROR) {
    t_errors += text;
    if (t_errors.size() > kMaxKeptErrorChars) {
      t_errors.erase(0, t_errors.size() - kMaxKeptErrorChars);
    }
  }
  if (g_log_print_level != GGML_LOG_LEVEL_NONE && effective >= g_log_print_level) {
    std::fputs(text, stderr);
  }
}

int LogLevelFromEnv() {
  const char* value = std::getenv("STUDIO_WHISPER_LOG");
  if (value == nullptr) return GGML_LOG_LEVEL_NONE;
  if (std::strcmp(value, "debug") == 0) return GGML_LOG_LEVEL_DEBUG;
  if (std::strcmp(value, "info") == 0) return GGML_LOG_LEVEL_INFO;
  if (std::strcmp(value, "warn") == 0) return GGML_LOG_LEVEL_WARN;
  if (std::strcmp(value, "error") == 0) return GGML_LOG_LEVEL_ERROR;
  return GGML_LOG_LEVEL_NONE;
}

std::once_flag g_log_once;
std::once_flag g_backends_once;

const char* DeviceTypeName(enum ggml_backend_dev_type type) {
  switch (type) {
    case GGML_BACKEND_DEVICE_TYPE_CPU: return "cpu";
    case GGML_BACKEND_DEVICE_TYPE_GPU: return "gpu";
    case GGML_BACKEND_DEVICE_TYPE_IGPU: return "igpu";
    case GGML_BACKEND_DEVICE_TYPE_ACCEL: return "accel";
    default: return "other";
  }
}

// systemInfo(): what this build of whisper.cpp/ggml can use, as ggml reports it. Cheap; JS thread.
Napi::Value SystemInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("whisperVersion", whisper_version());
  out.Set("features", whisper_print_system_info());
#ifdef STUDIO_BACKEND_DL
  out.Set("dynamicBackends", true);
#else
  out.Set("dynamicBackends", false);
#endif

  Napi::Array backends = Napi::Array::New(env);
  for (size_t i = 0; i < ggml_backend_reg_count(); ++i) {
    backends.Set(static_cast<uint32_t>(i), ggml_backend_reg_name(ggml_backend_reg_get(i)));
  }
  out.Set("backends", backends);

  Napi::Array devices = Napi::Array::New(env);
  for (size_t i = 0; i < ggml_backend_dev_count(); ++i) {
    ggml_backend_dev_t dev = ggml_backend_dev_get(i);
    ggml_backend_dev_props props = {};
    ggml_backend_dev_get_props(dev, &props);
    Napi::Object d = Napi::Object::New(env);
    d.Set("name", props.name != nullptr ? props.name : "");
    d.Set("description", props.description != nullptr ? props.description : "");
    d.Set("type", DeviceTypeName(props.type));
    d.Set("backend", ggml_backend_reg_name(ggml_backend_dev_backend_reg(dev)));
    d.Set("memoryFree", static_cast<double>(props.memory_free));
    d.Set("memoryTotal", static_cast<double>(props.memory_total));
    if (props.device_id != nullptr) d.Set("deviceId", props.device_id);
    devices.Set(static_cast<uint32_t>(i), d);
  }
  out.Set("devices", devices);
  return out;
}

// languages(): every language whisper.cpp knows, as { id, code, name }.
Napi::Value Languages(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  const int max_id = whisper_lang_max_id();
  for (int id = 0; id <= max_id; ++id) {
    Napi::Object lang = Napi::Object::New(env);
    lang.Set("id", id);
    lang.Set("code", whisper_lang_str(id));
    lang.Set("name", whisper_lang_str_full(id));
    out.Set(static_cast<uint32_t>(id), lang);
  }
  return out;
}

// loadBackends(dir): in a portable (dynamic-backend) build, loads the best CPU variant and any GPU
// backend library from `dir` (the .node's folder). A no-op in a static build. Once per process.
Napi::Value LoadBackends(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) {
    throw Napi::TypeError::New(env, "loadBackends(dir): dir must be a string");
  }
  const std::string dir = info[0].As<Napi::String>().Utf8Value();
#ifdef STUDIO_BACKEND_DL
  std::call_once(g_backends_once, [&dir] { ggml_backend_load_all_from_path(dir.c_str()); });
#else
  (void)dir;
#endif
  return Napi::Number::New(env, static_cast<double>(ggml_backend_dev_count()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  std::call_once(g_log_once, [] {
    g_log_print_level = LogLevelFromEnv();
    whisper_log_set(LogCallback, nullptr);
  });
  exports.Set("load", Napi::Function::New(env, Load, "load"));
  exports.Set("transcribe", Napi::Function::New(env, Transcribe, "transcribe"));
  exports.Set("free", Napi::Function::New(env, Free, "free"));
  exports.Set("detectSpeech", Napi::Function::New(env, DetectSpeech, "detectSpeech"));
  exports.Set("freeVadContexts", Napi::Function::New(env, FreeVadContexts, "freeVadContexts"));
  exports.Set("systemInfo", Napi::Function::New(env, SystemInfo, "systemInfo"));
  exports.Set("languages", Napi::Function::New(env, Languages, "languages"));
  exports.Set("loadBackends", Napi::Function::New(env, LoadBackends, "loadBackends"));
  exports.Set("dieWithParent", Napi::Function::New(env, DieWithParent, "dieWithParent"));
  return exports;
}

}  // namespace

Napi::Error MakeError(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

std::string TakeThreadErrors() {
  std::string out;
  out.swap(t_errors);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

Napi::Value WrapModel(Napi::Env env, std::shared_ptr<Model> model) {
  auto* handle = new ModelHandle{std::move(model)};
  // The finalizer runs on the JS thread when the handle is garbage-collected; dropping the
  // reference frees the model now or, if a transcription still holds it, when that one ends.
  auto external = Napi::External<ModelHandle>::New(
      env, handle, [](Napi::Env /*env*/, ModelHandle* h) { delete h; });
  external.TypeTag(&kModelHandleTag);
  return external;
}

ModelHandle* HandleFromValue(const Napi::Value& value) {
  if (!value.IsExternal() ||
      !value.As<Napi::External<ModelHandle>>().CheckTypeTag(&kModelHandleTag)) {
    throw Napi::TypeError::New(value.Env(), "expected a model handle returned by load()");
  }
  return value.As<Napi::External<ModelHandle>>().Data();
}

std::shared_ptr<Model> ModelFromHandle(const Napi::Value& value) {
  ModelHandle* handle = HandleFromValue(value);
  if (!handle->model) {
    throw MakeError(value.Env(), "ERR_MODEL_FREED",
                    "this model was freed; load it again to use it");
  }
  return handle->model;
}

}  // namespace studio

static Napi::Object InitStudioWhisper(Napi::Env env, Napi::Object exports) {
  return studio::Init(env, exports);
}

NODE_API_MODULE(studio_whisper, InitStudioWhisper)
