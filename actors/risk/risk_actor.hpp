// The risk container: judges a portfolio's order proposals against its limits and
// answers with ORDER events (approved) and RISK_REJECT events (with the reason).
#pragma once
#include <caf/fwd.hpp>

#include "runtime/engine/run_context.hpp"

namespace admf {

caf::behavior risk_actor(caf::event_based_actor* self, context_ptr ctx, std::size_t portfolio);

} // namespace admf
