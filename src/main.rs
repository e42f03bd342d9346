use clap::Parser;

fn main() {
    let cli = oie_lint::cli::Cli::parse();
    std::process::exit(oie_lint::main_with_args(cli));
}
