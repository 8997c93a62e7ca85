// Small helpers shared by the exported functions: reading option objects from JS (types only; the
// TypeScript layer validates ranges and meaning) and timing. JS thread only, except MsSince.
#pragma once

#include <napi.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <string>
#include <vector>

#include "common.h"
#include "whisper.h"

namespace studio {

// `undefined` and `null` both mean "not given": the fallback applies.
inline bool GetBool(const Napi::Object& o, const char* key, bool fallback) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsBoolean()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

inline double GetNumber(const Napi::Object& o, const char* key, double fallback) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

inline int GetInt(const Napi::Object& o, const char* key, int fallback) {
  const double d = GetNumber(o, key, fallback);
  if (!(d >= -2147483648.0 && d <= 2147483647.0)) {
    throw Napi::RangeError::New(o.Env(), std::string(key) + " is out of range");
  }
  return static_cast<int>(d);
}

inline std::string GetString(const Napi::Object& o, const char* key, const std::string& fallback) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsString()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

inline double MsSince(std::chrono::steady_clock::time_point start) {
  using Ms = std::chrono::duration<double, std::milli>;
  return Ms(std::chrono::steady_clock::now() - start).count();
}

// Silero VAD thresholds from an options object; absent fields keep whisper.cpp's defaults.
inline whisper_vad_params GetVadParams(const Napi::Object& o) {
  whisper_vad_params p = whisper_vad_default_params();
  p.threshold = static_cast<float>(GetNumber(o, "threshold", p.threshold));
  p.min_speech_duration_ms = GetInt(o, "minSpeechDurationMs", p.min_speech_duration_ms);
  p.min_silence_duration_ms = GetInt(o, "minSilenceDurationMs", p.min_silence_duration_ms);
  p.max_speech_duration_s = static_cast<float>(GetNumber(o, "maxSpeechDurationS", p.max_speech_duration_s));
  p.speech_pad_ms = GetInt(o, "speechPadMs", p.speech_pad_ms);
  p.samples_overlap = static_cast<float>(GetNumber(o, "samplesOverlap", p.samples_overlap));
  return p;
}

// A copy of 16 kHz mono samples given as a non-empty Float32Array, so the caller may reuse or
// transfer its buffer at once.
inline std::vector<float> CopyPcm(Napi::Env env, const Napi::Value& value) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(env, "pcm must be a Float32Array");
  }
  Napi::Float32Array pcm = value.As<Napi::Float32Array>();
  if (pcm.ElementLength() == 0) throw MakeError(env, "ERR_INVALID_ARG", "pcm is empty");
  if (pcm.ElementLength() > static_cast<size_t>(INT32_MAX)) {
    throw MakeError(env, "ERR_INVALID_ARG", "pcm is too long for whisper.cpp (over 2^31 samples)");
  }
  return std::vector<float>(pcm.Data(), pcm.Data() + pcm.ElementLength());
}

// How a native job (a transcription, a speech detection) ended, read on the JS thread once it
// has settled. The first failure is kept; an abort wins over any failure it caused, so a
// cancelled job always reads as cancelled.
struct JobOutcome {
  std::string error_code;
  std::string error_message;

  void Fail(const std::string& code, const std::string& message) {
    if (!error_code.empty()) return;
    error_code = code;
    error_message = message;
  }

  // True (with the abort recorded) when the caller has aborted the job described by `what`.
  bool StopIfAborted(const std::atomic<bool>& aborted, const char* what) {
    if (!aborted.load()) return false;
    error_code = "ERR_ABORTED";
    error_message = std::string("the ") + what + " was aborted";
    return true;
  }
};

}  // namespace studio
