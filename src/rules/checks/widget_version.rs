//! OIE004: a Sign-In Widget version below Okta's Identity Engine line.
//!
//! Sources, one finding per reference: widget CDN URLs in JavaScript strings
//! (the rule's query hands us each string fragment that mentions the
//! widget), CDN URLs in `src=`/`href=` attributes of HTML pages, the
//! widget's range in `package.json`, the versions lockfiles pin and the
//! version a vendored bundle declares. Precedence: a manifest range that an
//! installed copy or a lockfile resolves is graded by that exact version,
//! and a locked version is reported at the lockfile entry (naming the
//! manifest line), not at the range. Hosted templates are skipped: their
//! widget version is an Admin Console setting the repository cannot show.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::Finding;
use crate::source::FileKind;
use crate::versions::{self, cdn, manifest::Manifest, ManifestFile, WIDGET_PACKAGE};

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
                let file = ManifestFile {
                    path: ctx.source.path.clone(),
                    manifest,
                };
                for dep in file
                    .manifest
                    .dependencies
                    .iter()
                    .filter(|d| versions::real_package(d) == WIDGET_PACKAGE)
                {
                    if self.resolved_elsewhere(ctx, &file, dep, out) {
                        continue;
                    }
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
            FileKind::Lockfile => self.lockfile(ctx, out)?,
            FileKind::WidgetBundle | FileKind::Script(_) => self.bundle(ctx, out),
            _ => {}
        }
        Ok(())
    }
}

/// Lockfiles, installed packages and vendored bundles.
impl WidgetVersionCheck {
    /// Whether an installed copy or a lockfile resolves `dep`, so its range
    /// is not graded. A locked version is reported at the lockfile entry; an
    /// installed copy without a lockfile entry is graded here, at the range.
    fn resolved_elsewhere(
        &self,
        ctx: &FileCtx,
        file: &ManifestFile,
        dep: &versions::manifest::DependencySpec,
        out: &mut Vec<Finding>,
    ) -> bool {
        let res = ctx.versions.resolve(file, dep);
        if res.locked.is_some() {
            return true;
        }
        let Some(installed) = &res.installed else {
            return false;
        };
        if let Some(version) = versions::parse_version(&installed.version) {
            if let Some((severity, message)) =
                versions::grade_version(&version, &ctx.settings.thresholds)
            {
                let at = crate::source::display_path(&installed.path, ctx.versions.cwd());
                out.push(
                    Finding::new(self.rule, dep.start, dep.end)
                        .severity(severity)
                        .message(format!(
                            "{message} (`{}` is installed as {version}: {at})",
                            dep.spec
                        )),
                );
            }
        }
        true
    }

    /// Every widget version a lockfile pins, at the entry's version text.
    fn lockfile(&self, ctx: &FileCtx, out: &mut Vec<Finding>) -> Result<(), String> {
        let lock = ctx
            .versions
            .lockfile_at(&ctx.source.path, Some(&ctx.source.text))?;
        let users = ctx.versions.lockfile_users(&lock);
        for (i, entry) in lock.lock.entries_of(WIDGET_PACKAGE) {
            let Some(version) = versions::parse_version(&entry.version) else {
                continue;
            };
            let Some((severity, message)) =
                versions::grade_version(&version, &ctx.settings.thresholds)
            else {
                continue;
            };
            let named: Vec<String> = users
                .iter()
                .filter(|u| u.index == i)
                .map(|u| {
                    format!(
                        "`{}` in {}:{}",
                        u.dep.spec,
                        crate::source::display_path(&u.manifest.path, ctx.versions.cwd()),
                        u.dep.line
                    )
                })
                .collect();
            let why = if named.is_empty() {
                format!("{WIDGET_PACKAGE} {version} is locked as a dependency of another package")
            } else {
                format!("locked for {}", named.join(", "))
            };
            out.push(
                Finding::new(self.rule, entry.start, entry.end)
                    .severity(severity)
                    .message(format!("{message} ({why})")),
            );
        }
        Ok(())
    }

    /// The version a vendored widget bundle declares.
    fn bundle(&self, ctx: &FileCtx, out: &mut Vec<Finding>) {
        let Some(b) = versions::bundle::detect(&ctx.source.path, &ctx.source.text) else {
            return;
        };
        let Some(version) = versions::parse_version(&b.version) else {
            return;
        };
        if let Some((severity, message)) =
            versions::grade_version(&version, &ctx.settings.thresholds)
        {
            out.push(
                Finding::new(self.rule, b.start, b.end)
                    .severity(severity)
                    .message(format!("{message} (vendored bundle)")),
            );
        }
    }
}
