// Must NOT compile: an order_batch sent to a portfolio. Only execution takes orders.
#include "runtime/bus/actors.hpp"

void route_orders(admf::backtest_actor::pointer self, admf::portfolio_actor portfolio) {
  self->send(portfolio, admf::order_batch{});
}

int main() {}
