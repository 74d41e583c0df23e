#!/usr/bin/env bash
# The build's layers (CMakeLists.txt, sluice_layer): each layer compiles against an include
# directory that holds only itself and the layers below it. Checks that a header of each layer's own
# and lower layers compiles there (the control) and that an include pointing up does not.
# Usage: tests/layers/check_layers.sh CXX BUILD_DIR
set -u
cxx=${1:?usage: $0 CXX BUILD_DIR}
layers=${2:?usage: $0 CXX BUILD_DIR}/layers
failures=0
compiles() {  # layer, header
  printf '#include "%s"\n' "$2" | "$cxx" -std=c++20 -fsyntax-only -I/usr/include/eigen3 -I"$layers/$1" -x c++ - 2>/dev/null
}
expect() {  # layer, header, yes|no
  if compiles "$1" "$2"; then got=yes; else got=no; fi
  if [ "$got" = "$3" ]; then echo "ok    $1 includes $2: $got"; else
    echo "FAIL  $1 includes $2: expected $3, got $got"; failures=$((failures + 1)); fi
}
expect kernel kernel/sampling.hpp yes
expect kernel sluice/model.hpp no
expect kernel metrics/time_series.hpp no
expect metrics metrics/time_series.hpp yes
expect metrics sluice/model.hpp no
expect metrics sluice/model/sqs.hpp no     # a service's spec is the model's
expect model model/readers.hpp yes
expect model sluice/model/sqs.hpp yes
expect model metrics/time_series.hpp no
expect model engine/engine.hpp no
expect model sluice/run.hpp no
expect engine engine/runtime.hpp yes          # the components' view of the engine
expect engine components/lambda_function.hpp yes
expect engine engine/engine.hpp no            # components never see the concrete engine
expect engine engine/services.hpp no
expect engine sluice/analysis.hpp no
expect engine_sources engine/engine.hpp yes   # the engine's own sources
expect engine_sources sluice/analysis.hpp no
expect analysis sluice/analysis.hpp yes
expect analysis engine/engine.hpp no
expect analysis components/lambda_function.hpp no
exit $failures
