#include "apps/optimize/resume.hpp"

#include <fstream>

#include <fmt/format.h>

#include "apps/optimize/top_configs.hpp"
#include "runtime/core/error.hpp"
#include "runtime/core/hash.hpp"
#include "runtime/results/files.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

namespace fs = std::filesystem;

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

void make_output_dir(const fs::path& dir) {
  if (fs::exists(dir) && !fs::is_directory(dir))
    throw input_error(dir.string() + ": output path exists and is not a directory");
  fs::create_directories(dir);
}

void claim_dir(const fs::path& dir, const std::string& hash) {
  std::string previous;
  std::getline(std::ifstream{dir / hash_name}, previous);
  if (previous == hash)
    return;
  fs::remove(dir / csv_name);
  fs::remove(dir / (std::string(csv_name) + ".partial"));
  remove_top_configs(dir);
  write_file_atomically(dir / hash_name, hash + "\n");
}

kept_rows read_kept_rows(const fs::path& file, const csv_layout& layout,
                         std::vector<job_result>& results) {
  std::ifstream in{file, std::ios::binary};
  std::string line;
  const auto next_line = [&] { return std::getline(in, line) && !in.eof(); };
  kept_rows kept;
  if (!next_line() || line + "\n" != layout.header)
    return kept;
  kept.bytes = layout.header.size();
  while (kept.rows < layout.jobs && next_line()) {
    const std::string prefix = layout.row_prefix(kept.rows);
    if (line.compare(0, prefix.size(), prefix) != 0)
      break;
    const auto cells = split_cells(line.substr(prefix.size()));
    if (cells.size() != metric_keys().size())
      break;
    results[kept.rows++] = summarize(cells, layout.columns);
    kept.bytes += line.size() + 1;
  }
  return kept;
}

kept_rows resume_rows(const fs::path& csv, const csv_layout& layout,
                      std::vector<job_result>& results) {
  const fs::path partial = csv.string() + ".partial";
  if (fs::exists(csv))
    fs::rename(csv, partial);
  kept_rows kept;
  if (fs::exists(partial))
    kept = read_kept_rows(partial, layout, results);
  if (kept.bytes)
    fs::resize_file(partial, kept.bytes);
  return kept;
}

csv_layout layout_of(const study& s) {
  return {csv_header(s.spec.grid), s.jobs(),
          [&s](std::size_t i) { return row_prefix(i + 1, s.values(i)); }, s.columns};
}

}  // namespace admf
