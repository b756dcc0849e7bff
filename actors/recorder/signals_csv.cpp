#include "actors/recorder/signals_csv.hpp"

#include "runtime/plugin/signal_csv.hpp"
#include "runtime/results/format.hpp"

namespace admf {

namespace names = plugin::signal_csv;

namespace {

/// A text cell as RFC 4180 has it: quoted when it holds a comma, a quote or a line break.
void append_text(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"')
      out += '"';  // a quote inside is doubled
    out += c;
  }
  out += '"';
}

void append_nonzero(std::string& out, double value) {
  out += ',';
  if (value != 0)
    append_double(out, value);
}

}  // namespace

std::string signals_csv_header() {
  std::string out;
  for (const char* column : names::columns)
    out += std::string(out.empty() ? "" : ",") + column;
  return out + '\n';
}

void append_signal_row(std::string& out, std::string_view time, const std::string& strategy,
                       const std::string& symbol, const signal_data& s) {
  out += time;
  out += ',';
  append_text(out, strategy);
  out += ',';
  append_text(out, symbol);
  out += ',';
  out += names::action_names[static_cast<int>(s.action)];
  if (s.action == signal_action::cancel) {
    out += ",,,,,,,,,,,,,\n";
    return;
  }
  if (s.action == signal_action::replace) {
    out += ",,,";
    append_nonzero(out, s.quantity);
    out += ',';
    append_nonzero(out, s.limit_price);
    append_nonzero(out, s.stop_price);
    out += ",,,,,,\n";
    return;
  }
  const bool side = s.sizing == target_kind::side;
  out += ',';
  out += names::target_names[static_cast<int>(s.sizing)];
  out += ',';
  if (side) {
    out += names::side_names[static_cast<int>(s.target)];
    out += ',';
    append_double(out, s.strength);
  } else {
    out += ',';
  }
  append_nonzero(out, side ? s.quantity : s.target_value);
  out += ',';
  out += names::type_names[static_cast<int>(s.kind)];
  for (double value : {s.limit_price, s.stop_price, s.trail_amount, s.trail_percent})
    append_nonzero(out, value);
  out += ',';
  out += names::tif_names[static_cast<int>(s.tif)];
  out += ',';
  if (s.expire_time != 0) {
    char text[19];
    out.append(text, format_timestamp(s.expire_time, text));
  }
  append_nonzero(out, s.stop_loss);
  append_nonzero(out, s.take_profit);
  out += '\n';
}

}  // namespace admf
