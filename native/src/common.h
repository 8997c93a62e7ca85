// Shared declarations of studio_whisper.node. The thread and ownership rules for the whole
// addon are written down at the top of addon.cpp; read them before changing anything here.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "whisper.h"

namespace studio {

// A loaded model: one whisper_context, shared by every transcription that uses it. Created on a
// worker thread by LoadWorker, destroyed (whisper_free) by whichever thread drops the last
// std::shared_ptr: the JS handle's reference is dropped by free() or by GC, and each running
// transcription holds its own reference until it has finished.
struct Model {
  whisper_context* ctx = nullptr;
  std::string path;
  bool multilingual = false;
  bool hasWeights = false;  // false for whisper.cpp's "empty model for testing" files

  Model() = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model() {
    if (ctx != nullptr) whisper_free(ctx);
  }
};

// What the JS handle (a type-tagged Napi::External) points to. Only the JS thread touches it.
struct ModelHandle {
  std::shared_ptr<Model> model;  // empty after free()
};

// Rejects/throws with an Error whose `code` property is set (e.g. "ERR_MODEL_FREED").
Napi::Error MakeError(Napi::Env env, const std::string& code, const std::string& message);

// A new type-tagged handle (Napi::External) that owns one reference to `model`.
Napi::Value WrapModel(Napi::Env env, std::shared_ptr<Model> model);

// The handle behind a value, or a thrown TypeError when it is not one of ours.
ModelHandle* HandleFromValue(const Napi::Value& value);

// The model behind a handle, or a thrown TypeError / Error(ERR_MODEL_FREED).
std::shared_ptr<Model> ModelFromHandle(const Napi::Value& value);

// Error-level log lines whisper.cpp / ggml wrote on the calling thread since the last call to
// this function (the log callback keeps them per thread). Used to explain a failure.
std::string TakeThreadErrors();

// Exported functions, defined in model.cpp, transcribe.cpp, vad.cpp and parent-death.cpp.
Napi::Value Load(const Napi::CallbackInfo& info);
Napi::Value Free(const Napi::CallbackInfo& info);
Napi::Value Transcribe(const Napi::CallbackInfo& info);
Napi::Value DetectSpeech(const Napi::CallbackInfo& info);
Napi::Value FreeVadContexts(const Napi::CallbackInfo& info);
Napi::Value DieWithParent(const Napi::CallbackInfo& info);

}  // namespace studio
