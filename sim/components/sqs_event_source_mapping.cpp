// STUB: being written.
#include "components/sqs_event_source_mapping.hpp"

#include "engine/engine.hpp"

namespace sluice::components {

SqsEventSourceMapping::SqsEventSourceMapping(engine::Engine& e, const ComponentSpec& function_spec, std::uint32_t index, std::uint32_t function, SqsQueue& queue)
    : engine_(&e), trigger_(&*std::get<LambdaSpec>(function_spec.config).trigger), index_(index), function_(function), queue_(&queue) {}
void SqsEventSourceMapping::start() {}
void SqsEventSourceMapping::on_timer(std::uint64_t) {}
void SqsEventSourceMapping::on_batch_reply(kernel::Handle, engine::Failure, std::uint32_t) {}
engine::Message& SqsEventSourceMapping::record(kernel::Handle, std::uint32_t) { static engine::Message m; return m; }
std::uint32_t SqsEventSourceMapping::records(kernel::Handle) const { return 0; }
void SqsEventSourceMapping::finish_run() {}
nlohmann::ordered_json SqsEventSourceMapping::summary() const { return nlohmann::ordered_json::object(); }

}  // namespace sluice::components
