// A config file's YAML: load_config_text (every section reader and the validation),
// then, for a config that reads and has one, its `optimization:` section. Strategies
// are not built (that loads plugins): their type and params are taken as they are.
// Expected outcome for bad input: admf::input_error ("FILE:LINE: KEY: what").
#include <cstdint>
#include <string>

#include "apps/optimize/optimization_section.hpp"
#include "runtime/config/load_config.hpp"
#include "runtime/core/error.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace admf;
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  try {
    const backtest_config config = load_config_text(yaml, "fuzz.yaml", [](const strategy_config&) {});
    // read_optimization reads a file (it keeps line numbers of its own).
    if (yaml.find("optimization") != std::string::npos)
      (void)read_optimization(fuzz::scratch_file("config.yaml", yaml), config);
  } catch (const input_error& e) {
    fuzz::refused(e);
  }
  return 0;
}
