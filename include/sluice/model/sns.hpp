#pragma once
// An SNS topic (aws-facts §3): the model's spec of an `sns` component and its subscriptions.
#include <string>
#include <string_view>
#include <vector>

#include "sluice/distribution.hpp"
#include "sluice/errors.hpp"
#include "sluice/model/links.hpp"

namespace sluice {

struct SnsSubscription {
  std::string target;  // an sqs queue or a lambda (asynchronous invocation)
  SourceLocation where;
  double filter = 1.0;  // fraction of messages that pass the subscription filter
  bool operator==(const SnsSubscription&) const = default;
};

struct SnsSpec {
  static constexpr std::string_view kType = "sns";          // `type:` in the model
  static constexpr std::string_view kDotShape = "hexagon";  // in `sluice graph`
  // What the loader and `sluice graph` need to know (sluice/model/links.hpp, ServiceSpec).
  static constexpr LinkKind kFromSource = link_kind::publish;
  static constexpr LinkKind kFromAsyncSource = link_kind::none;
  static constexpr std::string_view kSourceHint = "";
  static constexpr std::string_view kStepHint = "a publish step publishes to an SNS topic";
  static constexpr bool kFunction = false;
  static constexpr bool kStream = false;
  std::vector<SnsSubscription> subscribers;
  Distribution latency;                             // the Publish call
  Distribution delivery_latency;                    // from publish to the subscriber
  static SnsSpec read(const model::SpecInput& in);  // sim/model/sns_reader.cpp
  std::vector<ComponentLink> links() const;
  std::string unpolled_warning() const;
  bool operator==(const SnsSpec&) const = default;
};

}  // namespace sluice
