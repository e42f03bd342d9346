//! `path:line:col: CODE [severity] message`, one line per finding (grep- and editor-friendly).
use super::Run;
use std::io::{self, Write};

pub fn render(run: &Run, w: &mut dyn Write) -> io::Result<()> {
    for d in &run.diagnostics {
        writeln!(
            w,
            "{}:{}:{}: {} [{}] {}",
            super::line_safe(&d.path),
            d.start.line,
            d.start.column,
            d.code,
            d.severity,
            super::line_safe(&d.message)
        )?;
    }
    Ok(())
}
