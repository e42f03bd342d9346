//! OIE004: a Sign-In Widget version below Okta's Identity Engine line.
//!
//! Sources, one finding per reference: widget CDN URLs in JavaScript strings
//! (the rule's query hands us each string fragment that mentions the
//! widget), CDN URLs in `src=`/`href=` attributes of HTML pages, and the
//! widget's range in `package.json`. Hosted templates are skipped: their
//! widget version is an Admin Console setting the repository cannot show.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::Finding;
use crate::source::FileKind;
use crate::versions::{self, cdn, manifest::Manifest, WIDGET_PACKAGE};

pub struct WidgetVersionCheck {
    pub rule: usize,
}

impl WidgetVersionCheck {
    /// Grades every CDN version inside `ctx.source.text[start..end]`.
    fn urls_in(&self, ctx: &FileCtx, start: usize, end: usize, out: &mut Vec<Finding>) {
        for u in cdn::widget_versions_in(&ctx.source.text[start..end]) {
            let Some(version) = versions::parse_version(&u.version) else {
                continue;
            };
            if let Some((severity, message)) =
                versions::grade_version(&version, &ctx.settings.thresholds)
            {
                out.push(
                    Finding::new(self.rule, start + u.start, start + u.end)
                        .severity(severity)
                        .message(message),
                );
            }
        }
    }
}

impl Check for WidgetVersionCheck {
    fn on_match(&self, ctx: &FileCtx, m: &Captures, out: &mut Vec<Finding>) {
        if ctx.hosted {
            return;
        }
        if let Some(s) = m.get("url") {
            self.urls_in(ctx, s.start_byte(), s.end_byte(), out);
        }
    }

    fn on_file(&self, ctx: &FileCtx, out: &mut Vec<Finding>) -> Result<(), String> {
        match ctx.source.kind {
            FileKind::Html if !ctx.hosted => {
                for u in ctx.urls {
                    self.urls_in(ctx, u.start, u.end, out);
                }
            }
            FileKind::PackageJson => {
                let manifest = Manifest::parse(&ctx.source.text)?;
                for dep in manifest
                    .dependencies
                    .iter()
                    .filter(|d| d.name == WIDGET_PACKAGE)
                {
                    let Some(range) = versions::parse_range(&dep.spec) else {
                        continue;
                    };
                    if let Some((severity, message)) =
                        versions::grade_range(&dep.spec, &range, &ctx.settings.thresholds)
                    {
                        out.push(
                            Finding::new(self.rule, dep.start, dep.end)
                                .severity(severity)
                                .message(format!(
                                    "{message} ({} in {})",
                                    WIDGET_PACKAGE, dep.section
                                )),
                        );
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}
