// The sections on what an account may hold: `account:` (cash or margin) and
// `instruments:` (lot sizes and costs per symbol).
#include "runtime/config/section_readers.hpp"

namespace admf::sections {

using namespace yaml;

namespace {

constexpr number_rule at_least_one{[](double x) { return x >= 1; }, ">= 1"};
constexpr number_rule below_one{[](double x) { return x >= 0 && x < 1; }, ">= 0 and < 1"};
// Below a billionth of a unit, lot counts of ordinary budgets pass 2^53, where doubles
// stop counting whole lots (a satoshi is 1e-8).
constexpr number_rule lot_rule{[](double x) { return x >= 1e-9 && x <= 1e9; },
                               ">= 1e-9 and <= 1e9"};

}  // namespace

account_config read_account(const field& f) {
  const map_reader map(f, {"type", "leverage", "maintenance_margin", "on_shortfall"});
  account_config account;
  if (auto type = map.find("type"))
    account.type = to_choice<account_type>(
      *type, {{"cash", account_type::cash}, {"margin", account_type::margin}});
  if (account.type == account_type::cash) {
    // A cash account borrows nothing: leverage and margin calls do not apply.
    for (const char* key : {"leverage", "maintenance_margin"})
      if (auto given = map.find(key))
        given->fail("only for 'type: margin' (a cash account has leverage 1)");
  } else {
    account.leverage = 2;  // Reg T initial margin of 50%
    read_number(map, "leverage", at_least_one, account.leverage);
    read_number(map, "maintenance_margin", below_one, account.maintenance_margin);
    if (account.maintenance_margin * account.leverage >= 1)
      map.require(map.find("maintenance_margin") ? "maintenance_margin" : "leverage")
        .fail("maintenance_margin x leverage must be < 1, or every full entry is called at once");
  }
  if (auto policy = map.find("on_shortfall"))
    account.on_shortfall = to_choice<shortfall_policy>(
      *policy, {{"cut", shortfall_policy::cut}, {"reject", shortfall_policy::reject}});
  return account;
}

std::map<std::string, instrument_config> read_instruments(const field& f) {
  std::map<std::string, instrument_config> out;
  const map_reader symbols(f, {});  // any key: symbol names are checked against the data
  for (const auto& [symbol, entry] : symbols.entries()) {
    const map_reader map(entry,
                         {"lot_size", "min_quantity", "commission", "slippage", "borrow_fee"});
    instrument_config instrument;
    read_number(map, "lot_size", lot_rule, instrument.lot_size);
    read_number(map, "min_quantity", at_least_zero, instrument.min_quantity);
    if (auto commission = map.find("commission"))
      instrument.commission = read_commission(*commission);
    if (auto slippage = map.find("slippage"))
      instrument.slippage = read_slippage(*slippage);
    if (auto borrow_fee = map.find("borrow_fee"))
      instrument.borrow_fee = checked_number(*borrow_fee, at_least_zero);
    instrument.location = entry.location();
    out.emplace(symbol, instrument);
  }
  return out;
}

}  // namespace admf::sections
