// The readers of the config's sections, one file per concern (read_data.cpp,
// read_execution.cpp, read_engine.cpp, read_tracing.cpp, read_portfolios.cpp);
// load_config.cpp reads the top level with them. Each throws input_error
// "FILE:LINE: KEY_PATH: what" on the first problem it finds.
#pragma once
#include "runtime/config/backtest_config.hpp"
#include "runtime/yaml/yaml_reader.hpp"

namespace admf::sections {

/// `data:`: one source by its keys, or a list of them under `sources:`. CSV paths
/// must exist (relative ones: from the working directory, else beside the config).
data_config read_data(const yaml::field& f);

/// `execution:`: commission and slippage.
execution_config read_execution(const yaml::field& f);

/// `risk:` of the config or of one portfolio.
risk_config read_risk(const yaml::field& f);

/// `supervision:` of the config or of one portfolio.
supervision_config read_supervision(const yaml::field& f);

/// `engine:`: batching and flow control.
engine_config read_engine(const yaml::field& f);

/// `metrics:` of the config or of one portfolio: the keys it has replace those of `base`.
metrics_config read_metrics(const yaml::field& f, metrics_config base);

/// `trace_settings:`: a preset level, refined by a default rule and per-container rules.
trace_settings read_trace_settings(const yaml::field& f);

/// One entry of `portfolios:`; `risk` and `supervision` are the top-level sections,
/// used whole unless the portfolio has its own; `metrics` is refined key by key.
portfolio_config read_portfolio(const yaml::field& f, const risk_config& risk,
                                const supervision_config& supervision,
                                const metrics_config& metrics);

}  // namespace admf::sections
