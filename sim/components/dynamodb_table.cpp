// STUB: being written.
#include "components/dynamodb_table.hpp"

#include "engine/engine.hpp"

namespace sluice::components {

DynamoDbTable::DynamoDbTable(engine::Engine& e, const ComponentSpec& spec, std::uint32_t index)
    : engine_(&e), spec_(&spec), config_(&std::get<DynamoDbSpec>(spec.config)), index_(index) {}
void DynamoDbTable::receive(const engine::Caller& caller, const engine::Lineage&, const engine::TableRequest&) {
  engine_->reply_after(kernel::SimTime::from_ns_rounded(5e6), caller, engine::Failure::none);
}
void DynamoDbTable::on_timer(std::uint64_t) {}
void DynamoDbTable::start() {}
void DynamoDbTable::finish_run() {}
double DynamoDbTable::cost_usd() const { return 0; }
nlohmann::ordered_json DynamoDbTable::summary() const { return {{"type", "dynamodb"}, {"cost_usd", {{"total", 0.0}}}}; }

}  // namespace sluice::components
