// The risk container: judges a portfolio's order proposals against its limits and
// answers with ORDER events (approved) and RISK_REJECT events (with the reason).
#pragma once
#include "runtime/bus/actors.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

risk_actor::behavior_type risk_behavior(risk_actor::pointer self, context_ptr ctx,
                                        std::size_t portfolio);

}  // namespace admf
