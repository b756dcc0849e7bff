#include "runtime/barriers/barrier.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "runtime/barriers/time_zone.hpp"
#include "runtime/core/error.hpp"
#include "runtime/data/market_data.hpp"

namespace admf {
namespace {

/// What every barrier sees of the current slice.
struct slice_state {
  timestamp time;
  const std::vector<bool>& present;  ///< per symbol: has a bar at `time`
  const std::vector<bool>& seen;     ///< per symbol: has had a bar at or before `time`
};

std::string where(const barrier_config& config) {
  return config.location.empty() ? "barriers" : config.location;
}

} // namespace

/// One barrier of the tree. admit() records the decision, which allow() and
/// carried() then report for the same slice.
class barrier_node {
public:
  explicit barrier_node(std::size_t symbols) : carried_(symbols, false) {}
  virtual ~barrier_node() = default;

  bool admit(const slice_state& slice) {
    std::fill(carried_.begin(), carried_.end(), false);
    admitted_ = decide(slice);
    return admitted_;
  }

  /// Per symbol: a carried bar is to be added. All false unless admitted.
  const std::vector<bool>& carried() const { return carried_; }

  /// How many of `emitted` signals at `t` this barrier lets through.
  virtual std::size_t allow(timestamp t, std::size_t emitted) const { return admitted_ ? emitted : 0; }
  /// `kept` signals passed the whole set at `t`.
  virtual void record(timestamp t, std::size_t kept) {}
  virtual void reset() {}

protected:
  /// The decision on the slice; marks carried_ only when it admits.
  virtual bool decide(const slice_state& slice) = 0;

  std::vector<bool> carried_;

private:
  bool admitted_ = false;
};

namespace {

class alignment_node final : public barrier_node {
public:
  alignment_node(std::vector<symbol_id> symbols, missing_bars missing, std::size_t symbol_count)
      : barrier_node(symbol_count), symbols_(std::move(symbols)), missing_(missing) {}

protected:
  bool decide(const slice_state& slice) override {
    // skip waits for real bars; carry_forward only for each symbol's first bar.
    const auto& needed = missing_ == missing_bars::skip ? slice.present : slice.seen;
    if (!std::all_of(symbols_.begin(), symbols_.end(), [&](symbol_id s) { return needed[s]; }))
      return false;
    for (symbol_id s : symbols_)
      carried_[s] = !slice.present[s];
    return true;
  }

private:
  std::vector<symbol_id> symbols_;
  missing_bars missing_;
};

class hours_node final : public barrier_node {
public:
  hours_node(const trading_hours_barrier& hours, time_zone zone, std::size_t symbol_count)
      : barrier_node(symbol_count), hours_(hours), zone_(zone) {}

protected:
  bool decide(const slice_state& slice) override {
    const local_reading local = zone_.local(slice.time);
    return (hours_.days & day_bit(local.day)) != 0 && local.second_of_day >= hours_.start_minute * 60
           && local.second_of_day < hours_.end_minute * 60;
  }

private:
  trading_hours_barrier hours_;
  time_zone zone_;
};

class signals_node final : public barrier_node {
public:
  signals_node(const max_signals_barrier& limit, std::size_t symbol_count)
      : barrier_node(symbol_count), limit_(limit) {}

  std::size_t allow(timestamp t, std::size_t emitted) const override {
    return std::min(emitted, left(t));
  }

  void record(timestamp t, std::size_t kept) override {
    if (period_of(t) != period_) {
      period_ = period_of(t);
      passed_ = 0;
    }
    passed_ += kept;
  }

  void reset() override {
    period_ = no_period;
    passed_ = 0;
  }

protected:
  bool decide(const slice_state& slice) override { return left(slice.time) > 0; }

private:
  static constexpr timestamp no_period = std::numeric_limits<timestamp>::min();

  /// Periods are counted from the epoch; floor division keeps times before 1970 right.
  timestamp period_of(timestamp t) const {
    const timestamp q = t / limit_.period;
    return t % limit_.period < 0 ? q - 1 : q;
  }

  std::size_t left(timestamp t) const {
    if (period_of(t) != period_)
      return limit_.count;
    return passed_ >= limit_.count ? 0 : limit_.count - passed_;
  }

  max_signals_barrier limit_;
  timestamp period_ = no_period;
  std::size_t passed_ = 0;  ///< signals kept in period_
};

class group_node final : public barrier_node {
public:
  group_node(barrier_group::mode combine, std::vector<std::unique_ptr<barrier_node>> children,
             std::size_t symbol_count)
      : barrier_node(symbol_count), combine_(combine), children_(std::move(children)) {}

  std::size_t allow(timestamp t, std::size_t emitted) const override {
    std::size_t all = emitted, any = 0;
    for (const auto& child : children_) {
      const std::size_t allowed = child->allow(t, emitted);
      all = std::min(all, allowed);
      any = std::max(any, allowed);
    }
    return combine_ == barrier_group::mode::all ? all : any;
  }

  void record(timestamp t, std::size_t kept) override {
    for (auto& child : children_)
      child->record(t, kept);
  }

  void reset() override {
    for (auto& child : children_)
      child->reset();
  }

protected:
  bool decide(const slice_state& slice) override {
    std::size_t admitting = 0;
    for (auto& child : children_)
      admitting += child->admit(slice) ? 1 : 0;
    const bool admitted = combine_ == barrier_group::mode::all ? admitting == children_.size()
                                                               : admitting > 0;
    // Children that did not admit carry nothing, so under any only admitting ones add.
    if (admitted)
      for (const auto& child : children_)
        for (std::size_t s = 0; s < carried_.size(); ++s)
          carried_[s] = carried_[s] || child->carried()[s];
    return admitted;
  }

private:
  barrier_group::mode combine_;
  std::vector<std::unique_ptr<barrier_node>> children_;
};

// ---------------------------------------------------------------- building the tree

std::unique_ptr<barrier_node> build(const barrier_config& config,
                                    const std::vector<std::string>& names,
                                    const std::vector<symbol_id>& own);

/// An alignment without a symbol list aligns the strategy's own symbols (`own`; empty:
/// every symbol of the run).
std::vector<symbol_id> resolve_symbols(const data_alignment_barrier& alignment,
                                       const barrier_config& config,
                                       const std::vector<std::string>& names,
                                       const std::vector<symbol_id>& own) {
  std::vector<symbol_id> ids;
  if (alignment.symbols.empty()) {
    if (!own.empty())
      return own;
    for (symbol_id id = 0; id < names.size(); ++id)
      ids.push_back(id);
    return ids;
  }
  for (std::size_t i = 0; i < alignment.symbols.size(); ++i) {
    const bool placed = i < alignment.symbol_locations.size();
    ids.push_back(symbol_named(names, alignment.symbols[i],
                               placed ? alignment.symbol_locations[i] : where(config)));
  }
  return ids;
}

std::unique_ptr<barrier_node> build_group(const barrier_group& group, const barrier_config& config,
                                          const std::vector<std::string>& names,
                                          const std::vector<symbol_id>& own) {
  if (group.children.empty())
    throw input_error(where(config) + ": a barrier group needs at least one barrier");
  std::vector<std::unique_ptr<barrier_node>> children;
  for (const auto& child : group.children)
    children.push_back(build(child, names, own));
  return std::make_unique<group_node>(group.combine, std::move(children), names.size());
}

std::unique_ptr<barrier_node> build_hours(const trading_hours_barrier& hours,
                                          const barrier_config& config, std::size_t symbol_count) {
  const auto zone = time_zone::find(hours.timezone);
  if (!zone)
    throw input_error(where(config) + ": unknown time zone '" + hours.timezone + "'");
  if (hours.start_minute < 0 || hours.end_minute > 24 * 60 || hours.start_minute >= hours.end_minute)
    throw input_error(where(config) + ": trading hours need 00:00 <= start < end <= 24:00");
  if (hours.days == 0)
    throw input_error(where(config) + ": trading hours need at least one day");
  return std::make_unique<hours_node>(hours, *zone, symbol_count);
}

std::unique_ptr<barrier_node> build_signals(const max_signals_barrier& limit,
                                            const barrier_config& config, std::size_t symbol_count) {
  if (limit.count < 1 || limit.period <= 0)
    throw input_error(where(config) + ": max_signals needs count >= 1 and a period > 0");
  return std::make_unique<signals_node>(limit, symbol_count);
}

std::unique_ptr<barrier_node> build(const barrier_config& config,
                                    const std::vector<std::string>& names,
                                    const std::vector<symbol_id>& own) {
  if (const auto* group = std::get_if<barrier_group>(&config.barrier))
    return build_group(*group, config, names, own);
  if (const auto* hours = std::get_if<trading_hours_barrier>(&config.barrier))
    return build_hours(*hours, config, names.size());
  if (const auto* limit = std::get_if<max_signals_barrier>(&config.barrier))
    return build_signals(*limit, config, names.size());
  const auto& alignment = std::get<data_alignment_barrier>(config.barrier);
  return std::make_unique<alignment_node>(resolve_symbols(alignment, config, names, own),
                                          alignment.missing, names.size());
}

} // namespace

// ---------------------------------------------------------------- barrier_set

barrier_set::barrier_set(const barrier_config& config, const std::vector<std::string>& symbol_names,
                         const std::vector<symbol_id>& own_symbols)
    : root_(build(config, symbol_names, own_symbols)), last_(symbol_names.size()), seen_(symbol_names.size()),
      present_(symbol_names.size()) {}

barrier_set::~barrier_set() = default;
barrier_set::barrier_set(barrier_set&&) noexcept = default;
barrier_set& barrier_set::operator=(barrier_set&&) noexcept = default;

std::optional<std::vector<timed_bar>> barrier_set::admit(timestamp t,
                                                         const std::vector<bar_data>& slice) {
  if (time_ && t <= *time_)
    throw std::invalid_argument("barrier_set::admit: times must increase");
  for (std::size_t i = 0; i < slice.size(); ++i)
    if (slice[i].symbol >= last_.size() || (i > 0 && slice[i].symbol <= slice[i - 1].symbol))
      throw std::invalid_argument("barrier_set::admit: slice not sorted by known symbol ids");
  time_ = t;
  std::fill(present_.begin(), present_.end(), false);
  for (const bar_data& bar : slice) {
    present_[bar.symbol] = seen_[bar.symbol] = true;
    last_[bar.symbol] = bar;
  }
  signals_pending_ = root_->admit(slice_state{t, present_, seen_});
  if (!signals_pending_)
    return std::nullopt;

  std::vector<timed_bar> bars;
  auto next = slice.begin();  // the slice and the symbol ids share one order
  for (symbol_id s = 0; s < last_.size(); ++s) {
    if (present_[s]) {
      bars.push_back({t, *next++});
    } else if (root_->carried()[s]) {
      const double close = last_[s].close;
      bars.push_back({t, bar_data{s, close, close, close, close, 0}});
    }
  }
  return bars;
}

std::size_t barrier_set::keep_signals(timestamp t, std::size_t emitted) {
  if (!signals_pending_ || t != *time_)
    throw std::logic_error("barrier_set::keep_signals: call it once per admitted slice, after admit");
  signals_pending_ = false;
  const std::size_t kept = root_->allow(t, emitted);
  root_->record(t, kept);
  return kept;
}

void barrier_set::reset() {
  root_->reset();
  std::fill(last_.begin(), last_.end(), bar_data{});
  std::fill(seen_.begin(), seen_.end(), false);
  std::fill(present_.begin(), present_.end(), false);
  time_.reset();
  signals_pending_ = false;
}

} // namespace admf
