#include "sim/compile/program.h"

namespace catsim {

std::string_view name_of(UnitKind u) {
  switch (u) {
    case UnitKind::dma_load: return "dma_load";
    case UnitKind::dma_store: return "dma_store";
    case UnitKind::array: return "array";
    case UnitKind::vector: return "vector";
  }
  return "?";
}

CommandId Program::add(Command c) {
  if (queues.empty()) queues.assign(cores, std::vector<std::vector<CommandId>>(kUnitKinds));
  CommandId id = static_cast<CommandId>(commands.size());
  queues[c.core][static_cast<int>(c.unit)].push_back(id);
  commands.push_back(std::move(c));
  return id;
}

}  // namespace catsim
