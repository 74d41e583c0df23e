#pragma once
// The services a model's component can be, registered once each in `Services`. The engine keeps a
// vector of each service's components and reaches them through this list, resolved at compile
// time (no virtual call). A service's class names its model type (kType) and has what it takes
// part in, found by its signature:
//   constructor (runtime, spec, route)  route: where its events come back (engine/event_route.hpp)
//   Event, on_event(event, payload)     its own events, scheduled with its route
//   receive(caller, lineage)   a call: an invocation or the service's API call (call())
//   accept(message) -> bool    a message another service hands over (hand_over())
//   connect()                  once every component exists (a function builds its trigger's mapping)
//   polled()                   what an event source mapping on it polls (a queue, a stream)
//   start(), start_polling(), finish_run()   at the start and the end of the run
//   messages_in_flight()       units of work it holds, for the ledger
//   summary()                  its section of summary.json (a summary::Component alternative)
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "components/api_gateway.hpp"
#include "components/dynamodb_table.hpp"
#include "components/kinesis_stream.hpp"
#include "components/lambda_function.hpp"
#include "components/sns_topic.hpp"
#include "components/sqs_queue.hpp"

namespace sluice::engine {

template <class... Service>
struct ServiceList {};

// One line per service. The order is the order of the passes over every component: connect()
// builds a table's stream before a function's mapping reads it, and a function's finish_run()
// shares its standing cost among the sources after every other service has shared its own.
using Services = ServiceList<components::ApiGateway, components::SqsQueue, components::SnsTopic,
                             components::KinesisStream, components::DynamoDbTable, components::LambdaFunction>;

// The components of a run, one vector per service of the list.
template <class List>
class ServiceStore;

template <class... Service>
class ServiceStore<ServiceList<Service...>> {
 public:
  static constexpr std::size_t kServices = sizeof...(Service);

  template <class S>
  std::vector<S>& of() {
    return std::get<std::vector<S>>(vectors_);
  }
  template <class S>
  const std::vector<S>& of() const {
    return std::get<std::vector<S>>(vectors_);
  }

  // The position of a service in the list: how a component reference names its service.
  template <class S>
  static constexpr std::uint8_t index_of() {
    std::uint8_t i = 0, found = 0;
    ((std::is_same_v<S, Service> ? (found = i, ++i) : ++i), ...);
    return found;
  }
  // The service whose model type is `type`, if any.
  static std::optional<std::uint8_t> service_of(std::string_view type) {
    std::uint8_t i = 0;
    std::optional<std::uint8_t> found;
    ((type == Service::kType ? (found = i, ++i) : ++i), ...);
    return found;
  }

  // f(component) for component `index` of service `service`; R is what f returns.
  template <class R = void, class F>
  R visit(std::uint8_t service, std::uint32_t index, F&& f) {
    return visit_impl<R>(*this, service, index, f);
  }
  template <class R = void, class F>
  R visit(std::uint8_t service, std::uint32_t index, F&& f) const {
    return visit_impl<R>(*this, service, index, f);
  }
  // Adds a component to the vector of service `service`, built from (args...).
  template <class... Args>
  void emplace(std::uint8_t service, Args&&... args) {
    std::uint8_t i = 0;
    (void)((i++ == service ? (of<Service>().emplace_back(std::forward<Args>(args)...), true) : false) || ...);
  }
  // f(vector) for each service's vector of components.
  template <class F>
  void for_each_service(F&& f) {
    (f(of<Service>()), ...);
  }
  // f(component) for every component, service by service in the list's order.
  template <class F>
  void for_each(F&& f) {
    (for_each_of<Service>(f), ...);
  }
  template <class F>
  void for_each(F&& f) const {
    (for_each_of<Service>(f), ...);
  }

 private:
  template <class S, class F>
  void for_each_of(F& f) {
    for (auto& c : of<S>()) f(c);
  }
  template <class S, class F>
  void for_each_of(F& f) const {
    for (const auto& c : of<S>()) f(c);
  }
  template <class R, class Self, class F>
  static R visit_impl(Self& self, std::uint8_t service, std::uint32_t index, F& f) {
    if constexpr (std::is_void_v<R>) {
      std::uint8_t i = 0;
      (void)((i++ == service ? (f(self.template of<Service>()[index]), true) : false) || ...);
    } else {
      R result{};
      std::uint8_t i = 0;
      (void)((i++ == service ? (result = f(self.template of<Service>()[index]), true) : false) || ...);
      return result;
    }
  }

  std::tuple<std::vector<Service>...> vectors_;
};

// The passes' order relies on these (see Services' comment).
static_assert(ServiceStore<Services>::index_of<components::DynamoDbTable>() <
                  ServiceStore<Services>::index_of<components::LambdaFunction>(),
              "a table's connect() builds its stream before a function's mapping reads it");
static_assert(ServiceStore<Services>::index_of<components::LambdaFunction>() + 1 == ServiceStore<Services>::kServices,
              "functions share their standing costs after every other service (finish_run)");

}  // namespace sluice::engine
