#pragma once
#include "model/yaml_reader.hpp"

namespace sluice::model {

PriceTable default_prices();
// account.pricing (default or a file) and account.prices (single overrides).
PriceTable read_prices(const LoadContext& ctx, const MapReader& account);

}  // namespace sluice::model
