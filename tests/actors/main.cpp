// CAF's unit-test engine and its main(): the test DSL's checks report to it, so these
// tests cannot live in the Catch2 binary. Alone in this file: it is slow to compile.
#include <caf/test/unit_test_impl.hpp>
