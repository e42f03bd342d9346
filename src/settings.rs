//! Run-wide settings that rules read (thresholds, selection).
use crate::rules::RuleSet;
use crate::versions::Thresholds;

#[derive(Debug, Clone)]
pub struct Settings {
    pub rules: RuleSet,
    pub thresholds: Thresholds,
}
