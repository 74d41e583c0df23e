// STUB: being written.
#include "components/kinesis_stream.hpp"

#include "engine/engine.hpp"

namespace sluice::components {

KinesisStream::KinesisStream(engine::Engine& e, const ComponentSpec& spec, std::uint32_t index)
    : engine_(&e), spec_(&spec), config_(&std::get<KinesisSpec>(spec.config)), index_(index) {}
void KinesisStream::receive(const engine::Caller& caller, const engine::Lineage& lineage) {
  engine::Message m = engine_->new_message(lineage, engine_->component_index(spec_->name));
  engine_->end_message(m, engine::Failure::none);
  engine_->reply_after(kernel::SimTime{}, caller, engine::Failure::none);
}
void KinesisStream::on_timer(std::uint64_t) {}
void KinesisStream::finish_run() {}
std::uint64_t KinesisStream::messages_in_flight() const { return 0; }
double KinesisStream::cost_usd() const { return 0; }
nlohmann::ordered_json KinesisStream::summary() const { return {{"type", spec_->type}}; }

}  // namespace sluice::components
namespace sluice::components {
void KinesisStream::attach(KinesisEventSourceMapping*) {}
}  // namespace sluice::components
