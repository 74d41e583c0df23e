// A minimal hand-written M/M/c/c loss simulation, as its own process, for timing sluice's whole
// process against it (bench/erlang_b_process.sh): a min-heap of departure times, Boost.Random
// mt19937_64 with inverse-CDF exponentials, a count of blocked arrivals; no metrics, no output
// files. The same loop as bench/mmcc_vs_handloop's, with the system given on the command line.
//
//   mmcc_handloop servers rate_per_s mean_service_s duration_s [seed]
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <queue>
#include <vector>

#include <boost/random/mersenne_twister.hpp>

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: mmcc_handloop servers rate_per_s mean_service_s duration_s [seed]\n");
    return 2;
  }
  const auto servers = static_cast<std::size_t>(std::atoi(argv[1]));
  const double rate = std::atof(argv[2]), mean_service = std::atof(argv[3]), duration = std::atof(argv[4]);
  boost::random::mt19937_64 rng(argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1);
  auto exponential = [&rng](double mean) {  // uniform on (0, 1] from the top 53 bits
    const double u = (static_cast<double>(rng() >> 11) + 1.0) * 0x1.0p-53;
    return -mean * std::log(u);
  };
  std::vector<double> storage;
  storage.reserve(servers);
  std::priority_queue<double, std::vector<double>, std::greater<>> departures(std::greater<>{}, std::move(storage));
  std::uint64_t arrivals = 0, blocked = 0;
  double now = 0;
  for (;;) {
    now += exponential(1.0 / rate);
    if (now >= duration) break;
    ++arrivals;
    while (!departures.empty() && departures.top() <= now) departures.pop();
    if (departures.size() < servers) departures.push(now + exponential(mean_service));
    else ++blocked;
  }
  std::printf("arrivals %llu blocked %llu blocking %.6f\n", static_cast<unsigned long long>(arrivals),
              static_cast<unsigned long long>(blocked), static_cast<double>(blocked) / static_cast<double>(arrivals));
  return 0;
}
