#pragma once
// What a component's spec says about itself beyond its own settings: the other components it
// names (links()), how a source or a step reaches it, and what the loader needs to read it.
// From these the loader checks every name (sim/model/references.cpp) and builds the architecture
// graph (sim/model/architecture_graph.cpp, `sluice graph`) without naming any service.
#include <concepts>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {
namespace model {
struct SpecInput;  // what a service's reader reads (sim/model/spec_input.hpp)
}  // namespace model

// How work moves along a link: the label of its edge in `sluice graph`, and whether the caller
// waits for the answer (an invocation, a table call) or hands the work over (a queue, a topic, a
// stream, an asynchronous invocation).
struct LinkKind {
  std::string_view how;  // empty: no link
  bool sync = false;
  constexpr bool none() const { return how.empty(); }
  bool operator==(const LinkKind&) const = default;
};

namespace link_kind {
inline constexpr LinkKind none{};
inline constexpr LinkKind invoke{"invoke", true};
inline constexpr LinkKind invoke_async{"invoke_async", false};
inline constexpr LinkKind send{"send", false};
inline constexpr LinkKind publish{"publish", false};
inline constexpr LinkKind put{"put", false};
inline constexpr LinkKind read{"read", true};
inline constexpr LinkKind write{"write", true};
inline constexpr LinkKind query{"query", true};
inline constexpr LinkKind transact_write{"transact_write", true};
inline constexpr LinkKind subscription{"subscription", false};
inline constexpr LinkKind poll{"poll", false};
inline constexpr LinkKind dead_letter{"dead_letter", false};
inline constexpr LinkKind on_failure{"on_failure", false};
}  // namespace link_kind

// One name a component uses for another component.
struct ComponentLink {
  LinkKind kind{};
  std::string name{};                     // the component named
  std::string key{};                      // its key path below the component: "steps.2.send", "dead_letter.target"
  std::vector<std::string_view> types{};  // the types it may name
  std::string_view what{};                // in errors: "a send step's target", "a topic's subscriber"
  bool inbound = false;                   // the edge goes from the named component to this one (a trigger's poll)
  bool resolved_by_reader = false;        // the spec's own reader resolves it (a trigger's names), not references.cpp
  bool hint_from_target = false;          // naming a component of another type adds how that one is called (kStepHint)
  std::string_view not_itself{};          // the error when it names its own component; empty: allowed
  bool operator==(const ComponentLink&) const = default;
};

// What every alternative of ComponentConfig provides (checked where ComponentConfig is defined):
//   kType               `type:` in the model
//   kDotShape           its shape in `sluice graph`
//   kFromSource         how a source hands it a request (link_kind::none: a source cannot target it)
//   kFromAsyncSource    the same with `invocation: async` (none: the source's invocation does not apply)
//   kSourceHint         why a source cannot target it, when it cannot
//   kStepHint           which step calls it, for an error when a step names it wrongly
//   kFunction           it runs a function's code: Lambda's recursive-loop detection counts it (aws-facts §1.5)
//   kStream             it is read by polling a stream, which starts a new chain for that detection
//   links()             the components it names, in the order the loader checks them and the graph draws them
//   unpolled_warning()  the warning when work reaches it but nothing polls it; empty: none
//   read(SpecInput)     its reader: YAML to spec, every key checked (sim/model/<service>_reader.cpp)
template <class Spec>
concept ServiceSpec = requires(const Spec& spec, const model::SpecInput& in) {
  { Spec::kType } -> std::convertible_to<std::string_view>;
  { Spec::kDotShape } -> std::convertible_to<std::string_view>;
  { Spec::kFromSource } -> std::convertible_to<LinkKind>;
  { Spec::kFromAsyncSource } -> std::convertible_to<LinkKind>;
  { Spec::kSourceHint } -> std::convertible_to<std::string_view>;
  { Spec::kStepHint } -> std::convertible_to<std::string_view>;
  { Spec::kFunction } -> std::convertible_to<bool>;
  { Spec::kStream } -> std::convertible_to<bool>;
  { spec.links() } -> std::same_as<std::vector<ComponentLink>>;
  { spec.unpolled_warning() } -> std::same_as<std::string>;
  { Spec::read(in) } -> std::same_as<Spec>;
};

}  // namespace sluice
