# Finds Debian's libcsv-dev (RFC 4180 CSV), which ships no CMake or pkg-config file.
# Defines the libcsv::csv imported target.
find_path(LIBCSV_INCLUDE_DIR csv.h)
find_library(LIBCSV_LIBRARY csv)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(libcsv REQUIRED_VARS LIBCSV_INCLUDE_DIR LIBCSV_LIBRARY)

if(libcsv_FOUND AND NOT TARGET libcsv::csv)
  add_library(libcsv::csv UNKNOWN IMPORTED)
  set_target_properties(libcsv::csv PROPERTIES
    IMPORTED_LOCATION "${LIBCSV_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${LIBCSV_INCLUDE_DIR}")
endif()
