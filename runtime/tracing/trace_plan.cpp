#include "runtime/tracing/trace_plan.hpp"

#include <algorithm>

#include "runtime/core/error.hpp"

namespace admf {

bool matches_pattern(const std::string& pattern, const std::string& name) {
  // Iterative glob: remember the last `*` and retry from one character further.
  std::size_t p = 0, n = 0, star = std::string::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] != '*' && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

namespace {

/// Higher is more specific: an exact name beats every pattern, then more literal characters.
std::size_t specificity(const std::string& pattern) {
  const auto literal = static_cast<std::size_t>(
    std::count_if(pattern.begin(), pattern.end(), [](char c) { return c != '*'; }));
  return pattern.find('*') == std::string::npos ? literal + 1'000'000 : literal;
}

}  // namespace

std::vector<std::optional<trace_rule>> resolve_trace_rules(const trace_settings& settings,
                                                           const std::vector<std::string>& names) {
  std::vector<std::optional<trace_rule>> rules(names.size());
  if (!settings.enabled)
    return rules;
  for (const auto& p : settings.containers)
    if (std::none_of(names.begin(), names.end(),
                     [&](const std::string& n) { return matches_pattern(p.pattern, n); })) {
      std::string known;
      for (const auto& n : names)
        known += (known.empty() ? "" : ", ") + n;
      throw input_error(p.location + ": pattern '" + p.pattern
                        + "' matches no container (containers: " + known + ")");
    }
  for (std::size_t i = 0; i < names.size(); ++i) {
    const trace_pattern* best = nullptr;
    for (const auto& p : settings.containers) {
      if (!matches_pattern(p.pattern, names[i]))
        continue;
      // Ties go to the alphabetically first pattern, so the choice never depends on order.
      if (!best || specificity(p.pattern) > specificity(best->pattern)
          || (specificity(p.pattern) == specificity(best->pattern) && p.pattern < best->pattern))
        best = &p;
    }
    const trace_rule& rule = best ? best->rule : settings.defaults;
    if (rule.enabled)
      rules[i] = rule;
  }
  return rules;
}

}  // namespace admf
