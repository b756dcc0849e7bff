// Claims the API version CLAIMED_API_VERSION (set per build in CMakeLists.txt), one this
// admf does not load, so the loader must refuse it before creating anything.
#include "runtime/plugin/strategy_plugin.hpp"

extern "C" __attribute__((visibility("default"))) std::uint32_t admf_plugin_api_version() {
  return CLAIMED_API_VERSION;
}
extern "C" __attribute__((visibility("default"))) admf::plugin::strategy*
admf_plugin_create(const admf::plugin::params*, char*, std::size_t) {
  return nullptr;
}
extern "C" __attribute__((visibility("default"))) void admf_plugin_destroy(admf::plugin::strategy*) {}
