# Warnings are a property of each target, never global flags.
function(sluice_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
      -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
    # GCC 12's middle-end reports false positives inside yaml-cpp and std::string once inlined
    # (GCC bugs 105329 and 106199); they are not about our code.
    target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-Wno-dangling-pointer -Wno-restrict>)
    # GCC 13+ (Debian 13) warns of dangling references on returned references it cannot follow.
    target_compile_options(${target} PRIVATE
      $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_GREATER_EQUAL:$<CXX_COMPILER_VERSION>,13>>:-Wno-dangling-reference>)
  endif()
  if(SLUICE_WERROR)
    target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU,Clang>:-Werror>)
    # Newer GCCs (13+, Debian 13) add middle-end diagnostics that fire inside inlined library
    # code (Boost, Eigen, libstdc++); they stay visible but do not fail the build.
    target_compile_options(${target} PRIVATE
      $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_GREATER_EQUAL:$<CXX_COMPILER_VERSION>,13>>:-Wno-error=maybe-uninitialized;-Wno-error=array-bounds;-Wno-error=stringop-overflow;-Wno-error=stringop-overread;-Wno-error=free-nonheap-object;-Wno-error=null-dereference>)
  endif()
endfunction()
