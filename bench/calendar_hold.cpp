// The hold benchmark for the event calendar (as in ns-3's bench-scheduler): keep N events
// pending, then repeat "pop the earliest, schedule it again at its time + an exponential
// increment". Compares kernel::EventCalendar with the textbook baseline, std::priority_queue as a
// min-heap on (time, seq), on the same pre-generated times, so random-number generation is not
// timed. Each size is run `reps` times, alternating the two; the table gives the median rates and
// the median (and range) of the per-pair speed-ups, which drifts in machine load affect least.
//
//   calendar_hold [reps]      (default 5)
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>

#include "kernel/event.hpp"
#include "kernel/event_calendar.hpp"
#include "kernel/sim_time.hpp"

namespace {

using sluice::kernel::Event;
using sluice::kernel::EventCalendar;
using sluice::kernel::SimTime;

// The baseline: std::priority_queue as a min-heap on (time, seq), behind the calendar's interface.
class PriorityQueueCalendar {
 public:
  void schedule(SimTime t, std::uint32_t target, std::uint32_t kind, std::uint64_t payload) {
    queue_.push(Event{t, next_seq_++, target, kind, payload});
  }
  Event pop() {
    Event e = queue_.top();
    queue_.pop();
    return e;
  }
  std::size_t size() const { return queue_.size(); }

 private:
  struct Later {
    bool operator()(const Event& a, const Event& b) const { return b < a; }
  };
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  std::uint64_t next_seq_ = 0;
};

// Exponential durations with mean 1 s, in integer nanoseconds.
std::vector<std::int64_t> exponential_ns(std::size_t count, std::uint64_t seed) {
  boost::random::mt19937_64 rng(seed);
  boost::random::exponential_distribution<double> one_second(1.0);
  std::vector<std::int64_t> out(count);
  for (auto& x : out) x = SimTime::from_ns_rounded(one_second(rng) * 1e9).ns;
  return out;
}

struct HoldResult {
  double mholds_per_s = 0;
  std::uint64_t checksum = 0;  // depends on the order of the pops: equal for equal orders
};

template <class Calendar>
HoldResult hold(const std::vector<std::int64_t>& initial, const std::vector<std::int64_t>& increments,
                std::size_t holds) {
  Calendar calendar;
  for (std::size_t i = 0; i < initial.size(); ++i) {
    calendar.schedule(SimTime::from_ns(initial[i]), static_cast<std::uint32_t>(i), 0, i);
  }
  std::uint64_t checksum = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < holds; ++i) {
    const Event e = calendar.pop();
    checksum = checksum * 0x9E37'79B9'7F4A'7C15u + (static_cast<std::uint64_t>(e.time.ns) ^ e.payload);
    calendar.schedule(e.time + SimTime::from_ns(increments[i]), e.target, e.kind, e.payload);
  }
  const auto stop = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(stop - start).count();
  return {static_cast<double>(holds) / seconds / 1e6, checksum + calendar.size()};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  struct Size {
    std::size_t pending;
    std::size_t holds;
  };
  const std::vector<Size> sizes = {{1'000, 10'000'000}, {100'000, 10'000'000}, {1'000'000, 5'000'000}};
  const std::size_t max_holds = 10'000'000;
  const std::vector<std::int64_t> increments = exponential_ns(max_holds, 2);

  fmt::print("hold benchmark: exponential(mean 1 s) times and increments, median of {} runs\n", reps);
  fmt::print("{:>10} {:>10} {:>18} {:>24} {:>9} {:>14}\n", "pending", "holds", "calendar Mholds/s",
             "priority_queue Mholds/s", "speed-up", "(range)");
  int status = 0;
  for (const Size& size : sizes) {
    const std::vector<std::int64_t> initial = exponential_ns(size.pending, 1);
    std::vector<double> calendar_rates;
    std::vector<double> baseline_rates;
    std::vector<double> speedups;
    for (int r = 0; r < reps; ++r) {
      const HoldResult c = hold<EventCalendar>(initial, increments, size.holds);
      const HoldResult b = hold<PriorityQueueCalendar>(initial, increments, size.holds);
      if (c.checksum != b.checksum) {
        fmt::print(stderr, "pending {}: the calendar and the baseline popped in different orders\n", size.pending);
        status = 1;
      }
      calendar_rates.push_back(c.mholds_per_s);
      baseline_rates.push_back(b.mholds_per_s);
      speedups.push_back(c.mholds_per_s / b.mholds_per_s);
    }
    const auto [lo, hi] = std::minmax_element(speedups.begin(), speedups.end());
    fmt::print("{:>10} {:>10} {:>18.2f} {:>24.2f} {:>8.2f}x {:>14}\n", size.pending, size.holds, median(calendar_rates),
               median(baseline_rates), median(speedups), fmt::format("({:.2f}-{:.2f}x)", *lo, *hi));
    std::fflush(stdout);
  }
  return status;
}
