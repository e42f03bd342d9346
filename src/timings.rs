//! `check --timings`: where the time of a run went, printed to stderr.
//!
//! Worker phases (read, prefilter, parse, check) are summed over the worker
//! threads, so with `-j 1` they add up to the run's wall time and with more
//! threads they are thread time. Discovery runs on the same threads (files
//! are checked as the walk finds them) and is thread time too; reporting
//! runs on one thread and is wall time. The overhead is two clock reads per phase per file.
//! The benchmark (`scripts/bench/run.sh`) reads the `parse` and `check` lines
//! to compare the rules' cost with a bare tree-sitter parse.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// A phase of the per-file pipeline, or of the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Discover,
    Read,
    Prefilter,
    Parse,
    Compile,
    Check,
    Report,
}

const PHASES: [(Phase, &str, &str); 7] = [
    (
        Phase::Discover,
        "discover",
        "threads: walking the tree (directories, ignore rules)",
    ),
    (Phase::Read, "read", "threads: reading and decoding files"),
    (
        Phase::Prefilter,
        "prefilter",
        "threads: literal trigger search",
    ),
    (
        Phase::Parse,
        "parse",
        "threads: tree-sitter parse (HTML, JS/TS and CSS)",
    ),
    (
        Phase::Compile,
        "compile",
        "threads: pattern tables and queries, once per dialect",
    ),
    (
        Phase::Check,
        "check",
        "threads: pattern walk, rule checks, positions",
    ),
    (Phase::Report, "report", "wall: rendering the output"),
];

/// Counters shared by the worker threads.
#[derive(Debug, Default)]
pub struct Timings {
    nanos: [AtomicU64; 7],
    files: AtomicU64,
    bytes: AtomicU64,
    parsed: AtomicU64,
}

impl Timings {
    pub fn add(&self, phase: Phase, d: Duration) {
        self.nanos[phase as usize].fetch_add(d.as_nanos() as u64, Relaxed);
    }

    /// Counts a file that was read (and whether the prefilter let it through).
    pub fn file(&self, bytes: usize, parsed: bool) {
        self.files.fetch_add(1, Relaxed);
        self.bytes.fetch_add(bytes as u64, Relaxed);
        self.parsed.fetch_add(parsed as u64, Relaxed);
    }

    pub fn get(&self, phase: Phase) -> Duration {
        Duration::from_nanos(self.nanos[phase as usize].load(Relaxed))
    }

    /// The report: one line per phase, milliseconds with one decimal.
    pub fn print(&self, wall: Duration, threads: usize, w: &mut dyn Write) -> io::Result<()> {
        let files = self.files.load(Relaxed);
        let parsed = self.parsed.load(Relaxed);
        let mb = self.bytes.load(Relaxed) as f64 / 1e6;
        writeln!(
            w,
            "timings: {files} files ({mb:.1} MB) read, {parsed} parsed, {} skipped by the prefilter; {threads} thread{}",
            files - parsed,
            if threads == 1 { "" } else { "s" }
        )?;
        for (phase, name, what) in PHASES {
            writeln!(w, "  {name:<10} {:>10.1} ms  {what}", ms(self.get(phase)))?;
        }
        writeln!(
            w,
            "  {:<10} {:>10.1} ms  wall: the whole run",
            "total",
            ms(wall)
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A stopwatch over consecutive phases: each [`lap`] charges the time
/// since the previous lap to a phase. `None` when timings are off, so the
/// call sites cost one branch.
pub struct Clock<'a> {
    timings: &'a Timings,
    last: Instant,
}

impl<'a> Clock<'a> {
    pub fn start(timings: Option<&'a Timings>) -> Option<Clock<'a>> {
        timings.map(|timings| Clock {
            timings,
            last: Instant::now(),
        })
    }
}

/// Starts the next lap now, charging the time since the last lap to no phase
/// (it was charged by whoever ran in between).
pub fn restart(clock: &mut Option<Clock>) {
    if let Some(c) = clock {
        c.last = Instant::now();
    }
}

/// Charges the time since the last lap to `phase`.
pub fn lap(clock: &mut Option<Clock>, phase: Phase) {
    if let Some(c) = clock {
        let now = Instant::now();
        c.timings.add(phase, now - c.last);
        c.last = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_charge_their_phase_and_print_every_phase() {
        let t = Timings::default();
        let mut clock = Clock::start(Some(&t));
        std::thread::sleep(Duration::from_millis(2));
        lap(&mut clock, Phase::Parse);
        lap(&mut clock, Phase::Check);
        assert!(t.get(Phase::Parse) >= Duration::from_millis(2));
        assert!(t.get(Phase::Check) < Duration::from_millis(2));
        assert_eq!(t.get(Phase::Read), Duration::ZERO);
        t.file(1000, true);
        t.file(500, false);
        let mut out = Vec::new();
        t.print(Duration::from_millis(5), 1, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with(
                "timings: 2 files (0.0 MB) read, 1 parsed, 1 skipped by the prefilter; 1 thread\n"
            ),
            "{out}"
        );
        for name in [
            "discover",
            "read",
            "prefilter",
            "parse",
            "compile",
            "check",
            "report",
            "total",
        ] {
            assert!(
                out.lines().any(|l| l.trim_start().starts_with(name)),
                "{name} missing in {out}"
            );
        }
    }

    #[test]
    fn no_clock_when_off() {
        let mut clock = Clock::start(None);
        lap(&mut clock, Phase::Parse);
        assert!(clock.is_none());
    }
}
