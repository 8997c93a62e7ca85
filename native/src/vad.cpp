// detectSpeech() and freeVadContexts(): voice activity detection on its own, with whisper.cpp's
// Silero VAD (the same whisper_vad_segments_from_samples call transcribe() makes, so both find
// the same speech in the same audio).
//
// THREADS AND OWNERSHIP (see addon.cpp for the addon-wide rules)
//   * DetectSpeech parses arguments and copies the PCM on the JS thread; VadWorker::Execute runs
//     on a libuv worker thread (no N-API there): it takes a whisper_vad_context from the pool,
//     runs the detection and gives the context back; OnOK / OnError settle the promise on the JS
//     thread.
//   * A whisper_vad_context holds the Silero LSTM state and a compute graph, so one context may
//     serve only one thread at a time. The pool below hands each running detection a context of
//     its own (taking an idle one, or loading a new one on the worker thread when none is idle),
//     so any number of detections may run at once. Loading costs a few ms for the 0.9 MB model.
//   * Pool key: model path + file size + modification time + thread count, so a replaced model
//     file is loaded afresh. The pool keeps at most kMaxIdlePerKey idle contexts per key and the
//     kMaxKeys most recently used keys; an evicted context is freed by the thread that evicts it.
//   * freeVadContexts() (JS thread) frees every idle context at once. A context that a running
//     detection holds is freed when that detection ends instead of being pooled (the generation
//     counter tells it that a release happened while it was out).
//   * The pool is a deliberately leaked heap object: nothing is freed during static destruction
//     at process exit, when ggml's backends may already be gone.
//   * Abort: a std::shared_ptr<std::atomic<bool>> set by the JS abort function, checked before
//     the model is loaded, before and after the detection. whisper.cpp cannot interrupt the
//     detection itself (whisper_vad_detect_speech runs every 32 ms frame to the end), so the
//     TypeScript wrapper stops waiting a grace period after an abort; the worker then finishes in
//     the background, holding only its own copy of the samples and its own context.
#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <list>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "args.h"
#include "common.h"

namespace studio {
namespace {

constexpr int kSampleRate = WHISPER_SAMPLE_RATE;
constexpr size_t kMaxIdlePerKey = 4;
constexpr size_t kMaxKeys = 4;

struct VadKey {
  std::string path;
  int64_t size = 0;
  int64_t mtime = 0;  // file clock ticks
  int threads = 1;
  bool operator==(const VadKey& o) const {
    return path == o.path && size == o.size && mtime == o.mtime && threads == o.threads;
  }
};

// Idle whisper_vad_contexts by key, most recently used key first. Every member is guarded by mu.
class VadPool {
 public:
  // A context for `key` owned by the caller until Return(): an idle one, else nullptr (the caller
  // then loads one). `generation` receives the pool generation to hand back to Return().
  whisper_vad_context* Take(const VadKey& key, uint64_t& generation, bool& reused) {
    std::lock_guard<std::mutex> lock(mu_);
    generation = generation_;
    reused = false;
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (!(it->key == key) || it->idle.empty()) continue;
      whisper_vad_context* ctx = it->idle.back();
      it->idle.pop_back();
      entries_.splice(entries_.begin(), entries_, it);  // most recently used first
      reused = true;
      return ctx;
    }
    return nullptr;
  }

  // Pools `ctx` for the next detection, or frees it when the pool was released since Take()
  // or is full. Frees evicted contexts outside the lock.
  void Return(const VadKey& key, whisper_vad_context* ctx, uint64_t generation) {
    std::vector<whisper_vad_context*> to_free;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (generation != generation_) {
        to_free.push_back(ctx);
      } else {
        auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&key](const Entry& e) { return e.key == key; });
        if (it == entries_.end()) {
          entries_.push_front(Entry{key, {}});
          it = entries_.begin();
        } else {
          entries_.splice(entries_.begin(), entries_, it);
        }
        if (it->idle.size() < kMaxIdlePerKey) {
          it->idle.push_back(ctx);
        } else {
          to_free.push_back(ctx);
        }
        // Drop keys of the same file and thread count that are stale (the file changed since),
        // then the least recently used keys beyond kMaxKeys.
        for (auto e = std::next(entries_.begin()); e != entries_.end();) {
          if (e->key.path == key.path && e->key.threads == key.threads) {
            to_free.insert(to_free.end(), e->idle.begin(), e->idle.end());
            e = entries_.erase(e);
          } else {
            ++e;
          }
        }
        while (entries_.size() > kMaxKeys) {
          Entry& oldest = entries_.back();
          to_free.insert(to_free.end(), oldest.idle.begin(), oldest.idle.end());
          entries_.pop_back();
        }
      }
    }
    for (whisper_vad_context* c : to_free) whisper_vad_free(c);
  }

  // Frees every idle context; contexts in use are freed when they come back. Returns how many
  // contexts were freed now.
  int Release() {
    std::vector<whisper_vad_context*> to_free;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++generation_;
      for (Entry& e : entries_) to_free.insert(to_free.end(), e.idle.begin(), e.idle.end());
      entries_.clear();
    }
    for (whisper_vad_context* c : to_free) whisper_vad_free(c);
    return static_cast<int>(to_free.size());
  }

 private:
  struct Entry {
    VadKey key;
    std::vector<whisper_vad_context*> idle;
  };
  std::mutex mu_;
  std::list<Entry> entries_;
  uint64_t generation_ = 0;
};

VadPool& Pool() {
  static VadPool* pool = new VadPool();  // leaked on purpose: see the header comment
  return *pool;
}

struct VadRequest {
  std::string model_path;
  int threads = 1;
  whisper_vad_params params = whisper_vad_default_params();
};

struct Region {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
};

// One detection, run by VadWorker::Execute on a libuv worker thread; OnOK reads the results on
// the JS thread after Execute has returned.
class Detection : public JobOutcome {
 public:
  Detection(std::vector<float> pcm, VadRequest request, std::shared_ptr<std::atomic<bool>> aborted)
      : pcm_(std::move(pcm)), request_(std::move(request)), aborted_(std::move(aborted)) {}

  // Worker thread. Never throws.
  void Run() {
    TakeThreadErrors();
    try {
      RunSteps();
    } catch (const std::exception& e) {
      Fail("ERR_VAD", std::string("whisper.cpp threw: ") + e.what());
    } catch (...) {
      Fail("ERR_VAD", "whisper.cpp threw an unknown C++ exception");
    }
  }

  // --- results ---
  std::vector<Region> regions;
  double load_ms = 0, vad_ms = 0;
  bool reused_context = false;

 private:
  bool CheckAborted() { return StopIfAborted(*aborted_, "speech detection"); }

  void RunSteps() {
    if (CheckAborted()) return;
    // Size and modification time tell a replaced model file from the pooled one.
    namespace fs = std::filesystem;
    const fs::path file = fs::u8path(request_.model_path);
    std::error_code size_ec, time_ec;
    const auto size = fs::file_size(file, size_ec);
    const auto mtime = fs::last_write_time(file, time_ec);
    if (size_ec || time_ec) {
      Fail("ERR_VAD_MODEL", "the VAD model file does not exist or cannot be read: " +
                                request_.model_path);
      return;
    }
    VadKey key;
    key.path = request_.model_path;
    key.size = static_cast<int64_t>(size);
    key.mtime = static_cast<int64_t>(mtime.time_since_epoch().count());
    key.threads = request_.threads;

    uint64_t generation = 0;
    auto t = std::chrono::steady_clock::now();
    whisper_vad_context* vctx = Pool().Take(key, generation, reused_context);
    if (vctx == nullptr) {
      whisper_vad_context_params vcp = whisper_vad_default_context_params();
      vcp.n_threads = request_.threads;
      vcp.use_gpu = false;  // a 32 ms frame per graph: a GPU round trip costs more than it saves
      vctx = whisper_vad_init_from_file_with_params(request_.model_path.c_str(), vcp);
      if (vctx == nullptr) {
        const std::string log = TakeThreadErrors();
        Fail("ERR_VAD_MODEL", "the VAD model could not be loaded from " + request_.model_path +
                                  (log.empty() ? "" : ": " + log));
        return;
      }
    }
    load_ms = MsSince(t);

    if (!CheckAborted()) {
      t = std::chrono::steady_clock::now();
      whisper_vad_segments* found = whisper_vad_segments_from_samples(
          vctx, request_.params, pcm_.data(), static_cast<int>(pcm_.size()));
      vad_ms = MsSince(t);
      if (found == nullptr) {
        const std::string log = TakeThreadErrors();
        Fail("ERR_VAD", "voice activity detection failed" + (log.empty() ? "" : ": " + log));
      } else {
        // whisper.cpp pads the audio to whole 32 ms frames, so the last region may end past the
        // audio: clamp it. Times arrive in centiseconds.
        const int64_t audio_ms = static_cast<int64_t>(pcm_.size()) * 1000 / kSampleRate;
        const int n = whisper_vad_segments_n_segments(found);
        regions.reserve(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
          Region r;
          r.start_ms = std::min<int64_t>(
              static_cast<int64_t>(whisper_vad_segments_get_segment_t0(found, i)) * 10, audio_ms);
          r.end_ms = std::min<int64_t>(
              static_cast<int64_t>(whisper_vad_segments_get_segment_t1(found, i)) * 10, audio_ms);
          if (r.end_ms > r.start_ms) regions.push_back(r);
        }
        whisper_vad_free_segments(found);
        CheckAborted();
      }
    }
    Pool().Return(key, vctx, generation);
  }

  const std::vector<float> pcm_;
  const VadRequest request_;
  const std::shared_ptr<std::atomic<bool>> aborted_;
};

class VadWorker : public Napi::AsyncWorker {
 public:
  VadWorker(Napi::Env env, std::shared_ptr<Detection> job)
      : Napi::AsyncWorker(env, "studio_whisper.detectSpeech"),
        deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override { job_->Run(); }

  void OnOK() override {
    Napi::Env env = Env();
    const Detection& r = *job_;  // Execute has returned
    if (!r.error_code.empty()) {
      deferred_.Reject(MakeError(env, r.error_code, r.error_message).Value());
      return;
    }
    Napi::Object out = Napi::Object::New(env);
    Napi::Array regions = Napi::Array::New(env, r.regions.size());
    for (size_t i = 0; i < r.regions.size(); ++i) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("startMs", static_cast<double>(r.regions[i].start_ms));
      o.Set("endMs", static_cast<double>(r.regions[i].end_ms));
      regions.Set(static_cast<uint32_t>(i), o);
    }
    out.Set("regions", regions);
    Napi::Object timings = Napi::Object::New(env);
    timings.Set("loadMs", r.load_ms);
    timings.Set("vadMs", r.vad_ms);
    out.Set("timings", timings);
    out.Set("reusedContext", r.reused_context);
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<Detection> job_;
};

// --- argument parsing (types only: the TypeScript layer validates ranges and meaning) ---

VadRequest ParseRequest(Napi::Env env, const Napi::Object& o) {
  VadRequest r;
  Napi::Value path = o.Get("modelPath");
  if (!path.IsString() || path.As<Napi::String>().Utf8Value().empty()) {
    throw Napi::TypeError::New(env, "modelPath must be a non-empty string");
  }
  r.model_path = path.As<Napi::String>().Utf8Value();
  r.threads = GetInt(o, "threads", 1);
  if (r.threads < 1) throw Napi::RangeError::New(env, "threads must be at least 1");
  r.params = GetVadParams(o);
  return r;
}

}  // namespace

// detectSpeech(pcm: Float32Array, params: object) -> { promise: Promise<Result>, abort(): void }
// The PCM (16 kHz mono) is copied, so the caller may reuse or transfer its buffer at once.
Napi::Value DetectSpeech(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<float> samples = CopyPcm(env, info[0]);
  if (!info[1].IsObject()) throw Napi::TypeError::New(env, "params must be an object");
  VadRequest request = ParseRequest(env, info[1].As<Napi::Object>());

  auto aborted = std::make_shared<std::atomic<bool>>(false);
  auto job = std::make_shared<Detection>(std::move(samples), std::move(request), aborted);
  auto* worker = new VadWorker(env, std::move(job));
  Napi::Object out = Napi::Object::New(env);
  out.Set("promise", worker->Promise());
  auto abort = [aborted](const Napi::CallbackInfo&) { aborted->store(true); };
  out.Set("abort", Napi::Function::New(env, abort, "abort"));
  worker->Queue();
  return out;
}

// freeVadContexts() -> number: frees every idle pooled VAD context (JS thread; cheap).
Napi::Value FreeVadContexts(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Pool().Release());
}

}  // namespace studio
