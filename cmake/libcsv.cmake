# libcsv::csv, the imported target of libcsv (RFC 4180 CSV): Debian's package has no
# CMake or pkg-config file. Included by the build and by the installed admf package
# (admf::runtime links it).
if(NOT TARGET libcsv::csv)
  find_path(CSV_INCLUDE_DIR csv.h REQUIRED)
  find_library(CSV_LIBRARY csv REQUIRED)
  add_library(libcsv::csv UNKNOWN IMPORTED)
  set_target_properties(libcsv::csv PROPERTIES
    IMPORTED_LOCATION ${CSV_LIBRARY} INTERFACE_INCLUDE_DIRECTORIES ${CSV_INCLUDE_DIR})
endif()
