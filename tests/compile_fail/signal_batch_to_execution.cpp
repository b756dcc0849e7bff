// Must NOT compile: a strategy's signal_batch sent to the execution container, whose
// interface (runtime/bus/actors.hpp) does not take it. Signals go to the portfolio.
#include "runtime/bus/actors.hpp"
#include "runtime/bus/port.hpp"

void publish_signals(admf::strategy_actor::pointer self, admf::execution_actor execution) {
  admf::bus_port port;
  port.publish(self, execution, admf::signal_batch{});
}

int main() {}
