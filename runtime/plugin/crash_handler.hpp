// What a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) does: inside plugin code
// (runtime/plugin/plugin_call.hpp) it is the plugin's fault and is named; elsewhere it
// is admf's, and the process dies as it would have (a core where enabled).
#pragma once

namespace admf {

/// Exit code of a run whose plugin crashed.
constexpr int plugin_crash_exit = 5;

/// Installs the handler for the crash signals, on the alternate stack a thread has
/// (plugin_call gives every thread running plugins one; this gives the calling one).
/// A crash in plugin code prints "admf: plugin 'NAME' (FILE) crashed with SIGSEGV in
/// container P/s at bar T (SYMBOL)" to stderr and exits with plugin_crash_exit; any
/// other prints "admf: crashed with SIGSEGV (not in a plugin)" and is handed to the
/// handler installed before (a sanitizer's) or re-raised. Call once, early.
void install_crash_handler();

/// In a job's own process (apps/jobs/job_pool.hpp): a crash anywhere writes 'C'
/// and its description (as above, without "admf: " and the newline) to `fd`, then
/// re-raises the signal so the parent sees which one ended the job. -1: back to the
/// behaviour above.
void report_crashes_to(int fd);

}  // namespace admf
