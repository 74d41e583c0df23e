#pragma once
// An SNS topic's section of summary.json: CloudWatch's AWS/SNS metrics.
#include <array>
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

  static constexpr std::string_view kTableTitle = "topic";
  static constexpr std::array<Column, 5> kColumns{
      {{"published", 10}, {"delivered", 10}, {"retried", 9}, {"filtered", 9}, {"cost", 10}}};
  std::array<Cell, 5> table_row() const {
    return {Cell::count(metrics.published), Cell::count(metrics.delivered), Cell::count(metrics.delivery_failures),
            Cell::count(metrics.filtered_out), Cell::usd(cost_usd.total)};
  }
  // Publishes refused by the account's quota.
  Pressure pressure() const { return {0, 0, metrics.throttled, 0, 0}; }
};

}  // namespace sluice::summary
