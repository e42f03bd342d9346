//! `oie-lint server`: the language server (see [`crate::server`]).
use crate::cli::ServerArgs;
use crate::server::settings::Settings;

pub fn run(args: &ServerArgs) -> i32 {
    let settings = Settings {
        unsafe_fixes: !args.no_unsafe_fixes,
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        ..Settings::default()
    };
    crate::server::run(settings)
}
