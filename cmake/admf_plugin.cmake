# admf_add_strategy_plugin(NAME SOURCES...)
# Builds a strategy plugin as a MODULE library NAME.so that exports only its three
# entry points. In admf's own tree it lands in <build>/plugins/, where the admf
# binary looks first; installed SDK users get the same function from find_package(admf).
function(admf_add_strategy_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE admf::plugin_api)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${ADMF_PLUGIN_OUTPUT_DIR})
endfunction()
