# tools/imageio.cmake: the tools-only helper library `recimg_imageio`
# (image I/O over libpng and libjpeg-turbo, quality and realism metrics, the
# libjpeg-turbo reference encoder and the Bjontegaard BD-rate). Used by the
# recimg command, by bench/ and by tests/tools/; never by codec/ or rec/.
# Included from tools/CMakeLists.txt (and from tests/tools/ when the tools are
# not built); the guard makes a second include a no-op.
include_guard(GLOBAL)

pkg_check_modules(RECIMG_PNG REQUIRED IMPORTED_TARGET GLOBAL libpng)
pkg_check_modules(RECIMG_JPEG REQUIRED IMPORTED_TARGET GLOBAL libjpeg)
pkg_check_modules(RECIMG_TURBOJPEG REQUIRED IMPORTED_TARGET GLOBAL libturbojpeg)

add_library(recimg_imageio STATIC
  ${CMAKE_CURRENT_LIST_DIR}/imageio.c
  ${CMAKE_CURRENT_LIST_DIR}/metrics.c
  ${CMAKE_CURRENT_LIST_DIR}/realism.c
  ${CMAKE_CURRENT_LIST_DIR}/bdrate.c
  ${CMAKE_CURRENT_LIST_DIR}/jpegref.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_compare.c)
target_include_directories(recimg_imageio PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(recimg_imageio
  PRIVATE recimg_flags PkgConfig::RECIMG_PNG PkgConfig::RECIMG_JPEG
          PkgConfig::RECIMG_TURBOJPEG
  PUBLIC m)

# Benchmarks of the tools helper (bench/, never part of ctest).
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/../bench/png_level.c)
  add_executable(bench_png_level ${CMAKE_CURRENT_LIST_DIR}/../bench/png_level.c)
  target_link_libraries(bench_png_level PRIVATE recimg_imageio recimg_flags)
  include(${CMAKE_CURRENT_LIST_DIR}/../bench/bench_args.cmake)
  recimg_bench_args(bench_png_level)
endif()
