// A perfectly good shared library that is not an admf plugin.
extern "C" int not_a_plugin_answer() { return 42; }
