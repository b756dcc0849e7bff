// Must compile: the control case for the typed-interface cases (each send goes to an
// actor whose interface takes it).
#include "runtime/bus/actors.hpp"
#include "runtime/bus/port.hpp"

void publish(admf::strategy_actor::pointer self, admf::strategy_parent_actor portfolio,
             admf::backtest_actor::pointer root, admf::execution_actor execution) {
  admf::bus_port port;
  port.publish(self, portfolio, admf::signal_batch{});
  root->send(execution, admf::order_batch{});
}

int main() {}
