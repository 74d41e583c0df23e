// Memory per queued message: a source sends to an SQS queue that nobody consumes, so every
// message stays queued. The resident memory the run adds,
// read while the engine is alive at the end of the run, divided by the messages queued, is the
// all-in cost of one waiting message: its record, its request, the queue's slot and the pools'
// bookkeeping (the goal is at most 128 bytes). The queue has no consumer in the model, so its
// messages do not hold their requests open: the requests complete and only the messages stay.
//
//   queued_message_memory [MESSAGES]      default 10000000
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include <fmt/core.h>

#include "sluice/model.hpp"
#include "sluice/run.hpp"

namespace {

double current_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t messages = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const double rate = 10000;  // per second, uniform: exactly `messages` arrivals
  const double seconds = static_cast<double>(messages) / rate;
  const std::string yaml = fmt::format(R"(
sluice: 1
name: backlog
run: {{duration: {}s, bucket: 10m, budget: {{in_flight: {}}}}}
sources:
  producer: {{target: backlog, arrivals: {{process: uniform, rate: {}/s}}, payload: {{size: 1KB}}}}
components:
  backlog: {{type: sqs, retention: 14d, latency: 1ms}}
)",
                                       seconds + 1e-3, messages * 2 + 1000, rate);
  sluice::ModelSpec model = sluice::load_model_from_string(yaml);
  const double before = current_rss_bytes();
  double at_end = 0;
  sluice::RunOptions options;
  options.on_progress = [&](const sluice::Progress&) { at_end = current_rss_bytes(); };  // the last call is at the end
  sluice::Results r = sluice::run(model, options);
  const auto queued =
      std::get<sluice::summary::Sqs>(*sluice::summary::find(r.summary.components, "backlog")).metrics.visible.max;
  fmt::print("messages queued at the end:   {:.0f}\n", queued);
  fmt::print("resident memory added:        {:.1f} MB\n", (at_end - before) / 1048576.0);
  fmt::print("bytes per queued message:     {:.1f}   (goal: at most 128)\n", (at_end - before) / queued);
  fmt::print("ledger balanced:              {}\n", r.summary.ledger.balanced);
  return 0;
}
