// transcribe(). Threads: Transcribe parses arguments and copies the PCM on the JS thread;
// TranscribeWorker::Execute runs VAD, language detection and whisper_full_with_state on a libuv
// worker thread with a whisper_state of its own (the Transcription below); OnProgress and OnOK
// run on the JS thread. The worker holds a reference to the Model until Execute ends. See
// addon.cpp for the full rules.
//
// Times in results are integer milliseconds (whisper.cpp's resolution is 10 ms).
#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "args.h"
#include "common.h"

namespace studio {
namespace {

constexpr int kSampleRate = WHISPER_SAMPLE_RATE;

struct VadOptions {
  bool enabled = false;
  std::string model_path;
  whisper_vad_params params = whisper_vad_default_params();
};

struct Options {
  whisper_sampling_strategy strategy = WHISPER_SAMPLING_GREEDY;
  int threads = 0;
  int best_of = 5;
  int beam_size = 5;
  int offset_ms = 0;
  int duration_ms = 0;
  bool translate = false;
  bool no_context = true;
  bool no_timestamps = false;
  bool single_segment = false;
  bool token_timestamps = false;
  float thold_pt = 0.01f;
  int max_len = 0;
  bool split_on_word = false;
  int max_tokens = 0;
  int audio_ctx = 0;
  std::string initial_prompt;
  bool carry_initial_prompt = false;
  std::string language = "en";
  bool suppress_blank = true;
  bool suppress_nst = false;
  float temperature = 0.0f;
  float temperature_inc = 0.2f;
  float entropy_thold = 2.4f;
  float logprob_thold = -1.0f;
  float no_speech_thold = 0.6f;
  VadOptions vad;
};

struct Token {
  int id = 0;
  std::string text;
  float p = 0.0f;
  float plog = 0.0f;
  int64_t t0 = -1, t1 = -1, t_dtw = -1;  // ms, -1 when not computed
  bool special = false;
};

struct Segment {
  int index = 0;
  int64_t t0 = 0, t1 = 0;  // ms
  std::string text;
  float no_speech_prob = 0.0f;
  std::vector<Token> tokens;
};

// One item of the progress queue: a progress value (0..100) or a finished segment.
struct Event {
  int progress = -1;
  bool has_segment = false;
  Segment segment;
};

// Maps times in the VAD-filtered audio (centiseconds) back to the original audio, by linear
// interpolation between the points where speech segments and inserted gaps start and end.
class TimeMap {
 public:
  void Add(int64_t processed, int64_t original) { points_.emplace_back(processed, original); }
  void Finish() {
    std::stable_sort(points_.begin(), points_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    points_.erase(std::unique(points_.begin(), points_.end(),
                              [](const auto& a, const auto& b) { return a.first == b.first; }),
                  points_.end());
  }
  int64_t operator()(int64_t t) const {
    if (points_.empty()) return t;
    if (t <= points_.front().first) return points_.front().second;
    if (t >= points_.back().first) return points_.back().second;
    auto hi = std::lower_bound(points_.begin(), points_.end(), t,
                               [](const auto& p, int64_t v) { return p.first < v; });
    if (hi->first == t) return hi->second;
    auto lo = hi - 1;
    const int64_t span = hi->first - lo->first;
    if (span == 0) return lo->second;
    return lo->second + (t - lo->first) * (hi->second - lo->second) / span;
  }

 private:
  std::vector<std::pair<int64_t, int64_t>> points_;
};

int CsToSamples(int64_t cs) { return static_cast<int>((cs / 100.0) * kSampleRate + 0.5); }
int64_t SamplesToCs(int samples) {
  return static_cast<int64_t>((samples / static_cast<double>(kSampleRate)) * 100.0 + 0.5);
}

// Length of the longest prefix of `s` that does not end inside an unfinished UTF-8 sequence.
size_t CompleteUtf8Prefix(const std::string& s) {
  const size_t n = s.size();
  for (size_t back = 1; back <= 4 && back <= n; ++back) {
    const auto c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead byte
    size_t need = 1;
    if ((c & 0xE0) == 0xC0) need = 2;
    else if ((c & 0xF0) == 0xE0) need = 3;
    else if ((c & 0xF8) == 0xF0) need = 4;
    return back < need ? n - back : n;
  }
  return n;
}

// whisper.cpp tokenizes an initial prompt with std::regex, whose matcher recurses once per
// character of a word, and then finds each word's tokens by trying every substring of it. A
// 40,000-letter word overflowed the worker thread's stack (SIGSEGV: the whole worker process
// gone) and 20,000 letters took over a minute. Whisper uses only the last n_text_ctx/2 = 224
// tokens of a prompt, so the addon tokenizes only the prompt's last kPromptTailBytes, in pieces
// of at most kPromptPieceBytes: cut where whisper.cpp's own pattern splits words (before the
// space that begins a word), or inside a longer run at a UTF-8 character boundary. whisper.cpp
// then gets the tokens instead of the text. The TypeScript side cuts prompts to the budget before
// they get here (src-main/engine/whisper/prompt.ts); this keeps a caller that skips that cut
// from crashing or stalling the worker.
constexpr size_t kPromptTailBytes = 8192;
constexpr size_t kPromptPieceBytes = 64;

// std::regex's \s in the "C" locale.
bool IsPromptSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::vector<whisper_token> TokenizePrompt(whisper_context* ctx, const std::string& prompt) {
  const size_t n = prompt.size();
  size_t begin = n > kPromptTailBytes ? n - kPromptTailBytes : 0;
  while (begin < n && IsUtf8Continuation(prompt[begin])) ++begin;
  std::vector<whisper_token> tokens;
  std::vector<whisper_token> buffer;
  size_t piece = begin;     // where the piece being gathered starts
  size_t boundary = begin;  // the last word start after `piece` (the space in front of a word)
  auto emit = [&](size_t end) {
    if (end <= piece) return;
    const std::string text = prompt.substr(piece, end - piece);
    buffer.resize(text.size() + 1);  // a token is at least one byte
    const int got =
        whisper_tokenize(ctx, text.c_str(), buffer.data(), static_cast<int>(buffer.size()));
    if (got > 0) tokens.insert(tokens.end(), buffer.begin(), buffer.begin() + got);
    piece = end;
  };
  for (size_t i = begin + 1; i < n; ++i) {
    if (i - piece >= kPromptPieceBytes) {
      if (boundary > piece) {
        emit(boundary);
      } else if (!IsUtf8Continuation(prompt[i])) {
        emit(i);
      }
    }
    if (IsPromptSpace(prompt[i]) && i + 1 < n && !IsPromptSpace(prompt[i + 1])) boundary = i;
  }
  emit(n);
  return tokens;
}

using Worker = Napi::AsyncProgressQueueWorker<Event>;

// One transcription's native work, run by TranscribeWorker::Execute on a libuv worker thread.
// whisper.cpp calls the callbacks set up in RunSteps on that same thread. The fields under
// "results" are read by OnOK on the JS thread after Execute has returned.
class Transcription : public JobOutcome {
 public:
  Transcription(std::shared_ptr<Model> model, std::vector<float> pcm, Options options,
                std::shared_ptr<std::atomic<bool>> aborted)
      : model_(std::move(model)),
        pcm_(std::move(pcm)),
        options_(std::move(options)),
        aborted_(std::move(aborted)) {}

  // Worker thread. Never throws. Events go to `sink` while it runs.
  void Run(const Worker::ExecutionProgress& sink) {
    sink_ = &sink;
    TakeThreadErrors();
    try {
      RunSteps();
    } catch (const std::exception& e) {
      Fail("ERR_TRANSCRIBE", std::string("whisper.cpp threw: ") + e.what());
    } catch (...) {
      Fail("ERR_TRANSCRIBE", "whisper.cpp threw an unknown C++ exception");
    }
    if (state_ != nullptr) whisper_free_state(state_);
    state_ = nullptr;
    sink_ = nullptr;
    // Let go of the model on this thread: if free() was called meanwhile, the whisper_context
    // is released here rather than on the JS thread.
    model_.reset();
  }

  // --- results ---
  std::vector<Segment> segments;
  std::string language;
  double language_prob = -1.0;
  double state_ms = 0, vad_ms = 0, language_ms = 0, whisper_ms = 0;
  int64_t speech_samples = 0;

 private:
  bool CheckAborted() { return StopIfAborted(*aborted_, "transcription"); }

  void Send(Event e) {
    if (sink_ != nullptr) sink_->Send(&e, 1);
  }

  void RunSteps() {
    if (CheckAborted()) return;
    whisper_context* ctx = model_->ctx;

    auto t = std::chrono::steady_clock::now();
    state_ = whisper_init_state(ctx);
    state_ms = MsSince(t);
    if (state_ == nullptr) {
      const std::string log = TakeThreadErrors();
      Fail("ERR_TRANSCRIBE",
           "whisper_init_state failed (out of memory?)" + (log.empty() ? "" : ": " + log));
      return;
    }
    if (CheckAborted()) return;

    const float* samples = pcm_.data();
    int n_samples = static_cast<int>(pcm_.size());
    if (options_.vad.enabled) {
      t = std::chrono::steady_clock::now();
      const bool ok = RunVad();
      vad_ms = MsSince(t);
      if (!ok || CheckAborted()) return;
      if (filtered_.empty()) {  // no speech at all: an empty, successful result
        if (options_.language != "auto" || !model_->multilingual) {
          language = model_->multilingual ? options_.language : "en";
        }
        Send(Event{100, false, {}});
        return;
      }
      samples = filtered_.data();
      n_samples = static_cast<int>(filtered_.size());
    }
    speech_samples = n_samples;

    std::string lang = options_.language;
    if (!model_->multilingual) {
      lang = "en";  // English-only models have no language tokens
    } else if (lang == "auto") {
      t = std::chrono::steady_clock::now();
      const bool ok = DetectLanguage(samples, n_samples, lang);
      language_ms = MsSince(t);
      if (!ok || CheckAborted()) return;
    }
    language = lang;

    whisper_full_params wp = whisper_full_default_params(options_.strategy);
    wp.n_threads = options_.threads;
    wp.offset_ms = options_.offset_ms;
    wp.duration_ms = options_.duration_ms;
    wp.translate = options_.translate;
    wp.no_context = options_.no_context;
    wp.no_timestamps = options_.no_timestamps;
    wp.single_segment = options_.single_segment;
    wp.print_special = false;
    wp.print_progress = false;
    wp.print_realtime = false;
    wp.print_timestamps = false;
    wp.token_timestamps = options_.token_timestamps;
    wp.thold_pt = options_.thold_pt;
    wp.max_len = options_.max_len;
    wp.split_on_word = options_.split_on_word;
    wp.max_tokens = options_.max_tokens;
    wp.audio_ctx = options_.audio_ctx;
    // Tokens instead of the text: see TokenizePrompt. Same effect, bounded work.
    const std::vector<whisper_token> prompt = TokenizePrompt(ctx, options_.initial_prompt);
    wp.initial_prompt = nullptr;
    wp.prompt_tokens = prompt.empty() ? nullptr : prompt.data();
    wp.prompt_n_tokens = static_cast<int>(prompt.size());
    wp.carry_initial_prompt = options_.carry_initial_prompt;
    wp.language = language.c_str();
    wp.detect_language = false;
    wp.suppress_blank = options_.suppress_blank;
    wp.suppress_nst = options_.suppress_nst;
    wp.temperature = options_.temperature;
    wp.temperature_inc = options_.temperature_inc;
    wp.entropy_thold = options_.entropy_thold;
    wp.logprob_thold = options_.logprob_thold;
    wp.no_speech_thold = options_.no_speech_thold;
    wp.greedy.best_of = options_.best_of;
    wp.beam_search.beam_size = options_.beam_size;
    wp.vad = false;  // done above, with this call's own state

    // whisper.cpp calls these on this (the worker) thread.
    wp.progress_callback = [](whisper_context*, whisper_state*, int value, void* self) {
      static_cast<Transcription*>(self)->OnWhisperProgress(value);
    };
    wp.progress_callback_user_data = this;
    wp.new_segment_callback = [](whisper_context*, whisper_state*, int, void* self) {
      static_cast<Transcription*>(self)->EmitNewSegments();
    };
    wp.new_segment_callback_user_data = this;
    wp.encoder_begin_callback = [](whisper_context*, whisper_state*, void* self) {
      return !static_cast<Transcription*>(self)->aborted_->load();
    };
    wp.encoder_begin_callback_user_data = this;
    wp.abort_callback = [](void* self) {
      return static_cast<Transcription*>(self)->aborted_->load();
    };
    wp.abort_callback_user_data = this;

    t = std::chrono::steady_clock::now();
    const int rc = whisper_full_with_state(ctx, state_, wp, samples, n_samples);
    whisper_ms = MsSince(t);
    // An abort can make whisper.cpp stop early and still return 0: check the flag first.
    if (CheckAborted()) return;
    if (rc != 0) {
      const std::string log = TakeThreadErrors();
      Fail("ERR_TRANSCRIBE", "whisper_full_with_state failed with code " + std::to_string(rc) +
                                 (log.empty() ? "" : ": " + log));
      return;
    }
    EmitNewSegments();  // segments whisper.cpp did not announce (e.g. with DTW)
    const int n = whisper_full_n_segments_from_state(state_);
    segments.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) segments.push_back(ReadSegment(i));
    Send(Event{100, false, {}});
  }

  // Speech detection with whisper.cpp's Silero VAD, then the speech joined the way whisper_full
  // does it (whisper_full_with_state has no VAD step): each segment plus `samples_overlap`
  // seconds, 0.1 s of silence between segments. Times are mapped back through time_map_.
  // One thread: the graph per 32 ms frame is tiny, and more threads measured several times
  // slower here with identical output.
  bool RunVad() {
    whisper_vad_context_params vcp = whisper_vad_default_context_params();
    vcp.n_threads = 1;
    vcp.use_gpu = false;
    whisper_vad_context* vctx =
        whisper_vad_init_from_file_with_params(options_.vad.model_path.c_str(), vcp);
    if (vctx == nullptr) {
      const std::string log = TakeThreadErrors();
      Fail("ERR_VAD_MODEL", "the VAD model could not be loaded from " + options_.vad.model_path +
                                (log.empty() ? "" : ": " + log));
      return false;
    }
    whisper_vad_segments* found = whisper_vad_segments_from_samples(
        vctx, options_.vad.params, pcm_.data(), static_cast<int>(pcm_.size()));
    whisper_vad_free(vctx);
    if (found == nullptr) {
      const std::string log = TakeThreadErrors();
      Fail("ERR_TRANSCRIBE", "voice activity detection failed" + (log.empty() ? "" : ": " + log));
      return false;
    }
    const int n_seg = whisper_vad_segments_n_segments(found);
    std::vector<std::pair<int64_t, int64_t>> spans;  // centiseconds in the original audio
    for (int i = 0; i < n_seg; ++i) {
      spans.emplace_back(static_cast<int64_t>(whisper_vad_segments_get_segment_t0(found, i)),
                         static_cast<int64_t>(whisper_vad_segments_get_segment_t1(found, i)));
    }
    whisper_vad_free_segments(found);
    if (spans.empty()) return true;

    const int n = static_cast<int>(pcm_.size());
    const int overlap = static_cast<int>(options_.vad.params.samples_overlap * kSampleRate);
    const int gap = static_cast<int>(0.1 * kSampleRate);
    // Size the buffer exactly as whisper_full does, so both feed the decoder the same samples.
    int64_t total = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
      int end = CsToSamples(spans[i].second);
      if (i + 1 < spans.size()) end += overlap;
      end = std::min(end, n - 1);
      total += end - CsToSamples(spans[i].first);
    }
    total += static_cast<int64_t>(spans.size() - 1) * gap;
    filtered_.assign(static_cast<size_t>(std::max<int64_t>(total, 0)), 0.0f);

    int offset = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
      const bool last = i + 1 == spans.size();
      const int start = std::min(CsToSamples(spans[i].first), n - 1);
      int end = std::min(CsToSamples(spans[i].second), n - 1);
      const int speech_len = end - start;
      if (!last) end = std::min(end + overlap, n - 1);
      const int len = end - start;
      if (len <= 0) continue;
      if (offset + len > static_cast<int>(filtered_.size())) filtered_.resize(offset + len, 0.0f);
      time_map_.Add(SamplesToCs(offset), spans[i].first);
      time_map_.Add(SamplesToCs(offset + speech_len), spans[i].second);
      std::memcpy(filtered_.data() + offset, pcm_.data() + start,
                  static_cast<size_t>(len) * sizeof(float));
      offset += len;
      if (!last) {
        time_map_.Add(SamplesToCs(offset), spans[i].second);
        time_map_.Add(SamplesToCs(offset + gap), spans[i + 1].first);
        if (offset + gap > static_cast<int>(filtered_.size())) filtered_.resize(offset + gap, 0.0f);
        offset += gap;  // already zero
      }
    }
    time_map_.Finish();
    has_time_map_ = true;
    return true;
  }

  // Language identification on the first 30 s, as whisper_full does for language "auto", but
  // keeping the probability it computes. Costs one extra mel spectrogram.
  bool DetectLanguage(const float* samples, int n_samples, std::string& out) {
    whisper_context* ctx = model_->ctx;
    if (whisper_pcm_to_mel_with_state(ctx, state_, samples, n_samples, options_.threads) != 0) {
      Fail("ERR_TRANSCRIBE", "whisper_pcm_to_mel_with_state failed: " + TakeThreadErrors());
      return false;
    }
    std::vector<float> probs(static_cast<size_t>(whisper_lang_max_id() + 1), 0.0f);
    const int id =
        whisper_lang_auto_detect_with_state(ctx, state_, 0, options_.threads, probs.data());
    if (id < 0) {
      const std::string log = TakeThreadErrors();
      Fail("ERR_TRANSCRIBE", "language detection failed with code " + std::to_string(id) +
                                 (log.empty() ? "" : ": " + log));
      return false;
    }
    out = whisper_lang_str(id);
    language_prob = probs[static_cast<size_t>(id)];
    return true;
  }

  void OnWhisperProgress(int value) {
    value = std::max(0, std::min(value, 99));  // 100 is sent once everything is done
    if (value <= last_progress_) return;
    last_progress_ = value;
    Send(Event{value, false, {}});
  }

  // Sends every segment not sent yet. Called by whisper.cpp after new segments appear and once
  // at the end; whisper's count argument is not relied upon (it is wrong with DTW).
  void EmitNewSegments() {
    const int n = whisper_full_n_segments_from_state(state_);
    for (; emitted_ < n; ++emitted_) {
      Event e;
      e.has_segment = true;
      e.segment = ReadSegment(emitted_);
      Send(std::move(e));
    }
  }

  int64_t MapMs(int64_t cs) const { return (has_time_map_ ? time_map_(cs) : cs) * 10; }

  Segment ReadSegment(int i) {
    whisper_context* ctx = model_->ctx;
    Segment s;
    s.index = i;
    s.t0 = MapMs(whisper_full_get_segment_t0_from_state(state_, i));
    s.t1 = MapMs(whisper_full_get_segment_t1_from_state(state_, i));
    const char* text = whisper_full_get_segment_text_from_state(state_, i);
    s.text = text != nullptr ? text : "";
    s.no_speech_prob = whisper_full_get_segment_no_speech_prob_from_state(state_, i);
    const whisper_token eot = whisper_token_eot(ctx);
    const int n_tokens = whisper_full_n_tokens_from_state(state_, i);
    s.tokens.reserve(static_cast<size_t>(n_tokens));
    // Byte-level BPE can split one UTF-8 character over several tokens: carry the unfinished
    // bytes forward so every token's text is valid UTF-8 and the texts still join to the whole.
    std::string pending;
    size_t last_text_token = SIZE_MAX;
    for (int j = 0; j < n_tokens; ++j) {
      const whisper_token_data d = whisper_full_get_token_data_from_state(state_, i, j);
      const char* raw = whisper_full_get_token_text_from_state(ctx, state_, i, j);
      Token tok;
      tok.id = d.id;
      tok.p = d.p;
      tok.plog = d.plog;
      tok.special = d.id >= eot;
      if (options_.token_timestamps && d.t0 >= 0) tok.t0 = MapMs(d.t0);
      if (options_.token_timestamps && d.t1 >= 0) tok.t1 = MapMs(d.t1);
      if (d.t_dtw >= 0) tok.t_dtw = MapMs(d.t_dtw);
      if (tok.special) {
        tok.text = raw != nullptr ? raw : "";
      } else {
        pending += raw != nullptr ? raw : "";
        const size_t keep = CompleteUtf8Prefix(pending);
        tok.text = pending.substr(0, keep);
        pending.erase(0, keep);
        last_text_token = s.tokens.size();
      }
      s.tokens.push_back(std::move(tok));
    }
    if (!pending.empty() && last_text_token != SIZE_MAX) s.tokens[last_text_token].text += pending;
    return s;
  }

  std::shared_ptr<Model> model_;
  const std::vector<float> pcm_;
  const Options options_;
  const std::shared_ptr<std::atomic<bool>> aborted_;

  // Worker-thread state.
  whisper_state* state_ = nullptr;
  std::vector<float> filtered_;
  TimeMap time_map_;
  bool has_time_map_ = false;
  int last_progress_ = -1;
  int emitted_ = 0;

  const Worker::ExecutionProgress* sink_ = nullptr;  // set only while Run() runs
};

Napi::Object SegmentToJs(Napi::Env env, const Segment& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("index", s.index);
  o.Set("t0", static_cast<double>(s.t0));
  o.Set("t1", static_cast<double>(s.t1));
  o.Set("text", s.text);
  o.Set("noSpeechProb", s.no_speech_prob);
  Napi::Array tokens = Napi::Array::New(env, s.tokens.size());
  for (size_t j = 0; j < s.tokens.size(); ++j) {
    const Token& t = s.tokens[j];
    Napi::Object to = Napi::Object::New(env);
    to.Set("id", t.id);
    to.Set("text", t.text);
    to.Set("p", t.p);
    to.Set("plog", t.plog);
    to.Set("t0", t.t0 < 0 ? env.Null() : Napi::Number::New(env, static_cast<double>(t.t0)));
    to.Set("t1", t.t1 < 0 ? env.Null() : Napi::Number::New(env, static_cast<double>(t.t1)));
    to.Set("tDtw", t.t_dtw < 0 ? env.Null() : Napi::Number::New(env, static_cast<double>(t.t_dtw)));
    to.Set("special", t.special);
    tokens.Set(static_cast<uint32_t>(j), to);
  }
  o.Set("tokens", tokens);
  return o;
}

// The N-API side of a transcription: Execute runs it on a libuv worker thread; OnProgress /
// OnOK / OnError run on the JS thread.
class TranscribeWorker : public Worker {
 public:
  TranscribeWorker(Napi::Env env, std::shared_ptr<Transcription> job, Napi::Function on_progress,
                   Napi::Function on_segment)
      : Worker(env, "studio_whisper.transcribe"),
        deferred_(Napi::Promise::Deferred::New(env)),
        job_(std::move(job)) {
    if (!on_progress.IsEmpty()) on_progress_ = Napi::Persistent(on_progress);
    if (!on_segment.IsEmpty()) on_segment_ = Napi::Persistent(on_segment);
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute(const ExecutionProgress& progress) override { job_->Run(progress); }

  void OnProgress(const Event* events, size_t count) override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    for (size_t i = 0; i < count; ++i) {
      const Event& e = events[i];
      try {
        if (e.has_segment) {
          if (!on_segment_.IsEmpty()) on_segment_.Call({SegmentToJs(env, e.segment)});
        } else if (!on_progress_.IsEmpty()) {
          on_progress_.Call({Napi::Number::New(env, e.progress)});
        }
      } catch (const Napi::Error&) {
        // A throwing callback must not take the transcription down; the TypeScript wrapper
        // catches its callbacks' errors itself and aborts the job if it wants to.
      }
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    const Transcription& r = *job_;  // Execute has returned
    if (!r.error_code.empty()) {
      deferred_.Reject(MakeError(env, r.error_code, r.error_message).Value());
      return;
    }
    Napi::Object out = Napi::Object::New(env);
    Napi::Array segments = Napi::Array::New(env, r.segments.size());
    for (size_t i = 0; i < r.segments.size(); ++i) {
      segments.Set(static_cast<uint32_t>(i), SegmentToJs(env, r.segments[i]));
    }
    out.Set("segments", segments);
    out.Set("language", r.language.empty() ? env.Null() : Napi::String::New(env, r.language));
    out.Set("languageProbability",
            r.language_prob < 0 ? env.Null() : Napi::Number::New(env, r.language_prob));
    Napi::Object timings = Napi::Object::New(env);
    timings.Set("stateMs", r.state_ms);
    timings.Set("vadMs", r.vad_ms);
    timings.Set("languageMs", r.language_ms);
    timings.Set("whisperMs", r.whisper_ms);
    out.Set("timings", timings);
    out.Set("speechMs", static_cast<double>(r.speech_samples) * 1000.0 / kSampleRate);
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<Transcription> job_;
  Napi::FunctionReference on_progress_;
  Napi::FunctionReference on_segment_;
};

// --- argument parsing (types only: the TypeScript layer validates ranges and meaning) ---

Options ParseOptions(Napi::Env env, const Napi::Object& o) {
  Options r;
  const std::string strategy = GetString(o, "strategy", "greedy");
  if (strategy == "beam") {
    r.strategy = WHISPER_SAMPLING_BEAM_SEARCH;
  } else if (strategy != "greedy") {
    throw Napi::TypeError::New(env, "strategy must be 'greedy' or 'beam'");
  }
  const whisper_full_params d = whisper_full_default_params(r.strategy);
  r.threads = GetInt(o, "threads", d.n_threads);
  if (r.threads < 1) throw Napi::RangeError::New(env, "threads must be at least 1");
  r.best_of = GetInt(o, "bestOf", 5);
  r.beam_size = GetInt(o, "beamSize", 5);
  r.offset_ms = GetInt(o, "offsetMs", 0);
  r.duration_ms = GetInt(o, "durationMs", 0);
  r.translate = GetBool(o, "translate", d.translate);
  r.no_context = GetBool(o, "noContext", d.no_context);
  r.no_timestamps = GetBool(o, "noTimestamps", d.no_timestamps);
  r.single_segment = GetBool(o, "singleSegment", d.single_segment);
  r.token_timestamps = GetBool(o, "tokenTimestamps", d.token_timestamps);
  r.thold_pt = static_cast<float>(GetNumber(o, "tokenTimestampThreshold", d.thold_pt));
  r.max_len = GetInt(o, "maxLen", d.max_len);
  r.split_on_word = GetBool(o, "splitOnWord", d.split_on_word);
  r.max_tokens = GetInt(o, "maxTokens", d.max_tokens);
  r.audio_ctx = GetInt(o, "audioCtx", d.audio_ctx);
  r.initial_prompt = GetString(o, "initialPrompt", "");
  r.carry_initial_prompt = GetBool(o, "carryInitialPrompt", d.carry_initial_prompt);
  r.language = GetString(o, "language", "en");
  if (r.language != "auto" && whisper_lang_id(r.language.c_str()) < 0) {
    throw MakeError(env, "ERR_INVALID_ARG", "unknown language '" + r.language + "'");
  }
  r.suppress_blank = GetBool(o, "suppressBlank", d.suppress_blank);
  r.suppress_nst = GetBool(o, "suppressNonSpeechTokens", d.suppress_nst);
  r.temperature = static_cast<float>(GetNumber(o, "temperature", d.temperature));
  r.temperature_inc = static_cast<float>(GetNumber(o, "temperatureInc", d.temperature_inc));
  r.entropy_thold = static_cast<float>(GetNumber(o, "entropyThold", d.entropy_thold));
  r.logprob_thold = static_cast<float>(GetNumber(o, "logprobThold", d.logprob_thold));
  r.no_speech_thold = static_cast<float>(GetNumber(o, "noSpeechThold", d.no_speech_thold));

  Napi::Value vad = o.Get("vad");
  if (!vad.IsUndefined() && !vad.IsNull()) {
    if (!vad.IsObject()) throw Napi::TypeError::New(env, "vad must be an object or null");
    Napi::Object v = vad.As<Napi::Object>();
    r.vad.enabled = true;
    r.vad.model_path = GetString(v, "modelPath", "");
    if (r.vad.model_path.empty()) throw Napi::TypeError::New(env, "vad.modelPath is required");
    r.vad.params = GetVadParams(v);
  }
  return r;
}

Napi::Function OptionalFunction(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info.Length() <= i || info[i].IsUndefined() || info[i].IsNull()) return Napi::Function();
  if (!info[i].IsFunction()) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a function");
  }
  return info[i].As<Napi::Function>();
}

}  // namespace

// transcribe(handle, pcm: Float32Array, params: object, onProgress?, onSegment?)
//   -> { promise: Promise<Result>, abort(): void }
// The PCM (16 kHz mono) is copied, so the caller may reuse or transfer its buffer at once.
Napi::Value Transcribe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<Model> model = ModelFromHandle(info[0]);
  std::vector<float> samples = CopyPcm(env, info[1]);
  if (!info[2].IsObject()) throw Napi::TypeError::New(env, "params must be an object");
  Options options = ParseOptions(env, info[2].As<Napi::Object>());
  Napi::Function on_progress = OptionalFunction(info, 3, "onProgress");
  Napi::Function on_segment = OptionalFunction(info, 4, "onSegment");

  auto aborted = std::make_shared<std::atomic<bool>>(false);
  auto job = std::make_shared<Transcription>(std::move(model), std::move(samples),
                                             std::move(options), aborted);
  auto* worker = new TranscribeWorker(env, std::move(job), on_progress, on_segment);
  Napi::Object out = Napi::Object::New(env);
  out.Set("promise", worker->Promise());
  // The abort function owns a reference to the flag, so calling it after the job ended is a
  // harmless no-op; so is calling it twice.
  auto abort = [aborted](const Napi::CallbackInfo&) { aborted->store(true); };
  out.Set("abort", Napi::Function::New(env, abort, "abort"));
  worker->Queue();
  return out;
}

}  // namespace studio
