// A strategy whose signals a test writes out, for hand-worked runs on several symbols.
// Its `script` param lists, for the n-th timestamp it sees (from 1), the targets it
// emits then, in order:  "1: X long; 3: Y long 1750, X flat; 5: Y short strength 0.5".
// A target is SYMBOL long|short|flat, optionally followed by a quantity (units) or by
// `strength F`.
#pragma once
#include <string>

namespace admf::test {

/// Registers the strategy type "test_script" (once per process).
void register_script_strategy();

}  // namespace admf::test
