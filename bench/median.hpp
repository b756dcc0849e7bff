// The median the bench programs report: robust to the outliers a shared machine makes.
#pragma once
#include <algorithm>
#include <vector>

namespace admf::bench {

/// The middle value of `v` (the mean of the two middle ones for an even count);
/// `v` must not be empty.
inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace admf::bench
