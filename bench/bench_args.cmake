# bench/bench_args.cmake: recimg_bench_args(TARGET) compiles the command-line value
# parsers into a bench program: tools/tool_args.c (the recimg command's, not a copy)
# and bench/bench_args.c (lists, words, usage errors). Included from bench/ and tools/
# (which define bench programs); the guard makes a second include a no-op.
include_guard(GLOBAL)

function(recimg_bench_args target)
  target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tools/tool_args.c
                                   ${PROJECT_SOURCE_DIR}/bench/bench_args.c)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tools ${PROJECT_SOURCE_DIR}/bench)
endfunction()
