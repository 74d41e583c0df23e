// STUB: being written.
#include "components/kinesis_event_source_mapping.hpp"

#include "engine/engine.hpp"

namespace sluice::components {

KinesisEventSourceMapping::KinesisEventSourceMapping(engine::Engine& e, const ComponentSpec& function_spec, std::uint32_t index, std::uint32_t function, KinesisStream& queue)
    : engine_(&e), trigger_(&*std::get<LambdaSpec>(function_spec.config).trigger), index_(index), function_(function), queue_(&queue) {}
void KinesisEventSourceMapping::start() {}
void KinesisEventSourceMapping::on_timer(std::uint64_t) {}
void KinesisEventSourceMapping::on_batch_reply(kernel::Handle, engine::Failure, std::uint32_t) {}
engine::Message& KinesisEventSourceMapping::record(kernel::Handle, std::uint32_t) { static engine::Message m; return m; }
std::uint32_t KinesisEventSourceMapping::records(kernel::Handle) const { return 0; }
void KinesisEventSourceMapping::finish_run() {}
nlohmann::ordered_json KinesisEventSourceMapping::summary() const { return nlohmann::ordered_json::object(); }

}  // namespace sluice::components
