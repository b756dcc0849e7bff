#include "runtime/optimize/optimizer.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "runtime/cluster/coordinator.hpp"
#include "runtime/core/error.hpp"
#include "runtime/data/market_data.hpp"
#include "runtime/engine/backtest.hpp"
#include "runtime/engine/run_context.hpp"
#include "runtime/results/files.hpp"
#include "runtime/strategy/checked_config.hpp"

namespace admf {

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;
using file_ptr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

constexpr const char* csv_name = "optimize.csv";
constexpr const char* hash_name = "optimize.hash";

// ---------------------------------------------------------------- rows

/// Where the ranked metric and the table's columns sit among metric_keys().
struct metric_columns {
  std::size_t metric, total_return, sharpe, max_drawdown, trades;
};

std::size_t metric_index(const std::string& key) {
  const auto keys = metric_keys();
  return static_cast<std::size_t>(std::find(keys.begin(), keys.end(), key) - keys.begin());
}

metric_columns columns_for(const std::string& metric) {
  return {metric_index(metric), metric_index("total_return"), metric_index("sharpe"),
          metric_index("max_drawdown"), metric_index("trades")};
}

std::string csv_header(const param_grid& grid) {
  std::string out = "job";
  for (const auto& axis : grid.axes)
    out += "," + axis.column();
  for (const auto& key : metric_keys())
    out += "," + key;
  return out + "\n";
}

/// "job,value,...,": the part of a row the plan alone decides.
std::string row_prefix(std::size_t job, const std::vector<std::string>& values) {
  std::string out = std::to_string(job);
  for (const auto& v : values)
    out += "," + v;
  return out + ",";
}

/// metrics.json's values as cells: shortest round-trip numbers, empty for null.
std::vector<std::string> metric_cells(const std::string& metrics_json) {
  std::vector<std::string> cells;
  const auto json = nlohmann::ordered_json::parse(metrics_json);
  for (const auto& item : json.items()) {
    const auto& v = item.value();
    cells.push_back(v.is_null()           ? ""
                    : v.is_number_float() ? format_double(v.get<double>())
                                          : v.dump());
  }
  return cells;
}

std::vector<std::string> split_cells(const std::string& text) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (std::size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1)
    cells.push_back(text.substr(start, comma - start));
  cells.push_back(text.substr(start));
  return cells;
}

std::string joined_cells(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i)
    out += (i ? "," : "") + cells[i];
  return out;
}

std::optional<double> parse_cell(const std::string& cell) {
  double value = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || ec != std::errc() || end != cell.data() + cell.size())
    return std::nullopt;
  return value;
}

/// Fresh and resumed rows are summarized from the same cells, so a resumed run ranks
/// exactly like an uninterrupted one.
job_result summarize(const std::vector<std::string>& cells, const metric_columns& c) {
  job_result r;
  r.metric = parse_cell(cells[c.metric]);
  r.total_return = parse_cell(cells[c.total_return]);
  r.sharpe = parse_cell(cells[c.sharpe]);
  r.max_drawdown = parse_cell(cells[c.max_drawdown]);
  r.trades = static_cast<std::uint64_t>(parse_cell(cells[c.trades]).value_or(0));
  return r;
}

// ---------------------------------------------------------------- the study

/// Everything the jobs share, read-only while they run.
struct study {
  std::string config_path;
  backtest_config config;
  YAML::Node yaml;  ///< the config file as written: the top configs are edited copies
  optimization_spec spec;
  job_plan plan;
  std::shared_ptr<const market_data> data;
  metric_columns columns;
  fs::path dir;

  std::size_t jobs() const { return plan.combinations.size(); }
  std::vector<std::string> values(std::size_t job) const {
    return spec.grid.combination(plan.combinations[job]);
  }
};

study make_study(const optimize_options& options) {
  study s;
  s.config_path = options.config_path;
  s.config = load_config(options.config_path);
  s.spec = read_optimization(options.config_path, s.config);
  s.yaml = YAML::LoadFile(options.config_path);
  s.plan = plan_jobs(s.config, s.spec);
  if (s.plan.combinations.empty())
    throw input_error(s.spec.location + ": every combination is invalid (the first: "
                      + s.plan.first_rejection + ")");
  s.data = std::make_shared<const market_data>(load_market_data(s.config.data));
  s.columns = columns_for(s.spec.metric);
  s.dir = options.out_dir.empty() ? fs::path("results") / s.config.name / "optimize"
                                  : fs::path(options.out_dir);
  return s;
}

/// Job i's optimize.csv row from its portfolio's metrics.json; `result` gets its
/// summary. A stopped portfolio has no metrics: empty cells, and it is not ranked.
std::string job_row(const study& s, std::size_t i, bool stopped, const std::string& metrics_json,
                    job_result& result) {
  const auto cells =
    stopped ? std::vector<std::string>(metric_keys().size()) : metric_cells(metrics_json);
  result = summarize(cells, s.columns);
  return row_prefix(i + 1, s.values(i)) + joined_cells(cells) + "\n";
}

/// Job i (0-based) as its optimize.csv row. The run's events and files are gone when
/// this returns: a job keeps only its metrics.
std::string run_job(const study& s, std::size_t i, job_result& result) {
  const auto run =
    run_backtest(job_config(s.config, s.spec, s.values(i)), s.data, run_options{"", 1});
  const portfolio_result& p = run.portfolios.at(0);
  return job_row(s, i, !p.ok, p.ok ? p.metrics.to_json() : "", result);
}

// ---------------------------------------------------------------- resuming

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text)
    h = (h ^ c) * 1099511628211ull;
  return h;
}

/// Names what decides the rows: the config (minus its optimization section), the
/// data (through the run id, which hashes every bar) and every job's parameters.
std::string plan_hash(const study& s) {
  YAML::Node config = YAML::Clone(s.yaml);
  config.remove("optimization");
  YAML::Emitter emitter;
  emitter << config;
  std::string text = std::string(emitter.c_str()) + "\n";
  text += make_run_context(job_config(s.config, s.spec, s.values(0)), s.data)->run_hex() + "\n";
  text += csv_header(s.spec.grid);
  for (std::size_t i = 0; i < s.jobs(); ++i)
    text += row_prefix(i + 1, s.values(i)) + "\n";
  return fmt::format("{:016x}", fnv1a(text));
}

bool is_top_config(const fs::path& file) {
  const std::string name = file.filename().string();
  if (name.size() <= 9 || name.rfind("top_", 0) != 0 || file.extension() != ".yaml")
    return false;
  const std::string rank = name.substr(4, name.size() - 9);
  return std::all_of(rank.begin(), rank.end(), [](unsigned char c) { return std::isdigit(c); });
}

void remove_top_configs(const fs::path& dir) {
  std::vector<fs::path> stale;
  for (const auto& entry : fs::directory_iterator(dir))
    if (is_top_config(entry.path()))
      stale.push_back(entry.path());
  for (const auto& file : stale)
    fs::remove(file);
}

/// Makes `dir` this optimization's: results of another one (other config, data or
/// grid) there are removed; this one's rows stay to be resumed.
void claim_dir(const fs::path& dir, const std::string& hash) {
  if (fs::exists(dir) && !fs::is_directory(dir))
    throw input_error(dir.string() + ": output path exists and is not a directory");
  fs::create_directories(dir);
  std::string previous;
  std::getline(std::ifstream{dir / hash_name}, previous);
  if (previous == hash)
    return;
  fs::remove(dir / csv_name);
  fs::remove(dir / (std::string(csv_name) + ".partial"));
  remove_top_configs(dir);
  write_file_atomically(dir / hash_name, hash + "\n");
}

struct kept_rows {
  std::uintmax_t bytes = 0;  ///< header and rows
  std::size_t rows = 0;
};

/// The header and the longest run of rows for jobs 1, 2, ... exactly as this plan
/// would write them; fills their results.
kept_rows read_done_rows(const study& s, const fs::path& file, const std::string& header,
                         std::vector<job_result>& results) {
  std::ifstream in{file, std::ios::binary};
  std::string line;
  // A last line without its newline was cut short by an interruption: it does not count.
  const auto next_line = [&] { return std::getline(in, line) && !in.eof(); };
  kept_rows kept;
  if (!next_line() || line + "\n" != header)
    return kept;
  kept.bytes = header.size();
  while (kept.rows < s.jobs() && next_line()) {
    const std::string prefix = row_prefix(kept.rows + 1, s.values(kept.rows));
    if (line.compare(0, prefix.size(), prefix) != 0)
      break;
    const auto cells = split_cells(line.substr(prefix.size()));
    if (cells.size() != metric_keys().size())
      break;
    results[kept.rows++] = summarize(cells, s.columns);
    kept.bytes += line.size() + 1;
  }
  return kept;
}

/// Opens optimize.csv.partial for the rows still to come, keeping what a previous run
/// of this optimization wrote (a finished optimize.csv has every row). Returns how
/// many jobs are done.
std::size_t open_rows(const study& s, const std::string& header, std::vector<job_result>& results,
                      file_ptr& file) {
  const fs::path csv = s.dir / csv_name;
  const fs::path partial = s.dir / (std::string(csv_name) + ".partial");
  if (fs::exists(csv))
    fs::rename(csv, partial);
  kept_rows kept;
  if (fs::exists(partial))
    kept = read_done_rows(s, partial, header, results);
  if (kept.bytes)
    fs::resize_file(partial, kept.bytes);  // drops a torn last line
  file.reset(std::fopen(partial.c_str(), kept.bytes ? "ab" : "wb"));
  if (!file)
    throw input_error(partial.string() + ": cannot write result file");
  if (!kept.bytes && std::fputs(header.c_str(), file.get()) < 0)
    throw std::runtime_error(partial.string() + ": write failed");
  return kept.rows;
}

// ---------------------------------------------------------------- running

/// Rows go out in job order although jobs finish in any order: a row that arrives
/// early waits here until the rows before it are written, so only the out-of-order
/// tail is ever held. Flushed as it goes: an interrupted run keeps every row written.
class ordered_writer {
public:
  ordered_writer(std::FILE* file, std::size_t next) : file_(file), next_(next) {}

  void add(std::size_t job, std::string row) {
    std::lock_guard<std::mutex> lock{mutex_};
    pending_.emplace(job, std::move(row));
    bool wrote = false;
    for (auto it = pending_.begin(); it != pending_.end() && it->first == next_;
         it = pending_.erase(it), ++next_) {
      if (std::fwrite(it->second.data(), 1, it->second.size(), file_) != it->second.size())
        throw std::runtime_error("optimize.csv.partial: write failed");
      wrote = true;
    }
    if (wrote)
      std::fflush(file_);
  }

private:
  std::mutex mutex_;
  std::FILE* file_;
  std::size_t next_;
  std::map<std::size_t, std::string> pending_;
};

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s < 60)
    return fmt::format("{}s", s);
  if (s < 3600)
    return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
}

/// Progress on stderr: on a terminal one line redrawn in place; in a log a plain
/// line every 2 s or every 10% of the jobs.
class progress_meter {
public:
  progress_meter(std::size_t total, std::size_t done_before)
      : total_(total), before_(done_before), tty_(isatty(STDERR_FILENO) != 0),
        start_(clock_type::now()), shown_at_(start_) {}

  void update(std::size_t done, bool last) {
    const auto now = clock_type::now();
    if (tty_) {
      if (!last && now - shown_at_ < std::chrono::milliseconds(100))
        return;
      std::fprintf(stderr, "\r%s %s\x1b[K%s", bar(done).c_str(), text(done, now).c_str(),
                   last ? "\n" : "");
    } else {
      const bool due = now - shown_at_ >= std::chrono::seconds(2) || tenth(done) > tenth(shown_);
      if (done == shown_ || !(due || last))
        return;
      std::fprintf(stderr, "%s\n", text(done, now).c_str());
    }
    shown_ = done;
    shown_at_ = now;
  }

private:
  std::size_t tenth(std::size_t done) const { return done * 10 / total_; }

  std::string bar(std::size_t done) const {
    constexpr std::size_t width = 20;
    const std::size_t filled = done * width / total_;
    std::string out(width, ' ');
    std::fill_n(out.begin(), filled, '=');
    if (filled > 0 && filled < width)
      out[filled - 1] = '>';
    return "[" + out + "]";
  }

  std::string text(std::size_t done, clock_type::time_point now) const {
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done - before_) / elapsed : 0;
    const std::string eta =
      rate > 0 ? duration_text(static_cast<double>(total_ - done) / rate) : "?";
    return fmt::format("{}/{} jobs, {:.1f} jobs/s, ETA {}", done, total_, rate, eta);
  }

  std::size_t total_, before_;
  bool tty_;
  clock_type::time_point start_, shown_at_;
  std::size_t shown_ = 0;
};

/// Runs jobs first.. on `workers` threads, each job a whole backtest on an actor
/// system of its own with one scheduler thread; the calling thread shows progress.
/// The first failure stops the rest and is rethrown.
void run_jobs(const study& s, std::size_t first, std::size_t workers, ordered_writer& writer,
              std::vector<job_result>& results) {
  std::atomic<std::size_t> next{first};
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t finished = first;
  std::exception_ptr failure;
  const auto work = [&] {
    for (std::size_t i; (i = next++) < s.jobs();) {
      try {
        writer.add(i, run_job(s, i, results[i]));
      } catch (...) {
        std::lock_guard<std::mutex> lock{mutex};
        if (!failure)
          failure = std::current_exception();
        next = s.jobs();
        changed.notify_all();
        return;
      }
      std::lock_guard<std::mutex> lock{mutex};
      ++finished;
      changed.notify_all();
    }
  };
  progress_meter progress{s.jobs(), first};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < workers; ++t)
    threads.emplace_back(work);
  std::unique_lock<std::mutex> lock{mutex};
  while (finished < s.jobs() && !failure) {
    changed.wait_for(lock, std::chrono::milliseconds(100));
    const std::size_t done = finished;
    lock.unlock();
    progress.update(done, false);
    lock.lock();
  }
  lock.unlock();
  for (auto& t : threads)
    t.join();
  progress.update(finished, true);
  if (failure)
    std::rethrow_exception(failure);
}

// ---------------------------------------------------------------- reporting

std::string absolute_path(const fs::path& path) {
  return fs::absolute(path).lexically_normal().string();
}

/// Looks a key up without yaml-cpp's non-const operator[], which adds it.
bool has(const YAML::Node& map, const char* key) { return map[key].IsDefined(); }

/// A config's relative paths resolve from the working directory or the config's;
/// top configs live elsewhere, so their paths are made absolute.
void pin_paths(YAML::Node root, const study& s) {
  YAML::Node data = root["data"];
  if (has(data, "sources"))
    for (std::size_t i = 0; i < s.config.data.sources.size(); ++i)
      data["sources"][i]["csv"] = absolute_path(s.config.data.sources[i].path);
  else
    data["csv"] = absolute_path(s.config.data.sources.at(0).path);
  if (has(root, "plugin_path")) {
    const fs::path base = fs::path(s.config_path).parent_path();
    YAML::Node dirs = root["plugin_path"];
    for (std::size_t i = 0; i < dirs.size(); ++i)
      dirs[i] = absolute_path(base / dirs[i].Scalar());
  }
  for (auto portfolio : root["portfolios"])
    for (auto strategy : portfolio["strategies"])
      if (has(strategy, "plugin") && strategy["plugin"].Scalar().find('/') != std::string::npos)
        strategy["plugin"] = absolute_path(strategy["plugin"].Scalar());
}

/// The config file with job i's params, no optimization section, absolute paths.
YAML::Node config_with_params(const study& s, std::size_t i) {
  YAML::Node root = YAML::Clone(s.yaml);
  root.remove("optimization");
  pin_paths(root, s);
  const auto values = s.values(i);
  YAML::Node strategies = root["portfolios"][s.spec.portfolio]["strategies"];
  for (std::size_t a = 0; a < values.size(); ++a)
    for (auto strategy : strategies)
      if (strategy["id"].Scalar() == s.spec.grid.axes[a].strategy)
        strategy["params"][s.spec.grid.axes[a].param] = values[a];
  return root;
}

std::string top_config(const study& s, std::size_t i, std::size_t rank) {
  YAML::Emitter emitter;
  emitter << config_with_params(s, i);
  return fmt::format("# admf optimize {}: rank {} by {}, job {}\n{}\n", s.config_path, rank,
                     s.spec.metric, i + 1, emitter.c_str());
}

/// What a remote worker runs for job i: like job_config, the grid's portfolio only
/// and no tracing; named like the study, which the file name no longer says.
std::string job_yaml(const study& s, std::size_t i) {
  YAML::Node root = config_with_params(s, i);
  YAML::Node portfolios(YAML::NodeType::Sequence);
  portfolios.push_back(YAML::Clone(root["portfolios"][s.spec.portfolio]));
  root["portfolios"] = portfolios;
  root.remove("trace_settings");
  root["name"] = s.config.name;
  YAML::Emitter emitter;
  emitter << root;
  return std::string(emitter.c_str()) + "\n";
}

/// Runs jobs first.. on the `admf worker`s listed in `workers`, showing progress.
/// Returns how many workers took part.
std::size_t run_remote(const study& s, std::size_t first, const std::vector<endpoint>& workers,
                       const tls_options& tls, const std::optional<endpoint>& accept,
                       ordered_writer& writer, std::vector<job_result>& results) {
  std::vector<remote_job> jobs;
  for (std::size_t i = first; i < s.jobs(); ++i)
    jobs.push_back({i, job_yaml(s, i)});
  progress_meter progress{s.jobs(), first};
  std::size_t finished = first;
  return run_remote_jobs(workers, jobs, data_checksum(s.config.data), [&](const remote_outcome& o) {
    writer.add(o.index, job_row(s, o.index, o.stopped, o.metrics_json, results[o.index]));
    ++finished;
    progress.update(finished, finished == s.jobs());
  }, tls, accept);
}

std::string params_text(const study& s, std::size_t i) {
  const auto& axes = s.spec.grid.axes;
  const bool one_strategy = std::all_of(axes.begin(), axes.end(), [&](const grid_axis& a) {
    return a.strategy == axes[0].strategy;
  });
  const auto values = s.values(i);
  std::string out;
  for (std::size_t a = 0; a < axes.size(); ++a)
    out += (a ? " " : "") + (one_strategy ? axes[a].param : axes[a].column()) + "=" + values[a];
  return out;
}

std::string percent(const std::optional<double>& v) {
  return v ? fmt::format("{:.2f}%", *v * 100) : "-";
}

std::string number(const std::optional<double>& v, const char* format) {
  return v ? fmt::format(fmt::runtime(format), *v) : "-";
}

std::string ranked_table(const study& s, const std::vector<job_result>& results,
                         const std::vector<std::size_t>& shown) {
  std::size_t width = 6;
  for (auto i : shown)
    width = std::max(width, params_text(s, i).size());
  std::string out = fmt::format("{:>4} {:>6}  {:<{}} {:>12} {:>9} {:>7} {:>8} {:>7}\n", "rank",
                                "job", "params", width, s.spec.metric, "return", "sharpe", "max dd",
                                "trades");
  for (std::size_t r = 0; r < shown.size(); ++r) {
    const job_result& j = results[shown[r]];
    out += fmt::format("{:>4} {:>6}  {:<{}} {:>12} {:>9} {:>7} {:>8} {:>7}\n", r + 1, shown[r] + 1,
                       params_text(s, shown[r]), width, number(j.metric, "{:.6g}"),
                       percent(j.total_return), number(j.sharpe, "{:.3f}"),
                       percent(j.max_drawdown), j.trades);
  }
  return out;
}

std::string intro(const study& s) {
  const std::string name = "optimize " + s.config.name + ": ";
  const std::string picked =
    s.spec.samples ? fmt::format("{} of {} combinations sampled (seed {})", s.spec.samples,
                                 s.spec.grid.size(), s.spec.seed)
                   : fmt::format("{} combinations", s.spec.grid.size());
  return fmt::format("{}{}, {} jobs, skipped: {} invalid combinations\n", name, picked, s.jobs(),
                     s.plan.skipped);
}

std::size_t worker_count(const optimize_options& options, std::size_t remaining) {
  const std::size_t wanted =
    options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(wanted, remaining));
}

/// --accept's endpoint, if any; loopback only unless TLS or --insecure, as for workers.
std::optional<endpoint> accept_endpoint(const optimize_options& options) {
  if (options.accept.empty())
    return std::nullopt;
  if (options.accept.find(',') != std::string::npos)
    throw input_error("--accept: one host:port only");
  const endpoint at = parse_endpoints(options.accept, "--accept").at(0);
  if (!is_loopback(at.host) && !options.tls.enabled() && !options.insecure)
    throw input_error("--accept " + at.text()
                      + ": not a loopback address; accept over TLS (--tls-cert, --tls-key, "
                        "--tls-ca) or pass --insecure to accept unencrypted on a trusted network");
  return at;
}

/// Runs what is not done yet and moves the finished optimize.csv into place.
void run_remaining(const study& s, const optimize_options& options,
                   std::vector<job_result>& results, std::ostream& out) {
  file_ptr file{nullptr, &std::fclose};
  const std::size_t done = open_rows(s, csv_header(s.spec.grid), results, file);
  const fs::path csv = s.dir / csv_name;
  if (done == s.jobs())
    out << fmt::format("all {} jobs already done in {}: nothing to run\n", s.jobs(), csv.string());
  else if (done > 0)
    out << fmt::format("resuming: {} of {} jobs already done in {}\n", done, s.jobs(),
                       csv.string());
  out.flush();
  if (done < s.jobs()) {
    const auto remote = options.workers.empty() ? std::vector<endpoint>{}
                                                : parse_endpoints(options.workers, "--workers");
    const auto accept = accept_endpoint(options);
    std::size_t workers =
      remote.empty() && !accept ? worker_count(options, s.jobs() - done) : remote.size();
    const auto start = clock_type::now();
    ordered_writer writer{file.get(), done};
    if (remote.empty() && !accept)
      run_jobs(s, done, workers, writer, results);
    else
      workers = run_remote(s, done, remote, options.tls, accept, writer, results);
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    out << fmt::format("ran {} jobs in {:.3f} s on {} worker{}\n", s.jobs() - done, seconds,
                       workers, workers == 1 ? "" : "s");
  }
  if (std::fclose(file.release()) != 0)
    throw std::runtime_error(csv.string() + ".partial: write failed");
  fs::rename(csv.string() + ".partial", csv);
}

} // namespace

backtest_config job_config(const backtest_config& base, const optimization_spec& spec,
                           const std::vector<std::string>& values) {
  backtest_config config = base;
  config.portfolios = {base.portfolios.at(spec.portfolio)};
  config.tracing = trace_settings{};
  for (std::size_t a = 0; a < values.size(); ++a)
    for (auto& strategy : config.portfolios[0].strategies)
      if (strategy.id == spec.grid.axes[a].strategy)
        strategy.params.values[spec.grid.axes[a].param] = values[a];
  return config;
}

job_plan plan_jobs(const backtest_config& config, const optimization_spec& spec) {
  job_plan plan;
  for (const auto combination : pick_combinations(spec)) {
    try {
      // Building the strategies is the only way to know what they accept.
      validate(job_config(config, spec, spec.grid.combination(combination)));
      plan.combinations.push_back(combination);
    } catch (const input_error& e) {
      if (plan.skipped++ == 0)
        plan.first_rejection = e.what();
    }
  }
  return plan;
}

std::vector<std::size_t> rank_jobs(const std::vector<job_result>& results,
                                   const std::string& metric) {
  std::vector<std::size_t> ranked;
  for (std::size_t i = 0; i < results.size(); ++i)
    if (results[i].metric)
      ranked.push_back(i);
  const bool ascending = lower_is_better(metric);
  std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
    const double x = *results[a].metric, y = *results[b].metric;
    return ascending ? x < y : x > y;
  });
  return ranked;
}

void run_optimize(const optimize_options& options, std::ostream& out) {
  if (options.tls.enabled() && options.workers.empty() && options.accept.empty())
    throw input_error("--tls-ca, --tls-cert, --tls-key: only with --workers or --accept");
  if (options.insecure && options.accept.empty())
    throw input_error("--insecure: only with --accept");
  check_tls(options.tls);
  accept_endpoint(options);  // bad --accept fails before any work
  const study s = make_study(options);
  claim_dir(s.dir, plan_hash(s));
  out << intro(s);
  std::vector<job_result> results(s.jobs());
  run_remaining(s, options, results, out);

  const auto ranked = rank_jobs(results, s.spec.metric);
  const std::size_t top = std::min(options.top ? options.top : s.spec.top, ranked.size());
  const std::vector<std::size_t> shown(ranked.begin(),
                                       ranked.begin() + static_cast<std::ptrdiff_t>(top));
  remove_top_configs(s.dir);
  for (std::size_t r = 0; r < shown.size(); ++r)
    write_file_atomically(s.dir / fmt::format("top_{}.yaml", r + 1),
                          top_config(s, shown[r], r + 1));
  out << ranked_table(s, results, shown);
  if (ranked.size() < results.size())
    out << fmt::format("not ranked: {} jobs without a {} value\n", results.size() - ranked.size(),
                       s.spec.metric);
  out << "results: " << s.dir.string() << "/\n";
}

} // namespace admf
