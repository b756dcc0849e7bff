#include "actors/portfolio/account.hpp"

#include <cmath>

#include "actors/execution/fill_model.hpp"

namespace admf {

namespace {

/// The first limit that `units` breaks, if any. The sums are formed as the budget's
/// own check (q p + c <= budget) forms them, so an entry sized from all the cash at
/// the fill price passes exactly.
std::optional<cancel_reason> broken_limit(const portfolio_book& book, const fill_data& fill,
                                          double units, const entry_rules& r) {
  const double value = units * fill.price;
  const double fee = commission_for(units, fill.price, r.commission, fill.month_to_date);
  const double equity = book.equity(), gross = book.gross_exposure();
  if (equity <= 0)
    return cancel_reason::account_ruined;  // a resting entry of a ruined account
  if (r.account.type == account_type::cash) {
    // Long only, so G <= E is exactly cash >= 0, checked as the budget was sized.
    if (fill.action == side::sell)
      return cancel_reason::short_sale;  // risk refuses these; a fill past a position is one
    if (value + fee > book.cash())
      return cancel_reason::insufficient_cash;
  } else {
    const double leverage = r.account.leverage;
    if ((gross + value) + leverage * fee > leverage * equity)
      return cancel_reason::insufficient_margin;
  }
  const double max_gross = r.risk.max_gross_exposure;
  if ((gross + value) + max_gross * fee > max_gross * equity)
    return cancel_reason::max_gross_exposure;
  const position* held = book.find(fill.strategy, fill.symbol);
  const double held_value =
    held ? std::abs(held->quantity * book.last_close(fill.symbol)) : 0.0;
  const double max_position = r.risk.max_position_size;
  if ((held_value + value) + max_position * fee > max_position * equity)
    return cancel_reason::max_position_size;
  return std::nullopt;
}

}  // namespace

entry_admission admit_entry(const portfolio_book& book, const fill_data& fill, double quantity,
                            const entry_rules& rules) {
  const auto broken = broken_limit(book, fill, quantity, rules);
  const double lot = rules.instrument.lot_size;
  const double wanted_lots = lots_in(quantity, lot);
  const bool whole = lots_to_units(wanted_lots, lot) == quantity;
  if (!broken && whole)
    return {quantity, std::nullopt};
  // `quantity` itself is not allowed (or not in whole lots): cut, or refuse it all.
  const auto why = broken.value_or(cancel_reason::lot_size);
  if (rules.account.on_shortfall == shortfall_policy::reject)
    return {0, why};
  // Every limit only gets harder as the quantity grows.
  const double kept = lots_to_units(most_lots(wanted_lots,
                                              [&](double n) {
                                                return !broken_limit(book, fill,
                                                                     lots_to_units(n, lot), rules);
                                              }),
                                    lot);
  if (kept > 0 && kept < rules.instrument.min_quantity)
    return {0, cancel_reason::below_min_quantity};
  return {kept, why};
}

double buying_power(const portfolio_book& book, const account_config& account) {
  if (account.type == account_type::cash)
    return book.cash();
  return account.leverage * book.equity() - book.gross_exposure();
}

std::optional<liquidation_data> liquidation_due(const portfolio_update_data& u,
                                                const account_config& account) {
  if (u.gross_exposure <= 0)
    return std::nullopt;
  if (u.equity <= 0)
    return liquidation_data{u.portfolio, liquidation_reason::ruined, u.equity, u.gross_exposure,
                            0};
  const double requirement = account.maintenance_margin * u.gross_exposure;
  if (account.type == account_type::margin && u.equity < requirement)
    return liquidation_data{u.portfolio, liquidation_reason::margin_call, u.equity,
                            u.gross_exposure, requirement};
  return std::nullopt;
}

}  // namespace admf
