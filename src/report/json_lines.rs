//! The `json-lines` format: one compact JSON object per finding and line,
//! with exactly the fields of the `json` format (see [`super::json`]).
//! Streams well and works with `grep`/`jq -c` line by line.

use super::json::JsonDiagnostic;
use super::Run;
use std::io::{self, Write};

pub fn render(run: &Run, w: &mut dyn Write) -> io::Result<()> {
    let mut cache = None;
    for d in &run.diagnostics {
        serde_json::to_writer(&mut *w, &JsonDiagnostic::with_index(d, run, &mut cache))?;
        writeln!(w)?;
    }
    Ok(())
}
