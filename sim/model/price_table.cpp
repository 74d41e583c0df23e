// The price table: the compiled-in default (data/prices.yaml), a price file of the same shape,
// and single overrides from the model. Unknown keys are errors: a misspelled price must never
// fall back silently to the default.
#include <filesystem>

#include <fmt/format.h>

#include "model/price_table_reader.hpp"
#include "model/suggest.hpp"
#include "model/yaml_document.hpp"

namespace sluice::detail {
extern const char* const kDefaultPricesYaml;
}

namespace sluice {

double PriceTable::at(const std::string& key) const {
  auto it = usd.find(key);
  if (it == usd.end()) throw std::logic_error("no price for " + key);
  return it->second;
}

}  // namespace sluice

namespace sluice::model {
namespace {

std::vector<std::string> keys_of(const PriceTable& t) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : t.usd) keys.push_back(k);
  return keys;
}

void set_price(PriceTable& table, const LoadContext& ctx, const YAML::Node& where, const std::string& path,
               const std::string& key, double value, bool must_exist) {
  if (must_exist && !table.usd.count(key))
    ctx.fail(where, path,
             fmt::format("unknown price {}{}; known prices: {}", quote(key), did_you_mean(key, keys_of(table)),
                         join(keys_of(table))));
  if (value < 0) ctx.fail(where, path, "a price must not be negative");
  table.usd[key] = value;
}

// Reads {service: {dimension: {usd: x, ...} or x}} into flattened "service.dimension" keys.
void read_price_file(PriceTable& table, const LoadContext& ctx, const YAML::Node& root, bool must_exist) {
  if (!root.IsMap()) ctx.fail(root, "", "a price file is a mapping of services to prices");
  for (auto service = root.begin(); service != root.end(); ++service) {
    std::string name = service->first.as<std::string>("");
    if (!service->second.IsMap()) ctx.fail(service->second, name, "expected a mapping of prices");
    for (auto dim = service->second.begin(); dim != service->second.end(); ++dim) {
      std::string key = name + "." + dim->first.as<std::string>("");
      YAML::Node v = dim->second;  // a copy: dim-> yields a temporary proxy
      double usd = 0;
      if (v.IsMap()) {
        MapReader r(ctx, v, key, {"usd", "source", "as_of", "unit"});
        usd = read_number(ctx, r.at("usd"), key + ".usd");
      } else {
        usd = read_number(ctx, v, key);
      }
      set_price(table, ctx, v, key, key, usd, must_exist);
    }
  }
}

}  // namespace

PriceTable default_prices() {
  PriceTable table;
  LoadContext ctx{"data/prices.yaml (built in)", ".", {}};
  read_price_file(table, ctx, YAML::Load(detail::kDefaultPricesYaml), false);
  table.source = "default";
  return table;
}

PriceTable read_prices(const LoadContext& ctx, const MapReader& account) {
  PriceTable table = default_prices();
  if (account.has("pricing")) {
    std::string pricing = account.string("pricing");
    if (pricing.empty()) account.fail("pricing", "expected default or the path of a price file");
    if (pricing != "default") {
      std::string path = pricing.front() == '/'
                             ? pricing
                             : (std::filesystem::path(ctx.base_dir) / pricing).lexically_normal().string();
      // Reading errors are placed where the model names the file; errors inside it, in the file.
      std::string text =
          read_yaml_file(path, "price file", quote(pricing),
                         ctx.locate(account.node()["pricing"], account.path_of("pricing")), account.path_of("pricing"));
      YAML::Node file = parse_yaml(text, YamlOrigin{"price file", path, "", true});
      LoadContext file_ctx{path, ctx.base_dir, {}};  // positions in the price file name it as resolved
      read_price_file(table, file_ctx, file, true);
      table.source = pricing;
    }
  }
  if (account.has("prices")) {
    YAML::Node prices = account.at("prices");
    if (!prices.IsMap()) account.fail("prices", "expected a mapping like {\"lambda.request_per_million\": 0.25}");
    for (auto it = prices.begin(); it != prices.end(); ++it) {
      std::string key = it->first.as<std::string>("");
      std::string path = account.path_of("prices") + "." + key;
      set_price(table, ctx, it->first, path, key, read_number(ctx, it->second, path), true);
    }
  }
  return table;
}

}  // namespace sluice::model
