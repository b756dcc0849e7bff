// Precompiled for admf_core: CAF's headers dominate compile time on a 2-core machine.
#pragma once
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <spdlog/spdlog.h>
