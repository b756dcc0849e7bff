// Claims an API version this admf does not load.
#include "runtime/plugin/strategy_plugin.hpp"

extern "C" __attribute__((visibility("default"))) std::uint32_t admf_plugin_api_version() {
  return 0;  // older than any this admf loads
}
extern "C" __attribute__((visibility("default"))) admf::plugin::strategy*
admf_plugin_create(const admf::plugin::params*, char*, std::size_t) {
  return nullptr;
}
extern "C" __attribute__((visibility("default"))) void admf_plugin_destroy(admf::plugin::strategy*) {}
