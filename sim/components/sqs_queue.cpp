// STUB: being written.
#include "components/sqs_queue.hpp"

#include "engine/engine.hpp"

namespace sluice::components {

SqsQueue::SqsQueue(engine::Engine& e, const ComponentSpec& spec, std::uint32_t index)
    : engine_(&e), spec_(&spec), config_(&std::get<SqsSpec>(spec.config)), index_(index) {}
void SqsQueue::receive(const engine::Caller& caller, const engine::Lineage& lineage) {
  engine::Message m = engine_->new_message(lineage, engine_->component_index(spec_->name));
  engine_->end_message(m, engine::Failure::none);
  engine_->reply_after(kernel::SimTime{}, caller, engine::Failure::none);
}
void SqsQueue::on_timer(std::uint64_t) {}
void SqsQueue::finish_run() {}
std::uint64_t SqsQueue::messages_in_flight() const { return 0; }
double SqsQueue::cost_usd() const { return 0; }
nlohmann::ordered_json SqsQueue::summary() const { return {{"type", spec_->type}}; }

}  // namespace sluice::components
namespace sluice::components {
bool SqsQueue::accept(engine::Message m) { engine_->end_message(m, engine::Failure::none); return true; }
void SqsQueue::attach(SqsEventSourceMapping* c) { consumer_ = c; }
void SqsQueue::charge_requests(const engine::Lineage&, double) {}
}  // namespace sluice::components
