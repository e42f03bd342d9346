//! The `json-lines` format: one compact JSON object per finding and line,
//! with exactly the fields of the `json` format (see [`super::json`]).
//! Streams well and works with `grep`/`jq -c` line by line.

use super::Run;
use std::io::{self, Write};

pub fn render(run: &Run, w: &mut dyn Write) -> io::Result<()> {
    for d in super::json::entries(run) {
        serde_json::to_writer(&mut *w, &d)?;
        writeln!(w)?;
    }
    Ok(())
}
