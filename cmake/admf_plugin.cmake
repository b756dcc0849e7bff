# admf_add_strategy_plugin(NAME SOURCES...)
# Builds a strategy plugin as a MODULE library NAME.so that exports only its three
# entry points. In admf's own tree it lands in <build>/plugins/, where the admf
# binary looks first; installed SDK users get the same function from find_package(admf).
#
# Variables read at the call:
#   ADMF_PLUGIN_OUTPUT_DIR   where NAME.so is written. Unset (out-of-tree projects):
#                            CMAKE_LIBRARY_OUTPUT_DIRECTORY if set, else the current
#                            build directory.
#   ADMF_INSTALL_PLUGINS     when true, `cmake --install` also installs NAME.so into
#                            ADMF_PLUGIN_INSTALL_DIR (default lib/admf/plugins, which an
#                            installed bin/admf searches as ../lib/admf/plugins).
function(admf_add_strategy_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE admf::plugin_api)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ADMF_PLUGIN_OUTPUT_DIR)
    set(output_dir "${ADMF_PLUGIN_OUTPUT_DIR}")
  elseif(CMAKE_LIBRARY_OUTPUT_DIRECTORY)
    set(output_dir "${CMAKE_LIBRARY_OUTPUT_DIRECTORY}")
  else()
    set(output_dir "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${output_dir}")
  if(ADMF_INSTALL_PLUGINS)
    if(ADMF_PLUGIN_INSTALL_DIR)
      set(install_dir "${ADMF_PLUGIN_INSTALL_DIR}")
    else()
      set(install_dir lib/admf/plugins)
    endif()
    install(TARGETS ${name} LIBRARY DESTINATION "${install_dir}")
  endif()
endfunction()
