// Small helpers shared by the exported functions: reading option objects from JS (types only; the
// TypeScript layer validates ranges and meaning) and timing. JS thread only, except MsSince.
#pragma once

#include <napi.h>

#include <chrono>
#include <string>

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

}  // namespace studio
