// The account's rules, free of actors: how much of an entry fill the account can take,
// how much an entry may be budgeted, and when positions must be liquidated.
//
// The model (README "Accounts"): equity E = cash + sum of signed position values;
// gross exposure G = sum of |position values|. Every entry fill must leave
// G <= leverage x E (a cash account has leverage 1). A cash account buys with its cash,
// which never goes below zero, and does not sell short. A margin account may borrow
// (negative cash) and sell short; short sale proceeds are cash but not buying power:
// with leverage 1 a short of value V needs V of the account's own equity besides its
// proceeds (Reg T asks 50% on top of the proceeds: leverage 2).
#pragma once
#include <optional>

#include "actors/portfolio/portfolio_book.hpp"
#include "runtime/config/backtest_config.hpp"

namespace admf {

/// What the account keeps of an entry fill: `quantity` units (a whole number of lots,
/// <= the fill's), and why it kept less.
struct entry_admission {
  double quantity = 0;
  std::optional<cancel_reason> cut;
};

/// The limits an entry fill is checked against, all of them at the fill price.
struct entry_rules {
  const account_config& account;
  const risk_config& risk;
  const commission_config& commission;
  const instrument_config& instrument;
};

/// Admits `quantity` units of an entry (opening or adding to a position) at `price`
/// for `book`'s (strategy, symbol), with the book before the fill and other positions
/// at their last closes. Every limit, with c(q) the commission of q units:
///   account: cash: a buy with q p + c(q) <= cash (no short sale);
///            margin: G + q p + L c(q) <= L E  (L: leverage),
///   risk:    G + q p + x c(q) <= x E  (x: max_gross_exposure),
///            V + q p + s c(q) <= s E  (V: |value| of the position added to; s: max_position_size).
/// Under `cut` the answer is the largest whole number of lots meeting all, or 0 when that
/// is below the instrument's minimum; under `reject`, all or nothing.
entry_admission admit_entry(const portfolio_book& book, const fill_data& fill, double quantity,
                            const entry_rules& rules);

/// What entries may spend at a close in all, before what other entries of the same
/// close reserve: a cash account's cash; a margin account's L E - G.
double buying_power(const portfolio_book& book, const account_config& account);

/// A liquidation due at a close with `update` (equity and gross exposure at that close):
/// ruined when equity <= 0, a margin call when a margin account's equity is below
/// maintenance_margin x gross exposure; nullopt when nothing is held or all is well.
std::optional<liquidation_data> liquidation_due(const portfolio_update_data& update,
                                                const account_config& account);

}  // namespace admf
