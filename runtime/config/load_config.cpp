// Reads a backtest config from YAML. Every check that needs a line number happens
// while the YAML nodes are at hand (the section readers); validation.cpp adds the
// checks that span the whole config and that C++-built configs need too.
#include "runtime/config/load_config.hpp"

#include <filesystem>
#include <fstream>
#include <istream>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>

#include "runtime/config/section_readers.hpp"
#include "runtime/config/validation.hpp"

namespace admf {

namespace {

using namespace yaml;
using namespace sections;

namespace fs = std::filesystem;

backtest_config read_config(const field& root) {
  if (root.node.IsNull())
    root.fail("the config is empty");
  const map_reader map(root,
                       {"name", "data", "execution", "risk", "account", "supervision", "instruments",
                        "metrics", "engine", "trace_settings", "plugin_path", "portfolios",
                        "optimization"});
  backtest_config config;
  config.source_file = root.ctx->file;
  const auto name = map.find("name");
  config.name = name ? to_string(*name) : fs::path(config.source_file).stem().string();
  config.data = read_data(map.require("data"));
  if (auto execution = map.find("execution"))
    config.execution = read_execution(*execution);
  if (auto engine = map.find("engine"))
    config.engine = read_engine(*engine);
  if (auto tracing = map.find("trace_settings"))
    config.tracing = read_trace_settings(*tracing);
  if (auto instruments = map.find("instruments"))
    config.instruments = read_instruments(*instruments);
  portfolio_defaults defaults;
  if (auto risk = map.find("risk"))
    defaults.risk = read_risk(*risk);
  if (auto account = map.find("account"))
    defaults.account = read_account(*account);
  if (auto supervision = map.find("supervision"))
    defaults.supervision = read_supervision(*supervision);
  if (auto metrics = map.find("metrics"))
    defaults.metrics = read_metrics(*metrics, {});
  for (const field& item : list_items(map.require("portfolios")))
    config.portfolios.push_back(read_portfolio(item, defaults));
  if (auto dirs = map.find("plugin_path")) {
    // Relative to the config file, like a build file's paths.
    const auto base = fs::path(config.source_file).parent_path();
    for (auto& dir : to_string_list(*dirs)) {
      const auto path = fs::path(dir).is_absolute() ? fs::path(dir) : base / dir;
      for (auto& p : config.portfolios)
        for (auto& s : p.strategies)
          s.plugin_path.push_back(path.lexically_normal().string());
    }
  }
  return config;
}

/// The one reading of a config, whether its YAML comes from a file or as text.
backtest_config load(std::istream& in, const std::string& origin, const strategy_check& check) {
  YAML::Node root;
  try {
    root = YAML::Load(in);
  } catch (const YAML::Exception& e) {
    std::optional<int> line;  // (a conditional expression here trips -Wmaybe-uninitialized)
    if (e.mark.line >= 0)
      line = e.mark.line + 1;
    throw input_error(locate(origin, line, "") + ": malformed YAML: " + e.msg);
  }
  load_context ctx{origin, {}};
  backtest_config config = read_config(field{&ctx, root, "", line_of(root)});
  check_config(config, ctx.lines, check);
  return config;
}

}  // namespace

backtest_config load_config(const std::string& path, const strategy_check& check) {
  std::ifstream in(path);
  std::error_code ignored;
  if (!in || fs::is_directory(path, ignored))
    throw input_error(path + ": cannot open config file");
  return load(in, path, check);
}

backtest_config load_config_text(const std::string& yaml, const std::string& origin,
                                 const strategy_check& check) {
  std::istringstream in(yaml);
  return load(in, origin, check);
}

}  // namespace admf
