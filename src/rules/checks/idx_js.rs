//! OIE019: a direct dependency on `@okta/okta-idx-js`, in `package.json`
//! or as an import. Its IDX client moved into okta-auth-js (`idx` module
//! from 5.1.0, vendored from 6.1.0), which is where Identity Engine support
//! is maintained.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::Finding;
use crate::source::FileKind;
use crate::versions::{self, manifest::Manifest};

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] = &[("idx-js-dependency", |rule| {
    Box::new(IdxJsDependency { rule })
})];

pub struct IdxJsDependency {
    pub rule: usize,
}

const PACKAGE: &str = "@okta/okta-idx-js";

impl Check for IdxJsDependency {
    fn on_match<'t>(&self, _ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        if let Some(hit) = m.get("hit") {
            out.push(Finding::new(self.rule, hit.start_byte(), hit.end_byte()));
        }
    }

    fn on_file(&self, ctx: &FileCtx, out: &mut Vec<Finding>) -> Result<(), String> {
        if ctx.source.kind != FileKind::PackageJson {
            return Ok(());
        }
        let manifest = Manifest::parse(&ctx.source.text)?;
        for dep in manifest
            .dependencies
            .iter()
            .filter(|d| versions::real_package(d) == PACKAGE)
        {
            out.push(
                Finding::new(self.rule, dep.start, dep.end).message(format!(
                    "`{PACKAGE}` ({} in {}) is superseded: its IDX client is the `idx` module of `@okta/okta-auth-js`",
                    dep.spec, dep.section
                )),
            );
        }
        Ok(())
    }
}
