// Compiled into each version-1 build (CMakeLists.txt), whose sources all share one include
// path: if that path gave them runtime/plugin/'s header instead of the frozen one in v1/, the
// compatibility test would compare version 2 with itself. This stops the build. It lives
// outside v1/ because a quoted include is looked up beside the including file first.
#include "runtime/plugin/strategy_plugin.hpp"

static_assert(admf::plugin::api_version == 1,
              "a version-1 build must include tests/plugins/v1/runtime/plugin/strategy_plugin.hpp");
