#pragma once
// An SNS topic's section of summary.json: CloudWatch's AWS/SNS metrics.
#include <cstdint>
#include <string_view>

#include "sluice/summary/figures.hpp"

namespace sluice::summary {

struct SnsMetrics {
  std::uint64_t published = 0, delivered = 0, delivery_failures = 0, filtered_out = 0, throttled = 0;
  template <class V>
  void fields(V& v) const {
    v("NumberOfMessagesPublished", published);
    v("NumberOfNotificationsDelivered", delivered);
    v("NumberOfNotificationsFailed", delivery_failures);
    v("NumberOfNotificationsFilteredOut", filtered_out);
    v("Throttled", throttled);
  }
};

struct Sns {
  std::uint64_t subscribers = 0;
  SnsMetrics metrics;
  Cost cost_usd;
  template <class V>
  void fields(V& v) const {
    v("type", std::string_view("sns"));
    v("subscribers", subscribers);
    v("metrics", metrics);
    v("cost_usd", cost_usd);
  }
};

}  // namespace sluice::summary
