// load() and free(). Threads: Load parses arguments on the JS thread; LoadWorker::Execute checks
// the file and runs whisper_init_from_file_with_params_no_state on a libuv worker thread (no
// N-API there); OnOK settles the promise on the JS thread. See addon.cpp for the full rules.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "common.h"

namespace studio {
namespace {

namespace fs = std::filesystem;

// Header fields of a ggml-format Whisper model, in file order (all int32, little-endian).
struct ModelHeader {
  int32_t n_vocab = 0, n_audio_ctx = 0, n_audio_state = 0, n_audio_head = 0, n_audio_layer = 0;
  int32_t n_text_ctx = 0, n_text_state = 0, n_text_head = 0, n_text_layer = 0, n_mels = 0;
  int32_t ftype = 0;
};

struct FileCheck {
  std::string code;  // empty when the file looks complete
  std::string message;
  ModelHeader header;
  uint64_t size = 0;
  int tensors = 0;
};

// Reads a file front to back, skipping tensor data, and knows how many bytes are left. Every
// read is bounds-checked against the file size, so a damaged file can never make us (or, after
// this check passes, whisper.cpp) read past its end.
class Reader {
 public:
  Reader(std::ifstream& in, uint64_t size) : in_(in), size_(size) {}
  uint64_t pos() const { return pos_; }
  uint64_t left() const { return size_ - pos_; }
  bool Read(void* out, uint64_t n) {
    if (n > left()) return false;
    in_.read(static_cast<char*>(out), static_cast<std::streamsize>(n));
    if (!in_) return false;
    pos_ += n;
    return true;
  }
  bool Skip(uint64_t n) {
    if (n > left()) return false;
    in_.seekg(static_cast<std::streamoff>(n), std::ios::cur);
    if (!in_) return false;
    pos_ += n;
    return true;
  }
  bool I32(int32_t& v) { return Read(&v, sizeof v); }

 private:
  std::ifstream& in_;
  uint64_t size_;
  uint64_t pos_ = 0;
};

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Checks that `path` is a readable, complete ggml Whisper model, walking the same layout
// whisper.cpp's loader reads (magic, hparams, mel filters, vocabulary, tensors). whisper.cpp
// itself does not notice a truncated file: it treats a file that ends early as an "empty model
// for testing" or loads partly filled tensors.
FileCheck CheckModelFile(const std::string& path) {
  FileCheck r;
  const fs::path p = fs::u8path(path);
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);
  if (ec || !fs::exists(st)) {
    r.code = "ERR_MODEL_NOT_FOUND";
    r.message = "model file not found: " + path;
    return r;
  }
  if (!fs::is_regular_file(st)) {
    r.code = "ERR_MODEL_UNREADABLE";
    r.message = "model path is not a regular file: " + path;
    return r;
  }
  r.size = fs::file_size(p, ec);
  std::ifstream in(p, std::ios::binary);
  if (ec || !in) {
    r.code = "ERR_MODEL_UNREADABLE";
    r.message = "model file cannot be read (permission denied?): " + path;
    return r;
  }
  Reader rd(in, r.size);
  auto truncated = [&](const std::string& where) {
    r.code = "ERR_MODEL_TRUNCATED";
    r.message = "model file is truncated or damaged (" + where + " runs past the end of the " +
                std::to_string(r.size) + "-byte file; re-download it): " + path;
    return r;
  };
  auto invalid = [&](const std::string& what) {
    r.code = "ERR_MODEL_INVALID";
    r.message = "model file is not a valid ggml Whisper model (" + what + "): " + path;
    return r;
  };

  uint32_t magic = 0;
  if (!rd.Read(&magic, sizeof magic)) {
    r.code = "ERR_MODEL_BAD_MAGIC";
    r.message = "model file is too small to be a Whisper model (" + std::to_string(r.size) +
                " bytes): " + path;
    return r;
  }
  if (magic != GGML_FILE_MAGIC) {
    r.code = "ERR_MODEL_BAD_MAGIC";
    if (magic == 0x46554747u) {  // "GGUF"
      r.message = "model file is GGUF; whisper.cpp needs a ggml .bin Whisper model: " + path;
    } else {
      r.message = "model file is not a ggml Whisper model (magic " + Hex32(magic) +
                  ", expected " + Hex32(GGML_FILE_MAGIC) + " \"ggml\"): " + path;
    }
    return r;
  }

  ModelHeader& h = r.header;
  int32_t* fields[] = {&h.n_vocab,    &h.n_audio_ctx,  &h.n_audio_state, &h.n_audio_head,
                       &h.n_audio_layer, &h.n_text_ctx, &h.n_text_state, &h.n_text_head,
                       &h.n_text_layer, &h.n_mels,     &h.ftype};
  for (int32_t* f : fields) {
    if (!rd.I32(*f)) return truncated("the header");
  }
  auto in_range = [](int32_t v, int32_t lo, int32_t hi) { return v >= lo && v <= hi; };
  if (!in_range(h.n_vocab, 1, 1 << 20) || !in_range(h.n_audio_ctx, 1, 1 << 16) ||
      !in_range(h.n_audio_state, 1, 1 << 16) || !in_range(h.n_audio_head, 1, 1024) ||
      !in_range(h.n_audio_layer, 1, 1024) || !in_range(h.n_text_ctx, 1, 1 << 16) ||
      !in_range(h.n_text_state, 1, 1 << 16) || !in_range(h.n_text_head, 1, 1024) ||
      !in_range(h.n_text_layer, 1, 1024) || !in_range(h.n_mels, 1, 1024) || h.ftype < 0) {
    return invalid("implausible hyperparameters");
  }
  if (h.n_text_state != h.n_audio_state) return invalid("text and audio state sizes differ");

  int32_t n_mel = 0, n_fft = 0;
  if (!rd.I32(n_mel) || !rd.I32(n_fft)) return truncated("the mel filter header");
  if (!in_range(n_mel, 1, 1024) || !in_range(n_fft, 1, 1 << 16)) {
    return invalid("bad mel filter size");
  }
  if (!rd.Skip(static_cast<uint64_t>(n_mel) * static_cast<uint64_t>(n_fft) * sizeof(float))) {
    return truncated("the mel filters");
  }

  int32_t n_tokens = 0;
  if (!rd.I32(n_tokens)) return truncated("the vocabulary header");
  if (!in_range(n_tokens, 0, 1 << 20)) return invalid("bad vocabulary size");
  for (int32_t i = 0; i < n_tokens; ++i) {
    uint32_t len = 0;
    if (!rd.Read(&len, sizeof len) || !rd.Skip(len)) return truncated("the vocabulary");
  }

  // Tensors until the end of the file: n_dims, name length, type, dims, name, data.
  while (rd.left() > 0) {
    int32_t n_dims = 0, name_len = 0, ttype = 0;
    if (!rd.I32(n_dims) || !rd.I32(name_len) || !rd.I32(ttype)) return truncated("a tensor header");
    if (!in_range(n_dims, 1, 4) || !in_range(name_len, 1, 4096) ||
        !in_range(ttype, 0, GGML_TYPE_COUNT - 1)) {
      return invalid("bad tensor header at byte " + std::to_string(rd.pos() - 12));
    }
    const auto type = static_cast<ggml_type>(ttype);
    const int64_t block = ggml_blck_size(type);
    if (block <= 0 || ggml_type_size(type) == 0) return invalid("unsupported tensor type");
    int64_t ne[4] = {1, 1, 1, 1};
    for (int d = 0; d < n_dims; ++d) {
      int32_t v = 0;
      if (!rd.I32(v)) return truncated("a tensor header");
      if (v <= 0) return invalid("bad tensor shape");
      ne[d] = v;
    }
    std::string name(static_cast<size_t>(name_len), '\0');
    if (!rd.Read(name.data(), name.size())) return truncated("a tensor name");
    if (ne[0] % block != 0) return invalid("tensor '" + name + "' does not fit its type's blocks");
    const uint64_t bytes = static_cast<uint64_t>(ggml_row_size(type, ne[0])) *
                           static_cast<uint64_t>(ne[1] * ne[2] * ne[3]);
    if (!rd.Skip(bytes)) return truncated("tensor '" + name + "'");
    ++r.tensors;
  }
  return r;
}

const char* ModelTypeName(const ModelHeader& h) {
  switch (h.n_audio_layer) {
    case 4: return "tiny";
    case 6: return "base";
    case 12: return "small";
    case 24: return "medium";
    case 32:
      if (h.n_vocab == 51866 && h.n_text_layer == 4) return "large-v3-turbo";
      if (h.n_vocab == 51866 && h.n_text_layer == 32) return "large-v3";
      return "large";
    default: return "unknown";
  }
}

struct DtwChoice {
  whisper_alignment_heads_preset preset = WHISPER_AHEADS_NONE;
  int n_top = -1;
  std::string name;
};

// The alignment-heads preset for DTW token timestamps: `requested` is a preset name, or "auto"
// to choose from the model's shape (whisper.cpp's presets exist for the OpenAI checkpoints; any
// other shape uses every head of the top half of the text layers, as OpenAI's code does).
bool ChooseDtw(const std::string& requested, const ModelHeader& h, DtwChoice& out) {
  static const struct {
    const char* name;
    whisper_alignment_heads_preset preset;
  } kPresets[] = {
      {"tiny.en", WHISPER_AHEADS_TINY_EN},     {"tiny", WHISPER_AHEADS_TINY},
      {"base.en", WHISPER_AHEADS_BASE_EN},     {"base", WHISPER_AHEADS_BASE},
      {"small.en", WHISPER_AHEADS_SMALL_EN},   {"small", WHISPER_AHEADS_SMALL},
      {"medium.en", WHISPER_AHEADS_MEDIUM_EN}, {"medium", WHISPER_AHEADS_MEDIUM},
      {"large-v1", WHISPER_AHEADS_LARGE_V1},   {"large-v2", WHISPER_AHEADS_LARGE_V2},
      {"large-v3", WHISPER_AHEADS_LARGE_V3},   {"large-v3-turbo", WHISPER_AHEADS_LARGE_V3_TURBO},
  };
  std::string name = requested;
  if (requested == "auto") {
    const bool multilingual = h.n_vocab >= 51865;
    const std::string type = ModelTypeName(h);
    const bool standard_text = h.n_text_layer == h.n_audio_layer;
    if (type == "large-v3-turbo" || type == "large-v3") {
      name = type;
    } else if (type == "large" && standard_text) {
      name = "large-v2";
    } else if (type != "unknown" && type != "large" && standard_text) {
      name = multilingual ? type : type + ".en";
    } else {
      out.preset = WHISPER_AHEADS_N_TOP_MOST;
      out.n_top = h.n_text_layer - h.n_text_layer / 2;
      out.name = "top-" + std::to_string(out.n_top) + "-layers";
      return true;
    }
  }
  for (const auto& p : kPresets) {
    if (name == p.name) {
      out.preset = p.preset;
      out.name = name;
      return true;
    }
  }
  return false;
}

struct LoadOptions {
  bool use_gpu = true;
  int gpu_device = 0;
  bool flash_attn = true;
  std::string dtw;  // empty: off
};

class LoadWorker : public Napi::AsyncWorker {
 public:
  LoadWorker(Napi::Env env, std::string path, LoadOptions options)
      : Napi::AsyncWorker(env, "studio_whisper.load"),
        deferred_(Napi::Promise::Deferred::New(env)),
        path_(std::move(path)),
        options_(std::move(options)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override {
    TakeThreadErrors();  // drop anything an earlier job on this thread left behind
    check_ = CheckModelFile(path_);
    if (!check_.code.empty()) return;

    whisper_context_params cparams = whisper_context_default_params();
    cparams.use_gpu = options_.use_gpu;
    cparams.gpu_device = options_.gpu_device;
    cparams.flash_attn = options_.flash_attn;
    if (!options_.dtw.empty()) {
      if (!ChooseDtw(options_.dtw, check_.header, dtw_)) {
        check_.code = "ERR_INVALID_ARG";
        check_.message = "unknown DTW alignment-heads preset '" + options_.dtw + "'";
        return;
      }
      cparams.dtw_token_timestamps = true;
      cparams.dtw_aheads_preset = dtw_.preset;
      cparams.dtw_n_top = dtw_.n_top;
      cparams.flash_attn = false;  // whisper.cpp cannot do DTW with flash attention
    }

    auto model = std::make_shared<Model>();
    try {
      model->ctx = whisper_init_from_file_with_params_no_state(path_.c_str(), cparams);
    } catch (const std::exception& e) {
      init_error_ = e.what();
    } catch (...) {
      init_error_ = "unknown C++ exception";
    }
    if (model->ctx == nullptr) {
      const std::string log = TakeThreadErrors();
      check_.code = "ERR_MODEL_INIT";
      check_.message = "whisper.cpp could not load the model " + path_ +
                       (init_error_.empty() ? "" : ": " + init_error_) +
                       (log.empty() ? "" : " (" + log + ")");
      return;
    }
    model->path = path_;
    model->multilingual = whisper_is_multilingual(model->ctx) != 0;
    model->hasWeights = check_.tensors > 0;
    model_ = std::move(model);
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (!check_.code.empty()) {
      Napi::Error error = MakeError(env, check_.code, check_.message);
      error.Set("path", path_);
      deferred_.Reject(error.Value());
      return;
    }
    const ModelHeader& h = check_.header;
    Napi::Object info = Napi::Object::New(env);
    info.Set("type", ModelTypeName(h));
    info.Set("multilingual", model_->multilingual);
    info.Set("hasWeights", model_->hasWeights);
    info.Set("tensors", check_.tensors);
    info.Set("fileSize", static_cast<double>(check_.size));
    info.Set("vocabSize", h.n_vocab);
    info.Set("audioLayers", h.n_audio_layer);
    info.Set("textLayers", h.n_text_layer);
    info.Set("audioState", h.n_audio_state);
    info.Set("mels", h.n_mels);
    info.Set("ftype", whisper_model_ftype(model_->ctx));
    info.Set("dtw", dtw_.name.empty() ? env.Null() : Napi::String::New(env, dtw_.name));

    Napi::Object out = Napi::Object::New(env);
    out.Set("handle", WrapModel(env, std::move(model_)));
    out.Set("info", info);
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::string path_;
  LoadOptions options_;
  FileCheck check_;
  DtwChoice dtw_;
  std::string init_error_;
  std::shared_ptr<Model> model_;
};

bool OptionalBool(const Napi::Object& obj, const char* key, bool fallback) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsBoolean()) {
    throw Napi::TypeError::New(obj.Env(), std::string(key) + " must be a boolean");
  }
  return v.As<Napi::Boolean>().Value();
}

}  // namespace

// load(path: string, options?: { useGpu?, gpuDevice?, flashAttn?, dtw?: string | null })
//   -> Promise<{ handle, info }>
Napi::Value Load(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) {
    throw Napi::TypeError::New(env, "load(path, options): path must be a string");
  }
  LoadOptions options;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    if (!info[1].IsObject()) {
      throw Napi::TypeError::New(env, "load(path, options): options must be an object");
    }
    Napi::Object o = info[1].As<Napi::Object>();
    options.use_gpu = OptionalBool(o, "useGpu", options.use_gpu);
    options.flash_attn = OptionalBool(o, "flashAttn", options.flash_attn);
    Napi::Value device = o.Get("gpuDevice");
    if (!device.IsUndefined()) {
      if (!device.IsNumber()) throw Napi::TypeError::New(env, "gpuDevice must be a number");
      options.gpu_device = device.As<Napi::Number>().Int32Value();
    }
    Napi::Value dtw = o.Get("dtw");
    if (!dtw.IsUndefined() && !dtw.IsNull()) {
      if (!dtw.IsString()) {
        throw Napi::TypeError::New(env, "dtw must be a preset name, 'auto' or null");
      }
      options.dtw = dtw.As<Napi::String>().Utf8Value();
    }
  }
  auto* worker = new LoadWorker(env, info[0].As<Napi::String>().Utf8Value(), std::move(options));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// free(handle): drops the handle's reference. The whisper_context is freed now when no
// transcription uses it, otherwise when the last running one ends. Freeing twice is a no-op.
Napi::Value Free(const Napi::CallbackInfo& info) {
  ModelHandle* handle = HandleFromValue(info[0]);
  handle->model.reset();
  return info.Env().Undefined();
}

}  // namespace studio
