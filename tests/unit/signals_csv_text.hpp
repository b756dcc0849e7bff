// The signals.csv header line as the README documents it, spelled out once for the
// tests (independently of the code that writes and reads it).
#pragma once
#include <string>

namespace admf::test {

inline const std::string signals_header = "time,strategy,symbol,action,target,side,strength,value,"
                                          "type,limit_price,stop_price,trail_amount,trail_percent,"
                                          "tif,expire_time,stop_loss,take_profit\n";

}  // namespace admf::test
