// The sections on trading costs and limits: `execution:` (commission, slippage and borrow
// fee, also read per symbol by `instruments:`), `risk:` and `supervision:`.
#include "runtime/config/section_readers.hpp"

namespace admf::sections {

using namespace yaml;

namespace {

/// `tiers:` of a commission: each tier's rates, `up_to` increasing, the last open-ended.
std::vector<commission_tier> read_tiers(const field& f) {
  std::vector<commission_tier> tiers;
  const auto items = list_items(f);
  for (const field& item : items) {
    const map_reader map(item, {"up_to", "per_share", "percent"});
    commission_tier tier;
    if (!map.find("per_share") && !map.find("percent"))
      item.fail("give per_share or percent (0 for a free tier)");
    read_number(map, "per_share", at_least_zero, tier.per_share);
    read_number(map, "percent", at_least_zero, tier.percent);
    const auto up_to = map.find("up_to");
    const bool last = tiers.size() + 1 == items.size();
    if (last && up_to)
      up_to->fail("the last tier takes every unit above the one before: give it no up_to");
    if (!last && !up_to)
      item.fail("missing key 'up_to' (only the last tier has none)");
    if (up_to) {
      tier.up_to = checked_number(*up_to, above_zero);
      if (!tiers.empty() && tier.up_to <= tiers.back().up_to)
        up_to->fail("must be above the previous tier's up_to, got " + quote(up_to->node.Scalar()));
    }
    tiers.push_back(tier);
  }
  return tiers;
}

}  // namespace

commission_config read_commission(const field& f) {
  const map_reader map(f, {"per_share", "percent", "minimum", "maximum", "tiers"});
  commission_config commission;
  if (auto tiers = map.find("tiers")) {
    // A rate beside the tiers would be ambiguous: added to each tier's, or a default?
    for (const char* key : {"per_share", "percent"})
      if (auto given = map.find(key))
        given->fail("give the rates in each tier, not beside 'tiers'");
    commission.tiers = read_tiers(*tiers);
  }
  read_number(map, "per_share", at_least_zero, commission.per_share);
  read_number(map, "percent", at_least_zero, commission.percent);
  read_number(map, "minimum", at_least_zero, commission.minimum);
  if (auto maximum = map.find("maximum")) {
    commission.maximum = checked_number(*maximum, at_least_zero);
    // A cap below the floor would make the floor a lie: every order would pay the cap.
    if (commission.maximum < commission.minimum)
      maximum->fail("must be >= minimum, got " + quote(maximum->node.Scalar()));
  }
  return commission;
}

namespace {

// A spread is a fraction of the mid price: at 1 or more the bid would be at or below zero.
constexpr number_rule spread_rule{[](double x) { return x >= 0 && x < 1; }, ">= 0 and < 1"};

}  // namespace

slippage_config read_slippage(const field& f) {
  const map_reader map(f, {"fixed", "percent", "spread"});
  const std::pair<const char*, slippage_kind> kinds[] = {
    {"fixed", slippage_kind::fixed},
    {"percent", slippage_kind::percent},
    {"spread", slippage_kind::spread}};
  std::optional<slippage_config> slippage;
  for (const auto& [key, kind] : kinds)
    if (auto given = map.find(key)) {
      if (slippage)
        f.fail("give one of 'fixed', 'percent' or 'spread', not several");
      slippage = slippage_config{
        kind, checked_number(*given, kind == slippage_kind::spread ? spread_rule : at_least_zero)};
    }
  return slippage.value_or(slippage_config{});
}

execution_config read_execution(const field& f) {
  const map_reader map(f, {"commission", "slippage", "borrow_fee", "max_volume_fraction"});
  execution_config execution;
  read_number(map, "borrow_fee", at_least_zero, execution.borrow_fee);
  // Above 0 and at most 1: a bar cannot give more than the volume that traded in it.
  read_number(map, "max_volume_fraction", fraction, execution.max_volume_fraction);
  if (auto commission = map.find("commission"))
    execution.commission = read_commission(*commission);
  if (auto slippage = map.find("slippage"))
    execution.slippage = read_slippage(*slippage);
  return execution;
}

risk_config read_risk(const field& f) {
  const map_reader map(f, {"max_position_size", "max_gross_exposure", "max_drawdown"});
  risk_config risk;
  read_number(map, "max_position_size", above_zero, risk.max_position_size);
  read_number(map, "max_gross_exposure", above_zero, risk.max_gross_exposure);
  read_number(map, "max_drawdown", fraction, risk.max_drawdown);
  return risk;
}

supervision_config read_supervision(const field& f) {
  const map_reader map(f, {"on_failure", "max_restarts"});
  supervision_config supervision;
  if (auto on_failure = map.find("on_failure"))
    supervision.on_failure =
      to_choice<failure_policy>(*on_failure, {{"restart", failure_policy::restart},
                                              {"stop_portfolio", failure_policy::stop_portfolio}});
  read_count(map, "max_restarts", 0, supervision.max_restarts);
  return supervision;
}

}  // namespace admf::sections
