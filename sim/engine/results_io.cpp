// Writing results: summary.json and timeseries.csv, byte-identical for the same run.
#include <optional>
#include <string_view>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "sluice/results.hpp"

namespace sluice {
namespace {

using json = nlohmann::ordered_json;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_variant : std::false_type {};
template <class... T>
struct is_variant<std::variant<T...>> : std::true_type {};
template <class T>
struct is_named : std::false_type {};
template <class T>
struct is_named<std::vector<std::pair<std::string, T>>> : std::true_type {};

template <class T>
concept has_fields = requires(const T& x, struct ObjectWriter& w) {
  x.fields(w);
};

template <class T>
json value_of(const T& x);

// The one writer of every summary section: called by a section's fields() with each key and
// value in order. An empty key writes a section's fields into the enclosing object; an absent
// optional writes nothing.
struct ObjectWriter {
  json& out;
  template <class T>
  void operator()(std::string_view key, const T& x) {
    if constexpr (is_optional<T>::value) {
      if (x) (*this)(key, *x);
    } else if constexpr (is_variant<T>::value) {
      if (key.empty()) std::visit([&](const auto& alternative) { alternative.fields(*this); }, x);
      else out[std::string(key)] = value_of(x);
    } else if constexpr (has_fields<T>) {
      if (key.empty()) x.fields(*this);
      else out[std::string(key)] = value_of(x);
    } else {
      out[std::string(key)] = value_of(x);
    }
  }
};

template <class T>
json value_of(const T& x) {
  if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string>) {
    return x;
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    return std::string(x);
  } else if constexpr (is_variant<T>::value) {
    return std::visit([](const auto& alternative) { return value_of(alternative); }, x);
  } else if constexpr (is_named<T>::value) {
    json j = json::object();
    for (const auto& [name, entry] : x) j[name] = value_of(entry);
    return j;
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    return json(x);
  } else {
    json j = json::object();
    ObjectWriter writer{j};
    x.fields(writer);
    return j;
  }
}

}  // namespace

json summary_document(const summary::Summary& summary) { return value_of(summary); }

std::string summary_to_json(const Results& results) { return summary_document(results.summary).dump(2) + "\n"; }

std::string timeseries_to_csv(const Results& results) {
  const TimeSeries& ts = results.timeseries;
  std::string out = "time_s,component,metric,value\n";
  out.reserve(ts.rows() * 40);
  for (std::size_t i = 0; i < ts.rows(); ++i)
    fmt::format_to(std::back_inserter(out), "{},{},{},{}\n", ts.time_s[i], ts.components[ts.component[i]],
                   ts.metrics[ts.metric[i]], ts.value[i]);
  return out;
}

}  // namespace sluice
