#pragma once
// Ctrl-C during a run. The engine runs without the GIL, so Python's SIGINT handler cannot run
// until the engine returns, minutes later for a long run. The engine calls
// RunOptions::check_interrupt between batches of events; this one lets Python handle pending
// signals there and carries the KeyboardInterrupt out of the run.
#include <pybind11/pybind11.h>

#include <functional>

namespace sluice::python {

// At most every 100 ms of wall time: takes the GIL, runs Python's signal handlers (only the
// main thread does: PyErr_CheckSignals is a no-op elsewhere) and throws what they raise; and,
// when `cancel` is a threading.Event that is set, throws KeyboardInterrupt (a sweep sets it to
// stop the runs of its other threads). `cancel` is borrowed: the caller keeps it alive during
// the run. Holds no Python reference, so the engine may copy it without the GIL.
std::function<void()> interrupt_check(PyObject* cancel = nullptr);

}  // namespace sluice::python
