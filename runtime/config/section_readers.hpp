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

/// `execution:`: commission, slippage and the borrow fee of shorts.
execution_config read_execution(const yaml::field& f);
/// `commission:` of `execution:` or of one symbol under `instruments:`: flat rates, or
/// `tiers:` of rates by month-to-date volume.
commission_config read_commission(const yaml::field& f);
/// `slippage:` of `execution:` or of one symbol: one of fixed, percent or spread.
slippage_config read_slippage(const yaml::field& f);

/// `risk:` of the config or of one portfolio.
risk_config read_risk(const yaml::field& f);

/// `account:` of the config or of one portfolio: cash (default) or margin.
account_config read_account(const yaml::field& f);

/// `instruments:`: lot size, minimum quantity and own costs by symbol name (checked against the
/// data's symbols when the run starts: runtime/run/run_context.cpp).
std::map<std::string, instrument_config> read_instruments(const yaml::field& f);

/// `supervision:` of the config or of one portfolio.
supervision_config read_supervision(const yaml::field& f);

/// `engine:`: batching and flow control.
engine_config read_engine(const yaml::field& f);

/// `metrics:` of the config or of one portfolio: the keys it has replace those of `base`.
metrics_config read_metrics(const yaml::field& f, metrics_config base);

/// `trace_settings:`: a preset level, refined by a default rule and per-container rules.
trace_settings read_trace_settings(const yaml::field& f);

/// The top-level sections a portfolio uses: risk, account and supervision whole
/// unless it has its own; metrics refined key by key.
struct portfolio_defaults {
  risk_config risk;
  account_config account;
  supervision_config supervision;
  metrics_config metrics;
};

/// One entry of `portfolios:`.
portfolio_config read_portfolio(const yaml::field& f, const portfolio_defaults& defaults);

}  // namespace admf::sections
