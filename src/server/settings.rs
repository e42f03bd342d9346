//! The editor's settings: from `initializationOptions` at start, then from
//! `workspace/configuration` (section `oie-lint`) or
//! `workspace/didChangeConfiguration` whenever they change. The same
//! object is accepted bare or under an `oie-lint` key.

use serde::{Deserialize, Serialize};

/// What the editor can set. Rule selection adds to (never replaces) what
/// the config file says, as `check --extend-select` / `--ignore` do.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Offer unsafe fixes as quick fixes (labelled unsafe, never preferred).
    /// `source.fixAll.oie-lint` applies safe fixes only, as `check --fix`.
    pub unsafe_fixes: bool,
    /// Rules to enable on top of the config file's selection
    /// (`--extend-select`): codes, slugs or prefixes.
    pub extend_select: Vec<String>,
    /// Rules to disable (`--ignore`).
    pub ignore: Vec<String>,
    /// Milliseconds to wait after the last change before checking again.
    pub debounce_ms: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            unsafe_fixes: true,
            extend_select: Vec::new(),
            ignore: Vec::new(),
            debounce_ms: 150,
        }
    }
}

impl Settings {
    /// Reads the settings from a client's JSON (`null`, `{}` and unknown
    /// keys leave the defaults). `Err` is one line for the editor to show.
    pub fn from_json(value: &serde_json::Value) -> Result<Settings, String> {
        let value = value.get("oie-lint").unwrap_or(value);
        if value.is_null() {
            return Ok(Settings::default());
        }
        Settings::deserialize(value).map_err(|e| format!("oie-lint settings: {e}"))
    }

    /// `value`'s keys over `self` (the settings the server started with):
    /// a key the editor leaves out keeps its starting value.
    pub fn overlaid(&self, value: &serde_json::Value) -> Result<Settings, String> {
        let value = value.get("oie-lint").unwrap_or(value);
        let mut base = serde_json::to_value(self).map_err(|e| e.to_string())?;
        if let (Some(b), Some(v)) = (base.as_object_mut(), value.as_object()) {
            for (k, x) in v {
                b.insert(k.clone(), x.clone());
            }
        }
        Settings::from_json(&base)
    }

    /// The settings' share of a run's configuration (as the command line's).
    pub fn cli_layer(&self) -> crate::config::CliLayer<'_> {
        crate::config::CliLayer {
            extend_select: &self.extend_select,
            ignore: &self.ignore,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_read_bare_or_under_the_section_name() {
        let bare = serde_json::json!({"unsafeFixes": false, "extendSelect": ["OIE9"]});
        let s = Settings::from_json(&bare).unwrap();
        assert!(!s.unsafe_fixes);
        assert_eq!(s.extend_select, ["OIE9"]);
        let nested = serde_json::json!({"oie-lint": bare});
        assert_eq!(Settings::from_json(&nested).unwrap(), s);
        assert_eq!(
            Settings::from_json(&serde_json::Value::Null).unwrap(),
            Settings::default()
        );
        assert!(Settings::from_json(&serde_json::json!({"unsafeFixes": "yes"})).is_err());
        // Keys left out keep the starting values.
        let start = Settings {
            ignore: vec!["OIE004".into()],
            ..Settings::default()
        };
        let s = start
            .overlaid(&serde_json::json!({"unsafeFixes": false}))
            .unwrap();
        assert_eq!(
            (s.unsafe_fixes, s.ignore),
            (false, vec!["OIE004".to_string()])
        );
    }
}
